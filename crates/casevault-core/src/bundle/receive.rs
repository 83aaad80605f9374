//! The receiving side: preview before export, and import of a verified
//! bundle into a lawyer's vault with its provenance and its evidence.

use serde::Serialize;
use zeroize::Zeroizing;

use super::evidence;
use super::read::{self, Unseal, Verification};
use super::redact::{self, Withheld};
use crate::model::interchange;
use crate::model::problem::ProblemCode;
use crate::model::records::Source;
use crate::vault::Vault;
use crate::vault::blobs::BlobSink;
use crate::vault::inbox::ReceivedFile;
use crate::{Error, Result};

/// What an export of these cases would carry, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportPreview {
    /// Records that would leave, by kind.
    pub counts: Vec<(String, u32)>,
    /// Evidence files that would leave, and their total size.
    pub attachments: u32,
    /// Total bytes of evidence.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachment_bytes: u64,
    /// What stays, and why.
    pub withheld: Vec<Withheld>,
    /// The pseudonyms protected persons will appear under.
    pub pseudonyms: Vec<String>,
}

/// Shows exactly what an export of `case_ids` would carry.
pub fn preview(vault: &Vault, case_ids: &[String]) -> Result<ExportPreview> {
    let all = crate::ops::interchange::export(vault)?;
    let (doc, report, redactor) = redact::for_lawyers(&all, case_ids)?;
    let kept = redact::evidence_holders(&doc);
    let attachments: Vec<_> = vault
        .all_attachments()?
        .into_iter()
        .filter(|a| kept.contains(&redactor.id(&a.record_id)))
        .collect();
    Ok(ExportPreview {
        counts: vec![
            ("case".into(), doc.cases.len() as u32),
            ("person".into(), doc.persons.len() as u32),
            ("incident".into(), doc.incidents.len() as u32),
            ("proceeding".into(), doc.proceedings.len() as u32),
            ("testimony".into(), doc.testimonies.len() as u32),
            ("intervention".into(), doc.interventions.len() as u32),
            ("source".into(), doc.sources.len() as u32),
            ("organisation".into(), doc.organisations.len() as u32),
        ],
        attachments: attachments.len() as u32,
        attachment_bytes: attachments.iter().map(|a| a.size).sum(),
        withheld: report.withheld,
        pseudonyms: doc
            .persons
            .iter()
            .filter(|p| p.protected)
            .filter_map(|p| p.pseudonym.clone())
            .collect(),
    })
}

/// How many files an opened bundle holds, counted as the sender counted
/// them (the export's report), and how they were checked: every file but
/// two is checked against the signed list `SHA256SUMS`; the two are that
/// list and its signature, which are checked by verifying the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileCounts {
    /// Every file in the bundle (what the sender was told it wrote).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub in_bundle: u64,
    /// Files whose SHA-256 was checked against `SHA256SUMS`: the manifest
    /// and every file it lists.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub hashed: u64,
    /// `SHA256SUMS` and `SHA256SUMS.sig`, checked by the signature.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub signature_files: u64,
    /// Evidence files among them.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub evidence: u64,
}

/// The counts to show for a verified bundle.
pub fn file_counts(v: &Verification) -> FileCounts {
    const SIGNATURE_FILES: u64 = 2;
    FileCounts {
        // The manifest's list, the manifest, the sums and the signature:
        // the same sum as the writer's report.
        in_bundle: v.manifest.files.len() as u64 + 1 + SIGNATURE_FILES,
        hashed: v.files_checked,
        signature_files: SIGNATURE_FILES,
        evidence: v
            .manifest
            .files
            .iter()
            .filter(|f| f.path.starts_with("attachments/"))
            .count() as u64,
    }
}

/// What the user approved when they chose to import: the bundle and signer
/// they reviewed. The file is read again to import it, so it must still be
/// that bundle from that signer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Approval<'a> {
    /// The bundle id the user reviewed; the file must still be that bundle.
    pub bundle_id: Option<&'a str>,
    /// The signer fingerprint the user saw; the file must still be signed
    /// by it (compared ignoring grouping).
    pub signer_fingerprint: Option<&'a str>,
    /// Import although the signer is not a trusted contact. Honoured only
    /// together with `signer_fingerprint`: accepting "whoever signed it"
    /// would accept a file swapped after the review.
    pub accept_untrusted: bool,
}

/// The kind of bundle Bundles → Import takes.
const CASE_EXPORT: &str = "case-export";

/// Sender's files, besides evidence, kept on the bundle's source record:
/// the custody trail of what was sent and the signed checkpoint of the
/// sender's log.
const PROVENANCE_FILES: &[&str] = &["custody.jsonl", "checkpoint.txt", "checkpoint.txt.sig"];

fn check_approval(v: &Verification, approval: &Approval<'_>) -> Result<()> {
    // Whoever signed it, a self-report never enters through Bundles →
    // Import: its signer is a one-time key, and intake has its own rules.
    if v.manifest.kind != CASE_EXPORT {
        return Err(Error::invalid(
            "bundle",
            ProblemCode::NotACaseExport.with("kind", &v.manifest.kind),
        ));
    }
    if let Some(fp) = approval.signer_fingerprint
        && !crate::crypto::fingerprint::same(fp, &v.signer_fingerprint)
    {
        return Err(Error::UntrustedSigner {
            fingerprint: v.signer_fingerprint.clone(),
            keys_given: true,
        });
    }
    if let Some(id) = approval.bundle_id
        && id != v.manifest.bundle_id
    {
        return Err(Error::invalid(
            "bundle",
            ProblemCode::BundleChangedSinceReview
                .with("found", &v.manifest.bundle_id)
                .with("reviewed", id),
        ));
    }
    if v.signer_trusted != Some(true)
        && !(approval.accept_untrusted && approval.signer_fingerprint.is_some())
    {
        return Err(Error::UntrustedSigner {
            fingerprint: v.signer_fingerprint.clone(),
            keys_given: false,
        });
    }
    Ok(())
}

/// Imports a case-export bundle after verifying all of it: its records,
/// with a source record that says where they came from, and every
/// evidence file, streamed into this vault's encrypted store as it is read
/// and kept only if its hash matches the signed SHA256SUMS. Each file gets
/// an import entry in the custody log; the sender's custody trail and
/// checkpoint are kept as files of the source record. The signer must be
/// trusted, or accepted through `approval`; a bundle that is not the one
/// approved, a self-report, or a bundle imported before is refused, and
/// then nothing changes.
#[allow(clippy::too_many_arguments)]
pub fn import(
    vault: &mut Vault,
    path: &std::path::Path,
    unseal: &Unseal,
    trusted: &[String],
    approval: &Approval<'_>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Verification> {
    let actor = &vault.actor();
    let now = vault.now();
    let total: u64 = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    // Evidence streams into the store first; the blobs are dropped (and
    // their files removed) if anything after fails.
    let mut sink = BlobSink::new(vault, "the bundle", total, &mut progress);
    let mut keep = vec!["data.json", evidence::FILE];
    keep.extend_from_slice(PROVENANCE_FILES);
    let (v, mut kept) = read::read_contents(
        path,
        unseal,
        trusted,
        &keep,
        Some(&mut |name, bytes| sink.store(name, bytes)),
        None,
    )?;
    let blobs = sink.into_blobs();
    check_approval(&v, approval)?;
    let data = kept
        .remove("data.json")
        .ok_or_else(|| Error::tampered("the bundle's data.json is missing or too large"))?;
    let mut doc = interchange::parse(&data)?;
    let index = match kept.remove(evidence::FILE) {
        Some(bytes) => evidence::parse(&bytes)?,
        None => Vec::new(),
    };
    let bundle_id = &v.manifest.bundle_id;
    let provenance = format!("bundle-{bundle_id}");
    // The sender's name goes into the citation, notes and custody entries:
    // a control or direction character in it must not refuse an otherwise
    // good bundle, nor reach the log.
    let sender: String = v
        .manifest
        .organisation
        .name
        .chars()
        .map(|c| {
            if crate::model::text::refused_in_name(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    doc.sources.push(Source {
        id: provenance.clone(),
        source_type: "ngo_report".into(),
        citation: format!(
            "Casevault bundle {} from {} ({}), exported {}",
            bundle_id, sender, v.signer_fingerprint, v.manifest.created_at
        ),
        accessed: None,
        reliability: None,
        credibility: None,
    });
    for i in &mut doc.incidents {
        i.sources.push(provenance.clone());
    }
    let problems = interchange::validate(&doc, &vault.known_records()?);
    if problems
        .iter()
        .any(|p| p.id == provenance && p.code == ProblemCode::IdExistsInVault)
    {
        return Err(Error::invalid(
            "bundle",
            ProblemCode::AlreadyReceived.with("id", bundle_id),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::ImportRejected { problems });
    }
    let records: std::collections::HashSet<&str> = interchange::rows_of(&doc)?
        .iter()
        .map(|(_, id, _)| *id)
        .collect();

    // Every evidence file, filed where the index says, and checked once
    // more against the signed list it was verified by.
    let mut files = Vec::new();
    for (path_in_bundle, blob) in &blobs {
        let listed = v.manifest.files.iter().find(|f| &f.path == path_in_bundle);
        if listed.is_none_or(|f| f.sha256 != blob.sha256 || f.size != blob.size) {
            return Err(Error::tampered(format!(
                "{path_in_bundle} does not match the signed list of files"
            )));
        }
        let entry = index.iter().find(|e| &e.path == path_in_bundle);
        let record = entry
            .map(|e| e.record.as_str())
            .filter(|r| records.contains(r))
            .unwrap_or(provenance.as_str())
            .to_owned();
        let name = entry
            .map(|e| e.name.clone())
            .unwrap_or_else(|| path_in_bundle.trim_start_matches("attachments/").to_owned());
        let from = format!(
            "from bundle {bundle_id} of {sender} signed by {}",
            v.signer_fingerprint
        );
        let (note, detail) = match entry {
            Some(e) => (
                format!(
                    "{from}; the sender took it in {} with SHA-256 {} (their attachment {})",
                    e.added_at, e.intake_sha256, e.sender_id
                ),
                format!(
                    "{name} ({} bytes) to \"{record}\", {from}; the sender's custody trail of attachment {} is in custody.jsonl on source {provenance}",
                    blob.size, e.sender_id
                ),
            ),
            None => (
                from.clone(),
                format!("{name} ({} bytes) to \"{record}\", {from}", blob.size),
            ),
        };
        files.push((blob, record, name, note, detail));
    }
    let provenance_files: Vec<(&str, Zeroizing<Vec<u8>>)> = PROVENANCE_FILES
        .iter()
        .filter_map(|name| kept.remove(*name).map(|bytes| (*name, bytes)))
        .filter(|(_, bytes)| !bytes.is_empty())
        .collect();
    let mut provenance_blobs = Vec::new();
    for (name, bytes) in &provenance_files {
        let blob = vault.store_encrypted(
            &mut &bytes[..],
            bytes.len() as u64,
            &|e| Error::Internal(format!("reading a kept file: {e}")),
            &mut |_, _| {},
        )?;
        provenance_blobs.push((*name, blob));
    }

    let rows = interchange::rows_of(&doc)?;
    let provenance_notes: Vec<(String, String)> = provenance_blobs
        .iter()
        .map(|(name, _)| {
            (
                format!("the sender's {name}, from bundle {bundle_id}"),
                format!("{name} of bundle {bundle_id}, as the sender wrote it"),
            )
        })
        .collect();
    let received: Vec<ReceivedFile<'_>> = files
        .iter()
        .map(|(blob, record, name, note, detail)| ReceivedFile {
            blob,
            record,
            name,
            note,
            detail,
        })
        .chain(provenance_blobs.iter().zip(&provenance_notes).map(
            |((name, blob), (note, detail))| ReceivedFile {
                blob,
                record: &provenance,
                name,
                note,
                detail,
            },
        ))
        .collect();
    vault.file_imported_bundle(
        &rows,
        &received,
        &provenance,
        &format!(
            "bundle {bundle_id} from {sender} signed by {}, {} record(s), {} evidence file(s)",
            v.signer_fingerprint,
            rows.len(),
            files.len()
        ),
        actor,
        now,
    )?;
    drop(received);
    drop(files);
    for (_, blob) in blobs {
        blob.keep();
    }
    for (_, blob) in provenance_blobs {
        blob.keep();
    }
    Ok(v)
}
