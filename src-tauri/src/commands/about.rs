//! The About panel and UI preferences.

use casevault_core::build_info::CoreInfo;
use serde::Serialize;
use tauri::State;

use crate::ipc::IpcResult;
use crate::prefs::UiPrefs;
use crate::state::AppState;

/// What the About panel shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AboutInfo {
    /// The app's version.
    pub app_version: String,
    /// The Tauri version linked in.
    pub tauri_version: String,
    /// The core's versions and crypto choices.
    pub core: CoreInfo,
    /// Whether core dumps are off for this process.
    pub core_dumps_disabled: bool,
}

/// Versions and crypto choices, asked live of the linked libraries.
#[tauri::command(async)]
pub fn about() -> IpcResult<AboutInfo> {
    Ok(AboutInfo {
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        tauri_version: tauri::VERSION.to_owned(),
        core: casevault_core::build_info::core_info()?,
        core_dumps_disabled: casevault_core::harden::core_dumps_disabled(),
    })
}

/// The saved UI preferences.
#[tauri::command(async)]
pub fn prefs_get(state: State<'_, AppState>) -> IpcResult<UiPrefs> {
    Ok(state.prefs.load())
}

/// Saves UI preferences.
#[tauri::command(async)]
pub fn prefs_set(state: State<'_, AppState>, req: UiPrefs) -> IpcResult<UiPrefs> {
    state.prefs.save(&req)?;
    Ok(req)
}
