//! The membership log and invitations on a remote.
//!
//! **Log entries** are objects like changes (same framing, padding and
//! AEAD), named HMAC(naming key, space ‖ position ‖ slot) and sealed under
//! the key of the epoch current *before* the entry. A member reading the
//! log in order therefore always holds the key of the next entry: the
//! entry that removes it is still readable to it (it learns of its
//! removal), nothing after.
//!
//! **Invitations** bring a device that has never synced into a space: the
//! space's log so far, sealed with age to the new member's device key (so
//! that it can verify the whole chain from `create` and open its grant),
//! padded, under a name derived from the member's public key. Only someone
//! who knows that public key can compute the name; the remote cannot.
//! An invitation proves only what its log proves: the device should accept
//! a space only from an admin whose fingerprint it knows (the app shows the
//! creator's and the inviting admin's fingerprints).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::device::{DeviceKey, DevicePublic};
use crate::encode::{Signed, hmac, sha256};
use crate::keys::SpaceKeys;
use crate::log::{Entry, Log, SpaceId};
use crate::object::{MAX_OBJECT, open_framed, padme, seal_framed};
use crate::remote::{self, Got, ObjectName, Remote};
use crate::{Error, ErrorCode, Result};

/// How many invitations to one device a remote may hold.
const MAX_INVITATIONS: u64 = 1024;

/// The name of slot `slot` of log position `seq` of a space.
///
/// Every member holds the naming key and the current epoch key, so any
/// member (a seized laptop) can put an object that decrypts under a log
/// position's name before the admin does. With one name per position
/// that object would hold the position for ever (objects are
/// put-if-absent), and a member about to be removed could block its own
/// removal. So each position has slots 0, 1, …: a writer takes the first
/// free one, and a reader takes the first slot whose entry verifies
/// against the log so far; an entry that does not verify is refused and
/// skipped, never a fork.
pub fn log_entry_name(keys: &SpaceKeys, space: SpaceId, seq: u64, slot: u64) -> ObjectName {
    ObjectName::from_mac(&hmac(
        keys.naming.expose(),
        &Signed::new("casevault-sync log entry name v1")
            .bytes(&space.0)
            .u64(seq)
            .u64(slot)
            .finish(),
    ))
}

/// What an object found in a log position's slot is, to a device that
/// holds `entry` there.
enum Found {
    /// The entry held.
    Same,
    /// Another entry that verifies against the log before it: two admins
    /// changed membership at once.
    Fork,
    /// Anything else: damaged, or written by someone who may not.
    Junk,
}

fn classify(
    log: &Log,
    keys: &SpaceKeys,
    name: &ObjectName,
    seq: u64,
    entry: &Entry,
    bytes: &[u8],
) -> Found {
    let Ok(theirs) = open_entry(log, keys, name, seq, bytes) else {
        return Found::Junk;
    };
    if theirs == *entry {
        return Found::Same;
    }
    // The first entry defines the space: another one is never authentic.
    if seq == 0 {
        return Found::Junk;
    }
    match log.prefix(seq as usize) {
        Ok(mut before) => match before.apply(theirs) {
            Ok(()) => Found::Fork,
            Err(_) => Found::Junk,
        },
        Err(_) => Found::Junk,
    }
}

/// Writes the entries of `log` from `confirmed` on, each in the first
/// free slot of its position, and reads back what the slots before hold.
/// An authentic entry that differs from the one held is a fork: two
/// admins changed membership at once. Returns how many entries are now
/// known to be on the remote as held. A put confirms nothing (a relay may
/// drop it and say it stored it); only reading the entry back does, at a
/// later sync.
pub fn publish_log(
    remote: &dyn Remote,
    log: &Log,
    keys: &SpaceKeys,
    listing: &BTreeSet<ObjectName>,
    confirmed: usize,
) -> Result<usize> {
    let mut now_confirmed = confirmed;
    // A lying remote could answer every slot; a real one holds at most
    // what it lists, plus what appeared since the listing.
    let max_slots = listing.len() as u64 + 2;
    for (seq, entry) in log.entries().iter().enumerate().skip(confirmed) {
        let seq = seq as u64;
        let mut here = false;
        for slot in 0..max_slots {
            let name = log_entry_name(keys, log.space(), seq, slot);
            let mut there = None;
            if listing.contains(&name) {
                there = fetch(remote, &name)?;
            }
            if there.is_none() {
                let json = Zeroizing::new(
                    serde_json::to_vec(entry)
                        .map_err(|e| Error::Internal(format!("encoding a log entry: {e}")))?,
                );
                let bytes = seal_framed(keys, log.epoch_before(seq), &name, json.len(), |buf| {
                    buf.extend_from_slice(&json);
                    Ok(())
                })?;
                if remote.put(&name, &bytes)? {
                    break;
                }
                // Already there (a listing can be stale): see what it is.
                there = fetch(remote, &name)?;
            }
            let Some(there) = there else { break };
            match classify(log, keys, &name, seq, entry, &there) {
                Found::Same => {
                    here = true;
                    break;
                }
                Found::Fork => return Err(Error::LogFork { entry: seq }),
                Found::Junk => {}
            }
        }
        if here && now_confirmed == seq as usize {
            now_confirmed += 1;
        }
    }
    Ok(now_confirmed)
}

/// A listed slot's bytes; whatever the remote will not serve is junk
/// (empty bytes, which never open).
fn fetch(remote: &dyn Remote, name: &ObjectName) -> Result<Option<Vec<u8>>> {
    Ok(match remote::get(remote, name)? {
        Got::Bytes(b) => Some(b),
        Got::Refused(_) => Some(Vec::new()),
        Got::Missing => None,
    })
}

fn open_entry(
    log: &Log,
    keys: &SpaceKeys,
    name: &ObjectName,
    seq: u64,
    bytes: &[u8],
) -> Result<Entry> {
    let (epoch, body) = open_framed(keys, name, bytes)?;
    if epoch != log.epoch_before(seq.min(log.entries().len() as u64)) {
        return Err(Error::Tampered(
            "a log entry is sealed under the wrong epoch",
        ));
    }
    serde_json::from_slice(&body).map_err(|_| Error::Tampered("a log entry is malformed"))
}

/// Reads the entries that follow `log` on the remote (the listed slots of
/// each next position, in order), verifies each against the log so far
/// and applies the first that verifies, refreshing `keys` from the
/// grants. Objects that are refused are added to `refused` and skipped;
/// those sealed under an epoch this device lacks (it was removed before
/// them) are skipped silently. Returns how many entries were applied; an
/// error is the remote's, with `log` and `keys` as they were after the
/// last good entry.
pub fn fetch_log(
    remote: &dyn Remote,
    listing: &BTreeSet<ObjectName>,
    log: &mut Log,
    keys: &mut SpaceKeys,
    device: &DeviceKey,
    refused: &mut Vec<(ObjectName, ErrorCode)>,
) -> Result<usize> {
    let mut applied = 0;
    'positions: loop {
        let seq = log.entries().len() as u64;
        let mut slot = 0;
        loop {
            let name = log_entry_name(keys, log.space(), seq, slot);
            slot += 1;
            if !listing.contains(&name) {
                break 'positions;
            }
            let bytes = match remote::get(remote, &name)? {
                Got::Bytes(b) => b,
                Got::Missing => break 'positions,
                Got::Refused(code) => {
                    refused.push((name, code));
                    continue;
                }
            };
            let verified = open_entry(log, keys, &name, seq, &bytes).and_then(|entry| {
                let mut next = log.clone();
                next.apply(entry)?;
                let next_keys = next.keys_for(device)?;
                Ok((next, next_keys))
            });
            match verified {
                Ok((next, next_keys)) => {
                    *log = next;
                    *keys = next_keys;
                    applied += 1;
                    continue 'positions;
                }
                Err(e) if e.code() == ErrorCode::UnknownEpoch => {}
                Err(e) => refused.push((name, e.code())),
            }
        }
    }
    Ok(applied)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Invitation {
    entries: Vec<Entry>,
}

/// The name of invitation number `n` to `member`.
pub fn invitation_name(member: &DevicePublic, n: u64) -> ObjectName {
    let key = sha256(
        &Signed::new("casevault-sync invitation name key v1")
            .bytes(member.line().as_bytes())
            .finish(),
    );
    ObjectName::from_mac(&hmac(&key, &n.to_be_bytes()))
}

/// Puts an invitation to `member` (already added to `log`) under the
/// first free invitation name.
pub fn invite(remote: &dyn Remote, log: &Log, member: &DevicePublic) -> Result<ObjectName> {
    if log
        .members()
        .get(&member.id())
        .is_none_or(|m| m.removed.is_some())
    {
        return Err(Error::InvalidMembership(
            "add the device to the space before inviting it",
        ));
    }
    let json = serde_json::to_vec(&Invitation {
        entries: log.entries().to_vec(),
    })
    .map_err(|e| Error::Internal(format!("encoding an invitation: {e}")))?;
    let padded = padme(json.len() + 4);
    let mut plain = Zeroizing::new(Vec::with_capacity(padded));
    plain.extend_from_slice(&(json.len() as u32).to_be_bytes());
    plain.extend_from_slice(&json);
    plain.resize(padded, 0);
    let bytes = age::encrypt(&member.age_recipient()?, &plain)
        .map_err(|e| Error::Internal(format!("age encryption: {e}")))?;
    if bytes.len() > MAX_OBJECT {
        return Err(Error::InvalidInput(
            "This space's membership log is too large to send in an invitation.",
        ));
    }
    for n in 0..MAX_INVITATIONS {
        let name = invitation_name(member, n);
        if remote.put(&name, &bytes)? {
            // Sent only once read back, as a change is: a remote that says
            // it stored what it dropped would otherwise lose the invitation
            // for good (the caller keeps it queued and puts it again).
            return match remote::get(remote, &name)? {
                Got::Bytes(b) if b == bytes => Ok(name),
                _ => Err(Error::RemoteIo(std::io::Error::other(
                    "the remote did not keep an invitation it said it stored",
                ))),
            };
        }
    }
    Err(Error::InvalidInput(
        "This device has too many invitations waiting on the remote.",
    ))
}

/// The spaces this device was invited to, each log verified from its
/// `create` entry, with this device's keys. Invitations that fail to
/// open or verify are returned as refused, not applied.
#[allow(clippy::type_complexity)]
pub fn read_invitations(
    remote: &dyn Remote,
    device: &DeviceKey,
) -> Result<(Vec<(Log, SpaceKeys)>, Vec<(ObjectName, ErrorCode)>)> {
    let public = device.public();
    let mut spaces: Vec<(Log, SpaceKeys)> = Vec::new();
    let mut refused = Vec::new();
    for n in 0..MAX_INVITATIONS {
        let name = invitation_name(&public, n);
        let bytes = match remote::get(remote, &name)? {
            Got::Bytes(b) => b,
            Got::Missing => break,
            Got::Refused(code) => {
                refused.push((name, code));
                continue;
            }
        };
        match open_invitation(device, &bytes) {
            Ok((log, keys)) => {
                // Several invitations to one space: keep the longest log,
                // but only over a log it continues. Anybody who learnt the
                // space's id can make another log under it (a space's id
                // is not a secret from its members, nor from a seized
                // laptop); such a log is another space to be shown with
                // its creator's fingerprint, never a replacement.
                let continues =
                    |short: &Log, long: &Log| long.entries().starts_with(short.entries());
                match spaces.iter_mut().find(|(l, _)| {
                    l.space() == log.space() && (continues(l, &log) || continues(&log, l))
                }) {
                    Some(held) if held.0.entries().len() >= log.entries().len() => {}
                    Some(held) => *held = (log, keys),
                    None => spaces.push((log, keys)),
                }
            }
            Err(e) => refused.push((name, e.code())),
        }
    }
    Ok((spaces, refused))
}

fn open_invitation(device: &DeviceKey, bytes: &[u8]) -> Result<(Log, SpaceKeys)> {
    let plain = Zeroizing::new(
        age::decrypt(device.identity(), bytes)
            .map_err(|_| Error::Tampered("an invitation does not decrypt"))?,
    );
    let bad = || Error::Tampered("an invitation is malformed");
    let len = u32::from_be_bytes(plain.get(..4).ok_or_else(bad)?.try_into().expect("4")) as usize;
    let body = plain.get(4..4 + len).ok_or_else(bad)?;
    let inv: Invitation = serde_json::from_slice(body).map_err(|_| bad())?;
    let log = Log::verify(inv.entries)?;
    let keys = log.keys_for(device)?;
    Ok((log, keys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::FolderRemote;

    #[test]
    fn an_impostor_s_longer_log_under_a_space_s_id_does_not_replace_the_real_one() {
        let dir = tempfile::tempdir().unwrap();
        let remote = FolderRemote::open(dir.path()).unwrap();
        let (a, d, m) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let (mut real, keys) = Log::create(&a).unwrap();
        real.add(&a, &keys, &d.public(), false).unwrap();
        invite(&remote, &real, &d.public()).unwrap();
        // M knows the space's id and D's line: it makes its own log under
        // that id, longer than the real one, and invites D to it.
        let (mut fake, mut fake_keys) = Log::create_with_id(&m, real.space()).unwrap();
        fake.add(&m, &fake_keys, &d.public(), true).unwrap();
        fake.rotate(&m, &mut fake_keys).unwrap();
        fake.rotate(&m, &mut fake_keys).unwrap();
        invite(&remote, &fake, &d.public()).unwrap();
        let (spaces, refused) = read_invitations(&remote, &d).unwrap();
        assert!(refused.is_empty());
        assert!(
            spaces.iter().any(|(l, _)| l.entries() == real.entries()),
            "the real space is still offered"
        );
        assert_eq!(
            spaces.len(),
            2,
            "the impostor is another space, shown as such"
        );
        // A later invitation to the real space (a longer real log) still
        // replaces the earlier one.
        let e = DeviceKey::generate().unwrap();
        real.add(&a, &keys, &e.public(), false).unwrap();
        invite(&remote, &real, &d.public()).unwrap();
        let (spaces, _) = read_invitations(&remote, &d).unwrap();
        assert_eq!(spaces.len(), 2);
        assert!(spaces.iter().any(|(l, _)| l.entries() == real.entries()));
    }
}
