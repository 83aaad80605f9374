//! The protocol through real Garage servers: what Garage stores on its own
//! disk, a refused key and a missing bucket, and a 3-node cluster losing a
//! node in the middle of a sync. The servers come from
//! `casevault_sync::testing::garage` (see there for
//! `CASEVAULT_SKIP_GARAGE`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use casevault_sync::device::DeviceKey;
use casevault_sync::log::Log;
use casevault_sync::object::padme;
use casevault_sync::remote::s3::{S3Address, S3Credentials, S3Remote};
use casevault_sync::remote::{ObjectName, Remote};
use casevault_sync::replica::Replica;
use casevault_sync::testing::garage::{BUCKET, Garage};
use casevault_sync::{ErrorCode, Result};
use zeroize::Zeroizing;

/// Three devices (A admin, B, C) sharing one space, with the strings that
/// identify them (key lines' parts, fingerprints, the space id).
fn team() -> (Vec<Replica>, Vec<String>) {
    let keys: Vec<DeviceKey> = (0..3).map(|_| DeviceKey::generate().unwrap()).collect();
    let (mut log, space_keys) = Log::create(&keys[0]).unwrap();
    for k in &keys[1..] {
        log.add(&keys[0], &space_keys, &k.public(), false).unwrap();
    }
    let mut identities = Vec::new();
    for k in &keys {
        let p = k.public();
        let line = p.line();
        identities.extend(line.split(' ').skip(1).map(str::to_owned));
        identities.push(p.fingerprint());
    }
    identities.push(data_encoding::BASE64_NOPAD.encode(&log.space().0));
    identities.push(data_encoding::HEXLOWER.encode(&log.space().0));
    let replicas = keys
        .into_iter()
        .map(|k| Replica::new(k, log.clone()).unwrap())
        .collect();
    (replicas, identities)
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// After a protocol round through Garage, neither the objects read back
/// through S3 nor anything Garage wrote to its disk (metadata database,
/// data blocks, stored uncompressed) holds a canary, a name, a case id, a
/// device key, a fingerprint or the space id.
#[test]
fn garage_holds_no_names_case_ids_or_members_on_disk() {
    let Some(g) = Garage::start() else { return };
    let remote = g.remote();
    let (mut r, identities) = team();
    let texts = [
        (
            "case-CANARY-4471",
            "Jane Roe was detained at the border. CANARY-TEXT-1",
        ),
        (
            "case-CANARY-9902",
            "Testimony of Omar Haddad, CANARY-TEXT-2",
        ),
    ];
    for (i, (id, text)) in texts.iter().enumerate() {
        r[i].edit(id, text.as_bytes()).unwrap();
        r[i].edit(id, format!("{text} (revised)").as_bytes())
            .unwrap();
    }
    for _ in 0..2 {
        for rep in r.iter_mut() {
            rep.sync(&remote).unwrap();
        }
    }
    assert_eq!(r[2].state().len(), 2, "the data did travel");
    // Exact, case-sensitive needles of eight characters or more: random
    // ciphertext does not contain them by chance.
    let mut needles: Vec<String> = vec![
        "CANARY".into(),
        "Jane Roe".into(),
        "Omar Haddad".into(),
        "case-CANARY".into(),
    ];
    needles.extend(identities);

    // Every object, read back through S3.
    let names = remote.list().unwrap();
    assert_eq!(names.len(), 4 + 3, "one object per change and log entry");
    for n in &names {
        let bytes = remote.get(n).unwrap().unwrap();
        assert_eq!(bytes.len(), padme(bytes.len()), "padded to a bucket");
        for needle in &needles {
            assert!(!contains(&bytes, needle.as_bytes()), "{needle} in {n:?}");
        }
    }

    // Everything Garage keeps on disk. The canaries are certainly stored
    // somewhere if they travelled in the clear: Garage stores the bytes it
    // is given as they are (compression is off in the harness), so the
    // scan would find them.
    let mut files = Vec::new();
    for dir in g.storage_dirs() {
        files_under(&dir, &mut files);
    }
    assert!(!files.is_empty());
    let mut scanned = 0;
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        scanned += bytes.len();
        for needle in &needles {
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{needle} in {}",
                f.display()
            );
        }
    }
    assert!(scanned > 0);
}

/// The scan above can fail: the same bytes put in the clear are found on
/// Garage's disk (in its metadata, where Garage keeps small objects, or in
/// a data block).
#[test]
fn the_disk_scan_finds_a_canary_stored_in_the_clear() {
    let Some(g) = Garage::start() else { return };
    let remote = g.remote();
    let name = ObjectName::parse(&"c".repeat(64)).unwrap();
    let mut clear = b"Jane Roe was detained. CANARY-IN-THE-CLEAR ".repeat(4);
    clear.resize(2048, b' ');
    assert!(remote.put(&name, &clear).unwrap());
    let big = ObjectName::parse(&"d".repeat(64)).unwrap();
    let mut large = b"CANARY-IN-A-BLOCK ".repeat(4096);
    large.truncate(64 << 10);
    assert!(remote.put(&big, &large).unwrap());
    let mut files = Vec::new();
    for dir in g.storage_dirs() {
        files_under(&dir, &mut files);
    }
    let found = |needle: &[u8]| {
        files
            .iter()
            .any(|f| contains(&std::fs::read(f).unwrap(), needle))
    };
    assert!(found(b"CANARY-IN-THE-CLEAR"));
    assert!(found(b"CANARY-IN-A-BLOCK"));
}

#[test]
fn a_wrong_key_and_a_missing_bucket_are_refused_by_real_garage() {
    let Some(g) = Garage::start() else { return };
    let address = S3Address::parse(&g.address()).unwrap();
    let wrong_secret =
        S3Credentials::new(g.key_id(), Zeroizing::new("0".repeat(g.secret().len()))).unwrap();
    assert_eq!(
        S3Remote::open(address.clone(), wrong_secret)
            .unwrap_err()
            .code(),
        ErrorCode::RemoteDenied
    );
    let unknown_key =
        S3Credentials::new("GK000000000000000000000000", Zeroizing::new("0".repeat(64))).unwrap();
    assert_eq!(
        S3Remote::open(address, unknown_key).unwrap_err().code(),
        ErrorCode::RemoteDenied
    );
    let missing = S3Address::parse(&g.address_via(0, "no-such-bucket")).unwrap();
    assert_eq!(
        S3Remote::open(missing, g.credentials()).unwrap_err().code(),
        ErrorCode::InvalidRemote
    );
    // Nothing was created by trying.
    assert!(g.remote().list().unwrap().is_empty());
}

/// Kills a node of the cluster after the `at`-th put that goes through it.
#[derive(Debug)]
struct KillDuring<'a> {
    inner: S3Remote,
    puts: AtomicUsize,
    at: usize,
    victim: usize,
    garage: &'a Mutex<Garage>,
}

impl Remote for KillDuring<'_> {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool> {
        if self.puts.fetch_add(1, Ordering::SeqCst) + 1 == self.at {
            self.garage.lock().unwrap().kill(self.victim);
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

/// Three Garage nodes, replication factor 3: one is killed (SIGKILL) in
/// the middle of a sync, the sync completes, and everything reads back,
/// byte for byte, through each of the two nodes left; the other members
/// sync through the other node and converge.
#[test]
fn a_three_node_cluster_losing_a_node_mid_sync_still_syncs() {
    let Some(g) = Garage::cluster(3) else { return };
    let via = |i: usize| g.remote_via(i, BUCKET);
    let (first, second) = (via(0), via(1));
    let garage = Mutex::new(g);
    let (mut r, _) = team();
    for i in 0..12 {
        r[0].edit(&format!("rec-{i}"), format!("value {i}").as_bytes())
            .unwrap();
    }
    let killing = KillDuring {
        inner: first,
        puts: AtomicUsize::new(0),
        at: 5,
        victim: 2,
        garage: &garage,
    };
    let report = r[0].sync(&killing).unwrap();
    assert!(
        killing.puts.load(Ordering::SeqCst) > killing.at,
        "the node died mid-sync, with puts still to come"
    );
    assert_eq!(report.uploaded, 12);
    let first = killing.inner;

    // Everything reads back through each surviving node, identically.
    let listed = first.list().unwrap();
    assert_eq!(listed.len(), 12 + 3, "12 changes and 3 log entries");
    let mut other = second.list().unwrap();
    other.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, other);
    for n in &listed {
        let a = first.get(n).unwrap().expect("through node 0");
        let b = second.get(n).unwrap().expect("through node 1");
        assert_eq!(a, b);
    }

    // The others sync through node 1 and converge with A.
    r[0].sync(&first).unwrap();
    for rep in r[1..].iter_mut() {
        let report = rep.sync(&second).unwrap();
        assert!(report.refused.is_empty(), "{:?}", report.refused);
    }
    assert_eq!(r[1].state(), r[0].state());
    assert_eq!(r[2].state(), r[0].state());
    assert_eq!(r[2].state().len(), 12);
    assert!(r.iter().all(|x| x.gaps().is_empty()));
    drop(garage);
}
