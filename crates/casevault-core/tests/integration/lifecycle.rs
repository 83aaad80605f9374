//! Create, unlock, lock, passphrase change, recovery, wipe policy, and the
//! error cases that must leave the vault unchanged.

use casevault_core::Error;
use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::crypto::recovery::RecoveryKey;
use casevault_core::secret::Passphrase;
use casevault_core::vault::{self, Credential, LockSettings, Vault, VaultPaths};

use crate::common::*;

const FLOOR: KdfChoice = KdfChoice::Fixed(Argon2Params::FLOOR);

#[test]
fn create_lock_unlock_keeps_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    vault.set_actor("tester");
    let id = vault
        .insert_record("note", &note("Moldashev / Молдашев"))
        .unwrap();
    vault.lock();
    let vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    let rec = vault.get_record(&id).unwrap().unwrap();
    assert_eq!(rec.data, note("Moldashev / Молдашев"));
    assert_eq!(rec.created_by, "tester");
    let status = vault.status().unwrap();
    assert_eq!(status.record_counts.len(), 1);
    assert_eq!(status.record_counts[0].count, 1);
    assert_eq!(status.lock.idle_lock_minutes, 5);
    assert_eq!(status.slots.len(), 2);
}

#[test]
fn wrong_passphrase_and_wrong_recovery_key_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    new_vault(&path).0.lock();
    let before = snapshot(&path);
    for _ in 0..3 {
        assert!(matches!(
            Vault::open(&path, &pass(OTHER_PASS), session()),
            Err(Error::WrongCredential)
        ));
    }
    let stranger = RecoveryKey::generate().unwrap();
    assert!(matches!(
        Vault::open(&path, &Credential::RecoveryKey(stranger), session()),
        Err(Error::WrongCredential)
    ));
    assert_eq!(
        before,
        snapshot(&path),
        "a failed unlock must not touch any file"
    );
}

#[test]
fn weak_passphrase_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let err = Vault::create(&path, &Passphrase::from("password1"), &fast(), session()).unwrap_err();
    assert!(matches!(err, Error::WeakPassphrase { .. }), "{err}");
    assert!(!path.exists(), "a refused create must leave nothing behind");
}

#[test]
fn existing_vault_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    new_vault(&path).0.lock();
    let before = snapshot(&path);
    let err = Vault::create(&path, &Passphrase::from(OTHER_PASS), &fast(), session()).unwrap_err();
    assert!(matches!(err, Error::VaultExists { .. }), "{err}");
    assert_eq!(before, snapshot(&path));
}

#[test]
fn change_passphrase_rewraps_without_reencrypting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    vault.insert_record("note", &note("kept")).unwrap();
    vault.lock();
    let db_before = std::fs::read(VaultPaths::new(&path).database()).unwrap();

    let mut vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    let wrong = vault.change_passphrase(
        &Passphrase::from(OTHER_PASS),
        &Passphrase::from(OTHER_PASS),
        FLOOR,
    );
    assert!(
        matches!(wrong, Err(Error::WrongCredential)),
        "current passphrase is checked"
    );
    let weak = vault.change_passphrase(&Passphrase::from(PASS), &Passphrase::from("abc"), FLOOR);
    assert!(matches!(weak, Err(Error::WeakPassphrase { .. })));
    vault
        .change_passphrase(
            &Passphrase::from(PASS),
            &Passphrase::from(OTHER_PASS),
            FLOOR,
        )
        .unwrap();
    let log = vault.custody_log(None).unwrap();
    assert_eq!(log.last().unwrap().action, "passphrase_change");
    vault.lock();

    // Re-encryption would change every page; the custody entry for the
    // change touches only a few.
    let db_after = std::fs::read(VaultPaths::new(&path).database()).unwrap();
    let pages = db_before.len().min(db_after.len()) / 4096;
    let changed = (0..pages)
        .filter(|p| db_before[p * 4096..(p + 1) * 4096] != db_after[p * 4096..(p + 1) * 4096])
        .count();
    assert!(
        pages >= 8 && changed <= 4,
        "data must not be re-encrypted: {changed} of {pages} pages changed"
    );
    assert!(matches!(
        Vault::open(&path, &pass(PASS), session()),
        Err(Error::WrongCredential)
    ));
    let vault = Vault::open(&path, &pass(OTHER_PASS), session()).unwrap();
    assert_eq!(
        vault.record_counts().unwrap(),
        vec![("note".to_string(), 1)]
    );
}

#[test]
fn recovery_key_sets_a_new_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (vault, recovery) = new_vault(&path);
    let printed = recovery.display_groups().to_string();
    assert!(
        vault
            .recovery_key_matches(&RecoveryKey::parse(&printed).unwrap())
            .unwrap()
    );
    assert!(
        !vault
            .recovery_key_matches(&RecoveryKey::generate().unwrap())
            .unwrap()
    );
    vault.lock();

    let typed = RecoveryKey::parse(&printed.to_lowercase().replace('-', " ")).unwrap();
    Vault::recover(
        &path,
        &typed,
        &Passphrase::from(OTHER_PASS),
        FLOOR,
        session(),
    )
    .unwrap()
    .lock();
    assert!(matches!(
        Vault::open(&path, &pass(PASS), session()),
        Err(Error::WrongCredential)
    ));
    Vault::open(&path, &pass(OTHER_PASS), session())
        .unwrap()
        .lock();
    // The recovery key keeps working until it is replaced.
    let mut vault = Vault::open(&path, &Credential::RecoveryKey(typed.clone()), session()).unwrap();
    let fresh = vault.new_recovery_key().unwrap();
    vault.lock();
    assert!(matches!(
        Vault::open(&path, &Credential::RecoveryKey(typed), session()),
        Err(Error::WrongCredential)
    ));
    Vault::open(&path, &Credential::RecoveryKey(fresh), session()).unwrap();
}

#[test]
fn second_opener_gets_vault_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (vault, _) = new_vault(&path);
    assert!(matches!(
        Vault::open(&path, &pass(PASS), session()),
        Err(Error::VaultInUse)
    ));
    vault.lock();
    Vault::open(&path, &pass(PASS), session()).unwrap();
}

#[test]
fn missing_vault_and_missing_parts_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let err = Vault::open(&dir.path().join("nowhere"), &pass(PASS), session()).unwrap_err();
    assert!(matches!(err, Error::VaultNotFound { .. }), "{err}");

    let path = dir.path().join("v");
    new_vault(&path).0.lock();
    let paths = VaultPaths::new(&path);
    let db = std::fs::read(paths.database()).unwrap();
    std::fs::remove_file(paths.database()).unwrap();
    let err = Vault::open(&path, &pass(PASS), session()).unwrap_err();
    assert!(
        matches!(err, Error::Tampered { .. }),
        "missing database: {err}"
    );
    std::fs::write(paths.database(), db).unwrap();
    std::fs::remove_file(paths.header()).unwrap();
    let err = Vault::open(&path, &pass(PASS), session()).unwrap_err();
    assert!(
        matches!(err, Error::Tampered { .. }),
        "missing header: {err}"
    );
    assert!(err.to_string().contains("modified outside Casevault"));
}

#[test]
fn newer_header_format_is_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    new_vault(&path).0.lock();
    let header_path = VaultPaths::new(&path).header();
    let mut header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&header_path).unwrap()).unwrap();
    header["format"] = 2.into();
    std::fs::write(&header_path, serde_json::to_vec(&header).unwrap()).unwrap();
    let before = snapshot(&path);
    let err = Vault::open(&path, &pass(PASS), session()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::NewerVersion {
                found: 2,
                supported: 1
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("newer version of Casevault"));
    assert_eq!(before, snapshot(&path));
}

#[test]
fn interrupted_header_write_leaves_the_old_header_working() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    new_vault(&path).0.lock();
    // A crash between writing the temp file and the rename leaves a partial
    // temp file next to the intact header.
    let tmp = path.join("header.cvh.tmp");
    std::fs::write(&tmp, b"{\"magic\":\"casevault-keysl").unwrap();
    Vault::open(&path, &pass(PASS), session()).unwrap().lock();
    assert!(
        !tmp.exists(),
        "the leftover is cleaned up after a verified unlock"
    );
    // A header truncated in place (not something Casevault does) is
    // reported as damage, not a panic.
    let header = VaultPaths::new(&path).header();
    let bytes = std::fs::read(&header).unwrap();
    std::fs::write(&header, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        Vault::open(&path, &pass(PASS), session()),
        Err(Error::Tampered { .. })
    ));
}

#[test]
fn wipe_policy_destroys_keys_after_n_failures_and_success_resets_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, recovery) = new_vault(&path);
    let err = vault.set_lock_settings(LockSettings {
        idle_lock_minutes: 5,
        wipe_after_failed_unlocks: Some(1),
    });
    assert!(
        matches!(err, Err(Error::InvalidInput { .. })),
        "1 is too trigger-happy"
    );
    let err = vault.set_lock_settings(LockSettings {
        idle_lock_minutes: 0,
        wipe_after_failed_unlocks: None,
    });
    assert!(matches!(err, Err(Error::InvalidInput { .. })));
    vault
        .set_lock_settings(LockSettings {
            idle_lock_minutes: 10,
            wipe_after_failed_unlocks: Some(3),
        })
        .unwrap();
    vault.lock();

    // Two failures, then success: the count resets and is reported. Each
    // failure says how many attempts remain (it was counted on disk).
    for left in [2, 1] {
        assert!(matches!(
            Vault::open(&path, &pass(OTHER_PASS), session()),
            Err(Error::WrongCredentialCounted { attempts_left }) if attempts_left == left
        ));
    }
    let vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    assert_eq!(vault.status().unwrap().failed_unlocks_before_this_one, 2);
    assert_eq!(vault.lock_settings().unwrap().idle_lock_minutes, 10);
    vault.lock();

    for left in [2, 1] {
        assert!(matches!(
            Vault::open(&path, &pass(OTHER_PASS), session()),
            Err(Error::WrongCredentialCounted { attempts_left }) if attempts_left == left
        ));
    }
    assert!(matches!(
        Vault::open(&path, &pass(OTHER_PASS), session()),
        Err(Error::KeysDestroyed)
    ));
    // Now nothing opens it, not even the right passphrase or recovery key.
    assert!(matches!(
        Vault::open(&path, &pass(PASS), session()),
        Err(Error::KeysDestroyed)
    ));
    assert!(matches!(
        Vault::open(&path, &Credential::RecoveryKey(recovery), session()),
        Err(Error::KeysDestroyed)
    ));
    let header = std::fs::read_to_string(VaultPaths::new(&path).header()).unwrap();
    assert!(
        !header.contains("wrapped_key"),
        "no wrapped key may survive: {header}"
    );
    assert!(vault::inspect(&path).unwrap().keys_destroyed());
}

#[test]
fn tampered_wipe_policy_is_detected_at_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    new_vault(&path).0.lock();
    let header_path = VaultPaths::new(&path).header();
    let mut header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&header_path).unwrap()).unwrap();
    header["body"]["wipe_after_failed_unlocks"] = 50.into();
    std::fs::write(&header_path, serde_json::to_vec(&header).unwrap()).unwrap();
    let err = Vault::open(&path, &pass(PASS), session()).unwrap_err();
    assert!(matches!(err, Error::Tampered { .. }), "{err}");
}

#[test]
fn amendments_trash_and_restore_keep_the_full_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    vault.set_actor("caseworker-a");
    let id = vault
        .insert_record("testimony", &note("first telling"))
        .unwrap();
    vault.set_actor("caseworker-b");
    assert!(matches!(
        vault.amend_record(&id, &note("x"), " "),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(
        vault
            .amend_record(&id, &note("corrected date"), "witness corrected the date")
            .unwrap(),
        2
    );
    assert!(matches!(
        vault.trash_record(&id, ""),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(vault.trash_record(&id, "duplicate entry").unwrap(), 3);
    assert!(
        vault.record_counts().unwrap().is_empty(),
        "trashed records are not counted"
    );
    assert!(matches!(
        vault.amend_record(&id, &note("y"), "why"),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        vault.trash_record(&id, "again"),
        Err(Error::InvalidInput { .. })
    ));
    vault.set_actor("caseworker-a");
    assert_eq!(vault.restore_record(&id).unwrap(), 4);
    vault.lock();

    let vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    let history = vault.record_history(&id).unwrap();
    let notes: Vec<_> = history
        .iter()
        .map(|v| v.note.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        notes,
        [
            "created",
            "witness corrected the date",
            "trashed: duplicate entry",
            "restored"
        ]
    );
    assert_eq!(
        history[0].data,
        note("first telling"),
        "the original is never overwritten"
    );
    assert_eq!(history[3].data, note("corrected date"));
    assert_eq!(history[1].changed_by, "caseworker-b");
    let rec = vault.get_record(&id).unwrap().unwrap();
    assert_eq!((rec.version, rec.trashed_at), (4, None));
    assert!(matches!(
        Vault::open(&path, &pass(PASS), session()),
        Err(Error::VaultInUse)
    ));
}

/// A failed attempt under the wipe policy is counted without rewriting the
/// header: no new copy of the key slots (the old code replaced the whole
/// header through temp file + rename on every failure).
#[test]
fn failed_unlocks_never_rewrite_the_key_slots() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    vault
        .set_lock_settings(LockSettings {
            idle_lock_minutes: 10,
            wipe_after_failed_unlocks: Some(4),
        })
        .unwrap();
    vault.lock();
    let header = VaultPaths::new(&path).header();
    let bytes = std::fs::read(&header).unwrap();
    let inode = std::fs::metadata(&header).unwrap().ino();
    for _ in 0..3 {
        assert_eq!(
            Vault::open(&path, &pass(OTHER_PASS), session())
                .unwrap_err()
                .code(),
            casevault_core::ErrorCode::WrongCredential
        );
        assert_eq!(std::fs::read(&header).unwrap(), bytes);
        assert_eq!(std::fs::metadata(&header).unwrap().ino(), inode);
    }
    // The fourth reaches the limit: only now is the header replaced.
    assert_eq!(
        Vault::open(&path, &pass(OTHER_PASS), session())
            .unwrap_err()
            .code(),
        casevault_core::ErrorCode::KeysDestroyed
    );
    assert!(vault::inspect(&path).unwrap().keys_destroyed());
}

/// Every change carries the author and the time of the session the vault
/// was opened with, exactly: the creation, a record, an amendment after
/// the clock moved, and, after reopening as someone else, a trashing.
#[test]
fn changes_carry_the_sessions_actor_and_clock_exactly() {
    use casevault_core::{Clock, ManualClock, Session};
    use chrono::{SecondsFormat, TimeDelta, TimeZone, Utc};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let t1 = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 58).unwrap();
    let clock = ManualClock::new(t1);
    let session = Session::new("A", Clock::from(clock.clone()));
    let (mut vault, _) = Vault::create(&path, &Passphrase::from(PASS), &fast(), session).unwrap();
    let id = vault.insert_record("note", &note("first")).unwrap();
    let t2 = t1 + TimeDelta::days(3) + TimeDelta::milliseconds(250);
    clock.set(t2);
    vault
        .amend_record(&id, &note("second"), "corrected")
        .unwrap();
    vault.lock();

    let t3 = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut vault = Vault::open(&path, &pass(PASS), Session::new("B", Clock::fixed(t3))).unwrap();
    vault.trash_record(&id, "duplicate").unwrap();

    let at = |actor: &str, t: chrono::DateTime<Utc>| {
        (
            actor.to_owned(),
            t.to_rfc3339_opts(SecondsFormat::Millis, true),
        )
    };
    let log = vault.custody_log(None).unwrap();
    let created = log.iter().find(|e| e.action == "vault_created").unwrap();
    assert_eq!((created.actor.clone(), created.at.clone()), at("A", t1));
    let of_record: Vec<_> = vault
        .custody_log(Some(&id))
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.at))
        .collect();
    assert_eq!(of_record, [at("A", t1), at("A", t2), at("B", t3)]);
    let history: Vec<_> = vault
        .record_history(&id)
        .unwrap()
        .into_iter()
        .map(|v| (v.changed_by, v.changed_at))
        .collect();
    assert_eq!(history, [at("A", t1), at("A", t2), at("B", t3)]);
}

/// Without a wipe policy the app counts wrong passphrases in memory; once
/// the right one is given they are logged and shown like the header's
/// count (the component tests found the warning never appeared).
#[test]
fn attempts_counted_by_the_app_are_logged_and_reported_in_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (vault, _) = new_vault(&path);
    vault.lock();
    for _ in 0..2 {
        assert!(matches!(
            Vault::open(&path, &pass("not the passphrase"), session()),
            Err(Error::WrongCredential)
        ));
    }
    let mut vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    assert_eq!(vault.status().unwrap().failed_unlocks_before_this_one, 0);
    vault.log_failed_unlock_attempts(2).unwrap();
    assert_eq!(vault.status().unwrap().failed_unlocks_before_this_one, 2);
    let logged = vault.custody_log(None).unwrap();
    assert_eq!(
        logged
            .iter()
            .filter(|e| e.action == "failed_unlock")
            .count(),
        1
    );
    // Nothing counted, nothing added.
    vault.log_failed_unlock_attempts(0).unwrap();
    assert_eq!(vault.status().unwrap().failed_unlocks_before_this_one, 2);
}
