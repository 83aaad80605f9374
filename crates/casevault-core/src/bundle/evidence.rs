//! `evidence.json`: which record each evidence file of a bundle belongs to,
//! under which name, and what the sender knew of it at intake, so that the
//! receiving vault files every file where it belongs.
//!
//! It is one more file in the archive, listed in the manifest and in the
//! signed SHA256SUMS like every other; bundles written before it existed
//! have none, and their files are filed under the bundle's source record.
//! Media type and capture metadata are not in it: the receiver reads them
//! from the bytes themselves, as at any intake.

use serde::{Deserialize, Serialize};

use super::BundleFile;
use crate::vault::attachments::Attachment;
use crate::{Error, Result};

/// Its path in the archive.
pub const FILE: &str = "evidence.json";
/// `format` of the file.
pub const FORMAT: &str = "casevault-evidence-index";

/// One evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceEntry {
    /// Its path in the archive (`attachments/…`).
    pub path: String,
    /// The record it belongs to, by its id in `data.json`.
    pub record: String,
    /// The file name to show (as redacted for the bundle).
    pub name: String,
    /// Size of the file in the bundle.
    pub size: u64,
    /// SHA-256 of the file in the bundle, lowercase hex.
    pub sha256: String,
    /// SHA-256 the sender took at intake, of the original they hold.
    pub intake_sha256: String,
    /// When the sender took it in.
    pub added_at: String,
    /// The sender's id for it: custody.jsonl's entries about it name it.
    pub sender_id: String,
}

impl EvidenceEntry {
    /// The entry for attachment `a`, leaving as `file`, filed under
    /// `record` (the record's id in the bundle) and shown as `name`.
    pub fn of(a: &Attachment, file: &BundleFile, record: String, name: String) -> Self {
        Self {
            path: file.path.clone(),
            record,
            name,
            size: file.size,
            sha256: file.sha256.clone(),
            intake_sha256: a.sha256.clone(),
            added_at: a.added_at.clone(),
            sender_id: a.id.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    format: String,
    files: Vec<EvidenceEntry>,
}

/// `(FILE, bytes)`, ready to go into the archive with the generated files.
pub fn index(entries: impl IntoIterator<Item = EvidenceEntry>) -> Result<(String, Vec<u8>)> {
    let index = Index {
        format: FORMAT.to_owned(),
        files: entries.into_iter().collect(),
    };
    let text = serde_json::to_string_pretty(&index)
        .map_err(|e| Error::Internal(format!("evidence index: {e}")))?;
    Ok((FILE.to_owned(), text.into_bytes()))
}

/// Reads the index back. Only called on a verified bundle: a file that
/// does not parse is damaged, not hostile.
pub fn parse(bytes: &[u8]) -> Result<Vec<EvidenceEntry>> {
    let index: Index = serde_json::from_slice(bytes)
        .map_err(|e| Error::tampered(format!("the bundle's {FILE} is not valid ({e})")))?;
    if index.format != FORMAT {
        return Err(Error::tampered(format!(
            "the bundle's {FILE} is not an evidence index"
        )));
    }
    Ok(index.files)
}
