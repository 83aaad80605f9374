//! The encrypted vault: a directory holding the key-slot header and the
//! SQLCipher database.
//!
//! ```text
//! <vault>/                 (mode 0700)
//!   header.cvh             key slots (JSON; wrapped keys only)
//!   vault.db               SQLCipher database, every page encrypted + HMAC
//!   vault.db-wal           SQLCipher-encrypted write-ahead log (while open)
//!   vault.lock             advisory lock: one process at a time
//!   attachments/<id>.age   evidence and report files (age, key in vault.db)
//!   rekey.new/, rekey.done/  only during a key rotation (see `rekey`)
//! ```
//!
//! A directory rather than one file because the key slots must be readable
//! before the database can be decrypted, and rewriting them must be atomic.
//! Backups (`backup.rs`) are one file, restored in one step.

pub mod attachments;
mod attempts;
pub mod backup;
pub(crate) mod blobs;
pub mod case_index;
pub mod contacts;
pub mod custody;
pub mod db;
pub mod drafts;
#[cfg(test)]
mod forensics;
pub mod header;
pub(crate) mod inbox;
pub mod lock;
pub mod migrations;
pub(crate) mod name_index;
pub mod org_key;
pub(crate) mod refs;
pub mod rekey;
pub mod search_index;
pub mod self_reports;
pub mod spaces;
pub mod spool;
pub mod staff_labels;
pub mod store;
pub mod team_settings;
pub mod unload;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

pub use header::{Credential, SlotKind};
pub use rekey::RekeyOutcome;
pub use self_reports::VaultMode;
pub use store::{
    KnownRecords, RecordChange, RecordMeta, RecordVersion, StoredRecord, TrashedRecord,
};

use crate::crypto::kdf::{Argon2Params, KdfChoice};
use crate::crypto::recovery::RecoveryKey;
use crate::crypto::strength;
use crate::model::problem::ProblemCode;
use crate::secret::{DataKey, Passphrase};
use crate::session::Session;
use crate::{Error, Result};
use header::{Header, SlotKdf};
use lock::ProcessLock;

/// The files that make up a vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultPaths {
    /// The vault directory.
    pub dir: PathBuf,
}

impl VaultPaths {
    /// The paths of the vault in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
    /// The key-slot header.
    pub fn header(&self) -> PathBuf {
        self.dir.join("header.cvh")
    }
    /// The SQLCipher database.
    pub fn database(&self) -> PathBuf {
        self.dir.join("vault.db")
    }
    /// The failed-unlock counter of the wipe policy (see `attempts`).
    pub fn unlock_attempts(&self) -> PathBuf {
        self.dir.join("unlock-attempts")
    }
    /// The process lock.
    pub fn lock(&self) -> PathBuf {
        self.dir.join("vault.lock")
    }
    /// True when a vault (or what is left of one) is there.
    pub fn exists(&self) -> bool {
        self.header().exists() || self.database().exists()
    }
}

/// Options for a new vault.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// argon2id parameters for the passphrase slot.
    pub kdf: KdfChoice,
}

/// Limits on the auto-lock and wipe settings, for validation.
pub const IDLE_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=240;
/// Allowed values for "wipe after N failed unlocks".
pub const WIPE_AFTER_RANGE: std::ops::RangeInclusive<u32> = 3..=100;

/// Lock-related settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LockSettings {
    /// Lock after this many idle minutes (1–240).
    pub idle_lock_minutes: u32,
    /// Destroy the key slots after this many failed unlocks (3–100), or never.
    pub wipe_after_failed_unlocks: Option<u32>,
}

/// What `status` reports about an unlocked vault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VaultStatus {
    /// The vault directory.
    pub path: String,
    /// Random vault id.
    pub vault_id: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Database schema version.
    pub schema_version: u32,
    /// Header format version.
    pub header_format: u32,
    /// The key slots, by kind.
    pub slots: Vec<SlotSummary>,
    /// Lock settings.
    pub lock: LockSettings,
    /// Failed unlocks between the previous successful unlock and this one.
    pub failed_unlocks_before_this_one: u32,
    /// Record counts by kind (trash excluded).
    pub record_counts: Vec<RecordCount>,
    /// Bytes on disk (database plus WAL).
    pub size_bytes: u64,
    /// Who the vault is for.
    pub mode: VaultMode,
}

/// One key slot, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SlotSummary {
    /// What opens it.
    pub kind: SlotKind,
    /// Its KDF, in words.
    pub kdf: String,
}

/// Count of records of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordCount {
    /// Record kind.
    pub kind: String,
    /// How many.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
}

/// An unlocked vault. Dropping it (or calling [`Vault::lock`]) closes the
/// database and wipes the key.
pub struct Vault {
    paths: VaultPaths,
    pub(crate) conn: Connection,
    key: DataKey,
    header: Header,
    failed_unlocks_before_this_one: u32,
    session: Session,
    /// What a crate above the core keeps in memory between calls while the
    /// vault is unlocked (the sync crate: a space's replica, so that a
    /// timed sync need not read every version from disk again). Gone with
    /// the vault, at lock.
    memo: Option<Box<dyn std::any::Any + Send + Sync>>,
    _lock: ProcessLock,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.paths.dir)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a vault in `dir`, which must not exist or be empty. Returns
    /// the unlocked vault and the recovery key, which must be shown to the
    /// user once and never stored. Changes through it are made by
    /// `session`'s actor at its clock's time.
    pub fn create(
        dir: &Path,
        passphrase: &Passphrase,
        options: &CreateOptions,
        session: Session,
    ) -> Result<(Self, RecoveryKey)> {
        strength::require_strong(passphrase, &["casevault"])?;
        let paths = VaultPaths::new(dir);
        prepare_empty_dir(dir)?;
        let result = Self::create_in(
            &paths,
            passphrase,
            options,
            session,
            migrations::SCHEMA_VERSION,
        );
        if result.is_err() {
            // Leave nothing half-made behind.
            let _ = fs::remove_dir_all(dir);
        }
        result
    }

    fn create_in(
        paths: &VaultPaths,
        passphrase: &Passphrase,
        options: &CreateOptions,
        session: Session,
        schema: u32,
    ) -> Result<(Self, RecoveryKey)> {
        let now = session.now();
        let lock = ProcessLock::acquire(&paths.lock())?;
        let key = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let mut header = Header::new(now)?;
        header.set_slot(
            &Credential::Passphrase(passphrase.clone()),
            SlotKdf::Argon2id(options.kdf.resolve()?),
            &key,
        )?;
        header.set_slot(
            &Credential::RecoveryKey(recovery.clone()),
            SlotKdf::HkdfSha256,
            &key,
        )?;
        header.authenticate(&key)?;
        header.write_atomic(&paths.header())?;
        let mut conn = db::open(&paths.database(), &key, db::OpenMode::Create)?;
        migrations::migrate_to(&mut conn, schema, now)?;
        conn.execute(
            "INSERT INTO vault_meta (key, value) VALUES ('vault_id', ?1), ('created_at', ?2), ('created_by_version', ?3)",
            rusqlite::params![header.body.vault_id, store::timestamp(now), crate::CORE_VERSION],
        )?;
        if schema >= custody::SINCE_SCHEMA {
            custody::append(
                &conn,
                custody::NewEntry {
                    at: now,
                    actor: &session.actor,
                    action: custody::CustodyAction::VaultCreated,
                    target: None,
                    target_kind: None,
                    digest: None,
                    detail: Some(&format!("vault {}", header.body.vault_id)),
                },
            )?;
        }
        let vault = Vault {
            paths: paths.clone(),
            conn,
            key,
            header,
            failed_unlocks_before_this_one: 0,
            session,
            memo: None,
            _lock: lock,
        };
        Ok((vault, recovery))
    }

    /// Unlocks the vault in `dir`.
    ///
    /// A wrong credential changes nothing on disk unless the user turned on
    /// "wipe after N failed unlocks", which needs a counter in the header.
    /// Changes through it are made by `session`'s actor at its clock's time.
    pub fn open(dir: &Path, credential: &Credential, session: Session) -> Result<Self> {
        let paths = VaultPaths::new(dir);
        if !paths.exists() {
            return Err(Error::VaultNotFound {
                path: dir.to_path_buf(),
            });
        }
        let lock = ProcessLock::acquire(&paths.lock())?;
        // A key rotation a crash interrupted is finished (or undone) before
        // the header is read, so the header and the data always match.
        rekey::finish_pending(&paths)?;
        let mut header = Header::read(&paths.header())?;
        if header.keys_destroyed() {
            return Err(Error::KeysDestroyed);
        }
        // With a wipe policy, this attempt is counted (durably) before the
        // key derivation starts, so killing the process during it does not
        // avoid the count; success takes the count back. Older vaults kept
        // the count in the header, which is still honoured.
        let counted = match header.body.wipe_after_failed_unlocks {
            Some(limit) => {
                let counter = paths.unlock_attempts();
                let before =
                    attempts::read(&counter, &header.body.vault_id)?.max(header.failed_unlocks);
                if before >= limit {
                    // Attempts were made (and interrupted) up to the limit.
                    destroy_key_slots(&paths, header)?;
                    return Err(Error::KeysDestroyed);
                }
                attempts::write(&counter, &header.body.vault_id, before + 1)?;
                Some((limit, before))
            }
            None => None,
        };
        let Some(key) = header.unlock(credential)? else {
            return Err(match counted {
                Some((limit, before)) if before + 1 >= limit => {
                    match destroy_key_slots(&paths, header) {
                        Ok(()) => Error::KeysDestroyed,
                        Err(e) => e,
                    }
                }
                Some((limit, before)) => Error::WrongCredentialCounted {
                    attempts_left: limit - (before + 1),
                },
                None => Error::WrongCredential,
            });
        };
        header.verify(&key)?;
        let failed = counted.map_or(0, |(_, before)| before);
        if counted.is_some() {
            attempts::write(&paths.unlock_attempts(), &header.body.vault_id, 0)?;
        }
        if header.failed_unlocks > 0 {
            header.failed_unlocks = 0;
            header.write_atomic(&paths.header())?;
        }
        let mut conn = db::open(&paths.database(), &key, db::OpenMode::Existing)?;
        let now = session.now();
        migrations::migrate(&mut conn, now)?;
        custody::ensure_baseline(&mut conn, now)?;
        custody::rebaseline_legacy_digests(&mut conn, now)?;
        if failed > 0 {
            log_failed_unlocks(&conn, failed, &session)?;
        }
        remove_stale_temp(&paths);
        blobs::remove_partials(&paths.dir);
        Ok(Vault {
            paths,
            conn,
            key,
            header,
            failed_unlocks_before_this_one: failed,
            session,
            memo: None,
            _lock: lock,
        })
    }

    /// [`Vault::open`], reporting (records done, records in all) while a
    /// vault from an older version rebuilds its search keys, the one step
    /// of opening that can take minutes (about 90 s for 100,000 records).
    pub fn open_reporting(
        dir: &Path,
        credential: &Credential,
        session: Session,
        progress: impl FnMut(usize, usize) + Send + 'static,
    ) -> Result<Self> {
        name_index::set_rebuild_progress(Some(Box::new(progress)));
        let vault = Self::open(dir, credential, session);
        name_index::set_rebuild_progress(None);
        vault
    }

    /// Sets a new passphrase using the recovery key, and unlocks.
    pub fn recover(
        dir: &Path,
        recovery: &RecoveryKey,
        new_passphrase: &Passphrase,
        kdf: KdfChoice,
        session: Session,
    ) -> Result<Self> {
        strength::require_strong(new_passphrase, &["casevault"])?;
        let mut vault = Self::open(dir, &Credential::RecoveryKey(recovery.clone()), session)?;
        vault.set_passphrase(new_passphrase, kdf)?;
        Ok(vault)
    }

    /// Replaces the passphrase. Only the slot is re-wrapped; the data is
    /// not re-encrypted, because the data key does not change.
    pub fn change_passphrase(
        &mut self,
        current: &Passphrase,
        new: &Passphrase,
        kdf: KdfChoice,
    ) -> Result<()> {
        if self
            .header
            .unlock(&Credential::Passphrase(current.clone()))?
            .is_none()
        {
            return Err(Error::WrongCredential);
        }
        strength::require_strong(new, &["casevault"])?;
        self.set_passphrase(new, kdf)
    }

    fn set_passphrase(&mut self, new: &Passphrase, kdf: KdfChoice) -> Result<()> {
        let mut header = self.header.clone();
        header.set_slot(
            &Credential::Passphrase(new.clone()),
            SlotKdf::Argon2id(kdf.resolve()?),
            &self.key,
        )?;
        self.commit_header(header)?;
        self.log_event(custody::CustodyAction::PassphraseChange, None, None)
    }

    /// Replaces the recovery key. The old one no longer opens this header,
    /// but the data key is unchanged: a copy of the header taken before
    /// (a backup, a seized image) still opens the vault with the old
    /// recovery key. Only [`Vault::rekey`] makes such copies useless for
    /// what is written afterwards.
    pub fn new_recovery_key(&mut self) -> Result<RecoveryKey> {
        let recovery = RecoveryKey::generate()?;
        let mut header = self.header.clone();
        header.set_slot(
            &Credential::RecoveryKey(recovery.clone()),
            SlotKdf::HkdfSha256,
            &self.key,
        )?;
        self.commit_header(header)?;
        self.log_event(custody::CustodyAction::RecoveryKeyReplaced, None, None)?;
        Ok(recovery)
    }

    /// Logs wrong-credential attempts the app counted in memory before
    /// this unlock (see [`log_failed_unlocks`]), and reports them in
    /// [`VaultStatus::failed_unlocks_before_this_one`] like the attempts a
    /// wipe policy counts in the header, so the warning reaches the user
    /// whichever kept the count.
    pub fn log_failed_unlock_attempts(&mut self, count: u32) -> Result<()> {
        if count == 0 {
            return Ok(());
        }
        log_failed_unlocks(&self.conn, count, &self.session)?;
        self.failed_unlocks_before_this_one += count;
        Ok(())
    }

    /// True when `recovery` opens this vault: the UI's "type it back"
    /// confirmation during the recovery-key ceremony.
    pub fn recovery_key_matches(&self, recovery: &RecoveryKey) -> Result<bool> {
        Ok(self
            .header
            .unlock(&Credential::RecoveryKey(recovery.clone()))?
            .is_some())
    }

    fn commit_header(&mut self, mut header: Header) -> Result<()> {
        header.authenticate(&self.key)?;
        header.write_atomic(&self.paths.header())?;
        self.header = header;
        Ok(())
    }

    /// Reads the lock settings.
    pub fn lock_settings(&self) -> Result<LockSettings> {
        let idle: String = self.conn.query_row(
            "SELECT value FROM settings WHERE key = 'idle_lock_minutes'",
            [],
            |r| r.get(0),
        )?;
        Ok(LockSettings {
            idle_lock_minutes: idle
                .parse()
                .map_err(|_| Error::tampered("a stored setting is malformed"))?,
            wipe_after_failed_unlocks: self.header.body.wipe_after_failed_unlocks,
        })
    }

    /// Changes the lock settings after validating them.
    pub fn set_lock_settings(&mut self, settings: LockSettings) -> Result<()> {
        if !IDLE_LOCK_RANGE.contains(&settings.idle_lock_minutes) {
            return Err(Error::invalid(
                "idle_lock_minutes",
                ProblemCode::OutOfRange
                    .with("min", IDLE_LOCK_RANGE.start())
                    .with("max", IDLE_LOCK_RANGE.end()),
            ));
        }
        if let Some(n) = settings.wipe_after_failed_unlocks
            && !WIPE_AFTER_RANGE.contains(&n)
        {
            return Err(Error::invalid(
                "wipe_after_failed_unlocks",
                ProblemCode::OutOfRange
                    .with("min", WIPE_AFTER_RANGE.start())
                    .with("max", WIPE_AFTER_RANGE.end()),
            ));
        }
        self.conn.execute(
            "UPDATE settings SET value = ?1 WHERE key = 'idle_lock_minutes'",
            [settings.idle_lock_minutes.to_string()],
        )?;
        if settings.wipe_after_failed_unlocks != self.header.body.wipe_after_failed_unlocks {
            let mut header = self.header.clone();
            header.body.wipe_after_failed_unlocks = settings.wipe_after_failed_unlocks;
            self.commit_header(header)?;
        }
        Ok(())
    }

    /// Facts and counts for `casevault status` and the UI.
    pub fn status(&self) -> Result<VaultStatus> {
        let size_bytes = [self.paths.database(), wal_path(&self.paths.database())]
            .iter()
            .filter_map(|p| fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        Ok(VaultStatus {
            path: self.paths.dir.display().to_string(),
            vault_id: self.header.body.vault_id.clone(),
            created_at: store::timestamp(self.header.body.created_at),
            schema_version: migrations::current_version(&self.conn)?,
            header_format: self.header.format,
            slots: self
                .header
                .body
                .slots
                .iter()
                .map(|s| SlotSummary {
                    kind: s.kind,
                    kdf: match s.kdf {
                        SlotKdf::Argon2id(Argon2Params { m_kib, t, p }) => {
                            format!("argon2id, {} MiB, t={t}, p={p}", m_kib / 1024)
                        }
                        SlotKdf::HkdfSha256 => "HKDF-SHA256".into(),
                    },
                })
                .collect(),
            lock: self.lock_settings()?,
            failed_unlocks_before_this_one: self.failed_unlocks_before_this_one,
            record_counts: self
                .record_counts()?
                .into_iter()
                .map(|(kind, count)| RecordCount { kind, count })
                .collect(),
            size_bytes,
            mode: self.mode()?,
        })
    }

    /// Runs SQLCipher's page-HMAC check and SQLite's integrity check over
    /// the whole database, and re-checks the header MAC. Returns the list
    /// of problems; empty means intact.
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if let Err(e) = self.header.verify(&self.key) {
            problems.push(e.to_string());
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            problems.push(format!("page check: {}", row?));
        }
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let line = row?;
            if line != "ok" {
                problems.push(format!("structure check: {line}"));
            }
        }
        Ok(problems)
    }

    /// Locks the vault: closes the database and wipes the key. Same as
    /// dropping it, but says so at the call site.
    pub fn lock(self) {
        drop(self);
    }

    /// The memo a crate above the core keeps while the vault is unlocked
    /// (see the field); it holds whatever that crate puts there, case data
    /// included, and is dropped with the vault.
    pub fn memo_mut(&mut self) -> &mut Option<Box<dyn std::any::Any + Send + Sync>> {
        &mut self.memo
    }

    /// The vault's directory.
    pub fn paths(&self) -> &VaultPaths {
        &self.paths
    }

    /// The random vault id.
    pub fn vault_id(&self) -> &str {
        &self.header.body.vault_id
    }

    /// Who writes through this vault, and the clock it asks the time.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The time of a change made now, by the session's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.session.now()
    }

    /// The author of a change made now.
    pub(crate) fn actor(&self) -> String {
        self.session.actor.clone()
    }

    /// Runs `write` with `author` as the actor of every change it makes,
    /// then the session's own again (also when `write` fails). For a sync
    /// applying a change a space member made: its history and custody
    /// entries name the member's device, not this vault's user.
    pub fn write_as<T>(
        &mut self,
        author: &str,
        write: impl FnOnce(&mut Vault) -> Result<T>,
    ) -> Result<T> {
        let own = std::mem::replace(&mut self.session.actor, author.to_owned());
        let result = write(self);
        self.session.actor = own;
        result
    }

    /// Writes as `actor` from now on: tests that play two people on one
    /// vault. A real session's author never changes while it is open.
    #[cfg(feature = "test-support")]
    pub fn set_actor(&mut self, actor: &str) {
        self.session.actor = actor.to_owned();
    }
}

/// Reads what can be known of a vault without unlocking it.
pub fn inspect(dir: &Path) -> Result<Header> {
    let paths = VaultPaths::new(dir);
    if !paths.exists() {
        return Err(Error::VaultNotFound {
            path: dir.to_path_buf(),
        });
    }
    Header::read(&paths.header())
}

/// Records failed unlock attempts in the custody log once the right
/// credential is given: a wrong one must not write to the vault, so the
/// count is carried until then (in the header with a wipe policy, in the
/// app's memory without one).
pub(crate) fn log_failed_unlocks(conn: &Connection, count: u32, session: &Session) -> Result<()> {
    custody::append(
        conn,
        custody::NewEntry {
            at: session.now(),
            actor: &session.actor,
            action: custody::CustodyAction::FailedUnlock,
            target: None,
            target_kind: None,
            digest: None,
            detail: Some(&format!(
                "{count} failed unlock attempt(s) before this unlock"
            )),
        },
    )
}

/// Overwrites the header in place with random bytes, then replaces it with
/// one that has no slots. Without a slot the data key is gone, and with it
/// every way into the database.
fn destroy_key_slots(paths: &VaultPaths, mut header: Header) -> Result<()> {
    let path = paths.header();
    if let Ok(len) = fs::metadata(&path).map(|m| m.len()) {
        let mut noise = vec![0u8; len as usize];
        crate::crypto::fill_random(&mut noise)?;
        use std::io::Write;
        let mut f = fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        f.write_all(&noise)
            .map_err(|e| Error::io("overwrite", &path, e))?;
        f.sync_all().map_err(|e| Error::io("sync", &path, e))?;
    }
    header.body.slots.clear();
    header.write_atomic(&path)
}

fn prepare_empty_dir(dir: &Path) -> Result<()> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::VaultExists {
                    path: dir.to_path_buf(),
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        }
        Err(e) => return Err(Error::io("read", dir, e)),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io("protect", dir, e))?;
    }
    Ok(())
}

fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push("-wal");
    db.with_file_name(name)
}

/// A header write interrupted by a crash leaves its temp file; once we hold
/// the key the real header has been verified, so the leftover can go.
fn remove_stale_temp(paths: &VaultPaths) {
    let _ = fs::remove_file(header::temp_path_for(&paths.header()));
}

/// The default vault location: `<data dir>/casevault/vault`, e.g.
/// `~/.local/share/casevault/vault` on Linux. Deliberately not the Tauri
/// app-data directory, which belongs to the webview.
pub fn default_location() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("casevault")
        .join("vault")
}

#[cfg(test)]
mod fixtures {
    //! Writes the old-schema fixture vaults kept under `tests/fixtures/`,
    //! which the integration tests migrate. A fixture is written once, when
    //! the schema after it is introduced, and then never changed.

    use super::*;
    use crate::crypto::kdf::Argon2Params;

    /// The passphrase of every committed fixture vault.
    pub const FIXTURE_PASSPHRASE: &str = "fixture vault passphrase: amber kettle horizon 1989";

    /// Writes a record with the schema-1 table layout directly, so that the
    /// writers of old fixtures do not depend on today's store (which also
    /// writes tables those schemas do not have).
    fn insert_raw(
        vault: &Vault,
        kind: &str,
        id: &str,
        data: &serde_json::Value,
        now: DateTime<Utc>,
    ) {
        let at = store::timestamp(now);
        vault
            .conn
            .execute(
                "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by)
                 VALUES (?1, ?2, 1, ?3, ?4, 'fixture', ?4, 'fixture')",
                rusqlite::params![id, kind, data.to_string(), at],
            )
            .unwrap();
        vault
            .conn
            .execute(
                "INSERT INTO record_versions (record_id, version, data, changed_at, changed_by, change_note)
                 VALUES (?1, 1, ?2, ?3, 'fixture', 'imported')",
                rusqlite::params![id, data.to_string(), at],
            )
            .unwrap();
    }

    fn write_fixture(schema: u32, fill: impl FnOnce(&mut Vault, DateTime<Utc>)) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/vault-schema-{schema}"));
        let _ = fs::remove_dir_all(&dir);
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 1, 9, 30, 0).unwrap();
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        fs::create_dir_all(&dir).unwrap();
        let (mut vault, _) = Vault::create_in(
            &VaultPaths::new(&dir),
            &Passphrase::from(FIXTURE_PASSPHRASE),
            &options,
            Session::new("fixture", crate::Clock::fixed(now)),
            schema,
        )
        .unwrap();
        fill(&mut vault, now);
        assert_eq!(migrations::current_version(&vault.conn).unwrap(), schema);
        vault.lock();
    }

    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_1_fixture() {
        write_fixture(1, |vault, now| {
            let data = serde_json::json!({ "text": "Written at schema 1: Ketebayev / Кетебаев, March 2008" });
            insert_raw(
                vault,
                "note",
                "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                &data,
                now,
            );
        });
    }

    /// Schema 2 as released: model records with case links, one of them
    /// trashed, for migration 3's case index to pick up.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_2_fixture() {
        write_fixture(2, |vault, _| {
            let case = serde_json::json!({"id": "case-fixture", "title": "Fixture case (schema 2)", "status": "open"});
            let person = serde_json::json!({
                "id": "p-fixture",
                "names": [{"name": "Daniyar Moldashev", "kind": "primary"}, {"name": "Молдашев Данияр", "kind": "alias"}],
                "case_roles": [{"case": "case-fixture", "role": "victim"}]
            });
            let incident = serde_json::json!({
                "id": "inc-fixture", "case": "case-fixture", "title": "Abduction attempt",
                "act_type": "abduction", "start": "2008-03", "description": "Written at schema 2."
            });
            let gone = serde_json::json!({
                "id": "inc-trashed", "case": "case-fixture", "title": "Entered by mistake",
                "act_type": "coercion_by_proxy", "start": "2009", "description": ""
            });
            vault
                .insert_records_with_ids(
                    &[
                        ("case", "case-fixture", case),
                        ("person", "p-fixture", person),
                        ("incident", "inc-fixture", incident),
                        ("incident", "inc-trashed", gone),
                    ],
                    "imported",
                )
                .unwrap();
            vault.trash_record("inc-trashed", "duplicate").unwrap();
        });
    }

    /// Records of one small case, with a person whose alias is Cyrillic,
    /// as the schema 3 to 5 fixtures hold them.
    fn fixture_case(schema: u32) -> [(&'static str, &'static str, serde_json::Value); 3] {
        let case = format!("case-s{schema}");
        [
            (
                "case",
                ["case-s3", "case-s4", "case-s5"][schema as usize - 3],
                serde_json::json!({"id": case, "title": format!("Fixture case (schema {schema})"), "status": "open"}),
            ),
            (
                "person",
                ["p-s3", "p-s4", "p-s5"][schema as usize - 3],
                serde_json::json!({
                    "id": format!("p-s{schema}"),
                    "names": [{"name": "Aizhan Ospanova", "kind": "primary"}, {"name": "Айжан Оспанова", "kind": "alias"}],
                    "case_roles": [{"case": case, "role": "victim"}]
                }),
            ),
            (
                "incident",
                ["inc-s3", "inc-s4", "inc-s5"][schema as usize - 3],
                serde_json::json!({
                    "id": format!("inc-s{schema}"), "case": case, "title": "Summons to the district police",
                    "act_type": "summons", "start": "2019-05", "description": format!("Written at schema {schema}.")
                }),
            ),
        ]
    }

    /// Attaches a text file with `text` to `record`, as the fixture writers
    /// of schemas 4 on do (the attachments table came with schema 4).
    fn fixture_attach(vault: &mut Vault, record: &str, text: &str) {
        let file =
            std::env::temp_dir().join(format!("fixture-{record}-{}.txt", std::process::id()));
        fs::write(&file, text).unwrap();
        vault
            .attach(
                attachments::AttachRequest {
                    record_id: record,
                    source: &file,
                    derived_from: None,
                    note: Some("written with the fixture"),
                },
                |_, _| {},
            )
            .unwrap();
        fs::remove_file(&file).unwrap();
    }

    /// Schema 3 as released (case index and drafts, no custody log yet):
    /// records written in that table layout and a draft, for migration 4
    /// to baseline and migration 5 to index.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_3_fixture() {
        write_fixture(3, |vault, now| {
            for (kind, id, data) in fixture_case(3) {
                insert_raw(vault, kind, id, &data, now);
            }
            vault
                .save_draft(
                    "incident:case-s3",
                    &serde_json::json!({"title": "Half-written at schema 3"}),
                )
                .unwrap();
        });
    }

    /// Schema 4 as released (custody log and attachments, no search yet):
    /// records with their creation entries and an evidence file, for
    /// migration 5 to index and migration 9 to put the log in a tree.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_4_fixture() {
        write_fixture(4, |vault, now| {
            for (kind, id, data) in fixture_case(4) {
                insert_raw(vault, kind, id, &data, now);
                custody::append(
                    &vault.conn,
                    custody::NewEntry {
                        at: now,
                        actor: "fixture",
                        action: custody::CustodyAction::Import,
                        target: Some(id),
                        target_kind: Some(kind),
                        digest: Some(custody::record_state_digest(&vault.conn, id).unwrap()),
                        detail: None,
                    },
                )
                .unwrap();
            }
            fixture_attach(vault, "inc-s4", "Evidence written at schema 4");
        });
    }

    /// Schema 5 as released (search, before contacts and identities):
    /// records with their name keys and an evidence file, for migration 10
    /// to key for search and migration 7 to make an organisation's vault.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_5_fixture() {
        write_fixture(5, |vault, _| {
            vault
                .insert_records_with_ids(&fixture_case(5), "imported")
                .unwrap();
            fixture_attach(vault, "inc-s5", "Evidence written at schema 5");
        });
    }

    /// Schema 6 as released: records, an evidence file, a contact and an
    /// intake identity, for migration 7 (self-reports and the intake inbox)
    /// to keep, and to receive a report with.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_6_fixture() {
        write_fixture(6, |vault, _| {
            let case = serde_json::json!({"id": "case-s6", "title": "Fixture case (schema 6)", "status": "open"});
            let person = serde_json::json!({
                "id": "p-s6",
                "names": [{"name": "Bota Zhumabayeva", "kind": "primary"}, {"name": "Бота Жумабаева", "kind": "alias"}],
                "case_roles": [{"case": "case-s6", "role": "victim"}]
            });
            vault
                .insert_records_with_ids(
                    &[("case", "case-s6", case), ("person", "p-s6", person)],
                    "imported",
                )
                .unwrap();
            let file = std::env::temp_dir().join(format!("fixture-s6-{}.txt", std::process::id()));
            fs::write(&file, "Evidence written at schema 6").unwrap();
            vault
                .attach(
                    attachments::AttachRequest {
                        record_id: "case-s6",
                        source: &file,
                        derived_from: None,
                        note: None,
                    },
                    |_, _| {},
                )
                .unwrap();
            fs::remove_file(&file).unwrap();
            vault.create_identity("Intake key").unwrap();
            vault
                .add_contact(contacts::NewContact {
                    name: "Anna Lawyer",
                    organisation: Some("Bar"),
                    key: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
                    verified_on: Some("2026-10-30"),
                })
                .unwrap();
        });
    }

    /// Schema 9 as released (before the search keys): Russian text with
    /// inflected words and places, an English incident and an Uzbek-spelt
    /// name, for migration 10 to key.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_9_fixture() {
        write_fixture(9, |vault, _| {
            let rows = [
                (
                    "case",
                    "case-fixture",
                    serde_json::json!({"id": "case-fixture", "title": "Fixture case (schema 8)", "status": "open"}),
                ),
                (
                    "person",
                    "p-fixture",
                    serde_json::json!({
                        "id": "p-fixture",
                        "names": [{"name": "Rustam Xo'jayev", "kind": "primary"}],
                        "case_roles": [{"case": "case-fixture", "role": "victim"}]
                    }),
                ),
                (
                    "testimony",
                    "t-fixture",
                    serde_json::json!({
                        "id": "t-fixture", "case": "case-fixture", "person": "p-fixture",
                        "language": "ru", "statement": "Written at schema 8: я был в командировке в Москве.",
                        "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                                    "share_un": false, "share_media": false, "publish": false}
                    }),
                ),
                (
                    "incident",
                    "inc-fixture",
                    serde_json::json!({
                        "id": "inc-fixture", "case": "case-fixture", "title": "Beaten near Almaty airport",
                        "act_type": "assault", "start": "2011-03-26", "description": "Written at schema 8."
                    }),
                ),
            ];
            vault.insert_records_with_ids(&rows, "imported").unwrap();
        });
    }

    /// Schema 7 as released: two self-reports accepted with the consent
    /// mapping of that version (sharing with lawyers also recorded as
    /// courts, a named reporter's anonymity "full", no consent date or
    /// contact answer), one of them amended by a caseworker afterwards, for
    /// migration 8 to repair the first and leave the second.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_7_fixture() {
        write_fixture(7, |vault, now| {
            let old_consent = serde_json::json!({
                "record": true, "share_lawyers": true, "share_courts": true, "share_un": false,
                "share_media": false, "publish": false, "anonymity": "full"
            });
            let mut records = Vec::new();
            for (short, name) in [("aaaa00000000", "Aigerim N."), ("bbbb00000000", "Bota Z.")] {
                let case = format!("sr-{short}-case");
                let person = format!("sr-{short}-reporter");
                records.push((
                    "case",
                    case.clone(),
                    serde_json::json!({
                        "id": case, "title": format!("Self-report: {name}"), "status": "open",
                        "tags": ["self-report"]
                    }),
                ));
                records.push((
                    "person",
                    person.clone(),
                    serde_json::json!({
                        "id": person, "names": [{"name": name, "kind": "primary"}],
                        "pseudonym": format!("Reporter {short}"),
                        "case_roles": [{"case": case, "role": "victim"}]
                    }),
                ));
                let statement = format!("sr-{short}-statement");
                records.push((
                    "testimony",
                    statement.clone(),
                    serde_json::json!({
                        "id": statement, "case": case, "person": person, "language": "ru",
                        "mode": "self_report", "statement": "They followed me.",
                        "consent": old_consent
                    }),
                ));
            }
            let rows: Vec<(&str, &str, serde_json::Value)> = records
                .iter()
                .map(|(k, id, v)| (*k, id.as_str(), v.clone()))
                .collect();
            vault.insert_records_with_ids(&rows, "imported").unwrap();
            // The caseworker confirmed courts with the second reporter.
            let mut amended = records[5].2.clone();
            amended["statement"] = serde_json::json!("They followed me (confirmed by phone).");
            vault
                .amend_record(
                    "sr-bbbb00000000-statement",
                    &amended,
                    "courts confirmed by phone",
                )
                .unwrap();
            for (i, (short, name)) in [("aaaa00000000", "Aigerim N."), ("bbbb00000000", "Bota Z.")]
                .into_iter()
                .enumerate()
            {
                let report = serde_json::json!({
                    "format": "casevault-self-report", "version": 1,
                    "report_id": format!("{short}{short}{}", &short[..8]),
                    "answers": {
                        "step": 7, "language": "ru", "about_me": {"name": name},
                        "consent": {"record": true, "share_lawyers": true, "share_un": false,
                                    "contact_me": true, "pseudonym_only": false}
                    },
                    "files": []
                });
                let data = serde_json::json!({
                    "format": "casevault-interchange", "version": 1,
                    "cases": [records[i * 3].2], "persons": [records[i * 3 + 1].2],
                    "testimonies": [records[i * 3 + 2].2]
                });
                vault
                    .conn
                    .execute(
                        "INSERT INTO intake_inbox (bundle_id, received_at, received_by, sealed_at, reporter_fingerprint, reporter_key, data, report, status, decided_at, decided_by, case_id)
                         VALUES (?1, ?2, 'fixture', '2026-10-20T08:00:00.000Z', 'SHA256:fixture', 'ssh-ed25519 AAAA fixture', ?3, ?4, 'accepted', ?2, 'fixture', ?5)",
                        rusqlite::params![
                            format!("{:0>32}", i + 1),
                            store::timestamp(now),
                            data.to_string(),
                            report.to_string(),
                            format!("sr-{short}-case")
                        ],
                    )
                    .unwrap();
            }
        });
    }

    /// Schema 8 as released: a case with a person, an evidence file and an
    /// amendment in the custody log, and a v1 checkpoint (a head hash, no
    /// Merkle root) signed and logged as that version did, kept beside the
    /// vault (vault-schema-8-checkpoint.txt and .sig), for migration 9 to
    /// turn the log into a Merkle tree under which the old checkpoint
    /// still verifies.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_8_fixture() {
        write_fixture(8, |vault, now| {
            let case = serde_json::json!({"id": "case-s8", "title": "Fixture case (schema 8)", "status": "open"});
            let person = serde_json::json!({
                "id": "p-s8",
                "names": [{"name": "Yerlan Dzhaksybekov", "kind": "primary"}, {"name": "Ерлан Джаксыбеков", "kind": "alias"}],
                "case_roles": [{"case": "case-s8", "role": "victim"}]
            });
            let incident = serde_json::json!({
                "id": "inc-s8", "case": "case-s8", "title": "Detention at the border",
                "act_type": "abduction", "start": "2026-09", "description": "Written at schema 8."
            });
            vault
                .insert_records_with_ids(
                    &[
                        ("case", "case-s8", case),
                        ("person", "p-s8", person),
                        ("incident", "inc-s8", incident.clone()),
                    ],
                    "imported",
                )
                .unwrap();
            let mut amended = incident;
            amended["description"] = serde_json::json!("Written at schema 8, then amended.");
            vault
                .amend_record("inc-s8", &amended, "witness added the date")
                .unwrap();
            let file = std::env::temp_dir().join(format!("fixture-s8-{}.txt", std::process::id()));
            fs::write(&file, "Evidence written at schema 8").unwrap();
            vault
                .attach(
                    attachments::AttachRequest {
                        record_id: "inc-s8",
                        source: &file,
                        derived_from: None,
                        note: None,
                    },
                    |_, _| {},
                )
                .unwrap();
            fs::remove_file(&file).unwrap();
            // The checkpoint exactly as schema 8's Casevault signed it.
            let report = vault.audit_verify(false, |_, _| {}).unwrap();
            let key = vault.org_key().unwrap();
            let text = org_key::checkpoint_text_v1(
                &vault.header.body.vault_id,
                report.entries,
                &report.head_hash,
                &store::timestamp(now),
            );
            let signature = key
                .sign(org_key::CHECKPOINT_NAMESPACE, text.as_bytes())
                .unwrap();
            custody::append(
                &vault.conn,
                custody::NewEntry {
                    at: now,
                    actor: "fixture",
                    action: custody::CustodyAction::Checkpoint,
                    target: None,
                    target_kind: None,
                    digest: Some(report.head_hash.clone()),
                    detail: Some(&format!(
                        "signed checkpoint of {} entries by {}",
                        report.entries,
                        key.fingerprint()
                    )),
                },
            )
            .unwrap();
            let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
            fs::write(fixtures.join("vault-schema-8-checkpoint.txt"), text).unwrap();
            fs::write(
                fixtures.join("vault-schema-8-checkpoint.txt.sig"),
                signature,
            )
            .unwrap();
        });
    }

    /// Schema 10 as released (before the reference table): a case whose
    /// tag spells a person's id, records that refer to the case and the
    /// person in several fields, and a trashed incident, for migration 11
    /// to fill `record_refs` with the real references only.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_10_fixture() {
        write_fixture(10, |vault, _now| {
            let rows = [
                (
                    "case",
                    "case-s10",
                    serde_json::json!({"id": "case-s10", "title": "Fixture case (schema 10)",
                        "status": "open", "tags": ["p-s10"]}),
                ),
                (
                    "person",
                    "p-s10",
                    serde_json::json!({
                        "id": "p-s10",
                        "names": [{"name": "Nurlan Abenov", "kind": "primary"}, {"name": "Нурлан Абенов", "kind": "alias"}],
                        "case_roles": [{"case": "case-s10", "role": "victim"}]
                    }),
                ),
                (
                    "organisation",
                    "org-s10",
                    serde_json::json!({"id": "org-s10", "name": "KNB", "kind": "security_service", "country": "KZ"}),
                ),
                (
                    "incident",
                    "inc-s10",
                    serde_json::json!({
                        "id": "inc-s10", "case": "case-s10", "title": "Followed home",
                        "act_type": "physical_surveillance", "start": "2025-02",
                        "description": "Written at schema 10 about p-s10.", "victims": ["p-s10"],
                        "perpetrators": [{"organisation": "org-s10", "involvement": "carried_out", "attribution": "suspected"}]
                    }),
                ),
                (
                    "incident",
                    "inc-s10-trashed",
                    serde_json::json!({
                        "id": "inc-s10-trashed", "case": "case-s10", "title": "Entered twice",
                        "act_type": "physical_surveillance", "start": "2025-02", "description": "",
                        "witnesses": ["p-s10"]
                    }),
                ),
            ];
            vault.insert_records_with_ids(&rows, "imported").unwrap();
            vault.trash_record("inc-s10-trashed", "duplicate").unwrap();
        });
    }

    /// Schema 11 as released: records with references (kept in
    /// record_refs), one trashed, for migration 12 (spaces) to leave alone.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_11_fixture() {
        write_fixture(11, |vault, _now| {
            let rows = [
                (
                    "case",
                    "case-s11",
                    serde_json::json!({"id": "case-s11", "title": "Fixture case (schema 11)", "status": "open"}),
                ),
                (
                    "person",
                    "p-s11",
                    serde_json::json!({
                        "id": "p-s11",
                        "names": [{"name": "Aigerim Sadykova", "kind": "primary"}, {"name": "Айгерим Садыкова", "kind": "original_script"}],
                        "case_roles": [{"case": "case-s11", "role": "victim"}]
                    }),
                ),
                (
                    "incident",
                    "inc-s11",
                    serde_json::json!({
                        "id": "inc-s11", "case": "case-s11", "title": "Summons to the consulate",
                        "act_type": "threat", "start": "2024-03",
                        "description": "Written at schema 11.", "victims": ["p-s11"]
                    }),
                ),
                (
                    "incident",
                    "inc-s11-trashed",
                    serde_json::json!({
                        "id": "inc-s11-trashed", "case": "case-s11", "title": "Entered twice",
                        "act_type": "threat", "start": "2024-03", "description": ""
                    }),
                ),
            ];
            vault.insert_records_with_ids(&rows, "imported").unwrap();
            vault.trash_record("inc-s11-trashed", "duplicate").unwrap();
        });
    }

    /// Schema 12 as released (record_cases kept by triggers): a person with
    /// roles in two cases (twice in one), records in each case, a trashed
    /// incident, and a tag that spells the other case's id, for migration
    /// 13 to rebuild the case index from the records.
    #[test]
    #[ignore = "writes committed fixtures; run by hand with --ignored when adding a migration"]
    fn write_schema_12_fixture() {
        write_fixture(12, |vault, _now| {
            let rows = [
                (
                    "case",
                    "case-s12",
                    serde_json::json!({"id": "case-s12", "title": "Fixture case (schema 12)", "status": "open"}),
                ),
                (
                    "case",
                    "case-s12b",
                    serde_json::json!({"id": "case-s12b", "title": "Second fixture case (schema 12)",
                        "status": "open", "tags": ["case-s12"]}),
                ),
                (
                    "person",
                    "p-s12",
                    serde_json::json!({
                        "id": "p-s12",
                        "names": [{"name": "Yerlan Zhakupov", "kind": "primary"}, {"name": "Ерлан Жакупов", "kind": "original_script"}],
                        "case_roles": [{"case": "case-s12", "role": "victim"},
                                       {"case": "case-s12", "role": "witness"},
                                       {"case": "case-s12b", "role": "witness"}]
                    }),
                ),
                (
                    "incident",
                    "inc-s12",
                    serde_json::json!({
                        "id": "inc-s12", "case": "case-s12", "title": "Passport withheld",
                        "act_type": "coercion_by_proxy", "start": "2025-06",
                        "description": "Written at schema 12.", "victims": ["p-s12"]
                    }),
                ),
                (
                    "incident",
                    "inc-s12-trashed",
                    serde_json::json!({
                        "id": "inc-s12-trashed", "case": "case-s12", "title": "Entered twice",
                        "act_type": "coercion_by_proxy", "start": "2025-06", "description": ""
                    }),
                ),
                (
                    "intervention",
                    "iv-s12",
                    serde_json::json!({
                        "id": "iv-s12", "case": "case-s12b", "actor_kind": "un_special_procedure",
                        "request": "Urgent appeal", "status": "pending"
                    }),
                ),
            ];
            vault.insert_records_with_ids(&rows, "imported").unwrap();
            vault.trash_record("inc-s12-trashed", "duplicate").unwrap();
        });
    }
}
