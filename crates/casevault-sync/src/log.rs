//! The membership log: who is in a space, who may change that, and the
//! epoch keys.
//!
//! The log is append-only and hash-chained: each entry names the hash of
//! the one before it. Each entry is signed by its author device, and the
//! author must be an admin of the space *at that point of the log* (as the
//! entries before it say). Verification replays the whole log from the
//! `create` entry, so a relay cannot add, remove or reorder entries, a
//! non-admin cannot add a member, and an admin who was removed cannot sign
//! anything after their removal.
//!
//! Epochs: `create` starts epoch 0. Removing a member starts the next epoch
//! in the same entry (so there is no moment when the removed device still
//! holds the current key); `rotate` starts one without a removal. A new
//! epoch's key is sealed with age to each remaining member, and carries
//! the previous epoch's key wrapped under it. Adding a member seals the
//! current epoch key to the new member.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::device::{DeviceId, DeviceKey, DevicePublic};
use crate::encode::{Signed, b64, b64_fixed, b64_vec, hmac, sha256};
use crate::keys::{Secret32, SpaceKeys, open, seal};
use crate::{Error, Result};

/// A space's random id (16 bytes). It never travels in clear to the remote.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpaceId(pub [u8; 16]);

impl std::fmt::Debug for SpaceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SpaceId({})", data_encoding::HEXLOWER.encode(&self.0))
    }
}

/// One entry of the log, as it is stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The space, base64.
    pub space: String,
    /// Position in the log, from 0.
    pub seq: u64,
    /// Hash of the previous entry (32 zero bytes for the first), base64.
    pub prev: String,
    /// The signing device's Ed25519 key, base64.
    pub author: String,
    /// What changes.
    pub action: Action,
    /// Ed25519 signature over [`Entry::signed_bytes`], base64.
    pub sig: String,
}

/// A membership change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Starts the space; the author (whose line this is) is its first admin.
    Create {
        /// The author's device key line.
        admin: String,
        /// Epoch 0.
        grant: Grant,
    },
    /// Adds a member.
    Add {
        /// The new member's device key line.
        member: String,
        /// Whether the new member may change membership.
        admin: bool,
        /// The current epoch key and the naming key, age-sealed to the new
        /// member, base64.
        sealed: String,
    },
    /// Removes a member and starts a new epoch without them.
    Remove {
        /// The removed device's id, base64.
        member: String,
        /// The removed device's changes up to this sequence number are kept;
        /// any later one is refused (it could only have been written after
        /// the removal, with an old epoch's key).
        keep_through: u64,
        /// The new epoch.
        grant: Grant,
    },
    /// Starts a new epoch with the same members.
    Rotate {
        /// The new epoch.
        grant: Grant,
    },
}

/// A new epoch key, sealed to each member of that epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// The epoch number.
    pub epoch: u32,
    /// Device id (base64) → age-sealed (epoch key ‖ naming key), base64.
    pub sealed: BTreeMap<String, String>,
    /// The previous epoch's key, wrapped under this one (none in epoch 0).
    pub prev: Option<String>,
    /// HMAC of a fixed string under the epoch key: every member checks
    /// that the key it unsealed is the one everybody got.
    pub check: String,
}

/// The most devices a space's log may name, removed ones included. A team
/// is 3 to 50 caseworkers; the bound keeps verifying a log (which anybody
/// who knows a device's line can send it in an invitation) linear in its
/// size rather than quadratic.
pub const MAX_MEMBERS: usize = 1024;

const ENTRY_DOMAIN: &str = "casevault-sync log entry v1";
const HASH_DOMAIN: &str = "casevault-sync log hash v1";
const CHECK_DOMAIN: &[u8] = b"casevault-sync epoch key check v1";

impl Entry {
    /// The bytes the signature covers.
    fn signed_bytes(&self) -> Vec<u8> {
        let mut s = Signed::new(ENTRY_DOMAIN);
        s.bytes(self.space.as_bytes())
            .u64(self.seq)
            .bytes(self.prev.as_bytes())
            .bytes(self.author.as_bytes());
        match &self.action {
            Action::Create { admin, grant } => {
                s.bytes(b"create").bytes(admin.as_bytes());
                grant_bytes(&mut s, grant);
            }
            Action::Add {
                member,
                admin,
                sealed,
            } => {
                s.bytes(b"add")
                    .bytes(member.as_bytes())
                    .u64(u64::from(*admin))
                    .bytes(sealed.as_bytes());
            }
            Action::Remove {
                member,
                keep_through,
                grant,
            } => {
                s.bytes(b"remove")
                    .bytes(member.as_bytes())
                    .u64(*keep_through);
                grant_bytes(&mut s, grant);
            }
            Action::Rotate { grant } => {
                s.bytes(b"rotate");
                grant_bytes(&mut s, grant);
            }
        }
        s.finish()
    }

    /// This entry's hash, which the next entry names.
    pub fn hash(&self) -> [u8; 32] {
        sha256(
            &Signed::new(HASH_DOMAIN)
                .bytes(&self.signed_bytes())
                .bytes(self.sig.as_bytes())
                .finish(),
        )
    }

    fn grant(&self) -> Option<&Grant> {
        match &self.action {
            Action::Create { grant, .. }
            | Action::Remove { grant, .. }
            | Action::Rotate { grant } => Some(grant),
            Action::Add { .. } => None,
        }
    }
}

fn grant_bytes(s: &mut Signed, g: &Grant) {
    s.u64(u64::from(g.epoch)).u64(g.sealed.len() as u64);
    for (to, key) in &g.sealed {
        s.bytes(to.as_bytes()).bytes(key.as_bytes());
    }
    match &g.prev {
        Some(p) => s.u64(1).bytes(p.as_bytes()),
        None => s.u64(0),
    };
    s.bytes(g.check.as_bytes());
}

/// A member as the log says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The device's public key.
    pub public: DevicePublic,
    /// Whether it may change membership.
    pub admin: bool,
    /// The first epoch it may write in.
    pub joined_epoch: u32,
    /// If removed: the first epoch it is not part of, and the last of its
    /// sequence numbers that is kept.
    pub removed: Option<(u32, u64)>,
}

impl Member {
    fn active(&self) -> bool {
        self.removed.is_none()
    }
}

/// The verified state of a space's log.
#[derive(Debug, Clone)]
pub struct Log {
    space: SpaceId,
    entries: Vec<Entry>,
    members: BTreeMap<DeviceId, Member>,
    epoch: u32,
}

fn device_id(text: &str) -> Option<DeviceId> {
    b64_fixed::<32>(text).map(DeviceId)
}

impl Log {
    /// Verifies a whole log, from its `create` entry.
    pub fn verify(entries: Vec<Entry>) -> Result<Self> {
        let mut iter = entries.into_iter();
        let first = iter.next().ok_or(Error::BrokenChain {
            entry: 0,
            detail: "the log is empty",
        })?;
        let mut log = Self::genesis(first)?;
        for e in iter {
            log.apply(e)?;
        }
        Ok(log)
    }

    fn genesis(e: Entry) -> Result<Self> {
        let broken = |detail| Error::BrokenChain { entry: 0, detail };
        if e.seq != 0 || b64_fixed::<32>(&e.prev) != Some([0; 32]) {
            return Err(broken("the first entry is not the start of a log"));
        }
        let space = SpaceId(b64_fixed::<16>(&e.space).ok_or(broken("bad space id"))?);
        let Action::Create { admin, grant } = &e.action else {
            return Err(broken("the first entry does not create the space"));
        };
        let public = DevicePublic::parse(admin)?;
        if device_id(&e.author) != Some(public.id()) {
            return Err(Error::NotAdmin { entry: 0 });
        }
        public.verify(&e.signed_bytes(), &sig(&e)?, "membership log")?;
        if grant.epoch != 0 || grant.prev.is_some() {
            return Err(Error::InvalidMembership("the first epoch is 0"));
        }
        let mut members = BTreeMap::new();
        members.insert(
            public.id(),
            Member {
                public,
                admin: true,
                joined_epoch: 0,
                removed: None,
            },
        );
        Log::recipients_ok(&members, grant)?;
        Ok(Log {
            space,
            entries: vec![e],
            members,
            epoch: 0,
        })
    }

    /// Appends one entry after verifying it against the state so far.
    /// Nothing changes if it is refused.
    pub fn apply(&mut self, e: Entry) -> Result<()> {
        let n = self.entries.len() as u64;
        let broken = |detail| Error::BrokenChain { entry: n, detail };
        if e.seq != n {
            return Err(broken("an entry is missing or out of order"));
        }
        let head = self.entries.last().map(Entry::hash).unwrap_or([0; 32]);
        if b64_fixed::<32>(&e.prev) != Some(head) {
            return Err(broken("it does not follow the previous entry"));
        }
        if b64_fixed::<16>(&e.space) != Some(self.space.0) {
            return Err(broken("it belongs to another space"));
        }
        let author = device_id(&e.author).ok_or(broken("bad author"))?;
        let signer = match self.members.get(&author) {
            Some(m) if m.admin && m.active() => m.public.clone(),
            _ => return Err(Error::NotAdmin { entry: n }),
        };
        signer.verify(&e.signed_bytes(), &sig(&e)?, "membership log")?;

        let mut members = self.members.clone();
        let mut epoch = self.epoch;
        match &e.action {
            Action::Create { .. } => {
                return Err(broken("a space is created only once"));
            }
            Action::Add { member, admin, .. } => {
                if members.len() >= MAX_MEMBERS {
                    return Err(Error::InvalidMembership(
                        "a space can hold at most 1024 devices, removed ones included",
                    ));
                }
                let public = DevicePublic::parse(member)?;
                if members.contains_key(&public.id()) {
                    return Err(Error::InvalidMembership(
                        "this device is or was a member already; a removed device needs a new device key",
                    ));
                }
                members.insert(
                    public.id(),
                    Member {
                        public,
                        admin: *admin,
                        joined_epoch: epoch,
                        removed: None,
                    },
                );
            }
            Action::Remove {
                member,
                keep_through,
                grant,
            } => {
                let id = device_id(member).ok_or(broken("bad member id"))?;
                match members.get_mut(&id) {
                    Some(m) if m.active() => m.removed = Some((epoch + 1, *keep_through)),
                    _ => return Err(Error::InvalidMembership("this device is not a member")),
                }
                if !members.values().any(|m| m.admin && m.active()) {
                    return Err(Error::InvalidMembership(
                        "a space must keep at least one admin",
                    ));
                }
                epoch = self.next_epoch(grant)?;
                Log::recipients_ok(&members, grant)?;
            }
            Action::Rotate { grant } => {
                epoch = self.next_epoch(grant)?;
                Log::recipients_ok(&members, grant)?;
            }
        }
        self.members = members;
        self.epoch = epoch;
        self.entries.push(e);
        Ok(())
    }

    fn next_epoch(&self, grant: &Grant) -> Result<u32> {
        if grant.epoch != self.epoch + 1 || grant.prev.is_none() {
            return Err(Error::InvalidMembership(
                "a new epoch must follow the current one",
            ));
        }
        Ok(grant.epoch)
    }

    /// A new epoch key goes to exactly the active members: to no removed
    /// device, and to nobody left out.
    fn recipients_ok(members: &BTreeMap<DeviceId, Member>, grant: &Grant) -> Result<()> {
        // Compared as sets of the stored text: base64 does not sort like
        // the bytes it encodes.
        let active: std::collections::BTreeSet<String> = members
            .iter()
            .filter(|(_, m)| m.active())
            .map(|(id, _)| b64(&id.0))
            .collect();
        let sealed: std::collections::BTreeSet<String> = grant.sealed.keys().cloned().collect();
        if active != sealed {
            return Err(Error::InvalidMembership(
                "a new epoch key must be sealed to exactly the current members",
            ));
        }
        Ok(())
    }

    /// Adds entries received from the remote, continuing this log. Entries
    /// already held are skipped if identical; a different entry in a place
    /// already taken is a fork.
    pub fn extend(&mut self, entries: impl IntoIterator<Item = Entry>) -> Result<()> {
        let mut candidate = self.clone();
        let mut incoming: Vec<Entry> = entries.into_iter().collect();
        incoming.sort_by_key(|e| e.seq);
        for e in incoming {
            match candidate.entries.get(e.seq as usize) {
                Some(held) if *held == e => continue,
                Some(_) => return Err(Error::LogFork { entry: e.seq }),
                None => candidate.apply(e)?,
            }
        }
        *self = candidate;
        Ok(())
    }

    /// The log as it stood before entry `n`, verified again (`n` ≥ 1).
    pub(crate) fn prefix(&self, n: usize) -> Result<Log> {
        Log::verify(self.entries[..n.min(self.entries.len())].to_vec())
    }

    /// The space.
    pub fn space(&self) -> SpaceId {
        self.space
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The epoch that was current just before entry `seq` (0 for the
    /// first): the key that seals that entry on the remote, which every
    /// member who reads the log in order holds by then.
    pub fn epoch_before(&self, seq: u64) -> u32 {
        self.entries
            .iter()
            .take(seq as usize)
            .filter_map(Entry::grant)
            .map(|g| g.epoch)
            .next_back()
            .unwrap_or(0)
    }

    /// The current epoch.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// Every device that is or was a member.
    pub fn members(&self) -> &BTreeMap<DeviceId, Member> {
        &self.members
    }

    /// Whether `device` is not a member now: never added, or removed.
    pub fn excludes(&self, device: DeviceId) -> bool {
        self.members
            .get(&device)
            .is_none_or(|m| m.removed.is_some())
    }

    /// The public key of `author` if it may write change `seq` in `epoch`:
    /// it was a member in that epoch (joined at or before it, not removed
    /// before it), and, if removed since, `seq` is not beyond what the
    /// removal kept.
    pub fn writer_at(&self, author: DeviceId, epoch: u32, seq: u64) -> Result<&DevicePublic> {
        let m = self.members.get(&author).ok_or(Error::NotMember)?;
        if epoch < m.joined_epoch || epoch > self.epoch {
            return Err(Error::NotMember);
        }
        if let Some((gone_from, keep_through)) = m.removed
            && (epoch >= gone_from || seq > keep_through)
        {
            return Err(Error::NotMember);
        }
        Ok(&m.public)
    }

    // ----- writing -----

    /// Creates a space with `admin` as its first member; returns the log
    /// and the keys.
    pub fn create(admin: &DeviceKey) -> Result<(Self, SpaceKeys)> {
        Self::create_with_id(
            admin,
            SpaceId(casevault_core::crypto::random_bytes::<16>()?),
        )
    }

    /// [`Log::create`] with a chosen id: what anybody who learnt a space's
    /// id can do (for tests of that).
    pub fn create_with_id(admin: &DeviceKey, space: SpaceId) -> Result<(Self, SpaceKeys)> {
        let naming = Secret32::random()?;
        let key = Secret32::random()?;
        let public = admin.public();
        let grant = make_grant(space, 0, &key, &naming, None, [&public])?;
        let e = signed(
            admin,
            space,
            0,
            [0; 32],
            Action::Create {
                admin: public.line(),
                grant,
            },
        );
        let log = Self::genesis(e)?;
        let mut epochs = BTreeMap::new();
        epochs.insert(0, key);
        Ok((log, SpaceKeys { naming, epochs }))
    }

    fn append(&mut self, admin: &DeviceKey, action: Action) -> Result<()> {
        let head = self.entries.last().map(Entry::hash).unwrap_or([0; 32]);
        let e = signed(admin, self.space, self.entries.len() as u64, head, action);
        self.apply(e)
    }

    /// Adds `member` (after its fingerprint was compared).
    pub fn add(
        &mut self,
        admin: &DeviceKey,
        keys: &SpaceKeys,
        member: &DevicePublic,
        as_admin: bool,
    ) -> Result<()> {
        let key = keys.epoch(self.epoch)?;
        let sealed = seal_to(member, key, &keys.naming)?;
        self.append(
            admin,
            Action::Add {
                member: member.line(),
                admin: as_admin,
                sealed: b64(&sealed),
            },
        )
    }

    /// Removes `member` and starts a new epoch sealed to the others; its
    /// changes after `keep_through` will be refused. Updates `keys`.
    pub fn remove(
        &mut self,
        admin: &DeviceKey,
        keys: &mut SpaceKeys,
        member: DeviceId,
        keep_through: u64,
    ) -> Result<()> {
        let remaining: Vec<DevicePublic> = self
            .members
            .iter()
            .filter(|(id, m)| m.active() && **id != member)
            .map(|(_, m)| m.public.clone())
            .collect();
        let (grant, key) = self.new_grant(keys, &remaining)?;
        self.append(
            admin,
            Action::Remove {
                member: b64(&member.0),
                keep_through,
                grant,
            },
        )?;
        keys.epochs.insert(self.epoch, key);
        Ok(())
    }

    /// Starts a new epoch with the same members. Updates `keys`.
    pub fn rotate(&mut self, admin: &DeviceKey, keys: &mut SpaceKeys) -> Result<()> {
        let members: Vec<DevicePublic> = self
            .members
            .values()
            .filter(|m| m.active())
            .map(|m| m.public.clone())
            .collect();
        let (grant, key) = self.new_grant(keys, &members)?;
        self.append(admin, Action::Rotate { grant })?;
        keys.epochs.insert(self.epoch, key);
        Ok(())
    }

    fn new_grant(&self, keys: &SpaceKeys, to: &[DevicePublic]) -> Result<(Grant, Secret32)> {
        let key = Secret32::random()?;
        let prev = keys.epoch(self.epoch)?;
        let grant = make_grant(
            self.space,
            self.epoch + 1,
            &key,
            &keys.naming,
            Some(prev),
            to.iter(),
        )?;
        Ok((grant, key))
    }

    // ----- reading keys -----

    /// The keys this device can open: the naming key and every epoch key
    /// from the first one sealed to it, back to epoch 0 through the
    /// wrapped previous keys. A removed device gets the epochs up to its
    /// removal and none after.
    pub fn keys_for(&self, device: &DeviceKey) -> Result<SpaceKeys> {
        let me = b64(&device.id().0);
        let mut newest: Option<(u32, Zeroizing<Vec<u8>>)> = None;
        let mut epoch = 0;
        for e in &self.entries {
            let sealed = match &e.action {
                Action::Add { member, sealed, .. } => {
                    let public = DevicePublic::parse(member)?;
                    (public.id() == device.id()).then_some(sealed)
                }
                _ => e.grant().and_then(|g| g.sealed.get(&me)),
            };
            if let Some(g) = e.grant() {
                epoch = g.epoch;
            }
            if let Some(sealed) = sealed {
                let blob = b64_vec(sealed).ok_or(Error::Tampered("a sealed epoch key"))?;
                let plain = age::decrypt(device.identity(), &blob)
                    .map_err(|_| Error::Tampered("a sealed epoch key"))?;
                newest = Some((epoch, Zeroizing::new(plain)));
            }
        }
        let (top, plain) = newest.ok_or(Error::NotMember)?;
        if plain.len() != 64 {
            return Err(Error::Tampered("a sealed epoch key"));
        }
        let key = Secret32::from_slice(&plain[..32]).ok_or(Error::Tampered("epoch key"))?;
        let naming = Secret32::from_slice(&plain[32..]).ok_or(Error::Tampered("naming key"))?;
        let mut epochs = BTreeMap::new();
        let mut key = key;
        let mut n = top;
        loop {
            let grant = self.grant_of(n).ok_or(Error::Tampered("epoch missing"))?;
            if b64_vec(&grant.check).as_deref() != Some(&check(&key)[..]) {
                return Err(Error::Tampered(
                    "an epoch key differs from the other members'",
                ));
            }
            let prev = grant.prev.clone();
            epochs.insert(n, key);
            let Some(prev) = prev else { break };
            let wrapped = b64_vec(&prev).ok_or(Error::Tampered("wrapped epoch key"))?;
            let plain = open(&epochs[&n], &wrapped, &prev_aad(self.space, n))
                .ok_or(Error::Tampered("wrapped epoch key"))?;
            key = Secret32::from_slice(&plain).ok_or(Error::Tampered("wrapped epoch key"))?;
            n -= 1;
        }
        Ok(SpaceKeys { naming, epochs })
    }

    fn grant_of(&self, epoch: u32) -> Option<&Grant> {
        self.entries
            .iter()
            .filter_map(Entry::grant)
            .find(|g| g.epoch == epoch)
    }
}

fn sig(e: &Entry) -> Result<[u8; 64]> {
    b64_fixed::<64>(&e.sig).ok_or(Error::BadSignature {
        what: "membership log",
    })
}

fn check(key: &Secret32) -> [u8; 32] {
    hmac(key.expose(), CHECK_DOMAIN)
}

fn prev_aad(space: SpaceId, epoch: u32) -> Vec<u8> {
    Signed::new("casevault-sync previous epoch key v1")
        .bytes(&space.0)
        .u64(u64::from(epoch))
        .finish()
}

fn seal_to(member: &DevicePublic, key: &Secret32, naming: &Secret32) -> Result<Vec<u8>> {
    let mut plain = Zeroizing::new(Vec::with_capacity(64));
    plain.extend_from_slice(key.expose());
    plain.extend_from_slice(naming.expose());
    age::encrypt(&member.age_recipient()?, &plain)
        .map_err(|e| Error::Internal(format!("age encryption: {e}")))
}

fn make_grant<'a>(
    space: SpaceId,
    epoch: u32,
    key: &Secret32,
    naming: &Secret32,
    prev: Option<&Secret32>,
    to: impl IntoIterator<Item = &'a DevicePublic>,
) -> Result<Grant> {
    let mut sealed = BTreeMap::new();
    for m in to {
        sealed.insert(b64(&m.id().0), b64(&seal_to(m, key, naming)?));
    }
    let prev = match prev {
        Some(p) => Some(b64(&seal(key, p.expose(), &prev_aad(space, epoch))?)),
        None => None,
    };
    Ok(Grant {
        epoch,
        sealed,
        prev,
        check: b64(&check(key)),
    })
}

fn signed(admin: &DeviceKey, space: SpaceId, seq: u64, prev: [u8; 32], action: Action) -> Entry {
    let mut e = Entry {
        space: b64(&space.0),
        seq,
        prev: b64(&prev),
        author: b64(&admin.id().0),
        action,
        sig: String::new(),
    };
    e.sig = b64(&admin.sign(&e.signed_bytes()));
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    struct Team {
        a: DeviceKey,
        b: DeviceKey,
        c: DeviceKey,
        log: Log,
        keys: SpaceKeys,
    }

    /// A is the creating admin, B a plain member, C a second admin.
    fn team() -> Team {
        let (a, b, c) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let (mut log, keys) = Log::create(&a).unwrap();
        log.add(&a, &keys, &b.public(), false).unwrap();
        log.add(&a, &keys, &c.public(), true).unwrap();
        Team { a, b, c, log, keys }
    }

    fn json_round_trip(entries: &[Entry]) -> Vec<Entry> {
        serde_json::from_str(&serde_json::to_string(entries).unwrap()).unwrap()
    }

    fn code(r: Result<impl std::fmt::Debug>) -> ErrorCode {
        r.unwrap_err().code()
    }

    #[test]
    fn a_log_verifies_from_its_stored_form_and_every_member_gets_the_same_keys() {
        let t = team();
        let log = Log::verify(json_round_trip(t.log.entries())).unwrap();
        assert_eq!(log.entries().len(), 3);
        assert_eq!(log.members().len(), 3);
        for d in [&t.a, &t.b, &t.c] {
            let k = log.keys_for(d).unwrap();
            assert_eq!(k.naming.expose(), t.keys.naming.expose());
            assert_eq!(
                k.epoch(0).unwrap().expose(),
                t.keys.epoch(0).unwrap().expose()
            );
        }
        let stranger = DeviceKey::generate().unwrap();
        assert_eq!(code(log.keys_for(&stranger)), ErrorCode::NotMember);
    }

    #[test]
    fn a_non_admin_cannot_add_a_member() {
        let mut t = team();
        let before = t.log.entries().len();
        let intruder = DeviceKey::generate().unwrap();
        let head = t.log.entries().last().unwrap().hash();
        let sealed = seal_to(&intruder.public(), t.keys.epoch(0).unwrap(), &t.keys.naming).unwrap();
        let e = signed(
            &t.b,
            t.log.space(),
            before as u64,
            head,
            Action::Add {
                member: intruder.public().line(),
                admin: true,
                sealed: b64(&sealed),
            },
        );
        assert_eq!(code(t.log.apply(e.clone())), ErrorCode::NotAdmin);
        assert_eq!(t.log.entries().len(), before, "nothing was applied");
        // A stranger (the relay) fares no better.
        let e2 = signed(
            &intruder,
            t.log.space(),
            before as u64,
            head,
            e.action.clone(),
        );
        assert_eq!(code(t.log.apply(e2)), ErrorCode::NotAdmin);
        // And through a full verification of a log that carries it.
        let mut entries = t.log.entries().to_vec();
        entries.push(e);
        assert_eq!(code(Log::verify(entries)), ErrorCode::NotAdmin);
    }

    #[test]
    fn a_broken_chain_is_refused() {
        let t = team();
        let entries = t.log.entries().to_vec();
        // An entry withheld.
        let mut gap = entries.clone();
        gap.remove(1);
        assert_eq!(code(Log::verify(gap)), ErrorCode::BrokenChain);
        // Two swapped.
        let mut swapped = entries.clone();
        swapped.swap(1, 2);
        assert_eq!(code(Log::verify(swapped)), ErrorCode::BrokenChain);
        // An entry re-signed by the admin but pointing at the wrong parent.
        let mut rechained = entries.clone();
        let mut e = rechained[2].clone();
        e.prev = b64(&[7; 32]);
        e.sig = b64(&t.a.sign(&e.signed_bytes()));
        rechained[2] = e;
        assert_eq!(code(Log::verify(rechained)), ErrorCode::BrokenChain);
        // The start of the log cut off.
        assert_eq!(
            code(Log::verify(entries[1..].to_vec())),
            ErrorCode::BrokenChain
        );
        assert_eq!(code(Log::verify(Vec::new())), ErrorCode::BrokenChain);
    }

    #[test]
    fn a_forged_signature_is_refused() {
        let t = team();
        let entries = t.log.entries().to_vec();
        // B made an admin by editing the entry that added it.
        let mut promoted = entries.clone();
        if let Action::Add { admin, .. } = &mut promoted[1].action {
            *admin = true;
        }
        assert_eq!(code(Log::verify(promoted)), ErrorCode::BadSignature);
        // A flipped bit in a signature.
        let mut flipped = entries.clone();
        let mut sig = b64_fixed::<64>(&flipped[2].sig).unwrap();
        sig[10] ^= 1;
        flipped[2].sig = b64(&sig);
        assert_eq!(code(Log::verify(flipped)), ErrorCode::BadSignature);
        // The creator's line swapped for another key.
        let mut swapped = entries.clone();
        if let Action::Create { admin, .. } = &mut swapped[0].action {
            *admin = t.b.public().line();
        }
        assert_eq!(code(Log::verify(swapped)), ErrorCode::NotAdmin);
    }

    #[test]
    fn a_removed_admin_can_sign_nothing_more() {
        let mut t = team();
        // C removes A, the creator.
        t.log.remove(&t.c, &mut t.keys, t.a.id(), 0).unwrap();
        let n = t.log.entries().len();
        let head = t.log.entries().last().unwrap().hash();
        let newcomer = DeviceKey::generate().unwrap();
        let sealed = seal_to(&newcomer.public(), t.keys.epoch(0).unwrap(), &t.keys.naming).unwrap();
        let e = signed(
            &t.a,
            t.log.space(),
            n as u64,
            head,
            Action::Add {
                member: newcomer.public().line(),
                admin: true,
                sealed: b64(&sealed),
            },
        );
        assert_eq!(code(t.log.apply(e)), ErrorCode::NotAdmin);
        // And it cannot be added back under its old key.
        assert_eq!(
            code(t.log.add(&t.c, &t.keys, &t.a.public(), true)),
            ErrorCode::InvalidMembership
        );
        assert_eq!(t.log.entries().len(), n);
    }

    #[test]
    fn removing_a_member_starts_an_epoch_it_cannot_open() {
        let mut t = team();
        t.log.remove(&t.a, &mut t.keys, t.b.id(), 41).unwrap();
        let log = Log::verify(json_round_trip(t.log.entries())).unwrap();
        assert_eq!(log.epoch(), 1);
        let kb = log.keys_for(&t.b).unwrap();
        assert_eq!(kb.epochs().collect::<Vec<_>>(), vec![0]);
        assert_eq!(kb.epoch(1).unwrap_err().code(), ErrorCode::UnknownEpoch);
        let kc = log.keys_for(&t.c).unwrap();
        assert_eq!(kc.epochs().collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(
            kc.epoch(1).unwrap().expose(),
            t.keys.epoch(1).unwrap().expose()
        );
        assert_ne!(kc.epoch(1).unwrap().expose(), kc.epoch(0).unwrap().expose());
        // The removed device's writing rights: old epoch, up to the cut.
        assert!(log.writer_at(t.b.id(), 0, 41).is_ok());
        assert_eq!(code(log.writer_at(t.b.id(), 0, 42)), ErrorCode::NotMember);
        assert_eq!(code(log.writer_at(t.b.id(), 1, 1)), ErrorCode::NotMember);
        // A member added now reads the whole history from its one grant.
        let mut t2 = t;
        let d = DeviceKey::generate().unwrap();
        t2.log.add(&t2.c, &t2.keys, &d.public(), false).unwrap();
        t2.log.rotate(&t2.c, &mut t2.keys).unwrap();
        let kd = t2.log.keys_for(&d).unwrap();
        assert_eq!(kd.epochs().collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(
            kd.epoch(0).unwrap().expose(),
            t2.keys.epoch(0).unwrap().expose()
        );
        // But it may not write backdated changes into epochs before it joined.
        assert_eq!(code(t2.log.writer_at(d.id(), 0, 1)), ErrorCode::NotMember);
        assert!(t2.log.writer_at(d.id(), 1, 1).is_ok());
    }

    #[test]
    fn a_new_epoch_sealed_to_a_removed_member_is_refused() {
        let mut t = team();
        let n = t.log.entries().len();
        let head = t.log.entries().last().unwrap().hash();
        let key = Secret32::random().unwrap();
        // Sealed to all three, including the one being removed.
        let grant = make_grant(
            t.log.space(),
            1,
            &key,
            &t.keys.naming,
            Some(t.keys.epoch(0).unwrap()),
            [t.a.public(), t.b.public(), t.c.public()].iter(),
        )
        .unwrap();
        let e = signed(
            &t.a,
            t.log.space(),
            n as u64,
            head,
            Action::Remove {
                member: b64(&t.b.id().0),
                keep_through: 0,
                grant,
            },
        );
        assert_eq!(code(t.log.apply(e)), ErrorCode::InvalidMembership);
        assert_eq!(t.log.epoch(), 0);
    }

    #[test]
    fn two_admins_changing_members_at_once_is_a_fork() {
        let t = team();
        let mut on_a = t.log.clone();
        let mut on_c = t.log.clone();
        let mut ka = t.keys.clone();
        let mut kc = t.keys.clone();
        on_a.rotate(&t.a, &mut ka).unwrap();
        on_c.rotate(&t.c, &mut kc).unwrap();
        let before = on_a.entries().len();
        assert_eq!(
            code(on_a.extend(on_c.entries().to_vec())),
            ErrorCode::LogFork
        );
        assert_eq!(on_a.entries().len(), before);
        // Entries already held are harmless when sent again.
        on_a.extend(on_a.entries().to_vec()).unwrap();
        let mut behind = t.log.clone();
        behind.extend(json_round_trip(on_a.entries())).unwrap();
        assert_eq!(behind.epoch(), 1);
    }

    #[test]
    fn a_log_names_at_most_max_members_devices() {
        let a = DeviceKey::generate().unwrap();
        let (mut log, keys) = Log::create(&a).unwrap();
        // Only the public half matters here; one age recipient serves all.
        let age = a.public().line();
        let age = age.split(' ').nth(2).unwrap().to_owned();
        for i in 1..MAX_MEMBERS {
            let signing = ed25519_dalek::SigningKey::from_bytes(&crate::encode::sha256(
                &(i as u64).to_be_bytes(),
            ));
            let line = format!(
                "{} {} {age}",
                crate::device::LINE_PREFIX,
                b64(signing.verifying_key().as_bytes())
            );
            log.add(&a, &keys, &DevicePublic::parse(&line).unwrap(), false)
                .unwrap();
        }
        assert_eq!(log.members().len(), MAX_MEMBERS);
        let one_more = DeviceKey::generate().unwrap().public();
        assert_eq!(
            code(log.add(&a, &keys, &one_more, false)),
            ErrorCode::InvalidMembership
        );
        assert_eq!(log.members().len(), MAX_MEMBERS);
    }

    #[test]
    fn the_last_admin_cannot_be_removed() {
        let (a, b) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let (mut log, mut keys) = Log::create(&a).unwrap();
        log.add(&a, &keys, &b.public(), false).unwrap();
        assert_eq!(
            code(log.remove(&a, &mut keys, a.id(), 0)),
            ErrorCode::InvalidMembership
        );
        assert_eq!(keys.current_epoch(), 0);
    }
}
