//! Evidence files and the custody log: attach, list, preview, save a copy,
//! the custody trail, and audit verify.
//!
//! Paths cross IPC as text the user typed or picked in the native dialog
//! (opened by Rust, so the webview never gets file-system access); the
//! files themselves never pass through the webview except as previews,
//! served from memory by [`crate::preview`].

use std::path::PathBuf;

use casevault_core::Error;
use casevault_core::vault::attachments::{AttachRequest, Attachment};
use casevault_core::vault::custody::{AuditReport, CustodyEntry};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::progress_reporter;
use crate::ipc::{IpcError, IpcResult};
use crate::state::AppState;

/// Which record's attachments.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct RecordAttachmentsRequest {
    /// Record id.
    pub record_id: String,
}

/// A file to attach.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AttachFileRequest {
    /// Record id.
    pub record_id: String,
    /// Full path of the file.
    pub path: String,
    /// The original, when this is a redacted or converted copy.
    pub derived_from: Option<String>,
    /// A note kept with it.
    pub note: Option<String>,
}

/// Which attachment.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AttachmentRequest {
    /// Attachment id.
    pub id: String,
}

/// Where to save a plaintext copy.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct SaveCopyRequest {
    /// Attachment id.
    pub id: String,
    /// Full path of the file to create.
    pub path: String,
}

/// What the native file dialog is for.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PickPathRequest {
    /// "open" to choose a file to attach, "save" to choose where a copy goes,
    /// "folder" to choose a folder (the sync folder).
    pub purpose: String,
    /// The file name suggested when saving.
    pub suggested_name: Option<String>,
}

/// An attachment opened for preview.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct Preview {
    /// The URL the webview loads it from (served from memory).
    pub url: String,
    /// What is known about it.
    pub attachment: Attachment,
}

/// Which custody entries.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CustodyRequest {
    /// A record or attachment id; all entries when absent.
    pub target: Option<String>,
}

/// How deep audit verify goes.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct AuditRequest {
    /// Skip decrypting and hashing every attachment.
    pub quick: bool,
}

fn full_path(text: &str, what: &str) -> Result<PathBuf, IpcError> {
    super::full_path(text, what, "/home/you/Documents/photo.jpg")
}

/// The attachments of one record.
#[tauri::command(async)]
pub fn attachments_list(
    state: State<'_, AppState>,
    req: RecordAttachmentsRequest,
) -> IpcResult<Vec<Attachment>> {
    state.with_vault(|v| v.attachments_of(&req.record_id))
}

/// Streams a file into the vault, encrypted; progress events "attach".
#[tauri::command(async)]
pub fn attachment_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: AttachFileRequest,
) -> IpcResult<Attachment> {
    let path = full_path(&req.path, "the file to attach")?;
    let progress = progress_reporter(&app, "attach");
    state.with_vault(|v| {
        v.attach(
            AttachRequest {
                record_id: &req.record_id,
                source: &path,
                derived_from: req.derived_from.as_deref(),
                note: req.note.as_deref().filter(|n| !n.trim().is_empty()),
            },
            progress,
        )
    })
}

/// Opens an attachment for preview (logged) and returns where to load it.
#[tauri::command(async)]
pub fn attachment_open(state: State<'_, AppState>, req: AttachmentRequest) -> IpcResult<Preview> {
    let attachment = state.with_vault(|v| {
        let a = v.attachment(&req.id)?;
        // Opening checks the header and key now, so a damaged file fails
        // here with its name rather than as a broken image. A file the
        // preview loads in one response (a photo, a scan) is read through
        // once as well, so that damage anywhere in it is named here too;
        // a long video is checked chunk by chunk as it plays.
        let reader = v.open_attachment(&req.id)?;
        if a.size <= crate::preview::MAX_RESPONSE {
            reader.verify()?;
        }
        Ok(a)
    })?;
    state.opened().insert(attachment.id.clone());
    Ok(Preview {
        url: crate::preview::url_for(&attachment.id),
        attachment,
    })
}

/// Saves a verified plaintext copy to a path the user chose (logged).
#[tauri::command(async)]
pub fn attachment_save_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: SaveCopyRequest,
) -> IpcResult<()> {
    let path = full_path(&req.path, "the copy to create")?;
    let progress = progress_reporter(&app, "save-copy");
    state.with_vault(|v| v.save_attachment_copy(&req.id, &path, progress))
}

/// Opens the native file dialog and returns the chosen path, or None when
/// the user cancelled. Only the path crosses to the webview.
#[tauri::command(async)]
pub fn path_pick<R: Runtime>(app: AppHandle<R>, req: PickPathRequest) -> IpcResult<Option<String>> {
    let dialog = app.dialog().file();
    let picked = match req.purpose.as_str() {
        "open" => dialog.blocking_pick_file(),
        // The Team view's sync folder (a USB stick, a synced folder).
        "folder" => dialog.blocking_pick_folder(),
        "save" => {
            let dialog = match req.suggested_name {
                Some(name) => dialog.set_file_name(name),
                None => dialog,
            };
            dialog.blocking_save_file()
        }
        other => {
            return Err(IpcError::from(Error::invalid(
                "purpose",
                casevault_core::model::problem::ProblemCode::NotOneOf
                    .with("value", other)
                    .with("allowed", "open, save, folder"),
            )));
        }
    };
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// The custody log, or the entries about one record or attachment.
#[tauri::command(async)]
pub fn custody_trail(
    state: State<'_, AppState>,
    req: CustodyRequest,
) -> IpcResult<Vec<CustodyEntry>> {
    state.with_vault(|v| v.custody_log(req.target.as_deref()))
}

/// Walks the custody chain and checks every record and attachment against
/// it; progress events "audit".
#[tauri::command(async)]
pub fn audit_verify<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: AuditRequest,
) -> IpcResult<AuditReport> {
    let progress = progress_reporter(&app, "audit");
    state.with_vault(|v| v.audit_verify(!req.quick, progress))
}
