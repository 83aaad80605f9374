//! Tauri commands: thin wrappers that lock state, call the core and map the
//! error. Request and response types here are the IPC DTOs.

pub mod about;
pub mod bundles;
pub mod cases;
pub mod evidence;
pub mod export;
pub mod intake;
pub mod paths;
pub mod records;
pub mod search;
pub mod team;
pub mod team_conflicts;
pub mod vault;

use std::path::PathBuf;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};

use crate::ipc::IpcError;

/// Event carrying progress of long work.
pub const EVENT_PROGRESS: &str = "progress";
/// Event sent when the backend locks the vault.
pub const EVENT_VAULT_LOCKED: &str = "vault-locked";

/// Progress of a long task, for the UI's progress bar.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProgressEvent {
    /// Which task ("backup", …).
    pub task: String,
    /// Units done.
    #[ts(type = "number")]
    pub done: u64,
    /// Units in all.
    #[ts(type = "number")]
    pub total: u64,
}

/// Reports progress to the webview, at most every `step` units, so a big
/// task does not flood IPC.
pub(crate) fn progress_reporter<R: Runtime>(
    app: &AppHandle<R>,
    task: &'static str,
) -> impl FnMut(u64, u64) + use<R> {
    let app = app.clone();
    let mut last = None;
    move |done, total| {
        let pct = (done * 100).checked_div(total).unwrap_or(100);
        if last != Some(pct) {
            last = Some(pct);
            let _ = app.emit(
                EVENT_PROGRESS,
                ProgressEvent {
                    task: task.to_owned(),
                    done,
                    total,
                },
            );
        }
    }
}

/// A path typed or picked by the user: it must be absolute, because the
/// app's working directory means nothing to them. `what` and `example`
/// make the error say which file and how it looks.
pub(crate) fn full_path(text: &str, what: &str, example: &str) -> Result<PathBuf, IpcError> {
    let path = PathBuf::from(text.trim());
    if path.as_os_str().is_empty() || !path.is_absolute() {
        return Err(IpcError::from(casevault_core::Error::invalid(
            "path",
            casevault_core::model::problem::ProblemCode::PathNotAbsolute
                .with("what", what)
                .with("example", example),
        )));
    }
    Ok(path)
}
