//! For tests of secure deletion: the vault read from the inside, with the
//! passphrase and raw SQL, as someone who seized the laptop and forced the
//! passphrase out of its owner could.

use std::path::Path;

use super::Vault;

/// Every byte of the database's logical content, decrypted: a plaintext
/// copy made with `sqlcipher_export` (every table, the full-text index's
/// segments included), read back and removed.
pub(crate) fn decrypted_content(vault: &Vault, scratch: &Path) -> Vec<u8> {
    let plain = scratch.join("plain.db");
    let _ = std::fs::remove_file(&plain);
    vault
        .conn
        .execute(
            "ATTACH DATABASE ?1 AS plaintext KEY ''",
            [plain.to_string_lossy()],
        )
        .unwrap();
    vault
        .conn
        .query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))
        .unwrap();
    vault.conn.execute("DETACH DATABASE plaintext", []).unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    std::fs::remove_file(&plain).unwrap();
    bytes
}

/// Whether `needle`'s UTF-8 bytes occur in `hay`.
pub(crate) fn has(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}
