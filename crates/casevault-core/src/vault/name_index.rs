//! Keeps `person_name_keys` (migration 5) current: one row per word of
//! every name of every live person, keyed by [`crate::model::names`]. SQL
//! triggers cannot transliterate, so every write of a person calls
//! [`reindex`] inside its transaction.

use rusqlite::{Connection, params};

use crate::Result;
use crate::model::names;

/// Replaces the rows of one record. Only persons have names; for other
/// kinds this does nothing.
pub(crate) fn reindex(
    conn: &Connection,
    id: &str,
    kind: &str,
    data: &str,
    live: bool,
) -> Result<()> {
    if kind != "person" {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM person_name_keys WHERE person_id = ?1")?
        .execute([id])?;
    if !live {
        return Ok(());
    }
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
        for key in names::name_keys(name) {
            insert.execute(params![key, id, name])?;
            key_set.execute(params![key, key.len() as i64])?;
        }
    }
    Ok(())
}

/// Fills the index from scratch (migration 5).
pub(crate) fn rebuild(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM person_name_keys", [])?;
    let rows: Vec<(String, String)> = tx
        .prepare("SELECT id, data FROM records WHERE kind = 'person' AND trashed_at IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, data) in rows {
        reindex(tx, &id, "person", &data, true)?;
    }
    Ok(())
}
