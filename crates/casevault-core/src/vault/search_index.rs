//! Queries over the search indexes of migration 5: the FTS5 table and the
//! name keys. `model::search` builds on these.

use rusqlite::params;

use super::Vault;
use crate::{Error, Result};

/// One full-text match: id, kind, data (JSON text, parsed only if a filter
/// needs it), title and a snippet with matches between \u{2} and \u{3}.
pub type TextMatch = (String, String, String, String, String);

impl Vault {
    /// Live records matching an FTS5 query (already made safe by
    /// `model::search::fts_query`), best first. Titles weigh 4× the body.
    pub fn full_text_raw(&self, query: &str, limit: usize) -> Result<Vec<TextMatch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.kind, r.data, f.title,
                    snippet(search_fts, -1, char(2), char(3), '…', 16)
             FROM search_fts f JOIN records r ON r.rowid = f.rowid
             WHERE search_fts MATCH ?1
             ORDER BY bm25(search_fts, 4.0, 1.0) LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![query, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(fts_error)?;
        rows.collect::<rusqlite::Result<_>>().map_err(fts_error)
    }

    /// The cases a record belongs to.
    pub fn cases_of(&self, record_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT case_id FROM record_cases WHERE record_id = ?1 ORDER BY case_id",
        )?;
        let rows = stmt.query_map([record_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Persons with a name word whose key starts with `prefix`.
    pub fn persons_with_key_prefix(&self, prefix: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT person_id FROM person_name_keys WHERE key >= ?1 AND key < ?1 || '{'",
        )?;
        let rows = stmt.query_map([prefix], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Persons with a name word whose key is exactly `key`.
    pub fn persons_with_key(&self, key: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT person_id FROM person_name_keys WHERE key = ?1")?;
        let rows = stmt.query_map([key], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Distinct name keys whose length is within `within` of `len`: the
    /// only ones an edit distance of `within` can reach.
    pub fn name_keys_near(&self, len: usize, within: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT key FROM person_name_keys WHERE length(key) BETWEEN ?1 AND ?2",
        )?;
        let rows = stmt.query_map(
            params![len.saturating_sub(within) as i64, (len + within) as i64],
            |r| r.get(0),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Bytes used by the search indexes (FTS5 shadow tables and name keys).
    pub fn search_index_bytes(&self) -> Result<u64> {
        let pages: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM dbstat WHERE name LIKE 'search_fts%' OR name LIKE 'person_name_keys%'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        let page_size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Ok((pages * page_size).max(0) as u64)
    }
}

/// FTS5 reports problems with the query as SQL errors; queries reach it
/// only through `fts_query`, which quotes everything, so one is a bug —
/// but the user still gets words, not SQL.
fn fts_error(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ffi::ErrorCode::Unknown) => Error::invalid(
            "query",
            "this search could not be understood; try plain words, \"a phrase\" or a prefix*",
        ),
        _ => e.into(),
    }
}
