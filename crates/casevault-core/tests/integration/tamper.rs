//! Tamper detection: a byte flipped anywhere in the vault is caught by
//! unlock or `verify`, and a read of a damaged page fails loudly instead of
//! returning altered data.

use casevault_core::vault::{Credential, Vault, VaultPaths};
use casevault_core::{Error, ErrorCode};

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
        ids.push((vault.insert_record("note", &note(&text)).unwrap(), text));
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

        match Vault::open(&copy, &pass(PASS), session()) {
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

/// Where, in a header file, a flip can legitimately be reported as
/// something other than `Tampered`: the format number (a higher one means
/// "update Casevault"), and what the opening slot's AEAD binds (vault id,
/// slot id, salt, nonce, wrapped key), where a damaged slot and a wrong
/// credential look the same.
struct HeaderRegions {
    format: std::ops::Range<usize>,
    slot_aead: Vec<std::ops::Range<usize>>,
}

impl HeaderRegions {
    fn of(bytes: &[u8], kind: &str) -> Self {
        let text = std::str::from_utf8(bytes).unwrap();
        let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let string_at = |s: &str| {
            let quoted = format!("\"{s}\"");
            assert_eq!(text.matches(&quoted).count(), 1, "{s} is not unique");
            let start = text.find(&quoted).unwrap() + 1;
            start..start + s.len()
        };
        let number_after = |from: usize, key: &str| {
            let start = from + text[from..].find(key).unwrap() + key.len();
            let len = text[start..].find(|c: char| !c.is_ascii_digit()).unwrap();
            start..start + len
        };
        let slot = value["body"]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind)
            .unwrap();
        let salt = string_at(slot["salt"].as_str().unwrap());
        let slot_start = text[..salt.start].rfind("\"id\": ").unwrap();
        HeaderRegions {
            format: number_after(0, "\"format\": "),
            slot_aead: vec![
                string_at(value["body"]["vault_id"].as_str().unwrap()),
                number_after(slot_start, "\"id\": "),
                salt,
                string_at(slot["nonce"].as_str().unwrap()),
                string_at(slot["wrapped_key"].as_str().unwrap()),
            ],
        }
    }

    fn allowed(&self, offset: usize) -> &'static [ErrorCode] {
        if self.format.contains(&offset) {
            &[ErrorCode::Tampered, ErrorCode::NewerVersion]
        } else if self.slot_aead.iter().any(|r| r.contains(&offset)) {
            &[ErrorCode::Tampered, ErrorCode::WrongCredential]
        } else {
            &[ErrorCode::Tampered]
        }
    }
}

/// Writes each flipped header in turn into the vault, tries to open it,
/// and checks the refusal's code and that nothing on disk changed.
fn refuse_each_flip(
    vault: &std::path::Path,
    credential: &Credential,
    offsets: impl Iterator<Item = usize>,
    regions: &HeaderRegions,
) -> usize {
    let header = VaultPaths::new(vault).header();
    let original = std::fs::read(&header).unwrap();
    let files = files_under(vault);
    let mut tried = 0;
    for offset in offsets {
        for bit in 0..8 {
            let mut bytes = original.clone();
            bytes[offset] ^= 1 << bit;
            std::fs::write(&header, &bytes).unwrap();
            let code = match Vault::open(vault, credential, session()) {
                Ok(v) => {
                    v.lock();
                    panic!(
                        "flipping bit {bit} of byte {offset} ({:?}) still unlocked",
                        original[offset] as char
                    );
                }
                Err(e) => e.code(),
            };
            assert!(
                regions.allowed(offset).contains(&code),
                "bit {bit} of byte {offset} ({:?}): {code:?}",
                original[offset] as char
            );
            assert_eq!(
                std::fs::read(&header).unwrap(),
                bytes,
                "the header was rewritten"
            );
            assert_eq!(files_under(vault), files, "a file appeared or vanished");
            tried += 1;
        }
    }
    std::fs::write(&header, &original).unwrap();
    tried
}

/// Every single-bit flip of the header file is refused before anything
/// is unlocked or written. Opened with the recovery key (HKDF), so no
/// argon2 runs and all of them are tried: a flip outside the recovery slot
/// passes the slot and meets the header MAC or the canonical-bytes check.
#[test]
fn every_single_bit_flip_of_the_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault");
    let (vault, recovery) = new_vault(&path);
    vault.lock();
    let before = snapshot(&path);
    let header = std::fs::read(VaultPaths::new(&path).header()).unwrap();
    let regions = HeaderRegions::of(&header, "recovery");
    let tried = refuse_each_flip(
        &path,
        &Credential::RecoveryKey(recovery.clone()),
        0..header.len(),
        &regions,
    );
    assert_eq!(tried, header.len() * 8);
    assert_eq!(snapshot(&path), before);
    Vault::open(&path, &Credential::RecoveryKey(recovery), session())
        .expect("the untouched header still opens")
        .lock();
}

/// With the passphrase, a flip in the passphrase slot's id or KDF
/// parameters either fails the parameter bounds (before argon2) or changes
/// what the slot's AEAD binds. Only these bytes are tried, since each
/// plausible value costs one derivation.
#[test]
fn flips_in_the_passphrase_slot_parameters_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault");
    new_vault(&path).0.lock();
    let before = snapshot(&path);
    let header = std::fs::read(VaultPaths::new(&path).header()).unwrap();
    let text = std::str::from_utf8(&header).unwrap();
    let mut regions = HeaderRegions::of(&header, "passphrase");
    let kdf_start = text.find("\"kdf\": {").unwrap();
    let kdf = kdf_start..kdf_start + text[kdf_start..].find('}').unwrap() + 1;
    regions.slot_aead.push(kdf.clone());
    let id = regions.slot_aead[1].clone();
    let tried = refuse_each_flip(&path, &pass(PASS), id.chain(kdf), &regions);
    assert!(tried > 100, "{tried}");
    assert_eq!(snapshot(&path), before);
}

/// Typed loading has one rule for a stored record its type cannot read:
/// `Tampered`, through `get` and through `all`, while records of other
/// kinds, ids that are not of the kind and well-formed ones load as usual.
#[test]
fn a_stored_record_that_does_not_match_its_type_is_tampered_through_get_and_all() {
    use casevault_core::model::records::{Case, Organisation, Person};

    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    let doc = crate::interchange::parse(&crate::interchange::small_doc()).unwrap();
    casevault_core::ops::interchange::import(&mut vault, &doc).unwrap();

    let good: Person = vault.get("p-moldashev").unwrap().expect("a stored person");
    assert_eq!(good.id, "p-moldashev");
    assert!(
        vault.get::<Case>("p-moldashev").unwrap().is_none(),
        "not a case"
    );
    assert!(vault.get::<Person>("no-such-id").unwrap().is_none());
    assert_eq!(vault.all::<Person>().unwrap(), std::slice::from_ref(&good));

    // Stored past validation (test-support): a person with a kind of name
    // the model does not have.
    let bad = vault
        .insert_record(
            "person",
            &serde_json::json!({
                "id": "p-bad",
                "names": [{ "name": "Moldashev", "kind": "nickname-of-the-week" }]
            }),
        )
        .unwrap();
    let err = vault.get::<Person>(&bad).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Tampered, "{err}");
    let err = vault.all::<Person>().unwrap_err();
    assert_eq!(err.code(), ErrorCode::Tampered, "{err}");
    // The operations built on them say the same.
    let err = casevault_core::ops::interchange::export(&vault).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Tampered, "{err}");
    // Other kinds are untouched by it.
    assert_eq!(vault.get::<Person>("p-moldashev").unwrap(), Some(good));
    assert_eq!(vault.all::<Organisation>().unwrap().len(), 1);
}
