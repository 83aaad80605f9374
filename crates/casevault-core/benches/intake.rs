//! Self-report intake (issue: activist self-report). Run with
//! `cargo bench -p casevault-core --bench intake`; results go in
//! docs/BENCHMARKS.md. Needs Debian's `age`, `tar` and GNU time.
//!
//! An activist's report with 500 MiB of files (five 100 MiB files;
//! CASEVAULT_BENCH_MIB changes the total) is sealed to an NGO's intake
//! key, received into the NGO's inbox and accepted into a case, each
//! timed in process with its own peak RSS. Baselines, in the same run,
//! over the same files: `tar -c | age -r` and a sync for sealing (also
//! shown without the sync), `age -d > /dev/null`
//! for receiving (one authenticated read), and `age -d | tar -x` for
//! accepting (decrypt and write every file).
//!
//! The issue names no target; the goals we hold ourselves to: sealing
//! <= 1.3x its baseline; receiving <= 3x (it copies the file into the
//! vault and reads it whole twice: verify, then read the data);
//! accepting <= 3x (two reads, and every file encrypted again into the
//! evidence store and synced); peak RSS <= 128 MiB for each.

#![allow(clippy::print_stdout)]

mod common;

use common::{peak_rss_mib, reset_peak_rss};

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use casevault_core::bundle::Language;
use casevault_core::bundle::intake::{self, AcceptInto};
use casevault_core::bundle::seal::{self, SealRequest};
use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::model::self_report::{ReportConsent, Section, SelfReport};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Vault, VaultMode};

fn vault(dir: &Path) -> Vault {
    let options = CreateOptions {
        kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
    };
    let pass = Passphrase::from("bench passphrase: orbit lantern quartz meadow 2026");
    Vault::create(dir, &pass, &options, chrono::Utc::now())
        .unwrap()
        .0
}

/// Runs `script` under GNU time; returns (seconds, peak RSS MiB).
fn timed(script: &str, timing: &Path) -> (f64, f64) {
    let t = Instant::now();
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(timing)
        .args(["bash", "-c", script])
        .status()
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert!(status.success(), "{script}");
    let rss = std::fs::read_to_string(timing)
        .unwrap()
        .trim()
        .parse::<f64>()
        .unwrap_or(0.0)
        / 1024.0;
    (secs, rss)
}

fn line(what: &str, ours: (f64, f64), base_what: &str, base: (f64, f64), goal: f64) {
    println!("{what:<26} {:6.2} s  peak RSS {:6.1} MiB", ours.0, ours.1);
    println!(
        "{base_what:<26} {:6.2} s  peak RSS {:6.1} MiB",
        base.0, base.1
    );
    println!(
        "  ratio {:.2}x (goal <= {goal}x): {}; peak RSS goal <= 128 MiB: {}",
        ours.0 / base.0,
        if ours.0 / base.0 <= goal {
            "met"
        } else {
            "MISSED"
        },
        if ours.1 <= 128.0 { "met" } else { "MISSED" }
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("bench intake: run with `cargo bench -p casevault-core --bench intake`");
        return;
    }
    let total_mib: u64 = std::env::var("CASEVAULT_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let base = std::env::var_os("CASEVAULT_BENCH_DIR").unwrap_or_else(|| "/var/tmp".into());
    let dir = tempfile::tempdir_in(base).unwrap();
    let mut activist = vault(&dir.path().join("activist"));
    activist.set_mode(VaultMode::SelfReport).unwrap();
    let mut ngo = vault(&dir.path().join("ngo"));
    let intake_key = ngo.create_identity("Intake", chrono::Utc::now()).unwrap();

    let report = activist.create_report(chrono::Utc::now()).unwrap();
    let id = report.summary.id;
    let answers = SelfReport {
        what_happened: Section {
            happened: Some(true),
            act_type: "physical_surveillance".into(),
            when: "March 2024".into(),
            details: "Followed from the hotel to the embassy. ".repeat(50),
            ..Section::default()
        },
        consent: ReportConsent {
            record: true,
            ..ReportConsent::default()
        },
        ..SelfReport::default()
    };
    activist
        .save_report(&id, &answers, chrono::Utc::now())
        .unwrap();

    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let files = 5u64;
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for f in 0..files {
        let path = plain.join(format!("video-{f}.bin"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut block = vec![0u8; 1 << 20];
        for _ in 0..total_mib / files {
            for b in block.chunks_exact_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.copy_from_slice(&x.to_le_bytes());
            }
            w.write_all(&block).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        activist
            .attach_to_report(&id, &path, "file", chrono::Utc::now(), |_, _| {})
            .unwrap();
    }
    // Warm the page cache for both sides alike.
    for f in std::fs::read_dir(&plain).unwrap() {
        std::io::copy(
            &mut std::fs::File::open(f.unwrap().path()).unwrap(),
            &mut std::io::sink(),
        )
        .unwrap();
    }

    let sealed = dir.path().join("report.cvb");
    reset_peak_rss();
    let t = Instant::now();
    let r = seal::seal(
        &mut activist,
        SealRequest {
            report_id: &id,
            intake_key: &intake_key.recipient,
            language: Language::En,
            out: &sealed,
        },
        chrono::Utc::now(),
    )
    .unwrap();
    let seal_t = (t.elapsed().as_secs_f64(), peak_rss_mib());

    reset_peak_rss();
    let t = Instant::now();
    let item = intake::receive(&mut ngo, &sealed, "bench", chrono::Utc::now()).unwrap();
    let receive_t = (t.elapsed().as_secs_f64(), peak_rss_mib());

    reset_peak_rss();
    let t = Instant::now();
    intake::accept(
        &mut ngo,
        &item.bundle_id,
        &AcceptInto::default(),
        "bench",
        chrono::Utc::now(),
        |_, _| {},
    )
    .unwrap();
    let accept_t = (t.elapsed().as_secs_f64(), peak_rss_mib());

    // Baselines with stock tools, over the same files and the same key.
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
    let timing = dir.path().join("time.txt");
    let base_out = dir.path().join("baseline.age");
    let seal_b = timed(
        &format!(
            "tar -cf - -C '{}' . | age -r {} > '{}'",
            plain.display(),
            recipient.trim(),
            base_out.display()
        ),
        &timing,
    );
    std::fs::remove_file(&base_out).unwrap();
    // Casevault syncs what it writes before it says "saved"; the same
    // pipeline with a sync is the like-for-like baseline.
    let seal_sync_b = timed(
        &format!(
            "tar -cf - -C '{}' . | age -r {} > '{}' && sync -f '{}'",
            plain.display(),
            recipient.trim(),
            base_out.display(),
            base_out.display()
        ),
        &timing,
    );
    let receive_b = timed(
        &format!(
            "age -d -i '{}' '{}' > /dev/null",
            key.display(),
            base_out.display()
        ),
        &timing,
    );
    let extract = dir.path().join("extract");
    std::fs::create_dir(&extract).unwrap();
    let accept_b = timed(
        &format!(
            "age -d -i '{}' '{}' | tar -xf - -C '{}' && sync -f '{}'",
            key.display(),
            base_out.display(),
            extract.display(),
            extract.display()
        ),
        &timing,
    );

    println!(
        "self-report with {total_mib} MiB in {files} files; sealed bundle {} files, {:.1} MiB",
        r.files,
        r.bytes as f64 / 1048576.0
    );
    line(
        "casevault report seal",
        seal_t,
        "tar -c | age -r + sync",
        seal_sync_b,
        1.3,
    );
    println!(
        "  (without the sync: tar -c | age -r {:.2} s, ratio {:.2}x)",
        seal_b.0,
        seal_t.0 / seal_b.0
    );
    line(
        "casevault intake import",
        receive_t,
        "age -d > /dev/null",
        receive_b,
        3.0,
    );
    line(
        "casevault intake accept",
        accept_t,
        "age -d | tar -x + sync",
        accept_b,
        3.0,
    );
}
