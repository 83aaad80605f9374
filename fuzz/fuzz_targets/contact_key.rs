//! Contact keys (vault/contacts.rs): a pasted public key, age or
//! ssh-ed25519, and its fingerprint.
#![no_main]
use casevault_core::ErrorCode;
use casevault_core::crypto::recipient::{fingerprint, parse_recipient};
use casevault_fuzz as _; // its allocation limit
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Any text gets a fingerprint (contacts are matched by it).
    let _ = fingerprint(text);
    match parse_recipient(text) {
        Ok((key, kind)) => {
            // The normalised key is what is stored: it must parse to itself.
            let (again, kind_again) = parse_recipient(&key)
                .unwrap_or_else(|e| panic!("{text:?} -> {key:?} does not parse: {e}"));
            assert_eq!((again.as_str(), kind_again), (key.as_str(), kind));
            assert_eq!(fingerprint(&key), fingerprint(&again));
        }
        Err(e) => assert_eq!(e.code(), ErrorCode::InvalidInput, "{text:?}: {e}"),
    }
});
