//! The custody log as an RFC 9162 Merkle tree: every entry a bundle exports
//! carries an inclusion proof against the signed checkpoint's root, checked
//! by the bundle reader and by the Python verifier shipped in the bundle;
//! consistency proofs link checkpoints; the schema-8 vault migrates.
//!
//! A tampered bundle here is re-signed with the organisation's own key, so
//! that only the proofs stand between it and acceptance.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use casevault_core::ErrorCode;
use casevault_core::bundle::read::{self, Unseal};
use casevault_core::bundle::write::{self, CreateRequest, Seal};
use casevault_core::bundle::{Language, SIGNATURE_NAMESPACE};
use casevault_core::ops::interchange;
use casevault_core::vault::Vault;
use casevault_core::vault::custody::{self, CustodyEntry, CustodyProof};
use casevault_core::vault::org_key::{CHECKPOINT_NAMESPACE, parse_checkpoint};
use sha2::Digest;

use crate::common::*;

/// The caseworker's OS account: it must never reach a lawyer, not even
/// as something a guess can be tested against.
const OS_USER: &str = "aigul.k.laptop";

type Files = Vec<(String, Vec<u8>)>;

struct Exported {
    dir: tempfile::TempDir,
    vault: Vault,
    lawyer: age::x25519::Identity,
    files: Files,
}

fn sha_hex(b: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(b))
}

fn unpack(bundle: &Path, id: &age::x25519::Identity) -> Files {
    let dec = age::Decryptor::new(std::fs::File::open(bundle).unwrap()).unwrap();
    let reader = dec
        .decrypt(std::iter::once(id as &dyn age::Identity))
        .unwrap();
    let mut archive = tar::Archive::new(reader);
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.push((path, bytes));
    }
    out
}

fn get<'a>(files: &'a Files, name: &str) -> &'a [u8] {
    &files.iter().find(|(p, _)| p == name).unwrap().1
}

fn set(files: &mut Files, name: &str, bytes: Vec<u8>) {
    files.iter_mut().find(|(p, _)| p == name).unwrap().1 = bytes;
}

/// Seals `files` as a bundle again, with the manifest, SHA256SUMS and both
/// signatures redone by the organisation key: a forgery by someone who
/// holds it, which only the Merkle proofs can catch.
fn repack(mut files: Files, vault: &Vault, to: &age::x25519::Recipient, out: &Path) {
    let key = vault.org_key().unwrap();
    let checkpoint = get(&files, "checkpoint.txt").to_vec();
    set(
        &mut files,
        "checkpoint.txt.sig",
        key.sign(CHECKPOINT_NAMESPACE, &checkpoint)
            .unwrap()
            .into_bytes(),
    );
    let mut manifest: serde_json::Value =
        serde_json::from_slice(get(&files, "manifest.json")).unwrap();
    for f in manifest["files"].as_array_mut().unwrap() {
        let path = f["path"].as_str().unwrap().to_owned();
        let bytes = get(&files, &path);
        f["size"] = serde_json::json!(bytes.len());
        f["sha256"] = serde_json::json!(sha_hex(bytes));
    }
    let manifest_bytes = serde_json::to_string_pretty(&manifest)
        .unwrap()
        .into_bytes();
    let mut sums = format!("{}  manifest.json\n", sha_hex(&manifest_bytes));
    for f in manifest["files"].as_array().unwrap() {
        sums.push_str(&format!(
            "{}  {}\n",
            f["sha256"].as_str().unwrap(),
            f["path"].as_str().unwrap()
        ));
    }
    let sig = key.sign(SIGNATURE_NAMESPACE, sums.as_bytes()).unwrap();
    set(&mut files, "manifest.json", manifest_bytes);
    set(&mut files, "SHA256SUMS", sums.into_bytes());
    set(&mut files, "SHA256SUMS.sig", sig.into_bytes());
    let enc = age::Encryptor::with_recipients(std::iter::once(to as &dyn age::Recipient)).unwrap();
    let file = std::fs::File::create(out).unwrap();
    let w = enc.wrap_output(file).unwrap();
    let mut tar = tar::Builder::new(w);
    for (name, bytes) in &files {
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        h.set_size(bytes.len() as u64);
        tar.append_data(&mut h, name, &bytes[..]).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

fn export() -> Exported {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault_as(&dir.path().join("ngo"), OS_USER);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
    let doc = interchange::parse(&std::fs::read(sample).unwrap()).unwrap();
    interchange::import(&mut vault, &doc).unwrap();
    // More history after the import, so the tree has a few levels and
    // entries that do not leave.
    for i in 0..9 {
        vault
            .insert_record("note", &note(&format!("note {i}")))
            .unwrap();
    }
    let lawyer = age::x25519::Identity::generate();
    let out = dir.path().join("b.cvb");
    write::create(
        &mut vault,
        CreateRequest {
            case_ids: &["case-moldashev".to_owned()],
            seal: Seal::Recipients(vec![lawyer.to_public().to_string()]),
            language: Language::En,
            organisation: "Freedom Now NGO",
            out: &out,
        },
    )
    .unwrap();
    let files = unpack(&out, &lawyer);
    Exported {
        dir,
        vault,
        lawyer,
        files,
    }
}

impl Exported {
    /// What the Rust reader says of these files, sealed as a bundle.
    fn read(&self, files: Files, name: &str) -> casevault_core::Result<()> {
        let path = self.dir.path().join(name);
        repack(files, &self.vault, &self.lawyer.to_public(), &path);
        read::read_data(&path, &Unseal::Identities(vec![self.lawyer.clone()]), &[]).map(|_| ())
    }

    /// The exit status of the bundle's own verify_custody.py, run with
    /// python3 on these files written to a folder.
    fn python(&self, files: &Files, name: &str) -> Option<i32> {
        let folder = self.dir.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        for (p, bytes) in files {
            if !p.contains('/') {
                std::fs::write(folder.join(p), bytes).unwrap();
            }
        }
        let out = Command::new("python3")
            .arg(folder.join("verify_custody.py"))
            .arg(&folder)
            .output()
            .expect("python3 runs");
        out.status.code()
    }
}

fn proofs(files: &Files) -> Vec<CustodyProof> {
    String::from_utf8(get(files, "custody-proofs.jsonl").to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn entries(files: &Files) -> Vec<CustodyEntry> {
    String::from_utf8(get(files, "custody.jsonl").to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Flips one hex digit of `s` at `at` (0↔1, a↔b, …): one changed byte in
/// the file.
fn flip_hex(s: &str, at: usize) -> String {
    let mut b = s.as_bytes().to_vec();
    b[at] = match b[at] {
        b'0'..=b'8' | b'a'..=b'e' => b[at] + 1,
        b'9' => b'0',
        _ => b'a',
    };
    String::from_utf8(b).unwrap()
}

#[test]
fn every_exported_entry_is_proven_in_the_signed_tree_without_revealing_redactions() {
    let ex = export();
    let files = &ex.files;
    let shown = entries(files);
    let proofs = proofs(files);
    assert!(shown.len() >= 5, "{}", shown.len());
    assert_eq!(shown.len(), proofs.len());
    let claim =
        parse_checkpoint(std::str::from_utf8(get(files, "checkpoint.txt")).unwrap()).unwrap();
    let root = claim.root.expect("a v2 checkpoint with a Merkle root");
    // The tree covers the whole log at signing time, not only what left.
    assert!(claim.entries > shown.len() as u64);
    assert!(custody::verify_proofs(&shown, &proofs, claim.entries, &root).is_empty());

    // The caseworker's account was relabelled: its field goes out as a
    // commitment only, the entry loses the chain hashes a guess could be
    // tested against, and the account name is nowhere in the custody files.
    for (e, p) in shown.iter().zip(&proofs) {
        assert_ne!(e.actor, OS_USER);
        let actor = &p.fields[1];
        assert_eq!(actor.field, "actor");
        assert!(actor.salt.is_none() && actor.commitment.is_some());
        assert!(e.hash.is_empty() && e.prev_hash.is_empty());
        // Fields shown as logged are opened with their salt.
        assert!(p.fields[2].salt.is_some(), "action is never redacted");
    }
    for name in [
        "custody.jsonl",
        "custody-proofs.jsonl",
        "dossier.html",
        "README.txt",
    ] {
        assert!(!contains_text(get(files, name), OS_USER), "{name}");
    }
    let readme = String::from_utf8(get(files, "README.txt").to_vec()).unwrap();
    assert!(readme.contains("python3 verify_custody.py"));
    assert!(readme.contains(CHECKPOINT_NAMESPACE));

    // The bundle as written passes the reader and the shipped verifier.
    ex.read(files.clone(), "same.cvb").unwrap();
    assert_eq!(ex.python(files, "py-same"), Some(0));
}

#[test]
fn a_changed_byte_in_any_proof_leaf_or_root_is_refused_by_reader_and_python() {
    let ex = export();
    let files = &ex.files;
    let proof_lines: Vec<String> = String::from_utf8(get(files, "custody-proofs.jsonl").to_vec())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let proofs = proofs(files);
    let with_path = proofs
        .iter()
        .position(|p| !p.audit_path.is_empty())
        .unwrap();
    let text = |lines: &[String]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();

    let mut cases: Vec<(&str, Files)> = Vec::new();
    // A hash of the audit path.
    {
        let mut lines = proof_lines.clone();
        let h = &proofs[with_path].audit_path[0];
        lines[with_path] = lines[with_path].replacen(h, &flip_hex(h, 17), 1);
        let mut f = files.clone();
        set(&mut f, "custody-proofs.jsonl", text(&lines).into_bytes());
        cases.push(("audit-path", f));
    }
    // A salt (a field shown as logged) and a commitment (a redacted one).
    for (label, pick) in [("salt", 2usize), ("commitment", 1usize)] {
        let mut lines = proof_lines.clone();
        let o = &proofs[0].fields[pick];
        let h = o.salt.as_ref().or(o.commitment.as_ref()).unwrap();
        lines[0] = lines[0].replacen(h, &flip_hex(h, 5), 1);
        let mut f = files.clone();
        set(&mut f, "custody-proofs.jsonl", text(&lines).into_bytes());
        cases.push((label, f));
    }
    // The leaf: a shown field of an entry, one byte changed.
    {
        let custody = String::from_utf8(get(files, "custody.jsonl").to_vec()).unwrap();
        let e = &entries(files)[0];
        let digest = e.digest.as_ref().unwrap();
        let mut f = files.clone();
        set(
            &mut f,
            "custody.jsonl",
            custody
                .replacen(digest, &flip_hex(digest, 0), 1)
                .into_bytes(),
        );
        cases.push(("leaf", f));
    }
    // The root in the checkpoint (re-signed, so only the proofs object).
    {
        let cp = String::from_utf8(get(files, "checkpoint.txt").to_vec()).unwrap();
        let root_at = cp.find("root: ").unwrap() + "root: ".len();
        let mut f = files.clone();
        set(
            &mut f,
            "checkpoint.txt",
            format!("{}{}", &cp[..root_at], flip_hex(&cp[root_at..], 40)).into_bytes(),
        );
        cases.push(("root", f));
    }
    // A proof left out.
    {
        let mut f = files.clone();
        set(
            &mut f,
            "custody-proofs.jsonl",
            text(&proof_lines[1..]).into_bytes(),
        );
        cases.push(("dropped", f));
    }
    for (label, f) in cases {
        let err = ex.read(f.clone(), &format!("{label}.cvb")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleDamaged, "{label}: {err}");
        assert_eq!(ex.python(&f, &format!("py-{label}")), Some(1), "{label}");
    }
    // Nothing in the vault changed while bundles were checked.
    let report = ex.vault.audit_verify(false, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn consistency_proofs_show_growth_and_catch_a_rewritten_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    for i in 0..5 {
        vault
            .insert_record("note", &note(&format!("a{i}")))
            .unwrap();
    }
    let old = vault.custody_checkpoint().unwrap();
    for i in 0..11 {
        vault
            .insert_record("note", &note(&format!("b{i}")))
            .unwrap();
    }
    let new = vault.custody_checkpoint().unwrap();
    let check = vault
        .check_consistency((&old.text, &old.signature), (&new.text, &new.signature))
        .unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    assert_eq!((check.old_size, check.new_size), (old.entries, new.entries));
    assert!(!check.proof.is_empty());
    // The proof is the RFC's: it verifies on its own against both roots,
    // and not with one hash changed.
    let hashes: Vec<_> = check
        .proof
        .iter()
        .map(|h| casevault_core::crypto::merkle::from_hex(h).unwrap())
        .collect();
    let root = |c: &casevault_core::vault::org_key::Checkpoint| {
        casevault_core::crypto::merkle::from_hex(&c.root).unwrap()
    };
    use casevault_core::crypto::merkle::verify_consistency;
    assert!(verify_consistency(
        old.entries,
        &root(&old),
        new.entries,
        &root(&new),
        &hashes
    ));
    for k in 0..hashes.len() {
        let mut bad = hashes.clone();
        bad[k][3] ^= 0x10;
        assert!(!verify_consistency(
            old.entries,
            &root(&old),
            new.entries,
            &root(&new),
            &bad
        ));
    }
    assert!(
        vault
            .verify_checkpoint(&old.text, &old.signature)
            .unwrap()
            .is_empty()
    );

    // A fork: the vault as it was before the first checkpoint (a backup,
    // a seized image) grows a different history, and its checkpoint is
    // signed with the same key. It cannot be linked to the first one.
    let fork_path = dir.path().join("fork");
    vault.lock();
    let mut vault = Vault::open(&dir.path().join("v"), &pass(PASS), session()).unwrap();
    let first = vault.custody_checkpoint().unwrap();
    vault.lock();
    copy_dir(&dir.path().join("v"), &fork_path);
    let mut vault = Vault::open(&dir.path().join("v"), &pass(PASS), session()).unwrap();
    let mut fork = Vault::open(&fork_path, &pass(PASS), session()).unwrap();
    vault
        .insert_record("note", &note("the real next entry"))
        .unwrap();
    let real = vault.custody_checkpoint().unwrap();
    fork.insert_record("note", &note("a rewritten entry"))
        .unwrap();
    for i in 0..6 {
        fork.insert_record("note", &note(&format!("c{i}"))).unwrap();
    }
    let forged = fork.custody_checkpoint().unwrap();
    assert!(forged.entries > real.entries);
    let ok = fork
        .check_consistency(
            (&first.text, &first.signature),
            (&forged.text, &forged.signature),
        )
        .unwrap();
    assert!(ok.problems.is_empty(), "{:?}", ok.problems);
    let check = fork
        .check_consistency(
            (&real.text, &real.signature),
            (&forged.text, &forged.signature),
        )
        .unwrap();
    assert!(!check.problems.is_empty(), "a fork must not pass as growth");
    assert!(
        !fork
            .verify_checkpoint(&real.text, &real.signature)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_schema_8_vault_migrates_and_its_old_checkpoint_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    copy_dir(&fixtures.join("vault-schema-8"), &path);
    let old_text = std::fs::read_to_string(fixtures.join("vault-schema-8-checkpoint.txt")).unwrap();
    let old_sig =
        std::fs::read_to_string(fixtures.join("vault-schema-8-checkpoint.txt.sig")).unwrap();
    assert!(parse_checkpoint(&old_text).unwrap().root.is_none(), "v1");

    let mut vault = Vault::open(
        &path,
        &pass("fixture vault passphrase: amber kettle horizon 1989"),
        session(),
    )
    .unwrap();
    assert_eq!(
        vault.status().unwrap().schema_version,
        casevault_core::vault::migrations::SCHEMA_VERSION
    );
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // The checkpoint signed before the upgrade still vouches for the log.
    assert!(
        vault
            .verify_checkpoint(&old_text, &old_sig)
            .unwrap()
            .is_empty()
    );
    // New checkpoints carry a root over every entry, old ones included,
    // and the old entries leave in a bundle with proofs that verify.
    let new = vault.custody_checkpoint().unwrap();
    assert_eq!(new.entries, report.entries);
    assert!(
        vault
            .verify_checkpoint(&new.text, &new.signature)
            .unwrap()
            .is_empty()
    );
    let lawyer = age::x25519::Identity::generate();
    let out = dir.path().join("b.cvb");
    write::create(
        &mut vault,
        CreateRequest {
            case_ids: &["case-s8".to_owned()],
            seal: Seal::Recipients(vec![lawyer.to_public().to_string()]),
            language: Language::En,
            organisation: "Freedom Now NGO",
            out: &out,
        },
    )
    .unwrap();
    read::read_data(&out, &Unseal::Identities(vec![lawyer.clone()]), &[]).unwrap();
    let files = unpack(&out, &lawyer);
    let shown = entries(&files);
    assert!(shown.iter().any(|e| e.action == "attach" && e.seq <= 6));
    let ex = Exported {
        dir,
        vault,
        lawyer,
        files: files.clone(),
    };
    assert_eq!(ex.python(&files, "py-s8"), Some(0));
    // Reopening does not make another leaf key or change the tree.
    let Exported { dir, vault, .. } = ex;
    vault.lock();
    let vault = Vault::open(
        &dir.path().join("v"),
        &pass("fixture vault passphrase: amber kettle horizon 1989"),
        session(),
    )
    .unwrap();
    assert!(
        vault
            .verify_checkpoint(&new.text, &new.signature)
            .unwrap()
            .is_empty()
    );
}
