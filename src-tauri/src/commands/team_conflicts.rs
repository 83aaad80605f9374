//! Conflict review in the Team view (issue 18): a space's records with
//! concurrent versions, side by side, and the person's choice written as
//! a version over all of them. The merge and every check are the sync
//! crate's ([`casevault_sync::review`]); these commands only carry them.

use casevault_sync::merge::Side;
use casevault_sync::review::{self, ConflictDetail, FieldDiff, HeadDetail, Resolution};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::State;

use super::team::with_spaces;
use crate::ipc::IpcResult;
use crate::state::AppState;

/// One concurrent version of a record.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct ConflictVersionView {
    /// Its number, from 1, in the order every replica shows (the version
    /// the vault currently shows is the last).
    pub number: u32,
    /// Its author's device fingerprint, grouped in fours.
    pub fingerprint: String,
    /// The name this vault gave that device, if any.
    pub label: Option<String>,
    /// This vault's own device wrote it.
    pub this_device: bool,
    /// The record's data in this version.
    #[ts(type = "Record<string, unknown>")]
    pub data: Value,
    /// This version has the record in the trash.
    pub trashed: bool,
}

/// Where a line of a long text's diff is.
#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LineSide {
    /// In both versions.
    Both,
    /// Only in the left (first) version.
    Left,
    /// Only in the right (last) version.
    Right,
}

/// A line of a long text's diff.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct DiffLineView {
    /// Which version has it.
    pub side: LineSide,
    /// The line, without its line break.
    pub text: String,
}

/// A field the versions disagree on.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct ConflictFieldView {
    /// The field's name in the record's data.
    pub field: String,
    /// Its value in each version, in order; null where it is absent.
    #[ts(type = "Array<unknown>")]
    pub values: Vec<Option<Value>>,
    /// For each version, whether it changed the field.
    pub changed: Vec<bool>,
    /// A long text (a statement, a description), shown as a line diff.
    pub long_text: bool,
    /// For a long text: its lines from the first version to the last.
    pub lines: Vec<DiffLineView>,
    /// Both sides changed it in overlapping ways: the merge cannot be used.
    pub conflict: bool,
}

/// A record with concurrent versions, for review.
#[derive(Clone, Serialize, ts_rs::TS)]
pub struct ConflictView {
    /// The record's id.
    pub record: String,
    /// Its kind.
    pub kind: String,
    /// Its versions, side by side.
    pub versions: Vec<ConflictVersionView>,
    /// The proposed merge's data.
    #[ts(type = "Record<string, unknown>")]
    pub merged: Value,
    /// The fields the merge cannot settle; empty when it can be used.
    pub conflicting: Vec<String>,
    /// The fields the versions disagree on.
    pub fields: Vec<ConflictFieldView>,
    /// The record in words, for the dialog's title.
    pub label: String,
    /// Names these versions; sent back with the choice, which is refused
    /// (`conflict_changed`) if a sync brought another version meanwhile.
    pub heads_digest: String,
}

macro_rules! redacted_debug {
    ($t:ty, $name:literal, $($field:ident),*) => {
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct($name)
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    };
}
redacted_debug!(
    ConflictVersionView,
    "ConflictVersionView",
    number,
    this_device
);
redacted_debug!(DiffLineView, "DiffLineView", side);
redacted_debug!(ConflictFieldView, "ConflictFieldView", field, conflict);
redacted_debug!(ConflictView, "ConflictView", record, kind, conflicting);

/// A space whose conflicts to list.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ConflictsRequest {
    /// The space's name.
    pub space: String,
}

/// What the person chose.
#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ConflictChoice {
    /// Keep the version with this number.
    Keep(u32),
    /// Use the proposed merge.
    Merged,
    /// Use this data.
    Edited(#[ts(type = "Record<string, unknown>")] Value),
}

impl std::fmt::Debug for ConflictChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConflictChoice::Keep(n) => write!(f, "Keep({n})"),
            ConflictChoice::Merged => f.write_str("Merged"),
            ConflictChoice::Edited(_) => f.write_str("Edited(<redacted>)"),
        }
    }
}

/// A conflict to resolve.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ConflictResolveRequest {
    /// The space's name.
    pub space: String,
    /// The record's id.
    pub record: String,
    /// What to write.
    pub choice: ConflictChoice,
    /// The `heads_digest` of the versions the person reviewed.
    pub heads_digest: String,
}

fn field_view(f: FieldDiff) -> ConflictFieldView {
    ConflictFieldView {
        field: f.field,
        values: f.values,
        changed: f.changed,
        long_text: f.long_text,
        lines: f
            .lines
            .into_iter()
            .map(|(side, text)| DiffLineView {
                side: match side {
                    Side::Both => LineSide::Both,
                    Side::Left => LineSide::Left,
                    Side::Right => LineSide::Right,
                },
                text,
            })
            .collect(),
        conflict: f.conflict,
    }
}

fn version_view(h: HeadDetail) -> ConflictVersionView {
    ConflictVersionView {
        number: u32::try_from(h.number).unwrap_or(u32::MAX),
        fingerprint: h.fingerprint,
        label: h.label,
        this_device: h.this_device,
        data: h.data,
        trashed: h.trashed,
    }
}

fn view(c: ConflictDetail) -> ConflictView {
    ConflictView {
        record: c.record,
        kind: c.kind,
        versions: c.heads.into_iter().map(version_view).collect(),
        merged: c.merged,
        conflicting: c.conflicting,
        fields: c.fields.into_iter().map(field_view).collect(),
        heads_digest: c.heads_digest,
        label: c.label,
    }
}

/// The records of a space with concurrent versions, for review.
#[tauri::command(async)]
pub fn space_conflicts(
    state: State<'_, AppState>,
    req: ConflictsRequest,
) -> IpcResult<Vec<ConflictView>> {
    with_spaces(&state, |v| {
        Ok(review::conflicts(v, &req.space)?
            .into_iter()
            .map(view)
            .collect())
    })
}

/// Writes the person's choice for a conflict (here now; at every member at
/// their next sync) and returns the space's conflicts left.
#[tauri::command(async)]
pub fn space_conflict_resolve(
    state: State<'_, AppState>,
    req: ConflictResolveRequest,
) -> IpcResult<Vec<ConflictView>> {
    let resolution = match req.choice {
        ConflictChoice::Keep(n) => Resolution::Keep(n as usize),
        ConflictChoice::Merged => Resolution::Merged,
        ConflictChoice::Edited(data) => Resolution::Edited(data),
    };
    with_spaces(&state, |v| {
        review::resolve(
            v,
            &req.space,
            &req.record,
            resolution,
            Some(&req.heads_digest),
        )?;
        Ok(review::conflicts(v, &req.space)?
            .into_iter()
            .map(view)
            .collect())
    })
}
