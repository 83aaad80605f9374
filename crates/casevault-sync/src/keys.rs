//! A space's symmetric keys, as one member holds them.
//!
//! - The **naming key** (32 random bytes, made with the space, never
//!   changed) keys the HMAC that names objects, so that every member, in
//!   every epoch, finds the same object under the same name.
//! - An **epoch key** (32 random bytes) encrypts everything written in its
//!   epoch. Each epoch key is sealed with age to each member of that epoch
//!   (in the membership log), and carries the previous epoch's key wrapped
//!   under it, so that a member added later can read the space's history
//!   back from the one key sealed to them.

use std::collections::BTreeMap;
use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// Length of an XChaCha20-Poly1305 nonce.
pub(crate) const NONCE_LEN: usize = 24;

/// A 32-byte secret, zeroized on drop, never printed.
#[derive(Clone)]
pub struct Secret32(Zeroizing<[u8; 32]>);

impl fmt::Debug for Secret32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret32(<redacted>)")
    }
}

impl Secret32 {
    /// 32 bytes from the OS random source.
    pub(crate) fn random() -> Result<Self> {
        Ok(Secret32(Zeroizing::new(
            casevault_core::crypto::random_bytes::<32>()?,
        )))
    }

    pub(crate) fn from_slice(b: &[u8]) -> Option<Self> {
        let arr: [u8; 32] = b.try_into().ok()?;
        Some(Secret32(Zeroizing::new(arr)))
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

/// The keys of one space that this device holds.
#[derive(Debug, Clone)]
pub struct SpaceKeys {
    pub(crate) naming: Secret32,
    pub(crate) epochs: BTreeMap<u32, Secret32>,
}

impl SpaceKeys {
    /// The epoch numbers this device can read.
    pub fn epochs(&self) -> impl Iterator<Item = u32> + '_ {
        self.epochs.keys().copied()
    }

    /// The newest epoch this device holds, the one it writes in.
    pub fn current_epoch(&self) -> u32 {
        self.epochs.keys().next_back().copied().unwrap_or(0)
    }

    pub(crate) fn epoch(&self, epoch: u32) -> Result<&Secret32> {
        self.epochs.get(&epoch).ok_or(Error::UnknownEpoch { epoch })
    }
}

/// XChaCha20-Poly1305 with a fresh random nonce; returns nonce ‖ ciphertext.
pub(crate) fn seal(key: &Secret32, msg: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    let nonce = casevault_core::crypto::random_bytes::<NONCE_LEN>()?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.expose())
        .map_err(|_| Error::Internal("XChaCha20-Poly1305 key length".into()))?;
    let ct = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg, aad })
        .map_err(|_| Error::Internal("XChaCha20-Poly1305 encryption".into()))?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens [`seal`]'s output; `None` if it was altered or the key is wrong.
pub(crate) fn open(key: &Secret32, sealed: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN {
        return None;
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.expose()).ok()?;
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
        .ok()
        .map(Zeroizing::new)
}
