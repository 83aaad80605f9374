//! Form drafts, autosaved inside the encrypted vault as the user types, so
//! that a crash, a lock or a closed window loses nothing and no half-typed
//! testimony ever lands in the webview's storage.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Vault;
use super::store::timestamp;
use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// The largest draft kept: a long testimony with room to spare.
pub const MAX_DRAFT_BYTES: usize = 8 * 1024 * 1024;

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Draft {
    /// Which form (e.g. "testimony:case-svoik").
    pub key: String,
    /// The form's fields.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub data: serde_json::Value,
    /// When it was saved.
    pub saved_at: String,
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 200 || key.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(Error::invalid("draft", ProblemCode::DraftKeyFormat));
    }
    Ok(())
}

impl Vault {
    /// Saves (or replaces) the draft of one form.
    pub fn save_draft(&mut self, key: &str, data: &serde_json::Value) -> Result<()> {
        let now = self.now();
        check_key(key)?;
        let text =
            serde_json::to_string(data).map_err(|e| Error::Internal(format!("draft: {e}")))?;
        if text.len() > MAX_DRAFT_BYTES {
            return Err(Error::invalid(
                "draft",
                ProblemCode::TooLarge
                    .with("size_mb", text.len() >> 20)
                    .with("max_mb", MAX_DRAFT_BYTES >> 20),
            ));
        }
        self.conn.execute(
            "INSERT INTO drafts (key, data, saved_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
            params![key, text, timestamp(now)],
        )?;
        Ok(())
    }

    /// The draft of one form, if there is one.
    pub fn load_draft(&self, key: &str) -> Result<Option<Draft>> {
        check_key(key)?;
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT data, saved_at FROM drafts WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(data, saved_at)| {
            Ok(Draft {
                key: key.to_owned(),
                data: serde_json::from_str(&data)
                    .map_err(|_| Error::tampered("a stored draft is not valid JSON"))?,
                saved_at,
            })
        })
        .transpose()
    }

    /// Discards a draft (after the form was saved or cancelled).
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        check_key(key)?;
        self.conn
            .execute("DELETE FROM drafts WHERE key = ?1", [key])?;
        Ok(())
    }

    /// The keys of every saved draft, newest first.
    pub fn draft_keys(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key FROM drafts ORDER BY saved_at DESC")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
