//! The team-space protocol end to end, on real parts: real keys, real
//! age, real files in a folder remote, and the hostile relay in between.

use std::collections::BTreeSet;
use std::path::Path;

use casevault_sync::device::DeviceKey;
use casevault_sync::log::Log;
use casevault_sync::object::{change_name, change_name_at, padme};
use casevault_sync::relay::{Fault, HostileRelay};
use casevault_sync::remote::{FolderRemote, ObjectName, Remote};
use casevault_sync::replica::{Replica, ReplicaState, ValueRows, VersionId};
use casevault_sync::transport::{invitation_name, log_entry_name, read_invitations};
use casevault_sync::{ErrorCode, Result};
use proptest::prelude::*;

/// Three devices: A (creating admin), B, C, and a log with all of them.
/// Returns the devices' secrets too, for the tests that need keys.
fn team() -> (Vec<Replica>, Vec<String>, Log) {
    team_with(false)
}

/// [`team`], with C an admin too if `c_admin`.
fn team_with(c_admin: bool) -> (Vec<Replica>, Vec<String>, Log) {
    let keys: Vec<DeviceKey> = (0..3).map(|_| DeviceKey::generate().unwrap()).collect();
    let (mut log, space_keys) = Log::create(&keys[0]).unwrap();
    log.add(&keys[0], &space_keys, &keys[1].public(), false)
        .unwrap();
    log.add(&keys[0], &space_keys, &keys[2].public(), c_admin)
        .unwrap();
    let secrets: Vec<String> = keys.iter().map(|k| k.to_secret().to_string()).collect();
    let replicas = keys
        .into_iter()
        .map(|k| Replica::new(k, log.clone()).unwrap())
        .collect();
    (replicas, secrets, log)
}

/// What the vault does between two commands: the replica's state and log
/// written out as JSON, its rows as the vault stores them, all read back
/// into a new replica, which holds no value: it reads those it needs from
/// `values`, the vault's rows of values, which this replaces with the new
/// ones (values not held are read from the old).
fn stored_and_read_back(replica: &Replica, secret: &str, values: &mut ValueRows) -> Replica {
    let state = serde_json::to_string(&replica.export_state()).unwrap();
    let log = serde_json::to_string(replica.log().entries()).unwrap();
    let log = Log::verify(serde_json::from_str(&log).unwrap()).unwrap();
    let state: ReplicaState = serde_json::from_str(&state).unwrap();
    let (versions, new_values, outbox) = replica.export_rows(&*values).unwrap();
    let back = Replica::from_state(key(secret), log, &state, versions, outbox).unwrap();
    assert_eq!(
        back.versions_with(&new_values).unwrap(),
        replica.versions_with(&*values).unwrap()
    );
    assert_eq!(
        back.state_with(&new_values).unwrap(),
        replica.state_with(&*values).unwrap()
    );
    assert_eq!(back.gaps(), replica.gaps());
    *values = new_values;
    back
}

fn key(secret: &str) -> DeviceKey {
    DeviceKey::from_secret(secret).unwrap()
}

fn all_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A relay that withholds chosen objects (from listings and gets).
#[derive(Debug)]
struct Withhold<'a> {
    inner: &'a FolderRemote,
    hidden: BTreeSet<ObjectName>,
}

impl Remote for Withhold<'_> {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool> {
        self.inner.put(name, bytes)
    }
    fn get(&self, name: &ObjectName) -> Result<Option<Vec<u8>>> {
        if self.hidden.contains(name) {
            return Ok(None);
        }
        self.inner.get(name)
    }
    fn list(&self) -> Result<Vec<ObjectName>> {
        Ok(self
            .inner
            .list()?
            .into_iter()
            .filter(|n| !self.hidden.contains(n))
            .collect())
    }
}

#[test]
fn the_remote_sees_no_names_case_ids_or_members() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    let texts = [
        (
            "case-CANARY-4471",
            "Jane Roe was detained at the border. CANARY-TEXT",
        ),
        (
            "case-CANARY-9902",
            "Testimony of Omar Haddad, CANARY-TEXT-2",
        ),
    ];
    for (i, (id, text)) in texts.iter().enumerate() {
        r[i % 3].edit(id, text.as_bytes()).unwrap();
        r[i % 3]
            .edit(id, format!("{text} (revised)").as_bytes())
            .unwrap();
    }
    for _ in 0..2 {
        for rep in r.iter_mut() {
            rep.sync(&remote).unwrap();
        }
    }
    assert_eq!(r[2].state().len(), 2, "the data did travel");

    let mut needles: Vec<String> = vec![
        "CANARY".into(),
        "Jane".into(),
        "Omar".into(),
        "case-".into(),
    ];
    for s in &secrets {
        let p = key(s).public();
        let line = p.line();
        needles.push(line.split(' ').nth(1).unwrap().to_owned());
        needles.push(line.split(' ').nth(2).unwrap().to_owned());
        needles.push(p.fingerprint());
    }
    needles.push(data_encoding::BASE64_NOPAD.encode(&log.space().0));
    needles.push(data_encoding::HEXLOWER.encode(&log.space().0));
    let mut files = Vec::new();
    all_files(dir.path(), &mut files);
    assert_eq!(
        files.len(),
        4 + 3,
        "one object per change and per log entry, nothing else"
    );
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(ObjectName::parse(&name).is_some(), "{name}");
        assert_eq!(bytes.len(), padme(bytes.len()), "padded to a bucket");
        let hay = String::from_utf8_lossy(&bytes).to_lowercase();
        for n in &needles {
            let n = n.to_lowercase();
            assert!(!hay.contains(&n), "{n} in the contents of {name}");
            assert!(!name.contains(&n), "{n} in the name {name}");
        }
    }
}

#[test]
fn a_withheld_object_is_a_visible_gap() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    let keys_a = log.keys_for(&key(&secrets[0])).unwrap();
    let a = r[0].id();
    for v in 1..=3u8 {
        r[0].edit("rec", &[v]).unwrap();
    }
    r[0].sync(&remote).unwrap();
    // The relay withholds A's change 2 from B.
    let two = change_name(&keys_a, log.space(), a, 2);
    let relay = Withhold {
        inner: &remote,
        hidden: BTreeSet::from([two.clone()]),
    };
    let report = r[1].sync(&relay).unwrap();
    assert_eq!(report.applied, 2);
    assert_eq!(report.gaps.len(), 1);
    assert_eq!(report.gaps[0].device, a);
    assert_eq!(report.gaps[0].missing, vec![2..=2]);

    // A withheld *last* change shows as soon as someone who saw it writes.
    r[0].edit("rec", &[4]).unwrap();
    r[0].sync(&remote).unwrap();
    r[2].sync(&remote).unwrap();
    r[2].edit("other", b"c").unwrap();
    r[2].sync(&remote).unwrap();
    let four = change_name(&keys_a, log.space(), a, 4);
    let relay = Withhold {
        inner: &remote,
        hidden: BTreeSet::from([two, four]),
    };
    let report = r[1].sync(&relay).unwrap();
    assert_eq!(report.gaps.len(), 1, "{:?}", report.gaps);
    assert_eq!(report.gaps[0].missing, vec![2..=2, 4..=4]);

    // Once delivered, the gap closes and B agrees with the others.
    let report = r[1].sync(&remote).unwrap();
    assert!(report.gaps.is_empty());
    assert_eq!(r[1].state(), r[2].state());
}

#[test]
fn a_removed_member_reads_nothing_new_and_its_late_changes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, _) = team();
    r[2].edit("rec", b"from C before").unwrap();
    for _ in 0..2 {
        for rep in r.iter_mut() {
            rep.sync(&remote).unwrap();
        }
    }
    // A removes C, keeping C's changes up to the one it has seen.
    let a = key(&secrets[0]);
    let mut log = r[0].log().clone();
    let mut keys = log.keys_for(&a).unwrap();
    log.remove(&a, &mut keys, r[2].id(), 1).unwrap();
    r[0].update_log(log.entries().to_vec()).unwrap();
    r[1].update_log(log.entries().to_vec()).unwrap();

    // C, cut off but holding epoch 0's key, writes on.
    r[2].edit("rec", b"from C after removal").unwrap();
    r[2].sync(&remote).unwrap();
    r[0].edit("rec", b"from A in the new epoch").unwrap();
    r[0].sync(&remote).unwrap();
    // The edit leaves once the removal, which started its epoch, is read
    // back: at the next sync.
    r[0].sync(&remote).unwrap();

    let report = r[1].sync(&remote).unwrap();
    assert_eq!(report.applied, 1, "A's new change");
    assert!(
        report.refused.is_empty(),
        "C's late change is past its cut and not even fetched"
    );
    let values: BTreeSet<Vec<u8>> = r[1].versions().into_iter().map(|(_, _, v)| v).collect();
    assert!(!values.contains(&b"from C after removal"[..]));
    assert!(values.contains(&b"from A in the new epoch"[..]));

    let report = r[2].sync(&remote).unwrap();
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].1, ErrorCode::UnknownEpoch);
    let c_values: BTreeSet<Vec<u8>> = r[2].versions().into_iter().map(|(_, _, v)| v).collect();
    assert!(!c_values.contains(&b"from A in the new epoch"[..]));
}

#[test]
fn an_object_damaged_on_the_remote_is_refused_and_nothing_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    r[0].edit("rec", b"v").unwrap();
    r[0].sync(&remote).unwrap();
    let keys = log.keys_for(&key(&secrets[0])).unwrap();
    let name = change_name(&keys, log.space(), r[0].id(), 1);
    let path = dir.path().join("objects").join(name.as_str());
    let mut bytes = std::fs::read(&path).unwrap();
    let original = bytes.clone();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let report = r[1].sync(&remote).unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(report.refused, vec![(name, ErrorCode::Tampered)]);
    assert!(r[1].state().is_empty());
    // Repaired (say, from another copy of the folder), it is applied.
    std::fs::write(&path, &original).unwrap();
    assert_eq!(r[1].sync(&remote).unwrap().applied, 1);
}

/// A Syncthing peer or the last holder of a stick can leave a symlink
/// (to /dev/zero, to a file of this device) or a huge file under an
/// object's name: it is refused without being read, and the rest of the
/// sync goes on.
#[cfg(unix)]
#[test]
fn a_symlink_or_a_huge_file_under_an_object_s_name_is_refused_and_the_sync_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    for v in [&b"one"[..], b"two", b"three"] {
        r[0].edit(&format!("rec-{}", v.len()), v).unwrap();
    }
    r[0].sync(&remote).unwrap();
    let keys = log.keys_for(&key(&secrets[0])).unwrap();
    let objects = dir.path().join("objects");
    let one = change_name(&keys, log.space(), r[0].id(), 1);
    std::fs::remove_file(objects.join(one.as_str())).unwrap();
    std::os::unix::fs::symlink("/dev/zero", objects.join(one.as_str())).unwrap();
    let two = change_name(&keys, log.space(), r[0].id(), 2);
    let huge = std::fs::OpenOptions::new()
        .write(true)
        .open(objects.join(two.as_str()))
        .unwrap();
    huge.set_len(65 << 20).unwrap();
    let report = r[1].sync(&remote).unwrap();
    assert_eq!(report.applied, 1, "change 3 still came through");
    let mut refused = report.refused;
    refused.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = vec![(one, ErrorCode::Tampered), (two, ErrorCode::Tampered)];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(refused, expected);
    assert_eq!(r[1].versions().len(), 1);
    assert_eq!(r[1].gaps().len(), 1, "the two refused ones are a gap");
}

/// A removed member keeps the naming key, so it can compute the names of
/// everybody's future changes; if it can still write to the remote (the
/// S3 credentials on a seized laptop, a Syncthing share), it puts junk
/// there first. The changes still get through.
#[test]
fn a_removed_member_squatting_future_change_names_cannot_withhold_them() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    for x in r.iter_mut() {
        x.sync(&remote).unwrap();
    }
    let b_keys = log.keys_for(&key(&secrets[1])).unwrap();
    let (a, b) = (r[0].id(), r[1].id());
    r[0].remove_member(b).unwrap();
    r[0].sync(&remote).unwrap();
    for seq in 1..=3 {
        let name = change_name(&b_keys, log.space(), a, seq);
        assert!(remote.put(&name, &vec![0x5a; 1024]).unwrap());
    }
    // And the second slot of the first one.
    let name = change_name_at(&b_keys, log.space(), a, 1, 1);
    assert!(remote.put(&name, &vec![0x5a; 1024]).unwrap());
    for v in [&b"one"[..], b"two", b"three"] {
        r[0].edit("rec", v).unwrap();
        r[0].sync(&remote).unwrap();
    }
    r[0].sync(&remote).unwrap();
    let report = r[2].sync(&remote).unwrap();
    assert_eq!(report.applied, 3, "{:?}", report.refused);
    assert!(r[2].gaps().is_empty());
    assert_eq!(r[2].state()["rec"].current, b"three");
    assert!(
        report
            .refused
            .iter()
            .all(|(_, c)| *c == ErrorCode::Tampered)
    );
}

/// The remote holds back the entry that removes B from C while B, removed
/// but holding the old epoch's key, writes on: C applies B's change, as
/// its log allows. Once the entry reaches C, the change goes: every
/// replica ends with the same versions.
#[test]
fn a_removed_member_s_change_applied_while_its_removal_was_withheld_is_dropped_later() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    for x in r.iter_mut() {
        x.sync(&remote).unwrap();
    }
    let b = r[1].id();
    r[0].remove_member(b).unwrap();
    r[0].sync(&remote).unwrap();
    r[1].edit("rec", b"forged after removal").unwrap();
    r[1].sync(&remote).unwrap();
    let keys = log.keys_for(&key(&secrets[0])).unwrap();
    let removal = log_entry_name(&keys, log.space(), log.entries().len() as u64, 0);
    let frozen = Withhold {
        inner: &remote,
        hidden: BTreeSet::from([removal]),
    };
    r[2].sync(&frozen).unwrap();
    assert!(
        r[2].versions()
            .iter()
            .any(|(_, _, v)| v == b"forged after removal"),
        "with the removal held back, C's log allows it"
    );
    r[2].sync(&remote).unwrap();
    r[0].sync(&remote).unwrap();
    assert_eq!(r[2].log().epoch(), 1);
    assert!(
        !r[2]
            .versions()
            .iter()
            .any(|(_, _, v)| v == b"forged after removal"),
        "dropped once the removal arrived"
    );
    assert_eq!(r[2].versions(), r[0].versions());
    assert_eq!(r[2].state(), r[0].state());
}

/// A relay that says it stored chosen objects and drops them.
#[derive(Debug)]
struct Swallow<'a> {
    inner: &'a FolderRemote,
    dropped: BTreeSet<ObjectName>,
}

impl Remote for Swallow<'_> {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool> {
        if self.dropped.contains(name) {
            return Ok(true);
        }
        self.inner.put(name, bytes)
    }
    fn get(&self, name: &ObjectName) -> Result<Option<Vec<u8>>> {
        self.inner.get(name)
    }
    fn list(&self) -> Result<Vec<ObjectName>> {
        self.inner.list()
    }
}

/// Admin A starts a new epoch and edits. The relay swallows A's log entry
/// (or another admin's put wins the same position on a store without
/// conditional writes), and admin C's entry takes that position: A's epoch
/// never existed for the others. A's edit is not sealed under it while the
/// entry is not read back: it waits, A learns of the fork at its next
/// sync, and the edit goes sealed in the epoch everyone holds. B reads it,
/// with no gap.
#[test]
fn an_edit_in_an_epoch_whose_entry_lost_a_fork_is_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team_with(true);
    let keys = log.keys_for(&key(&secrets[0])).unwrap();
    let a_entry = log_entry_name(&keys, log.space(), log.entries().len() as u64, 0);
    for x in r.iter_mut() {
        x.sync(&remote).unwrap();
    }

    r[0].rotate().unwrap();
    r[0].edit("rec", b"written in A's new epoch").unwrap();
    let swallow = Swallow {
        inner: &remote,
        dropped: BTreeSet::from([a_entry]),
    };
    let report = r[0].sync(&swallow).unwrap();
    assert_eq!(
        report.uploaded, 0,
        "nothing sealed under the unconfirmed epoch"
    );
    assert_eq!(r[0].unsent(), 1, "the edit waits");

    r[2].rotate().unwrap();
    r[2].sync(&remote).unwrap();
    let err = r[0].sync(&remote).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogFork);
    assert_eq!(r[0].log().entries(), r[2].log().entries());
    let report = r[0].sync(&remote).unwrap();
    assert_eq!((report.uploaded, r[0].unsent()), (1, 0));

    r[1].sync(&remote).unwrap();
    assert_eq!(r[1].log().entries(), r[2].log().entries());
    assert_eq!(r[1].state()["rec"].current, b"written in A's new epoch");
    assert!(r[1].gaps().is_empty());
}

/// The admin removes B while one of B's changes is withheld from it: the
/// cut is the last change held without a gap, and what the admin held
/// past it goes, as every other replica refuses it.
#[test]
fn removing_a_member_past_a_gap_drops_what_the_cut_excludes_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, secrets, log) = team();
    for x in r.iter_mut() {
        x.sync(&remote).unwrap();
    }
    for v in [&b"b1"[..], b"b2", b"b3"] {
        r[1].edit(&String::from_utf8_lossy(v), v).unwrap();
    }
    r[1].sync(&remote).unwrap();
    let keys = log.keys_for(&key(&secrets[0])).unwrap();
    let two = change_name(&keys, log.space(), r[1].id(), 2);
    let gap = Withhold {
        inner: &remote,
        hidden: BTreeSet::from([two]),
    };
    r[0].sync(&gap).unwrap();
    assert_eq!(r[0].versions().len(), 2, "b1 and b3");
    let b = r[1].id();
    r[0].remove_member(b).unwrap();
    assert_eq!(r[0].log().members()[&b].removed.map(|(_, k)| k), Some(1));
    assert_eq!(r[0].versions().len(), 1, "b3 is past the cut");
    r[0].sync(&remote).unwrap();
    r[2].sync(&remote).unwrap();
    assert_eq!(r[2].versions(), r[0].versions());
}

#[test]
fn concurrent_edits_keep_both_versions_and_flag_a_conflict_until_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, _, _) = team();
    r[0].edit("rec", b"base").unwrap();
    r[0].sync(&remote).unwrap();
    r[1].sync(&remote).unwrap();
    let va = r[0].edit("rec", b"A's edit").unwrap();
    let vb = r[1].edit("rec", b"B's edit").unwrap();
    for _ in 0..2 {
        for rep in r.iter_mut() {
            rep.sync(&remote).unwrap();
        }
    }
    let s = r[2].state();
    let rec = &s["rec"];
    assert!(rec.conflict);
    assert_eq!(rec.history.len(), 3);
    let winner: VersionId = va.max(vb);
    assert_eq!(rec.current_version, winner);
    assert_eq!(r[0].state(), s);
    assert_eq!(r[1].state(), s);
    // A plain edit of the shown version leaves the conflict for review...
    r[2].edit("rec", b"C edits on top").unwrap();
    assert!(r[2].state()["rec"].conflict);
    // ...a review resolves it, everywhere.
    r[2].resolve("rec", b"merged").unwrap();
    for _ in 0..2 {
        for rep in r.iter_mut() {
            rep.sync(&remote).unwrap();
        }
    }
    for rep in &r {
        let rec = &rep.state()["rec"];
        assert!(!rec.conflict);
        assert_eq!(rec.current, b"merged");
        assert_eq!(rec.history.len(), 5);
    }
}

#[derive(Debug, Clone)]
enum Op {
    Edit {
        replica: usize,
        record: usize,
        value: u8,
    },
    Resolve {
        replica: usize,
        record: usize,
    },
    Sync {
        replica: usize,
    },
    /// The admin (replica 0) starts a new epoch.
    Rotate,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 0..3usize, any::<u8>()).prop_map(|(replica, record, value)| Op::Edit { replica, record, value }),
        1 => (0..3usize, 0..3usize).prop_map(|(replica, record)| Op::Resolve { replica, record }),
        3 => (0..3usize).prop_map(|replica| Op::Sync { replica }),
        1 => Just(Op::Rotate),
    ]
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::Honest),
        Just(Fault::Drop),
        Just(Fault::Duplicate),
        Just(Fault::Replay),
        any::<usize>().prop_map(Fault::Flip),
        Just(Fault::Stale),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Three replicas, random edits, random delivery through a relay that
    /// drops, duplicates, reorders, replays, serves stale listings and
    /// flips bits: once the relay behaves, everyone converges on the same
    /// records, holding exactly the versions that were written (so nothing
    /// tampered was ever applied), with no gap left.
    #[test]
    fn three_replicas_converge_under_a_hostile_relay(
        ops in proptest::collection::vec(op(), 1..40),
        script in proptest::collection::vec(fault(), 1..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let relay = HostileRelay::new(FolderRemote::open(dir.path()).unwrap(), script);
        let (mut r, secrets, _) = team();
        // Each replica's values as its vault stores them.
        let mut values: Vec<ValueRows> = vec![ValueRows::new(); 3];
        let mut written = BTreeSet::new();
        let record = |i: usize| format!("record-{i}");
        for op in ops {
            // A vault keeps the replica between commands: stored as JSON
            // and read back at each sync (whose push makes the edits) and
            // each membership change.
            match op {
                Op::Sync { replica } => r[replica] = stored_and_read_back(&r[replica], &secrets[replica], &mut values[replica]),
                Op::Rotate => r[0] = stored_and_read_back(&r[0], &secrets[0], &mut values[0]),
                Op::Edit { .. } | Op::Resolve { .. } => {}
            }
            match op {
                Op::Edit { replica, record: rec, value } => {
                    let v = r[replica].edit(&record(rec), &[value]).unwrap();
                    written.insert((record(rec), v, vec![value]));
                }
                Op::Resolve { replica, record: rec } => {
                    let v = r[replica].resolve(&record(rec), b"resolved").unwrap();
                    written.insert((record(rec), v, b"resolved".to_vec()));
                }
                Op::Sync { replica } => {
                    let report = r[replica].sync(&relay).unwrap();
                    // Refused: damaged in transit, or sealed under an epoch
                    // whose log entry has not reached this replica yet.
                    // Whatever was refused was not applied: checked below
                    // against what was written.
                    prop_assert!(report.refused.iter().all(|(_, c)| matches!(c, ErrorCode::Tampered | ErrorCode::UnknownEpoch)));
                }
                Op::Rotate => r[0].rotate().unwrap(),
            }
            for (rep, values) in r.iter().zip(&values) {
                prop_assert!(rep.versions_with(values).unwrap().is_subset(&written), "only authentic versions are applied");
            }
        }
        relay.set_honest(true);
        for _ in 0..2 {
            for rep in r.iter_mut() {
                rep.sync(&relay).unwrap();
            }
        }
        for (rep, values) in r.iter().zip(&values) {
            prop_assert_eq!(&rep.versions_with(values).unwrap(), &written);
            prop_assert!(rep.gaps().is_empty());
            prop_assert_eq!(rep.log().entries(), r[0].log().entries());
        }
        let states: Vec<_> = r.iter().zip(&values).map(|(rep, v)| rep.state_with(v).unwrap()).collect();
        prop_assert_eq!(&states[0], &states[1]);
        prop_assert_eq!(&states[1], &states[2]);
    }
}

#[test]
fn a_new_device_joins_from_its_invitation_and_membership_travels_through_the_remote() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let a_key = DeviceKey::generate().unwrap();
    let (log, _) = Log::create(&a_key).unwrap();
    let mut a = Replica::new(a_key, log).unwrap();
    a.edit("rec", b"written before anyone joined").unwrap();
    a.sync(&remote).unwrap();

    // D has never synced; it shows A its device key, A adds and invites it.
    let d_key = DeviceKey::generate().unwrap();
    let d_public = d_key.public();
    let (none, _) = read_invitations(&remote, &d_key).unwrap();
    assert!(none.is_empty());
    a.add_member(&d_public, false).unwrap();
    a.invite(&remote, &d_public).unwrap();
    a.sync(&remote).unwrap();

    // A stranger finds nothing for itself; D finds its space.
    let stranger = DeviceKey::generate().unwrap();
    assert!(read_invitations(&remote, &stranger).unwrap().0.is_empty());
    let (spaces, refused) = read_invitations(&remote, &d_key).unwrap();
    assert!(refused.is_empty());
    assert_eq!(spaces.len(), 1);
    let (log, _) = spaces.into_iter().next().unwrap();
    assert_eq!(log.space(), a.log().space());
    let mut d = Replica::new(d_key, log).unwrap();
    d.sync(&remote).unwrap();
    assert_eq!(d.state()["rec"].current, b"written before anyone joined");

    // A second member joins the same way, then A removes D: B learns it
    // from the remote, and D learns it too but reads nothing after.
    let b_key = DeviceKey::generate().unwrap();
    let b_public = b_key.public();
    a.add_member(&b_public, false).unwrap();
    a.invite(&remote, &b_public).unwrap();
    a.sync(&remote).unwrap();
    let (spaces, _) = read_invitations(&remote, &b_key).unwrap();
    let mut b = Replica::new(b_key, spaces.into_iter().next().unwrap().0).unwrap();
    b.sync(&remote).unwrap();
    d.sync(&remote).unwrap();
    assert_eq!(
        d.log().members().len(),
        3,
        "D learnt of B through the remote"
    );

    d.edit("rec", b"D, before removal").unwrap();
    d.sync(&remote).unwrap();
    a.sync(&remote).unwrap();
    a.remove_member(d.id()).unwrap();
    a.edit("rec", b"A, after D was removed").unwrap();
    a.sync(&remote).unwrap();
    a.sync(&remote).unwrap();

    let report = b.sync(&remote).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(b.log().epoch(), 1);
    assert_eq!(b.state()["rec"].current, b"A, after D was removed");
    assert!(
        b.versions()
            .iter()
            .any(|(_, _, v)| v == b"D, before removal"),
        "kept: before the cut"
    );

    let report = d.sync(&remote).unwrap();
    assert_eq!(d.log().epoch(), 1, "D read the entry that removed it");
    assert!(d.log().members()[&d.id()].removed.is_some());
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].1, ErrorCode::UnknownEpoch);
    assert!(
        !d.versions()
            .iter()
            .any(|(_, _, v)| v == b"A, after D was removed")
    );
    // Knowing it was removed, D's own replica refuses to write as a member.
    assert_eq!(
        d.edit("rec", b"D, after removal").unwrap_err().code(),
        ErrorCode::NotMember
    );
}

#[test]
fn a_damaged_log_entry_or_invitation_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (mut r, _, _) = team();
    let before = r[1].log().entries().len();
    let e_key = DeviceKey::generate().unwrap();
    r[0].add_member(&e_key.public(), false).unwrap();
    r[0].invite(&remote, &e_key.public()).unwrap();
    let listing_before: BTreeSet<ObjectName> = remote.list().unwrap().into_iter().collect();
    r[0].sync(&remote).unwrap();
    let new: Vec<ObjectName> = remote
        .list()
        .unwrap()
        .into_iter()
        .filter(|n| !listing_before.contains(n))
        .collect();
    // Flip a byte in every log entry object A just wrote; the invitation too.
    let flip = |name: &ObjectName| {
        let p = dir.path().join("objects").join(name.as_str());
        let mut b = std::fs::read(&p).unwrap();
        let mid = b.len() / 2;
        b[mid] ^= 1;
        std::fs::write(&p, b).unwrap();
    };
    for n in &new {
        flip(n);
    }
    flip(&invitation_name(&e_key.public(), 0));
    let report = r[1].sync(&remote).unwrap();
    assert_eq!(r[1].log().entries().len(), before, "nothing applied");
    assert!(
        report
            .refused
            .iter()
            .any(|(_, c)| *c == ErrorCode::Tampered)
    );
    let (spaces, refused) = read_invitations(&remote, &e_key).unwrap();
    assert!(spaces.is_empty());
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].1, ErrorCode::Tampered);
}

#[test]
fn two_admins_changing_members_offline_is_a_fork_at_the_second_sync() {
    let dir = tempfile::tempdir().unwrap();
    let remote = FolderRemote::open(dir.path()).unwrap();
    let (a_key, c_key) = (
        DeviceKey::generate().unwrap(),
        DeviceKey::generate().unwrap(),
    );
    let (mut log, keys) = Log::create(&a_key).unwrap();
    log.add(&a_key, &keys, &c_key.public(), true).unwrap();
    let mut a = Replica::new(a_key, log.clone()).unwrap();
    let mut c = Replica::new(c_key, log).unwrap();
    a.sync(&remote).unwrap();
    c.sync(&remote).unwrap();
    a.add_member(&DeviceKey::generate().unwrap().public(), false)
        .unwrap();
    c.add_member(&DeviceKey::generate().unwrap().public(), false)
        .unwrap();
    a.sync(&remote).unwrap();
    let err = c.sync(&remote).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LogFork);
    // C dropped its own change for A's; repeated, it goes through.
    assert_eq!(c.log().entries(), a.log().entries());
    let again = DeviceKey::generate().unwrap().public();
    c.add_member(&again, false).unwrap();
    c.sync(&remote).unwrap();
    a.sync(&remote).unwrap();
    assert_eq!(a.log().entries().len(), 4);
    assert_eq!(a.log().entries(), c.log().entries());
}
