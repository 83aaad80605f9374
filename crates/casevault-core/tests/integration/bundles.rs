//! Bundles that must be refused: the committed vectors under
//! tests/fixtures/bad-bundles (rage's testkit is the model), each with the
//! error it must produce, and a clean one that must pass. Nothing is ever
//! extracted from a refused bundle.

use std::io::Write;
use std::path::{Path, PathBuf};

use casevault_core::bundle::read::{self, Unseal};
use casevault_core::bundle::{
    BundleFile, CustodyHead, FORMAT, Language, Manifest, OrgInfo, RedactionReport,
    SIGNATURE_NAMESPACE, VERSION,
};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-bundles")
}

/// The identity every vector is sealed to (a test key, nothing else).
fn identity() -> age::x25519::Identity {
    std::fs::read_to_string(fixtures().join("identity.txt"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .parse()
        .unwrap()
}

fn org(seed: u8) -> ssh_key::PrivateKey {
    let mut k = ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[seed; 32]));
    k.set_comment("casevault-org");
    k
}

enum Entry {
    File(&'static str, Vec<u8>),
    RawName(&'static [u8], Vec<u8>),
    Symlink(&'static str, &'static str),
    ClaimsSize(&'static str, u64),
}

fn seal(entries: Vec<Entry>) -> Vec<u8> {
    let recipient = identity().to_public();
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .unwrap();
    let mut out = Vec::new();
    let w = enc.wrap_output(&mut out).unwrap();
    let mut tar = tar::Builder::new(w);
    for e in entries {
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        match e {
            Entry::File(name, bytes) => {
                h.set_size(bytes.len() as u64);
                tar.append_data(&mut h, name, &bytes[..]).unwrap();
            }
            Entry::RawName(name, bytes) => {
                // Written by hand: the tar crate itself refuses such names.
                h.set_size(bytes.len() as u64);
                h.as_old_mut().name[..name.len()].copy_from_slice(name);
                h.set_cksum();
                tar.append(&h, &bytes[..]).unwrap();
            }
            Entry::Symlink(name, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                tar.append_link(&mut h, name, target).unwrap();
            }
            Entry::ClaimsSize(name, size) => {
                h.set_size(size);
                h.set_path(name).unwrap();
                h.set_cksum();
                tar.get_mut().write_all(h.as_bytes()).unwrap();
            }
        }
    }
    let w = tar.into_inner().unwrap();
    w.finish().unwrap();
    out
}

/// A minimal, well-formed bundle: data.json, manifest, sums, signature.
/// `tamper` may change the pieces before they are sealed.
fn signed(
    signer: u8,
    claimed: u8,
    tamper: impl FnOnce(&mut Vec<u8>, &mut String, &mut Option<String>),
) -> Vec<u8> {
    let mut data = b"{\"format\":\"casevault-interchange\",\"version\":1}".to_vec();
    let sha = |b: &[u8]| data_encoding::HEXLOWER.encode(&<sha2::Sha256 as sha2::Digest>::digest(b));
    let claimed_key = org(claimed);
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        bundle_id: "0123456789abcdef0123456789abcdef".into(),
        kind: "case-export".into(),
        created_at: "2026-11-25T10:00:00.000Z".into(),
        language: Language::En,
        organisation: OrgInfo {
            name: "Test NGO".into(),
            fingerprint: claimed_key
                .fingerprint(ssh_key::HashAlg::Sha256)
                .to_string(),
            public_key: claimed_key.public_key().to_openssh().unwrap(),
        },
        case_ids: vec![],
        redaction: RedactionReport {
            profile: "lawyers".into(),
            withheld: vec![],
            pseudonymised: 0,
            ids_renamed: 0,
        },
        custody: CustodyHead {
            entries: 1,
            head_hash: "00".repeat(32),
        },
        files: vec![BundleFile {
            path: "data.json".into(),
            size: data.len() as u64,
            sha256: sha(&data),
            note: None,
            intake_sha256: None,
            metadata_removed: false,
        }],
    };
    let manifest = serde_json::to_vec_pretty(&manifest).unwrap();
    let mut sums = format!(
        "{}  manifest.json\n{}  data.json\n",
        sha(&manifest),
        sha(&data)
    );
    let mut sig = Some(
        org(signer)
            .sign(
                SIGNATURE_NAMESPACE,
                ssh_key::HashAlg::Sha512,
                sums.as_bytes(),
            )
            .unwrap()
            .to_pem(ssh_key::LineEnding::LF)
            .unwrap(),
    );
    tamper(&mut data, &mut sums, &mut sig);
    let mut entries = vec![
        Entry::File("data.json", data),
        Entry::File("manifest.json", manifest),
        Entry::File("SHA256SUMS", sums.into_bytes()),
    ];
    if let Some(sig) = sig {
        entries.push(Entry::File("SHA256SUMS.sig", sig.into_bytes()));
    }
    seal(entries)
}

/// (file, what the error or problem must say).
pub const VECTORS: &[(&str, &str)] = &[
    ("traversal.cvb", "unsafe entry name"),
    ("absolute.cvb", "unsafe entry name"),
    ("symlink.cvb", "link, a folder or a device"),
    ("duplicate.cvb", "appears twice"),
    ("bomb.cvb", "more than 64 GiB"),
    ("no-manifest.cvb", "manifest.json is missing"),
    ("truncated.cvb", "damaged"),
    ("hash-mismatch.cvb", "does not match SHA256SUMS"),
    ("unsigned.cvb", "not signed"),
    (
        "bad-signature.cvb",
        "signature over SHA256SUMS is not valid",
    ),
];

#[test]
#[ignore = "writes the committed bad-bundle vectors; run by hand with --ignored when adding one"]
fn write_bad_bundle_vectors() {
    let dir = fixtures();
    std::fs::create_dir_all(&dir).unwrap();
    let id = age::x25519::Identity::generate();
    std::fs::write(
        dir.join("identity.txt"),
        format!(
            "# test key for the bad-bundle vectors only\n{}\n",
            age::secrecy::ExposeSecret::expose_secret(&id.to_string())
        ),
    )
    .unwrap();
    let w = |name: &str, bytes: Vec<u8>| std::fs::write(dir.join(name), bytes).unwrap();
    w(
        "traversal.cvb",
        seal(vec![Entry::RawName(b"../outside.txt", b"x".to_vec())]),
    );
    w(
        "absolute.cvb",
        seal(vec![Entry::RawName(b"/tmp/casevault-owned", b"x".to_vec())]),
    );
    w(
        "symlink.cvb",
        seal(vec![Entry::Symlink("data.json", "/etc/passwd")]),
    );
    w(
        "duplicate.cvb",
        seal(vec![
            Entry::File("data.json", b"1".to_vec()),
            Entry::File("data.json", b"2".to_vec()),
        ]),
    );
    w(
        "bomb.cvb",
        seal(vec![Entry::ClaimsSize(
            "attachments/huge.bin",
            70 * 1024 * 1024 * 1024,
        )]),
    );
    w(
        "no-manifest.cvb",
        seal(vec![Entry::File("hello.txt", b"not a bundle".to_vec())]),
    );
    w(
        "hash-mismatch.cvb",
        signed(1, 1, |data, _, _| data.push(b' ')),
    );
    w("unsigned.cvb", signed(1, 1, |_, _, sig| *sig = None));
    w("bad-signature.cvb", signed(2, 1, |_, _, _| {}));
    w("good.cvb", signed(1, 1, |_, _, _| {}));
    let good = std::fs::read(dir.join("good.cvb")).unwrap();
    w("truncated.cvb", good[..good.len() - 40].to_vec());
}

#[test]
fn every_bad_bundle_is_refused_with_its_reason_and_nothing_is_extracted() {
    let unseal = Unseal::Identities(vec![identity()]);
    for (file, says) in VECTORS {
        let path = fixtures().join(file);
        let verdict = read::verify(&path, &unseal, &[]);
        let text = match &verdict {
            Err(e) => e.to_string(),
            Ok(v) => v.problems.join("; "),
        };
        assert!(
            text.contains(says),
            "{file}: expected \"{says}\", got {verdict:?}"
        );
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("opened");
        assert!(
            read::open(&path, &unseal, &[], true, &target).is_err(),
            "{file} opened"
        );
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{file} left files behind"
        );
    }
}

#[test]
fn the_good_vector_verifies_and_trust_is_checked() {
    let unseal = Unseal::Identities(vec![identity()]);
    let good = fixtures().join("good.cvb");
    let v = read::verify(&good, &unseal, &[]).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.signer_trusted, None);
    let trusted = org(1).public_key().to_openssh().unwrap();
    assert_eq!(
        read::verify(&good, &unseal, &[trusted])
            .unwrap()
            .signer_trusted,
        Some(true)
    );
    let stranger = org(9).public_key().to_openssh().unwrap();
    assert_eq!(
        read::verify(&good, &unseal, &[stranger])
            .unwrap()
            .signer_trusted,
        Some(false)
    );
    // Another key: not addressed to you.
    let other = Unseal::Identities(vec![age::x25519::Identity::generate()]);
    assert!(matches!(
        read::verify(&good, &other, &[]),
        Err(casevault_core::Error::BundleNotForYou)
    ));
    let dir = tempfile::tempdir().unwrap();
    read::open(&good, &unseal, &[], true, &dir.path().join("x")).unwrap();
    assert!(dir.path().join("x/data.json").exists());
}

mod round_trip {
    use casevault_core::bundle::Language;
    use casevault_core::bundle::read::{self, Unseal};
    use casevault_core::bundle::receive::{self, Approval};
    use casevault_core::bundle::write::{self, CreateRequest, Seal};
    use casevault_core::ops::interchange;
    use casevault_core::vault::Vault;

    use crate::common::*;

    fn sample(path: &std::path::Path) -> Vault {
        let (mut vault, _) = new_vault(path);
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../samples/kazakhstan-report.json");
        let doc = interchange::parse(&std::fs::read(file).unwrap()).unwrap();
        interchange::import(&mut vault, &doc).unwrap();
        vault
    }

    #[test]
    fn ngo_to_lawyer_and_back_equals_the_original_except_provenance() {
        let dir = tempfile::tempdir().unwrap();
        let mut ngo = sample(&dir.path().join("ngo"));
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let key = lawyer.create_identity("bundles").unwrap();
        let cases = vec!["case-kurmanov".to_owned()];

        let preview = receive::preview(&ngo, &cases).unwrap();
        assert!(preview.withheld.is_empty());
        assert!(preview.counts.contains(&("incident".to_owned(), 1)));

        let out = dir.path().join("kurmanov.cvb");
        write::create(
            &mut ngo,
            CreateRequest {
                case_ids: &cases,
                seal: Seal::Recipients(vec![key.recipient.clone()]),
                language: Language::En,
                organisation: "Freedom Now NGO",
                out: &out,
            },
        )
        .unwrap();
        assert_eq!(
            ngo.custody_log(None).unwrap().last().unwrap().action,
            "export"
        );
        let org_key = ngo.org_public_key().unwrap().openssh;
        let unseal = Unseal::Identities(lawyer.identity_secrets().unwrap());

        // Untrusted signer: refused until accepted knowingly.
        assert!(
            receive::import(
                &mut lawyer,
                &out,
                &unseal,
                &[],
                &Approval::default(),
                |_, _| {}
            )
            .is_err()
        );
        let v = receive::import(
            &mut lawyer,
            &out,
            &unseal,
            std::slice::from_ref(&org_key),
            &Approval::default(),
            |_, _| {},
        )
        .unwrap();
        assert_eq!(v.signer_trusted, Some(true));
        // Twice: recognised, nothing duplicated.
        let again = receive::import(
            &mut lawyer,
            &out,
            &unseal,
            &[org_key],
            &Approval::default(),
            |_, _| {},
        )
        .unwrap_err();
        assert!(again.to_string().contains("imported before"), "{again}");

        let sent = interchange::export(&ngo).unwrap();
        let got = interchange::export(&lawyer).unwrap();
        let case =
            |d: &interchange::Document| d.cases.iter().find(|c| c.id == "case-kurmanov").cloned();
        assert_eq!(case(&got), case(&sent));
        for inc in got.incidents.iter() {
            let mut original = sent
                .incidents
                .iter()
                .find(|i| i.id == inc.id)
                .unwrap()
                .clone();
            original
                .sources
                .push(format!("bundle-{}", v.manifest.bundle_id));
            assert_eq!(*inc, original, "only the provenance source was added");
        }
        assert!(
            got.sources
                .iter()
                .any(|s| s.citation.contains("Freedom Now NGO"))
        );
        let ivs = |d: &interchange::Document| {
            d.interventions
                .iter()
                .filter(|i| i.case == "case-kurmanov")
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(ivs(&got), ivs(&sent));
    }

    #[test]
    fn a_passphrase_bundle_opens_only_with_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let mut ngo = sample(&dir.path().join("ngo"));
        let out = dir.path().join("p.cvb");
        let cases = vec!["case-svoik".to_owned()];
        write::create(
            &mut ngo,
            CreateRequest {
                case_ids: &cases,
                seal: Seal::Passphrase("lemon orbit stanza 7 harbour".to_owned().into()),
                language: Language::Ru,
                organisation: "Freedom Now NGO",
                out: &out,
            },
        )
        .unwrap();
        let ok = read::verify(
            &out,
            &Unseal::Passphrase("lemon orbit stanza 7 harbour".to_owned().into()),
            &[],
        )
        .unwrap();
        assert!(ok.problems.is_empty());
        let wrong = read::verify(&out, &Unseal::Passphrase("wrong".to_owned().into()), &[]);
        assert!(
            matches!(wrong, Err(casevault_core::Error::WrongCredential)),
            "{wrong:?}"
        );
        let with_key = read::verify(
            &out,
            &Unseal::Identities(vec![age::x25519::Identity::generate()]),
            &[],
        );
        assert!(with_key.unwrap_err().to_string().contains("passphrase"));
        // Refusals write nothing: no partial bundle is left either.
        let refused = write::create(
            &mut ngo,
            CreateRequest {
                case_ids: &["no-such-case".to_owned()],
                seal: Seal::Recipients(vec!["age1notakey".into()]),
                language: Language::En,
                organisation: "X",
                out: &dir.path().join("never.cvb"),
            },
        );
        assert!(refused.is_err());
        assert!(
            !dir.path().join("never.cvb").exists() && !dir.path().join("never.partial").exists()
        );
    }
}

/// A correctly signed bundle of `kind` sealed to the fixture identity,
/// holding `files` (with data.json among them); with `corrupt`, that
/// file's bytes are changed after signing.
fn crafted(kind: &str, signer: u8, files: &[(&str, Vec<u8>)], corrupt: Option<&str>) -> Vec<u8> {
    crafted_by("Test NGO", kind, signer, files, corrupt)
}

/// [`crafted`], from an organisation of that name.
fn crafted_by(
    name: &str,
    kind: &str,
    signer: u8,
    files: &[(&str, Vec<u8>)],
    corrupt: Option<&str>,
) -> Vec<u8> {
    let sha = |b: &[u8]| data_encoding::HEXLOWER.encode(&<sha2::Sha256 as sha2::Digest>::digest(b));
    let key = org(signer);
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        bundle_id: "fedcba9876543210fedcba9876543210".into(),
        kind: kind.into(),
        created_at: "2026-11-25T10:00:00.000Z".into(),
        language: Language::En,
        organisation: OrgInfo {
            name: name.into(),
            fingerprint: key.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
            public_key: key.public_key().to_openssh().unwrap(),
        },
        case_ids: vec![],
        redaction: RedactionReport {
            profile: "lawyers".into(),
            withheld: vec![],
            pseudonymised: 0,
            ids_renamed: 0,
        },
        custody: CustodyHead {
            entries: 1,
            head_hash: "00".repeat(32),
        },
        files: files
            .iter()
            .map(|(path, bytes)| BundleFile {
                path: (*path).into(),
                size: bytes.len() as u64,
                sha256: sha(bytes),
                note: None,
                intake_sha256: None,
                metadata_removed: false,
            })
            .collect(),
    };
    let manifest = serde_json::to_vec_pretty(&manifest).unwrap();
    let mut sums = format!("{}  manifest.json\n", sha(&manifest));
    for (path, bytes) in files {
        sums.push_str(&format!("{}  {path}\n", sha(bytes)));
    }
    let sig = key
        .sign(
            SIGNATURE_NAMESPACE,
            ssh_key::HashAlg::Sha512,
            sums.as_bytes(),
        )
        .unwrap()
        .to_pem(ssh_key::LineEnding::LF)
        .unwrap();
    let mut entries: Vec<Entry> = files
        .iter()
        .map(|(path, bytes)| {
            let mut bytes = bytes.clone();
            if corrupt == Some(*path) {
                bytes[0] ^= 1;
            }
            Entry::File(Box::leak(path.to_string().into_boxed_str()), bytes)
        })
        .collect();
    entries.push(Entry::File("manifest.json", manifest));
    entries.push(Entry::File("SHA256SUMS", sums.into_bytes()));
    entries.push(Entry::File("SHA256SUMS.sig", sig.into_bytes()));
    seal(entries)
}

/// The lawyer's side: evidence arrives whole, trust is bound to what was
/// checked, and what comes from outside cannot smuggle control characters.
mod lawyer {
    use std::path::Path;

    use casevault_core::ErrorCode;
    use casevault_core::bundle::Language;
    use casevault_core::bundle::read::{self, Unseal};
    use casevault_core::bundle::receive::{self, Approval};
    use casevault_core::bundle::write::{self, CreateRequest, Seal};
    use casevault_core::crypto::fingerprint;
    use casevault_core::ops::interchange;
    use casevault_core::vault::Vault;
    use casevault_core::vault::attachments::AttachRequest;
    use casevault_core::vault::contacts::NewContact;
    use sha2::{Digest, Sha256};

    use super::{crafted, crafted_by, fixtures, identity, org};
    use crate::common::*;

    fn sample(path: &Path) -> Vault {
        let (mut vault, _) = new_vault(path);
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
        let doc = interchange::parse(&std::fs::read(file).unwrap()).unwrap();
        interchange::import(&mut vault, &doc).unwrap();
        vault
    }

    fn export(ngo: &mut Vault, case: &str, to: &str, out: &Path) {
        write::create(
            ngo,
            CreateRequest {
                case_ids: &[case.to_owned()],
                seal: Seal::Recipients(vec![to.to_owned()]),
                language: Language::En,
                organisation: "Freedom Now NGO",
                out,
            },
        )
        .unwrap();
    }

    /// Every file of a vault but the WAL's shared-memory index, which
    /// readers touch too.
    fn state(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, String> {
        let mut files = snapshot(dir);
        files.retain(|p, _| !p.to_string_lossy().ends_with("-shm"));
        files
    }

    fn sha(bytes: &[u8]) -> String {
        data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
    }

    fn import(
        lawyer: &mut Vault,
        path: &Path,
        trusted: &[String],
        approval: Approval<'_>,
    ) -> casevault_core::Result<read::Verification> {
        let unseal = Unseal::Identities(lawyer.identity_secrets().unwrap());
        receive::import(lawyer, path, &unseal, trusted, &approval, |_, _| {})
    }

    #[test]
    fn every_evidence_file_reaches_the_lawyer_with_its_hash_capture_and_custody() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut ngo = sample(&d.join("ngo"));
        let (mut lawyer, _) = new_vault(&d.join("lawyer"));
        let key = lawyer.create_identity("bundles").unwrap();
        let incident = interchange::export(&ngo)
            .unwrap()
            .incidents
            .into_iter()
            .find(|i| i.case == "case-kurmanov")
            .unwrap()
            .id;
        // A photo with EXIF capture metadata, and a file that crosses age's
        // 64 KiB chunk edges, with a Cyrillic name.
        let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg");
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let big: Vec<u8> = (0..(3 * 65536 + 17))
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect();
        let scan = d.join("протокол допроса.bin");
        std::fs::write(&scan, &big).unwrap();
        let mut sent = Vec::new();
        for (record, source) in [("case-kurmanov", photo.as_path()), (&incident, &scan)] {
            let a = ngo
                .attach(
                    AttachRequest {
                        record_id: record,
                        source,
                        derived_from: None,
                        note: None,
                    },
                    |_, _| {},
                )
                .unwrap();
            sent.push((a, std::fs::read(source).unwrap()));
        }
        assert!(sent[0].0.capture.gps.is_some(), "the fixture carries GPS");

        let out = d.join("kurmanov.cvb");
        export(&mut ngo, "case-kurmanov", &key.recipient, &out);
        let org_key = ngo.org_public_key().unwrap().openssh;
        let v = import(&mut lawyer, &out, &[org_key], Approval::default()).unwrap();
        let provenance = format!("bundle-{}", v.manifest.bundle_id);

        let got = lawyer.all_attachments().unwrap();
        for (a, bytes) in &sent {
            let b = got
                .iter()
                .find(|b| b.sha256 == a.sha256)
                .unwrap_or_else(|| panic!("{} did not arrive", a.original_name));
            assert_eq!(b.record_id, a.record_id, "filed where it belongs");
            assert_eq!(b.original_name, a.original_name);
            assert_eq!((b.size, &b.media_type), (a.size, &a.media_type));
            assert_eq!(b.capture, a.capture, "capture metadata kept");
            let copy = d.join(format!("copy-{}", b.id));
            lawyer
                .save_attachment_copy(&b.id, &copy, |_, _| {})
                .unwrap();
            let back = std::fs::read(&copy).unwrap();
            assert!(back == *bytes, "{} differs", a.original_name);
            assert_eq!(sha(&back), a.sha256);
            let trail = lawyer.custody_log(Some(&b.id)).unwrap();
            assert!(
                trail
                    .iter()
                    .any(|e| e.action == "import" && e.digest.as_deref() == Some(&a.sha256)),
                "{trail:?}"
            );
        }
        // The sender's custody trail is kept on the source record, and it
        // holds the sender's intake entry of each file.
        let kept = lawyer.attachments_of(&provenance).unwrap();
        let custody = kept
            .iter()
            .find(|k| k.original_name == "custody.jsonl")
            .expect("the sender's custody trail is kept");
        let copy = d.join("custody.jsonl");
        lawyer
            .save_attachment_copy(&custody.id, &copy, |_, _| {})
            .unwrap();
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&copy)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        // Attach entries carry the whole attachment row's state digest
        // (issue 14); the file's own hash is in the signed manifest.
        for (a, _) in &sent {
            assert!(lines.iter().any(|e| {
                e["target"] == a.id.as_str()
                    && e["action"] == "attach"
                    && e["digest"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("state1:"))
            }));
        }
        let audit = lawyer.audit_verify(true, |_, _| {}).unwrap();
        assert!(audit.problems.is_empty(), "{:?}", audit.problems);
    }

    #[test]
    fn evidence_that_does_not_match_the_signed_sums_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let doc = br#"{"format":"casevault-interchange","version":1}"#.to_vec();
        let photo = vec![0xffu8; 70_000];
        let files = [("data.json", doc), ("attachments/001-photo.jpg", photo)];
        let trusted = [org(3).public_key().to_openssh().unwrap()];
        let unseal = Unseal::Identities(vec![identity()]);
        let bad = dir.path().join("bad.cvb");
        std::fs::write(
            &bad,
            crafted("case-export", 3, &files, Some("attachments/001-photo.jpg")),
        )
        .unwrap();
        let records_before = interchange::export(&lawyer).unwrap();
        let log_before = lawyer.custody_log(None).unwrap();
        let err = receive::import(
            &mut lawyer,
            &bad,
            &unseal,
            &trusted,
            &Approval::default(),
            |_, _| {},
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleDamaged, "{err}");
        // Nothing was kept: no record, no entry, no attachment, and no
        // encrypted file of the streamed evidence. (The vault's attachment
        // key may have been created on first use; it holds no content.)
        assert_eq!(interchange::export(&lawyer).unwrap(), records_before);
        assert_eq!(lawyer.custody_log(None).unwrap(), log_before);
        assert!(lawyer.all_attachments().unwrap().is_empty());
        assert!(files_under(&dir.path().join("lawyer/attachments")).is_empty());

        // The same bundle intact: its file arrives, filed on the bundle's
        // source record since this bundle carries no evidence index.
        let good = dir.path().join("good.cvb");
        std::fs::write(&good, crafted("case-export", 3, &files, None)).unwrap();
        let v = receive::import(
            &mut lawyer,
            &good,
            &unseal,
            &trusted,
            &Approval::default(),
            |_, _| {},
        )
        .unwrap();
        let got = lawyer.all_attachments().unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].record_id, format!("bundle-{}", v.manifest.bundle_id));
        assert_eq!(got[0].sha256, sha(&files[1].1));
    }

    #[test]
    fn a_bundle_file_is_previewed_from_memory_and_saved_only_when_verified() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let doc = br#"{"format":"casevault-interchange","version":1}"#.to_vec();
        let photo: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let name = "attachments/001-photo.jpg";
        let files = [("data.json", doc), (name, photo.clone())];
        let unseal = Unseal::Identities(vec![identity()]);
        let good = d.join("good.cvb");
        std::fs::write(&good, crafted("case-export", 6, &files, None)).unwrap();
        let bad = d.join("bad.cvb");
        std::fs::write(&bad, crafted("case-export", 6, &files, Some(name))).unwrap();

        let (v, shown) = read::read_evidence(&good, &unseal, &[], name).unwrap();
        assert!(v.problems.is_empty());
        assert!(shown.bytes() == photo.as_slice());
        let err = read::read_evidence(&bad, &unseal, &[], name).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleDamaged);
        let err = read::read_evidence(&good, &unseal, &[], "data.json").unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "only evidence files");

        let out = d.join("saved/photo.jpg");
        std::fs::create_dir(d.join("saved")).unwrap();
        let err = read::save_evidence(&bad, &unseal, &[], name, &out).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleDamaged);
        assert!(
            files_under(&d.join("saved")).is_empty(),
            "nothing left behind"
        );
        read::save_evidence(&good, &unseal, &[], name, &out).unwrap();
        assert_eq!(sha(&std::fs::read(&out).unwrap()), sha(&photo));
        let err = read::save_evidence(&good, &unseal, &[], name, &out).unwrap_err();
        assert_eq!(err.code(), ErrorCode::VaultExists, "never overwritten");
    }

    #[test]
    fn import_is_bound_to_the_reviewed_bundle_and_signer() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut ngo_a = sample(&d.join("a"));
        let mut ngo_b = sample(&d.join("b"));
        let (mut lawyer, _) = new_vault(&d.join("lawyer"));
        let key = lawyer.create_identity("bundles").unwrap();
        let path = d.join("incoming.cvb");
        let b_file = d.join("b.cvb");
        export(&mut ngo_a, "case-kurmanov", &key.recipient, &path);
        export(&mut ngo_b, "case-kurmanov", &key.recipient, &b_file);
        let a_file = d.join("a-copy.cvb");
        std::fs::copy(&path, &a_file).unwrap();

        // The lawyer reviews A (an untrusted signer) ...
        let unseal = Unseal::Identities(lawyer.identity_secrets().unwrap());
        let (reviewed, _) = read::read_data(&path, &unseal, &[]).unwrap();
        let reviewed_fp = reviewed.signer_fingerprint.clone();
        let approval = Approval {
            bundle_id: Some(&reviewed.manifest.bundle_id),
            signer_fingerprint: Some(&reviewed_fp),
            accept_untrusted: true,
        };
        // ... and the file is swapped for B, signed by another key.
        std::fs::copy(&b_file, &path).unwrap();
        let before = state(&d.join("lawyer"));
        let err = import(&mut lawyer, &path, &[], approval).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UntrustedSigner, "{err}");
        assert_eq!(state(&d.join("lawyer")), before, "the vault is unchanged");

        // Accepting "whoever signed it" is not an approval.
        std::fs::copy(&a_file, &path).unwrap();
        let blind = Approval {
            accept_untrusted: true,
            ..Approval::default()
        };
        let err = import(&mut lawyer, &path, &[], blind).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UntrustedSigner);
        // Another bundle by the same signer is not the one reviewed either.
        let other = Approval {
            bundle_id: Some("00000000000000000000000000000000"),
            ..approval
        };
        let err = import(&mut lawyer, &path, &[], other).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(state(&d.join("lawyer")), before);

        // The reviewed bundle itself imports, the fingerprint compared
        // however it is grouped.
        let grouped = fingerprint::grouped(&reviewed_fp);
        let v = import(
            &mut lawyer,
            &path,
            &[],
            Approval {
                signer_fingerprint: Some(&grouped),
                ..approval
            },
        )
        .unwrap();
        assert_eq!(v.manifest.bundle_id, reviewed.manifest.bundle_id);
    }

    #[test]
    fn a_self_report_is_refused_at_bundle_import() {
        let dir = tempfile::tempdir().unwrap();
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let doc = br#"{"format":"casevault-interchange","version":1}"#.to_vec();
        let report = dir.path().join("report.cvb");
        std::fs::write(
            &report,
            crafted("self-report", 4, &[("data.json", doc)], None),
        )
        .unwrap();
        let trusted = [org(4).public_key().to_openssh().unwrap()];
        let before = state(&dir.path().join("lawyer"));
        let err = receive::import(
            &mut lawyer,
            &report,
            &Unseal::Identities(vec![identity()]),
            &trusted,
            &Approval::default(),
            |_, _| {},
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert_eq!(state(&dir.path().join("lawyer")), before);
    }

    #[test]
    fn open_checks_the_signer_before_extracting_anything() {
        let dir = tempfile::tempdir().unwrap();
        let good = fixtures().join("good.cvb");
        let unseal = Unseal::Identities(vec![identity()]);
        let out = dir.path().join("out");
        let stranger = org(9).public_key().to_openssh().unwrap();
        let err = read::open(&good, &unseal, &[stranger], true, &out).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UntrustedSigner);
        let err = read::open(&good, &unseal, &[], false, &out).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UntrustedSigner);
        assert!(
            files_under(dir.path()).is_empty() && !out.exists(),
            "nothing was extracted"
        );
        let signer = org(1).public_key().to_openssh().unwrap();
        read::open(&good, &unseal, &[signer], false, &out).unwrap();
        assert!(out.join("data.json").exists());
    }

    #[test]
    fn records_with_control_or_direction_characters_are_refused_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let trusted = [org(5).public_key().to_openssh().unwrap()];
        for (field, text) in [
            ("description", "Arrested \u{1b}[2J\u{1b}[31mreleased"),
            ("title", "Detention \u{202e}gpj.exe"),
            ("description", "Line\rover"),
            ("description", "C1 \u{9b}31m"),
        ] {
            let mut incident = serde_json::json!({
                "id": "inc-x", "case": "case-x", "title": "Detention",
                "act_type": "assault", "start": "2008",
                "description": "Line one\n\tindented"
            });
            incident[field] = text.into();
            let doc = serde_json::json!({
                "format": "casevault-interchange", "version": 1,
                "cases": [{"id": "case-x", "title": "X", "status": "open"}],
                "incidents": [incident]
            });
            let bundle = dir.path().join("ctl.cvb");
            let _ = std::fs::remove_file(&bundle);
            std::fs::write(
                &bundle,
                crafted(
                    "case-export",
                    5,
                    &[("data.json", doc.to_string().into_bytes())],
                    None,
                ),
            )
            .unwrap();
            let before = state(&dir.path().join("lawyer"));
            let err = receive::import(
                &mut lawyer,
                &bundle,
                &Unseal::Identities(vec![identity()]),
                &trusted,
                &Approval::default(),
                |_, _| {},
            )
            .unwrap_err();
            assert_eq!(err.code(), ErrorCode::ImportRejected, "{text:?}: {err}");
            match err {
                casevault_core::Error::ImportRejected { problems } => {
                    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    assert_eq!(problems.len(), 1, "{problems:?}");
                    assert!(problems[0].contains(field), "names the field: {problems:?}");
                }
                other => panic!("{other}"),
            }
            assert_eq!(state(&dir.path().join("lawyer")), before);
        }
    }

    #[test]
    fn a_sender_name_with_control_characters_reaches_neither_records_nor_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let doc = br#"{"format":"casevault-interchange","version":1}"#.to_vec();
        let bundle = dir.path().join("b.cvb");
        std::fs::write(
            &bundle,
            crafted_by(
                "NGO \u{1b}[2J\u{202e}evil",
                "case-export",
                7,
                &[
                    ("data.json", doc),
                    ("attachments/001-a.txt", b"text".to_vec()),
                ],
                None,
            ),
        )
        .unwrap();
        let trusted = [org(7).public_key().to_openssh().unwrap()];
        receive::import(
            &mut lawyer,
            &bundle,
            &Unseal::Identities(vec![identity()]),
            &trusted,
            &Approval::default(),
            |_, _| {},
        )
        .unwrap();
        let bad = |t: &str| t.contains('\u{1b}') || t.contains('\u{202e}');
        for e in lawyer.custody_log(None).unwrap() {
            assert!(!bad(e.detail.as_deref().unwrap_or("")), "{e:?}");
        }
        for a in lawyer.all_attachments().unwrap() {
            assert!(!bad(a.note.as_deref().unwrap_or("")));
        }
        let sources = interchange::export(&lawyer).unwrap().sources;
        assert!(sources.iter().all(|s| !bad(&s.citation)) && !sources.is_empty());
    }

    #[test]
    fn the_org_key_fingerprint_is_what_ssh_keygen_prints_and_contacts_show_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let mut ngo = sample(&dir.path().join("ngo"));
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let org_key = ngo.org_public_key().unwrap();
        let pubfile = dir.path().join("org-key.pub");
        std::fs::write(&pubfile, format!("{}\n", org_key.openssh)).unwrap();
        let out = std::process::Command::new("ssh-keygen")
            .arg("-l")
            .arg("-f")
            .arg(&pubfile)
            .output()
            .expect("ssh-keygen is installed");
        assert!(out.status.success());
        let printed = String::from_utf8(out.stdout).unwrap();
        let theirs = printed.split_whitespace().nth(1).unwrap();
        // Screens group it in fours to read aloud; the characters are
        // exactly ssh-keygen's.
        assert_eq!(org_key.fingerprint.replace(' ', ""), theirs, "{printed}");
        assert_eq!(org_key.fingerprint, fingerprint::grouped(theirs));

        let c = lawyer
            .add_contact(NewContact {
                name: "Freedom Now NGO",
                organisation: None,
                key: &org_key.openssh,
                verified_on: None,
            })
            .unwrap();
        assert_eq!(c.fingerprint, org_key.fingerprint);
        assert_eq!(
            lawyer.contacts().unwrap()[0].fingerprint,
            fingerprint::grouped(theirs)
        );
        assert!(fingerprint::same(
            &fingerprint::grouped(theirs),
            &c.fingerprint
        ));
        // The bundle names its signer the same way.
        let key = lawyer.create_identity("bundles").unwrap();
        let out = dir.path().join("b.cvb");
        export(&mut ngo, "case-kurmanov", &key.recipient, &out);
        let unseal = Unseal::Identities(lawyer.identity_secrets().unwrap());
        let v = read::verify(&out, &unseal, std::slice::from_ref(&c.recipient)).unwrap();
        assert_eq!(v.signer_fingerprint, org_key.fingerprint);
        assert_eq!(v.signer_trusted, Some(true));

        // Marked verified after it was added; an unknown contact is refused.
        assert_eq!(c.verified_on, None);
        let marked = lawyer
            .mark_contact_verified(&c.id, Some("2026-11-24"))
            .unwrap();
        assert_eq!(marked.verified_on.as_deref(), Some("2026-11-24"));
        let today = lawyer.mark_contact_verified(&c.id, None).unwrap();
        assert_eq!(today.verified_on.as_deref(), Some("2026-11-25"));
        let before = lawyer.contacts().unwrap();
        let err = lawyer
            .mark_contact_verified("no-such-contact", None)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        let err = lawyer
            .mark_contact_verified(&c.id, Some("24.11.2026"))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(lawyer.contacts().unwrap(), before);
    }
}
