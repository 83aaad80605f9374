//! The failed-unlock counter of the wipe policy, in its own small file.
//!
//! Why not in the header, as before: each count rewrote the whole header
//! through temp file + rename, leaving one more copy of the key slots in
//! freed blocks per failed attempt, and it counted only *after* the key
//! derivation, so killing the process during it (watching for the temp
//! file) avoided the count. Here the attempt is counted, durably, before
//! the key derivation starts, by overwriting this fixed-size file in place
//! and fsyncing it; the header is not touched by a failed attempt (only
//! when the limit is reached and the slots are destroyed).
//!
//! Why no MAC: nothing secret is available before the unlock succeeds, so
//! nothing could key one. The file names its vault id so that a counter
//! copied from another vault is refused, but anyone who can write the
//! vault directory can reset the count (or remove the policy from the
//! header): the counter stops guessing through Casevault, not someone with
//! their own tools and a copy (docs/SECURITY.md says so).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

const TAG: &str = "casevault-unlock-attempts 1";

/// The counter's fixed-size record.
fn record(vault_id: &str, count: u32) -> String {
    format!("{TAG} {vault_id} {count:010}\n")
}

/// The count stored at `path` for `vault_id`; 0 when there is no file.
pub(crate) fn read(path: &Path, vault_id: &str) -> Result<u32> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let mut text = String::new();
    let expected = record(vault_id, 0).len();
    file.take(expected as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|_| damaged())?;
    let rest = text
        .strip_prefix(TAG)
        .and_then(|r| r.strip_prefix(' '))
        .and_then(|r| r.strip_prefix(vault_id))
        .and_then(|r| r.strip_prefix(' '))
        .and_then(|r| r.strip_suffix('\n'))
        .filter(|_| text.len() == expected)
        .ok_or_else(damaged)?;
    rest.parse().map_err(|_| damaged())
}

fn damaged() -> Error {
    Error::tampered("the unlock-attempt counter (unlock-attempts) is damaged or from another vault")
}

/// Stores `count`: overwritten in place and fsynced before returning, so
/// a process killed afterwards has still counted.
pub(crate) fn write(path: &Path, vault_id: &str, count: u32) -> Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let existed = path.exists();
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(|e| Error::io("open", path, e))?;
    f.seek(SeekFrom::Start(0))
        .and_then(|_| f.write_all(record(vault_id, count).as_bytes()))
        .map_err(|e| Error::io("write", path, e))?;
    f.sync_all().map_err(|e| Error::io("sync", path, e))?;
    if !existed {
        super::header::sync_dir(path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_trip_and_foreign_or_damaged_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unlock-attempts");
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(read(&path, id).unwrap(), 0);
        write(&path, id, 7).unwrap();
        assert_eq!(read(&path, id).unwrap(), 7);
        write(&path, id, 12).unwrap();
        assert_eq!(read(&path, id).unwrap(), 12);
        let other = "fedcba9876543210fedcba9876543210";
        assert_eq!(
            read(&path, other).unwrap_err().code(),
            crate::ErrorCode::Tampered
        );
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(
            read(&path, id).unwrap_err().code(),
            crate::ErrorCode::Tampered
        );
    }
}
