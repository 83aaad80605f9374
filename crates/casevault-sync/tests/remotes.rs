//! One conformance suite for every kind of remote: each test below is a
//! function of a `&dyn Remote` (or of an owned one, for the relay), run
//! against a real folder and against a real Garage started by
//! `casevault_sync::testing::garage` (the binary `scripts/setup`
//! installs; see there for `CASEVAULT_SKIP_GARAGE`).

use std::collections::BTreeSet;

use casevault_sync::device::DeviceKey;
use casevault_sync::log::Log;
use casevault_sync::relay::{Fault, HostileRelay};
use casevault_sync::remote::{ObjectName, Remote};
use casevault_sync::replica::Replica;

/// A name no other test uses: `n` spread over 64 hex characters.
fn name(n: u32) -> ObjectName {
    ObjectName::parse(&format!("{n:08x}").repeat(8)).unwrap()
}

/// Three devices (A admin, B, C) sharing one space.
fn team() -> Vec<Replica> {
    let keys: Vec<DeviceKey> = (0..3).map(|_| DeviceKey::generate().unwrap()).collect();
    let (mut log, space_keys) = Log::create(&keys[0]).unwrap();
    for k in &keys[1..] {
        log.add(&keys[0], &space_keys, &k.public(), false).unwrap();
    }
    keys.into_iter()
        .map(|k| Replica::new(k, log.clone()).unwrap())
        .collect()
}

fn sorted(mut v: Vec<ObjectName>) -> Vec<ObjectName> {
    v.sort();
    v
}

// ---- the suite --------------------------------------------------------

fn puts_gets_and_lists(r: &dyn Remote) {
    assert!(r.list().unwrap().is_empty(), "a new remote is empty");
    let big = vec![0xa5u8; 3 << 20];
    assert!(r.put(&name(1), b"one").unwrap());
    assert!(r.put(&name(2), &big).unwrap());
    assert!(
        r.put(&name(3), b"").unwrap(),
        "an empty object is an object"
    );
    assert_eq!(r.get(&name(1)).unwrap().as_deref(), Some(&b"one"[..]));
    assert_eq!(r.get(&name(2)).unwrap().unwrap(), big);
    assert_eq!(r.get(&name(3)).unwrap().as_deref(), Some(&b""[..]));
    assert_eq!(sorted(r.list().unwrap()), vec![name(1), name(2), name(3)]);
}

fn put_if_absent_keeps_the_first_bytes(r: &dyn Remote) {
    assert!(r.put(&name(7), b"first").unwrap());
    assert!(!r.put(&name(7), b"second").unwrap(), "already there");
    assert!(!r.put(&name(7), b"first").unwrap(), "even the same bytes");
    assert_eq!(r.get(&name(7)).unwrap().as_deref(), Some(&b"first"[..]));
    assert_eq!(r.list().unwrap(), vec![name(7)], "one object, not two");
}

fn a_missing_object_is_none(r: &dyn Remote) {
    assert_eq!(r.get(&name(9)).unwrap(), None);
    assert!(r.put(&name(10), b"x").unwrap());
    assert_eq!(r.get(&name(9)).unwrap(), None);
    assert!(r.list().unwrap().iter().all(|n| *n != name(9)));
}

/// More objects than one listing page holds (the S3 remote lists 7 per
/// page here; 1001 in the test of S3's own page size below).
fn lists_every_object_across_pages(r: &dyn Remote) {
    lists_n(r, 50);
}

fn lists_n(r: &dyn Remote, n: u32) {
    let names: Vec<ObjectName> = (0..n).map(|i| name(1000 + i)).collect();
    for (i, nm) in names.iter().enumerate() {
        assert!(r.put(nm, &i.to_be_bytes()).unwrap());
    }
    let listed = r.list().unwrap();
    assert_eq!(listed.len(), names.len(), "no name twice, none left out");
    assert_eq!(sorted(listed), sorted(names));
}

/// Two replicas and a third converge through the remote: the real
/// protocol (log, sealed changes, merge) over this kind of remote.
fn a_protocol_round_converges(r: &dyn Remote) {
    let mut team = team();
    team[0].edit("rec-1", b"from A").unwrap();
    team[1].edit("rec-2", b"from B").unwrap();
    team[2].edit("rec-1", b"from C, concurrently").unwrap();
    for _ in 0..2 {
        for t in team.iter_mut() {
            let report = t.sync(r).unwrap();
            assert!(report.refused.is_empty(), "{:?}", report.refused);
        }
    }
    assert_eq!(team[0].state(), team[1].state());
    assert_eq!(team[1].state(), team[2].state());
    assert_eq!(team[0].versions(), team[2].versions());
    assert_eq!(team[0].versions().len(), 3, "every version kept");
    assert!(team.iter().all(|t| t.gaps().is_empty()));
    let state = team[0].state();
    assert!(
        state["rec-1"].conflict,
        "the concurrent edits are a conflict"
    );
}

/// The hostile relay in front of this kind of remote: what it does is
/// harmless (replays, duplicates, stale listings), visible or refused,
/// and once it behaves every replica holds exactly what was written.
fn a_hostile_relay_in_front_converges_once_honest<R: Remote>(inner: R) {
    let relay = HostileRelay::new(
        inner,
        vec![
            Fault::Honest,
            Fault::Drop,
            Fault::Flip(77),
            Fault::Duplicate,
            Fault::Stale,
            Fault::Replay,
            Fault::Honest,
        ],
    );
    let mut team = team();
    let mut written = BTreeSet::new();
    for round in 0..3u8 {
        for (i, t) in team.iter_mut().enumerate() {
            let value = format!("round {round} by {i}").into_bytes();
            t.edit(&format!("rec-{}", (i + round as usize) % 2), &value)
                .unwrap();
            written.insert(value);
            // Faults may fail a sync (a damaged log entry); the next goes on.
            let _ = t.sync(&relay);
        }
    }
    assert!(relay.tampered_served() > 0, "the relay did misbehave");
    relay.set_honest(true);
    for _ in 0..2 {
        for t in team.iter_mut() {
            t.sync(&relay).unwrap();
        }
    }
    let held: BTreeSet<Vec<u8>> = team[0].versions().into_iter().map(|(_, _, v)| v).collect();
    assert_eq!(held, written, "none forged, none lost");
    assert_eq!(team[0].state(), team[1].state());
    assert_eq!(team[1].state(), team[2].state());
    assert!(team.iter().all(|t| t.gaps().is_empty()));
}

// ---- run against each kind ----------------------------------------------

macro_rules! conformance {
    ($($test:ident),* $(,)?) => {
        mod folder {
            use casevault_sync::remote::FolderRemote;
            $(
                #[test]
                fn $test() {
                    let dir = tempfile::tempdir().unwrap();
                    super::$test(&FolderRemote::open(dir.path()).unwrap());
                }
            )*
            #[test]
            fn a_hostile_relay_in_front_converges_once_honest() {
                let dir = tempfile::tempdir().unwrap();
                super::a_hostile_relay_in_front_converges_once_honest(
                    FolderRemote::open(dir.path()).unwrap(),
                );
            }
        }
        mod garage {
            use casevault_sync::testing::garage::Garage;
            $(
                #[test]
                fn $test() {
                    let Some(g) = Garage::start() else { return };
                    super::$test(&g.remote().with_page_size(7));
                }
            )*
            #[test]
            fn a_hostile_relay_in_front_converges_once_honest() {
                let Some(g) = Garage::start() else { return };
                super::a_hostile_relay_in_front_converges_once_honest(g.remote().with_page_size(7));
            }
        }
    };
}

conformance!(
    puts_gets_and_lists,
    put_if_absent_keeps_the_first_bytes,
    a_missing_object_is_none,
    lists_every_object_across_pages,
    a_protocol_round_converges,
);

/// S3's own page size: a listing of more than 1000 objects takes two
/// requests, and the second must carry on where the first ended.
#[test]
fn garage_lists_more_than_one_s3_page() {
    let Some(g) = casevault_sync::testing::garage::Garage::start() else {
        return;
    };
    lists_n(&g.remote(), 1001);
}
