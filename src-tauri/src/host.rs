//! A headless command host for the UI's component tests: the real IPC
//! handler, the real core and a real vault in a temporary directory, driven
//! over standard input and output instead of a webview. The component tests
//! (`ui/src/test/host.ts`) start it once per test file, so what they check
//! is what the app does, and no rule of the core is copied into TypeScript
//! to stand in for it.
//!
//! Why a host process and not WebAssembly: the rules the screens depend on
//! reach storage (a refused import leaves the vault unchanged, a trashed
//! record leaves the case list), so only the whole core answers them, and
//! SQLCipher with age does not build for wasm32. Tauri's mock runtime runs
//! the very handler the app mounts ([`crate::ipc::handler!`]).
//!
//! Protocol, one JSON object per line:
//! - in: `{"id": 7, "app": 2, "cmd": "cases_list", "args": {"req": …}}`;
//! - out: `{"id": 7, "ok": …}` or `{"id": 7, "err": IpcError}`;
//! - out, at any time: `{"app": 2, "event": "progress", "payload": …}` and
//!   `{"app": 2, "event": "vault-locked"}`, as the app emits them.
//!
//! `host_start` makes a new app on a fresh vault (or none) and answers its
//! number; a test may hold several (an NGO and a lawyer passing a bundle).
//! Besides the app's commands, an app answers two of the host's own:
//! `host_cvfile` answers a fetch of a preview URL as the app's `cvfile:`
//! protocol does, `host_lock` locks from the Rust side as the idle timer would,
//! `host_exited` tells whether quick exit ran, and `host_tamper_custody`
//! edits a custody entry behind the chain's back. Quick exit runs everything
//! the app does before the process ends, and the host stays up. The native
//! file dialog is the desktop's, not the core's: the tests answer
//! `path_pick` themselves.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, LockSettings, Vault, VaultMode};
use casevault_core::{Clock, Session};
use serde::Deserialize;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager, WebviewWindow};

use crate::commands::{EVENT_PROGRESS, EVENT_VAULT_LOCKED};
use crate::prefs::PrefsStore;
use crate::state::AppState;

/// How the next test's vault starts (`host_reset`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Start {
    /// Whether a vault exists at all (false: the first-run screens).
    #[serde(default)]
    exists: bool,
    /// Whether it is unlocked.
    #[serde(default)]
    unlocked: bool,
    /// Its passphrase.
    #[serde(default)]
    passphrase: Option<String>,
    /// Organisation or self-report.
    #[serde(default)]
    mode: Option<VaultMode>,
    /// Records imported before the test: an interchange document.
    #[serde(default)]
    seed: Option<Value>,
    /// The UI language preference.
    #[serde(default)]
    language: Option<String>,
    /// Auto-lock and wipe settings.
    #[serde(default)]
    lock: Option<LockSettings>,
    /// Who writes.
    #[serde(default)]
    actor: Option<String>,
    /// A fixed time for every write, for tests that read dates back.
    #[serde(default)]
    now: Option<chrono::DateTime<chrono::Utc>>,
    /// A pause after each progress event, as a slow disk would make: a
    /// test that watches a progress bar needs work that lasts.
    #[serde(default)]
    progress_pause_ms: u64,
}

/// One test's app: a mock-runtime app holding the real state, its window,
/// and the directory its vault and preferences live in.
struct Instance {
    webview: WebviewWindow<MockRuntime>,
    state_dir: tempfile::TempDir,
    exited: Mutex<bool>,
}

type Out = Arc<Mutex<std::io::Stdout>>;

fn send(out: &Out, line: &Value) {
    let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
    // The test runner reading the other end is gone if this fails; there
    // is no one left to tell.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// A passphrase for a seeded vault when the test names none.
const DEFAULT_PASSPHRASE: &str = "correct horse battery staple";

fn start(number: u64, start: Start, out: &Out) -> Result<(Instance, Value), String> {
    let state_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let clock = match start.now {
        Some(at) => Clock::fixed(at),
        None => Clock::system(),
    };
    let session = Session::new(start.actor.unwrap_or_else(|| "caseworker".into()), clock);
    let mut state = AppState::new(
        state_dir.path().join("vault"),
        PrefsStore::new(state_dir.path().join("ui.json")),
        session.clone(),
    );
    state.kdf = KdfChoice::Fixed(Argon2Params::FLOOR);
    let mut recovery_key = Value::Null;
    if start.exists {
        let passphrase = Passphrase::new(
            start
                .passphrase
                .unwrap_or_else(|| DEFAULT_PASSPHRASE.into()),
        );
        let (mut vault, recovery) = Vault::create(
            &state.vault_dir,
            &passphrase,
            &CreateOptions { kdf: state.kdf },
            session,
        )
        .map_err(|e| e.to_string())?;
        vault
            .set_mode(start.mode.unwrap_or(VaultMode::Organisation))
            .map_err(|e| e.to_string())?;
        if let Some(lock) = start.lock {
            vault.set_lock_settings(lock).map_err(|e| e.to_string())?;
        }
        recovery_key = json!(recovery.display_groups().to_string());
        *state.slot() = Some(vault);
    }
    if let Some(language) = &start.language {
        let mut prefs = state.prefs.load();
        prefs.language = language.clone();
        state.prefs.save(&prefs).map_err(|e| format!("{e:?}"))?;
    }
    let app = mock_builder()
        .manage(state)
        .invoke_handler(crate::ipc::handler!())
        .build(mock_context(tauri::test::noop_assets()))
        .map_err(|e| e.to_string())?;
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .map_err(|e| e.to_string())?;
    let pause = std::time::Duration::from_millis(start.progress_pause_ms);
    for event in [EVENT_PROGRESS, EVENT_VAULT_LOCKED] {
        let out = out.clone();
        // Tauri calls a Rust listener on the emitting thread, so the pause
        // holds up the command that reports progress.
        app.listen_any(event, move |e| {
            let payload: Value = serde_json::from_str(e.payload()).unwrap_or(Value::Null);
            send(
                &out,
                &json!({ "app": number, "event": event, "payload": payload }),
            );
            if event == EVENT_PROGRESS {
                std::thread::sleep(pause);
            }
        });
    }
    let instance = Instance {
        webview,
        state_dir,
        exited: Mutex::new(false),
    };
    if let Some(seed) = start.seed {
        invoke(&instance.webview, "records_add", json!({ "req": seed }))
            .map_err(|e| format!("the seed was refused: {e}"))?;
    }
    if start.exists && !start.unlocked {
        instance.webview.state::<AppState>().lock();
    }
    // The app is kept alive by its window; the handle is not needed again.
    std::mem::forget(app);
    let info = json!({ "dir": instance_dir(&instance), "recovery_key": recovery_key });
    Ok((instance, info))
}

fn instance_dir(instance: &Instance) -> String {
    instance.state_dir.path().display().to_string()
}

/// Calls one command through the IPC layer, as the webview would.
fn invoke(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a valid url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap_or(Value::Null))
}

#[derive(Debug, Deserialize)]
struct Request {
    id: u64,
    /// The app it is for; absent for `host_start`.
    #[serde(default)]
    app: Option<u64>,
    cmd: String,
    #[serde(default)]
    args: Value,
}

/// Answers one of the host's own commands, or the app's `quick_exit`,
/// whose last step would end the process.
fn host_command(instance: &Instance, cmd: &str, args: &Value) -> Option<Result<Value, Value>> {
    match cmd {
        "host_cvfile" => Some(Ok(cvfile(instance, args))),
        "host_tamper_custody" => {
            let state = instance.webview.state::<AppState>();
            let seq = args["seq"].as_u64().unwrap_or(0);
            Some(
                state
                    .with_vault(|v| v.tamper_custody_entry(seq))
                    .map(|()| Value::Null)
                    .map_err(|e| json!(e)),
            )
        }
        "quick_exit" => {
            let state = instance.webview.state::<AppState>();
            crate::commands::intake::clear_for_exit(instance.webview.app_handle(), &state);
            *instance.exited.lock().unwrap_or_else(|e| e.into_inner()) = true;
            Some(Ok(Value::Null))
        }
        "host_exited" => Some(Ok(json!(
            *instance.exited.lock().unwrap_or_else(|e| e.into_inner())
        ))),
        "host_lock" => {
            let state = instance.webview.state::<AppState>();
            crate::commands::vault::lock_now(instance.webview.app_handle(), &state);
            Some(Ok(Value::Null))
        }
        _ => None,
    }
}

/// What the app's `cvfile:` protocol answers a GET of `args.url` (with
/// `args.range` as its Range header): the webview's previews fetch their
/// bytes from it, and so do the component tests, through this.
fn cvfile(instance: &Instance, args: &Value) -> Value {
    let mut request = tauri::http::Request::builder()
        .method("GET")
        .uri(args["url"].as_str().unwrap_or_default());
    if let Some(range) = args["range"].as_str() {
        request = request.header(tauri::http::header::RANGE, range);
    }
    let Ok(request) = request.body(Vec::new()) else {
        return json!({ "status": 400, "headers": {}, "body": "" });
    };
    let state = instance.webview.state::<AppState>();
    let response = crate::preview::serve(&state, &request);
    let headers: serde_json::Map<String, Value> = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v.to_str().unwrap_or_default())))
        .collect();
    json!({
        "status": response.status().as_u16(),
        "headers": headers,
        "body": data_encoding::BASE64.encode(response.body()),
    })
}

/// Runs the host until standard input closes.
pub fn run() {
    let out: Out = Arc::new(Mutex::new(std::io::stdout()));
    // Every app is kept until the host ends: a command still running on an
    // old one (a test that ended mid-autosave) must not find its app gone.
    let mut apps: HashMap<u64, Arc<Instance>> = HashMap::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let request: Request = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                send(
                    &out,
                    &json!({ "id": null, "err": format!("not a request: {e}") }),
                );
                continue;
            }
        };
        let reply = |outcome: Result<Value, Value>| match outcome {
            Ok(v) => json!({ "id": request.id, "ok": v }),
            Err(e) => json!({ "id": request.id, "err": e }),
        };
        if request.cmd == "host_start" {
            let number = apps.len() as u64 + 1;
            let outcome = serde_json::from_value::<Start>(request.args.clone())
                .map_err(|e| format!("host_start: {e}"))
                .and_then(|s| start(number, s, &out))
                .map(|(instance, info)| {
                    apps.insert(number, Arc::new(instance));
                    json!({ "app": number, "info": info })
                });
            send(&out, &reply(outcome.map_err(Value::from)));
            continue;
        }
        let Some(instance) = request.app.and_then(|n| apps.get(&n)).cloned() else {
            send(&out, &reply(Err(json!("no such app: host_start first"))));
            continue;
        };
        // Commands run side by side, as in the app: a lock must reach the
        // vault while an attach is still streaming.
        let out = out.clone();
        std::thread::spawn(move || {
            let outcome = host_command(&instance, &request.cmd, &request.args)
                .unwrap_or_else(|| invoke(&instance.webview, &request.cmd, request.args));
            let line = match outcome {
                Ok(v) => json!({ "id": request.id, "ok": v }),
                Err(e) => json!({ "id": request.id, "err": e }),
            };
            send(&out, &line);
        });
    }
}
