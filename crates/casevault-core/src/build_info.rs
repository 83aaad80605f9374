//! Facts about this build, shown in the About panel and `casevault --version`
//! so that a reviewer can see what protects the data.

use serde::Serialize;

/// The cryptographic choices compiled into this build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CryptoChoices {
    /// Database encryption.
    pub database: String,
    /// Passphrase key derivation.
    pub passphrase_kdf: String,
    /// Key wrapping in key slots.
    pub key_wrapping: String,
    /// Recovery-key derivation.
    pub recovery_kdf: String,
}

/// Versions and choices of the core, queried live where possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CoreInfo {
    /// This crate's version.
    pub core_version: String,
    /// The SQLCipher version, as reported by the linked library.
    pub sqlcipher_version: String,
    /// The SQLite version underneath SQLCipher.
    pub sqlite_version: String,
    /// The crypto provider SQLCipher uses.
    pub sqlcipher_provider: String,
    /// The crypto choices.
    pub crypto: CryptoChoices,
}

/// Gathers [`CoreInfo`] by asking the linked SQLCipher itself.
pub fn core_info() -> crate::Result<CoreInfo> {
    let conn = rusqlite::Connection::open_in_memory()?;
    let sqlcipher_version: String = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
    // The provider is reported only once a key is set; an in-memory
    // database with a throwaway key is enough to ask.
    conn.execute_batch("PRAGMA key = 'about';")?;
    let sqlcipher_provider: String = conn
        .query_row("PRAGMA cipher_provider", [], |r| r.get(0))
        .unwrap_or_else(|_| "unknown".into());
    Ok(CoreInfo {
        core_version: crate::CORE_VERSION.to_owned(),
        sqlcipher_version,
        sqlite_version: rusqlite::version().to_owned(),
        sqlcipher_provider,
        crypto: CryptoChoices {
            database: format!(
                "SQLCipher: AES-256-CBC with HMAC-SHA512 on every {}-byte page, raw 256-bit key",
                crate::vault::db::CIPHER_PAGE_SIZE
            ),
            passphrase_kdf: format!(
                "argon2id, calibrated to ~1 s (floor {} MiB, t={}, p={})",
                crate::crypto::kdf::Argon2Params::FLOOR.m_kib / 1024,
                crate::crypto::kdf::Argon2Params::FLOOR.t,
                crate::crypto::kdf::Argon2Params::FLOOR.p
            ),
            key_wrapping: "XChaCha20-Poly1305, slot metadata as associated data".into(),
            recovery_kdf: "HKDF-SHA256 over a 200-bit recovery key".into(),
        },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn reports_the_linked_sqlcipher() {
        let info = super::core_info().unwrap();
        assert!(info.sqlcipher_version.starts_with('4'), "{info:?}");
        assert!(info.sqlite_version.starts_with("3."), "{info:?}");
        assert_eq!(info.sqlcipher_provider, "openssl");
    }
}
