//! One writer per vault: an advisory lock on `vault.lock`, held for as long
//! as the vault is open. The OS drops it if the process dies, so a crash
//! never leaves a vault stuck "in use".

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// How long [`ProcessLock::acquire`] waits for a lock that is held: long
/// enough to outlast a just-released lock, short enough that a vault really
/// open elsewhere is reported at once.
const GRACE: Duration = Duration::from_millis(750);

/// Holds the vault's process lock until dropped.
#[derive(Debug)]
pub struct ProcessLock {
    _file: File,
}

impl ProcessLock {
    /// Takes the lock, waiting at most [`GRACE`]. Another holder:
    /// [`Error::VaultInUse`].
    ///
    /// Why wait at all: a lock lives as long as any copy of its file
    /// descriptor. When another thread of this process starts a program, the
    /// new child holds a copy of every descriptor until it execs, so a lock
    /// its owner has just released can linger for a few milliseconds.
    pub fn acquire(path: &Path) -> Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| Error::io("open the lock file", path, e))?;
        let deadline = Instant::now() + GRACE;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => return Err(Error::VaultInUse),
                Err(TryLockError::Error(e)) => return Err(Error::io("lock", path, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.lock");
        let first = ProcessLock::acquire(&path).unwrap();
        assert!(matches!(
            ProcessLock::acquire(&path),
            Err(Error::VaultInUse)
        ));
        drop(first);
        ProcessLock::acquire(&path).unwrap();
    }
}
