//! Whether a typed path is one the commands take, asked as it is typed: the
//! rule is [`super::full_path`]'s, so the path fields say what is wrong
//! before anything is sent, without a second copy of the rule in the UI.

use serde::{Deserialize, Serialize};

use crate::ipc::IpcResult;

/// A path as the user has typed it so far.
#[derive(Debug, Deserialize, ts_rs::TS)]
pub struct PathCheckRequest {
    /// The text of the path field.
    pub path: String,
}

/// What the commands would make of the path.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PathCheck {
    /// A full path: a command taking a file or folder accepts it.
    pub ok: bool,
    /// Refused because it starts with `~`, which nothing here expands: the
    /// field says so rather than only "give the full path".
    pub tilde: bool,
}

/// Checks a typed path against the rule every command applies.
#[tauri::command(async)]
pub fn path_check(req: PathCheckRequest) -> IpcResult<PathCheck> {
    let ok = super::full_path(&req.path, "the file", "/home/you/Documents/photo.jpg").is_ok();
    Ok(PathCheck {
        ok,
        tilde: !ok && req.path.trim_start().starts_with('~'),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str) -> PathCheck {
        path_check(PathCheckRequest { path: path.into() }).unwrap()
    }

    #[test]
    fn full_paths_pass_and_the_rest_say_why() {
        assert!(check("/home/you/photo.jpg").ok);
        assert!(check("  /media/usb/bundle.cvb ").ok);
        for relative in ["", "photo.jpg", "./photo.jpg", "Documents/photo.jpg"] {
            let c = check(relative);
            assert!(!c.ok && !c.tilde, "{relative:?}");
        }
        let c = check("~/photo.jpg");
        assert!(!c.ok && c.tilde);
    }
}
