//! The S3 key the app syncs with lives inside the encrypted vault: it
//! survives a lock and an unlock, never reaches disk in the clear, never
//! shows in `Debug`, and a bad one is refused with nothing changed.

use casevault_core::ErrorCode;
use casevault_core::model::problem::ProblemCode;
use casevault_core::vault::Vault;

use crate::common::*;

fn secret_canary() -> String {
    let n = Rng::from_env("s3_key").next();
    format!("S3SECRETCANARY{n:016x}")
}

fn refusal(e: casevault_core::Error) -> (ErrorCode, String, ProblemCode) {
    let (field, problem) = match &e {
        casevault_core::Error::InvalidInput { field, problem } => (field.clone(), problem.code),
        other => panic!("not a refused value: {other:?}"),
    };
    (e.code(), field, problem)
}

#[test]
fn the_s3_key_survives_lock_and_unlock_and_never_reaches_disk_in_the_clear() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("v");
    let secret = secret_canary();
    let key_id = "GK31c2f218a2e44f485b94239e";
    let (mut vault, _) = new_vault(&path);
    assert!(vault.s3_key().unwrap().is_none());
    vault.set_s3_key(&format!(" {key_id}\n"), &secret).unwrap();
    let stored = vault.s3_key().unwrap().unwrap();
    assert_eq!(stored.key_id, key_id);
    assert_eq!(stored.secret.as_str(), secret);
    assert!(!format!("{stored:?}").contains(&secret));
    assert!(format!("{stored:?}").contains(key_id));
    for file in files_under(root.path())
        .into_iter()
        .chain(files_under(&std::env::temp_dir()))
    {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        assert!(!contains_text(&bytes, &secret), "{}", file.display());
    }
    vault.lock();
    for file in files_under(root.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!contains_text(&bytes, &secret), "{}", file.display());
    }
    let mut vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    let again = vault.s3_key().unwrap().unwrap();
    assert_eq!(again, stored);

    // A second key replaces the first.
    vault.set_s3_key("GKother", "another-secret").unwrap();
    assert_eq!(vault.s3_key().unwrap().unwrap().key_id, "GKother");
    vault.clear_s3_key().unwrap();
    assert!(vault.s3_key().unwrap().is_none());
    vault.lock();
    let vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    assert!(vault.s3_key().unwrap().is_none());
}

#[test]
fn a_bad_s3_key_is_refused_and_the_stored_one_stays() {
    let root = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&root.path().join("v"));
    vault.set_s3_key("GKgood", "good-secret").unwrap();
    let long = "x".repeat(300);
    for (id, secret, field, code) in [
        ("", "s", "s3_key_id", ProblemCode::Required),
        ("  ", "s", "s3_key_id", ProblemCode::Required),
        ("GK", "", "s3_secret", ProblemCode::Required),
        ("GK a", "s", "s3_key_id", ProblemCode::RefusedCharacter),
        ("GK", "se\ncret", "s3_secret", ProblemCode::RefusedCharacter),
        (long.as_str(), "s", "s3_key_id", ProblemCode::TooLong),
        ("GK", long.as_str(), "s3_secret", ProblemCode::TooLong),
    ] {
        let got = refusal(vault.set_s3_key(id, secret).unwrap_err());
        assert_eq!(
            got,
            (ErrorCode::InvalidInput, field.to_owned(), code),
            "{id:?}"
        );
        let kept = vault.s3_key().unwrap().unwrap();
        assert_eq!(
            (kept.key_id.as_str(), kept.secret.as_str()),
            ("GKgood", "good-secret")
        );
    }
}
