//! The encrypted blob store: evidence bytes, streamed into the vault
//! encrypted, in constant memory, and read back checked.
//!
//! Each blob is an age file (X25519, STREAM: 64 KiB chunks, each
//! authenticated) in `attachments/<id>.age`, encrypted to an identity that
//! lives only inside the encrypted database. The age format is used rather
//! than SQLite blobs so that multi-GB videos stream at age's speed, can be
//! read from any offset (video previews seek), and never pass through the
//! WAL twice. Blobs are never rewritten; integrity is checked on every
//! read (each chunk's tag, and the SHA-256 on a full read). What a blob
//! belongs to (a record's attachment, a self-report's file) is kept in the
//! tables that name it, never here.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::Vault;
use crate::crypto::hash::hash_in_background;
use crate::evidence::{self, Capture, MAX_ATTACHMENT_BYTES, SNIFF_BYTES};
use crate::{Error, Result};

/// The most an age file adds to its plaintext: the header plus a 16-byte
/// tag per 64 KiB chunk (bounded generously for 4 GiB).
pub const MAX_AGE_OVERHEAD: u64 = 64 * 1024 + (MAX_ATTACHMENT_BYTES / (64 * 1024) + 1) * 16;
/// How much is read from the source at a time while storing or checking.
const READ_CHUNK: usize = 256 * 1024;
/// Directory under the vault holding the encrypted files.
pub(crate) const DIR: &str = "attachments";
pub(crate) const PARTIAL_SUFFIX: &str = ".partial";

/// Flushes a file being written to disk every [`Flusher::EVERY`] bytes on
/// a background thread. The attachment must be on disk before the vault
/// records it; without this, a large file sits in the page cache and the
/// final fsync writes it all while the user waits. This way the disk
/// works while the cipher does, and the last fsync has little left.
pub(crate) struct Flusher {
    tx: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    next: u64,
}

impl Flusher {
    const EVERY: u64 = 64 * 1024 * 1024;

    pub(crate) fn start(file: &File) -> io::Result<Self> {
        let file = file.try_clone()?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::spawn(move || {
            for () in rx {
                // An error here resurfaces in the final fsync, which is
                // checked; this one only moves work earlier.
                let _ = file.sync_data();
            }
        });
        Ok(Self {
            tx: Some(tx),
            thread: Some(thread),
            next: Self::EVERY,
        })
    }

    /// Called with the plaintext bytes written so far.
    pub(crate) fn wrote(&mut self, bytes: u64) {
        if bytes >= self.next {
            self.next = bytes + Self::EVERY;
            if let Some(tx) = &self.tx {
                // Never wait: if a flush is still running, skip this one.
                let _ = tx.try_send(());
            }
        }
    }

    pub(crate) fn stop(mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Removes a half-written file when dropped, unless it was kept.
pub(crate) struct PartialFile {
    pub(crate) path: PathBuf,
    pub(crate) keep: bool,
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// An encrypted file just written under `attachments/`, not yet referenced
/// by any row: it is removed when dropped unless [`StoredBlob::keep`] is
/// called after the row that names it was committed.
pub(crate) struct StoredBlob {
    /// Its id (`attachments/<id>.age`).
    pub id: String,
    /// Plaintext size.
    pub size: u64,
    /// SHA-256 of the plaintext.
    pub sha256: String,
    /// The start of the plaintext, to detect its type and capture metadata.
    pub prefix: Zeroizing<Vec<u8>>,
    guard: PartialFile,
}

impl StoredBlob {
    /// The row naming this file is committed: keep the file.
    pub fn keep(mut self) {
        self.guard.keep = true;
    }

    /// The detected media type.
    pub fn media_type(&self) -> String {
        evidence::media_type(&self.prefix)
    }

    /// Capture metadata read from the file.
    pub fn capture(&self) -> Capture {
        evidence::capture_metadata(&self.prefix)
    }
}

/// The columns every table of stored files (`attachments`,
/// `self_report_files`) has, first in each query of [`query_files`].
const FILE_COLUMNS: &str = "id, original_name, size, sha256, media_type, capture, added_at, note";

/// What every stored file has, whoever it belongs to: the blob, what was
/// known when it came in, and a note. A record's attachment and a
/// self-report's file are this plus their owner's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileFacts {
    pub id: String,
    pub original_name: String,
    pub size: u64,
    pub sha256: String,
    pub media_type: String,
    pub capture: Capture,
    pub added_at: String,
    pub note: Option<String>,
}

/// The one row mapper of stored files: reads [`FILE_COLUMNS`] and then
/// `extra_columns` (read by `extra`, from column index 8) from `from`
/// (a table and its filter on `?1`), oldest first.
pub(crate) fn query_files<E>(
    conn: &rusqlite::Connection,
    extra_columns: &str,
    from: &str,
    arg: Option<&str>,
    extra: impl Fn(&rusqlite::Row<'_>, usize) -> rusqlite::Result<E>,
) -> Result<Vec<(FileFacts, E)>> {
    let sql = format!("SELECT {FILE_COLUMNS}, {extra_columns} FROM {from} ORDER BY rowid");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([arg], |r| {
        Ok((
            FileFacts {
                id: r.get(0)?,
                original_name: r.get(1)?,
                size: r.get::<_, i64>(2)?.max(0) as u64,
                sha256: r.get(3)?,
                media_type: r.get(4)?,
                capture: Capture::default(),
                added_at: r.get(6)?,
                note: r.get(7)?,
            },
            r.get::<_, String>(5)?,
            extra(r, 8)?,
        ))
    })?;
    rows.map(|row| {
        let (mut facts, capture, extra) = row?;
        facts.capture = Capture::from_column(&capture)?;
        Ok((facts, extra))
    })
    .collect()
}

/// Which blob to read, and what it was when it was stored: the digest and
/// size it must still have, and the name to give when it is damaged.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlobRef<'a> {
    /// Its id (`attachments/<id>.age`).
    pub id: &'a str,
    /// The name it was stored under, for messages.
    pub name: &'a str,
    /// SHA-256 of the plaintext at intake.
    pub sha256: &'a str,
    /// Plaintext size at intake.
    pub size: u64,
}

impl Vault {
    /// Streams `source` into a new encrypted file in constant memory,
    /// hashing on a second thread; `expected` is the size to report
    /// progress against. Nothing is written in plaintext, and on any
    /// failure the half-written file is removed.
    pub(crate) fn store_encrypted(
        &self,
        source: &mut dyn Read,
        expected: u64,
        source_err: &dyn Fn(io::Error) -> Error,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<StoredBlob> {
        let id = data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<16>()?);
        self.store_encrypted_as(id, source, expected, source_err, progress)
    }

    /// [`Vault::store_encrypted`] under a given id: a file received from a
    /// team space keeps the id it has on every replica. The caller has
    /// checked that `id` is 32 lowercase hex characters (a file name).
    pub(crate) fn store_encrypted_as(
        &self,
        id: String,
        source: &mut dyn Read,
        expected: u64,
        source_err: &dyn Fn(io::Error) -> Error,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<StoredBlob> {
        let dir = self.blobs_dir();
        fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        let final_path = self.blob_path(&id);
        let partial_path = dir.join(format!("{id}.age{PARTIAL_SUFFIX}"));
        let mut partial = PartialFile {
            path: partial_path.clone(),
            keep: false,
        };
        let out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial_path)
            .map_err(|e| Error::io("create", &partial_path, e))?;
        let identity = self.blob_identity()?;
        let recipient = identity.to_public();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| Error::Internal(format!("age: {e}")))?;
        let write_err = |e: io::Error| Error::io("write", &partial_path, e);
        let mut flusher = Flusher::start(&out).map_err(write_err)?;
        let mut writer = encryptor.wrap_output(out).map_err(write_err)?;

        let mut prefix: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(SNIFF_BYTES));
        let mut size: u64 = 0;
        let (writer, digest) = hash_in_background(|hash| {
            loop {
                // Locking stops a long attach between chunks; the partial
                // file is removed like after any other failure.
                crate::cancel::check()?;
                let mut chunk: Zeroizing<Vec<u8>> = Zeroizing::new(vec![0u8; READ_CHUNK]);
                let n = match source.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(source_err(e)),
                };
                chunk.truncate(n);
                if prefix.len() < SNIFF_BYTES {
                    let take = (SNIFF_BYTES - prefix.len()).min(n);
                    prefix.extend_from_slice(&chunk[..take]);
                }
                writer.write_all(&chunk).map_err(write_err)?;
                size += n as u64;
                if size > MAX_ATTACHMENT_BYTES {
                    return Err(Error::invalid(
                        "file",
                        crate::model::problem::ProblemCode::FileGrew,
                    ));
                }
                hash(chunk)?;
                flusher.wrote(size);
                progress(size, expected.max(size));
            }
            Ok(writer)
        })?;
        let out = writer.finish().map_err(write_err)?;
        flusher.stop();
        out.sync_all().map_err(write_err)?;
        drop(out);
        fs::rename(&partial_path, &final_path).map_err(|e| Error::io("rename", &final_path, e))?;
        partial.path = final_path;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(StoredBlob {
            id,
            size,
            sha256: digest,
            prefix,
            guard: partial,
        })
    }

    /// Overwrites an encrypted file with zeros, then removes it. The bytes
    /// were ciphertext already; this keeps them from lingering for anyone
    /// who later learns the vault passphrase. (On SSDs and copy-on-write
    /// file systems the old blocks may survive the overwrite; the
    /// encryption is what protects them there.)
    pub(crate) fn shred_blob(&self, id: &str) -> Result<()> {
        shred_file(&self.blob_path(id))
    }

    /// A reader over a blob's plaintext, checked against its intake
    /// SHA-256 on a full read.
    pub(crate) fn blob_reader(&self, blob: BlobRef<'_>) -> Result<AttachmentReader> {
        let path = self.blob_path(blob.id);
        let damaged = |detail: &str| {
            Error::tampered(format!(
                "attachment \"{}\" is damaged or missing ({detail}); other records are not affected",
                blob.name
            ))
        };
        let file = File::open(&path).map_err(|_| damaged("its encrypted file cannot be opened"))?;
        let identity = self.blob_identity()?;
        let decryptor = age::Decryptor::new_buffered(BufReader::new(file))
            .map_err(|_| damaged("its header is not valid"))?;
        let inner = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|_| damaged("it is not encrypted to this vault"))?;
        Ok(AttachmentReader {
            inner,
            name: blob.name.to_owned(),
            expected: blob.sha256.to_owned(),
            size: blob.size,
            hasher: Some(Sha256::new()),
            position: 0,
        })
    }

    /// Decrypts a whole blob in constant memory, handing each chunk of
    /// plaintext to `each` (a copy being written, or nothing) while a second
    /// thread hashes it. Returns whether it is still exactly what was
    /// stored: the intake SHA-256 and size. `progress` gets the bytes done.
    pub(crate) fn stream_blob(
        &self,
        blob: BlobRef<'_>,
        mut each: impl FnMut(&[u8]) -> Result<()>,
        mut progress: impl FnMut(u64),
    ) -> Result<bool> {
        let mut reader = self.blob_reader(blob)?;
        // Hashed on the side instead (see `hash_in_background`).
        reader.hasher = None;
        let mut done = 0u64;
        let ((), digest) = hash_in_background(|hash| {
            loop {
                crate::cancel::check()?;
                let mut chunk: Zeroizing<Vec<u8>> = Zeroizing::new(vec![0u8; READ_CHUNK]);
                let n =
                    read_full(&mut reader, &mut chunk).map_err(|e| damaged_error(blob.name, e))?;
                if n == 0 {
                    return Ok(());
                }
                chunk.truncate(n);
                each(&chunk)?;
                hash(chunk)?;
                done += n as u64;
                progress(done);
            }
        })?;
        Ok(digest == blob.sha256 && done == blob.size)
    }

    fn blobs_dir(&self) -> PathBuf {
        self.paths.dir.join(DIR)
    }

    fn blob_path(&self, id: &str) -> PathBuf {
        self.blobs_dir().join(format!("{id}.age"))
    }

    /// The X25519 identity blobs are encrypted to, created on first
    /// use. It is stored only inside the encrypted database.
    pub(crate) fn blob_identity(&self) -> Result<age::x25519::Identity> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM vault_meta WHERE key = 'attachment_identity'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let text = match stored {
            Some(t) => Zeroizing::new(t),
            None => {
                let identity = age::x25519::Identity::generate();
                let text = Zeroizing::new(identity.to_string().expose_secret().to_owned());
                self.conn.execute(
                    "INSERT INTO vault_meta (key, value) VALUES ('attachment_identity', ?1)",
                    [text.as_str()],
                )?;
                text
            }
        };
        age::x25519::Identity::from_str(&text)
            .map_err(|_| Error::tampered("the attachment key stored in the vault is not valid"))
    }
}

/// Reads an attachment's plaintext: `Read + Seek`, in constant memory.
/// Each 64 KiB chunk is authenticated as it is read; a full sequential
/// read also checks the SHA-256 taken at intake before reporting the end.
pub struct AttachmentReader {
    inner: age::stream::StreamReader<BufReader<File>>,
    name: String,
    expected: String,
    size: u64,
    hasher: Option<Sha256>,
    position: u64,
}

impl std::fmt::Debug for AttachmentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentReader")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl AttachmentReader {
    /// The plaintext size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Reads the whole file and keeps none of it, so that every chunk tag
    /// and the intake SHA-256 are checked now: a damaged file is named at
    /// once instead of surfacing as a picture that will not decode.
    pub fn verify(mut self) -> Result<()> {
        let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
        loop {
            match self.read(&mut buf[..]) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(damaged_error(&self.name, e)),
            }
        }
    }

    fn damaged(&self, detail: impl std::fmt::Display) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "attachment \"{}\" is damaged ({detail}); other records are not affected",
                self.name
            ),
        )
    }
}

impl Read for AttachmentReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| self.damaged(e))?;
        if let Some(h) = self.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        self.position += n as u64;
        if n == 0 && !buf.is_empty() {
            if let Some(h) = self.hasher.take() {
                let got = data_encoding::HEXLOWER.encode(&h.finalize());
                if got != self.expected {
                    return Err(
                        self.damaged("its SHA-256 no longer matches the one taken at intake")
                    );
                }
            }
            if self.position != self.size {
                return Err(self.damaged("its length no longer matches"));
            }
        }
        Ok(n)
    }
}

impl Seek for AttachmentReader {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let to = self.inner.seek(pos).map_err(|e| self.damaged(e))?;
        // A read that does not start at 0 cannot hash the whole file; the
        // chunk tags still authenticate every byte it returns.
        if to != self.position || to != 0 {
            self.hasher = None;
        }
        self.position = to;
        Ok(to)
    }
}

/// Where a bundle's or a sealed report's evidence goes while it is read:
/// each file streams into the blob store as it is verified, and is kept by
/// its path in the bundle. The blobs are removed when the sink is dropped
/// unless the rows naming them are committed and each one is kept.
pub(crate) struct BlobSink<'v, P: FnMut(u64, u64)> {
    vault: &'v Vault,
    /// What is being read, for the message when it is damaged.
    what: &'static str,
    total: u64,
    done: u64,
    progress: P,
    blobs: BTreeMap<String, StoredBlob>,
}

impl<'v, P: FnMut(u64, u64)> BlobSink<'v, P> {
    /// A sink into `vault` for `what` ("the bundle"), whose file is `total`
    /// bytes, reporting (bytes stored, total) to `progress`.
    pub(crate) fn new(vault: &'v Vault, what: &'static str, total: u64, progress: P) -> Self {
        Self {
            vault,
            what,
            total,
            done: 0,
            progress,
            blobs: BTreeMap::new(),
        }
    }

    /// Stores one file of the bundle, found at `path` inside it.
    pub(crate) fn store(&mut self, path: &str, bytes: &mut dyn Read) -> Result<()> {
        let (what, done, total) = (self.what, self.done, self.total);
        let progress = &mut self.progress;
        let blob = self.vault.store_encrypted(
            bytes,
            0,
            &|e| Error::tampered(format!("{what} is damaged ({e})")),
            &mut |n, _| progress(done + n, total),
        )?;
        self.done += blob.size;
        self.blobs.insert(path.to_owned(), blob);
        Ok(())
    }

    /// The blobs stored, by their path in the bundle.
    pub(crate) fn into_blobs(self) -> BTreeMap<String, StoredBlob> {
        self.blobs
    }
}

/// Fills `buf` as far as the reader allows; 0 only at the end.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn damaged_error(name: &str, e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::InvalidData {
        Error::tampered(e.to_string())
    } else {
        Error::tampered(format!("attachment \"{name}\" could not be read: {e}"))
    }
}

/// Overwrites an encrypted file with zeros, then removes it (see
/// [`Vault::shred_blob`]); nothing to do if it does not exist.
pub(crate) fn shred_file(path: &Path) -> Result<()> {
    if let Ok(meta) = fs::metadata(path) {
        let mut f = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::io("open", path, e))?;
        let zeros = vec![0u8; 1 << 20];
        let mut left = meta.len();
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            f.write_all(&zeros[..n])
                .map_err(|e| Error::io("overwrite", path, e))?;
            left -= n as u64;
        }
        f.sync_all().map_err(|e| Error::io("overwrite", path, e))?;
        drop(f);
        fs::remove_file(path).map_err(|e| Error::io("remove", path, e))?;
    }
    Ok(())
}

/// Removes half-written attachment files left by a crash or a full disk.
pub(crate) fn remove_partials(vault_dir: &Path) {
    // The intake inbox copies received reports through partial files too,
    // and so does the spool of files being received from a space.
    for dir in [DIR, "intake", super::spool::DIR] {
        let Ok(entries) = fs::read_dir(vault_dir.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .ends_with(PARTIAL_SUFFIX)
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;

    fn blob_files(vault: &Vault) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(vault.blobs_dir())
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// A bundle's evidence is stored while the bundle is still being
    /// verified; a later failure must leave no file behind, and a commit
    /// must keep exactly the files stored, readable and checked.
    #[test]
    fn a_sink_keeps_its_blobs_only_when_told_and_reports_progress_across_files() {
        let root = tempfile::tempdir().unwrap();
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("blob sink test passphrase: copper lantern 7781");
        let (vault, _) = Vault::create(
            &root.path().join("v"),
            &pass,
            &options,
            crate::session::testing::session(),
        )
        .unwrap();

        let mut seen = Vec::new();
        let mut sink = BlobSink::new(&vault, "the bundle", 11, |done, total| {
            seen.push((done, total))
        });
        sink.store("attachments/a.txt", &mut &b"first"[..]).unwrap();
        sink.store("attachments/b.txt", &mut &b"second"[..])
            .unwrap();
        let blobs = sink.into_blobs();
        assert_eq!(seen.last(), Some(&(11, 11)), "progress counts both files");
        assert_eq!(blob_files(&vault).len(), 2);
        drop(blobs);
        assert!(blob_files(&vault).is_empty(), "dropped blobs leave nothing");

        let mut sink = BlobSink::new(&vault, "the bundle", 0, |_, _| {});
        sink.store("attachments/c.txt", &mut &b"kept"[..]).unwrap();
        let blob = sink.into_blobs().remove("attachments/c.txt").unwrap();
        let id = blob.id.clone();
        let digest = blob.sha256.clone();
        assert_eq!(digest, crate::crypto::hash::sha256_hex(b"kept"));
        blob.keep();
        assert_eq!(blob_files(&vault), [format!("{id}.age")]);
        let mut back = Vec::new();
        vault
            .blob_reader(BlobRef {
                id: &id,
                name: "c.txt",
                sha256: &digest,
                size: 4,
            })
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, b"kept");
    }

    /// A record's attachment and a self-report's file of the same bytes
    /// read back the same facts through the one mapper, and a stored
    /// capture column that is not capture metadata is refused from either
    /// table as damage, not shown as empty.
    #[test]
    fn both_tables_of_stored_files_read_through_one_mapper() {
        let root = tempfile::tempdir().unwrap();
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("blob sink test passphrase: copper lantern 7781");
        let now = crate::session::testing::now();
        let (mut vault, _) = Vault::create(
            &root.path().join("v"),
            &pass,
            &options,
            crate::session::testing::at(now),
        )
        .unwrap();
        let source = root.path().join("повестка.txt");
        fs::write(&source, "Summons of 12 March, to the district office").unwrap();
        let record = vault
            .insert_record("note", &serde_json::json!({ "n": 1 }))
            .unwrap();
        let a = vault
            .attach(
                crate::vault::attachments::AttachRequest {
                    record_id: &record,
                    source: &source,
                    derived_from: None,
                    note: Some("kept"),
                },
                |_, _| {},
            )
            .unwrap();
        let report = vault.create_report().unwrap().summary.id;
        let f = vault
            .attach_to_report(&report, &source, "file", |_, _| {})
            .unwrap();
        let a_back = vault.attachments_of(&record).unwrap().pop().unwrap();
        let f_back = vault.report_files(&report).unwrap().pop().unwrap();
        assert_eq!(a_back, a);
        assert_eq!(f_back, f);
        assert_eq!(
            (
                &a_back.original_name,
                a_back.size,
                &a_back.sha256,
                &a_back.media_type
            ),
            (
                &f_back.original_name,
                f_back.size,
                &f_back.sha256,
                &f_back.media_type
            )
        );
        assert_eq!(a_back.original_name, "повестка.txt");
        assert_eq!(a_back.media_type, "text/plain");

        for table in ["attachments", "self_report_files"] {
            vault
                .conn
                .execute(&format!("UPDATE {table} SET capture = '[1]'"), [])
                .unwrap();
        }
        let err = vault.attachments_of(&record).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Tampered);
        let err = vault.report_files(&report).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Tampered);
    }

    #[test]
    fn a_damaged_source_stores_nothing_and_says_what_was_damaged() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("cut short"))
            }
        }
        let root = tempfile::tempdir().unwrap();
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("blob sink test passphrase: copper lantern 7781");
        let (vault, _) = Vault::create(
            &root.path().join("v"),
            &pass,
            &options,
            crate::session::testing::session(),
        )
        .unwrap();
        let mut sink = BlobSink::new(&vault, "the sealed report", 0, |_, _| {});
        let err = sink.store("attachments/x", &mut Failing).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Tampered);
        assert!(sink.into_blobs().is_empty());
        assert!(blob_files(&vault).is_empty());
    }
}
