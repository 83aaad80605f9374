//! The key-slot header (vault/header.rs): the only part of a vault read
//! before it is unlocked, so whoever holds the laptop can write it.
#![no_main]
use casevault_core::ErrorCode;
use casevault_core::vault::header::Header;
use casevault_fuzz as _; // its allocation limit
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match Header::parse(data) {
        Ok(header) => {
            let _ = header.keys_destroyed();
        }
        Err(e) => assert!(
            matches!(e.code(), ErrorCode::Tampered | ErrorCode::NewerVersion),
            "{e}"
        ),
    }
});
