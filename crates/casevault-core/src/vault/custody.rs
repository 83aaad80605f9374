//! The custody log: an append-only, hash-chained record of everything done
//! to the evidence. Each entry says who, what, when, which record or
//! attachment, the SHA-256 of its content after the change, and the hash
//! of the previous entry; its own hash covers all of that.
//!
//! What it proves, and what it cannot (also in docs/SECURITY.md): someone
//! without the passphrase cannot read or alter it at all (SQLCipher). An
//! edit through Casevault always leaves an entry. Someone *with* the
//! passphrase and their own tools can rewrite the whole chain from the
//! point they change; the chain then only helps against them when its
//! head was recorded outside the device earlier (signed checkpoints in
//! export bundles). `audit verify` also recomputes every current record's
//! and attachment's digest, which catches an old database page spliced
//! back in, and rollback of a single record.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Vault;
use super::store::timestamp;
use crate::Result;

/// The schema version that introduced the log.
pub(crate) const SINCE_SCHEMA: u32 = 4;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CustodyAction {
    /// The vault was created.
    VaultCreated,
    /// Records that existed before the log were entered into it.
    Baseline,
    /// A record was created in a form.
    Create,
    /// A record came in through an import.
    Import,
    /// A record was amended.
    Amend,
    /// A record went to the trash.
    Trash,
    /// A record came back from the trash.
    Restore,
    /// A file was attached.
    Attach,
    /// An attachment was opened for viewing.
    OpenAttachment,
    /// A plaintext copy of an attachment was saved outside the vault.
    SaveCopy,
    /// Data left the vault (an export or a bundle).
    Export,
    /// A backup was written.
    Backup,
    /// The passphrase was changed.
    PassphraseChange,
    /// The recovery key was replaced.
    RecoveryKeyReplaced,
    /// Unlock attempts with a wrong credential since the last unlock.
    FailedUnlock,
    /// The log's head was signed with the organisation key.
    Checkpoint,
    /// A sealed self-report arrived in the intake inbox.
    IntakeReceive,
    /// A self-report was accepted into a case.
    IntakeAccept,
    /// A self-report was rejected, with the reason.
    IntakeReject,
}

impl CustodyAction {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::VaultCreated => "vault_created",
            Self::Baseline => "baseline",
            Self::Create => "create",
            Self::Import => "import",
            Self::Amend => "amend",
            Self::Trash => "trash",
            Self::Restore => "restore",
            Self::Attach => "attach",
            Self::OpenAttachment => "open_attachment",
            Self::SaveCopy => "save_copy",
            Self::Export => "export",
            Self::Backup => "backup",
            Self::PassphraseChange => "passphrase_change",
            Self::RecoveryKeyReplaced => "recovery_key_replaced",
            Self::FailedUnlock => "failed_unlock",
            Self::Checkpoint => "checkpoint",
            Self::IntakeReceive => "intake_receive",
            Self::IntakeAccept => "intake_accept",
            Self::IntakeReject => "intake_reject",
        }
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CustodyEntry {
    /// Position in the chain, from 1.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (a [`CustodyAction`] code).
    pub action: String,
    /// Which record or attachment.
    pub target: Option<String>,
    /// "case", "person", …, or "attachment".
    pub target_kind: Option<String>,
    /// SHA-256 of the content after this entry.
    pub digest: Option<String>,
    /// Why, or what else is worth knowing (a reason, a file name).
    pub detail: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// One thing `audit verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditProblem {
    /// The log entry concerned, when there is one.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seq: Option<u64>,
    /// The record or attachment concerned.
    pub target: Option<String>,
    /// What is wrong.
    pub problem: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditReport {
    /// Entries in the log.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// The hash of the last entry: what a signed checkpoint records.
    pub head_hash: String,
    /// The first entry whose link is broken, if any.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub first_broken_link: Option<u64>,
    /// Records checked against their latest entry.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records_checked: u64,
    /// Attachments checked (their bytes decrypted and hashed).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachments_checked: u64,
    /// Every problem, in the order found. Empty means all is well.
    pub problems: Vec<AuditProblem>,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

/// What an entry says, before it is chained.
pub(crate) struct NewEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: CustodyAction,
    pub target: Option<&'a str>,
    pub target_kind: Option<&'a str>,
    pub digest: Option<String>,
    pub detail: Option<&'a str>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn entry_hash(
    seq: u64,
    at: &str,
    actor: &str,
    action: &str,
    target: Option<&str>,
    target_kind: Option<&str>,
    digest: Option<&str>,
    detail: Option<&str>,
    prev_hash: &str,
) -> String {
    // A JSON array is an unambiguous encoding of the fields: no separator
    // inside a value can shift a boundary.
    let canonical = serde_json::json!([
        seq,
        at,
        actor,
        action,
        target,
        target_kind,
        digest,
        detail,
        prev_hash
    ]);
    sha256_hex(canonical.to_string().as_bytes())
}

/// Appends an entry. Call inside the transaction that makes the change, so
/// the change and its entry commit together or not at all.
pub(crate) fn append(conn: &Connection, e: NewEntry<'_>) -> Result<()> {
    let last: Option<(u64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM custody_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(e.at);
    let action = e.action.code();
    let hash = entry_hash(
        seq,
        &at,
        e.actor,
        action,
        e.target,
        e.target_kind,
        e.digest.as_deref(),
        e.detail,
        &prev,
    );
    conn.prepare_cached(
        "INSERT INTO custody_log (seq, at, actor, action, target, target_kind, digest, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        seq as i64,
        at,
        e.actor,
        action,
        e.target,
        e.target_kind,
        e.digest,
        e.detail,
        prev,
        hash
    ])?;
    Ok(())
}

/// Enters records that predate the log (a vault migrated from schema 3 or
/// older) with a baseline entry each, once.
pub(crate) fn ensure_baseline(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    let empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM custody_log)", [], |r| {
        r.get(0)
    })?;
    if !empty {
        return Ok(());
    }
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare("SELECT id, kind, data FROM records ORDER BY rowid")?;
        let rows: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, kind, data) in rows {
            append(
                &tx,
                NewEntry {
                    at: now,
                    actor: "casevault",
                    action: CustodyAction::Baseline,
                    target: Some(&id),
                    target_kind: Some(&kind),
                    digest: Some(sha256_hex(data.as_bytes())),
                    detail: Some("recorded when the custody log was introduced"),
                },
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn read_entries(conn: &Connection, target: Option<&str>) -> Result<Vec<CustodyEntry>> {
    let sql = "SELECT seq, at, actor, action, target, target_kind, digest, detail, prev_hash, hash
               FROM custody_log WHERE ?1 IS NULL OR target = ?1 ORDER BY seq";
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([target], |r| {
        Ok(CustodyEntry {
            seq: r.get::<_, i64>(0)?.max(0) as u64,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            target_kind: r.get(5)?,
            digest: r.get(6)?,
            detail: r.get(7)?,
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Vault {
    /// The log, or the entries about one record or attachment.
    pub fn custody_log(&self, target: Option<&str>) -> Result<Vec<CustodyEntry>> {
        read_entries(&self.conn, target)
    }

    /// Records an event that changes nothing in the vault itself (an
    /// export, a backup) in the log.
    pub fn log_event(
        &mut self,
        action: CustodyAction,
        target: Option<&str>,
        detail: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        append(
            &self.conn,
            NewEntry {
                at: now,
                actor,
                action,
                target,
                target_kind: None,
                digest: None,
                detail,
            },
        )
    }

    /// Walks the chain and reports the first broken link, then checks that
    /// every record's current data (and, with `deep`, every attachment's
    /// bytes) matches the digest of its latest entry.
    pub fn audit_verify(
        &self,
        deep: bool,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<AuditReport> {
        let entries = read_entries(&self.conn, None)?;
        let mut problems = Vec::new();
        let mut first_broken_link = None;
        let mut prev = GENESIS.to_owned();
        let mut latest: HashMap<&str, &CustodyEntry> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let expected_seq = i as u64 + 1;
            let recomputed = entry_hash(
                e.seq,
                &e.at,
                &e.actor,
                &e.action,
                e.target.as_deref(),
                e.target_kind.as_deref(),
                e.digest.as_deref(),
                e.detail.as_deref(),
                &e.prev_hash,
            );
            let problem = if e.seq != expected_seq {
                Some(format!(
                    "entry {expected_seq} is missing (the next one is {})",
                    e.seq
                ))
            } else if e.prev_hash != prev {
                Some("does not link to the entry before it".to_owned())
            } else if e.hash != recomputed {
                Some("its content was changed after it was written".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem
                && first_broken_link.is_none()
            {
                first_broken_link = Some(e.seq);
                problems.push(AuditProblem {
                    seq: Some(e.seq),
                    target: e.target.clone(),
                    problem: format!("custody log entry {}: {problem}", e.seq),
                });
            }
            prev = e.hash.clone();
            if let (Some(t), Some(_)) = (&e.target, &e.digest) {
                latest.insert(t.as_str(), e);
            }
        }

        let mut stmt = self
            .conn
            .prepare("SELECT id, data FROM records ORDER BY rowid")?;
        let records: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, data) in &records {
            match latest.get(id.as_str()) {
                None => problems.push(AuditProblem {
                    seq: None,
                    target: Some(id.clone()),
                    problem: format!("record \"{id}\" has no custody log entry"),
                }),
                Some(e) if e.digest.as_deref() != Some(&sha256_hex(data.as_bytes())) => {
                    problems.push(AuditProblem {
                        seq: Some(e.seq),
                        target: Some(id.clone()),
                        problem: format!(
                            "record \"{id}\" does not match its latest custody entry ({}): it was changed outside Casevault or rolled back",
                            e.seq
                        ),
                    })
                }
                Some(_) => {}
            }
        }

        let attachments = self.all_attachments()?;
        let total: u64 = attachments.iter().map(|a| a.size).sum();
        let mut done = 0u64;
        for a in &attachments {
            match latest.get(a.id.as_str()) {
                Some(e) if e.digest.as_deref() == Some(a.sha256.as_str()) => {}
                _ => problems.push(AuditProblem {
                    seq: None,
                    target: Some(a.id.clone()),
                    problem: format!(
                        "attachment \"{}\" does not match its intake entry in the custody log",
                        a.original_name
                    ),
                }),
            }
            if deep {
                if let Err(e) = self.verify_attachment_bytes(a, |n| progress(done + n, total)) {
                    problems.push(AuditProblem {
                        seq: None,
                        target: Some(a.id.clone()),
                        problem: e.to_string(),
                    });
                }
                done += a.size;
            }
        }
        Ok(AuditReport {
            entries: entries.len() as u64,
            head_hash: prev,
            first_broken_link,
            records_checked: records.len() as u64,
            attachments_checked: if deep { attachments.len() as u64 } else { 0 },
            problems,
        })
    }
}

/// The digest a record's log entry carries.
pub(crate) fn record_digest(data_text: &str) -> String {
    sha256_hex(data_text.as_bytes())
}

#[cfg(test)]
mod tests {
    //! Tampering here goes around Casevault with raw SQL on the unlocked
    //! database: what someone holding the passphrase could do with their
    //! own tools.

    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;

    fn vault_with_entries(dir: &std::path::Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("custody test passphrase: harbour quartz 1997");
        let (mut vault, _) = Vault::create(dir, &pass, &options, Utc::now()).unwrap();
        for i in 0..5 {
            vault
                .insert_record("note", &serde_json::json!({ "n": i }), "t", Utc::now())
                .unwrap();
        }
        vault
    }

    fn raw(vault: &Vault, sql: &str) {
        vault
            .conn
            .execute_batch(&format!(
                "DROP TRIGGER IF EXISTS custody_log_no_update;
                 DROP TRIGGER IF EXISTS custody_log_no_delete; {sql}"
            ))
            .unwrap();
    }

    #[test]
    fn an_intact_chain_verifies_and_the_log_refuses_updates() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.entries, 6);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let err = vault
            .conn
            .execute("UPDATE custody_log SET actor = 'x' WHERE seq = 2", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        assert!(vault.conn.execute("DELETE FROM custody_log", []).is_err());
    }

    #[test]
    fn an_edited_entry_is_the_first_broken_link() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        raw(
            &vault,
            "UPDATE custody_log SET actor = 'someone else' WHERE seq = 3",
        );
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, Some(3));
        assert!(
            report.problems[0].problem.contains("entry 3"),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn a_removed_entry_is_reported_where_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        raw(&vault, "DELETE FROM custody_log WHERE seq = 4");
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, Some(5));
        assert!(report.problems[0].problem.contains("entry 4 is missing"));
    }

    #[test]
    fn a_rewritten_chain_still_shows_records_that_do_not_match_it() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        // A record changed behind Casevault's back (or an old page spliced
        // back in): its data no longer matches its latest entry.
        raw(
            &vault,
            r#"UPDATE records SET data = '{"n":99}' WHERE rowid = 2"#,
        );
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, None);
        assert_eq!(report.problems.len(), 1);
        assert!(
            report.problems[0]
                .problem
                .contains("does not match its latest custody entry")
        );
    }
}
