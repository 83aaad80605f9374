//! Evidence files in a space: their bytes travel in chunks, each its own
//! sealed object; what the file is travels as a record of the replica.
//!
//! A file of `n` bytes is cut into chunks of [`CHUNK`] bytes (the last one
//! shorter). Each chunk is signed by the author device over (space,
//! author, attachment id, the file's SHA-256, index, epoch, the chunk's
//! SHA-256), then framed, padded and encrypted exactly like a change
//! ([`crate::object::seal_framed`]: the AAD binds the name and epoch), and
//! filed under `HMAC(naming key, space ‖ author ‖ attachment id ‖ index ‖
//! slot)`. The remote sees objects of bucketed sizes under opaque names,
//! like any other.
//!
//! The file's metadata (record, name, size, SHA-256, media type, capture,
//! note, original) is a replica record (`casevault:attachment:<id>`),
//! pushed only once every chunk is on the remote, so a member that sees
//! the metadata can fetch the whole file. A reader streams the chunks, one
//! at a time, into the vault's blob store, which encrypts as it writes and
//! checks the signed SHA-256 at the end: a damaged chunk, or a wrong
//! digest, keeps nothing of the file. Plaintext never touches the disk. A
//! download that stops leaves no partial file (the blob store removes its
//! own encrypted partial file), but keeps the chunks received, sealed as
//! they came and encrypted again to the vault (`casevault_core::vault::spool`):
//! the next sync reads those back, checks each again, and fetches only
//! the rest. An upload that stops resumes at the first chunk not yet
//! confirmed.

use std::collections::BTreeSet;
use std::io::{self, Read, Seek, SeekFrom};

use casevault_core::vault::Vault;
use casevault_core::vault::attachments::{Attachment, AttachmentReader, ReceivedAttachment};
use casevault_core::vault::spool::ReceiveSpool;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::device::{DeviceId, DeviceKey};
use crate::encode::{Signed, hmac, sha256};
use crate::keys::SpaceKeys;
use crate::log::{Log, SpaceId};
use crate::object::{open_framed, seal_framed};
use crate::remote::{Got, ObjectName, Remote, get};
use crate::{Error, Result};

/// Plaintext bytes per chunk. Well under the largest object, so a chunk
/// and its sealed copy fit in memory together with room to spare.
pub const CHUNK: usize = 4 << 20;
/// Replica records holding a file's metadata start with this.
pub(crate) const PREFIX: &str = "casevault:attachment:";
/// Slots a reader tries per chunk (see [`crate::object::change_name_at`]
/// for why a name has slots).
const MAX_SLOTS: u64 = 8;
const SIG_LEN: usize = 64;
/// Chunks put between two saves of the upload's progress.
const SAVE_EVERY: usize = 8;

/// What travels about a file, as the replica record's value.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttachmentWire {
    pub record_id: String,
    pub original_name: String,
    pub size: u64,
    pub sha256: String,
    pub media_type: String,
    pub capture: serde_json::Value,
    pub note: Option<String>,
    pub derived_from: Option<String>,
}

impl AttachmentWire {
    pub(crate) fn of(a: &Attachment) -> Result<Self> {
        Ok(AttachmentWire {
            record_id: a.record_id.clone(),
            original_name: a.original_name.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            media_type: a.media_type.clone(),
            capture: serde_json::to_value(&a.capture)
                .map_err(|e| Error::Internal(format!("capture: {e}")))?,
            note: a.note.clone(),
            derived_from: a.derived_from.clone(),
        })
    }
}

/// Which file a chunk belongs to, and who may have written it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileRef<'a> {
    pub space: SpaceId,
    pub author: DeviceId,
    /// The sequence number of the author's change carrying the metadata:
    /// the author must have been allowed to write it at the chunk's epoch.
    pub author_seq: u64,
    pub id: &'a str,
    pub sha256: &'a str,
}

fn chunk_name(keys: &SpaceKeys, f: &FileRef<'_>, index: u64, slot: u64) -> ObjectName {
    let mac = hmac(
        keys.naming.expose(),
        &Signed::new("casevault-sync chunk name v1")
            .bytes(&f.space.0)
            .bytes(&f.author.0)
            .bytes(f.id.as_bytes())
            .u64(index)
            .u64(slot)
            .finish(),
    );
    ObjectName::from_mac(&mac)
}

fn signed_bytes(f: &FileRef<'_>, index: u64, epoch: u32, data: &[u8]) -> Vec<u8> {
    // The chunk's digest, not the chunk: the signed bytes are not
    // zeroizing memory, and a digest of plaintext reveals nothing of it.
    Signed::new("casevault-sync chunk v1")
        .bytes(&f.space.0)
        .bytes(&f.author.0)
        .bytes(f.id.as_bytes())
        .bytes(f.sha256.as_bytes())
        .u64(index)
        .u64(u64::from(epoch))
        .bytes(&sha256(data))
        .finish()
}

/// Signs and seals chunk `index` of a file in the current epoch, for
/// `slot` of its name.
pub(crate) fn seal_chunk(
    device: &DeviceKey,
    keys: &SpaceKeys,
    f: &FileRef<'_>,
    index: u64,
    slot: u64,
    data: &[u8],
) -> Result<(ObjectName, Vec<u8>)> {
    let epoch = keys.current_epoch();
    let sig = device.sign(&signed_bytes(f, index, epoch, data));
    let name = chunk_name(keys, f, index, slot);
    let bytes = seal_framed(keys, epoch, &name, SIG_LEN + data.len(), |buf| {
        buf.extend_from_slice(&sig);
        buf.extend_from_slice(data);
        Ok(())
    })?;
    Ok((name, bytes))
}

/// Opens chunk `index` of a file read under `slot` of its name: decrypts
/// it, checks that the author may write at its epoch and its signature.
pub(crate) fn open_chunk(
    log: &Log,
    keys: &SpaceKeys,
    f: &FileRef<'_>,
    index: u64,
    slot: u64,
    bytes: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let name = chunk_name(keys, f, index, slot);
    let (epoch, mut body) = open_framed(keys, &name, bytes)?;
    if body.len() < SIG_LEN {
        return Err(Error::Tampered("its contents are malformed"));
    }
    let sig: [u8; SIG_LEN] = body[..SIG_LEN].try_into().expect("64 bytes");
    let author = log.writer_at(f.author, epoch, f.author_seq)?;
    author.verify(
        &signed_bytes(f, index, epoch, &body[SIG_LEN..]),
        &sig,
        "an evidence chunk",
    )?;
    // In place, so the plaintext is never copied out of zeroizing memory.
    body.drain(..SIG_LEN);
    Ok(body)
}

/// Puts the chunks of `a` from `sent.len()` on, recording each chunk's
/// slot in `sent` and calling `saved` every few chunks; the caller saves
/// `sent` again when this returns, error or not, so that an interruption
/// resumes there. A chunk already under its name (put before a crash) is
/// read back and kept if it is this file's; junk takes a slot.
#[allow(clippy::too_many_arguments)]
pub(crate) fn upload(
    mut reader: AttachmentReader,
    device: &DeviceKey,
    keys: &SpaceKeys,
    log: &Log,
    remote: &dyn Remote,
    a: &Attachment,
    sent: &mut Vec<u64>,
    saved: &mut dyn FnMut(&[u64]) -> Result<()>,
) -> Result<usize> {
    let f = FileRef {
        space: log.space(),
        author: device.id(),
        author_seq: 0,
        id: &a.id,
        sha256: &a.sha256,
    };
    let total = a.size.div_ceil(CHUNK as u64);
    let start = sent.len() as u64;
    if start >= total {
        return Ok(0);
    }
    reader
        .seek(SeekFrom::Start(start * CHUNK as u64))
        .map_err(|e| Error::Vault(casevault_core::Error::tampered(e.to_string())))?;
    let mut put = 0;
    let mut buf = Zeroizing::new(vec![0u8; CHUNK]);
    for index in start..total {
        let n = read_full(&mut reader, &mut buf)
            .map_err(|e| Error::Vault(casevault_core::Error::tampered(e.to_string())))?;
        let data = &buf[..n];
        let mut slot = 0;
        loop {
            if slot >= MAX_SLOTS {
                return Err(Error::Tampered(
                    "every name of an evidence chunk is taken by junk",
                ));
            }
            let (name, bytes) = seal_chunk(device, keys, &f, index, slot, data)?;
            if remote.put(&name, &bytes)? {
                put += 1;
                break;
            }
            // Already there: ours (put before an interruption) or junk.
            if let Got::Bytes(b) = get(remote, &name)?
                && open_chunk(log, keys, &f, index, slot, &b).is_ok_and(|got| got[..] == data[..])
            {
                break;
            }
            slot += 1;
        }
        sent.push(slot);
        // Saving writes the space's whole state; every 32 MiB bounds what
        // a crash costs (those chunks are read back, not sent again).
        if sent.len().is_multiple_of(SAVE_EVERY) {
            saved(sent)?;
        }
    }
    Ok(put)
}

/// Whether every chunk put (at the slots in `sent`) is listed: a relay may
/// drop a put and claim it stored it. Returns the first chunk missing.
pub(crate) fn first_unlisted(
    keys: &SpaceKeys,
    f: &FileRef<'_>,
    sent: &[u64],
    listed: &BTreeSet<String>,
) -> Option<usize> {
    sent.iter()
        .enumerate()
        .position(|(i, slot)| !listed.contains(chunk_name(keys, f, i as u64, *slot).as_str()))
}

/// Why a download stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// A chunk is not (yet) on the remote.
    Missing,
    /// A chunk was refused (damaged, forged, under another name).
    Refused(crate::ErrorCode),
    /// The remote failed.
    Remote(Error),
}

/// Reads a file's plaintext from its chunks on the remote, one at a time,
/// verifying each before its bytes are handed on.
pub(crate) struct ChunkReader<'a> {
    pub remote: &'a dyn Remote,
    pub log: &'a Log,
    pub keys: &'a SpaceKeys,
    pub file: FileRef<'a>,
    pub listed: &'a BTreeSet<String>,
    pub total: u64,
    pub next: u64,
    pub buf: Zeroizing<Vec<u8>>,
    pub pos: usize,
    pub stop: Option<Stop>,
    /// Where received chunks are kept until the file is filed, and read
    /// back from when a download that stopped starts again.
    pub spool: Option<&'a ReceiveSpool>,
    /// Chunks fetched from the remote.
    pub fetched: u64,
}

impl<'a> ChunkReader<'a> {
    pub(crate) fn new(
        remote: &'a dyn Remote,
        log: &'a Log,
        keys: &'a SpaceKeys,
        file: FileRef<'a>,
        listed: &'a BTreeSet<String>,
        size: u64,
        spool: Option<&'a ReceiveSpool>,
    ) -> Self {
        ChunkReader {
            remote,
            log,
            keys,
            file,
            listed,
            total: size.div_ceil(CHUNK as u64),
            next: 0,
            buf: Zeroizing::new(Vec::new()),
            pos: 0,
            stop: None,
            spool,
            fetched: 0,
        }
    }

    fn fetch(&mut self, index: u64) -> std::result::Result<Zeroizing<Vec<u8>>, Stop> {
        // A chunk kept by a download that stopped is checked again like
        // the remote's copy; one that fails is fetched again.
        if let Some(kept) = self.spool.and_then(|s| s.get(index))
            && let Some((slot, sealed)) = kept.split_first_chunk::<8>()
            && let Ok(data) = open_chunk(
                self.log,
                self.keys,
                &self.file,
                index,
                u64::from_be_bytes(*slot),
                sealed,
            )
        {
            return Ok(data);
        }
        let mut refused = None;
        for slot in 0..MAX_SLOTS {
            let name = chunk_name(self.keys, &self.file, index, slot);
            if !self.listed.contains(name.as_str()) {
                continue;
            }
            match get(self.remote, &name).map_err(Stop::Remote)? {
                Got::Bytes(b) => {
                    self.fetched += 1;
                    match open_chunk(self.log, self.keys, &self.file, index, slot, &b) {
                        Ok(data) => {
                            if let Some(spool) = self.spool {
                                // A chunk that cannot be kept (a full disk)
                                // costs only the resumption: the file
                                // itself fails or not on its own.
                                let _ = spool.put(index, &[&slot.to_be_bytes(), &b]);
                            }
                            return Ok(data);
                        }
                        Err(e) => refused = Some(e.code()),
                    }
                }
                Got::Missing => {}
                Got::Refused(c) => refused = Some(c),
            }
        }
        Err(refused.map_or(Stop::Missing, Stop::Refused))
    }
}

impl Read for ChunkReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            if self.next == self.total {
                return Ok(0);
            }
            match self.fetch(self.next) {
                Ok(data) => {
                    // Only the last chunk may be short, and none empty:
                    // anything else is a file cut or padded by a relay.
                    let last = self.next + 1 == self.total;
                    if data.is_empty() || (!last && data.len() != CHUNK) || data.len() > CHUNK {
                        self.stop = Some(Stop::Refused(crate::ErrorCode::Tampered));
                        return Err(io::Error::new(io::ErrorKind::InvalidData, "chunk size"));
                    }
                    self.buf = data;
                    self.pos = 0;
                    self.next += 1;
                }
                Err(stop) => {
                    self.stop = Some(stop);
                    return Err(io::Error::other("evidence chunk unavailable"));
                }
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Fills `buf` as far as the reader allows; less only at the end.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Files a received file in the vault: streams it from the remote into
/// the blob store. `Err(Stop)` keeps nothing.
pub(crate) fn receive(
    vault: &mut Vault,
    id: &str,
    wire: &AttachmentWire,
    reader: &mut ChunkReader<'_>,
    actor: &str,
) -> std::result::Result<(), Stop> {
    let result = vault.attach_received(
        ReceivedAttachment {
            id,
            record_id: &wire.record_id,
            original_name: &wire.original_name,
            size: wire.size,
            sha256: &wire.sha256,
            derived_from: wire.derived_from.as_deref(),
            note: wire.note.as_deref(),
        },
        reader,
        actor,
        |_, _| {},
    );
    match result {
        Ok(_) => Ok(()),
        Err(e) => Err(match reader.stop.take() {
            Some(stop) => stop,
            None if e.code() == casevault_core::ErrorCode::Tampered => {
                Stop::Refused(crate::ErrorCode::Tampered)
            }
            None => Stop::Remote(Error::Vault(e)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn file<'a>(log: &Log, author: &DeviceKey, id: &'a str) -> FileRef<'a> {
        FileRef {
            space: log.space(),
            author: author.id(),
            author_seq: 1,
            id,
            sha256: "00",
        }
    }

    #[test]
    fn a_chunk_round_trips_hides_its_bytes_and_refuses_every_flip_and_other_places() {
        let a = DeviceKey::generate().unwrap();
        let (log, keys) = Log::create(&a).unwrap();
        let f = file(&log, &a, "0123456789abcdef0123456789abcdef");
        let data = b"CANARY-chunk-5521 evidence bytes".repeat(40);
        let (name, bytes) = seal_chunk(&a, &keys, &f, 3, 0, &data).unwrap();
        assert_eq!(name, chunk_name(&keys, &f, 3, 0));
        assert_eq!(bytes.len(), crate::object::padme(bytes.len()));
        assert!(!String::from_utf8_lossy(&bytes).contains("CANARY"));
        assert_eq!(
            &open_chunk(&log, &keys, &f, 3, 0, &bytes).unwrap()[..],
            &data[..]
        );
        // Under another index, slot or file: refused.
        for (idx, slot, id) in [
            (2, 0, f.id),
            (3, 1, f.id),
            (3, 0, "ffffffffffffffffffffffffffffffff"),
        ] {
            let g = FileRef { id, ..f };
            assert_eq!(
                open_chunk(&log, &keys, &g, idx, slot, &bytes)
                    .unwrap_err()
                    .code(),
                ErrorCode::Tampered
            );
        }
        // Claimed by another author (a member re-sealing it): refused.
        let other = DeviceKey::generate().unwrap();
        let g = FileRef {
            author: other.id(),
            ..f
        };
        assert!(open_chunk(&log, &keys, &g, 3, 0, &bytes).is_err());
        for i in (0..bytes.len() * 8).step_by(97) {
            let mut b = bytes.clone();
            b[i / 8] ^= 1 << (i % 8);
            let code = open_chunk(&log, &keys, &f, 3, 0, &b).unwrap_err().code();
            assert!(
                matches!(code, ErrorCode::Tampered | ErrorCode::UnknownEpoch),
                "bit {i}: {code:?}"
            );
        }
    }
}
