//! Sealed objects: one change, signed by its author, encrypted under the
//! epoch key, padded, and filed under a name only members can compute.
//!
//! A change is (space, author device, per-device sequence number, epoch,
//! payload). The author signs it (Ed25519 over a domain-separated encoding
//! of every field); the signed change is encrypted with XChaCha20-Poly1305
//! under the epoch key, with the object's name and epoch as associated
//! data, so that a relay cannot file one object under another's name or
//! epoch. The plaintext is padded (Padmé, at least 1 KiB) before
//! encryption, so the remote sees sizes only to within about 12%.
//!
//! On the remote an object is
//!
//! ```text
//! "CVS1" ‖ epoch (u32, big-endian) ‖ nonce (24) ‖ ciphertext
//! ```
//!
//! and its name is the lowercase hex of HMAC-SHA256(naming key, space ‖
//! author ‖ sequence number ‖ slot): the remote never sees the space, the author
//! or the number. The epoch number is in clear so the reader can pick its
//! key; the remote learns how many times a space's members changed.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::device::{DeviceId, DeviceKey};
use crate::encode::{Signed, b64, b64_fixed, b64_vec, hmac, sha256};
use crate::keys::{NONCE_LEN, SpaceKeys, open, seal};
use crate::log::{Log, SpaceId};
use crate::remote::ObjectName;
use crate::{Error, Result};

const MAGIC: &[u8; 4] = b"CVS1";
const HEADER_LEN: usize = 8;
const TAG_LEN: usize = 16;
/// Bytes an object adds to its padded plaintext.
const OVERHEAD: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;
/// The smallest object: a short edit looks like any other.
pub const MIN_OBJECT: usize = 1024;
/// The largest object this version writes or reads. Evidence files travel
/// in chunks well under it.
pub const MAX_OBJECT: usize = 64 << 20;

/// One change, verified (when read) or about to be sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct Change {
    /// The space.
    pub space: SpaceId,
    /// The device that wrote it.
    pub author: DeviceId,
    /// The author's sequence number for it, from 1, without gaps.
    pub seq: u64,
    /// The epoch whose key sealed it.
    pub epoch: u32,
    /// What the change says (opaque here; see [`crate::replica`]).
    pub payload: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Change")
            .field("author", &self.author)
            .field("seq", &self.seq)
            .field("epoch", &self.epoch)
            .field(
                "payload",
                &format_args!("<{} bytes redacted>", self.payload.len()),
            )
            .finish()
    }
}

impl Change {
    fn signed_bytes(&self) -> Vec<u8> {
        Signed::new("casevault-sync change v1")
            .bytes(&self.space.0)
            .bytes(&self.author.0)
            .u64(self.seq)
            .u64(u64::from(self.epoch))
            .bytes(&self.payload)
            .finish()
    }

    /// A digest of everything the author signed: two different changes
    /// under one (author, seq) have different digests.
    pub fn digest(&self) -> [u8; 32] {
        sha256(&self.signed_bytes())
    }
}

/// The signed change inside the encryption, as written.
#[derive(Serialize)]
struct InnerRef<'a> {
    space: &'a str,
    author: &'a str,
    seq: u64,
    epoch: u32,
    payload: &'a str,
    sig: &'a str,
}

/// The signed change inside the encryption, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Inner {
    space: String,
    author: String,
    seq: u64,
    epoch: u32,
    payload: String,
    sig: String,
}

/// The name of `author`'s change number `seq` in a space (its first slot).
pub fn change_name(keys: &SpaceKeys, space: SpaceId, author: DeviceId, seq: u64) -> ObjectName {
    change_name_at(keys, space, author, seq, 0)
}

/// The name of slot `slot` of `author`'s change number `seq`.
///
/// Every member, and every removed member (the naming key never
/// changes), can compute the names of everybody's future changes and put
/// junk under them first; objects are put-if-absent, so with one name per
/// change that junk would withhold the change for ever. So each change
/// has slots 0, 1, …: the author takes the first one not holding its own
/// change or junk, and a reader takes the first listed slot whose object
/// verifies. Only the author can sign a change, so two slots that verify
/// hold the same change unless the author's key signed two.
pub fn change_name_at(
    keys: &SpaceKeys,
    space: SpaceId,
    author: DeviceId,
    seq: u64,
    slot: u64,
) -> ObjectName {
    let mac = hmac(
        keys.naming.expose(),
        &Signed::new("casevault-sync object name v1")
            .bytes(&space.0)
            .bytes(&author.0)
            .u64(seq)
            .u64(slot)
            .finish(),
    );
    ObjectName::from_mac(&mac)
}

/// Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files
/// and Communication with PURBs", 2019): rounds `len` up so that only
/// O(log log len) bits of it show, at most about 12% overhead.
pub fn padme(len: usize) -> usize {
    let len = len.max(MIN_OBJECT) as u64;
    let e = 63 - u64::from(len.leading_zeros());
    let s = 64 - u64::from(e.leading_zeros());
    let last_bits = e - s;
    let mask = (1u64 << last_bits) - 1;
    ((len + mask) & !mask) as usize
}

fn aad(name: &ObjectName, epoch: u32) -> Vec<u8> {
    Signed::new("casevault-sync object v1")
        .bytes(name.as_str().as_bytes())
        .u64(u64::from(epoch))
        .finish()
}

/// Signs and seals change `seq` of `device` with `payload`, in the newest
/// epoch of `keys`. Returns its name and its bytes for the remote.
pub fn seal_change(
    device: &DeviceKey,
    keys: &SpaceKeys,
    space: SpaceId,
    seq: u64,
    payload: &[u8],
) -> Result<(ObjectName, Vec<u8>)> {
    seal_change_at(device, keys, space, seq, keys.current_epoch(), 0, payload)
}

/// [`seal_change`] in a given epoch, for a given slot of the change's name.
pub fn seal_change_at(
    device: &DeviceKey,
    keys: &SpaceKeys,
    space: SpaceId,
    seq: u64,
    epoch: u32,
    slot: u64,
    payload: &[u8],
) -> Result<(ObjectName, Vec<u8>)> {
    let change = Change {
        space,
        author: device.id(),
        seq,
        epoch,
        payload: Zeroizing::new(payload.to_vec()),
    };
    let sig = device.sign(&change.signed_bytes());
    let encoded_payload = Zeroizing::new(b64(payload));
    let inner = InnerRef {
        space: &b64(&space.0),
        author: &b64(&change.author.0),
        seq,
        epoch,
        payload: &encoded_payload,
        sig: &b64(&sig),
    };
    let name = change_name_at(keys, space, device.id(), seq, slot);
    let bytes = seal_framed(keys, epoch, &name, encoded_payload.len() + 512, |buf| {
        serde_json::to_writer(buf, &inner)
    })?;
    Ok((name, bytes))
}

/// Encrypts a JSON body under `epoch`'s key for `name`, framed and padded
/// as described above. `reserve` is an upper bound of the body's length:
/// the buffer is reserved at full size, so that no reallocation leaves a
/// copy of the plaintext behind.
pub(crate) fn seal_framed(
    keys: &SpaceKeys,
    epoch: u32,
    name: &ObjectName,
    reserve: usize,
    write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
) -> Result<Vec<u8>> {
    let padded_len = padme(reserve + 4 + OVERHEAD) - OVERHEAD;
    let mut plain = Zeroizing::new(Vec::with_capacity(padded_len));
    plain.extend_from_slice(&[0; 4]);
    write(&mut plain).map_err(|e| Error::Internal(format!("encoding an object: {e}")))?;
    let body_len = plain.len() - 4;
    if plain.len() > padded_len || padded_len + OVERHEAD > MAX_OBJECT {
        return Err(Error::InvalidInput(
            "This change is too large to sync in one object.",
        ));
    }
    plain[..4].copy_from_slice(&(body_len as u32).to_be_bytes());
    plain.resize(padded_len, 0);
    let key = keys.epoch(epoch)?;
    let sealed = seal(key, &plain, &aad(name, epoch))?;
    let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&epoch.to_be_bytes());
    out.extend_from_slice(&sealed);
    debug_assert_eq!(out.len(), padded_len + OVERHEAD);
    Ok(out)
}

/// Decrypts [`seal_framed`]'s output read under `name`; returns the
/// epoch and the JSON body.
pub(crate) fn open_framed(
    keys: &SpaceKeys,
    name: &ObjectName,
    bytes: &[u8],
) -> Result<(u32, Zeroizing<Vec<u8>>)> {
    if bytes.len() < OVERHEAD || bytes.len() > MAX_OBJECT || &bytes[..4] != MAGIC {
        return Err(Error::Tampered("not a Casevault object"));
    }
    let epoch = u32::from_be_bytes(bytes[4..8].try_into().expect("4 bytes"));
    let key = keys.epoch(epoch)?;
    let mut plain = open(key, &bytes[HEADER_LEN..], &aad(name, epoch))
        .ok_or(Error::Tampered("it does not decrypt under its name"))?;
    let bad = || Error::Tampered("its contents are malformed");
    let body_len =
        u32::from_be_bytes(plain.get(..4).ok_or_else(bad)?.try_into().expect("4")) as usize;
    let end = body_len
        .checked_add(4)
        .filter(|e| *e <= plain.len())
        .ok_or_else(bad)?;
    if plain[end..].iter().any(|&b| b != 0) {
        return Err(bad());
    }
    // In place, so the plaintext is never copied out of zeroizing memory.
    plain.truncate(end);
    plain.drain(..4);
    Ok((epoch, plain))
}

/// Opens an object read from the remote under `name`: decrypts it,
/// checks that its author was a member at its epoch and that the
/// signature verifies, and that it is filed under its own name. Anything
/// else is refused with a code; nothing is returned to apply.
pub fn open_change(log: &Log, keys: &SpaceKeys, name: &ObjectName, bytes: &[u8]) -> Result<Change> {
    open_change_at(log, keys, name, 0, bytes)
}

/// [`open_change`] for an object read under slot `slot` of a change's name.
pub fn open_change_at(
    log: &Log,
    keys: &SpaceKeys,
    name: &ObjectName,
    slot: u64,
    bytes: &[u8],
) -> Result<Change> {
    let (epoch, body) = open_framed(keys, name, bytes)?;
    let bad = || Error::Tampered("its contents are malformed");
    let inner: Inner = serde_json::from_slice(&body).map_err(|_| bad())?;
    let inner_payload = Zeroizing::new(inner.payload);
    let change = Change {
        space: SpaceId(b64_fixed::<16>(&inner.space).ok_or_else(bad)?),
        author: DeviceId(b64_fixed::<32>(&inner.author).ok_or_else(bad)?),
        seq: inner.seq,
        epoch: inner.epoch,
        payload: Zeroizing::new(b64_vec(&inner_payload).ok_or_else(bad)?),
    };
    if change.epoch != epoch || change.space != log.space() {
        return Err(Error::Tampered("it claims another space or epoch"));
    }
    let author = log.writer_at(change.author, epoch, change.seq)?;
    let sig = b64_fixed::<64>(&inner.sig).ok_or(Error::BadSignature { what: "a change" })?;
    author.verify(&change.signed_bytes(), &sig, "a change")?;
    if change_name_at(keys, change.space, change.author, change.seq, slot) != *name {
        return Err(Error::Tampered("it is filed under another change's name"));
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    struct Space {
        a: DeviceKey,
        b: DeviceKey,
        log: Log,
        keys: SpaceKeys,
    }

    fn space() -> Space {
        let (a, b) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let (mut log, keys) = Log::create(&a).unwrap();
        log.add(&a, &keys, &b.public(), false).unwrap();
        Space { a, b, log, keys }
    }

    #[test]
    fn a_change_round_trips_and_its_object_hides_everything() {
        let s = space();
        let payload = b"case CANARY-7731: Jane Roe detained".to_vec();
        let (name, bytes) = seal_change(&s.b, &s.keys, s.log.space(), 1, &payload).unwrap();
        let kb = s.log.keys_for(&s.b).unwrap();
        let got = open_change(&s.log, &kb, &name, &bytes).unwrap();
        assert_eq!(got.author, s.b.id());
        assert_eq!((got.seq, got.epoch), (1, 0));
        assert_eq!(&got.payload[..], &payload[..]);
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains("CANARY") && !hay.contains("Jane"));
        for secret in [
            &s.b.public().line(),
            &b64(&s.b.id().0),
            &b64(&s.log.space().0),
        ] {
            assert!(!hay.contains(secret.as_str()));
            assert!(!name.as_str().contains(secret.as_str()));
        }
        assert_eq!(bytes.len(), MIN_OBJECT);
        assert_eq!(name.as_str().len(), 64);
    }

    #[test]
    fn sizes_fall_in_padme_buckets() {
        let s = space();
        let mut sizes = std::collections::BTreeSet::new();
        for len in [0, 10, 500, 600, 700, 2000, 2100, 70_000, 70_500] {
            let (_, bytes) = seal_change(&s.a, &s.keys, s.log.space(), 1, &vec![7; len]).unwrap();
            assert_eq!(bytes.len(), padme(bytes.len()), "{len}");
            assert!(bytes.len() as f64 <= (len as f64 * 4.0 / 3.0 + 600.0).max(1024.0) * 1.13);
            sizes.insert(bytes.len());
        }
        // Near sizes share a bucket.
        assert!(sizes.len() < 9, "{sizes:?}");
        for len in [1, 1024, 1025, 5000, 1 << 20, (1 << 20) + 1] {
            let p = padme(len);
            assert!(
                p >= len && p >= MIN_OBJECT && (p as f64) <= (len.max(MIN_OBJECT) as f64) * 1.13
            );
            assert_eq!(padme(p), p);
        }
    }

    #[test]
    fn every_flipped_bit_is_refused() {
        let s = space();
        let (name, bytes) = seal_change(&s.a, &s.keys, s.log.space(), 1, b"x").unwrap();
        for i in 0..bytes.len() * 8 {
            let mut b = bytes.clone();
            b[i / 8] ^= 1 << (i % 8);
            let err = open_change(&s.log, &s.keys, &name, &b).unwrap_err();
            // A flip in the epoch number asks for a key nobody has.
            assert!(
                matches!(err.code(), ErrorCode::Tampered | ErrorCode::UnknownEpoch),
                "bit {i}: {err:?}"
            );
        }
        let truncated = &bytes[..bytes.len() - 1];
        assert_eq!(
            open_change(&s.log, &s.keys, &name, truncated)
                .unwrap_err()
                .code(),
            ErrorCode::Tampered
        );
    }

    #[test]
    fn an_object_under_another_name_is_refused() {
        let s = space();
        let (_, one) = seal_change(&s.a, &s.keys, s.log.space(), 1, b"one").unwrap();
        let (two_name, _) = seal_change(&s.a, &s.keys, s.log.space(), 2, b"two").unwrap();
        let err = open_change(&s.log, &s.keys, &two_name, &one).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Tampered);
    }

    #[test]
    fn a_change_by_a_non_member_or_a_removed_member_is_refused() {
        let mut s = space();
        // A stranger that somehow holds the keys (a leaked laptop of a
        // non-member) writes a well-formed object.
        let stranger = DeviceKey::generate().unwrap();
        let (name, bytes) = seal_change(&stranger, &s.keys, s.log.space(), 1, b"forged").unwrap();
        assert_eq!(
            open_change(&s.log, &s.keys, &name, &bytes)
                .unwrap_err()
                .code(),
            ErrorCode::NotMember
        );

        // B is removed after its change 1; it keeps epoch 0's key and writes on.
        let kb = s.log.keys_for(&s.b).unwrap();
        let (n1, o1) = seal_change(&s.b, &kb, s.log.space(), 1, b"before").unwrap();
        s.log.remove(&s.a, &mut s.keys, s.b.id(), 1).unwrap();
        let (n2, o2) = seal_change(&s.b, &kb, s.log.space(), 2, b"after").unwrap();
        assert!(open_change(&s.log, &s.keys, &n1, &o1).is_ok());
        assert_eq!(
            open_change(&s.log, &s.keys, &n2, &o2).unwrap_err().code(),
            ErrorCode::NotMember
        );
        // What the others write now, B cannot read.
        let (n3, o3) = seal_change(&s.a, &s.keys, s.log.space(), 1, b"secret").unwrap();
        assert_eq!(o3[4..8], 1u32.to_be_bytes());
        assert_eq!(
            open_change(&s.log, &kb, &n3, &o3).unwrap_err().code(),
            ErrorCode::UnknownEpoch
        );
    }

    #[test]
    fn a_signature_by_another_member_is_refused() {
        let s = space();
        // B seals a change claiming to be A's (it has the epoch key, not
        // A's signing key).
        let change = Change {
            space: s.log.space(),
            author: s.a.id(),
            seq: 1,
            epoch: 0,
            payload: Zeroizing::new(b"impersonation".to_vec()),
        };
        let inner = InnerRef {
            space: &b64(&change.space.0),
            author: &b64(&change.author.0),
            seq: 1,
            epoch: 0,
            payload: &b64(&change.payload),
            sig: &b64(&s.b.sign(&change.signed_bytes())),
        };
        let json = serde_json::to_vec(&inner).unwrap();
        let mut plain = (json.len() as u32).to_be_bytes().to_vec();
        plain.extend_from_slice(&json);
        let name = change_name(&s.keys, s.log.space(), s.a.id(), 1);
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&0u32.to_be_bytes());
        bytes.extend_from_slice(&seal(s.keys.epoch(0).unwrap(), &plain, &aad(&name, 0)).unwrap());
        let err = open_change(&s.log, &s.keys, &name, &bytes).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadSignature);
    }
}
