//! Team-space sync through a real, local Garage (issue 18). Run with
//! `cargo bench -p casevault-sync --bench sync`; results go in
//! docs/BENCHMARKS.md. Needs the `garage` binary `scripts/setup` installs.
//!
//! In one run:
//! - **Initial sync.** Vault A holds a space of `CASEVAULT_BENCH_RECORDS`
//!   records (10,000 by default: one case, one person, testimonies of
//!   1–3 kB) and `CASEVAULT_BENCH_MIB` MiB of evidence (1 GiB by default, in
//!   eight files). A's first sync uploads it all; B, invited, downloads it
//!   all on its first sync. Each runs in a process of its own (this bench
//!   again) that opens its vault and syncs, as the app or `casevault sync`
//!   would; its peak RSS is the sync's (the high-water mark is reset
//!   through /proc/self/clear_refs after the unlock, whose Argon2 peak is
//!   printed apart).
//! - **The baseline**: the same bytes (each record's JSON as one object,
//!   each file in 4 MiB objects, as the sync cuts them) uploaded and then
//!   downloaded with the same S3 client (`S3Remote`, whose put is a HEAD
//!   and a PUT, as for the sync), in the same run, against the same Garage
//!   (a bucket of its own, so the space's listing holds only its objects).
//! - **Incremental sync**: A amends one testimony and syncs, then B syncs
//!   and applies it; the round trip (A's sync + B's sync) over
//!   `CASEVAULT_BENCH_ROUNDS` rounds (20), p50 and p95. Twice: as the app
//!   syncs (the unlocked vault keeps each replica in memory between
//!   syncs), then as the CLI does, a new process each time, which reads
//!   the replica from the vault (`spaces::forget_in_memory` first).
//!
//! Goals (issue 18): initial sync ≤ 1.5× the baseline, peak RSS ≤ 128 MiB;
//! incremental round trip p95 ≤ 300 ms.
#![allow(
    clippy::disallowed_methods,
    reason = "a bench is a program like the CLI: its sizes and directories come from the environment"
)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use casevault_core::ops::interchange;
use casevault_core::vault::attachments::AttachRequest;
use casevault_sync::remote::s3::{S3Address, S3Credentials, S3Remote};
use casevault_sync::remote::{ObjectName, Remote};
use casevault_sync::spaces;
use casevault_sync::testing::garage::Garage;
use casevault_sync::testing::vault::{new_vault, open_vault};
use zeroize::Zeroizing;

const SPACE: &str = "bench-space";
const CASE: &str = "case-bench";
const CHUNK: usize = 4 << 20;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
}

fn peak_rss_mib() -> f64 {
    status_mib("VmHWM:")
}

/// The resident set now.
fn rss_mib() -> f64 {
    status_mib("VmRSS:")
}

fn status_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap()
        / 1024.0
}

/// A deterministic pseudo-random stream (xorshift), so every run syncs the
/// same bytes and nothing compresses.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const WORDS: &[&str] = &[
    "командировке",
    "Москве",
    "Алматы",
    "surveillance",
    "followed",
    "embassy",
    "hotel",
    "extradition",
    "задержали",
    "допрос",
    "passport",
    "border",
    "Bishkek",
    "адвокат",
    "witness",
    "sentence",
];

/// A statement of 1–3 kB.
fn statement(rng: &mut Xorshift, n: u64) -> String {
    let target = 1000 + (rng.next() % 2000) as usize;
    let mut s = format!("Statement {n}.\n");
    while s.len() < target {
        s.push_str(WORDS[(rng.next() % WORDS.len() as u64) as usize]);
        s.push(if rng.next().is_multiple_of(12) {
            '\n'
        } else {
            ' '
        });
    }
    s
}

fn testimony(rng: &mut Xorshift, n: u64) -> serde_json::Value {
    serde_json::json!({
        "id": format!("t-bench-{n:05}"),
        "case": CASE,
        "person": "p-bench",
        "language": "ru",
        "mode": "in_person",
        "interviewer": "Caseworker (bench)",
        "statement": statement(rng, n),
        "consent": {"record": true, "share_lawyers": true, "share_courts": false, "share_un": false,
                    "share_media": false, "publish": false, "anonymity": "pseudonym"},
    })
}

/// The space's records as an interchange document: one case, one person,
/// and testimonies for the rest.
fn document(records: u64) -> serde_json::Value {
    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let testimonies: Vec<_> = (0..records.saturating_sub(2))
        .map(|n| testimony(&mut rng, n))
        .collect();
    serde_json::json!({
        "format": interchange::FORMAT,
        "version": 1,
        "cases": [{"id": CASE, "title": "Bench: surveillance abroad", "status": "open",
                   "origin_country": "KZ", "host_countries": []}],
        "persons": [{"id": "p-bench", "case_roles": [{"case": CASE, "role": "victim"}],
                     "names": [{"name": "Daniyar Moldashev", "kind": "primary"},
                     {"name": "Молдашев Данияр", "kind": "original_script"}]}],
        "testimonies": testimonies,
    })
}

fn evidence_files(dir: &Path, total_mib: u64) -> Vec<PathBuf> {
    let files = 8;
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    (0..files)
        .map(|f| {
            use std::io::Write;
            let path = dir.join(format!("evidence-{f}.bin"));
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            let mut block = vec![0u8; 1 << 20];
            for _ in 0..total_mib / files {
                for b in block.chunks_exact_mut(8) {
                    b.copy_from_slice(&rng.next().to_le_bytes());
                }
                w.write_all(&block).unwrap();
            }
            w.flush().unwrap();
            path
        })
        .collect()
}

/// An object name for the baseline's objects (64 lowercase hex).
fn baseline_name(prefix: u32, n: u64) -> ObjectName {
    ObjectName::parse(&format!("{prefix:08x}{n:056x}")).unwrap()
}

/// The baseline: the same bytes through the same client, up then down.
fn baseline(remote: &dyn Remote, records: &[Vec<u8>], files: &[PathBuf]) -> (f64, f64) {
    let t = Instant::now();
    let mut names = Vec::new();
    for (n, r) in records.iter().enumerate() {
        let name = baseline_name(0xba5e_0001, n as u64);
        assert!(remote.put(&name, r).unwrap());
        names.push(name);
    }
    let mut chunk = vec![0u8; CHUNK];
    let mut n = 0u64;
    for path in files {
        let mut f = std::fs::File::open(path).unwrap();
        loop {
            let mut filled = 0;
            while filled < CHUNK {
                let k = f.read(&mut chunk[filled..]).unwrap();
                if k == 0 {
                    break;
                }
                filled += k;
            }
            if filled == 0 {
                break;
            }
            let name = baseline_name(0xba5e_0002, n);
            n += 1;
            assert!(remote.put(&name, &chunk[..filled]).unwrap());
            names.push(name);
        }
    }
    let up = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut bytes = 0usize;
    for name in &names {
        bytes += remote.get(name).unwrap().unwrap().len();
    }
    let down = t.elapsed().as_secs_f64();
    assert!(bytes > 0);
    (up, down)
}

/// A remote that counts and times what the sync asks of the store, so the
/// figures say where the time goes (requests, not only seconds).
#[derive(Debug)]
struct Counted<R> {
    inner: R,
    calls: std::sync::Mutex<[(u64, f64); 3]>,
}

impl<R: Remote> Counted<R> {
    fn new(inner: R) -> Self {
        Counted {
            inner,
            calls: std::sync::Mutex::new([(0, 0.0); 3]),
        }
    }

    fn timed<T>(&self, op: usize, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        let mut calls = self.calls.lock().unwrap();
        calls[op].0 += 1;
        calls[op].1 += t.elapsed().as_secs_f64();
        out
    }

    /// "puts n (s), gets n (s), lists n (s)" since the last call.
    fn report(&self) -> String {
        let mut calls = self.calls.lock().unwrap();
        let text = format!(
            "puts {} ({:.1} s), gets {} ({:.1} s), lists {} ({:.1} s)",
            calls[0].0, calls[0].1, calls[1].0, calls[1].1, calls[2].0, calls[2].1
        );
        *calls = [(0, 0.0); 3];
        text
    }
}

impl<R: Remote> Remote for Counted<R> {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> casevault_sync::Result<bool> {
        self.timed(0, || self.inner.put(name, bytes))
    }
    fn get(&self, name: &ObjectName) -> casevault_sync::Result<Option<Vec<u8>>> {
        self.timed(1, || self.inner.get(name))
    }
    fn list(&self) -> casevault_sync::Result<Vec<ObjectName>> {
        self.timed(2, || self.inner.list())
    }
    fn parallel_reads(&self) -> bool {
        self.inner.parallel_reads()
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// What a child process reports of its initial sync, tab-separated:
/// seconds; peak RSS, RSS at the unlock's peak and when the sync began, in
/// MiB; files sent, files received, spaces joined; its requests (last: it
/// is text).
const CHILD_REPORT: &str = "initial-sync-report";

/// The child: opens the vault at `path` as a user would, then syncs it
/// once with the remote of the environment and prints what it measured.
/// Its peak RSS is reset after the unlock (Argon2's 64 MiB are the
/// unlock's, not the sync's), so it is the sync's in a process that holds
/// one unlocked vault, as the app or `casevault sync` does.
fn initial_sync_child(path: &Path, actor: &str) {
    let var = |name: &str| std::env::var(name).expect(name);
    let address = var("CASEVAULT_BENCH_ADDRESS");
    let credentials = S3Credentials::new(
        &var("CASEVAULT_S3_KEY_ID"),
        Zeroizing::new(var("CASEVAULT_S3_SECRET")),
    )
    .unwrap();
    let remote =
        Counted::new(S3Remote::open(S3Address::parse(&address).unwrap(), credentials).unwrap());
    let mut vault = open_vault(path, actor);
    let unlock_rss = peak_rss_mib();
    let start_rss = rss_mib();
    reset_peak_rss();
    let t = Instant::now();
    let outcome = spaces::sync(&mut vault, &remote, &address, &mut |_| {}).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{CHILD_REPORT}\t{secs}\t{}\t{unlock_rss}\t{start_rss}\t{}\t{}\t{}\t{}",
        peak_rss_mib(),
        outcome.files_sent,
        outcome.files_received,
        outcome.joined.len(),
        remote.report()
    );
}

/// An initial sync in a process of its own (this bench again, as
/// [`initial_sync_child`]): in this one, the set-up, the baseline and the
/// other vault would count in the peak RSS.
struct ChildSync {
    secs: f64,
    peak_rss_mib: f64,
    /// The peak of the process before the sync: opening the vault.
    unlock_rss_mib: f64,
    /// The resident set when the sync began: the open vault.
    start_rss_mib: f64,
    files_sent: usize,
    files_received: usize,
    joined: usize,
    requests: String,
}

fn initial_sync_in_child(garage: &Garage, path: &Path, actor: &str) -> ChildSync {
    // CASEVAULT_BENCH_HEAPTRACK=PREFIX runs it under heaptrack, which
    // writes PREFIX-ACTOR.zst: what the peak heap is made of.
    let mut cmd = match std::env::var("CASEVAULT_BENCH_HEAPTRACK") {
        Ok(w) => {
            let mut c = std::process::Command::new("heaptrack");
            c.args(["-o", &format!("{w}-{actor}")])
                .arg(std::env::current_exe().unwrap());
            c
        }
        Err(_) => std::process::Command::new(std::env::current_exe().unwrap()),
    };
    let out = cmd
        .args(["--bench", "--initial-sync-child", actor])
        .arg(path)
        .env("CASEVAULT_BENCH_ADDRESS", garage.address())
        .env("CASEVAULT_S3_KEY_ID", garage.key_id())
        .env("CASEVAULT_S3_SECRET", garage.secret())
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "the initial sync of {actor} failed");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(CHILD_REPORT))
        .expect("the child's report");
    let f: Vec<&str> = line.trim_start_matches('\t').split('\t').collect();
    ChildSync {
        secs: f[0].parse().unwrap(),
        peak_rss_mib: f[1].parse().unwrap(),
        unlock_rss_mib: f[2].parse().unwrap(),
        start_rss_mib: f[3].parse().unwrap(),
        files_sent: f[4].parse().unwrap(),
        files_received: f[5].parse().unwrap(),
        joined: f[6].parse().unwrap(),
        requests: f[7].to_owned(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("bench sync: run with `cargo bench -p casevault-sync --bench sync`");
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--initial-sync-child") {
        initial_sync_child(Path::new(&args[i + 2]), &args[i + 1]);
        return;
    }
    let records = env_number("CASEVAULT_BENCH_RECORDS", 10_000);
    let mib = env_number("CASEVAULT_BENCH_MIB", 1024);
    let rounds = env_number("CASEVAULT_BENCH_ROUNDS", 20) as usize;
    let base = std::env::var_os("CASEVAULT_BENCH_DIR").unwrap_or_else(|| "/var/tmp".into());
    let dir = tempfile::tempdir_in(base).unwrap();
    let garage = Garage::start().expect("Garage (scripts/setup installs it)");
    let address = garage.address();
    let remote = Counted::new(garage.remote());

    eprintln!("Setting up: {records} records, {mib} MiB of evidence");
    let t = Instant::now();
    let doc = document(records);
    let record_bytes: Vec<Vec<u8>> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .chain(doc["persons"].as_array().unwrap())
        .chain(doc["testimonies"].as_array().unwrap())
        .map(|r| serde_json::to_vec(r).unwrap())
        .collect();
    let text_bytes: usize = record_bytes.iter().map(Vec::len).sum();
    let mut a = new_vault(&dir.path().join("a"), "bench-a");
    let parsed = interchange::parse(&serde_json::to_vec(&doc).unwrap()).unwrap();
    interchange::import(&mut a, &parsed).unwrap();
    let files = evidence_files(dir.path(), mib);
    for f in &files {
        a.attach(
            AttachRequest {
                record_id: CASE,
                source: f,
                derived_from: None,
                note: None,
            },
            |_, _| {},
        )
        .unwrap();
    }
    let mut b = new_vault(&dir.path().join("b"), "bench-b");
    let b_line = spaces::device_key(&mut b).unwrap().public().line();
    spaces::create_space(&mut a, SPACE, &[CASE.to_owned()]).unwrap();
    spaces::add_member(&mut a, SPACE, &b_line, "B").unwrap();
    eprintln!("Set up in {:.1} s", t.elapsed().as_secs_f64());

    // The baseline's objects go to a bucket of their own: in the space's
    // bucket they would double what every sync lists.
    garage.create_bucket("baseline");
    let base_remote = Counted::new(garage.remote_via(0, "baseline"));
    let (base_up, base_down) = baseline(&base_remote, &record_bytes, &files);
    let base_calls = base_remote.report();

    // Each initial sync runs in a process of its own, which holds only its
    // vault: the vaults are locked here meanwhile (a vault is open in one
    // process at a time) and opened again after.
    let mut quiet = |_: &str| {};
    a.lock();
    b.lock();
    let up = initial_sync_in_child(&garage, &dir.path().join("a"), "bench-a");
    assert_eq!(up.files_sent, files.len(), "every file sent");
    let down = initial_sync_in_child(&garage, &dir.path().join("b"), "bench-b");
    assert_eq!(down.joined, 1, "B joined the space");
    assert_eq!(down.files_received, files.len(), "every file received");
    let (sync_up, sync_up_rss, up_calls) = (up.secs, up.peak_rss_mib, up.requests);
    let (sync_down, sync_down_rss, down_calls) = (down.secs, down.peak_rss_mib, down.requests);
    let mut a = open_vault(&dir.path().join("a"), "bench-a");
    let mut b = open_vault(&dir.path().join("b"), "bench-b");
    let held: u64 = b.record_counts().unwrap().iter().map(|(_, n)| n).sum();
    assert_eq!(held, records, "every record applied");

    let mut rng = Xorshift(0x1234_5678_9abc_def1);
    let mut incremental = |from_disk: bool, rounds: usize| {
        let mut round_trips = Vec::new();
        for round in 0..rounds {
            let id = format!("t-bench-{:05}", rng.next() % (records - 2));
            let mut data = a.get_record(&id).unwrap().unwrap().data;
            data["statement"] = serde_json::Value::String(format!("Amended in round {round}.\n"));
            let t = Instant::now();
            a.amend_record(&id, &data, "bench").unwrap();
            if from_disk {
                spaces::forget_in_memory(&mut a);
            }
            let sent = spaces::sync(&mut a, &remote, &address, &mut quiet).unwrap();
            if from_disk {
                spaces::forget_in_memory(&mut b);
            }
            let got = spaces::sync(&mut b, &remote, &address, &mut quiet).unwrap();
            round_trips.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!((sent.uploaded, got.applied), (1, 1), "round {round}");
        }
        round_trips.sort_by(f64::total_cmp);
        round_trips
    };
    // The first sync after the unlock reads the replicas from the vault
    // (the initial syncs ran in other processes); the app's later ones
    // find them in memory. That first round is timed apart.
    let first = incremental(false, 1)[0];
    remote.report();
    let warm = incremental(false, rounds);
    let round_calls = remote.report();
    let cold = incremental(true, rounds);

    let initial = sync_up + sync_down;
    let base_total = base_up + base_down;
    println!(
        "records: {records} ({:.1} MB of JSON), evidence: {mib} MiB in {} files",
        text_bytes as f64 / 1e6,
        files.len()
    );
    println!(
        "baseline (same bytes, same S3 client): up {base_up:.1} s, down {base_down:.1} s, total {base_total:.1} s"
    );
    println!(
        "initial sync, each in a process of its own: A up {sync_up:.1} s (peak RSS {sync_up_rss:.0} MiB), B down {sync_down:.1} s (peak RSS {sync_down_rss:.0} MiB), total {initial:.1} s"
    );
    println!(
        "  peak RSS of opening the vault, before the sync: A {:.0} MiB, B {:.0} MiB (Argon2); RSS when the sync began: A {:.0} MiB, B {:.0} MiB",
        up.unlock_rss_mib, down.unlock_rss_mib, up.start_rss_mib, down.start_rss_mib
    );
    println!(
        "  requests (count, seconds summed over requests in flight): baseline {base_calls}; A up {up_calls}; B down {down_calls}"
    );
    println!(
        "initial sync / baseline: {:.2}x (goal <= 1.5x); up {:.2}x, down {:.2}x",
        initial / base_total,
        sync_up / base_up,
        sync_down / base_down
    );
    for (how, round_trips) in [
        ("replicas kept in memory, as the app syncs", &warm),
        ("replicas read from the vault, as the CLI syncs", &cold),
    ] {
        println!(
            "incremental round trip (A amends and syncs, B syncs and applies), {how}, {rounds} rounds: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms (goal p95 <= 300 ms)",
            percentile(round_trips, 0.5),
            percentile(round_trips, 0.95),
            round_trips.last().unwrap()
        );
    }
    println!(
        "  the app's first round after the unlock, before the timed ones (its replicas read from the vault): {first:.0} ms"
    );
    println!("  requests over the app's {rounds} rounds: {round_calls}");
}
