//! What may leave the vault in a bundle for lawyers, and in what form.
//!
//! - Only the chosen cases, and what they refer to.
//! - A testimony leaves only when its consent covers lawyers and was not
//!   withdrawn; otherwise it is held back, with a visible note.
//! - A protected person appears only under their pseudonym, everywhere: in
//!   their own record, in every free text (every name and alias, and each
//!   surname-like word of them with its inflected endings), and in ids
//!   (`p-moldashev` would give them away), which are renamed.

use std::collections::{BTreeSet, HashMap, HashSet};

use regex::Regex;
use serde::Serialize;

use crate::model::interchange::Document;
use crate::model::records::{NameKind, Person, PersonName};
use crate::vault::KnownRecords;
use crate::{Error, Result};

/// Something kept back, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Withheld {
    /// Record kind.
    pub kind: String,
    /// Its id in the vault (not in the bundle).
    pub id: String,
    /// Why it stays.
    pub reason: String,
}

/// What redaction did, recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedactionReport {
    /// The profile applied.
    pub profile: String,
    /// Records held back.
    pub withheld: Vec<Withheld>,
    /// How many protected persons appear only under a pseudonym.
    pub pseudonymised: u32,
    /// How many ids were renamed because they contained a protected name.
    pub ids_renamed: u32,
}

/// Applies the same renaming and name replacement to anything else that
/// leaves with the bundle (custody entries, attachment names).
#[derive(Debug, Default)]
pub struct Redactor {
    renames: HashMap<String, String>,
    names: Option<(Regex, HashMap<String, String>)>,
}

impl Redactor {
    /// Redacts every string in `value`.
    pub fn apply(&self, value: &mut serde_json::Value) {
        apply_renames(value, &self.renames);
        if let Some((pattern, pseudonym_of)) = &self.names {
            replace_names(value, pattern, pseudonym_of);
        }
    }

    /// Redacts one string.
    pub fn text(&self, text: &str) -> String {
        let mut v = serde_json::Value::String(text.to_owned());
        self.apply(&mut v);
        v.as_str().unwrap_or_default().to_owned()
    }

    /// The bundle's id for a vault id (renamed or not).
    pub fn id(&self, id: &str) -> String {
        self.renames
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }
}

/// Bundle ids of the records that can hold evidence (cases, incidents,
/// proceedings, testimonies, sources): their attachments and custody
/// entries leave with them.
pub fn evidence_holders(doc: &Document) -> HashSet<String> {
    doc.cases
        .iter()
        .map(|r| r.id.clone())
        .chain(doc.incidents.iter().map(|r| r.id.clone()))
        .chain(doc.proceedings.iter().map(|r| r.id.clone()))
        .chain(doc.testimonies.iter().map(|r| r.id.clone()))
        .chain(doc.sources.iter().map(|r| r.id.clone()))
        .collect()
}

/// The part of `all` that the chosen cases need, for lawyers.
pub fn for_lawyers(
    all: &Document,
    case_ids: &[String],
) -> Result<(Document, RedactionReport, Redactor)> {
    let cases: HashSet<&str> = case_ids.iter().map(String::as_str).collect();
    for id in &cases {
        if !all.cases.iter().any(|c| c.id == *id) {
            return Err(Error::invalid(
                "case",
                format!("there is no case \"{id}\"; `casevault cases ls` lists them"),
            ));
        }
    }
    let mut withheld = Vec::new();
    let mut doc = Document::new();
    doc.cases = all
        .cases
        .iter()
        .filter(|c| cases.contains(c.id.as_str()))
        .cloned()
        .collect();
    doc.incidents = all
        .incidents
        .iter()
        .filter(|i| cases.contains(i.case.as_str()))
        .cloned()
        .collect();
    doc.proceedings = all
        .proceedings
        .iter()
        .filter(|p| cases.contains(p.case.as_str()))
        .cloned()
        .collect();
    doc.interventions = all
        .interventions
        .iter()
        .filter(|p| cases.contains(p.case.as_str()))
        .cloned()
        .collect();
    for t in all
        .testimonies
        .iter()
        .filter(|t| cases.contains(t.case.as_str()))
    {
        let c = &t.consent;
        let reason = if c.withdrawn.is_some() {
            Some("consent was withdrawn")
        } else if !c.record || !c.share_lawyers {
            Some("consent does not cover sharing with lawyers")
        } else {
            None
        };
        match reason {
            Some(r) => withheld.push(Withheld {
                kind: "testimony".into(),
                id: t.id.clone(),
                reason: r.into(),
            }),
            None => doc.testimonies.push(t.clone()),
        }
    }
    // Persons: those with a role in the cases, and anyone the records name.
    let mut person_ids: BTreeSet<&str> = all
        .persons
        .iter()
        .filter(|p| p.case_roles.iter().any(|r| cases.contains(r.case.as_str())))
        .map(|p| p.id.as_str())
        .collect();
    for i in &doc.incidents {
        person_ids.extend(i.victims.iter().chain(&i.witnesses).map(String::as_str));
        person_ids.extend(i.perpetrators.iter().filter_map(|p| p.person.as_deref()));
    }
    for p in &doc.proceedings {
        person_ids.extend(p.persons.iter().map(String::as_str));
    }
    for t in &doc.testimonies {
        person_ids.insert(t.person.as_str());
    }
    doc.persons = all
        .persons
        .iter()
        .filter(|p| person_ids.contains(p.id.as_str()))
        .cloned()
        .map(|mut p| {
            // Roles in other cases would name cases that are not shared.
            p.case_roles.retain(|r| cases.contains(r.case.as_str()));
            p.relationships
                .retain(|r| person_ids.contains(r.person.as_str()));
            p
        })
        .collect();
    let source_ids: HashSet<&str> = doc
        .incidents
        .iter()
        .flat_map(|i| i.sources.iter().map(String::as_str))
        .collect();
    doc.sources = all
        .sources
        .iter()
        .filter(|s| source_ids.contains(s.id.as_str()))
        .cloned()
        .collect();
    let org_ids: HashSet<&str> = doc
        .incidents
        .iter()
        .flat_map(|i| {
            i.perpetrators
                .iter()
                .filter_map(|p| p.organisation.as_deref())
        })
        .collect();
    doc.organisations = all
        .organisations
        .iter()
        .filter(|o| org_ids.contains(o.id.as_str()))
        .cloned()
        .collect();
    let incident_ids: HashSet<String> = doc.incidents.iter().map(|i| i.id.clone()).collect();
    for i in &mut doc.incidents {
        i.related.retain(|r| incident_ids.contains(r));
    }
    for p in &mut doc.proceedings {
        p.incidents.retain(|r| incident_ids.contains(r));
    }

    let protected: Vec<Person> = doc
        .persons
        .iter()
        .filter(|p| p.protected)
        .cloned()
        .collect();
    let mut value =
        serde_json::to_value(&doc).map_err(|e| Error::Internal(format!("bundle: {e}")))?;
    let mut redactor = Redactor::default();
    if !protected.is_empty() {
        // Ids first ("p-moldashev" becomes "redacted-1" everywhere it is
        // used), then free text, while the protected persons' own records
        // still hold their names: those records are rewritten below.
        redactor.renames = rename_ids(&mut value, &protected);
        let (pattern, pseudonym_of) = name_pattern(&protected)?;
        replace_names(&mut value, &pattern, &pseudonym_of);
        redactor.names = Some((pattern, pseudonym_of));
    }
    let ids_renamed = redactor.renames.len() as u32;
    let mut doc: Document =
        serde_json::from_value(value).map_err(|e| Error::Internal(format!("bundle: {e}")))?;
    for p in doc.persons.iter_mut().filter(|p| p.protected) {
        let pseudonym = p
            .pseudonym
            .clone()
            .unwrap_or_else(|| "Protected person".into());
        p.names = vec![PersonName {
            name: pseudonym,
            kind: NameKind::Primary,
        }];
        p.birth_date = None;
        p.occupation = None;
        p.affiliation = None;
        p.host_status = None;
    }
    // What leaves must import cleanly: never a dangling reference.
    let problems = crate::model::interchange::validate(&doc, &KnownRecords::default());
    if !problems.is_empty() {
        return Err(Error::Internal(format!(
            "the bundle's data does not validate: {}",
            problems.join("; ")
        )));
    }
    Ok((
        doc,
        RedactionReport {
            profile: "lawyers".into(),
            withheld,
            pseudonymised: protected.len() as u32,
            ids_renamed,
        },
        redactor,
    ))
}

/// One pattern matching every name, alias and name word (4+ letters, with
/// up to three letters of ending: Молдашев, Молдашева, Молдашеву) of the
/// protected persons, longest first; and each match's pseudonym.
fn name_pattern(protected: &[Person]) -> Result<(Regex, HashMap<String, String>)> {
    let mut alternatives: Vec<(String, String)> = Vec::new();
    let mut pseudonym_of = HashMap::new();
    for p in protected {
        let pseudonym = p
            .pseudonym
            .clone()
            .unwrap_or_else(|| "Protected person".into());
        for n in &p.names {
            alternatives.push((regex::escape(n.name.trim()), pseudonym.clone()));
            pseudonym_of.insert(n.name.trim().to_lowercase(), pseudonym.clone());
            for word in n.name.split(|c: char| !c.is_alphanumeric()) {
                if word.chars().count() >= 4 {
                    alternatives.push((
                        format!("{}\\w{{0,3}}", regex::escape(word)),
                        pseudonym.clone(),
                    ));
                    pseudonym_of.insert(word.to_lowercase(), pseudonym.clone());
                }
            }
        }
    }
    alternatives.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
    alternatives.dedup_by(|a, b| a.0 == b.0);
    let pattern = format!(
        "(?i)\\b(?:{})\\b",
        alternatives
            .iter()
            .map(|(a, _)| a.as_str())
            .collect::<Vec<_>>()
            .join("|")
    );
    let regex = Regex::new(&pattern).map_err(|e| Error::Internal(format!("name pattern: {e}")))?;
    Ok((regex, pseudonym_of))
}

fn replace_names(
    value: &mut serde_json::Value,
    pattern: &Regex,
    pseudonym_of: &HashMap<String, String>,
) {
    match value {
        serde_json::Value::String(s) if pattern.is_match(s) => {
            *s = pattern
                .replace_all(s, |caps: &regex::Captures<'_>| {
                    let found = caps[0].to_lowercase();
                    pseudonym_of
                        .iter()
                        .filter(|(name, _)| found.starts_with(name.as_str()))
                        .max_by_key(|(name, _)| name.len())
                        .map(|(_, p)| p.clone())
                        .unwrap_or_else(|| "[name withheld]".into())
                })
                .into_owned();
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_names(v, pattern, pseudonym_of)),
        serde_json::Value::Object(map) => map
            .values_mut()
            .for_each(|v| replace_names(v, pattern, pseudonym_of)),
        _ => {}
    }
}

/// Renames every id that contains a protected person's name (in its Latin
/// key form) to `redacted-N`, everywhere it is used. Returns the renames.
fn rename_ids(value: &mut serde_json::Value, protected: &[Person]) -> HashMap<String, String> {
    let words: Vec<String> = protected
        .iter()
        .flat_map(|p| p.names.iter())
        .flat_map(|n| crate::model::names::name_keys(&n.name))
        .filter(|k| k.len() >= 4)
        .collect();
    let mut ids: Vec<String> = Vec::new();
    collect_ids(value, &mut ids);
    let mut renames: HashMap<String, String> = HashMap::new();
    for id in ids {
        let key = crate::model::names::word_key(&id);
        if words.iter().any(|w| key.contains(w.as_str())) && !renames.contains_key(&id) {
            let n = renames.len() + 1;
            renames.insert(id, format!("redacted-{n}"));
        }
    }
    apply_renames(value, &renames);
    renames
}

fn collect_ids(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get("id") {
                out.push(id.clone());
            }
            map.values().for_each(|v| collect_ids(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
        _ => {}
    }
}

fn apply_renames(value: &mut serde_json::Value, renames: &HashMap<String, String>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(new) = renames.get(s.as_str()) {
                *s = new.clone();
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| apply_renames(v, renames)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| apply_renames(v, renames)),
        _ => {}
    }
}
