//! A space's replica as the vault stores it, across the schema changes
//! that moved its versions and unsent changes (migration 14), then what it
//! agreed with the vault (migration 15), out of one JSON value into rows.
//! Each fixture holds two real vaults and the folder remote between them,
//! written by `write_schema_13_space_fixture` and
//! `write_schema_14_space_fixture` with the build of that schema, and never
//! changed since.

use std::path::{Path, PathBuf};

use casevault_core::model::records::AnyRecord;
use casevault_core::ops::{edit, interchange};
use casevault_core::vault::Vault;
use casevault_sync::relay::{Fault, HostileRelay};
use casevault_sync::remote::FolderRemote;
use casevault_sync::replica::NothingStored;
use casevault_sync::spaces;
use casevault_sync::testing::vault::{new_vault, open_vault};

const CASE: &str = "case-fixture-13";
const TESTIMONY: &str = "t-fixture-13";

fn fixture_dir(schema: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/space-schema-{schema}"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the fixture written by the build of `schema`: its folder
/// remote, and its two vaults opened with today's build (which migrates
/// them).
fn open_fixture(schema: u32) -> (tempfile::TempDir, PathBuf, Vault, Vault) {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(schema), tmp.path());
    let folder = tmp.path().join("remote");
    let a = open_vault(&tmp.path().join("a"), "a");
    let b = open_vault(&tmp.path().join("b"), "b");
    (tmp, folder, a, b)
}

fn testimony(vault: &Vault) -> serde_json::Value {
    vault.get_record(TESTIMONY).unwrap().unwrap().data
}

/// Amends the testimony's statement, as a caseworker's edit would.
fn amend_statement(vault: &mut Vault, statement: &str) {
    let mut data = testimony(vault);
    data["statement"] = statement.into();
    let record = AnyRecord::from_stored("testimony", &data.to_string()).unwrap();
    edit::amend(vault, &record, "fixture edit").unwrap();
}

fn sync(vault: &mut Vault, folder: &Path) -> spaces::SyncOutcome {
    let remote = FolderRemote::open(folder).unwrap();
    let address = format!("file://{}", folder.display());
    spaces::sync(vault, &remote, &address, &mut |_| {}).unwrap()
}

/// Reviews the testimony's conflict: keeps its first version, as shown.
fn keep_first_head(vault: &mut Vault, detail: &casevault_sync::review::ConflictDetail) {
    casevault_sync::review::resolve(
        vault,
        "Fixture space",
        TESTIMONY,
        casevault_sync::review::Resolution::Keep(1),
        Some(&detail.heads_digest),
    )
    .unwrap();
}

#[test]
#[ignore = "writes a committed fixture; run by hand with --ignored, only with the build of schema 13"]
fn write_schema_13_space_fixture() {
    write_space_fixture(13);
}

#[test]
#[ignore = "writes a committed fixture; run by hand with --ignored, only with the build of schema 14"]
fn write_schema_14_space_fixture() {
    write_space_fixture(14);
}

#[test]
#[ignore = "writes a committed fixture; run by hand with --ignored, only with the build of schema 15"]
fn write_schema_15_space_fixture() {
    write_space_fixture(15);
}

/// Writes the fixture: A creates a space, B joins through the folder and
/// both hold the case; then each amends the same testimony, B syncs its
/// edit and A does not. So A's stored state holds versions of two devices,
/// an unsent change of its own, and the folder holds B's concurrent edit.
fn write_space_fixture(schema: u32) {
    let dir = fixture_dir(schema);
    let _ = std::fs::remove_dir_all(&dir);
    let folder = dir.join("remote");
    std::fs::create_dir_all(&folder).unwrap();
    let mut a = new_vault(&dir.join("a"), "a");
    let mut b = new_vault(&dir.join("b"), "b");
    let doc = serde_json::json!({
        "format": interchange::FORMAT,
        "version": 1,
        "cases": [{"id": CASE, "title": "Fixture case (schema 13)", "status": "open"}],
        "persons": [{"id": "p-fixture-13",
            "names": [{"name": "Daniyar Moldashev", "kind": "primary"},
                      {"name": "Данияр Молдашев", "kind": "alias"}],
            "case_roles": [{"case": CASE, "role": "victim"}]}],
        "testimonies": [{"id": TESTIMONY, "case": CASE, "person": "p-fixture-13",
            "language": "en",
            "statement": "First line.\nSecond line.\nThird line.",
            "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                        "share_un": false, "share_media": false, "publish": false}}],
    });
    let doc = interchange::parse(&serde_json::to_vec(&doc).unwrap()).unwrap();
    interchange::import(&mut a, &doc).unwrap();
    let line = spaces::device_key(&mut b).unwrap().public().line();
    spaces::create_space(&mut a, "Fixture space", &[CASE.to_owned()]).unwrap();
    spaces::add_member(&mut a, "Fixture space", &line, "B").unwrap();
    sync(&mut a, &folder);
    assert_eq!(sync(&mut b, &folder).joined.len(), 1);
    assert_eq!(testimony(&a), testimony(&b));

    amend_statement(
        &mut a,
        "First line, as A heard it.\nSecond line.\nThird line.",
    );
    amend_statement(
        &mut b,
        "First line.\nSecond line.\nThird line, as B heard it.",
    );
    // A's sync meets a remote that drops every put: its edit is in its
    // replica, queued, and not on the remote.
    let relay = HostileRelay::new(FolderRemote::open(&folder).unwrap(), vec![Fault::Drop]);
    let address = format!("file://{}", folder.display());
    let _ = spaces::sync(&mut a, &relay, &address, &mut |_| {});
    let stored = a.spaces().unwrap().remove(0);
    if schema == 13 {
        let state: serde_json::Value = serde_json::from_str(&stored.state).unwrap();
        assert_eq!(state["replica"]["outbox"].as_array().unwrap().len(), 1);
    } else {
        assert_eq!(a.space_outbox(stored.id).unwrap().len(), 1);
    }
    sync(&mut b, &folder);
    a.lock();
    b.lock();
}

/// A schema-13 vault's space opens with the current build, keeps every
/// version and its unsent change, and syncs on: A sends the change it held
/// and receives B's, both see the same conflict and the same heads, and the
/// state is stored as rows from then on.
#[test]
fn a_schema_13_space_keeps_its_versions_and_unsent_change_as_rows() {
    let (_tmp, folder, mut a, mut b) = open_fixture(13);

    let before = spaces::stored_replica(&mut a, "Fixture space").unwrap();
    assert_eq!(before.unsent(), 1, "A's edit, never sent, is still queued");
    let a_versions = before.versions();
    assert!(a_versions.iter().any(|(id, _, _)| id == TESTIMONY));
    drop(before);

    let out = sync(&mut a, &folder);
    assert_eq!(out.uploaded, 1, "the change kept since schema 13 is sent");
    assert!(out.received >= 1, "and B's concurrent edit is received");
    sync(&mut b, &folder);
    let a_space = spaces::list(&mut a).unwrap().remove(0);
    let b_space = spaces::list(&mut b).unwrap().remove(0);
    assert_eq!(a_space.conflicts, [TESTIMONY]);
    assert_eq!(b_space.conflicts, [TESTIMONY]);

    let a_replica = spaces::stored_replica(&mut a, "Fixture space").unwrap();
    let b_replica = spaces::stored_replica(&mut b, "Fixture space").unwrap();
    assert_eq!(a_replica.unsent(), 0);
    assert_eq!(a_replica.versions(), b_replica.versions());
    assert!(
        a_versions.is_subset(&a_replica.versions()),
        "no version held at schema 13 was lost"
    );
    assert_eq!(
        a_replica.heads(TESTIMONY, &NothingStored).unwrap(),
        b_replica.heads(TESTIMONY, &NothingStored).unwrap()
    );
    assert_eq!(a_replica.heads(TESTIMONY, &NothingStored).unwrap().len(), 2);

    // From now on the versions are rows, and the state holds none.
    for vault in [&a, &b] {
        let stored = vault.spaces().unwrap().remove(0);
        let state: serde_json::Value = serde_json::from_str(&stored.state).unwrap();
        assert!(state["replica"].get("versions").is_none());
        assert!(state["replica"].get("outbox").is_none());
        assert!(vault.space_versions(stored.id).unwrap().len() >= a_versions.len());
    }
}

/// A schema-14 vault's space keeps what its vault and replica agreed on
/// (the map its state JSON held, now rows of migration 15). The fixture's
/// vaults sync on with today's build, and the map is rows from then on:
/// the state JSON holds none, and a sync read from the vault alone
/// (nothing kept in memory) finds nothing to send or write.
#[test]
fn a_schema_14_space_keeps_what_it_agreed_as_rows() {
    let (_tmp, folder, mut a, mut b) = open_fixture(14);
    let stored = a.spaces().unwrap().remove(0);
    let state: serde_json::Value = serde_json::from_str(&stored.state).unwrap();
    let legacy = state["synced"].as_object().unwrap().len();
    assert!(legacy >= 3, "the case, the person and the testimony");
    assert!(a.space_agreed(stored.id).unwrap().is_empty());
    assert_eq!(a.space_outbox(stored.id).unwrap().len(), 1);

    let out = sync(&mut a, &folder);
    assert_eq!(out.uploaded, 1, "the change kept since schema 14 is sent");
    sync(&mut b, &folder);
    for vault in [&mut a, &mut b] {
        let stored = vault.spaces().unwrap().remove(0);
        let state: serde_json::Value = serde_json::from_str(&stored.state).unwrap();
        assert!(state.get("synced").is_none(), "the map left the state JSON");
        assert!(vault.space_agreed(stored.id).unwrap().len() >= legacy);
        assert_eq!(spaces::list(vault).unwrap()[0].conflicts, [TESTIMONY]);
    }
    for vault in [&mut a, &mut b] {
        spaces::forget_in_memory(vault);
        let out = sync(vault, &folder);
        assert_eq!(
            (out.uploaded, out.applied),
            (0, 0),
            "read back from the rows: all agreed"
        );
    }
}

/// A schema-15 vault's space, whose versions held their values in their
/// rows, keeps every version after migration 16: each value moves to
/// `space_values` and its row carries the value's SHA-256. The replica
/// read back holds no value and reads the few it needs: the fixture's
/// vaults sync on, meet the concurrent edit as a conflict, review it
/// (whose heads and base are read from the vault) and converge.
#[test]
fn a_schema_15_space_keeps_its_versions_with_their_values_apart() {
    let (_tmp, folder, mut a, mut b) = open_fixture(15);
    for vault in [&a, &b] {
        let stored = vault.spaces().unwrap().remove(0);
        let rows = vault.space_versions(stored.id).unwrap();
        assert!(
            rows.len() >= 4,
            "the meta record, the case, the person, the testimony"
        );
        for row in &rows {
            let value = vault
                .space_value(stored.id, &row.device, row.seq)
                .unwrap()
                .expect("every version's value moved");
            assert_eq!(casevault_core::crypto::hash::sha256(&value), row.digest);
        }
    }
    let before = spaces::stored_replica(&mut a, "Fixture space").unwrap();
    assert_eq!(before.unsent(), 1, "A's edit, never sent, is still queued");
    let a_versions = before.versions();
    drop(before);

    let out = sync(&mut a, &folder);
    assert_eq!(out.uploaded, 1, "the change kept since schema 15 is sent");
    sync(&mut b, &folder);
    for vault in [&mut a, &mut b] {
        assert_eq!(spaces::list(vault).unwrap()[0].conflicts, [TESTIMONY]);
        spaces::forget_in_memory(vault);
        let out = sync(vault, &folder);
        assert_eq!((out.uploaded, out.applied), (0, 0), "read back: all agreed");
    }
    let a_replica = spaces::stored_replica(&mut a, "Fixture space").unwrap();
    assert!(
        a_versions.is_subset(&a_replica.versions()),
        "no version lost"
    );

    spaces::forget_in_memory(&mut a);
    let detail = casevault_sync::review::conflicts(&mut a, "Fixture space")
        .unwrap()
        .remove(0);
    assert_eq!((detail.record.as_str(), detail.heads.len()), (TESTIMONY, 2));
    assert!(
        detail.base.is_some(),
        "the common version, read from the vault"
    );
    keep_first_head(&mut a, &detail);
    sync(&mut a, &folder);
    sync(&mut b, &folder);
    for vault in [&mut a, &mut b] {
        assert!(spaces::list(vault).unwrap()[0].conflicts.is_empty());
    }
    assert_eq!(testimony(&a), testimony(&b));
}

/// What the map of a schema-14 state says is not lost on the way into
/// rows: an evidence file it records as sent is not sent again, and an
/// unload does not count it as unsynced. The state is put back in the
/// form a schema-14 build wrote it (the map in the JSON, no rows), as
/// migration 15 leaves it.
#[test]
fn the_agreed_map_of_a_schema_14_state_is_read_not_lost() {
    let (tmp, folder, mut a, _) = open_fixture(14);
    let photo = tmp.path().join("photo.jpg");
    std::fs::write(&photo, b"\xFF\xD8 a photo of the street").unwrap();
    a.attach(
        casevault_core::vault::attachments::AttachRequest {
            record_id: CASE,
            source: &photo,
            derived_from: None,
            note: None,
        },
        |_, _| {},
    )
    .unwrap();
    sync(&mut a, &folder);
    assert_eq!(sync(&mut a, &folder).files_sent, 0, "sent once");

    let stored = a.spaces().unwrap().remove(0);
    let mut state: serde_json::Value = serde_json::from_str(&stored.state).unwrap();
    let agreed: serde_json::Map<String, serde_json::Value> = a
        .space_agreed(stored.id)
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k, v.into()))
        .collect();
    assert!(
        agreed
            .keys()
            .any(|k| k.starts_with("casevault:attachment:")),
        "{agreed:?}"
    );
    state["synced"] = agreed.into();
    a.save_space(
        stored.id,
        &stored.log,
        &state.to_string(),
        &Default::default(),
        &casevault_core::vault::spaces::AgreedRows {
            clear: true,
            set: Vec::new(),
        },
    )
    .unwrap();
    spaces::forget_in_memory(&mut a);

    let out = sync(&mut a, &folder);
    assert_eq!((out.files_sent, out.uploaded), (0, 0), "nothing sent again");
    spaces::forget_in_memory(&mut a);
    spaces::unload_space(&mut a, "Fixture space", false)
        .expect("nothing unsynced: the file counts as sent");
    // The hashes of the records' contents leave with them: a seized laptop
    // cannot confirm a guess of what the space held.
    assert!(a.space_agreed(stored.id).unwrap().is_empty());
}

/// The replica an unlocked vault keeps in memory between syncs (so that a
/// timed sync reads no version from disk) is the stored one: after syncs
/// that send, receive and meet a conflict, the replica taken from memory
/// and the one read back from the vault hold the same versions, heads,
/// unsent changes and gaps. Listing the spaces leaves it there; an
/// operation between syncs that changes the space (a conflict's review)
/// leaves no stale copy in memory.
#[test]
fn the_replica_kept_in_memory_is_the_one_stored() {
    let (_tmp, folder, mut a, mut b) = open_fixture(13);
    for round in 0..3 {
        amend_statement(&mut a, &format!("A's line {round}.\nSecond line."));
        sync(&mut a, &folder);
        sync(&mut b, &folder);
        amend_statement(&mut b, &format!("First line.\nB's line {round}."));
        sync(&mut b, &folder);
        sync(&mut a, &folder);
    }
    for vault in [&mut a, &mut b] {
        assert_eq!(spaces::kept_in_memory(vault), 1, "a finished sync keeps it");
        spaces::list(vault).unwrap();
        assert_eq!(
            spaces::kept_in_memory(vault),
            1,
            "listing the spaces (the Team view, after every sync) reads no replica"
        );
        let in_memory = spaces::stored_replica(vault, "Fixture space").unwrap();
        assert_eq!(spaces::kept_in_memory(vault), 0, "taken out when read");
        let stored = spaces::stored_replica(vault, "Fixture space").unwrap();
        assert_eq!(in_memory.versions(), stored.versions());
        assert_eq!(in_memory.state(), stored.state());
        assert_eq!(in_memory.unsent(), stored.unsent());
        assert_eq!(in_memory.gaps(), stored.gaps());
        assert_eq!(
            in_memory.heads(TESTIMONY, &NothingStored).unwrap(),
            stored.heads(TESTIMONY, &NothingStored).unwrap()
        );
    }

    // A sync keeps A's replica; a review then writes a version over the
    // conflict's heads. The next sync must start from that, not from the
    // copy the sync kept.
    sync(&mut a, &folder);
    assert_eq!(spaces::kept_in_memory(&mut a), 1);
    let detail = casevault_sync::review::conflicts(&mut a, "Fixture space")
        .unwrap()
        .remove(0);
    assert_eq!(detail.record, TESTIMONY);
    keep_first_head(&mut a, &detail);
    assert_eq!(spaces::kept_in_memory(&mut a), 0);
    sync(&mut a, &folder);
    sync(&mut b, &folder);
    for vault in [&mut a, &mut b] {
        let space = spaces::list(vault).unwrap().remove(0);
        assert!(
            space.conflicts.is_empty(),
            "the review's version reached both"
        );
    }
}
