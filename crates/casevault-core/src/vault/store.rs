//! The versioned record store underneath the documentation model: every
//! record is a JSON document of a known kind, every amendment appends a
//! version with who, when and why, and deletion is a reversible trash.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::custody::{self, CustodyAction, NewEntry};
use super::{Vault, refs};
use crate::model::problem::{ProblemCode, not_found};
use crate::model::records::Record;
use crate::{Error, Result};

/// One stored record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRecord {
    /// Record id.
    pub id: String,
    /// Record kind ("case", "person", …).
    pub kind: String,
    /// Current version, from 1.
    pub version: u32,
    /// The current data.
    pub data: serde_json::Value,
    /// When and by whom it was created.
    pub created_at: String,
    /// Who created it.
    pub created_by: String,
    /// When it last changed.
    pub updated_at: String,
    /// Who last changed it.
    pub updated_by: String,
    /// Set while the record is in the trash.
    pub trashed_at: Option<String>,
}

/// One change in [`Vault::apply_changes`].
#[derive(Debug, Clone, PartialEq)]
pub enum RecordChange {
    /// A new version of a record.
    Amend {
        /// Record id.
        id: String,
        /// The new data.
        data: serde_json::Value,
        /// Why.
        reason: String,
    },
    /// Into the trash.
    Trash {
        /// Record id.
        id: String,
        /// Why.
        reason: String,
    },
}

pub use crate::model::known::KnownRecords;

/// Who wrote a record and when, shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordMeta {
    /// Record id.
    pub id: String,
    /// Record kind.
    pub kind: String,
    /// Current version, from 1.
    pub version: u32,
    /// When it was created.
    pub created_at: String,
    /// Who created it.
    pub created_by: String,
    /// When it last changed.
    pub updated_at: String,
    /// Who changed it last.
    pub updated_by: String,
}

/// A record in the trash.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrashedRecord {
    /// Record id.
    pub id: String,
    /// Record kind.
    pub kind: String,
    /// Its data as trashed.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub data: serde_json::Value,
    /// When.
    pub trashed_at: String,
    /// By whom.
    pub trashed_by: String,
    /// Why.
    pub reason: String,
}

/// One version in a record's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordVersion {
    /// Version number, from 1.
    pub version: u32,
    /// The data as of this version.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub data: serde_json::Value,
    /// When.
    pub changed_at: String,
    /// By whom.
    pub changed_by: String,
    /// Why ("created", "imported", the amendment's reason, "trashed: …", "restored").
    pub note: Option<String>,
}

/// A stored record's data, of `T`'s kind, as a `T`: the one place where
/// a stored record that does not match the model becomes `Tampered` (the
/// database is authenticated, so only a bug or a forged write gets here).
pub(crate) fn decode<T: Record + DeserializeOwned>(data: serde_json::Value) -> Result<T> {
    serde_json::from_value(data).map_err(|e| {
        Error::tampered(format!(
            "a stored {} does not match the model: {e}",
            T::KIND
        ))
    })
}

pub(crate) fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Vault {
    /// Stores a new record and returns its id, without validating it: for
    /// tests and benches only (the `test-support` feature). Records enter
    /// a real vault through the model's validated operations.
    #[cfg(any(test, feature = "test-support"))]
    pub fn insert_record(&mut self, kind: &str, data: &serde_json::Value) -> Result<String> {
        let id = new_record_id()?;
        self.insert_records_with_ids(&[(kind, &id, data.clone())], "created")?;
        Ok(id)
    }

    /// Reads a record, trashed or not.
    pub fn get_record(&self, id: &str) -> Result<Option<StoredRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, kind, version, data, created_at, created_by, updated_at, updated_by, trashed_at
                 FROM records WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                },
            )
            .optional()?;
        row.map(
            |(
                id,
                kind,
                version,
                data,
                created_at,
                created_by,
                updated_at,
                updated_by,
                trashed_at,
            )| {
                Ok(StoredRecord {
                    id,
                    kind,
                    version,
                    data: serde_json::from_str(&data)
                        .map_err(|_| Error::tampered("a stored record is not valid JSON"))?,
                    created_at,
                    created_by,
                    updated_at,
                    updated_by,
                    trashed_at,
                })
            },
        )
        .transpose()
    }

    /// Amends a record: the new data becomes a new version, with who, when
    /// and why; earlier versions stay in the history. Returns the version.
    pub fn amend_record(&mut self, id: &str, data: &serde_json::Value, why: &str) -> Result<u32> {
        let actor = &self.actor();
        let now = self.now();
        if why.trim().is_empty() {
            return Err(Error::invalid("reason", ProblemCode::ReasonRequired));
        }
        let text =
            serde_json::to_string(data).map_err(|e| Error::Internal(format!("record: {e}")))?;
        self.append_version(id, Some(&text), actor, now, why, None)
    }

    /// Moves a record to the trash with a reason. It disappears from lists
    /// and exports but keeps its history and can be restored.
    pub fn trash_record(&mut self, id: &str, reason: &str) -> Result<u32> {
        self.trash_records(&[id], reason)?;
        self.current_version(id)
    }

    /// Moves several records to the trash in one transaction, all with the
    /// same reason and moment (so that [`Vault::restore_record`] can bring
    /// them back together). Refused while a live record outside the set
    /// still refers to one of them: an export must never carry a reference
    /// to something it leaves out.
    pub fn trash_records(&mut self, ids: &[&str], reason: &str) -> Result<()> {
        let actor = &self.actor();
        let now = self.now();
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", ProblemCode::ReasonRequired));
        }
        let tx = self.conn.transaction()?;
        let set: std::collections::HashSet<&str> = ids.iter().copied().collect();
        for id in ids {
            trash_in(&tx, id, actor, now, reason, &set)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies several amendments and trashings in one transaction, all or
    /// nothing (a merge of two persons). Trash is checked for references
    /// after the amendments, so a batch can first repoint references and
    /// then trash what they pointed at.
    pub fn apply_changes(&mut self, changes: &[RecordChange]) -> Result<()> {
        let actor = &self.actor();
        let now = self.now();
        let tx = self.conn.transaction()?;
        for change in changes {
            match change {
                RecordChange::Amend { id, data, reason } => {
                    let text = serde_json::to_string(data)
                        .map_err(|e| Error::Internal(format!("record: {e}")))?;
                    append_version(&tx, id, Some(&text), actor, now, reason, None)?;
                }
                RecordChange::Trash { id, reason } => {
                    trash_in(&tx, id, actor, now, reason, &Default::default())?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Live records other than `id` that refer to it: (id, kind).
    pub fn referrers(&mut self, id: &str) -> Result<Vec<(String, String)>> {
        refs::live_referrers(&self.conn, id)
    }

    /// Every reference the records hold, trashed ones included, as
    /// (from, field, to), sorted: for tests that compare the table with
    /// what the records say.
    #[cfg(any(test, feature = "test-support"))]
    pub fn stored_refs(&self) -> Result<Vec<(String, String, String)>> {
        refs::all(&self.conn)
    }

    /// Every row of the case index, trashed ones included, as (case,
    /// record, kind, trashed), sorted: for tests.
    #[cfg(any(test, feature = "test-support"))]
    pub fn stored_cases(&self) -> Result<Vec<(String, String, String, bool)>> {
        refs::all_cases(&self.conn)
    }

    /// Takes a record out of the trash, together with the records that
    /// refer to it and were trashed in the same operation (a case and its
    /// incidents come back together). Refused while the record refers to
    /// something still in the trash.
    pub fn restore_record(&mut self, id: &str) -> Result<u32> {
        let actor = &self.actor();
        let now = self.now();
        let tx = self.conn.transaction()?;
        let trashed_at: Option<String> = tx
            .query_row("SELECT trashed_at FROM records WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        let Some(trashed_at) = trashed_at else {
            return Err(Error::invalid(
                "record",
                ProblemCode::NotInTrash.with("id", id),
            ));
        };
        let mut set: Vec<String> = vec![id.to_owned()];
        set.extend(refs::trashed_with(&tx, id, &trashed_at)?);
        for rid in &set {
            let missing: Vec<(String, String)> = refs::trashed_targets(&tx, rid)?
                .into_iter()
                .filter(|(x, _)| !set.contains(x))
                .collect();
            if !missing.is_empty() {
                return Err(Error::invalid(
                    "record",
                    ProblemCode::RestoreReferencesFirst
                        .with("id", rid)
                        .with("targets", kinds_and_ids(&missing))
                        .with("ids", ids(&missing)),
                ));
            }
        }
        for rid in &set {
            append_version(&tx, rid, None, actor, now, "restored", Some(None))?;
        }
        tx.commit()?;
        self.current_version(id)
    }

    fn current_version(&self, id: &str) -> Result<u32> {
        Ok(self
            .conn
            .query_row("SELECT version FROM records WHERE id = ?1", [id], |r| {
                r.get(0)
            })?)
    }

    /// Appends a version in its own transaction.
    fn append_version(
        &mut self,
        id: &str,
        data: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
        note: &str,
        trash: Option<Option<&str>>,
    ) -> Result<u32> {
        let tx = self.conn.transaction()?;
        let version = append_version(&tx, id, data, actor, now, note, trash)?;
        tx.commit()?;
        Ok(version)
    }

    /// Every version of a record, oldest first.
    pub fn record_history(&self, id: &str) -> Result<Vec<RecordVersion>> {
        let mut stmt = self.conn.prepare(
            "SELECT version, data, changed_at, changed_by, change_note FROM record_versions
             WHERE record_id = ?1 ORDER BY version",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        rows.map(|row| {
            let (version, data, changed_at, changed_by, note) = row?;
            Ok(RecordVersion {
                version,
                data: serde_json::from_str(&data)
                    .map_err(|_| Error::tampered("a stored version is not valid JSON"))?,
                changed_at,
                changed_by,
                note,
            })
        })
        .collect()
    }

    /// Stores many records with caller-chosen ids in one transaction: all
    /// or nothing. Used by import, which has validated the ids already.
    pub fn insert_records_with_ids(
        &mut self,
        records: &[(&str, &str, serde_json::Value)],
        note: &str,
    ) -> Result<()> {
        let actor = &self.actor();
        let now = self.now();
        let tx = self.conn.transaction()?;
        insert_records_in(&tx, records, actor, now, note)?;
        tx.commit()?;
        Ok(())
    }

    /// The kind of every record by id, and which are in the trash.
    pub fn known_records(&self) -> Result<KnownRecords> {
        let mut known = KnownRecords::default();
        let mut stmt = self
            .conn
            .prepare("SELECT id, kind, trashed_at IS NOT NULL FROM records")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        for row in rows {
            let (id, kind, trashed) = row?;
            if trashed {
                known.trashed.insert(id.clone());
            }
            known.kinds.insert(id, kind);
        }
        Ok(known)
    }

    /// [`Vault::known_records`] for the given ids only: what validating a
    /// single record needs (the records it refers to), without reading
    /// every record of the vault.
    pub fn known_records_among<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<KnownRecords> {
        let mut known = KnownRecords::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, trashed_at IS NOT NULL FROM records WHERE id = ?1")?;
        for id in ids {
            let found = stmt
                .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))
                .optional()?;
            if let Some((kind, trashed)) = found {
                if trashed {
                    known.trashed.insert(id.to_owned());
                }
                known.kinds.insert(id.to_owned(), kind);
            }
        }
        Ok(known)
    }

    /// Metadata (version, who and when) of the given records.
    pub fn record_meta(&self, ids: &[&str]) -> Result<Vec<RecordMeta>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, version, created_at, created_by, updated_at, updated_by
             FROM records WHERE id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(meta) = stmt
                .query_row([id], |r| {
                    Ok(RecordMeta {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        version: r.get(2)?,
                        created_at: r.get(3)?,
                        created_by: r.get(4)?,
                        updated_at: r.get(5)?,
                        updated_by: r.get(6)?,
                    })
                })
                .optional()?
            {
                out.push(meta);
            }
        }
        Ok(out)
    }

    /// Everything in the trash, most recently trashed first.
    pub fn trashed_records(&self) -> Result<Vec<TrashedRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, data, trashed_at, trashed_by, trash_reason FROM records
             WHERE trashed_at IS NOT NULL ORDER BY trashed_at DESC, rowid",
        )?;
        trashed_rows(&mut stmt, [])
    }

    /// The record `id` as a `T`, or `None` when there is no live (not
    /// trashed) record of `T`'s kind with that id. A stored record that
    /// does not match `T` is [`Error::Tampered`].
    pub fn get<T: Record + DeserializeOwned>(&self, id: &str) -> Result<Option<T>> {
        match self.get_record(id)? {
            Some(r) if r.kind == T::KIND && r.trashed_at.is_none() => decode(r.data).map(Some),
            _ => Ok(None),
        }
    }

    /// Every live record of `T`'s kind, in the order they were stored (an
    /// import keeps its file order). A stored record that does not match
    /// `T` is [`Error::Tampered`].
    pub fn all<T: Record + DeserializeOwned>(&self) -> Result<Vec<T>> {
        self.records_of_kind(T::KIND)?
            .into_iter()
            .map(decode)
            .collect()
    }

    /// The current data of every record of `kind` not in the trash, in the
    /// order they were stored (an import keeps its file order).
    pub fn records_of_kind(&self, kind: &str) -> Result<Vec<serde_json::Value>> {
        let mut stmt = self.conn.prepare(
            "SELECT data FROM records WHERE kind = ?1 AND trashed_at IS NULL ORDER BY rowid",
        )?;
        let rows = stmt.query_map([kind], |r| r.get::<_, String>(0))?;
        rows.map(|row| {
            serde_json::from_str(&row?)
                .map_err(|_| Error::tampered("a stored record is not valid JSON"))
        })
        .collect()
    }

    /// Record counts per kind, trash excluded.
    pub fn record_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, count(*) FROM records WHERE trashed_at IS NULL GROUP BY kind ORDER BY kind")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Stores records with caller-chosen ids inside `tx` (see
/// [`Vault::insert_records_with_ids`]).
pub(crate) fn insert_records_in(
    tx: &rusqlite::Transaction<'_>,
    records: &[(&str, &str, serde_json::Value)],
    actor: &str,
    now: DateTime<Utc>,
    note: &str,
) -> Result<()> {
    let at = timestamp(now);
    let mut rec = tx.prepare(
        "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, 1, ?3, ?4, ?5, ?4, ?5)",
    )?;
    let mut ver = tx.prepare(
        "INSERT INTO record_versions (record_id, version, data, changed_at, changed_by, change_note)
         VALUES (?1, 1, ?2, ?3, ?4, ?5)",
    )?;
    for (kind, id, data) in records {
        validate_kind(kind)?;
        let text =
            serde_json::to_string(data).map_err(|e| Error::Internal(format!("record: {e}")))?;
        rec.execute(params![id, kind, text, at, actor])?;
        ver.execute(params![id, text, at, actor, note])?;
        refs::replace(tx, id, kind, &text, false)?;
        super::name_index::reindex(tx, id, kind, &text, true)?;
        custody::append(
            tx,
            NewEntry {
                at: now,
                actor,
                action: if note == "imported" {
                    CustodyAction::Import
                } else {
                    CustodyAction::Create
                },
                target: Some(id),
                target_kind: Some(kind),
                digest: Some(custody::record_state_digest(tx, id)?),
                detail: None,
            },
        )?;
    }
    Ok(())
}

/// Amends a record inside `tx`.
pub(crate) fn amend_in(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    data: &str,
    actor: &str,
    now: DateTime<Utc>,
    why: &str,
) -> Result<u32> {
    append_version(tx, id, Some(data), actor, now, why, None)
}

/// Appends a version inside `tx`. `data` None keeps the current data;
/// `trash` Some(Some(reason)) trashes, Some(None) restores.
fn append_version(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    data: Option<&str>,
    actor: &str,
    now: DateTime<Utc>,
    note: &str,
    trash: Option<Option<&str>>,
) -> Result<u32> {
    let at = timestamp(now);
    let current: Option<(u32, String, Option<String>, String)> = tx
        .query_row(
            "SELECT version, data, trashed_at, kind FROM records WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((version, old_data, trashed_at, kind)) = current else {
        return Err(Error::invalid("record", not_found("record", id)));
    };
    match trash {
        Some(Some(_)) if trashed_at.is_some() => {
            return Err(Error::invalid(
                "record",
                ProblemCode::AlreadyInTrash.with("id", id),
            ));
        }
        Some(None) if trashed_at.is_none() => {
            return Err(Error::invalid(
                "record",
                ProblemCode::NotInTrash.with("id", id),
            ));
        }
        None if trashed_at.is_some() => {
            return Err(Error::invalid(
                "record",
                ProblemCode::InTrash.with("id", id),
            ));
        }
        _ => {}
    }
    if data == Some(old_data.as_str()) {
        return Err(Error::invalid("record", ProblemCode::Unchanged));
    }
    let next = version + 1;
    let live = match trash {
        Some(Some(_)) => false,
        Some(None) => true,
        None => trashed_at.is_none(),
    };
    match data {
        Some(data) => refs::replace(tx, id, &kind, data, !live)?,
        // Trash and restore keep the data, and with it the references
        // and the cases.
        None => refs::set_trashed(tx, id, !live)?,
    }
    let data = data.unwrap_or(&old_data);
    tx.execute(
        "UPDATE records SET version = ?2, data = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1",
        params![id, next, data, at, actor],
    )?;
    match trash {
        Some(Some(reason)) => tx.execute(
            "UPDATE records SET trashed_at = ?2, trashed_by = ?3, trash_reason = ?4 WHERE id = ?1",
            params![id, at, actor, reason],
        )?,
        Some(None) => tx.execute(
            "UPDATE records SET trashed_at = NULL, trashed_by = NULL, trash_reason = NULL WHERE id = ?1",
            [id],
        )?,
        None => 0,
    };
    tx.execute(
        "INSERT INTO record_versions (record_id, version, data, changed_at, changed_by, change_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, next, data, at, actor, note],
    )?;
    super::name_index::reindex(tx, id, &kind, data, live)?;
    let (action, detail) = match trash {
        Some(Some(reason)) => (CustodyAction::Trash, reason),
        Some(None) => (CustodyAction::Restore, note),
        None => (CustodyAction::Amend, note),
    };
    custody::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action,
            target: Some(id),
            target_kind: Some(&kind),
            digest: Some(custody::record_state_digest(tx, id)?),
            detail: Some(detail),
        },
    )?;
    Ok(next)
}

/// Trashes one record inside `tx`, refused while a live record outside
/// `also_trashed` still refers to it.
fn trash_in(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    actor: &str,
    now: DateTime<Utc>,
    reason: &str,
    also_trashed: &std::collections::HashSet<&str>,
) -> Result<()> {
    let blocking: Vec<(String, String)> = refs::live_referrers(tx, id)?
        .into_iter()
        .filter(|(rid, _)| !also_trashed.contains(rid.as_str()))
        .collect();
    if !blocking.is_empty() {
        return Err(Error::invalid(
            "record",
            ProblemCode::StillReferredTo
                .with("id", id)
                .with("by", kinds_and_ids(&blocking))
                .with("ids", ids(&blocking)),
        ));
    }
    append_version(
        tx,
        id,
        None,
        actor,
        now,
        &format!("trashed: {reason}"),
        Some(Some(reason)),
    )?;
    Ok(())
}

/// Reads rows of (id, kind, data, trashed_at, trashed_by, trash_reason).
pub(crate) fn trashed_rows(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<TrashedRecord>> {
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (id, kind, data, trashed_at, trashed_by, reason) = row?;
        Ok(TrashedRecord {
            id,
            kind,
            data: serde_json::from_str(&data)
                .map_err(|_| Error::tampered("a stored record is not valid JSON"))?,
            trashed_at,
            trashed_by: trashed_by.unwrap_or_default(),
            reason: reason.unwrap_or_default(),
        })
    })
    .collect()
}

/// `(id, kind)` pairs as the English names them: `incident "inc-1"`.
fn kinds_and_ids(records: &[(String, String)]) -> String {
    records
        .iter()
        .map(|(id, kind)| format!("{kind} \"{id}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ids alone, for a language that names the kinds its own way.
fn ids(records: &[(String, String)]) -> String {
    records
        .iter()
        .map(|(id, _)| id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn validate_kind(kind: &str) -> Result<()> {
    if kind.is_empty()
        || kind.len() > 64
        || !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        return Err(Error::invalid("kind", ProblemCode::KindFormat));
    }
    Ok(())
}

/// A random 128-bit id in lowercase hex. Random rather than sequential so
/// that ids in an export reveal nothing about the size of the vault.
/// Only `insert_record` (test support) invents ids; imports bring theirs.
#[cfg(any(test, feature = "test-support"))]
fn new_record_id() -> Result<String> {
    Ok(data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<16>()?))
}
