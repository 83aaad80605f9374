//! `casevault rekey` through the real binary on a real vault: the data
//! reads back identical, and what was copied before opens nothing after.

use std::path::{Path, PathBuf};

mod common;
use common::*;

/// Every file under `dir` with its bytes, for "nothing changed".
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn rekey_rotates_every_key_and_old_copies_open_nothing_new() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let out = init_with(&vault, &[]);
    let old_recovery = text(&out.stdout).trim().to_owned();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
    succeeded(run_as(&vault, &["import", sample.to_str().unwrap()], PASS));
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg");
    let id = text(
        &succeeded(run_as(
            &vault,
            &["attach", "case-kurmanov", photo.to_str().unwrap()],
            PASS,
        ))
        .stdout,
    )
    .trim()
    .to_owned();
    let records_before = succeeded(run_as(&vault, &["cases", "ls", "--json"], PASS)).stdout;
    let case_before = succeeded(run_as(
        &vault,
        &["case", "show", "case-kurmanov", "--json"],
        PASS,
    ))
    .stdout;
    let before = tmp.path().join("before");
    copy_dir(&vault, &before);

    // A wrong passphrase changes nothing.
    let files = snapshot(&vault);
    let out = run_as(&vault, &["rekey"], "not the passphrase at all 42");
    assert_eq!(out.status.code(), Some(EXIT_WRONG_CREDENTIAL));
    assert_eq!(snapshot(&vault), files);

    let out = succeeded(run_as(&vault, &["rekey"], PASS));
    let new_recovery = text(&out.stdout).trim().to_owned();
    assert_eq!(new_recovery.len(), old_recovery.len());
    assert_ne!(new_recovery, old_recovery);
    assert!(!vault.join("rekey.new").exists() && !vault.join("rekey.done").exists());

    // Everything reads back identical, and the chain is intact.
    assert_eq!(
        succeeded(run_as(&vault, &["cases", "ls", "--json"], PASS)).stdout,
        records_before
    );
    assert_eq!(
        succeeded(run_as(
            &vault,
            &["case", "show", "case-kurmanov", "--json"],
            PASS
        ))
        .stdout,
        case_before
    );
    let copy = tmp.path().join("copy.jpg");
    succeeded(run_as(
        &vault,
        &["attachment", "get", &id, "--out", copy.to_str().unwrap()],
        PASS,
    ));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&photo).unwrap()
    );
    succeeded(run_as(&vault, &["audit", "verify"], PASS));
    succeeded(run_as(&vault, &["verify"], PASS));
    // The database and the file were rewritten, not just the header.
    for name in ["vault.db".to_owned(), format!("attachments/{id}.age")] {
        assert_ne!(
            std::fs::read(vault.join(&name)).unwrap(),
            std::fs::read(before.join(&name)).unwrap(),
            "{name}"
        );
    }

    // The header copied before unwraps the old data key, which opens
    // neither the new database...
    let mixed = tmp.path().join("mixed");
    copy_dir(&vault, &mixed);
    std::fs::copy(before.join("header.cvh"), mixed.join("header.cvh")).unwrap();
    let out = run_as(&mixed, &["status"], PASS);
    assert_eq!(
        out.status.code(),
        Some(EXIT_TAMPERED),
        "{}",
        text(&out.stderr)
    );
    // ...nor, with the old database (the whole image taken before), the
    // new encrypted file.
    std::fs::copy(
        vault.join(format!("attachments/{id}.age")),
        before.join(format!("attachments/{id}.age")),
    )
    .unwrap();
    let out = run_as(
        &before,
        &[
            "attachment",
            "get",
            &id,
            "--out",
            tmp.path().join("leak.jpg").to_str().unwrap(),
        ],
        PASS,
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_TAMPERED),
        "{}",
        text(&out.stderr)
    );
    assert!(!tmp.path().join("leak.jpg").exists());

    // The old recovery key is refused; the new one sets a passphrase.
    let out = casevault(&vault)
        .env("CASEVAULT_RECOVERY_KEY", &old_recovery)
        .env("CASEVAULT_NEW_PASSPHRASE", NEW_PASS)
        .args(["recover", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(EXIT_WRONG_CREDENTIAL));
    succeeded(
        casevault(&vault)
            .env("CASEVAULT_RECOVERY_KEY", &new_recovery)
            .env("CASEVAULT_NEW_PASSPHRASE", NEW_PASS)
            .args(["recover", "--kdf-ms", "0"])
            .output()
            .unwrap(),
    );
    succeeded(run_as(&vault, &["status"], NEW_PASS));
}

/// `new-recovery-key` re-wraps the same data key: a header copied before
/// still opens the vault with the old recovery key. This is what the
/// documentation now says, and why `rekey` exists.
#[test]
fn new_recovery_key_alone_leaves_old_header_copies_working() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("vault");
    let out = init_with(&vault, &[]);
    let old_recovery = text(&out.stdout).trim().to_owned();
    let old_header = std::fs::read(vault.join("header.cvh")).unwrap();
    succeeded(run_as(&vault, &["new-recovery-key"], PASS));
    std::fs::write(vault.join("header.cvh"), old_header).unwrap();
    succeeded(
        casevault(&vault)
            .env("CASEVAULT_RECOVERY_KEY", &old_recovery)
            .env("CASEVAULT_NEW_PASSPHRASE", NEW_PASS)
            .args(["recover", "--kdf-ms", "0"])
            .output()
            .unwrap(),
    );
}
