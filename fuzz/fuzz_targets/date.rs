//! Fuzzy date parsing (model/date.rs): every date field of an import, a
//! self-report and the editor goes through `FuzzyDate::from_str`.
#![no_main]
use casevault_core::ErrorCode;
use casevault_core::model::date::FuzzyDate;
use casevault_fuzz as _; // its allocation limit
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match text.parse::<FuzzyDate>() {
        Ok(date) => {
            numbers_are_kept(text, &date);
            // What is stored is the canonical form: it must read back as
            // the same date, or an export could not be imported again.
            let canonical = date.to_string();
            let again: FuzzyDate = canonical
                .parse()
                .unwrap_or_else(|e| panic!("{text:?} -> {canonical:?} does not parse: {e}"));
            assert_eq!(again, date, "{text:?} -> {canonical:?}");
            let (first, last) = (date.first_day(), date.last_day());
            if let (Some(first), Some(last)) = (first, last) {
                assert!(first <= last, "{text:?}: {first} > {last}");
                assert!(date.overlaps(Some(first), Some(last)));
            }
        }
        Err(e) => assert_eq!(e.code(), ErrorCode::InvalidInput, "{text:?}: {e}"),
    }
});

/// An all-numeric date ("2008-03-15", "15.03.2008", "3/2008") means the
/// numbers it holds: none may be wrapped or cut into another valid date.
fn numbers_are_kept(text: &str, date: &FuzzyDate) {
    let text = text.trim();
    let numbers = |parts: Vec<&str>| -> Option<Vec<u64>> {
        parts
            .iter()
            .map(|p| {
                (!p.is_empty() && p.len() <= 12 && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect()
    };
    let given = if let Some(n) = numbers(text.split('-').collect()) {
        n
    } else if let Some(mut n) = numbers(text.split(['.', '/']).collect()) {
        n.reverse();
        n
    } else {
        return;
    };
    let canonical = date.to_string();
    let stored = numbers(canonical.split('-').collect())
        .unwrap_or_else(|| panic!("{text:?} -> {canonical:?} is not an all-numeric date"));
    assert_eq!(given, stored, "{text:?} -> {canonical:?}");
}
