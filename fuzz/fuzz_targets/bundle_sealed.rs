//! The bundle reader's age layer (bundle/read.rs): a sealed file as it
//! arrives, opened with the key the test bundles are sealed to.
#![no_main]
use casevault_fuzz as _; // its allocation limit
use std::sync::LazyLock;

use casevault_core::ErrorCode;
use casevault_core::bundle::read::Unseal;
use libfuzzer_sys::fuzz_target;

static UNSEAL: LazyLock<Unseal> = LazyLock::new(|| {
    let text = include_str!("../../crates/casevault-core/tests/fixtures/bad-bundles/identity.txt");
    let line = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .expect("identity.txt holds an age identity");
    Unseal::Identities(vec![line.parse().expect("a valid age identity")])
});

fuzz_target!(|data: &[u8]| {
    if let Err(e) = casevault_core::fuzzing::bundle_sealed(data, &UNSEAL) {
        assert!(
            matches!(
                e.code(),
                ErrorCode::BundleDamaged
                    | ErrorCode::InvalidInput
                    | ErrorCode::NewerVersion
                    | ErrorCode::NotAddressedToYou
            ),
            "{e}"
        );
    }
});
