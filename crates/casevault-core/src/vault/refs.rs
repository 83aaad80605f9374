//! The `record_refs` table (migration 11): one row for every reference a
//! record holds, as the model's [`Record::refs`] reads it. This is the
//! store's one answer to "what refers to this record?": the trash check,
//! restore and a merge's repointing all ask it, so a tag or a statement
//! that happens to spell a record's id is never taken for a reference.
//!
//! Rows are written in the transaction of every write of a record
//! ([`replace`], called by the store), and kept while the record is in the
//! trash: a trashed record still refers to what it referred to, which is
//! what restore needs to bring a case back with its incidents, and to
//! refuse to bring back an incident without its case. Queries that want
//! live referrers join `records` on `trashed_at`.

use rusqlite::{Connection, params};

use crate::Result;
use crate::model::records::{
    AnyRecord, Case, Incident, Intervention, Organisation, Person, Proceeding, Source, Testimony,
};

/// The references of a stored record: (field, target id), in the order
/// [`Record::refs`] gives them.
///
/// The store holds any JSON under any kind (notes, and the unvalidated
/// records of the test-support `insert_record`); a record that does not
/// read as its kind's type refers to nothing, because no operation can
/// read it either (browse and export refuse it as damaged). Records that
/// came in through the model's operations always read.
///
/// [`Record::refs`]: crate::model::records::Record::refs
pub(crate) fn refs_of(kind: &str, data: &str) -> Vec<(&'static str, String)> {
    fn read<T: serde::de::DeserializeOwned>(data: &str) -> Option<T> {
        serde_json::from_str(data).ok()
    }
    let record = match kind {
        "case" => read::<Case>(data).map(AnyRecord::Case),
        "person" => read::<Person>(data).map(AnyRecord::Person),
        "organisation" => read::<Organisation>(data).map(AnyRecord::Organisation),
        "incident" => read::<Incident>(data).map(AnyRecord::Incident),
        "proceeding" => read::<Proceeding>(data).map(AnyRecord::Proceeding),
        "source" => read::<Source>(data).map(AnyRecord::Source),
        "testimony" => read::<Testimony>(data).map(AnyRecord::Testimony),
        "intervention" => read::<Intervention>(data).map(AnyRecord::Intervention),
        _ => None,
    };
    record
        .map(|r| {
            r.refs()
                .into_iter()
                .map(|x| (x.field, x.id.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the vault has migration 11's table: fixtures of older schemas
/// are written through the same store, and hold no references to keep.
pub(crate) fn has_table(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'record_refs'",
        )?
        .exists([])?)
}

/// Replaces the rows of record `id` with the references of `data`.
pub(crate) fn replace(conn: &Connection, id: &str, kind: &str, data: &str) -> Result<()> {
    if !has_table(conn)? {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM record_refs WHERE from_id = ?1")?
        .execute([id])?;
    insert(conn, id, &refs_of(kind, data))
}

fn insert(conn: &Connection, id: &str, refs: &[(&str, String)]) -> Result<()> {
    // A list may name the same record twice (two perpetrator entries for
    // one person); the table keeps one row per field and target.
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO record_refs (from_id, field, to_id) VALUES (?1, ?2, ?3)",
    )?;
    for (field, to) in refs {
        stmt.execute(params![id, field, to])?;
    }
    Ok(())
}

/// Live records other than `id` that refer to it: (id, kind), in the
/// order they were stored.
pub(crate) fn live_referrers(conn: &Connection, id: &str) -> Result<Vec<(String, String)>> {
    if !has_table(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.kind FROM records r
         WHERE r.trashed_at IS NULL AND r.id <> ?1
           AND r.id IN (SELECT from_id FROM record_refs WHERE to_id = ?1)
         ORDER BY r.rowid",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records other than `id` trashed at `trashed_at` (in one operation
/// with it) that refer to it.
pub(crate) fn trashed_with(conn: &Connection, id: &str, trashed_at: &str) -> Result<Vec<String>> {
    if !has_table(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT r.id FROM records r
         WHERE r.trashed_at = ?2 AND r.id <> ?1
           AND r.id IN (SELECT from_id FROM record_refs WHERE to_id = ?1)
         ORDER BY r.rowid",
    )?;
    let rows = stmt.query_map(params![id, trashed_at], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records in the trash that record `id` refers to: (id, kind).
pub(crate) fn trashed_targets(conn: &Connection, id: &str) -> Result<Vec<(String, String)>> {
    if !has_table(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT x.id, x.kind FROM records x
         WHERE x.trashed_at IS NOT NULL
           AND x.id IN (SELECT to_id FROM record_refs WHERE from_id = ?1)
         ORDER BY x.rowid",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every row of the table as (from, field, to), sorted: for tests that
/// compare it with what the records say.
#[cfg(any(test, feature = "test-support"))]
pub(crate) fn all(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn
        .prepare("SELECT from_id, field, to_id FROM record_refs ORDER BY from_id, field, to_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Fills the table from every record, trashed or not (migration 11's Rust
/// step: until then a reference was any string equal to a record id, and
/// the table has to learn what the records already hold).
///
/// It reports no progress, unlike migration 10's key rebuild (about 90 s
/// for 100,000 records): it parses each record once, 12 s for 100,000 in
/// an unoptimised build on a loaded machine, and the callback
/// `open_reporting` sets is the search index's, which the CLI and the app
/// show as one pass.
pub(crate) fn fill(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM record_refs", [])?;
    let mut stmt = tx.prepare("SELECT id, kind, data FROM records ORDER BY rowid")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, kind, data): (String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        insert(tx, &id, &refs_of(&kind, &data))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use serde_json::json;

    use super::*;
    use crate::vault::migrations;

    fn insert_raw(conn: &Connection, id: &str, kind: &str, data: serde_json::Value, trashed: bool) {
        conn.execute(
            "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by, trashed_at)
             VALUES (?1, ?2, 1, ?3, 't', 't', 't', 't', ?4)",
            params![id, kind, data.to_string(), trashed.then_some("t")],
        )
        .unwrap();
    }

    /// A vault written before migration 11 gets the references its
    /// records hold, trashed ones too, and nothing for text that only
    /// spells an id.
    fn fixed_now() -> chrono::DateTime<chrono::Utc> {
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 6, 9, 0, 0).unwrap()
    }

    #[test]
    fn migration_fills_the_table_from_the_records_written_before_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = migrations::MIGRATIONS
            .iter()
            .find(|m| m.name == "record_refs")
            .unwrap()
            .version
            - 1;
        migrations::migrate_to(&mut conn, before, fixed_now()).unwrap();
        insert_raw(
            &conn,
            "c-1",
            "case",
            json!({"id": "c-1", "title": "T", "status": "open", "tags": ["p-1"]}),
            false,
        );
        insert_raw(
            &conn,
            "p-1",
            "person",
            json!({"id": "p-1", "names": [{"name": "A", "kind": "primary"}],
                   "pseudonym": "c-1", "case_roles": [{"case": "c-1", "role": "victim"}]}),
            false,
        );
        insert_raw(
            &conn,
            "i-1",
            "incident",
            json!({"id": "i-1", "case": "c-1", "title": "T", "act_type": "threat",
                   "start": "2020", "description": "p-1", "victims": ["p-1", "p-1"]}),
            true,
        );
        insert_raw(&conn, "n-1", "note", json!({"text": "c-1"}), false);
        migrations::migrate(&mut conn, fixed_now()).unwrap();
        let got = all(&conn).unwrap();
        let want: Vec<(String, String, String)> = [
            ("i-1", "case", "c-1"),
            ("i-1", "victims", "p-1"),
            ("p-1", "case_roles.case", "c-1"),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
        assert_eq!(got, want);
    }
}
