//! A process that opens a vault zeroes every block SQLite frees, through
//! casevault-sqlite-wipe rather than SQLCipher's slower wipe. Its own test
//! binary (see Cargo.toml): the allocator can only be installed before
//! SQLite starts, which in a shared binary another test may do first.

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::ops::search::{self, Filters};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Credential, Vault};
use casevault_core::{Clock, Session};

#[test]
fn a_vault_process_zeroes_what_sqlite_frees() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault");
    let pass = Passphrase::from("violet harbour quantum tortoise 1997");
    let options = CreateOptions {
        kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-05T12:00:00Z")
        .unwrap()
        .to_utc();
    let session = || Session::new("tester", Clock::fixed(now));
    let (vault, _) = Vault::create(&path, &pass, &options, session()).unwrap();
    assert!(
        casevault_sqlite_wipe::install(),
        "the first vault opened in a process installs the zeroing allocator"
    );
    vault.lock();
    let before = casevault_sqlite_wipe::wiped_bytes();
    let vault = Vault::open(&path, &Credential::Passphrase(pass), session()).unwrap();
    search::search(&vault, "Жанаозен", &Filters::default(), 20).unwrap();
    vault.lock();
    // Unlock, a query and lock free at least the pages they decrypted.
    let wiped = casevault_sqlite_wipe::wiped_bytes() - before;
    assert!(wiped > 64 * 1024, "only {wiped} bytes were wiped");
}
