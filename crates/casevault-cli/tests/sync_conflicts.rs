//! Conflict review in team spaces through the real `casevault` binary:
//! two real vaults edit one testimony offline, a real folder remote
//! carries both versions, `space conflicts` shows them and the proposed
//! merge, `space resolve` writes the choice, and the next sync ends the
//! conflict on both (issue 18).

use std::path::{Path, PathBuf};
use std::process::Output;

use casevault_core::model::records::{AnyRecord, Testimony};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{Credential, Vault};
use serde_json::{Value, json};

mod common;
use common::*;

const SPACE: &str = "Shymkent desk OKAPI-SPACE-2207";
const CASE: &str = "case-conflict-5120";
const PERSON: &str = "p-conflict-5120";
const TESTIMONY: &str = "tst-conflict-5120";
const STATEMENT: &str = "They came at night.\nThey took him to the station.\nHe was held for two days.\nNobody told the family.\nHe was released without charge.\n";

fn open(vault: &Path) -> Vault {
    Vault::open(
        vault,
        &Credential::Passphrase(Passphrase::new(PASS.into())),
        casevault_core::Session::new("tester", casevault_core::Clock::system()),
    )
    .unwrap()
}

fn record(vault: &Path, id: &str) -> Value {
    open(vault).get_record(id).unwrap().unwrap().data
}

fn statements(vault: &Path) -> Vec<String> {
    open(vault)
        .record_history(TESTIMONY)
        .unwrap()
        .into_iter()
        .map(|v| v.data["statement"].as_str().unwrap().to_owned())
        .collect()
}

/// Changes the testimony's statement through the vault's write path.
fn amend_statement(vault: &Path, statement: &str) {
    let mut v = open(vault);
    let mut data = v.get_record(TESTIMONY).unwrap().unwrap().data;
    data["statement"] = json!(statement);
    let t: Testimony = serde_json::from_value(data).unwrap();
    casevault_core::ops::edit::amend(&mut v, &AnyRecord::Testimony(t), "test edit").unwrap();
}

fn sync(vault: &Path, remote: &str) {
    let out = run(vault, &["sync", "--remote", remote]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn space_conflicts_listed(vault: &Path) -> Value {
    let ls: Value = serde_json::from_str(&ok(vault, &["space", "ls", "--json"])).unwrap();
    ls[0]["conflicts"].clone()
}

fn conflicts(vault: &Path) -> Value {
    serde_json::from_str(&ok(vault, &["space", "conflicts", SPACE, "--json"])).unwrap()
}

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

/// What a refusal must leave as it was: the records, their history, the
/// custody log, the space's listing and its replica's view of conflicts.
fn state(vault: &Path) -> (Value, usize, String, String, Value) {
    (
        record(vault, TESTIMONY),
        statements(vault).len(),
        ok(vault, &["audit", "show", "--json"]),
        ok(vault, &["space", "ls", "--json"]),
        conflicts(vault),
    )
}

/// A review without what is local to each vault (its names for devices,
/// which one is this device).
fn shared_view(review: &Value) -> Value {
    let mut v = review.clone();
    for c in v.as_array_mut().unwrap() {
        for h in c["heads"].as_array_mut().unwrap() {
            let h = h.as_object_mut().unwrap();
            h.remove("label");
            h.remove("this_device");
        }
    }
    v
}

struct Pair {
    _dir: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    remote: String,
}

/// A (admin) shares a case with a testimony with B; both synced.
fn shared_pair() -> Pair {
    let TwoVaults { dir, a, b, folder } = two_vaults();
    init(&a);
    init(&b);
    let sample = dir.path().join("sample.json");
    std::fs::write(
        &sample,
        json!({"format": "casevault-interchange", "version": 1,
            "cases": [{"id": CASE, "title": "Detention in Shymkent", "status": "open"}],
            "persons": [{"id": PERSON, "names": [{"name": "Aigerim Tulegenova", "kind": "primary"}],
                "case_roles": [{"case": CASE, "role": "victim"}]}],
            "testimonies": [{"id": TESTIMONY, "case": CASE, "person": PERSON, "language": "en",
                "statement": STATEMENT,
                "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                            "share_un": false, "share_media": false, "publish": false}}]})
        .to_string(),
    )
    .unwrap();
    ok(&a, &["import", sample.to_str().unwrap()]);
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", CASE]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    let remote = format!("file://{}", folder.display());
    sync(&a, &remote);
    sync(&b, &remote);
    assert_eq!(record(&b, TESTIMONY), record(&a, TESTIMONY));
    Pair {
        _dir: dir,
        a,
        b,
        remote,
    }
}

/// Both edit the testimony offline, then sync until both hold both.
fn concurrent_edits(p: &Pair, a_statement: &str, b_statement: &str) {
    amend_statement(&p.a, a_statement);
    amend_statement(&p.b, b_statement);
    for v in [&p.a, &p.b, &p.a] {
        sync(v, &p.remote);
    }
    for v in [&p.a, &p.b] {
        assert_eq!(space_conflicts_listed(v), json!([TESTIMONY]));
    }
}

#[test]
fn separate_line_edits_merge_and_the_resolution_ends_the_conflict_on_both() {
    let p = shared_pair();
    let by_a = STATEMENT.replace("They came at night.", "They came at 2 a.m.");
    let by_b = STATEMENT.replace(
        "He was released without charge.",
        "He was released without charge on the third day.",
    );
    concurrent_edits(&p, &by_a, &by_b);
    let both = STATEMENT
        .replace("They came at night.", "They came at 2 a.m.")
        .replace(
            "He was released without charge.",
            "He was released without charge on the third day.",
        );

    // Both vaults show the same review: two versions, A's and B's, and a
    // clean merge holding both edits.
    let seen = conflicts(&p.a);
    assert_eq!(
        shared_view(&seen),
        shared_view(&conflicts(&p.b)),
        "every replica proposes the same"
    );
    let c = &seen[0];
    assert_eq!(c["record"], TESTIMONY);
    assert_eq!(c["kind"], "testimony");
    let heads = c["heads"].as_array().unwrap();
    assert_eq!(heads.len(), 2);
    let shown: Vec<&str> = heads
        .iter()
        .map(|h| h["data"]["statement"].as_str().unwrap())
        .collect();
    assert!(shown.contains(&by_a.as_str()) && shown.contains(&by_b.as_str()));
    assert_eq!(c["base"]["statement"], STATEMENT);
    assert_eq!(c["conflicting"], json!([]));
    assert_eq!(c["merged"]["statement"], both.as_str());
    // The one field that differs, a long text both changed, with its
    // lines marked by side.
    let fields = c["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(fields[0]["field"], "statement");
    assert_eq!(fields[0]["long_text"], true);
    assert_eq!(fields[0]["changed"], json!([true, true]));
    assert_eq!(fields[0]["conflict"], false);
    let sides: Vec<&str> = fields[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[0].as_str().unwrap())
        .collect();
    assert_eq!(sides.iter().filter(|s| **s == "left").count(), 2);
    assert_eq!(sides.iter().filter(|s| **s == "right").count(), 2);
    assert_eq!(sides.iter().filter(|s| **s == "both").count(), 3);
    // The text listing names the record and the field.
    let listed = ok(&p.a, &["space", "conflicts", SPACE]);
    assert!(
        listed.contains(TESTIMONY) && listed.contains("statement"),
        "{listed}"
    );
    // Fingerprints are grouped in fours, and B's copy names A's device by
    // nothing (no label), A's names B's as "Bob".
    let a_view = conflicts(&p.a);
    let labels: Vec<&Value> = a_view[0]["heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["label"])
        .collect();
    assert!(labels.contains(&&json!("Bob")), "{labels:?}");
    assert!(
        heads[0]["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("SHA256:")
            && heads[0]["fingerprint"].as_str().unwrap().contains(' ')
    );

    ok(&p.b, &["space", "resolve", SPACE, TESTIMONY, "--merged"]);
    assert_eq!(record(&p.b, TESTIMONY)["statement"], both.as_str());
    assert_eq!(space_conflicts_listed(&p.b), json!([]));
    assert_eq!(conflicts(&p.b), json!([]));
    // A still sees it until it syncs.
    assert_eq!(space_conflicts_listed(&p.a), json!([TESTIMONY]));

    sync(&p.b, &p.remote);
    sync(&p.a, &p.remote);
    for v in [&p.a, &p.b] {
        assert_eq!(space_conflicts_listed(v), json!([]));
        assert_eq!(conflicts(v), json!([]));
        ok(v, &["audit", "verify"]);
        // Both versions stay in the history, with the resolution.
        let history = statements(v);
        for s in [&by_a, &by_b, &both] {
            assert!(history.contains(s), "{history:?}");
        }
    }
    assert_eq!(record(&p.a, TESTIMONY), record(&p.b, TESTIMONY));
    // Nothing bounces back: another round changes nothing and raises no
    // new conflict.
    let before = statements(&p.a).len();
    sync(&p.a, &p.remote);
    sync(&p.b, &p.remote);
    sync(&p.a, &p.remote);
    assert_eq!(statements(&p.a).len(), before);
    assert_eq!(space_conflicts_listed(&p.a), json!([]));
    assert_eq!(space_conflicts_listed(&p.b), json!([]));
}

#[test]
fn overlapping_edits_refuse_the_merge_with_a_code_and_keeping_a_version_works() {
    let p = shared_pair();
    let by_a = STATEMENT.replace("two days", "three days");
    let by_b = STATEMENT.replace("two days", "four days");
    concurrent_edits(&p, &by_a, &by_b);
    let c = conflicts(&p.a);
    assert_eq!(c[0]["conflicting"], json!(["statement"]));
    let heads = c[0]["heads"].as_array().unwrap();
    let a_number = heads.iter().find(|h| h["this_device"] == true).unwrap()["number"]
        .as_u64()
        .unwrap()
        .to_string();
    assert_eq!(
        heads.iter().find(|h| h["this_device"] == true).unwrap()["data"]["statement"],
        by_a.as_str()
    );

    // Refusals: each with its code, each leaving A as it was.
    let before = state(&p.a);
    let bad_data = p.a.parent().unwrap().join("bad.json");
    std::fs::write(
        &bad_data,
        json!({"id": TESTIMONY, "case": CASE}).to_string(),
    )
    .unwrap();
    let other_id = p.a.parent().unwrap().join("other.json");
    let mut moved = record(&p.a, TESTIMONY);
    moved["id"] = json!("tst-somewhere-else");
    std::fs::write(&other_id, moved.to_string()).unwrap();
    let dangling = p.a.parent().unwrap().join("dangling.json");
    let mut d = record(&p.a, TESTIMONY);
    d["person"] = json!("p-nobody-0000");
    std::fs::write(&dangling, d.to_string()).unwrap();
    let not_json = p.a.parent().unwrap().join("not.json");
    std::fs::write(&not_json, "{ not json").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![TESTIMONY, "--merged"], "merge_overlaps"),
        (vec![TESTIMONY, "--keep", "3"], "out_of_range"),
        (vec![TESTIMONY, "--keep", "0"], "out_of_range"),
        (vec!["tst-no-such-record", "--keep", "1"], "not_found"),
        (vec![CASE, "--keep", "1"], "not_in_conflict"),
        (
            vec![TESTIMONY, "--data", bad_data.to_str().unwrap()],
            "file_wrong_shape",
        ),
        (
            vec![TESTIMONY, "--data", other_id.to_str().unwrap()],
            "file_wrong_shape",
        ),
        (
            vec![TESTIMONY, "--data", not_json.to_str().unwrap()],
            "file_not_json",
        ),
    ];
    for (args, code) in cases {
        let mut all = vec!["space", "resolve", SPACE];
        all.extend(args.iter());
        refused_with(&run(&p.a, &all), EXIT_INVALID, code);
        assert!(before == state(&p.a), "{args:?} changed the vault");
    }
    // A reference to a record this vault does not have: the vault's own
    // validation refuses it, as for a member's change.
    let out = run(
        &p.a,
        &[
            "space",
            "resolve",
            SPACE,
            TESTIMONY,
            "--data",
            dangling.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_INVALID),
        "{}",
        text(&out.stderr)
    );
    assert!(before == state(&p.a), "dangling data changed the vault");
    // No such space.
    refused_with(
        &run(
            &p.a,
            &[
                "space",
                "resolve",
                "no such space",
                TESTIMONY,
                "--keep",
                "1",
            ],
        ),
        EXIT_INVALID,
        "not_found",
    );
    refused_with(
        &run(&p.a, &["space", "conflicts", "no such space"]),
        EXIT_INVALID,
        "not_found",
    );
    assert!(before == state(&p.a));

    // A keeps its own version; B takes it at the next sync.
    ok(
        &p.a,
        &["space", "resolve", SPACE, TESTIMONY, "--keep", &a_number],
    );
    assert_eq!(record(&p.a, TESTIMONY)["statement"], by_a.as_str());
    refused_with(
        &run(&p.a, &["space", "resolve", SPACE, TESTIMONY, "--keep", "1"]),
        EXIT_INVALID,
        "not_in_conflict",
    );
    sync(&p.a, &p.remote);
    sync(&p.b, &p.remote);
    for v in [&p.a, &p.b] {
        assert_eq!(space_conflicts_listed(v), json!([]));
        assert_eq!(record(v, TESTIMONY)["statement"], by_a.as_str());
        ok(v, &["audit", "verify"]);
        let history = statements(v);
        assert!(history.contains(&by_b), "{history:?}");
    }
    assert_eq!(record(&p.a, TESTIMONY), record(&p.b, TESTIMONY));
}

#[test]
fn edited_data_resolves_a_conflict_on_both() {
    let p = shared_pair();
    let by_a = STATEMENT.replace("two days", "three days");
    let by_b = STATEMENT.replace("two days", "four days");
    concurrent_edits(&p, &by_a, &by_b);
    let agreed = STATEMENT.replace("two days", "three or four days");
    let mut data = record(&p.b, TESTIMONY);
    data["statement"] = json!(agreed);
    let file = p.b.parent().unwrap().join("agreed.json");
    std::fs::write(&file, data.to_string()).unwrap();
    ok(
        &p.b,
        &[
            "space",
            "resolve",
            SPACE,
            TESTIMONY,
            "--data",
            file.to_str().unwrap(),
        ],
    );
    // The text listing says there is nothing left to review.
    let listed = ok(&p.b, &["space", "conflicts", SPACE]);
    assert!(!listed.contains(TESTIMONY), "{listed}");
    sync(&p.b, &p.remote);
    sync(&p.a, &p.remote);
    for v in [&p.a, &p.b] {
        assert_eq!(record(v, TESTIMONY)["statement"], agreed.as_str());
        assert_eq!(space_conflicts_listed(v), json!([]));
        ok(v, &["audit", "verify"]);
    }
}

/// A choice made on the versions a person reviewed is refused once a sync
/// has brought another version meanwhile (B edited again): nothing is
/// written, and the versions as they are now can be chosen from.
#[test]
fn a_choice_on_versions_a_sync_has_changed_is_refused_and_the_new_ones_can_be_chosen() {
    let p = shared_pair();
    let by_a = STATEMENT.replace("two days", "three days");
    let by_b = STATEMENT.replace("two days", "four days");
    concurrent_edits(&p, &by_a, &by_b);
    let reviewed = conflicts(&p.a)[0]["heads_digest"]
        .as_str()
        .unwrap()
        .to_owned();
    // The review names the record in words: whose testimony, how it opens.
    let label = conflicts(&p.a)[0]["label"].as_str().unwrap().to_owned();
    assert!(label.starts_with("Aigerim Tulegenova · "), "{label}");
    let ls: Value = serde_json::from_str(&ok(&p.a, &["space", "ls", "--json"])).unwrap();
    assert_eq!(
        ls[0]["conflict_labels"],
        json!([label]),
        "the listing says it too"
    );

    let by_b_again = STATEMENT.replace("two days", "five days");
    amend_statement(&p.b, &by_b_again);
    sync(&p.b, &p.remote);
    sync(&p.a, &p.remote);
    assert_eq!(space_conflicts_listed(&p.a), json!([TESTIMONY]));
    let now = conflicts(&p.a);
    let current = now[0]["heads_digest"].as_str().unwrap().to_owned();
    assert_ne!(current, reviewed, "another version arrived");

    let before = state(&p.a);
    for key in [reviewed.as_str(), "not-a-key"] {
        refused_with(
            &run(
                &p.a,
                &[
                    "space", "resolve", SPACE, TESTIMONY, "--keep", "1", "--heads", key,
                ],
            ),
            EXIT_INVALID,
            "conflict_changed",
        );
        assert!(before == state(&p.a), "a stale choice changed the vault");
    }
    let heads = now[0]["heads"].as_array().unwrap();
    let b_number = heads
        .iter()
        .find(|h| h["data"]["statement"] == by_b_again.as_str())
        .unwrap()["number"]
        .as_u64()
        .unwrap()
        .to_string();
    ok(
        &p.a,
        &[
            "space", "resolve", SPACE, TESTIMONY, "--keep", &b_number, "--heads", &current,
        ],
    );
    assert_eq!(record(&p.a, TESTIMONY)["statement"], by_b_again.as_str());
    assert_eq!(space_conflicts_listed(&p.a), json!([]));
}

/// Changes a record's data through the vault's write path.
fn amend_with(vault: &Path, id: &str, change: impl FnOnce(&mut Value)) {
    let mut v = open(vault);
    let stored = v.get_record(id).unwrap().unwrap();
    let mut data = stored.data;
    change(&mut data);
    let any = match stored.kind.as_str() {
        "testimony" => AnyRecord::Testimony(serde_json::from_value(data).unwrap()),
        "person" => AnyRecord::Person(serde_json::from_value(data).unwrap()),
        other => panic!("{other}"),
    };
    casevault_core::ops::edit::amend(&mut v, &any, "test edit").unwrap();
}

/// The ids `bundle review` says an export would leave out.
fn withheld(vault: &Path) -> Vec<String> {
    let review: Value =
        serde_json::from_str(&ok(vault, &["bundle", "review", "--case", CASE, "--json"])).unwrap();
    review["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["id"].as_str().map(str::to_owned))
        .collect()
}

/// One caseworker records that the witness withdrew consent and asked for
/// a pseudonym; the other, before syncing, fixes the statement and the
/// person's occupation. Until someone reviews the conflict, whichever
/// version every replica shows keeps the withdrawal and the protection,
/// so no export, CSV or dossier reads a consent that grew. Run both ways
/// round, so the pick falls once on each side's version.
#[test]
fn a_version_nobody_chose_never_loosens_consent_or_a_name_s_protection() {
    for protector_is_admin in [true, false] {
        let p = shared_pair();
        let (protector, other) = if protector_is_admin {
            (&p.a, &p.b)
        } else {
            (&p.b, &p.a)
        };
        assert!(!withheld(protector).contains(&TESTIMONY.to_owned()));
        amend_with(protector, TESTIMONY, |d| {
            d["consent"]["share_lawyers"] = json!(false);
            d["consent"]["withdrawn"] = json!("2026-11");
        });
        amend_with(protector, PERSON, |d| {
            d["protected"] = json!(true);
            d["pseudonym"] = json!("Witness K");
        });
        let fixed = STATEMENT.replace("two days", "two nights");
        amend_statement(other, &fixed);
        amend_with(other, PERSON, |d| d["occupation"] = json!("journalist"));
        for v in [&p.a, &p.b, &p.a] {
            sync(v, &p.remote);
        }
        let mut shown = Vec::new();
        for v in [&p.a, &p.b] {
            let mut listed = space_conflicts_listed(v).as_array().unwrap().clone();
            listed.sort_by_key(|x| x.as_str().unwrap().to_owned());
            assert_eq!(listed, vec![json!(PERSON), json!(TESTIMONY)]);
            let t = record(v, TESTIMONY);
            assert_eq!(t["consent"]["share_lawyers"], json!(false), "{t}");
            assert_eq!(t["consent"]["withdrawn"], json!("2026-11"), "{t}");
            let person = record(v, PERSON);
            assert_eq!(person["protected"], json!(true), "{person}");
            assert_eq!(person["pseudonym"], json!("Witness K"), "{person}");
            assert!(
                withheld(v).contains(&TESTIMONY.to_owned()),
                "an export would carry it"
            );
            shown.push((t, person));
            ok(v, &["audit", "verify"]);
        }
        // The same on both, and nothing new to send: another round changes nothing.
        assert_eq!(shown[0], shown[1]);
        let held = |v: &Path| {
            (
                record(v, TESTIMONY),
                record(v, PERSON),
                statements(v).len(),
                ok(v, &["audit", "show", "--json"]),
                conflicts(v),
            )
        };
        let before = (held(&p.a), held(&p.b));
        let objects =
            std::fs::read_dir(Path::new(p.remote.trim_start_matches("file://")).join("objects"))
                .unwrap()
                .count();
        for v in [&p.a, &p.b] {
            sync(v, &p.remote);
        }
        assert!(
            before == (held(&p.a), held(&p.b)),
            "a round changed the vaults"
        );
        assert_eq!(
            std::fs::read_dir(Path::new(p.remote.trim_start_matches("file://")).join("objects"))
                .unwrap()
                .count(),
            objects,
            "the protected view was sent as an edit"
        );
    }
}
