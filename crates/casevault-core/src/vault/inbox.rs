//! What arrives from outside, as stored: the intake inbox of sealed
//! self-reports (received, then accepted into a case or rejected), and the
//! records and evidence of an imported bundle. Each step lands in one
//! transaction with its custody entry. The reading and checking of the
//! files themselves is `bundle/`'s; nothing here parses a bundle.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Vault;
use super::attachments::{register_blob, register_received};
use super::blobs::StoredBlob;
use super::custody::{self, CustodyAction, NewEntry};
use super::self_reports::ReportFile;
use super::store::{amend_in, insert_records_in, timestamp};
use crate::bundle::seal::SealedReport;
use crate::model::date::FuzzyDate;
use crate::model::interchange::Document;
use crate::{Error, Result};

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum IntakeStatus {
    /// Waiting for review.
    Pending,
    /// Accepted into a case.
    Accepted,
    /// Rejected, with a reason.
    Rejected,
}

/// One row of the inbox, as stored: the report's records (`data`) and
/// answers (`report`) are the JSON kept when it was received.
#[derive(Debug, Clone)]
pub(crate) struct InboxRow {
    pub bundle_id: String,
    pub received_at: String,
    pub sealed_at: String,
    pub reporter_fingerprint: String,
    pub status: IntakeStatus,
    pub case_id: Option<String>,
    pub reason: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    /// Reports received earlier with the same reporter key.
    pub earlier_reports: u32,
    pub data: String,
    pub report: String,
}

/// Which rows of the inbox to read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum InboxFilter<'a> {
    /// Every report.
    All,
    /// One report, by bundle id.
    Bundle(&'a str),
    /// Every report signed with this reporter key.
    Reporter(&'a str),
}

/// A sealed report just read and verified, to file in the inbox.
pub(crate) struct ReceivedReport<'a> {
    pub bundle_id: &'a str,
    pub sealed_at: &'a str,
    pub reporter_fingerprint: &'a str,
    pub reporter_key: &'a str,
    /// The report's records, as JSON.
    pub data: &'a str,
    /// Its answers and files, as JSON.
    pub report: &'a str,
    pub files: usize,
    /// The vault's copy of the sealed file, written and synced, and where
    /// it is kept once the row is in.
    pub copy: &'a Path,
    pub kept_at: &'a Path,
}

/// An accepted report's records and evidence, validated and retargeted.
pub(crate) struct AcceptedReport<'a> {
    pub bundle_id: &'a str,
    pub case_id: &'a str,
    pub rows: &'a [(&'a str, &'a str, serde_json::Value)],
    /// An existing person who is the reporter, and their new version when
    /// the report changes them.
    pub person: Option<(&'a str, Option<String>)>,
    /// Each evidence file with what the reporter said about it, and the
    /// note it is filed under.
    pub files: Vec<(StoredBlob, &'a ReportFile, String)>,
}

/// One evidence file of an imported bundle, filed to `record`.
pub(crate) struct ReceivedFile<'a> {
    pub blob: &'a StoredBlob,
    pub record: &'a str,
    pub name: &'a str,
    pub note: &'a str,
    pub detail: &'a str,
}

impl Vault {
    /// Reads inbox rows, newest first.
    pub(crate) fn inbox_rows(&self, filter: InboxFilter<'_>) -> Result<Vec<InboxRow>> {
        let (clause, arg) = match filter {
            InboxFilter::All => ("WHERE ?1 IS NULL", None),
            InboxFilter::Bundle(id) => ("WHERE i.bundle_id = ?1", Some(id)),
            InboxFilter::Reporter(fp) => ("WHERE i.reporter_fingerprint = ?1", Some(fp)),
        };
        let sql = format!(
            "SELECT bundle_id, received_at, sealed_at, reporter_fingerprint, status, case_id, reason,
                    decided_at, decided_by, data, report,
                    (SELECT count(*) FROM intake_inbox e
                      WHERE e.reporter_fingerprint = i.reporter_fingerprint
                        AND (e.received_at < i.received_at
                             OR (e.received_at = i.received_at AND e.rowid < i.rowid)))
             FROM intake_inbox i {clause} ORDER BY i.received_at DESC, i.bundle_id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([arg], |r| {
            let status: String = r.get(4)?;
            Ok(InboxRow {
                bundle_id: r.get(0)?,
                received_at: r.get(1)?,
                sealed_at: r.get(2)?,
                reporter_fingerprint: r.get(3)?,
                status: match status.as_str() {
                    "accepted" => IntakeStatus::Accepted,
                    "rejected" => IntakeStatus::Rejected,
                    _ => IntakeStatus::Pending,
                },
                case_id: r.get(5)?,
                reason: r.get(6)?,
                decided_at: r.get(7)?,
                decided_by: r.get(8)?,
                earlier_reports: r.get::<_, i64>(11)? as u32,
                data: r.get(9)?,
                report: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Files a received report as pending, with its custody entry, and
    /// moves the vault's copy of the sealed file to where it is kept: the
    /// row and the file appear together or not at all.
    pub(crate) fn file_received_report(
        &mut self,
        r: ReceivedReport<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO intake_inbox (bundle_id, received_at, received_by, sealed_at, reporter_fingerprint, reporter_key, data, report, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            params![
                r.bundle_id,
                timestamp(now),
                actor,
                r.sealed_at,
                r.reporter_fingerprint,
                r.reporter_key,
                r.data,
                r.report
            ],
        )?;
        custody::append(
            &tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::IntakeReceive,
                target: Some(r.bundle_id),
                target_kind: Some("intake"),
                digest: Some(crate::crypto::hash::sha256_hex(r.data.as_bytes())),
                detail: Some(&format!(
                    "self-report {} signed by reporter key {}, {} file(s)",
                    r.bundle_id, r.reporter_fingerprint, r.files
                )),
            },
        )?;
        std::fs::rename(r.copy, r.kept_at).map_err(|e| Error::io("rename", r.kept_at, e))?;
        tx.commit()?;
        Ok(())
    }

    /// Accepts a pending report in one transaction: its records, the
    /// reporter's new version, its evidence and the decision land together
    /// or not at all. The blobs are kept only once it is committed.
    pub(crate) fn file_accepted_report(
        &mut self,
        a: AcceptedReport<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_records_in(&tx, a.rows, actor, now, "imported")?;
        if let Some((person, Some(data))) = &a.person {
            amend_in(
                &tx,
                person,
                data,
                actor,
                now,
                &format!("reporter of self-report {}", a.bundle_id),
            )?;
        }
        for (blob, file, note) in &a.files {
            register_blob(&tx, blob, a.case_id, file, note, actor, now)?;
        }
        tx.execute(
            "UPDATE intake_inbox SET status = 'accepted', case_id = ?2, decided_at = ?3, decided_by = ?4
             WHERE bundle_id = ?1 AND status = 'pending'",
            params![a.bundle_id, a.case_id, timestamp(now), actor],
        )?;
        custody::append(
            &tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::IntakeAccept,
                target: Some(a.bundle_id),
                target_kind: Some("intake"),
                digest: None,
                detail: Some(&format!(
                    "accepted into case {}{} with {} file(s)",
                    a.case_id,
                    a.person
                        .as_ref()
                        .map(|(p, _)| format!(", reporter is person {p}"))
                        .unwrap_or_default(),
                    a.files.len()
                )),
            },
        )?;
        tx.commit()?;
        for (blob, _, _) in a.files {
            blob.keep();
        }
        Ok(())
    }

    /// Rejects a pending report with its reason and a custody entry.
    pub(crate) fn file_rejected_report(
        &mut self,
        bundle_id: &str,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE intake_inbox SET status = 'rejected', reason = ?2, decided_at = ?3, decided_by = ?4
             WHERE bundle_id = ?1 AND status = 'pending'",
            params![bundle_id, reason, timestamp(now), actor],
        )?;
        custody::append(
            &tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::IntakeReject,
                target: Some(bundle_id),
                target_kind: Some("intake"),
                digest: None,
                detail: Some(reason),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Files an imported bundle in one transaction: its records, each
    /// evidence file with an import entry, and `summary` as the custody
    /// entry of the import itself, on `provenance` (the bundle's source
    /// record). The blobs are the caller's to keep once this returns.
    pub(crate) fn file_imported_bundle(
        &mut self,
        rows: &[(&str, &str, serde_json::Value)],
        files: &[ReceivedFile<'_>],
        provenance: &str,
        summary: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_records_in(&tx, rows, actor, now, "imported")?;
        for f in files {
            register_received(&tx, f.blob, f.record, f.name, f.note, f.detail, actor, now)?;
        }
        custody::append(
            &tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::Import,
                target: Some(provenance),
                target_kind: None,
                digest: None,
                detail: Some(summary),
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Migration 8: gives each testimony of a report accepted before consent
/// was carried faithfully the consent its reporter gave (the answers kept
/// in the inbox, on the day it was sealed), as a new version with a
/// custody entry. A testimony amended since it was accepted is left alone:
/// a caseworker's later change is theirs to answer for. Rows that cannot
/// be read are skipped rather than lock the vault out of its upgrade.
pub(crate) fn repair_consent(tx: &rusqlite::Transaction<'_>, now: DateTime<Utc>) -> Result<()> {
    let accepted: Vec<(String, String, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT bundle_id, sealed_at, report, data FROM intake_inbox
             WHERE status = 'accepted' ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (bundle_id, sealed_at, report, data) in accepted {
        let (Ok(report), Ok(doc)) = (
            serde_json::from_str::<SealedReport>(&report),
            serde_json::from_str::<Document>(&data),
        ) else {
            continue;
        };
        let Some(sealed_on) = DateTime::parse_from_rfc3339(&sealed_at).ok().and_then(|d| {
            d.date_naive()
                .format("%Y-%m-%d")
                .to_string()
                .parse::<FuzzyDate>()
                .ok()
        }) else {
            continue;
        };
        let consent = report.answers.statement_consent(sealed_on);
        for t in &doc.testimonies {
            let stored: Option<(u32, String)> = tx
                .query_row(
                    "SELECT version, data FROM records
                     WHERE id = ?1 AND kind = 'testimony' AND trashed_at IS NULL",
                    [&t.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((1, stored)) = stored else {
                continue;
            };
            let Ok(mut testimony) =
                serde_json::from_str::<crate::model::records::Testimony>(&stored)
            else {
                continue;
            };
            if testimony.consent == consent {
                continue;
            }
            testimony.consent = consent.clone();
            let data =
                serde_json::to_string(&testimony).map_err(|e| Error::Internal(e.to_string()))?;
            amend_in(
                tx,
                &t.id,
                &data,
                "casevault upgrade",
                now,
                &format!(
                    "consent as the reporter gave it in self-report {bundle_id} (an earlier version recorded more)"
                ),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// `bundle/` reads and writes file formats; what it stores goes
    /// through the typed functions above, so that the vault's tables have
    /// one owner. Read from the sources, so a query slipped back into
    /// `bundle/` fails here.
    #[test]
    fn bundle_modules_hold_no_sql() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bundle");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for needle in [
                "rusqlite",
                ".conn",
                ".execute(",
                ".prepare(",
                ".prepare_cached(",
                ".query_row(",
                ".transaction(",
            ] {
                assert!(
                    !text.contains(needle),
                    "{} uses {needle}; move the SQL into vault/",
                    path.display()
                );
            }
            checked += 1;
        }
        assert!(
            checked >= 10,
            "only {checked} files read from {}",
            dir.display()
        );
    }
}
