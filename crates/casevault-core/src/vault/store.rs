//! The versioned record store underneath the documentation model: every
//! record is a JSON document of a known kind, every amendment appends a
//! version with who, when and why, and deletion is a reversible trash.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Vault;
use crate::{Error, Result};

/// One stored record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRecord {
    /// Record id.
    pub id: String,
    /// Record kind ("case", "person", …).
    pub kind: String,
    /// Current version, from 1.
    pub version: u32,
    /// The current data.
    pub data: serde_json::Value,
    /// When and by whom it was created.
    pub created_at: String,
    /// Who created it.
    pub created_by: String,
    /// When it last changed.
    pub updated_at: String,
    /// Who last changed it.
    pub updated_by: String,
    /// Set while the record is in the trash.
    pub trashed_at: Option<String>,
}

pub(crate) fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Vault {
    /// Stores a new record and returns its id.
    pub fn insert_record(
        &mut self,
        kind: &str,
        data: &serde_json::Value,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        validate_kind(kind)?;
        let id = new_record_id()?;
        let text =
            serde_json::to_string(data).map_err(|e| Error::Internal(format!("record: {e}")))?;
        let at = timestamp(now);
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, 1, ?3, ?4, ?5, ?4, ?5)",
            params![id, kind, text, at, actor],
        )?;
        tx.execute(
            "INSERT INTO record_versions (record_id, version, data, changed_at, changed_by, change_note)
             VALUES (?1, 1, ?2, ?3, ?4, 'created')",
            params![id, text, at, actor],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Reads a record, trashed or not.
    pub fn get_record(&self, id: &str) -> Result<Option<StoredRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, kind, version, data, created_at, created_by, updated_at, updated_by, trashed_at
                 FROM records WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                },
            )
            .optional()?;
        row.map(
            |(
                id,
                kind,
                version,
                data,
                created_at,
                created_by,
                updated_at,
                updated_by,
                trashed_at,
            )| {
                Ok(StoredRecord {
                    id,
                    kind,
                    version,
                    data: serde_json::from_str(&data)
                        .map_err(|_| Error::tampered("a stored record is not valid JSON"))?,
                    created_at,
                    created_by,
                    updated_at,
                    updated_by,
                    trashed_at,
                })
            },
        )
        .transpose()
    }

    /// Stores many records with caller-chosen ids in one transaction: all
    /// or nothing. Used by import, which has validated the ids already.
    pub fn insert_records_with_ids(
        &mut self,
        records: &[(&str, &str, serde_json::Value)],
        actor: &str,
        now: DateTime<Utc>,
        note: &str,
    ) -> Result<()> {
        let at = timestamp(now);
        let tx = self.conn.transaction()?;
        {
            let mut rec = tx.prepare(
                "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?4, ?5)",
            )?;
            let mut ver = tx.prepare(
                "INSERT INTO record_versions (record_id, version, data, changed_at, changed_by, change_note)
                 VALUES (?1, 1, ?2, ?3, ?4, ?5)",
            )?;
            for (kind, id, data) in records {
                validate_kind(kind)?;
                let text = serde_json::to_string(data)
                    .map_err(|e| Error::Internal(format!("record: {e}")))?;
                rec.execute(params![id, kind, text, at, actor])?;
                ver.execute(params![id, text, at, actor, note])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The ids of every record, trashed or not.
    pub fn record_ids(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM records")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current data of every record of `kind` not in the trash, in the
    /// order they were stored (an import keeps its file order).
    pub fn records_of_kind(&self, kind: &str) -> Result<Vec<serde_json::Value>> {
        let mut stmt = self.conn.prepare(
            "SELECT data FROM records WHERE kind = ?1 AND trashed_at IS NULL ORDER BY rowid",
        )?;
        let rows = stmt.query_map([kind], |r| r.get::<_, String>(0))?;
        rows.map(|row| {
            serde_json::from_str(&row?)
                .map_err(|_| Error::tampered("a stored record is not valid JSON"))
        })
        .collect()
    }

    /// Record counts per kind, trash excluded.
    pub fn record_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, count(*) FROM records WHERE trashed_at IS NULL GROUP BY kind ORDER BY kind")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn validate_kind(kind: &str) -> Result<()> {
    if kind.is_empty()
        || kind.len() > 64
        || !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        return Err(Error::invalid(
            "kind",
            "a record kind is 1-64 lowercase letters or underscores",
        ));
    }
    Ok(())
}

/// A random 128-bit id in lowercase hex. Random rather than sequential so
/// that ids in an export reveal nothing about the size of the vault.
fn new_record_id() -> Result<String> {
    Ok(data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<16>()?))
}
