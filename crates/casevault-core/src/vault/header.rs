//! The key-slot header: the only part of a vault that is read before
//! unlocking. It holds the data key wrapped once per credential (key slot),
//! each slot with its own KDF parameters.
//!
//! What the header reveals to someone who copies it: the vault id, when it
//! was created, how many slots of which kind, their KDF costs, and the
//! failed-unlock policy. Nothing about the cases inside.
//!
//! The whole body is authenticated with an HMAC under a key derived from
//! the data key, so a changed slot list or policy is detected on unlock.
//! The failed-unlock counter sits outside the MAC because it must be
//! written while the vault is locked.
//!
//! The MAC is computed over a serialisation of the parsed body, so on its
//! own it would accept any bytes that parse to the same value (a lowercase
//! `z` in a timestamp, an escaped letter, other whitespace). Rather than
//! change the format, [`Header::parse`] accepts only the exact bytes this
//! module writes for the value it parsed: the stored bytes are then a
//! function of the parsed header, and the MAC over the body covers exactly
//! what is on disk. Existing vaults keep opening, because every header was
//! written by that same serialisation. Everything outside the MAC is
//! pinned too: the magic, the format (exactly [`HEADER_FORMAT`]), and the
//! counter, which must be 0 without a wipe policy (Casevault counts only
//! with one). All of that is checked before any key derivation runs.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::kdf::Argon2Params;
use crate::crypto::recovery::RecoveryKey;
use crate::crypto::{self, NONCE_LEN};
use crate::secret::{DataKey, Passphrase, WrappingKey};
use crate::{Error, Result};

/// The header format this build writes and the newest it reads.
pub const HEADER_FORMAT: u32 = 1;
const MAGIC: &str = "casevault-keyslots";
/// A header larger than this is not ours; refuse before parsing.
const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// Length of a vault id: 16 random bytes in lowercase hex.
const VAULT_ID_LEN: usize = 32;

/// Which credential a slot opens with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// A passphrase, through argon2id.
    Passphrase,
    /// The printed recovery key, through HKDF.
    Recovery,
}

/// How a slot's wrapping key is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "alg", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SlotKdf {
    /// argon2id v1.3 with these costs.
    Argon2id(Argon2Params),
    /// HKDF-SHA256 (for the high-entropy recovery key).
    HkdfSha256,
}

/// One wrapped copy of the data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySlot {
    /// Slot number, unique within the header.
    pub id: u32,
    /// What opens it.
    pub kind: SlotKind,
    /// Key derivation.
    pub kdf: SlotKdf,
    #[serde(with = "b64")]
    salt: Vec<u8>,
    #[serde(with = "b64")]
    nonce: Vec<u8>,
    #[serde(with = "b64")]
    wrapped_key: Vec<u8>,
}

/// The authenticated part of the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderBody {
    /// Random id of this vault (hex), also bound into every slot.
    pub vault_id: String,
    /// When the vault was created.
    pub created_at: DateTime<Utc>,
    /// The key slots. Empty after a wipe.
    pub slots: Vec<KeySlot>,
    /// Destroy the slots after this many failed unlocks in a row.
    pub wipe_after_failed_unlocks: Option<u32>,
}

/// The header as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    magic: String,
    /// Header format version.
    pub format: u32,
    /// The authenticated body.
    pub body: HeaderBody,
    /// Failed unlocks since the last success, as vaults before the separate
    /// counter file kept them (see `vault::attempts`). Still honoured and
    /// reset at the next success; no longer written by a failed attempt.
    pub failed_unlocks: u32,
    #[serde(with = "b64")]
    mac: Vec<u8>,
}

/// Something that can open a key slot.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A passphrase.
    Passphrase(Passphrase),
    /// The recovery key.
    RecoveryKey(RecoveryKey),
}

impl Credential {
    fn kind(&self) -> SlotKind {
        match self {
            Credential::Passphrase(_) => SlotKind::Passphrase,
            Credential::RecoveryKey(_) => SlotKind::Recovery,
        }
    }
}

impl KeySlot {
    fn aad(&self, vault_id: &str) -> Result<Vec<u8>> {
        serde_json::to_vec(&(
            "casevault keyslot v1",
            vault_id,
            self.id,
            self.kind,
            self.kdf,
            &self.salt,
        ))
        .map_err(|e| Error::Internal(format!("slot metadata: {e}")))
    }

    fn wrapping_key(&self, credential: &Credential) -> Result<Option<WrappingKey>> {
        Ok(match (self.kdf, credential) {
            (SlotKdf::Argon2id(params), Credential::Passphrase(p))
                if self.kind == SlotKind::Passphrase =>
            {
                params.validate_stored()?;
                Some(params.derive(p, &self.salt)?)
            }
            (SlotKdf::HkdfSha256, Credential::RecoveryKey(k))
                if self.kind == SlotKind::Recovery =>
            {
                Some(k.derive(&self.salt))
            }
            _ => None,
        })
    }

    /// Wraps `key` for `credential` into a new slot.
    pub(crate) fn seal(
        id: u32,
        vault_id: &str,
        credential: &Credential,
        kdf: SlotKdf,
        key: &DataKey,
    ) -> Result<Self> {
        let mut slot = KeySlot {
            id,
            kind: credential.kind(),
            kdf,
            salt: crypto::random_bytes::<16>()?.to_vec(),
            nonce: crypto::random_bytes::<NONCE_LEN>()?.to_vec(),
            wrapped_key: vec![],
        };
        let kek = slot
            .wrapping_key(credential)?
            .ok_or_else(|| Error::Internal("credential does not match slot kind".into()))?;
        let nonce: [u8; NONCE_LEN] = slot
            .nonce
            .as_slice()
            .try_into()
            .expect("fresh nonce has the right length");
        slot.wrapped_key = crypto::seal(&kek, &nonce, &slot.aad(vault_id)?, key.expose())?;
        Ok(slot)
    }

    /// Tries to unwrap the data key. `Ok(None)`: wrong credential (or a
    /// damaged slot; the AEAD cannot tell which).
    fn unseal(&self, vault_id: &str, credential: &Credential) -> Result<Option<DataKey>> {
        let Some(kek) = self.wrapping_key(credential)? else {
            return Ok(None);
        };
        let nonce: [u8; NONCE_LEN] = self
            .nonce
            .as_slice()
            .try_into()
            .map_err(|_| Error::tampered("a key slot has a malformed nonce"))?;
        match crypto::open(&kek, &nonce, &self.aad(vault_id)?, &self.wrapped_key) {
            Some(bytes) => Ok(Some(DataKey::from_slice(&bytes)?)),
            None => Ok(None),
        }
    }
}

impl Header {
    /// A new header for a new vault. Slots are added with [`Header::set_slot`].
    pub(crate) fn new(now: DateTime<Utc>) -> Result<Self> {
        Ok(Header {
            magic: MAGIC.into(),
            format: HEADER_FORMAT,
            body: HeaderBody {
                vault_id: data_encoding::HEXLOWER.encode(&crypto::random_bytes::<16>()?),
                created_at: now,
                slots: vec![],
                wipe_after_failed_unlocks: None,
            },
            failed_unlocks: 0,
            mac: vec![],
        })
    }

    /// Replaces every slot of `credential`'s kind with a fresh one.
    pub(crate) fn set_slot(
        &mut self,
        credential: &Credential,
        kdf: SlotKdf,
        key: &DataKey,
    ) -> Result<()> {
        let id = self.body.slots.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        let slot = KeySlot::seal(id, &self.body.vault_id, credential, kdf, key)?;
        self.body.slots.retain(|s| s.kind != slot.kind);
        self.body.slots.push(slot);
        self.body.slots.sort_by_key(|s| s.id);
        Ok(())
    }

    /// Finds the slot `credential` opens and returns the data key.
    pub(crate) fn unlock(&self, credential: &Credential) -> Result<Option<DataKey>> {
        for slot in self
            .body
            .slots
            .iter()
            .filter(|s| s.kind == credential.kind())
        {
            if let Some(key) = slot.unseal(&self.body.vault_id, credential)? {
                return Ok(Some(key));
            }
        }
        Ok(None)
    }

    fn mac_key(&self, key: &DataKey) -> WrappingKey {
        crypto::subkey(
            key.expose(),
            self.body.vault_id.as_bytes(),
            b"casevault header mac v1",
        )
    }

    fn body_bytes(&self) -> Result<Zeroizing<Vec<u8>>> {
        serde_json::to_vec(&self.body)
            .map(Zeroizing::new)
            .map_err(|e| Error::Internal(format!("header body: {e}")))
    }

    /// Recomputes the MAC after a change to the body.
    pub(crate) fn authenticate(&mut self, key: &DataKey) -> Result<()> {
        self.mac = crypto::hmac_sha256(self.mac_key(key).0.as_ref(), &self.body_bytes()?).to_vec();
        Ok(())
    }

    /// Checks the MAC with the unlocked data key.
    pub(crate) fn verify(&self, key: &DataKey) -> Result<()> {
        if crypto::hmac_sha256_verify(self.mac_key(key).0.as_ref(), &self.body_bytes()?, &self.mac)
        {
            Ok(())
        } else {
            Err(Error::tampered(
                "the key-slot header's authentication code does not match",
            ))
        }
    }

    /// True when the slots were destroyed by the failed-unlock policy.
    pub fn keys_destroyed(&self) -> bool {
        self.body.slots.is_empty()
    }

    /// Reads and checks the structure of the header at `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::tampered("the key-slot header file is missing"),
            _ => Error::io("read", path, e),
        })?;
        let len = file
            .metadata()
            .map_err(|e| Error::io("read", path, e))?
            .len();
        if len > MAX_HEADER_BYTES {
            return Err(Error::tampered(
                "the key-slot header is far larger than any Casevault writes",
            ));
        }
        // Read through a limit as well: the file may grow after the check.
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, MAX_HEADER_BYTES + 1),
            &mut bytes,
        )
        .map_err(|e| Error::io("read", path, e))?;
        if bytes.len() as u64 > MAX_HEADER_BYTES {
            return Err(Error::tampered(
                "the key-slot header is far larger than any Casevault writes",
            ));
        }
        Self::parse(&bytes)
    }

    /// Parses header bytes: magic first, then the version, then the rest,
    /// so that a newer format gets "update Casevault", not a parse error.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let not_ours = || Error::tampered("the key-slot header is unreadable");
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| not_ours())?;
        if value.get("magic").and_then(|m| m.as_str()) != Some(MAGIC) {
            return Err(not_ours());
        }
        let format = value
            .get("format")
            .and_then(|f| f.as_u64())
            .ok_or_else(not_ours)?;
        let format = u32::try_from(format).map_err(|_| not_ours())?;
        if format > HEADER_FORMAT {
            return Err(Error::NewerVersion {
                found: format,
                supported: HEADER_FORMAT,
            });
        }
        if format != HEADER_FORMAT {
            return Err(not_ours());
        }
        let header: Header = serde_json::from_value(value).map_err(|_| not_ours())?;
        // The MAC covers a re-serialisation of the body; only the canonical
        // bytes make it cover what is stored (see the module docs).
        if header.to_bytes()? != bytes {
            return Err(Error::tampered(
                "the key-slot header is not laid out as Casevault writes it",
            ));
        }
        let id = &header.body.vault_id;
        if id.len() != VAULT_ID_LEN || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(Error::tampered(
                "the key-slot header has a malformed vault id",
            ));
        }
        if header.body.wipe_after_failed_unlocks.is_none() && header.failed_unlocks != 0 {
            return Err(Error::tampered(
                "the key-slot header counts failed unlocks without a wipe policy",
            ));
        }
        let mut ids: Vec<u32> = header.body.slots.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != header.body.slots.len() {
            return Err(Error::tampered("the key-slot header lists a slot twice"));
        }
        Ok(header)
    }

    /// Writes the header atomically: temp file, fsync, rename, fsync of
    /// the directory. A crash leaves either the old or the new header.
    pub fn write_atomic(&self, path: &Path) -> Result<()> {
        write_file_atomic(path, &self.to_bytes()?)
    }

    /// The header's one canonical form on disk, which [`Header::parse`]
    /// insists on.
    fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| Error::Internal(format!("header: {e}")))
    }
}

/// Writes `bytes` to `path` through a temp file in the same directory.
pub(crate) fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_path_for(path);
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(|e| Error::io("create", &tmp, e))?;
        f.write_all(bytes)
            .map_err(|e| Error::io("write", &tmp, e))?;
        f.sync_all().map_err(|e| Error::io("sync", &tmp, e))?;
        fs::rename(&tmp, path).map_err(|e| Error::io("replace", path, e))?;
        sync_dir(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The temp file [`write_file_atomic`] uses for `path`.
pub(crate) fn temp_path_for(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Makes a rename in `path`'s directory durable.
pub(crate) fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let d = File::open(dir).map_err(|e| Error::io("open", dir, e))?;
        d.sync_all().map_err(|e| Error::io("sync", dir, e))?;
    }
    Ok(())
}

mod b64 {
    use data_encoding::BASE64;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE64
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_with_passphrase(pass: &str) -> (Header, DataKey) {
        let key = DataKey::generate().unwrap();
        let mut h = Header::new(crate::session::testing::now()).unwrap();
        h.set_slot(
            &Credential::Passphrase(pass.into()),
            SlotKdf::Argon2id(Argon2Params::FLOOR),
            &key,
        )
        .unwrap();
        h.authenticate(&key).unwrap();
        (h, key)
    }

    #[test]
    fn right_passphrase_unwraps_and_wrong_does_not() {
        let (h, key) = header_with_passphrase("right");
        let got = h
            .unlock(&Credential::Passphrase("right".into()))
            .unwrap()
            .unwrap();
        assert_eq!(got.expose(), key.expose());
        assert!(
            h.unlock(&Credential::Passphrase("wrong".into()))
                .unwrap()
                .is_none()
        );
        h.verify(&key).unwrap();
    }

    #[test]
    fn a_changed_policy_breaks_the_mac() {
        let (mut h, key) = header_with_passphrase("right");
        h.body.wipe_after_failed_unlocks = Some(3);
        assert!(matches!(h.verify(&key), Err(Error::Tampered { .. })));
    }

    #[test]
    fn slot_metadata_is_bound_to_the_wrapped_key() {
        let (mut h, _) = header_with_passphrase("right");
        // Moving a slot to another vault id must break it.
        h.body.vault_id = "00".repeat(16);
        assert!(
            h.unlock(&Credential::Passphrase("right".into()))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn parse_rejects_garbage_newer_formats_and_duplicate_slots() {
        let (h, _) = header_with_passphrase("right");
        let good = h.to_bytes().unwrap();
        assert_eq!(Header::parse(&good).unwrap(), h);
        assert!(matches!(
            Header::parse(b"not json"),
            Err(Error::Tampered { .. })
        ));
        assert!(matches!(
            Header::parse(&good[..good.len() / 2]),
            Err(Error::Tampered { .. })
        ));
        let mut newer: serde_json::Value = serde_json::from_slice(&good).unwrap();
        newer["format"] = 99.into();
        newer["something_new"] = true.into();
        let err = Header::parse(&serde_json::to_vec(&newer).unwrap()).unwrap_err();
        assert!(
            matches!(err, Error::NewerVersion { found: 99, .. }),
            "{err}"
        );
        let mut dup = h.clone();
        dup.body.slots.push(dup.body.slots[0].clone());
        assert!(matches!(
            Header::parse(&dup.to_bytes().unwrap()),
            Err(Error::Tampered { .. })
        ));
    }

    /// The same value in other bytes: the MAC (over a re-serialisation)
    /// would accept each, so parsing must not.
    #[test]
    fn parse_accepts_only_the_canonical_bytes() {
        let (h, _) = header_with_passphrase("right");
        let good = String::from_utf8(h.to_bytes().unwrap()).unwrap();
        let stamp = serde_json::to_string(&h.body.created_at).unwrap();
        assert!(stamp.ends_with("Z\""), "{stamp}");
        let variants = [
            good.replacen(&stamp, &stamp.replace('Z', "z"), 1),
            good.replacen(&stamp, &stamp.replace('Z', "+00:00"), 1),
            good.replacen("\"magic\"", "\"\\u006dagic\"", 1),
            good.replacen("\n", "\r\n", 1),
            format!("{good}\n"),
            serde_json::to_string(&h).unwrap(),
        ];
        for v in variants {
            assert_ne!(v, good);
            assert_eq!(
                serde_json::from_str::<Header>(&v).unwrap(),
                h,
                "the variant must mean the same header"
            );
            assert!(
                matches!(Header::parse(v.as_bytes()), Err(Error::Tampered { .. })),
                "accepted {v}"
            );
        }
        let mut counted = h.clone();
        counted.failed_unlocks = 1;
        assert!(matches!(
            Header::parse(&counted.to_bytes().unwrap()),
            Err(Error::Tampered { .. })
        ));
        counted.body.wipe_after_failed_unlocks = Some(5);
        Header::parse(&counted.to_bytes().unwrap()).unwrap();
        let mut older = h.clone();
        older.format = 0;
        assert!(matches!(
            Header::parse(&older.to_bytes().unwrap()),
            Err(Error::Tampered { .. })
        ));
    }
}
