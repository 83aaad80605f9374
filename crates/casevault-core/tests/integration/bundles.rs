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
            read::open(&path, &unseal, &[], &target).is_err(),
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
    read::open(&good, &unseal, &[], &dir.path().join("x")).unwrap();
    assert!(dir.path().join("x/data.json").exists());
}

mod round_trip {
    use casevault_core::bundle::Language;
    use casevault_core::bundle::read::{self, Unseal};
    use casevault_core::bundle::receive;
    use casevault_core::bundle::write::{self, CreateRequest, Seal};
    use casevault_core::model::interchange;
    use casevault_core::vault::Vault;

    use crate::common::*;

    fn sample(path: &std::path::Path) -> Vault {
        let (mut vault, _) = new_vault(path);
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../samples/kazakhstan-report.json");
        let doc = interchange::parse(&std::fs::read(file).unwrap()).unwrap();
        interchange::import(&mut vault, &doc, "t", now()).unwrap();
        vault
    }

    #[test]
    fn ngo_to_lawyer_and_back_equals_the_original_except_provenance() {
        let dir = tempfile::tempdir().unwrap();
        let mut ngo = sample(&dir.path().join("ngo"));
        let (mut lawyer, _) = new_vault(&dir.path().join("lawyer"));
        let key = lawyer.create_identity("bundles", now()).unwrap();
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
            "caseworker",
            now(),
        )
        .unwrap();
        assert_eq!(
            ngo.custody_log(None).unwrap().last().unwrap().action,
            "export"
        );
        let org_key = ngo.org_public_key().unwrap().openssh;
        let unseal = Unseal::Identities(lawyer.identity_secrets().unwrap());

        // Untrusted signer: refused until accepted knowingly.
        assert!(receive::import(&mut lawyer, &out, &unseal, &[], false, "lawyer", now()).is_err());
        let v = receive::import(
            &mut lawyer,
            &out,
            &unseal,
            std::slice::from_ref(&org_key),
            false,
            "lawyer",
            now(),
        )
        .unwrap();
        assert_eq!(v.signer_trusted, Some(true));
        // Twice: recognised, nothing duplicated.
        let again = receive::import(
            &mut lawyer,
            &out,
            &unseal,
            &[org_key],
            false,
            "lawyer",
            now(),
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
            "t",
            now(),
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
            "t",
            now(),
        );
        assert!(refused.is_err());
        assert!(
            !dir.path().join("never.cvb").exists() && !dir.path().join("never.partial").exists()
        );
    }
}
