//! Spaces inside a vault: the protocol of this crate joined to the vault's
//! storage (`casevault_core::vault::spaces`) and its normal write path.
//!
//! The core stores what this module hands it (the log and the replica's
//! state as JSON, inside SQLCipher) and knows nothing of the protocol; the
//! protocol never writes SQL. A sync of one space:
//!
//! 1. **push**: every record of the space's cases whose stored state
//!    differs from the one last agreed with the replica becomes an edit;
//! 2. the replica syncs with the remote (log, own changes, others');
//! 3. **apply**: every record whose current version differs from the one
//!    last agreed is written through the vault's write path (validated
//!    like an import, a custody entry naming the author device). Concurrent
//!    heads are all written in the history, the current one last, and the
//!    record is marked as a conflict.
//!
//! A record a member sends is refused if it would reach outside the space:
//! an existing record of this vault not in the space, or links to a case
//! not in the space.

use std::collections::{BTreeMap, BTreeSet};

use casevault_core::model::interchange::{Document, validate};
use casevault_core::model::known::KnownRecords;
use casevault_core::model::records::AnyRecord;
use casevault_core::vault::Vault;
use casevault_core::vault::spaces::StoredSpace;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::agreed::Agreed;
use crate::device::{DeviceId, DeviceKey, DevicePublic};
use crate::files::{self, AttachmentWire, ChunkReader, FileRef, Stop};
use crate::log::{Entry, Log};
use crate::remote::Remote;
use crate::replica::{Replica, ReplicaState, StoredValues, VersionId};
use crate::{Error, ErrorCode, Result, transport};

/// The replica's record that carries the space's name to its members.
pub(crate) const META: &str = "casevault:space";
/// How many times an apply pass is repeated: a record may need another
/// one applied first (an incident needs its case, a trash its dependents').
const APPLY_PASSES: usize = 8;

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpaceState {
    replica: ReplicaState,
    /// Up to schema 14: record id → hash of the state last agreed between
    /// vault and replica, now [`Agreed`] in rows. Read once, moved into the
    /// rows at the next save, never written again.
    #[serde(default, skip_serializing)]
    synced: BTreeMap<String, String>,
    /// Device lines added here and not yet sent an invitation.
    invite: Vec<String>,
    /// Whether the name is the user's or the creator's (not a placeholder).
    named: bool,
    /// Record id → the concurrent heads last written into the vault's
    /// history, so that a new concurrent version is written once.
    #[serde(default)]
    pub(crate) heads_written: BTreeMap<String, String>,
    /// Unloaded from this device (travel mode): no record of the space is
    /// held here, and a sync carries only its membership.
    #[serde(default)]
    pub(crate) unloaded: bool,
    /// Attachment id → the slot of each chunk of it put so far, for an
    /// upload to resume where it stopped. Its metadata is pushed (and the
    /// entry removed) once every chunk is listed on the remote.
    #[serde(default)]
    files_sent: BTreeMap<String, Vec<u64>>,
    /// The vault's custody head when the last push finished, with the
    /// space's cases then: a push reads only the records the custody log
    /// names as changed since (and those not yet agreed), instead of every
    /// record of the space at every sync. None: read them all.
    #[serde(default)]
    pushed_through: Option<(u64, Vec<String>)>,
    /// Random, new at every save: the replica kept in memory from the last
    /// sync is this stored one only if it carries the same tag.
    #[serde(default)]
    tag: u64,
}

/// How a record travels: its kind, data and whether it is in the trash.
#[derive(Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordWire {
    pub(crate) kind: String,
    pub(crate) data: serde_json::Value,
    pub(crate) trashed: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaWire {
    name: String,
}

/// A member as `space ls` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSummary {
    /// The device's fingerprint (`SHA256:…`, for matching).
    pub fingerprint: String,
    /// The same, in groups of four, to show and read aloud.
    pub grouped: String,
    /// The device's public line (for a QR code to scan).
    pub line: String,
    /// The name this vault gave it, or "this device".
    pub name: Option<String>,
    /// Whether it may change membership.
    pub admin: bool,
    /// Whether it was removed.
    pub removed: bool,
}

/// Missing changes of one device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapSummary {
    /// The device's fingerprint.
    pub device: String,
    /// How many of its changes are missing.
    pub missing: u64,
}

/// A space as `space ls` shows it. Its Debug leaves out the conflicts'
/// labels: they quote case data (a witness's name, a statement's opening).
#[derive(Clone, Serialize)]
pub struct SpaceSummary {
    /// Its name here.
    pub name: String,
    /// Its cases.
    pub cases: Vec<String>,
    /// Its members, removed ones included.
    pub members: Vec<MemberSummary>,
    /// The current key epoch.
    pub epoch: u32,
    /// Whether this device was removed from it.
    pub removed: bool,
    /// When it last synced.
    pub last_sync_at: Option<String>,
    /// Changes found missing at the last sync.
    pub gaps: Vec<GapSummary>,
    /// Records with concurrent edits awaiting review.
    pub conflicts: Vec<String>,
    /// Each of those records in words, in the same order (see
    /// [`crate::review::ConflictDetail::label`]).
    pub conflict_labels: Vec<String>,
    /// Unloaded from this device (travel mode): its records are not here;
    /// `space reload` fetches them back.
    pub unloaded: bool,
}

impl std::fmt::Debug for SpaceSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpaceSummary")
            .field("name", &self.name)
            .field("cases", &self.cases)
            .field("members", &self.members)
            .field("epoch", &self.epoch)
            .field("removed", &self.removed)
            .field("last_sync_at", &self.last_sync_at)
            .field("gaps", &self.gaps)
            .field("conflicts", &self.conflicts)
            .field("unloaded", &self.unloaded)
            .finish_non_exhaustive()
    }
}

/// What unloading a space did.
#[derive(Debug, Clone, Default)]
pub struct UnloadOutcome {
    /// Records securely deleted from this vault.
    pub records: usize,
    /// Evidence files (and their rows) securely deleted.
    pub attachments: usize,
    /// Records of the space kept because a case outside it still needs
    /// them, by id.
    pub kept: Vec<String>,
}

/// What a sync did, over every space.
#[derive(Debug, Default)]
pub struct SyncOutcome {
    /// Own changes written to the remote.
    pub uploaded: usize,
    /// Changes from members verified and applied to the replicas.
    pub received: usize,
    /// Records written into this vault.
    pub applied: usize,
    /// Objects refused (never applied), with why.
    pub refused: Vec<ErrorCode>,
    /// Changes received but refused by the vault's checks (kept for a
    /// later sync), by record id.
    pub rejected: Vec<String>,
    /// Spaces joined through an invitation.
    pub joined: Vec<String>,
    /// Records not sent because they also belong to a case outside the
    /// space, by record id.
    pub held_back: Vec<String>,
    /// Evidence files whose every chunk is now on the remote.
    pub files_sent: usize,
    /// Evidence files received and filed in this vault.
    pub files_received: usize,
    /// Evidence files announced whose chunks are not all on the remote
    /// yet (an upload in progress); fetched at a later sync.
    pub files_waiting: usize,
    /// Invitations not joined ([`Join::Ask`]), for the user to judge.
    pub pending: Vec<Offer>,
}

/// This vault's device key, made and stored on first use.
pub fn device_key(vault: &mut Vault) -> Result<DeviceKey> {
    if let Some(secret) = vault.sync_device_secret()? {
        return DeviceKey::from_secret(&secret);
    }
    let key = DeviceKey::generate()?;
    vault.set_sync_device(&key.to_secret(), &key.public().line())?;
    Ok(key)
}

fn space_id_hex(log: &Log) -> String {
    data_encoding::HEXLOWER.encode(&log.space().0)
}

fn log_json(log: &Log) -> Result<String> {
    serde_json::to_string(log.entries()).map_err(|e| Error::Internal(format!("a log: {e}")))
}

fn damaged() -> Error {
    Error::Vault(casevault_core::Error::tampered(
        "a space's stored state is damaged",
    ))
}

/// The state of `loaded` as it is stored: its bookkeeping with the
/// replica's (which lives in the replica while loaded).
fn loaded_state_json(loaded: &mut Loaded) -> Result<Zeroizing<String>> {
    loaded.state.replica = loaded.replica.export_state();
    let json = state_json(&loaded.state);
    loaded.state.replica = ReplicaState::default();
    json
}

fn state_json(state: &SpaceState) -> Result<Zeroizing<String>> {
    serde_json::to_string(state)
        .map(Zeroizing::new)
        .map_err(|e| Error::Internal(format!("a space's state: {e}")))
}

/// One stored space, loaded: its replica and the rest of its state.
pub(crate) struct Loaded {
    pub(crate) id: i64,
    pub(crate) replica: Replica,
    pub(crate) state: SpaceState,
    /// What the vault and the replica last agreed on, record by record.
    pub(crate) agreed: Agreed,
}

/// A stored space's membership log, verified.
fn stored_log(stored: &StoredSpace) -> Result<Log> {
    let entries: Vec<Entry> = serde_json::from_str(&stored.log).map_err(|_| damaged())?;
    Log::verify(entries)
}

/// A stored space's bookkeeping.
fn stored_state(stored: &StoredSpace) -> Result<SpaceState> {
    serde_json::from_str(&stored.state).map_err(|_| damaged())
}

pub(crate) fn load(vault: &mut Vault, stored: &StoredSpace) -> Result<Loaded> {
    let mut state = stored_state(stored)?;
    let replica_state = std::mem::take(&mut state.replica);
    let kept = match take_in_memory(vault, stored.id, state.tag) {
        Some(kept) => kept,
        None => Kept {
            tag: state.tag,
            replica: Replica::from_state(
                device_key(vault)?,
                stored_log(stored)?,
                &replica_state,
                vault.space_versions(stored.id)?,
                vault.space_outbox(stored.id)?,
            )?,
            agreed: Agreed::from_rows(vault.space_agreed(stored.id)?),
        },
    };
    let mut agreed = kept.agreed;
    agreed.adopt_legacy(std::mem::take(&mut state.synced));
    Ok(Loaded {
        id: stored.id,
        replica: kept.replica,
        state,
        agreed,
    })
}

/// Stores the space's log, its state and what changed of its replica's
/// rows, in one transaction. A save that fails leaves `loaded` unusable
/// (its rows were not written): the sync stops, and the next one loads
/// the space again.
pub(crate) fn save(vault: &mut Vault, loaded: &mut Loaded) -> Result<()> {
    loaded.state.tag = u64::from_le_bytes(casevault_core::crypto::random_bytes::<8>()?);
    let json = loaded_state_json(loaded);
    let rows = loaded.replica.pending_rows();
    let agreed = loaded.agreed.pending_rows();
    vault.save_space(
        loaded.id,
        &log_json(loaded.replica.log())?,
        &json?,
        &rows,
        &agreed,
    )?;
    drop((rows, agreed));
    loaded.replica.rows_saved();
    loaded.agreed.rows_saved();
    Ok(())
}

/// The replicas an unlocked vault keeps in memory between syncs, by space:
/// each with the tag of the stored state it equals. A timed sync in the
/// app then reads no version from disk (at 10,000 records, reading them
/// with their values took 150 ms of every sync; without, since migration
/// 16, tens of ms); the CLI, a new process each time, reads them. Reading
/// a space out of it takes it out, so that any operation
/// other than a finished sync (a review, an unload, a failed sync) leaves
/// the disk as the only copy, read again next time.
#[derive(Default)]
struct InMemory(BTreeMap<i64, Kept>);

/// A replica kept in memory: the tag of the stored state it equals, and
/// what it agreed with the vault.
struct Kept {
    tag: u64,
    replica: Replica,
    agreed: Agreed,
}

/// The vault's memo, as this crate keeps it (made empty on first use).
fn in_memory(vault: &mut Vault) -> &mut InMemory {
    let slot = vault.memo_mut();
    if !slot.as_ref().is_some_and(|m| m.is::<InMemory>()) {
        *slot = Some(Box::new(InMemory::default()));
    }
    slot.as_mut()
        .and_then(|m| m.downcast_mut())
        .expect("an InMemory, just made if it was not")
}

fn take_in_memory(vault: &mut Vault, space: i64, tag: u64) -> Option<Kept> {
    in_memory(vault)
        .0
        .remove(&space)
        .filter(|kept| kept.tag == tag)
}

/// Keeps a space's replica in memory after a finished sync, whose last
/// save (or none) left it equal to the stored one.
fn keep_in_memory(vault: &mut Vault, loaded: Loaded) {
    in_memory(vault).0.insert(
        loaded.id,
        Kept {
            tag: loaded.state.tag,
            replica: loaded.replica,
            agreed: loaded.agreed,
        },
    );
}

/// Forgets the replicas kept in memory: the next sync reads them from the
/// vault, as a new process would (the benchmark measures both).
pub fn forget_in_memory(vault: &mut Vault) {
    in_memory(vault).0.clear();
}

/// How many replicas the vault keeps in memory (for tests).
pub fn kept_in_memory(vault: &mut Vault) -> usize {
    in_memory(vault).0.len()
}

/// The replica of the space called `name` as this vault stores it, for
/// inspection (tests, benches, a support tool): every version it holds,
/// its unsent changes, its heads. The one kept in memory if it is the
/// stored one (it leaves memory: the next call reads the vault).
pub fn stored_replica(vault: &mut Vault, name: &str) -> Result<Replica> {
    let stored = vault.space_named(name)?;
    let mut replica = load(vault, &stored)?.replica;
    replica.hold_values(&InVault::of(vault, stored.id))?;
    Ok(replica)
}

/// Creates a space with this device as its first admin and `cases` in it.
pub fn create_space(vault: &mut Vault, name: &str, cases: &[String]) -> Result<()> {
    casevault_core::vault::spaces::check_space_name(name)?;
    let device = device_key(vault)?;
    let (log, _) = Log::create(&device)?;
    let mut replica = Replica::new(device, log)?;
    replica.edit(META, &canonical_bytes(&MetaWire { name: name.into() })?)?;
    let state = SpaceState {
        replica: replica.export_state(),
        named: true,
        ..SpaceState::default()
    };
    vault.insert_space(
        name,
        &space_id_hex(replica.log()),
        &log_json(replica.log())?,
        &state_json(&state)?,
        &replica.pending_rows(),
        cases,
    )?;
    Ok(())
}

/// As an admin: adds the device whose public line is `line` to the space,
/// naming it `label` here. It receives an invitation at the next sync.
/// Returns the fingerprint to compare.
pub fn add_member(vault: &mut Vault, space: &str, line: &str, label: &str) -> Result<String> {
    let public = DevicePublic::parse(line)?;
    let stored = vault.space_named(space)?;
    let mut loaded = load(vault, &stored)?;
    let fingerprint = public.fingerprint();
    if let Some(other) = vault.device_by_label(label)?
        && other != fingerprint
    {
        return Err(Error::InvalidInput(
            "Another device already has this name here; choose another with --as.",
        ));
    }
    loaded.replica.add_member(&public, false)?;
    loaded.state.invite.push(public.line());
    vault.set_device_label(&fingerprint, label)?;
    save(vault, &mut loaded)?;
    Ok(fingerprint)
}

/// As an admin: removes `member` (its name here, its fingerprint, raw or
/// grouped as shown, or its line) and starts a new key epoch without it.
/// Returns its fingerprint.
pub fn remove_member(vault: &mut Vault, space: &str, member: &str) -> Result<String> {
    let stored = vault.space_named(space)?;
    let mut loaded = load(vault, &stored)?;
    let by_label = vault.device_by_label(member)?;
    let wanted = by_label.unwrap_or_else(|| match DevicePublic::parse(member) {
        Ok(p) => p.fingerprint(),
        Err(_) => member.trim().to_owned(),
    });
    let id = loaded
        .replica
        .log()
        .members()
        .iter()
        .find(|(_, m)| {
            casevault_core::crypto::fingerprint::same(&m.public.fingerprint(), &wanted)
                && m.removed.is_none()
        })
        .map(|(id, _)| *id)
        .ok_or(Error::InvalidInput(
            "This space has no such member; `casevault space ls` lists them by name and fingerprint.",
        ))?;
    let fingerprint = fingerprint_of(loaded.replica.log(), id);
    loaded.replica.remove_member(id)?;
    save(vault, &mut loaded)?;
    Ok(fingerprint)
}

pub(crate) fn fingerprint_of(log: &Log, device: DeviceId) -> String {
    log.members()
        .get(&device)
        .map(|m| m.public.fingerprint())
        .unwrap_or_default()
}

/// Every space of this vault.
pub fn list(vault: &mut Vault) -> Result<Vec<SpaceSummary>> {
    let device = device_key(vault)?.public();
    let me = device.fingerprint();
    let mut out = Vec::new();
    for stored in vault.spaces()? {
        // The log and the bookkeeping, not the replica: listing reads none
        // of the versions (the Team view lists after every sync), and
        // leaves the replica a sync kept in memory where it is.
        let log = &stored_log(&stored)?;
        let state = stored_state(&stored)?;
        let mut members = Vec::new();
        for m in log.members().values() {
            let fingerprint = m.public.fingerprint();
            let name = if fingerprint == me {
                Some("this device".to_owned())
            } else {
                vault.device_label(&fingerprint)?
            };
            members.push(MemberSummary {
                grouped: casevault_core::crypto::fingerprint::grouped(&fingerprint),
                line: m.public.line(),
                fingerprint,
                name,
                admin: m.admin,
                removed: m.removed.is_some(),
            });
        }
        let conflicts = vault.space_conflicts(stored.id)?;
        let conflict_labels = conflicts
            .iter()
            .map(|id| crate::review::label_of(vault, id))
            .collect::<Result<_>>()?;
        out.push(SpaceSummary {
            name: stored.name.clone(),
            cases: vault.space_cases(stored.id)?,
            members,
            epoch: log.epoch(),
            removed: log.excludes(device.id()),
            last_sync_at: stored.last_sync_at.clone(),
            gaps: serde_json::from_str(&stored.gaps).map_err(|_| damaged())?,
            conflicts,
            conflict_labels,
            unloaded: state.unloaded,
        });
    }
    Ok(out)
}

/// Sorted keys at every level, so that one state is one byte string on
/// every replica whatever order its JSON was written in.
fn canonical(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&m[k]));
            }
            serde_json::Value::Object(out)
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

pub(crate) fn canonical_bytes<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    let value = serde_json::to_value(v).map_err(|e| Error::Internal(format!("a record: {e}")))?;
    serde_json::to_vec(&canonical(&value)).map_err(|e| Error::Internal(format!("a record: {e}")))
}

pub(crate) fn digest(bytes: &[u8]) -> String {
    hex(&crate::encode::sha256(bytes))
}

/// A SHA-256 as [`digest`] writes it (lowercase hex), as `agreed` holds it.
fn hex(sha256: &[u8; 32]) -> String {
    data_encoding::HEXLOWER.encode(sha256)
}

/// A space's values as the vault stores them (`space_values`), where its
/// replica read back finds the few it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InVault<'a> {
    pub vault: &'a Vault,
    pub space: i64,
}

impl<'a> InVault<'a> {
    pub(crate) fn of(vault: &'a Vault, space: i64) -> Self {
        InVault { vault, space }
    }
}

impl StoredValues for InVault<'_> {
    fn read(&self, device: DeviceId, seq: u64) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(self.vault.space_value(self.space, &device.0, seq)?)
    }
}

/// The record as it travels, from the vault; None if it does not exist.
pub(crate) fn stored_wire(vault: &Vault, id: &str) -> Result<Option<Vec<u8>>> {
    let Some(r) = vault.get_record(id)? else {
        return Ok(None);
    };
    Ok(Some(canonical_bytes(&RecordWire {
        kind: r.kind,
        data: r.data,
        trashed: r.trashed_at.is_some(),
    })?))
}

/// What the vault shows of a record, given its heads in the replica's
/// order: the current one's bytes; or, while concurrent versions await
/// review, the current one with the narrowest consent and every name
/// protection of the others (`casevault_model::protections`), so a pick
/// nobody made never loosens what protects a person. Every replica
/// computes the same from the same heads, and sends nothing for it.
pub(crate) fn shown(heads: &[(VersionId, Vec<u8>)]) -> Option<Vec<u8>> {
    let ((_, current), others) = heads.split_last()?;
    if others.is_empty() {
        return Some(current.clone());
    }
    let parse = |v: &[u8]| serde_json::from_slice::<RecordWire>(v).ok();
    let Some(mut wire) = parse(current) else {
        return Some(current.clone());
    };
    let Some(record) = any_record(&wire.kind, &wire.data) else {
        return Some(current.clone());
    };
    let versions: Vec<AnyRecord> = others
        .iter()
        .filter_map(|(_, v)| parse(v))
        .filter_map(|w| any_record(&w.kind, &w.data))
        .collect();
    // Only the protective fields are written back: the rest stays the
    // version's own spelling.
    match (record.clone().with_protections_of(&versions), &record) {
        (AnyRecord::Testimony(t), AnyRecord::Testimony(was)) if t.consent != was.consent => {
            wire.data["consent"] = serde_json::to_value(&t.consent).ok()?;
        }
        (AnyRecord::Person(p), AnyRecord::Person(was)) if p.protected != was.protected => {
            wire.data["protected"] = serde_json::Value::Bool(p.protected);
            if was.pseudonym.is_none()
                && let Some(pseudonym) = p.pseudonym
            {
                wire.data["pseudonym"] = serde_json::Value::String(pseudonym);
            }
        }
        _ => return Some(current.clone()),
    }
    canonical_bytes(&wire).ok()
}

pub(crate) fn any_record(kind: &str, data: &serde_json::Value) -> Option<AnyRecord> {
    let d = data.clone();
    Some(match kind {
        "case" => AnyRecord::Case(serde_json::from_value(d).ok()?),
        "person" => AnyRecord::Person(serde_json::from_value(d).ok()?),
        "organisation" => AnyRecord::Organisation(serde_json::from_value(d).ok()?),
        "incident" => AnyRecord::Incident(serde_json::from_value(d).ok()?),
        "proceeding" => AnyRecord::Proceeding(serde_json::from_value(d).ok()?),
        "source" => AnyRecord::Source(serde_json::from_value(d).ok()?),
        "testimony" => AnyRecord::Testimony(serde_json::from_value(d).ok()?),
        "intervention" => AnyRecord::Intervention(serde_json::from_value(d).ok()?),
        _ => return None,
    })
}

/// The cases a record belongs to, as the model decides it for the vault's
/// case index ([`AnyRecord::cases`]); none for data that is no record.
fn linked_cases(kind: &str, data: &serde_json::Value) -> Vec<String> {
    any_record(kind, data)
        .map(|r| r.cases().into_iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn refused(problem: &str) -> Error {
    Error::Vault(casevault_core::Error::invalid(
        "record",
        casevault_core::model::problem::ProblemCode::RefusedFromMember.with("detail", problem),
    ))
}

/// What the checks of received records consult, gathered at most once per
/// apply rather than once per record (the vault's list of records, read
/// for each of 10,000 records, made a first sync quadratic), and only when
/// a record needs it: an edit of a record already in the space (the
/// common case) reads none of it.
#[derive(Debug, Default)]
pub(crate) struct Received {
    /// The space's id in the vault.
    space_id: i64,
    /// The records of the space as this vault held them before the apply,
    /// and those the apply has filed since. A record outside it is one
    /// this vault holds for itself: a member's change may not pull it in.
    in_space: BTreeSet<String>,
    /// This vault's own edit (a conflict resolved with edited data): it
    /// may cite what the vault holds outside the space, as when it links
    /// the record itself.
    own_edit: bool,
    /// Whether citing a record outside the space is refused, by id.
    held_here: BTreeMap<String, bool>,
    /// Read from every record of the replica, the first time needed.
    space: Option<SpaceRefs>,
}

/// What the space's records, as the replica holds them, cite and are.
#[derive(Debug)]
struct SpaceRefs {
    /// The ids the space's records refer to: a record that belongs to no
    /// case (an organisation named as perpetrator, a source cited) is
    /// accepted from a member only if one of them cites it, so a member
    /// cannot file stray records in this vault.
    cited: BTreeSet<String>,
    /// The vault's records, and the space's as the replica holds them:
    /// records that cite each other (an incident and the one it is related
    /// to) are written one after the other, and each must find the other.
    known: KnownRecords,
}

impl Received {
    /// Checks against `in_space`, the records of the space as this vault
    /// holds them ([`Vault::space_record_ids`]).
    pub(crate) fn of(space_id: i64, in_space: &[String]) -> Received {
        Received {
            space_id,
            in_space: in_space.iter().cloned().collect(),
            ..Received::default()
        }
    }

    /// Allows this vault's own edit (a conflict resolved with edited data)
    /// to cite what it holds outside the space: that is this vault's
    /// choice to share it, as when it links the record itself.
    pub(crate) fn for_own_edit(mut self) -> Received {
        self.own_edit = true;
        self
    }

    fn space(&mut self, vault: &Vault, replica: &Replica) -> Result<&mut SpaceRefs> {
        if self.space.is_none() {
            let mut refs = SpaceRefs {
                cited: BTreeSet::new(),
                known: vault.known_records()?,
            };
            let stored = InVault::of(vault, self.space_id);
            for (id, view) in replica.currents() {
                if id == META || id.starts_with(files::PREFIX) {
                    continue;
                }
                let Ok(wire) = serde_json::from_slice::<RecordWire>(&view.value(&stored)?) else {
                    continue;
                };
                let Some(record) = any_record(&wire.kind, &wire.data) else {
                    continue;
                };
                refs.cited
                    .extend(record.refs().into_iter().map(|r| r.id.to_owned()));
                if !refs.known.kinds.contains_key(id) {
                    if wire.trashed {
                        refs.known.trashed.insert(id.to_owned());
                    }
                    refs.known.kinds.insert(id.to_owned(), wire.kind);
                }
            }
            self.space = Some(refs);
        }
        Ok(self.space.as_mut().expect("just read"))
    }

    /// Whether some record of the space cites `id`.
    fn cited(&mut self, vault: &Vault, replica: &Replica, id: &str) -> Result<bool> {
        Ok(self.space(vault, replica)?.cited.contains(id))
    }

    /// Whether a member citing `id` must be refused: this vault holds it
    /// outside the space and the member did not send the very same
    /// content. Accepting such a citation would put this vault's copy in
    /// the space, and the next push would send it (a member guessing an
    /// imported id such as `org-knb` could otherwise have a private
    /// organisation sent to it). Any version a member sent is checked this
    /// way, not only the current one: a losing head the vault keeps (its
    /// current one refused) would otherwise pull the record in.
    fn held_here(&mut self, vault: &Vault, replica: &Replica, id: &str) -> Result<bool> {
        if self.own_edit || self.in_space.contains(id) {
            return Ok(false);
        }
        if let Some(known) = self.held_here.get(id) {
            return Ok(*known);
        }
        let held = match vault.get_record(id)? {
            None => false,
            Some(held) => !replica
                .current(id, &InVault::of(vault, self.space_id))?
                .and_then(|v| serde_json::from_slice::<RecordWire>(&v).ok())
                .is_some_and(|w| {
                    w.kind == held.kind
                        && w.trashed == held.trashed_at.is_some()
                        && canonical(&w.data) == canonical(&held.data)
                }),
        };
        self.held_here.insert(id.to_owned(), held);
        Ok(held)
    }
}

/// Writes one received record state into the vault through its write
/// path. Nothing is written if any check fails.
fn apply_record(
    vault: &mut Vault,
    space: i64,
    id: &str,
    wire: &RecordWire,
    replica: &Replica,
    received: &mut Received,
    actor: &str,
) -> Result<()> {
    vault
        .write_as(actor, |vault| {
            apply_record_as_author(vault, space, id, wire, replica, received).map_err(|e| match e {
                Error::Vault(e) => e,
                other => casevault_core::Error::invalid(
                    "record",
                    casevault_core::model::problem::ProblemCode::RefusedFromMember
                        .with("detail", other.to_string()),
                ),
            })
        })
        .map_err(Error::Vault)
}

/// [`apply_record`]'s checks and writes, with the member's device as the
/// vault's actor.
pub(crate) fn apply_record_as_author(
    vault: &mut Vault,
    space: i64,
    id: &str,
    wire: &RecordWire,
    replica: &Replica,
    received: &mut Received,
) -> Result<()> {
    let record = any_record(&wire.kind, &wire.data)
        .ok_or_else(|| refused("a member sent a record that does not match the model"))?;
    if record.id() != id {
        return Err(refused("a member sent a record under another id"));
    }
    for r in record.refs() {
        if received.held_here(vault, replica, r.id)? {
            return Err(refused(
                "a member cited a record this vault holds outside the space",
            ));
        }
    }
    let space_cases = vault.space_cases(space)?;
    let in_space = |c: &String| space_cases.contains(c) || (wire.kind == "case" && c == id);
    if !linked_cases(&wire.kind, &wire.data).iter().all(in_space) {
        return Err(refused(
            "a member sent a record linked to a case outside the space",
        ));
    }
    let current = vault.get_record(id)?;
    match current {
        None => {
            if wire.kind != "case"
                && linked_cases(&wire.kind, &wire.data).is_empty()
                && !received.cited(vault, replica, id)?
            {
                return Err(refused(
                    "a member sent a record that belongs to no case and that no record of the space cites",
                ));
            }
            // Checked as new: the record itself is not yet known.
            let known = &mut received.space(vault, replica)?.known;
            let kind = known.kinds.remove(id);
            let trashed = known.trashed.remove(id);
            let problems = validate(&doc_of(record), known);
            if let Some(kind) = kind {
                known.kinds.insert(id.to_owned(), kind);
            }
            if trashed {
                known.trashed.insert(id.to_owned());
            }
            if !problems.is_empty() {
                return Err(Error::Vault(casevault_core::Error::RecordRejected {
                    problems,
                }));
            }
            vault.insert_records_with_ids(
                &[(wire.kind.as_str(), id, wire.data.clone())],
                "synced",
            )?;
            received.in_space.insert(id.to_owned());
            if wire.kind == "case" {
                vault.add_space_case(space, id)?;
            }
            if wire.trashed {
                vault.trash_records(&[id], "trashed by a member of the space")?;
            }
        }
        Some(cur) => {
            // Held here before this apply, or the very same content a
            // member sent for a record both hold and the space cites.
            let shared = received.in_space.contains(id)
                || (received.cited(vault, replica, id)?
                    && !received.held_here(vault, replica, id)?);
            if !shared {
                return Err(refused(
                    "a member sent a record of this vault that is not in the space",
                ));
            }
            if cur.kind != wire.kind {
                return Err(refused(
                    "a member sent a record of another kind under an existing id",
                ));
            }
            let differs = canonical(&cur.data) != canonical(&wire.data);
            if cur.trashed_at.is_some() && (!wire.trashed || differs) {
                vault.restore_record(id)?;
            }
            if differs {
                casevault_core::ops::edit::amend(
                    vault,
                    &record,
                    "changed by a member of the space",
                )?;
            }
            if wire.trashed && (cur.trashed_at.is_none() || differs) {
                vault.trash_records(&[id], "trashed by a member of the space")?;
            }
        }
    }
    Ok(())
}

fn doc_of(record: AnyRecord) -> Document {
    Document::single(record)
}

/// Pushes this vault's changes to the space's records into the replica.
/// A record also linked to a case outside the space (a person with a role
/// in a private case) is held back: its data would name that case.
///
/// Only records that may differ from the state last agreed are read: those
/// the custody log names as changed since the last push, and those not yet
/// agreed at all (new in the space, held back, or never pushed). The
/// watermark is taken before reading, so a change made meanwhile is read
/// at the next push; it is dropped when the space's cases change.
fn push(
    vault: &Vault,
    loaded: &mut Loaded,
    in_space: &[String],
    outcome: &mut SyncOutcome,
) -> Result<bool> {
    let mut cases = vault.space_cases(loaded.id)?;
    cases.sort();
    let head = vault.custody_head()?;
    let since: Option<BTreeSet<String>> = match &loaded.state.pushed_through {
        Some((seq, then)) if *then == cases => {
            Some(vault.records_changed_since(*seq)?.into_iter().collect())
        }
        _ => None,
    };
    let mut changed = false;
    for id in in_space {
        if let Some(since) = &since
            && !since.contains(id)
            && loaded.agreed.contains_key(id)
        {
            continue;
        }
        let Some(stored) = vault.get_record(id)? else {
            continue;
        };
        if !linked_cases(&stored.kind, &stored.data)
            .iter()
            .all(|c| cases.contains(c))
        {
            outcome.held_back.push(id.clone());
            continue;
        }
        let bytes = canonical_bytes(&RecordWire {
            kind: stored.kind,
            data: stored.data,
            trashed: stored.trashed_at.is_some(),
        })?;
        let h = digest(&bytes);
        if loaded.agreed.get(id) == Some(&h) {
            continue;
        }
        // Already what the replica shows (applied before a crash could
        // record it): nothing new to send.
        let stored = InVault::of(vault, loaded.id);
        let current = shown(&loaded.replica.heads(id, &stored)?).map(|v| digest(&v));
        if current.as_ref() != Some(&h) {
            loaded.replica.edit(id, &bytes)?;
        }
        loaded.agreed.insert(id.clone(), h);
        changed = true;
    }
    loaded.state.pushed_through = Some((head, cases));
    Ok(changed)
}

/// Applies what the replica holds and the vault does not yet. Returns the
/// records in conflict, and whether the space's state changed.
fn apply(
    vault: &mut Vault,
    loaded: &mut Loaded,
    in_space: &[String],
    outcome: &mut SyncOutcome,
) -> Result<(Vec<String>, bool)> {
    let mut conflicts = Vec::new();
    let mut pending = Vec::new();
    let stored = InVault::of(vault, loaded.id);
    for (id, v) in loaded.replica.currents() {
        if id == META || id.starts_with(files::PREFIX) {
            continue;
        }
        if v.conflict {
            conflicts.push(id.to_owned());
        }
        // A record in conflict is agreed once the vault shows what every
        // replica shows of it (see [`shown`]).
        let agreed = if v.conflict {
            shown(&loaded.replica.heads(id, &stored)?).map_or_else(String::new, |s| digest(&s))
        } else {
            hex(v.digest())
        };
        if loaded.agreed.get(id) != Some(&agreed)
            || (v.conflict
                && loaded.state.heads_written.get(id) != Some(&heads_digest(&loaded.replica, id)))
        {
            pending.push(id.to_owned());
        }
    }
    let mut changed = !pending.is_empty();
    let mut received = if pending.is_empty() {
        Received::default()
    } else {
        Received::of(loaded.id, in_space)
    };
    if !loaded.state.named
        && let Some(meta) = loaded.replica.current(META, &stored)?
        && let Ok(m) = serde_json::from_slice::<MetaWire>(&meta)
        && vault.space_named(&m.name).is_err()
        && vault.rename_space(loaded.id, &m.name).is_ok()
    {
        loaded.state.named = true;
        changed = true;
    }
    let order = |kind: &str| match kind {
        "case" => 0,
        "organisation" | "person" | "source" => 1,
        _ => 2,
    };
    let mut last_errors: BTreeMap<String, Error> = BTreeMap::new();
    for _ in 0..APPLY_PASSES {
        if pending.is_empty() {
            break;
        }
        let mut items: Vec<(usize, String)> = Vec::new();
        for id in &pending {
            let stored = InVault::of(vault, loaded.id);
            let heads = loaded.replica.heads(id, &stored)?;
            let kind = heads
                .last()
                .and_then(|(_, v)| serde_json::from_slice::<RecordWire>(v).ok())
                .map_or(3, |w| order(&w.kind));
            items.push((kind, id.clone()));
        }
        items.sort();
        let mut left = Vec::new();
        for (_, id) in items {
            match apply_heads(vault, loaded, &id, &mut received) {
                Ok(()) => {
                    outcome.applied += 1;
                    last_errors.remove(&id);
                }
                Err(e) => {
                    last_errors.insert(id.clone(), e);
                    left.push(id);
                }
            }
        }
        if left.len() == pending.len() {
            break;
        }
        pending = left;
    }
    for (id, e) in last_errors {
        match e {
            Error::Vault(ref inner) if inner.code() == casevault_core::ErrorCode::InvalidInput => {
                outcome.rejected.push(id)
            }
            Error::Vault(_) | Error::Internal(_) | Error::DiskFull => return Err(e),
            _ => outcome.rejected.push(id),
        }
    }
    Ok((conflicts, changed))
}

pub(crate) fn heads_digest(replica: &Replica, id: &str) -> String {
    let mut text = String::new();
    for v in replica.head_ids(id) {
        text.push_str(&format!(
            "{} {} {};",
            v.lamport,
            data_encoding::HEXLOWER.encode(&v.device.0),
            v.seq
        ));
    }
    digest(text.as_bytes())
}

/// Writes a record's heads into the vault, the current one last, so that
/// every concurrent version is in its history.
fn apply_heads(
    vault: &mut Vault,
    loaded: &mut Loaded,
    id: &str,
    received: &mut Received,
) -> Result<()> {
    let heads = loaded.replica.heads(id, &InVault::of(vault, loaded.id))?;
    let Some(((current_id, current), others)) = heads.split_last() else {
        return Ok(());
    };
    let log = loaded.replica.log().clone();
    let actor = |vault: &Vault, d: DeviceId| -> Result<String> {
        let fp = fingerprint_of(&log, d);
        Ok(match vault.device_label(&fp)? {
            Some(label) => format!("{label} (device {fp})"),
            None => format!("device {fp}"),
        })
    };
    for (vid, value) in others {
        let Ok(wire) = serde_json::from_slice::<RecordWire>(value) else {
            continue;
        };
        if stored_wire(vault, id)?.as_deref() == Some(value.as_slice()) {
            continue;
        }
        let who = actor(vault, vid.device)?;
        // A losing head that the vault refuses stays in the replica's
        // history; the current one below is what must hold.
        let _ = apply_record(vault, loaded.id, id, &wire, &loaded.replica, received, &who);
    }
    let current = shown(&heads).unwrap_or_else(|| current.clone());
    let wire: RecordWire = serde_json::from_slice(&current)
        .map_err(|_| refused("a member sent a malformed record"))?;
    let mut result = Ok(());
    if stored_wire(vault, id)?.as_deref() != Some(current.as_slice()) {
        let who = actor(vault, current_id.device)?;
        result = apply_record(vault, loaded.id, id, &wire, &loaded.replica, received, &who);
    }
    // What the vault now holds is what was agreed: its own spelling of
    // the record, so the next push does not send it back as an edit; and,
    // if the current head was refused after a losing one was written, not
    // the losing one either (the current one is tried again next time,
    // since it still differs).
    if let Some(bytes) = stored_wire(vault, id)? {
        loaded.agreed.insert(id.to_owned(), digest(&bytes));
    }
    result?;
    if heads.len() > 1 {
        let d = heads_digest(&loaded.replica, id);
        loaded.state.heads_written.insert(id.to_owned(), d);
    }
    Ok(())
}

/// How a sync treats invitations to spaces this vault does not hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Join {
    /// Join each one, printing its creator's fingerprint (the CLI: a vault
    /// that never synced receives its spaces at its first sync).
    #[default]
    Auto,
    /// Join none: return them as [`SyncOutcome::pending`] offers for the
    /// user to compare fingerprints and accept or decline (the app).
    Ask,
}

/// An invitation to a space this vault does not hold, as the user must
/// judge it: anyone who knows this device's public line can invite it to
/// a space of their own, so it is accepted only after the fingerprints
/// were compared with the people they should belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    /// Stable id: hex SHA-256 over the hashes of the log's first entry
    /// and its head. Another log under the same space id (an impostor's)
    /// is another offer.
    pub id: String,
    /// The fingerprint of the space's creator, grouped to read aloud.
    pub creator: String,
    /// The name this vault gave the creator's device, if any.
    pub creator_label: Option<String>,
    /// The fingerprint of the admin who added this device, grouped.
    pub inviter: String,
    /// The name this vault gave the inviting admin's device, if any.
    pub inviter_label: Option<String>,
    /// Current members, this device included.
    pub members: usize,
}

fn offer_id(log: &Log) -> String {
    let (Some(first), Some(head)) = (log.entries().first(), log.entries().last()) else {
        return String::new();
    };
    data_encoding::HEXLOWER.encode(&crate::encode::sha256(
        &crate::encode::Signed::new("casevault-sync invitation offer v1")
            .bytes(&first.hash())
            .bytes(&head.hash())
            .finish(),
    ))
}

fn author_fingerprint(log: &Log, entry: &Entry) -> String {
    crate::encode::b64_fixed::<32>(&entry.author)
        .map(|d| fingerprint_of(log, DeviceId(d)))
        .unwrap_or_default()
}

fn offer_of(vault: &Vault, log: &Log, device: &DeviceKey) -> Result<Offer> {
    use casevault_core::crypto::fingerprint::grouped;
    let creator = log
        .entries()
        .first()
        .map(|e| author_fingerprint(log, e))
        .unwrap_or_default();
    // The `add` naming this device: at most one, since a device that was
    // a member can never be added again.
    let me = device.id();
    let inviter = log
        .entries()
        .iter()
        .find(|e| {
            matches!(&e.action, crate::log::Action::Add { member, .. }
                if DevicePublic::parse(member).is_ok_and(|p| p.id() == me))
        })
        .map(|e| author_fingerprint(log, e))
        .unwrap_or_else(|| creator.clone());
    Ok(Offer {
        id: offer_id(log),
        creator_label: vault.device_label(&creator)?,
        inviter_label: vault.device_label(&inviter)?,
        creator: grouped(&creator),
        inviter: grouped(&inviter),
        members: log
            .members()
            .values()
            .filter(|m| m.removed.is_none())
            .count(),
    })
}

/// The invitations on `remote` to spaces this vault does not hold, with
/// their logs; declined ones are left out unless `declined_too`.
fn unheld_invitations(
    vault: &mut Vault,
    remote: &dyn Remote,
    device: &DeviceKey,
    declined_too: bool,
    refused: &mut Vec<ErrorCode>,
) -> Result<Vec<(Offer, Log)>> {
    let (invited, bad) = transport::read_invitations(remote, device)?;
    refused.extend(bad.into_iter().map(|(_, c)| c));
    if invited.is_empty() {
        return Ok(Vec::new());
    }
    let held = vault.space_logs()?;
    let declined = vault.declined_invitations()?;
    let mut out = Vec::new();
    for (log, _) in invited {
        let hex = space_id_hex(&log);
        let mut known = false;
        for (_, held_log) in held.iter().filter(|(id, _)| *id == hex) {
            let entries: Vec<Entry> = serde_json::from_str(held_log).map_err(|_| damaged())?;
            if entries.starts_with(log.entries()) || log.entries().starts_with(&entries) {
                known = true;
            }
        }
        if known {
            continue;
        }
        let offer = offer_of(vault, &log, device)?;
        if declined_too || !declined.contains(&offer.id) {
            out.push((offer, log));
        }
    }
    Ok(out)
}

/// Stores a space joined through an invitation, named `name` (the user's
/// choice) or, until its name arrives from the creator, a placeholder.
fn join_space(
    vault: &mut Vault,
    device: &DeviceKey,
    log: Log,
    name: Option<&str>,
) -> Result<String> {
    let hex = space_id_hex(&log);
    let chosen = name.is_some();
    let name = match name {
        Some(n) => n.to_owned(),
        None => {
            let mut name = format!("space-{}", &hex[..8]);
            let mut n = 2;
            while vault.space_named(&name).is_ok() {
                name = format!("space-{}-{n}", &hex[..8]);
                n += 1;
            }
            name
        }
    };
    let replica = Replica::new(DeviceKey::from_secret(&device.to_secret())?, log)?;
    vault.insert_space(
        &name,
        &hex,
        &log_json(replica.log())?,
        &state_json(&SpaceState {
            replica: replica.export_state(),
            // A name the user chose is not replaced by the creator's.
            named: chosen,
            ..SpaceState::default()
        })?,
        &replica.pending_rows(),
        &[],
    )?;
    Ok(name)
}

/// Joins the spaces this device was invited to and does not hold yet
/// ([`Join::Auto`]), or returns them as offers ([`Join::Ask`]). A declined
/// invitation is never joined here.
fn join_invited(
    vault: &mut Vault,
    remote: &dyn Remote,
    device: &DeviceKey,
    join: Join,
    outcome: &mut SyncOutcome,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    for (offer, log) in unheld_invitations(vault, remote, device, false, &mut outcome.refused)? {
        match join {
            Join::Ask => {
                progress(&format!(
                    "An invitation to a space is waiting: created by {}, you were added by {}. Compare these fingerprints with them before accepting it.",
                    offer.creator, offer.inviter
                ));
                outcome.pending.push(offer);
            }
            Join::Auto => {
                let name = join_space(vault, device, log, None)?;
                progress(&format!(
                    "Joined a space created by {}; check this fingerprint with its admin.",
                    offer.creator
                ));
                outcome.joined.push(name);
            }
        }
    }
    Ok(())
}

/// The invitations on `remote` to spaces this vault does not hold and has
/// not declined, for the user to judge.
pub fn pending_invitations(vault: &mut Vault, remote: &dyn Remote) -> Result<Vec<Offer>> {
    let device = device_key(vault)?;
    let mut refused = Vec::new();
    Ok(
        unheld_invitations(vault, remote, &device, false, &mut refused)?
            .into_iter()
            .map(|(o, _)| o)
            .collect(),
    )
}

/// Joins the space of invitation `offer_id`, read again from `remote`,
/// naming it `local_name` here (the creator's name does not replace it).
/// The caller syncs next to bring its records. Refused, with nothing
/// changed, if the name is not valid or taken, or no such invitation is
/// on the remote for a space this vault does not hold.
pub fn accept_invitation(
    vault: &mut Vault,
    remote: &dyn Remote,
    offer_id: &str,
    local_name: &str,
) -> Result<String> {
    use casevault_core::model::problem::{ProblemCode, not_found};
    casevault_core::vault::spaces::check_space_name(local_name)?;
    if vault.space_named(local_name).is_ok() {
        return Err(problem(ProblemCode::SpaceExists.with("name", local_name)));
    }
    let device = device_key(vault)?;
    let mut refused = Vec::new();
    let (_, log) = unheld_invitations(vault, remote, &device, true, &mut refused)?
        .into_iter()
        .find(|(o, _)| o.id == offer_id)
        .ok_or_else(|| {
            Error::Vault(casevault_core::Error::invalid(
                "offer",
                not_found("invitation", offer_id),
            ))
        })?;
    join_space(vault, &device, log, Some(local_name))
}

/// Remembers that the invitation `offer_id` was declined: no sync offers
/// or joins it again.
pub fn decline_invitation(vault: &mut Vault, offer_id: &str) -> Result<()> {
    Ok(vault.decline_invitation(offer_id)?)
}

/// Syncs every space of this vault with `remote`: joins the spaces this
/// device was invited to, sends this vault's changes, applies the
/// members'. Progress lines go to `progress`. Refused objects are
/// counted, never applied; the vault's state is saved after each space,
/// so an interrupted sync resumes.
pub fn sync(
    vault: &mut Vault,
    remote: &dyn Remote,
    remote_address: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<SyncOutcome> {
    sync_with(vault, remote, remote_address, Join::Auto, progress)
}

/// [`sync`], with the invitations treated as `join` says.
pub fn sync_with(
    vault: &mut Vault,
    remote: &dyn Remote,
    remote_address: &str,
    join: Join,
    progress: &mut dyn FnMut(&str),
) -> Result<SyncOutcome> {
    let mut outcome = SyncOutcome::default();
    let device = device_key(vault)?;
    progress("Looking for invitations");
    join_invited(vault, remote, &device, join, &mut outcome, progress)?;
    let spaces = vault.spaces()?;
    let total = spaces.len();
    for (i, stored) in spaces.iter().enumerate() {
        progress(&format!("Space {} of {total}: {}", i + 1, stored.name));
        let loaded = load(vault, stored)?;
        sync_space(vault, remote, &stored.name, loaded, &mut outcome, progress)?;
    }
    vault.record_sync(remote_address)?;
    progress(&format!(
        "Sync done: {} sent, {} received, {} written here, {} refused",
        outcome.uploaded,
        outcome.received,
        outcome.applied,
        outcome.refused.len()
    ));
    if outcome.files_sent + outcome.files_received + outcome.files_waiting > 0 {
        progress(&format!(
            "Evidence files: {} sent, {} received, {} still on their way (fetched at a later sync)",
            outcome.files_sent, outcome.files_received, outcome.files_waiting
        ));
    }
    Ok(outcome)
}

/// Sends the invitations queued for a space, unless this device was
/// removed from it; the ones that fail stay queued.
fn send_invitations(loaded: &mut Loaded, remote: &dyn Remote) -> Result<()> {
    if loaded.replica.removed() {
        return Ok(());
    }
    let mut still = Vec::new();
    for line in std::mem::take(&mut loaded.state.invite) {
        let public = DevicePublic::parse(&line)?;
        if loaded.replica.invite(remote, &public).is_err() {
            still.push(line);
        }
    }
    loaded.state.invite = still;
    Ok(())
}

/// Syncs one space (see [`sync`]). An unloaded space syncs its membership
/// only: nothing of its records is sent, fetched or written here, and
/// nothing about the unload reaches the others.
fn sync_space(
    vault: &mut Vault,
    remote: &dyn Remote,
    name: &str,
    mut loaded: Loaded,
    outcome: &mut SyncOutcome,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    if loaded.state.unloaded {
        progress(&format!(
            "Space \"{name}\" is unloaded from this device: only its membership is synced."
        ));
        let was_removed = loaded.replica.removed();
        let report = loaded.replica.sync_membership(remote);
        save(vault, &mut loaded)?;
        let report = report?;
        outcome
            .refused
            .extend(report.refused.iter().map(|(_, c)| *c));
        if loaded.replica.removed() && !was_removed {
            progress(&format!(
                "This device was removed from space \"{name}\": a reload fetches only what was written before."
            ));
        }
        send_invitations(&mut loaded, remote)?;
        save(vault, &mut loaded)?;
        vault.record_space_sync(loaded.id, "[]", &[])?;
        return Ok(());
    }
    let was_removed = loaded.replica.removed();
    // The records of the space, read once: the push sends them, the apply
    // checks a member's changes against them (neither changes the set).
    let in_space = vault.space_record_ids(loaded.id)?;
    if !was_removed {
        // A file's chunks are sealed as they are sent: not under an epoch
        // whose entry is not yet read back (see `Replica::may_seal`).
        if loaded.replica.may_seal() {
            send_files(vault, remote, &mut loaded, &in_space, outcome, progress)?;
        }
        // Saving writes the state and new rows: only when the push changed it (an
        // edit must be kept before it is put, so its number is never
        // reused; a watermark not kept only costs a longer push next time).
        if push(vault, &mut loaded, &in_space, outcome)? {
            save(vault, &mut loaded)?;
        }
    }
    let report = loaded.replica.sync(remote);
    // Whatever the sync learnt (a fork's winner, new entries) is kept.
    save(vault, &mut loaded)?;
    let report = report?;
    outcome.uploaded += report.uploaded;
    outcome.received += report.applied;
    outcome
        .refused
        .extend(report.refused.iter().map(|(_, c)| *c));
    let queued = loaded.state.invite.len();
    send_invitations(&mut loaded, remote)?;
    let invited = loaded.state.invite.len() != queued;
    if loaded.replica.removed() && !was_removed {
        progress(&format!(
            "This device was removed from space \"{name}\": it receives nothing written after."
        ));
    }
    let (conflicts, applied) = apply(vault, &mut loaded, &in_space, outcome)?;
    if applied || invited {
        save(vault, &mut loaded)?;
    }
    let mut files_changed = false;
    let received = receive_files(
        vault,
        remote,
        &mut loaded,
        outcome,
        progress,
        &mut files_changed,
    );
    if files_changed {
        save(vault, &mut loaded)?;
    }
    received?;
    let log = loaded.replica.log();
    let gaps: Vec<GapSummary> = report
        .gaps
        .iter()
        .map(|g| GapSummary {
            device: fingerprint_of(log, g.device),
            missing: g.missing.iter().map(|r| r.end() - r.start() + 1).sum(),
        })
        .collect();
    for g in &gaps {
        progress(&format!(
            "Warning: {} change(s) by device {} are missing on the remote; they may have been withheld.",
            g.missing, g.device
        ));
    }
    let gaps_json =
        serde_json::to_string(&gaps).map_err(|e| Error::Internal(format!("gaps: {e}")))?;
    vault.record_space_sync(loaded.id, &gaps_json, &conflicts)?;
    keep_in_memory(vault, loaded);
    Ok(())
}

pub(crate) fn problem(code: casevault_core::model::problem::Problem) -> Error {
    Error::Vault(casevault_core::Error::invalid("space", code))
}

/// How many of a space's changes here would be lost by deleting `records`
/// now: this device's changes not yet known to be on the remote, records
/// changed since the last sync, records that never travel (held back: they
/// name a case that has left this vault), and evidence files (which do not
/// travel with their records; one counts until its metadata was handed to
/// the replica, which happens once all its chunks are on the remote).
fn unsynced(vault: &Vault, loaded: &Loaded, records: &[String]) -> Result<usize> {
    let cases = vault.space_cases(loaded.id)?;
    let mut n = loaded.replica.unsent();
    for id in records {
        let Some(stored) = vault.get_record(id)? else {
            continue;
        };
        if !linked_cases(&stored.kind, &stored.data)
            .iter()
            .all(|c| cases.contains(c))
        {
            n += 1;
            continue;
        }
        let h = digest(&canonical_bytes(&RecordWire {
            kind: stored.kind,
            data: stored.data,
            trashed: stored.trashed_at.is_some(),
        })?);
        // The current head is the last one: its digest answers without
        // reading its value.
        let agreed = loaded.agreed.get(id) == Some(&h)
            || loaded.replica.current_digest(id).map(hex) == Some(h);
        if !agreed {
            n += 1;
        }
    }
    for id in records {
        for a in vault.attachments_of(id)? {
            if !loaded.agreed.contains_key(&file_key(&a.id)) {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Travel mode: securely deletes from this vault every record of the
/// space's cases (a record that also belongs to a case held here outside
/// the space stays; see [`Vault::space_unload_set`]), with their history,
/// index rows and evidence files, and the replica's copy of them; keeps
/// the membership (the log, whose grants hold the keys to read again) and
/// marks the space unloaded. Refused, with nothing changed, if the space
/// is unloaded already or if changes would be lost (see [`unsynced`])
/// unless `discard_unsynced`. Nothing of it reaches the remote: the unload
/// is this device's alone.
pub fn unload_space(
    vault: &mut Vault,
    name: &str,
    discard_unsynced: bool,
) -> Result<UnloadOutcome> {
    use casevault_core::model::problem::ProblemCode;
    let stored = vault.space_named(name)?;
    let mut loaded = load(vault, &stored)?;
    if loaded.state.unloaded {
        return Err(problem(ProblemCode::SpaceUnloaded.with("name", name)));
    }
    let records = vault.space_unload_set(loaded.id)?;
    let lost = unsynced(vault, &loaded, &records)?;
    if lost > 0 && !discard_unsynced {
        return Err(problem(
            ProblemCode::SpaceUnsynced
                .with("name", name)
                .with("count", lost),
        ));
    }
    let kept: Vec<String> = vault
        .space_record_ids(loaded.id)?
        .into_iter()
        .filter(|id| !records.contains(id))
        .collect();
    loaded.replica.unload();
    loaded.agreed.clear();
    loaded.state.heads_written.clear();
    loaded.state.files_sent.clear();
    loaded.state.pushed_through = None;
    loaded.state.unloaded = true;
    let state = loaded_state_json(&mut loaded)?;
    let done = vault.unload_space(
        loaded.id,
        &records,
        &log_json(loaded.replica.log())?,
        &state,
        &loaded.replica.pending_rows(),
        &loaded.agreed.pending_rows(),
    )?;
    Ok(UnloadOutcome {
        records: done.records,
        attachments: done.attachments,
        kept,
    })
}

/// Refuses a space that does not exist or is not unloaded: what
/// [`reload_space`] checks first, for a caller to check before it opens
/// the remote.
pub fn require_unloaded(vault: &mut Vault, name: &str) -> Result<()> {
    use casevault_core::model::problem::ProblemCode;
    let stored = vault.space_named(name)?;
    if !stored_state(&stored)?.unloaded {
        return Err(problem(ProblemCode::SpaceLoaded.with("name", name)));
    }
    Ok(())
}

/// Fetches an unloaded space's records back from `remote` and marks it
/// loaded: a sync of the space in which every change is fetched again,
/// this device's own included, and written into the vault. If it is
/// interrupted, the space is loaded already and the next `sync` finishes.
pub fn reload_space(
    vault: &mut Vault,
    name: &str,
    remote: &dyn Remote,
    remote_address: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<SyncOutcome> {
    require_unloaded(vault, name)?;
    let stored = vault.space_named(name)?;
    let mut loaded = load(vault, &stored)?;
    loaded.state.unloaded = false;
    save(vault, &mut loaded)?;
    let mut outcome = SyncOutcome::default();
    progress(&format!("Reloading space \"{name}\""));
    sync_space(vault, remote, name, loaded, &mut outcome, progress)?;
    vault.record_sync(remote_address)?;
    progress(&format!(
        "Reload done: {} record(s) written here, {} refused",
        outcome.applied,
        outcome.refused.len()
    ));
    Ok(outcome)
}

/// The replica record carrying an attachment's metadata.
fn file_key(attachment: &str) -> String {
    format!("{}{attachment}", files::PREFIX)
}

fn listing(remote: &dyn Remote) -> Result<BTreeSet<String>> {
    Ok(remote
        .list()?
        .into_iter()
        .map(|n| n.as_str().to_owned())
        .collect())
}

/// Sends the chunks of every evidence file of the space's records not yet
/// agreed with the replica, resuming where an earlier sync stopped, and
/// pushes each file's metadata once all its chunks are listed. Attachments
/// never change, so a file agreed once is never sent again.
fn send_files(
    vault: &mut Vault,
    remote: &dyn Remote,
    loaded: &mut Loaded,
    in_space: &[String],
    outcome: &mut SyncOutcome,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    let cases = vault.space_cases(loaded.id)?;
    let in_space: BTreeSet<&String> = in_space.iter().collect();
    let mut todo = Vec::new();
    // The vault's attachments are few next to its records: only the
    // records of files not yet agreed are read.
    for a in vault.all_attachments()? {
        if !in_space.contains(&a.record_id) || loaded.agreed.contains_key(&file_key(&a.id)) {
            continue;
        }
        let Some(stored) = vault.get_record(&a.record_id)? else {
            continue;
        };
        // A held-back record does not travel, nor do its files.
        if !linked_cases(&stored.kind, &stored.data)
            .iter()
            .all(|c| cases.contains(c))
        {
            continue;
        }
        todo.push(a);
    }
    if todo.is_empty() {
        return Ok(());
    }
    let device = DeviceKey::from_secret(&loaded.replica.device().to_secret())?;
    let log = loaded.replica.log().clone();
    let keys = loaded.replica.keys().clone();
    let mut listed = listing(remote)?;
    let total = todo.len();
    for (i, a) in todo.iter().enumerate() {
        let f = FileRef {
            space: log.space(),
            author: device.id(),
            author_seq: 0,
            id: &a.id,
            sha256: &a.sha256,
        };
        let mut sent = loaded.state.files_sent.remove(&a.id).unwrap_or_default();
        if let Some(first) = files::first_unlisted(&keys, &f, &sent, &listed) {
            sent.truncate(first);
        }
        progress(&format!(
            "Sending evidence file {} of {total} ({} KiB)",
            i + 1,
            a.size.div_ceil(1024)
        ));
        let reader = vault.reopen_attachment(&a.id)?;
        let id = a.id.clone();
        let result = files::upload(
            reader,
            &device,
            &keys,
            &log,
            remote,
            a,
            &mut sent,
            &mut |s| {
                loaded.state.files_sent.insert(id.clone(), s.to_vec());
                save(vault, loaded)
            },
        );
        loaded.state.files_sent.insert(a.id.clone(), sent.clone());
        save(vault, loaded)?;
        outcome.uploaded += result?;
        // A relay may drop a put and claim it stored it: only a file whose
        // every chunk is listed is announced.
        listed = listing(remote)?;
        if let Some(first) = files::first_unlisted(&keys, &f, &sent, &listed) {
            sent.truncate(first);
            loaded.state.files_sent.insert(a.id.clone(), sent);
            progress(
                "Part of an evidence file is missing on the remote; it is sent again at the next sync.",
            );
            continue;
        }
        let bytes = canonical_bytes(&AttachmentWire::of(a)?)?;
        let key = file_key(&a.id);
        loaded.replica.edit(&key, &bytes)?;
        loaded.agreed.insert(key, digest(&bytes));
        loaded.state.files_sent.remove(&a.id);
        outcome.files_sent += 1;
        save(vault, loaded)?;
    }
    Ok(())
}

/// Files in this vault every evidence file the replica announces and the
/// vault does not hold, streamed from its chunks on the remote. A file
/// whose chunks are not all there yet waits for a later sync; a damaged or
/// forged chunk, or bytes without the signed SHA-256, keep nothing and are
/// counted as refused (the next sync tries again).
fn receive_files(
    vault: &mut Vault,
    remote: &dyn Remote,
    loaded: &mut Loaded,
    outcome: &mut SyncOutcome,
    progress: &mut dyn FnMut(&str),
    changed: &mut bool,
) -> Result<()> {
    // Attachment records sort together (one prefix): only their range of
    // the replica is read, and only the pending ones are copied.
    let stored = InVault::of(vault, loaded.id);
    let mut pending: Vec<(String, Vec<u8>, crate::replica::VersionId)> = loaded
        .replica
        .currents_from(files::PREFIX)
        .take_while(|(k, _)| k.starts_with(files::PREFIX))
        .filter(|(k, v)| loaded.agreed.get(k).map(String::as_str) != Some(&hex(v.digest())))
        .map(|(k, v)| Ok((k.to_owned(), v.value(&stored)?.into_owned(), v.version)))
        .collect::<Result<_>>()?;
    // Originals before their working copies, so a copy names an original
    // already filed here.
    pending.sort_by_key(|(_, v, _)| {
        serde_json::from_slice::<AttachmentWire>(v).map_or(true, |w| w.derived_from.is_some())
    });
    if pending.is_empty() {
        return Ok(());
    }
    *changed = true;
    let in_space: BTreeSet<String> = vault.space_record_ids(loaded.id)?.into_iter().collect();
    let log = loaded.replica.log().clone();
    let keys = loaded.replica.keys().clone();
    let listed = listing(remote)?;
    for (key, current, author) in pending {
        let key = &key;
        let h = digest(&current);
        let id = &key[files::PREFIX.len()..];
        let Ok(wire) = serde_json::from_slice::<AttachmentWire>(&current) else {
            outcome.rejected.push(key.clone());
            continue;
        };
        if let Ok(held) = vault.attachment(id) {
            // Ours, or filed at a sync whose state was not saved.
            if held.sha256 == wire.sha256 && held.record_id == wire.record_id {
                loaded.agreed.insert(key.clone(), h);
            } else {
                outcome.rejected.push(key.clone());
            }
            continue;
        }
        // A member may attach only to its space's records.
        if !in_space.contains(&wire.record_id) {
            outcome.rejected.push(key.clone());
            continue;
        }
        let fp = fingerprint_of(&log, author.device);
        let actor = match vault.device_label(&fp)? {
            Some(label) => format!("{label} (device {fp})"),
            None => format!("device {fp}"),
        };
        progress(&format!(
            "Receiving an evidence file ({} KiB)",
            wire.size.div_ceil(1024)
        ));
        let spool = match vault.receive_spool(id) {
            Ok(spool) => spool,
            Err(e) if e.code() == casevault_core::ErrorCode::InvalidInput => {
                outcome.rejected.push(key.clone());
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let mut reader = ChunkReader::new(
            remote,
            &log,
            &keys,
            FileRef {
                space: log.space(),
                author: author.device,
                author_seq: author.seq,
                id,
                sha256: &wire.sha256,
            },
            &listed,
            wire.size,
            Some(&spool),
        );
        // The chunks kept go once the file is filed or refused; a file
        // that waits for chunks, or a remote that failed, keeps them for
        // the next sync. Removing them is best effort: one left behind is
        // ciphertext, shredded at the space's unload.
        match files::receive(vault, id, &wire, &mut reader, &actor) {
            Ok(()) => {
                loaded.agreed.insert(key.clone(), h);
                outcome.files_received += 1;
                outcome.applied += 1;
                let _ = spool.clear();
            }
            Err(Stop::Missing) => outcome.files_waiting += 1,
            Err(Stop::Refused(code)) => {
                outcome.refused.push(code);
                let _ = spool.clear();
            }
            Err(Stop::Remote(Error::Vault(e)))
                if e.code() == casevault_core::ErrorCode::InvalidInput =>
            {
                outcome.rejected.push(key.clone());
                let _ = spool.clear();
            }
            Err(Stop::Remote(e)) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::vault::new_vault;
    use casevault_core::ops::interchange;

    fn testimony(id: &str, statement: &str) -> serde_json::Value {
        serde_json::json!({
            "id": id, "case": "case-w", "person": "p-w", "language": "en",
            "mode": "in_person", "interviewer": "Caseworker", "statement": statement,
            "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                        "share_un": false, "share_media": false, "publish": false,
                        "anonymity": "pseudonym"},
        })
    }

    fn import(vault: &mut Vault, doc: serde_json::Value) {
        let mut doc = doc;
        doc["format"] = serde_json::json!(interchange::FORMAT);
        doc["version"] = serde_json::json!(1);
        let parsed = interchange::parse(&serde_json::to_vec(&doc).unwrap()).unwrap();
        interchange::import(vault, &parsed).unwrap();
    }

    fn statement(vault: &Vault, id: &str) -> serde_json::Value {
        vault.get_record(id).unwrap().unwrap().data["statement"].clone()
    }

    /// After a removal, which starts a new epoch, an evidence file's chunks
    /// are not sealed until the removal's log entry is read back: had it
    /// lost a fork, chunks sealed under its epoch would be refused by every
    /// member, and never sent again. Files are sent before the log is read
    /// (a file's details follow its chunks in the same sync), so the file
    /// leaves at the sync after the one that read the entry back.
    #[test]
    fn a_file_waits_for_the_entry_that_started_its_epoch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("remote")).unwrap();
        let remote = crate::remote::FolderRemote::open(&dir.path().join("remote")).unwrap();
        let mut a = new_vault(&dir.path().join("a"), "a");
        let mut b = new_vault(&dir.path().join("b"), "b");
        let mut c = new_vault(&dir.path().join("c"), "c");
        import(
            &mut a,
            serde_json::json!({
                "cases": [{"id": "case-w", "title": "Epoch", "status": "open",
                           "origin_country": "KZ", "host_countries": []}],
            }),
        );
        create_space(&mut a, "w", &["case-w".to_owned()]).unwrap();
        for (v, label) in [(&mut b, "B"), (&mut c, "C")] {
            let line = device_key(v).unwrap().public().line();
            add_member(&mut a, "w", &line, label).unwrap();
        }
        let mut quiet = |_: &str| {};
        for v in [&mut a, &mut b, &mut c] {
            sync(v, &remote, "r", &mut quiet).unwrap();
        }
        remove_member(&mut a, "w", "C").unwrap();
        let photo = dir.path().join("photo.jpg");
        std::fs::write(&photo, b"\xFF\xD8 a photo of the street").unwrap();
        a.attach(
            casevault_core::vault::attachments::AttachRequest {
                record_id: "case-w",
                source: &photo,
                derived_from: None,
                note: None,
            },
            |_, _| {},
        )
        .unwrap();

        // The first sync puts the removal, the second reads it back (after
        // its files were considered), the third sends the file.
        for round in 0..2 {
            let out = sync(&mut a, &remote, "r", &mut quiet).unwrap();
            assert_eq!(out.files_sent, 0, "round {round}: not read back yet");
        }
        let third = sync(&mut a, &remote, "r", &mut quiet).unwrap();
        assert_eq!(third.files_sent, 1);
        let got = sync(&mut b, &remote, "r", &mut quiet).unwrap();
        assert_eq!(got.files_received, 1);
        assert!(got.refused.is_empty());
    }

    /// The conflicts' labels quote case data (a witness's name): a space
    /// printed for a log or a panic leaves them out.
    #[test]
    fn a_space_s_debug_leaves_out_what_its_conflicts_quote() {
        let summary = SpaceSummary {
            name: "desk".into(),
            cases: vec!["case-1".into()],
            members: Vec::new(),
            epoch: 0,
            removed: false,
            last_sync_at: None,
            gaps: Vec::new(),
            conflicts: vec!["t-1".into()],
            conflict_labels: vec!["CANARY-LABEL Daniyar Moldashev".into()],
            unloaded: false,
        };
        let printed = format!("{summary:?}");
        assert!(printed.contains("t-1"), "{printed}");
        assert!(!printed.contains("CANARY-LABEL"), "{printed}");
    }

    /// A push reads only what the custody log names as changed since the
    /// last one (and what was never agreed): every kind of change still
    /// travels (an amend, a trash, a new record, a member's change), and
    /// nothing unchanged is sent again, nor a member's change sent back.
    #[test]
    fn a_push_from_its_watermark_sends_every_change_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("remote")).unwrap();
        let remote = crate::remote::FolderRemote::open(&dir.path().join("remote")).unwrap();
        let mut a = new_vault(&dir.path().join("a"), "a");
        let mut b = new_vault(&dir.path().join("b"), "b");
        import(
            &mut a,
            serde_json::json!({
                "cases": [{"id": "case-w", "title": "Watermark", "status": "open",
                           "origin_country": "KZ", "host_countries": []}],
                "persons": [{"id": "p-w", "case_roles": [{"case": "case-w", "role": "victim"}],
                             "names": [{"name": "Aigerim W", "kind": "primary"}]}],
                "testimonies": [testimony("t-w1", "one"), testimony("t-w2", "two")],
            }),
        );
        let b_line = device_key(&mut b).unwrap().public().line();
        create_space(&mut a, "w", &["case-w".to_owned()]).unwrap();
        add_member(&mut a, "w", &b_line, "B").unwrap();
        let mut quiet = |_: &str| {};
        let first = sync(&mut a, &remote, "r", &mut quiet).unwrap();
        assert_eq!(first.uploaded, 5, "the name and four records");
        assert_eq!(sync(&mut b, &remote, "r", &mut quiet).unwrap().applied, 4);
        let stored = a.space_named("w").unwrap();
        let loaded = load(&mut a, &stored).unwrap();
        assert!(loaded.state.pushed_through.is_some(), "a watermark kept");
        assert_eq!(sync(&mut a, &remote, "r", &mut quiet).unwrap().uploaded, 0);
        assert_eq!(sync(&mut b, &remote, "r", &mut quiet).unwrap().uploaded, 0);

        let mut data = a.get_record("t-w1").unwrap().unwrap().data;
        data["statement"] = serde_json::json!("one, amended");
        a.amend_record("t-w1", &data, "test").unwrap();
        a.trash_records(&["t-w2"], "test").unwrap();
        import(
            &mut a,
            serde_json::json!({"testimonies": [testimony("t-w3", "three")]}),
        );
        let sent = sync(&mut a, &remote, "r", &mut quiet).unwrap();
        assert_eq!(sent.uploaded, 3, "the amend, the trash, the new record");
        let got = sync(&mut b, &remote, "r", &mut quiet).unwrap();
        assert_eq!(got.applied, 3);
        assert_eq!(statement(&b, "t-w1"), "one, amended");
        assert!(b.get_record("t-w2").unwrap().unwrap().trashed_at.is_some());
        assert_eq!(statement(&b, "t-w3"), "three");
        assert_eq!(got.uploaded, 0, "what B applied is not sent back");

        let mut data = b.get_record("t-w3").unwrap().unwrap().data;
        data["statement"] = serde_json::json!("three, by B");
        b.amend_record("t-w3", &data, "test").unwrap();
        assert_eq!(sync(&mut b, &remote, "r", &mut quiet).unwrap().uploaded, 1);
        let got = sync(&mut a, &remote, "r", &mut quiet).unwrap();
        assert_eq!((got.applied, got.uploaded), (1, 0));
        assert_eq!(statement(&a, "t-w3"), "three, by B");
        assert_eq!(sync(&mut a, &remote, "r", &mut quiet).unwrap().uploaded, 0);
    }
}
