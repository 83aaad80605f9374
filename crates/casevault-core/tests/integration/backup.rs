//! Backups: one file, restored in one step, opening with the same
//! credentials; failures leave nothing half-written.

use std::fs::File;
use std::io::{self, Write};

use casevault_core::Error;
use casevault_core::vault::backup::restore;
use casevault_core::vault::{Credential, Vault, VaultPaths};

use crate::common::*;

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.ends_with(".tmp"))
        .collect()
}

#[test]
fn backup_restores_with_passphrase_or_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, recovery) = new_vault(&path);
    let id = vault
        .insert_record("note", &note("Paraskevich / Параскевич"))
        .unwrap();
    let out = dir.path().join("vault.cvbackup");
    let mut calls = 0;
    let report = vault
        .backup_to(&out, &mut |done, total| {
            calls += 1;
            assert!(done <= total);
        })
        .unwrap();
    assert!(calls > 0, "progress was reported");
    assert_eq!(report.bytes, std::fs::metadata(&out).unwrap().len());
    // The live vault keeps working during and after the backup.
    vault.insert_record("note", &note("after backup")).unwrap();
    vault.lock();

    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !contains_text(&bytes, "Paraskevich"),
        "the backup must stay encrypted"
    );

    let restored = dir.path().join("restored");
    restore(&out, &restored, &pass(PASS), session()).unwrap();
    let v = Vault::open(&restored, &pass(PASS), session()).unwrap();
    assert_eq!(
        v.get_record(&id).unwrap().unwrap().data,
        note("Paraskevich / Параскевич")
    );
    assert_eq!(
        v.record_counts().unwrap(),
        vec![("note".to_string(), 1)],
        "the backup is a point-in-time copy"
    );
    v.lock();

    let by_key = dir.path().join("by-key");
    restore(&out, &by_key, &Credential::RecoveryKey(recovery), session()).unwrap();
    assert!(VaultPaths::new(&by_key).exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn restore_with_wrong_passphrase_or_damage_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (vault, _) = new_vault(&path);
    let out = dir.path().join("b.cvbackup");
    vault.backup_to(&out, &mut |_, _| {}).unwrap();
    vault.lock();

    let target = dir.path().join("target");
    let err = restore(&out, &target, &pass(OTHER_PASS), session()).unwrap_err();
    assert!(matches!(err, Error::WrongCredential), "{err}");
    assert!(!target.exists());

    let mut bytes = std::fs::read(&out).unwrap();
    let len = bytes.len();
    bytes[len - 2048] ^= 0x40; // inside the database, near its end
    let damaged = dir.path().join("damaged.cvbackup");
    std::fs::write(&damaged, &bytes).unwrap();
    let err = restore(&damaged, &target, &pass(PASS), session()).unwrap_err();
    assert!(matches!(err, Error::Tampered { .. }), "{err}");
    assert!(!target.exists());

    std::fs::write(&damaged, b"not a backup at all").unwrap();
    assert!(matches!(
        restore(&damaged, &target, &pass(PASS), session()),
        Err(Error::Tampered { .. })
    ));
    assert!(!target.exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn backup_never_overwrites_and_restore_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (vault, _) = new_vault(&path);
    let out = dir.path().join("exists.cvbackup");
    std::fs::write(&out, b"precious").unwrap();
    assert!(matches!(
        vault.backup_to(&out, &mut |_, _| {}),
        Err(Error::VaultExists { .. })
    ));
    assert_eq!(std::fs::read(&out).unwrap(), b"precious");
    let good = dir.path().join("good.cvbackup");
    vault.backup_to(&good, &mut |_, _| {}).unwrap();
    vault.lock();
    let before = snapshot(&path);
    assert!(matches!(
        restore(&good, &path, &pass(PASS), session()),
        Err(Error::VaultExists { .. })
    ));
    assert_eq!(before, snapshot(&path));
}

/// A writer that accepts `budget` bytes and then fails like a full disk
/// (KeePassXC's FailDevice).
#[derive(Debug)]
struct FullAfter {
    budget: usize,
}

impl Write for FullAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::from_raw_os_error(28)); // ENOSPC
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_disk_during_backup_is_reported_and_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    vault
        .insert_record("note", &note(&"y".repeat(20_000)))
        .unwrap();
    let near = dir.path().join("b.cvbackup");
    for budget in [0, 700, 5_000, 30_000] {
        let err = vault
            .backup_to_writer(FullAfter { budget }, &near, &mut |_, _| {})
            .unwrap_err();
        assert!(
            matches!(err, Error::DiskFull { .. }),
            "budget {budget}: {err}"
        );
        assert!(err.to_string().contains("disk is full"));
    }
    // The real thing: Linux's /dev/full fails every write with ENOSPC.
    if let Ok(full) = File::options().write(true).open("/dev/full") {
        let err = vault
            .backup_to_writer(full, &near, &mut |_, _| {})
            .unwrap_err();
        assert!(matches!(err, Error::DiskFull { .. }), "{err}");
    }
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    // The vault is untouched and still fine.
    assert!(vault.verify().unwrap().is_empty());
}
