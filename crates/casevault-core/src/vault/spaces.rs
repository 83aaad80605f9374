//! Storage for team spaces (issue 18): this vault's device key, the spaces
//! it belongs to, their cases, conflicts and sync state. The protocol
//! (membership log, sealed objects, merge rule) lives in the sync crate,
//! which calls these accessors; the core knows nothing of its formats and
//! stores its log and small bookkeeping as JSON, and the replica's
//! versions and unsent changes as rows of opaque bytes (migration 14),
//! inside SQLCipher.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use zeroize::Zeroizing;

use super::Vault;
use super::store::timestamp;
use crate::model::problem::{ProblemCode, not_found};
use crate::{Error, Result};

/// The longest space name.
pub const MAX_SPACE_NAME: usize = 100;

/// One space as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredSpace {
    /// Local row id (never travels).
    pub id: i64,
    /// The name shown here.
    pub name: String,
    /// The protocol's space id (hex).
    pub space_id: String,
    /// The membership log (JSON).
    pub log: String,
    /// The replica's bookkeeping (JSON); may hold record contents.
    pub state: Zeroizing<String>,
    /// When this space last synced.
    pub last_sync_at: Option<String>,
    /// Missing changes found at the last sync (JSON).
    pub gaps: String,
}

impl std::fmt::Debug for StoredSpace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSpace")
            .field("id", &self.id)
            .field("last_sync_at", &self.last_sync_at)
            .finish_non_exhaustive()
    }
}

/// One version of a record as a space's replica holds it (a row of
/// `space_versions`), without its value: a replica orders versions by
/// these fields and reads a value ([`Vault::space_value`]) only when it
/// needs one. The sync crate gives the fields their meaning.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredVersion {
    /// The record's id.
    pub record: String,
    /// The author device's id.
    pub device: [u8; 32],
    /// The author's sequence number of the change.
    pub seq: u64,
    /// The change's Lamport clock.
    pub lamport: u64,
    /// The versions it replaces, 40 bytes each.
    pub bases: Vec<u8>,
    /// SHA-256 of its value.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for StoredVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredVersion")
            .field("seq", &self.seq)
            .field("lamport", &self.lamport)
            .finish_non_exhaustive()
    }
}

/// One of this device's changes not yet read back from the remote (a row
/// of `space_outbox`).
#[derive(Clone, PartialEq, Eq)]
pub struct StoredOwnChange {
    /// Its sequence number.
    pub seq: u64,
    /// The key epoch it is sealed under.
    pub epoch: u32,
    /// The signed payload (case data).
    pub payload: Zeroizing<Vec<u8>>,
    /// Its digest.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for StoredOwnChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredOwnChange")
            .field("seq", &self.seq)
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

/// A version to write (a row of `space_versions`), borrowed from the
/// replica that holds it: a save of 10,000 new versions then copies none
/// of their values.
pub struct VersionRow<'a> {
    /// The record's id.
    pub record: &'a str,
    /// The author device's id.
    pub device: [u8; 32],
    /// The author's sequence number of the change.
    pub seq: u64,
    /// The change's Lamport clock.
    pub lamport: u64,
    /// The versions it replaces, 40 bytes each.
    pub bases: Vec<u8>,
    /// The record as it travels (case data).
    pub value: &'a [u8],
    /// SHA-256 of `value`.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for VersionRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VersionRow")
            .field("seq", &self.seq)
            .field("lamport", &self.lamport)
            .finish_non_exhaustive()
    }
}

/// An unsent change to write (a row of `space_outbox`). Its payload is
/// made when the row is written, one at a time: a replica rebuilds it from
/// the version the change made rather than hold every value twice, and a
/// save of an initial sync's 10,000 unsent changes then never holds them
/// all at once.
pub struct OwnChangeRow<'a> {
    /// Its sequence number.
    pub seq: u64,
    /// The key epoch it is sealed under.
    pub epoch: u32,
    /// Its digest.
    pub digest: [u8; 32],
    /// Makes the signed payload (case data).
    pub payload: Box<dyn Fn() -> Result<Zeroizing<Vec<u8>>> + 'a>,
}

impl std::fmt::Debug for OwnChangeRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnChangeRow")
            .field("seq", &self.seq)
            .field("epoch", &self.epoch)
            .finish_non_exhaustive()
    }
}

/// What changed in a replica's rows since they were last saved, written
/// in the same transaction as its state: the state names what the rows
/// hold (sequence numbers received, sent), so one never runs ahead of the
/// other.
#[derive(Debug, Default)]
pub struct ReplicaRows<'a> {
    /// Delete every version and unsent change first (the space was
    /// unloaded from this device).
    pub clear: bool,
    /// Delete each device's versions past its number (a removed device's
    /// changes beyond its cut).
    pub cuts: Vec<([u8; 32], u64)>,
    /// Versions to add.
    pub versions: Vec<VersionRow<'a>>,
    /// Unsent changes to add or replace (one resealed in a new epoch).
    pub outbox: Vec<OwnChangeRow<'a>>,
    /// Changes that left the outbox (read back from the remote).
    pub sent: Vec<u64>,
}

impl ReplicaRows<'_> {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        !self.clear
            && self.cuts.is_empty()
            && self.versions.is_empty()
            && self.outbox.is_empty()
            && self.sent.is_empty()
    }
}

/// What changed, since the last save, in what the vault and a space's
/// replica last agreed on (record id or evidence file key → hex SHA-256
/// of the state agreed), written in the same transaction as the state.
#[derive(Default)]
pub struct AgreedRows {
    /// Delete every entry first (the space was unloaded from this device).
    pub clear: bool,
    /// Entries to add or replace.
    pub set: Vec<(String, String)>,
}

impl std::fmt::Debug for AgreedRows {
    // Record ids with hashes of their contents: counted, not shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgreedRows")
            .field("clear", &self.clear)
            .field("set", &self.set.len())
            .finish()
    }
}

fn write_agreed(tx: &rusqlite::Transaction<'_>, space: i64, agreed: &AgreedRows) -> Result<()> {
    if agreed.clear {
        tx.execute("DELETE FROM space_agreed WHERE space = ?1", [space])?;
    }
    let mut set = tx.prepare_cached(
        "INSERT INTO space_agreed (space, record, digest) VALUES (?1, ?2, ?3)
         ON CONFLICT (space, record) DO UPDATE SET digest = excluded.digest",
    )?;
    for (record, digest) in &agreed.set {
        set.execute(params![space, record, digest])?;
    }
    Ok(())
}

/// Migration 16's step: moves each version's value out of
/// `space_versions` into `space_values`, with its SHA-256 in the version's
/// row, then puts the new table in the old one's place. One row at a
/// time: a vault with 10,000 versions never holds their values at once.
pub(crate) fn split_space_values(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    {
        let mut read = tx.prepare(
            "SELECT space, record, device, seq, lamport, bases, value FROM space_versions",
        )?;
        let mut version = tx.prepare(
            "INSERT INTO space_versions_16 (space, record, device, seq, lamport, bases, digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut value = tx.prepare(
            "INSERT INTO space_values (space, device, seq, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let space: i64 = row.get(0)?;
            let record: String = row.get(1)?;
            let device: Vec<u8> = row.get(2)?;
            let seq: i64 = row.get(3)?;
            let lamport: i64 = row.get(4)?;
            let bases: Vec<u8> = row.get(5)?;
            let bytes = Zeroizing::new(row.get::<_, Vec<u8>>(6)?);
            let digest = crate::crypto::hash::sha256(&bytes);
            version.execute(params![
                space,
                record,
                device,
                seq,
                lamport,
                bases,
                &digest[..]
            ])?;
            value.execute(params![space, device, seq, &bytes[..]])?;
        }
    }
    tx.execute_batch(
        "DROP TABLE space_versions;
         ALTER TABLE space_versions_16 RENAME TO space_versions;",
    )?;
    Ok(())
}

/// SQLite integers are signed: a u64 is kept bit for bit.
fn to_sql_u64(n: u64) -> i64 {
    i64::from_ne_bytes(n.to_ne_bytes())
}

fn from_sql_u64(n: i64) -> u64 {
    u64::from_ne_bytes(n.to_ne_bytes())
}

fn write_rows(tx: &rusqlite::Transaction<'_>, space: i64, rows: &ReplicaRows) -> Result<()> {
    if rows.clear {
        tx.execute("DELETE FROM space_versions WHERE space = ?1", [space])?;
        tx.execute("DELETE FROM space_values WHERE space = ?1", [space])?;
        tx.execute("DELETE FROM space_outbox WHERE space = ?1", [space])?;
    }
    {
        let mut cut = tx.prepare_cached(
            "DELETE FROM space_versions WHERE space = ?1 AND device = ?2 AND seq > ?3",
        )?;
        let mut cut_values = tx.prepare_cached(
            "DELETE FROM space_values WHERE space = ?1 AND device = ?2 AND seq > ?3",
        )?;
        for (device, keep) in &rows.cuts {
            cut.execute(params![space, &device[..], to_sql_u64(*keep)])?;
            cut_values.execute(params![space, &device[..], to_sql_u64(*keep)])?;
        }
        // A version is immutable: the same (device, seq) again is the same
        // change (its author signed it once), so a repeat is ignored.
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO space_versions (space, record, device, seq, lamport, bases, digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut insert_value = tx.prepare_cached(
            "INSERT OR IGNORE INTO space_values (space, device, seq, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for v in &rows.versions {
            insert.execute(params![
                space,
                v.record,
                &v.device[..],
                to_sql_u64(v.seq),
                to_sql_u64(v.lamport),
                v.bases,
                &v.digest[..],
            ])?;
            insert_value.execute(params![space, &v.device[..], to_sql_u64(v.seq), v.value])?;
        }
        let mut put = tx.prepare_cached(
            "INSERT INTO space_outbox (space, seq, epoch, payload, digest) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (space, seq) DO UPDATE SET epoch = excluded.epoch,
               payload = excluded.payload, digest = excluded.digest",
        )?;
        for o in &rows.outbox {
            let payload = (o.payload)()?;
            put.execute(params![
                space,
                to_sql_u64(o.seq),
                o.epoch,
                &payload[..],
                &o.digest[..],
            ])?;
        }
        let mut sent =
            tx.prepare_cached("DELETE FROM space_outbox WHERE space = ?1 AND seq = ?2")?;
        for seq in &rows.sent {
            sent.execute(params![space, to_sql_u64(*seq)])?;
        }
    }
    Ok(())
}

fn fixed<const N: usize>(bytes: Vec<u8>) -> Result<[u8; N]> {
    bytes
        .try_into()
        .map_err(|_| Error::tampered("a space's stored state is damaged"))
}

/// The longest S3 key id or secret accepted (Garage's are 26 and 64
/// characters; AWS's 20 and 40).
pub const MAX_S3_CREDENTIAL: usize = 256;

/// The S3 access key the app syncs with, kept inside the encrypted vault so
/// that the app needs no environment variable or file beside it. The
/// secret stays in zeroizing memory and `Debug` shows the key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredS3Key {
    /// The key id (not a secret: the store's operator sees it).
    pub key_id: String,
    /// The secret key.
    pub secret: Zeroizing<String>,
}

impl std::fmt::Debug for StoredS3Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredS3Key")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Refuses an S3 key id or secret that cannot be one: empty, too long, or
/// holding spaces or control characters (a paste that caught a newline or
/// a neighbouring word).
fn check_s3_part(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, ProblemCode::Required));
    }
    if value.chars().count() > MAX_S3_CREDENTIAL {
        return Err(Error::invalid(
            field,
            ProblemCode::TooLong.with("max", MAX_S3_CREDENTIAL),
        ));
    }
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::invalid(field, ProblemCode::RefusedCharacter));
    }
    Ok(())
}

const S3_KEY_ID: &str = "s3_key_id";
const S3_SECRET: &str = "s3_secret";

/// The last sync of this vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncState {
    /// The remote's address.
    pub remote: String,
    /// When (RFC 3339).
    pub last_sync_at: String,
}

/// Checks a space name typed by a user or received from a member.
pub fn check_space_name(name: &str) -> Result<()> {
    if name.trim().is_empty()
        || name.trim() != name
        || name.chars().count() > MAX_SPACE_NAME
        || name.chars().any(char::is_control)
    {
        return Err(Error::invalid(
            "space",
            ProblemCode::SpaceName.with("max", MAX_SPACE_NAME),
        ));
    }
    Ok(())
}

fn space_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredSpace> {
    Ok(StoredSpace {
        id: r.get(0)?,
        name: r.get(1)?,
        space_id: r.get(2)?,
        log: r.get(3)?,
        state: Zeroizing::new(r.get(4)?),
        last_sync_at: r.get(5)?,
        gaps: r.get(6)?,
    })
}

const SPACE_COLUMNS: &str = "id, name, space_id, log, state, last_sync_at, gaps";

impl Vault {
    /// This vault's device key (the sync crate's secret line), if made.
    pub fn sync_device_secret(&self) -> Result<Option<Zeroizing<String>>> {
        Ok(self
            .conn
            .query_row("SELECT secret FROM sync_device WHERE id = 1", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map(Zeroizing::new))
    }

    /// Stores this vault's device key; refused if one exists (a device key
    /// is never replaced silently: members know this one).
    pub fn set_sync_device(&mut self, secret: &str, public_line: &str) -> Result<()> {
        let now = self.now();
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO sync_device (id, secret, public_line, created_at)
             VALUES (1, ?1, ?2, ?3)",
            params![secret, public_line, timestamp(now)],
        )?;
        if n == 0 {
            return Err(Error::Internal(
                "this vault already has a device key".into(),
            ));
        }
        Ok(())
    }

    /// Every space, by name.
    pub fn spaces(&self) -> Result<Vec<StoredSpace>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {SPACE_COLUMNS} FROM spaces ORDER BY name"))?;
        let rows = stmt.query_map([], space_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every space's protocol id and membership log (JSON), without its
    /// state: what matching an invitation against the spaces held needs,
    /// read without the replica's state (which can be tens of MB).
    pub fn space_logs(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT space_id, log FROM spaces ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The space called `name`.
    pub fn space_named(&self, name: &str) -> Result<StoredSpace> {
        self.conn
            .query_row(
                &format!("SELECT {SPACE_COLUMNS} FROM spaces WHERE name = ?1"),
                [name],
                space_row,
            )
            .optional()?
            .ok_or_else(|| Error::invalid("space", not_found("space", name)))
    }

    /// Adds a space with its first cases, in one transaction. Refused if
    /// the name is taken, a case does not exist, or a case is in a space.
    pub fn insert_space(
        &mut self,
        name: &str,
        space_id: &str,
        log: &str,
        state: &str,
        rows: &ReplicaRows,
        cases: &[String],
    ) -> Result<i64> {
        check_space_name(name)?;
        let tx = self.conn.transaction()?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM spaces WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::invalid(
                "space",
                ProblemCode::SpaceExists.with("name", name),
            ));
        }
        tx.execute(
            "INSERT INTO spaces (name, space_id, log, state) VALUES (?1, ?2, ?3, ?4)",
            params![name, space_id, log, state],
        )?;
        let id = tx.last_insert_rowid();
        write_rows(&tx, id, rows)?;
        for case in cases {
            add_case_in(&tx, id, case)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Puts a case into a space (a case received from a member).
    pub fn add_space_case(&mut self, space: i64, case: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        add_case_in(&tx, space, case)?;
        tx.commit()?;
        Ok(())
    }

    /// Saves a space's log, state and the changes to its replica's rows
    /// and to what it agreed with the vault, after a change or a sync, in
    /// one transaction.
    pub fn save_space(
        &mut self,
        space: i64,
        log: &str,
        state: &str,
        rows: &ReplicaRows,
        agreed: &AgreedRows,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE spaces SET log = ?2, state = ?3 WHERE id = ?1",
            params![space, log, state],
        )?;
        write_rows(&tx, space, rows)?;
        write_agreed(&tx, space, agreed)?;
        tx.commit()?;
        Ok(())
    }

    /// Every version a space's replica holds, without values, in no
    /// order: the replica orders them itself (sorting here cost 10 ms of
    /// every CLI sync at 10,000 records).
    pub fn space_versions(&self, space: i64) -> Result<Vec<StoredVersion>> {
        let mut stmt = self.conn.prepare(
            "SELECT record, device, seq, lamport, bases, digest FROM space_versions
             WHERE space = ?1",
        )?;
        let rows = stmt.query_map([space], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, Vec<u8>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (record, device, seq, lamport, bases, digest) = row?;
            out.push(StoredVersion {
                record,
                device: fixed(device)?,
                seq: from_sql_u64(seq),
                lamport: from_sql_u64(lamport),
                bases,
                digest: fixed(digest)?,
            });
        }
        Ok(out)
    }

    /// The value of the version `device` wrote as number `seq` in a
    /// space's replica, if it is stored.
    pub fn space_value(
        &self,
        space: i64,
        device: &[u8; 32],
        seq: u64,
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT value FROM space_values WHERE space = ?1 AND device = ?2 AND seq = ?3",
        )?;
        Ok(stmt
            .query_row(params![space, &device[..], to_sql_u64(seq)], |r| {
                r.get::<_, Vec<u8>>(0)
            })
            .optional()?
            .map(Zeroizing::new))
    }

    /// What a space's replica last agreed with the vault: record id (or
    /// evidence file key) and hex SHA-256 of the state agreed.
    pub fn space_agreed(&self, space: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT record, digest FROM space_agreed WHERE space = ?1")?;
        let rows = stmt.query_map([space], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A space's unsent changes, by sequence number.
    pub fn space_outbox(&self, space: i64) -> Result<Vec<StoredOwnChange>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, epoch, payload, digest FROM space_outbox WHERE space = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([space], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                Zeroizing::new(r.get::<_, Vec<u8>>(2)?),
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, epoch, payload, digest) = row?;
            out.push(StoredOwnChange {
                seq: from_sql_u64(seq),
                epoch,
                payload,
                digest: fixed(digest)?,
            });
        }
        Ok(out)
    }

    /// Renames a space (the name its creator gave, received at a sync).
    pub fn rename_space(&mut self, space: i64, name: &str) -> Result<()> {
        check_space_name(name)?;
        self.conn.execute(
            "UPDATE spaces SET name = ?2 WHERE id = ?1",
            params![space, name],
        )?;
        Ok(())
    }

    /// Records a finished sync of one space: when, the gaps and conflicts.
    pub fn record_space_sync(
        &mut self,
        space: i64,
        gaps: &str,
        conflicts: &[String],
    ) -> Result<()> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE spaces SET last_sync_at = ?2, gaps = ?3 WHERE id = ?1",
            params![space, timestamp(now), gaps],
        )?;
        tx.execute("DELETE FROM space_conflicts WHERE space = ?1", [space])?;
        for id in conflicts {
            tx.execute(
                "INSERT OR IGNORE INTO space_conflicts (space, record_id) VALUES (?1, ?2)",
                params![space, id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The cases of a space.
    pub fn space_cases(&self, space: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT case_id FROM space_cases WHERE space = ?1 ORDER BY case_id")?;
        let rows = stmt.query_map([space], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every record that travels with a space: its cases, the
    /// records linked to them, and the records those refer to that belong
    /// to no case at all (an organisation named as perpetrator, a source
    /// cited), transitively; trashed ones included. Without the last, a
    /// member's vault would refuse every incident that cites them: its
    /// references would point at nothing. A referred record that belongs
    /// to another case does not travel for this reason (it would carry
    /// that case; the sync holds such records back).
    pub fn space_record_ids(&self, space: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "WITH RECURSIVE travels(id) AS (
               SELECT case_id FROM space_cases WHERE space = ?1
               UNION
               SELECT rc.record_id FROM record_cases rc
               JOIN space_cases sc ON sc.case_id = rc.case_id WHERE sc.space = ?1
               UNION
               SELECT rr.to_id FROM record_refs rr JOIN travels t ON rr.from_id = t.id
               WHERE NOT EXISTS (SELECT 1 FROM record_cases rc2 WHERE rc2.record_id = rr.to_id)
                 AND EXISTS (SELECT 1 FROM records r WHERE r.id = rr.to_id AND r.kind <> 'case')
             )
             SELECT id FROM travels",
        )?;
        let rows = stmt.query_map([space], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The records unloading `space` deletes: each record of its cases
    /// (see [`Vault::space_record_ids`]) all of whose cases are in the
    /// space or already gone from this vault (unloaded with another
    /// space). Kept: a record that also belongs to a case held here
    /// outside the space (that case still needs it; it never travels
    /// anyway, see the sync crate's push), and a record other than a case
    /// that a kept record refers to, so that no reference but a kept
    /// record's link to the unloaded case is left dangling.
    pub fn space_unload_set(&self, space: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT rc.case_id FROM record_cases rc WHERE rc.record_id = ?1
             AND NOT EXISTS (SELECT 1 FROM space_cases sc WHERE sc.case_id = rc.case_id AND sc.space = ?2)
             AND EXISTS (SELECT 1 FROM records r WHERE r.id = rc.case_id)",
        )?;
        let mut remove = std::collections::BTreeSet::new();
        for id in self.space_record_ids(space)? {
            if !stmt.exists(params![id, space])? {
                remove.insert(id);
            }
        }
        // A reference to a case is membership in it, which the rule above
        // decided: a record kept for another case does not keep this one.
        let mut referrers = self.conn.prepare(
            "SELECT from_id FROM record_refs WHERE to_id = ?1
             AND NOT EXISTS (SELECT 1 FROM records WHERE id = ?1 AND kind = 'case')",
        )?;
        loop {
            let mut keep = Vec::new();
            for id in &remove {
                let from: Vec<String> = referrers
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if from.iter().any(|f| !remove.contains(f)) {
                    keep.push(id.clone());
                }
            }
            if keep.is_empty() {
                break;
            }
            for id in keep {
                remove.remove(&id);
            }
        }
        Ok(remove.into_iter().collect())
    }

    /// How many attachments the records `ids` have (evidence files, which
    /// do not travel with a space yet).
    pub fn attachment_count(&self, ids: &[String]) -> Result<usize> {
        Ok(super::unload::attachments_of(&self.conn, ids)?.len())
    }

    /// Unloads a space from this device (travel mode): in one transaction,
    /// securely deletes `records` (see [`super::unload`]) with a custody
    /// entry each, empties the space's cases, conflicts and gaps, and
    /// stores its new `log` and `state` (which the caller has emptied of
    /// record contents); then shreds the attachments' files and compacts
    /// the database.
    pub fn unload_space(
        &mut self,
        space: i64,
        records: &[String],
        log: &str,
        state: &str,
        rows: &ReplicaRows,
        agreed: &AgreedRows,
    ) -> Result<super::unload::Unloaded> {
        let actor = self.actor();
        let now = self.now();
        let tx = self.conn.transaction()?;
        let attachments = super::unload::delete_records_in(
            &tx,
            records,
            &actor,
            now,
            "unloaded from this device with its team space; the space's remote still holds it",
        )?;
        tx.execute("DELETE FROM space_conflicts WHERE space = ?1", [space])?;
        tx.execute("DELETE FROM space_cases WHERE space = ?1", [space])?;
        let n = tx.execute(
            "UPDATE spaces SET log = ?2, state = ?3, gaps = '[]' WHERE id = ?1",
            params![space, log, state],
        )?;
        if n != 1 {
            return Err(Error::Internal("the space vanished while unloading".into()));
        }
        write_rows(&tx, space, rows)?;
        write_agreed(&tx, space, agreed)?;
        tx.commit()?;
        // Half-received files are the space's too (the spool does not say
        // which space a file was for, so every one goes: a later sync
        // fetches the others' chunks again). Shredded after the files the
        // rows named, which nothing could find again: a spool file that
        // fails does not leave those behind.
        let deleted = self.finish_secure_deletion(&attachments);
        let spool = self.shred_spools();
        deleted?;
        spool?;
        Ok(super::unload::Unloaded {
            records: records.len(),
            attachments: attachments.len(),
        })
    }

    /// The sequence number of the custody log's last entry (0 when empty):
    /// a watermark for [`Vault::records_changed_since`]. Every change to a
    /// record commits with its custody entry, so a sync that remembers
    /// this number need not read every record again to find what changed.
    pub fn custody_head(&self) -> Result<u64> {
        let seq: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM custody_log", [], |r| {
                    r.get(0)
                })?;
        Ok(seq.max(0) as u64)
    }

    /// The ids the custody log names as changed after entry `seq` (records
    /// written, amended, trashed, restored, merged; attachments too), each
    /// once.
    pub fn records_changed_since(&self, seq: u64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT target FROM custody_log WHERE seq > ?1 AND target IS NOT NULL",
        )?;
        let rows = stmt.query_map([i64::try_from(seq).unwrap_or(i64::MAX)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records of a space awaiting review of concurrent edits.
    pub fn space_conflicts(&self, space: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT record_id FROM space_conflicts WHERE space = ?1 ORDER BY record_id")?;
        let rows = stmt.query_map([space], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Takes one record off a space's conflict list, once a review has
    /// written a version over its heads (the next sync lists them anew).
    pub fn clear_space_conflict(&mut self, space: i64, record: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM space_conflicts WHERE space = ?1 AND record_id = ?2",
            params![space, record],
        )?;
        Ok(())
    }

    /// The local name of a device, by fingerprint.
    pub fn device_label(&self, fingerprint: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT label FROM device_labels WHERE fingerprint = ?1",
                [fingerprint],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Names a device locally.
    pub fn set_device_label(&mut self, fingerprint: &str, label: &str) -> Result<()> {
        if label.trim().is_empty()
            || label.chars().count() > 100
            || label.chars().any(char::is_control)
        {
            return Err(Error::invalid(
                "as",
                ProblemCode::MemberName.with("max", 100),
            ));
        }
        self.conn.execute(
            "INSERT INTO device_labels (fingerprint, label) VALUES (?1, ?2)
             ON CONFLICT (fingerprint) DO UPDATE SET label = excluded.label",
            params![fingerprint, label],
        )?;
        Ok(())
    }

    /// The device whose local name is `label`, if any.
    pub fn device_by_label(&self, label: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT fingerprint FROM device_labels WHERE label = ?1",
                [label],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records the remote and time of a finished sync.
    pub fn record_sync(&mut self, remote: &str) -> Result<()> {
        let now = self.now();
        self.conn.execute(
            "INSERT INTO sync_state (id, remote, last_sync_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET remote = excluded.remote, last_sync_at = excluded.last_sync_at",
            params![remote, timestamp(now)],
        )?;
        Ok(())
    }

    /// Stores the S3 key the app syncs with, replacing any stored one.
    /// Surrounding spaces are dropped (a paste often carries them); an
    /// empty, over-long or space-holding id (`s3_key_id`) or secret
    /// (`s3_secret`) is refused and nothing changes.
    pub fn set_s3_key(&mut self, key_id: &str, secret: &str) -> Result<()> {
        let key_id = key_id.trim();
        let secret = secret.trim();
        check_s3_part("s3_key_id", key_id)?;
        check_s3_part("s3_secret", secret)?;
        let tx = self.conn.transaction()?;
        for (key, value) in [(S3_KEY_ID, key_id), (S3_SECRET, secret)] {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The stored S3 key, if any.
    pub fn s3_key(&self) -> Result<Option<StoredS3Key>> {
        let get = |key: &str| -> Result<Option<Zeroizing<String>>> {
            Ok(self
                .conn
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .map(Zeroizing::new))
        };
        Ok(match (get(S3_KEY_ID)?, get(S3_SECRET)?) {
            (Some(key_id), Some(secret)) => Some(StoredS3Key {
                key_id: key_id.to_string(),
                secret,
            }),
            _ => None,
        })
    }

    /// Forgets the stored S3 key (the database's secure delete overwrites
    /// the freed rows).
    pub fn clear_s3_key(&mut self) -> Result<()> {
        self.conn.execute(
            "DELETE FROM settings WHERE key IN (?1, ?2)",
            params![S3_KEY_ID, S3_SECRET],
        )?;
        Ok(())
    }

    /// The last sync, if any.
    pub fn sync_state(&self) -> Result<Option<SyncState>> {
        Ok(self
            .conn
            .query_row(
                "SELECT remote, last_sync_at FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok(SyncState {
                        remote: r.get(0)?,
                        last_sync_at: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }
}

fn add_case_in(tx: &rusqlite::Transaction<'_>, space: i64, case: &str) -> Result<()> {
    let kind: Option<String> = tx
        .query_row("SELECT kind FROM records WHERE id = ?1", [case], |r| {
            r.get(0)
        })
        .optional()?;
    if kind.as_deref() != Some("case") {
        return Err(Error::invalid("case", not_found("case", case)));
    }
    let held: Option<i64> = tx
        .query_row(
            "SELECT space FROM space_cases WHERE case_id = ?1",
            [case],
            |r| r.get(0),
        )
        .optional()?;
    match held {
        Some(s) if s == space => Ok(()),
        Some(_) => Err(Error::invalid(
            "case",
            ProblemCode::CaseInOtherSpace.with("case", case),
        )),
        None => {
            tx.execute(
                "INSERT INTO space_cases (case_id, space) VALUES (?1, ?2)",
                params![case, space],
            )?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;

    fn new_vault(dir: &Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("spaces test passphrase: birch compass 7710");
        Vault::create(dir, &pass, &options, crate::session::testing::session())
            .unwrap()
            .0
    }

    fn changed(vault: &Vault, since: u64) -> BTreeSet<String> {
        vault
            .records_changed_since(since)
            .unwrap()
            .into_iter()
            .collect()
    }

    /// The sync's watermark: every way a record changes moves the custody
    /// head and names the record, and nothing before the mark is named.
    #[test]
    fn every_record_change_is_named_after_the_custody_head_it_moves() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = new_vault(dir.path());
        let start = v.custody_head().unwrap();
        let case = |id: &str| json!({"id": id, "title": "T", "status": "open"});
        v.insert_records_with_ids(
            &[
                ("case", "case-1", case("case-1")),
                ("case", "case-2", case("case-2")),
            ],
            "test",
        )
        .unwrap();
        let after_insert = v.custody_head().unwrap();
        assert!(after_insert > start);
        assert_eq!(
            changed(&v, start),
            BTreeSet::from(["case-1".to_owned(), "case-2".to_owned()])
        );
        assert!(changed(&v, after_insert).is_empty());

        let mut data = v.get_record("case-1").unwrap().unwrap().data;
        data["title"] = json!("Amended");
        v.amend_record("case-1", &data, "test").unwrap();
        let after_amend = v.custody_head().unwrap();
        assert_eq!(
            changed(&v, after_insert),
            BTreeSet::from(["case-1".to_owned()])
        );

        v.trash_records(&["case-2"], "test").unwrap();
        assert_eq!(
            changed(&v, after_amend),
            BTreeSet::from(["case-2".to_owned()])
        );
        let after_trash = v.custody_head().unwrap();
        v.restore_record("case-2").unwrap();
        assert_eq!(
            changed(&v, after_trash),
            BTreeSet::from(["case-2".to_owned()])
        );
        assert!(changed(&v, v.custody_head().unwrap()).is_empty());
    }
}
