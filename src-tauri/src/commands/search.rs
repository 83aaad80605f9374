//! Search, name matching, duplicates and merge, and cross-case analysis.

use casevault_core::model::records::Person;
use casevault_core::ops::edit;
use casevault_core::ops::search::{self, Analysis, Filters, PersonHit, SearchResults};
use serde::Deserialize;
use tauri::State;

use crate::ipc::IpcResult;
use crate::state::AppState;

/// A search from the search view.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct SearchRequest {
    /// Words, "a phrase", or a prefix*.
    pub text: String,
    /// Filters.
    pub filters: Filters,
    /// How many results.
    pub limit: u32,
}

/// Two persons found to be one.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct MergeRequest {
    /// The person who stays.
    pub keep: String,
    /// The person merged into them (goes to the trash).
    pub other: String,
    /// Why they are the same person.
    pub reason: String,
}

/// The most results one search returns.
const MAX_RESULTS: u32 = 200;

/// Full-text search with filters.
#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, req: SearchRequest) -> IpcResult<SearchResults> {
    let limit = req.limit.clamp(1, MAX_RESULTS) as usize;
    state.with_vault(|v| search::search(v, &req.text, &req.filters, limit))
}

/// People who may be the same as a person about to be added.
#[tauri::command(async)]
pub fn person_duplicates(state: State<'_, AppState>, req: Person) -> IpcResult<Vec<PersonHit>> {
    state.with_vault(|v| search::possible_duplicates(v, &req))
}

/// Merges two persons, keeping both histories.
#[tauri::command(async)]
pub fn persons_merge(state: State<'_, AppState>, req: MergeRequest) -> IpcResult<()> {
    state.with_vault(|v| edit::merge_persons(v, &req.keep, &req.other, &req.reason))
}

/// Counts and a timeline across cases for the filters.
#[tauri::command(async)]
pub fn analysis(state: State<'_, AppState>, req: Filters) -> IpcResult<Analysis> {
    state.with_vault(|v| search::analyse(v, &req))
}
