//! The main window and where its webview may write.

use std::path::PathBuf;

use tauri::{App, AppHandle, Manager, WebviewWindowBuilder};

/// The webview's scratch directory, deleted on exit.
struct WebviewScratchDir(PathBuf);

/// True when tauri-driver started us (it sets this for WebKitWebDriver).
fn under_webdriver() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

/// A per-process directory in the user's runtime directory (a tmpfs on
/// Linux desktops), or the temp directory where there is none.
fn scratch_dir() -> PathBuf {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    base.join(format!("casevault-webview-{}", std::process::id()))
}

/// Creates the main window from `tauri.conf.json` (`"create": false`).
///
/// The webview is incognito: WebKitGTK gets an ephemeral context and keeps
/// no cookies, caches or storage. Tauri still builds a default (unused)
/// WebKit context first, whose data manager writes salt files and an HSTS
/// database into the data directory; so that directory is pointed at a
/// scratch directory in RAM-backed runtime storage, never
/// `~/.local/share/<identifier>` or `~/.cache`.
///
/// One exception, for tests only: wry builds its ephemeral context with
/// automation switched off, so WebKitWebDriver cannot drive an incognito
/// window. When tauri-driver starts the app, the webview uses the scratch
/// directory as a normal context instead. The end-to-end suite checks the
/// real incognito window separately, driven by keyboard.
pub fn create_main_window(app: &mut App) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .expect("tauri.conf.json defines the main window");
    let scratch = scratch_dir();
    let builder = WebviewWindowBuilder::from_config(app.handle(), &config)?
        .data_directory(scratch.clone())
        .incognito(!under_webdriver());
    app.manage(WebviewScratchDir(scratch));
    builder.build()?;
    Ok(())
}

/// Deletes the webview's scratch directory.
pub fn remove_webview_scratch(app: &AppHandle) {
    if let Some(dir) = app.try_state::<WebviewScratchDir>() {
        let _ = std::fs::remove_dir_all(&dir.0);
    }
}
