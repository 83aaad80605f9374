//! Invitations the app asks about before joining (issue 18): real vaults
//! on disk, a real folder remote, the real binary for the admin's side and
//! the CLI's own (auto-joining) sync, the sync crate's calls for the app's.

use std::path::{Path, PathBuf};

use casevault_core::crypto::fingerprint::grouped;
use casevault_core::model::problem::ProblemCode;
use casevault_core::secret::Passphrase;
use casevault_core::vault::{Credential, Vault};
use casevault_sync::device::{DeviceKey, DevicePublic};
use casevault_sync::log::Log;
use casevault_sync::remote::FolderRemote;
use casevault_sync::spaces::{self, Join, Offer, SyncOutcome};
use casevault_sync::transport;
use serde_json::json;

mod common;
use common::*;

const SPACE: &str = "Almaty desk ZEBRA-SPACE-5531";
const CASE: &str = "case-invited-6120";

fn open(vault: &Path) -> Vault {
    Vault::open(
        vault,
        &Credential::Passphrase(Passphrase::new(PASS.into())),
        casevault_core::Session::new("tester", casevault_core::Clock::system()),
    )
    .unwrap()
}

/// The core error code and problem code of a sync-crate error.
fn codes(e: casevault_sync::Error) -> (casevault_core::ErrorCode, Option<ProblemCode>) {
    match e {
        casevault_sync::Error::Vault(inner) => {
            (inner.code(), inner.problems().first().map(|p| p.code))
        }
        other => panic!("not a vault error: {other:?}"),
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    folder: PathBuf,
    remote: String,
}

impl Setup {
    fn remote(&self) -> FolderRemote {
        FolderRemote::open(&self.folder).unwrap()
    }
}

/// A (with a case) and B (new); A shares CASE in SPACE with B and syncs,
/// so an invitation to B waits on the folder.
fn invited() -> Setup {
    let TwoVaults { dir, a, b, folder } = two_vaults();
    init(&a);
    init(&b);
    let file = dir.path().join("case.json");
    std::fs::write(
        &file,
        json!({"format": "casevault-interchange", "version": 1,
            "cases": [{"id": CASE, "title": "Detention in Almaty", "status": "open"}]})
        .to_string(),
    )
    .unwrap();
    ok(&a, &["import", file.to_str().unwrap()]);
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", CASE]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    let remote = format!("file://{}", folder.display());
    ok(&a, &["sync", "--remote", &remote]);
    Setup {
        _dir: dir,
        a,
        b,
        folder,
        remote,
    }
}

fn ask(vault: &Path, s: &Setup) -> SyncOutcome {
    let mut v = open(vault);
    spaces::sync_with(&mut v, &s.remote(), &s.remote, Join::Ask, &mut |_| {}).unwrap()
}

fn device_fingerprint(vault: &Path) -> String {
    let mut v = open(vault);
    spaces::device_key(&mut v).unwrap().public().fingerprint()
}

fn space_names(vault: &Path) -> Vec<String> {
    open(vault)
        .spaces()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect()
}

#[test]
fn asking_joins_nothing_and_offers_the_space_with_its_creator_s_fingerprint() {
    let s = invited();
    let a_fp = device_fingerprint(&s.a);
    // B knows A from elsewhere and named its device.
    open(&s.b).set_device_label(&a_fp, "Aigerim").unwrap();
    let out = ask(&s.b, &s);
    assert!(out.joined.is_empty());
    assert!(space_names(&s.b).is_empty(), "nothing joined");
    assert!(open(&s.b).get_record(CASE).unwrap().is_none());
    assert_eq!(out.pending.len(), 1);
    let offer = &out.pending[0];
    assert_eq!(offer.creator, grouped(&a_fp));
    assert_ne!(offer.creator, a_fp, "shown grouped");
    assert_eq!(offer.creator_label.as_deref(), Some("Aigerim"));
    assert_eq!(offer.inviter, grouped(&a_fp), "A created it and added B");
    assert_eq!(offer.members, 2);
    assert_eq!(offer.id.len(), 64);
    // The same offer, with the same id, when asked again.
    let mut v = open(&s.b);
    assert_eq!(
        spaces::pending_invitations(&mut v, &s.remote()).unwrap(),
        out.pending
    );
}

#[test]
fn the_offer_names_the_admin_who_added_this_device_and_an_impostor_is_another_offer() {
    let s = invited();
    // Protocol-level devices: C creates a space, makes D an admin, and D
    // adds B; M makes its own log under the same id and invites B too.
    let b_public = DevicePublic::parse(&ok(&s.b, &["device", "key"])).unwrap();
    let (c, d, m) = (
        DeviceKey::generate().unwrap(),
        DeviceKey::generate().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    let (mut log, keys) = Log::create(&c).unwrap();
    log.add(&c, &keys, &d.public(), true).unwrap();
    log.add(&d, &keys, &b_public, false).unwrap();
    let remote = s.remote();
    transport::invite(&remote, &log, &b_public).unwrap();
    let (mut fake, mut fake_keys) = Log::create_with_id(&m, log.space()).unwrap();
    fake.add(&m, &fake_keys, &b_public, true).unwrap();
    fake.rotate(&m, &mut fake_keys).unwrap();
    transport::invite(&remote, &fake, &b_public).unwrap();

    let out = ask(&s.b, &s);
    assert!(space_names(&s.b).is_empty());
    assert_eq!(out.pending.len(), 3, "A's space, C's, and M's: {out:?}");
    let by_creator = |fp: &str| -> Vec<&Offer> {
        out.pending
            .iter()
            .filter(|o| o.creator == grouped(fp))
            .collect()
    };
    let c_offer = by_creator(&c.public().fingerprint());
    assert_eq!(c_offer.len(), 1);
    assert_eq!(c_offer[0].inviter, grouped(&d.public().fingerprint()));
    assert_eq!(c_offer[0].members, 3);
    let m_offer = by_creator(&m.public().fingerprint());
    assert_eq!(m_offer.len(), 1, "the impostor is its own offer");
    assert_eq!(m_offer[0].inviter, grouped(&m.public().fingerprint()));
    assert_ne!(m_offer[0].id, c_offer[0].id);
    // Accepting the real one leaves the impostor offered.
    let mut v = open(&s.b);
    spaces::accept_invitation(&mut v, &remote, &c_offer[0].id, "C's space").unwrap();
    let left = spaces::pending_invitations(&mut v, &remote).unwrap();
    assert_eq!(left.len(), 2);
    assert!(left.iter().any(|o| o.id == m_offer[0].id));
    assert!(!left.iter().any(|o| o.id == c_offer[0].id));
}

#[test]
fn accepting_joins_that_space_under_the_name_given_and_the_next_sync_brings_its_records() {
    let s = invited();
    let offer = ask(&s.b, &s).pending.remove(0);
    let remote = s.remote();
    // Bad input first: nothing changes.
    for (name, id, want) in [
        (" padded ", offer.id.as_str(), ProblemCode::SpaceName),
        ("", offer.id.as_str(), ProblemCode::SpaceName),
        ("Our desk", &"0".repeat(64), ProblemCode::NotFound),
        ("Our desk", "not an id", ProblemCode::NotFound),
    ] {
        let mut v = open(&s.b);
        let e = spaces::accept_invitation(&mut v, &remote, id, name).unwrap_err();
        assert_eq!(
            codes(e),
            (casevault_core::ErrorCode::InvalidInput, Some(want)),
            "{name:?} {id}"
        );
        drop(v);
        assert!(space_names(&s.b).is_empty());
    }
    let mut v = open(&s.b);
    let name = spaces::accept_invitation(&mut v, &remote, &offer.id, "Our desk").unwrap();
    assert_eq!(name, "Our desk");
    drop(v);
    assert_eq!(space_names(&s.b), ["Our desk"]);
    // Accepting again: it is held now.
    let mut v = open(&s.b);
    let e = spaces::accept_invitation(&mut v, &remote, &offer.id, "Again").unwrap_err();
    assert_eq!(
        codes(e),
        (
            casevault_core::ErrorCode::InvalidInput,
            Some(ProblemCode::NotFound)
        )
    );
    drop(v);
    let out = ask(&s.b, &s);
    assert!(out.pending.is_empty());
    assert!(out.applied > 0);
    let case = open(&s.b).get_record(CASE).unwrap().expect("the case came");
    assert_eq!(case.data["title"], "Detention in Almaty");
    // The user's name stays, though the creator's name arrived.
    assert_eq!(space_names(&s.b), ["Our desk"]);
    // A name already taken is refused before the remote is read.
    let mut v = open(&s.b);
    let e = spaces::accept_invitation(&mut v, &remote, &offer.id, "Our desk").unwrap_err();
    assert_eq!(
        codes(e),
        (
            casevault_core::ErrorCode::InvalidInput,
            Some(ProblemCode::SpaceExists)
        )
    );
}

#[test]
fn a_declined_invitation_is_not_offered_again_nor_joined_by_the_cli() {
    let s = invited();
    let offer = ask(&s.b, &s).pending.remove(0);
    let mut v = open(&s.b);
    let e = spaces::decline_invitation(&mut v, "../not-an-id").unwrap_err();
    assert_eq!(codes(e).0, casevault_core::ErrorCode::InvalidInput);
    assert!(v.declined_invitations().unwrap().is_empty());
    spaces::decline_invitation(&mut v, &offer.id).unwrap();
    drop(v);
    assert!(ask(&s.b, &s).pending.is_empty());
    let mut v = open(&s.b);
    assert!(
        spaces::pending_invitations(&mut v, &s.remote())
            .unwrap()
            .is_empty()
    );
    drop(v);
    // The CLI joins what it is invited to, but never what was declined.
    ok(&s.b, &["sync", "--remote", &s.remote]);
    assert!(space_names(&s.b).is_empty());
    // Declining is a choice, not a lock: accepting still works.
    let mut v = open(&s.b);
    spaces::accept_invitation(&mut v, &s.remote(), &offer.id, "Later").unwrap();
    drop(v);
    assert_eq!(space_names(&s.b), ["Later"]);
}

#[test]
fn the_cli_still_joins_at_the_first_sync_and_shows_the_creator_grouped() {
    let s = invited();
    let out = run(&s.b, &["sync", "--remote", &s.remote]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&grouped(&device_fingerprint(&s.a))),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(space_names(&s.b).len(), 1);
    assert!(open(&s.b).get_record(CASE).unwrap().is_some());
}

#[test]
fn a_member_is_removed_by_its_fingerprint_grouped_or_raw_and_space_ls_shows_it_grouped() {
    let s = invited();
    let dir = tempfile::tempdir().unwrap();
    let (c, e) = (dir.path().join("c"), dir.path().join("e"));
    init(&c);
    init(&e);
    let c_line = ok(&c, &["device", "key"]).trim().to_owned();
    let e_line = ok(&e, &["device", "key"]).trim().to_owned();
    ok(&s.a, &["space", "add", SPACE, &c_line, "--as", "Carol"]);
    ok(&s.a, &["space", "add", SPACE, &e_line, "--as", "Erlan"]);
    let (b_fp, c_fp, e_fp) = (
        device_fingerprint(&s.b),
        device_fingerprint(&c),
        device_fingerprint(&e),
    );
    let ls = ok(&s.a, &["space", "ls"]);
    for fp in [&b_fp, &c_fp, &e_fp] {
        assert!(ls.contains(&grouped(fp)), "{ls}");
        assert!(!ls.contains(fp.as_str()), "{ls}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&ok(&s.a, &["space", "ls", "--json"])).unwrap();
    let members = json[0]["members"].as_array().unwrap();
    let carol = members.iter().find(|m| m["name"] == "Carol").unwrap();
    assert_eq!(carol["fingerprint"], c_fp.as_str());
    assert_eq!(carol["grouped"], grouped(&c_fp).as_str());
    assert_eq!(carol["line"], c_line.as_str());
    let removed = |vault: &Path| -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_str(&ok(vault, &["space", "ls", "--json"])).unwrap();
        json[0]["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["removed"] == true)
            .map(|m| m["fingerprint"].as_str().unwrap().to_owned())
            .collect()
    };
    // Not a member (a grouped fingerprint of nobody): refused, unchanged.
    let nobody = grouped(&DeviceKey::generate().unwrap().public().fingerprint());
    let out = run(&s.a, &["space", "remove", SPACE, &nobody]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_INVALID),
        "{}",
        text(&out.stderr)
    );
    assert!(removed(&s.a).is_empty());
    ok(&s.a, &["space", "remove", SPACE, &grouped(&c_fp)]);
    assert_eq!(removed(&s.a), vec![c_fp.clone()]);
    ok(&s.a, &["space", "remove", SPACE, &e_fp]);
    let mut both = removed(&s.a);
    both.sort();
    let mut want = vec![c_fp, e_fp];
    want.sort();
    assert_eq!(both, want);
}

#[test]
fn the_timed_sync_interval_is_kept_in_the_vault_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v");
    init(&v);
    assert_eq!(open(&v).sync_interval_minutes().unwrap(), 15);
    for bad in [1441, u32::MAX] {
        let e = open(&v).set_sync_interval_minutes(bad).unwrap_err();
        assert_eq!(e.code(), casevault_core::ErrorCode::InvalidInput);
        assert_eq!(e.problems()[0].code, ProblemCode::OutOfRange);
    }
    assert_eq!(open(&v).sync_interval_minutes().unwrap(), 15);
    open(&v).set_sync_interval_minutes(0).unwrap();
    assert_eq!(open(&v).sync_interval_minutes().unwrap(), 0);
    open(&v).set_sync_interval_minutes(60).unwrap();
    assert_eq!(open(&v).sync_interval_minutes().unwrap(), 60);
}
