//! Device keys: one per vault, what a member of a space is.
//!
//! A device key is an Ed25519 signing key (it signs every object and every
//! membership change the device writes) and an age X25519 identity (epoch
//! keys are sealed to it). Its public form is one line of text,
//!
//! ```text
//! casevault-device-v1 <Ed25519 public key, base64> <age1… recipient>
//! ```
//!
//! and its fingerprint is the project's one format
//! ([`casevault_core::crypto::fingerprint`]): the SHA-256 of that line as
//! written, like an age recipient's. The fingerprint covers both keys, so
//! comparing it by phone checks both.

use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::encode::{b64, b64_fixed};
use crate::{Error, Result};

/// First word of a device key's line.
pub const LINE_PREFIX: &str = "casevault-device-v1";

/// A device's identity in objects and in the log: its Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 32]);

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({})", &b64(&self.0)[..8])
    }
}

/// The public half of a device key: what an admin adds to a space.
#[derive(Clone, PartialEq, Eq)]
pub struct DevicePublic {
    verifying: VerifyingKey,
    recipient: String,
}

impl fmt::Debug for DevicePublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevicePublic")
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

impl DevicePublic {
    /// The one line to show, copy, or put in a QR code.
    pub fn line(&self) -> String {
        format!(
            "{LINE_PREFIX} {} {}",
            b64(self.verifying.as_bytes()),
            self.recipient
        )
    }

    /// `SHA256:…` of [`Self::line`], the project's one fingerprint format.
    pub fn fingerprint(&self) -> String {
        casevault_core::crypto::fingerprint::of_recipient(&self.line())
    }

    /// The device's id (its Ed25519 key).
    pub fn id(&self) -> DeviceId {
        DeviceId(self.verifying.to_bytes())
    }

    /// The age recipient that epoch keys are sealed to.
    pub(crate) fn age_recipient(&self) -> Result<age::x25519::Recipient> {
        age::x25519::Recipient::from_str(&self.recipient)
            .map_err(|_| Error::InvalidDeviceKey("the encryption key is damaged"))
    }

    /// Checks an Ed25519 signature by this device.
    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8; 64], what: &'static str) -> Result<()> {
        self.verifying
            .verify_strict(msg, &Signature::from_bytes(sig))
            .map_err(|_| Error::BadSignature { what })
    }

    /// Reads a device key's line. Whitespace between the parts may be any
    /// (a line broken by a mail client still reads); the parts may not.
    pub fn parse(text: &str) -> Result<Self> {
        let mut parts = text.split_whitespace();
        if parts.next() != Some(LINE_PREFIX) {
            return Err(Error::InvalidDeviceKey(
                "it does not start with casevault-device-v1",
            ));
        }
        let (Some(sign), Some(recipient), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::InvalidDeviceKey(
                "it should have exactly three parts",
            ));
        };
        let bytes =
            b64_fixed::<32>(sign).ok_or(Error::InvalidDeviceKey("the signing key is damaged"))?;
        let verifying = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Error::InvalidDeviceKey("the signing key is damaged"))?;
        if verifying.is_weak() {
            return Err(Error::InvalidDeviceKey("the signing key is damaged"));
        }
        // age parses (and checks the bech32 checksum of) the recipient; keep
        // its own canonical spelling so the fingerprint is unique.
        let recipient = age::x25519::Recipient::from_str(recipient)
            .map_err(|_| Error::InvalidDeviceKey("the encryption key is damaged"))?
            .to_string();
        Ok(DevicePublic {
            verifying,
            recipient,
        })
    }
}

impl FromStr for DevicePublic {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

/// A device key with its secrets. Never printed; zeroized on drop (both
/// `ed25519-dalek` and `age` zeroize their secret types).
pub struct DeviceKey {
    signing: SigningKey,
    identity: age::x25519::Identity,
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceKey")
            .field("fingerprint", &self.public().fingerprint())
            .finish_non_exhaustive()
    }
}

impl DeviceKey {
    /// A new device key from the OS random source.
    pub fn generate() -> Result<Self> {
        let seed = Zeroizing::new(casevault_core::crypto::random_bytes::<32>()?);
        Ok(DeviceKey {
            signing: SigningKey::from_bytes(&seed),
            identity: age::x25519::Identity::generate(),
        })
    }

    /// The secret as text, for the vault to store in its encrypted database
    /// (never on disk otherwise): the Ed25519 seed and the age identity.
    pub fn to_secret(&self) -> Zeroizing<String> {
        let seed = Zeroizing::new(self.signing.to_bytes());
        let seed_b64 = Zeroizing::new(b64(seed.as_ref()));
        let identity = self.identity.to_string();
        // Reserved at full size, so that no reallocation leaves a copy.
        let mut out = Zeroizing::new(String::with_capacity(
            seed_b64.len() + 1 + identity.expose_secret().len(),
        ));
        out.push_str(&seed_b64);
        out.push(' ');
        out.push_str(identity.expose_secret());
        out
    }

    /// Reads [`Self::to_secret`] back.
    pub fn from_secret(text: &str) -> Result<Self> {
        let bad = || Error::InvalidDeviceKey("the stored device secret is damaged");
        let mut parts = text.split_whitespace();
        let (Some(seed), Some(identity), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let seed = Zeroizing::new(b64_fixed::<32>(seed).ok_or_else(bad)?);
        Ok(DeviceKey {
            signing: SigningKey::from_bytes(&seed),
            identity: age::x25519::Identity::from_str(identity).map_err(|_| bad())?,
        })
    }

    /// The public half.
    pub fn public(&self) -> DevicePublic {
        DevicePublic {
            verifying: self.signing.verifying_key(),
            recipient: self.identity.to_public().to_string(),
        }
    }

    /// This device's id.
    pub fn id(&self) -> DeviceId {
        DeviceId(self.signing.verifying_key().to_bytes())
    }

    /// Signs `msg` (already domain-separated by [`crate::encode::Signed`]).
    pub(crate) fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.signing.sign(msg).to_bytes()
    }

    /// The age identity that opens epoch keys sealed to this device.
    pub(crate) fn identity(&self) -> &age::x25519::Identity {
        &self.identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use casevault_core::crypto::fingerprint;

    #[test]
    fn the_public_line_round_trips_and_has_the_one_fingerprint_format() {
        let key = DeviceKey::generate().unwrap();
        let public = key.public();
        let line = public.line();
        assert!(line.starts_with(LINE_PREFIX) && !line.contains('\n'));
        let parsed = DevicePublic::parse(&line).unwrap();
        assert_eq!(parsed, public);
        // A line broken and indented by a mail client reads the same.
        let mangled = line.replacen(' ', "\n   ", 2);
        assert_eq!(DevicePublic::parse(&mangled).unwrap(), public);
        let fp = public.fingerprint();
        assert_eq!(fp, fingerprint::of_recipient(&line));
        // The digest of the whole line, so it covers both keys (and is not
        // taken for an OpenSSH key of an unknown type, whose fingerprint
        // would cover the middle part only).
        let digest = crate::encode::sha256(line.as_bytes());
        assert_eq!(fp, format!("{}{}", fingerprint::PREFIX, b64(&digest)));
        assert!(fp.starts_with(fingerprint::PREFIX) && fp.len() == fingerprint::PREFIX.len() + 43);
        assert_ne!(fp, DeviceKey::generate().unwrap().public().fingerprint());
    }

    #[test]
    fn the_secret_round_trips_and_is_never_printed() {
        let key = DeviceKey::generate().unwrap();
        let secret = key.to_secret();
        let back = DeviceKey::from_secret(&secret).unwrap();
        assert_eq!(back.public(), key.public());
        let debug = format!("{key:?}");
        for part in secret.split_whitespace() {
            assert!(!debug.contains(part), "the secret leaked into Debug");
        }
        assert!(!debug.to_lowercase().contains("age-secret-key"));
        let msg = b"m";
        key.public()
            .verify(msg, &back.sign(msg), "test")
            .expect("the restored key signs as the original");
    }

    #[test]
    fn damaged_lines_are_refused_with_a_code() {
        let line = DeviceKey::generate().unwrap().public().line();
        let parts: Vec<&str> = line.split(' ').collect();
        let mut flipped_sign = parts[1].to_owned();
        let c = if flipped_sign.starts_with('A') {
            "B"
        } else {
            "A"
        };
        flipped_sign.replace_range(0..1, c);
        let mut flipped_age = parts[2].to_owned();
        let last = flipped_age.pop().unwrap();
        flipped_age.push(if last == 'q' { 'p' } else { 'q' });
        let cases = [
            String::new(),
            "ssh-ed25519 AAAA".to_owned(),
            format!("{} {}", parts[0], parts[1]),
            format!("{line} extra"),
            format!("{} {} {}", parts[0], &parts[1][1..], parts[2]),
            format!("{} {} {}", parts[0], parts[1], flipped_age),
            format!("{} {} {}", parts[0], parts[1], parts[1]),
        ];
        for bad in cases {
            let err = DevicePublic::parse(&bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidDeviceKey, "{bad:?}");
        }
        // A flipped character in the signing key either fails to decode as
        // a point or yields another key: the fingerprint then differs.
        if let Ok(other) =
            DevicePublic::parse(&format!("{} {} {}", parts[0], flipped_sign, parts[2]))
        {
            assert_ne!(
                other.fingerprint(),
                DevicePublic::parse(&line).unwrap().fingerprint()
            );
        }
    }
}
