//! The real `casevault` binary checks the custody trail's Merkle proofs in
//! a bundle, and links checkpoints by consistency proofs.

use std::io::{Read, Write};
use std::path::Path;

use age::secrecy::ExposeSecret;
use casevault_core::bundle::SIGNATURE_NAMESPACE;
use casevault_core::crypto::hash::sha256_hex;
use casevault_core::secret::Passphrase;
use casevault_core::vault::org_key::CHECKPOINT_NAMESPACE;
use casevault_core::vault::{Credential, Vault};

mod common;
use common::*;

type Files = Vec<(String, Vec<u8>)>;

fn unpack(bundle: &Path, id: &age::x25519::Identity) -> Files {
    let dec = age::Decryptor::new(std::fs::File::open(bundle).unwrap()).unwrap();
    let mut archive = tar::Archive::new(
        dec.decrypt(std::iter::once(id as &dyn age::Identity))
            .unwrap(),
    );
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

/// Seals `files` again with the manifest, sums and both signatures redone
/// by the organisation's own key: only the proofs can catch the change.
fn repack(mut files: Files, vault_dir: &Path, to: &age::x25519::Recipient, out: &Path) {
    // Read-only use: the session's author and time are never written.
    let session = casevault_core::Session::new("test", casevault_core::Clock::system());
    let vault = Vault::open(
        vault_dir,
        &Credential::Passphrase(Passphrase::from(PASS)),
        session,
    )
    .unwrap();
    let key = vault.org_key().unwrap();
    let cp = get(&files, "checkpoint.txt").to_vec();
    set(
        &mut files,
        "checkpoint.txt.sig",
        key.sign(CHECKPOINT_NAMESPACE, &cp).unwrap().into_bytes(),
    );
    let mut manifest: serde_json::Value =
        serde_json::from_slice(get(&files, "manifest.json")).unwrap();
    for f in manifest["files"].as_array_mut().unwrap() {
        let path = f["path"].as_str().unwrap().to_owned();
        let bytes = get(&files, &path);
        f["size"] = serde_json::json!(bytes.len());
        f["sha256"] = serde_json::json!(sha256_hex(bytes));
    }
    let manifest_bytes = serde_json::to_string_pretty(&manifest)
        .unwrap()
        .into_bytes();
    let mut sums = format!("{}  manifest.json\n", sha256_hex(&manifest_bytes));
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
    vault.lock();
    let enc = age::Encryptor::with_recipients(std::iter::once(to as &dyn age::Recipient)).unwrap();
    let w = enc
        .wrap_output(std::fs::File::create(out).unwrap())
        .unwrap();
    let mut tar = tar::Builder::new(w);
    for (name, bytes) in &files {
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        h.set_size(bytes.len() as u64);
        tar.append_data(&mut h, name, &bytes[..]).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

fn flip_hex(s: &str, at: usize) -> String {
    let mut b = s.as_bytes().to_vec();
    b[at] = if b[at] == b'0' { b'1' } else { b'0' };
    String::from_utf8(b).unwrap()
}

#[test]
fn bundle_verify_refuses_a_bundle_whose_custody_proofs_do_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vault = d.join("ngo");
    sample_vault(&vault);
    let lawyer = age::x25519::Identity::generate();
    let key = d.join("lawyer.txt");
    std::fs::write(&key, format!("{}\n", lawyer.to_string().expose_secret())).unwrap();
    let bundle = d.join("b.cvb");
    succeeded(run(
        &vault,
        &[
            "bundle",
            "create",
            "--case",
            "case-kurmanov",
            "--recipient",
            &lawyer.to_public().to_string(),
            "--organisation",
            "Freedom Now NGO",
            "--out",
            bundle.to_str().unwrap(),
        ],
    ));
    let verify = |b: &Path| {
        run(
            &vault,
            &[
                "bundle",
                "verify",
                b.to_str().unwrap(),
                "-i",
                key.to_str().unwrap(),
                "--accept-unknown-signer",
            ],
        )
    };
    succeeded(verify(&bundle));

    let files = unpack(&bundle, &lawyer);
    // Re-sealed unchanged: still fine (the repacking itself is sound).
    let same = d.join("same.cvb");
    repack(files.clone(), &vault, &lawyer.to_public(), &same);
    succeeded(verify(&same));

    let proofs = String::from_utf8(get(&files, "custody-proofs.jsonl").to_vec()).unwrap();
    let first: serde_json::Value = serde_json::from_str(proofs.lines().next().unwrap()).unwrap();
    let node = first["audit_path"][0].as_str().unwrap();
    let cp = String::from_utf8(get(&files, "checkpoint.txt").to_vec()).unwrap();
    let root_at = cp.find("root: ").unwrap() + "root: ".len();
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "audit-path",
            "custody-proofs.jsonl",
            proofs.replacen(node, &flip_hex(node, 9), 1),
        ),
        (
            "root",
            "checkpoint.txt",
            format!("{}{}", &cp[..root_at], flip_hex(&cp[root_at..], 3)),
        ),
    ];
    for (label, file, changed) in cases {
        let mut f = files.clone();
        set(&mut f, file, changed.into_bytes());
        let out_path = d.join(format!("{label}.cvb"));
        repack(f, &vault, &lawyer.to_public(), &out_path);
        let out = verify(&out_path);
        assert_eq!(
            out.status.code(),
            Some(EXIT_BUNDLE_DAMAGED),
            "{label}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
}

#[test]
fn audit_consistency_links_checkpoints_and_refuses_a_fork() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vault = d.join("ngo");
    sample_vault(&vault);
    let cp = |v: &Path, name: &str| {
        let f = d.join(name);
        succeeded(run(
            v,
            &["audit", "checkpoint", "--out", f.to_str().unwrap()],
        ));
        f.to_str().unwrap().to_owned()
    };
    let grow = |v: &Path, tag: &str| {
        let f = d.join(format!("{tag}.txt"));
        std::fs::write(&f, tag).unwrap();
        succeeded(run(v, &["attach", "case-kurmanov", f.to_str().unwrap()]));
    };
    let a = cp(&vault, "a.txt");
    copy_dir(&vault, &d.join("fork"));
    grow(&vault, "real");
    let b = cp(&vault, "b.txt");

    let out = succeeded(run(&vault, &["audit", "consistency", &a, &b, "--json"]));
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(check["new_size"].as_u64() > check["old_size"].as_u64());
    assert!(!check["proof"].as_array().unwrap().is_empty());
    assert_eq!(check["problems"].as_array().unwrap().len(), 0);
    succeeded(run(
        &vault,
        &["audit", "verify", "--quick", "--checkpoint", &a],
    ));
    // Given the wrong way round: refused.
    let out = run(&vault, &["audit", "consistency", &b, &a]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_TAMPERED),
        "{}",
        text(&out.stdout)
    );

    // The copy taken at checkpoint a grows another history, signed with
    // the same key: it extends a but is no extension of b.
    let fork = d.join("fork");
    grow(&fork, "forged-one");
    grow(&fork, "forged-two");
    let c = cp(&fork, "c.txt");
    succeeded(run(&fork, &["audit", "consistency", &a, &c]));
    let out = run(&fork, &["audit", "consistency", &b, &c]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_TAMPERED),
        "{}",
        text(&out.stdout)
    );
    let out = run(&fork, &["audit", "verify", "--quick", "--checkpoint", &b]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_TAMPERED),
        "{}",
        text(&out.stdout)
    );
}
