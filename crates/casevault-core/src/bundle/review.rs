//! The redaction review: before a bundle is written, the caseworker sees
//! every passage where a name was replaced, in context, and what may still
//! identify a protected person, to decide on each.
//!
//! Name replacement is mechanical; identification is not. A protected
//! man's wife named in full, saying "my husband", identifies him as surely
//! as his name. The review flags what a program can find:
//! - names of persons related to a protected person (relationships in the
//!   model), anywhere in what leaves;
//! - testimonies given by the protected person (their own words);
//! - kinship words in a passage about them, or in a related person's
//!   testimony;
//! - addresses (street, house, flat, postcode);
//! - a first name of theirs left alone because it names someone else;
//! - evidence files carrying location, device or capture time.
//!
//! It cannot find a description without a name ("the only Kazakh
//! journalist in Vilnius"); the wizard and docs/SECURITY.md say so.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::metadata;
use super::redact::{self, ExtraProtection, ForLawyers, Withheld};
use crate::Result;
use crate::model::interchange::Document;
use crate::model::records::Person;
use crate::ops::interchange;
use crate::vault::Vault;

/// One passage where names were replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewPassage {
    /// The record's kind ("testimony").
    pub record_kind: String,
    /// Its id in the vault (for the caseworker's screen only).
    pub record_id: String,
    /// The field ("statement", "names[0].name").
    pub field: String,
    /// The passage before redaction.
    pub before: String,
    /// The same passage as it leaves.
    pub after: String,
}

/// What kind of identifying context a flag points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A person related to a protected person is named.
    RelatedPerson,
    /// A testimony given by the protected person themselves.
    OwnTestimony,
    /// A kinship word ("husband", "брат", "әкесі") near them.
    Kinship,
    /// Something that looks like an address.
    Address,
    /// A first name of theirs, left alone because it names someone else.
    SharedFirstName,
    /// An evidence file carrying location, device or capture time.
    FileMetadata,
}

/// Something that may still identify a protected person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct ReviewFlag {
    /// What it is.
    pub kind: FlagKind,
    /// The record it was found in (vault id), if any.
    pub record_id: Option<String>,
    /// The record's kind.
    pub record_kind: Option<String>,
    /// The field.
    pub field: Option<String>,
    /// The passage as it would leave.
    pub context: String,
    /// The protected person it concerns (their pseudonym), if known.
    pub concerns: Option<String>,
    /// A related person the caseworker can pseudonymise too (vault id).
    pub person: Option<String>,
    /// That person's name and relation, for the screen.
    pub person_label: Option<String>,
}

/// An evidence file that leaves, with the metadata it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct ReviewFile {
    /// Attachment id.
    pub attachment_id: String,
    /// The file's name in the vault.
    pub name: String,
    /// The name it will have in the bundle.
    pub name_in_bundle: String,
    /// Its media type.
    pub media_type: String,
    /// GPS position, if the file carries one.
    pub gps: Option<String>,
    /// Device, if the file names one.
    pub device: Option<String>,
    /// Capture time, if the file has one.
    pub taken_at: Option<String>,
    /// Whether Casevault can remove the metadata from the exported copy.
    pub strippable: bool,
}

/// A record that would leave, which the caseworker may leave out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewRecord {
    /// "testimony", "incident", "proceeding" or "intervention".
    pub kind: String,
    /// Its vault id (the id to put in `ExportChoices::leave_out`).
    pub id: String,
    /// Which record it is, in words ([`redact::record_label`]).
    pub label: String,
}

/// Everything the caseworker reviews before a bundle is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedactionReview {
    /// Passages where names were replaced.
    pub passages: Vec<ReviewPassage>,
    /// What may still identify a protected person.
    pub flags: Vec<ReviewFlag>,
    /// Records held back (with vault ids, for this screen only).
    pub withheld: Vec<Withheld>,
    /// Evidence files that leave.
    pub files: Vec<ReviewFile>,
    /// Records that leave, each of which may be left out.
    pub records: Vec<ReviewRecord>,
    /// How many persons leave only under a pseudonym.
    pub pseudonymised: u32,
}

/// Characters of context on each side of a finding.
const CONTEXT: usize = 60;

/// Reviews the export of `case_ids`, as [`super::write::create`] would
/// write it with the same `extra` protections.
pub fn review(
    vault: &Vault,
    case_ids: &[String],
    extra: &[ExtraProtection],
) -> Result<RedactionReview> {
    let all = interchange::export(vault)?;
    let out = redact::for_lawyers_with(&all, case_ids, extra)?;
    let attachments = vault.all_attachments()?;
    Ok(review_of(&all, &out, extra, &attachments))
}

/// The review of one redaction run.
pub(crate) fn review_of(
    all: &Document,
    out: &ForLawyers,
    extra: &[ExtraProtection],
    attachments: &[crate::vault::attachments::Attachment],
) -> RedactionReview {
    let extra_ids: HashSet<&str> = extra.iter().map(|e| e.person.as_str()).collect();
    let protected: Vec<&Person> = all
        .persons
        .iter()
        .filter(|p| p.protected || extra_ids.contains(p.id.as_str()))
        .collect();
    let pseudonym_of = |p: &Person| -> String {
        extra
            .iter()
            .find(|e| e.person == p.id)
            .map(|e| e.pseudonym.clone())
            .or_else(|| p.pseudonym.clone())
            .unwrap_or_else(|| "Protected person".into())
    };
    let mut flags = Vec::new();

    // Replaced passages, except the protected persons' own name lists,
    // which are replaced whole.
    let mut passages = Vec::new();
    for p in &out.passages {
        let (kind, id, field) = locate(&out.selected, &p.path);
        if kind == "person" && field.starts_with("names") {
            continue;
        }
        for r in &p.replaced {
            let after = out.redactor.text(&p.original);
            passages.push(ReviewPassage {
                record_kind: kind.clone(),
                record_id: id.clone(),
                field: field.clone(),
                before: snippet(&p.original, r.start, r.found.len()),
                after: snippet(
                    &after,
                    after_offset(r.start, &p.replaced),
                    r.pseudonym.len(),
                ),
            });
        }
        for k in &p.kept {
            flags.push(ReviewFlag {
                kind: FlagKind::SharedFirstName,
                record_id: Some(id.clone()),
                record_kind: Some(kind.clone()),
                field: Some(field.clone()),
                context: snippet(&p.original, k.start, k.found.len()),
                concerns: Some(k.resembles.clone()),
                person: None,
                person_label: None,
            });
        }
    }

    // Persons related to a protected person, either way round.
    let mut related: HashMap<String, (String, String)> = HashMap::new();
    for p in &protected {
        for r in &p.relationships {
            if !protected.iter().any(|q| q.id == r.person) {
                related.insert(r.person.clone(), (pseudonym_of(p), r.relation.clone()));
            }
        }
        for q in &all.persons {
            for r in q.relationships.iter().filter(|r| r.person == p.id) {
                if !protected.iter().any(|x| x.id == q.id) {
                    related.insert(q.id.clone(), (pseudonym_of(p), r.relation.clone()));
                }
            }
        }
    }
    let related_names: HashMap<String, String> = all
        .persons
        .iter()
        .filter(|p| related.contains_key(&p.id))
        .map(|p| {
            (
                p.id.clone(),
                p.primary_name().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let related_matcher_persons: Vec<Person> = all
        .persons
        .iter()
        .filter(|p| related.contains_key(&p.id))
        .cloned()
        .map(|mut p| {
            p.protected = true;
            p.pseudonym = Some(p.id.clone());
            p
        })
        .collect();
    let related_matcher = redact::NameMatcher::new(&related_matcher_persons, &HashMap::new());
    let pseudonyms: Vec<String> = protected.iter().map(|p| pseudonym_of(p)).collect();
    let related_testimonies: HashSet<&str> = out
        .selected
        .testimonies
        .iter()
        .filter(|t| related.contains_key(&t.person))
        .map(|t| t.id.as_str())
        .collect();

    let value = serde_json::to_value(&out.doc).unwrap_or_default();
    let mut strings = Vec::new();
    collect_strings(&value, &mut String::new(), &mut strings);
    let mut seen_related: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, text) in &strings {
        let (kind, id, field) = locate(&out.selected, path);
        // Related persons named in what leaves.
        for r in related_matcher.redact(text).replaced {
            let person_id = r.pseudonym.clone();
            if !seen_related.insert((person_id.clone(), id.clone())) {
                continue;
            }
            let (concerns, relation) = related.get(&person_id).cloned().unwrap_or_default();
            flags.push(ReviewFlag {
                kind: FlagKind::RelatedPerson,
                record_id: Some(id.clone()),
                record_kind: Some(kind.clone()),
                field: Some(field.clone()),
                context: snippet(text, r.start, r.found.len()),
                concerns: Some(concerns),
                person: Some(person_id.clone()),
                person_label: Some(format!(
                    "{} ({relation})",
                    related_names.get(&person_id).cloned().unwrap_or_default()
                )),
            });
        }
        // Kinship words in a passage about a protected person, or in a
        // related person's testimony.
        let about = pseudonyms.iter().find(|p| text.contains(p.as_str()));
        let by_relative = kind == "testimony" && related_testimonies.contains(id.as_str());
        if about.is_some() || by_relative {
            for m in KINSHIP.find_iter(text) {
                flags.push(ReviewFlag {
                    kind: FlagKind::Kinship,
                    record_id: Some(id.clone()),
                    record_kind: Some(kind.clone()),
                    field: Some(field.clone()),
                    context: snippet(text, m.start(), m.len()),
                    concerns: about.cloned(),
                    person: None,
                    person_label: None,
                });
            }
        }
        for m in ADDRESS.find_iter(text) {
            flags.push(ReviewFlag {
                kind: FlagKind::Address,
                record_id: Some(id.clone()),
                record_kind: Some(kind.clone()),
                field: Some(field.clone()),
                context: snippet(text, m.start(), m.len()),
                concerns: about.cloned(),
                person: None,
                person_label: None,
            });
        }
    }
    for t in &out.selected.testimonies {
        if let Some(p) = protected.iter().find(|p| p.id == t.person) {
            flags.push(ReviewFlag {
                kind: FlagKind::OwnTestimony,
                record_id: Some(t.id.clone()),
                record_kind: Some("testimony".into()),
                field: Some("statement".into()),
                context: snippet(&out.redactor.text(&t.statement), 0, 0),
                concerns: Some(pseudonym_of(p)),
                person: None,
                person_label: None,
            });
        }
    }

    let files: Vec<ReviewFile> = attachments
        .iter()
        .filter(|a| out.holders.contains(&a.record_id))
        .map(|a| ReviewFile {
            attachment_id: a.id.clone(),
            name: a.original_name.clone(),
            name_in_bundle: crate::evidence::sanitise_name(&out.redactor.text(&a.original_name)),
            media_type: a.media_type.clone(),
            gps: a.capture.gps.clone(),
            device: a.capture.device.clone(),
            taken_at: a.capture.taken_at.clone(),
            strippable: metadata::can_strip(&a.media_type),
        })
        .collect();
    for f in files
        .iter()
        .filter(|f| f.gps.is_some() || f.device.is_some() || f.taken_at.is_some())
    {
        flags.push(ReviewFlag {
            kind: FlagKind::FileMetadata,
            record_id: None,
            record_kind: Some("attachment".into()),
            field: None,
            context: f.name_in_bundle.clone(),
            concerns: None,
            person: None,
            person_label: None,
        });
    }
    flags.sort_by_key(|f| f.kind);
    let sel = &out.selected;
    let records = sel
        .testimonies
        .iter()
        .map(|t| ("testimony", &t.id))
        .chain(sel.incidents.iter().map(|i| ("incident", &i.id)))
        .chain(sel.proceedings.iter().map(|p| ("proceeding", &p.id)))
        .chain(sel.interventions.iter().map(|v| ("intervention", &v.id)))
        .map(|(kind, id)| ReviewRecord {
            kind: kind.into(),
            id: id.clone(),
            label: redact::record_label(all, kind, id).unwrap_or_else(|| id.clone()),
        })
        .collect();
    RedactionReview {
        passages,
        flags,
        withheld: out.report.withheld.clone(),
        files,
        records,
        pseudonymised: out.report.pseudonymised,
    }
}

/// Kinship words in Russian (every case of the common ones), Kazakh (with
/// possessive endings) and English.
static KINSHIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:муж(?:а|у|ем|е)?|жен(?:а|ы|е|у|ой)|супруг(?:а|у|ом|е|и|ой)?|брат(?:а|у|ом|е|ья|ьев)?|сестр(?:а|ы|е|у|ой)|сын(?:а|у|ом|е|овья|овей)?|доч(?:ь|ери|ерью)|мат(?:ь|ери|ерью)|от(?:ец|ца|цу|цом|це)|дяд(?:я|и|е|ю)|тёт(?:я|и|е|ю)|тет(?:я|и|е|ю)|племянни(?:к|ка|ца|цы)|күйеу(?:і|ім|ің)|әйел(?:і|ім|ің)|аға(?:сы|м|ң)|іні(?:сі|м|ң)|қарындас(?:ы|ым)?|әпке(?:сі|м)|ұл(?:ы|ым|ың)|қыз(?:ы|ым|ың)|ана(?:сы|м|ң)|әке(?:сі|м|ң)|husband|wife|spouse|brother|sister|son|daughter|mother|father|uncle|aunt|nephew|niece|cousin)\b",
    )
    .expect("kinship pattern")
});

/// Address markers: street words with a name or number after them, house
/// and flat numbers, and postcodes after a comma.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\b(?:ул\.|улиц[а-я]*|пр\.|проспект[а-я]*|пер\.|переулок|мкр\.?|микрорайон[а-я]*|кв\.|квартира|дом\s+\d|д\.\s*\d|көше(?:сі|сінде)?|даңғыл[а-яәіңғүұқөһ]*|street|st\.|avenue|ave\.|road|rd\.|lane|apt\.?|apartment|flat\s+\d|strasse|straße|str\.|ulica|iela|gatvė)\s*[\p{L}\d]|\b\d{1,4}\s+\p{Lu}\p{L}+\s+(?:street|road|avenue|lane|straße|strasse)\b|,\s*\d{5,6}\b)",
    )
    .expect("address pattern")
});

/// The record (kind, vault id) and field a JSON path of a redacted
/// document points at: `testimonies[2].statement`.
fn locate(selected: &Document, path: &str) -> (String, String, String) {
    let (head, field) = path.split_once('.').unwrap_or((path, ""));
    let (collection, index) = head
        .split_once('[')
        .map(|(c, i)| (c, i.trim_end_matches(']').parse::<usize>().unwrap_or(0)))
        .unwrap_or((head, 0));
    let value = serde_json::to_value(selected).unwrap_or_default();
    let id = value
        .get(collection)
        .and_then(|c| c.get(index))
        .and_then(|r| r.get("id"))
        .and_then(|i| i.as_str())
        .unwrap_or_default()
        .to_owned();
    let kind = match collection {
        "cases" => "case",
        "persons" => "person",
        "organisations" => "organisation",
        "incidents" => "incident",
        "proceedings" => "proceeding",
        "interventions" => "intervention",
        "sources" => "source",
        "testimonies" => "testimony",
        other => other,
    };
    (kind.to_owned(), id, field.to_owned())
}

fn collect_strings(value: &serde_json::Value, path: &mut String, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(s) => out.push((path.clone(), s.clone())),
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                collect_strings(v, path, out);
                path.truncate(len);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                collect_strings(v, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Where a replacement at `start` of the original lands in the redacted
/// text: shifted by the length changes of the replacements before it.
fn after_offset(start: usize, replaced: &[redact::Replacement]) -> usize {
    let mut shift: isize = 0;
    for r in replaced.iter().take_while(|r| r.start < start) {
        shift += r.pseudonym.len() as isize - r.found.len() as isize;
    }
    (start as isize + shift).max(0) as usize
}

/// About [`CONTEXT`] characters either side of `start..start+len`, on
/// character boundaries, with "…" where cut.
fn snippet(text: &str, start: usize, len: usize) -> String {
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, (start + len).min(text.len()));
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(CONTEXT - 1)
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(CONTEXT)
        .map_or(text.len(), |(i, _)| end + i);
    format!(
        "{}{}{}",
        if from > 0 { "…" } else { "" },
        &text[from..to],
        if to < text.len() { "…" } else { "" }
    )
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinship_and_addresses_are_found_in_three_languages() {
        for t in [
            "my husband was taken",
            "её мужа задержали",
            "с женой и сыном",
            "күйеуім ұсталды",
            "әкесі келді",
        ] {
            assert!(KINSHIP.is_match(t), "{t}");
        }
        for t in [
            "жили на ул. Абая 15",
            "12 Baker Street",
            "Mickiewicza str. 3",
            "Вильнюс, 01100",
            "кв. 45",
        ] {
            assert!(ADDRESS.is_match(t), "{t}");
        }
        for t in ["the son of the minister", "he was born in 1980"] {
            assert!(!ADDRESS.is_match(t), "{t}");
        }
    }

    #[test]
    fn snippets_cut_on_character_boundaries() {
        let text = "Ж".repeat(200);
        let s = snippet(&text, 201, 4);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.chars().count() <= 2 * CONTEXT + 4);
    }
}
