//! The app's state: where the vault is and, while unlocked, the vault.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use casevault_core::vault::Vault;

use crate::ipc::IpcError;
use crate::prefs::PrefsStore;

/// Shared state behind every command.
#[derive(Debug)]
pub struct AppState {
    /// The vault directory this window works on.
    pub vault_dir: PathBuf,
    /// The unlocked vault, or `None` while locked.
    vault: Mutex<Option<Vault>>,
    /// Non-sensitive UI preferences.
    pub prefs: PrefsStore,
}

impl AppState {
    /// State for the vault in `vault_dir`, locked.
    pub fn new(vault_dir: PathBuf, prefs: PrefsStore) -> Self {
        Self {
            vault_dir,
            vault: Mutex::new(None),
            prefs,
        }
    }

    /// The vault slot. A poisoned lock (a panic mid-command) is recovered:
    /// the vault's own transactions keep the data consistent.
    pub fn slot(&self) -> MutexGuard<'_, Option<Vault>> {
        self.vault.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` with the unlocked vault, or fails with `locked`.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> casevault_core::Result<T>,
    ) -> Result<T, IpcError> {
        let mut slot = self.slot();
        let vault = slot
            .as_mut()
            .ok_or_else(|| IpcError::from(casevault_core::Error::Locked))?;
        f(vault).map_err(IpcError::from)
    }
}
