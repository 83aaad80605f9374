//! The app's state: where the vault is and, while unlocked, the vault.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

use casevault_core::bundle::read::EvidenceBytes;
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
    /// Wrong-credential attempts since the last unlock. Kept in memory,
    /// because a wrong passphrase must not write to disk; logged in the
    /// custody log at the next unlock.
    failed_unlocks: AtomicU32,
    /// Attachments opened for preview since the last unlock: the preview
    /// protocol serves only these, and the opening was logged.
    opened: Mutex<HashSet<String>>,
    /// Evidence files of opened bundles, verified and held in memory for
    /// the preview protocol, by a random token; dropped (and wiped) on lock.
    bundle_previews: Mutex<HashMap<String, EvidenceBytes>>,
    /// The backend's idle deadline (see `idle`): every command that
    /// reaches the vault pushes it forward.
    pub idle: crate::idle::Idle,
}

impl AppState {
    /// State for the vault in `vault_dir`, locked.
    pub fn new(vault_dir: PathBuf, prefs: PrefsStore) -> Self {
        Self {
            vault_dir,
            vault: Mutex::new(None),
            prefs,
            failed_unlocks: AtomicU32::new(0),
            opened: Mutex::new(HashSet::new()),
            bundle_previews: Mutex::new(HashMap::new()),
            idle: crate::idle::Idle::new(std::time::Instant::now()),
        }
    }

    /// Counts a wrong-credential attempt.
    pub fn count_failed_unlock(&self) {
        self.failed_unlocks.fetch_add(1, Ordering::Relaxed);
    }

    /// Takes the count of wrong-credential attempts, resetting it.
    pub fn take_failed_unlocks(&self) -> u32 {
        self.failed_unlocks.swap(0, Ordering::Relaxed)
    }

    /// The set of attachments opened for preview.
    pub fn opened(&self) -> MutexGuard<'_, HashSet<String>> {
        self.opened.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Evidence files of opened bundles held for preview, by token.
    pub fn bundle_previews(&self) -> MutexGuard<'_, HashMap<String, EvidenceBytes>> {
        self.bundle_previews
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets everything opened for preview (on lock): attachments stop
    /// being served, and bundle files held in memory are wiped.
    pub fn forget_previews(&self) {
        self.opened().clear();
        self.bundle_previews().clear();
    }

    /// The vault slot. A poisoned lock (a panic mid-command) is recovered:
    /// the vault's own transactions keep the data consistent.
    pub fn slot(&self) -> MutexGuard<'_, Option<Vault>> {
        let slot = self.vault.lock().unwrap_or_else(|e| e.into_inner());
        // Stamped once the command holds the vault, so a long command
        // counts as activity up to its start.
        self.idle.touch(std::time::Instant::now());
        slot
    }

    /// The vault slot for the idle timer: not counted as activity, and
    /// `None` while a command holds it.
    pub fn try_slot(&self) -> Option<MutexGuard<'_, Option<Vault>>> {
        match self.vault.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
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
        let result = f(vault).map_err(IpcError::from);
        // A long command (an attach, an audit) ends as fresh activity.
        self.idle.touch(std::time::Instant::now());
        result
    }
}
