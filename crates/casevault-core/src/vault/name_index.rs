//! Keeps the indexes SQL cannot compute current: `person_name_keys`
//! (migration 5: one row per key of every word of every name of every live
//! person, by [`crate::model::names`]) and `search_keys` (migration 11: the
//! script-neutral keys of every live record's searchable text, by
//! [`crate::model::stem`]). SQL triggers cannot transliterate or stem, so
//! every write of a record calls [`reindex`] inside its transaction, after
//! the triggers have updated `search_fts`.

use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;
use crate::model::{names, stem};

/// Replaces the rows of one record: its search keys (every kind, once the
/// vault has them) and, for a person, its name keys.
pub(crate) fn reindex(
    conn: &Connection,
    id: &str,
    kind: &str,
    data: &str,
    live: bool,
) -> Result<()> {
    if has_key_index(conn)? {
        reindex_keys(conn, id, live)?;
    }
    if kind != "person" {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM person_name_keys WHERE person_id = ?1")?
        .execute([id])?;
    if !live {
        return Ok(());
    }
    reindex_names(conn, id, data)
}

/// Whether the vault has migration 11's key index: fixtures of older
/// schemas are written through the same store.
fn has_key_index(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_master WHERE name = 'search_keys'")?
        .exists([])?)
}

fn reindex_names(conn: &Connection, id: &str, data: &str) -> Result<()> {
    let value: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO person_name_keys (key, person_id, name) VALUES (?1, ?2, ?3)",
    )?;
    let mut key_set =
        conn.prepare_cached("INSERT OR IGNORE INTO name_key_set (key, len) VALUES (?1, ?2)")?;
    for name in value["names"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["name"].as_str())
    {
        for key in names::name_word_keys(name).into_iter().flatten() {
            insert.execute(params![key, id, name])?;
            key_set.execute(params![key, key.len() as i64])?;
        }
    }
    Ok(())
}

/// The script-neutral keys of a record's searchable text (title and body,
/// as `search_source` defines them), space-separated.
fn keys_text(title: &str, body: &str) -> String {
    let mut keys = stem::text_keys(title);
    keys.extend(stem::text_keys(body));
    keys.into_iter().collect::<Vec<_>>().join(" ")
}

fn reindex_keys(conn: &Connection, id: &str, live: bool) -> Result<()> {
    let Some(rowid) = conn
        .prepare_cached("SELECT rowid FROM records WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(());
    };
    conn.prepare_cached("DELETE FROM search_keys WHERE rowid = ?1")?
        .execute([rowid])?;
    if !live {
        return Ok(());
    }
    let source = conn
        .prepare_cached(
            "SELECT coalesce(title, ''), coalesce(body, '') FROM search_source WHERE rowid = ?1",
        )?
        .query_row([rowid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?;
    if let Some((title, body)) = source {
        conn.prepare_cached("INSERT INTO search_keys (rowid, keys) VALUES (?1, ?2)")?
            .execute(params![rowid, keys_text(&title, &body)])?;
    }
    Ok(())
}

/// How many records [`rebuild_keys`] keys between progress reports.
pub const PROGRESS_EVERY: usize = 5_000;

/// Where [`rebuild_keys`] reports progress (records done, records in all).
/// The migration runs deep inside `Vault::open`; `Vault::open_reporting`
/// sets the callback around it and clears it afterwards.
static PROGRESS: std::sync::Mutex<Option<Progress>> = std::sync::Mutex::new(None);

/// A progress report: records done, records in all.
pub type Progress = Box<dyn FnMut(usize, usize) + Send>;

/// Sets the progress callback of [`rebuild_keys`] (None for none).
pub(crate) fn set_rebuild_progress(callback: Option<Progress>) {
    let mut slot = PROGRESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *slot = callback;
}

/// Fills `search_keys` from scratch and re-keys the names (migration 11:
/// the keys now cover every romanisation system, stems and places). A
/// large vault reports progress every [`PROGRESS_EVERY`] records.
pub(crate) fn rebuild_keys(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM search_keys", [])?;
    let total: i64 = tx.query_row("SELECT count(*) FROM search_source", [], |r| r.get(0))?;
    // Held for the whole rebuild: nothing else sets it while a vault opens.
    let mut progress = PROGRESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut stmt = tx.prepare(
        "SELECT rowid, coalesce(title, ''), coalesce(body, '') FROM search_source ORDER BY rowid",
    )?;
    let mut rows = stmt.query([])?;
    let mut insert = tx.prepare_cached("INSERT INTO search_keys (rowid, keys) VALUES (?1, ?2)")?;
    let mut done = 0usize;
    while let Some(row) = rows.next()? {
        let (rowid, title, body): (i64, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        insert.execute(params![rowid, keys_text(&title, &body)])?;
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY)
            && let Some(p) = progress.as_mut()
        {
            p(done, total as usize);
        }
    }
    if let Some(p) = progress.as_mut() {
        p(done, total as usize);
    }
    drop(progress);
    rebuild(tx)
}

/// Fills the index from scratch (migration 5).
pub(crate) fn rebuild(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM person_name_keys", [])?;
    let rows: Vec<(String, String)> = tx
        .prepare("SELECT id, data FROM records WHERE kind = 'person' AND trashed_at IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, data) in rows {
        reindex_names(tx, &id, &data)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use rusqlite::Connection;

    use super::*;
    use crate::vault::migrations;

    static REPORTED: AtomicUsize = AtomicUsize::new(0);

    fn keyed(conn: &Connection, query: &str) -> Vec<i64> {
        let mut stmt = conn
            .prepare("SELECT rowid FROM search_keys WHERE search_keys MATCH ?1 ORDER BY rowid")
            .unwrap();
        stmt.query_map([query], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// A vault written before migration 11 gets keys for the records it
    /// already holds, and reports progress while doing so.
    #[test]
    fn migration_keys_records_written_before_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = migrations::MIGRATIONS
            .iter()
            .find(|m| m.name == "search_keys")
            .unwrap()
            .version
            - 1;
        migrations::migrate_to(&mut conn, before, crate::session::testing::now()).unwrap();
        let insert = |id: &str, kind: &str, data: serde_json::Value| {
            conn.execute(
                "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by)
                 VALUES (?1, ?2, 1, ?3, 't', 't', 't', 't')",
                params![id, kind, data.to_string()],
            )
            .unwrap();
        };
        insert(
            "t-1",
            "testimony",
            serde_json::json!({"statement": "Я был в командировке в Москве."}),
        );
        insert(
            "i-1",
            "incident",
            serde_json::json!({"title": "Beaten near Almaty airport", "description": ""}),
        );
        insert(
            "p-1",
            "person",
            serde_json::json!({"names": [{"name": "Xo'jayev Rustam", "kind": "primary"}]}),
        );
        set_rebuild_progress(Some(Box::new(|done, _total| {
            REPORTED.store(done, Ordering::SeqCst)
        })));
        migrations::migrate(&mut conn, crate::session::testing::now()).unwrap();
        set_rebuild_progress(None);
        assert_eq!(REPORTED.load(Ordering::SeqCst), 3);
        let rowid = |id: &str| -> i64 {
            conn.query_row("SELECT rowid FROM records WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
        };
        let key = |w: &str| format!("\"{}\"", stem::word_search_keys(w)[0]);
        // "командировка" (nominative) finds the prepositional form.
        let stem_key = stem::word_search_keys("командировка")
            .into_iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        assert_eq!(keyed(&conn, &stem_key), vec![rowid("t-1")]);
        // Moscow finds Москве; Алматы finds Almaty.
        let place = |w: &str| {
            stem::word_search_keys(w)
                .into_iter()
                .filter(|k| k.starts_with("qq"))
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        assert_eq!(keyed(&conn, &place("moscow")), vec![rowid("t-1")]);
        assert_eq!(keyed(&conn, &place("алматы")), vec![rowid("i-1")]);
        assert_eq!(keyed(&conn, &key("рустам")), vec![rowid("p-1")]);
        // The names were re-keyed: the Uzbek spelling has the passport key.
        let persons: Vec<String> = conn
            .prepare("SELECT DISTINCT person_id FROM person_name_keys WHERE key = ?1")
            .unwrap()
            .query_map([names::word_key("Ходжаев")], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(persons, vec!["p-1".to_owned()]);
    }
}
