//! Indexed reads through `record_cases` (migration 3), which the store
//! keeps in step with every write (`refs.rs`, by `Record::cases`): the
//! case list and the case view read only the rows they show, so they stay
//! fast at tens of thousands of cases.

use rusqlite::params;

use super::Vault;
use super::store::TrashedRecord;
use crate::{Error, Result};

/// One live case with its counts, as stored.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// Case id.
    pub id: String,
    /// Its data.
    pub data: serde_json::Value,
    /// When it last changed.
    pub updated_at: String,
    /// Live incidents in it.
    pub incidents: u32,
    /// Live people with a role in it.
    pub persons: u32,
}

fn parse(text: &str) -> Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|_| Error::tampered("a stored record is not valid JSON"))
}

impl Vault {
    /// Every live case with its counts, in the order stored.
    pub fn case_rows(&self) -> Result<Vec<CaseRow>> {
        // Two plain scans merged here beat one LEFT JOIN … GROUP BY, which
        // makes SQLite sort 100k+ link rows through a temporary b-tree.
        let mut counts: std::collections::HashMap<String, (u32, u32)> =
            std::collections::HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT case_id, sum(kind = 'incident'), sum(kind = 'person')
                 FROM record_cases WHERE trashed = 0 GROUP BY case_id",
            )?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))))?;
            for row in rows {
                let (id, c) = row?;
                counts.insert(id, c);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, data, updated_at FROM records
             WHERE kind = 'case' AND trashed_at IS NULL ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, data, updated_at) = row?;
            let (incidents, persons) = counts.get(&id).copied().unwrap_or_default();
            Ok(CaseRow {
                id,
                data: parse(&data)?,
                updated_at,
                incidents,
                persons,
            })
        })
        .collect()
    }

    /// (case id, name) for every name and alias of every live person with
    /// a role in a case.
    pub fn case_person_names(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT rc.case_id, json_extract(n.value, '$.name')
             FROM record_cases rc JOIN records p ON p.id = rc.record_id,
                  json_each(p.data, '$.names') n
             WHERE rc.kind = 'person' AND rc.trashed = 0",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (person id, name, is primary) for every name of every live person,
    /// grouped by person.
    pub fn person_names(&self) -> Result<Vec<(String, String, bool)>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.id, json_extract(n.value, '$.name'), json_extract(n.value, '$.kind') = 'primary'
             FROM records p, json_each(p.data, '$.names') n
             WHERE p.kind = 'person' AND p.trashed_at IS NULL ORDER BY p.rowid",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (kind, data) of the live records that belong to a case, in the
    /// order stored.
    pub fn case_records(&self, case_id: &str) -> Result<Vec<(String, serde_json::Value)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.kind, r.data FROM record_cases rc JOIN records r ON r.id = rc.record_id
             WHERE rc.case_id = ?1 AND rc.trashed = 0 ORDER BY r.rowid",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (kind, data) = row?;
            Ok((kind, parse(&data)?))
        })
        .collect()
    }

    /// The data of the live records of one kind in a case.
    pub fn case_records_of_kind(
        &self,
        case_id: &str,
        kind: &str,
    ) -> Result<Vec<serde_json::Value>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.data FROM record_cases rc JOIN records r ON r.id = rc.record_id
             WHERE rc.case_id = ?1 AND rc.kind = ?2 AND rc.trashed = 0 ORDER BY r.rowid",
        )?;
        let rows = stmt.query_map(params![case_id, kind], |r| r.get::<_, String>(0))?;
        rows.map(|row| parse(&row?)).collect()
    }

    /// Records of a case that are in the trash.
    pub fn case_trash(&self, case_id: &str) -> Result<Vec<TrashedRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.kind, r.data, r.trashed_at, r.trashed_by, r.trash_reason
             FROM record_cases rc JOIN records r ON r.id = rc.record_id
             WHERE rc.case_id = ?1 AND rc.trashed = 1 ORDER BY r.trashed_at DESC",
        )?;
        super::store::trashed_rows(&mut stmt, [case_id])
    }

    /// Live records linked to this case and to no other.
    pub fn records_only_in_case(&self, case_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT rc.record_id FROM record_cases rc
             WHERE rc.case_id = ?1 AND rc.trashed = 0
               AND NOT EXISTS (SELECT 1 FROM record_cases o
                               WHERE o.record_id = rc.record_id AND o.case_id <> ?1)",
        )?;
        let rows = stmt.query_map([case_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// (kind, data) of the given live records, skipping unknown ids.
    pub fn live_records_by_id(&self, ids: &[&str]) -> Result<Vec<(String, serde_json::Value)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, data FROM records WHERE id = ?1 AND trashed_at IS NULL",
        )?;
        let mut out = Vec::new();
        for id in ids {
            let mut rows = stmt.query(params![id])?;
            if let Some(r) = rows.next()? {
                out.push((r.get::<_, String>(0)?, parse(&r.get::<_, String>(1)?)?));
            }
        }
        Ok(out)
    }
}
