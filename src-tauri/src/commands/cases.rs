//! Cases, people, incidents and testimonies: list, view, add.
//!
//! Additions go through the interchange import, so the app, the CLI and
//! file imports share one validation path: all or nothing, and errors that
//! name the record and field.

use casevault_core::model::browse::{self, CaseDetail, CaseSummary};
use casevault_core::model::date::FuzzyDate;
use casevault_core::model::interchange::{self, Document};
use casevault_core::model::vocab;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::ipc::IpcResult;
use crate::state::AppState;

/// Which case.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct CaseRequest {
    /// Case id.
    pub id: String,
}

/// A date as typed in a form.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct DateRequest {
    /// What the user typed.
    pub text: String,
}

/// How a typed date was understood.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct DateCheck {
    /// The canonical form, when it parsed.
    pub canonical: Option<String>,
    /// Why it did not parse.
    pub error: Option<String>,
}

/// What an addition wrote.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct AddReport {
    /// Records written, by kind.
    pub counts: Vec<KindCount>,
}

/// A count of one kind.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct KindCount {
    /// Record kind.
    pub kind: String,
    /// How many.
    pub count: u32,
}

/// One vocabulary term, with labels.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct TermDto {
    /// Stable code.
    pub code: String,
    /// English label.
    pub en: String,
    /// Russian label.
    pub ru: String,
    /// Kazakh label.
    pub kk: String,
    /// Group, for grouped vocabularies.
    pub group: Option<String>,
}

/// One vocabulary.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct VocabularyDto {
    /// Its name.
    pub name: String,
    /// Its terms.
    pub terms: Vec<TermDto>,
}

/// The case list.
#[tauri::command(async)]
pub fn cases_list(state: State<'_, AppState>) -> IpcResult<Vec<CaseSummary>> {
    state.with_vault(|v| browse::case_summaries(v))
}

/// One case with its people, incidents, proceedings and testimonies.
#[tauri::command(async)]
pub fn case_get(state: State<'_, AppState>, req: CaseRequest) -> IpcResult<CaseDetail> {
    state.with_vault(|v| browse::case_detail(v, &req.id))
}

/// Adds records (a new case, a person, an incident…), validated as a whole.
#[tauri::command(async)]
pub fn records_add(state: State<'_, AppState>, req: Document) -> IpcResult<AddReport> {
    let actor = casevault_core::model::os_user_name();
    state.with_vault(|v| {
        let report = interchange::import(v, &req, &actor, chrono::Utc::now())?;
        Ok(AddReport {
            counts: report
                .counts
                .into_iter()
                .map(|(kind, count)| KindCount {
                    kind,
                    count: count as u32,
                })
                .collect(),
        })
    })
}

/// Parses a date as typed, for inline validation.
#[tauri::command(async)]
pub fn date_check(req: DateRequest) -> IpcResult<DateCheck> {
    Ok(match req.text.parse::<FuzzyDate>() {
        Ok(d) => DateCheck {
            canonical: Some(d.to_string()),
            error: None,
        },
        Err(e) => DateCheck {
            canonical: None,
            error: Some(e.to_string()),
        },
    })
}

/// The controlled vocabularies with their labels.
#[tauri::command(async)]
pub fn vocabularies() -> IpcResult<Vec<VocabularyDto>> {
    Ok(vocab::ALL
        .iter()
        .map(|v| VocabularyDto {
            name: v.name.to_owned(),
            terms: v
                .terms
                .iter()
                .map(|t| TermDto {
                    code: t.code.to_owned(),
                    en: t.en.to_owned(),
                    ru: t.ru.to_owned(),
                    kk: t.kk.to_owned(),
                    group: t.group.map(str::to_owned),
                })
                .collect(),
        })
        .collect())
}
