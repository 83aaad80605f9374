//! Numbered schema migrations, embedded in the binary and applied in one
//! transaction. A released migration is never edited; add a new file.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::{Error, Result};

/// One migration: its number, a short name, and its SQL.
#[derive(Debug)]
pub struct Migration {
    /// Schema version after this migration.
    pub version: u32,
    /// Short name, matching the file name.
    pub name: &'static str,
    /// The SQL, applied with `execute_batch`.
    pub sql: &'static str,
    /// Work SQL cannot do (it needs Rust code, such as transliteration),
    /// run after the SQL in the same transaction, given the time of the
    /// upgrade.
    pub then: Option<Step>,
}

/// A migration's Rust step: the transaction, and the time of the upgrade.
pub type Step = fn(&rusqlite::Transaction<'_>, DateTime<Utc>) -> Result<()>;

/// All migrations, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../../migrations/0001_initial.sql"),
        then: None,
    },
    Migration {
        version: 2,
        name: "settings",
        sql: include_str!("../../migrations/0002_settings.sql"),
        then: None,
    },
    Migration {
        version: 3,
        name: "case_index_and_drafts",
        sql: include_str!("../../migrations/0003_case_index_and_drafts.sql"),
        then: None,
    },
    Migration {
        version: 4,
        name: "custody_and_attachments",
        sql: include_str!("../../migrations/0004_custody_and_attachments.sql"),
        then: None,
    },
    Migration {
        version: 5,
        name: "search",
        sql: include_str!("../../migrations/0005_search.sql"),
        then: Some(|tx, _| super::name_index::rebuild(tx)),
    },
    Migration {
        version: 6,
        name: "contacts_and_identities",
        sql: include_str!("../../migrations/0006_contacts_and_identities.sql"),
        then: None,
    },
    Migration {
        version: 7,
        name: "self_reports_and_intake",
        sql: include_str!("../../migrations/0007_self_reports_and_intake.sql"),
        then: None,
    },
    Migration {
        version: 8,
        name: "self_report_consent",
        sql: include_str!("../../migrations/0008_self_report_consent.sql"),
        then: Some(super::inbox::repair_consent),
    },
    Migration {
        version: 9,
        name: "custody_merkle_tree",
        sql: include_str!("../../migrations/0009_custody_merkle_tree.sql"),
        then: Some(|tx, _| super::custody::create_leaf_key(tx)),
    },
    Migration {
        version: 10,
        name: "search_keys",
        sql: include_str!("../../migrations/0010_search_keys.sql"),
        then: Some(|tx, _| super::name_index::rebuild_keys(tx)),
    },
    Migration {
        version: 11,
        name: "record_refs",
        sql: include_str!("../../migrations/0011_record_refs.sql"),
        then: Some(|tx, _| super::refs::fill(tx)),
    },
    Migration {
        version: 12,
        name: "spaces",
        sql: include_str!("../../migrations/0012_spaces.sql"),
        then: None,
    },
    Migration {
        version: 13,
        name: "record_cases_from_rust",
        sql: include_str!("../../migrations/0013_record_cases_from_rust.sql"),
        then: Some(|tx, _| super::refs::fill_cases(tx)),
    },
    Migration {
        version: 14,
        name: "space_rows",
        sql: include_str!("../../migrations/0014_space_rows.sql"),
        then: None,
    },
    Migration {
        version: 15,
        name: "space_agreed",
        sql: include_str!("../../migrations/0015_space_agreed.sql"),
        then: None,
    },
    Migration {
        version: 16,
        name: "space_values",
        sql: include_str!("../../migrations/0016_space_values.sql"),
        then: Some(|tx, _| super::spaces::split_space_values(tx)),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// The schema version recorded in the database.
pub fn current_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the schema up to `target`, all in one transaction: a failure
/// leaves the vault exactly as it was. Refuses a newer schema. `now` is
/// the time of the upgrade, for the rows a Rust step writes.
pub fn migrate_to(conn: &mut Connection, target: u32, now: DateTime<Utc>) -> Result<u32> {
    let found = current_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerVersion {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found >= target {
        return Ok(found);
    }
    let tx = conn.transaction()?;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > found && m.version <= target)
    {
        tx.execute_batch(m.sql).map_err(|e| {
            Error::Internal(format!("migration {} ({}) failed: {e}", m.version, m.name))
        })?;
        if let Some(then) = m.then {
            then(&tx, now)?;
        }
    }
    tx.pragma_update(None, "user_version", target)?;
    tx.commit()?;
    Ok(target)
}

/// Brings the schema up to date.
pub fn migrate(conn: &mut Connection, now: DateTime<Utc>) -> Result<u32> {
    migrate_to(conn, SCHEMA_VERSION, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    #[test]
    fn migrations_are_numbered_consecutively_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn, now()).unwrap(), SCHEMA_VERSION);
        assert_eq!(migrate(&mut conn, now()).unwrap(), SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn, now()),
            Err(Error::NewerVersion { .. })
        ));
    }

    #[test]
    fn a_failing_migration_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1, now()).unwrap();
        // Make migration 2 fail half-way by pre-creating its table.
        conn.execute_batch("CREATE TABLE settings (x)").unwrap();
        assert!(migrate(&mut conn, now()).is_err());
        assert_eq!(current_version(&conn).unwrap(), 1);
    }
}
