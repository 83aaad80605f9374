//! Changing records after they were written. An amendment is validated
//! exactly like an import (the same rules, the same messages) and appended
//! as a new version with its reason; trash and restore keep references
//! whole, so an export never points at something it leaves out.

use chrono::{DateTime, Utc};

use super::interchange::{self, Document};
use super::records::AnyRecord;
use crate::vault::Vault;
use crate::{Error, Result};

/// Replaces a record's data with `record`, as a new version with `reason`.
/// Returns the new version number.
pub fn amend(
    vault: &mut Vault,
    record: &AnyRecord,
    actor: &str,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<u32> {
    let id = record.id();
    let current = vault
        .get_record(id)?
        .ok_or_else(|| Error::invalid("record", format!("there is no record \"{id}\"")))?;
    if current.kind != record.kind() {
        return Err(Error::invalid(
            "record",
            format!(
                "\"{id}\" is a {}, not a {}; its kind cannot change",
                current.kind,
                record.kind()
            ),
        ));
    }
    // Validate as if the record were new: take its own id out of what the
    // vault knows so it does not collide with itself.
    let mut known = vault.known_records()?;
    known.kinds.remove(id);
    known.trashed.remove(id);
    let problems = interchange::validate(&Document::single(record.clone()), &known);
    if !problems.is_empty() {
        return Err(Error::RecordRejected { problems });
    }
    let data = record_data(record).map_err(|e| Error::Internal(format!("record: {e}")))?;
    vault.amend_record(id, &data, actor, now, reason)
}

/// Trashes a record. A case goes to the trash together with everything
/// that belongs only to it (its incidents, proceedings, testimonies,
/// interventions, and people with no role elsewhere), so it can come back
/// whole with [`restore`].
pub fn trash(
    vault: &mut Vault,
    id: &str,
    actor: &str,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<()> {
    let current = vault
        .get_record(id)?
        .ok_or_else(|| Error::invalid("record", format!("there is no record \"{id}\"")))?;
    let mut ids = vec![id.to_owned()];
    if current.kind == "case" {
        ids.extend(vault.records_only_in_case(id)?);
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    // Dependents first so that the case is the last to go; the order does
    // not matter to the check, which looks at the whole set.
    vault.trash_records(&refs, actor, now, reason)
}

/// Takes a record, and whatever was trashed with it, out of the trash.
pub fn restore(vault: &mut Vault, id: &str, actor: &str, now: DateTime<Utc>) -> Result<u32> {
    vault.restore_record(id, actor, now)
}

fn record_data(record: &AnyRecord) -> serde_json::Result<serde_json::Value> {
    match record {
        AnyRecord::Case(r) => serde_json::to_value(r),
        AnyRecord::Person(r) => serde_json::to_value(r),
        AnyRecord::Organisation(r) => serde_json::to_value(r),
        AnyRecord::Incident(r) => serde_json::to_value(r),
        AnyRecord::Proceeding(r) => serde_json::to_value(r),
        AnyRecord::Source(r) => serde_json::to_value(r),
        AnyRecord::Testimony(r) => serde_json::to_value(r),
        AnyRecord::Intervention(r) => serde_json::to_value(r),
    }
}
