//! Attachment import and export (issue: evidence files). Run with
//! `cargo bench -p casevault-core --bench attachments`; results go in
//! docs/BENCHMARKS.md. Needs Debian's `age`, `age-keygen` and GNU time
//! (`scripts/setup` installs them).
//!
//! In one run, on the same file (1 GiB by default; CASEVAULT_BENCH_MIB):
//! - Casevault attaching it (read, SHA-256, age-encrypt, fsync, commit) and
//!   saving a verified copy back out, timed in process, with the peak RSS
//!   of each step alone (the high-water mark is reset first through
//!   /proc/self/clear_refs, so the unlock's Argon2 memory does not count);
//! - `age -r` and `age -d` on the same file, with their peak RSS, and each
//!   followed by `sync FILE`: the durable equivalent of ours, which
//!   fsyncs before the vault records the file (or the copy gets its name).
//!
//! Goals: throughput >= 0.8x age; peak RSS < 64 MiB whatever the size.
#![allow(
    clippy::disallowed_methods,
    reason = "a bench is a program like the CLI: its sizes and directories come from the environment"
)]
#![allow(clippy::print_stdout)]

mod common;

use common::{peak_rss_mib, random_files, reset_peak_rss};

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::secret::Passphrase;
use casevault_core::vault::attachments::AttachRequest;
use casevault_core::vault::{CreateOptions, Vault};

fn mib() -> u64 {
    std::env::var("CASEVAULT_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024)
}

/// Runs a command under GNU time: (seconds, peak RSS MiB).
fn timed(dir: &Path, args: &[&str]) -> (f64, f64) {
    let out = dir.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(&out)
        .args(args)
        .status()
        .expect("GNU time (apt install time)");
    assert!(status.success(), "{args:?}");
    let text = std::fs::read_to_string(out).unwrap();
    let mut it = text.split_whitespace();
    let secs: f64 = it.next().unwrap().parse().unwrap();
    let kib: f64 = it.next().unwrap().parse().unwrap();
    (secs, kib / 1024.0)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("bench attachments: run with `cargo bench -p casevault-core --bench attachments`");
        return;
    }
    let size = mib();
    let base = std::env::var_os("CASEVAULT_BENCH_DIR").unwrap_or_else(|| "/var/tmp".into());
    let dir = tempfile::tempdir_in(base).unwrap();
    let src = random_files(dir.path(), "evidence", 1, size).remove(0);
    // Warm the page cache so every contender reads from memory.
    std::io::copy(
        &mut std::fs::File::open(&src).unwrap(),
        &mut std::io::sink(),
    )
    .unwrap();

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
    let record = vault
        .insert_record("case", &serde_json::json!({"title": "bench"}))
        .unwrap();

    reset_peak_rss();
    let t = Instant::now();
    let a = vault
        .attach(
            AttachRequest {
                record_id: &record,
                source: &src,
                derived_from: None,
                note: None,
            },
            |_, _| {},
        )
        .unwrap();
    let cv_in = t.elapsed().as_secs_f64();
    let cv_in_rss = peak_rss_mib();

    let copy = dir.path().join("copy.bin");
    reset_peak_rss();
    let t = Instant::now();
    vault.save_attachment_copy(&a.id, &copy, |_, _| {}).unwrap();
    let cv_out = t.elapsed().as_secs_f64();
    let cv_out_rss = peak_rss_mib();
    std::fs::remove_file(&copy).unwrap();

    let key = dir.path().join("key.txt");
    let ok = Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .unwrap();
    assert!(ok.status.success());
    let recipient = String::from_utf8(
        Command::new("age-keygen")
            .arg("-y")
            .arg(&key)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let enc = dir.path().join("evidence.age");
    let p = |x: &Path| x.to_str().unwrap().to_owned();
    let (age_in, age_in_rss) = timed(
        dir.path(),
        &["age", "-r", recipient.trim(), "-o", &p(&enc), &p(&src)],
    );
    let t = Instant::now();
    assert!(Command::new("sync").arg(&enc).status().unwrap().success());
    let age_sync = t.elapsed().as_secs_f64();
    let (age_out, age_out_rss) = timed(
        dir.path(),
        &["age", "-d", "-i", &p(&key), "-o", &p(&copy), &p(&enc)],
    );
    let t = Instant::now();
    assert!(Command::new("sync").arg(&copy).status().unwrap().success());
    let age_out_sync = t.elapsed().as_secs_f64();

    let mibs = size as f64;
    println!("file: {size} MiB");
    println!(
        "import  casevault attach:      {cv_in:6.2} s {:7.1} MiB/s  peak RSS {cv_in_rss:6.1} MiB (durable: fsync before commit)",
        mibs / cv_in
    );
    println!(
        "        age -r:                {age_in:6.2} s {:7.1} MiB/s  peak RSS {age_in_rss:6.1} MiB",
        mibs / age_in
    );
    println!(
        "        age -r, then sync:     {:6.2} s {:7.1} MiB/s",
        age_in + age_sync,
        mibs / (age_in + age_sync)
    );
    println!(
        "        ratio vs age: {:.2}x; vs age + sync: {:.2}x (goal >= 0.8x)",
        age_in / cv_in,
        (age_in + age_sync) / cv_in
    );
    println!(
        "export  casevault save copy:   {cv_out:6.2} s {:7.1} MiB/s  peak RSS {cv_out_rss:6.1} MiB (verified against the intake SHA-256)",
        mibs / cv_out
    );
    println!(
        "        age -d:                {age_out:6.2} s {:7.1} MiB/s  peak RSS {age_out_rss:6.1} MiB",
        mibs / age_out
    );
    println!(
        "        age -d, then sync:     {:6.2} s {:7.1} MiB/s",
        age_out + age_out_sync,
        mibs / (age_out + age_out_sync)
    );
    println!(
        "        ratio vs age: {:.2}x; vs age + sync: {:.2}x (goal >= 0.8x)",
        age_out / cv_out,
        (age_out + age_out_sync) / cv_out
    );
    println!(
        "peak RSS goal < 64 MiB: import {}, export {}",
        if cv_in_rss < 64.0 { "met" } else { "MISSED" },
        if cv_out_rss < 64.0 { "met" } else { "MISSED" }
    );
}
