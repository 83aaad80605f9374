//! Convergence of three vaults under the hostile relay (issue 18). Run with
//! `cargo bench -p casevault-sync --bench converge`; results go in
//! docs/BENCHMARKS.md.
//!
//! Per scenario, three real vaults on disk (real SQLCipher, the fastest
//! KDF): A creates a space with one case and `CASEVAULT_BENCH_SHARED`
//! testimonies (8) and adds B and C; all three sync once through an honest
//! relay (B and C join) and are checked to agree. With
//! `CASEVAULT_BENCH_HOSTILE_JOIN=1`, B and C join through the misbehaving
//! relay instead, in the rounds below. Each vault then makes
//! `CASEVAULT_BENCH_EDITS` edits (12): new testimonies in the case, amends
//! of its own new ones, amends of shared ones (all three amend the same
//! testimony, so a conflict is certain, and C trashes one that A and B may
//! amend). The edits come in `CASEVAULT_BENCH_WAVES` waves (2), each
//! before one of the faulty rounds, so that later ones travel while the
//! relay misbehaves; a vault that does not hold the case yet makes its
//! edits once it does. Rounds of "A, B and C each sync once, in that
//! order" go through one [`HostileRelay`] that misbehaves on a fixed, named
//! script for `CASEVAULT_BENCH_FAULTY_ROUNDS` rounds (4), and behaves
//! after. The script is fixed; which object each fault meets also depends
//! on the object names, keyed by the devices' random keys, so each
//! scenario runs `CASEVAULT_BENCH_REPEAT` times (3) and the table gives
//! the range.
//!
//! After every round the vaults are compared, never assumed to agree:
//! - every version any replica holds was written by the device it names
//!   (it is in that device's own replica): nothing tampered was applied;
//!   else the bench panics at once;
//! - converged means: the same records in the vault (kind, data, trash),
//!   the same conflicts, the same replica state (current version, heads,
//!   conflict flag, history per record), the same versions, exactly those
//!   written by the three, the same membership log, no gap, nothing unsent,
//!   and no edit still to make.
//!
//! It panics if the vaults have not converged `MAX_HONEST_ROUNDS` rounds
//! after the relay behaves, if a sync fails while it behaves, or if the
//! audit chain of a vault does not verify at the end.
//!
//! Each scenario runs through a folder remote and, unless
//! `CASEVAULT_SKIP_GARAGE=1`, through a fresh bucket of a local Garage
//! (the binary `scripts/setup` installs). The relay reads one object at a
//! time, so that each read meets its fault in order: through Garage, reads
//! are not run 16 at once as the S3 remote alone would. Vaults and the
//! folder go under `CASEVAULT_BENCH_DIR` (/var/tmp).
//! `CASEVAULT_BENCH_SCENARIOS` (comma-separated names) runs some only;
//! `CASEVAULT_BENCH_SCRIPT` (e.g. `drop,honest,stale,flip:12`) runs one
//! script of one's own instead.
#![allow(
    clippy::disallowed_methods,
    reason = "a bench is a program like the CLI: its sizes and directories come from the environment"
)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use casevault_core::ops::{edit, interchange};
use casevault_core::vault::Vault;
use casevault_sync::device::DeviceId;
use casevault_sync::log::Entry;
use casevault_sync::relay::{Fault, HostileRelay};
use casevault_sync::remote::{FolderRemote, Remote};
use casevault_sync::replica::{RecordView, VersionId};
use casevault_sync::spaces;
use casevault_sync::testing::garage::{self, Garage};
use casevault_sync::testing::vault::new_vault;

const SPACE: &str = "converge-space";
const CASE: &str = "case-converge";
const PERSON: &str = "p-converge";
/// Honest rounds allowed after the faulty ones before the bench calls it
/// a failure to converge.
const MAX_HONEST_ROUNDS: usize = 10;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A deterministic pseudo-random stream (xorshift): every run makes the
/// same edits.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A fixed fault script: the relay takes the next fault for each put, get
/// and list, in a cycle.
struct Scenario {
    name: &'static str,
    script: Vec<Fault>,
}

fn scenarios() -> Vec<Scenario> {
    use Fault::{Drop, Duplicate, Flip, Honest, Replay, Stale};
    vec![
        // The floor the others are measured against.
        Scenario {
            name: "honest",
            script: vec![Honest],
        },
        Scenario {
            name: "drop 1 in 3",
            script: vec![Drop, Honest, Honest],
        },
        Scenario {
            name: "withhold everything",
            script: vec![Drop],
        },
        Scenario {
            name: "stale listings",
            script: vec![Stale, Stale, Honest],
        },
        Scenario {
            name: "replay+duplicate",
            script: vec![Replay, Duplicate, Honest],
        },
        Scenario {
            name: "flip bits",
            script: vec![Flip(7), Honest, Flip(1000), Honest, Flip(123_457)],
        },
        Scenario {
            name: "mixed",
            script: vec![Drop, Duplicate, Replay, Flip(4099), Stale, Honest],
        },
    ]
}

/// A script from `CASEVAULT_BENCH_SCRIPT`, to look for a schedule that
/// does not converge: faults separated by commas, `flip:N` for a flip at
/// bit N (e.g. `drop,honest,stale,flip:12`).
fn parse_script(text: &str) -> Vec<Fault> {
    text.split(',')
        .map(|f| match f.trim().to_lowercase().as_str() {
            "honest" => Fault::Honest,
            "drop" => Fault::Drop,
            "duplicate" => Fault::Duplicate,
            "replay" => Fault::Replay,
            "stale" => Fault::Stale,
            other => Fault::Flip(
                other
                    .strip_prefix("flip:")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("CASEVAULT_BENCH_SCRIPT: no fault {other:?}")),
            ),
        })
        .collect()
}

struct Config {
    edits: usize,
    shared: usize,
    faulty: usize,
    waves: usize,
    repeat: usize,
    /// B and C join through the misbehaving relay too, in the faulty
    /// rounds, instead of through an honest one before them.
    hostile_join: bool,
}

impl Config {
    /// The edits each vault makes just before faulty round `round` (from
    /// 1): wave `w` of `waves` comes before round `1 + w * faulty / waves`,
    /// so that later waves are sent while the relay misbehaves.
    fn wave_before(&self, round: usize) -> std::ops::Range<usize> {
        let waves = self.waves.clamp(1, self.faulty.max(1));
        let mut out = 0..0;
        for w in 0..waves {
            if 1 + w * self.faulty / waves == round {
                out = w * self.edits / waves..(w + 1) * self.edits / waves;
            }
        }
        out
    }
}

fn testimony(id: &str, statement: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "case": CASE,
        "person": PERSON,
        "language": "ru",
        "mode": "in_person",
        "interviewer": "Caseworker (bench)",
        "statement": statement,
        "consent": {"record": true, "share_lawyers": true, "share_courts": false, "share_un": false,
                    "share_media": false, "publish": false, "anonymity": "pseudonym"},
    })
}

fn import(vault: &mut Vault, doc: &serde_json::Value) {
    let parsed = interchange::parse(&serde_json::to_vec(doc).unwrap()).unwrap();
    interchange::import(vault, &parsed).unwrap();
}

fn shared_id(n: usize) -> String {
    format!("t-shared-{n:03}")
}

/// A's records before the space exists: the case, its person, and
/// `shared` testimonies everyone will hold.
fn base_document(shared: usize) -> serde_json::Value {
    let testimonies: Vec<_> = (0..shared)
        .map(|n| {
            testimony(
                &shared_id(n),
                &format!("Statement {n}.\nFollowed from the hotel to the embassy.\nЗадержали на границе.\n"),
            )
        })
        .collect();
    serde_json::json!({
        "format": interchange::FORMAT,
        "version": 1,
        "cases": [{"id": CASE, "title": "Bench: convergence", "status": "open",
                   "origin_country": "KZ", "host_countries": []}],
        "persons": [{"id": PERSON, "case_roles": [{"case": CASE, "role": "victim"}],
                     "names": [{"name": "Daniyar Moldashev", "kind": "primary"}]}],
        "testimonies": testimonies,
    })
}

/// Appends a line to a testimony's statement, as a caseworker's amend.
fn amend(vault: &mut Vault, id: &str, line: &str) {
    let mut data = vault.get_record(id).unwrap().unwrap().data;
    let statement = data["statement"].as_str().unwrap().to_owned();
    data["statement"] = serde_json::Value::String(format!("{statement}{line}\n"));
    vault.amend_record(id, &data, "bench").unwrap();
}

/// Vault `v`'s `edits` edits, made without syncing. The mix, by edit
/// number: a new testimony; an amend of shared testimony 0 (which all
/// three amend: a certain conflict); an amend of a shared testimony
/// picked at random (concurrent with the others' now and then); an amend
/// of this vault's newest testimony. C's first such amend is a trash of
/// the last shared testimony instead, which A and B may amend meanwhile.
fn make_edits(
    vault: &mut Vault,
    v: usize,
    edits: Vec<usize>,
    cfg: &Config,
    rng: &mut Xorshift,
    own: &mut Vec<String>,
) {
    for k in edits {
        let line = format!("Edit {k} by vault {v}.");
        match k % 4 {
            0 => {
                let id = format!("t-v{v}-{k:03}");
                let doc = serde_json::json!({
                    "format": interchange::FORMAT,
                    "version": 1,
                    "testimonies": [testimony(&id, &format!("New statement by vault {v}.\n{line}\n"))],
                });
                import(vault, &doc);
                own.push(id);
            }
            1 => amend(vault, &shared_id(0), &line),
            2 => {
                let n = 1 + (rng.next() % (cfg.shared as u64 - 1)) as usize;
                let id = shared_id(n);
                if vault.get_record(&id).unwrap().unwrap().trashed_at.is_none() {
                    amend(vault, &id, &line);
                }
            }
            _ if v == 2 && k == 3 => {
                edit::trash(vault, &shared_id(cfg.shared - 1), "bench: trashed by C").unwrap();
            }
            _ => amend(vault, own.last().unwrap(), &line),
        }
    }
}

/// One version as a replica holds it: record id, version, value.
type Version = (String, VersionId, Vec<u8>);

/// What one vault holds of the space, for comparing the three.
#[derive(PartialEq)]
struct Snapshot {
    /// Record id → (kind, data as canonical JSON text, trashed).
    records: BTreeMap<String, (String, String, bool)>,
    conflicts: Vec<String>,
    state: BTreeMap<String, RecordView>,
    /// Record id → its concurrent heads (one unless in conflict).
    heads: BTreeMap<String, Vec<VersionId>>,
    versions: BTreeSet<Version>,
    log: Vec<Entry>,
}

struct Inspected {
    snapshot: Snapshot,
    device: DeviceId,
    gaps: usize,
    recorded_gaps: String,
    unsent: usize,
    /// The first record whose copy in the vault is not the replica's
    /// current version, or that only one of them holds.
    disagrees: Option<String>,
}

/// Reads the space from the vault itself: its records through the vault,
/// its replica rebuilt from the state the sync saved.
/// None if the vault holds no space yet (it has not joined).
fn inspect(vault: &mut Vault) -> Option<Inspected> {
    // By position, not by name: a vault that joined holds the space under
    // a placeholder name until the creator's name reaches it.
    let stored = vault.spaces().unwrap().into_iter().next()?;
    let entries: Vec<Entry> = serde_json::from_str(&stored.log).unwrap();
    let device = spaces::device_key(vault).unwrap().id();
    let replica = spaces::stored_replica(vault, &stored.name).unwrap();
    let mut records = BTreeMap::new();
    for id in vault.space_record_ids(stored.id).unwrap() {
        let r = vault.get_record(&id).unwrap().unwrap();
        // serde_json's map is sorted, so the text is canonical.
        let data = serde_json::to_string(&r.data).unwrap();
        records.insert(id, (r.kind, data, r.trashed_at.is_some()));
    }
    let mut conflicts = vault.space_conflicts(stored.id).unwrap();
    conflicts.sort();
    let state = replica.state();
    // The replica's own records (the space's name, evidence metadata) are
    // not the vault's.
    let shown: BTreeMap<&String, &RecordView> = state
        .iter()
        .filter(|(id, _)| !id.starts_with("casevault:"))
        .collect();
    let disagrees = shown
        .keys()
        .map(|id| id.as_str())
        .chain(records.keys().map(String::as_str))
        .find(|id| {
            let (Some(view), Some((kind, data, trashed))) = (state.get(*id), records.get(*id))
            else {
                return true;
            };
            let wire: serde_json::Value = serde_json::from_slice(&view.current).unwrap();
            let data: serde_json::Value = serde_json::from_str(data).unwrap();
            wire["kind"] != *kind.as_str() || wire["data"] != data || wire["trashed"] != *trashed
        })
        .map(str::to_owned);
    let heads = state
        .keys()
        .map(|id| {
            let h = replica.head_ids(id);
            (id.clone(), h)
        })
        .collect();
    Some(Inspected {
        snapshot: Snapshot {
            records,
            conflicts,
            state,
            heads,
            versions: replica.versions(),
            log: entries,
        },
        device,
        gaps: replica.gaps().len(),
        recorded_gaps: stored.gaps.clone(),
        unsent: replica.unsent(),
        disagrees,
    })
}

/// Panics if any replica holds a version its author never wrote; returns
/// why the three have not converged, or None if they have.
fn compare(vaults: &mut [Vault]) -> Option<String> {
    let mut seen: Vec<Inspected> = Vec::new();
    let mut missing = None;
    for (i, v) in vaults.iter_mut().enumerate() {
        match inspect(v) {
            Some(s) => seen.push(s),
            None => missing = Some(format!("vault {i} has not joined the space")),
        }
    }
    let own: BTreeMap<DeviceId, BTreeSet<&Version>> = seen
        .iter()
        .map(|s| {
            let mine = s
                .snapshot
                .versions
                .iter()
                .filter(|(_, v, _)| v.device == s.device)
                .collect();
            (s.device, mine)
        })
        .collect();
    let written: BTreeSet<&Version> = own.values().flatten().copied().collect();
    for (i, s) in seen.iter().enumerate() {
        for v in &s.snapshot.versions {
            let authentic = own.get(&v.1.device).is_some_and(|m| m.contains(v));
            assert!(
                authentic,
                "vault {i} applied a version of {} that its author never wrote",
                v.0
            );
        }
    }
    if missing.is_some() {
        return missing;
    }
    for (i, s) in seen.iter().enumerate() {
        if s.gaps > 0 || s.recorded_gaps != "[]" {
            return Some(format!("vault {i}: {} gap(s)", s.gaps));
        }
        if let Some(id) = &s.disagrees {
            return Some(format!(
                "vault {i}: {id} in the vault is not the replica's current version"
            ));
        }
        if s.unsent > 0 {
            return Some(format!("vault {i}: {} change(s) unsent", s.unsent));
        }
        if s.snapshot.versions.len() != written.len() {
            return Some(format!(
                "vault {i}: {} of {} versions",
                s.snapshot.versions.len(),
                written.len()
            ));
        }
    }
    let first = &seen[0].snapshot;
    for (i, s) in seen.iter().enumerate().skip(1) {
        let o = &s.snapshot;
        if o.log != first.log {
            return Some(format!("vault {i}: another membership log"));
        }
        if o.state != first.state || o.heads != first.heads {
            return Some(format!("vault {i}: another replica state"));
        }
        if o.records != first.records {
            return Some(format!("vault {i}: other records in the vault"));
        }
        if o.conflicts != first.conflicts {
            return Some(format!("vault {i}: other conflicts"));
        }
    }
    None
}

struct Row {
    remote: &'static str,
    scenario: &'static str,
    versions: usize,
    conflicts: usize,
    converged_at: usize,
    round_ms: Vec<f64>,
    tampered_served: usize,
    refused: usize,
    /// Objects on the remote at the end: what the faults cost in storage
    /// (a change put again in another slot stays there).
    objects: usize,
    refused_codes: BTreeMap<String, usize>,
    errors: BTreeMap<String, usize>,
}

fn run<R: Remote>(
    inner: R,
    remote: &'static str,
    address: &str,
    sc: &Scenario,
    cfg: &Config,
    dir: &Path,
) -> Row {
    let mut vaults: Vec<Vault> = ["a", "b", "c"]
        .iter()
        .map(|n| new_vault(&dir.join(n), &format!("converge-{n}")))
        .collect();
    import(&mut vaults[0], &base_document(cfg.shared));
    for (i, label) in [(1, "B"), (2, "C")] {
        let line = spaces::device_key(&mut vaults[i]).unwrap().public().line();
        if i == 1 {
            spaces::create_space(&mut vaults[0], SPACE, &[CASE.to_owned()]).unwrap();
        }
        spaces::add_member(&mut vaults[0], SPACE, &line, label).unwrap();
    }
    let relay = HostileRelay::new(inner, sc.script.clone());
    let mut quiet = |_: &str| {};

    // Set up through the honest relay: B and C join and receive the case.
    if !cfg.hostile_join {
        relay.set_honest(true);
        for v in vaults.iter_mut() {
            spaces::sync(v, &relay, address, &mut quiet).unwrap();
        }
        if let Some(why) = compare(&mut vaults) {
            panic!("{}: set-up did not converge: {why}", sc.name);
        }
    }

    let mut rng = Xorshift(0x2545_f491_4f6c_dd1d);
    let mut own: Vec<Vec<String>> = vec![Vec::new(); 3];
    // A vault's edits wait until it holds the shared records (with a
    // hostile join, B and C may not have them at their wave's round).
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); 3];
    relay.set_honest(false);
    let mut row = Row {
        remote,
        scenario: sc.name,
        versions: 0,
        conflicts: 0,
        converged_at: 0,
        round_ms: Vec::new(),
        tampered_served: 0,
        refused: 0,
        objects: 0,
        refused_codes: BTreeMap::new(),
        errors: BTreeMap::new(),
    };
    let mut converged_since: Option<usize> = None;
    let mut round = 0;
    loop {
        round += 1;
        let honest = round > cfg.faulty;
        if round == cfg.faulty + 1 {
            relay.set_honest(true);
        }
        let wave = cfg.wave_before(round);
        for (v, vault) in vaults.iter_mut().enumerate() {
            waiting[v].extend(wave.clone());
            let ready = (0..cfg.shared).all(|n| vault.get_record(&shared_id(n)).unwrap().is_some());
            if ready {
                let edits = std::mem::take(&mut waiting[v]);
                make_edits(vault, v, edits, cfg, &mut rng, &mut own[v]);
            }
        }
        let t = Instant::now();
        for (i, v) in vaults.iter_mut().enumerate() {
            match spaces::sync(v, &relay, address, &mut quiet) {
                Ok(out) => {
                    row.refused += out.refused.len();
                    for c in out.refused {
                        *row.refused_codes.entry(format!("{c:?}")).or_default() += 1;
                    }
                    // A record whose case or person was withheld is
                    // rejected by the vault's checks and applied at a later
                    // sync: counted, and the comparison shows if it stays.
                    if !out.rejected.is_empty() {
                        *row.errors.entry("rejected records".into()).or_default() +=
                            out.rejected.len();
                    }
                }
                // A sync the relay makes fail is allowed while it
                // misbehaves (the next one resumes); once it behaves, not.
                Err(e) if !honest => {
                    *row.errors.entry(format!("{:?}", e.code())).or_default() += 1;
                }
                Err(e) => panic!(
                    "{}: round {round} (relay honest), vault {i}: {:?}: {e}",
                    sc.name,
                    e.code()
                ),
            }
        }
        row.round_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        // Converged with edits still to make is not the end.
        let all_made = waiting.iter().all(Vec::is_empty);
        match compare(&mut vaults) {
            None if all_made => {
                converged_since.get_or_insert(round);
            }
            why => {
                converged_since = None;
                assert!(
                    round < cfg.faulty + MAX_HONEST_ROUNDS,
                    "{}: not converged {MAX_HONEST_ROUNDS} rounds after the relay behaves: {}",
                    sc.name,
                    why.as_deref()
                        .unwrap_or("edits still waiting for a vault to hold the case")
                );
            }
        }
        if round >= cfg.faulty && converged_since.is_some() {
            break;
        }
    }
    row.converged_at = converged_since.unwrap_or(round);
    row.tampered_served = relay.tampered_served();
    row.objects = relay.inner().list().unwrap().len();
    let seen = inspect(&mut vaults[0]).unwrap();
    row.versions = seen.snapshot.versions.len();
    row.conflicts = seen.snapshot.conflicts.len();
    for (i, v) in vaults.iter().enumerate() {
        let report = v.audit_verify(false, |_, _| {}).unwrap();
        assert!(
            report.problems.is_empty() && report.first_broken_link.is_none(),
            "{}: vault {i}'s audit chain does not verify",
            sc.name
        );
    }
    row
}

/// "a" if every value is a, else "min–max".
fn span(values: impl Iterator<Item = usize>) -> String {
    let v: Vec<usize> = values.collect();
    let (lo, hi) = (v.iter().min().unwrap(), v.iter().max().unwrap());
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

/// One table row for the repeats of a scenario on a remote.
fn print_rows(rows: &[Row], cfg: &Config) {
    let r0 = &rows[0];
    let all_ms: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.round_ms.iter().copied())
        .collect();
    let mean = all_ms.iter().sum::<f64>() / all_ms.len() as f64;
    let max = all_ms.iter().copied().fold(0.0, f64::max);
    let to_converge: Vec<f64> = rows
        .iter()
        .map(|r| r.round_ms[..r.converged_at].iter().sum::<f64>() / 1000.0)
        .collect();
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        for (c, n) in &r.refused_codes {
            *codes.entry(c).or_default() += n;
        }
        for (c, n) in &r.errors {
            *errors.entry(c).or_default() += n;
        }
    }
    let list = |m: &BTreeMap<&str, usize>| {
        m.iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "| {} | {} | {} ({} in conflict) | {} | {} | {:.0} / {:.0} | {:.2} / {:.2} | {} | {}{} | {} | {} |",
        r0.remote,
        r0.scenario,
        span(rows.iter().map(|r| r.versions)),
        span(rows.iter().map(|r| r.conflicts)),
        span(
            rows.iter()
                .map(|r| r.converged_at.saturating_sub(cfg.faulty))
        ),
        span(rows.iter().map(|r| r.converged_at)),
        mean,
        max,
        to_converge.iter().sum::<f64>() / to_converge.len() as f64,
        to_converge.iter().copied().fold(0.0, f64::max),
        span(rows.iter().map(|r| r.tampered_served)),
        span(rows.iter().map(|r| r.refused)),
        if codes.is_empty() {
            String::new()
        } else {
            format!(" (all: {})", list(&codes))
        },
        if errors.is_empty() {
            "0".to_owned()
        } else {
            format!("all: {}", list(&errors))
        },
        span(rows.iter().map(|r| r.objects)),
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("bench converge: run with `cargo bench -p casevault-sync --bench converge`");
        return;
    }
    let cfg = Config {
        edits: env_number("CASEVAULT_BENCH_EDITS", 12) as usize,
        shared: (env_number("CASEVAULT_BENCH_SHARED", 8) as usize).max(2),
        faulty: env_number("CASEVAULT_BENCH_FAULTY_ROUNDS", 4) as usize,
        waves: (env_number("CASEVAULT_BENCH_WAVES", 2) as usize).max(1),
        repeat: (env_number("CASEVAULT_BENCH_REPEAT", 3) as usize).max(1),
        hostile_join: env_number("CASEVAULT_BENCH_HOSTILE_JOIN", 0) == 1,
    };
    let only: Option<Vec<String>> = std::env::var("CASEVAULT_BENCH_SCENARIOS")
        .ok()
        .map(|s| s.split(',').map(|n| n.trim().to_owned()).collect());
    let mut chosen: Vec<Scenario> = scenarios()
        .into_iter()
        .filter(|s| only.as_ref().is_none_or(|o| o.iter().any(|n| n == s.name)))
        .collect();
    if let Ok(text) = std::env::var("CASEVAULT_BENCH_SCRIPT") {
        chosen = vec![Scenario {
            name: "custom",
            script: parse_script(&text),
        }];
    }
    let base = std::env::var_os("CASEVAULT_BENCH_DIR").unwrap_or_else(|| "/var/tmp".into());
    let dir = tempfile::tempdir_in(base).unwrap();
    let garage = if std::env::var(garage::SKIP_VAR).is_ok_and(|v| v == "1") {
        None
    } else {
        Garage::start()
    };

    println!(
        "3 vaults, {} shared testimonies, {} edits per vault in {} wave(s) during {} faulty rounds (then honest, at most {MAX_HONEST_ROUNDS} more); B and C join {}; {} run(s) per scenario and remote",
        cfg.shared,
        cfg.edits,
        cfg.waves.clamp(1, cfg.faulty.max(1)),
        cfg.faulty,
        if cfg.hostile_join {
            "through the misbehaving relay"
        } else {
            "before, through an honest relay"
        },
        cfg.repeat
    );
    println!(
        "| remote | scenario | versions | rounds to converge after the relay behaves | in all | ms per round of 3 syncs (mean / max) | s to converge (mean / max) | tampered served | refused | failed syncs (while faulty), records rejected for a while | objects on the remote |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let t = Instant::now();
    for (n, sc) in chosen.iter().enumerate() {
        let mut rows = Vec::new();
        for k in 0..cfg.repeat {
            let here = dir.path().join(format!("folder-{n}-{k}"));
            let folder = here.join("remote");
            std::fs::create_dir_all(&folder).unwrap();
            let address = format!("file://{}", folder.display());
            let remote = FolderRemote::open(&folder).unwrap();
            rows.push(run(remote, "folder", &address, sc, &cfg, &here));
        }
        print_rows(&rows, &cfg);
        if let Some(g) = &garage {
            let mut rows = Vec::new();
            for k in 0..cfg.repeat {
                let bucket = format!("converge-{n}-{k}");
                g.create_bucket(&bucket);
                let here = dir.path().join(format!("garage-{n}-{k}"));
                std::fs::create_dir_all(&here).unwrap();
                let (remote, address) = (g.remote_via(0, &bucket), g.address_via(0, &bucket));
                rows.push(run(remote, "Garage", &address, sc, &cfg, &here));
            }
            print_rows(&rows, &cfg);
        }
    }
    println!("all scenarios: {:.1} s", t.elapsed().as_secs_f64());
}
