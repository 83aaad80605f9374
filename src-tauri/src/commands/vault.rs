//! Creating, unlocking, locking and looking after the vault.

use std::path::PathBuf;

use casevault_core::Error;
use casevault_core::crypto::recovery::RecoveryKey;
use casevault_core::crypto::strength::{self, Strength};
use casevault_core::secret::Passphrase;
use casevault_core::vault::backup::BackupReport;
use casevault_core::vault::{
    CreateOptions, Credential, LockSettings, Vault, VaultMode, VaultPaths, VaultStatus,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::{EVENT_VAULT_LOCKED, progress_reporter};
use crate::ipc::{IpcError, IpcResult};
use crate::state::AppState;

/// Whether there is a vault and whether it is open.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VaultState {
    /// The vault directory.
    pub path: String,
    /// A vault exists there.
    pub exists: bool,
    /// It is unlocked in this window.
    pub unlocked: bool,
}

/// A passphrase from a form.
#[derive(Deserialize, ts_rs::TS)]
pub struct PassphraseRequest {
    /// The passphrase.
    pub passphrase: String,
}

/// Create a vault with this passphrase.
#[derive(Deserialize, ts_rs::TS)]
pub struct CreateVaultRequest {
    /// The new passphrase.
    pub passphrase: String,
    /// Who the vault is for; an organisation's when absent.
    pub mode: Option<VaultMode>,
}

/// The result of creating a vault.
#[derive(Serialize, ts_rs::TS)]
pub struct CreatedVault {
    /// Shown once, for the recovery-key ceremony.
    pub recovery_key: String,
    /// The new vault.
    pub status: VaultStatus,
}

/// A recovery key typed by the user.
#[derive(Deserialize, ts_rs::TS)]
pub struct RecoveryKeyRequest {
    /// As typed; groups and case do not matter.
    pub recovery_key: String,
}

/// Set a new passphrase with the recovery key.
#[derive(Deserialize, ts_rs::TS)]
pub struct RecoverRequest {
    /// The recovery key.
    pub recovery_key: String,
    /// The new passphrase.
    pub new_passphrase: String,
}

/// Change the passphrase.
#[derive(Deserialize, ts_rs::TS)]
pub struct ChangePassphraseRequest {
    /// The current passphrase, asked again.
    pub current: String,
    /// The new one.
    pub new_passphrase: String,
}

/// Rotate the data key.
#[derive(Deserialize, ts_rs::TS)]
pub struct RekeyRequest {
    /// The current passphrase, asked again; it stays the passphrase.
    pub passphrase: String,
}

/// The result of a data-key rotation.
#[derive(Serialize, ts_rs::TS)]
pub struct RekeyResult {
    /// The new recovery key, shown once for the ceremony; the old one no
    /// longer opens the vault.
    pub recovery_key: String,
    /// How many encrypted files were re-encrypted.
    #[ts(type = "number")]
    pub files: u64,
}

/// Write a backup.
#[derive(Deserialize, ts_rs::TS)]
pub struct BackupRequest {
    /// Where the backup file goes; must not exist.
    pub path: String,
}

// Request types carry secrets: never print them.
macro_rules! redacted_debug {
    ($($t:ty),*) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($t), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(
    PassphraseRequest,
    CreateVaultRequest,
    RecoveryKeyRequest,
    RecoverRequest,
    ChangePassphraseRequest,
    CreatedVault,
    RekeyRequest,
    RekeyResult
);

impl std::fmt::Debug for BackupRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupRequest")
            .field("path", &self.path)
            .finish()
    }
}

/// Is there a vault, and is it open?
#[tauri::command(async)]
pub fn vault_state(state: State<'_, AppState>) -> IpcResult<VaultState> {
    Ok(VaultState {
        path: state.vault_dir.display().to_string(),
        exists: VaultPaths::new(&state.vault_dir).exists(),
        unlocked: state.slot().is_some(),
    })
}

/// Rates a passphrase for the strength meter.
#[tauri::command(async)]
pub fn passphrase_strength(req: PassphraseRequest) -> IpcResult<Strength> {
    Ok(strength::rate(
        &Passphrase::new(req.passphrase),
        &["casevault"],
    ))
}

/// Creates the vault and returns the recovery key, once.
#[tauri::command(async)]
pub fn vault_create(
    state: State<'_, AppState>,
    req: CreateVaultRequest,
) -> IpcResult<CreatedVault> {
    let mut slot = state.slot();
    let (mut vault, recovery) = Vault::create(
        &state.vault_dir,
        &Passphrase::new(req.passphrase),
        &CreateOptions { kdf: state.kdf },
        state.session.clone(),
    )?;
    vault.set_mode(req.mode.unwrap_or(VaultMode::Organisation))?;
    let status = vault.status()?;
    *slot = Some(vault);
    Ok(CreatedVault {
        recovery_key: recovery.display_groups().to_string(),
        status,
    })
}

/// Checks the recovery key typed back during the ceremony.
#[tauri::command(async)]
pub fn recovery_key_confirm(
    state: State<'_, AppState>,
    req: RecoveryKeyRequest,
) -> IpcResult<bool> {
    let key = match RecoveryKey::parse(&req.recovery_key) {
        Ok(k) => k,
        Err(Error::InvalidRecoveryKey { .. }) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    state.with_vault(|v| v.recovery_key_matches(&key))
}

/// Unlocks with the passphrase; progress events "search-keys" while an
/// older vault's search keys are rebuilt.
#[tauri::command(async)]
pub fn vault_unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: PassphraseRequest,
) -> IpcResult<VaultStatus> {
    let mut slot = state.slot();
    if let Some(vault) = slot.as_ref() {
        return Ok(vault.status()?);
    }
    let mut report = progress_reporter(&app, "search-keys");
    let mut vault = match Vault::open_reporting(
        &state.vault_dir,
        &Credential::Passphrase(Passphrase::new(req.passphrase)),
        state.session.clone(),
        move |done, total| report(done as u64, total as u64),
    ) {
        Ok(v) => v,
        Err(e) => {
            if matches!(e, Error::WrongCredential) {
                state.count_failed_unlock();
            }
            return Err(e.into());
        }
    };
    vault.log_failed_unlock_attempts(state.take_failed_unlocks())?;
    let status = vault.status()?;
    *slot = Some(vault);
    Ok(status)
}

/// Sets a new passphrase with the recovery key, and unlocks.
#[tauri::command(async)]
pub fn vault_recover(state: State<'_, AppState>, req: RecoverRequest) -> IpcResult<VaultStatus> {
    let mut slot = state.slot();
    // Recovery rewrites the header, which needs the vault's lock.
    drop(slot.take());
    let key = RecoveryKey::parse(&req.recovery_key)?;
    let vault = Vault::recover(
        &state.vault_dir,
        &key,
        &Passphrase::new(req.new_passphrase),
        state.kdf,
        state.session.clone(),
    )?;
    let status = vault.status()?;
    *slot = Some(vault);
    Ok(status)
}

/// Locks: closes the database, wipes the key, tells every window.
#[tauri::command(async)]
pub fn vault_lock<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> IpcResult<()> {
    lock_now(&app, &state);
    Ok(())
}

/// Locks the vault held in `state` and announces it.
pub fn lock_now<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    state.lock();
    let _ = app.emit(EVENT_VAULT_LOCKED, ());
}

/// Counts and facts about the open vault.
#[tauri::command(async)]
pub fn vault_status(state: State<'_, AppState>) -> IpcResult<VaultStatus> {
    state.with_vault(|v| v.status())
}

/// Changes the passphrase (re-wraps the slot only).
#[tauri::command(async)]
pub fn vault_change_passphrase(
    state: State<'_, AppState>,
    req: ChangePassphraseRequest,
) -> IpcResult<()> {
    state.with_vault(|v| {
        v.change_passphrase(
            &Passphrase::new(req.current),
            &Passphrase::new(req.new_passphrase),
            state.kdf,
        )
    })
}

/// Rotates the data key: the database and every encrypted file are
/// re-encrypted under new keys, reporting progress (task `rekey`), and a
/// new recovery key is returned for the ceremony.
///
/// A wrong passphrase changes nothing and keeps the vault open. After any
/// other failure the vault is locked: the next unlock finishes (or undoes)
/// the rotation, so nothing is written to a generation being replaced.
#[tauri::command(async)]
pub fn vault_rekey<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: RekeyRequest,
) -> IpcResult<RekeyResult> {
    let mut progress = progress_reporter(&app, "rekey");
    let passphrase = Passphrase::new(req.passphrase);
    let result = state.with_vault(|v| v.rekey(&passphrase, &mut progress));
    match result {
        Ok(outcome) => Ok(RekeyResult {
            recovery_key: outcome.recovery_key.display_groups().to_string(),
            files: outcome.files,
        }),
        Err(e) => {
            if !matches!(
                e.code,
                casevault_core::ErrorCode::WrongCredential | casevault_core::ErrorCode::Locked
            ) {
                lock_now(&app, &state);
            }
            Err(e)
        }
    }
}

/// Writes a backup file, reporting progress.
#[tauri::command(async)]
pub fn vault_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    req: BackupRequest,
) -> IpcResult<BackupReport> {
    let path = PathBuf::from(req.path.trim());
    if path.as_os_str().is_empty() || !path.is_absolute() {
        return Err(IpcError::from(Error::invalid(
            "path",
            casevault_core::model::problem::ProblemCode::PathNotAbsolute
                .with("what", "the backup file to create")
                .with("example", "/media/usb/casevault.cvbackup"),
        )));
    }
    let mut progress = progress_reporter(&app, "backup");
    state.with_vault(|v| v.backup_to(&path, &mut progress))
}

/// Runs the integrity checks; an empty list means intact.
#[tauri::command(async)]
pub fn vault_verify(state: State<'_, AppState>) -> IpcResult<Vec<String>> {
    state.with_vault(|v| v.verify())
}

/// Changes auto-lock and wipe settings.
#[tauri::command(async)]
pub fn lock_settings_set(state: State<'_, AppState>, req: LockSettings) -> IpcResult<LockSettings> {
    state.with_vault(|v| {
        v.set_lock_settings(req)?;
        v.lock_settings()
    })
}
