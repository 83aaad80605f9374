//! Team spaces through the real `casevault` binary: two real vaults on
//! disk share a case through a real folder remote (issue 18).

use std::path::{Path, PathBuf};
use std::process::Output;

use casevault_core::model::records::{AnyRecord, Case, Incident};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{Credential, Vault};
use serde_json::json;

mod common;
use common::*;

const SPACE: &str = "Almaty desk ZEBRA-SPACE-5531";
const CASE: &str = "case-shared-4471";
const PRIVATE_CASE: &str = "case-private-9902";
const PERSON: &str = "p-shared-4471";
const INCIDENT: &str = "inc-shared-4471";
/// A person only in the private case.
const PRIVATE_PERSON: &str = "p-private-3310";
/// A person with a role in the shared case and one in the private case.
const PERSON_BOTH: &str = "p-both-8812";
const CANARY: &str = "CANARY-7d1e shared testimony";
const PRIVATE_CANARY: &str = "CANARY-PRIVATE-0b2c never leaves";
const NAMES: &[&str] = &["Aigerim Tulegenova", "Bakhyt Serikbayev", "Dinara Omarova"];

fn open(vault: &Path) -> Vault {
    Vault::open(
        vault,
        &Credential::Passphrase(Passphrase::new(PASS.into())),
        casevault_core::Session::new("tester", casevault_core::Clock::system()),
    )
    .unwrap()
}

/// A record's current data, None if this vault does not have it.
fn record(vault: &Path, id: &str) -> Option<serde_json::Value> {
    open(vault).get_record(id).unwrap().map(|r| r.data)
}

/// The data of every version of a record.
fn history(vault: &Path, id: &str) -> Vec<serde_json::Value> {
    open(vault)
        .record_history(id)
        .unwrap()
        .into_iter()
        .map(|v| v.data)
        .collect()
}

/// Amends one text field through the vault's normal write path, as the app
/// would.
fn amend(vault: &Path, id: &str, field: &str, value: &str) {
    let mut v = open(vault);
    let stored = v.get_record(id).unwrap().unwrap();
    let mut data = stored.data.clone();
    data[field] = json!(value);
    let any = match stored.kind.as_str() {
        "case" => AnyRecord::Case(serde_json::from_value::<Case>(data).unwrap()),
        "incident" => AnyRecord::Incident(serde_json::from_value::<Incident>(data).unwrap()),
        other => panic!("{other}"),
    };
    casevault_core::ops::edit::amend(&mut v, &any, "test edit").unwrap();
}

fn sample(dir: &Path) -> PathBuf {
    let file = dir.join("sample.json");
    std::fs::write(
        &file,
        json!({"format": "casevault-interchange", "version": 1,
            "cases": [
                {"id": CASE, "title": format!("Detention of {}", NAMES[0]), "status": "open"},
                {"id": PRIVATE_CASE, "title": format!("{PRIVATE_CANARY} {}", NAMES[2]), "status": "open"}
            ],
            "persons": [{"id": PERSON, "names": [{"name": NAMES[0], "kind": "primary"}],
                "case_roles": [{"case": CASE, "role": "victim"}]},
                {"id": PERSON_BOTH, "names": [{"name": NAMES[2], "kind": "primary"}],
                "case_roles": [{"case": CASE, "role": "witness"}, {"case": PRIVATE_CASE, "role": "victim"}]},
                {"id": PRIVATE_PERSON, "names": [{"name": NAMES[2], "kind": "primary"}],
                "case_roles": [{"case": PRIVATE_CASE, "role": "victim"}]}],
            "incidents": [{"id": INCIDENT, "case": CASE, "title": format!("Arrest of {}", NAMES[0]),
                "act_type": "assault", "start": "2024",
                "description": format!("{CANARY}: {} saw it", NAMES[1])}]})
        .to_string(),
    )
    .unwrap();
    file
}

fn remote_address(folder: &Path) -> String {
    format!("file://{}", folder.display())
}

fn sync(vault: &Path, remote: &str) -> Output {
    run(vault, &["sync", "--remote", remote])
}

fn space_ls(vault: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(vault, &["space", "ls", "--json"])).unwrap()
}

fn audit_ok(vault: &Path) {
    ok(vault, &["audit", "verify"]);
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

struct Pair {
    _dir: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    folder: PathBuf,
    remote: String,
    b_line: String,
}

/// A (admin, with the sample) and B (a new vault), a space holding CASE
/// with B added, both synced once.
fn shared_pair() -> Pair {
    let TwoVaults { dir, a, b, folder } = two_vaults();
    init(&a);
    init(&b);
    ok(&a, &["import", sample(dir.path()).to_str().unwrap()]);
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    assert_eq!(b_line.lines().count(), 1);
    ok(&a, &["space", "create", SPACE, "--case", CASE]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    let remote = remote_address(&folder);
    assert!(sync(&a, &remote).status.success());
    let out = sync(&b, &remote);
    assert!(out.status.success(), "{}", text(&out.stderr));
    Pair {
        _dir: dir,
        a,
        b,
        folder,
        remote,
        b_line,
    }
}

#[test]
fn two_vaults_share_a_case_edit_it_and_conflicts_are_marked_on_both() {
    let p = shared_pair();
    // B received the space, its name, the case and its records.
    let spaces = space_ls(&p.b);
    assert_eq!(spaces[0]["name"], SPACE);
    assert_eq!(spaces[0]["cases"], json!([CASE]));
    for id in [CASE, PERSON, INCIDENT] {
        assert_eq!(record(&p.b, id), record(&p.a, id), "{id}");
    }
    assert!(
        record(&p.b, PRIVATE_CASE).is_none(),
        "a case outside the space stays on A"
    );
    // A person also in the private case is held back: it names that case.
    assert!(record(&p.b, PERSON_BOTH).is_none());
    // On the remote: the log (create, add), the invitation, and one object
    // per change (the space's name, the case, its person and incident);
    // nothing for the held-back person.
    assert_eq!(files(&p.folder.join("objects")).len(), 7);
    audit_ok(&p.a);
    audit_ok(&p.b);
    // The custody entry of an applied change names A's device.
    let a_fp = space_ls(&p.a)[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "this device")
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let custody = ok(&p.b, &["audit", "show", "--json"]);
    assert!(custody.contains(&format!("device {a_fp}")), "{custody}");

    // B edits; A syncs and sees it.
    amend(&p.b, INCIDENT, "title", "Arrest, as B corrected it");
    assert!(sync(&p.b, &p.remote).status.success());
    assert!(sync(&p.a, &p.remote).status.success());
    assert_eq!(
        record(&p.a, INCIDENT).unwrap()["title"],
        "Arrest, as B corrected it"
    );
    audit_ok(&p.a);

    // Concurrent edits of one record: both kept, one current everywhere,
    // marked as a conflict on both.
    amend(&p.a, CASE, "title", "Title by A");
    amend(&p.b, CASE, "title", "Title by B");
    for v in [&p.a, &p.b, &p.a] {
        let out = sync(v, &p.remote);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let (ca, cb) = (record(&p.a, CASE).unwrap(), record(&p.b, CASE).unwrap());
    assert_eq!(ca, cb, "the same current version on both");
    for v in [&p.a, &p.b] {
        assert_eq!(space_ls(v)[0]["conflicts"], json!([CASE]));
        let titles: Vec<_> = history(v, CASE)
            .into_iter()
            .map(|d| d["title"].clone())
            .collect();
        assert!(titles.contains(&json!("Title by A")), "{titles:?}");
        assert!(titles.contains(&json!("Title by B")), "{titles:?}");
        audit_ok(v);
    }

    // What the remote holds: opaque names, sealed bytes.
    let all = files(&p.folder);
    assert!(all.len() > 5);
    let mut needles: Vec<String> = vec![
        SPACE.into(),
        CASE.into(),
        PRIVATE_CASE.into(),
        PERSON.into(),
        PERSON_BOTH.into(),
        INCIDENT.into(),
        CANARY.into(),
        PRIVATE_CANARY.into(),
        "CANARY".into(),
        "Title by".into(),
        "Bob".into(),
        a_fp.clone(),
        p.b_line.clone(),
    ];
    needles.extend(NAMES.iter().map(|n| n.to_string()));
    needles.extend(p.b_line.split_whitespace().map(str::to_owned));
    for f in &all {
        let bytes = std::fs::read(f).unwrap();
        let name = f.to_string_lossy();
        for n in &needles {
            assert!(!contains(&bytes, n), "{n} in {name}");
            assert!(!name.contains(n.as_str()), "{n} in the name {name}");
        }
    }
}

#[test]
fn a_flipped_byte_is_refused_and_nothing_is_applied_then_a_good_copy_is() {
    let p = shared_pair();
    let objects = p.folder.join("objects");
    let before: Vec<PathBuf> = files(&objects);
    amend(&p.a, INCIDENT, "title", "Edited after the flip test began");
    assert!(sync(&p.a, &p.remote).status.success());
    let new: Vec<PathBuf> = files(&objects)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(new.len(), 1, "one change, one object");
    let good = std::fs::read(&new[0]).unwrap();
    let mut bad = good.clone();
    let i = bad.len() / 2;
    bad[i] ^= 0x01;
    std::fs::write(&new[0], &bad).unwrap();
    let before_b = record(&p.b, INCIDENT);
    let out = sync(&p.b, &p.remote);
    assert_eq!(
        out.status.code(),
        Some(EXIT_REMOTE_REFUSED),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(record(&p.b, INCIDENT), before_b, "nothing applied");
    audit_ok(&p.b);
    // The intact object is taken at the next sync.
    std::fs::write(&new[0], &good).unwrap();
    assert!(sync(&p.b, &p.remote).status.success());
    assert_eq!(
        record(&p.b, INCIDENT).unwrap()["title"],
        "Edited after the flip test began"
    );
}

#[test]
fn a_removed_member_reads_nothing_written_afterwards() {
    let p = shared_pair();
    ok(&p.a, &["space", "remove", SPACE, "Bob"]);
    amend(&p.a, INCIDENT, "title", "Written after B was removed");
    assert!(sync(&p.a, &p.remote).status.success());
    let a_space = &space_ls(&p.a)[0];
    assert_eq!(a_space["epoch"], 1, "a new epoch");
    let out = sync(&p.b, &p.remote);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let b_space = &space_ls(&p.b)[0];
    assert_eq!(b_space["removed"], true, "B learnt of its removal");
    assert_ne!(
        record(&p.b, INCIDENT).unwrap()["title"],
        "Written after B was removed"
    );
    // B's later edits reach nobody.
    amend(&p.b, INCIDENT, "title", "B writes on after removal");
    assert!(sync(&p.b, &p.remote).status.success());
    assert!(sync(&p.a, &p.remote).status.success());
    assert_eq!(
        record(&p.a, INCIDENT).unwrap()["title"],
        "Written after B was removed"
    );
    audit_ok(&p.a);
    audit_ok(&p.b);
}

#[test]
fn bad_input_is_refused_with_its_exit_code_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    init(&a);
    ok(&a, &["import", sample(dir.path()).to_str().unwrap()]);
    // No remote known yet.
    assert_eq!(run(&a, &["sync"]).status.code(), Some(EXIT_INVALID));
    // A case that does not exist.
    let out = run(&a, &["space", "create", "S", "--case", "case-nope"]);
    assert_eq!(out.status.code(), Some(EXIT_INVALID));
    assert_eq!(space_ls(&a), json!([]), "no half-made space");
    ok(&a, &["space", "create", "S", "--case", CASE]);
    // A case is in at most one space.
    let out = run(&a, &["space", "create", "T", "--case", CASE]);
    assert_eq!(out.status.code(), Some(EXIT_INVALID));
    // Not a device key.
    let out = run(&a, &["space", "add", "S", "age1notakey", "--as", "X"]);
    assert_eq!(out.status.code(), Some(EXIT_INVALID));
    let out = run(&a, &["space", "remove", "S", "Nobody"]);
    assert_eq!(out.status.code(), Some(EXIT_INVALID));
    let s = &space_ls(&a)[0];
    assert_eq!(s["members"].as_array().unwrap().len(), 1);
    assert_eq!(s["cases"], json!([CASE]));
    // A remote folder that does not exist is not created.
    let missing = dir.path().join("no-such-folder");
    let out = sync(&a, &remote_address(&missing));
    assert!(!out.status.success());
    assert!(!missing.exists());
}

fn trashed(vault: &Path, id: &str) -> bool {
    open(vault)
        .get_record(id)
        .unwrap()
        .unwrap()
        .trashed_at
        .is_some()
}

#[test]
fn trash_and_restore_travel_both_ways() {
    let p = shared_pair();
    {
        let mut v = open(&p.a);
        casevault_core::ops::edit::trash(&mut v, INCIDENT, "duplicate").unwrap();
    }
    assert!(sync(&p.a, &p.remote).status.success());
    assert!(sync(&p.b, &p.remote).status.success());
    assert!(trashed(&p.b, INCIDENT), "the trash reached B");
    {
        let mut v = open(&p.b);
        casevault_core::ops::edit::restore(&mut v, INCIDENT).unwrap();
    }
    assert!(sync(&p.b, &p.remote).status.success());
    assert!(sync(&p.a, &p.remote).status.success());
    assert!(!trashed(&p.a, INCIDENT), "the restore reached A");
    assert_eq!(record(&p.a, INCIDENT), record(&p.b, INCIDENT));
    audit_ok(&p.a);
    audit_ok(&p.b);
}

/// The object files a sync added to the folder.
fn new_objects(folder: &Path, before: &[PathBuf]) -> Vec<PathBuf> {
    files(&folder.join("objects"))
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect()
}

#[test]
fn a_withheld_change_is_a_gap_kept_in_the_sync_state_until_it_arrives() {
    let p = shared_pair();
    assert!(space_ls(&p.b)[0]["last_sync_at"].is_string());
    assert_eq!(space_ls(&p.b)[0]["gaps"], json!([]));
    let before = files(&p.folder.join("objects"));
    amend(&p.a, INCIDENT, "title", "First of two edits");
    assert!(sync(&p.a, &p.remote).status.success());
    let first = new_objects(&p.folder, &before);
    assert_eq!(first.len(), 1);
    amend(&p.a, CASE, "title", "Second of two edits");
    assert!(sync(&p.a, &p.remote).status.success());
    // The relay withholds the first.
    let held = std::fs::read(&first[0]).unwrap();
    std::fs::remove_file(&first[0]).unwrap();
    let out = sync(&p.b, &p.remote);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(record(&p.b, CASE).unwrap()["title"], "Second of two edits");
    assert_ne!(
        record(&p.b, INCIDENT).unwrap()["title"],
        "First of two edits"
    );
    let gaps = space_ls(&p.b)[0]["gaps"].clone();
    assert_eq!(gaps.as_array().unwrap().len(), 1, "{gaps}");
    assert_eq!(gaps[0]["missing"], 1);
    // It arrives: the gap closes.
    std::fs::write(&first[0], held).unwrap();
    assert!(sync(&p.b, &p.remote).status.success());
    assert_eq!(
        record(&p.b, INCIDENT).unwrap()["title"],
        "First of two edits"
    );
    assert_eq!(space_ls(&p.b)[0]["gaps"], json!([]));
    audit_ok(&p.b);
}

#[test]
fn the_device_key_s_secret_is_nowhere_on_disk_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    init(&a);
    let line = ok(&a, &["device", "key"]);
    // Printed again, unchanged: one key per vault.
    assert_eq!(ok(&a, &["device", "key"]), line);
    let secret = open(&a).sync_device_secret().unwrap().unwrap();
    let parts: Vec<&str> = secret
        .split_whitespace()
        .filter(|p| p.len() >= 16)
        .collect();
    assert!(!parts.is_empty());
    for f in files(&a) {
        let bytes = std::fs::read(&f).unwrap();
        for part in &parts {
            assert!(!contains(&bytes, part), "a secret part in {}", f.display());
        }
        for part in line.split_whitespace() {
            assert!(
                !contains(&bytes, part),
                "the public line in {}",
                f.display()
            );
        }
    }
}

#[test]
fn a_member_can_neither_reach_records_outside_the_space_nor_change_members() {
    let p = shared_pair();
    // B, a member, is not an admin.
    let c_line = {
        let c = p.a.parent().unwrap().join("c");
        init(&c);
        ok(&c, &["device", "key"]).trim().to_owned()
    };
    let out = run(&p.b, &["space", "add", SPACE, &c_line, "--as", "Carol"]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_NOT_ADMIN),
        "{}",
        text(&out.stderr)
    );
    let ls = space_ls(&p.b);
    let admin = ls[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["admin"] == true)
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = run(&p.b, &["space", "remove", SPACE, &admin]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_NOT_ADMIN),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(space_ls(&p.b)[0]["members"].as_array().unwrap().len(), 2);
    // B writes a record under the id of a person A keeps out of the space,
    // linked to the shared case: it travels, and A refuses it.
    let file = p.b.parent().unwrap().join("evil.json");
    std::fs::write(
        &file,
        json!({"format": "casevault-interchange", "version": 1,
            "persons": [{"id": PRIVATE_PERSON, "names": [{"name": "Overwritten", "kind": "primary"}],
                "case_roles": [{"case": CASE, "role": "witness"}]}]})
        .to_string(),
    )
    .unwrap();
    ok(&p.b, &["import", file.to_str().unwrap()]);
    let before = record(&p.a, PRIVATE_PERSON);
    assert!(sync(&p.b, &p.remote).status.success());
    assert!(sync(&p.a, &p.remote).status.success());
    assert_eq!(
        record(&p.a, PRIVATE_PERSON),
        before,
        "A's private person unchanged"
    );
    assert_eq!(history(&p.a, PRIVATE_PERSON).len(), 1);
    audit_ok(&p.a);
}

#[test]
fn a_sync_that_cannot_write_to_the_remote_fails_cleanly_and_the_next_one_resumes() {
    let p = shared_pair();
    amend(
        &p.a,
        INCIDENT,
        "title",
        "Written while the stick was broken",
    );
    // The folder cannot take new objects (a full or broken stick): its
    // staging directory is gone and a file sits in its place.
    let incoming = p.folder.join("incoming");
    std::fs::remove_dir_all(&incoming).unwrap();
    std::fs::write(&incoming, b"not a directory").unwrap();
    let out = sync(&p.a, &p.remote);
    assert_eq!(
        out.status.code(),
        Some(EXIT_REMOTE_IO),
        "{}",
        text(&out.stderr)
    );
    audit_ok(&p.a);
    assert_eq!(
        record(&p.a, INCIDENT).unwrap()["title"],
        "Written while the stick was broken",
        "the local vault stays the source of truth"
    );
    // Fixed: the next sync sends what the failed one could not.
    std::fs::remove_file(&incoming).unwrap();
    std::fs::create_dir(&incoming).unwrap();
    assert!(sync(&p.a, &p.remote).status.success());
    assert!(sync(&p.b, &p.remote).status.success());
    assert_eq!(
        record(&p.b, INCIDENT).unwrap()["title"],
        "Written while the stick was broken"
    );
    audit_ok(&p.b);
}

/// The same sharing through a real Garage (one node on 127.0.0.1, started
/// by the harness): the S3 remote is the folder remote's equal. B joins,
/// receives the case, edits it, and A receives the edit; every object in
/// the bucket is opaque.
#[test]
fn two_vaults_share_a_case_through_garage() {
    let Some(garage) = casevault_sync::testing::garage::Garage::start() else {
        return;
    };
    let remote = garage.address();
    let creds = [
        ("CASEVAULT_S3_KEY_ID", garage.key_id()),
        ("CASEVAULT_S3_SECRET", garage.secret()),
    ];
    let sync_s3 = |vault: &Path| {
        let out = run_with(vault, &["sync", "--remote", &remote], &creds);
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    init(&a);
    init(&b);
    ok(&a, &["import", sample(dir.path()).to_str().unwrap()]);
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", CASE]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    sync_s3(&a);
    sync_s3(&b);
    assert_eq!(space_ls(&b)[0]["name"], SPACE);
    for id in [CASE, PERSON, INCIDENT] {
        assert_eq!(record(&b, id), record(&a, id), "{id}");
    }
    assert!(record(&b, PRIVATE_CASE).is_none());

    amend(&b, INCIDENT, "title", "Arrest, as B corrected it");
    sync_s3(&b);
    sync_s3(&a);
    assert_eq!(
        record(&a, INCIDENT).unwrap()["title"],
        "Arrest, as B corrected it"
    );
    audit_ok(&a);
    audit_ok(&b);

    // Without the key, the store refuses, and the vault is unchanged.
    let before = record(&a, INCIDENT);
    let out = run_with(
        &a,
        &["sync", "--remote", &remote],
        &[
            ("CASEVAULT_S3_KEY_ID", garage.key_id()),
            ("CASEVAULT_S3_SECRET", "0000"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_REMOTE_IO),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(record(&a, INCIDENT), before);

    // Every object in the bucket, read back through S3: opaque.
    let bucket = garage.remote();
    let names = casevault_sync::remote::Remote::list(&bucket).unwrap();
    assert!(names.len() >= 7, "{} objects", names.len());
    let mut needles: Vec<String> = vec![
        SPACE.into(),
        CASE.into(),
        PRIVATE_CASE.into(),
        PERSON.into(),
        INCIDENT.into(),
        CANARY.into(),
        PRIVATE_CANARY.into(),
        "Arrest".into(),
        "Bob".into(),
        b_line.clone(),
    ];
    needles.extend(NAMES.iter().map(|n| n.to_string()));
    for name in &names {
        let bytes = casevault_sync::remote::Remote::get(&bucket, name)
            .unwrap()
            .unwrap();
        for n in &needles {
            assert!(!contains(&bytes, n), "{n} in an object");
            assert!(!format!("{name:?}").contains(n.as_str()), "{n} in a name");
        }
    }
}

// Travel mode: `space unload` / `space reload`.

/// `space unload` would lose changes not yet on the remote.
const EXIT_UNSYNCED: i32 = 17;
const TESTIMONY: &str = "t-shared-4471";
/// One word, so that it is also one term of the full-text index.
const TRAVEL_CANARY: &str = "travelcanary9k2w";
const ALL_KINDS: &[&str] = &[
    "case",
    "person",
    "organisation",
    "incident",
    "proceeding",
    "source",
    "testimony",
    "intervention",
];

/// Every record of a vault (live and trashed) by id: (kind, data, trashed).
fn snapshot(vault: &Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    let v = open(vault);
    let mut out = std::collections::BTreeMap::new();
    for kind in ALL_KINDS {
        for data in v.records_of_kind(kind).unwrap() {
            let id = data["id"].as_str().unwrap().to_owned();
            out.insert(id, json!([kind, data, false]));
        }
    }
    for t in v.trashed_records().unwrap() {
        out.insert(t.id.clone(), json!([t.kind, t.data, true]));
    }
    out
}

/// The problem code a refusal printed (`problem: CODE` on stderr).
fn problem_code(out: &Output) -> Option<String> {
    text(&out.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("problem: ").map(str::to_owned))
}

fn refused_with(out: &Output, exit: i32, problem: &str) {
    assert_eq!(out.status.code(), Some(exit), "{}", text(&out.stderr));
    assert_eq!(
        problem_code(out).as_deref(),
        Some(problem),
        "{}",
        text(&out.stderr)
    );
}

/// A testimony in the shared case, with a canary, from A; both synced.
fn add_testimony(p: &Pair) {
    let file = p.a.parent().unwrap().join("testimony.json");
    std::fs::write(
        &file,
        json!({"format": "casevault-interchange", "version": 1,
            "testimonies": [{"id": TESTIMONY, "case": CASE, "person": PERSON,
                "language": "en",
                "statement": format!("{TRAVEL_CANARY} {CANARY}: {} was taken at night", NAMES[0]),
                "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                            "share_un": false, "share_media": false, "publish": false}}]})
        .to_string(),
    )
    .unwrap();
    ok(&p.a, &["import", file.to_str().unwrap()]);
    for v in [&p.a, &p.b] {
        let out = sync(v, &p.remote);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert!(record(&p.b, TESTIMONY).is_some(), "the testimony reached B");
}

fn search_hits(vault: &Path, query: &str) -> usize {
    let r: serde_json::Value =
        serde_json::from_str(&ok(vault, &["search", query, "--json"])).unwrap();
    r["hits"].as_array().unwrap().len()
}

#[test]
fn unload_deletes_the_space_here_keeps_membership_and_reload_brings_it_back() {
    let p = shared_pair();
    add_testimony(&p);
    let shared = [CASE, PERSON, INCIDENT, TESTIMONY];
    // Evidence attached here, on the unloading side, not yet synced.
    let photo = p.a.parent().unwrap().join("photo.txt");
    std::fs::write(&photo, format!("{TRAVEL_CANARY} photo of the arrest")).unwrap();
    let attachment = ok(&p.a, &["attach", INCIDENT, photo.to_str().unwrap()])
        .trim()
        .to_owned();
    std::fs::remove_file(&photo).unwrap();
    let blobs: Vec<PathBuf> = files(&p.a.join("attachments"));
    assert_eq!(blobs.len(), 1, "{blobs:?}");
    assert_eq!(
        search_hits(&p.a, TRAVEL_CANARY),
        1,
        "the search finds it before"
    );
    let a_before = snapshot(&p.a);
    let b_before = snapshot(&p.b);
    let objects_before = files(&p.folder.join("objects"));

    // The evidence file exists nowhere else: refused without the flag,
    // and nothing changes.
    let out = run(&p.a, &["space", "unload", SPACE]);
    refused_with(&out, EXIT_UNSYNCED, "space_unsynced");
    assert_eq!(snapshot(&p.a), a_before);
    assert_eq!(files(&p.a.join("attachments")), blobs);
    assert_eq!(space_ls(&p.a)[0]["unloaded"], false);

    let out = run(&p.a, &["space", "unload", SPACE, "--discard-unsynced"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Every record of the space is gone from A; the rest is untouched.
    let a_after = snapshot(&p.a);
    for id in shared {
        assert!(record(&p.a, id).is_none(), "{id} is still on A");
        assert!(!a_after.contains_key(id), "{id}");
        assert!(
            open(&p.a).record_history(id).unwrap().is_empty(),
            "{id}'s history"
        );
    }
    for id in [PRIVATE_CASE, PRIVATE_PERSON, PERSON_BOTH] {
        assert_eq!(a_after.get(id), a_before.get(id), "{id} is untouched");
    }
    assert_eq!(a_after.len(), a_before.len() - shared.len());
    assert!(
        files(&p.a.join("attachments")).is_empty(),
        "the evidence file is gone"
    );
    let copy = p.a.parent().unwrap().join("copy.txt");
    let out = run(
        &p.a,
        &[
            "attachment",
            "get",
            &attachment,
            "--out",
            copy.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_INVALID),
        "{}",
        text(&out.stderr)
    );
    assert!(!copy.exists());
    assert_eq!(search_hits(&p.a, TRAVEL_CANARY), 0);
    assert_eq!(search_hits(&p.a, "Tulegenova"), 0);
    // The membership stays, marked unloaded.
    let s = &space_ls(&p.a)[0];
    assert_eq!(s["name"], SPACE);
    assert_eq!(s["unloaded"], true);
    assert_eq!(s["members"].as_array().unwrap().len(), 2);
    assert_eq!(s["cases"], json!([]));
    audit_ok(&p.a);
    // The custody log records the unload of each record and the file,
    // with no case content.
    let custody: serde_json::Value =
        serde_json::from_str(&ok(&p.a, &["audit", "show", "--json"])).unwrap();
    let unloads: Vec<&serde_json::Value> = custody
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "unload")
        .collect();
    let mut targets: Vec<&str> = unloads
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    targets.sort();
    let mut want = vec![CASE, PERSON, INCIDENT, TESTIMONY, attachment.as_str()];
    want.sort();
    assert_eq!(targets, want);
    for e in &unloads {
        let text = e.to_string();
        for needle in [TRAVEL_CANARY, CANARY, NAMES[0], SPACE] {
            assert!(!text.contains(needle), "{needle} in {text}");
        }
    }
    // No byte of A's vault folder holds the canaries or the names (the
    // vault file, its WAL, the evidence files).
    for f in files(&p.a) {
        let bytes = std::fs::read(&f).unwrap();
        for needle in [TRAVEL_CANARY, CANARY, NAMES[0], NAMES[1]] {
            assert!(!contains(&bytes, needle), "{needle} in {}", f.display());
        }
    }

    // Unload is local: syncs carry no deletion, B keeps everything.
    for v in [&p.a, &p.b, &p.a, &p.b] {
        let out = sync(v, &p.remote);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert_eq!(
        files(&p.folder.join("objects")),
        objects_before,
        "A sent nothing"
    );
    assert_eq!(snapshot(&p.b), b_before, "B's copy is untouched");
    assert!(record(&p.a, CASE).is_none(), "a sync does not reload it");
    audit_ok(&p.b);

    // Reloaded from the remote: the same records as B.
    let out = run(&p.a, &["space", "reload", SPACE]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for id in shared {
        assert_eq!(record(&p.a, id), record(&p.b, id), "{id}");
        assert!(record(&p.a, id).is_some(), "{id}");
    }
    let a_reloaded = snapshot(&p.a);
    for id in [
        CASE,
        PERSON,
        INCIDENT,
        TESTIMONY,
        PRIVATE_CASE,
        PRIVATE_PERSON,
    ] {
        assert_eq!(a_reloaded.get(id), a_before.get(id), "{id} as before");
    }
    let s = &space_ls(&p.a)[0];
    assert_eq!(s["unloaded"], false);
    assert_eq!(s["cases"], json!([CASE]));
    assert_eq!(search_hits(&p.a, TRAVEL_CANARY), 1);
    audit_ok(&p.a);

    // And the space goes on: A's next change reaches B, with no gap.
    amend(&p.a, INCIDENT, "title", "Written after the journey");
    assert!(sync(&p.a, &p.remote).status.success());
    assert!(sync(&p.b, &p.remote).status.success());
    assert_eq!(
        record(&p.b, INCIDENT).unwrap()["title"],
        "Written after the journey"
    );
    assert_eq!(space_ls(&p.b)[0]["gaps"], json!([]));
    audit_ok(&p.b);
}

#[test]
fn travel_mode_refuses_bad_input_and_unsynced_changes_and_changes_nothing() {
    let p = shared_pair();
    let before = snapshot(&p.a);
    // No such space.
    refused_with(
        &run(&p.a, &["space", "unload", "No such space"]),
        EXIT_INVALID,
        "not_found",
    );
    refused_with(
        &run(&p.a, &["space", "reload", "No such space"]),
        EXIT_INVALID,
        "not_found",
    );
    // A loaded space cannot be reloaded.
    refused_with(
        &run(&p.a, &["space", "reload", SPACE]),
        EXIT_INVALID,
        "space_loaded",
    );
    // A change not yet synced would be lost.
    amend(&p.a, INCIDENT, "title", "Not yet synced");
    let edited = snapshot(&p.a);
    assert_ne!(edited, before);
    refused_with(
        &run(&p.a, &["space", "unload", SPACE]),
        EXIT_UNSYNCED,
        "space_unsynced",
    );
    // A change handed to the replica whose upload failed (a broken stick)
    // is not on the remote either.
    let incoming = p.folder.join("incoming");
    std::fs::remove_dir_all(&incoming).unwrap();
    std::fs::write(&incoming, b"not a directory").unwrap();
    assert_eq!(sync(&p.a, &p.remote).status.code(), Some(EXIT_REMOTE_IO));
    refused_with(
        &run(&p.a, &["space", "unload", SPACE]),
        EXIT_UNSYNCED,
        "space_unsynced",
    );
    assert_eq!(snapshot(&p.a), edited, "nothing was deleted");
    assert_eq!(space_ls(&p.a)[0]["unloaded"], false);
    audit_ok(&p.a);
    std::fs::remove_file(&incoming).unwrap();
    std::fs::create_dir(&incoming).unwrap();
    assert!(sync(&p.a, &p.remote).status.success());
    // Synced: now it unloads without the flag.
    ok(&p.a, &["space", "unload", SPACE]);
    let unloaded = snapshot(&p.a);
    assert!(record(&p.a, CASE).is_none());
    // Twice is refused, and changes nothing.
    refused_with(
        &run(&p.a, &["space", "unload", SPACE]),
        EXIT_INVALID,
        "space_unloaded",
    );
    refused_with(
        &run(&p.a, &["space", "unload", SPACE, "--discard-unsynced"]),
        EXIT_INVALID,
        "space_unloaded",
    );
    assert_eq!(snapshot(&p.a), unloaded);
    assert_eq!(space_ls(&p.a)[0]["unloaded"], true);
    audit_ok(&p.a);
    // The membership still works while unloaded: the admin removes B, and
    // the removal reaches B through the membership-only sync.
    ok(&p.a, &["space", "remove", SPACE, "Bob"]);
    assert!(sync(&p.a, &p.remote).status.success());
    assert!(sync(&p.b, &p.remote).status.success());
    assert_eq!(space_ls(&p.b)[0]["removed"], true);
    // Reloaded: the edit made before the journey is back.
    ok(&p.a, &["space", "reload", SPACE]);
    assert_eq!(record(&p.a, INCIDENT).unwrap()["title"], "Not yet synced");
    assert_eq!(snapshot(&p.a), edited);
    audit_ok(&p.a);
}

/// Sharing a case from the report's sample: its incidents cite an
/// organisation (the perpetrator) and a source that belong to no case.
/// They travel with the space, so the member's vault files every incident
/// instead of refusing them for pointing at nothing; organisations no
/// record of the space cites stay here.
#[test]
fn a_shared_case_brings_the_organisations_and_sources_its_records_cite() {
    let TwoVaults {
        dir: _dir,
        a,
        b,
        folder,
    } = two_vaults();
    sample_vault(&a);
    init(&b);
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", "case-moldashev"]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    let remote = remote_address(&folder);
    assert!(sync(&a, &remote).status.success());
    let out = sync(&b, &remote);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for id in [
        "case-moldashev",
        "p-moldashev",
        "t-moldashev-sample",
        "inc-moldashev-surveillance-2011",
        "inc-moldashev-beating-2011",
        "inc-moldashev-disappearance-2011",
        "org-knb",
        "src-report",
    ] {
        assert!(record(&b, id).is_some(), "{id} did not reach the member");
        assert_eq!(record(&b, id), record(&a, id), "{id}");
    }
    for id in ["org-kz-embassy-ru", "case-svoik", "p-svoik"] {
        assert_eq!(record(&b, id), None, "{id} is not the space's");
    }
    audit_ok(&b);
}

/// An organisation this vault holds outside every space under an id a
/// member also uses (an imported `org-knb`, guessable) is not pulled into
/// the space by the member's records citing it: they are refused, and the
/// next sync sends nothing of this vault's own copy. Once both hold the
/// very same content, citing it is harmless and the records are filed.
#[test]
fn a_member_citing_an_id_this_vault_holds_outside_the_space_gets_nothing_of_it() {
    const PRIVATE_ORG: &str = "CANARY-ORG-7731 informant handler Yerlan";
    let TwoVaults {
        dir: _dir,
        a,
        b,
        folder,
    } = two_vaults();
    sample_vault(&a);
    init(&b);
    import_document(
        &b,
        &json!({"format": "casevault-interchange", "version": 1,
            "organisations": [{"id": "org-knb", "name": PRIVATE_ORG, "kind": "security_service", "country": "KZ"}]}),
    );
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", "case-moldashev"]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    let remote = remote_address(&folder);
    assert!(sync(&a, &remote).status.success());
    let out = sync(&b, &remote);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Every incident cites org-knb: each is refused, and B's copy stands.
    let incidents = [
        "inc-moldashev-surveillance-2011",
        "inc-moldashev-beating-2011",
        "inc-moldashev-disappearance-2011",
    ];
    for id in incidents {
        assert_eq!(record(&b, id), None, "{id} was filed");
    }
    assert_eq!(record(&b, "org-knb").unwrap()["name"], PRIVATE_ORG);
    assert_eq!(history(&b, "org-knb").len(), 1, "a member changed it");
    assert!(
        record(&b, "p-moldashev").is_some(),
        "the rest of the case is filed"
    );
    // B's next sync, and A's after it: nothing of B's organisation leaves.
    assert!(sync(&b, &remote).status.success());
    assert!(sync(&a, &remote).status.success());
    for v in history(&a, "org-knb") {
        assert_ne!(v["name"], PRIVATE_ORG);
    }
    assert_eq!(history(&a, "org-knb").len(), 1, "B's copy reached A");

    // B comes to hold the same organisation as A: the incidents are filed
    // and nothing B holds for itself went anywhere.
    {
        let mut v = open(&b);
        let same = open(&a).get_record("org-knb").unwrap().unwrap().data;
        let org = serde_json::from_value(same).unwrap();
        casevault_core::ops::edit::amend(&mut v, &AnyRecord::Organisation(org), "test edit")
            .unwrap();
    }
    let out = sync(&b, &remote);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for id in incidents {
        assert_eq!(record(&b, id), record(&a, id), "{id}");
    }
    assert!(sync(&a, &remote).status.success());
    assert_eq!(history(&a, "org-knb").len(), 1);
    audit_ok(&a);
    audit_ok(&b);
}
