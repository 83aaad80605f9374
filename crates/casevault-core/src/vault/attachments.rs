//! The attachments table: which evidence file belongs to which record,
//! with what was known at intake (SHA-256 of the original bytes, name,
//! size, media type, capture metadata, who and when), and a custody entry
//! for every step: attaching, opening, saving a copy. The bytes are in the
//! blob store (`blobs.rs`); the facts read from them are in
//! [`crate::evidence`].

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::Vault;
use super::blobs::{BlobRef, FileFacts, Flusher, PartialFile, StoredBlob, query_files};
use super::custody::{self, CustodyAction, NewEntry};
use super::store::timestamp;
use crate::evidence::{OutsideFile, sanitise_name, source_error};
use crate::model::problem::{ProblemCode, not_found};
use crate::{Error, Result};

// Re-exported so that callers who reach evidence through attachments (the
// CLI, the app, backups and re-keying) keep their paths.
pub(crate) use super::blobs::DIR;
pub use super::blobs::{AttachmentReader, MAX_AGE_OVERHEAD};
pub use crate::evidence::{Capture, MAX_ATTACHMENT_BYTES};

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

impl Attachment {
    fn from_row(f: FileFacts, (record_id, added_by, derived_from): AttachmentOwner) -> Self {
        Attachment {
            id: f.id,
            record_id,
            original_name: f.original_name,
            size: f.size,
            sha256: f.sha256,
            media_type: f.media_type,
            capture: f.capture,
            added_at: f.added_at,
            added_by,
            derived_from,
            note: f.note,
        }
    }

    /// Its bytes in the blob store, with what they must hash to.
    pub(crate) fn blob(&self) -> BlobRef<'_> {
        BlobRef {
            id: &self.id,
            name: &self.original_name,
            sha256: &self.sha256,
            size: self.size,
        }
    }
}

/// The columns of an attachment beyond [`FileFacts`]: the record it
/// belongs to, who attached it, and the original it is a copy of.
type AttachmentOwner = (String, String, Option<String>);

/// Writes an attachment's row (its custody entry is the caller's).
fn insert_row(conn: &rusqlite::Connection, a: &Attachment) -> Result<()> {
    conn.execute(
        "INSERT INTO attachments (id, record_id, original_name, size, sha256, media_type, capture, added_at, added_by, derived_from, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            a.id,
            a.record_id,
            a.original_name,
            a.size as i64,
            a.sha256,
            a.media_type,
            a.capture.to_column()?,
            a.added_at,
            a.added_by,
            a.derived_from,
            a.note
        ],
    )?;
    Ok(())
}

/// An attachment of a blob just stored, with what its bytes say.
fn of_blob(
    blob: &StoredBlob,
    record_id: &str,
    name: &str,
    note: String,
    actor: &str,
    now: DateTime<Utc>,
) -> Attachment {
    Attachment {
        id: blob.id.clone(),
        record_id: record_id.to_owned(),
        original_name: sanitise_name(name),
        size: blob.size,
        sha256: blob.sha256.clone(),
        media_type: blob.media_type(),
        capture: blob.capture(),
        added_at: timestamp(now),
        added_by: actor.to_owned(),
        derived_from: None,
        note: Some(note),
    }
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

/// An evidence file as a team space member sent it (see
/// [`Vault::attach_received`]).
#[derive(Debug, Clone, Copy)]
pub struct ReceivedAttachment<'a> {
    /// Its id on every replica (32 lowercase hex characters).
    pub id: &'a str,
    /// The record it belongs to.
    pub record_id: &'a str,
    /// Its name at intake.
    pub original_name: &'a str,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes at intake, lowercase hex.
    pub sha256: &'a str,
    /// The original it is a working copy of, if held here.
    pub derived_from: Option<&'a str>,
    /// The note it was attached with.
    pub note: Option<&'a str>,
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
    let mut a = of_blob(
        blob,
        record_id,
        &file.original_name,
        String::new(),
        actor,
        now,
    );
    let note = match claims_differing(file, &a.media_type, &a.capture) {
        Some(claims) => format!("{note}; {claims}"),
        None => note.to_owned(),
    };
    a.note = Some(note.clone());
    insert_row(tx, &a)?;
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
    insert_row(
        tx,
        &of_blob(blob, record_id, name, note.to_owned(), actor, now),
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

impl Vault {
    /// Streams `req.source` into the vault. Nothing is written in plaintext;
    /// on any failure (unreadable source, full disk) the half-written file
    /// is removed and the vault is as it was.
    pub fn attach(
        &mut self,
        req: AttachRequest<'_>,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Attachment> {
        let actor = &self.actor();
        let now = self.now();
        let record = self
            .get_record(req.record_id)?
            .ok_or_else(|| Error::invalid("record", not_found("record", req.record_id)))?;
        if record.trashed_at.is_some() {
            return Err(Error::invalid(
                "record",
                ProblemCode::InTrash.with("id", req.record_id),
            ));
        }
        if let Some(c) = req.note.and_then(crate::model::text::first_refused) {
            return Err(Error::invalid(
                "note",
                crate::model::text::refusal_problem("", "", "", c),
            ));
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

        let attachment = Attachment {
            id: id.clone(),
            record_id: req.record_id.to_owned(),
            original_name,
            size,
            sha256: digest,
            media_type: blob.media_type(),
            capture: blob.capture(),
            added_at: timestamp(now),
            added_by: actor.to_owned(),
            derived_from: req.derived_from.map(str::to_owned),
            note: req.note.map(str::to_owned),
        };
        let detail = format!(
            "{} ({} bytes) to {} \"{}\"",
            attachment.original_name, attachment.size, record.kind, record.id
        );
        self.file_attachment(&attachment, blob, now, actor, &detail)?;
        Ok(attachment)
    }

    /// Files an evidence file received from a team space member as an
    /// attachment of `a.record_id`, under the id it has on every replica.
    /// The bytes stream from `source` into the blob store (encrypted, in
    /// constant memory) and must have the size and SHA-256 the member
    /// signed; otherwise nothing is kept (`tampered`). The media type and
    /// capture metadata are read from the bytes, as at any intake; the
    /// custody entry names `actor` (the author device).
    pub fn attach_received(
        &mut self,
        a: ReceivedAttachment<'_>,
        source: &mut dyn std::io::Read,
        actor: &str,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Attachment> {
        let now = self.now();
        if a.id.len() != 32 || !a.id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(Error::invalid("attachment", ProblemCode::IdFormat));
        }
        if self.attachment(a.id).is_ok() {
            return Err(Error::invalid(
                "attachment",
                ProblemCode::IdExistsInVault.with("id", a.id),
            ));
        }
        let record = self
            .get_record(a.record_id)?
            .ok_or_else(|| Error::invalid("record", not_found("record", a.record_id)))?;
        if let Some(c) = a.note.and_then(crate::model::text::first_refused) {
            return Err(Error::invalid(
                "note",
                crate::model::text::refusal_problem("", "", "", c),
            ));
        }
        let derived_from = a.derived_from.filter(|d| self.attachment(d).is_ok());
        let name = sanitise_name(a.original_name);
        let blob = self.store_encrypted_as(
            a.id.to_owned(),
            source,
            a.size,
            &|e| Error::tampered(format!("evidence file \"{name}\" arrived damaged ({e})")),
            &mut progress,
        )?;
        if blob.size != a.size || !blob.sha256.eq_ignore_ascii_case(a.sha256) {
            // Dropping the blob removes its file: nothing is kept.
            return Err(Error::tampered(format!(
                "evidence file \"{name}\" does not have the SHA-256 its sender signed"
            )));
        }
        let mut attachment = of_blob(&blob, a.record_id, &name, String::new(), actor, now);
        attachment.note = a.note.map(str::to_owned);
        attachment.derived_from = derived_from.map(str::to_owned);
        let detail = format!(
            "{} ({} bytes) to {} \"{}\", received from a team space",
            attachment.original_name, attachment.size, record.kind, record.id
        );
        self.file_attachment(&attachment, blob, now, actor, &detail)?;
        Ok(attachment)
    }

    /// Files an attachment whose bytes are in the blob store: its row and
    /// its `attach` custody entry in one transaction, then the blob is kept
    /// (until then, dropping it removes the file).
    fn file_attachment(
        &mut self,
        attachment: &Attachment,
        blob: StoredBlob,
        now: DateTime<Utc>,
        actor: &str,
        detail: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_row(&tx, attachment)?;
        custody::append(
            &tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::Attach,
                target: Some(&attachment.id),
                target_kind: Some("attachment"),
                digest: Some(custody::attachment_state_digest(&tx, &attachment.id)?),
                detail: Some(detail),
            },
        )?;
        tx.commit()?;
        blob.keep();
        Ok(())
    }

    /// One attachment's intake record.
    pub fn attachment(&self, id: &str) -> Result<Attachment> {
        self.query_attachments("WHERE id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| Error::invalid("attachment", not_found("attachment", id)))
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
        Ok(query_files(
            &self.conn,
            "record_id, added_by, derived_from",
            &format!("attachments {filter}"),
            arg,
            |r, i| Ok((r.get(i)?, r.get(i + 1)?, r.get(i + 2)?)),
        )?
        .into_iter()
        .map(|(facts, owner)| Attachment::from_row(facts, owner))
        .collect())
    }

    /// Opens an attachment for viewing, and logs that it was opened.
    pub fn open_attachment(&mut self, id: &str) -> Result<AttachmentReader> {
        let actor = &self.actor();
        let now = self.now();
        let a = self.attachment(id)?;
        let reader = self.blob_reader(a.blob())?;
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
        self.blob_reader(a.blob())
    }

    /// Saves a plaintext copy to `out`, an explicit, logged action. The copy
    /// is verified against the intake SHA-256 before it gets its final
    /// name; an existing file is never overwritten.
    pub fn save_attachment_copy(
        &mut self,
        id: &str,
        out: &Path,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<()> {
        let actor = &self.actor();
        let now = self.now();
        let a = self.attachment(id)?;
        if out.exists() {
            return Err(Error::VaultExists {
                path: out.to_path_buf(),
            });
        }
        let tmp = out.with_extension("casevault-partial");
        let partial = PartialFile {
            path: tmp.clone(),
            keep: false,
        };
        // Owner-only from creation: this is plaintext evidence.
        let mut file =
            crate::private_fs::create_new_file(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        let mut flusher = Flusher::start(&file).map_err(|e| Error::io("write", &tmp, e))?;
        let mut written = 0u64;
        let intact = self.stream_blob(
            a.blob(),
            |chunk| {
                file.write_all(chunk)
                    .map_err(|e| Error::io("write", &tmp, e))?;
                written += chunk.len() as u64;
                flusher.wrote(written);
                Ok(())
            },
            |done| progress(done, a.size),
        )?;
        flusher.stop();
        if !intact {
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
        if !self.stream_blob(a.blob(), |_| Ok(()), &mut progress)? {
            return Err(Error::tampered(format!(
                "attachment \"{}\" is damaged (its SHA-256 no longer matches the one taken at intake); other records are not affected",
                a.original_name
            )));
        }
        Ok(())
    }
}
