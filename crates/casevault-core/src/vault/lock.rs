//! One writer per vault: an advisory lock on `vault.lock`, held for as long
//! as the vault is open. The OS drops it if the process dies, so a crash
//! never leaves a vault stuck "in use".

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::{Error, Result};

/// Holds the vault's process lock until dropped.
#[derive(Debug)]
pub struct ProcessLock {
    _file: File,
}

impl ProcessLock {
    /// Takes the lock without waiting. Another holder: [`Error::VaultInUse`].
    pub fn acquire(path: &Path) -> Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| Error::io("open the lock file", path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::VaultInUse),
            Err(TryLockError::Error(e)) => Err(Error::io("lock", path, e)),
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
