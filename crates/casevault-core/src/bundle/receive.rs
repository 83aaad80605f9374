//! The receiving side: preview before export, and import of a verified
//! bundle into a lawyer's vault with its provenance.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::read::{self, Unseal, Verification};
use super::redact::{self, Withheld};
use crate::model::interchange;
use crate::model::records::Source;
use crate::vault::Vault;
use crate::vault::custody::CustodyAction;
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
    let all = interchange::export(vault)?;
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

/// Imports a bundle's data after verifying it, with a source record that
/// says where it came from. The signer must be trusted unless
/// `accept_untrusted` (the user saw the warning and the fingerprint). A
/// bundle imported twice is refused: its ids already exist.
pub fn import(
    vault: &mut Vault,
    path: &std::path::Path,
    unseal: &Unseal,
    trusted: &[String],
    accept_untrusted: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Verification> {
    let (v, mut doc) = read::read_data(path, unseal, trusted)?;
    if v.signer_trusted != Some(true) && !accept_untrusted {
        return Err(Error::invalid(
            "bundle",
            format!(
                "the bundle is signed by {}, which is not among your trusted organisations; compare the fingerprint with them first",
                v.signer_fingerprint
            ),
        ));
    }
    let provenance = format!("bundle-{}", v.manifest.bundle_id);
    doc.sources.push(Source {
        id: provenance.clone(),
        source_type: "ngo_report".into(),
        citation: format!(
            "Casevault bundle {} from {} ({}), exported {}",
            v.manifest.bundle_id,
            v.manifest.organisation.name,
            v.signer_fingerprint,
            v.manifest.created_at
        ),
        accessed: None,
        reliability: None,
        credibility: None,
    });
    for i in &mut doc.incidents {
        i.sources.push(provenance.clone());
    }
    interchange::import(vault, &doc, actor, now).map_err(|e| match e {
        Error::ImportRejected { problems }
            if problems
                .iter()
                .any(|p| p.contains(&provenance) && p.contains("already exists")) =>
        {
            Error::invalid(
                "bundle",
                format!(
                    "bundle {} was imported before; nothing was duplicated",
                    v.manifest.bundle_id
                ),
            )
        }
        other => other,
    })?;
    vault.log_event(
        CustodyAction::Import,
        Some(&provenance),
        Some(&format!(
            "bundle {} from {} signed by {}",
            v.manifest.bundle_id, v.manifest.organisation.name, v.signer_fingerprint
        )),
        actor,
        now,
    )?;
    Ok(v)
}
