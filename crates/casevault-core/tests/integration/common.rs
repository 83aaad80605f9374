//! Helpers shared by the core's integration tests. Everything runs against
//! real vault files on disk with real SQLCipher.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::crypto::recovery::RecoveryKey;
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Credential, Vault};
use casevault_core::{Clock, Session};
use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};

pub const PASS: &str = "violet harbour quantum tortoise 1997";
pub const OTHER_PASS: &str = "copper lantern meadow galaxy 2031";

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// Actor "t" at [`now`]: the session every test vault is opened with.
pub fn session() -> Session {
    session_at(now())
}

/// Actor "t" at `t`.
pub fn session_at(t: chrono::DateTime<Utc>) -> Session {
    Session::new("t", Clock::fixed(t))
}

/// The cheapest parameters a vault accepts (RFC 9106's floor), so tests
/// stay quick while exercising the real KDF.
pub fn fast() -> CreateOptions {
    CreateOptions {
        kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
    }
}

pub fn pass(p: &str) -> Credential {
    Credential::Passphrase(Passphrase::from(p))
}

pub fn new_vault(dir: &Path) -> (Vault, RecoveryKey) {
    Vault::create(dir, &Passphrase::from(PASS), &fast(), session()).expect("create vault")
}

/// A new vault whose every change, its creation included, is by `actor`.
pub fn new_vault_as(dir: &Path, actor: &str) -> (Vault, RecoveryKey) {
    let session = Session::new(actor, Clock::fixed(now()));
    Vault::create(dir, &Passphrase::from(PASS), &fast(), session).expect("create vault")
}

/// SHA-256 of every file under `dir`, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for path in files_under(dir) {
        let bytes = std::fs::read(&path).unwrap();
        out.insert(
            path.strip_prefix(dir).unwrap().to_path_buf(),
            data_encoding::HEXLOWER.encode(&Sha256::digest(&bytes)),
        );
    }
    out
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// True when `needle` occurs in `hay` as UTF-8 or UTF-16 (LE or BE).
pub fn contains_text(hay: &[u8], needle: &str) -> bool {
    let utf8 = needle.as_bytes().to_vec();
    let le: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let be: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_be_bytes())
        .collect();
    [utf8, le, be]
        .iter()
        .any(|n| hay.windows(n.len()).any(|w| w == n.as_slice()))
}

pub fn note(text: &str) -> serde_json::Value {
    serde_json::json!({ "text": text })
}

/// A small deterministic PRNG (xorshift64*) so that randomised tests print
/// a seed and can be replayed with CASEVAULT_TEST_SEED.
pub struct Rng(u64);

impl Rng {
    #[allow(
        clippy::disallowed_methods,
        reason = "the seed of a randomised test is the harness's knob, not the core reading its environment"
    )]
    pub fn from_env(test: &str) -> Self {
        let seed = std::env::var("CASEVAULT_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("{test}: CASEVAULT_TEST_SEED={seed}");
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A count from the environment (for longer runs than CI's default).
#[allow(
    clippy::disallowed_methods,
    reason = "run lengths are the harness's knob, not the core reading its environment"
)]
pub fn count_from_env(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Copies a vault directory (closed) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in files_under(from) {
        let target = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&f, target).unwrap();
    }
}
