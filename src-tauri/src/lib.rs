//! The Tauri shell: window, state and thin IPC commands over
//! `casevault-core`. No business logic lives here; commands lock state, call
//! the core and map errors to `{code, message}`.

pub mod commands;
#[cfg(test)]
mod contract;
#[cfg(test)]
mod filler;
#[cfg(feature = "ui-host")]
pub mod host;
pub mod idle;
pub mod ipc;
pub mod os_lock;
pub mod prefs;
pub mod preview;
#[cfg(test)]
mod reference;
pub mod state;
pub mod window;

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

/// Who this app writes as, and its clock: the operating-system login,
/// which is what a caseworker's desktop knows them by, and the system
/// time. The core reads neither; this is built once, at start-up.
pub fn session() -> casevault_core::Session {
    let actor = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "caseworker".into());
    casevault_core::Session::new(actor, casevault_core::Clock::system())
}

/// Settings for WebKitGTK and Mesa, applied before either starts:
/// - Mesa caches compiled shaders, and GStreamer its plugin list, under
///   `~/.cache`; nothing of the app's belongs on disk outside the vault.
/// - Accelerated compositing buys nothing for forms and lists, and turning
///   it off saves about 90 MiB across the WebKit processes (measured with
///   scripts/bench-startup) and keeps the GPU stack out of the picture.
/// - WebKit's web process runs in its bubblewrap sandbox. Besides hiding
///   the user's files from the process that parses case data, the sandbox
///   gives it a private tmpfs for /tmp and /var/tmp: WebKitGTK has
///   GStreamer buffer a playing video ("progressive download") in
///   /var/tmp/WebKit-Media-XXXXXX, a plaintext copy of the evidence on
///   disk, which in the sandbox stays in RAM. (The 4.1 API leaves the
///   sandbox off unless asked; WebKit's own package depends on bwrap.)
///
/// A value the user already set is kept.
fn configure_webkit_environment() {
    let sandbox = if std::path::Path::new("/usr/bin/bwrap").exists() {
        "1"
    } else {
        // WebKit cannot start its web process without bwrap; it is then
        // missing, not refused, and the video buffer risk remains (see
        // docs/SECURITY.md).
        ""
    };
    // GStreamer (started by the first video or sound preview) caches its
    // plugin list in ~/.cache; keep it with the webview's scratch files.
    let gst_registry = window::scratch_dir().join("gstreamer-registry.bin");
    let gst_registry = gst_registry.to_string_lossy();
    for (name, value) in [
        ("MESA_SHADER_CACHE_DISABLE", "true"),
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ("WEBKIT_FORCE_SANDBOX", sandbox),
        ("GST_REGISTRY", &gst_registry),
    ] {
        if value.is_empty() {
            continue;
        }
        if std::env::var_os(name).is_none() {
            // SAFETY: called first thing in `run`, before Tauri, GTK or
            // WebKit start any thread, so nothing else reads the environment.
            unsafe { std::env::set_var(name, value) };
        }
    }
}

/// Starts the app.
pub fn run() {
    configure_webkit_environment();
    for problem in casevault_core::harden::disable_core_dumps() {
        // No logging framework on purpose: nothing from a session is
        // written anywhere but this warning to the terminal.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("casevault: warning: {problem}");
        }
    }
    let args: Vec<String> = std::env::args().collect();
    let state = AppState::new(
        vault_location(&args),
        prefs::PrefsStore::default_location(),
        session(),
    );
    tauri::Builder::default()
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, preview::handle)
        .invoke_handler(ipc::handler!())
        .setup(|app| {
            // Setup runs on the GTK main thread, before any dialog.
            window::forget_recent_files();
            window::create_main_window(app)?;
            os_lock::watch(app.handle());
            idle::watch(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while building Casevault")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                window::remove_webview_scratch(app);
            }
        });
}
