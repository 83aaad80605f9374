//! The custody log: an append-only, hash-chained record of everything done
//! to the evidence. Each entry says who, what, when, which record or
//! attachment, the SHA-256 of its content after the change, and the hash
//! of the previous entry; its own hash covers all of that.
//!
//! What it proves, and what it cannot (also in docs/SECURITY.md): someone
//! without the passphrase cannot read or alter it at all (SQLCipher). An
//! edit through Casevault always leaves an entry. Someone *with* the
//! passphrase and their own tools can rewrite the whole chain from the
//! point they change; the chain then only helps against them when its
//! head was recorded outside the device earlier (signed checkpoints in
//! export bundles). `audit verify` also recomputes every current record's
//! and attachment's digest, which catches an old database page spliced
//! back in, and rollback of a single record.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Vault;
use super::store::timestamp;
use crate::Result;

/// The schema version that introduced the log.
pub(crate) const SINCE_SCHEMA: u32 = 4;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CustodyAction {
    /// The vault was created.
    VaultCreated,
    /// Records that existed before the log were entered into it.
    Baseline,
    /// A record was created in a form.
    Create,
    /// A record came in through an import.
    Import,
    /// A record was amended.
    Amend,
    /// A record went to the trash.
    Trash,
    /// A record came back from the trash.
    Restore,
    /// A file was attached.
    Attach,
    /// An attachment was opened for viewing.
    OpenAttachment,
    /// A plaintext copy of an attachment was saved outside the vault.
    SaveCopy,
    /// Data left the vault (an export or a bundle).
    Export,
    /// A backup was written.
    Backup,
    /// The passphrase was changed.
    PassphraseChange,
    /// The recovery key was replaced.
    RecoveryKeyReplaced,
    /// Unlock attempts with a wrong credential since the last unlock.
    FailedUnlock,
    /// The log's head was signed with the organisation key.
    Checkpoint,
    /// A sealed self-report arrived in the intake inbox.
    IntakeReceive,
    /// A self-report was accepted into a case.
    IntakeAccept,
    /// A self-report was rejected, with the reason.
    IntakeReject,
    /// A record or attachment was securely deleted from this device with a
    /// team space unloaded for travel; the space's remote still holds it.
    Unload,
}

impl CustodyAction {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::VaultCreated => "vault_created",
            Self::Baseline => "baseline",
            Self::Create => "create",
            Self::Import => "import",
            Self::Amend => "amend",
            Self::Trash => "trash",
            Self::Restore => "restore",
            Self::Attach => "attach",
            Self::OpenAttachment => "open_attachment",
            Self::SaveCopy => "save_copy",
            Self::Export => "export",
            Self::Backup => "backup",
            Self::PassphraseChange => "passphrase_change",
            Self::RecoveryKeyReplaced => "recovery_key_replaced",
            Self::FailedUnlock => "failed_unlock",
            Self::Checkpoint => "checkpoint",
            Self::IntakeReceive => "intake_receive",
            Self::IntakeAccept => "intake_accept",
            Self::IntakeReject => "intake_reject",
            Self::Unload => "unload",
        }
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CustodyEntry {
    /// Position in the chain, from 1.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (a [`CustodyAction`] code).
    pub action: String,
    /// Which record or attachment.
    pub target: Option<String>,
    /// "case", "person", …, or "attachment".
    pub target_kind: Option<String>,
    /// SHA-256 of the content after this entry.
    pub digest: Option<String>,
    /// Why, or what else is worth knowing (a reason, a file name).
    pub detail: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The kind of problem `audit verify` found: stable, for programs and
/// tests (the English text may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AuditProblemCode {
    /// An entry of the chain was changed, removed or relinked.
    BrokenLink,
    /// A record or attachment the log names no longer exists.
    TargetMissing,
    /// A record's or attachment's row no longer matches its latest entry.
    StateMismatch,
    /// A record or attachment exists that the log never mentions.
    NoEntry,
    /// An attachment's stored bytes do not decrypt to its recorded hash.
    BytesDamaged,
    /// The log does not contain what an off-device signed checkpoint says.
    CheckpointMismatch,
}

/// One thing `audit verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditProblem {
    /// What kind of problem.
    pub code: AuditProblemCode,
    /// The log entry concerned, when there is one.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seq: Option<u64>,
    /// The record or attachment concerned.
    pub target: Option<String>,
    /// What is wrong.
    pub problem: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditReport {
    /// Entries in the log.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub entries: u64,
    /// The hash of the last entry: what a signed checkpoint records.
    pub head_hash: String,
    /// The first entry whose link is broken, if any.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub first_broken_link: Option<u64>,
    /// Records checked against their latest entry.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records_checked: u64,
    /// Attachments checked (their bytes decrypted and hashed).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachments_checked: u64,
    /// Every problem, in the order found. Empty means all is well.
    pub problems: Vec<AuditProblem>,
}

use crate::crypto::hash::sha256_hex;

/// What an entry says, before it is chained.
pub(crate) struct NewEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: CustodyAction,
    pub target: Option<&'a str>,
    pub target_kind: Option<&'a str>,
    pub digest: Option<String>,
    pub detail: Option<&'a str>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn entry_hash(
    seq: u64,
    at: &str,
    actor: &str,
    action: &str,
    target: Option<&str>,
    target_kind: Option<&str>,
    digest: Option<&str>,
    detail: Option<&str>,
    prev_hash: &str,
) -> String {
    // A JSON array is an unambiguous encoding of the fields: no separator
    // inside a value can shift a boundary.
    let canonical = serde_json::json!([
        seq,
        at,
        actor,
        action,
        target,
        target_kind,
        digest,
        detail,
        prev_hash
    ]);
    sha256_hex(canonical.to_string().as_bytes())
}

/// `vault_meta` key of the secret that derives each leaf field's salt.
const LEAF_KEY_META: &str = "custody_leaf_key";

/// What every leaf starts with, so that a leaf can never be mistaken for
/// any other SHA-256 input of this program.
const LEAF_PREFIX: &[u8] = b"casevault custody leaf v1\n";

/// The fields of an entry that its Merkle leaf commits to, in leaf order.
/// `seq` is in the leaf as itself; the chain hashes are not (the tree
/// replaces them, and they would let a reader test guesses for redacted
/// fields).
pub const LEAF_FIELDS: [&str; 7] = [
    "at",
    "actor",
    "action",
    "target",
    "target_kind",
    "digest",
    "detail",
];

fn field_values(e: &CustodyEntry) -> [Option<&str>; 7] {
    [
        Some(e.at.as_str()),
        Some(e.actor.as_str()),
        Some(e.action.as_str()),
        e.target.as_deref(),
        e.target_kind.as_deref(),
        e.digest.as_deref(),
        e.detail.as_deref(),
    ]
}

/// The vault's leaf key: it derives the salt of each field commitment,
/// so that a commitment shown for a redacted field cannot be tested
/// against guesses (a staff user name, a person's name). Never leaves the
/// vault; the salts of fields a bundle shows do.
pub(crate) struct LeafKey(zeroize::Zeroizing<[u8; 32]>);

impl LeafKey {
    pub(crate) fn load(conn: &Connection) -> Result<Self> {
        let hex: Option<String> = conn
            .query_row(
                "SELECT value FROM vault_meta WHERE key = ?1",
                [LEAF_KEY_META],
                |r| r.get(0),
            )
            .optional()?;
        let bad = || crate::Error::tampered("the custody log's leaf key is missing or damaged");
        let hex = zeroize::Zeroizing::new(hex.ok_or_else(bad)?);
        let bytes = zeroize::Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(hex.as_bytes())
                .map_err(|_| bad())?,
        );
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        if bytes.len() != 32 {
            return Err(bad());
        }
        key.copy_from_slice(&bytes);
        Ok(Self(key))
    }

    fn salt(&self, seq: u64, field: usize) -> [u8; 32] {
        let mut msg = b"casevault custody field salt v1\0".to_vec();
        msg.extend_from_slice(&seq.to_be_bytes());
        msg.push(field as u8);
        crate::crypto::hmac_sha256(&self.0[..], &msg)
    }
}

/// Migration 9's step: creates the leaf key (from the OS CSPRNG, which
/// SQL's `randomblob` is not guaranteed to be) for a vault that has none.
pub(crate) fn create_leaf_key(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let key = zeroize::Zeroizing::new(crate::crypto::random_bytes::<32>()?);
    let hex = zeroize::Zeroizing::new(data_encoding::HEXLOWER.encode(&key[..]));
    tx.execute(
        "INSERT OR IGNORE INTO vault_meta (key, value) VALUES (?1, ?2)",
        [LEAF_KEY_META, hex.as_str()],
    )?;
    Ok(())
}

/// A field's commitment: SHA-256(salt ‖ 0x00) for an absent value,
/// SHA-256(salt ‖ 0x01 ‖ UTF-8) for a present one.
pub fn field_commitment(salt: &[u8; 32], value: Option<&str>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    match value {
        None => h.update([0u8]),
        Some(v) => {
            h.update([1u8]);
            h.update(v.as_bytes());
        }
    }
    h.finalize().into()
}

/// The exact bytes a leaf hashes (RFC 9162 leaf input): the prefix, `seq`
/// as 8 bytes big-endian, then the seven field commitments.
pub fn leaf_bytes(seq: u64, commitments: &[[u8; 32]; 7]) -> Vec<u8> {
    let mut out = Vec::with_capacity(LEAF_PREFIX.len() + 8 + 7 * 32);
    out.extend_from_slice(LEAF_PREFIX);
    out.extend_from_slice(&seq.to_be_bytes());
    for c in commitments {
        out.extend_from_slice(c);
    }
    out
}

fn stored_leaf(key: &LeafKey, e: &CustodyEntry) -> Vec<u8> {
    let values = field_values(e);
    let commitments: [[u8; 32]; 7] =
        std::array::from_fn(|i| field_commitment(&key.salt(e.seq, i), values[i]));
    leaf_bytes(e.seq, &commitments)
}

/// How a bundle opens one field of an exported entry: the salt when the
/// field is shown as stored (the reader recomputes the commitment), or
/// only the commitment when the bundle shows it redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOpening {
    /// One of [`LEAF_FIELDS`].
    pub field: String,
    /// Hex salt: the value shown is the value logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    /// Hex commitment: the value shown was redacted for this bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<String>,
}

/// One line of a bundle's `custody-proofs.jsonl`: what a reader needs to
/// recompute an exported entry's leaf and check it against the signed
/// root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustodyProof {
    /// The entry's `seq`; its leaf index is `seq - 1`.
    pub seq: u64,
    /// One opening per [`LEAF_FIELDS`], in that order.
    pub fields: Vec<FieldOpening>,
    /// The RFC 9162 inclusion proof (audit path), leaf to root, hex.
    pub audit_path: Vec<String>,
}

/// The Merkle tree over the log's first `size` entries.
pub(crate) fn tree(conn: &Connection, size: u64) -> Result<crate::crypto::merkle::Tree> {
    let key = LeafKey::load(conn)?;
    let entries = read_entries(conn, None)?;
    if (entries.len() as u64) < size {
        return Err(crate::Error::tampered(format!(
            "the custody log has {} entries, fewer than the {size} asked for",
            entries.len()
        )));
    }
    Ok(crate::crypto::merkle::Tree::new(
        entries[..size as usize]
            .iter()
            .map(|e| stored_leaf(&key, e)),
    ))
}

/// Inclusion proofs for exported entries, each given with the entry as
/// stored, against the tree of the first `tree_size` entries.
pub(crate) fn proofs_for(
    conn: &Connection,
    tree_size: u64,
    pairs: &[(&CustodyEntry, &CustodyEntry)],
) -> Result<Vec<CustodyProof>> {
    let key = LeafKey::load(conn)?;
    let tree = tree(conn, tree_size)?;
    pairs
        .iter()
        .map(|(stored, shown)| {
            let path = tree
                .inclusion_proof(stored.seq.wrapping_sub(1))
                .ok_or_else(|| {
                    crate::Error::Internal(format!(
                        "custody entry {} is not under the checkpoint",
                        stored.seq
                    ))
                })?;
            let (a, b) = (field_values(stored), field_values(shown));
            let fields = (0..LEAF_FIELDS.len())
                .map(|i| {
                    let salt = key.salt(stored.seq, i);
                    let (salt, commitment) = if a[i] == b[i] {
                        (Some(data_encoding::HEXLOWER.encode(&salt)), None)
                    } else {
                        let c = field_commitment(&salt, a[i]);
                        (None, Some(data_encoding::HEXLOWER.encode(&c)))
                    };
                    FieldOpening {
                        field: LEAF_FIELDS[i].to_owned(),
                        salt,
                        commitment,
                    }
                })
                .collect();
            Ok(CustodyProof {
                seq: stored.seq,
                fields,
                audit_path: path.iter().map(crate::crypto::merkle::to_hex).collect(),
            })
        })
        .collect()
}

/// Checks every exported entry's proof against a signed tree size and
/// root: what `bundle verify` does, and what verify_custody.py does with
/// nothing but Python. Returns the problems found (empty: all verified).
pub fn verify_proofs(
    shown: &[CustodyEntry],
    proofs: &[CustodyProof],
    tree_size: u64,
    root: &crate::crypto::merkle::Hash,
) -> Vec<String> {
    use crate::crypto::merkle::{from_hex, verify_inclusion};
    let mut problems = Vec::new();
    if shown.len() != proofs.len() {
        problems.push(format!(
            "custody.jsonl has {} entries but custody-proofs.jsonl has {} proofs",
            shown.len(),
            proofs.len()
        ));
        return problems;
    }
    for (e, p) in shown.iter().zip(proofs) {
        let leaf = (|| {
            if p.seq != e.seq || p.fields.len() != LEAF_FIELDS.len() {
                return None;
            }
            let values = field_values(e);
            let mut commitments = [[0u8; 32]; 7];
            for (i, f) in p.fields.iter().enumerate() {
                if f.field != LEAF_FIELDS[i] {
                    return None;
                }
                commitments[i] = match (&f.salt, &f.commitment) {
                    (Some(salt), None) => field_commitment(&from_hex(salt)?, values[i]),
                    (None, Some(c)) => from_hex(c)?,
                    _ => return None,
                };
            }
            Some(leaf_bytes(e.seq, &commitments))
        })();
        let path: Option<Vec<_>> = p.audit_path.iter().map(|h| from_hex(h)).collect();
        let ok = match (leaf, path) {
            (Some(leaf), Some(path)) if e.seq >= 1 => {
                verify_inclusion(&leaf, e.seq - 1, tree_size, root, &path)
            }
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "custody entry {} is not proven to be in the signed custody log",
                e.seq
            ));
        }
    }
    problems
}

/// Appends an entry. Call inside the transaction that makes the change, so
/// the change and its entry commit together or not at all.
pub(crate) fn append(conn: &Connection, e: NewEntry<'_>) -> Result<()> {
    let last: Option<(u64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM custody_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(e.at);
    let action = e.action.code();
    let hash = entry_hash(
        seq,
        &at,
        e.actor,
        action,
        e.target,
        e.target_kind,
        e.digest.as_deref(),
        e.detail,
        &prev,
    );
    conn.prepare_cached(
        "INSERT INTO custody_log (seq, at, actor, action, target, target_kind, digest, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        seq as i64,
        at,
        e.actor,
        action,
        e.target,
        e.target_kind,
        e.digest,
        e.detail,
        prev,
        hash
    ])?;
    Ok(())
}

/// Enters records that predate the log (a vault migrated from schema 3 or
/// older) with a baseline entry each, once.
pub(crate) fn ensure_baseline(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    let empty: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM custody_log)", [], |r| {
        r.get(0)
    })?;
    if !empty {
        return Ok(());
    }
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare("SELECT id, kind FROM records ORDER BY rowid")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, kind) in rows {
            append(
                &tx,
                NewEntry {
                    at: now,
                    actor: "casevault",
                    action: CustodyAction::Baseline,
                    target: Some(&id),
                    target_kind: Some(&kind),
                    digest: Some(record_state_digest(&tx, &id)?),
                    detail: Some("recorded when the custody log was introduced"),
                },
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn read_entries(conn: &Connection, target: Option<&str>) -> Result<Vec<CustodyEntry>> {
    let sql = "SELECT seq, at, actor, action, target, target_kind, digest, detail, prev_hash, hash
               FROM custody_log WHERE ?1 IS NULL OR target = ?1 ORDER BY seq";
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([target], |r| {
        Ok(CustodyEntry {
            seq: r.get::<_, i64>(0)?.max(0) as u64,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            target_kind: r.get(5)?,
            digest: r.get(6)?,
            detail: r.get(7)?,
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Vault {
    /// Inclusion proofs for entries leaving in a bundle: each pair is the
    /// entry as stored and as the bundle shows it.
    pub(crate) fn custody_proofs(
        &self,
        tree_size: u64,
        pairs: &[(&CustodyEntry, &CustodyEntry)],
    ) -> Result<Vec<CustodyProof>> {
        proofs_for(&self.conn, tree_size, pairs)
    }

    /// Changes one entry's detail without rehashing it, as someone editing
    /// the database outside Casevault would (first dropping the triggers
    /// that keep the log append-only): for tests of what the audit and the
    /// screens make of a broken chain.
    #[cfg(feature = "test-support")]
    pub fn tamper_custody_entry(&mut self, seq: u64) -> Result<()> {
        self.conn.execute_batch(
            "DROP TRIGGER IF EXISTS custody_log_no_update;
             DROP TRIGGER IF EXISTS custody_log_no_delete;",
        )?;
        let changed = self.conn.execute(
            "UPDATE custody_log SET detail = coalesce(detail, '') || ' (edited)' WHERE seq = ?1",
            [seq as i64],
        )?;
        if changed == 1 {
            Ok(())
        } else {
            Err(crate::Error::Internal(format!("no custody entry {seq}")))
        }
    }

    /// The log, or the entries about one record or attachment.
    pub fn custody_log(&self, target: Option<&str>) -> Result<Vec<CustodyEntry>> {
        read_entries(&self.conn, target)
    }

    /// Records an event that changes nothing in the vault itself (an
    /// export, a backup) in the log.
    pub fn log_event(
        &mut self,
        action: CustodyAction,
        target: Option<&str>,
        detail: Option<&str>,
    ) -> Result<()> {
        let actor = &self.actor();
        let now = self.now();
        append(
            &self.conn,
            NewEntry {
                at: now,
                actor,
                action,
                target,
                target_kind: None,
                digest: None,
                detail,
            },
        )
    }

    /// Walks the chain and reports the first broken link, then checks that
    /// every record's current data (and, with `deep`, every attachment's
    /// bytes) matches the digest of its latest entry.
    pub fn audit_verify(
        &self,
        deep: bool,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<AuditReport> {
        let entries = read_entries(&self.conn, None)?;
        let mut problems = Vec::new();
        let mut first_broken_link = None;
        let mut prev = GENESIS.to_owned();
        let mut latest: HashMap<&str, &CustodyEntry> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            crate::cancel::check()?;
            let expected_seq = i as u64 + 1;
            let recomputed = entry_hash(
                e.seq,
                &e.at,
                &e.actor,
                &e.action,
                e.target.as_deref(),
                e.target_kind.as_deref(),
                e.digest.as_deref(),
                e.detail.as_deref(),
                &e.prev_hash,
            );
            let problem = if e.seq != expected_seq {
                Some(format!(
                    "entry {expected_seq} is missing (the next one is {})",
                    e.seq
                ))
            } else if e.prev_hash != prev {
                Some("does not link to the entry before it".to_owned())
            } else if e.hash != recomputed {
                Some("its content was changed after it was written".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem
                && first_broken_link.is_none()
            {
                first_broken_link = Some(e.seq);
                problems.push(AuditProblem {
                    code: AuditProblemCode::BrokenLink,
                    seq: Some(e.seq),
                    target: e.target.clone(),
                    problem: format!("custody log entry {}: {problem}", e.seq),
                });
            }
            prev = e.hash.clone();
            if e.action == CustodyAction::Unload.code() {
                // Deleted on purpose (travel mode): its absence is expected
                // until an entry brings it back; a row that reappears
                // without one is reported as having no entry.
                if let Some(t) = &e.target {
                    latest.remove(t.as_str());
                }
            } else if let (Some(t), Some(_)) = (&e.target, &e.digest) {
                latest.insert(t.as_str(), e);
            }
        }

        // Every record and attachment the log names must still exist, in
        // the state its latest entry recorded: this is what catches a row
        // deleted or edited (trash, kind, version, history, owner, name)
        // with the vault's key and someone else's tools.
        let mut records_checked = 0u64;
        let mut targets: Vec<&&CustodyEntry> = latest.values().collect();
        targets.sort_by_key(|e| e.seq);
        for e in targets {
            crate::cancel::check()?;
            let Some(kind) = target_kind_of(e) else {
                continue;
            };
            let id = e.target.as_deref().unwrap_or_default();
            let state = match kind {
                TargetKind::Record => record_state(&self.conn, id)?,
                TargetKind::Attachment => attachment_state(&self.conn, id)?,
            };
            let what = match kind {
                TargetKind::Record => "record",
                TargetKind::Attachment => "attachment",
            };
            let Some(state) = state else {
                problems.push(AuditProblem {
                    code: AuditProblemCode::TargetMissing,
                    seq: Some(e.seq),
                    target: Some(id.to_owned()),
                    problem: format!(
                        "{what} \"{id}\" named in custody log entry {} no longer exists: it was deleted outside Casevault",
                        e.seq
                    ),
                });
                continue;
            };
            if kind == TargetKind::Record {
                records_checked += 1;
            }
            if !state.matches(e.digest.as_deref().unwrap_or_default()) {
                problems.push(AuditProblem {
                    code: AuditProblemCode::StateMismatch,
                    seq: Some(e.seq),
                    target: Some(id.to_owned()),
                    problem: format!(
                        "{what} \"{id}\" does not match its latest custody entry ({}): it was changed outside Casevault or rolled back",
                        e.seq
                    ),
                });
            }
        }

        let mut stmt = self.conn.prepare("SELECT id FROM records ORDER BY rowid")?;
        let records: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &records {
            if !latest.contains_key(id.as_str()) {
                problems.push(AuditProblem {
                    code: AuditProblemCode::NoEntry,
                    seq: None,
                    target: Some(id.clone()),
                    problem: format!("record \"{id}\" has no custody log entry"),
                });
            }
        }

        let attachments = self.all_attachments()?;
        let total: u64 = attachments.iter().map(|a| a.size).sum();
        let mut done = 0u64;
        for a in &attachments {
            if !latest.contains_key(a.id.as_str()) {
                problems.push(AuditProblem {
                    code: AuditProblemCode::NoEntry,
                    seq: None,
                    target: Some(a.id.clone()),
                    problem: format!(
                        "attachment \"{}\" has no intake entry in the custody log",
                        a.original_name
                    ),
                });
            }
            if deep {
                crate::cancel::check()?;
                if let Err(e) = self.verify_attachment_bytes(a, |n| progress(done + n, total)) {
                    // Stopped by a lock: the audit did not finish, which is
                    // not a finding about this attachment.
                    if e.code() == crate::ErrorCode::Cancelled {
                        return Err(e);
                    }
                    problems.push(AuditProblem {
                        code: AuditProblemCode::BytesDamaged,
                        seq: None,
                        target: Some(a.id.clone()),
                        problem: e.to_string(),
                    });
                }
                done += a.size;
            }
        }
        Ok(AuditReport {
            entries: entries.len() as u64,
            head_hash: prev,
            first_broken_link,
            records_checked,
            attachments_checked: if deep { attachments.len() as u64 } else { 0 },
            problems,
        })
    }
}

/// Marks a digest of a whole row state (see [`record_state_digest`]).
/// Entries written before it carry a bare SHA-256 of the record's `data`
/// or of the attachment's bytes; `audit verify` still checks those the old
/// way, and [`rebaseline_legacy_digests`] replaces them at unlock.
pub(crate) const STATE_DIGEST_PREFIX: &str = "state1:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetKind {
    Record,
    Attachment,
}

/// Which table an entry's target lives in. Intake entries name inbox
/// items (which are removed when handled) and checkpoints name nothing.
fn target_kind_of(e: &CustodyEntry) -> Option<TargetKind> {
    e.target.as_ref()?;
    e.digest.as_ref()?;
    match e.target_kind.as_deref() {
        None | Some("intake") => None,
        Some("attachment") => Some(TargetKind::Attachment),
        Some(_) => Some(TargetKind::Record),
    }
}

/// A row's state as `audit verify` compares it.
struct RowState {
    /// The versioned digest of the whole row state.
    full: String,
    /// What a pre-versioned entry recorded: SHA-256 of `data` for a
    /// record, the content hash for an attachment.
    legacy: String,
}

impl RowState {
    fn matches(&self, recorded: &str) -> bool {
        if recorded.starts_with(STATE_DIGEST_PREFIX) {
            recorded == self.full
        } else {
            recorded == self.legacy
        }
    }
}

fn state_digest(canonical: serde_json::Value) -> String {
    // A JSON array is an unambiguous encoding, as for the entry hash.
    format!(
        "{STATE_DIGEST_PREFIX}{}",
        sha256_hex(canonical.to_string().as_bytes())
    )
}

fn record_state(conn: &Connection, id: &str) -> Result<Option<RowState>> {
    type Row = (
        String,
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT kind, version, data, created_at, created_by, updated_at, updated_by,
                    trashed_at, trashed_by, trash_reason FROM records WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT version, data, changed_at, changed_by, change_note FROM record_versions
         WHERE record_id = ?1 ORDER BY version, rowid",
    )?;
    let versions: Vec<serde_json::Value> = stmt
        .query_map([id], |r| {
            Ok(serde_json::json!([
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?
            ]))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let legacy = sha256_hex(row.2.as_bytes());
    let full = state_digest(serde_json::json!([
        "record", id, row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9,
        versions
    ]));
    Ok(Some(RowState { full, legacy }))
}

fn attachment_state(conn: &Connection, id: &str) -> Result<Option<RowState>> {
    let row = conn
        .prepare_cached(
            "SELECT record_id, original_name, size, sha256, media_type, capture, added_at,
                    added_by, derived_from, note FROM attachments WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let sha: String = r.get(3)?;
            Ok((
                sha.clone(),
                serde_json::json!([
                    "attachment",
                    id,
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    sha,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<String>>(9)?
                ]),
            ))
        })
        .optional()?;
    Ok(row.map(|(legacy, canonical)| RowState {
        full: state_digest(canonical),
        legacy,
    }))
}

/// The digest a record's log entry carries: its whole row state with its
/// version history, read inside the transaction that changed it.
pub(crate) fn record_state_digest(conn: &Connection, id: &str) -> Result<String> {
    record_state(conn, id)?
        .map(|s| s.full)
        .ok_or_else(|| crate::Error::Internal(format!("record {id} vanished while logging")))
}

/// The digest an attachment's log entry carries: its whole row (owner,
/// name, media type, capture, content hash).
pub(crate) fn attachment_state_digest(conn: &Connection, id: &str) -> Result<String> {
    attachment_state(conn, id)?
        .map(|s| s.full)
        .ok_or_else(|| crate::Error::Internal(format!("attachment {id} vanished while logging")))
}

/// Vaults written before whole-row digests carry entries that only cover a
/// record's `data` or an attachment's bytes. At unlock, each target whose
/// latest entry is such a legacy digest *and still matches it* gets one
/// `baseline` entry with its whole-row digest, so from then on every field
/// is covered. A target that no longer matches keeps its legacy entry, so
/// `audit verify` goes on reporting it; fields other than `data` (or the
/// content hash) that changed before the upgrade cannot be detected.
pub(crate) fn rebaseline_legacy_digests(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    let entries = read_entries(conn, None)?;
    let mut latest: HashMap<&str, &CustodyEntry> = HashMap::new();
    for e in &entries {
        if let (Some(t), Some(_)) = (&e.target, &e.digest) {
            latest.insert(t.as_str(), e);
        }
    }
    let mut stale: Vec<&&CustodyEntry> = latest
        .values()
        .filter(|e| {
            target_kind_of(e).is_some()
                && !e
                    .digest
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with(STATE_DIGEST_PREFIX)
        })
        .collect();
    if stale.is_empty() {
        return Ok(());
    }
    stale.sort_by_key(|e| e.seq);
    let tx = conn.transaction()?;
    for e in stale {
        let id = e.target.as_deref().unwrap_or_default();
        let state = match target_kind_of(e) {
            Some(TargetKind::Record) => record_state(&tx, id)?,
            _ => attachment_state(&tx, id)?,
        };
        let Some(state) = state else { continue };
        if !state.matches(e.digest.as_deref().unwrap_or_default()) {
            continue;
        }
        append(
            &tx,
            NewEntry {
                at: now,
                actor: "casevault",
                action: CustodyAction::Baseline,
                target: Some(id),
                target_kind: e.target_kind.as_deref(),
                digest: Some(state.full),
                detail: Some("whole-row digest recorded on upgrade"),
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Tampering here goes around Casevault with raw SQL on the unlocked
    //! database: what someone holding the passphrase could do with their
    //! own tools.

    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;

    fn vault_with_entries(dir: &std::path::Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("custody test passphrase: harbour quartz 1997");
        let (mut vault, _) =
            Vault::create(dir, &pass, &options, crate::session::testing::session()).unwrap();
        for i in 0..5 {
            vault
                .insert_record("note", &serde_json::json!({ "n": i }))
                .unwrap();
        }
        vault
    }

    fn raw(vault: &Vault, sql: &str) {
        vault
            .conn
            .execute_batch(&format!(
                "DROP TRIGGER IF EXISTS custody_log_no_update;
                 DROP TRIGGER IF EXISTS custody_log_no_delete; {sql}"
            ))
            .unwrap();
    }

    #[test]
    fn an_intact_chain_verifies_and_the_log_refuses_updates() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.entries, 6);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let err = vault
            .conn
            .execute("UPDATE custody_log SET actor = 'x' WHERE seq = 2", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        assert!(vault.conn.execute("DELETE FROM custody_log", []).is_err());
    }

    #[test]
    fn an_edited_entry_is_the_first_broken_link() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        raw(
            &vault,
            "UPDATE custody_log SET actor = 'someone else' WHERE seq = 3",
        );
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, Some(3));
        assert!(
            report.problems[0].problem.contains("entry 3"),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn a_removed_entry_is_reported_where_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        raw(&vault, "DELETE FROM custody_log WHERE seq = 4");
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, Some(5));
        assert!(report.problems[0].problem.contains("entry 4 is missing"));
    }

    #[test]
    fn a_rewritten_chain_still_shows_records_that_do_not_match_it() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_entries(&dir.path().join("v"));
        // A record changed behind Casevault's back (or an old page spliced
        // back in): its data no longer matches its latest entry.
        raw(
            &vault,
            r#"UPDATE records SET data = '{"n":99}' WHERE rowid = 2"#,
        );
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, None);
        assert_eq!(report.problems.len(), 1);
        assert!(
            report.problems[0]
                .problem
                .contains("does not match its latest custody entry")
        );
    }

    /// Every raw-SQL edit someone with the key and their own tools could
    /// make to a record's or attachment's row, or to its history, each made
    /// on its own and rolled back, must show up with its code.
    #[test]
    fn every_row_edit_and_deletion_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = vault_with_entries(&dir.path().join("v"));
        let ids: Vec<String> = vault
            .conn
            .prepare("SELECT id FROM records ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let (rec, other) = (ids[0].clone(), ids[1].clone());
        vault
            .amend_record(&rec, &serde_json::json!({ "n": 100 }), "fix")
            .unwrap();
        let src = dir.path().join("photo.jpg");
        std::fs::write(&src, b"not really a jpeg, but bytes to keep").unwrap();
        let att = vault
            .attach(
                crate::vault::attachments::AttachRequest {
                    record_id: &rec,
                    source: &src,
                    derived_from: None,
                    note: None,
                },
                |_, _| {},
            )
            .unwrap()
            .id;
        let clean = vault.audit_verify(true, |_, _| {}).unwrap();
        assert!(clean.problems.is_empty(), "{:?}", clean.problems);

        let r = &rec;
        let a = &att;
        let cases: Vec<(String, &str, AuditProblemCode)> = vec![
            (
                format!("DELETE FROM attachments WHERE id = '{a}'"),
                a,
                AuditProblemCode::TargetMissing,
            ),
            (
                format!(
                    "DELETE FROM attachments WHERE record_id = '{r}'; DELETE FROM record_versions WHERE record_id = '{r}'; DELETE FROM records WHERE id = '{r}'"
                ),
                r,
                AuditProblemCode::TargetMissing,
            ),
            (
                format!(
                    "UPDATE records SET trashed_at = '2026-01-01T00:00:00Z', trashed_by = 'x', trash_reason = 'x' WHERE id = '{r}'"
                ),
                r,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!("UPDATE records SET kind = 'person' WHERE id = '{r}'"),
                r,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!("UPDATE records SET version = 1 WHERE id = '{r}'"),
                r,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!(
                    "UPDATE record_versions SET data = '{{\"n\":7}}' WHERE record_id = '{r}' AND version = 1"
                ),
                r,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!("DELETE FROM record_versions WHERE record_id = '{r}' AND version = 1"),
                r,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!("UPDATE attachments SET record_id = '{other}' WHERE id = '{a}'"),
                a,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!(
                    "UPDATE attachments SET capture = '{{\"device\":\"forged\"}}' WHERE id = '{a}'"
                ),
                a,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!("UPDATE attachments SET original_name = 'other.jpg' WHERE id = '{a}'"),
                a,
                AuditProblemCode::StateMismatch,
            ),
            (
                format!(
                    "UPDATE attachments SET media_type = 'application/x-forged' WHERE id = '{a}'"
                ),
                a,
                AuditProblemCode::StateMismatch,
            ),
        ];
        for (sql, target, code) in cases {
            vault
                .conn
                .execute_batch(&format!("PRAGMA foreign_keys = OFF; BEGIN; {sql};"))
                .unwrap();
            let report = vault.audit_verify(false, |_, _| {}).unwrap();
            vault
                .conn
                .execute_batch("ROLLBACK; PRAGMA foreign_keys = ON;")
                .unwrap();
            assert!(
                report
                    .problems
                    .iter()
                    .any(|p| p.code == code && p.target.as_deref() == Some(target)),
                "{sql}: {:?}",
                report.problems
            );
        }
        let again = vault.audit_verify(false, |_, _| {}).unwrap();
        assert!(again.problems.is_empty(), "{:?}", again.problems);
    }

    /// A deletion made to the file with the key survives locking and
    /// unlocking: the unlock-time re-baseline must not bless it.
    #[test]
    fn a_deleted_record_is_still_reported_after_unlocking_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        let vault = vault_with_entries(&path);
        raw(
            &vault,
            "PRAGMA foreign_keys = OFF;
             DELETE FROM record_versions WHERE record_id = (SELECT id FROM records WHERE rowid = 2);
             DELETE FROM records WHERE rowid = 2;",
        );
        vault.lock();
        let pass = Passphrase::from("custody test passphrase: harbour quartz 1997");
        let vault = Vault::open(
            &path,
            &crate::vault::Credential::Passphrase(pass),
            crate::session::testing::session(),
        )
        .unwrap();
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.first_broken_link, None);
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].code, AuditProblemCode::TargetMissing);
    }

    /// An entry written before whole-row digests (a bare SHA-256 of the
    /// data) is still checked the old way, and is replaced by a whole-row
    /// baseline at the next unlock only while it still matches.
    #[test]
    fn legacy_digests_are_checked_and_rebaselined_only_when_they_match() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        let vault = vault_with_entries(&path);
        let (id, data): (String, String) = vault
            .conn
            .query_row("SELECT id, data FROM records WHERE rowid = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let (id2, data2): (String, String) = vault
            .conn
            .query_row("SELECT id, data FROM records WHERE rowid = 2", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        // Two entries as an older Casevault wrote them; the second record
        // was then edited behind its back.
        for (target, text) in [(&id, &data), (&id2, &data2)] {
            append(
                &vault.conn,
                NewEntry {
                    at: crate::session::testing::now(),
                    actor: "old casevault",
                    action: CustodyAction::Amend,
                    target: Some(target),
                    target_kind: Some("note"),
                    digest: Some(sha256_hex(text.as_bytes())),
                    detail: None,
                },
            )
            .unwrap();
        }
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        raw(
            &vault,
            &format!("UPDATE records SET data = '{{\"n\":42}}' WHERE id = '{id2}'"),
        );
        vault.lock();
        let pass = Passphrase::from("custody test passphrase: harbour quartz 1997");
        let vault = Vault::open(
            &path,
            &crate::vault::Credential::Passphrase(pass),
            crate::session::testing::session(),
        )
        .unwrap();
        let log = vault.custody_log(Some(&id)).unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "baseline");
        assert!(
            last.digest
                .as_deref()
                .unwrap()
                .starts_with(STATE_DIGEST_PREFIX)
        );
        let log2 = vault.custody_log(Some(&id2)).unwrap();
        assert_eq!(log2.last().unwrap().action, "amend");
        let report = vault.audit_verify(false, |_, _| {}).unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].code, AuditProblemCode::StateMismatch);
        assert_eq!(report.problems[0].target.as_deref(), Some(id2.as_str()));
    }
}
