//! Changing records after they were written (amend, trash, restore), their
//! history, the pickers' lists, and form drafts kept inside the vault.

use casevault_core::model::records::{AnyRecord, Organisation, Source};
use casevault_core::ops::browse;
use casevault_core::ops::edit;
use casevault_core::ops::search::{self, PersonHit};
use casevault_core::vault::drafts::Draft;
use casevault_core::vault::{RecordVersion, TrashedRecord};
use serde::Deserialize;
use tauri::State;

use crate::ipc::IpcResult;
use crate::state::AppState;

/// An amendment: the whole record as it should now read, and why.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AmendRequest {
    /// The record, tagged with its kind.
    pub record: AnyRecord,
    /// Why it changes; kept in the history.
    pub reason: String,
}

/// A record to trash, and why.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct TrashRequest {
    /// Record id.
    pub id: String,
    /// Why; kept in the history.
    pub reason: String,
}

/// Which record.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RecordRequest {
    /// Record id.
    pub id: String,
}

/// What the person picker was given.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct FindRequest {
    /// What was typed.
    pub query: String,
}

/// A draft to keep.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DraftSaveRequest {
    /// Which form.
    pub key: String,
    /// Its fields.
    #[ts(type = "unknown")]
    pub data: serde_json::Value,
}

/// Which draft.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DraftRequest {
    /// Which form.
    pub key: String,
}

/// How many matches the person picker shows.
const PICKER_LIMIT: usize = 12;

/// Amends a record; returns its new version.
#[tauri::command(async)]
pub fn record_amend(state: State<'_, AppState>, req: AmendRequest) -> IpcResult<u32> {
    state.with_vault(|v| edit::amend(v, &req.record, &req.reason))
}

/// Moves a record (a case with what is only its own) to the trash.
#[tauri::command(async)]
pub fn record_trash(state: State<'_, AppState>, req: TrashRequest) -> IpcResult<()> {
    state.with_vault(|v| edit::trash(v, &req.id, &req.reason))
}

/// Restores a record and whatever was trashed with it.
#[tauri::command(async)]
pub fn record_restore(state: State<'_, AppState>, req: RecordRequest) -> IpcResult<u32> {
    state.with_vault(|v| edit::restore(v, &req.id))
}

/// Every version of a record, oldest first.
#[tauri::command(async)]
pub fn record_history(
    state: State<'_, AppState>,
    req: RecordRequest,
) -> IpcResult<Vec<RecordVersion>> {
    state.with_vault(|v| v.record_history(&req.id))
}

/// Everything in the trash.
#[tauri::command(async)]
pub fn trash_list(state: State<'_, AppState>) -> IpcResult<Vec<TrashedRecord>> {
    state.with_vault(|v| v.trashed_records())
}

/// People matching a name or alias, for the picker.
#[tauri::command(async)]
pub fn persons_find(state: State<'_, AppState>, req: FindRequest) -> IpcResult<Vec<PersonHit>> {
    state.with_vault(|v| search::find_persons(v, &req.query, PICKER_LIMIT))
}

/// Every organisation, for the perpetrator picker.
#[tauri::command(async)]
pub fn organisations_list(state: State<'_, AppState>) -> IpcResult<Vec<Organisation>> {
    state.with_vault(|v| browse::organisations(v))
}

/// Every source, for citing.
#[tauri::command(async)]
pub fn sources_list(state: State<'_, AppState>) -> IpcResult<Vec<Source>> {
    state.with_vault(|v| browse::sources(v))
}

/// Saves a form draft inside the vault.
#[tauri::command(async)]
pub fn draft_save(state: State<'_, AppState>, req: DraftSaveRequest) -> IpcResult<()> {
    state.with_vault(|v| v.save_draft(&req.key, &req.data))
}

/// A form draft, if one was saved.
#[tauri::command(async)]
pub fn draft_load(state: State<'_, AppState>, req: DraftRequest) -> IpcResult<Option<Draft>> {
    state.with_vault(|v| v.load_draft(&req.key))
}

/// Discards a form draft.
#[tauri::command(async)]
pub fn draft_discard(state: State<'_, AppState>, req: DraftRequest) -> IpcResult<()> {
    state.with_vault(|v| v.discard_draft(&req.key))
}
