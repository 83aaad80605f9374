//! The organisation's signing key and signed checkpoints of the custody log.
//!
//! An Ed25519 key is created inside the vault on first use. Signatures are
//! SSHSIG (OpenSSH's signature format), so anyone can check them with
//! `ssh-keygen -Y verify`, present on Linux, macOS and Windows.
//!
//! A checkpoint is the custody log's head (entry count and hash) and, from
//! v2 on, the root of the log's Merkle tree (RFC 9162; see
//! [`custody::LEAF_FIELDS`]), signed. Kept outside the device (in an export
//! bundle, or a copy sent to the NGO's office), it lets `audit verify
//! --checkpoint` prove later that the chain up to that point was not
//! rewritten and that the vault was not rolled back to an older copy: the
//! two things the log alone cannot show against someone who holds the
//! passphrase. The root also lets a lawyer check each exported entry with
//! an inclusion proof, and two checkpoints be linked by a consistency
//! proof. v1 checkpoints (no root) made before schema 9 still verify, by
//! their head hash.

use std::fmt;

use rusqlite::OptionalExtension;
use serde::Serialize;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use zeroize::Zeroizing;

use super::Vault;
use super::custody::{self, CustodyAction, NewEntry};
use super::store::timestamp;
use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// SSHSIG namespace of custody checkpoints.
pub const CHECKPOINT_NAMESPACE: &str = "casevault-custody-checkpoint";
const CHECKPOINT_HEADER_V1: &str = "casevault custody checkpoint v1";
const CHECKPOINT_HEADER: &str = "casevault custody checkpoint v2";

/// The organisation key, unlocked. Never printed.
pub struct OrgKey {
    private: PrivateKey,
}

impl fmt::Debug for OrgKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgKey")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl OrgKey {
    /// A key for one signature, held only in memory and never stored: a
    /// self-report is signed with a fresh one, so that nothing left in the
    /// reporter's vault can be matched to what they sent.
    pub(crate) fn one_time(comment: &str) -> Result<Self> {
        let seed = Zeroizing::new(crate::crypto::random_bytes::<32>()?);
        let mut private = PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&seed));
        private.set_comment(comment);
        Ok(OrgKey { private })
    }

    /// The public key, in OpenSSH's one-line form.
    pub fn public(&self) -> PublicKey {
        self.private.public_key().clone()
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it (see
    /// [`crate::crypto::fingerprint`]).
    pub fn fingerprint(&self) -> String {
        crate::crypto::fingerprint::of_ssh_key(self.private.public_key())
    }

    /// Signs `message` in `namespace`; returns the armored SSHSIG.
    pub fn sign(&self, namespace: &str, message: &[u8]) -> Result<String> {
        let sig = self
            .private
            .sign(namespace, HashAlg::Sha512, message)
            .map_err(|e| Error::Internal(format!("signing: {e}")))?;
        sig.to_pem(LineEnding::LF)
            .map_err(|e| Error::Internal(format!("signature: {e}")))
    }
}

/// The organisation's public key as shown and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrgPublicKey {
    /// `ssh-ed25519 AAAA… casevault-org`.
    pub openssh: String,
    /// `SHA256:…`.
    pub fingerprint: String,
}

/// A signed checkpoint of the custody log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Checkpoint {
    /// The signed text (see [`checkpoint_text`]).
    pub text: String,
    /// The SSHSIG over `text`, armored.
    pub signature: String,
    /// The signer's public key.
    pub public_key: OrgPublicKey,
    /// Entries in the log when it was signed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// The hash of the last of them.
    pub head_hash: String,
    /// The Merkle tree root over them (hex); the tree's size is `entries`.
    pub root: String,
}

/// The text a checkpoint signs: plain lines, so that a person can read what
/// was signed and `ssh-keygen -Y verify` can check it byte for byte.
/// `entries` is also the Merkle tree's size, `root` its root.
pub fn checkpoint_text(vault_id: &str, entries: u64, head: &str, root: &str, at: &str) -> String {
    format!(
        "{CHECKPOINT_HEADER}\nvault: {vault_id}\nentries: {entries}\nhead: {head}\nroot: {root}\nat: {at}\n"
    )
}

/// A v1 checkpoint, as Casevault wrote them before schema 9 (for the
/// fixture vault that keeps one).
#[cfg(test)]
pub(crate) fn checkpoint_text_v1(vault_id: &str, entries: u64, head: &str, at: &str) -> String {
    format!(
        "{CHECKPOINT_HEADER_V1}\nvault: {vault_id}\nentries: {entries}\nhead: {head}\nat: {at}\n"
    )
}

/// What a checkpoint says, parsed back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointClaim {
    /// The vault it was made in.
    pub vault_id: String,
    /// Entries in the log (the Merkle tree's size).
    pub entries: u64,
    /// The hash of the last of them.
    pub head: String,
    /// The Merkle root; `None` in a v1 checkpoint.
    pub root: Option<crate::crypto::merkle::Hash>,
    /// When it was signed.
    pub at: String,
}

/// Parses a checkpoint's text (v1 or v2). Says nothing about its
/// signature.
pub fn parse_checkpoint(text: &str) -> Result<CheckpointClaim> {
    let bad = || Error::invalid("checkpoint", ProblemCode::NotACheckpoint);
    let mut lines = text.lines();
    let v2 = match lines.next() {
        Some(CHECKPOINT_HEADER) => true,
        Some(CHECKPOINT_HEADER_V1) => false,
        _ => return Err(bad()),
    };
    let mut field = |name: &str| -> Result<String> {
        lines
            .next()
            .and_then(|l| l.strip_prefix(name))
            .and_then(|l| l.strip_prefix(": "))
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    let vault_id = field("vault")?;
    let entries = field("entries")?.parse().map_err(|_| bad())?;
    let head = field("head")?;
    let root = if v2 {
        Some(crate::crypto::merkle::from_hex(&field("root")?).ok_or_else(bad)?)
    } else {
        None
    };
    let at = field("at")?;
    if lines.next().is_some() {
        return Err(bad());
    }
    Ok(CheckpointClaim {
        vault_id,
        entries,
        head,
        root,
        at,
    })
}

/// What checking two checkpoints against each other found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConsistencyCheck {
    /// The older checkpoint's tree size.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub old_size: u64,
    /// The newer checkpoint's tree size.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub new_size: u64,
    /// The RFC 9162 consistency proof from the old tree to the new, hex.
    pub proof: Vec<String>,
    /// What is wrong. Empty: the new log only added to the old one.
    pub problems: Vec<String>,
}

impl Vault {
    /// The organisation key, created (and logged) on first use.
    pub fn org_key(&self) -> Result<OrgKey> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM vault_meta WHERE key = 'org_signing_key'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let seed_hex = match stored {
            Some(s) => Zeroizing::new(s),
            None => {
                let seed = Zeroizing::new(crate::crypto::random_bytes::<32>()?);
                let hex = Zeroizing::new(data_encoding::HEXLOWER.encode(&seed[..]));
                self.conn.execute(
                    "INSERT INTO vault_meta (key, value) VALUES ('org_signing_key', ?1)",
                    [hex.as_str()],
                )?;
                hex
            }
        };
        let mut seed = Zeroizing::new([0u8; 32]);
        let decoded = Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(seed_hex.as_bytes())
                .map_err(|_| {
                    Error::tampered("the organisation key stored in the vault is not valid")
                })?,
        );
        if decoded.len() != 32 {
            return Err(Error::tampered(
                "the organisation key stored in the vault is not valid",
            ));
        }
        seed.copy_from_slice(&decoded);
        let keypair = ssh_key::private::Ed25519Keypair::from_seed(&seed);
        let mut private = PrivateKey::from(keypair);
        private.set_comment("casevault-org");
        Ok(OrgKey { private })
    }

    /// The organisation's public key and fingerprint.
    pub fn org_public_key(&self) -> Result<OrgPublicKey> {
        let key = self.org_key()?;
        Ok(OrgPublicKey {
            openssh: key
                .public()
                .to_openssh()
                .map_err(|e| Error::Internal(format!("public key: {e}")))?,
            fingerprint: crate::crypto::fingerprint::grouped(&key.fingerprint()),
        })
    }

    /// Signs the custody log's current head, then logs that it did.
    pub fn custody_checkpoint(&mut self) -> Result<Checkpoint> {
        let actor = &self.actor();
        let now = self.now();
        let report = self.audit_verify(false, |_, _| {})?;
        if let Some(seq) = report.first_broken_link {
            return Err(Error::tampered(format!(
                "the custody log is broken at entry {seq}; a checkpoint would vouch for it"
            )));
        }
        let key = self.org_key()?;
        let root =
            crate::crypto::merkle::to_hex(&custody::tree(&self.conn, report.entries)?.root());
        let text = checkpoint_text(
            &self.header.body.vault_id,
            report.entries,
            &report.head_hash,
            &root,
            &timestamp(now),
        );
        let signature = key.sign(CHECKPOINT_NAMESPACE, text.as_bytes())?;
        custody::append(
            &self.conn,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::Checkpoint,
                target: None,
                target_kind: None,
                digest: Some(report.head_hash.clone()),
                detail: Some(&format!(
                    "signed checkpoint of {} entries by {}",
                    report.entries,
                    key.fingerprint()
                )),
            },
        )?;
        Ok(Checkpoint {
            text,
            signature,
            public_key: OrgPublicKey {
                openssh: key
                    .public()
                    .to_openssh()
                    .map_err(|e| Error::Internal(format!("public key: {e}")))?,
                fingerprint: crate::crypto::fingerprint::grouped(&key.fingerprint()),
            },
            entries: report.entries,
            head_hash: report.head_hash,
            root,
        })
    }

    /// Checks this vault against a checkpoint made earlier: signed by this
    /// vault's organisation key, for this vault, and the chain still holds
    /// the entry it vouched for. Returns what is wrong, if anything.
    pub fn verify_checkpoint(&self, text: &str, signature: &str) -> Result<Vec<String>> {
        let (claim, mut problems) = self.signed_claim(text, signature)?;
        if !problems.is_empty() {
            return Ok(problems);
        }
        let log = self.custody_log(None)?;
        match log.get((claim.entries as usize).wrapping_sub(1)) {
            _ if claim.entries == 0 => {}
            None => problems.push(format!(
                "the custody log has {} entries but a checkpoint signed at {} saw {}: the vault was rolled back to an older copy",
                log.len(),
                claim.at,
                claim.entries
            )),
            Some(e) if e.hash != claim.head => problems.push(format!(
                "custody log entry {} differs from the one signed at {}: the log was rewritten",
                claim.entries, claim.at
            )),
            Some(_) => {}
        }
        // The Merkle tree says the same independently of the chain: the
        // signed tree must be a prefix of today's, by an RFC 9162
        // consistency proof.
        if let Some(old_root) = claim.root
            && claim.entries > 0
            && (claim.entries as usize) <= log.len()
        {
            let tree = custody::tree(&self.conn, log.len() as u64)?;
            let ok = tree.consistency_proof(claim.entries).is_some_and(|proof| {
                crate::crypto::merkle::verify_consistency(
                    claim.entries,
                    &old_root,
                    tree.size(),
                    &tree.root(),
                    &proof,
                )
            });
            if !ok {
                problems.push(format!(
                    "the custody log's Merkle tree is not an extension of the one signed at {}: the log was rewritten",
                    claim.at
                ));
            }
        }
        Ok(problems)
    }

    /// Checks that checkpoint `new` extends checkpoint `old` (both signed
    /// by this vault's organisation key, both v2), with a consistency
    /// proof computed from this vault's log, and that the log still holds
    /// the tree `new` signed.
    pub fn check_consistency(
        &self,
        old: (&str, &str),
        new: (&str, &str),
    ) -> Result<ConsistencyCheck> {
        let (a, mut problems) = self.signed_claim(old.0, old.1)?;
        let (b, more) = self.signed_claim(new.0, new.1)?;
        problems.extend(more);
        let mut out = ConsistencyCheck {
            old_size: a.entries,
            new_size: b.entries,
            proof: Vec::new(),
            problems: Vec::new(),
        };
        let (Some(old_root), Some(new_root)) = (a.root, b.root) else {
            problems.push(
                "a checkpoint made before Casevault signed Merkle roots (v1) cannot be linked by a consistency proof; use audit verify --checkpoint".to_owned(),
            );
            out.problems = problems;
            return Ok(out);
        };
        if !problems.is_empty() {
            out.problems = problems;
            return Ok(out);
        }
        if a.entries > b.entries {
            problems.push(format!(
                "the first checkpoint saw {} entries and the second {}: give the older one first",
                a.entries, b.entries
            ));
        } else if b.entries > self.custody_log(None)?.len() as u64 {
            problems.push(format!(
                "the custody log is shorter than the {} entries signed at {}: the vault was rolled back to an older copy",
                b.entries, b.at
            ));
        } else {
            let tree = custody::tree(&self.conn, b.entries)?;
            if tree.root() != new_root {
                problems.push(format!(
                    "the custody log no longer holds the tree signed at {}: the log was rewritten",
                    b.at
                ));
            }
            let proof = if a.entries == 0 {
                Some(Vec::new())
            } else {
                tree.consistency_proof(a.entries)
            };
            let proof = proof.unwrap_or_default();
            let ok = a.entries == 0
                || crate::crypto::merkle::verify_consistency(
                    a.entries, &old_root, b.entries, &new_root, &proof,
                );
            if !ok {
                problems.push(format!(
                    "the log signed at {} is not a prefix of the log signed at {}: history was rewritten between them",
                    a.at, b.at
                ));
            }
            out.proof = proof.iter().map(crate::crypto::merkle::to_hex).collect();
        }
        out.problems = problems;
        Ok(out)
    }

    /// Parses a checkpoint and checks its signature and vault: the claim,
    /// and what is wrong with it (empty if nothing).
    fn signed_claim(&self, text: &str, signature: &str) -> Result<(CheckpointClaim, Vec<String>)> {
        let claim = parse_checkpoint(text)?;
        let sig = SshSig::from_pem(signature.trim())
            .map_err(|_| Error::invalid("signature", ProblemCode::NotACheckpoint))?;
        let key = self.org_key()?;
        let mut problems = Vec::new();
        if key
            .public()
            .verify(CHECKPOINT_NAMESPACE, text.as_bytes(), &sig)
            .is_err()
        {
            problems.push(format!(
                "the checkpoint is not signed by this vault's organisation key ({})",
                key.fingerprint()
            ));
            return Ok((claim, problems));
        }
        if claim.vault_id != self.header.body.vault_id {
            problems.push("the checkpoint belongs to another vault".to_owned());
        }
        Ok((claim, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;

    fn vault(dir: &std::path::Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("checkpoint test passphrase: quartz harbour 1997");
        let (mut v, _) =
            Vault::create(dir, &pass, &options, crate::session::testing::session()).unwrap();
        for i in 0..4 {
            v.insert_record("note", &serde_json::json!({ "n": i }))
                .unwrap();
        }
        v
    }

    #[test]
    fn the_key_is_stable_and_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let v = vault(&dir.path().join("v"));
        let a = v.org_public_key().unwrap();
        assert_eq!(a, v.org_public_key().unwrap());
        assert!(a.openssh.starts_with("ssh-ed25519 "));
        assert!(a.fingerprint.starts_with("SHA256:"));
        let debug = format!("{:?}", v.org_key().unwrap());
        assert!(
            debug.contains(&a.fingerprint.replace(' ', "")) && !debug.contains("seed"),
            "{debug}"
        );
    }

    #[test]
    fn a_checkpoint_verifies_and_catches_a_rewritten_chain() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(&dir.path().join("v"));
        let cp = v.custody_checkpoint().unwrap();
        assert!(
            v.verify_checkpoint(&cp.text, &cp.signature)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            v.custody_log(None).unwrap().last().unwrap().action,
            "checkpoint"
        );

        // Someone with the passphrase rewrites entry 2 and re-chains every
        // entry after it: the chain is consistent again…
        v.conn
            .execute_batch(
                "DROP TRIGGER custody_log_no_update; DROP TRIGGER custody_log_no_delete;
                 UPDATE custody_log SET actor = 'nobody' WHERE seq = 2;",
            )
            .unwrap();
        let mut prev = custody::GENESIS.to_owned();
        for e in v.custody_log(None).unwrap() {
            let hash = custody::entry_hash(
                e.seq,
                &e.at,
                &e.actor,
                &e.action,
                e.target.as_deref(),
                e.target_kind.as_deref(),
                e.digest.as_deref(),
                e.detail.as_deref(),
                &prev,
            );
            v.conn
                .execute(
                    "UPDATE custody_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
                    rusqlite::params![prev, hash, e.seq as i64],
                )
                .unwrap();
            prev = hash;
        }
        assert_eq!(
            v.audit_verify(false, |_, _| {}).unwrap().first_broken_link,
            None
        );
        // …but not with the checkpoint signed before.
        let problems = v.verify_checkpoint(&cp.text, &cp.signature).unwrap();
        assert!(problems[0].contains("rewritten"), "{problems:?}");
        // The Merkle consistency proof fails on its own as well.
        assert!(
            problems.iter().any(|p| p.contains("Merkle")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_forged_or_foreign_checkpoint_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(&dir.path().join("v"));
        let cp = v.custody_checkpoint().unwrap();
        let edited = cp.text.replace("entries: ", "entries: 1");
        let problems = v.verify_checkpoint(&edited, &cp.signature).unwrap();
        assert!(problems[0].contains("not signed"), "{problems:?}");
        let other = vault(&dir.path().join("w"));
        let problems = other.verify_checkpoint(&cp.text, &cp.signature).unwrap();
        assert!(problems[0].contains("not signed"), "{problems:?}");
        assert!(v.verify_checkpoint("hello", &cp.signature).is_err());
        assert!(v.verify_checkpoint(&cp.text, "not a signature").is_err());
    }
}
