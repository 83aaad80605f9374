//! The export wizard's redaction review: what will be replaced, what may
//! still identify a protected person, and which files carry metadata.

use serde::Deserialize;
use tauri::State;

use casevault_core::bundle::redact::ExtraProtection;
use casevault_core::bundle::review::{self, RedactionReview};

use crate::ipc::IpcResult;
use crate::state::AppState;

/// The cases to review, with the persons already chosen to protect too.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ReviewRequest {
    /// Case ids.
    pub case_ids: Vec<String>,
    /// Related persons to pseudonymise in this export as well.
    #[serde(default)]
    #[ts(optional)]
    pub extra_protected: Option<Vec<ExtraProtection>>,
}

/// Reviews the export of the chosen cases before anything is written.
#[tauri::command(async)]
pub fn export_review(state: State<'_, AppState>, req: ReviewRequest) -> IpcResult<RedactionReview> {
    state.with_vault(|v| {
        review::review(
            v,
            &req.case_ids,
            req.extra_protected.as_deref().unwrap_or_default(),
        )
    })
}
