//! A replica of a space's records, and the rule that makes every replica
//! agree.
//!
//! Records are opaque ids with versions. Each edit is a change (see
//! [`crate::object`]) that names the versions it replaces (its *bases*)
//! and carries a Lamport clock. A record's state is a pure function of the
//! set of versions a replica holds, so replicas that hold the same set
//! agree, whatever order the versions arrived in:
//!
//! - every version is kept, in the history, ordered by (Lamport clock,
//!   device id, sequence number);
//! - the *heads* are the versions no other version replaces; the current
//!   version is the greatest head in that order;
//! - more than one head is a conflict, until someone reviews it: a
//!   [`Replica::resolve`] names every head as a base.
//!
//! Each edit also carries how far its author has read every device's
//! changes, so an object the relay withholds shows as a gap even when it
//! was a device's last one, as soon as anybody who saw it writes again.
//!
//! The vault keeps a replica between syncs as rows, one per version and
//! one per unsent change, written when they appear ([`Replica::pending_rows`]),
//! and a small [`ReplicaState`] beside them. A replica read back holds
//! each version's id, bases and digest, which order it, and reads a value
//! ([`StoredValues`]) only when a sync writes the record or a review
//! shows it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::sync::Arc;

use casevault_core::vault::spaces::{
    OwnChangeRow, ReplicaRows, StoredOwnChange, StoredVersion, VersionRow,
};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::device::{DeviceId, DeviceKey, DevicePublic};
use crate::encode::{b64, b64_fixed, b64_vec};
use crate::keys::SpaceKeys;
use crate::log::{Entry, Log};
use crate::object::{
    Change, change_name_at, open_change, open_change_at, seal_change, seal_change_at,
};
use crate::remote::{self, Got, ObjectName, Remote};
use crate::{Error, ErrorCode, Result, transport};

/// How far past the last known change of a device a sync looks for more.
const LOOKAHEAD: u64 = 64;
/// How far past what it holds a sync trusts another device's claim to
/// have seen more (a member could claim anything).
const MAX_CLAIM_AHEAD: u64 = 4096;

/// A version of a record: who wrote it, with which number, at which
/// Lamport time. Ordered by (Lamport time, device, sequence number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionId {
    /// The Lamport clock of the edit.
    pub lamport: u64,
    /// Its author.
    pub device: DeviceId,
    /// The author's sequence number of the change.
    pub seq: u64,
}

/// One record as a replica shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordView {
    /// The current value.
    pub current: Vec<u8>,
    /// The version that is current.
    pub current_version: VersionId,
    /// Whether concurrent edits await review.
    pub conflict: bool,
    /// Every version, oldest first.
    pub history: Vec<VersionId>,
}

impl std::fmt::Debug for RecordView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordView")
            .field(
                "current",
                &format_args!("<{} bytes redacted>", self.current.len()),
            )
            .field("current_version", &self.current_version)
            .field("conflict", &self.conflict)
            .field("history", &self.history)
            .finish()
    }
}

/// Changes a device expected but the remote did not deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The device whose changes are missing.
    pub device: DeviceId,
    /// The missing sequence numbers.
    pub missing: Vec<RangeInclusive<u64>>,
}

/// What one sync did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Own objects written to the remote.
    pub uploaded: usize,
    /// Changes verified and applied.
    pub applied: usize,
    /// Objects refused, with why; none of them was applied.
    pub refused: Vec<(ObjectName, ErrorCode)>,
    /// Withheld changes, for the user to be told.
    pub gaps: Vec<Gap>,
}

/// An edit as a change's payload carries it, read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditWire {
    record: String,
    value: String,
    lamport: u64,
    /// (device, seq) of each replaced version.
    bases: Vec<(String, u64)>,
    /// Device → highest sequence number held without gaps.
    known: BTreeMap<String, u64>,
}

/// An edit as a change's payload carries it, written: the fields of
/// [`EditWire`] in its order, borrowed. A payload is made again from the
/// version it made (see [`OwnPayload::Made`]) by the same function,
/// [`edit_payload`], so the bytes are the ones signed.
#[derive(Serialize)]
struct EditOut<'a> {
    record: &'a str,
    value: String,
    lamport: u64,
    bases: Vec<(String, u64)>,
    known: &'a BTreeMap<String, u64>,
}

/// The payload of an edit of `record` to `value`, replacing `bases`.
fn edit_payload(
    record: &str,
    value: &[u8],
    lamport: u64,
    bases: &[(DeviceId, u64)],
    known: &BTreeMap<String, u64>,
) -> Result<Zeroizing<Vec<u8>>> {
    let edit = EditOut {
        record,
        value: b64(value),
        lamport,
        bases: bases.iter().map(|(d, s)| (b64(&d.0), *s)).collect(),
        known,
    };
    let bytes =
        serde_json::to_vec(&edit).map_err(|e| Error::Internal(format!("encoding an edit: {e}")))?;
    let mut value = edit.value;
    zeroize::Zeroize::zeroize(&mut value);
    Ok(Zeroizing::new(bytes))
}

/// One version held. Its value is case data, wiped when dropped: an
/// unlocked vault keeps replicas in memory between syncs.
#[derive(Debug, Clone)]
struct Version {
    /// None while the value is only in the vault's rows: a replica read
    /// back loads none (at 10,000 records, reading them all took 96 ms of
    /// every CLI sync, and hashing the current ones 38 ms).
    value: Option<Zeroizing<Vec<u8>>>,
    /// SHA-256 of the value: what a sync compares with what it agreed.
    digest: [u8; 32],
    bases: Vec<(DeviceId, u64)>,
}

impl Version {
    fn new(value: Zeroizing<Vec<u8>>, bases: Vec<(DeviceId, u64)>) -> Version {
        Version {
            digest: crate::encode::sha256(&value),
            value: Some(value),
            bases,
        }
    }

    /// The value of this version, `id`: held, or read from `stored` and
    /// checked against the digest, so a row that does not match its
    /// version is never used.
    fn value(&self, id: &VersionId, stored: &dyn StoredValues) -> Result<Cow<'_, [u8]>> {
        if let Some(v) = &self.value {
            return Ok(Cow::Borrowed(&v[..]));
        }
        let value = stored
            .read(id.device, id.seq)?
            .ok_or(Error::Tampered("a version's stored value is missing"))?;
        if crate::encode::sha256(&value) != self.digest {
            return Err(Error::Tampered(
                "a version's stored value does not match it",
            ));
        }
        Ok(Cow::Owned(value.to_vec()))
    }
}

/// Where a replica read back from the vault finds the values it did not
/// load: the vault's rows (see [`crate::spaces`]), or, in tests, the
/// values [`Replica::export_rows`] gave.
pub trait StoredValues {
    /// The value of the version `device` wrote as number `seq`, if stored.
    fn read(&self, device: DeviceId, seq: u64) -> Result<Option<Zeroizing<Vec<u8>>>>;
}

/// For a replica that holds every value (one never read back): nothing is
/// stored, and a value it lacks is an error, not a panic.
#[derive(Debug, Clone, Copy)]
pub struct NothingStored;

impl StoredValues for NothingStored {
    fn read(&self, _: DeviceId, _: u64) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(None)
    }
}

/// Values by (author, sequence number): what [`Replica::export_rows`]
/// gives beside the rows, as the vault's `space_values` would hold them.
pub type ValueRows = BTreeMap<(DeviceId, u64), Zeroizing<Vec<u8>>>;

impl StoredValues for ValueRows {
    fn read(&self, device: DeviceId, seq: u64) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(self.get(&(device, seq)).cloned())
    }
}

#[derive(Debug, Clone, Default)]
struct Record {
    versions: Versions,
}

/// A record's versions, in the total order. Nearly every record has one:
/// a sorted vector holds it in about 100 bytes, where a B-tree map
/// allocates a node of eleven slots (about 1 kB, 10 MB at 10,000 records).
#[derive(Debug, Clone, Default)]
struct Versions(Vec<(VersionId, Version)>);

impl Versions {
    fn position(&self, id: &VersionId) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(id))
    }

    fn get(&self, id: &VersionId) -> Option<&Version> {
        self.position(id).ok().map(|i| &self.0[i].1)
    }

    /// Adds `version`, or replaces the one of the same id (the same change
    /// again: its author signed it once).
    fn insert(&mut self, id: VersionId, version: Version) {
        match self.position(&id) {
            Ok(i) => self.0[i].1 = version,
            Err(i) => self.0.insert(i, (id, version)),
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&VersionId, &Version)> {
        self.0.iter().map(|(id, v)| (id, v))
    }

    fn keys(&self) -> impl Iterator<Item = &VersionId> {
        self.0.iter().map(|(id, _)| id)
    }

    fn values(&self) -> impl Iterator<Item = &Version> {
        self.0.iter().map(|(_, v)| v)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn retain(&mut self, mut keep: impl FnMut(&VersionId) -> bool) {
        self.0.retain(|(id, _)| keep(id));
    }
}

impl std::ops::Index<&VersionId> for Versions {
    type Output = Version;

    fn index(&self, id: &VersionId) -> &Version {
        self.get(id).expect("a version held")
    }
}

impl Record {
    fn heads(&self) -> Vec<VersionId> {
        let replaced: BTreeSet<(DeviceId, u64)> = self
            .versions
            .values()
            .flat_map(|v| v.bases.iter().copied())
            .collect();
        self.versions
            .keys()
            .filter(|id| !replaced.contains(&(id.device, id.seq)))
            .copied()
            .collect()
    }

    fn view(&self, stored: &dyn StoredValues) -> Result<Option<RecordView>> {
        let Some(current) = self.current() else {
            return Ok(None);
        };
        Ok(Some(RecordView {
            current: current.value(stored)?.to_vec(),
            current_version: current.version,
            conflict: current.conflict,
            history: self.versions.keys().copied().collect(),
        }))
    }

    fn current(&self) -> Option<Current<'_>> {
        // One version (the common case) is its own head unless it names
        // itself as its base: no set to build.
        if self.versions.len() == 1 {
            let (id, v) = self.versions.iter().next()?;
            if !v.bases.contains(&(id.device, id.seq)) {
                return Some(Current {
                    of: v,
                    version: *id,
                    conflict: false,
                });
            }
        }
        let heads = self.heads();
        let top = *heads.iter().max()?;
        Some(Current {
            of: &self.versions[&top],
            version: top,
            conflict: heads.len() > 1,
        })
    }
}

/// A record's current version as a replica holds it, borrowed rather than
/// copied (a sync looks at every record's to find what changed).
#[derive(Clone, Copy)]
pub(crate) struct Current<'a> {
    /// The current version as held (its value perhaps only in the rows).
    of: &'a Version,
    /// The version that is current.
    pub version: VersionId,
    /// Whether concurrent edits await review.
    pub conflict: bool,
}

impl<'a> Current<'a> {
    /// The current value: held, or read from `stored`.
    pub fn value(&self, stored: &dyn StoredValues) -> Result<Cow<'a, [u8]>> {
        self.of.value(&self.version, stored)
    }

    /// SHA-256 of the current value.
    pub fn digest(&self) -> &'a [u8; 32] {
        &self.of.digest
    }
}

/// One of this device's changes, until it is read back from the remote.
#[derive(Clone)]
struct Own {
    epoch: u32,
    payload: OwnPayload,
    digest: [u8; 32],
}

/// Where an unsent change's signed payload (an [`EditWire`]) comes from.
#[derive(Clone)]
enum OwnPayload {
    /// Held whole: as the vault's row had it, or for a version this
    /// replica no longer holds (a removed device's cut).
    Kept(Zeroizing<Vec<u8>>),
    /// Made again when sealed or saved from the version the change made,
    /// which holds the value: held whole, an initial sync's 10,000 unsent
    /// changes kept every value a second time (in base64, 34 MB) until
    /// the remote confirmed them. What else the edit carried is here.
    Made {
        record: String,
        lamport: u64,
        /// The edit's `known` of the other devices, shared by the changes
        /// of one push: it is the same for each.
        known_others: Arc<BTreeMap<String, u64>>,
        /// The edit's `known` of this device, if it had one.
        known_own: Option<u64>,
    },
}

impl std::fmt::Debug for Own {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.payload {
            OwnPayload::Kept(p) => {
                write!(f, "Own(epoch {}, <{} bytes redacted>)", self.epoch, p.len())
            }
            OwnPayload::Made { .. } => write!(f, "Own(epoch {}, <from its version>)", self.epoch),
        }
    }
}

/// One device's replica of one space. Its `Debug` shows no record ids
/// or values.
pub struct Replica {
    device: DeviceKey,
    log: Log,
    keys: SpaceKeys,
    last_seq: u64,
    lamport: u64,
    outbox: BTreeMap<u64, Own>,
    /// The `known` of the other devices of the last own edit, shared with
    /// the next one if equal.
    last_known: Arc<BTreeMap<String, u64>>,
    /// Log entries known to be on the remote as held.
    log_confirmed: usize,
    received: BTreeMap<DeviceId, BTreeSet<u64>>,
    claimed: BTreeMap<DeviceId, u64>,
    records: BTreeMap<String, Record>,
    /// What changed since the rows were last saved.
    unsaved: Unsaved,
}

/// The changes to a replica's rows not yet saved by the vault.
#[derive(Default)]
struct Unsaved {
    /// Every row goes (an unload): the versions below come after.
    clear: bool,
    /// Versions of a device past its number went (a removed device's cut).
    cuts: Vec<(DeviceId, u64)>,
    /// Versions added.
    versions: BTreeSet<(String, VersionId)>,
    /// Own changes added, resealed or sent: saved as they are now.
    outbox: BTreeSet<u64>,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("device", &self.device)
            .field("space", &self.log.space())
            .field("epoch", &self.log.epoch())
            .field("last_seq", &self.last_seq)
            .field("records", &self.records.len())
            .field("outbox", &self.outbox.len())
            .finish_non_exhaustive()
    }
}

/// A replica's bookkeeping between syncs, for the vault to keep inside its
/// encrypted database beside the rows of its versions and unsent changes.
/// The keys are not in it: they are re-derived from the log's grants.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaState {
    last_seq: u64,
    lamport: u64,
    log_confirmed: usize,
    /// Schema 13 and before: the unsent changes, (seq, epoch, payload,
    /// digest) in base64. Read once, then kept as rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    outbox: Vec<(u64, u32, String, String)>,
    received: BTreeMap<String, Vec<u64>>,
    claimed: BTreeMap<String, u64>,
    /// Schema 13 and before: every version. Read once, then kept as rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    versions: Vec<VersionWire>,
}

impl std::fmt::Debug for ReplicaState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplicaState")
            .field("last_seq", &self.last_seq)
            .field("versions", &self.versions.len())
            .finish_non_exhaustive()
    }
}

impl Drop for ReplicaState {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for o in &mut self.outbox {
            o.2.zeroize();
        }
        for v in &mut self.versions {
            v.value.zeroize();
            v.record.zeroize();
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionWire {
    record: String,
    lamport: u64,
    device: String,
    seq: u64,
    value: String,
    bases: Vec<(String, u64)>,
}

impl Replica {
    /// A replica for `device`, a member in `log`.
    pub fn new(device: DeviceKey, log: Log) -> Result<Self> {
        let keys = log.keys_for(&device)?;
        Ok(Replica {
            device,
            log,
            keys,
            last_seq: 0,
            lamport: 0,
            outbox: BTreeMap::new(),
            last_known: Arc::default(),
            log_confirmed: 0,
            received: BTreeMap::new(),
            claimed: BTreeMap::new(),
            records: BTreeMap::new(),
            unsaved: Unsaved::default(),
        })
    }

    /// Adopts newer membership-log entries (verified against the log held)
    /// and the keys they give this device.
    pub fn update_log(&mut self, entries: Vec<Entry>) -> Result<()> {
        let mut log = self.log.clone();
        log.extend(entries)?;
        let keys = log.keys_for(&self.device)?;
        self.log = log;
        self.keys = keys;
        self.drop_cut_changes();
        Ok(())
    }

    /// As an admin: adds `member` (after comparing fingerprints). The entry
    /// reaches the others at the next sync; [`Replica::invite`] tells the
    /// new device.
    pub fn add_member(&mut self, member: &DevicePublic, admin: bool) -> Result<()> {
        let mut log = self.log.clone();
        log.add(&self.device, &self.keys, member, admin)?;
        self.log = log;
        Ok(())
    }

    /// As an admin: removes `member`, keeping the changes of it this
    /// replica holds without a gap, and starts a new epoch without it.
    pub fn remove_member(&mut self, member: DeviceId) -> Result<()> {
        let keep_through = self.contiguous(member);
        let mut log = self.log.clone();
        let mut keys = self.keys.clone();
        log.remove(&self.device, &mut keys, member, keep_through)?;
        self.log = log;
        self.keys = keys;
        // Held past a gap, beyond the cut: the others will refuse it.
        self.drop_cut_changes();
        Ok(())
    }

    /// As an admin: starts a new epoch with the same members.
    pub fn rotate(&mut self) -> Result<()> {
        let mut log = self.log.clone();
        let mut keys = self.keys.clone();
        log.rotate(&self.device, &mut keys)?;
        self.log = log;
        self.keys = keys;
        Ok(())
    }

    /// As an admin: leaves an invitation for `member` on the remote.
    pub fn invite(&self, remote: &dyn Remote, member: &DevicePublic) -> Result<ObjectName> {
        transport::invite(remote, &self.log, member)
    }

    /// The bookkeeping to keep until the next sync, beside the rows.
    pub fn export_state(&self) -> ReplicaState {
        let dev = |d: &DeviceId| b64(&d.0);
        ReplicaState {
            last_seq: self.last_seq,
            lamport: self.lamport,
            log_confirmed: self.log_confirmed,
            outbox: Vec::new(),
            received: self
                .received
                .iter()
                .map(|(d, s)| (dev(d), s.iter().copied().collect()))
                .collect(),
            claimed: self.claimed.iter().map(|(d, n)| (dev(d), *n)).collect(),
            versions: Vec::new(),
        }
    }

    /// What the vault must write of the rows since they were last saved,
    /// in the transaction that stores [`Replica::export_state`]. Once
    /// committed, [`Replica::rows_saved`]; a replica whose save failed is
    /// dropped, not saved again.
    pub fn pending_rows(&self) -> ReplicaRows<'_> {
        let u = &self.unsaved;
        ReplicaRows {
            clear: u.clear,
            cuts: u.cuts.iter().map(|(d, keep)| (d.0, *keep)).collect(),
            versions: u
                .versions
                .iter()
                .filter_map(|(record, id)| {
                    let v = self.records.get(record)?.versions.get(id)?;
                    Some(version_row(record, id, v))
                })
                .collect(),
            outbox: u
                .outbox
                .iter()
                .filter(|seq| self.outbox.contains_key(seq))
                .map(|seq| self.own_change_row(*seq))
                .collect(),
            sent: u
                .outbox
                .iter()
                .filter(|seq| !self.outbox.contains_key(seq))
                .copied()
                .collect(),
        }
    }

    /// The rows of [`Replica::pending_rows`] are committed.
    pub fn rows_saved(&mut self) {
        self.unsaved = Unsaved::default();
    }

    /// Every row this replica holds, as the vault would read them back,
    /// with the values apart (as `space_values` holds them): those not
    /// held are read from `stored`.
    pub fn export_rows(
        &self,
        stored: &dyn StoredValues,
    ) -> Result<(Vec<StoredVersion>, ValueRows, Vec<StoredOwnChange>)> {
        let mut versions = Vec::new();
        let mut values = ValueRows::new();
        for (record, r) in &self.records {
            for (id, v) in r.versions.iter() {
                let value = v.value(id, stored)?;
                values.insert((id.device, id.seq), Zeroizing::new(value.into_owned()));
                versions.push(StoredVersion {
                    record: record.clone(),
                    device: id.device.0,
                    seq: id.seq,
                    lamport: id.lamport,
                    bases: bases_row(&v.bases),
                    digest: v.digest,
                });
            }
        }
        let outbox = self
            .outbox
            .iter()
            .map(|(seq, own)| {
                Ok(StoredOwnChange {
                    seq: *seq,
                    epoch: own.epoch,
                    payload: self.own_payload(*seq)?,
                    digest: own.digest,
                })
            })
            .collect::<Result<_>>()?;
        Ok((versions, values, outbox))
    }

    /// The row of own change `seq` (in the outbox), its payload made when
    /// the vault writes it.
    fn own_change_row(&self, seq: u64) -> OwnChangeRow<'_> {
        let own = &self.outbox[&seq];
        OwnChangeRow {
            seq,
            epoch: own.epoch,
            digest: own.digest,
            payload: Box::new(move || {
                self.own_payload(seq).map_err(|e| match e {
                    Error::Internal(detail) => casevault_core::Error::Internal(detail),
                    other => casevault_core::Error::Internal(other.to_string()),
                })
            }),
        }
    }

    /// The signed payload of own change `seq`, made again from its version
    /// if it is not held whole. One made again that does not match the
    /// digest taken when it was written is refused: sent, it would never
    /// be confirmed, and saved, it would not be what was signed.
    fn own_payload(&self, seq: u64) -> Result<Zeroizing<Vec<u8>>> {
        let own = self
            .outbox
            .get(&seq)
            .ok_or_else(|| Error::Internal("an unsent change is missing".into()))?;
        let (record, lamport, known) = match &own.payload {
            OwnPayload::Kept(p) => return Ok(p.clone()),
            OwnPayload::Made {
                record,
                lamport,
                known_others,
                known_own,
            } => (
                record,
                *lamport,
                self.known_with_own(known_others, *known_own),
            ),
        };
        let id = VersionId {
            lamport,
            device: self.device.id(),
            seq,
        };
        let version = self
            .records
            .get(record)
            .and_then(|r| r.versions.get(&id))
            .ok_or_else(|| Error::Internal("an unsent change's version is missing".into()))?;
        let value = version
            .value
            .as_ref()
            .ok_or_else(|| Error::Internal("an unsent change's value is not held".into()))?;
        let payload = edit_payload(record, value, lamport, &version.bases, &known)?;
        let digest = Change {
            space: self.log.space(),
            author: self.device.id(),
            seq,
            epoch: own.epoch,
            payload: payload.clone(),
        }
        .digest();
        if digest != own.digest {
            return Err(Error::Internal(
                "an unsent change made again differs from the one signed".into(),
            ));
        }
        Ok(payload)
    }

    /// A replica for `device` in `log` (verified by the caller), with the
    /// bookkeeping and rows kept since its last sync. A state or row that
    /// does not parse is the vault's own data damaged, refused as
    /// `tampered`. A state of schema 13, which held the versions and
    /// unsent changes itself, is read too: they become rows at the next
    /// save.
    pub fn from_state(
        device: DeviceKey,
        log: Log,
        state: &ReplicaState,
        versions: Vec<StoredVersion>,
        outbox: Vec<StoredOwnChange>,
    ) -> Result<Self> {
        let bad = || Error::Tampered("a space's stored state is damaged");
        let dev = |t: &str| b64_fixed::<32>(t).map(DeviceId).ok_or_else(bad);
        let mut r = Replica::new(device, log)?;
        r.last_seq = state.last_seq;
        r.lamport = state.lamport;
        r.log_confirmed = state.log_confirmed.min(r.log.entries().len());
        for o in outbox {
            r.outbox.insert(
                o.seq,
                Own {
                    epoch: o.epoch,
                    payload: OwnPayload::Kept(o.payload),
                    digest: o.digest,
                },
            );
        }
        for (d, seqs) in &state.received {
            r.received.insert(dev(d)?, seqs.iter().copied().collect());
        }
        for (d, n) in &state.claimed {
            r.claimed.insert(dev(d)?, *n);
        }
        for v in versions {
            if v.bases.len() % BASE_LEN != 0 {
                return Err(bad());
            }
            let bases = v
                .bases
                .chunks_exact(BASE_LEN)
                .map(|b| {
                    let (device, seq) = b.split_at(32);
                    let device: [u8; 32] = device.try_into().expect("32 bytes");
                    let seq: [u8; 8] = seq.try_into().expect("8 bytes");
                    (DeviceId(device), u64::from_be_bytes(seq))
                })
                .collect();
            let id = VersionId {
                lamport: v.lamport,
                device: DeviceId(v.device),
                seq: v.seq,
            };
            r.records.entry(v.record).or_default().versions.insert(
                id,
                Version {
                    value: None,
                    digest: v.digest,
                    bases,
                },
            );
        }
        // Schema 13: the versions and unsent changes were in the state.
        for (seq, epoch, payload, digest) in &state.outbox {
            r.outbox.insert(
                *seq,
                Own {
                    epoch: *epoch,
                    payload: OwnPayload::Kept(Zeroizing::new(b64_vec(payload).ok_or_else(bad)?)),
                    digest: b64_fixed::<32>(digest).ok_or_else(bad)?,
                },
            );
            r.unsaved.outbox.insert(*seq);
        }
        for v in &state.versions {
            let mut bases = Vec::with_capacity(v.bases.len());
            for (d, s) in &v.bases {
                bases.push((dev(d)?, *s));
            }
            let id = VersionId {
                lamport: v.lamport,
                device: dev(&v.device)?,
                seq: v.seq,
            };
            r.records
                .entry(v.record.clone())
                .or_default()
                .versions
                .insert(
                    id,
                    Version::new(b64_vec(&v.value).ok_or_else(bad)?.into(), bases),
                );
            r.unsaved.versions.insert((v.record.clone(), id));
        }
        Ok(r)
    }

    /// The heads of `record`, in the total order (the current one last).
    /// More than one is a conflict.
    pub fn head_ids(&self, record: &str) -> Vec<VersionId> {
        let mut heads = self
            .records
            .get(record)
            .map(Record::heads)
            .unwrap_or_default();
        heads.sort();
        heads
    }

    /// [`Replica::head_ids`] with their values, those not held read from
    /// `stored`.
    pub fn heads(
        &self,
        record: &str,
        stored: &dyn StoredValues,
    ) -> Result<Vec<(VersionId, Vec<u8>)>> {
        let Some(r) = self.records.get(record) else {
            return Ok(Vec::new());
        };
        self.head_ids(record)
            .into_iter()
            .map(|h| Ok((h, r.versions[&h].value(&h, stored)?.into_owned())))
            .collect()
    }

    /// Reads every value this replica does not hold from `stored` (a
    /// replica read back holds none), checking each against its digest.
    pub fn hold_values(&mut self, stored: &dyn StoredValues) -> Result<()> {
        for r in self.records.values_mut() {
            for (id, v) in r.versions.0.iter_mut() {
                if v.value.is_none() {
                    let value = Zeroizing::new(v.value(id, stored)?.into_owned());
                    v.value = Some(value);
                }
            }
        }
        Ok(())
    }

    /// The base of a conflict's three-way merge: the greatest version, in
    /// the total order, that every head of `record` descends from, with its
    /// value. None if the record has fewer than two heads or they share no
    /// version held here (each was a first write, or the common one is in
    /// a gap). A pure function of the versions held, like the heads.
    pub fn merge_base(
        &self,
        record: &str,
        stored: &dyn StoredValues,
    ) -> Result<Option<(VersionId, Vec<u8>)>> {
        let Some(r) = self.records.get(record) else {
            return Ok(None);
        };
        let heads = r.heads();
        if heads.len() < 2 {
            return Ok(None);
        }
        let by_key: BTreeMap<(DeviceId, u64), VersionId> =
            r.versions.keys().map(|v| ((v.device, v.seq), *v)).collect();
        let ancestors = |head: VersionId| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![head];
            while let Some(v) = stack.pop() {
                for b in &r.versions[&v].bases {
                    if let Some(id) = by_key.get(b)
                        && seen.insert(*id)
                    {
                        stack.push(*id);
                    }
                }
            }
            seen
        };
        let mut common: Option<BTreeSet<VersionId>> = None;
        for h in heads {
            let a = ancestors(h);
            common = Some(match common {
                None => a,
                Some(c) => c.intersection(&a).copied().collect(),
            });
        }
        let Some(base) = common.and_then(|c| c.last().copied()) else {
            return Ok(None);
        };
        let value = r.versions[&base].value(&base, stored)?;
        Ok(Some((base, value.into_owned())))
    }

    /// Whether this device is no longer a member (it was removed).
    pub fn removed(&self) -> bool {
        self.log.excludes(self.device.id())
    }

    /// This device's key, for objects other than changes (evidence chunks).
    pub(crate) fn device(&self) -> &DeviceKey {
        &self.device
    }

    /// The space's keys as this device holds them.
    pub(crate) fn keys(&self) -> &SpaceKeys {
        &self.keys
    }

    /// The membership log held.
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// This replica's device id.
    pub fn id(&self) -> DeviceId {
        self.device.id()
    }

    /// Edits `record`, replacing the version shown (a conflict stays one).
    pub fn edit(&mut self, record: &str, value: &[u8]) -> Result<VersionId> {
        let bases = match self.records.get(record).and_then(Record::current) {
            Some(c) => vec![c.version],
            None => Vec::new(),
        };
        self.write(record, value, bases)
    }

    /// Resolves a record after review: the new value replaces every head.
    pub fn resolve(&mut self, record: &str, value: &[u8]) -> Result<VersionId> {
        let bases = self
            .records
            .get(record)
            .map(Record::heads)
            .unwrap_or_default();
        self.write(record, value, bases)
    }

    fn write(&mut self, record: &str, value: &[u8], bases: Vec<VersionId>) -> Result<VersionId> {
        let seq = self.last_seq + 1;
        // A member may send any clock value; the greatest stays the
        // greatest rather than wrapping around.
        let lamport = self.lamport.saturating_add(1);
        // How far this device has read every device's changes: its own
        // count moves with each edit, the others' only when a sync brings
        // more, so those are kept once for a whole push.
        let me = self.device.id();
        let known_own = self.received.contains_key(&me).then(|| self.contiguous(me));
        let others: BTreeMap<String, u64> = self
            .received
            .keys()
            .filter(|d| **d != me)
            .map(|d| (b64(&d.0), self.contiguous(*d)))
            .collect();
        if *self.last_known != others {
            self.last_known = Arc::new(others);
        }
        let known = self.known_with_own(&self.last_known, known_own);
        let bases: Vec<(DeviceId, u64)> = bases.iter().map(|b| (b.device, b.seq)).collect();
        let payload = edit_payload(record, value, lamport, &bases, &known)?;
        let (name, bytes) = seal_change(&self.device, &self.keys, self.log.space(), seq, &payload)?;
        drop(payload);
        // Read back through the same checks as anybody else's change.
        let change = open_change(&self.log, &self.keys, &name, &bytes)?;
        self.apply(&change)?;
        self.last_seq = seq;
        self.unsaved.outbox.insert(seq);
        self.outbox.insert(
            seq,
            Own {
                epoch: change.epoch,
                digest: change.digest(),
                payload: OwnPayload::Made {
                    record: record.to_owned(),
                    lamport,
                    known_others: Arc::clone(&self.last_known),
                    known_own,
                },
            },
        );
        Ok(VersionId {
            lamport,
            device: self.device.id(),
            seq,
        })
    }

    /// An edit's `known`: the other devices', and this device's count.
    fn known_with_own(
        &self,
        others: &BTreeMap<String, u64>,
        own: Option<u64>,
    ) -> BTreeMap<String, u64> {
        let mut known = others.clone();
        if let Some(n) = own {
            known.insert(b64(&self.device.id().0), n);
        }
        known
    }

    fn apply(&mut self, change: &Change) -> Result<()> {
        let bad = || Error::Tampered("a member sent a malformed edit");
        let edit: EditWire = serde_json::from_slice(&change.payload).map_err(|_| bad())?;
        let value = b64_vec(&edit.value).ok_or_else(bad)?;
        let mut bases = Vec::with_capacity(edit.bases.len());
        for (d, s) in &edit.bases {
            bases.push((DeviceId(b64_fixed::<32>(d).ok_or_else(bad)?), *s));
        }
        let mut known = Vec::with_capacity(edit.known.len());
        for (d, n) in &edit.known {
            known.push((DeviceId(b64_fixed::<32>(d).ok_or_else(bad)?), *n));
        }
        let id = VersionId {
            lamport: edit.lamport,
            device: change.author,
            seq: change.seq,
        };
        self.records
            .entry(edit.record.clone())
            .or_default()
            .versions
            .insert(id, Version::new(value.into(), bases));
        self.unsaved.versions.insert((edit.record, id));
        self.received
            .entry(change.author)
            .or_default()
            .insert(change.seq);
        self.lamport = self.lamport.max(edit.lamport);
        for (d, n) in known {
            if self.log.members().contains_key(&d) {
                let c = self.claimed.entry(d).or_default();
                *c = (*c).max(n);
            }
        }
        Ok(())
    }

    /// Drops what the log held now forbids: a removed device's changes
    /// past its cut that this replica applied before it learnt of the
    /// removal (a remote can hold the removal back while the removed
    /// device, which keeps the old epoch's key, writes on). Replicas that
    /// learnt of it first refused them; now all agree.
    fn drop_cut_changes(&mut self) {
        let cuts: Vec<(DeviceId, u64)> = self
            .log
            .members()
            .iter()
            .filter_map(|(d, m)| m.removed.map(|(_, keep)| (*d, keep)))
            .collect();
        for (d, keep) in cuts {
            if let Some(seqs) = self.received.get_mut(&d) {
                seqs.retain(|s| *s <= keep);
            }
            let past_cut = |v: &VersionId| v.device == d && v.seq > keep;
            if d == self.device.id() {
                // Own unsent changes past the cut lose their versions: their
                // payloads are held whole from now on.
                let made: Vec<u64> = self.outbox.range(keep + 1..).map(|(s, _)| *s).collect();
                for seq in made {
                    if let Ok(payload) = self.own_payload(seq)
                        && let Some(own) = self.outbox.get_mut(&seq)
                    {
                        own.payload = OwnPayload::Kept(payload);
                    }
                }
            }
            let mut dropped = false;
            for record in self.records.values_mut() {
                let before = record.versions.len();
                record.versions.retain(|v| !past_cut(v));
                dropped |= record.versions.len() != before;
            }
            if dropped {
                self.unsaved.versions.retain(|(_, v)| !past_cut(v));
                self.unsaved.cuts.push((d, keep));
            }
        }
        self.records.retain(|_, r| !r.versions.is_empty());
    }

    /// The highest sequence number of `device` held with none missing
    /// below it.
    fn contiguous(&self, device: DeviceId) -> u64 {
        let mut n = 0;
        if let Some(seqs) = self.received.get(&device) {
            for s in seqs {
                if *s != n + 1 {
                    break;
                }
                n = *s;
            }
        }
        n
    }

    /// The highest sequence number of `device` this replica has reason to
    /// expect: the highest held, or claimed by another member's edit
    /// (within bounds, and never past a removed device's cut).
    fn expected(&self, device: DeviceId) -> u64 {
        let held = self
            .received
            .get(&device)
            .and_then(|s| s.last().copied())
            .unwrap_or(0);
        let mut claimed = self
            .claimed
            .get(&device)
            .copied()
            .unwrap_or(0)
            .min(held + MAX_CLAIM_AHEAD);
        if let Some((_, keep_through)) = self.log.members().get(&device).and_then(|m| m.removed) {
            claimed = claimed.min(keep_through);
        }
        held.max(claimed)
    }

    /// Writes what the remote lacks of this device's changes, then reads,
    /// verifies and applies everything new. An object that fails any check
    /// is refused (and asked for again next time); a missing one is a gap.
    pub fn sync(&mut self, remote: &dyn Remote) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let listing: BTreeSet<ObjectName> = remote.list()?.into_iter().collect();
        self.sync_log(remote, &listing, &mut report)?;
        self.upload(remote, &listing, &mut report)?;
        let me = self.device.id();
        let devices: Vec<DeviceId> = self.log.members().keys().copied().collect();
        for d in devices {
            // A removed device's changes past its cut are refused anyway;
            // this device's own are fetched only when it no longer holds
            // them (after an unload), never past the last it wrote.
            let mut cut = self.log.members()[&d].removed.map_or(u64::MAX, |(_, k)| k);
            if d == me {
                cut = cut.min(self.last_seq);
            }
            self.fetch_device(remote, &listing, d, cut, &mut report)?;
        }
        report.gaps = self.gaps();
        Ok(report)
    }

    /// Whether this device may seal objects now: not while the current
    /// epoch was started by a log entry not yet read back from the remote
    /// (a put confirms nothing; the entry is read back at the next sync).
    /// If that entry lost a fork, the others never get its key, and an
    /// object sealed under it would be unreadable to them for good. Own
    /// changes wait in the outbox meanwhile, and after a fork are sealed
    /// again in the winner's epoch; evidence chunks wait to be sent.
    pub fn may_seal(&self) -> bool {
        self.log.epoch_before(self.log_confirmed as u64) == self.log.epoch()
    }

    /// Only the membership part of [`Replica::sync`]: puts the log entries
    /// the remote lacks and adopts the new ones (with their keys), but
    /// neither sends nor reads changes. For a space unloaded from this
    /// device: it learns of removals and new epochs, and an admin's
    /// membership changes still reach the others.
    pub fn sync_membership(&mut self, remote: &dyn Remote) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let listing: BTreeSet<ObjectName> = remote.list()?.into_iter().collect();
        self.sync_log(remote, &listing, &mut report)?;
        Ok(report)
    }

    /// How many of this device's changes are not yet known to be on the
    /// remote.
    pub fn unsent(&self) -> usize {
        self.outbox.len()
    }

    /// Forgets every record and every change held, this device's unsent
    /// ones included, keeping what numbers and orders future changes (the
    /// sequence number and the clock: a number once used is never used
    /// again) and how far each device was known to have written, so that
    /// the next [`Replica::sync`] fetches everything back from the remote.
    pub fn unload(&mut self) {
        let held: Vec<(DeviceId, u64)> = self
            .received
            .iter()
            .filter_map(|(d, s)| Some((*d, *s.last()?)))
            .collect();
        for (d, top) in held {
            let c = self.claimed.entry(d).or_default();
            *c = (*c).max(top);
        }
        self.records.clear();
        self.received.clear();
        self.outbox.clear();
        self.unsaved = Unsaved {
            clear: true,
            ..Unsaved::default()
        };
    }

    /// The membership part of a sync, over `listing`.
    fn sync_log(
        &mut self,
        remote: &dyn Remote,
        listing: &BTreeSet<ObjectName>,
        report: &mut SyncReport,
    ) -> Result<()> {
        // Membership first: who may write, and the keys to read with.
        match transport::publish_log(remote, &self.log, &self.keys, listing, self.log_confirmed) {
            Ok(n) => self.log_confirmed = n,
            Err(Error::LogFork { entry }) => {
                // Another admin's change got there first: drop ours (it was
                // never on the remote), take theirs, and say so; the admin
                // repeats the change on top. The winner verified against
                // our log before `entry`, so that part is shared.
                let kept = self.log.entries()[..entry as usize].to_vec();
                let mut log = Log::verify(kept)?;
                let mut keys = log.keys_for(&self.device)?;
                transport::fetch_log(
                    remote,
                    listing,
                    &mut log,
                    &mut keys,
                    &self.device,
                    &mut report.refused,
                )?;
                self.log_confirmed = log.entries().len();
                self.log = log;
                self.keys = keys;
                self.drop_cut_changes();
                return Err(Error::LogFork { entry });
            }
            Err(e) => return Err(e),
        }
        let held = self.log.entries().len();
        let fetched = transport::fetch_log(
            remote,
            listing,
            &mut self.log,
            &mut self.keys,
            &self.device,
            &mut report.refused,
        )?;
        // What was fetched is on the remote as held.
        if fetched > 0 && self.log_confirmed == held {
            self.log_confirmed = self.log.entries().len();
        }
        if fetched > 0 {
            self.drop_cut_changes();
        }
        Ok(())
    }

    /// Fetches, verifies and applies the changes of device `d` that are
    /// listed and not held, up to `cut`.
    fn fetch_device(
        &mut self,
        remote: &dyn Remote,
        listing: &BTreeSet<ObjectName>,
        d: DeviceId,
        cut: u64,
        report: &mut SyncReport,
    ) -> Result<()> {
        let space = self.log.space();
        // Which numbers to read follows from the listing alone (applying a
        // change of `d` adds only that number), so the first slots of a
        // window of them can be read at once.
        let mut seqs = Vec::new();
        let mut seq = self.contiguous(d);
        let mut until = self.expected(d) + LOOKAHEAD;
        while seq < until.min(cut) {
            seq += 1;
            if self.received.get(&d).is_some_and(|s| s.contains(&seq)) {
                continue;
            }
            if !listing.contains(&change_name_at(&self.keys, space, d, seq, 0)) {
                continue;
            }
            until = until.max(seq + LOOKAHEAD);
            seqs.push(seq);
        }
        for window in seqs.chunks(remote::READS_AT_ONCE) {
            let names: Vec<ObjectName> = window
                .iter()
                .map(|&s| change_name_at(&self.keys, space, d, s, 0))
                .collect();
            let firsts = remote::get_many(remote, &names)?;
            for (&seq, first) in window.iter().zip(firsts) {
                self.fetch_change(remote, listing, d, seq, first, report)?;
            }
        }
        Ok(())
    }

    /// Applies change `seq` of device `d` from the first listed slot that
    /// verifies, given what slot 0 held; junk before it is refused (see
    /// [`change_name_at`]).
    fn fetch_change(
        &mut self,
        remote: &dyn Remote,
        listing: &BTreeSet<ObjectName>,
        d: DeviceId,
        seq: u64,
        first: Got,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut first = Some(first);
        for slot in 0.. {
            let name = change_name_at(&self.keys, self.log.space(), d, seq, slot);
            if !listing.contains(&name) {
                break;
            }
            let got = match first.take() {
                Some(got) => got,
                None => remote::get(remote, &name)?,
            };
            let bytes = match got {
                Got::Bytes(b) => b,
                Got::Missing => break,
                Got::Refused(code) => {
                    report.refused.push((name, code));
                    continue;
                }
            };
            match open_change_at(&self.log, &self.keys, &name, slot, &bytes)
                .and_then(|c| self.apply(&c))
            {
                Ok(()) => {
                    report.applied += 1;
                    break;
                }
                Err(e) => report.refused.push((name, e.code())),
            }
        }
        Ok(())
    }

    /// Puts this device's changes that are not yet known to be on the
    /// remote, each in the first slot of its name that holds neither it
    /// nor junk, and reads back what it finds and what it put: a change is
    /// known to be there (and leaves the outbox) only once read back, since
    /// a put confirms nothing. The first slots are put first and then read
    /// back together, several at once on a remote that gains from it.
    fn upload(
        &mut self,
        remote: &dyn Remote,
        listing: &BTreeSet<ObjectName>,
        report: &mut SyncReport,
    ) -> Result<()> {
        if !self.may_seal() {
            return Ok(());
        }
        // A real remote holds at most what it lists, plus what appeared
        // since; a lying one could answer every slot.
        let max_slots = listing.len() as u64 + 2;
        let space = self.log.space();
        let me = self.device.id();
        let seqs: Vec<u64> = self.outbox.keys().copied().collect();
        for window in seqs.chunks(remote::READS_AT_ONCE) {
            let mut sealed = Vec::with_capacity(window.len());
            let mut names = Vec::with_capacity(window.len());
            for &seq in window {
                let name = change_name_at(&self.keys, space, me, seq, 0);
                sealed.push(if listing.contains(&name) {
                    None
                } else {
                    Some(self.seal_own(seq, 0)?)
                });
                names.push(name);
            }
            let put = put_many(remote, &names, &sealed)?;
            drop(sealed);
            let read = remote::get_many(remote, &names)?;
            for ((&seq, name), (stored, there)) in
                window.iter().zip(names).zip(put.into_iter().zip(read))
            {
                if stored {
                    report.uploaded += 1;
                    // Read back now rather than at the next sync, so that
                    // one sync is enough before an unload (which refuses
                    // while the outbox holds anything), unless the changes
                    // wait for their epoch's entry (see `may_seal`).
                    self.confirm_put(seq, &name, 0, there);
                    continue;
                }
                // Listed, or already there (a listing can be stale): see
                // what it is, and go on to the next slots if it is not ours.
                if self.own_is_there(seq, &name, 0, there, report) {
                    continue;
                }
                for slot in 1..max_slots {
                    let name = change_name_at(&self.keys, space, me, seq, slot);
                    let there = if listing.contains(&name) {
                        remote::get(remote, &name)?
                    } else {
                        let bytes = self.seal_own(seq, slot)?;
                        if remote.put(&name, &bytes)? {
                            report.uploaded += 1;
                            let there = remote::get(remote, &name)?;
                            self.confirm_put(seq, &name, slot, there);
                            break;
                        }
                        remote::get(remote, &name)?
                    };
                    if self.own_is_there(seq, &name, slot, there, report) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Own change `seq`, just put in `slot`, leaves the outbox if what the
    /// remote gives back under its name is that change.
    fn confirm_put(&mut self, seq: u64, name: &ObjectName, slot: u64, there: Got) {
        if let Got::Bytes(b) = there
            && open_change_at(&self.log, &self.keys, name, slot, &b)
                .is_ok_and(|c| c.digest() == self.outbox[&seq].digest)
        {
            self.outbox.remove(&seq);
            self.unsaved.outbox.insert(seq);
        }
    }

    /// Whether what `slot` of own change `seq` holds ends the search for a
    /// place for it: the change itself (it leaves the outbox) or nothing.
    /// Junk, or this device's signature on something it did not write (the
    /// key is in other hands: reported), sends it to the next slot.
    fn own_is_there(
        &mut self,
        seq: u64,
        name: &ObjectName,
        slot: u64,
        there: Got,
        report: &mut SyncReport,
    ) -> bool {
        match there {
            Got::Bytes(b) => match open_change_at(&self.log, &self.keys, name, slot, &b) {
                Ok(c) if c.digest() == self.outbox[&seq].digest => {
                    self.outbox.remove(&seq);
                    self.unsaved.outbox.insert(seq);
                    true
                }
                Ok(_) => {
                    report.refused.push((name.clone(), ErrorCode::Equivocation));
                    false
                }
                Err(_) => false,
            },
            Got::Refused(_) => false,
            Got::Missing => true,
        }
    }

    /// Seals own change `seq` for `slot`. A change written in an epoch this
    /// device no longer holds (started by its own log entry, which lost a
    /// fork, so nobody else can read it) moves to the current epoch.
    fn seal_own(&mut self, seq: u64, slot: u64) -> Result<Vec<u8>> {
        let space = self.log.space();
        let payload = self.own_payload(seq)?;
        let own = self.outbox.get_mut(&seq).expect("an own change");
        if self.keys.epoch(own.epoch).is_err() {
            self.unsaved.outbox.insert(seq);
            own.epoch = self.keys.current_epoch();
            own.digest = Change {
                space,
                author: self.device.id(),
                seq,
                epoch: own.epoch,
                payload: payload.clone(),
            }
            .digest();
        }
        let (_, bytes) = seal_change_at(
            &self.device,
            &self.keys,
            space,
            seq,
            own.epoch,
            slot,
            &payload,
        )?;
        Ok(bytes)
    }

    /// Changes expected but not held, per device.
    pub fn gaps(&self) -> Vec<Gap> {
        let me = self.device.id();
        let mut out = Vec::new();
        for d in self.log.members().keys().copied().filter(|d| *d != me) {
            let top = self.expected(d);
            let held = self.received.get(&d);
            let mut missing = Vec::new();
            let mut start = None;
            for s in 1..=top {
                let have = held.is_some_and(|h| h.contains(&s));
                match (have, start) {
                    (false, None) => start = Some(s),
                    (true, Some(a)) => {
                        missing.push(a..=s - 1);
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(a) = start {
                missing.push(a..=top);
            }
            if !missing.is_empty() {
                out.push(Gap { device: d, missing });
            }
        }
        out
    }

    /// The current value of `record`, if it is held (read from `stored`
    /// if not in memory).
    pub fn current<'a>(
        &'a self,
        record: &str,
        stored: &dyn StoredValues,
    ) -> Result<Option<Cow<'a, [u8]>>> {
        match self.records.get(record).and_then(Record::current) {
            Some(c) => Ok(Some(c.value(stored)?)),
            None => Ok(None),
        }
    }

    /// SHA-256 of the current value of `record`, if it is held: what a
    /// comparison needs, without reading the value.
    pub(crate) fn current_digest(&self, record: &str) -> Option<&[u8; 32]> {
        Some(self.records.get(record)?.current()?.digest())
    }

    /// Every record with its current version, borrowed, in id order.
    pub(crate) fn currents(&self) -> impl Iterator<Item = (&str, Current<'_>)> {
        self.records
            .iter()
            .filter_map(|(id, r)| Some((id.as_str(), r.current()?)))
    }

    /// [`Replica::currents`] from the first id not before `from`.
    pub(crate) fn currents_from(&self, from: &str) -> impl Iterator<Item = (&str, Current<'_>)> {
        self.records
            .range::<str, _>((std::ops::Bound::Included(from), std::ops::Bound::Unbounded))
            .filter_map(|(id, r)| Some((id.as_str(), r.current()?)))
    }

    /// Every record, as this replica shows it, the values it does not
    /// hold read from `stored`.
    pub fn state_with(&self, stored: &dyn StoredValues) -> Result<BTreeMap<String, RecordView>> {
        let mut out = BTreeMap::new();
        for (id, r) in &self.records {
            if let Some(view) = r.view(stored)? {
                out.insert(id.clone(), view);
            }
        }
        Ok(out)
    }

    /// [`Replica::state_with`] for a replica that holds every value.
    ///
    /// # Panics
    /// If a value is not held (see [`Replica::hold_values`]): for tests
    /// and inspection.
    pub fn state(&self) -> BTreeMap<String, RecordView> {
        self.state_with(&NothingStored).expect("every value held")
    }

    /// The records in conflict, in id order.
    pub fn conflicted(&self) -> impl Iterator<Item = &str> {
        self.records
            .iter()
            .filter(|(_, r)| r.current().is_some_and(|c| c.conflict))
            .map(|(id, _)| id.as_str())
    }

    /// Every version held with its value (what was applied), the values
    /// it does not hold read from `stored`.
    pub fn versions_with(
        &self,
        stored: &dyn StoredValues,
    ) -> Result<BTreeSet<(String, VersionId, Vec<u8>)>> {
        let mut out = BTreeSet::new();
        for (id, r) in &self.records {
            for (v, ver) in r.versions.iter() {
                let value = ver.value(v, stored)?;
                out.insert((id.clone(), *v, value.into_owned()));
            }
        }
        Ok(out)
    }

    /// [`Replica::versions_with`] for a replica that holds every value.
    ///
    /// # Panics
    /// As [`Replica::state`].
    pub fn versions(&self) -> BTreeSet<(String, VersionId, Vec<u8>)> {
        self.versions_with(&NothingStored)
            .expect("every value held")
    }
}

/// The length of one base in a stored version: the device id, then the
/// sequence number (big-endian).
const BASE_LEN: usize = 40;

fn bases_row(bases: &[(DeviceId, u64)]) -> Vec<u8> {
    let mut row = Vec::with_capacity(bases.len() * BASE_LEN);
    for (d, seq) in bases {
        row.extend_from_slice(&d.0);
        row.extend_from_slice(&seq.to_be_bytes());
    }
    row
}

/// The row of a version not yet saved, which holds its value: it was
/// received, written or read from a schema-13 state in this process.
fn version_row<'a>(record: &'a str, id: &VersionId, v: &'a Version) -> VersionRow<'a> {
    VersionRow {
        record,
        device: id.device.0,
        seq: id.seq,
        lamport: id.lamport,
        bases: bases_row(&v.bases),
        value: v
            .value
            .as_ref()
            .expect("a version not yet saved holds its value"),
        digest: v.digest,
    }
}

/// Puts `bytes[i]` under `names[i]` where there are bytes, several at once
/// on a remote that gains from it (a put waits on the store as a read
/// does); whether each was stored. Puts are independent: one that fails
/// fails the whole, and those already made are found (listed or read back)
/// at the next sync like any put before an interruption.
fn put_many(
    remote: &dyn Remote,
    names: &[ObjectName],
    bytes: &[Option<Vec<u8>>],
) -> Result<Vec<bool>> {
    let todo = bytes.iter().filter(|b| b.is_some()).count();
    let parallel = remote.parallel_reads() && todo >= 2;
    remote::for_each_at_once(names.len(), parallel, |i| match &bytes[i] {
        Some(b) => remote.put(&names[i], b),
        None => Ok(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::seal_change;

    /// What a member (a seized laptop) can write under a log position's
    /// name: it holds the naming key and the current epoch key, so the
    /// object decrypts; its contents are any entry-shaped JSON.
    fn squat(remote: &dyn Remote, keys: &SpaceKeys, log: &Log, seq: u64, slot: u64) {
        let name = transport::log_entry_name(keys, log.space(), seq, slot);
        // A real entry of this space, copied to the wrong place.
        let json = serde_json::to_vec(&log.entries()[1]).unwrap();
        let bytes = crate::object::seal_framed(keys, log.epoch(), &name, json.len(), |buf| {
            buf.extend_from_slice(&json);
            Ok(())
        })
        .unwrap();
        assert!(remote.put(&name, &bytes).unwrap());
    }

    /// A space of two members, A (its admin) and B, and a folder remote
    /// (kept while its directory is).
    fn two_members_on_a_folder() -> (
        tempfile::TempDir,
        crate::remote::FolderRemote,
        Replica,
        Replica,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let remote = crate::remote::FolderRemote::open(dir.path()).unwrap();
        let (a, b) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let (mut log, keys) = Log::create(&a).unwrap();
        log.add(&a, &keys, &b.public(), false).unwrap();
        let ra = Replica::new(a, log.clone()).unwrap();
        let rb = Replica::new(b, log).unwrap();
        (dir, remote, ra, rb)
    }

    #[test]
    fn every_replica_finds_the_same_merge_base_for_a_conflict() {
        let (_dir, remote, mut ra, mut rb) = two_members_on_a_folder();
        ra.edit("r", b"v1").unwrap();
        let v2 = ra.edit("r", b"v2").unwrap();
        ra.sync(&remote).unwrap();
        rb.sync(&remote).unwrap();
        // Both edit v2 offline, each twice: the base is v2, not v1 nor
        // an intermediate version of one side.
        ra.edit("r", b"a1").unwrap();
        ra.edit("r", b"a2").unwrap();
        rb.edit("r", b"b1").unwrap();
        rb.edit("r", b"b2").unwrap();
        assert_eq!(
            ra.merge_base("r", &NothingStored).unwrap(),
            None,
            "no conflict yet"
        );
        // B syncs first, A second: they receive in different orders.
        rb.sync(&remote).unwrap();
        ra.sync(&remote).unwrap();
        rb.sync(&remote).unwrap();
        assert_eq!(ra.heads("r", &NothingStored).unwrap().len(), 2);
        assert_eq!(
            ra.merge_base("r", &NothingStored).unwrap(),
            Some((v2, b"v2".to_vec()))
        );
        assert_eq!(
            rb.merge_base("r", &NothingStored).unwrap(),
            ra.merge_base("r", &NothingStored).unwrap()
        );
        assert_eq!(
            rb.heads("r", &NothingStored).unwrap(),
            ra.heads("r", &NothingStored).unwrap()
        );
        ra.resolve("r", b"merged").unwrap();
        assert_eq!(
            ra.merge_base("r", &NothingStored).unwrap(),
            None,
            "resolved"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// Whatever the edits and the order of syncs, once both have
        /// synced the two replicas hold the same heads and the same base,
        /// so they propose the same merge of a conflict.
        #[test]
        fn replicas_propose_the_same_merge_whatever_the_order(
            script in proptest::collection::vec((proptest::bool::ANY, 0usize..5, proptest::bool::ANY), 1..10),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let remote = crate::remote::FolderRemote::open(dir.path()).unwrap();
            let (a, b) = (DeviceKey::generate().unwrap(), DeviceKey::generate().unwrap());
            let (mut log, keys) = Log::create(&a).unwrap();
            log.add(&a, &keys, &b.public(), false).unwrap();
            let mut rs = [Replica::new(a, log.clone()).unwrap(), Replica::new(b, log).unwrap()];
            let text = |lines: &[String]| -> Vec<u8> {
                serde_json::to_vec(&serde_json::json!({"statement": lines.concat()})).unwrap()
            };
            let start: Vec<String> = (0..5).map(|i| format!("line {i}\n")).collect();
            rs[0].edit("r", &text(&start)).unwrap();
            rs[0].sync(&remote).unwrap();
            rs[1].sync(&remote).unwrap();
            for (n, (on_b, line, sync)) in script.into_iter().enumerate() {
                let r = &mut rs[usize::from(on_b)];
                let current: serde_json::Value =
                    serde_json::from_slice(&r.heads("r", &NothingStored).unwrap().pop().unwrap().1).unwrap();
                let mut lines: Vec<String> = current["statement"]
                    .as_str()
                    .unwrap()
                    .split_inclusive('\n')
                    .map(str::to_owned)
                    .collect();
                lines[line] = format!("edit {n} by {}\n", u8::from(on_b));
                r.edit("r", &text(&lines)).unwrap();
                if sync {
                    r.sync(&remote).unwrap();
                }
            }
            for _ in 0..2 {
                for r in &mut rs {
                    r.sync(&remote).unwrap();
                }
            }
            proptest::prop_assert_eq!(rs[0].heads("r", &NothingStored).unwrap(), rs[1].heads("r", &NothingStored).unwrap());
            proptest::prop_assert_eq!(rs[0].merge_base("r", &NothingStored).unwrap(), rs[1].merge_base("r", &NothingStored).unwrap());
            let proposal = |r: &Replica| {
                let heads: Vec<serde_json::Value> = r
                    .heads("r", &NothingStored).unwrap()
                    .iter()
                    .map(|(_, v)| serde_json::from_slice(v).unwrap())
                    .collect();
                let base: Option<serde_json::Value> =
                    r.merge_base("r", &NothingStored).unwrap().map(|(_, v)| serde_json::from_slice(&v).unwrap());
                let refs: Vec<&serde_json::Value> = heads.iter().collect();
                crate::merge::merge("testimony", base.as_ref(), &refs)
            };
            let (pa, pb) = (proposal(&rs[0]), proposal(&rs[1]));
            proptest::prop_assert_eq!(&pa.data, &pb.data);
            proptest::prop_assert_eq!(&pa.conflicts, &pb.conflicts);
            if rs[0].heads("r", &NothingStored).unwrap().len() > 1 {
                proptest::prop_assert!(rs[0].merge_base("r", &NothingStored).unwrap().is_some(), "both descend from the first version");
            }
        }
    }

    #[test]
    fn a_member_squatting_the_next_log_positions_cannot_block_its_removal() {
        let dir = tempfile::tempdir().unwrap();
        let remote = crate::remote::FolderRemote::open(dir.path()).unwrap();
        let (a, b, c) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let b_id = b.id();
        let (mut log, keys) = Log::create(&a).unwrap();
        log.add(&a, &keys, &b.public(), false).unwrap();
        log.add(&a, &keys, &c.public(), false).unwrap();
        let mut ra = Replica::new(a, log.clone()).unwrap();
        let mut rc = Replica::new(c, log.clone()).unwrap();
        ra.sync(&remote).unwrap();
        rc.sync(&remote).unwrap();
        // B, expecting to be removed, fills the next log positions.
        let b_keys = log.keys_for(&b).unwrap();
        let n = log.entries().len() as u64;
        for seq in n..n + 2 {
            for slot in 0..3 {
                squat(&remote, &b_keys, &log, seq, slot);
            }
        }
        ra.remove_member(b_id).unwrap();
        ra.sync(&remote).unwrap();
        let report = rc.sync(&remote).unwrap();
        assert_eq!(rc.log().epoch(), 1, "the removal reached C");
        assert!(rc.log().members()[&b_id].removed.is_some());
        assert!(!report.refused.is_empty(), "the junk was reported");
        // And the space goes on: a later change of membership passes too.
        ra.rotate().unwrap();
        ra.sync(&remote).unwrap();
        rc.sync(&remote).unwrap();
        assert_eq!(rc.log().entries(), ra.log().entries());
        assert_eq!(rc.log().epoch(), 2);
    }

    #[test]
    fn an_unloaded_replica_fetches_everything_back_its_own_changes_included_and_numbers_on() {
        let (_dir, remote, mut ra, mut rb) = two_members_on_a_folder();
        ra.edit("r1", b"one").unwrap();
        ra.edit("r1", b"one, amended").unwrap();
        rb.edit("r2", b"two").unwrap();
        ra.sync(&remote).unwrap();
        rb.sync(&remote).unwrap();
        ra.sync(&remote).unwrap();
        assert_eq!(ra.unsent(), 0, "read back in the sync that put it");
        assert_eq!(ra.state(), rb.state());
        let before = ra.versions();
        let last = ra.last_seq;

        ra.unload();
        assert!(ra.state().is_empty() && ra.versions().is_empty());
        // Membership only: nothing comes back.
        ra.sync_membership(&remote).unwrap();
        assert!(ra.versions().is_empty());
        let report = ra.sync(&remote).unwrap();
        assert_eq!(report.applied, 3, "both of A's changes and B's");
        assert!(report.refused.is_empty() && report.gaps.is_empty());
        assert_eq!(ra.versions(), before);
        assert_eq!(ra.state(), rb.state());
        // A number once used is not used again: B sees no gap and no
        // second change under one number.
        let v = ra.edit("r2", b"two, by A after the journey").unwrap();
        assert_eq!(v.seq, last + 1);
        ra.sync(&remote).unwrap();
        let report = rb.sync(&remote).unwrap();
        assert!(report.refused.is_empty() && report.gaps.is_empty());
        assert_eq!(rb.state()["r2"].current, b"two, by A after the journey");
    }

    /// The payload of an own change as signed, taken from the object
    /// that `seal_own` puts (slot 0).
    fn signed_payload(r: &mut Replica, seq: u64) -> Zeroizing<Vec<u8>> {
        let name = change_name_at(&r.keys, r.log.space(), r.id(), seq, 0);
        let bytes = r.seal_own(seq, 0).unwrap();
        open_change_at(&r.log, &r.keys, &name, 0, &bytes)
            .unwrap()
            .payload
    }

    #[test]
    fn an_unsent_change_is_made_again_from_its_version_exactly_as_signed() {
        let (_dir, remote, mut ra, mut rb) = two_members_on_a_folder();
        // B's edits give A's a `known` to carry, a concurrent pair gives
        // A's resolve two bases, and one value is not text.
        rb.edit("r1", b"by B").unwrap();
        rb.edit("r2", b"by B").unwrap();
        rb.sync(&remote).unwrap();
        ra.edit("r1", "Молдашев, by A".as_bytes()).unwrap();
        ra.sync(&remote).unwrap();
        assert!(ra.state()["r1"].conflict);
        ra.resolve("r1", b"both, reviewed").unwrap();
        assert!(!ra.last_known.is_empty(), "A's edits say how far it read B");
        ra.edit("r2", &[0, 255, 1, 254]).unwrap();
        ra.edit("r3", b"").unwrap();
        assert_eq!(ra.unsent(), 3);
        assert!(
            ra.outbox
                .values()
                .all(|o| matches!(o.payload, OwnPayload::Made { .. })),
            "held as the versions they made, not twice"
        );
        let knowns: Vec<_> = ra
            .outbox
            .values()
            .filter_map(|o| match &o.payload {
                OwnPayload::Made { known_others, .. } => Some(Arc::clone(known_others)),
                OwnPayload::Kept(_) => None,
            })
            .collect();
        assert!(
            knowns.windows(2).all(|w| Arc::ptr_eq(&w[0], &w[1])),
            "one `known` for the edits of one push"
        );
        let resolve = ra.outbox.keys().next().copied().unwrap();
        let rows = ra.export_rows(&NothingStored).unwrap().2;
        for row in &rows {
            // What the vault would store is the payload signed and put.
            assert_eq!(row.payload, signed_payload(&mut ra, row.seq));
        }
        let edit: EditWire = serde_json::from_slice(&rows[0].payload).unwrap();
        assert_eq!((rows[0].seq, edit.bases.len()), (resolve, 2));
        // Read back as the vault keeps them, they are the same changes.
        let state = ra.export_state();
        let (versions, values, outbox) = ra.export_rows(&NothingStored).unwrap();
        let mut back = Replica::from_state(
            DeviceKey::from_secret(&ra.device.to_secret()).unwrap(),
            ra.log.clone(),
            &state,
            versions,
            outbox,
        )
        .unwrap();
        back.sync(&remote).unwrap();
        assert_eq!(back.unsent(), 0, "each one read back as the one signed");
        let report = rb.sync(&remote).unwrap();
        assert!(report.refused.is_empty() && report.gaps.is_empty());
        assert_eq!(rb.state(), back.state_with(&values).unwrap());
        assert_eq!(rb.state()["r2"].current, vec![0, 255, 1, 254]);
    }

    /// A replica read back holds no value: it reads each from the rows
    /// when needed, and refuses one that is missing or does not match the
    /// digest of its version (a damaged row is never shown or sent).
    #[test]
    fn a_replica_read_back_reads_values_from_the_rows_and_checks_them() {
        let (_dir, remote, mut ra, mut rb) = two_members_on_a_folder();
        ra.edit("r", b"first").unwrap();
        ra.sync(&remote).unwrap();
        rb.sync(&remote).unwrap();
        rb.edit("r", b"second").unwrap();
        ra.edit("r", b"concurrent").unwrap();
        ra.sync(&remote).unwrap();
        rb.sync(&remote).unwrap();
        let (versions, values, outbox) = rb.export_rows(&NothingStored).unwrap();
        let back = Replica::from_state(
            DeviceKey::from_secret(&rb.device.to_secret()).unwrap(),
            rb.log.clone(),
            &rb.export_state(),
            versions,
            outbox,
        )
        .unwrap();
        assert!(
            back.records["r"]
                .versions
                .values()
                .all(|v| v.value.is_none())
        );
        assert_eq!(back.head_ids("r"), rb.head_ids("r"));
        assert_eq!(
            back.heads("r", &values).unwrap(),
            rb.heads("r", &NothingStored).unwrap()
        );
        let base = back.merge_base("r", &values).unwrap();
        assert_eq!(base, rb.merge_base("r", &NothingStored).unwrap());
        assert_eq!(base.unwrap().1, b"first");
        assert_eq!(back.state_with(&values).unwrap(), rb.state());
        let err = back.heads("r", &NothingStored).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::Tampered,
            "a value missing from the rows"
        );
        let mut damaged = values.clone();
        for v in damaged.values_mut() {
            v[0] ^= 1;
        }
        let err = back.heads("r", &damaged).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::Tampered,
            "a row that is not its version's value"
        );
        let mut held = back;
        assert!(held.hold_values(&damaged).is_err());
        held.hold_values(&values).unwrap();
        assert_eq!(held.versions(), rb.versions());
    }

    #[test]
    fn an_unsent_change_whose_version_changed_is_refused_not_sent() {
        let dir = tempfile::tempdir().unwrap();
        let remote = crate::remote::FolderRemote::open(dir.path()).unwrap();
        let a = DeviceKey::generate().unwrap();
        let (log, _) = Log::create(&a).unwrap();
        let mut ra = Replica::new(a, log).unwrap();
        let v = ra.edit("r1", b"as signed").unwrap();
        // Memory changed under the replica (it cannot happen through its
        // API): the value no longer makes the payload that was signed.
        ra.records.get_mut("r1").unwrap().versions.0[0]
            .1
            .value
            .as_mut()
            .unwrap()[0] = b'A';
        let err = ra.export_rows(&NothingStored).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Internal);
        let err = ra.sync(&remote).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Internal);
        assert_eq!(ra.unsent(), 1, "nothing was put");
        let name = change_name_at(&ra.keys, ra.log.space(), ra.id(), v.seq, 0);
        assert!(!remote.list().unwrap().contains(&name));
    }

    #[test]
    fn a_record_s_versions_stay_in_the_total_order_whatever_order_they_come_in() {
        let id = |lamport, d: u8, seq| VersionId {
            lamport,
            device: DeviceId([d; 32]),
            seq,
        };
        let version = |v: &[u8]| Version::new(Zeroizing::new(v.to_vec()), Vec::new());
        let ids = [id(3, 1, 1), id(1, 2, 1), id(2, 1, 2), id(1, 1, 3)];
        let mut versions = Versions::default();
        for (i, v) in ids.iter().enumerate() {
            versions.insert(*v, version(&[i as u8]));
        }
        versions.insert(ids[0], version(b"again"));
        let mut sorted = ids.to_vec();
        sorted.sort();
        assert_eq!(versions.keys().copied().collect::<Vec<_>>(), sorted);
        assert_eq!(versions.len(), 4, "the same id again replaces");
        assert_eq!(&versions[&ids[0]].value.as_ref().unwrap()[..], b"again");
        assert!(versions.get(&id(9, 9, 9)).is_none());
        versions.retain(|v| v.device != DeviceId([1; 32]));
        assert_eq!(versions.keys().copied().collect::<Vec<_>>(), [ids[1]]);
    }

    #[test]
    fn debug_output_shows_no_record_ids_or_values() {
        let a = DeviceKey::generate().unwrap();
        let (log, _) = Log::create(&a).unwrap();
        let mut r = Replica::new(a, log).unwrap();
        let value = b"CANARY-5512 Jane Roe, detained".to_vec();
        r.edit("case-CANARY-77", &value).unwrap();
        let view = r.state()["case-CANARY-77"].clone();
        for text in [format!("{r:?}"), format!("{view:?}"), format!("{r:#?}")] {
            assert!(!text.contains("CANARY"), "{text}");
            // Bytes print as numbers: look for those too.
            let as_numbers = format!("{:?}", &value[..8]);
            assert!(
                !text.contains(as_numbers.trim_matches(&['[', ']'][..])),
                "{text}"
            );
        }
    }

    #[test]
    fn a_member_s_extreme_clock_neither_panics_nor_wraps() {
        let (a, b) = (
            DeviceKey::generate().unwrap(),
            DeviceKey::generate().unwrap(),
        );
        let (mut log, keys) = Log::create(&a).unwrap();
        log.add(&a, &keys, &b.public(), false).unwrap();
        let b_keys = log.keys_for(&b).unwrap();
        let payload = edit_payload("rec", b"max", u64::MAX, &[], &BTreeMap::new()).unwrap();
        let (name, bytes) = seal_change(&b, &b_keys, log.space(), 1, &payload).unwrap();
        let mut r = Replica::new(a, log.clone()).unwrap();
        let change = open_change(&log, &r.keys, &name, &bytes).unwrap();
        r.apply(&change).unwrap();
        let mine = r.edit("rec", b"after").unwrap();
        assert_eq!(mine.lamport, u64::MAX);
        assert_eq!(
            r.state()["rec"].current,
            b"after",
            "it replaced the version shown"
        );
    }
}
