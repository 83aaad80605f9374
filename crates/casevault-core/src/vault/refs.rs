//! The tables the store writes from the model's reading of a record, in
//! the transaction of every write of it ([`replace`], called by the store):
//!
//! - `record_refs` (migration 11): one row for every reference a record
//!   holds, as [`Record::refs`] reads it. This is the store's one answer
//!   to "what refers to this record?": the trash check, restore and a
//!   merge's repointing all ask it, so a tag or a statement that happens
//!   to spell a record's id is never taken for a reference.
//! - `record_cases` (migration 3): the cases a record belongs to, as
//!   [`Record::cases`] reads them, with its trash state: the case list and
//!   view, the trash checks, search filters and team spaces read it. SQL
//!   triggers kept it until migration 13; now the same rule as the
//!   references decides it.
//!
//! Rows are kept while the record is in the trash: a trashed record still
//! refers to what it referred to, which is what restore needs to bring a
//! case back with its incidents, and to refuse to bring back an incident
//! without its case. Queries that want live referrers join `records` on
//! `trashed_at`.
//!
//! [`Record::refs`]: crate::model::records::Record::refs
//! [`Record::cases`]: crate::model::records::Record::cases

use rusqlite::{Connection, params};

use crate::Result;
use crate::model::records::AnyRecord;

/// The references of a stored record: (field, target id), in the order
/// [`Record::refs`] gives them.
///
/// The store holds any JSON under any kind (notes, and the unvalidated
/// records of the test-support `insert_record`); a record that does not
/// read as its kind's type refers to nothing and belongs to no case,
/// because no operation can read it either (browse and export refuse it
/// as damaged). Records that came in through the model's operations
/// always read.
///
/// [`Record::refs`]: crate::model::records::Record::refs
fn refs_of(record: Option<&AnyRecord>) -> Vec<(&'static str, String)> {
    record
        .map(|r| {
            r.refs()
                .into_iter()
                .map(|x| (x.field, x.id.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn cases_of(record: Option<&AnyRecord>) -> Vec<&str> {
    record.map(AnyRecord::cases).unwrap_or_default()
}

/// Whether the vault has migration 11's table: fixtures of older schemas
/// are written through the same store, and hold no references to keep
/// (and until migration 13, triggers keep their `record_cases`).
pub(crate) fn has_table(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'record_refs'",
        )?
        .exists([])?)
}

/// Replaces the rows of record `id` with the references and cases of
/// `data`, stored as trashed or not.
pub(crate) fn replace(
    conn: &Connection,
    id: &str,
    kind: &str,
    data: &str,
    trashed: bool,
) -> Result<()> {
    if !has_table(conn)? {
        return Ok(());
    }
    let record = AnyRecord::from_stored(kind, data);
    conn.prepare_cached("DELETE FROM record_refs WHERE from_id = ?1")?
        .execute([id])?;
    insert(conn, id, &refs_of(record.as_ref()))?;
    conn.prepare_cached("DELETE FROM record_cases WHERE record_id = ?1")?
        .execute([id])?;
    insert_cases(conn, id, kind, &cases_of(record.as_ref()), trashed)
}

/// Marks the case rows of record `id` trashed or live: trash and restore
/// keep the data, and with it the cases.
pub(crate) fn set_trashed(conn: &Connection, id: &str, trashed: bool) -> Result<()> {
    if !has_table(conn)? {
        return Ok(());
    }
    conn.prepare_cached("UPDATE record_cases SET trashed = ?2 WHERE record_id = ?1")?
        .execute(params![id, trashed])?;
    Ok(())
}

fn insert_cases(
    conn: &Connection,
    id: &str,
    kind: &str,
    cases: &[&str],
    trashed: bool,
) -> Result<()> {
    // A person may hold two roles in one case; the table keeps one row.
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO record_cases (case_id, record_id, kind, trashed)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for case in cases {
        stmt.execute(params![case, id, kind, trashed])?;
    }
    Ok(())
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

/// Every row of `record_cases` as (case, record, kind, trashed), sorted:
/// for tests.
#[cfg(any(test, feature = "test-support"))]
pub(crate) fn all_cases(conn: &Connection) -> Result<Vec<(String, String, String, bool)>> {
    let mut stmt = conn.prepare(
        "SELECT case_id, record_id, kind, trashed FROM record_cases ORDER BY case_id, record_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
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
        let record = AnyRecord::from_stored(&kind, &data);
        insert(tx, &id, &refs_of(record.as_ref()))?;
    }
    Ok(())
}

/// Refills `record_cases` from every record, trashed or not (migration
/// 13's Rust step, as its triggers go): the rows the triggers wrote from
/// the JSON become the ones [`replace`] would write, so a vault upgraded
/// and a vault created today hold the same index.
pub(crate) fn fill_cases(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM record_cases", [])?;
    let mut stmt =
        tx.prepare("SELECT id, kind, data, trashed_at IS NOT NULL FROM records ORDER BY rowid")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, kind, data, trashed): (String, String, String, bool) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let record = AnyRecord::from_stored(&kind, &data);
        insert_cases(tx, &id, &kind, &cases_of(record.as_ref()), trashed)?;
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

    /// Migration 13 rebuilds `record_cases` from the records by
    /// `Record::cases`: a row the triggers lost comes back, the row they
    /// wrote for a note that only has a `case` key goes, trashed records
    /// keep theirs, and a raw insert after it writes nothing (the
    /// triggers are gone: the store writes the index).
    #[test]
    fn migration_13_rebuilds_the_case_index_from_the_records() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = migrations::MIGRATIONS
            .iter()
            .find(|m| m.name == "record_cases_from_rust")
            .unwrap()
            .version
            - 1;
        migrations::migrate_to(&mut conn, before, fixed_now()).unwrap();
        insert_raw(
            &conn,
            "c-1",
            "case",
            json!({"id": "c-1", "title": "T", "status": "open", "tags": ["c-2"]}),
            false,
        );
        insert_raw(
            &conn,
            "p-1",
            "person",
            json!({"id": "p-1", "names": [{"name": "A", "kind": "primary"}],
                   "case_roles": [{"case": "c-1", "role": "victim"},
                                  {"case": "c-2", "role": "witness"}]}),
            false,
        );
        insert_raw(
            &conn,
            "i-1",
            "incident",
            json!({"id": "i-1", "case": "c-1", "title": "T", "act_type": "threat",
                   "start": "2020", "description": "c-2"}),
            true,
        );
        insert_raw(&conn, "n-1", "note", json!({"case": "c-1"}), false);
        conn.execute(
            "DELETE FROM record_cases WHERE record_id = 'p-1' AND case_id = 'c-2'",
            [],
        )
        .unwrap();
        assert_eq!(all_cases(&conn).unwrap().len(), 3, "the triggers' rows");
        migrations::migrate(&mut conn, fixed_now()).unwrap();
        let row =
            |c: &str, r: &str, k: &str, t: bool| (c.to_owned(), r.to_owned(), k.to_owned(), t);
        let want = vec![
            row("c-1", "i-1", "incident", true),
            row("c-1", "p-1", "person", false),
            row("c-2", "p-1", "person", false),
        ];
        assert_eq!(all_cases(&conn).unwrap(), want);
        insert_raw(
            &conn,
            "i-2",
            "incident",
            json!({"id": "i-2", "case": "c-1", "title": "T", "act_type": "threat",
                   "start": "2020", "description": ""}),
            false,
        );
        assert_eq!(all_cases(&conn).unwrap(), want);
    }
}
