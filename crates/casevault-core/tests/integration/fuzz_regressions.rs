//! Replays every input the fuzz targets (fuzz/, docs/FUZZING.md) ever
//! failed on, through the same public parser, so that `cargo test` keeps
//! each fixed. The vectors are the fuzzer's files as found, committed
//! under fuzz/regressions/TARGET/, with hand-made variants of the same bug.

use std::path::PathBuf;

use casevault_core::ErrorCode;
use casevault_core::model::date::FuzzyDate;

/// Every committed vector of `target`, with its file name.
fn vectors(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .filter(|(name, _)| name != "README.md")
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no vectors in {}", dir.display());
    out
}

/// The date fuzzer found all-numeric dates whose month or day wrapped past
/// 255 into another valid one ("2008-032008-03" was stored as 2008-08-03).
/// Each such date is refused as invalid input now.
#[test]
fn all_numeric_dates_that_wrapped_into_another_date_are_refused() {
    for (name, bytes) in vectors("date") {
        let text = String::from_utf8(bytes).expect("date vectors are text");
        match text.parse::<FuzzyDate>() {
            Ok(date) => panic!("{name}: {text:?} was read as {date}"),
            Err(e) => assert_eq!(e.code(), ErrorCode::InvalidInput, "{name}: {e}"),
        }
    }
}
