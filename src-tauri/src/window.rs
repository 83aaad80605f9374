//! The main window and where its webview may write.

use std::path::PathBuf;

use tauri::webview::NewWindowResponse;
use tauri::{App, AppHandle, Manager, Url, WebviewWindowBuilder};

/// The webview's scratch directory, deleted on exit.
struct WebviewScratchDir(PathBuf);

/// True when tauri-driver started us (it sets this for WebKitWebDriver).
fn under_webdriver() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

/// A per-process directory in the user's runtime directory (a tmpfs on
/// Linux desktops), or the temp directory where there is none.
pub(crate) fn scratch_dir() -> PathBuf {
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
    let dev_url = app.config().build.dev_url.clone();
    let builder = WebviewWindowBuilder::from_config(app.handle(), &config)?
        .data_directory(scratch.clone())
        .incognito(!under_webdriver())
        // Case data is rendered here: no other page may ever load into
        // this window, whether by a script, a link or a URL dropped on it
        // (WebKit navigates to a dropped URL; the guard refuses it).
        .on_navigation(move |url| is_app_page(url, dev_url.as_ref()))
        .on_new_window(|_, _| NewWindowResponse::Deny);
    #[cfg(target_os = "linux")]
    let builder = {
        let dir = scratch.join("webext");
        match install_web_extension(&dir) {
            Ok(()) => builder.extensions_path(&dir),
            Err(e) => {
                #[allow(clippy::print_stderr)]
                {
                    eprintln!(
                        "casevault: warning: the web process stays readable by other programs of this user: {e}"
                    );
                }
                builder
            }
        }
    };
    app.manage(WebviewScratchDir(scratch));
    builder.build()?;
    Ok(())
}

/// The web-process extension (src-tauri/webext, built by build.rs): it
/// makes each WebKit web process non-dumpable.
#[cfg(target_os = "linux")]
const WEB_EXTENSION: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libcasevault-webext.so"));

/// Writes the web-process extension into `dir` (owner-only) for WebKit to
/// load into every web process it starts. WebKit's sandbox mounts the
/// extensions directory into the web process read-only.
#[cfg(target_os = "linux")]
fn install_web_extension(dir: &std::path::Path) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = dir.join("libcasevault-webext.so");
    // A leftover of a crashed run with the same process id is replaced.
    let _ = std::fs::remove_file(&path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o500)
        .open(&path)?;
    file.write_all(WEB_EXTENSION)?;
    file.sync_all()
}

/// True for the app's own pages: the embedded UI (`tauri://localhost`, or
/// `http(s)://tauri.localhost` where WebView2 serves it), and the dev
/// server only in a development build.
fn is_app_page(url: &Url, dev_url: Option<&Url>) -> bool {
    let embedded = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    embedded || (tauri::is_dev() && dev_url.is_some_and(|dev| dev.origin() == url.origin()))
}

/// Keeps GTK from recording the files chosen in the native file dialog
/// in `~/.local/share/recently-used.xbel`: evidence file names, on a
/// laptop that may be seized. The setting is per process and must be set
/// on the GTK main thread before the first dialog opens; the user's own
/// list (other programs' entries) is left as it is.
pub fn forget_recent_files() {
    #[cfg(target_os = "linux")]
    {
        use gtk::prelude::GtkSettingsExt;
        if let Some(settings) = gtk::Settings::default() {
            settings.set_gtk_recent_files_enabled(false);
        }
    }
}

/// Deletes the webview's scratch directory.
pub fn remove_webview_scratch<R: tauri::Runtime>(app: &AppHandle<R>) {
    if let Some(dir) = app.try_state::<WebviewScratchDir>() {
        let _ = std::fs::remove_dir_all(&dir.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_itself_may_load_in_the_window() {
        let dev: Url = "http://localhost:1420".parse().unwrap();
        let page = |u: &str| is_app_page(&u.parse().unwrap(), Some(&dev));
        assert!(page("tauri://localhost/"));
        assert!(page("tauri://localhost/index.html#/cases"));
        for foreign in [
            "https://example.invalid/",
            "http://localhost.example.invalid/",
            "tauri://localhost.example.invalid/",
            "tauri://evil/",
            "file:///home/you/Documents/report.html",
            "cvfile://localhost/0123456789abcdef0123456789abcdef",
            "data:text/html,<p>hi</p>",
            "about:blank",
            "javascript:alert(1)",
        ] {
            assert!(!page(foreign), "{foreign} must not load");
        }
        // The dev server only in a development build.
        assert_eq!(page("http://localhost:1420/"), tauri::is_dev());
    }
}
