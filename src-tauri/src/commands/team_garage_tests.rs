//! The app's team commands against a real Garage: two vaults, each behind
//! the real IPC handler (Tauri's mock runtime), share a space through one
//! bucket, with the S3 key kept in each vault. `CASEVAULT_SKIP_GARAGE=1`
//! skips them, as it does the sync crate's.

use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
use casevault_core::secret::Passphrase;
use casevault_core::vault::{CreateOptions, Vault};
use casevault_sync::testing::garage::Garage;
use serde_json::{Value, json};
use tauri::test::MockRuntime;

use crate::prefs::PrefsStore;
use crate::state::AppState;

/// One app on a fresh vault in its own folder.
struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: tauri::WebviewWindow<MockRuntime>,
}

impl App {
    fn new() -> App {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let session = || casevault_core::Session::new("t", casevault_core::Clock::system());
        let state = AppState::new(
            dir.path().join("vault"),
            PrefsStore::new(dir.path().join("ui.json")),
            session(),
        );
        let (vault, _) = Vault::create(
            &state.vault_dir,
            &Passphrase::from("garage tests: amber willow signal 2026"),
            &CreateOptions {
                kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
            },
            session(),
        )
        .expect("a new vault");
        *state.slot() = Some(vault);
        let (app, webview) = crate::contract::app_on(state);
        App {
            _dir: dir,
            _app: app,
            webview,
        }
    }

    /// Calls a command through the IPC layer, as the webview does.
    fn call(&self, command: &str, req: Option<Value>) -> Result<Value, Value> {
        crate::contract::invoke(&self.webview, command, req.as_ref())
    }

    fn ok(&self, command: &str, req: Option<Value>) -> Value {
        self.call(command, req)
            .unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }

    fn err(&self, command: &str, req: Option<Value>) -> Value {
        match self.call(command, req) {
            Ok(v) => panic!("{command} succeeded with {v}"),
            Err(e) => e,
        }
    }

    fn case_ids(&self) -> Vec<String> {
        let list = self.ok("cases_list", None);
        let mut ids: Vec<String> = list
            .as_array()
            .expect("a case list")
            .iter()
            .map(|c| c["id"].as_str().expect("an id").to_owned())
            .collect();
        ids.sort();
        ids
    }
}

fn seed() -> Value {
    json!({
        "format": "casevault-interchange",
        "version": 1,
        "cases": [{
            "id": "case-garage",
            "title": "Shared through Garage",
            "status": "open",
            "tags": [],
            "host_countries": []
        }],
        "persons": [], "organisations": [], "incidents": [],
        "proceedings": [], "sources": [], "testimonies": [], "interventions": [],
    })
}

fn code(e: &Value) -> (&str, &str, &str) {
    (
        e["code"].as_str().unwrap_or_default(),
        e["params"]["sync"]
            .as_str()
            .or_else(|| e["params"]["field"].as_str())
            .unwrap_or_default(),
        e["problems"][0]["code"].as_str().unwrap_or_default(),
    )
}

#[test]
fn two_vaults_share_a_space_through_garage_with_the_key_kept_in_each_vault() {
    let Some(garage) = Garage::start() else {
        return;
    };
    let address = garage.address();
    let a = App::new();
    let b = App::new();
    a.ok("records_add", Some(seed()));

    // No key stored: refused before anything is opened, and nothing changed.
    assert_eq!(
        a.ok("sync_credentials_show", None),
        json!({ "key_id": null })
    );
    let e = a.err("space_sync", Some(json!({ "remote": address })));
    assert_eq!(code(&e), ("invalid_input", "s3_key", "required"));
    assert_eq!(a.ok("spaces_list", None)["last_sync_at"], Value::Null);

    // A bad key is refused by field; a wrong one by the store.
    let e = a.err(
        "sync_credentials_set",
        Some(json!({ "key_id": "", "secret": "s" })),
    );
    assert_eq!(code(&e), ("invalid_input", "s3_key_id", "required"));
    let e = a.err(
        "sync_credentials_set",
        Some(json!({ "key_id": garage.key_id(), "secret": "two words" })),
    );
    assert_eq!(
        code(&e),
        ("invalid_input", "s3_secret", "refused_character")
    );
    assert_eq!(
        a.ok("sync_credentials_show", None),
        json!({ "key_id": null })
    );
    let wrong = a.ok(
        "sync_credentials_set",
        Some(json!({ "key_id": garage.key_id(), "secret": "0".repeat(64) })),
    );
    assert_eq!(wrong, json!({ "key_id": garage.key_id() }));
    let e = a.err("space_sync", Some(json!({ "remote": address })));
    assert_eq!(code(&e).1, "remote_denied", "{e}");
    assert_eq!(e["params"]["remote"], "s3");

    // Plain http:// to another computer and a missing bucket are the
    // address's fault; an endpoint nobody listens on is unreachable.
    let e = a.err(
        "space_sync",
        Some(json!({ "remote": "s3://casevault-test?endpoint=http://192.0.2.1:3900" })),
    );
    assert_eq!(code(&e), ("invalid_input", "invalid_remote", ""));
    assert_eq!(e["params"]["remote"], "s3");
    for app in [&a, &b] {
        let stored = app.ok(
            "sync_credentials_set",
            Some(json!({ "key_id": garage.key_id(), "secret": garage.secret() })),
        );
        assert_eq!(stored, json!({ "key_id": garage.key_id() }));
        // The secret never comes back.
        assert!(!stored.to_string().contains(garage.secret()));
        assert!(
            !app.ok("sync_credentials_show", None)
                .to_string()
                .contains(garage.secret())
        );
    }
    let missing = address.replace("casevault-test", "no-such-bucket");
    let e = a.err("space_sync", Some(json!({ "remote": missing })));
    assert_eq!(code(&e), ("invalid_input", "invalid_remote", ""));
    assert_eq!(e["params"]["remote"], "s3");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("its address").port();
    drop(closed);
    let e = a.err(
        "space_sync",
        Some(json!({ "remote": format!("s3://casevault-test?endpoint=http://127.0.0.1:{port}") })),
    );
    assert_eq!(code(&e), ("io", "remote_io", ""));
    assert_eq!(e["params"]["remote"], "s3");

    // A creates a space with the case and adds B's device.
    let b_key = b.ok("device_key_show", None);
    a.ok(
        "space_create",
        Some(json!({ "name": "Garage desk", "cases": ["case-garage"] })),
    );
    a.ok(
        "space_member_add",
        Some(json!({ "space": "Garage desk", "key": b_key["line"], "label": "B" })),
    );
    let sent = a.ok("space_sync", Some(json!({ "remote": address })));
    assert!(sent["sent"].as_u64().unwrap_or(0) >= 1, "{sent}");
    let overview = a.ok("spaces_list", None);
    let recorded = overview["remote"].as_str().expect("the remote recorded");
    assert!(recorded.starts_with("s3://casevault-test?endpoint=http://127.0.0.1:"));

    // B is offered the space through Garage and joins nothing until it
    // accepts; then it writes the case. Its next sync uses the address it
    // recorded.
    assert!(b.case_ids().is_empty());
    let got = b.ok("space_sync", Some(json!({ "remote": address })));
    assert_eq!(got["joined"].as_array().map(Vec::len), Some(0), "{got}");
    let offer = got["offers"][0]["id"].clone();
    assert!(offer.is_string(), "{got}");
    assert!(b.case_ids().is_empty());
    b.ok(
        "space_invitation_accept",
        Some(json!({ "offer": offer, "name": "Desk B", "remote": address })),
    );
    let got = b.ok("space_sync", Some(json!({ "remote": address })));
    assert!(got["applied"].as_u64().unwrap_or(0) >= 1, "{got}");
    assert_eq!(b.case_ids(), vec!["case-garage".to_owned()]);
    b.ok("space_sync", Some(json!({ "remote": null })));
    // The name B gave the space at accepting stays (the creator's name,
    // which travels as a record, never replaces it).
    let names: Vec<Value> = b.ok("spaces_list", None)["spaces"]
        .as_array()
        .expect("spaces")
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("Desk B")]);

    // Travel mode through Garage: unload, then reload from the last address.
    b.ok(
        "space_unload",
        Some(json!({ "space": "Desk B", "discard_unsynced": false })),
    );
    assert!(b.case_ids().is_empty());
    let back = b.ok(
        "space_reload",
        Some(json!({ "space": "Desk B", "remote": null })),
    );
    assert!(back["applied"].as_u64().unwrap_or(0) >= 1, "{back}");
    assert_eq!(b.case_ids(), vec!["case-garage".to_owned()]);

    // Cleared, the key is gone and a sync with S3 is refused again.
    assert_eq!(
        b.ok("sync_credentials_clear", None),
        json!({ "key_id": null })
    );
    let e = b.err("space_sync", Some(json!({ "remote": null })));
    assert_eq!(code(&e), ("invalid_input", "s3_key", "required"));
}
