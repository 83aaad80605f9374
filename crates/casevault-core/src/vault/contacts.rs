//! Who bundles can be sealed to (contacts, each with a validated age or
//! ssh-ed25519 public key), and this vault's own age identities, for a
//! lawyer who receives bundles.
//!
//! A fingerprint is shown for every key so that people can compare it out
//! of band (by phone, in person) before trusting it, in the one format of
//! [`crate::crypto::fingerprint`] (`SHA256:…`, as `ssh-keygen -l` prints
//! it). It is computed from the key whenever it is read, so contacts added
//! before that format (whose stored column holds hex groups) show it too.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use zeroize::Zeroizing;

use super::Vault;
use super::store::timestamp;
use crate::crypto::recipient::{fingerprint, parse_recipient};
use crate::model::problem::{ProblemCode, not_found};
use crate::{Error, Result};

/// A recipient of bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Contact {
    /// Contact id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their organisation (a law firm, an NGO).
    pub organisation: Option<String>,
    /// The public key, as given.
    pub recipient: String,
    /// "age" or "ssh-ed25519".
    pub key_type: String,
    /// The key's fingerprint, to compare out of band.
    pub fingerprint: String,
    /// When the key was compared with its owner out of band.
    pub verified_on: Option<String>,
    /// When the contact was added.
    pub added_at: String,
}

/// This vault's own identity, public half only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentityInfo {
    /// Identity id.
    pub id: String,
    /// A label ("bundles from NGOs").
    pub label: String,
    /// The public key (`age1…`) to give to senders.
    pub recipient: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// When it was made.
    pub created_at: String,
}

/// What the user gave for a new contact.
#[derive(Debug, Clone, Copy)]
pub struct NewContact<'a> {
    /// Name (required).
    pub name: &'a str,
    /// Organisation.
    pub organisation: Option<&'a str>,
    /// The public key.
    pub key: &'a str,
    /// The date it was verified out of band ("2026-11-20").
    pub verified_on: Option<&'a str>,
}

/// A verification date, YYYY-MM-DD.
fn verified_date(text: &str) -> Result<String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| Error::invalid("verified_on", ProblemCode::DateFormat))
}

fn no_contact(id: &str) -> Error {
    Error::invalid("contact", not_found("contact", id))
}

fn new_id() -> Result<String> {
    Ok(data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<8>()?))
}

impl Vault {
    /// Adds a contact after checking every field; nothing is written when
    /// anything is wrong.
    pub fn add_contact(&mut self, c: NewContact<'_>) -> Result<Contact> {
        let actor = &self.actor();
        let now = self.now();
        let name = c.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid(
                "name",
                ProblemCode::LengthRange.with("max", 200),
            ));
        }
        let (recipient, key_type) = parse_recipient(c.key)?;
        let verified_on = match c.verified_on.map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => Some(verified_date(v)?),
        };
        let exists: Option<String> = self
            .conn
            .query_row(
                "SELECT name FROM contacts WHERE recipient = ?1",
                [&recipient],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = exists {
            return Err(Error::invalid(
                "key",
                ProblemCode::KeyAlreadyPresent.with("contact", other),
            ));
        }
        let contact = Contact {
            id: new_id()?,
            name: name.to_owned(),
            organisation: c
                .organisation
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned),
            fingerprint: fingerprint(&recipient),
            recipient,
            key_type: key_type.to_owned(),
            verified_on,
            added_at: timestamp(now),
        };
        self.conn.execute(
            "INSERT INTO contacts (id, name, organisation, recipient, key_type, fingerprint, verified_on, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                contact.id,
                contact.name,
                contact.organisation,
                contact.recipient,
                contact.key_type,
                contact.fingerprint,
                contact.verified_on,
                contact.added_at,
                actor
            ],
        )?;
        Ok(contact)
    }

    /// Every contact, by name.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, organisation, recipient, key_type, fingerprint, verified_on, added_at
             FROM contacts ORDER BY name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            let recipient: String = r.get(3)?;
            Ok(Contact {
                id: r.get(0)?,
                name: r.get(1)?,
                organisation: r.get(2)?,
                fingerprint: fingerprint(&recipient),
                recipient,
                key_type: r.get(4)?,
                verified_on: r.get(6)?,
                added_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that the contact's fingerprint was compared with its owner
    /// out of band, on `on` (YYYY-MM-DD) or else today. An unknown contact
    /// is refused and nothing changes.
    pub fn mark_contact_verified(&mut self, id: &str, on: Option<&str>) -> Result<Contact> {
        let now = self.now();
        let on = match on.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => verified_date(v)?,
            None => now.date_naive().to_string(),
        };
        if self.conn.execute(
            "UPDATE contacts SET verified_on = ?2 WHERE id = ?1",
            params![id, on],
        )? == 0
        {
            return Err(no_contact(id));
        }
        self.contacts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| no_contact(id))
    }

    /// Public keys for sealing: each entry is a contact id or a key as given.
    pub fn resolve_recipients(&self, ids_or_keys: &[String]) -> Result<Vec<String>> {
        let contacts = self.contacts()?;
        Ok(ids_or_keys
            .iter()
            .map(|r| {
                contacts
                    .iter()
                    .find(|c| &c.id == r)
                    .map(|c| c.recipient.clone())
                    .unwrap_or_else(|| r.clone())
            })
            .collect())
    }

    /// Removes a contact (bundles already sealed to them are unaffected).
    pub fn remove_contact(&mut self, id: &str) -> Result<()> {
        if self
            .conn
            .execute("DELETE FROM contacts WHERE id = ?1", [id])?
            == 0
        {
            return Err(no_contact(id));
        }
        Ok(())
    }

    /// Creates an age identity kept inside the vault; returns its public half.
    pub fn create_identity(&mut self, label: &str) -> Result<IdentityInfo> {
        let now = self.now();
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 200 {
            return Err(Error::invalid(
                "label",
                ProblemCode::LengthRange.with("max", 200),
            ));
        }
        let identity = age::x25519::Identity::generate();
        let secret = Zeroizing::new(identity.to_string().expose_secret().to_owned());
        let recipient = identity.to_public().to_string();
        let info = IdentityInfo {
            id: new_id()?,
            label: label.to_owned(),
            fingerprint: fingerprint(&recipient),
            recipient,
            created_at: timestamp(now),
        };
        self.conn.execute(
            "INSERT INTO identities (id, label, secret, recipient, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![info.id, info.label, secret.as_str(), info.recipient, info.created_at],
        )?;
        Ok(info)
    }

    /// Adds an existing age identity (`AGE-SECRET-KEY-1…`, as age-keygen
    /// writes it), so that a second machine of the same organisation can
    /// open what is sealed to its intake key. The secret is checked, kept
    /// only inside the encrypted database, and never shown again.
    pub fn import_identity(&mut self, label: &str, secret: &str) -> Result<IdentityInfo> {
        let now = self.now();
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 200 {
            return Err(Error::invalid(
                "label",
                ProblemCode::LengthRange.with("max", 200),
            ));
        }
        // An identity file may carry comment lines ("# created: …").
        let line = secret
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or_default();
        if line.starts_with("age1") {
            return Err(Error::invalid("key", ProblemCode::SecretKeyInvalid));
        }
        let identity = age::x25519::Identity::from_str(line)
            .map_err(|_| Error::invalid("key", ProblemCode::SecretKeyInvalid))?;
        let recipient = identity.to_public().to_string();
        if self.identities()?.iter().any(|i| i.recipient == recipient) {
            return Err(Error::invalid("key", ProblemCode::KeyAlreadyPresent));
        }
        let info = IdentityInfo {
            id: new_id()?,
            label: label.to_owned(),
            fingerprint: fingerprint(&recipient),
            recipient,
            created_at: timestamp(now),
        };
        let secret = Zeroizing::new(identity.to_string().expose_secret().to_owned());
        self.conn.execute(
            "INSERT INTO identities (id, label, secret, recipient, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![info.id, info.label, secret.as_str(), info.recipient, info.created_at],
        )?;
        Ok(info)
    }

    /// This vault's identities, public halves only.
    pub fn identities(&self) -> Result<Vec<IdentityInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, label, recipient, created_at FROM identities ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            let recipient: String = r.get(2)?;
            Ok(IdentityInfo {
                id: r.get(0)?,
                label: r.get(1)?,
                fingerprint: fingerprint(&recipient),
                recipient,
                created_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The secret identities, for decrypting bundles addressed to this vault.
    pub fn identity_secrets(&self) -> Result<Vec<age::x25519::Identity>> {
        let mut stmt = self.conn.prepare("SELECT secret FROM identities")?;
        let secrets: Vec<Zeroizing<String>> = stmt
            .query_map([], |r| r.get::<_, String>(0).map(Zeroizing::new))?
            .collect::<rusqlite::Result<_>>()?;
        secrets
            .iter()
            .map(|s| {
                age::x25519::Identity::from_str(s)
                    .map_err(|_| Error::tampered("a stored identity is not valid"))
            })
            .collect()
    }
}
