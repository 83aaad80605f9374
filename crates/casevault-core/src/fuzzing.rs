//! Entry points for the coverage-guided fuzz targets in `fuzz/`, for the
//! parsers of outside input that are private to the crate. Compiled only
//! with the `fuzzing` feature, which the app and the CLI never enable.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::Result;
use crate::bundle::read::{self, Unseal, Verification};
use crate::bundle::seal::SealedReport;
use crate::model::interchange::Document;

/// A bundle's archive layer (tar entries, names, sizes, `manifest.json`,
/// `SHA256SUMS` and its signature) over already-decrypted bytes, as
/// [`read::verify`] checks it, keeping `data.json` and `report.json`.
pub fn bundle_archive(
    plaintext: &[u8],
    trusted: &[String],
) -> Result<(Verification, BTreeMap<String, Zeroizing<Vec<u8>>>)> {
    read::check_archive(plaintext, trusted)
}

/// A sealed bundle in memory, decrypted with `unseal` (age layer first,
/// then the archive layer as in [`bundle_archive`]).
pub fn bundle_sealed(sealed: &[u8], unseal: &Unseal) -> Result<Verification> {
    let plaintext = read::decrypt_from(sealed, unseal)?;
    read::check_archive(plaintext, &[]).map(|(v, _)| v)
}

/// The self-report inside a bundle whose signature held: its manifest's
/// kind, `data.json`, `report.json` and the files the report lists.
pub fn self_report(
    verified: Verification,
    kept: BTreeMap<String, Zeroizing<Vec<u8>>>,
) -> Result<(Verification, Document, SealedReport)> {
    crate::bundle::intake::report_from(verified, kept)
}
