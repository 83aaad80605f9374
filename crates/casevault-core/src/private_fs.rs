//! Creating the files and folders where plaintext leaves the vault (a
//! saved copy of evidence, a JSON export, an opened bundle), readable only
//! by their owner: files 0600, folders 0700.
//!
//! The mode is given to the system call that creates them, not set
//! afterwards, so there is no moment at which another user could open
//! them. The process umask can only take permissions away.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of plaintext files Casevault writes outside the vault.
pub const FILE_MODE: u32 = 0o600;
/// Mode of folders Casevault creates to hold them.
pub const DIR_MODE: u32 = 0o700;

/// Creates a new file for writing; fails if `path` exists.
pub fn create_new_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options.open(path)
}

/// Creates one new folder; fails if `path` exists.
pub fn create_dir(path: &Path) -> io::Result<()> {
    builder().create(path)
}

/// Creates a folder and the missing ones above it.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    builder().recursive(true).create(path)
}

fn builder() -> DirBuilder {
    let mut b = DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, DIR_MODE);
    b
}
