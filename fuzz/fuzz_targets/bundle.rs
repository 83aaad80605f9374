//! The bundle reader's archive layer (bundle/read.rs) after age: tar
//! entries, names, types, sizes, long names, manifest.json, SHA256SUMS and
//! the SSHSIG over it. Runs on decrypted bytes so that each run is fast;
//! `bundle_sealed` covers the age layer.
#![no_main]
use casevault_core::ErrorCode;
use casevault_fuzz as _; // its allocation limit
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match casevault_core::fuzzing::bundle_archive(data, &[]) {
        Ok((v, _kept)) => {
            // Only the signer's key can make a bundle without problems,
            // and the fuzzer does not have it.
            assert!(!v.problems.is_empty() || v.files_checked > 0);
        }
        Err(e) => assert!(
            matches!(
                e.code(),
                ErrorCode::BundleDamaged | ErrorCode::InvalidInput | ErrorCode::NewerVersion
            ),
            "{e}"
        ),
    }
});
