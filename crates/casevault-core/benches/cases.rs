//! Case list and case view at scale (issue: documentation model). Run with
//! `cargo bench -p casevault-core --bench cases`; results go in
//! docs/BENCHMARKS.md.
//!
//! A vault of 10,000 cases, 100,000 incidents and 20,000 persons is built
//! through the real import. Then, p50 and p95 of:
//! - the case list (`browse::case_summaries`), against the baseline of
//!   reading the list through a full export, as the first version did;
//! - the case view (`browse::case_detail`) of random cases;
//! - the person picker (`search::find_persons`, across scripts).
//!
//! Sizes are overridable: CASEVAULT_BENCH_CASES (incidents are 10 per case).
#![allow(
    clippy::disallowed_methods,
    reason = "a bench is a program like the CLI: its sizes and directories come from the environment"
)]
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use casevault_core::crypto::kdf::KdfChoice;
use casevault_core::ops::{browse, interchange, search};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Vault};
use serde_json::json;

const INCIDENTS_PER_CASE: usize = 10;
const BATCH_CASES: usize = 500;

fn cases() -> usize {
    std::env::var("CASEVAULT_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

const SURNAMES: &[(&str, &str)] = &[
    ("Moldashev", "Молдашев"),
    ("Ketebayev", "Кетебаев"),
    ("Kurmanov", "Курманов"),
    ("Musayev", "Мусаев"),
    ("Aliyev", "Алиев"),
    ("Paraskevich", "Параскевич"),
    ("Svoik", "Своик"),
    ("Pavlov", "Павлов"),
];
const STATUSES: [&str; 3] = ["open", "monitoring", "closed"];
const HOSTS: [&str; 4] = ["DE", "UA", "RU", "TR"];
const ROLES: [&str; 2] = ["victim", "relative"];
const ACTS: &[&str] = &[
    "physical_surveillance",
    "abduction",
    "coercion_by_proxy",
    "online_intimidation",
    "summons",
    "assault",
];

fn batch(first: usize, count: usize) -> serde_json::Value {
    let mut cases = Vec::new();
    let mut persons = Vec::new();
    let mut incidents = Vec::new();
    for c in first..first + count {
        let (lat, cyr) = SURNAMES[c % SURNAMES.len()];
        cases.push(
            json!({"id": format!("case-{c}"), "title": format!("{lat} family {c}"),
            "status": STATUSES[c % 3], "origin_country": "KZ",
            "host_countries": [HOSTS[c % 4]], "tags": ["bench"]}),
        );
        for (p, role) in ROLES.iter().enumerate() {
            persons.push(json!({"id": format!("p-{c}-{p}"),
                "names": [{"name": format!("{lat} {c}-{p}"), "kind": "primary"},
                          {"name": format!("{cyr} {c}-{p}"), "kind": "original_script"}],
                "case_roles": [{"case": format!("case-{c}"), "role": role}]}));
        }
        for i in 0..INCIDENTS_PER_CASE {
            incidents.push(json!({"id": format!("inc-{c}-{i}"), "case": format!("case-{c}"),
                "title": format!("Incident {i}"), "act_type": ACTS[(c + i) % ACTS.len()],
                "start": format!("{}-{:02}", 2005 + (c + i) % 20, 1 + i % 12),
                "place": {"city": "Almaty", "country": "KZ"},
                "description": "Followed from the hotel to the embassy; за ним следили от гостиницы.",
                "victims": [format!("p-{c}-0")]}));
        }
    }
    json!({"format": "casevault-interchange", "version": 1,
           "cases": cases, "persons": persons, "incidents": incidents})
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.50), at(0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn measure(runs: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let samples = (0..runs)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("bench cases: run with `cargo bench -p casevault-core --bench cases`");
        return;
    }
    let n = cases();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault");
    let options = CreateOptions {
        kdf: KdfChoice::Fixed(casevault_core::crypto::kdf::Argon2Params::FLOOR),
    };
    let pass = Passphrase::from("bench passphrase: lantern orbit meadow 2026");
    let (mut vault, _) = Vault::create(
        &path,
        &pass,
        &options,
        casevault_core::Session::new("bench", casevault_core::Clock::system()),
    )
    .unwrap();
    let t = Instant::now();
    for first in (0..n).step_by(BATCH_CASES) {
        let doc = batch(first, BATCH_CASES.min(n - first));
        let doc = interchange::parse(serde_json::to_string(&doc).unwrap().as_bytes()).unwrap();
        interchange::import(&mut vault, &doc).unwrap();
    }
    println!(
        "built {n} cases, {} incidents, {} persons in {:.1} s",
        n * INCIDENTS_PER_CASE,
        n * 2,
        t.elapsed().as_secs_f64()
    );

    let (list50, list95) = measure(20, |_| {
        assert_eq!(browse::case_summaries(&vault).unwrap().len(), n);
    });
    let (rows50, _) = measure(10, |_| {
        vault.case_rows().unwrap();
    });
    let (names50, _) = measure(10, |_| {
        vault.case_person_names().unwrap();
    });
    println!(
        "  of which: case rows p50 {:.1} ms, person names p50 {:.1} ms",
        ms(rows50),
        ms(names50)
    );
    let (base50, base95) = measure(5, |_| {
        assert_eq!(interchange::export(&vault).unwrap().cases.len(), n);
    });
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let (view50, view95) = measure(500, |_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let id = format!("case-{}", x % n as u64);
        let d = browse::case_detail(&vault, &id).unwrap();
        assert_eq!(d.incidents.len(), INCIDENTS_PER_CASE);
    });
    let queries = ["moldash", "Кетеба", "kurmanov 77", "zzz"];
    let (find50, find95) = measure(40, |i| {
        search::find_persons(&vault, queries[i % queries.len()], 12).unwrap();
    });
    println!(
        "case list ({n} cases):        p50 {:>8.1} ms  p95 {:>8.1} ms",
        ms(list50),
        ms(list95)
    );
    println!(
        "  baseline, list via export:  p50 {:>8.1} ms  p95 {:>8.1} ms  (indexed is {:.1}x faster at p50)",
        ms(base50),
        ms(base95),
        base50.as_secs_f64() / list50.as_secs_f64()
    );
    println!(
        "case view (10 incidents):     p50 {:>8.2} ms  p95 {:>8.2} ms",
        ms(view50),
        ms(view95)
    );
    println!(
        "person picker ({} persons): p50 {:>8.1} ms  p95 {:>8.1} ms",
        n * 2,
        ms(find50),
        ms(find95)
    );
}
