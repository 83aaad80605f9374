//! Queries over the search indexes: the FTS5 table and the name keys
//! (migration 5) and the script-neutral keys (migration 11).
//! `ops::search` builds on these.

use rusqlite::{OptionalExtension, params};

use super::Vault;
use crate::{Error, Result};

/// How many of the newest matches full-text ranking considers.
pub const RANK_WINDOW: usize = 2000;

/// The same for a query with a phrase. FTS5 finds phrase matches by
/// walking the positions of every record that has all its words, so for
/// a phrase of everyday words the window costs more records read per
/// match (`"hotel embassy"`: 21.4 ms at 2,000, 16.4 ms at 1,000;
/// BENCHMARKS.md). Every match holds the exact phrase, so BM25 has less
/// to tell apart among them than among matches of loose words.
pub const PHRASE_RANK_WINDOW: usize = 1000;
const _: () = assert!(PHRASE_RANK_WINDOW < RANK_WINDOW);

/// One full-text match: id, kind, data (JSON text, parsed only if a filter
/// needs it), title and a snippet with matches between \u{2} and \u{3}.
pub type TextMatch = (String, String, String, String, String);

/// One match in the key index, with the record's text for a snippet.
#[derive(Debug, Clone)]
pub struct KeyMatch {
    /// The record's rowid.
    pub rowid: i64,
    /// Record id.
    pub id: String,
    /// Record kind.
    pub kind: String,
    /// The record's data (JSON text).
    pub data: String,
    /// Its searchable title.
    pub title: String,
    /// Its searchable body.
    pub body: String,
}

impl Vault {
    /// Live records matching an FTS5 query (already made safe by
    /// `ops::search::fts_query`), best first; titles weigh 4× the body.
    ///
    /// BM25 needs every match scored, which for a word in most of 100,000
    /// testimonies takes most of a second. So the ranking runs over the
    /// newest `window` matches ([`RANK_WINDOW`], or [`PHRASE_RANK_WINDOW`]
    /// for a phrase; FTS5 walks its index in rowid order and stops there):
    /// exact whenever a query matches fewer records, and for a word too
    /// common to discriminate, the best of the most recent. Snippets are
    /// made only for the results returned.
    pub fn full_text_raw(
        &self,
        query: &str,
        window: usize,
        limit: usize,
    ) -> Result<Vec<TextMatch>> {
        let expanded = self.expand_prefixes(query)?;
        let query = expanded.as_str();
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM (
                 SELECT rowid, bm25(search_fts, 4.0, 1.0) AS score FROM search_fts
                 WHERE search_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2
             ) ORDER BY score LIMIT ?3",
        )?;
        let rowids: Vec<i64> = stmt
            .query_map(params![query, window as i64, limit as i64], |r| r.get(0))
            .map_err(fts_error)?
            .collect::<rusqlite::Result<_>>()
            .map_err(fts_error)?;
        let mut one = self.conn.prepare_cached(
            "SELECT r.id, r.kind, r.data, f.title,
                    snippet(search_fts, -1, char(2), char(3), '…', 16)
             FROM search_fts f JOIN records r ON r.rowid = f.rowid
             WHERE search_fts MATCH ?1 AND f.rowid = ?2",
        )?;
        let mut out = Vec::with_capacity(rowids.len());
        for rowid in rowids {
            let row = one
                .query_row(params![query, rowid], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .map_err(fts_error)?;
            out.push(row);
        }
        Ok(out)
    }

    /// Live records matching a query over the script-neutral keys (groups of
    /// alternative keys, already quoted), restricted to the records that
    /// also match `exact` (the phrases and prefixes of the query) when
    /// given; best first, as (rowid, id, kind, data, title, body).
    ///
    /// Like [`Self::full_text_raw`], ranking runs over the newest
    /// [`RANK_WINDOW`] matches.
    pub fn key_matches_raw(
        &self,
        keys: &str,
        exact: Option<&str>,
        limit: usize,
    ) -> Result<Vec<KeyMatch>> {
        let rowids: Vec<i64> = match exact {
            None => {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT rowid FROM (
                         SELECT rowid, bm25(search_keys) AS score FROM search_keys
                         WHERE search_keys MATCH ?1 ORDER BY rowid DESC LIMIT ?2
                     ) ORDER BY score LIMIT ?3",
                )?;
                stmt.query_map(params![keys, RANK_WINDOW as i64, limit as i64], |r| {
                    r.get(0)
                })
                .map_err(fts_error)?
                .collect::<rusqlite::Result<_>>()
                .map_err(fts_error)?
            }
            Some(exact) => {
                let exact = self.expand_prefixes(exact)?;
                let mut stmt = self.conn.prepare_cached(
                    "SELECT rowid FROM (
                         SELECT rowid, bm25(search_keys) AS score FROM search_keys
                         WHERE search_keys MATCH ?1
                           AND rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?2)
                         ORDER BY rowid DESC LIMIT ?3
                     ) ORDER BY score LIMIT ?4",
                )?;
                stmt.query_map(
                    params![keys, exact, RANK_WINDOW as i64, limit as i64],
                    |r| r.get(0),
                )
                .map_err(fts_error)?
                .collect::<rusqlite::Result<_>>()
                .map_err(fts_error)?
            }
        };
        let mut one = self.conn.prepare_cached(
            "SELECT r.id, r.kind, r.data, f.title, f.body
             FROM search_fts f JOIN records r ON r.rowid = f.rowid
             WHERE f.rowid = ?1",
        )?;
        let mut out = Vec::with_capacity(rowids.len());
        for rowid in rowids {
            let row = one.query_row([rowid], |r| {
                Ok(KeyMatch {
                    rowid,
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    data: r.get(2)?,
                    title: r.get(3)?,
                    body: r.get(4)?,
                })
            })?;
            out.push(row);
        }
        Ok(out)
    }

    /// The rowid of a record.
    pub fn record_rowid(&self, id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT rowid FROM records WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Rewrites each `"abc"*` term into `("abcd" OR "abce" …)` when the
    /// prefix stands for a few indexed words. FTS5 answers a prefix by
    /// merging the doclists of every matching word in memory before it can
    /// return the first row, which for a common word is most of a second;
    /// an OR of exact words streams like a single word.
    fn expand_prefixes(&self, query: &str) -> Result<String> {
        const MAX_EXPANSION: usize = 16;
        let mut out = String::with_capacity(query.len());
        let mut rest = query;
        while let Some(start) = rest.find('"') {
            out.push_str(&rest[..start]);
            // Terms come from fts_query: "…" with inner quotes doubled.
            let body_start = start + 1;
            let mut end = body_start;
            let bytes = rest.as_bytes();
            loop {
                match rest[end..].find('"') {
                    Some(i) if bytes.get(end + i + 1) == Some(&b'"') => end += i + 2,
                    Some(i) => {
                        end += i;
                        break;
                    }
                    None => {
                        end = rest.len();
                        break;
                    }
                }
            }
            let term = &rest[start..(end + 1).min(rest.len())];
            let is_prefix = bytes.get(end + 1) == Some(&b'*');
            let body = rest[body_start..end.min(rest.len())].replace("\"\"", "\"");
            let words: Option<Vec<String>> = if is_prefix && !body.contains(char::is_whitespace) {
                let lower = body.to_lowercase();
                let mut stmt = self.conn.prepare_cached(
                    "SELECT term FROM search_vocab WHERE term >= ?1 AND term < ?1 || char(1114111)
                     ORDER BY doc DESC LIMIT ?2",
                )?;
                let found: Vec<String> = stmt
                    .query_map(params![lower, (MAX_EXPANSION + 1) as i64], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                (!found.is_empty() && found.len() <= MAX_EXPANSION).then_some(found)
            } else {
                None
            };
            match words {
                Some(words) => {
                    let alternatives: Vec<String> = words
                        .iter()
                        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                        .collect();
                    out.push_str(&format!("({})", alternatives.join(" OR ")));
                    rest = &rest[(end + 2).min(rest.len())..];
                }
                None => {
                    out.push_str(term);
                    rest = &rest[(end + 1).min(rest.len())..];
                }
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The cases a record belongs to.
    pub fn cases_of(&self, record_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT case_id FROM record_cases WHERE record_id = ?1 ORDER BY case_id",
        )?;
        let rows = stmt.query_map([record_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (person id, name) for every name with a word whose key starts with
    /// `prefix`.
    pub fn names_with_key_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, name FROM person_name_keys WHERE key >= ?1 AND key < ?1 || '{'",
        )?;
        let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (person id, name) for every name with a word whose key is `key`.
    pub fn names_with_key(&self, key: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id, name FROM person_name_keys WHERE key = ?1")?;
        let rows = stmt.query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?;
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
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key FROM name_key_set WHERE len BETWEEN ?1 AND ?2")?;
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
                "SELECT count(*) FROM dbstat WHERE name LIKE 'search_fts%' OR name LIKE 'search_keys%'
                 OR name LIKE 'person_name_keys%'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(0);
        // SQLCipher answers this pragma as text.
        let page_size: i64 = self
            .conn
            .query_row("PRAGMA page_size", [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i,
                rusqlite::types::Value::Text(t) => t.parse().unwrap_or(0),
                _ => 0,
            })?;
        Ok((pages * page_size).max(0) as u64)
    }
}

/// FTS5 reports problems with the query as SQL errors; queries reach it
/// only through `fts_query`, which quotes everything, so one is a bug —
/// but the user still gets words, not SQL.
fn fts_error(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ffi::ErrorCode::Unknown) => {
            Error::invalid("query", crate::model::problem::ProblemCode::QuerySyntax)
        }
        _ => e.into(),
    }
}
