//! No plaintext reaches disk: a unique canary written into records must not
//! appear, in UTF-8 or UTF-16, in any file of the vault or the temp
//! directory, while the vault is open or after it is closed.

use casevault_core::vault::Vault;

use crate::common::*;

/// A Latin and a Cyrillic canary, unique to this run.
fn canaries() -> [String; 2] {
    let n = Rng::from_env("canary").next();
    [format!("CANARY-{n:016x}"), format!("КАНАРЕЙКА-{n:016x}")]
}

fn assert_no_canary(dirs: &[&std::path::Path], canaries: &[String]) {
    for dir in dirs {
        for file in files_under(dir) {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            for canary in canaries {
                assert!(
                    !contains_text(&bytes, canary),
                    "canary {canary} found in {}",
                    file.display()
                );
            }
            if file.starts_with(dirs[0]) {
                assert!(
                    !bytes.starts_with(b"SQLite format 3"),
                    "plaintext SQLite file: {}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn canary_never_reaches_disk() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("v");
    let canaries = canaries();
    let canary = canaries.join(" ");
    let (mut vault, _) = new_vault(&path);
    for i in 0..200 {
        // Enough rows to spill out of the page cache into the WAL and the
        // database file, and a big one to exercise overflow pages.
        let text = format!(
            "{canary} testimony {i} {}",
            "lorem ipsum ".repeat(if i == 0 { 4000 } else { 20 })
        );
        vault.insert_record("testimony", &note(&text)).unwrap();
    }
    let tmp = std::env::temp_dir();
    assert_no_canary(&[&path, &tmp], &canaries);
    let backup = root.path().join("b.cvbackup");
    vault.backup_to(&backup, &mut |_, _| {}).unwrap();
    vault.lock();
    let vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    assert_eq!(vault.record_counts().unwrap()[0].1, 200);
    vault.lock();
    assert_no_canary(&[root.path(), &tmp], &canaries);
}
