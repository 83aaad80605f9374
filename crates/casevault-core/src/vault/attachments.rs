//! Evidence files: streamed into the vault encrypted, in constant memory,
//! with what was known at intake (SHA-256 of the original bytes, name,
//! size, media type, capture metadata, who and when) and a custody entry.
//!
//! The bytes are an age file (X25519, STREAM: 64 KiB chunks, each
//! authenticated) in `attachments/<id>.age`, encrypted to an identity that
//! lives only inside the encrypted database. The age format is used rather
//! than SQLite blobs so that multi-GB videos stream at age's speed, can be
//! read from any offset (video previews seek), and never pass through the
//! WAL twice. Originals are never rewritten; integrity is checked on every
//! read (each chunk's tag, and the SHA-256 on a full read).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::Vault;
use super::custody::{self, CustodyAction, NewEntry};
use super::store::timestamp;
use crate::{Error, Result};

/// The largest file accepted.
pub const MAX_ATTACHMENT_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// The most an age file adds to its plaintext: the header plus a 16-byte
/// tag per 64 KiB chunk (bounded generously for 4 GiB).
pub const MAX_AGE_OVERHEAD: u64 = 64 * 1024 + (MAX_ATTACHMENT_BYTES / (64 * 1024) + 1) * 16;
/// How much is read from the source at a time while attaching.
const READ_CHUNK: usize = 256 * 1024;
/// How much of the start of a file is kept (in zeroizing memory) to detect
/// its type and read its EXIF block.
const SNIFF_BYTES: usize = 256 * 1024;
/// Directory under the vault holding the encrypted files.
pub(crate) const DIR: &str = "attachments";
const PARTIAL_SUFFIX: &str = ".partial";

/// Capture metadata the file carried at intake (kept in the original, too).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Capture {
    /// When it was taken, as the file says (EXIF DateTimeOriginal).
    pub taken_at: Option<String>,
    /// The device (EXIF Make and Model).
    pub device: Option<String>,
    /// Where, as the file says (EXIF GPS latitude, longitude).
    pub gps: Option<String>,
}

impl Capture {
    /// As stored in the `capture` column.
    pub(crate) fn to_column(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(format!("capture: {e}")))
    }

    /// Read back from the `capture` column.
    pub(crate) fn from_column(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|_| Error::tampered("stored capture metadata is not valid"))
    }
}

/// An attachment, as recorded at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attachment {
    /// Attachment id.
    pub id: String,
    /// The record it belongs to.
    pub record_id: String,
    /// The file's name when it was attached (sanitised).
    pub original_name: String,
    /// Size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// SHA-256 of the original bytes, lowercase hex.
    pub sha256: String,
    /// Detected media type.
    pub media_type: String,
    /// Capture metadata.
    pub capture: Capture,
    /// When it was attached.
    pub added_at: String,
    /// By whom.
    pub added_by: String,
    /// The original this is a working copy of (redacted, converted).
    pub derived_from: Option<String>,
    /// A note from whoever attached it.
    pub note: Option<String>,
}

/// What to attach.
#[derive(Debug, Clone, Copy)]
pub struct AttachRequest<'a> {
    /// The record (case, incident, proceeding, testimony, source…).
    pub record_id: &'a str,
    /// The file to read.
    pub source: &'a Path,
    /// The original this is a working copy of.
    pub derived_from: Option<&'a str>,
    /// A note.
    pub note: Option<&'a str>,
}

/// A file name safe to show and to write into an archive later: no path
/// separators, no control characters or text-direction controls
/// ([`crate::model::text::refused_in_name`]), not "." or "..", at most 255
/// bytes.
pub fn sanitise_name(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || crate::model::text::refused_in_name(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim().to_owned();
    while name.len() > 255 {
        name.pop();
    }
    if name.is_empty() || name == "." || name == ".." {
        "attachment".to_owned()
    } else {
        name
    }
}

pub(crate) fn media_type(prefix: &[u8]) -> String {
    if let Some(kind) = infer::get(prefix) {
        return kind.mime_type().to_owned();
    }
    if prefix.is_empty() {
        return "application/octet-stream".to_owned();
    }
    // A text file cut at SNIFF_BYTES may end mid-character: allow that.
    match std::str::from_utf8(prefix) {
        Ok(_) => "text/plain".to_owned(),
        Err(e) if e.error_len().is_none() => "text/plain".to_owned(),
        Err(_) => "application/octet-stream".to_owned(),
    }
}

fn capture_metadata(prefix: &[u8]) -> Capture {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(prefix)) else {
        return Capture::default();
    };
    let text = |tag| {
        exif.get_field(tag, exif::In::PRIMARY)
            .map(|f| f.display_value().with_unit(&exif).to_string())
            .map(|s| s.trim_matches('"').trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let device = match (text(exif::Tag::Make), text(exif::Tag::Model)) {
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (a, b) => a.or(b),
    };
    let gps = match (
        text(exif::Tag::GPSLatitude),
        text(exif::Tag::GPSLatitudeRef),
        text(exif::Tag::GPSLongitude),
        text(exif::Tag::GPSLongitudeRef),
    ) {
        (Some(lat), lat_ref, Some(lon), lon_ref) => Some(format!(
            "{lat} {}, {lon} {}",
            lat_ref.unwrap_or_default(),
            lon_ref.unwrap_or_default()
        )),
        _ => None,
    };
    Capture {
        taken_at: text(exif::Tag::DateTimeOriginal).or_else(|| text(exif::Tag::DateTime)),
        device,
        gps,
    }
}

/// Runs `work`, which produces the file's bytes in order through the
/// callback it is given, while a second thread hashes them: SHA-256 and
/// the cipher each take about as long as the other, so on two cores the
/// pipeline runs at the speed of the slower one instead of their sum.
/// Returns `work`'s result and the hex digest.
fn hash_in_background<T>(
    work: impl FnOnce(&mut dyn FnMut(Zeroizing<Vec<u8>>) -> Result<()>) -> Result<T>,
) -> Result<(T, String)> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Zeroizing<Vec<u8>>>(8);
        let hasher = scope.spawn(move || {
            let mut h = Sha256::new();
            for chunk in rx {
                h.update(&chunk[..]);
            }
            data_encoding::HEXLOWER.encode(&h.finalize())
        });
        let result = work(&mut |chunk| {
            tx.send(chunk)
                .map_err(|_| Error::Internal("the hashing thread stopped".into()))
        });
        drop(tx);
        let digest = hasher
            .join()
            .map_err(|_| Error::Internal("the hashing thread panicked".into()))?;
        result.map(|t| (t, digest))
    })
}

/// Flushes a file being written to disk every [`Flusher::EVERY`] bytes on
/// a background thread. The attachment must be on disk before the vault
/// records it; without this, a large file sits in the page cache and the
/// final fsync writes it all while the user waits. This way the disk
/// works while the cipher does, and the last fsync has little left.
struct Flusher {
    tx: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    next: u64,
}

impl Flusher {
    const EVERY: u64 = 64 * 1024 * 1024;

    fn start(file: &File) -> io::Result<Self> {
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
    fn wrote(&mut self, bytes: u64) {
        if bytes >= self.next {
            self.next = bytes + Self::EVERY;
            if let Some(tx) = &self.tx {
                // Never wait: if a flush is still running, skip this one.
                let _ = tx.try_send(());
            }
        }
    }

    fn stop(mut self) {
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

/// A file from outside about to be stored: checked (it exists, is not a
/// folder, is at most 4 GiB), opened, with its size and a safe name.
pub(crate) struct OutsideFile {
    pub file: File,
    pub len: u64,
    pub name: String,
}

impl OutsideFile {
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let meta = fs::metadata(path).map_err(|e| source_error(path, e))?;
        if meta.is_dir() {
            return Err(Error::invalid(
                "file",
                format!("{} is a folder; attach the files inside it", path.display()),
            ));
        }
        if meta.len() > MAX_ATTACHMENT_BYTES {
            return Err(Error::invalid(
                "file",
                format!(
                    "{} is {:.1} GiB; files up to 4 GiB can be attached. Split the recording, or keep it on encrypted external storage and attach a note.",
                    path.display(),
                    meta.len() as f64 / (1u64 << 30) as f64
                ),
            ));
        }
        let name = sanitise_name(
            &path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let file = File::open(path).map_err(|e| source_error(path, e))?;
        Ok(Self {
            file,
            len: meta.len(),
            name,
        })
    }
}

pub(crate) fn source_error(path: &Path, e: io::Error) -> Error {
    let shown = path.display();
    match e.kind() {
        io::ErrorKind::NotFound => Error::invalid(
            "file",
            format!("{shown} does not exist (was it moved or deleted?); nothing was attached"),
        ),
        io::ErrorKind::PermissionDenied => Error::invalid(
            "file",
            format!("{shown} cannot be read (permission denied); nothing was attached"),
        ),
        _ => Error::io("read", path, e),
    }
}

/// Removes a half-written file when dropped, unless it was kept.
struct PartialFile {
    path: PathBuf,
    keep: bool,
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

/// Files a stored blob as an attachment of `record_id` inside `tx`, under
/// the name given at intake elsewhere (a self-report), with its custody
/// entry. The media type and capture metadata are read from the bytes,
/// exactly as [`Vault::attach`] reads them: what the sender's `report.json`
/// says about the file is their claim, not a fact, and is kept only in the
/// note, labelled as claimed, where it differs from the bytes.
pub(crate) fn register_blob(
    tx: &rusqlite::Transaction<'_>,
    blob: &StoredBlob,
    record_id: &str,
    file: &super::self_reports::ReportFile,
    note: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let media_type = blob.media_type();
    let found = blob.capture();
    let note = match claims_differing(file, &media_type, &found) {
        Some(claims) => format!("{note}; {claims}"),
        None => note.to_owned(),
    };
    let note = note.as_str();
    let capture = found.to_column()?;
    tx.execute(
        "INSERT INTO attachments (id, record_id, original_name, size, sha256, media_type, capture, added_at, added_by, derived_from, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)",
        params![
            blob.id,
            record_id,
            sanitise_name(&file.original_name),
            blob.size as i64,
            blob.sha256,
            media_type,
            capture,
            timestamp(now),
            actor,
            note
        ],
    )?;
    custody::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: CustodyAction::Attach,
            target: Some(&blob.id),
            target_kind: Some("attachment"),
            digest: Some(custody::attachment_state_digest(tx, &blob.id)?),
            detail: Some(&format!(
                "{} ({} bytes) to case \"{record_id}\", {note}; hashed {} by the reporter at intake",
                file.original_name, blob.size, file.added_at
            )),
        },
    )?;
    Ok(())
}

/// Files a blob received in a bundle as an attachment of `record_id`
/// inside `tx`. Its media type and capture metadata are read from the
/// bytes, as at any intake; `note` says where it came from, and the custody
/// entry (an import, with `detail`) carries its SHA-256.
#[allow(clippy::too_many_arguments)]
pub(crate) fn register_received(
    tx: &rusqlite::Transaction<'_>,
    blob: &StoredBlob,
    record_id: &str,
    name: &str,
    note: &str,
    detail: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO attachments (id, record_id, original_name, size, sha256, media_type, capture, added_at, added_by, derived_from, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)",
        params![
            blob.id,
            record_id,
            sanitise_name(name),
            blob.size as i64,
            blob.sha256,
            blob.media_type(),
            blob.capture().to_column()?,
            timestamp(now),
            actor,
            note
        ],
    )?;
    custody::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: CustodyAction::Import,
            target: Some(&blob.id),
            target_kind: Some("attachment"),
            digest: Some(blob.sha256.clone()),
            detail: Some(detail),
        },
    )?;
    Ok(())
}

/// What the sender says about a file that its bytes do not bear out, as
/// one labelled line, or None when every claim matches.
fn claims_differing(
    file: &super::self_reports::ReportFile,
    media_type: &str,
    found: &Capture,
) -> Option<String> {
    let none = "none";
    let mut parts = Vec::new();
    if file.media_type != media_type {
        parts.push(format!("media type {}", file.media_type));
    }
    for (what, claimed, real) in [
        ("taken", &file.capture.taken_at, &found.taken_at),
        ("device", &file.capture.device, &found.device),
        ("GPS", &file.capture.gps, &found.gps),
    ] {
        if claimed != real {
            parts.push(format!("{what} {}", claimed.as_deref().unwrap_or(none)));
        }
    }
    (!parts.is_empty()).then(|| {
        format!(
            "claimed by the reporter, not found in the file: {}",
            parts.join("; ")
        )
    })
}

impl StoredBlob {
    /// The row naming this file is committed: keep the file.
    pub fn keep(mut self) {
        self.guard.keep = true;
    }

    /// The detected media type.
    pub fn media_type(&self) -> String {
        media_type(&self.prefix)
    }

    /// Capture metadata read from the file.
    pub fn capture(&self) -> Capture {
        capture_metadata(&self.prefix)
    }
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
        let dir = self.attachments_dir();
        fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        let final_path = self.attachment_path(&id);
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
        let identity = self.attachment_identity()?;
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
                        "the file grew past 4 GiB while it was being attached; nothing was attached",
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
        let path = self.attachment_path(id);
        if let Ok(meta) = fs::metadata(&path) {
            let mut f = OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| Error::io("open", &path, e))?;
            let zeros = vec![0u8; 1 << 20];
            let mut left = meta.len();
            while left > 0 {
                let n = left.min(zeros.len() as u64) as usize;
                f.write_all(&zeros[..n])
                    .map_err(|e| Error::io("overwrite", &path, e))?;
                left -= n as u64;
            }
            f.sync_all().map_err(|e| Error::io("overwrite", &path, e))?;
            drop(f);
            fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
        Ok(())
    }

    /// A reader over a blob's plaintext, checked against `sha256` on a
    /// full read.
    pub(crate) fn blob_reader(
        &self,
        id: &str,
        name: &str,
        sha256: &str,
        size: u64,
    ) -> Result<AttachmentReader> {
        self.reader_for(&Attachment {
            id: id.to_owned(),
            record_id: String::new(),
            original_name: name.to_owned(),
            size,
            sha256: sha256.to_owned(),
            media_type: String::new(),
            capture: Capture::default(),
            added_at: String::new(),
            added_by: String::new(),
            derived_from: None,
            note: None,
        })
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

impl Vault {
    fn attachments_dir(&self) -> PathBuf {
        self.paths.dir.join(DIR)
    }

    fn attachment_path(&self, id: &str) -> PathBuf {
        self.attachments_dir().join(format!("{id}.age"))
    }

    /// The X25519 identity attachments are encrypted to, created on first
    /// use. It is stored only inside the encrypted database.
    fn attachment_identity(&self) -> Result<age::x25519::Identity> {
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

    /// Streams `req.source` into the vault. Nothing is written in plaintext;
    /// on any failure (unreadable source, full disk) the half-written file
    /// is removed and the vault is as it was.
    pub fn attach(
        &mut self,
        req: AttachRequest<'_>,
        actor: &str,
        now: DateTime<Utc>,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Attachment> {
        let record = self.get_record(req.record_id)?.ok_or_else(|| {
            Error::invalid(
                "record",
                format!("there is no record \"{}\"", req.record_id),
            )
        })?;
        if record.trashed_at.is_some() {
            return Err(Error::invalid(
                "record",
                "the record is in the trash; restore it before attaching files",
            ));
        }
        if let Some(c) = req.note.and_then(crate::model::text::first_refused) {
            return Err(Error::invalid("note", crate::model::text::refusal(c)));
        }
        if let Some(orig) = req.derived_from {
            self.attachment(orig)?;
        }
        let mut source = OutsideFile::open(req.source)?;
        let original_name = source.name.clone();
        let blob = self.store_encrypted(
            &mut source.file,
            source.len,
            &|e| source_error(req.source, e),
            &mut progress,
        )?;
        let (id, size, digest) = (blob.id.clone(), blob.size, blob.sha256.clone());
        let prefix = &blob.prefix;

        let attachment = Attachment {
            id: id.clone(),
            record_id: req.record_id.to_owned(),
            original_name,
            size,
            sha256: digest,
            media_type: media_type(prefix),
            capture: capture_metadata(prefix),
            added_at: timestamp(now),
            added_by: actor.to_owned(),
            derived_from: req.derived_from.map(str::to_owned),
            note: req.note.map(str::to_owned),
        };
        let capture = attachment.capture.to_column()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO attachments (id, record_id, original_name, size, sha256, media_type, capture, added_at, added_by, derived_from, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                attachment.id,
                attachment.record_id,
                attachment.original_name,
                attachment.size as i64,
                attachment.sha256,
                attachment.media_type,
                capture,
                attachment.added_at,
                attachment.added_by,
                attachment.derived_from,
                attachment.note
            ],
        )?;
        custody::append(
            &tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::Attach,
                target: Some(&attachment.id),
                target_kind: Some("attachment"),
                digest: Some(custody::attachment_state_digest(&tx, &attachment.id)?),
                detail: Some(&format!(
                    "{} ({} bytes) to {} \"{}\"",
                    attachment.original_name, attachment.size, record.kind, record.id
                )),
            },
        )?;
        tx.commit()?;
        blob.keep();
        Ok(attachment)
    }

    /// One attachment's intake record.
    pub fn attachment(&self, id: &str) -> Result<Attachment> {
        self.query_attachments("WHERE id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| Error::invalid("attachment", format!("there is no attachment \"{id}\"")))
    }

    /// The attachments of one record, oldest first.
    pub fn attachments_of(&self, record_id: &str) -> Result<Vec<Attachment>> {
        self.query_attachments("WHERE record_id = ?1", Some(record_id))
    }

    /// Every attachment, oldest first.
    pub fn all_attachments(&self) -> Result<Vec<Attachment>> {
        self.query_attachments("WHERE ?1 IS NULL", None)
    }

    fn query_attachments(&self, filter: &str, arg: Option<&str>) -> Result<Vec<Attachment>> {
        let sql = format!(
            "SELECT id, record_id, original_name, size, sha256, media_type, capture, added_at, added_by, derived_from, note
             FROM attachments {filter} ORDER BY rowid"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([arg], |r| {
            Ok((
                Attachment {
                    id: r.get(0)?,
                    record_id: r.get(1)?,
                    original_name: r.get(2)?,
                    size: r.get::<_, i64>(3)?.max(0) as u64,
                    sha256: r.get(4)?,
                    media_type: r.get(5)?,
                    capture: Capture::default(),
                    added_at: r.get(7)?,
                    added_by: r.get(8)?,
                    derived_from: r.get(9)?,
                    note: r.get(10)?,
                },
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (mut a, capture) = row?;
            a.capture = Capture::from_column(&capture)?;
            Ok(a)
        })
        .collect()
    }

    fn reader_for(&self, a: &Attachment) -> Result<AttachmentReader> {
        let path = self.attachment_path(&a.id);
        let damaged = |detail: &str| {
            Error::tampered(format!(
                "attachment \"{}\" is damaged or missing ({detail}); other records are not affected",
                a.original_name
            ))
        };
        let file = File::open(&path).map_err(|_| damaged("its encrypted file cannot be opened"))?;
        let identity = self.attachment_identity()?;
        let decryptor = age::Decryptor::new_buffered(BufReader::new(file))
            .map_err(|_| damaged("its header is not valid"))?;
        let inner = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|_| damaged("it is not encrypted to this vault"))?;
        Ok(AttachmentReader {
            inner,
            name: a.original_name.clone(),
            expected: a.sha256.clone(),
            size: a.size,
            hasher: Some(Sha256::new()),
            position: 0,
        })
    }

    /// Opens an attachment for viewing, and logs that it was opened.
    pub fn open_attachment(
        &mut self,
        id: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<AttachmentReader> {
        let a = self.attachment(id)?;
        let reader = self.reader_for(&a)?;
        custody::append(
            &self.conn,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::OpenAttachment,
                target: Some(id),
                target_kind: Some("attachment"),
                digest: Some(custody::attachment_state_digest(&self.conn, &a.id)?),
                detail: Some(&a.original_name),
            },
        )?;
        Ok(reader)
    }

    /// Opens an attachment for a further read within the same viewing (a
    /// video's range requests), without another log entry.
    pub fn reopen_attachment(&self, id: &str) -> Result<AttachmentReader> {
        let a = self.attachment(id)?;
        self.reader_for(&a)
    }

    /// Saves a plaintext copy to `out`, an explicit, logged action. The copy
    /// is verified against the intake SHA-256 before it gets its final
    /// name; an existing file is never overwritten.
    pub fn save_attachment_copy(
        &mut self,
        id: &str,
        out: &Path,
        actor: &str,
        now: DateTime<Utc>,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<()> {
        let a = self.attachment(id)?;
        if out.exists() {
            return Err(Error::VaultExists {
                path: out.to_path_buf(),
            });
        }
        let mut reader = self.reader_for(&a)?;
        let tmp = out.with_extension("casevault-partial");
        let partial = PartialFile {
            path: tmp.clone(),
            keep: false,
        };
        // Owner-only from creation: this is plaintext evidence.
        let mut file =
            crate::private_fs::create_new_file(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        // Hash on the side (see `hash_in_background`) and compare at the end.
        reader.hasher = None;
        let mut flusher = Flusher::start(&file).map_err(|e| Error::io("write", &tmp, e))?;
        let mut done = 0u64;
        let ((), digest) = hash_in_background(|hash| {
            loop {
                crate::cancel::check()?;
                let mut chunk: Zeroizing<Vec<u8>> = Zeroizing::new(vec![0u8; READ_CHUNK]);
                let n = read_full(&mut reader, &mut chunk).map_err(|e| damaged_error(&a, e))?;
                if n == 0 {
                    return Ok(());
                }
                chunk.truncate(n);
                file.write_all(&chunk)
                    .map_err(|e| Error::io("write", &tmp, e))?;
                hash(chunk)?;
                done += n as u64;
                flusher.wrote(done);
                progress(done, a.size);
            }
        })?;
        flusher.stop();
        if digest != a.sha256 || done != a.size {
            return Err(Error::tampered(format!(
                "attachment \"{}\" is damaged (its SHA-256 no longer matches the one taken at intake); no copy was saved",
                a.original_name
            )));
        }
        file.sync_all().map_err(|e| Error::io("write", &tmp, e))?;
        fs::rename(&tmp, out).map_err(|e| Error::io("rename", out, e))?;
        drop(partial);
        custody::append(
            &self.conn,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::SaveCopy,
                target: Some(id),
                target_kind: Some("attachment"),
                digest: Some(custody::attachment_state_digest(&self.conn, &a.id)?),
                detail: Some(&format!("{} saved to {}", a.original_name, out.display())),
            },
        )?;
        Ok(())
    }

    /// Decrypts and hashes a whole attachment.
    pub(crate) fn verify_attachment_bytes(
        &self,
        a: &Attachment,
        mut progress: impl FnMut(u64),
    ) -> Result<()> {
        let mut reader = self.reader_for(a)?;
        reader.hasher = None;
        let mut done = 0u64;
        let ((), digest) = hash_in_background(|hash| {
            loop {
                crate::cancel::check()?;
                let mut chunk: Zeroizing<Vec<u8>> = Zeroizing::new(vec![0u8; READ_CHUNK]);
                let n = read_full(&mut reader, &mut chunk).map_err(|e| damaged_error(a, e))?;
                if n == 0 {
                    return Ok(());
                }
                chunk.truncate(n);
                hash(chunk)?;
                done += n as u64;
                progress(done);
            }
        })?;
        if digest != a.sha256 || done != a.size {
            return Err(Error::tampered(format!(
                "attachment \"{}\" is damaged (its SHA-256 no longer matches the one taken at intake); other records are not affected",
                a.original_name
            )));
        }
        Ok(())
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

fn damaged_error(a: &Attachment, e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::InvalidData {
        Error::tampered(e.to_string())
    } else {
        Error::tampered(format!(
            "attachment \"{}\" could not be read: {e}",
            a.original_name
        ))
    }
}

/// Removes half-written attachment files left by a crash or a full disk.
pub(crate) fn remove_partials(vault_dir: &Path) {
    // The intake inbox copies received reports through partial files too.
    for dir in [DIR, "intake"] {
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

    #[test]
    fn names_lose_separators_and_control_characters_but_keep_their_script() {
        assert_eq!(sanitise_name("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(sanitise_name("C:\\evil\\x.jpg"), "C:_evil_x.jpg");
        assert_eq!(sanitise_name("повестка\u{0}.pdf"), "повестка_.pdf");
        assert_eq!(sanitise_name("photo\u{202e}gpj.exe"), "photo_gpj.exe");
        assert_eq!(sanitise_name("a\u{1b}[2Jb\u{200f}.jpg"), "a_[2Jb_.jpg");
        assert_eq!(sanitise_name(".."), "attachment");
        assert_eq!(sanitise_name("  "), "attachment");
        assert!(sanitise_name(&"я".repeat(300)).len() <= 255);
    }

    #[test]
    fn media_types_come_from_content_not_names() {
        assert_eq!(media_type(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), "image/jpeg");
        assert_eq!(media_type(b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(media_type("Показания, 2008".as_bytes()), "text/plain");
        assert_eq!(
            media_type(&[0u8, 159, 146, 150, 1, 2]),
            "application/octet-stream"
        );
        assert_eq!(media_type(b""), "application/octet-stream");
    }
}
