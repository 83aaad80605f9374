//! The interchange format: one JSON document holding cases, persons,
//! organisations, incidents, proceedings, sources, testimonies and
//! interventions, with references by id. `docs/interchange.schema.json` describes it.
//!
//! Import is all or nothing: the whole file is parsed and validated before
//! anything is written, and every problem is reported with the record, the
//! field and what to do.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::problem::{Problem, ProblemCode};
use super::records::*;
use super::vocab;
use crate::known::RecordKinds;
use crate::{Error, Result};

/// The `format` value of every interchange document.
pub const FORMAT: &str = "casevault-interchange";
/// The version this build writes and the newest it reads.
pub const VERSION: u32 = 1;
/// The largest file import accepts.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
/// The longest statement or description, in bytes.
pub const MAX_LONG_TEXT: usize = 4 * 1024 * 1024;
/// The longest short text (names, titles, citations), in characters.
pub const MAX_SHORT_TEXT: usize = 1000;

/// The levels of anonymity a testimony's consent may ask for.
pub const ANONYMITY: &[&str] = &["none", "pseudonym", "full"];

/// A whole interchange document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always [`FORMAT`].
    pub format: String,
    /// Format version.
    pub version: u32,
    /// Cases.
    #[serde(default)]
    pub cases: Vec<Case>,
    /// Persons.
    #[serde(default)]
    pub persons: Vec<Person>,
    /// Organisations.
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    /// Incidents.
    #[serde(default)]
    pub incidents: Vec<Incident>,
    /// Legal proceedings.
    #[serde(default)]
    pub proceedings: Vec<Proceeding>,
    /// Sources.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Testimonies.
    #[serde(default)]
    pub testimonies: Vec<Testimony>,
    /// Interventions (added in version 1 without a bump: older files
    /// simply have none).
    #[serde(default)]
    pub interventions: Vec<Intervention>,
}

impl Document {
    /// An empty document of the current version.
    pub fn new() -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            ..Self::default()
        }
    }

    /// A document holding one record.
    pub fn single(record: AnyRecord) -> Self {
        let mut doc = Self::new();
        match record {
            AnyRecord::Case(r) => doc.cases.push(r),
            AnyRecord::Person(r) => doc.persons.push(r),
            AnyRecord::Organisation(r) => doc.organisations.push(r),
            AnyRecord::Incident(r) => doc.incidents.push(r),
            AnyRecord::Proceeding(r) => doc.proceedings.push(r),
            AnyRecord::Source(r) => doc.sources.push(r),
            AnyRecord::Testimony(r) => doc.testimonies.push(r),
            AnyRecord::Intervention(r) => doc.interventions.push(r),
        }
        doc
    }
}

/// Record kinds in the vault, in the order they are exported.
pub const KINDS: &[&str] = &[
    "case",
    "person",
    "organisation",
    "incident",
    "proceeding",
    "source",
    "testimony",
    "intervention",
];

/// Parses a document, checking the format and version before the rest so
/// that a newer file says "update Casevault". Type errors name the path
/// (`incidents[2].start`).
pub fn parse(bytes: &[u8]) -> Result<Document> {
    let reject = |p: Problem| Error::ImportRejected { problems: vec![p] };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(reject(
            Problem::of_file("", ProblemCode::FileTooLarge)
                .with("size_mb", bytes.len() >> 20)
                .with("max_mb", MAX_FILE_BYTES >> 20),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        reject(Problem::of_file("", ProblemCode::FileNotUtf8).with("offset", e.valid_up_to()))
    })?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| reject(Problem::of_file("", ProblemCode::FileNotJson).with("detail", e)))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(reject(
            Problem::of_file("format", ProblemCode::FileWrongFormat).with("format", FORMAT),
        ));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version > u64::from(VERSION) {
        return Err(Error::NewerVersion {
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: VERSION,
        });
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        reject(Problem::of_file(&path, ProblemCode::FileWrongShape).with("detail", e.into_inner()))
    })
}

/// Collects problems, each naming its record, field and code.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, record: &str, id: &str, field: &str, code: ProblemCode) {
        self.0.push(Problem::new(record, id, field, code));
    }

    fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    fn vocab(&mut self, record: &str, id: &str, field: &str, v: &vocab::Vocabulary, code: &str) {
        if v.get(code).is_some() {
            return;
        }
        let mut problem = Problem::new(record, id, field, ProblemCode::UnknownTerm)
            .with("value", code)
            .with("vocabulary", v.name);
        if let Some(near) = v.nearest(code) {
            problem = problem
                .with("suggestion", near.code)
                .with("suggestion_label", near.en);
        }
        self.push(problem);
    }

    fn short(&mut self, record: &str, id: &str, field: &str, text: &str, required: bool) {
        if required && text.trim().is_empty() {
            self.add(record, id, field, ProblemCode::Required);
        }
        if text.chars().count() > MAX_SHORT_TEXT {
            self.push(
                Problem::new(record, id, field, ProblemCode::TooLong).with("max", MAX_SHORT_TEXT),
            );
        }
    }

    /// Every text of `value` (a record), each named by its field path,
    /// against [`crate::text::refused_in_text`].
    fn characters(&mut self, record: &str, id: &str, field: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::String(text) => {
                if let Some(c) = crate::text::first_refused(text) {
                    self.push(crate::text::refusal_problem(record, id, field, c));
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    self.characters(record, id, field, item);
                }
            }
            serde_json::Value::Object(fields) => {
                for (name, item) in fields {
                    let path = if field.is_empty() {
                        name.clone()
                    } else {
                        format!("{field}.{name}")
                    };
                    self.characters(record, id, &path, item);
                }
            }
            _ => {}
        }
    }

    fn long(&mut self, record: &str, id: &str, field: &str, text: &str) {
        if text.len() > MAX_LONG_TEXT {
            self.push(
                Problem::new(record, id, field, ProblemCode::TooLarge)
                    .with("size_mb", text.len() >> 20)
                    .with("max_mb", MAX_LONG_TEXT >> 20),
            );
        }
    }

    fn country(&mut self, record: &str, id: &str, field: &str, code: &str) {
        if !crate::country::is_country_code(code) {
            self.push(
                Problem::new(record, id, field, ProblemCode::NotACountry).with("value", code),
            );
        }
    }
}

/// The field a reference problem names: the form's field, which for a few
/// references is coarser than the path [`Record::refs`] gives.
fn problem_field(path: &'static str) -> &'static str {
    match path {
        "victims" | "witnesses" => "victims/witnesses",
        "perpetrators.person" | "perpetrators.organisation" => "perpetrators",
        "relationships.person" => "relationships",
        "case_roles.case" => "case_roles",
        other => other,
    }
}

/// Checks the whole document against itself and against the records
/// already in the vault. New ids must not collide with existing ones, in
/// the trash or not; references may point at live records in the file or
/// in the vault, so that a person can be added to an existing case.
/// Returns every problem found.
pub fn validate(doc: &Document, existing: &impl RecordKinds) -> Vec<Problem> {
    let mut p = Problems::default();
    // The file's own ids, over the vault's: a reference may point at either.
    let mut kinds: HashMap<&str, &str> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let all_ids = doc
        .cases
        .iter()
        .map(|r| ("case", r.id.as_str()))
        .chain(doc.persons.iter().map(|r| ("person", r.id.as_str())))
        .chain(
            doc.organisations
                .iter()
                .map(|r| ("organisation", r.id.as_str())),
        )
        .chain(doc.incidents.iter().map(|r| ("incident", r.id.as_str())))
        .chain(
            doc.proceedings
                .iter()
                .map(|r| ("proceeding", r.id.as_str())),
        )
        .chain(doc.sources.iter().map(|r| ("source", r.id.as_str())))
        .chain(doc.testimonies.iter().map(|r| ("testimony", r.id.as_str())))
        .chain(
            doc.interventions
                .iter()
                .map(|r| ("intervention", r.id.as_str())),
        );
    for (kind, id) in all_ids {
        if id.is_empty()
            || id.len() > 64
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            p.add(kind, id, "id", ProblemCode::IdFormat);
        }
        if !seen.insert(id) {
            p.add(kind, id, "id", ProblemCode::IdDuplicateInFile);
        }
        if existing.kind_of(id).is_some() {
            p.add(kind, id, "id", ProblemCode::IdExistsInVault);
        }
        kinds.insert(id, kind);
    }
    let must_be =
        |p: &mut Problems, record: &str, id: &str, field: &str, target: &str, want: &str| {
            let kind = kinds
                .get(target)
                .copied()
                .or_else(|| existing.kind_of(target));
            match kind {
                Some(_) if existing.is_trashed(target) => p.push(
                    Problem::new(record, id, field, ProblemCode::ReferenceTrashed)
                        .with("want", want)
                        .with("target", target),
                ),
                Some(k) if k == want => {}
                Some(k) => p.push(
                    Problem::new(record, id, field, ProblemCode::ReferenceWrongKind)
                        .with("target", target)
                        .with("kind", k)
                        .with("want", want),
                ),
                None => p.push(
                    Problem::new(record, id, field, ProblemCode::ReferenceMissing)
                        .with("want", want)
                        .with("target", target),
                ),
            }
        };

    for c in &doc.cases {
        p.short("case", &c.id, "title", &c.title, true);
        for (f, code) in c
            .origin_country
            .iter()
            .map(|x| ("origin_country", x))
            .chain(c.host_countries.iter().map(|x| ("host_countries", x)))
        {
            p.country("case", &c.id, f, code);
        }
        if let Some(n) = &c.notes {
            p.long("case", &c.id, "notes", n);
        }
    }
    for person in &doc.persons {
        let id = person.id.as_str();
        let primaries = person
            .names
            .iter()
            .filter(|n| n.kind == NameKind::Primary)
            .count();
        if primaries != 1 {
            p.push(
                Problem::new("person", id, "names", ProblemCode::PrimaryNameCount)
                    .with("found", primaries),
            );
        }
        for n in &person.names {
            p.short("person", id, "names", &n.name, true);
        }
        if person.protected
            && person
                .pseudonym
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            p.add("person", id, "pseudonym", ProblemCode::PseudonymRequired);
        }
        for c in &person.citizenships {
            p.country("person", id, "citizenships", c);
        }
        for x in person.refs() {
            must_be(&mut p, "person", id, problem_field(x.field), x.id, x.kind);
        }
        for r in &person.case_roles {
            p.vocab("person", id, "case_roles", &vocab::ROLES, &r.role);
        }
    }
    for o in &doc.organisations {
        p.short("organisation", &o.id, "name", &o.name, true);
        p.vocab(
            "organisation",
            &o.id,
            "kind",
            &vocab::ORGANISATION_KINDS,
            &o.kind,
        );
        if let Some(c) = &o.country {
            p.country("organisation", &o.id, "country", c);
        }
    }
    for i in &doc.incidents {
        let id = i.id.as_str();
        for x in i.refs() {
            must_be(&mut p, "incident", id, problem_field(x.field), x.id, x.kind);
        }
        p.short("incident", id, "title", &i.title, true);
        p.vocab("incident", id, "act_type", &vocab::ACT_TYPES, &i.act_type);
        p.long("incident", id, "description", &i.description);
        if let (Some(end), Some(start_first)) = (
            i.end.as_ref().and_then(|e| e.last_day()),
            i.start.first_day(),
        ) && end < start_first
        {
            p.add("incident", id, "end", ProblemCode::EndBeforeStart);
        }
        for (f, c) in i
            .origin_state
            .iter()
            .map(|x| ("origin_state", x))
            .chain(i.host_state.iter().map(|x| ("host_state", x)))
            .chain(i.third_states.iter().map(|x| ("third_states", x)))
            .chain(i.place.country.iter().map(|x| ("place.country", x)))
        {
            p.country("incident", id, f, c);
        }
        for perp in &i.perpetrators {
            if perp.person.is_some() == perp.organisation.is_some() {
                p.add("incident", id, "perpetrators", ProblemCode::PerpetratorKind);
            }
            p.vocab(
                "incident",
                id,
                "perpetrators.involvement",
                &vocab::INVOLVEMENT,
                &perp.involvement,
            );
            p.vocab(
                "incident",
                id,
                "perpetrators.attribution",
                &vocab::ATTRIBUTION,
                &perp.attribution,
            );
        }
    }
    for pr in &doc.proceedings {
        let id = pr.id.as_str();
        for x in pr.refs() {
            must_be(
                &mut p,
                "proceeding",
                id,
                problem_field(x.field),
                x.id,
                x.kind,
            );
        }
        p.vocab("proceeding", id, "kind", &vocab::PROCEEDING_KINDS, &pr.kind);
        for g in &pr.legal_grounds {
            p.vocab("proceeding", id, "legal_grounds", &vocab::LEGAL_GROUNDS, g);
        }
        for c in pr.requesting_state.iter().chain(&pr.requested_state) {
            p.country("proceeding", id, "requesting/requested_state", c);
        }
    }
    for s in &doc.sources {
        p.vocab(
            "source",
            &s.id,
            "source_type",
            &vocab::SOURCE_TYPES,
            &s.source_type,
        );
        p.short("source", &s.id, "citation", &s.citation, true);
        if let Some(r) = s.reliability
            && !('A'..='F').contains(&r)
        {
            p.add(
                "source",
                &s.id,
                "reliability",
                ProblemCode::ReliabilityRange,
            );
        }
        if let Some(c) = s.credibility
            && !(1..=6).contains(&c)
        {
            p.add(
                "source",
                &s.id,
                "credibility",
                ProblemCode::CredibilityRange,
            );
        }
    }
    for t in &doc.testimonies {
        for x in t.refs() {
            must_be(
                &mut p,
                "testimony",
                &t.id,
                problem_field(x.field),
                x.id,
                x.kind,
            );
        }
        p.long("testimony", &t.id, "statement", &t.statement);
        p.short("testimony", &t.id, "language", &t.language, true);
        if let Some(a) = &t.consent.anonymity
            && !ANONYMITY.contains(&a.as_str())
        {
            p.push(
                Problem::new(
                    "testimony",
                    &t.id,
                    "consent.anonymity",
                    ProblemCode::AnonymityLevel,
                )
                .with("value", a),
            );
        }
    }
    for iv in &doc.interventions {
        let id = iv.id.as_str();
        for x in iv.refs() {
            must_be(
                &mut p,
                "intervention",
                id,
                problem_field(x.field),
                x.id,
                x.kind,
            );
        }
        p.vocab(
            "intervention",
            id,
            "actor_kind",
            &vocab::INTERVENTION_ACTORS,
            &iv.actor_kind,
        );
        p.vocab(
            "intervention",
            id,
            "status",
            &vocab::INTERVENTION_STATUSES,
            &iv.status,
        );
        p.long("intervention", id, "request", &iv.request);
        if iv.request.trim().is_empty() {
            p.add("intervention", id, "request", ProblemCode::RequestRequired);
        }
        if let Some(a) = &iv.actor {
            p.short("intervention", id, "actor", a, false);
        }
        if let Some(r) = &iv.response {
            p.long("intervention", id, "response", r);
        }
    }
    // Control and text-direction characters, in every text field of every
    // record, named by its path.
    macro_rules! characters {
        ($kind:literal, $list:expr) => {
            for r in &$list {
                if let Ok(value) = to_value(r) {
                    p.characters($kind, &r.id, "", &value);
                }
            }
        };
    }
    characters!("case", doc.cases);
    characters!("person", doc.persons);
    characters!("organisation", doc.organisations);
    characters!("incident", doc.incidents);
    characters!("proceeding", doc.proceedings);
    characters!("source", doc.sources);
    characters!("testimony", doc.testimonies);
    characters!("intervention", doc.interventions);
    p.0
}

fn to_value<T: Serialize>(record: &T) -> Result<serde_json::Value> {
    serde_json::to_value(record).map_err(|e| Error::Internal(format!("record: {e}")))
}

/// Every record of `doc` as (kind, id, data), in import order.
pub fn rows_of(doc: &Document) -> Result<Vec<(&'static str, &str, serde_json::Value)>> {
    let mut rows: Vec<(&'static str, &str, serde_json::Value)> = Vec::new();
    macro_rules! push {
        ($kind:literal, $list:expr) => {
            for r in &$list {
                rows.push(($kind, r.id.as_str(), to_value(r)?));
            }
        };
    }
    push!("case", doc.cases);
    push!("person", doc.persons);
    push!("organisation", doc.organisations);
    push!("incident", doc.incidents);
    push!("proceeding", doc.proceedings);
    push!("source", doc.sources);
    push!("testimony", doc.testimonies);
    push!("intervention", doc.interventions);
    Ok(rows)
}

/// The JSON Schema of the interchange format, generated from the types
/// (committed as `docs/interchange.schema.json`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Document);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    /// The committed schema must match the types. Regenerate with
    /// `UPDATE_SCHEMA=1 cargo test -p casevault-core committed_schema`.
    #[test]
    fn committed_schema_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/interchange.schema.json");
        let fresh = super::json_schema();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "docs/interchange.schema.json is stale: rerun with UPDATE_SCHEMA=1"
        );
    }
}
