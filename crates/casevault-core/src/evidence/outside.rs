//! Checks on a file from outside before any of it is stored: it exists, is
//! not a folder, is not larger than the vault takes, and has a safe name.

use std::fs::{self, File};
use std::io;
use std::path::Path;

use super::name::sanitise_name;
use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// The largest file accepted.
pub const MAX_ATTACHMENT_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// A file from outside about to be stored: checked (it exists, is not a
/// folder, is at most 4 GiB), opened, with its size and a safe name.
pub(crate) struct OutsideFile {
    pub file: File,
    pub len: u64,
    pub name: String,
}

impl OutsideFile {
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let meta = fs::metadata(path).map_err(|e| source_error(path, e))?;
        if meta.is_dir() {
            return Err(Error::invalid(
                "file",
                ProblemCode::FileIsFolder.with("path", path.display()),
            ));
        }
        if meta.len() > MAX_ATTACHMENT_BYTES {
            return Err(Error::invalid(
                "file",
                ProblemCode::AttachmentTooLarge
                    .with("path", path.display())
                    .with(
                        "size_gib",
                        format!("{:.1}", meta.len() as f64 / (1u64 << 30) as f64),
                    )
                    .with("max_gib", MAX_ATTACHMENT_BYTES >> 30),
            ));
        }
        let name = sanitise_name(
            &path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let file = File::open(path).map_err(|e| source_error(path, e))?;
        Ok(Self {
            file,
            len: meta.len(),
            name,
        })
    }
}

pub(crate) fn source_error(path: &Path, e: io::Error) -> Error {
    let shown = path.display();
    match e.kind() {
        io::ErrorKind::NotFound => {
            Error::invalid("file", ProblemCode::FileMissing.with("path", shown))
        }
        io::ErrorKind::PermissionDenied => {
            Error::invalid("file", ProblemCode::FileUnreadable.with("path", shown))
        }
        _ => Error::io("read", path, e),
    }
}
