//! Cryptographic building blocks, hashing and key parsing. Nothing here is hand-rolled: argon2id,
//! XChaCha20-Poly1305, HKDF and HMAC come from the RustCrypto crates.

pub mod fingerprint;
pub mod hash;
pub mod kdf;
pub mod merkle;
pub mod recipient;
pub mod recovery;
pub mod strength;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::secret::WrappingKey;
use crate::{Error, Result};

/// Fills `buf` from the operating system's CSPRNG.
pub fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf)
        .map_err(|e| Error::Internal(format!("the system random source failed: {e}")))
}

/// Returns `N` random bytes.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill_random(&mut out)?;
    Ok(out)
}

/// Length of an XChaCha20-Poly1305 nonce.
pub const NONCE_LEN: usize = 24;

/// Encrypts `secret` under `kek`, binding `aad` (slot metadata) to it.
pub(crate) fn seal(
    kek: &WrappingKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    secret: &[u8],
) -> Result<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new_from_slice(kek.0.as_ref())
        .map_err(|_| Error::Internal("wrapping key has the wrong length".into()))?;
    cipher
        .encrypt(&XNonce::from(*nonce), Payload { msg: secret, aad })
        .map_err(|_| Error::Internal("key wrapping failed".into()))
}

/// Decrypts what [`seal`] produced. `None` means the key or the data is
/// wrong: the AEAD cannot tell the two apart, and neither should we.
pub(crate) fn open(
    kek: &WrappingKey,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = XChaCha20Poly1305::new_from_slice(kek.0.as_ref()).ok()?;
    cipher
        .decrypt(&XNonce::from(*nonce), Payload { msg: sealed, aad })
        .ok()
        .map(Zeroizing::new)
}

/// Derives a purpose-bound 32-byte subkey with HKDF-SHA256.
pub(crate) fn subkey(ikm: &[u8], salt: &[u8], info: &[u8]) -> WrappingKey {
    let mut out = WrappingKey::zeroed();
    hkdf::Hkdf::<Sha256>::new(Some(salt), ikm)
        .expand(info, out.0.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    out
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Constant-time check of an HMAC-SHA256 tag.
pub(crate) fn hmac_sha256_verify(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binds_aad() {
        let kek = subkey(b"ikm", b"salt", b"test");
        let nonce = random_bytes::<NONCE_LEN>().unwrap();
        let sealed = seal(&kek, &nonce, b"slot-1", b"secret").unwrap();
        assert_eq!(
            open(&kek, &nonce, b"slot-1", &sealed).unwrap().as_slice(),
            b"secret"
        );
        assert!(
            open(&kek, &nonce, b"slot-2", &sealed).is_none(),
            "other AAD must fail"
        );
        let other = subkey(b"ikm2", b"salt", b"test");
        assert!(
            open(&other, &nonce, b"slot-1", &sealed).is_none(),
            "other key must fail"
        );
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(
            open(&kek, &nonce, b"slot-1", &flipped).is_none(),
            "tampering must fail"
        );
    }

    #[test]
    fn hmac_verifies_only_matching_data() {
        let tag = hmac_sha256(b"k", b"data");
        assert!(hmac_sha256_verify(b"k", b"data", &tag));
        assert!(!hmac_sha256_verify(b"k", b"datb", &tag));
        assert!(!hmac_sha256_verify(b"j", b"data", &tag));
    }
}
