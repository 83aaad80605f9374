//! Self-reports and intake: the activist's guided report (answers saved at
//! every step, files, the NGO's key, seal, secure delete), the
//! organisation's inbox (receive, review, accept, reject), and quick exit.

use std::io::Read;

use casevault_core::Error;
use casevault_core::bundle::Language;
use casevault_core::bundle::intake::{self, AcceptInto, InboxItem, IntakeReview};
use casevault_core::bundle::seal::{self, SealReport, SealRequest};
use casevault_core::crypto::recipient::{fingerprint, parse_recipient};
use casevault_core::model::self_report::{self, Choice, ReportProblem, SCREENS, SelfReport};
use casevault_core::vault::self_reports::{ReportFile, ReportSummary, StoredReport};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};

use super::{EVENT_VAULT_LOCKED, progress_reporter};
use crate::ipc::{IpcError, IpcResult};
use crate::state::AppState;
use casevault_core::model::problem::ProblemCode;

/// Which report.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReportIdRequest {
    /// Report id.
    pub id: String,
}

/// The answers so far.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReportSaveRequest {
    /// Report id.
    pub id: String,
    /// The answers.
    pub answers: SelfReport,
}

/// A file to attach to a report.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReportAttachRequest {
    /// Report id.
    pub id: String,
    /// Full path of the file.
    pub path: String,
    /// "file", or "mvt" for a mobile verification toolkit report.
    pub kind: String,
}

/// Which file of which report.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReportFileRequest {
    /// Report id.
    pub id: String,
    /// File id.
    pub file_id: String,
}

/// Seal a report for an organisation.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReportSealRequest {
    /// Report id.
    pub id: String,
    /// The organisation: a contact id, or its intake key itself.
    pub recipient: String,
    /// The dossier's language.
    pub language: Language,
    /// Full path of the sealed file to create.
    pub path: String,
}

/// A public key to check before it is added.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct KeyCheckRequest {
    /// The key as pasted.
    pub key: String,
}

/// A file holding a public key.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct KeyFileRequest {
    /// Full path of the file.
    pub path: String,
}

/// A checked public key, with the fingerprint to compare out of band.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct KeyCheck {
    /// The key, normalised.
    pub key: String,
    /// "age" or "ssh-ed25519".
    pub kind: String,
    /// Its fingerprint.
    pub fingerprint: String,
}

/// One screen of the report wizard, with the answers its "what was it"
/// question offers.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct StepChoices {
    /// The screen's code: a questionnaire step, "review" or "seal".
    pub step: String,
    /// The answers, in the reporter's words, each with the act type it
    /// stands for; empty for screens without the question.
    pub choices: Vec<Choice>,
}

/// A file name the sealed report is about to get.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReportNameCheckRequest {
    /// Report id.
    pub id: String,
    /// The sealed file's full path or name, as typed.
    pub path: String,
}

/// A sealed report file to receive.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct IntakeFileRequest {
    /// Full path of the sealed report.
    pub path: String,
}

/// Which inbox entry.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct IntakeIdRequest {
    /// Bundle id.
    pub bundle_id: String,
}

/// Accept a report.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct IntakeAcceptRequest {
    /// Bundle id.
    pub bundle_id: String,
    /// An existing case, or null for a new one.
    pub case_id: Option<String>,
    /// The existing person who is the reporter, or null for a new person.
    pub person_id: Option<String>,
}

/// Reject a report.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct IntakeRejectRequest {
    /// Bundle id.
    pub bundle_id: String,
    /// Why.
    pub reason: String,
}

fn full_path(text: &str, example: &str) -> Result<std::path::PathBuf, IpcError> {
    super::full_path(text, "the file", example)
}

/// Every report, newest first.
#[tauri::command(async)]
pub fn reports_list(state: State<'_, AppState>) -> IpcResult<Vec<ReportSummary>> {
    state.with_vault(|v| v.reports())
}

/// Starts a report.
#[tauri::command(async)]
pub fn report_new(state: State<'_, AppState>) -> IpcResult<StoredReport> {
    state.with_vault(|v| v.create_report())
}

/// One report.
#[tauri::command(async)]
pub fn report_get(state: State<'_, AppState>, req: ReportIdRequest) -> IpcResult<StoredReport> {
    state.with_vault(|v| v.report(&req.id))
}

/// Saves the answers (every step).
#[tauri::command(async)]
pub fn report_save(state: State<'_, AppState>, req: ReportSaveRequest) -> IpcResult<ReportSummary> {
    state.with_vault(|v| v.save_report(&req.id, &req.answers))
}

/// What must be fixed before sealing, by step.
#[tauri::command(async)]
pub fn report_problems(
    state: State<'_, AppState>,
    req: ReportIdRequest,
) -> IpcResult<Vec<ReportProblem>> {
    state.with_vault(|v| Ok(v.report(&req.id)?.answers.problems()))
}

/// The wizard's screens in order (the one source of their count), with
/// the answers each step's "what was it" offers.
#[tauri::command(async)]
pub fn report_steps() -> IpcResult<Vec<StepChoices>> {
    Ok(SCREENS
        .iter()
        .map(|s| StepChoices {
            step: (*s).to_owned(),
            choices: self_report::section_choices(s),
        })
        .collect())
}

/// The names in the answers that a sealed file's name would give away, so
/// the reporter can pick a neutral name before sealing.
#[tauri::command(async)]
pub fn report_name_check(
    state: State<'_, AppState>,
    req: ReportNameCheckRequest,
) -> IpcResult<Vec<String>> {
    state.with_vault(|v| Ok(v.report(&req.id)?.answers.names_in_file_name(&req.path)))
}

/// Attaches a file to a report (hashed at intake, encrypted).
#[tauri::command(async)]
pub fn report_attach<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: ReportAttachRequest,
) -> IpcResult<ReportFile> {
    let example = if req.kind == "mvt" {
        "/home/me/mvt-results/detected.json"
    } else {
        "/home/me/Pictures/screenshot.png"
    };
    let path = full_path(&req.path, example)?;
    if req.kind != "file" && req.kind != "mvt" {
        return Err(Error::invalid(
            "kind",
            ProblemCode::NotOneOf
                .with("value", &req.kind)
                .with("allowed", "file, mvt"),
        )
        .into());
    }
    let progress = progress_reporter(&app, "report-attach");
    state.with_vault(|v| v.attach_to_report(&req.id, &path, &req.kind, progress))
}

/// Removes a file from a report.
#[tauri::command(async)]
pub fn report_file_remove(state: State<'_, AppState>, req: ReportFileRequest) -> IpcResult<()> {
    state.with_vault(|v| v.remove_report_file(&req.id, &req.file_id))
}

/// Seals a report for an organisation.
#[tauri::command(async)]
pub fn report_seal(state: State<'_, AppState>, req: ReportSealRequest) -> IpcResult<SealReport> {
    let out = full_path(&req.path, "/media/usb/report.cvb")?;
    state.with_vault(|v| {
        let key = v
            .resolve_recipients(std::slice::from_ref(&req.recipient))?
            .pop()
            .ok_or_else(|| Error::invalid("recipient", ProblemCode::NoRecipient))?;
        seal::seal(
            v,
            SealRequest {
                report_id: &req.id,
                intake_key: &key,
                language: req.language,
                out: &out,
            },
        )
    })
}

/// Deletes a report from this computer, securely; the sealed file stays.
#[tauri::command(async)]
pub fn report_delete(state: State<'_, AppState>, req: ReportIdRequest) -> IpcResult<()> {
    state.with_vault(|v| v.delete_report_securely(&req.id))
}

fn key_check(text: &str) -> casevault_core::Result<KeyCheck> {
    let (key, kind) = parse_recipient(text)?;
    Ok(KeyCheck {
        fingerprint: fingerprint(&key),
        key,
        kind: kind.to_owned(),
    })
}

/// Checks a pasted key and shows its fingerprint.
#[tauri::command(async)]
pub fn key_check_text(req: KeyCheckRequest) -> IpcResult<KeyCheck> {
    Ok(key_check(&req.key)?)
}

/// Reads a key from a file (the `.txt` or `.pub` the organisation
/// published) and shows its fingerprint.
#[tauri::command(async)]
pub fn key_check_file(req: KeyFileRequest) -> IpcResult<KeyCheck> {
    const MAX_KEY_FILE: u64 = 16 * 1024;
    let path = full_path(&req.path, "/media/usb/ngo-intake-key.txt")?;
    let file = std::fs::File::open(&path).map_err(|_| {
        Error::invalid(
            "file",
            ProblemCode::FileUnreadable.with("path", path.display()),
        )
    })?;
    let mut text = String::new();
    file.take(MAX_KEY_FILE + 1)
        .read_to_string(&mut text)
        .map_err(|_| {
            Error::invalid(
                "file",
                ProblemCode::FileNotText
                    .with("path", path.display())
                    .with("what", "a key file: one line starting age1… or ssh-ed25519"),
            )
        })?;
    if text.len() as u64 > MAX_KEY_FILE {
        return Err(Error::invalid(
            "file",
            ProblemCode::FileTooBigForKind
                .with("path", path.display())
                .with("max", "16 KiB")
                .with("what", "a key file"),
        )
        .into());
    }
    // A published key file may carry comment lines ("# created: …").
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    Ok(key_check(line)?)
}

/// Receives a sealed self-report into the inbox.
#[tauri::command(async)]
pub fn intake_receive(state: State<'_, AppState>, req: IntakeFileRequest) -> IpcResult<InboxItem> {
    let path = full_path(&req.path, "/media/usb/report.cvb")?;
    state.with_vault(|v| intake::receive(v, &path))
}

/// The inbox.
#[tauri::command(async)]
pub fn intake_list(state: State<'_, AppState>) -> IpcResult<Vec<InboxItem>> {
    state.with_vault(|v| intake::inbox(v))
}

/// One report with what helps to decide.
#[tauri::command(async)]
pub fn intake_review(state: State<'_, AppState>, req: IntakeIdRequest) -> IpcResult<IntakeReview> {
    state.with_vault(|v| intake::review(v, &req.bundle_id))
}

/// Accepts a report into a new or an existing case; returns the case id.
#[tauri::command(async)]
pub fn intake_accept<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: IntakeAcceptRequest,
) -> IpcResult<String> {
    let progress = progress_reporter(&app, "intake-accept");
    state.with_vault(|v| {
        intake::accept(
            v,
            &req.bundle_id,
            &AcceptInto {
                case_id: req.case_id.filter(|c| !c.is_empty()),
                person_id: req.person_id.filter(|p| !p.is_empty()),
            },
            progress,
        )
    })
}

/// Rejects a report with a reason.
#[tauri::command(async)]
pub fn intake_reject(state: State<'_, AppState>, req: IntakeRejectRequest) -> IpcResult<()> {
    state.with_vault(|v| intake::reject(v, &req.bundle_id, &req.reason))
}

/// Quick exit: hides the window, locks the vault and quits. For someone
/// who may be watched at home, the screen must be clear in an instant; the
/// app starts locked next time. Async, so that the event loop is free to
/// hide the window at once even while another command still holds the
/// vault (a long attachment), which locking stops.
#[tauri::command(async)]
pub fn quick_exit<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> IpcResult<()> {
    clear_for_exit(&app, &state);
    app.exit(0);
    Ok(())
}

/// Everything quick exit does before the process ends: hide, lock, tell
/// the webview, remove the webview's scratch files. Apart so that the UI's
/// test host, whose process must outlive the exit, runs the same steps.
pub fn clear_for_exit<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.hide();
    }
    state.lock();
    let _ = tauri::Emitter::emit(app, EVENT_VAULT_LOCKED, ());
    crate::window::remove_webview_scratch(app);
}
