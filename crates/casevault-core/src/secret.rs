//! Types that hold secrets. They wipe themselves on drop and never print
//! their contents, so a stray `{:?}` or log line cannot leak them.

use std::fmt;

use zeroize::Zeroizing;

use crate::{Error, Result};

/// The random 256-bit key that opens the SQLCipher database.
///
/// It never leaves memory: on disk it exists only wrapped inside key slots.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// Draws a fresh key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self> {
        let mut key = Zeroizing::new([0u8; 32]);
        crate::crypto::fill_random(key.as_mut())?;
        Ok(Self(key))
    }

    /// Rebuilds a key from unwrapped bytes; rejects anything but 32 bytes.
    pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self> {
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::tampered("a key slot holds a key of the wrong length"))?;
        Ok(Self(Zeroizing::new(array)))
    }

    /// The raw key bytes. Keep the borrow short.
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The SQLCipher raw-key pragma value (`x'…'`), built in wiping memory.
    pub(crate) fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(vec![0u8; 64]);
        data_encoding::HEXLOWER.encode_mut(self.expose(), &mut hex);
        let mut pragma = Zeroizing::new(String::with_capacity(80));
        pragma.push_str("PRAGMA key = \"x'");
        // HEXLOWER only emits ASCII, so this cannot fail.
        pragma.push_str(std::str::from_utf8(&hex).unwrap_or_default());
        pragma.push_str("'\";");
        pragma
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// A passphrase typed by a person. Wiped on drop, never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Wraps a passphrase. Trailing newlines (from files and pipes) are
    /// removed; other whitespace is significant.
    pub fn new(mut text: String) -> Self {
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
        Self(Zeroizing::new(text))
    }

    /// The passphrase text. Keep the borrow short.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Passphrase {
    fn from(s: &str) -> Self {
        Self::new(s.to_owned())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// A 32-byte key-encryption key derived from a credential.
pub(crate) struct WrappingKey(pub(crate) Zeroizing<[u8; 32]>);

impl WrappingKey {
    pub(crate) fn zeroed() -> Self {
        Self(Zeroizing::new([0u8; 32]))
    }
}

impl fmt::Debug for WrappingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WrappingKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_contains_secret_material() {
        let pass = Passphrase::from("correct horse battery staple");
        assert!(!format!("{pass:?}").contains("horse"));
        let key = DataKey::generate().unwrap();
        let hex = data_encoding::HEXLOWER.encode(key.expose());
        let shown = format!("{key:?}");
        assert!(!shown.contains(&hex[..8]), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn passphrase_drops_trailing_newlines_only() {
        assert_eq!(Passphrase::from("  a b \n\r\n").expose(), "  a b ");
    }

    #[test]
    fn pragma_is_raw_key_form() {
        let key = DataKey::from_slice(&[0xab; 32]).unwrap();
        let pragma = key.sqlcipher_pragma();
        assert_eq!(
            pragma.as_str(),
            format!("PRAGMA key = \"x'{}'\";", "ab".repeat(32))
        );
    }
}
