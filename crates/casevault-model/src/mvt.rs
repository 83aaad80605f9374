//! Reports from Amnesty International's Mobile Verification Toolkit (MVT),
//! attached to a self-report as evidence of a digital attack.
//!
//! MVT writes one JSON file per module it ran: a list of records, where
//! the records that matched an indicator of compromise carry a
//! `matched_indicator` object (its `value` and `type`, and in newer
//! versions the indicator's `name`). The file itself is kept as evidence,
//! byte for byte; this module only checks that it is such a file and sums
//! it up for the caseworker.

use serde_json::Value;

use crate::{Error, Result};

/// The largest MVT file read to sum it up.
pub const MAX_MVT_BYTES: usize = 64 * 1024 * 1024;

/// What an MVT file says, in one line for the caseworker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MvtSummary {
    /// Records in the file.
    pub records: usize,
    /// Records that matched an indicator of compromise.
    pub detections: usize,
    /// The first few matched indicators.
    pub indicators: Vec<String>,
}

impl MvtSummary {
    /// "MVT report: 12 records, 2 matched indicators of compromise (…)".
    pub fn line(&self) -> String {
        let mut s = format!(
            "MVT report: {} record(s), {} matched indicator(s) of compromise",
            self.records, self.detections
        );
        if !self.indicators.is_empty() {
            s.push_str(&format!(" ({})", self.indicators.join(", ")));
        }
        s
    }
}

fn walk(v: &Value, found: &mut Vec<String>, count: &mut usize) {
    match v {
        Value::Object(map) => {
            if let Some(m) = map.get("matched_indicator").filter(|m| !m.is_null()) {
                *count += 1;
                let label = m
                    .get("value")
                    .or_else(|| m.get("name"))
                    .and_then(Value::as_str)
                    .or_else(|| m.as_str())
                    .unwrap_or("indicator");
                if found.len() < 5 && !found.iter().any(|f| f == label) {
                    found.push(label.chars().take(200).collect());
                }
            }
            for child in map.values() {
                walk(child, found, count);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, found, count);
            }
        }
        _ => {}
    }
}

/// Checks that `bytes` is an MVT JSON file and sums it up. Anything else
/// gets an error that says to attach it as an ordinary file instead.
pub fn summarise(bytes: &[u8]) -> Result<MvtSummary> {
    let not_mvt = |why: String| {
        Error::invalid(
            "file",
            crate::problem::ProblemCode::NotMvt.with("detail", why),
        )
    };
    if bytes.len() > MAX_MVT_BYTES {
        return Err(not_mvt("larger than 64 MiB".into()));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| not_mvt(e.to_string()))?;
    let records = match &value {
        Value::Array(items) => items.len(),
        Value::Object(_) => 1,
        _ => return Err(not_mvt("it holds no records".into())),
    };
    let mut indicators = Vec::new();
    let mut detections = 0;
    walk(&value, &mut indicators, &mut detections);
    Ok(MvtSummary {
        records,
        detections,
        indicators,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detections_are_counted_and_named() {
        let file = br#"[
            {"url": "https://example.org", "isodate": "2024-05-01"},
            {"url": "https://bad.example/x", "matched_indicator": {"value": "bad.example", "type": "domain"}},
            {"process": "bh", "matched_indicator": {"value": "bh", "type": "process"}}
        ]"#;
        let s = summarise(file).unwrap();
        assert_eq!((s.records, s.detections), (3, 2));
        assert_eq!(s.indicators, ["bad.example", "bh"]);
        assert!(s.line().contains("2 matched indicator(s)"));
    }

    #[test]
    fn a_clean_report_is_still_a_report_and_other_files_are_refused() {
        assert_eq!(summarise(b"[]").unwrap().detections, 0);
        let err = summarise(b"<html>not json</html>").unwrap_err();
        assert!(err.to_string().contains("not an MVT JSON report"), "{err}");
        assert!(summarise(b"42").is_err());
    }
}
