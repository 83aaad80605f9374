//! Key fingerprints: one format for every key Casevault shows, so that two
//! people can read them to each other and compare.
//!
//! The format is OpenSSH's: `SHA256:` and the unpadded standard base64 of
//! a SHA-256 digest, exactly what `ssh-keygen -l` prints.
//!
//! - An **ssh-ed25519** key (the organisation's signing key, an
//!   ssh-ed25519 recipient): the digest of the key blob, as OpenSSH
//!   computes it.
//! - An **age** recipient (`age1…`) has no fingerprint of its own in the
//!   age specification. Casevault takes the digest of the recipient text as
//!   written (lowercase `age1…`), which anyone can recompute with stock
//!   tools: `printf '%s' age1… | openssl dgst -sha256 -binary | base64 | tr -d '='`.
//!
//! The canonical string (no spaces) is what is stored, signed and compared.
//! People see [`grouped`]: the same characters in groups of four, easier to
//! read aloud ("three six capital I capital A"). [`same`] compares two
//! fingerprints ignoring that grouping.

use sha2::{Digest, Sha256};

/// Prefix of every fingerprint.
pub const PREFIX: &str = "SHA256:";

/// Characters per group in [`grouped`].
const GROUP: usize = 4;

/// The canonical fingerprint of an OpenSSH public key.
pub fn of_ssh_key(key: &ssh_key::PublicKey) -> String {
    key.fingerprint(ssh_key::HashAlg::Sha256).to_string()
}

/// The canonical fingerprint of a recipient as Casevault accepts it: an
/// OpenSSH key (`ssh-ed25519 AAAA…`, with or without a comment) by its key
/// blob, anything else (`age1…`) by its text, trimmed.
pub fn of_recipient(key: &str) -> String {
    let key = key.trim();
    match ssh_key::PublicKey::from_openssh(key) {
        Ok(k) => of_ssh_key(&k),
        Err(_) => format!(
            "{PREFIX}{}",
            data_encoding::BASE64_NOPAD.encode(&Sha256::digest(key.as_bytes()))
        ),
    }
}

/// Drops the spaces (and any other whitespace) of a grouped fingerprint.
pub fn canonical(fingerprint: &str) -> String {
    fingerprint.split_whitespace().collect()
}

/// `SHA256:36IA 6a8x …`: the canonical fingerprint in groups of four, to
/// show and read aloud. Anything not in the `SHA256:` format is returned
/// as it is.
pub fn grouped(fingerprint: &str) -> String {
    let canonical = canonical(fingerprint);
    let Some(body) = canonical.strip_prefix(PREFIX) else {
        return fingerprint.to_owned();
    };
    let groups: Vec<String> = body
        .chars()
        .collect::<Vec<_>>()
        .chunks(GROUP)
        .map(|c| c.iter().collect())
        .collect();
    format!("{PREFIX}{}", groups.join(" "))
}

/// Whether two fingerprints are the same, however either is grouped.
/// Base64 is case-sensitive, so case counts.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (canonical(a), canonical(b));
    !a.is_empty() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    const SSH: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN alice@example";
    const AGE: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    #[test]
    fn grouping_is_for_reading_only() {
        let fp = of_recipient(SSH);
        assert!(fp.starts_with(PREFIX) && !fp.contains(' '), "{fp}");
        assert_eq!(fp.len(), PREFIX.len() + 43);
        let shown = grouped(&fp);
        assert_eq!(canonical(&shown), fp);
        assert!(same(&shown, &fp));
        assert!(
            shown
                .strip_prefix(PREFIX)
                .unwrap()
                .split(' ')
                .all(|g| g.len() <= GROUP)
        );
        assert!(!same(&fp.to_lowercase(), &fp), "base64 is case-sensitive");
        assert!(!same("", ""));
    }

    #[test]
    fn an_age_recipient_has_a_fingerprint_in_the_same_format() {
        let fp = of_recipient(AGE);
        assert!(fp.starts_with(PREFIX) && fp.len() == PREFIX.len() + 43);
        assert_eq!(fp, of_recipient(&format!("  {AGE}\n")));
        assert_ne!(fp, of_recipient(SSH));
        // The comment of an ssh key is not part of it.
        let (bare, _) = SSH.rsplit_once(' ').unwrap();
        assert_eq!(of_recipient(bare), of_recipient(SSH));
    }
}
