//! How an organisation names its staff in what leaves the vault. Custody
//! entries record the OS account that acted; a bundle carries the label
//! chosen here instead ("Caseworker, Vilnius office"), or "Staff member N"
//! when none was chosen, because a caseworker's login name is exactly what
//! an adversary would use to find them.

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;

use super::Vault;
use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// The settings key holding the labels as a JSON object.
const KEY: &str = "export_staff_labels";
/// The longest label accepted.
const MAX_LABEL_CHARS: usize = 60;

impl Vault {
    /// Labels by staff account, as set with [`Vault::set_staff_label`].
    pub fn staff_labels(&self) -> Result<BTreeMap<String, String>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get(0)
            })
            .optional()?;
        match json {
            None => Ok(BTreeMap::new()),
            Some(j) => serde_json::from_str(&j)
                .map_err(|_| Error::tampered("the stored staff labels are malformed")),
        }
    }

    /// Sets (or, with `None`, removes) the label that stands for `account`
    /// in exported custody trails.
    pub fn set_staff_label(&mut self, account: &str, label: Option<&str>) -> Result<()> {
        let account = account.trim();
        if account.is_empty() {
            return Err(Error::invalid("account", ProblemCode::Required));
        }
        let mut labels = self.staff_labels()?;
        match label.map(str::trim) {
            Some(l) if l.is_empty() || l.chars().count() > MAX_LABEL_CHARS => {
                return Err(Error::invalid(
                    "label",
                    ProblemCode::LengthRange.with("max", MAX_LABEL_CHARS),
                ));
            }
            Some(l) if l.chars().any(char::is_control) => {
                let c = l.chars().find(|c| c.is_control()).unwrap_or_default();
                return Err(Error::invalid(
                    "label",
                    crate::model::text::refusal_problem("", "", "", c),
                ));
            }
            Some(l) => {
                labels.insert(account.to_owned(), l.to_owned());
            }
            None => {
                labels.remove(account);
            }
        }
        let json = serde_json::to_string(&labels)
            .map_err(|e| Error::Internal(format!("staff labels: {e}")))?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [KEY, json.as_str()],
        )?;
        Ok(())
    }
}
