//! Read views for lists and the case view.
//!
//! They read through the interchange export, which is simple and exact;
//! indexed queries for very large vaults come with the list benchmark.

use serde::Serialize;

use super::interchange;
use super::records::{Case, CaseStatus, Incident, Person, Proceeding, Testimony};
use crate::vault::Vault;
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
    /// Origin country.
    pub origin_country: Option<String>,
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
}

/// The case list.
pub fn case_summaries(vault: &Vault) -> Result<Vec<CaseSummary>> {
    let doc = interchange::export(vault)?;
    Ok(doc
        .cases
        .iter()
        .map(|c| {
            let persons: Vec<&Person> = doc
                .persons
                .iter()
                .filter(|p| p.case_roles.iter().any(|r| r.case == c.id))
                .collect();
            CaseSummary {
                id: c.id.clone(),
                title: c.title.clone(),
                status: c.status,
                origin_country: c.origin_country.clone(),
                incidents: doc.incidents.iter().filter(|i| i.case == c.id).count() as u32,
                persons: persons.len() as u32,
                names: persons
                    .iter()
                    .flat_map(|p| p.names.iter().map(|n| n.name.clone()))
                    .collect(),
            }
        })
        .collect())
}

/// One case with everything attached to it.
pub fn case_detail(vault: &Vault, id: &str) -> Result<CaseDetail> {
    let doc = interchange::export(vault)?;
    let case = doc
        .cases
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or_else(|| Error::invalid("case", format!("there is no case \"{id}\"")))?;
    let mut incidents: Vec<Incident> = doc.incidents.into_iter().filter(|i| i.case == id).collect();
    incidents.sort_by_key(|i| i.start);
    Ok(CaseDetail {
        case,
        persons: doc
            .persons
            .into_iter()
            .filter(|p| p.case_roles.iter().any(|r| r.case == id))
            .collect(),
        incidents,
        proceedings: doc
            .proceedings
            .into_iter()
            .filter(|p| p.case == id)
            .collect(),
        testimonies: doc
            .testimonies
            .into_iter()
            .filter(|t| t.case == id)
            .collect(),
    })
}
