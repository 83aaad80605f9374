//! Backups: one file holding a consistent copy of the vault, still
//! encrypted, that opens with the same passphrase or recovery key.
//!
//! The file is a plain tar archive of `casevault-backup.json`, `header.cvh`,
//! `vault.db` and the encrypted files beside it, copied as they are (they
//! never change once written): evidence and self-report files
//! (`attachments/<id>.age`) and sealed reports waiting in the intake inbox
//! (`intake/<bundle id>.age`). The database copy is made with SQLite's online backup API
//! into an encrypted staging file beside the target, so no plaintext page
//! ever reaches disk and the live vault stays usable.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, Progress, StepResult};
use serde::{Deserialize, Serialize};

use super::header::{self, Header};
use super::{Credential, Vault, VaultPaths, attachments, custody, db};
use crate::{Error, Result};

const MANIFEST_NAME: &str = "casevault-backup.json";
const HEADER_NAME: &str = "header.cvh";
const DATABASE_NAME: &str = "vault.db";
const BACKUP_FORMAT: u32 = 1;
/// Entries larger than this cannot be ours (the header is a few KiB; the
/// database is bounded by what a disk holds, so it has no cap of its own).
const MAX_SMALL_ENTRY: u64 = 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupManifest {
    format: u32,
    vault_id: String,
    created_by_version: String,
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackupReport {
    /// The backup file.
    pub path: String,
    /// Its size.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

impl Vault {
    /// Writes a backup to `out`, which must not exist yet. `progress`
    /// receives (pages done, pages total) while the database is copied.
    pub fn backup_to(
        &self,
        out: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BackupReport> {
        if out.exists() {
            return Err(Error::VaultExists {
                path: out.to_path_buf(),
            });
        }
        let partial = header::temp_path_for(out);
        let result = (|| {
            let file = File::create(&partial).map_err(|e| Error::io("create", &partial, e))?;
            let file = self.backup_to_writer(file, &partial, progress)?;
            file.sync_all()
                .map_err(|e| Error::io("sync", &partial, e))?;
            fs::rename(&partial, out).map_err(|e| Error::io("rename", out, e))?;
            header::sync_dir(out)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&partial);
        }
        result?;
        custody::append(
            &self.conn,
            custody::NewEntry {
                at: self.now(),
                actor: &self.session().actor,
                action: custody::CustodyAction::Backup,
                target: None,
                target_kind: None,
                digest: None,
                detail: Some(&format!("to {}", out.display())),
            },
        )?;
        let bytes = fs::metadata(out)
            .map_err(|e| Error::io("read", out, e))?
            .len();
        Ok(BackupReport {
            path: out.display().to_string(),
            bytes,
        })
    }

    /// Writes the backup archive into `sink`. `near` names a file in the
    /// directory where the encrypted staging copy may go (beside the target,
    /// so that it is on the same disk and as protected as the target).
    pub fn backup_to_writer<W: Write>(
        &self,
        sink: W,
        near: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<W> {
        let staging = StagingDir::new_beside(near)?;
        let staged_db = staging.path.join(DATABASE_NAME);
        {
            let mut dst = db::open(&staged_db, &self.key, db::OpenMode::Create)?;
            let backup = Backup::new(&self.conn, &mut dst)?;
            loop {
                let step = backup.step(256)?;
                let p: Progress = backup.progress();
                let total = p.pagecount.max(0) as u64;
                progress(total.saturating_sub(p.remaining.max(0) as u64), total);
                match step {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // We hold the only connection to both databases.
                    StepResult::Busy | StepResult::Locked => return Err(Error::VaultInUse),
                    _ => return Err(Error::Internal("unexpected backup step result".into())),
                }
            }
            drop(backup);
            // The copy inherits WAL mode; fold the WAL in so that one file holds it all.
            dst.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            dst.pragma_update(None, "journal_mode", "DELETE")?;
        }
        let manifest = serde_json::to_vec_pretty(&BackupManifest {
            format: BACKUP_FORMAT,
            vault_id: self.header.body.vault_id.clone(),
            created_by_version: crate::CORE_VERSION.into(),
        })
        .map_err(|e| Error::Internal(format!("backup manifest: {e}")))?;
        let header_bytes =
            fs::read(self.paths.header()).map_err(|e| Error::io("read", self.paths.header(), e))?;

        let mut tar = tar::Builder::new(sink);
        let out_err = |e: io::Error| Error::io("write the backup to", near, e);
        append_bytes(&mut tar, MANIFEST_NAME, &manifest).map_err(out_err)?;
        append_bytes(&mut tar, HEADER_NAME, &header_bytes).map_err(out_err)?;
        let mut db_file = File::open(&staged_db).map_err(|e| Error::io("read", &staged_db, e))?;
        let len = db_file
            .metadata()
            .map_err(|e| Error::io("read", &staged_db, e))?
            .len();
        let mut head = tar_header(len);
        tar.append_data(&mut head, DATABASE_NAME, &mut db_file)
            .map_err(out_err)?;
        for (name, label) in self.encrypted_files()? {
            let path = self.paths.dir.join(&name);
            let mut file = File::open(&path).map_err(|_| {
                Error::tampered(format!(
                    "{label} is missing from the vault; run `casevault audit verify`"
                ))
            })?;
            let len = file
                .metadata()
                .map_err(|e| Error::io("read", &path, e))?
                .len();
            let mut head = tar_header(len);
            tar.append_data(&mut head, &name, &mut file)
                .map_err(out_err)?;
        }
        tar.into_inner().map_err(out_err)
    }
}

impl Vault {
    /// Every encrypted file beside the database, by path relative to the
    /// vault, with how to name it in an error: evidence, the files of
    /// self-reports, and sealed reports waiting in the intake inbox.
    fn encrypted_files(&self) -> Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = self
            .all_attachments()?
            .into_iter()
            .map(|a| {
                (
                    format!("{}/{}.age", attachments::DIR, a.id),
                    format!("attachment \"{}\"", a.original_name),
                )
            })
            .collect();
        for r in self.reports()? {
            for f in self.report_files(&r.id)? {
                out.push((
                    format!("{}/{}.age", attachments::DIR, f.id),
                    format!("report file \"{}\"", f.original_name),
                ));
            }
        }
        let mut stmt = self
            .conn
            .prepare("SELECT bundle_id FROM intake_inbox WHERE status = 'pending'")?;
        let pending = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for id in pending {
            let id = id?;
            out.push((
                format!("intake/{id}.age"),
                format!("the sealed report {id} in the intake inbox"),
            ));
        }
        Ok(out)
    }
}

/// Restores the backup at `backup` into a new vault directory `dir`. The
/// credential is checked and the copy verified before `dir` appears, so a
/// bad backup or a wrong passphrase leaves nothing behind. Opening the
/// copy may upgrade it, as `session`.
pub fn restore(
    backup: &Path,
    dir: &Path,
    credential: &Credential,
    session: crate::Session,
) -> Result<()> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::VaultExists {
            path: dir.to_path_buf(),
        });
    }
    let file = File::open(backup).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::VaultNotFound {
            path: backup.to_path_buf(),
        },
        _ => Error::io("read", backup, e),
    })?;
    let staging = StagingDir::new_beside(dir)?;
    unpack(file, &staging.path)?;
    {
        let vault = Vault::open(&staging.path, credential, session)?;
        let mut problems = vault.verify()?;
        problems.extend(
            vault
                .audit_verify(true, |_, _| {})?
                .problems
                .into_iter()
                .map(|p| p.problem),
        );
        if !problems.is_empty() {
            return Err(Error::tampered(format!(
                "the backup failed verification: {}",
                problems.join("; ")
            )));
        }
    }
    if dir.exists() {
        fs::remove_dir(dir).map_err(|e| Error::io("replace", dir, e))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, dir).map_err(|e| Error::io("move the restored vault to", dir, e))?;
    header::sync_dir(dir)
}

fn unpack(file: File, into: &Path) -> Result<()> {
    let bad = |why: &str| {
        Error::tampered(format!(
            "this is not a Casevault backup, or it is damaged ({why})"
        ))
    };
    let mut archive = tar::Archive::new(file);
    let mut seen = Vec::new();
    // Raw entries: otherwise the tar crate reads a GNU long name or PAX
    // header whole, whatever size it declares, before we see the entry.
    // Backups never need them (every name is short), so they are refused
    // as unexpected entry types.
    for entry in archive
        .entries()
        .map_err(|_| bad("unreadable archive"))?
        .raw(true)
    {
        let mut entry = entry.map_err(|_| bad("unreadable entry"))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(bad("unexpected entry type"));
        }
        let name = entry
            .path()
            .map_err(|_| bad("bad entry name"))?
            .to_string_lossy()
            .into_owned();
        let size = entry.size();
        let allowed = match name.as_str() {
            MANIFEST_NAME | HEADER_NAME => size <= MAX_SMALL_ENTRY,
            DATABASE_NAME => true,
            other if is_encrypted_entry(other, "attachments/") => {
                let dir = into.join(attachments::DIR);
                fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
                size <= attachments::MAX_ATTACHMENT_BYTES + attachments::MAX_AGE_OVERHEAD
            }
            other if is_encrypted_entry(other, "intake/") => {
                let dir = into.join("intake");
                fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
                size <= crate::bundle::read::MAX_TOTAL_BYTES + attachments::MAX_AGE_OVERHEAD * 16
            }
            _ => return Err(bad("unexpected file in archive")),
        };
        if !allowed {
            return Err(bad("entry too large"));
        }
        if seen.contains(&name) {
            return Err(bad("duplicate entry"));
        }
        if name == MANIFEST_NAME {
            let mut text = Vec::new();
            entry
                .read_to_end(&mut text)
                .map_err(|_| bad("unreadable manifest"))?;
            let m: BackupManifest =
                serde_json::from_slice(&text).map_err(|_| bad("unreadable manifest"))?;
            if m.format > BACKUP_FORMAT {
                return Err(Error::NewerVersion {
                    found: m.format,
                    supported: BACKUP_FORMAT,
                });
            }
        } else {
            let target = into.join(&name);
            let mut out = File::create(&target).map_err(|e| Error::io("create", &target, e))?;
            io::copy(&mut entry, &mut out).map_err(|e| Error::io("write", &target, e))?;
            out.sync_all().map_err(|e| Error::io("sync", &target, e))?;
        }
        seen.push(name);
    }
    for needed in [MANIFEST_NAME, HEADER_NAME, DATABASE_NAME] {
        if !seen.iter().any(|n| n == needed) {
            return Err(bad("incomplete archive"));
        }
    }
    // Parse the header now so a damaged one is reported as such.
    Header::read(&VaultPaths::new(into).header())?;
    Ok(())
}

/// `<dir><32 lowercase hex>.age`, and nothing else: the name is joined to
/// the staging directory, so it must not be able to escape it.
fn is_encrypted_entry(name: &str, dir: &str) -> bool {
    name.strip_prefix(dir)
        .and_then(|rest| rest.strip_suffix(".age"))
        .is_some_and(|id| {
            id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

fn tar_header(len: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_size(len);
    h.set_mode(0o600);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

fn append_bytes<W: Write>(tar: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> io::Result<()> {
    let mut h = tar_header(bytes.len() as u64);
    tar.append_data(&mut h, name, bytes)
}

/// A private directory beside a target path, removed on drop unless kept.
struct StagingDir {
    path: PathBuf,
    keep: bool,
}

impl StagingDir {
    fn new_beside(target: &Path) -> Result<Self> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        let suffix = data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<6>()?);
        let path = parent.join(format!(".casevault-staging-{suffix}"));
        fs::create_dir(&path).map_err(|e| Error::io("create", &path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o700))
                .map_err(|e| Error::io("protect", &path, e))?;
        }
        Ok(Self { path, keep: false })
    }

    fn keep(mut self) -> PathBuf {
        self.keep = true;
        self.path.clone()
    }
}

impl Drop for StagingDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}
