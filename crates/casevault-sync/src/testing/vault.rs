//! A real vault on disk (SQLCipher, the fastest key derivation allowed) for
//! the sync tests and benches: every side of a team space starts here.

use std::path::Path;

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Credential, Vault};
use casevault_core::{Clock, Session};

/// The passphrase of the vaults [`new_vault`] makes.
pub const PASS: &str = "sync test passphrase: orbit lantern quartz meadow 2026";

/// A new vault at `path`, whose custody entries name `actor`.
pub fn new_vault(path: &Path, actor: &str) -> Vault {
    let options = CreateOptions {
        kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
    };
    Vault::create(
        path,
        &Passphrase::from(PASS),
        &options,
        Session::new(actor, Clock::system()),
    )
    .expect("a new vault")
    .0
}

/// The vault at `path` (made by [`new_vault`]) opened again, as a user
/// would with its passphrase, its custody entries naming `actor`.
pub fn open_vault(path: &Path, actor: &str) -> Vault {
    Vault::open(
        path,
        &Credential::Passphrase(Passphrase::from(PASS)),
        Session::new(actor, Clock::system()),
    )
    .expect("the vault opens")
}
