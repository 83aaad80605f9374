//! Runs the contract cases (`tests/contract/*.json`) against the real IPC
//! handler, through Tauri's test harness, each on a fresh vault in a
//! temporary directory. The UI's component tests run the same cases through
//! the app's command table and the command host (`ui/src/lib/
//! contractHost.test.ts`), so both ends of the IPC are held to them.
//!
//! A case is a seed (part of an interchange document, imported first), then
//! steps: a command by its IPC name, its request, and either the expected
//! result or the expected error code and problems. Expected values are
//! matched as a subset of what came back (see [`matches`]), so a case names
//! what it is about and not every timestamp.

use std::path::{Path, PathBuf};

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Vault};
use serde::Deserialize;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context};
use tauri::webview::InvokeRequest;

use crate::prefs::PrefsStore;
use crate::state::AppState;

/// One contract case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case is about, for the failure message.
    about: String,
    /// Records in the vault before the steps: a partial interchange
    /// document, completed like a `records_add` request.
    #[serde(default)]
    seed: Option<Value>,
    steps: Vec<Step>,
}

/// One command and what it must answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    about: String,
    /// The command's IPC name (`records_add`).
    command: String,
    /// Its request; absent for a command without one.
    #[serde(default)]
    request: Option<Value>,
    /// The expected result, matched as a subset; absent with `error`, and
    /// absent for "succeeds, whatever it returns".
    #[serde(default)]
    result: Option<Value>,
    /// The expected failure.
    #[serde(default)]
    error: Option<ExpectedError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    /// The ErrorCode.
    code: String,
    /// The problems, each matched as a subset, in order; absent means
    /// "any".
    #[serde(default)]
    problems: Option<Vec<Value>>,
    /// Parameters of the error, matched as a subset.
    #[serde(default)]
    params: Option<Value>,
}

/// The cases' directory.
fn contract_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract")
}

/// A partial interchange document made whole, as both runners do.
fn document(partial: &Value) -> Value {
    let mut doc = json!({
        "format": "casevault-interchange",
        "version": 1,
        "cases": [], "persons": [], "organisations": [], "incidents": [],
        "proceedings": [], "sources": [], "testimonies": [], "interventions": [],
    });
    if let (Some(doc), Some(parts)) = (doc.as_object_mut(), partial.as_object()) {
        for (k, v) in parts {
            doc.insert(k.clone(), v.clone());
        }
    }
    doc
}

/// Whether `actual` holds everything `expected` says: objects by the keys
/// `expected` names (a `null` matches an absent key), arrays element by
/// element with the same length, anything else by equality. Returns where
/// they differ.
fn matches(expected: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().try_for_each(|(k, v)| {
            let here = format!("{at}.{k}");
            match a.get(k) {
                Some(got) => matches(v, got, &here),
                None if v.is_null() => Ok(()),
                None => Err(format!("{here}: missing, expected {v}")),
            }
        }),
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{at}: {} item(s), expected {}: {actual}",
                    a.len(),
                    e.len()
                ));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .try_for_each(|(i, (e, a))| matches(e, a, &format!("{at}[{i}]")))
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{at}: got {actual}, expected {expected}")),
    }
}

/// `state` behind the real IPC handler on Tauri's mock runtime, with the
/// one webview that calls it (keep the app alive as long as the webview).
pub(crate) fn app_on(
    state: AppState,
) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    let app = mock_builder()
        .manage(state)
        .invoke_handler(crate::ipc::handler!())
        .build(mock_context(tauri::test::noop_assets()))
        .expect("the app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("a webview");
    (app, webview)
}

/// Calls one command through the IPC layer, as the webview would.
pub(crate) fn invoke(
    webview: &tauri::WebviewWindow<MockRuntime>,
    command: &str,
    request: Option<&Value>,
) -> Result<Value, Value> {
    let body = match request {
        Some(req) => json!({ "req": req }),
        None => json!({}),
    };
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a valid url"),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("a JSON response"))
}

/// Runs one case on a fresh vault; returns every step that went wrong.
fn run_case(name: &str, case: &Case) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let state = AppState::new(
        dir.path().join("vault"),
        PrefsStore::new(dir.path().join("ui.json")),
        casevault_core::Session::new("t", casevault_core::Clock::system()),
    );
    let passphrase = Passphrase::from("contract cases: quartz meadow lantern 2024");
    let options = CreateOptions {
        kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
    };
    let (vault, _) = Vault::create(
        &state.vault_dir,
        &passphrase,
        &options,
        casevault_core::Session::new("t", casevault_core::Clock::system()),
    )
    .expect("a new vault");
    *state.slot() = Some(vault);

    let (_app, webview) = app_on(state);

    let mut failures = Vec::new();
    if let Some(seed) = &case.seed
        && let Err(e) = invoke(&webview, "records_add", Some(&document(seed)))
    {
        failures.push(format!(
            "{name} ({}): the seed was refused: {e}",
            case.about
        ));
        return failures;
    }
    for (i, step) in case.steps.iter().enumerate() {
        let request = match (step.command.as_str(), &step.request) {
            ("records_add", Some(r)) => Some(document(r)),
            (_, r) => r.clone(),
        };
        let got = invoke(&webview, &step.command, request.as_ref());
        if std::env::var_os("CONTRACT_SHOW").is_some() {
            // What each step returned, to write a new case's expectations from.
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{name} step {i} ({}): {got:?}", step.command);
            }
        }
        let here = format!("{name} step {i} ({}: {})", step.command, step.about);
        let outcome = match (&step.error, got) {
            (None, Ok(value)) => step
                .result
                .as_ref()
                .map_or(Ok(()), |want| matches(want, &value, "result")),
            (None, Err(e)) => Err(format!("failed: {e}")),
            (Some(want), Ok(value)) => Err(format!(
                "succeeded with {value}, expected error {}",
                want.code
            )),
            (Some(want), Err(e)) => matches(&json!(want.code), &e["code"], "error.code")
                .and_then(|()| match &want.problems {
                    Some(p) => matches(&json!(p), &e["problems"], "error.problems"),
                    None => Ok(()),
                })
                .and_then(|()| match &want.params {
                    Some(p) => matches(p, &e["params"], "error.params"),
                    None => Ok(()),
                }),
        };
        if let Err(why) = outcome {
            failures.push(format!("{here}: {why}"));
        }
    }
    failures
}

fn cases() -> Vec<(String, Case)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(contract_dir()).expect("tests/contract exists") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("a readable case");
            let case = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a contract case: {e}", path.display()));
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            out.push((name.into_owned(), case));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_contract_case_holds_against_the_real_handler() {
    let cases = cases();
    assert!(cases.len() >= 5, "too few contract cases: {}", cases.len());
    let mut failures = Vec::new();
    for (name, case) in &cases {
        failures.extend(run_case(name, case));
    }
    assert!(
        failures.is_empty(),
        "{} step(s) differ from the contract:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn subset_matching_is_strict_where_it_must_be() {
    let actual = json!({"code": "unknown_term", "params": {"value": "asault", "suggestion": "assault"}, "list": [1, 2]});
    assert!(matches(&json!({"params": {"suggestion": "assault"}}), &actual, "").is_ok());
    assert!(matches(&json!({"params": {"suggestion": "abduction"}}), &actual, "").is_err());
    assert!(matches(&json!({"missing": "x"}), &actual, "").is_err());
    assert!(matches(&json!({"missing": null}), &actual, "").is_ok());
    assert!(matches(&json!({"list": [1]}), &actual, "").is_err());
    assert!(matches(&json!({"list": [1, 2]}), &actual, "").is_ok());
}

#[test]
fn an_unknown_command_fails_the_case() {
    let case = Case {
        about: "a command the handler does not mount".into(),
        seed: None,
        steps: vec![Step {
            about: "no such command".into(),
            command: "no_such_command".into(),
            request: None,
            result: None,
            error: None,
        }],
    };
    assert_eq!(run_case("inline", &case).len(), 1);
}
