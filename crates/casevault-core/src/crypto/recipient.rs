//! Public keys from outside: the recipients bundles are sealed to, checked
//! and normalised before they are stored or used, and their fingerprints.

use std::str::FromStr;

use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// A recipient's canonical fingerprint, `SHA256:…` (see
/// [`crate::crypto::fingerprint::of_recipient`]).
pub fn fingerprint(key: &str) -> String {
    // Grouped to read aloud; every comparison goes through
    // `fingerprint::same`, which ignores the grouping.
    crate::crypto::fingerprint::grouped(&crate::crypto::fingerprint::of_recipient(key))
}

/// Checks a public key and returns (normalised key, key type). Accepts
/// `age1…` X25519 recipients and `ssh-ed25519` keys (a trailing comment is
/// dropped); refuses everything else with what to do.
pub fn parse_recipient(text: &str) -> Result<(String, &'static str)> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("key", ProblemCode::KeyRequired));
    }
    if text.starts_with("AGE-SECRET-KEY-") {
        return Err(Error::invalid("key", ProblemCode::KeyIsSecret));
    }
    if text.starts_with("age1") {
        return age::x25519::Recipient::from_str(text)
            .map(|r| (r.to_string(), "age"))
            .map_err(|e| Error::invalid("key", ProblemCode::KeyDamaged.with("detail", e)));
    }
    if text.starts_with("ssh-ed25519 ") {
        let mut parts = text.split_whitespace();
        let key = format!(
            "{} {}",
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default()
        );
        return match age::ssh::Recipient::from_str(&key) {
            Ok(age::ssh::Recipient::SshEd25519(..)) => Ok((key, "ssh-ed25519")),
            _ => Err(Error::invalid(
                "key",
                ProblemCode::KeyDamaged.with(
                    "detail",
                    "an ssh-ed25519 key is the whole line of its .pub file",
                ),
            )),
        };
    }
    if text.starts_with("ssh-") || text.starts_with("ecdsa-") {
        return Err(Error::invalid(
            "key",
            ProblemCode::KeyUnsupported.with("ssh", true),
        ));
    }
    Err(Error::invalid("key", ProblemCode::KeyUnsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGE: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    const SSH: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN alice@example";

    #[test]
    fn good_keys_are_accepted_and_normalised() {
        assert_eq!(
            parse_recipient(&format!("  {AGE}\n")).unwrap(),
            (AGE.to_owned(), "age")
        );
        let (key, kind) = parse_recipient(SSH).unwrap();
        assert_eq!(kind, "ssh-ed25519");
        assert!(!key.contains("alice"), "the comment is dropped: {key}");
        assert!(fingerprint(AGE).starts_with("SHA256:"));
    }

    #[test]
    fn bad_keys_are_refused_with_what_to_do() {
        use crate::model::problem::ProblemCode as P;
        for (bad, says) in [
            ("", P::KeyRequired),
            (&AGE[..AGE.len() - 3], P::KeyDamaged),
            ("age1xyz", P::KeyDamaged),
            ("AGE-SECRET-KEY-1QQQQ", P::KeyIsSecret),
            ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ", P::KeyUnsupported),
            (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqep",
                P::KeyDamaged,
            ),
            ("-----BEGIN PGP PUBLIC KEY BLOCK-----", P::KeyUnsupported),
        ] {
            let err = parse_recipient(bad).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "{bad:?}: {err}");
            assert_eq!(err.problems()[0].code, says, "{bad:?}: {err}");
        }
    }
}
