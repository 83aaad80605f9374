//! Opening the SQLCipher database with a raw data key and the pragmas that
//! keep every byte on disk encrypted.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::secret::DataKey;
use crate::{Error, Result};

/// SQLCipher page size. Fixed for the life of a vault: changing it needs a
/// migration that re-encrypts (sqlcipher_export).
pub const CIPHER_PAGE_SIZE: u32 = 4096;

/// Page cache, in KiB. Decrypted pages live here; a larger cache means fewer
/// decrypt-and-HMAC rounds. It is heap memory, never a temp file.
pub const CACHE_KIB: i64 = 32 * 1024;

/// Whether a missing database file may be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The database must already exist.
    Existing,
    /// Create it (vault creation, backup target).
    Create,
}

/// Opens the database at `path` with `key` and applies the pragmas.
///
/// A wrong key or a damaged first page shows up as `NotADatabase` on the
/// first read, which becomes [`Error::Tampered`]: callers only get here
/// with a key that a key slot authenticated, so a mismatch means damage.
pub fn open(path: &Path, key: &DataKey, mode: OpenMode) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode == OpenMode::Create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(Error::tampered("the encrypted database file is missing"));
    }
    // Before the first connection of the process: afterwards SQLite has
    // started and keeps the allocator it started with.
    let zeroing_allocator = casevault_sqlite_wipe::install();
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher logs HMAC failures to stderr; we report them ourselves.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    // Memory security: every block SQLite frees is overwritten, so
    // decrypted pages and key material do not linger in freed heap after
    // lock. Our allocator zeroes them (casevault-sqlite-wipe); SQLCipher's
    // own wipe does the same far more slowly (BENCHMARKS.md, "Memory
    // wipe"), so it is the fallback for a process where SQLite started
    // before the first vault was opened. Either is on before the key is
    // set, so the key schedule is covered too.
    if !zeroing_allocator {
        conn.execute_batch("PRAGMA cipher_memory_security = ON;")?;
    }
    conn.execute_batch(key.sqlcipher_pragma().as_str())?;
    conn.execute_batch(&format!(
        "PRAGMA cipher_compatibility = 4;
         PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE};
"
    ))?;
    // The first read checks the key against page 1.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })?;
    apply_session_pragmas(&conn)?;
    Ok(conn)
}

/// Pragmas applied on every open, encrypted or (for benchmarks) plain.
pub fn apply_session_pragmas(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        // temp_store: the bundled build defaults to files, and SQLCipher
        //   does not encrypt temp files; keep temporary tables in memory.
        // journal_mode WAL: SQLCipher encrypts WAL frames like pages.
        // synchronous FULL: a commit that returned survives power loss.
        // trusted_schema OFF: no functions from the schema.
        // secure_delete ON: deleted content is zeroed in its page, so a
        //   securely deleted self-report leaves nothing to read back.
        "PRAGMA temp_store = MEMORY;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA trusted_schema = OFF;
         PRAGMA secure_delete = ON;
         PRAGMA cache_size = -{CACHE_KIB};"
    ))?;
    // One write of a record runs about twenty cached statements (the
    // record, its version, references, cases, name keys, search index,
    // custody). rusqlite keeps 16 by default, so they evicted each other
    // and were prepared again on every record: +15% on an import when the
    // case index moved from triggers to Rust (benches/cases.rs).
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// Prepared statements kept per connection: every statement of the write
/// path, with room to spare.
const STATEMENT_CACHE: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_key_is_reported_as_tampered_and_right_key_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let key = DataKey::generate().unwrap();
        {
            let conn = open(&path, &key, OpenMode::Create).unwrap();
            conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES ('hello');")
                .unwrap();
        }
        let other = DataKey::generate().unwrap();
        assert!(matches!(
            open(&path, &other, OpenMode::Existing),
            Err(Error::Tampered { .. })
        ));
        let conn = open(&path, &key, OpenMode::Existing).unwrap();
        let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, "hello");
        let temp: i64 = conn
            .query_row("PRAGMA temp_store", [], |r| r.get(0))
            .unwrap();
        assert_eq!(temp, 2, "temp_store must be MEMORY");
        // Freed memory is overwritten: by our allocator when it could be
        // installed (it could not if another test of this process started
        // SQLite first), or else by SQLCipher's own wipe, never neither.
        // SQLCipher reports its setting as text.
        let security: String = conn
            .query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))
            .unwrap();
        assert!(
            casevault_sqlite_wipe::install() != (security == "1"),
            "exactly one wipe must be on: ours {}, SQLCipher's {security}",
            casevault_sqlite_wipe::install()
        );
    }

    /// SQLCipher is built with OMIT_MEMLOCK (.cargo/config.toml): when its
    /// memory security is the wipe in use, it makes no mlock/munlock call
    /// per allocation, which made search eight times slower. Without the flag,
    /// the allocations below are locked and VmLck is above zero (for root,
    /// as in CI, mlock always succeeds).
    #[test]
    fn memory_security_locks_no_memory_per_allocation() {
        let dir = tempfile::tempdir().unwrap();
        let key = DataKey::generate().unwrap();
        let conn = open(&dir.path().join("v.db"), &key, OpenMode::Create).unwrap();
        conn.execute_batch(
            "CREATE TABLE t(x);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO t SELECT printf('%0500d', i) FROM n;",
        )
        .unwrap();
        let total: i64 = conn
            .query_row("SELECT sum(length(x)) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(total, 20000 * 500);
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let locked = status
            .lines()
            .find_map(|l| l.strip_prefix("VmLck:"))
            .map(|v| v.trim().to_owned())
            .unwrap();
        assert_eq!(locked, "0 kB");
    }

    #[test]
    fn the_file_has_no_plaintext_sqlite_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let key = DataKey::generate().unwrap();
        drop(
            open(&path, &key, OpenMode::Create)
                .unwrap()
                .execute_batch("CREATE TABLE t(x)"),
        );
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.starts_with(b"SQLite format 3"));
    }
}
