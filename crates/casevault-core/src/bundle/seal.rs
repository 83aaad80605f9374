//! The activist's side of intake: seal a self-report into a bundle for one
//! organisation. Same format as an export (tar inside age, SHA256SUMS
//! signed), with `kind: "self-report"`, a `report.json` holding the
//! answers and the files' intake hashes, and the signature made with a key
//! made for this one seal and never stored: once the reporter deletes their
//! copy, nothing on their device matches the signature, and no two reports
//! share a signer.

use std::path::Path;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::redact::RedactionReport;
use super::write::{self, Blob, Seal};
use super::{BundleFile, CustodyHead, FORMAT, Language, Manifest, OrgInfo, VERSION, dossier};
use crate::crypto::recipient::{fingerprint, parse_recipient};
use crate::evidence::sanitise_name;
use crate::model::date::FuzzyDate;
use crate::model::self_report::SelfReport;
use crate::vault::Vault;
use crate::vault::org_key::OrgKey;
use crate::vault::self_reports::ReportFile;
use crate::{Error, Result};

/// `kind` of a self-report bundle's manifest.
pub const KIND: &str = "self-report";
/// `format` of `report.json`.
pub const REPORT_FORMAT: &str = "casevault-self-report";
/// The name shown for the signer of a self-report: never the reporter's.
pub const REPORTER_LABEL: &str = "Self-report";

/// One file of the report, as `report.json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SealedFile {
    /// Path inside the bundle.
    pub path: String,
    /// The file as it was attached.
    pub file: ReportFile,
}

/// `report.json`: the questionnaire's answers and the files, as the
/// reporter gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SealedReport {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// Version of this file.
    pub version: u32,
    /// The report's id in the reporter's vault (random).
    pub report_id: String,
    /// The answers.
    pub answers: SelfReport,
    /// The files.
    pub files: Vec<SealedFile>,
}

/// What to seal.
#[derive(Debug)]
pub struct SealRequest<'a> {
    /// The report.
    pub report_id: &'a str,
    /// The organisation's intake key (age1… or ssh-ed25519 …).
    pub intake_key: &'a str,
    /// The dossier's language.
    pub language: Language,
    /// The bundle file to create (never overwritten).
    pub out: &'a Path,
}

/// What was sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SealReport {
    /// The bundle's id.
    pub bundle_id: String,
    /// Bytes of the bundle file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// Files inside.
    pub files: u32,
    /// The fingerprint of the one-time key that signed it (a new key for
    /// every seal; the key itself is gone).
    pub reporter_fingerprint: String,
    /// The fingerprint of the intake key it was sealed to.
    pub sealed_to: String,
}

/// Seals a report to an organisation's intake key. Nothing is written in
/// plaintext; on any failure no file is left behind.
pub fn seal(vault: &mut Vault, req: SealRequest<'_>) -> Result<SealReport> {
    let now = vault.now();
    if req.out.exists() {
        return Err(Error::VaultExists {
            path: req.out.to_path_buf(),
        });
    }
    let (intake_key, _) = parse_recipient(req.intake_key)?;
    let stored = vault.report(req.report_id)?;
    let sealed_on: FuzzyDate = now.date_naive().format("%Y-%m-%d").to_string().parse()?;
    let doc = stored.answers.to_document(req.report_id, sealed_on)?;
    // A fresh key for this seal alone, dropped (and zeroed) when it returns.
    let key = OrgKey::one_time("casevault-self-report")?;
    let reporter_fingerprint = key.fingerprint();
    let encryptor = write::encryptor(&Seal::Recipients(vec![intake_key.clone()]))?;
    let bundle_id = data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<16>()?);

    let files: Vec<SealedFile> = stored
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| SealedFile {
            path: format!(
                "attachments/{:03}-{}",
                i + 1,
                sanitise_name(&f.original_name)
            ),
            file: f.clone(),
        })
        .collect();
    let bundle_files: Vec<BundleFile> = files
        .iter()
        .map(|s| BundleFile {
            path: s.path.clone(),
            size: s.file.size,
            sha256: s.file.sha256.clone(),
            note: Some(write::evidence_note(
                &s.file.media_type,
                s.file.note.as_deref().unwrap_or(&s.file.kind),
                &s.file.capture,
            )),
            intake_sha256: None,
            metadata_removed: false,
        })
        .collect();
    let sealed = SealedReport {
        format: REPORT_FORMAT.into(),
        version: 1,
        report_id: req.report_id.to_owned(),
        answers: stored.answers.clone(),
        files: files.clone(),
    };
    let org = OrgInfo {
        name: REPORTER_LABEL.into(),
        fingerprint: reporter_fingerprint.clone(),
        public_key: key
            .public()
            .to_openssh()
            .map_err(|e| Error::Internal(format!("public key: {e}")))?,
    };
    let mut manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        bundle_id: bundle_id.clone(),
        kind: KIND.into(),
        created_at: crate::vault::store::timestamp(now),
        language: req.language,
        organisation: org.clone(),
        case_ids: doc.cases.iter().map(|c| c.id.clone()).collect(),
        redaction: RedactionReport {
            profile: "none: the reporter's own account".into(),
            withheld: Vec::new(),
            pseudonymised: 0,
            ids_renamed: 0,
        },
        // A self-report has no custody log yet: its chain of custody starts
        // with these signed intake hashes and the organisation's receipt.
        custody: CustodyHead {
            entries: 0,
            head_hash: String::new(),
        },
        files: Vec::new(),
    };
    let bundle_name = req
        .out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let steps = write::verification_steps(&bundle_name);
    let dossier = dossier::render(req.language, &doc, &manifest, &bundle_files, &[], &steps);
    // The report's answers and records in plaintext: wiped once written.
    let generated: Zeroizing<Vec<(String, Vec<u8>)>> = Zeroizing::new(vec![
        ("README.txt".into(), steps.into_bytes()),
        ("report.json".into(), write::pretty(&sealed)?.into_bytes()),
        ("data.json".into(), write::pretty(&doc)?.into_bytes()),
        ("dossier.html".into(), dossier.into_bytes()),
        (
            "org-key.pub".into(),
            format!("{}\n", org.public_key).into_bytes(),
        ),
    ]);
    let blobs: Vec<(BundleFile, Blob)> = bundle_files
        .into_iter()
        .zip(stored.files)
        .map(|(b, f)| (b, Blob::ReportFile(f)))
        .collect();
    let bytes = write::write_archive(
        vault,
        encryptor,
        &mut manifest,
        &generated,
        &blobs,
        &key,
        req.out,
        now,
    )?;
    let sealed_to = fingerprint(&intake_key);
    vault.record_seal(req.report_id, &bundle_id, &sealed_to, now)?;
    Ok(SealReport {
        bundle_id,
        bytes,
        files: manifest.files.len() as u32 + 3,
        reporter_fingerprint,
        sealed_to,
    })
}
