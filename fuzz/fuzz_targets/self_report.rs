//! The self-report reader (bundle/intake.rs): what a bundle sealed by an
//! activist holds once its signature has held. The reporter signs with
//! their own key, so anyone can make a valid one: everything after the
//! signature is outside input.
//!
//! Input: manifest.json, data.json and report.json separated by NUL bytes
//! (which JSON text never holds). A manifest that does not parse ends the
//! run: the `bundle` target covers that layer.
#![no_main]
use casevault_fuzz as _; // its allocation limit
use std::collections::BTreeMap;

use casevault_core::ErrorCode;
use casevault_core::bundle::Manifest;
use casevault_core::bundle::read::Verification;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let Some(Ok(manifest)) = parts.next().map(serde_json::from_slice::<Manifest>) else {
        return;
    };
    let mut kept = BTreeMap::new();
    for name in ["data.json", "report.json"] {
        if let Some(bytes) = parts.next() {
            kept.insert(name.to_owned(), bytes.to_vec().into());
        }
    }
    let verified = Verification {
        files_checked: manifest.files.len() as u64,
        manifest,
        signer_fingerprint: String::new(),
        signer_trusted: None,
        problems: vec![],
    };
    if let Err(e) = casevault_core::fuzzing::self_report(verified, kept) {
        assert!(
            matches!(
                e.code(),
                ErrorCode::Tampered
                    | ErrorCode::ReportDamaged
                    | ErrorCode::BundleDamaged
                    | ErrorCode::InvalidInput
                    | ErrorCode::ImportRejected
                    | ErrorCode::NewerVersion
            ),
            "{e}"
        );
    }
});
