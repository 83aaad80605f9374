//! Interchange import (model/interchange.rs): parsing and validating a
//! JSON document, as `import` does before it writes (validate only: a
//! vault per run would spend its time in argon2, not in the parser).
#![no_main]
use casevault_core::ErrorCode;
use casevault_core::model::interchange::{parse, validate};
use casevault_core::vault::KnownRecords;
use casevault_fuzz as _; // its allocation limit
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Ok(doc) => {
            let _ = validate(&doc, &KnownRecords::default());
            // What is imported can be exported and imported again.
            let bytes = serde_json::to_vec(&doc).expect("a parsed document serialises");
            let again = parse(&bytes).unwrap_or_else(|e| panic!("re-import fails: {e}"));
            assert_eq!(again, doc);
        }
        Err(e) => assert!(
            matches!(
                e.code(),
                ErrorCode::ImportRejected | ErrorCode::NewerVersion | ErrorCode::InvalidInput
            ),
            "{e}"
        ),
    }
});
