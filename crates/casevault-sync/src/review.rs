//! Reviewing a space's conflicts: what each concurrent version holds, the
//! merge [`crate::merge`] proposes, and writing the person's choice as a
//! version over every head ([`Replica::resolve`](crate::replica::Replica::resolve)),
//! which ends the conflict here now and on every replica at their next
//! sync.
//!
//! A resolution goes through the vault's write path like a member's
//! change (the same checks, a custody entry), under this vault's own
//! actor: a person here chose it.

use casevault_core::crypto::fingerprint;
use casevault_core::model::interchange::Document;
use casevault_core::model::problem::{ProblemCode, not_found};
use casevault_core::ops::edit;
use casevault_core::vault::Vault;
use serde::Serialize;
use serde_json::Value;

use crate::merge;
use crate::replica::VersionId;
use crate::spaces::{
    self, InVault, Loaded, Received, RecordWire, any_record, apply_record_as_author, digest,
    fingerprint_of, problem, stored_wire,
};
use crate::{Error, Result, files};

/// One concurrent version of a record in conflict.
#[derive(Clone, Serialize)]
pub struct HeadDetail {
    /// Its number in the review, from 1, in the replica's total order (the
    /// current one, shown in the vault, last).
    pub number: usize,
    /// Its author's device fingerprint, grouped in fours.
    pub fingerprint: String,
    /// The name this vault gave that device, if any.
    pub label: Option<String>,
    /// Whether this device wrote it.
    pub this_device: bool,
    /// The record's data in this version.
    pub data: Value,
    /// Whether this version has the record in the trash.
    pub trashed: bool,
}

impl std::fmt::Debug for HeadDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadDetail")
            .field("number", &self.number)
            .field("fingerprint", &self.fingerprint)
            .field("this_device", &self.this_device)
            .finish_non_exhaustive()
    }
}

/// One field the versions of a conflict disagree on.
#[derive(Clone, Serialize)]
pub struct FieldDiff {
    /// The field (a top-level key of the record's data).
    pub field: String,
    /// Its value in each version, in order; None where it is absent.
    pub values: Vec<Option<Value>>,
    /// For each version, whether it changed the field from the base
    /// (every version that differs, when no base is known).
    pub changed: Vec<bool>,
    /// Whether it is a long text, merged line by line.
    pub long_text: bool,
    /// For a long text: its lines from the first version to the last,
    /// each marked with its side.
    pub lines: Vec<(merge::Side, String)>,
    /// Whether the proposed merge cannot settle it.
    pub conflict: bool,
}

impl std::fmt::Debug for FieldDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldDiff")
            .field("field", &self.field)
            .field("changed", &self.changed)
            .field("long_text", &self.long_text)
            .field("conflict", &self.conflict)
            .finish_non_exhaustive()
    }
}

/// A record of a space with concurrent versions, for review.
#[derive(Clone, Serialize)]
pub struct ConflictDetail {
    /// The record's id.
    pub record: String,
    /// Its kind.
    pub kind: String,
    /// Its concurrent versions, in the replica's total order.
    pub heads: Vec<HeadDetail>,
    /// The version they all descend from, if this replica holds it.
    pub base: Option<Value>,
    /// The proposed merge.
    pub merged: Value,
    /// The fields the merge cannot settle (both sides changed them in
    /// overlapping ways); empty if the merge can be used as it is.
    pub conflicting: Vec<String>,
    /// The fields the versions disagree on, by name.
    pub fields: Vec<FieldDiff>,
    /// The record in words ("Daniyar Moldashev · 2012-03-12 · “I was…”"),
    /// as the version shown now has it; its id when it has none.
    pub label: String,
    /// Names these very versions: [`resolve`] given it refuses once a
    /// sync has brought another version (or a resolution) meanwhile, so a
    /// choice is never applied to versions the person did not see.
    pub heads_digest: String,
}

impl std::fmt::Debug for ConflictDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConflictDetail")
            .field("record", &self.record)
            .field("kind", &self.kind)
            .field("heads", &self.heads.len())
            .field("conflicting", &self.conflicting)
            .finish_non_exhaustive()
    }
}

/// What a person chose for a conflict.
#[derive(Clone, PartialEq)]
pub enum Resolution {
    /// Keep this version (its [`HeadDetail::number`], from 1).
    Keep(usize),
    /// Use the proposed merge; refused while a field conflicts.
    Merged,
    /// Use this data, edited by the person.
    Edited(Value),
}

impl std::fmt::Debug for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resolution::Keep(n) => write!(f, "Keep({n})"),
            Resolution::Merged => f.write_str("Merged"),
            Resolution::Edited(_) => f.write_str("Edited(<redacted>)"),
        }
    }
}

/// A conflict as the replica holds it: the heads' wires, in order, with
/// their versions, and the base's.
struct Heads {
    heads: Vec<(VersionId, RecordWire)>,
    base: Option<RecordWire>,
}

fn heads_of(vault: &Vault, loaded: &Loaded, id: &str) -> Result<Option<Heads>> {
    let stored = InVault::of(vault, loaded.id);
    let heads: Vec<(VersionId, RecordWire)> = loaded
        .replica
        .heads(id, &stored)?
        .into_iter()
        .filter_map(|(v, bytes)| Some((v, serde_json::from_slice(&bytes).ok()?)))
        .collect();
    if heads.len() < 2 {
        return Ok(None);
    }
    let base = loaded
        .replica
        .merge_base(id, &stored)?
        .and_then(|(_, bytes)| serde_json::from_slice::<RecordWire>(&bytes).ok());
    Ok(Some(Heads { heads, base }))
}

impl Heads {
    fn kind(&self) -> &str {
        self.heads.last().map_or("", |(_, w)| w.kind.as_str())
    }

    fn merged(&self) -> merge::Merged {
        let data: Vec<&Value> = self.heads.iter().map(|(_, w)| &w.data).collect();
        merge::merge(self.kind(), self.base.as_ref().map(|b| &b.data), &data)
    }

    fn fields(&self, conflicting: &[String]) -> Vec<FieldDiff> {
        let mut names: Vec<&String> = self
            .heads
            .iter()
            .filter_map(|(_, w)| w.data.as_object())
            .flat_map(|o| o.keys())
            .collect();
        names.sort();
        names.dedup();
        let base = self.base.as_ref().and_then(|b| b.data.as_object());
        let mut out = Vec::new();
        for name in names {
            let values: Vec<Option<&Value>> =
                self.heads.iter().map(|(_, w)| w.data.get(name)).collect();
            if values.iter().all(|v| *v == values[0]) {
                continue;
            }
            let in_base = base.map(|b| b.get(name));
            let changed = values
                .iter()
                .map(|v| in_base.is_none_or(|b| b != *v))
                .collect();
            let long_text = merge::is_long_text(self.kind(), name, &values);
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
            let lines = match (long_text, values.first(), values.last()) {
                (true, Some(l), Some(r)) => merge::line_diff(&text(*l), &text(*r)),
                _ => Vec::new(),
            };
            out.push(FieldDiff {
                field: name.clone(),
                values: values.iter().map(|v| v.cloned()).collect(),
                changed,
                long_text,
                lines,
                conflict: conflicting.contains(name),
            });
        }
        out
    }

    /// The trash flag merged like a field; undecidable, the current one.
    fn trashed(&self) -> bool {
        let current = self.heads.last().is_some_and(|(_, w)| w.trashed);
        let Some(base) = &self.base else {
            return current;
        };
        let changed: Vec<bool> = self
            .heads
            .iter()
            .map(|(_, w)| w.trashed)
            .filter(|t| *t != base.trashed)
            .collect();
        changed.first().copied().unwrap_or(base.trashed)
    }
}

fn is_shared_record(id: &str) -> bool {
    id != spaces::META && !id.starts_with(files::PREFIX)
}

fn loaded_space(vault: &mut Vault, space: &str) -> Result<Loaded> {
    let stored = vault.space_named(space)?;
    let loaded = spaces::load(vault, &stored)?;
    if loaded.state.unloaded {
        return Err(problem(ProblemCode::SpaceUnloaded.with("name", space)));
    }
    Ok(loaded)
}

/// The records of `space` with concurrent versions, each with its
/// versions, their common ancestor and the proposed merge. Refused for a
/// space that does not exist or is unloaded from this device.
pub fn conflicts(vault: &mut Vault, space: &str) -> Result<Vec<ConflictDetail>> {
    let loaded = loaded_space(vault, space)?;
    let me = loaded.replica.id();
    let log = loaded.replica.log().clone();
    let mut out = Vec::new();
    let conflicted: Vec<String> = loaded.replica.conflicted().map(str::to_owned).collect();
    for id in conflicted {
        if !is_shared_record(&id) {
            continue;
        }
        let Some(h) = heads_of(vault, &loaded, &id)? else {
            continue;
        };
        let merged = h.merged();
        let mut heads = Vec::new();
        for (i, (v, wire)) in h.heads.iter().enumerate() {
            let fp = fingerprint_of(&log, v.device);
            heads.push(HeadDetail {
                number: i + 1,
                label: vault.device_label(&fp)?,
                fingerprint: fingerprint::grouped(&fp),
                this_device: v.device == me,
                data: wire.data.clone(),
                trashed: wire.trashed,
            });
        }
        let fields = h.fields(&merged.conflicts);
        out.push(ConflictDetail {
            label: label_of(vault, &id)?,
            heads_digest: spaces::heads_digest(&loaded.replica, &id),
            fields,
            record: id.clone(),
            kind: h.kind().to_owned(),
            heads,
            base: h.base.as_ref().map(|b| b.data.clone()),
            merged: merged.data,
            conflicting: merged.conflicts,
        });
    }
    Ok(out)
}

/// The record in words, as the vault shows it now, with the person a
/// testimony is by (see [`casevault_core::bundle::redact::record_label`]).
pub(crate) fn label_of(vault: &Vault, id: &str) -> Result<String> {
    let Some(stored) = vault.get_record(id)? else {
        return Ok(id.to_owned());
    };
    let Some(record) = any_record(&stored.kind, &stored.data) else {
        return Ok(id.to_owned());
    };
    let person = match &record {
        casevault_core::model::records::AnyRecord::Testimony(t) => vault.get_record(&t.person)?,
        _ => None,
    };
    let mut doc = Document::single(record);
    if let Some(p) = person.and_then(|p| serde_json::from_value(p.data).ok()) {
        doc.persons.push(p);
    }
    Ok(
        casevault_core::bundle::redact::record_label(&doc, &stored.kind, id)
            .unwrap_or_else(|| id.to_owned()),
    )
}

/// Writes the person's choice for a record in conflict: validated and
/// written through the vault's write path as a member's change would be,
/// then handed to the replica as a version over every head, and taken off
/// the space's conflict list here. The next sync carries it to the
/// others. Refused, with nothing changed: a space that does not exist or
/// is unloaded, a record with no conflict (any more), a version number
/// that is not one of the heads, a merge with conflicting fields, data
/// that is not a valid record of the same kind and id, or a device that
/// was removed from the space; and, given the [`ConflictDetail::heads_digest`]
/// of what the person reviewed, versions that changed since.
pub fn resolve(
    vault: &mut Vault,
    space: &str,
    record: &str,
    resolution: Resolution,
    reviewed: Option<&str>,
) -> Result<()> {
    let mut loaded = loaded_space(vault, space)?;
    if !is_shared_record(record) || loaded.replica.head_ids(record).is_empty() {
        return Err(Error::Vault(casevault_core::Error::invalid(
            "record",
            not_found("record", record),
        )));
    }
    let Some(h) = heads_of(vault, &loaded, record)? else {
        return Err(problem(ProblemCode::NotInConflict.with("id", record)));
    };
    if reviewed.is_some_and(|k| k != spaces::heads_digest(&loaded.replica, record)) {
        return Err(problem(ProblemCode::ConflictChanged.with("id", record)));
    }
    if loaded.replica.removed() {
        return Err(Error::NotMember);
    }
    let kind = h.kind().to_owned();
    // Data the person typed is this vault's own edit; a version kept or
    // merged is a member's, checked like any the sync receives.
    let own_edit = matches!(resolution, Resolution::Edited(_));
    let wire = match resolution {
        Resolution::Keep(n) => {
            let Some((_, w)) = n.checked_sub(1).and_then(|i| h.heads.get(i)) else {
                return Err(Error::Vault(casevault_core::Error::invalid(
                    "keep",
                    ProblemCode::OutOfRange
                        .with("min", 1)
                        .with("max", h.heads.len()),
                )));
            };
            RecordWire {
                kind: w.kind.clone(),
                data: w.data.clone(),
                trashed: w.trashed,
            }
        }
        Resolution::Merged => {
            let m = h.merged();
            if !m.conflicts.is_empty() {
                return Err(problem(
                    ProblemCode::MergeOverlaps
                        .with("id", record)
                        .with("fields", m.conflicts.join(", ")),
                ));
            }
            RecordWire {
                kind,
                data: m.data,
                trashed: h.trashed(),
            }
        }
        Resolution::Edited(data) => RecordWire {
            kind,
            data,
            trashed: h.trashed(),
        },
    };
    check(vault, record, &wire)?;
    let mut received = Received::of(loaded.id, &vault.space_record_ids(loaded.id)?);
    if own_edit {
        received = received.for_own_edit();
    }
    apply_record_as_author(
        vault,
        loaded.id,
        record,
        &wire,
        &loaded.replica,
        &mut received,
    )?;
    // The vault's own spelling of what it now holds, so the next push
    // finds nothing new to send.
    let bytes = stored_wire(vault, record)?
        .ok_or_else(|| Error::Internal("a resolved record vanished".into()))?;
    loaded.replica.resolve(record, &bytes)?;
    loaded.agreed.insert(record.to_owned(), digest(&bytes));
    loaded.state.heads_written.remove(record);
    spaces::save(vault, &mut loaded)?;
    vault.clear_space_conflict(loaded.id, record)?;
    Ok(())
}

/// The checks [`apply_record_as_author`] and the vault's amend make,
/// before anything is written: the data is a record of its kind under
/// this id, and valid as an import would be (references included).
fn check(vault: &Vault, id: &str, wire: &RecordWire) -> Result<()> {
    let record = edit::record_from_data(&wire.kind, id, &wire.data)?;
    Ok(edit::check_amendment(vault, &record)?)
}
