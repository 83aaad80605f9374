//! Tamper detection: a byte flipped anywhere in the vault is caught by
//! unlock or `verify`, and a read of a damaged page fails loudly instead of
//! returning altered data.

use casevault_core::Error;
use casevault_core::vault::{Vault, VaultPaths};

use crate::common::*;

#[test]
fn every_flipped_byte_in_the_database_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    let (mut vault, _) = new_vault(&original);
    let mut ids = vec![];
    for i in 0..40 {
        let text = format!(
            "Testimony {i}: approx. 22:30, followed from the hotel. {}",
            "x".repeat(300)
        );
        ids.push((
            vault
                .insert_record("note", &note(&text), "t", now())
                .unwrap(),
            text,
        ));
    }
    vault.lock();
    let db_len = std::fs::metadata(VaultPaths::new(&original).database())
        .unwrap()
        .len();

    let mut rng = Rng::from_env("every_flipped_byte_in_the_database_is_detected");
    let flips = count_from_env("CASEVAULT_TAMPER_FLIPS", 40);
    for n in 0..flips {
        let copy = dir.path().join(format!("copy{n}"));
        copy_dir(&original, &copy);
        let db = VaultPaths::new(&copy).database();
        let mut bytes = std::fs::read(&db).unwrap();
        let offset = rng.below(db_len) as usize;
        bytes[offset] ^= 1 << rng.below(8);
        std::fs::write(&db, &bytes).unwrap();

        match Vault::open(&copy, &pass(PASS)) {
            Err(Error::Tampered { .. }) => {}
            Err(other) => panic!("flip at {offset}: unexpected error {other}"),
            Ok(vault) => {
                let problems = vault.verify().unwrap_or_else(|e| vec![e.to_string()]);
                assert!(
                    !problems.is_empty(),
                    "flip at offset {offset} was not detected by verify"
                );
                // Reads either fail or return exactly what was written.
                for (id, text) in &ids {
                    match vault.get_record(id) {
                        Ok(Some(rec)) => assert_eq!(
                            rec.data,
                            note(text),
                            "flip at {offset} altered a record silently"
                        ),
                        Ok(None) => panic!("flip at {offset} made a record vanish silently"),
                        Err(e) => assert!(matches!(e, Error::Tampered { .. }), "{e}"),
                    }
                }
            }
        }
        std::fs::remove_dir_all(&copy).unwrap();
    }
}

#[test]
fn flipped_bytes_in_the_header_never_unlock_silently() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    new_vault(&original).0.lock();
    let header_len = std::fs::metadata(VaultPaths::new(&original).header())
        .unwrap()
        .len();
    let mut rng = Rng::from_env("flipped_bytes_in_the_header_never_unlock_silently");
    for n in 0..count_from_env("CASEVAULT_TAMPER_FLIPS", 40) {
        let copy = dir.path().join(format!("copy{n}"));
        copy_dir(&original, &copy);
        let header = VaultPaths::new(&copy).header();
        let mut bytes = std::fs::read(&header).unwrap();
        let offset = rng.below(header_len) as usize;
        let before = bytes[offset];
        bytes[offset] ^= 1 << rng.below(7);
        std::fs::write(&header, &bytes).unwrap();
        match Vault::open(&copy, &pass(PASS)) {
            // Flips in whitespace or in JSON escapes that decode to the
            // same value leave the header meaning the same thing.
            Ok(v) => {
                let reparsed: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                let orig: serde_json::Value = serde_json::from_slice(
                    &std::fs::read(VaultPaths::new(&original).header()).unwrap(),
                )
                .unwrap();
                assert_eq!(
                    reparsed, orig,
                    "flip at {offset} ({before:#x}) changed the header yet it unlocked"
                );
                v.lock();
            }
            Err(Error::Tampered { .. } | Error::WrongCredential | Error::NewerVersion { .. }) => {}
            Err(other) => panic!("flip at {offset}: unexpected error {other}"),
        }
        std::fs::remove_dir_all(&copy).unwrap();
    }
}
