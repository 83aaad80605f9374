//! Changing records after they were written. An amendment is validated
//! exactly like an import (the same rules, the same messages) and appended
//! as a new version with its reason; trash and restore keep references
//! whole, so an export never points at something it leaves out.

use crate::model::interchange::{self, Document};
use crate::model::problem::{ProblemCode, not_found};
use crate::model::records::{
    AnyRecord, Case, Incident, Intervention, NameKind, Organisation, Person, Proceeding, Record,
    Source, Testimony,
};
use crate::vault::{RecordChange, Vault};
use crate::{Error, Result};

/// Record data given from outside (a file, a conflict's resolution) read
/// as record `id` of `kind`: refused as `file_wrong_shape` when it is not
/// one JSON object of that kind, or names another id.
pub fn record_from_data(kind: &str, id: &str, data: &serde_json::Value) -> Result<AnyRecord> {
    let wrong_shape =
        |detail: String| Error::invalid("data", ProblemCode::FileWrongShape.with("detail", detail));
    if !data.is_object() {
        return Err(wrong_shape("the data must be a JSON object".into()));
    }
    let record = AnyRecord::from_stored(kind, &data.to_string())
        .ok_or_else(|| wrong_shape(format!("the data is not a valid {kind}")))?;
    if record.id() != id {
        return Err(wrong_shape(format!("the data's id must stay \"{id}\"")));
    }
    Ok(record)
}

/// Whether `record` may replace the stored record of its id: valid as an
/// import would be (references included), checked as if it were new, with
/// its own id taken out of what the vault knows so it does not collide
/// with itself. Nothing is written.
pub fn check_amendment(vault: &Vault, record: &AnyRecord) -> Result<()> {
    let id = record.id();
    // Validation asks about the records it refers to and nothing else.
    let refs = record.refs();
    let mut known = vault.known_records_among(refs.iter().map(|r| r.id))?;
    known.kinds.remove(id);
    known.trashed.remove(id);
    let problems = interchange::validate(&Document::single(record.clone()), &known);
    if !problems.is_empty() {
        return Err(Error::RecordRejected { problems });
    }
    Ok(())
}

/// Replaces a record's data with `record`, as a new version with `reason`.
/// Returns the new version number.
pub fn amend(vault: &mut Vault, record: &AnyRecord, reason: &str) -> Result<u32> {
    let id = record.id();
    let current = vault
        .get_record(id)?
        .ok_or_else(|| Error::invalid("record", not_found("record", id)))?;
    if current.kind != record.kind() {
        return Err(Error::invalid(
            "record",
            ProblemCode::KindCannotChange
                .with("id", id)
                .with("kind", &current.kind)
                .with("want", record.kind()),
        ));
    }
    check_amendment(vault, record)?;
    let data = record_data(record).map_err(|e| Error::Internal(format!("record: {e}")))?;
    vault.amend_record(id, &data, reason)
}

/// Trashes a record. A case goes to the trash together with everything
/// that belongs only to it (its incidents, proceedings, testimonies,
/// interventions, and people with no role elsewhere), so it can come back
/// whole with [`restore`].
pub fn trash(vault: &mut Vault, id: &str, reason: &str) -> Result<()> {
    let current = vault
        .get_record(id)?
        .ok_or_else(|| Error::invalid("record", not_found("record", id)))?;
    let mut ids = vec![id.to_owned()];
    if current.kind == "case" {
        ids.extend(vault.records_only_in_case(id)?);
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    // Dependents first so that the case is the last to go; the order does
    // not matter to the check, which looks at the whole set.
    vault.trash_records(&refs, reason)
}

/// Takes a record, and whatever was trashed with it, out of the trash.
pub fn restore(vault: &mut Vault, id: &str) -> Result<u32> {
    vault.restore_record(id)
}

/// Merges person `other` into person `keep`, in one transaction: `keep`
/// gains `other`'s names (its primary name becomes an alias), case roles,
/// relationships and citizenships, and whatever `keep` leaves empty;
/// every record that referred to `other` now refers to `keep`; `other`
/// goes to the trash. Both histories stay: `other`'s under its own id, and
/// each change with the reason.
pub fn merge_persons(vault: &mut Vault, keep: &str, other: &str, reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::invalid("reason", ProblemCode::ReasonRequired));
    }
    if keep == other {
        return Err(Error::invalid("person", ProblemCode::SamePerson));
    }
    let load = |vault: &Vault, id: &str| -> Result<Person> {
        vault
            .get::<Person>(id)?
            .ok_or_else(|| Error::invalid("person", not_found("person", id)))
    };
    let mut kept = load(vault, keep)?;
    let gone = load(vault, other)?;
    for mut n in gone.names.clone() {
        if n.kind == NameKind::Primary {
            n.kind = NameKind::Alias;
        }
        if !kept.names.iter().any(|k| k.name == n.name) {
            kept.names.push(n);
        }
    }
    for r in &gone.case_roles {
        if !kept.case_roles.contains(r) {
            kept.case_roles.push(r.clone());
        }
    }
    for r in &gone.relationships {
        if r.person != keep && !kept.relationships.contains(r) {
            kept.relationships.push(r.clone());
        }
    }
    kept.relationships.retain(|r| r.person != other);
    for c in &gone.citizenships {
        if !kept.citizenships.contains(c) {
            kept.citizenships.push(c.clone());
        }
    }
    kept.birth_date = kept.birth_date.or(gone.birth_date);
    kept.occupation = kept.occupation.or(gone.occupation);
    kept.affiliation = kept.affiliation.or(gone.affiliation);
    kept.target_category = kept.target_category.or(gone.target_category);
    kept.host_status = kept.host_status.or(gone.host_status);
    kept.protected |= gone.protected;
    kept.pseudonym = kept.pseudonym.or(gone.pseudonym);

    let why = format!("merged person \"{other}\" into \"{keep}\": {reason}");
    let mut known = vault.known_records()?;
    known.kinds.remove(keep);
    known.trashed.remove(keep);
    let problems =
        interchange::validate(&Document::single(AnyRecord::Person(kept.clone())), &known);
    if !problems.is_empty() {
        return Err(Error::RecordRejected { problems });
    }
    let mut changes = vec![RecordChange::Amend {
        id: keep.to_owned(),
        data: serde_json::to_value(&kept).map_err(|e| Error::Internal(format!("record: {e}")))?,
        reason: why.clone(),
    }];
    for (rid, kind) in vault.referrers(other)? {
        if rid == keep {
            continue;
        }
        let data = vault
            .get_record(&rid)?
            .map(|r| r.data)
            .ok_or_else(|| Error::Internal(format!("referrer {rid} vanished")))?;
        let repointed = repoint(&kind, data.clone(), other, keep)?;
        // Referrers come from `record_refs`, so each holds a reference
        // to `other`; the comparison only keeps a record that somehow
        // comes back unchanged from getting an empty version.
        if repointed != data {
            changes.push(RecordChange::Amend {
                id: rid,
                data: repointed,
                reason: why.clone(),
            });
        }
    }
    changes.push(RecordChange::Trash {
        id: other.to_owned(),
        reason: format!("merged into \"{keep}\": {reason}"),
    });
    vault.apply_changes(&changes)
}

/// `data` of a record of `kind` with its references to person `from`
/// pointing at `to`. Only the fields that hold person ids change: a text
/// or a consent value that happens to spell the id stays as it was.
fn repoint(kind: &str, data: serde_json::Value, from: &str, to: &str) -> Result<serde_json::Value> {
    fn typed<T: Record + serde::de::DeserializeOwned + serde::Serialize>(
        data: serde_json::Value,
        from: &str,
        to: &str,
    ) -> Result<serde_json::Value> {
        let mut record: T = crate::vault::store::decode(data.clone())?;
        let mut changed = false;
        for r in record.refs_mut() {
            if r.kind == Person::KIND && *r.id == from {
                *r.id = to.to_owned();
                changed = true;
            }
        }
        if !changed {
            // Unchanged data stays byte for byte as stored: no new version.
            return Ok(data);
        }
        serde_json::to_value(&record).map_err(|e| Error::Internal(format!("record: {e}")))
    }
    match kind {
        "case" => typed::<Case>(data, from, to),
        "person" => typed::<Person>(data, from, to),
        "organisation" => typed::<Organisation>(data, from, to),
        "incident" => typed::<Incident>(data, from, to),
        "proceeding" => typed::<Proceeding>(data, from, to),
        "source" => typed::<Source>(data, from, to),
        "testimony" => typed::<Testimony>(data, from, to),
        "intervention" => typed::<Intervention>(data, from, to),
        _ => Ok(data),
    }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::repoint;

    /// A merge moves every person reference, in every record kind that has
    /// one, and leaves text that merely spells the id (a case's tag, a
    /// statement) as it was.
    #[test]
    fn repoint_moves_every_person_reference_and_no_text() {
        let incident = json!({"id": "i-1", "case": "p-old", "title": "T", "act_type": "threat",
            "start": "2020", "description": "p-old was there", "victims": ["p-old", "p-x"],
            "witnesses": ["p-old"], "related": [], "sources": [],
            "perpetrators": [{"person": "p-old", "involvement": "direct", "attribution": "alleged"},
                             {"organisation": "p-old", "involvement": "direct", "attribution": "alleged"}]});
        let got = repoint("incident", incident, "p-old", "p-new").unwrap();
        assert_eq!(got["victims"], json!(["p-new", "p-x"]));
        assert_eq!(got["witnesses"], json!(["p-new"]));
        assert_eq!(got["perpetrators"][0]["person"], "p-new");
        // Not person references: a case id and an organisation id that
        // happen to be spelled the same, and free text.
        assert_eq!(got["perpetrators"][1]["organisation"], "p-old");
        assert_eq!(got["case"], "p-old");
        assert_eq!(got["description"], "p-old was there");

        let person = json!({"id": "p-2", "names": [{"name": "A", "kind": "primary"}],
            "pseudonym": "p-old", "relationships": [{"person": "p-old", "relation": "brother"}]});
        let got = repoint("person", person, "p-old", "p-new").unwrap();
        assert_eq!(got["relationships"][0]["person"], "p-new");
        assert_eq!(got["pseudonym"], "p-old");

        let proceeding = json!({"id": "pr-1", "case": "c-1", "kind": "extradition",
            "persons": ["p-old"], "incidents": []});
        let got = repoint("proceeding", proceeding, "p-old", "p-new").unwrap();
        assert_eq!(got["persons"], json!(["p-new"]));

        let testimony = json!({"id": "t-1", "case": "c-1", "person": "p-old", "language": "ru",
            "statement": "S", "consent": {"record": true, "share_lawyers": false,
            "share_courts": false, "share_un": false, "share_media": false, "publish": false}});
        let got = repoint("testimony", testimony, "p-old", "p-new").unwrap();
        assert_eq!(got["person"], "p-new");

        // A record without the reference comes back exactly as stored.
        let case = json!({"id": "c-1", "title": "T", "status": "open", "tags": ["p-old"]});
        assert_eq!(
            repoint("case", case.clone(), "p-old", "p-new").unwrap(),
            case
        );
    }
}
