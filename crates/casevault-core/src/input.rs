//! Reading whole files from outside (keys, passphrase files, JSON to
//! import) within stated limits. A path can name `/dev/zero`, a FIFO or a
//! file that grows while it is read, so the size on disk is not trusted:
//! every read stops one byte past its limit, and a file that passes it is
//! refused with `InvalidInput` before anything is parsed.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::model::problem::ProblemCode;
use crate::{Error, Result};

/// A passphrase or recovery-key file (the first line is used), or an age
/// identity file: a few lines at most.
pub const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;
/// A public key (OpenSSH `.pub`, `age1…`) or a signed checkpoint and its
/// signature.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
/// A self-report questionnaire's answers (JSON).
pub const MAX_ANSWERS_BYTES: u64 = 16 * 1024 * 1024;
/// An interchange JSON file to import: the limit a bundle's `data.json`
/// has too.
pub const MAX_INTERCHANGE_BYTES: u64 = 512 * 1024 * 1024;

/// Reads the whole file at `path`, refusing it once it passes `max` bytes.
/// `what` names the file in the error ("the passphrase file"), `field`
/// the argument it came from. The buffer is zeroized when dropped, since
/// some of these files hold secrets.
pub fn read_file(path: &Path, max: u64, field: &str, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let file = File::open(path).map_err(|e| Error::io("read", path, e))?;
    let meta = file.metadata().map_err(|e| Error::io("read", path, e))?;
    // A plain file is read to the length it has (refused up front when
    // too long, and when it grows while read), into a buffer of that
    // size: no doubling, and nothing but the file to zeroize. Anything
    // else (a FIFO from `<(…)`, a device) is read up to the limit.
    let (limit, plain) = if meta.is_file() {
        if meta.len() > max {
            return Err(too_large(field, what, path, max));
        }
        (meta.len(), true)
    } else {
        (max, false)
    };
    let mut bytes = Zeroizing::new(Vec::with_capacity(
        (limit + 1).min(MAX_SECRET_FILE_BYTES + 1) as usize,
    ));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > limit {
        return Err(if plain {
            Error::invalid(field, ProblemCode::FileGrew.with("path", path.display()))
        } else {
            too_large(field, what, path, max)
        });
    }
    Ok(bytes)
}

/// [`read_file`] for text: refuses a file that is not UTF-8.
pub fn read_text(path: &Path, max: u64, field: &str, what: &str) -> Result<Zeroizing<String>> {
    let mut bytes = read_file(path, max, field, what)?;
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(e) => {
            // Zeroized on drop, like the buffer it came from.
            drop(Zeroizing::new(e.into_bytes()));
            Err(Error::invalid(
                field,
                ProblemCode::FileNotText
                    .with("path", path.display())
                    .with("what", what),
            ))
        }
    }
}

/// The error for a file past its limit.
pub fn too_large(field: &str, what: &str, path: &Path, max: u64) -> Error {
    Error::invalid(
        field,
        ProblemCode::FileTooBigForKind
            .with("path", path.display())
            .with("max", human(max))
            .with("what", what),
    )
}

fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_file_is_refused_at_the_limit() {
        let err = read_file(Path::new("/dev/zero"), 1024, "file", "a key file").unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
        let dir = tempfile::tempdir().unwrap();
        let exact = dir.path().join("exact");
        std::fs::write(&exact, vec![b'a'; 1024]).unwrap();
        assert_eq!(
            read_file(&exact, 1024, "file", "a key file").unwrap().len(),
            1024
        );
        std::fs::write(&exact, vec![0xff; 10]).unwrap();
        assert_eq!(
            read_text(&exact, 1024, "file", "a key file")
                .unwrap_err()
                .code(),
            crate::ErrorCode::InvalidInput
        );
    }
}
