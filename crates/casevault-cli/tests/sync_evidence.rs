//! Evidence files travel with their records (issue 18): streamed in signed,
//! encrypted chunks through a real folder remote, between two real vaults,
//! with the real binary; damaged chunks are refused and interrupted
//! transfers resume.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use casevault_core::secret::Passphrase;
use casevault_core::vault::attachments::Attachment;
use casevault_core::vault::{Credential, Vault};
use casevault_sync::remote::{FolderRemote, ObjectName, Remote};
use serde_json::json;

mod common;
use common::*;

const SPACE: &str = "Evidence desk QUOKKA-SPACE-8820";
const CASE: &str = "case-evidence-7310";
const INCIDENT: &str = "inc-evidence-7310";
const BIG_NAME: &str = "interview-recording-NAMECANARY.bin";
/// Repeated through the 10 MiB file: it must appear in no object.
const CANARY: &[u8] = b"CANARY-EVIDENCE-51f3 ";
const EXIT_UNSYNCED: i32 = 17;

fn open(vault: &Path) -> Vault {
    Vault::open(
        vault,
        &Credential::Passphrase(Passphrase::new(PASS.into())),
        casevault_core::Session::new("tester", casevault_core::Clock::system()),
    )
    .unwrap()
}

fn photo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg")
}

/// A 10 MiB file (three chunks, the last one short) full of the canary.
fn big_file(dir: &Path) -> PathBuf {
    let path = dir.join(BIG_NAME);
    let mut bytes = Vec::with_capacity(10 << 20);
    let mut n = 0u64;
    while bytes.len() < 10 << 20 {
        bytes.extend_from_slice(CANARY);
        bytes.extend_from_slice(n.to_string().as_bytes());
        n += 1;
    }
    bytes.truncate(10 << 20);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn sync(vault: &Path, remote: &str) -> Output {
    run(vault, &["sync", "--remote", remote])
}

fn synced(vault: &Path, remote: &str) {
    let out = sync(vault, remote);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
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

fn attachments(vault: &Path) -> Vec<Attachment> {
    open(vault).all_attachments().unwrap()
}

/// The bytes of an attachment, through `attachment get`.
fn bytes_of(vault: &Path, id: &str) -> Vec<u8> {
    let out = vault.parent().unwrap().join(format!("copy-{id}"));
    let _ = std::fs::remove_file(&out);
    ok(
        vault,
        &["attachment", "get", id, "--out", out.to_str().unwrap()],
    );
    let b = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    b
}

struct Pair {
    dir: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    folder: PathBuf,
    remote: String,
}

/// A (admin, with a case and an incident) and B share the case; both
/// synced once.
fn shared_pair() -> Pair {
    let TwoVaults { dir, a, b, folder } = two_vaults();
    init(&a);
    init(&b);
    let sample = dir.path().join("sample.json");
    std::fs::write(
        &sample,
        json!({"format": "casevault-interchange", "version": 1,
            "cases": [{"id": CASE, "title": "Detention at the border", "status": "open"}],
            "incidents": [{"id": INCIDENT, "case": CASE, "title": "Arrest",
                "act_type": "assault", "start": "2024", "description": "seen by a witness"}]})
        .to_string(),
    )
    .unwrap();
    ok(&a, &["import", sample.to_str().unwrap()]);
    let b_line = ok(&b, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", CASE]);
    ok(&a, &["space", "add", SPACE, &b_line, "--as", "Bob"]);
    let remote = format!("file://{}", folder.display());
    synced(&a, &remote);
    synced(&b, &remote);
    Pair {
        dir,
        a,
        b,
        folder,
        remote,
    }
}

fn attach(p: &Pair, record: &str, file: &Path) -> String {
    ok(&p.a, &["attach", record, file.to_str().unwrap()])
        .trim()
        .to_owned()
}

#[test]
fn evidence_travels_with_its_record_unchanged_and_the_remote_sees_none_of_it() {
    let p = shared_pair();
    let big = big_file(p.dir.path());
    let photo_id = attach(&p, INCIDENT, &photo());
    let big_id = attach(&p, CASE, &big);
    // Not yet on the remote: unloading would lose it.
    let out = run(&p.a, &["space", "unload", SPACE]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_UNSYNCED),
        "{}",
        text(&out.stderr)
    );

    synced(&p.a, &p.remote);
    synced(&p.b, &p.remote);
    let (on_a, on_b) = (attachments(&p.a), attachments(&p.b));
    assert_eq!(on_b.len(), 2);
    for id in [&photo_id, &big_id] {
        let a = on_a.iter().find(|x| &x.id == id).unwrap();
        let b = on_b.iter().find(|x| &x.id == id).expect("B has it");
        assert_eq!(
            (
                &b.record_id,
                &b.sha256,
                b.size,
                &b.original_name,
                &b.media_type,
                &b.capture
            ),
            (
                &a.record_id,
                &a.sha256,
                a.size,
                &a.original_name,
                &a.media_type,
                &a.capture
            )
        );
        assert_eq!(bytes_of(&p.b, id), bytes_of(&p.a, id));
    }
    assert_eq!(bytes_of(&p.b, &photo_id), std::fs::read(photo()).unwrap());
    assert_eq!(bytes_of(&p.b, &big_id), std::fs::read(&big).unwrap());
    ok(&p.a, &["audit", "verify"]);
    ok(&p.b, &["audit", "verify"]);
    // B's custody entry for the file names A's device.
    let custody: serde_json::Value =
        serde_json::from_str(&ok(&p.b, &["audit", "show", "--json"])).unwrap();
    let entry = custody
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["target"] == json!(big_id) && e["action"] == "attach")
        .expect("an attach entry on B");
    assert!(
        entry["actor"].as_str().unwrap().contains("device SHA256:"),
        "{entry}"
    );
    // Syncing again sends and fetches nothing more.
    let objects = files(&p.folder.join("objects"));
    synced(&p.a, &p.remote);
    synced(&p.b, &p.remote);
    assert_eq!(files(&p.folder.join("objects")), objects);

    // The remote: no canary of the contents, no file name, no ids; every
    // object's size a Padmé bucket.
    let needles: Vec<&[u8]> = vec![
        CANARY,
        b"CANARY",
        BIG_NAME.as_bytes(),
        b"NAMECANARY",
        b"almaty-photo",
        CASE.as_bytes(),
        INCIDENT.as_bytes(),
        photo_id.as_bytes(),
        big_id.as_bytes(),
    ];
    let mut big_objects = 0;
    for f in files(&p.folder) {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.to_string_lossy();
        for n in &needles {
            assert!(
                !bytes.windows(n.len()).any(|w| w == *n),
                "{} in {name}",
                String::from_utf8_lossy(n)
            );
            assert!(!name.contains(&*String::from_utf8_lossy(n)));
        }
        // Evidence chunks (and changes) fall in Padmé buckets; the
        // invitation, sealed with age, is the one small exception.
        if bytes.len() > 8 << 10 {
            assert_eq!(
                bytes.len(),
                casevault_sync::object::padme(bytes.len()),
                "{name}"
            );
        }
        if bytes.len() > 1 << 20 {
            big_objects += 1;
        }
    }
    assert_eq!(
        big_objects, 3,
        "the big file in three chunks; the photo is small"
    );

    // Synced evidence no longer blocks travel mode; a reload brings it back.
    ok(&p.a, &["space", "unload", SPACE]);
    assert!(attachments(&p.a).is_empty());
    assert!(files(&p.a.join("attachments")).is_empty());
    ok(&p.a, &["space", "reload", SPACE]);
    let back = attachments(&p.a);
    assert_eq!(back.len(), 2);
    assert_eq!(bytes_of(&p.a, &big_id), std::fs::read(&big).unwrap());
    ok(&p.a, &["audit", "verify"]);

    // Trash and restore of the file's record travel as for any record;
    // the file stays with it.
    casevault_core::ops::edit::trash(&mut open(&p.b), INCIDENT, "duplicate").unwrap();
    synced(&p.b, &p.remote);
    synced(&p.a, &p.remote);
    assert!(
        open(&p.a)
            .get_record(INCIDENT)
            .unwrap()
            .unwrap()
            .trashed_at
            .is_some()
    );
    casevault_core::ops::edit::restore(&mut open(&p.a), INCIDENT).unwrap();
    synced(&p.a, &p.remote);
    synced(&p.b, &p.remote);
    assert!(
        open(&p.b)
            .get_record(INCIDENT)
            .unwrap()
            .unwrap()
            .trashed_at
            .is_none()
    );
    assert_eq!(bytes_of(&p.b, &photo_id), std::fs::read(photo()).unwrap());
    assert_eq!(bytes_of(&p.b, &big_id), std::fs::read(&big).unwrap());
    ok(&p.a, &["audit", "verify"]);
    ok(&p.b, &["audit", "verify"]);
}

/// The objects written between two listings, largest first.
fn new_objects(before: &[PathBuf], after: &[PathBuf]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = after
        .iter()
        .filter(|f| !before.contains(f))
        .cloned()
        .collect();
    v.sort_by_key(|f| std::cmp::Reverse(std::fs::metadata(f).unwrap().len()));
    v
}

#[test]
fn a_flipped_byte_in_a_chunk_is_refused_nothing_is_kept_and_a_good_copy_is() {
    let p = shared_pair();
    let big = big_file(p.dir.path());
    let id = attach(&p, CASE, &big);
    let before = files(&p.folder.join("objects"));
    synced(&p.a, &p.remote);
    let chunk = new_objects(&before, &files(&p.folder.join("objects")))[0].clone();
    let good = std::fs::read(&chunk).unwrap();
    let mut bad = good.clone();
    bad[good.len() / 2] ^= 0x04;
    std::fs::write(&chunk, &bad).unwrap();

    let out = sync(&p.b, &p.remote);
    assert_eq!(
        out.status.code(),
        Some(EXIT_REMOTE_REFUSED),
        "{}",
        text(&out.stderr)
    );
    assert!(attachments(&p.b).is_empty(), "nothing is kept");
    assert!(
        files(&p.b.join("attachments")).is_empty(),
        "no file, no partial"
    );
    ok(&p.b, &["audit", "verify"]);

    std::fs::write(&chunk, &good).unwrap();
    synced(&p.b, &p.remote);
    assert_eq!(bytes_of(&p.b, &id), std::fs::read(&big).unwrap());
    ok(&p.b, &["audit", "verify"]);
}

/// A folder remote whose puts fail after `puts_left` more, and whose gets
/// of large objects fail after `big_gets_left` more (an unplugged stick, a
/// full disk); it counts the large objects it stores and serves.
#[derive(Debug)]
struct Flaky {
    inner: FolderRemote,
    puts_left: AtomicUsize,
    big_gets_left: AtomicUsize,
    big_puts: AtomicUsize,
    big_gets: AtomicUsize,
}

impl Flaky {
    fn new(folder: &Path, puts: usize, big_gets: usize) -> Self {
        Flaky {
            inner: FolderRemote::open(folder).unwrap(),
            puts_left: AtomicUsize::new(puts),
            big_gets_left: AtomicUsize::new(big_gets),
            big_puts: AtomicUsize::new(0),
            big_gets: AtomicUsize::new(0),
        }
    }
}

fn unplugged() -> casevault_sync::Error {
    casevault_sync::Error::remote_io(std::io::Error::other("injected: stick unplugged"))
}

impl Remote for Flaky {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> casevault_sync::Result<bool> {
        if self
            .puts_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_err()
        {
            return Err(unplugged());
        }
        let stored = self.inner.put(name, bytes)?;
        if stored && bytes.len() > 1 << 20 {
            self.big_puts.fetch_add(1, Ordering::SeqCst);
        }
        Ok(stored)
    }
    fn get(&self, name: &ObjectName) -> casevault_sync::Result<Option<Vec<u8>>> {
        let got = self.inner.get(name)?;
        if got.as_ref().is_some_and(|b| b.len() > 1 << 20) {
            if self
                .big_gets_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_err()
            {
                return Err(unplugged());
            }
            self.big_gets.fetch_add(1, Ordering::SeqCst);
        }
        Ok(got)
    }
    fn list(&self) -> casevault_sync::Result<Vec<ObjectName>> {
        self.inner.list()
    }
}

fn sync_through(vault: &Path, remote: &Flaky, address: &str) -> casevault_sync::Result<()> {
    let mut v = open(vault);
    casevault_sync::spaces::sync(&mut v, remote, address, &mut |_| {}).map(|_| ())
}

#[test]
fn an_interrupted_upload_resumes_without_resending_and_a_download_resumes_from_the_chunks_kept() {
    let p = shared_pair();
    let big = big_file(p.dir.path());
    let id = attach(&p, CASE, &big);

    // The stick is pulled after the first chunk.
    let flaky = Flaky::new(&p.folder, 1, usize::MAX);
    let err = sync_through(&p.a, &flaky, &p.remote).unwrap_err();
    assert_eq!(err.code(), casevault_sync::ErrorCode::RemoteIo);
    assert_eq!(flaky.big_puts.load(Ordering::SeqCst), 1);
    // Not announced yet: B finds nothing to fetch, and no gap.
    synced(&p.b, &p.remote);
    assert!(attachments(&p.b).is_empty());
    let out = run(&p.a, &["space", "unload", SPACE]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_UNSYNCED),
        "{}",
        text(&out.stderr)
    );

    // The next sync sends only the two chunks not yet there.
    let flaky = Flaky::new(&p.folder, usize::MAX, usize::MAX);
    sync_through(&p.a, &flaky, &p.remote).unwrap();
    assert_eq!(
        flaky.big_puts.load(Ordering::SeqCst),
        2,
        "the two chunks left"
    );
    assert_eq!(flaky.big_gets.load(Ordering::SeqCst), 0, "none read back");

    // B's download stops after the first chunk: no attachment, no blob,
    // nothing readable in its vault folder; the chunk received is kept,
    // encrypted, in `incoming/`.
    let flaky = Flaky::new(&p.folder, usize::MAX, 1);
    let err = sync_through(&p.b, &flaky, &p.remote).unwrap_err();
    assert_eq!(err.code(), casevault_sync::ErrorCode::RemoteIo);
    assert!(attachments(&p.b).is_empty());
    assert!(files(&p.b.join("attachments")).is_empty());
    assert_eq!(files(&p.b.join("incoming")).len(), 1, "the chunk received");
    let no_canary = |vault: &Path| {
        for f in files(vault) {
            let bytes = std::fs::read(&f).unwrap();
            assert!(
                !bytes.windows(CANARY.len()).any(|w| w == CANARY),
                "{}",
                f.display()
            );
        }
    };
    no_canary(&p.b);
    ok(&p.b, &["audit", "verify"]);

    // It resumes: the next attempt reads the first chunk from `incoming/`
    // and fetches only the second before the link drops again.
    let flaky = Flaky::new(&p.folder, usize::MAX, 1);
    let err = sync_through(&p.b, &flaky, &p.remote).unwrap_err();
    assert_eq!(err.code(), casevault_sync::ErrorCode::RemoteIo);
    assert_eq!(
        flaky.big_gets.load(Ordering::SeqCst),
        1,
        "only chunk 2 fetched"
    );
    let mut kept = files(&p.b.join("incoming"));
    kept.sort();
    assert_eq!(kept.len(), 2);
    no_canary(&p.b);

    // A kept chunk damaged on disk is not used: it is fetched again, with
    // the one never received, and the file is filed whole.
    let mut bytes = std::fs::read(&kept[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&kept[0], &bytes).unwrap();
    let flaky = Flaky::new(&p.folder, usize::MAX, usize::MAX);
    sync_through(&p.b, &flaky, &p.remote).unwrap();
    assert_eq!(
        flaky.big_gets.load(Ordering::SeqCst),
        2,
        "the damaged chunk and the last one"
    );
    assert_eq!(bytes_of(&p.b, &id), std::fs::read(&big).unwrap());
    assert!(
        files(&p.b.join("incoming")).is_empty(),
        "the chunks kept go"
    );
    ok(&p.b, &["audit", "verify"]);

    // Travel mode takes half-received files with the space: a second
    // file's download stops, and B's unload leaves no chunk of it.
    let second = p.dir.path().join("second.bin");
    let mut bytes = std::fs::read(&big).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&second, bytes).unwrap();
    attach(&p, CASE, &second);
    synced(&p.a, &p.remote);
    let flaky = Flaky::new(&p.folder, usize::MAX, 1);
    sync_through(&p.b, &flaky, &p.remote).unwrap_err();
    assert_eq!(files(&p.b.join("incoming")).len(), 1);
    ok(&p.b, &["space", "unload", SPACE]);
    assert!(
        files(&p.b.join("incoming")).is_empty(),
        "shredded with the space"
    );
    ok(&p.a, &["space", "unload", SPACE]);
}

#[test]
fn a_received_file_with_a_bad_id_a_wrong_digest_or_no_record_is_refused_and_nothing_is_kept() {
    let p = shared_pair();
    let bytes = std::fs::read(photo()).unwrap();
    // The digest as A's intake computed it.
    attach(&p, INCIDENT, &photo());
    let sha = attachments(&p.a)[0].sha256.clone();
    let good = casevault_core::vault::attachments::ReceivedAttachment {
        id: "0123456789abcdef0123456789abcdef",
        record_id: CASE,
        original_name: "photo.jpg",
        size: bytes.len() as u64,
        sha256: &sha,
        derived_from: None,
        note: None,
    };
    let before = files(&p.b);
    let mut v = open(&p.b);
    let code = |r: casevault_core::Result<Attachment>| r.unwrap_err().code();
    use casevault_core::ErrorCode;
    for id in ["../../escape", "0123456789ABCDEF0123456789ABCDEF", ""] {
        let a = casevault_core::vault::attachments::ReceivedAttachment { id, ..good };
        assert_eq!(
            code(v.attach_received(a, &mut &bytes[..], "device x", |_, _| {})),
            ErrorCode::InvalidInput,
            "{id}"
        );
    }
    let a = casevault_core::vault::attachments::ReceivedAttachment {
        record_id: "no-such-record",
        ..good
    };
    assert_eq!(
        code(v.attach_received(a, &mut &bytes[..], "device x", |_, _| {})),
        ErrorCode::InvalidInput
    );
    let mut flipped = bytes.clone();
    flipped[100] ^= 1;
    assert_eq!(
        code(v.attach_received(good, &mut &flipped[..], "device x", |_, _| {})),
        ErrorCode::Tampered
    );
    assert_eq!(
        code(v.attach_received(good, &mut &bytes[..10], "device x", |_, _| {})),
        ErrorCode::Tampered
    );
    drop(v);
    assert!(attachments(&p.b).is_empty());
    assert!(files(&p.b.join("attachments")).is_empty());
    ok(&p.b, &["audit", "verify"]);
    // The same file, as signed, is filed under its id.
    let mut v = open(&p.b);
    let got = v
        .attach_received(good, &mut &bytes[..], "device x", |_, _| {})
        .unwrap();
    assert_eq!(
        (got.id.as_str(), got.sha256.as_str()),
        (good.id, sha.as_str())
    );
    drop(v);
    assert_eq!(bytes_of(&p.b, good.id), bytes);
    assert_ne!(files(&p.b), before);
    ok(&p.b, &["audit", "verify"]);
}

#[test]
fn a_member_cannot_attach_to_a_record_outside_the_space_nor_announce_a_file_it_never_sent() {
    let p = shared_pair();
    // A case of A's outside the space.
    let private = p.dir.path().join("private.json");
    std::fs::write(
        &private,
        json!({"format": "casevault-interchange", "version": 1,
            "cases": [{"id": "case-private-2231", "title": "Not shared", "status": "open"}]})
        .to_string(),
    )
    .unwrap();
    ok(&p.a, &["import", private.to_str().unwrap()]);
    // B attaches a file to the shared case and sends it (real chunks).
    let note = p.dir.path().join("note.txt");
    std::fs::write(&note, "B's evidence").unwrap();
    let b_file = ok(&p.b, &["attach", CASE, note.to_str().unwrap()])
        .trim()
        .to_owned();
    synced(&p.b, &p.remote);
    // Then, as a modified client could, B re-announces that file for A's
    // private case, and announces one for the shared case with no chunks
    // behind it.
    let real = attachments(&p.b).remove(0);
    {
        let mut v = open(&p.b);
        let stored = v.spaces().unwrap().remove(0);
        let mut replica = casevault_sync::spaces::stored_replica(&mut v, &stored.name).unwrap();
        for (id, record, sha) in [
            (b_file.as_str(), "case-private-2231", real.sha256.as_str()),
            ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", CASE, "00"),
        ] {
            let wire = json!({"record_id": record, "original_name": "forged.txt",
                "size": real.size, "sha256": sha, "media_type": "text/plain",
                "capture": {}, "note": null, "derived_from": null});
            replica
                .edit(
                    &format!("casevault:attachment:{id}"),
                    wire.to_string().as_bytes(),
                )
                .unwrap();
        }
        replica
            .sync(&FolderRemote::open(&p.folder).unwrap())
            .unwrap();
    }
    let before = open(&p.a).get_record("case-private-2231").unwrap();
    synced(&p.a, &p.remote);
    synced(&p.a, &p.remote);
    assert!(attachments(&p.a).is_empty(), "nothing was attached");
    assert!(files(&p.a.join("attachments")).is_empty());
    assert_eq!(open(&p.a).get_record("case-private-2231").unwrap(), before);
    ok(&p.a, &["audit", "verify"]);
}

/// The same through a real Garage (one node on 127.0.0.1): the S3 remote
/// carries the chunks as the folder does, and every object in the bucket
/// is opaque.
#[test]
fn evidence_travels_through_garage() {
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
    let (a, c) = (dir.path().join("a"), dir.path().join("c"));
    init(&a);
    init(&c);
    let sample = dir.path().join("sample.json");
    std::fs::write(
        &sample,
        json!({"format": "casevault-interchange", "version": 1,
            "cases": [{"id": CASE, "title": "Detention at the border", "status": "open"}]})
        .to_string(),
    )
    .unwrap();
    ok(&a, &["import", sample.to_str().unwrap()]);
    let big = big_file(dir.path());
    let id = ok(&a, &["attach", CASE, big.to_str().unwrap()])
        .trim()
        .to_owned();
    let c_line = ok(&c, &["device", "key"]).trim().to_owned();
    ok(&a, &["space", "create", SPACE, "--case", CASE]);
    ok(&a, &["space", "add", SPACE, &c_line, "--as", "Carol"]);
    sync_s3(&a);
    sync_s3(&c);
    let got = attachments(&c);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].sha256, attachments(&a)[0].sha256);
    assert_eq!(bytes_of(&c, &id), std::fs::read(&big).unwrap());
    ok(&a, &["audit", "verify"]);
    ok(&c, &["audit", "verify"]);

    let bucket = garage.remote();
    let names = casevault_sync::remote::Remote::list(&bucket).unwrap();
    for name in &names {
        let bytes = casevault_sync::remote::Remote::get(&bucket, name)
            .unwrap()
            .unwrap();
        for n in [CANARY, BIG_NAME.as_bytes(), CASE.as_bytes(), id.as_bytes()] {
            assert!(!bytes.windows(n.len()).any(|w| w == n));
        }
    }
    assert!(names.len() >= 6, "{} objects", names.len());
}
