//! MVT JSON (model/mvt.rs): a Mobile Verification Toolkit report attached
//! as evidence, summed up for the case.
#![no_main]
use casevault_core::ErrorCode;
use casevault_core::model::mvt::summarise;
use casevault_fuzz as _; // its allocation limit
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match summarise(data) {
        Ok(summary) => {
            assert!(summary.indicators.len() <= summary.detections);
            let _ = summary.line();
        }
        Err(e) => assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}"),
    }
});
