//! The labelled evaluation set (tests/fixtures/search-eval.json, written by
//! search-eval.py beside it): names across scripts and romanisation
//! systems, places and their exonyms, Russian cases and Kazakh suffixes,
//! typos, and different people with similar names, over the report's
//! sample data and a generated corpus, in a real vault.
//!
//! Each query lists the records it must find (`expected`) and records it
//! must not (`not`); records in neither are not judged (a person's own
//! record also matches a search for their name, for instance). Recall is
//! over the expected records, precision over the judged records found
//! (micro-averaged).

use casevault_core::ops::{interchange, search};
use casevault_core::vault::Vault;
use serde::Deserialize;

use crate::common::*;

#[derive(Deserialize)]
struct Set {
    corpus: serde_json::Value,
    queries: Vec<Query>,
}

#[derive(Deserialize)]
struct Query {
    kind: String,
    query: String,
    expected: Vec<String>,
    not: Vec<String>,
    note: String,
}

fn load(vault: &mut Vault, bytes: &[u8]) {
    let doc = interchange::parse(bytes).unwrap();
    interchange::import(vault, &doc).unwrap();
}

#[test]
fn search_finds_what_a_caseworker_means() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    load(
        &mut vault,
        &std::fs::read(root.join("../../samples/kazakhstan-report.json")).unwrap(),
    );
    let set: Set = serde_json::from_slice(
        &std::fs::read(root.join("tests/fixtures/search-eval.json")).unwrap(),
    )
    .unwrap();
    load(&mut vault, &serde_json::to_vec(&set.corpus).unwrap());
    assert!(
        set.queries.len() >= 300,
        "the set has {} queries",
        set.queries.len()
    );

    let (mut tp, mut fp, mut missed) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for q in &set.queries {
        let found: Vec<String> = match q.kind.as_str() {
            "text" => search::search(&vault, &q.query, &search::Filters::default(), 200)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.record_id)
                .collect(),
            "name" => search::find_persons(&vault, &q.query, 50)
                .unwrap()
                .into_iter()
                .map(|h| h.id)
                .collect(),
            other => panic!("unknown kind {other}"),
        };
        let hit = q.expected.iter().filter(|e| found.contains(e)).count();
        let wrong: Vec<&String> = q.not.iter().filter(|n| found.contains(n)).collect();
        tp += hit;
        missed += q.expected.len() - hit;
        fp += wrong.len();
        if hit < q.expected.len() || !wrong.is_empty() {
            let missing: Vec<&String> = q.expected.iter().filter(|e| !found.contains(e)).collect();
            failures.push(format!(
                "{} {:?} ({}): missed {missing:?}, wrongly found {wrong:?}",
                q.kind, q.query, q.note
            ));
        }
    }
    let recall = tp as f64 / (tp + missed) as f64;
    let precision = tp as f64 / (tp + fp) as f64;
    eprintln!(
        "search eval: {} queries, recall {recall:.3}, precision {precision:.3} ({tp} found, {missed} missed, {fp} wrong)",
        set.queries.len()
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(
        recall >= 0.97 && precision >= 0.95,
        "recall {recall:.3}, precision {precision:.3}; failures:\n{}",
        failures.join("\n")
    );
}
