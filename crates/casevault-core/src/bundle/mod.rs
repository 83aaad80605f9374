//! Export bundles for lawyers: one age-encrypted file holding a tar archive
//! of the shared cases (redacted by consent), their evidence, a dossier,
//! and a manifest whose SHA256SUMS are signed by the organisation key, so
//! that a lawyer can decrypt, extract and verify everything with stock
//! tools (age, tar, sha256sum, ssh-keygen) or in Casevault.
//!
//! Why tar: it streams in both directions (each entry's size is known
//! before its bytes, so multi-GB evidence never sits in memory), and
//! Windows 10+, macOS and Linux all ship a `tar` that extracts it.

pub mod dossier;
pub mod dossier_pdf;
pub mod evidence;
pub mod intake;
pub mod metadata;
pub mod read;
pub mod receive;
pub mod redact;
pub mod review;
pub mod seal;
pub mod write;

use serde::{Deserialize, Serialize};

pub use redact::{RedactionReport, Withheld, WithheldReason};

/// `format` of every manifest.
pub const FORMAT: &str = "casevault-bundle";
/// The manifest version this build writes and the newest it reads.
pub const VERSION: u32 = 1;
/// SSHSIG namespace of the signature over `SHA256SUMS`.
pub const SIGNATURE_NAMESPACE: &str = "casevault-bundle";

/// The dossier's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
}

/// One file in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct BundleFile {
    /// Path inside the archive.
    pub path: String,
    /// Size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// For evidence: its media type and capture metadata.
    #[serde(default)]
    pub note: Option<String>,
    /// For an evidence copy cleaned of metadata: the SHA-256 of the
    /// original at intake, which the vault keeps (`sha256` is the copy's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake_sha256: Option<String>,
    /// Whether location, device and time metadata were removed from this
    /// copy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub metadata_removed: bool,
}

/// Who exported the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct OrgInfo {
    /// The organisation's name as the exporter gave it.
    pub name: String,
    /// `SHA256:…` of its signing key.
    pub fingerprint: String,
    /// The signing key, OpenSSH format. Trust comes from comparing the
    /// fingerprint out of band, never from this field.
    pub public_key: String,
}

/// The custody log's head when the bundle was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CustodyHead {
    /// Entries in the log.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// Hash of the last entry (also in the signed `checkpoint.txt`).
    pub head_hash: String,
}

/// `manifest.json`. Frozen per version: a reader refuses unknown fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// Manifest version.
    pub version: u32,
    /// Random id of this bundle.
    pub bundle_id: String,
    /// "case-export", or "self-report" (sealed by an activist for intake).
    pub kind: String,
    /// When it was written.
    pub created_at: String,
    /// The dossier's language.
    pub language: Language,
    /// Who exported it.
    pub organisation: OrgInfo,
    /// The cases it holds (ids as in the bundle).
    pub case_ids: Vec<String>,
    /// What was held back or pseudonymised.
    pub redaction: RedactionReport,
    /// The custody log's head at export.
    pub custody: CustodyHead,
    /// Every file except `manifest.json`, `SHA256SUMS` and its signature.
    pub files: Vec<BundleFile>,
}
