//! Export bundle (issue: export bundles). Run with
//! `cargo bench -p casevault-core --bench bundle`; results go in
//! docs/BENCHMARKS.md. Needs Debian's `age`, `tar` and GNU time.
//!
//! One case with 1,000 incidents, 200 testimonies and 500 MiB of
//! attachments (five 100 MiB files; CASEVAULT_BENCH_MIB changes the total)
//! is exported as a bundle, timed in process with its own peak RSS (reset
//! through /proc/self/clear_refs first). The baseline, in the same run:
//! the same attachments and the case's JSON, in a directory, through
//! `tar -c | age -r` under GNU time. Then the time to verify the bundle.
//! Goals: time <= 1.3x the baseline; peak RSS <= 128 MiB.
#![allow(
    clippy::disallowed_methods,
    reason = "a bench is a program like the CLI: its sizes and directories come from the environment"
)]
#![allow(clippy::print_stdout)]

mod common;

use common::{peak_rss_mib, random_files, reset_peak_rss};

use std::process::Command;
use std::time::Instant;

use casevault_core::bundle::Language;
use casevault_core::bundle::read::{self, Unseal};
use casevault_core::bundle::write::{self, CreateRequest, Seal};
use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::ops::interchange;
use casevault_core::secret::Passphrase;
use casevault_core::vault::attachments::AttachRequest;
use casevault_core::vault::{CreateOptions, Vault};
use serde_json::json;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("bench bundle: run with `cargo bench -p casevault-core --bench bundle`");
        return;
    }
    let total_mib: u64 = std::env::var("CASEVAULT_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let base = std::env::var_os("CASEVAULT_BENCH_DIR").unwrap_or_else(|| "/var/tmp".into());
    let dir = tempfile::tempdir_in(base).unwrap();
    let options = CreateOptions {
        kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
    };
    let pass = Passphrase::from("bench passphrase: orbit lantern quartz meadow 2026");
    let (mut vault, _) = Vault::create(
        &dir.path().join("vault"),
        &pass,
        &options,
        casevault_core::Session::new("bench", casevault_core::Clock::system()),
    )
    .unwrap();

    let mut incidents = Vec::new();
    for i in 0..1000 {
        incidents.push(json!({"id": format!("inc-{i}"), "case": "case-bench", "title": format!("Incident {i}"),
            "act_type": "physical_surveillance", "start": format!("{}-{:02}", 2000 + i % 25, 1 + i % 12),
            "description": "Followed from the hotel to the embassy; за ним следили от гостиницы до посольства.".repeat(5),
            "victims": ["p-bench"]}));
    }
    let mut testimonies = Vec::new();
    for t in 0..200 {
        testimonies.push(json!({"id": format!("t-{t}"), "case": "case-bench", "person": "p-bench", "language": "ru",
            "statement": "Показания о слежке и угрозах родственникам. ".repeat(60),
            "consent": {"record": true, "share_lawyers": true, "share_courts": false, "share_un": false,
                        "share_media": false, "publish": false}}));
    }
    let doc = json!({"format": "casevault-interchange", "version": 1,
        "cases": [{"id": "case-bench", "title": "Benchmark case", "status": "open"}],
        "persons": [{"id": "p-bench", "names": [{"name": "Bench Person", "kind": "primary"}],
                     "case_roles": [{"case": "case-bench", "role": "victim"}]}],
        "incidents": incidents, "testimonies": testimonies});
    let doc = interchange::parse(doc.to_string().as_bytes()).unwrap();
    interchange::import(&mut vault, &doc).unwrap();

    // The same files feed both contenders.
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let files = 5u64;
    for path in random_files(&plain, "evidence", files, total_mib) {
        vault
            .attach(
                AttachRequest {
                    record_id: "case-bench",
                    source: &path,
                    derived_from: None,
                    note: None,
                },
                |_, _| {},
            )
            .unwrap();
    }
    std::fs::write(
        plain.join("data.json"),
        serde_json::to_vec_pretty(&doc).unwrap(),
    )
    .unwrap();
    for f in std::fs::read_dir(&plain).unwrap() {
        std::io::copy(
            &mut std::fs::File::open(f.unwrap().path()).unwrap(),
            &mut std::io::sink(),
        )
        .unwrap();
    }

    let key = dir.path().join("key.txt");
    assert!(
        Command::new("age-keygen")
            .arg("-o")
            .arg(&key)
            .output()
            .unwrap()
            .status
            .success()
    );
    let recipient = String::from_utf8(
        Command::new("age-keygen")
            .arg("-y")
            .arg(&key)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let recipient = recipient.trim().to_owned();

    let out = dir.path().join("bench.cvb");
    reset_peak_rss();
    let t = Instant::now();
    let report = write::create(
        &mut vault,
        CreateRequest {
            case_ids: &["case-bench".to_owned()],
            seal: Seal::Recipients(vec![recipient.clone()]),
            language: Language::En,
            organisation: "Bench NGO",
            out: &out,
        },
    )
    .unwrap();
    let ours = t.elapsed().as_secs_f64();
    let ours_rss = peak_rss_mib();

    let timing = dir.path().join("time.txt");
    let baseline_out = dir.path().join("baseline.age");
    let script = format!(
        "tar -cf - -C '{}' . | age -r {} > '{}'",
        plain.display(),
        recipient,
        baseline_out.display()
    );
    let t = Instant::now();
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&timing)
        .args(["bash", "-c", &script])
        .status()
        .unwrap();
    let baseline = t.elapsed().as_secs_f64();
    assert!(status.success());
    let baseline_rss = std::fs::read_to_string(&timing)
        .unwrap()
        .trim()
        .parse::<f64>()
        .unwrap_or(0.0)
        / 1024.0;

    let identity: age::x25519::Identity = std::fs::read_to_string(&key)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .parse()
        .unwrap();
    reset_peak_rss();
    let t = Instant::now();
    let v = read::verify(&out, &Unseal::Identities(vec![identity]), &[]).unwrap();
    let verify = t.elapsed().as_secs_f64();
    let verify_rss = peak_rss_mib();
    assert!(v.problems.is_empty());

    println!(
        "case: 1,000 incidents, 200 testimonies, {total_mib} MiB of attachments in {files} files; bundle {} files, {:.1} MiB",
        report.files,
        report.bytes as f64 / 1048576.0
    );
    println!("casevault bundle create: {ours:6.2} s  peak RSS {ours_rss:6.1} MiB");
    println!(
        "tar -c | age -r:         {baseline:6.2} s  peak RSS {baseline_rss:6.1} MiB (largest process of the pipeline)"
    );
    println!(
        "ratio: {:.2}x (goal <= 1.3x); peak RSS goal <= 128 MiB: {}",
        ours / baseline,
        if ours_rss <= 128.0 { "met" } else { "MISSED" }
    );
    println!("casevault bundle verify: {verify:6.2} s  peak RSS {verify_rss:6.1} MiB");
}
