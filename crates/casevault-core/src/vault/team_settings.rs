//! Team-space choices kept in the vault's `settings` table (no migration):
//! the invitations this vault's user declined, so a sync does not offer
//! them again, and how often the app syncs on its own.

use std::collections::BTreeSet;

use rusqlite::OptionalExtension;

use super::Vault;
use crate::model::problem::ProblemCode;
use crate::{Error, Result};

const DECLINED: &str = "sync_declined_invitations";
const INTERVAL: &str = "sync_interval_minutes";

/// Minutes between the app's timed syncs when the user never chose.
pub const DEFAULT_SYNC_INTERVAL: u32 = 15;
/// Allowed values for the timed sync's interval; 0 turns it off.
pub const SYNC_INTERVAL_RANGE: std::ops::RangeInclusive<u32> = 0..=1440;
/// How many declined invitations are remembered: a remote holds at most
/// 1024 invitations to one device, so this never forgets a live one.
const MAX_DECLINED: usize = 4096;

impl Vault {
    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn put_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// The invitations declined here, by the sync crate's offer id.
    pub fn declined_invitations(&self) -> Result<BTreeSet<String>> {
        match self.setting(DECLINED)? {
            None => Ok(BTreeSet::new()),
            Some(j) => serde_json::from_str(&j)
                .map_err(|_| Error::tampered("the stored declined invitations are malformed")),
        }
    }

    /// Remembers that the invitation `offer` (64 lowercase hex characters)
    /// was declined.
    pub fn decline_invitation(&mut self, offer: &str) -> Result<()> {
        if offer.len() != 64
            || !offer
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(Error::invalid(
                "offer",
                crate::model::problem::not_found("invitation", offer),
            ));
        }
        let mut declined = self.declined_invitations()?;
        if declined.len() >= MAX_DECLINED {
            return Err(Error::invalid(
                "offer",
                ProblemCode::OutOfRange
                    .with("min", 0)
                    .with("max", MAX_DECLINED),
            ));
        }
        declined.insert(offer.to_owned());
        let json = serde_json::to_string(&declined)
            .map_err(|e| Error::Internal(format!("declined invitations: {e}")))?;
        self.put_setting(DECLINED, &json)
    }

    /// Minutes between the app's timed syncs; 0 is off.
    pub fn sync_interval_minutes(&self) -> Result<u32> {
        match self.setting(INTERVAL)? {
            None => Ok(DEFAULT_SYNC_INTERVAL),
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| SYNC_INTERVAL_RANGE.contains(n))
                .ok_or_else(|| Error::tampered("the stored sync interval is malformed")),
        }
    }

    /// Sets the minutes between the app's timed syncs (0 turns them off).
    pub fn set_sync_interval_minutes(&mut self, minutes: u32) -> Result<()> {
        if !SYNC_INTERVAL_RANGE.contains(&minutes) {
            return Err(Error::invalid(
                "sync_interval_minutes",
                ProblemCode::OutOfRange
                    .with("min", SYNC_INTERVAL_RANGE.start())
                    .with("max", SYNC_INTERVAL_RANGE.end()),
            ));
        }
        self.put_setting(INTERVAL, &minutes.to_string())
    }
}
