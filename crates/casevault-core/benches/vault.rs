//! Vault benchmarks (issue: encrypted vault). Run with
//! `cargo bench -p casevault-core --bench vault`; results go in
//! docs/BENCHMARKS.md.
//!
//! 1. The cost of encryption: the same workload on the SQLCipher vault and
//!    on plain SQLite (the same library opened without a key), in one run.
//!    Goal: ≤ 1.3×.
//! 2. Unlock time with the default (calibrated) KDF, split into KDF and
//!    database open, and peak memory.
#![allow(
    clippy::disallowed_methods,
    reason = "a bench is a program like the CLI: its sizes and directories come from the environment"
)]
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::time::{Duration, Instant};

use casevault_core::crypto::kdf::KdfChoice;
use casevault_core::secret::{DataKey, Passphrase};
use casevault_core::vault::{CreateOptions, Credential, Vault, db};
use rusqlite::{Connection, params};

/// Overridable for quick experiments: CASEVAULT_BENCH_ROWS.
fn rows() -> usize {
    std::env::var("CASEVAULT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}
const BATCH: usize = 100;
const LOOKUPS: usize = 10_000;
const FTS_QUERIES: usize = 1_000;

const WORDS: &[&str] = &[
    "surveillance",
    "hotel",
    "embassy",
    "abduction",
    "rally",
    "passport",
    "interpol",
    "notice",
    "extradition",
    "beaten",
    "followed",
    "phone",
    "relatives",
    "summons",
    "court",
    "sentence",
    "absentia",
    "asylum",
    "слежка",
    "посольство",
    "похищение",
    "паспорт",
    "экстрадиция",
    "суд",
    "приговор",
    "родственники",
];

const SYLLABLES: &[&str] = &[
    "ka", "zan", "tur", "bek", "ol", "mir", "sha", "dar", "ny", "ет", "ов", "ка", "жан", "ұл",
    "тай",
];

/// A word from a Zipf-like vocabulary of a few thousand words: the domain
/// words are frequent, synthetic names and places are rare, as in real
/// testimonies.
fn word(x: u64) -> String {
    if x.is_multiple_of(4) {
        return WORDS[(x / 4 % WORDS.len() as u64) as usize].to_owned();
    }
    let n = (x / 4) % 4096;
    let mut w = String::new();
    let mut k = n;
    for _ in 0..3 {
        w.push_str(SYLLABLES[(k % SYLLABLES.len() as u64) as usize]);
        k /= SYLLABLES.len() as u64;
    }
    w
}

fn incident_text(i: usize) -> String {
    let mut s = String::with_capacity(600);
    let mut x = i as u64 * 2654435761 + 1;
    for _ in 0..80 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(&word(x));
        s.push(' ');
    }
    s
}

struct Timings {
    insert: Duration,
    lookup: Duration,
    fts: Duration,
}

fn workload(conn: &mut Connection) -> Timings {
    conn.execute_batch(
        "CREATE TABLE incident (id INTEGER PRIMARY KEY, case_ref TEXT NOT NULL, occurred TEXT NOT NULL, description TEXT NOT NULL);
         CREATE INDEX incident_case ON incident (case_ref);
         CREATE VIRTUAL TABLE incident_fts USING fts5 (description, content='incident', content_rowid='id');",
    )
    .unwrap();
    let start = Instant::now();
    for batch in 0..rows() / BATCH {
        let tx = conn.transaction().unwrap();
        {
            let mut ins = tx
                .prepare_cached("INSERT INTO incident (id, case_ref, occurred, description) VALUES (?1, ?2, ?3, ?4)")
                .unwrap();
            let mut fts = tx
                .prepare_cached("INSERT INTO incident_fts (rowid, description) VALUES (?1, ?2)")
                .unwrap();
            for j in 0..BATCH {
                let id = (batch * BATCH + j) as i64;
                let text = incident_text(id as usize);
                ins.execute(params![
                    id,
                    format!("case-{:05}", id % 10_000),
                    format!("2008-03-{:02}", id % 28 + 1),
                    text
                ])
                .unwrap();
                fts.execute(params![id, text]).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let insert = start.elapsed();

    let start = Instant::now();
    let mut q = conn
        .prepare_cached("SELECT count(*) FROM incident WHERE case_ref = ?1")
        .unwrap();
    for i in 0..LOOKUPS {
        let n: i64 = q
            .query_row([format!("case-{:05}", (i * 7919) % 10_000)], |r| r.get(0))
            .unwrap();
        assert!(n > 0);
    }
    drop(q);
    let lookup = start.elapsed();

    let start = Instant::now();
    let mut q = conn
        .prepare_cached(
            "SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?1 ORDER BY rank LIMIT 20",
        )
        .unwrap();
    for i in 0..FTS_QUERIES {
        let term = format!(
            "{} {}",
            WORDS[i % WORDS.len()],
            WORDS[(i * 7) % WORDS.len()]
        );
        let _rows: Vec<i64> = q
            .query_map([term], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
    }
    let fts = start.elapsed();
    Timings {
        insert,
        lookup,
        fts,
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_owned())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn encryption_cost(dir: &Path) {
    let plain_path = dir.join("plain.db");
    let mut plain = Connection::open(&plain_path).unwrap();
    db::apply_session_pragmas(&plain).unwrap();
    let p = workload(&mut plain);
    drop(plain);

    let key = DataKey::generate().unwrap();
    let mut enc = db::open(&dir.join("vault.db"), &key, db::OpenMode::Create).unwrap();
    // Which wipe ran: SQLCipher's (the pragma, 1) only when our zeroing
    // allocator could not be installed; print what actually ran.
    let memory_security: String = enc
        .query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))
        .unwrap();
    let e = workload(&mut enc);
    drop(enc);

    let total_p = p.insert + p.lookup + p.fts;
    let total_e = e.insert + e.lookup + e.fts;
    println!(
        "## Cost of encryption ({} rows in transactions of {BATCH}, {LOOKUPS} indexed look-ups, {FTS_QUERIES} FTS5 queries)",
        rows()
    );
    println!("| phase | plain SQLite | SQLCipher vault | ratio |");
    println!("|---|---|---|---|");
    for (name, a, b) in [
        ("insert", p.insert, e.insert),
        ("indexed look-ups", p.lookup, e.lookup),
        ("full-text queries", p.fts, e.fts),
        ("total", total_p, total_e),
    ] {
        println!(
            "| {name} | {:.2} s | {:.2} s | {:.2}× |",
            a.as_secs_f64(),
            b.as_secs_f64(),
            ratio(b, a)
        );
    }
    let size =
        |f: &str| std::fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0) / (1024 * 1024);
    println!(
        "file sizes: plain {} MiB, vault {} MiB",
        size("plain.db"),
        size("vault.db")
    );
    println!("vault cipher_memory_security = {memory_security}");
    // Process-wide, like SQLCipher's: both halves ran with the same wipe.
    println!(
        "freed memory zeroed by casevault-sqlite-wipe (both halves) = {}",
        casevault_sqlite_wipe::install()
    );
    println!(
        "RESULT encryption_cost_ratio={:.3} goal<=1.3",
        ratio(total_e, total_p)
    );
}

fn unlock_time(dir: &Path) {
    let path = dir.join("unlock");
    let pass = Passphrase::from("violet harbour quantum tortoise 1997");
    let start = Instant::now();
    let (vault, _) = Vault::create(
        &path,
        &pass,
        &CreateOptions {
            kdf: KdfChoice::default(),
        },
        casevault_core::Session::new("bench", casevault_core::Clock::system()),
    )
    .unwrap();
    let create = start.elapsed();
    let params = vault.status().unwrap().slots[0].kdf.clone();
    vault.lock();
    let runs = 3;
    let mut total = Duration::ZERO;
    for _ in 0..runs {
        let start = Instant::now();
        Vault::open(
            &path,
            &Credential::Passphrase(pass.clone()),
            casevault_core::Session::new("bench", casevault_core::Clock::system()),
        )
        .unwrap()
        .lock();
        total += start.elapsed();
    }
    let unlock = total / runs;
    // KDF alone, with the slot's own parameters, averaged the same way.
    let header = casevault_core::vault::inspect(&path).unwrap();
    let casevault_core::vault::header::SlotKdf::Argon2id(slot_params) = header.body.slots[0].kdf
    else {
        unreachable!("slot 1 is the passphrase slot")
    };
    let kdf = (0..runs)
        .map(|_| slot_params.measure().unwrap())
        .sum::<Duration>()
        / runs;
    println!();
    println!("## Unlock with the default calibrated KDF");
    println!("passphrase slot: {params}");
    println!(
        "create (calibration + KDF + schema): {:.0} ms",
        create.as_secs_f64() * 1000.0
    );
    println!(
        "unlock total: {:.0} ms (KDF {:.0} ms, open + checks {:.0} ms)",
        unlock.as_secs_f64() * 1000.0,
        kdf.as_secs_f64() * 1000.0,
        (unlock.saturating_sub(kdf)).as_secs_f64() * 1000.0
    );
    println!(
        "peak RSS of the process: {} MiB (argon2id's memory, freed after each derivation)",
        peak_rss_kib() / 1024
    );
}

/// The `argon2` crate runs lanes one after another unless built with its
/// `parallel` feature (we build with it). With it, 4 lanes on a multi-core
/// machine take less time than 1 lane over the same memory; without it,
/// about the same.
fn argon2_lanes() {
    use casevault_core::crypto::kdf::Argon2Params;
    let time = |p: u32| {
        let params = Argon2Params {
            m_kib: 256 * 1024,
            t: 3,
            p,
        };
        (0..3).map(|_| params.measure().unwrap()).min().unwrap()
    };
    let one = time(1);
    let four = time(4);
    println!();
    println!(
        "## argon2id lanes (256 MiB, t=3), {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!(
        "p=1: {:.0} ms, p=4: {:.0} ms, speed-up {:.2}× (parallel feature on)",
        one.as_secs_f64() * 1e3,
        four.as_secs_f64() * 1e3,
        ratio(one, four)
    );
}

fn main() {
    // `cargo test --benches` runs this with --bench absent; keep that fast.
    let quick = !std::env::args().any(|a| a == "--bench");
    let dir = tempfile::tempdir().unwrap();
    if quick {
        println!("bench vault: run with `cargo bench -p casevault-core --bench vault`");
        return;
    }
    // Unlock first, so that its peak memory is not the workload's.
    unlock_time(dir.path());
    argon2_lanes();
    encryption_cost(dir.path());
}
