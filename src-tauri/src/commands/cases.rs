//! Cases, people, incidents and testimonies: list, view, add.
//!
//! Additions go through the interchange import, so the app, the CLI and
//! file imports share one validation path: all or nothing, and errors that
//! name the record and field.

use std::path::Path;

use casevault_core::model::date::{DateView, FuzzyDate};
use casevault_core::model::vocab;
use casevault_core::ops::browse::{self, CaseDetail, CaseSummary};
use casevault_core::ops::interchange::{self, Document, ImportReport};
use casevault_core::vault::Vault;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use super::{full_path, progress_reporter};
use crate::ipc::IpcResult;
use crate::state::AppState;

/// An interchange file to import.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct ImportFileRequest {
    /// Its full path (typed, or chosen with `path_pick`).
    pub path: String,
}

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
    /// The same, taken apart, so the form can read it back in words.
    pub view: Option<DateView>,
    /// Why it did not parse.
    pub error: Option<String>,
    /// The same as a problem code and its parameters, which the form says
    /// in the UI's language (`error` is the English).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<casevault_core::model::problem::Problem>,
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

impl From<ImportReport> for AddReport {
    fn from(report: ImportReport) -> Self {
        AddReport {
            counts: report
                .counts
                .into_iter()
                .map(|(kind, count)| KindCount {
                    kind,
                    count: count as u32,
                })
                .collect(),
        }
    }
}

/// Adds records (a new case, a person, an incident…), validated as a whole.
#[tauri::command(async)]
pub fn records_add(state: State<'_, AppState>, req: Document) -> IpcResult<AddReport> {
    state.with_vault(|v| interchange::import(v, &req).map(AddReport::from))
}

/// Reads and checks an interchange file the way `casevault import` does:
/// bounded read, then the format's own parser. Nothing touches the vault.
fn read_document(path: &Path) -> casevault_core::Result<Document> {
    let bytes = casevault_core::input::read_file(
        path,
        casevault_core::input::MAX_INTERCHANGE_BYTES,
        "file",
        "an interchange file",
    )?;
    Ok(interchange::parse(&bytes)?)
}

/// The steps of a file import, reported as progress: read, checked, written.
const IMPORT_STEPS: u64 = 3;

/// Imports an interchange file (the shipped sample, a colleague's export)
/// through the same validated, all-or-nothing path as the CLI's `import`;
/// progress events "interchange-import".
#[tauri::command(async)]
pub fn interchange_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: ImportFileRequest,
) -> IpcResult<AddReport> {
    let path = full_path(
        &req.path,
        "the file to import",
        "/home/you/Documents/cases.json",
    )?;
    let progress = progress_reporter(&app, "interchange-import");
    state.with_vault(|v| import_file(v, &path, progress))
}

fn import_file(
    vault: &mut Vault,
    path: &Path,
    mut progress: impl FnMut(u64, u64),
) -> casevault_core::Result<AddReport> {
    progress(0, IMPORT_STEPS);
    let doc = read_document(path)?;
    progress(1, IMPORT_STEPS);
    let report = interchange::import(vault, &doc)?;
    progress(IMPORT_STEPS, IMPORT_STEPS);
    Ok(report.into())
}

/// Parses a date as typed, for inline validation.
#[tauri::command(async)]
pub fn date_check(req: DateRequest) -> IpcResult<DateCheck> {
    Ok(match req.text.parse::<FuzzyDate>() {
        Ok(d) => DateCheck {
            canonical: Some(d.to_string()),
            view: Some(d.view()),
            error: None,
            problem: None,
        },
        Err(e) => {
            let e = casevault_core::Error::from(e);
            DateCheck {
                canonical: None,
                view: None,
                problem: e.problems().first().cloned(),
                // The form labels the field itself; "date: " again would
                // read "date: date: …" under it.
                error: Some(match e {
                    casevault_core::Error::InvalidInput { problem, .. } => problem.message(),
                    other => other.to_string(),
                }),
            }
        }
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

#[cfg(test)]
mod tests {
    use casevault_core::ErrorCode;
    use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
    use casevault_core::secret::Passphrase;
    use casevault_core::vault::CreateOptions;

    use super::*;

    fn sample() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/kazakhstan-report.json")
    }

    fn new_vault(dir: &Path) -> Vault {
        let pass = Passphrase::from("import test passphrase: quartz meadow 2024");
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        Vault::create(
            dir,
            &pass,
            &options,
            casevault_core::Session::new("t", casevault_core::Clock::system()),
        )
        .unwrap()
        .0
    }

    #[test]
    fn the_shipped_sample_imports_with_counts_and_full_progress() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = new_vault(&dir.path().join("v"));
        let mut steps = Vec::new();
        let report = import_file(&mut vault, &sample(), |d, t| steps.push((d, t))).unwrap();
        assert_eq!(steps.first(), Some(&(0, IMPORT_STEPS)));
        assert_eq!(steps.last(), Some(&(IMPORT_STEPS, IMPORT_STEPS)));
        let doc = read_document(&sample()).unwrap();
        let cases = report.counts.iter().find(|k| k.kind == "case").unwrap();
        assert_eq!(cases.count as usize, doc.cases.len());
        assert_eq!(
            browse::case_summaries(&vault).unwrap().len(),
            doc.cases.len()
        );
    }

    #[test]
    fn a_file_with_one_bad_record_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = new_vault(&dir.path().join("v"));
        let mut doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
        // The last incident points at a case that does not exist.
        let incidents = doc["incidents"].as_array_mut().unwrap();
        incidents.last_mut().unwrap()["case"] = "no-such-case".into();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
        let err = import_file(&mut vault, &bad, |_, _| {}).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ImportRejected);
        assert!(browse::case_summaries(&vault).unwrap().is_empty());

        let not_json = dir.path().join("notes.txt");
        std::fs::write(&not_json, "not json").unwrap();
        let err = import_file(&mut vault, &not_json, |_, _| {}).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ImportRejected);
        assert!(browse::case_summaries(&vault).unwrap().is_empty());
    }

    #[test]
    fn a_refused_date_names_its_field_once() {
        let check = date_check(DateRequest {
            text: "March 2008 approx 22:30".into(),
        })
        .unwrap();
        assert!(check.canonical.is_none() && check.view.is_none());
        let why = check.error.unwrap();
        assert!(!why.starts_with("date:"), "{why}");

        let check = date_check(DateRequest {
            text: "about 22:30 on 1 December 1997".into(),
        })
        .unwrap();
        assert_eq!(check.canonical.as_deref(), Some("~1997-12-01T22:30"));
        let view = check.view.unwrap();
        assert!(view.approximate);
        assert_eq!(view.from.unwrap().hour, Some(22));
    }
}
