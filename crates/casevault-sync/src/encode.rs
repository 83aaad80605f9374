//! The bytes that signatures and MACs cover.
//!
//! Signed data travels as JSON, but a signature never covers JSON text (whose
//! spelling is not unique). It covers this encoding of the *parsed* fields:
//! a domain string, then each field length-prefixed, so that no two different
//! field lists give the same bytes and no signature made for one purpose
//! verifies for another. There is no decoder: a reader parses the JSON and
//! encodes again.

/// Builder for a domain-separated, length-prefixed byte string.
#[derive(Debug)]
pub(crate) struct Signed(Vec<u8>);

impl Signed {
    /// Starts with the domain, e.g. `casevault-sync change v1`.
    pub(crate) fn new(domain: &str) -> Self {
        let mut s = Signed(Vec::with_capacity(256));
        s.bytes(domain.as_bytes());
        s
    }

    /// Appends a length-prefixed byte string.
    pub(crate) fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(b.len() as u64).to_be_bytes());
        self.0.extend_from_slice(b);
        self
    }

    /// Appends a fixed-width integer.
    pub(crate) fn u64(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }

    /// The finished bytes.
    pub(crate) fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0)
    }
}

/// Unpadded standard base64, as in fingerprints.
pub(crate) fn b64(b: &[u8]) -> String {
    data_encoding::BASE64_NOPAD.encode(b)
}

/// Reads [`b64`] text back into exactly `N` bytes.
pub(crate) fn b64_fixed<const N: usize>(s: &str) -> Option<[u8; N]> {
    let v = data_encoding::BASE64_NOPAD.decode(s.as_bytes()).ok()?;
    v.try_into().ok()
}

/// Reads [`b64`] text of any length.
pub(crate) fn b64_vec(s: &str) -> Option<Vec<u8>> {
    data_encoding::BASE64_NOPAD.decode(s.as_bytes()).ok()
}

/// HMAC-SHA256.
pub(crate) fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// SHA-256.
pub(crate) fn sha256(msg: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(msg).into()
}
