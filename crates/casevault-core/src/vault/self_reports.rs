//! The activist's side: the vault's mode, and self-reports in progress
//! with their files, kept until the activist seals them and decides to
//! keep or securely delete their copy.
//!
//! Reports are not records. They carry no custody entries or version
//! history, so that a securely deleted report leaves nothing behind in the
//! vault: its rows are deleted with SQLite's `secure_delete` (freed space
//! is zeroed), its files are overwritten and removed, and the database is
//! vacuumed so no page of it survives in the free list.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Vault;
use super::blobs::{AttachmentReader, BlobRef, FileFacts, query_files};
use super::store::timestamp;
use crate::evidence::{Capture, OutsideFile, source_error};
use crate::model::problem::{ProblemCode, not_found};
use crate::model::self_report::SelfReport;
use crate::{Error, Result};

/// Who the vault is for, chosen when it is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VaultMode {
    /// An organisation's case vault: caseworkers document, receive
    /// self-reports and export for lawyers.
    Organisation,
    /// A lawyer's vault: the same case vault, centred on the bundles an
    /// organisation sends; no intake inbox, no export for a lawyer.
    Lawyer,
    /// One person's private vault for reporting what happened to them.
    SelfReport,
}

impl VaultMode {
    fn code(self) -> &'static str {
        match self {
            VaultMode::Organisation => "organisation",
            VaultMode::Lawyer => "lawyer",
            VaultMode::SelfReport => "self_report",
        }
    }

    /// Whether the vault holds cases (an organisation's or a lawyer's), as
    /// opposed to one person's self-reports.
    pub fn holds_cases(self) -> bool {
        !matches!(self, VaultMode::SelfReport)
    }
}

/// The most files one report may carry.
pub const MAX_REPORT_FILES: usize = 200;

/// A report in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportSummary {
    /// Report id.
    pub id: String,
    /// Started.
    pub created_at: String,
    /// Last saved.
    pub updated_at: String,
    /// Files attached.
    pub files: u32,
    /// When it was last sealed, if ever.
    pub last_sealed_at: Option<String>,
}

/// A file attached to a report, as hashed at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReportFile {
    /// File id.
    pub id: String,
    /// Its name when attached (sanitised).
    pub original_name: String,
    /// Size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// Detected media type.
    pub media_type: String,
    /// Capture metadata the file carried.
    pub capture: Capture,
    /// When it was attached.
    pub added_at: String,
    /// "file", or "mvt" for a mobile verification toolkit report.
    pub kind: String,
    /// What the file says, for an MVT report.
    pub note: Option<String>,
}

impl ReportFile {
    fn from_row(f: FileFacts, kind: String) -> Self {
        ReportFile {
            id: f.id,
            original_name: f.original_name,
            size: f.size,
            sha256: f.sha256,
            media_type: f.media_type,
            capture: f.capture,
            added_at: f.added_at,
            kind,
            note: f.note,
        }
    }

    /// Its bytes in the blob store, with what they must hash to.
    pub(crate) fn blob(&self) -> BlobRef<'_> {
        BlobRef {
            id: &self.id,
            name: &self.original_name,
            sha256: &self.sha256,
            size: self.size,
        }
    }
}

/// A report with its answers and files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredReport {
    /// The list entry.
    pub summary: ReportSummary,
    /// The answers so far.
    pub answers: SelfReport,
    /// The files.
    pub files: Vec<ReportFile>,
}

fn no_report(id: &str) -> Error {
    Error::invalid("report", not_found("report", id))
}

impl Vault {
    /// The vault's mode.
    pub fn mode(&self) -> Result<VaultMode> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'vault_mode'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match value.as_deref() {
            None | Some("organisation") => Ok(VaultMode::Organisation),
            Some("lawyer") => Ok(VaultMode::Lawyer),
            Some("self_report") => Ok(VaultMode::SelfReport),
            Some(other) => Err(Error::tampered(format!(
                "the vault's mode \"{other}\" is not one this version knows"
            ))),
        }
    }

    /// Sets the mode. An organisation's vault and a lawyer's hold the same
    /// records and may change into each other at any time (the purpose
    /// only shapes what the app shows); to or from a self-report vault
    /// only while the vault holds nothing, so a case vault never turns into
    /// a self-report vault by accident.
    pub fn set_mode(&mut self, mode: VaultMode) -> Result<()> {
        let current = self.mode()?;
        if current == mode {
            return Ok(());
        }
        if current.holds_cases() && mode.holds_cases() {
            self.write_mode(mode)?;
            return Ok(());
        }
        let used: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM records) + (SELECT count(*) FROM self_reports)
                  + (SELECT count(*) FROM intake_inbox)",
            [],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(Error::invalid("mode", ProblemCode::ModeFixed));
        }
        self.write_mode(mode)
    }

    fn write_mode(&mut self, mode: VaultMode) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('vault_mode', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [mode.code()],
        )?;
        Ok(())
    }

    /// Starts a new, empty report.
    pub fn create_report(&mut self) -> Result<StoredReport> {
        let now = self.now();
        let id = data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<16>()?);
        let answers = SelfReport::default();
        self.conn.execute(
            "INSERT INTO self_reports (id, answers, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![id, answers.check_draft()?, timestamp(now)],
        )?;
        self.report(&id)
    }

    /// Saves the answers so far (every step saves).
    pub fn save_report(&mut self, id: &str, answers: &SelfReport) -> Result<ReportSummary> {
        let now = self.now();
        let text = answers.check_draft()?;
        let n = self.conn.execute(
            "UPDATE self_reports SET answers = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, text, timestamp(now)],
        )?;
        if n == 0 {
            return Err(no_report(id));
        }
        self.summaries("WHERE r.id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| no_report(id))
    }

    /// Every report, newest first.
    pub fn reports(&self) -> Result<Vec<ReportSummary>> {
        self.summaries("WHERE ?1 IS NULL", None)
    }

    fn summaries(&self, filter: &str, arg: Option<&str>) -> Result<Vec<ReportSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.id, r.created_at, r.updated_at,
                    (SELECT count(*) FROM self_report_files f WHERE f.report_id = r.id),
                    (SELECT max(sealed_at) FROM self_report_seals s WHERE s.report_id = r.id)
             FROM self_reports r {filter} ORDER BY r.updated_at DESC, r.id"
        ))?;
        let rows = stmt.query_map([arg], |r| {
            Ok(ReportSummary {
                id: r.get(0)?,
                created_at: r.get(1)?,
                updated_at: r.get(2)?,
                files: r.get::<_, i64>(3)? as u32,
                last_sealed_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One report with its answers and files.
    pub fn report(&self, id: &str) -> Result<StoredReport> {
        let answers: String = self
            .conn
            .query_row(
                "SELECT answers FROM self_reports WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| no_report(id))?;
        let answers: SelfReport = serde_json::from_str(&answers)
            .map_err(|e| Error::tampered(format!("a stored report is not valid: {e}")))?;
        let summary = self
            .summaries("WHERE r.id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| no_report(id))?;
        Ok(StoredReport {
            summary,
            answers,
            files: self.report_files(id)?,
        })
    }

    /// The files of one report, in the order they were attached.
    pub fn report_files(&self, id: &str) -> Result<Vec<ReportFile>> {
        Ok(query_files(
            &self.conn,
            "kind",
            "self_report_files WHERE report_id = ?1",
            Some(id),
            |r, i| r.get(i),
        )?
        .into_iter()
        .map(|(facts, kind)| ReportFile::from_row(facts, kind))
        .collect())
    }

    /// Attaches a screenshot, photo or document to a report: encrypted as
    /// it streams in, hashed at intake. `kind` is "file" or "mvt".
    pub fn attach_to_report(
        &mut self,
        id: &str,
        source: &Path,
        kind: &str,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<ReportFile> {
        let now = self.now();
        self.report(id)?;
        if self.report_files(id)?.len() >= MAX_REPORT_FILES {
            return Err(Error::invalid(
                "file",
                ProblemCode::TooManyFiles.with("max", MAX_REPORT_FILES),
            ));
        }
        let mut outside = OutsideFile::open(source)?;
        // An MVT report is read into memory once: summed up, then stored
        // from those same bytes.
        let (note, mvt) = match kind {
            "file" => (None, None),
            "mvt" => {
                if outside.len > crate::model::mvt::MAX_MVT_BYTES as u64 {
                    return Err(Error::invalid(
                        "file",
                        ProblemCode::NotMvt.with("detail", "larger than 64 MiB"),
                    ));
                }
                // Read no more than the size checked above (plus one byte
                // to notice more): /dev/zero and FIFOs say 0 and never end,
                // and a file can grow while it is read.
                let mut bytes =
                    zeroize::Zeroizing::new(Vec::with_capacity(outside.len as usize + 1));
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(&mut outside.file, outside.len + 1),
                    &mut bytes,
                )
                .map_err(|e| source_error(source, e))?;
                if bytes.len() as u64 != outside.len {
                    return Err(Error::invalid(
                        "file",
                        ProblemCode::NotMvt
                            .with("detail", "larger than 64 MiB, or not a plain file"),
                    ));
                }
                (
                    Some(crate::model::mvt::summarise(&bytes)?.line()),
                    Some(bytes),
                )
            }
            other => {
                return Err(Error::invalid(
                    "kind",
                    ProblemCode::NotOneOf
                        .with("value", other)
                        .with("allowed", "file, mvt"),
                ));
            }
        };
        let blob = match &mvt {
            Some(bytes) => self.store_encrypted(
                &mut &bytes[..],
                outside.len,
                &|e| source_error(source, e),
                &mut progress,
            )?,
            None => self.store_encrypted(
                &mut outside.file,
                outside.len,
                &|e| source_error(source, e),
                &mut progress,
            )?,
        };
        let f = ReportFile {
            id: blob.id.clone(),
            original_name: outside.name,
            size: blob.size,
            sha256: blob.sha256.clone(),
            media_type: blob.media_type(),
            capture: blob.capture(),
            added_at: timestamp(now),
            kind: kind.to_owned(),
            note,
        };
        let capture = f.capture.to_column()?;
        self.conn.execute(
            "INSERT INTO self_report_files (id, report_id, original_name, size, sha256, media_type, capture, added_at, kind, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![f.id, id, f.original_name, f.size as i64, f.sha256, f.media_type, capture, f.added_at, f.kind, f.note],
        )?;
        blob.keep();
        Ok(f)
    }

    /// Removes one file from a report, overwriting its encrypted copy.
    pub fn remove_report_file(&mut self, report_id: &str, file_id: &str) -> Result<()> {
        let n = self.conn.execute(
            "DELETE FROM self_report_files WHERE id = ?1 AND report_id = ?2",
            params![file_id, report_id],
        )?;
        if n == 0 {
            return Err(Error::invalid("file", not_found("file", file_id)));
        }
        self.shred_blob(file_id)
    }

    /// Reads a report file's bytes, checked against the intake hash.
    pub fn report_file_reader(&self, f: &ReportFile) -> Result<AttachmentReader> {
        self.blob_reader(f.blob())
    }

    /// Records that a report was sealed into bundle `bundle_id`.
    pub(crate) fn record_seal(
        &mut self,
        report_id: &str,
        bundle_id: &str,
        recipient_fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO self_report_seals (bundle_id, report_id, recipient, sealed_at) VALUES (?1, ?2, ?3, ?4)",
            params![bundle_id, report_id, recipient_fingerprint, timestamp(now)],
        )?;
        Ok(())
    }

    /// Deletes a report and everything of it from the vault: its files are
    /// overwritten and removed, its rows deleted with freed space zeroed,
    /// and the database vacuumed and its WAL truncated, so that not even
    /// someone who later learns the passphrase can read it back. The
    /// sealed bundle, wherever it was saved, is not touched.
    pub fn delete_report_securely(&mut self, id: &str) -> Result<()> {
        let files = self.report_files(id)?;
        self.report(id)?;
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM self_report_files WHERE report_id = ?1", [id])?;
        tx.execute("DELETE FROM self_report_seals WHERE report_id = ?1", [id])?;
        tx.execute("DELETE FROM self_reports WHERE id = ?1", [id])?;
        tx.execute(
            "DELETE FROM drafts WHERE key = ?1",
            [format!("self-report:{id}")],
        )?;
        tx.commit()?;
        for f in &files {
            self.shred_blob(&f.id)?;
        }
        self.compact()
    }

    /// Rewrites the database without free pages and empties the WAL, so
    /// deleted content survives nowhere in the files.
    pub(crate) fn compact(&mut self) -> Result<()> {
        self.conn.execute_batch("VACUUM;")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! Secure deletion, checked from the inside: with the passphrase and
    //! raw SQL, as someone who seized the laptop and forced the passphrase
    //! out of its owner could. The same checks find the canary before the
    //! deletion, so they can fail.

    use super::*;
    use crate::bundle::Language;
    use crate::bundle::seal::{self, SealRequest};
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::model::self_report::{ReportConsent, Section};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;
    use crate::vault::forensics::{decrypted_content, has};

    fn new_vault(dir: &Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("self-report test passphrase: quartz meadow 2024");
        Vault::create(dir, &pass, &options, crate::session::testing::session())
            .unwrap()
            .0
    }

    #[test]
    fn a_lawyer_vault_keeps_its_purpose_across_reopening_and_changes_only_among_case_vaults() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("v");
        let mut vault = new_vault(&dir);
        vault.set_mode(VaultMode::Lawyer).unwrap();
        assert_eq!(vault.status().unwrap().mode, VaultMode::Lawyer);
        drop(vault);
        let mut vault = Vault::open(
            &dir,
            &crate::vault::Credential::Passphrase(Passphrase::from(
                "self-report test passphrase: quartz meadow 2024",
            )),
            crate::session::testing::session(),
        )
        .unwrap();
        assert_eq!(vault.mode().unwrap(), VaultMode::Lawyer);
        // A lawyer's vault holding received records may become an
        // organisation's and back: both hold cases.
        let doc = crate::model::interchange::parse(
            br#"{"format":"casevault-interchange","version":1,"cases":[{"id":"c1","title":"Received","status":"open"}]}"#,
        )
        .unwrap();
        crate::ops::interchange::import(&mut vault, &doc).unwrap();
        vault.set_mode(VaultMode::Organisation).unwrap();
        vault.set_mode(VaultMode::Lawyer).unwrap();
        assert_eq!(vault.mode().unwrap(), VaultMode::Lawyer);
        // Never into a self-report vault once it holds records.
        let err = vault.set_mode(VaultMode::SelfReport).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        assert_eq!(vault.mode().unwrap(), VaultMode::Lawyer);
    }

    #[test]
    fn secure_deletion_leaves_nothing_of_the_report_but_the_sealed_bundle() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("v");
        let scratch = root.path().join("scratch");
        std::fs::create_dir(&scratch).unwrap();
        let mut vault = new_vault(&dir);
        vault.set_mode(VaultMode::SelfReport).unwrap();
        let canary = format!(
            "CANARY-{}",
            data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<8>().unwrap())
        );
        let report = vault.create_report().unwrap();
        let id = report.summary.id.clone();
        let answers = SelfReport {
            what_happened: Section {
                happened: Some(true),
                act_type: "physical_surveillance".into(),
                when: "May 2024".into(),
                details: format!("{canary} {}", "followed for days ".repeat(400)),
                ..Section::default()
            },
            consent: ReportConsent {
                record: true,
                ..ReportConsent::default()
            },
            ..SelfReport::default()
        };
        // Several saves, as the questionnaire does at every step: old
        // versions of the answers must not survive in freed pages either.
        for _ in 0..5 {
            vault.save_report(&id, &answers).unwrap();
        }
        let photo = scratch.join(format!("{canary}.txt"));
        std::fs::write(&photo, format!("{canary} photo bytes")).unwrap();
        let file = vault
            .attach_to_report(&id, &photo, "file", |_, _| {})
            .unwrap();
        std::fs::remove_file(&photo).unwrap();
        vault
            .save_draft(
                &format!("self-report:{id}"),
                &serde_json::json!({ "typing": canary }),
            )
            .unwrap();
        let ngo = age::x25519::Identity::generate();
        let bundle = root.path().join("sealed.cvb");
        seal::seal(
            &mut vault,
            SealRequest {
                report_id: &id,
                intake_key: &ngo.to_public().to_string(),
                language: Language::En,
                out: &bundle,
            },
        )
        .unwrap();
        let blob = vault
            .paths()
            .dir
            .join("attachments")
            .join(format!("{}.age", file.id));
        assert!(blob.exists());
        assert!(
            has(&decrypted_content(&vault, &scratch), &canary),
            "the check finds the report before deletion"
        );

        vault.delete_report_securely(&id).unwrap();

        assert!(
            !has(&decrypted_content(&vault, &scratch), &canary),
            "the decrypted database still holds the report"
        );
        let free: i64 = vault
            .conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .unwrap();
        assert_eq!(free, 0, "no free page can hold old content");
        let secure: i64 = vault
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .unwrap();
        assert_eq!(secure, 1);
        assert!(!blob.exists(), "the file's encrypted copy is gone");
        let wal = super::super::wal_path(&vault.paths().database());
        assert!(
            std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0,
            "the WAL is truncated"
        );
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let bytes = std::fs::read(&p).unwrap();
                    assert!(!has(&bytes, &canary), "canary in {}", p.display());
                }
            }
        }
        assert!(vault.reports().unwrap().is_empty());
        assert!(vault.draft_keys().unwrap().is_empty());
        // The sealed bundle is the one place the report still exists.
        let (v, data) = crate::bundle::read::read_data(
            &bundle,
            &crate::bundle::read::Unseal::Identities(vec![ngo]),
            &[],
        )
        .unwrap();
        assert!(data.incidents[0].description.contains(&canary));
        // Nothing in the vault can be matched to its signature: not the
        // key's fingerprint, not its public half (which any stored form of
        // the key would carry), and the vault's own key is another.
        let signer = &v.signer_fingerprint;
        let public = v
            .manifest
            .organisation
            .public_key
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_owned();
        let content = decrypted_content(&vault, &scratch);
        for needle in [
            signer.as_str(),
            signer.trim_start_matches("SHA256:"),
            &public,
        ] {
            assert!(
                !has(&content, needle),
                "the vault holds the signer: {needle}"
            );
        }
        assert_ne!(&vault.org_public_key().unwrap().fingerprint, signer);
    }
}
