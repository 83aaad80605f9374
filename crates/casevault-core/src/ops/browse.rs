//! Read views for the case list, the case view and the pickers, built on
//! the indexed queries of [`crate::vault::case_index`].

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::date::{DateView, FuzzyDate};
use crate::model::problem::{ProblemCode, not_found};
use crate::model::records::{
    Case, CaseStatus, Incident, Intervention, Organisation, Person, Proceeding, RiskLevel, Source,
    Testimony,
};
use crate::vault::store::decode;
use crate::vault::{RecordMeta, TrashedRecord, Vault};
use crate::{Error, Result};

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: CaseStatus,
    /// Risk level.
    pub risk: Option<RiskLevel>,
    /// Assigned caseworker.
    pub caseworker: Option<String>,
    /// Origin country.
    pub origin_country: Option<String>,
    /// Host countries.
    pub host_countries: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// When the case record last changed.
    pub updated_at: String,
    /// How many incidents.
    pub incidents: u32,
    /// How many people.
    pub persons: u32,
    /// Primary names and aliases of the people, for quick-find.
    pub names: Vec<String>,
}

/// Everything the case view shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseDetail {
    /// The case.
    pub case: Case,
    /// People with a role in it.
    pub persons: Vec<Person>,
    /// Its incidents, earliest first (uncertain dates sort by their
    /// earliest possible moment).
    pub incidents: Vec<Incident>,
    /// Its proceedings.
    pub proceedings: Vec<Proceeding>,
    /// Its testimonies.
    pub testimonies: Vec<Testimony>,
    /// Who acted on it.
    pub interventions: Vec<Intervention>,
    /// Sources cited by its incidents.
    pub sources: Vec<Source>,
    /// Organisations named as perpetrators in its incidents.
    pub organisations: Vec<Organisation>,
    /// Who wrote each record and when (the case and everything above).
    pub meta: Vec<RecordMeta>,
    /// Its records in the trash.
    pub trash: Vec<TrashedRecord>,
    /// Every date in the records above taken apart, keyed by its
    /// canonical text, so the screens can say them in words.
    pub dates: BTreeMap<String, DateView>,
}

/// The case list, in the order cases were stored.
pub fn case_summaries(vault: &Vault) -> Result<Vec<CaseSummary>> {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for (case, name) in vault.case_person_names()? {
        names.entry(case).or_default().push(name);
    }
    vault
        .case_rows()?
        .into_iter()
        .map(|row| {
            let case: Case = decode(row.data)?;
            Ok(CaseSummary {
                names: names.remove(&row.id).unwrap_or_default(),
                id: row.id,
                title: case.title,
                status: case.status,
                risk: case.risk,
                caseworker: case.caseworker,
                origin_country: case.origin_country,
                host_countries: case.host_countries,
                tags: case.tags,
                updated_at: row.updated_at,
                incidents: row.incidents,
                persons: row.persons,
            })
        })
        .collect()
}

/// One case with everything attached to it.
pub fn case_detail(vault: &Vault, id: &str) -> Result<CaseDetail> {
    let record = vault
        .get_record(id)?
        .filter(|r| r.kind == "case")
        .ok_or_else(|| Error::invalid("case", not_found("case", id)))?;
    if record.trashed_at.is_some() {
        return Err(Error::invalid("case", ProblemCode::InTrash.with("id", id)));
    }
    let mut detail = CaseDetail {
        case: decode(record.data)?,
        persons: Vec::new(),
        incidents: Vec::new(),
        proceedings: Vec::new(),
        testimonies: Vec::new(),
        interventions: Vec::new(),
        sources: Vec::new(),
        organisations: Vec::new(),
        meta: Vec::new(),
        trash: vault.case_trash(id)?,
        dates: BTreeMap::new(),
    };
    let mut ids: Vec<String> = vec![id.to_owned()];
    for (kind, data) in vault.case_records(id)? {
        match kind.as_str() {
            "person" => detail.persons.push(decode(data)?),
            "incident" => detail.incidents.push(decode(data)?),
            "proceeding" => detail.proceedings.push(decode(data)?),
            "testimony" => detail.testimonies.push(decode(data)?),
            "intervention" => detail.interventions.push(decode(data)?),
            // Other kinds linked to a case (a future record type, or an
            // old note) are not part of this view.
            _ => continue,
        }
        if let Some(rid) = ids_of_last(&detail, &kind) {
            ids.push(rid);
        }
    }
    detail.incidents.sort_by_key(|a| a.start);
    let mut source_ids: Vec<&str> = Vec::new();
    let mut org_ids: Vec<&str> = Vec::new();
    for i in &detail.incidents {
        source_ids.extend(i.sources.iter().map(String::as_str));
        org_ids.extend(
            i.perpetrators
                .iter()
                .filter_map(|p| p.organisation.as_deref()),
        );
    }
    source_ids.sort_unstable();
    source_ids.dedup();
    org_ids.sort_unstable();
    org_ids.dedup();
    let sources: Vec<Source> = vault
        .live_records_by_id(&source_ids)?
        .into_iter()
        .map(|(_, data)| decode(data))
        .collect::<Result<_>>()?;
    let organisations: Vec<Organisation> = vault
        .live_records_by_id(&org_ids)?
        .into_iter()
        .map(|(_, data)| decode(data))
        .collect::<Result<_>>()?;
    ids.extend(sources.iter().map(|s| s.id.clone()));
    ids.extend(organisations.iter().map(|o| o.id.clone()));
    detail.sources = sources;
    detail.organisations = organisations;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    detail.meta = vault.record_meta(&refs)?;
    detail.dates = date_views(&detail);
    Ok(detail)
}

fn date_views(d: &CaseDetail) -> BTreeMap<String, DateView> {
    let mut all: Vec<&FuzzyDate> = Vec::new();
    all.extend(d.persons.iter().filter_map(|p| p.birth_date.as_ref()));
    for i in &d.incidents {
        all.push(&i.start);
        all.extend(i.end.as_ref());
    }
    all.extend(
        d.proceedings
            .iter()
            .flat_map(|p| p.dates.iter().map(|k| &k.date)),
    );
    for t in &d.testimonies {
        all.extend(t.interview_date.as_ref());
        all.extend(t.consent.given.as_ref());
        all.extend(t.consent.withdrawn.as_ref());
    }
    all.extend(d.interventions.iter().filter_map(|i| i.date.as_ref()));
    all.extend(d.sources.iter().filter_map(|s| s.accessed.as_ref()));
    all.into_iter().map(|f| (f.to_string(), f.view())).collect()
}

fn ids_of_last(d: &CaseDetail, kind: &str) -> Option<String> {
    match kind {
        "person" => d.persons.last().map(|r| r.id.clone()),
        "incident" => d.incidents.last().map(|r| r.id.clone()),
        "proceeding" => d.proceedings.last().map(|r| r.id.clone()),
        "testimony" => d.testimonies.last().map(|r| r.id.clone()),
        "intervention" => d.interventions.last().map(|r| r.id.clone()),
        _ => None,
    }
}

/// Every live organisation, for the perpetrator picker.
pub fn organisations(vault: &Vault) -> Result<Vec<Organisation>> {
    vault.all()
}

/// Every live source, for citing.
pub fn sources(vault: &Vault) -> Result<Vec<Source>> {
    vault.all()
}
