//! The app's state: where the vault is and, while unlocked, the vault.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

use casevault_core::Session;
use casevault_core::bundle::read::EvidenceBytes;
use casevault_core::cancel::Cancel;
use casevault_core::vault::Vault;

use crate::ipc::IpcError;
use crate::prefs::PrefsStore;

/// Shared state behind every command.
#[derive(Debug)]
pub struct AppState {
    /// The vault directory this window works on.
    pub vault_dir: PathBuf,
    /// Who writes (the OS login) and the clock, for every vault this
    /// window creates or unlocks: built once at start-up.
    pub session: Session,
    /// The unlocked vault, or `None` while locked.
    vault: Mutex<Option<Vault>>,
    /// Set by [`AppState::lock`] to stop the command holding `vault` at
    /// its next check, so that locking does not wait for it to finish.
    cancel: Cancel,
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
    /// How a passphrase set here (a new vault, a recovery, a change) is
    /// stretched: calibrated to this machine, except in the UI's test host,
    /// which uses the floor so that each component test does not spend a
    /// second per unlock.
    pub kdf: casevault_core::crypto::kdf::KdfChoice,
}

impl AppState {
    /// State for the vault in `vault_dir`, locked.
    pub fn new(vault_dir: PathBuf, prefs: PrefsStore, session: Session) -> Self {
        Self {
            vault_dir,
            session,
            vault: Mutex::new(None),
            cancel: Cancel::new(),
            prefs,
            failed_unlocks: AtomicU32::new(0),
            opened: Mutex::new(HashSet::new()),
            bundle_previews: Mutex::new(HashMap::new()),
            idle: crate::idle::Idle::new(std::time::Instant::now()),
            kdf: casevault_core::crypto::kdf::KdfChoice::default(),
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

    /// Runs `f` with the unlocked vault, or fails with `locked`. Long work
    /// inside `f` stops with `cancelled` when the vault is locked meanwhile.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> casevault_core::Result<T>,
    ) -> Result<T, IpcError> {
        let mut slot = self.slot();
        let vault = slot
            .as_mut()
            .ok_or_else(|| IpcError::from(casevault_core::Error::Locked))?;
        let result = self.cancel.scope(|| f(vault)).map_err(IpcError::from);
        // A long command (an attach, an audit) ends as fresh activity.
        self.idle.touch(std::time::Instant::now());
        result
    }

    /// As [`with_vault`](Self::with_vault), for work nobody asked for at
    /// that moment (the Team view's timed sync): it is not activity, so a
    /// vault left open with the timer running still locks on time.
    pub fn with_vault_unattended<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> casevault_core::Result<T>,
    ) -> Result<T, IpcError> {
        let mut slot = self.slot_unattended();
        let vault = slot
            .as_mut()
            .ok_or_else(|| IpcError::from(casevault_core::Error::Locked))?;
        self.cancel.scope(|| f(vault)).map_err(IpcError::from)
    }

    /// The vault slot, waited for like [`slot`](Self::slot) but not
    /// counted as activity (see [`with_vault_unattended`](Self::with_vault_unattended)).
    pub fn slot_unattended(&self) -> MutexGuard<'_, Option<Vault>> {
        self.vault.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Locks: wipes the key and closes the database, then forgets what was
    /// opened for preview. A command still holding the vault (an attach of
    /// a 4 GiB video, a deep audit) is told to stop first and gives the
    /// vault up between two chunks, so this returns in well under a second
    /// instead of when the command would have finished. The stopped
    /// command fails with `cancelled` and keeps nothing.
    pub fn lock(&self) {
        self.cancel.cancel();
        let vault = self.vault.lock().unwrap_or_else(|e| e.into_inner()).take();
        // Commands that get the slot from now on find it empty.
        self.cancel.reset();
        if let Some(vault) = vault {
            vault.lock();
        }
        self.forget_previews();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::time::{Duration, Instant};

    use casevault_core::ErrorCode;
    use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
    use casevault_core::secret::Passphrase;
    use casevault_core::vault::attachments::AttachRequest;
    use casevault_core::vault::{CreateOptions, Credential, Vault};

    use super::*;

    /// The attach reads a named pipe that a writer keeps feeding, so it
    /// would never finish on its own: only the lock can end it.
    #[test]
    fn locking_stops_a_running_attach_at_once_and_keeps_nothing_of_it() {
        let dir = std::env::temp_dir().join(format!("casevault-cancel-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let vault_dir = dir.join("v");
        let pass = Passphrase::from("cancel test: granite willow 5521 harbour");
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let (mut vault, _) = Vault::create(
            &vault_dir,
            &pass,
            &options,
            casevault_core::Session::new("t", casevault_core::Clock::system()),
        )
        .unwrap();
        let record = vault
            .insert_record("note", &serde_json::json!({ "n": 1 }))
            .unwrap();
        let state = AppState::new(
            vault_dir.clone(),
            crate::prefs::PrefsStore::new(dir.join("prefs.json")),
            casevault_core::Session::new("t", casevault_core::Clock::system()),
        );
        *state.slot() = Some(vault);

        let fifo = dir.join("endless-video.mp4");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let feeder_path = fifo.clone();
        let feeder = std::thread::spawn(move || {
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .open(&feeder_path)
                .unwrap();
            let block = vec![0x5au8; 64 * 1024];
            // Ends when the reader closes the pipe (EPIPE).
            while out.write_all(&block).is_ok() {}
        });

        // Plain threads, not scoped ones: on code where locking waits for
        // the attach, the test must fail rather than wait with it forever.
        let state = std::sync::Arc::new(state);
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let attach = {
            let state = state.clone();
            let record = record.clone();
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut started = Some(started_tx);
                state.with_vault(|v| {
                    v.attach(
                        AttachRequest {
                            record_id: &record,
                            source: &fifo,
                            derived_from: None,
                            note: None,
                        },
                        |done, _| {
                            if done > 8 * 1024 * 1024
                                && let Some(tx) = started.take()
                            {
                                let _ = tx.send(());
                            }
                        },
                    )
                })
            })
        };
        started_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the attach started streaming");
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        let locker = state.clone();
        let t0 = Instant::now();
        std::thread::spawn(move || {
            locker.lock();
            let _ = locked_tx.send(());
        });
        locked_rx
            .recv_timeout(Duration::from_secs(1))
            .expect("locking must not wait for the running attach");
        let took = t0.elapsed();
        assert!(state.slot().is_none(), "the vault must be locked");
        let result = attach.join().unwrap();
        feeder.join().unwrap();
        assert!(took < Duration::from_secs(1), "locking took {took:?}");

        let err = result.expect_err("the attach must not complete");
        assert_eq!(err.code, ErrorCode::Cancelled, "{}", err.message);
        // Nothing of it was kept: no file under attachments/, no row.
        let leftovers: Vec<_> = std::fs::read_dir(vault_dir.join("attachments"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
        let vault = Vault::open(
            &vault_dir,
            &Credential::Passphrase(pass),
            state.session.clone(),
        )
        .unwrap();
        assert!(vault.all_attachments().unwrap().is_empty());
        drop(vault);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
