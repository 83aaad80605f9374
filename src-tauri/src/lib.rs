//! The Tauri shell: window, state and thin IPC commands over
//! `casevault-core`. No business logic lives here; commands lock state, call
//! the core and map errors to `{code, message}`.

pub mod commands;
pub mod ipc;
pub mod prefs;
pub mod state;

use std::path::PathBuf;

use state::AppState;

/// Where the app's vault lives: `--vault PATH`, else `$CASEVAULT_VAULT`,
/// else the core's default location.
pub fn vault_location(args: &[String]) -> PathBuf {
    args.windows(2)
        .find(|w| w[0] == "--vault")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| std::env::var_os("CASEVAULT_VAULT").map(PathBuf::from))
        .unwrap_or_else(casevault_core::vault::default_location)
}

/// Starts the app.
pub fn run() {
    for problem in casevault_core::harden::disable_core_dumps() {
        // No logging framework on purpose: nothing from a session is
        // written anywhere but this warning to the terminal.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("casevault: warning: {problem}");
        }
    }
    let args: Vec<String> = std::env::args().collect();
    let state = AppState::new(vault_location(&args), prefs::PrefsStore::default_location());
    tauri::Builder::default()
        .manage(state)
        .invoke_handler(ipc::handler!())
        .run(tauri::generate_context!())
        .expect("error while running Casevault");
}
