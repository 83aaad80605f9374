//! Data-key rotation (`casevault rekey`): a new data key for the database,
//! a new identity for the encrypted files, and every key slot wrapped anew.
//!
//! Changing the passphrase or the recovery key re-wraps the one data key,
//! so an older copy of `header.cvh` (a backup, an image taken at a border)
//! still opens the vault with the old credential. Only a new data key
//! makes that copy useless for what is written from then on.
//!
//! The new generation is built whole beside the old one, in
//! `rekey.new/`: the database (copied page by page under the new key with
//! `sqlcipher_export`, never in plaintext), each file in `attachments/`
//! decrypted and re-encrypted to a new age identity (its SHA-256 checked
//! on the way), and the new header. Nothing of the live vault changes
//! until the single commit point, the rename of `rekey.new/` to
//! `rekey.done/`. Then each file is renamed over its old self, the header
//! last. A crash before the commit leaves `rekey.new/`, which the next
//! unlock removes (the old generation is whole); a crash after it leaves
//! `rekey.done/`, which the next unlock finishes moving into place before
//! it reads the header. Either way every record and file opens, under one
//! key or the other.
//!
//! What it cannot do: copies taken before the rotation (backups, images)
//! still open with the credentials of their time, and show everything the
//! vault held then. The organisation's signing and intake keys live inside
//! the database and are carried over unchanged: rotating them would break
//! every contact's and reporter's copy of the public keys.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::header::{self, Credential, SlotKdf};
use super::{Vault, VaultPaths, attachments, custody, db, migrations};
use crate::crypto::recovery::RecoveryKey;
use crate::secret::{DataKey, Passphrase};
use crate::{Error, Result};

/// The generation being built; removed by the next unlock if it is found.
const STAGING: &str = "rekey.new";
/// The committed generation still being moved into place.
const COMMITTED: &str = "rekey.done";
const HEADER_NAME: &str = "header.cvh";
const DATABASE_NAME: &str = "vault.db";
const CHUNK: usize = 256 * 1024;

/// How far a rotation got. Test builds can stop it at each step, as a
/// crash would (see `tests`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    /// The database was exported under the new key.
    Database,
    /// The first file was re-encrypted.
    FirstFile,
    /// The new header was written beside the old one.
    Header,
    /// The old database was closed.
    Closed,
    /// `rekey.new` became `rekey.done`: the commit point.
    Committed,
    /// The first new file replaced its old self.
    FirstFileInstalled,
    /// The new database replaced the old one; the header did not yet.
    DatabaseInstalled,
}

#[cfg(test)]
pub(crate) mod failpoint {
    use std::cell::Cell;

    /// How an injected failure behaves.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Kind {
        /// A panic: nothing after it runs, as if the process died (only
        /// destructors run, which close files as the kernel would).
        Crash,
        /// An ordinary error (a full disk), which the rotation handles.
        Error,
    }

    thread_local! {
        pub(crate) static AT: Cell<Option<(super::Step, Kind)>> = const { Cell::new(None) };
    }
}

fn reached(step: Step) -> Result<()> {
    #[cfg(test)]
    if let Some((at, kind)) = failpoint::AT.get()
        && at == step
    {
        match kind {
            failpoint::Kind::Crash => panic!("injected crash after {step:?}"),
            failpoint::Kind::Error => {
                return Err(Error::io(
                    "write",
                    Path::new("(injected)"),
                    io::Error::other(format!("injected failure after {step:?}")),
                ));
            }
        }
    }
    let _ = step;
    Ok(())
}

/// What a rotation did.
#[derive(Debug)]
pub struct RekeyOutcome {
    /// The new recovery key: the old one cannot open the new data key, and
    /// the vault does not keep it to re-wrap. Shown once, like at creation.
    pub recovery_key: RecoveryKey,
    /// Encrypted files re-encrypted.
    pub files: u64,
}

/// Finishes or undoes a rotation a crash interrupted. Runs at unlock,
/// under the process lock and before the header is read, and needs no key.
pub(crate) fn finish_pending(paths: &VaultPaths) -> Result<()> {
    let staging = paths.dir.join(STAGING);
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io("remove", &staging, e))?;
    }
    let committed = paths.dir.join(COMMITTED);
    if committed.exists() {
        install(paths, &committed)?;
    }
    Ok(())
}

/// Moves a committed generation into place: files first, then the
/// database, the header last. Each step is a rename, so running it again
/// after a crash picks up where it stopped.
fn install(paths: &VaultPaths, committed: &Path) -> Result<()> {
    let new_files = committed.join(attachments::DIR);
    if new_files.exists() {
        let live = paths.dir.join(attachments::DIR);
        fs::create_dir_all(&live).map_err(|e| Error::io("create", &live, e))?;
        let mut first = true;
        for entry in fs::read_dir(&new_files).map_err(|e| Error::io("read", &new_files, e))? {
            let entry = entry.map_err(|e| Error::io("read", &new_files, e))?;
            let to = live.join(entry.file_name());
            fs::rename(entry.path(), &to).map_err(|e| Error::io("replace", &to, e))?;
            if first {
                first = false;
                header::sync_dir(&to)?;
                reached(Step::FirstFileInstalled)?;
            }
        }
        header::sync_dir(&live.join("x"))?;
        fs::remove_dir(&new_files).map_err(|e| Error::io("remove", &new_files, e))?;
    }
    let new_db = committed.join(DATABASE_NAME);
    if new_db.exists() {
        // The old database was closed cleanly before the commit, so its
        // WAL holds nothing the new one lacks; left in place, it would be
        // replayed onto the new file.
        let live = paths.database();
        for side in ["-wal", "-shm"] {
            let mut name = live.as_os_str().to_owned();
            name.push(side);
            match fs::remove_file(PathBuf::from(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", &live, e)),
            }
        }
        fs::rename(&new_db, &live).map_err(|e| Error::io("replace", &live, e))?;
        header::sync_dir(&live)?;
        reached(Step::DatabaseInstalled)?;
    }
    let new_header = committed.join(HEADER_NAME);
    if new_header.exists() {
        fs::rename(&new_header, paths.header())
            .map_err(|e| Error::io("replace", paths.header(), e))?;
        header::sync_dir(&paths.header())?;
    }
    fs::remove_dir_all(committed).map_err(|e| Error::io("remove", committed, e))?;
    header::sync_dir(committed)
}

/// One encrypted file to carry over, with what the database says of it.
struct Blob {
    id: String,
    /// SHA-256 and size of the plaintext, when a row names the file.
    expected: Option<(String, u64)>,
}

impl Vault {
    /// Rotates the data key: the database and every encrypted file are
    /// re-encrypted under new keys, and the header gets a passphrase slot
    /// (same passphrase and KDF costs, new salt) and a new recovery key,
    /// which is returned to be shown once. `progress` receives (bytes
    /// done, bytes total).
    ///
    /// A wrong `current` passphrase changes nothing. On an error before the
    /// commit the vault is as it was; after it, the rotation is finished at
    /// the next unlock, and this vault must be locked and unlocked again.
    pub fn rekey(
        &mut self,
        current: &Passphrase,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RekeyOutcome> {
        let now = self.now();
        let credential = Credential::Passphrase(current.clone());
        if self.header.unlock(&credential)?.is_none() {
            return Err(Error::WrongCredential);
        }
        let staging = self.paths.dir.join(STAGING);
        finish_pending(&self.paths)?;
        let built = match self.build_and_commit(&credential, &staging, now, progress) {
            Ok(built) => built,
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                if self.conn.path().is_none_or(str::is_empty) {
                    // The old database was closed for the commit: open it again.
                    self.conn =
                        db::open(&self.paths.database(), &self.key, db::OpenMode::Existing)?;
                }
                return Err(e);
            }
        };
        // Committed: from here the new generation is the vault. Should
        // moving it into place fail, this session keeps no database open
        // (a write to the old one would be lost); the next unlock finishes.
        reached(Step::Committed)?;
        install(&self.paths, &self.paths.dir.join(COMMITTED))?;
        self.conn = db::open(&self.paths.database(), &built.key, db::OpenMode::Existing)?;
        self.key = built.key;
        self.header = built.header;
        Ok(RekeyOutcome {
            recovery_key: built.recovery,
            files: built.files,
        })
    }

    fn build_and_commit(
        &mut self,
        credential: &Credential,
        staging: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Built> {
        fs::create_dir(staging).map_err(|e| Error::io("create", staging, e))?;
        let blobs = self.blobs()?;
        let live_files = self.paths.dir.join(attachments::DIR);
        let db_size = fs::metadata(self.paths.database()).map_or(0, |m| m.len());
        let total = db_size
            + blobs
                .iter()
                .filter_map(|b| fs::metadata(live_files.join(format!("{}.age", b.id))).ok())
                .map(|m| m.len())
                .sum::<u64>();
        let mut done = 0u64;
        progress(done, total);

        let key = DataKey::generate()?;
        let old_identity = self.stored_identity()?;
        let new_identity = age::x25519::Identity::generate();
        let new_db = staging.join(DATABASE_NAME);
        self.export_database(&new_db, &key)?;
        {
            let conn = db::open(&new_db, &key, db::OpenMode::Existing)?;
            if old_identity.is_some() {
                let text = Zeroizing::new(new_identity.to_string().expose_secret().to_owned());
                conn.execute(
                    "UPDATE vault_meta SET value = ?1 WHERE key = 'attachment_identity'",
                    [text.as_str()],
                )?;
            }
            custody::append(
                &conn,
                custody::NewEntry {
                    at: now,
                    actor: &self.session().actor,
                    action: custody::CustodyAction::RecoveryKeyReplaced,
                    target: None,
                    target_kind: None,
                    digest: None,
                    detail: Some(&format!(
                        "data key rotated: database and {} encrypted file(s) re-encrypted under new keys, every key slot re-wrapped, new recovery key issued",
                        blobs.len()
                    )),
                },
            )?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            conn.close().map_err(|(_, e)| Error::from(e))?;
        }
        sync_file(&new_db)?;
        done += db_size;
        progress(done, total);
        reached(Step::Database)?;

        let mut files = 0u64;
        if !blobs.is_empty() {
            let old = old_identity.as_ref().ok_or_else(|| {
                Error::tampered(
                    "encrypted files exist but the vault holds no key for them; nothing was changed",
                )
            })?;
            let out_dir = staging.join(attachments::DIR);
            fs::create_dir(&out_dir).map_err(|e| Error::io("create", &out_dir, e))?;
            let recipient = new_identity.to_public();
            for blob in &blobs {
                let name = format!("{}.age", blob.id);
                let stored = fs::metadata(live_files.join(&name)).map_or(0, |m| m.len());
                let plain = reencrypt(
                    &live_files.join(&name),
                    &out_dir.join(&name),
                    old,
                    &recipient,
                    blob,
                    &mut |n| {
                        done += n;
                        progress(done, total);
                    },
                )?;
                // Progress counts plaintext; the total, the files' sizes.
                done += stored.saturating_sub(plain);
                progress(done, total);
                files += 1;
                if files == 1 {
                    reached(Step::FirstFile)?;
                }
            }
            header::sync_dir(&out_dir.join("x"))?;
        }

        let recovery = RecoveryKey::generate()?;
        let mut new_header = self.header.clone();
        let params = self
            .header
            .body
            .slots
            .iter()
            .find_map(|s| match (s.kind, s.kdf) {
                (super::SlotKind::Passphrase, SlotKdf::Argon2id(p)) => Some(p),
                _ => None,
            })
            .ok_or_else(|| Error::tampered("the vault has no passphrase slot"))?;
        // Slots of every kind are replaced, so none under the old key stays.
        new_header.body.slots.clear();
        new_header.set_slot(credential, SlotKdf::Argon2id(params), &key)?;
        new_header.set_slot(
            &Credential::RecoveryKey(recovery.clone()),
            SlotKdf::HkdfSha256,
            &key,
        )?;
        new_header.authenticate(&key)?;
        new_header.write_atomic(&staging.join(HEADER_NAME))?;
        reached(Step::Header)?;

        // Close the live database, so its WAL is folded in and nothing
        // writes to it past this point.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let old = std::mem::replace(&mut self.conn, rusqlite::Connection::open_in_memory()?);
        old.close().map_err(|(_, e)| Error::from(e))?;
        reached(Step::Closed)?;

        let committed = self.paths.dir.join(COMMITTED);
        fs::rename(staging, &committed).map_err(|e| Error::io("commit", &committed, e))?;
        header::sync_dir(&committed)?;
        Ok(Built {
            key,
            header: new_header,
            recovery,
            files,
        })
    }

    /// Copies the open database into a new file under `key`, through
    /// SQLCipher: every page is written encrypted, none in plaintext.
    fn export_database(&self, to: &Path, key: &DataKey) -> Result<()> {
        // `x'…'`, the raw-key form, taken from the pragma so that the hex
        // text exists only in zeroizing memory.
        let pragma = key.sqlcipher_pragma();
        let literal = Zeroizing::new(
            pragma
                .trim_start_matches("PRAGMA key = \"")
                .trim_end_matches("\";")
                .to_owned(),
        );
        let path = to.to_str().ok_or_else(|| {
            Error::invalid("vault", crate::model::problem::ProblemCode::PathNotUtf8)
        })?;
        // The live connection was opened without the create flag, which
        // ATTACH inherits; an empty file is an empty database to SQLite.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(to)
            .map_err(|e| Error::io("create", to, e))?;
        self.conn.execute(
            "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
            rusqlite::params![path, literal.as_str()],
        )?;
        let result = (|| -> Result<()> {
            self.conn.execute_batch(&format!(
                "PRAGMA rekeyed.cipher_page_size = {};",
                db::CIPHER_PAGE_SIZE
            ))?;
            self.conn
                .query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
            let version = migrations::current_version(&self.conn)?;
            self.conn
                .execute_batch(&format!("PRAGMA rekeyed.user_version = {version};"))?;
            Ok(())
        })();
        let detached = self.conn.execute_batch("DETACH DATABASE rekeyed");
        result?;
        detached?;
        Ok(())
    }

    /// The identity the files are encrypted to, if one was ever made.
    fn stored_identity(&self) -> Result<Option<age::x25519::Identity>> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM vault_meta WHERE key = 'attachment_identity'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        text.map(Zeroizing::new)
            .map(|t| {
                age::x25519::Identity::from_str(&t).map_err(|_| {
                    Error::tampered("the attachment key stored in the vault is not valid")
                })
            })
            .transpose()
    }

    /// Every encrypted file in `attachments/`, with the hash its row
    /// holds. A file no row names (left by a crash before its row was
    /// written) is carried over too, so no copy stays under the old key.
    fn blobs(&self) -> Result<Vec<Blob>> {
        let mut known = std::collections::HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, sha256, size FROM attachments
             UNION ALL SELECT id, sha256, size FROM self_report_files",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (id, sha, size) = row?;
            known.insert(id, (sha, size.max(0) as u64));
        }
        let dir = self.paths.dir.join(attachments::DIR);
        let mut blobs = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(blobs),
            Err(e) => return Err(Error::io("read", &dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read", &dir, e))?;
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".age")) else {
                continue;
            };
            blobs.push(Blob {
                id: id.to_owned(),
                expected: known.remove(id),
            });
        }
        if let Some(id) = known.keys().next() {
            return Err(Error::tampered(format!(
                "the encrypted file of attachment {id} is missing; nothing was changed. Restore the vault from a backup before rotating its key"
            )));
        }
        blobs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(blobs)
    }
}

/// What a committed rotation hands back to install.
struct Built {
    key: DataKey,
    header: header::Header,
    recovery: RecoveryKey,
    files: u64,
}

/// Decrypts `from` with `old` and encrypts it to `to` for `recipient`,
/// in constant memory, checking the plaintext against its row.
fn reencrypt(
    from: &Path,
    to: &Path,
    old: &age::x25519::Identity,
    recipient: &age::x25519::Recipient,
    blob: &Blob,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let damaged = || {
        Error::tampered(format!(
            "the encrypted file {} is damaged; nothing was changed. Run `casevault audit verify` to see which record it belongs to",
            blob.id
        ))
    };
    let file = File::open(from).map_err(|e| Error::io("open", from, e))?;
    let mut reader = age::Decryptor::new_buffered(BufReader::new(file))
        .map_err(|_| damaged())?
        .decrypt(std::iter::once(old as &dyn age::Identity))
        .map_err(|_| damaged())?;
    let out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .map_err(|e| Error::io("create", to, e))?;
    let write_err = |e: io::Error| Error::io("write", to, e);
    let mut writer =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .map_err(|e| Error::Internal(format!("age: {e}")))?
            .wrap_output(out)
            .map_err(write_err)?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = Zeroizing::new(vec![0u8; CHUNK]);
    loop {
        let n = match reader.read(&mut buf[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(damaged()),
        };
        hasher.update(&buf[..n]);
        writer.write_all(&buf[..n]).map_err(write_err)?;
        size += n as u64;
        progress(n as u64);
    }
    if let Some((sha, len)) = &blob.expected
        && (data_encoding::HEXLOWER.encode(&hasher.finalize()) != *sha || size != *len)
    {
        return Err(damaged());
    }
    let out = writer.finish().map_err(write_err)?;
    out.sync_all().map_err(write_err)?;
    Ok(size)
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io("sync", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::vault::CreateOptions;
    use crate::vault::attachments::AttachRequest;

    /// Records (id, data) and attachments (id, bytes): what must read back.
    type Contents = (Vec<(String, String)>, Vec<(String, Vec<u8>)>);

    const PASS: &str = "rotate the key before the border: amber kettle 1989";

    fn pass() -> Passphrase {
        Passphrase::from(PASS)
    }

    /// A vault with records and two attachments; returns what must read
    /// back: (record id, data) pairs and (attachment id, bytes) pairs.
    fn sample(dir: &Path) -> Contents {
        let now = crate::session::testing::now();
        let (mut vault, _) = Vault::create(
            dir,
            &pass(),
            &CreateOptions {
                kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
            },
            crate::session::testing::at(now),
        )
        .unwrap();
        vault
            .insert_records_with_ids(
                &[
                    (
                        "case",
                        "case-r",
                        serde_json::json!({"id": "case-r", "title": "Rotation case", "status": "open"}),
                    ),
                    (
                        "person",
                        "p-r",
                        serde_json::json!({"id": "p-r", "names": [{"name": "Aigul Rekeyeva", "kind": "primary"}]}),
                    ),
                ],
                "test",)
            .unwrap();
        let src = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (i, len) in [(0u8, 300_000usize), (1, 17)] {
            let bytes: Vec<u8> = (0..len).map(|j| (j as u8).wrapping_mul(31) ^ i).collect();
            let path = src.path().join(format!("evidence-{i}.bin"));
            fs::write(&path, &bytes).unwrap();
            let a = vault
                .attach(
                    AttachRequest {
                        record_id: "case-r",
                        source: &path,
                        derived_from: None,
                        note: None,
                    },
                    |_, _| {},
                )
                .unwrap();
            files.push((a.id, bytes));
        }
        let records = contents(&vault).0;
        (records, files)
    }

    fn contents(vault: &Vault) -> Contents {
        let mut stmt = vault
            .conn
            .prepare("SELECT id, data FROM records ORDER BY id")
            .unwrap();
        let records = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<std::result::Result<Vec<(String, String)>, _>>()
            .unwrap();
        let files = vault
            .all_attachments()
            .unwrap()
            .into_iter()
            .map(|a| {
                let mut bytes = Vec::new();
                vault
                    .reopen_attachment(&a.id)
                    .unwrap()
                    .read_to_end(&mut bytes)
                    .unwrap();
                (a.id, bytes)
            })
            .collect();
        (records, files)
    }

    fn assert_intact(dir: &Path, want: &Contents) -> Vault {
        let vault = Vault::open(
            dir,
            &Credential::Passphrase(pass()),
            crate::session::testing::session(),
        )
        .unwrap();
        let got = contents(&vault);
        assert_eq!(got.0, want.0, "records changed");
        assert_eq!(got.1, want.1, "attachments changed");
        assert_eq!(vault.verify().unwrap(), Vec::<String>::new());
        assert!(!dir.join(STAGING).exists() && !dir.join(COMMITTED).exists());
        vault
    }

    #[test]
    fn data_reads_back_identical_and_old_keys_open_nothing_new() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("v");
        let (records, files) = sample(&dir);
        let before = tmp.path().join("before");
        copy_vault(&dir, &before);

        let mut vault = Vault::open(
            &dir,
            &Credential::Passphrase(pass()),
            crate::session::testing::session(),
        )
        .unwrap();
        let schema_before = schema(&vault);
        let hits_before = fts_hits(&vault);
        assert!(!hits_before.is_empty());
        let mut seen = Vec::new();
        let outcome = vault.rekey(&pass(), &mut |d, t| seen.push((d, t))).unwrap();
        assert_eq!(outcome.files, 2);
        let (last_done, total) = *seen.last().unwrap();
        assert_eq!(last_done, total, "progress reaches its total");
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
        // The rotated vault keeps working in this session and after.
        let now_contents = contents(&vault);
        assert_eq!(now_contents.0, records);
        assert_eq!(now_contents.1, files);
        assert_eq!(vault.verify().unwrap(), Vec::<String>::new());
        // Every table, index, trigger and the full-text index came along.
        assert_eq!(schema(&vault), schema_before);
        assert_eq!(fts_hits(&vault), hits_before);
        assert!(
            vault.conn.execute("DELETE FROM custody_log", []).is_err(),
            "the append-only triggers must survive the export"
        );
        vault.lock();
        let vault = assert_intact(&dir, &(now_contents.0.clone(), files.clone()));
        assert!(vault.recovery_key_matches(&outcome.recovery_key).unwrap());
        assert_eq!(
            migrations::current_version(&vault.conn).unwrap(),
            migrations::SCHEMA_VERSION
        );
        drop(vault);
        Vault::open(
            &dir,
            &Credential::RecoveryKey(outcome.recovery_key),
            crate::session::testing::session(),
        )
        .unwrap();

        // The old header copy unwraps the old key, which no longer opens
        // the database.
        let mixed = tmp.path().join("mixed");
        copy_vault(&dir, &mixed);
        fs::copy(before.join(HEADER_NAME), mixed.join(HEADER_NAME)).unwrap();
        let err = Vault::open(
            &mixed,
            &Credential::Passphrase(pass()),
            crate::session::testing::session(),
        )
        .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Tampered, "{err}");

        // The old header with the old database (a full image taken before)
        // holds the old file key, which opens none of the new files.
        for (id, _) in &files {
            let name = format!("{id}.age");
            fs::copy(
                dir.join(attachments::DIR).join(&name),
                before.join(attachments::DIR).join(&name),
            )
            .unwrap();
        }
        let old = Vault::open(
            &before,
            &Credential::Passphrase(pass()),
            crate::session::testing::session(),
        )
        .unwrap();
        for (id, _) in &files {
            let err = old.reopen_attachment(id).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::Tampered, "{err}");
        }
        // And the old recovery slot is gone from the new header.
        assert_eq!(
            Vault::open(
                &dir,
                &Credential::Passphrase(pass()),
                crate::session::testing::session()
            )
            .unwrap()
            .header
            .body
            .slots
            .len(),
            2
        );
    }

    #[test]
    fn a_wrong_passphrase_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("v");
        sample(&dir);
        let mut vault = Vault::open(
            &dir,
            &Credential::Passphrase(pass()),
            crate::session::testing::session(),
        )
        .unwrap();
        vault
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        let before = snapshot(&dir);
        let err = vault
            .rekey(&Passphrase::from("not the passphrase"), &mut |_, _| {})
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::WrongCredential);
        assert_eq!(snapshot(&dir), before);
        // Still usable.
        contents(&vault);
    }

    #[test]
    fn a_crash_at_any_step_leaves_a_vault_that_opens_with_everything() {
        use failpoint::Kind;
        let steps = [
            Step::Database,
            Step::FirstFile,
            Step::Header,
            Step::Closed,
            Step::Committed,
            Step::FirstFileInstalled,
            Step::DatabaseInstalled,
        ];
        for kind in [Kind::Crash, Kind::Error] {
            for step in steps {
                let tmp = tempfile::tempdir().unwrap();
                let dir = tmp.path().join("v");
                let want = sample(&dir);
                let old_header = fs::read(dir.join(HEADER_NAME)).unwrap();
                let mut vault = Vault::open(
                    &dir,
                    &Credential::Passphrase(pass()),
                    crate::session::testing::session(),
                )
                .unwrap();
                let want = (contents(&vault).0, want.1);
                failpoint::AT.set(Some((step, kind)));
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    vault.rekey(&pass(), &mut |_, _| {})
                }));
                failpoint::AT.set(None);
                match kind {
                    Kind::Crash => assert!(result.is_err(), "{step:?}"),
                    Kind::Error => assert!(matches!(result, Ok(Err(_))), "{step:?}"),
                }
                drop(vault);
                let vault = assert_intact(&dir, &want);
                let rotated = fs::read(dir.join(HEADER_NAME)).unwrap() != old_header;
                assert_eq!(
                    rotated,
                    step >= Step::Committed,
                    "{kind:?} at {step:?}: the commit point decides"
                );
                drop(vault);
                // A later rotation goes through.
                let mut vault = Vault::open(
                    &dir,
                    &Credential::Passphrase(pass()),
                    crate::session::testing::session(),
                )
                .unwrap();
                vault.rekey(&pass(), &mut |_, _| {}).unwrap();
                drop(vault);
                assert_intact(&dir, &want);
            }
        }
    }

    fn schema(vault: &Vault) -> Vec<(String, String, Option<String>)> {
        let mut stmt = vault
            .conn
            .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap()
    }

    fn fts_hits(vault: &Vault) -> Vec<String> {
        crate::ops::search::search(
            vault,
            "Rotation",
            &crate::ops::search::Filters::default(),
            50,
        )
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.record_id)
        .collect()
    }

    fn copy_vault(from: &Path, to: &Path) {
        fs::create_dir_all(to.join(attachments::DIR)).unwrap();
        for name in [HEADER_NAME, DATABASE_NAME] {
            fs::copy(from.join(name), to.join(name)).unwrap();
        }
        let wal = from.join("vault.db-wal");
        if wal.exists() {
            fs::copy(&wal, to.join("vault.db-wal")).unwrap();
        }
        for e in fs::read_dir(from.join(attachments::DIR)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), to.join(attachments::DIR).join(e.file_name())).unwrap();
        }
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((p.clone(), fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
}
