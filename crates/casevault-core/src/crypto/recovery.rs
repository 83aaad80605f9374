//! The recovery key: 200 random bits that a person writes down or prints.
//!
//! It is shown as twelve groups of four Crockford base32 characters, the
//! last 40 bits being a SHA-256 checksum so that a typo is caught before any
//! unlock attempt. Crockford's alphabet has no I, L, O or U, and decoding
//! forgives case and the usual confusions (O→0, I/L→1).

use std::fmt;
use std::sync::OnceLock;

use data_encoding::{Encoding, Specification};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::secret::WrappingKey;
use crate::{Error, Result};

const ENTROPY_LEN: usize = 25;
const CHECKSUM_LEN: usize = 5;
const ENCODED_LEN: usize = (ENTROPY_LEN + CHECKSUM_LEN) * 8 / 5;
const GROUP: usize = 4;

fn crockford() -> &'static Encoding {
    static ENC: OnceLock<Encoding> = OnceLock::new();
    ENC.get_or_init(|| {
        let mut spec = Specification::new();
        spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
        spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzoOiIlL");
        spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ001111");
        spec.encoding()
            .expect("Crockford base32 is a valid specification")
    })
}

/// A recovery key. Wiped on drop, never printed by `Debug`.
#[derive(Clone)]
pub struct RecoveryKey(Zeroizing<[u8; ENTROPY_LEN]>);

impl RecoveryKey {
    /// Draws a new recovery key.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; ENTROPY_LEN]);
        super::fill_random(bytes.as_mut())?;
        Ok(Self(bytes))
    }

    /// Parses what a person typed: groups may be separated by spaces or
    /// dashes, case does not matter.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::InvalidRecoveryKey {
            reason: reason.to_owned(),
        };
        let compact: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect(),
        );
        if compact.is_empty() {
            return Err(invalid("it is empty"));
        }
        if compact.chars().count() != ENCODED_LEN {
            return Err(Error::InvalidRecoveryKey {
                reason: format!(
                    "it has {} characters, but a recovery key has {ENCODED_LEN} (12 groups of 4)",
                    compact.chars().count()
                ),
            });
        }
        let decoded = Zeroizing::new(crockford().decode(compact.as_bytes()).map_err(|_| {
            invalid("it contains a character that is not in a recovery key (use 0-9 and A-Z)")
        })?);
        let (entropy, checksum) = decoded.split_at(ENTROPY_LEN);
        if checksum != &Sha256::digest(entropy)[..CHECKSUM_LEN] {
            return Err(invalid(
                "the checksum does not match, so at least one character is mistyped",
            ));
        }
        let mut bytes = Zeroizing::new([0u8; ENTROPY_LEN]);
        bytes.copy_from_slice(entropy);
        Ok(Self(bytes))
    }

    /// The printable form: `XXXX-XXXX-…`, twelve groups.
    pub fn display_groups(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new(Vec::with_capacity(ENTROPY_LEN + CHECKSUM_LEN));
        raw.extend_from_slice(self.0.as_ref());
        raw.extend_from_slice(&Sha256::digest(&self.0[..])[..CHECKSUM_LEN]);
        let encoded = Zeroizing::new(crockford().encode(&raw));
        let mut out = Zeroizing::new(String::with_capacity(ENCODED_LEN + ENCODED_LEN / GROUP));
        for (i, c) in encoded.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    /// The slot's wrapping key. The key already carries 200 bits of
    /// entropy, so a fast KDF (HKDF) is enough; argon2 would add nothing.
    pub(crate) fn derive(&self, salt: &[u8]) -> WrappingKey {
        super::subkey(self.0.as_ref(), salt, b"casevault recovery slot v1")
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_form_is_twelve_groups_and_parses_back() {
        let key = RecoveryKey::generate().unwrap();
        let shown = key.display_groups();
        let groups: Vec<&str> = shown.split('-').collect();
        assert_eq!(groups.len(), 12);
        assert!(groups.iter().all(|g| g.len() == 4));
        let again = RecoveryKey::parse(&shown).unwrap();
        assert_eq!(*again.0, *key.0);
    }

    #[test]
    fn parsing_forgives_case_spacing_and_confusable_letters() {
        let key = RecoveryKey::generate().unwrap();
        let shown = key.display_groups().replace('-', " ").to_lowercase();
        let confused = shown.replace('0', "o").replace('1', "l");
        assert_eq!(*RecoveryKey::parse(&confused).unwrap().0, *key.0);
    }

    #[test]
    fn a_single_typo_is_caught_by_the_checksum() {
        let key = RecoveryKey::generate().unwrap();
        let shown = key.display_groups();
        let mut chars: Vec<char> = shown.chars().collect();
        chars[0] = if chars[0] == 'A' { 'B' } else { 'A' };
        let typo: String = chars.into_iter().collect();
        let err = RecoveryKey::parse(&typo).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
    }

    #[test]
    fn wrong_length_and_alphabet_are_explained() {
        assert!(
            RecoveryKey::parse("")
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        assert!(
            RecoveryKey::parse("ABCD-EFGH")
                .unwrap_err()
                .to_string()
                .contains("48")
        );
        let bad = "U".repeat(48);
        assert!(
            RecoveryKey::parse(&bad)
                .unwrap_err()
                .to_string()
                .contains("character")
        );
    }
}
