// Generated from the Rust IPC types (src-tauri/src/ipc.rs) by scripts/gen-bindings.
// Do not edit by hand: run `scripts/gen-bindings` after changing a command or type.
import { invoke } from "@tauri-apps/api/core";

export type AboutInfo = { 
/**
 * The app's version.
 */
app_version: string, 
/**
 * The Tauri version linked in.
 */
tauri_version: string, 
/**
 * The core's versions and crypto choices.
 */
core: CoreInfo, 
/**
 * Whether core dumps are off for this process.
 */
core_dumps_disabled: boolean, };
export type BackupReport = { 
/**
 * The backup file.
 */
path: string, 
/**
 * Its size.
 */
bytes: number, };
export type BackupRequest = { 
/**
 * Where the backup file goes; must not exist.
 */
path: string, };
export type ChangePassphraseRequest = { 
/**
 * The current passphrase, asked again.
 */
current: string, 
/**
 * The new one.
 */
new_passphrase: string, };
export type CoreInfo = { 
/**
 * This crate's version.
 */
core_version: string, 
/**
 * The SQLCipher version, as reported by the linked library.
 */
sqlcipher_version: string, 
/**
 * The SQLite version underneath SQLCipher.
 */
sqlite_version: string, 
/**
 * The crypto provider SQLCipher uses.
 */
sqlcipher_provider: string, 
/**
 * The crypto choices.
 */
crypto: CryptoChoices, };
export type CreateVaultRequest = { 
/**
 * The new passphrase.
 */
passphrase: string, };
export type CreatedVault = { 
/**
 * Shown once, for the recovery-key ceremony.
 */
recovery_key: string, 
/**
 * The new vault.
 */
status: VaultStatus, };
export type CryptoChoices = { 
/**
 * Database encryption.
 */
database: string, 
/**
 * Passphrase key derivation.
 */
passphrase_kdf: string, 
/**
 * Key wrapping in key slots.
 */
key_wrapping: string, 
/**
 * Recovery-key derivation.
 */
recovery_kdf: string, };
export type ErrorCode = "vault_not_found" | "vault_exists" | "wrong_credential" | "tampered" | "vault_in_use" | "newer_version" | "weak_passphrase" | "invalid_recovery_key" | "keys_destroyed" | "locked" | "invalid_input" | "import_rejected" | "disk_full" | "io" | "internal";
export type IpcError = { 
/**
 * Stable error code.
 */
code: ErrorCode, 
/**
 * Human-readable message (English; the UI translates by code).
 */
message: string, };
export type LockSettings = { 
/**
 * Lock after this many idle minutes (1–240).
 */
idle_lock_minutes: number, 
/**
 * Destroy the key slots after this many failed unlocks (3–100), or never.
 */
wipe_after_failed_unlocks: number | null, };
export type PassphraseRequest = { 
/**
 * The passphrase.
 */
passphrase: string, };
export type ProgressEvent = { 
/**
 * Which task ("backup", …).
 */
task: string, 
/**
 * Units done.
 */
done: number, 
/**
 * Units in all.
 */
total: number, };
export type RecordCount = { 
/**
 * Record kind.
 */
kind: string, 
/**
 * How many.
 */
count: number, };
export type RecoverRequest = { 
/**
 * The recovery key.
 */
recovery_key: string, 
/**
 * The new passphrase.
 */
new_passphrase: string, };
export type RecoveryKeyRequest = { 
/**
 * As typed; groups and case do not matter.
 */
recovery_key: string, };
export type SlotKind = "passphrase" | "recovery";
export type SlotSummary = { 
/**
 * What opens it.
 */
kind: SlotKind, 
/**
 * Its KDF, in words.
 */
kdf: string, };
export type Strength = { 
/**
 * zxcvbn score, 0 (weakest) to 4.
 */
score: number, 
/**
 * Whether the vault will accept it.
 */
acceptable: boolean, 
/**
 * zxcvbn's warning, in English.
 */
warning: string | null, 
/**
 * zxcvbn's suggestions, in English.
 */
suggestions: Array<string>, };
export type UiPrefs = { 
/**
 * "en" or "ru".
 */
language: string, };
export type VaultState = { 
/**
 * The vault directory.
 */
path: string, 
/**
 * A vault exists there.
 */
exists: boolean, 
/**
 * It is unlocked in this window.
 */
unlocked: boolean, };
export type VaultStatus = { 
/**
 * The vault directory.
 */
path: string, 
/**
 * Random vault id.
 */
vault_id: string, 
/**
 * Creation time (RFC 3339).
 */
created_at: string, 
/**
 * Database schema version.
 */
schema_version: number, 
/**
 * Header format version.
 */
header_format: number, 
/**
 * The key slots, by kind.
 */
slots: Array<SlotSummary>, 
/**
 * Lock settings.
 */
lock: LockSettings, 
/**
 * Failed unlocks between the previous successful unlock and this one.
 */
failed_unlocks_before_this_one: number, 
/**
 * Record counts by kind (trash excluded).
 */
record_counts: Array<RecordCount>, 
/**
 * Bytes on disk (database plus WAL).
 */
size_bytes: number, };

/** Every backend command. The Tauri implementation is below; tests use a mock. */
export interface Commands {
  about(): Promise<AboutInfo>;
  prefsGet(): Promise<UiPrefs>;
  prefsSet(req: UiPrefs): Promise<UiPrefs>;
  vaultState(): Promise<VaultState>;
  passphraseStrength(req: PassphraseRequest): Promise<Strength>;
  vaultCreate(req: CreateVaultRequest): Promise<CreatedVault>;
  recoveryKeyConfirm(req: RecoveryKeyRequest): Promise<boolean>;
  vaultUnlock(req: PassphraseRequest): Promise<VaultStatus>;
  vaultRecover(req: RecoverRequest): Promise<VaultStatus>;
  vaultLock(): Promise<null>;
  vaultStatus(): Promise<VaultStatus>;
  vaultChangePassphrase(req: ChangePassphraseRequest): Promise<null>;
  vaultBackup(req: BackupRequest): Promise<BackupReport>;
  vaultVerify(): Promise<Array<string>>;
  lockSettingsSet(req: LockSettings): Promise<LockSettings>;
}

/** Event names the backend emits. */
export const EVENTS = { progress: "progress", vaultLocked: "vault-locked" } as const;

export const tauriCommands: Commands = {
  about: () => invoke("about"),
  prefsGet: () => invoke("prefs_get"),
  prefsSet: (req) => invoke("prefs_set", { req }),
  vaultState: () => invoke("vault_state"),
  passphraseStrength: (req) => invoke("passphrase_strength", { req }),
  vaultCreate: (req) => invoke("vault_create", { req }),
  recoveryKeyConfirm: (req) => invoke("recovery_key_confirm", { req }),
  vaultUnlock: (req) => invoke("vault_unlock", { req }),
  vaultRecover: (req) => invoke("vault_recover", { req }),
  vaultLock: () => invoke("vault_lock"),
  vaultStatus: () => invoke("vault_status"),
  vaultChangePassphrase: (req) => invoke("vault_change_passphrase", { req }),
  vaultBackup: (req) => invoke("vault_backup", { req }),
  vaultVerify: () => invoke("vault_verify"),
  lockSettingsSet: (req) => invoke("lock_settings_set", { req }),
};
