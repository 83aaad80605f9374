//! Search and analysis: full-text over everything caseworkers write (FTS5
//! inside the encrypted vault), names across scripts and spellings, filters
//! that understand uncertain dates, and counts for cross-case patterns.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::date::{DateView, FuzzyDate};
use crate::model::names::{self, NameMatch};
use crate::model::problem::ProblemCode;
use crate::model::records::{Case, CaseStatus, Incident, Organisation, Person, Testimony};
use crate::model::stem;
use crate::vault::Vault;
use crate::vault::store::decode;
use crate::{Error, Result};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// How many full-text matches are considered before filters, by rank.
const CANDIDATES: usize = 2000;

/// Filters for search and analysis. Empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(default)]
pub struct Filters {
    /// Act types (codes); an incident matches one of them.
    pub act_types: Vec<String>,
    /// Countries (ISO alpha-2): origin, host, third or place of an
    /// incident, or the case's origin and host countries.
    pub countries: Vec<String>,
    /// From this date (any form a date field accepts: "2008", "March 2008").
    pub from: Option<String>,
    /// Up to this date.
    pub to: Option<String>,
    /// A perpetrator (organisation or person id).
    pub perpetrator: Option<String>,
    /// Case status.
    pub case_status: Option<CaseStatus>,
    /// Testimonies whose consent covers this audience: lawyers, courts, un,
    /// media or publish.
    pub consent: Option<String>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn incident_level(&self) -> bool {
        !self.act_types.is_empty()
            || !self.countries.is_empty()
            || self.from.is_some()
            || self.to.is_some()
            || self.perpetrator.is_some()
    }
}

/// A piece of a snippet; `hit` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SnippetPart {
    /// The text.
    pub text: String,
    /// Whether it matched.
    pub hit: bool,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// Record id.
    pub record_id: String,
    /// Record kind.
    pub kind: String,
    /// The case it belongs to (the first, for a person in several).
    pub case_id: Option<String>,
    /// That case's title.
    pub case_title: Option<String>,
    /// The record's title (or names, or citation).
    pub title: String,
    /// Where the query matched, with the matches marked.
    pub snippet: Vec<SnippetPart>,
    /// The person the record is about or by, for a result title
    /// ("Testimony of Ainur Kurmanov"): a testimony's witness, a person's
    /// primary name.
    pub person_name: Option<String>,
    /// The record's date, taken apart for display ("12 March 2012",
    /// "March 2008", "about 1997"): a testimony's interview, an incident's
    /// start, an intervention's date.
    pub date: Option<DateView>,
    /// False when the record was found only through another form, script
    /// or spelling of the words (a stem, a romanisation, a place's other
    /// name); such results rank after exact ones.
    pub exact: bool,
}

/// Search results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchResults {
    /// The results, best first.
    pub hits: Vec<SearchHit>,
    /// True when there were more than were returned.
    pub truncated: bool,
}

/// A person found by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonHit {
    /// Person id.
    pub id: String,
    /// Every name, primary first.
    pub names: Vec<String>,
    /// The name that matched best.
    pub matched: String,
    /// How it matched.
    pub how: NameMatch,
    /// The cases the person has a role in.
    pub cases: Vec<String>,
}

/// One term of a query as typed: its text, whether it was a "phrase", and
/// whether it asked for a prefix*.
struct Term {
    body: String,
    phrase: bool,
    prefix: bool,
}

impl Term {
    fn quoted(&self) -> String {
        let quoted = format!("\"{}\"", self.body.replace('"', "\"\""));
        if self.prefix {
            format!("{quoted}*")
        } else {
            quoted
        }
    }
}

fn parse_terms(text: &str) -> Result<Vec<Term>> {
    let count = text.chars().count();
    if count > MAX_QUERY_CHARS {
        return Err(Error::invalid(
            "query",
            ProblemCode::TooLong
                .with("max", MAX_QUERY_CHARS)
                .with("count", count),
        ));
    }
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut terms: Vec<Term> = Vec::new();
    let mut push = |raw: &str, phrase: bool| {
        let prefix = !phrase && raw.ends_with('*');
        let body = raw.trim_end_matches('*');
        if !body.chars().any(char::is_alphanumeric) {
            return;
        }
        terms.push(Term {
            body: body.to_owned(),
            phrase,
            prefix,
        });
    };
    for (i, part) in clean.split('"').enumerate() {
        // Odd parts were inside quotes (an unclosed quote runs to the end).
        if i % 2 == 1 {
            push(part.trim(), true);
        } else {
            for word in part.split_whitespace() {
                push(word, false);
            }
        }
    }
    Ok(terms)
}

/// Turns what a user typed into a safe FTS5 query: every word and phrase is
/// quoted, so FTS5 operators and punctuation are taken literally and a
/// query can never be a syntax error. `"…"` keeps a phrase; a trailing `*`
/// asks for a prefix. Returns None when nothing searchable is left.
pub fn fts_query(text: &str) -> Result<Option<String>> {
    let terms = parse_terms(text)?;
    Ok((!terms.is_empty()).then(|| terms.iter().map(Term::quoted).collect::<Vec<_>>().join(" ")))
}

/// A query for both indexes: the words as typed (`exact`, over the text),
/// and every plain word as a group of its script-neutral keys (`keys`,
/// over the key index), with the phrases and prefixes that only the text
/// can answer (`constraint`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyQuery {
    /// The FTS5 query over the text, as [`fts_query`] makes it.
    pub exact: String,
    /// The FTS5 query over the keys; None when the query is only phrases
    /// and prefixes.
    pub keys: Option<String>,
    /// The phrases and prefixes, which a key match must also match.
    pub constraint: Option<String>,
    /// Every key of the query, to mark matches in snippets.
    pub all_keys: std::collections::BTreeSet<String>,
    /// Whether the query has a phrase (its ranking window is smaller:
    /// [`crate::vault::search_index::PHRASE_RANK_WINDOW`]).
    pub has_phrase: bool,
}

impl KeyQuery {
    /// How many of the newest exact matches ranking considers.
    pub fn rank_window(&self) -> usize {
        use crate::vault::search_index::{PHRASE_RANK_WINDOW, RANK_WINDOW};
        if self.has_phrase {
            PHRASE_RANK_WINDOW
        } else {
            RANK_WINDOW
        }
    }
}

/// Prepares what a user typed for both indexes (see [`KeyQuery`]).
pub fn key_query(text: &str) -> Result<Option<KeyQuery>> {
    let terms = parse_terms(text)?;
    if terms.is_empty() {
        return Ok(None);
    }
    let exact = terms.iter().map(Term::quoted).collect::<Vec<_>>().join(" ");
    let mut groups: Vec<String> = Vec::new();
    let mut all_keys = std::collections::BTreeSet::new();
    let mut constraint: Vec<String> = Vec::new();
    for t in &terms {
        if t.phrase || t.prefix {
            constraint.push(t.quoted());
            continue;
        }
        let words: Vec<String> = stem::words(&t.body).collect();
        // "Alma-Ata" is one place, though two words.
        let joined = stem::text_keys(&t.body);
        let place = (words.len() > 1)
            .then(|| joined.iter().find(|k| k.starts_with("qq")).cloned())
            .flatten();
        if let Some(place) = place {
            groups.push(format!("\"{place}\""));
            all_keys.insert(place);
            continue;
        }
        for w in words {
            let keys = stem::query_word_keys(&w);
            if keys.is_empty() {
                continue;
            }
            groups.push(format!(
                "({})",
                keys.iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ));
            all_keys.extend(keys);
        }
    }
    Ok(Some(KeyQuery {
        has_phrase: terms.iter().any(|t| t.phrase),
        exact,
        keys: (!groups.is_empty()).then(|| groups.join(" AND ")),
        constraint: (!constraint.is_empty()).then(|| constraint.join(" ")),
        all_keys,
    }))
}

/// A snippet for a record found through its keys: the first stretch of
/// text with a word sharing a key with the query, those words marked.
fn key_snippet(
    title: &str,
    body: &str,
    keys: &std::collections::BTreeSet<String>,
) -> Vec<SnippetPart> {
    const BEFORE: usize = 6;
    const AFTER: usize = 10;
    let hit = |w: &str| {
        stem::word_search_keys(&w.to_lowercase())
            .iter()
            .any(|k| keys.contains(k))
    };
    for text in [body, title] {
        // Word spans, by byte offsets.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let inside = c.is_alphanumeric() || matches!(c, '\'' | 'ʼ' | '’');
            match (inside, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push((s, text.len()));
        }
        let Some(first) = spans.iter().position(|&(a, b)| hit(&text[a..b])) else {
            continue;
        };
        let from = first.saturating_sub(BEFORE);
        let to = (first + AFTER).min(spans.len() - 1);
        let mut parts = Vec::new();
        let mut plain = String::new();
        if from > 0 {
            plain.push('…');
        }
        let mut cursor = spans[from].0;
        for &(a, b) in &spans[from..=to] {
            plain.push_str(&text[cursor..a]);
            if hit(&text[a..b]) {
                if !plain.is_empty() {
                    parts.push(SnippetPart {
                        text: std::mem::take(&mut plain),
                        hit: false,
                    });
                }
                parts.push(SnippetPart {
                    text: text[a..b].to_owned(),
                    hit: true,
                });
            } else {
                plain.push_str(&text[a..b]);
            }
            cursor = b;
        }
        if to + 1 < spans.len() {
            plain.push('…');
        }
        if !plain.is_empty() {
            parts.push(SnippetPart {
                text: plain,
                hit: false,
            });
        }
        return parts;
    }
    vec![SnippetPart {
        text: title.to_owned(),
        hit: false,
    }]
}

const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

fn snippet_parts(text: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    for c in text.chars() {
        if c == HIT_START || c == HIT_END {
            if !current.is_empty() {
                parts.push(SnippetPart {
                    text: std::mem::take(&mut current),
                    hit,
                });
            }
            hit = c == HIT_START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart { text: current, hit });
    }
    parts
}

fn parse_date(field: &str, text: &Option<String>, last: bool) -> Result<Option<NaiveDate>> {
    let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let date: FuzzyDate = text.parse().map_err(|e| Error::from(e).for_field(field))?;
    Ok(if last {
        date.last_day()
    } else {
        date.first_day()
    })
}

/// Facts about cases that filters need, loaded once per query and only as
/// far as needed: the case record always (for its title), its incidents
/// only for incident-level filters.
struct CaseFacts<'a> {
    vault: &'a Vault,
    with_incidents: bool,
    cases: HashMap<String, Option<(Case, Vec<Incident>)>>,
}

impl<'a> CaseFacts<'a> {
    fn new(vault: &'a Vault, with_incidents: bool) -> Self {
        Self {
            vault,
            with_incidents,
            cases: HashMap::new(),
        }
    }

    fn get(&mut self, case_id: &str) -> Result<Option<&(Case, Vec<Incident>)>> {
        if !self.cases.contains_key(case_id) {
            let loaded = match self.vault.get::<Case>(case_id)? {
                Some(case) => {
                    let incidents = if self.with_incidents {
                        self.vault
                            .case_records_of_kind(case_id, "incident")?
                            .into_iter()
                            .map(decode)
                            .collect::<Result<Vec<Incident>>>()?
                    } else {
                        Vec::new()
                    };
                    Some((case, incidents))
                }
                _ => None,
            };
            self.cases.insert(case_id.to_owned(), loaded);
        }
        Ok(self.cases.get(case_id).and_then(Option::as_ref))
    }
}

struct Compiled<'f> {
    f: &'f Filters,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Compiled<'_> {
    fn new(f: &Filters) -> Result<Compiled<'_>> {
        Ok(Compiled {
            f,
            from: parse_date("from", &f.from, false)?,
            to: parse_date("to", &f.to, true)?,
        })
    }

    fn incident(&self, i: &Incident) -> bool {
        let f = self.f;
        (f.act_types.is_empty() || f.act_types.contains(&i.act_type))
            && (f.countries.is_empty()
                || i.origin_state
                    .iter()
                    .chain(&i.host_state)
                    .chain(&i.third_states)
                    .chain(&i.place.country)
                    .any(|c| f.countries.contains(c)))
            && ((self.from.is_none() && self.to.is_none()) || i.start.overlaps(self.from, self.to))
            && f.perpetrator.as_ref().is_none_or(|p| {
                i.perpetrators
                    .iter()
                    .any(|x| x.person.as_ref() == Some(p) || x.organisation.as_ref() == Some(p))
            })
    }

    fn case(&self, case: &Case, incidents: &[Incident], hit_incident: Option<&Incident>) -> bool {
        if let Some(status) = self.f.case_status
            && case.status != status
        {
            return false;
        }
        if !self.f.incident_level() {
            return true;
        }
        match hit_incident {
            Some(i) => self.incident(i),
            None => {
                // A country filter also matches the case's own countries.
                let case_country = !self.f.countries.is_empty()
                    && case
                        .origin_country
                        .iter()
                        .chain(&case.host_countries)
                        .any(|c| self.f.countries.contains(c));
                let only_countries = self.f.act_types.is_empty()
                    && self.f.from.is_none()
                    && self.f.to.is_none()
                    && self.f.perpetrator.is_none();
                (only_countries && case_country) || incidents.iter().any(|i| self.incident(i))
            }
        }
    }

    fn consent(&self, testimony: Option<&Testimony>) -> bool {
        let Some(scope) = self.f.consent.as_deref() else {
            return true;
        };
        testimony.is_some_and(|t| {
            let c = &t.consent;
            match scope {
                "lawyers" => c.share_lawyers,
                "courts" => c.share_courts,
                "un" => c.share_un,
                "media" => c.share_media,
                "publish" => c.publish,
                _ => false,
            }
        })
    }
}

/// Full-text search with filters. An empty query with filters lists the
/// incidents that match them, earliest first.
pub fn search(vault: &Vault, text: &str, filters: &Filters, limit: usize) -> Result<SearchResults> {
    if let Some(scope) = &filters.consent
        && !["lawyers", "courts", "un", "media", "publish"].contains(&scope.as_str())
    {
        return Err(Error::invalid(
            "consent",
            ProblemCode::NotOneOf
                .with("value", scope)
                .with("allowed", "lawyers, courts, un, media, publish"),
        ));
    }
    let compiled = Compiled::new(filters)?;
    let query = key_query(text)?;
    let mut facts = CaseFacts::new(vault, filters.incident_level());
    let mut hits = Vec::new();
    let mut truncated = false;
    let Some(query) = query else {
        if filters.is_empty() {
            return Ok(SearchResults { hits, truncated });
        }
        let mut incidents: Vec<Incident> = vault.all()?;
        incidents.sort_by_key(|i| i.start);
        for i in incidents {
            if filters.consent.is_some() {
                break;
            }
            let Some((case, case_incidents)) = facts.get(&i.case)? else {
                continue;
            };
            if !compiled.case(case, case_incidents, Some(&i)) {
                continue;
            }
            if hits.len() == limit {
                truncated = true;
                break;
            }
            hits.push(SearchHit {
                record_id: i.id.clone(),
                kind: "incident".into(),
                case_id: Some(i.case.clone()),
                case_title: Some(case.title.clone()),
                title: i.title.clone(),
                snippet: vec![SnippetPart {
                    text: format!("{} · {}", i.start, i.act_type),
                    hit: false,
                }],
                person_name: None,
                date: Some(i.start.view()),
                exact: true,
            });
        }
        return Ok(SearchResults { hits, truncated });
    };
    let wanted = if filters.is_empty() {
        limit + 1
    } else {
        CANDIDATES
    };
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Exact matches first; then, if there is room, what only the keys find
    // (other forms, scripts and spellings).
    for (id, kind, data, title, snippet) in
        vault.full_text_raw(&query.exact, query.rank_window(), wanted)?
    {
        seen.insert(id.clone());
        if let Some(hit) = consider(
            vault,
            filters,
            &compiled,
            &mut facts,
            Found {
                id,
                kind,
                data: &data,
                title,
                exact: true,
            },
            || snippet_parts(&snippet),
        )? {
            if hits.len() == limit {
                truncated = true;
                break;
            }
            hits.push(hit);
        }
    }
    if !truncated && let Some(keys) = &query.keys {
        for m in vault.key_matches_raw(keys, query.constraint.as_deref(), wanted)? {
            if seen.contains(&m.id) {
                continue;
            }
            if let Some(hit) = consider(
                vault,
                filters,
                &compiled,
                &mut facts,
                Found {
                    id: m.id,
                    kind: m.kind,
                    data: &m.data,
                    title: m.title.clone(),
                    exact: false,
                },
                || key_snippet(&m.title, &m.body, &query.all_keys),
            )? {
                if hits.len() == limit {
                    truncated = true;
                    break;
                }
                hits.push(hit);
            }
        }
    }
    Ok(SearchResults { hits, truncated })
}

/// A record a search index found.
struct Found<'d> {
    id: String,
    kind: String,
    data: &'d str,
    title: String,
    exact: bool,
}

/// The hit for a found record, or None when the filters leave it out.
fn consider(
    vault: &Vault,
    filters: &Filters,
    compiled: &Compiled<'_>,
    facts: &mut CaseFacts<'_>,
    found: Found<'_>,
    snippet: impl FnOnce() -> Vec<SnippetPart>,
) -> Result<Option<SearchHit>> {
    let Found {
        id,
        kind,
        data,
        title,
        exact,
    } = found;
    let value = serde_json::from_str::<serde_json::Value>(data)
        .map_err(|_| Error::tampered("a stored record is not valid JSON"))?;
    let case_id = match kind.as_str() {
        "case" => Some(id.clone()),
        _ => vault.cases_of(&id)?.into_iter().next(),
    };
    let needs_case = filters.case_status.is_some() || filters.incident_level();
    let case_facts = match &case_id {
        Some(c) => facts.get(c)?,
        None => None,
    };
    if needs_case {
        let Some((case, incidents)) = case_facts else {
            return Ok(None);
        };
        let hit_incident = if kind == "incident" {
            Some(decode::<Incident>(value.clone())?)
        } else {
            None
        };
        if !compiled.case(case, incidents, hit_incident.as_ref()) {
            return Ok(None);
        }
    }
    if filters.consent.is_some() {
        let t = if kind == "testimony" {
            Some(decode::<Testimony>(value.clone())?)
        } else {
            None
        };
        if !compiled.consent(t.as_ref()) {
            return Ok(None);
        }
    }
    let case_title = case_facts.map(|(c, _)| c.title.clone());
    let (person_name, date) = describe(vault, &kind, &value)?;
    Ok(Some(SearchHit {
        record_id: id,
        kind,
        case_id,
        case_title,
        title,
        snippet: snippet(),
        person_name,
        date,
        exact,
    }))
}

/// Who and when, for a result's title.
fn describe(
    vault: &Vault,
    kind: &str,
    data: &serde_json::Value,
) -> Result<(Option<String>, Option<DateView>)> {
    let text = |field: &str| {
        data[field]
            .as_str()
            .and_then(|s| s.parse::<FuzzyDate>().ok())
            .map(|d| d.view())
    };
    Ok(match kind {
        "testimony" => {
            let person = match data["person"].as_str() {
                Some(p) => match vault.get_record(p)? {
                    Some(r) if r.kind == "person" => Some(primary_name(&r.data)),
                    _ => None,
                },
                None => None,
            }
            .flatten();
            (person, text("interview_date"))
        }
        "person" => (primary_name(data), None),
        "incident" => (None, text("start")),
        "intervention" => (None, text("date")),
        _ => (None, None),
    })
}

fn primary_name(person: &serde_json::Value) -> Option<String> {
    let names = person["names"].as_array()?;
    names
        .iter()
        .find(|n| n["kind"] == "primary")
        .or_else(|| names.first())
        .and_then(|n| n["name"].as_str())
        .map(str::to_owned)
}

/// People whose name matches across scripts and spellings: exact first,
/// then variants, then near-misses.
pub fn find_persons(vault: &Vault, query: &str, limit: usize) -> Result<Vec<PersonHit>> {
    let count = query.chars().count();
    if count > MAX_QUERY_CHARS {
        return Err(Error::invalid(
            "name",
            ProblemCode::TooLong
                .with("max", MAX_QUERY_CHARS)
                .with("count", count),
        ));
    }
    let prepared = names::NameQuery::new(query);
    let lookup = prepared.lookup_keys();
    let Some(readings) = lookup.first() else {
        return Ok(Vec::new());
    };
    let longest = &readings[0];
    // The best name of a match contains the query's longest word (or a
    // near miss of it), so the index rows for that word's readings are the
    // candidates.
    let mut rows = Vec::new();
    for reading in readings.iter() {
        rows.extend(vault.names_with_key_prefix(reading)?);
    }
    let allowed = match longest.len() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    if allowed > 0 {
        for key in vault.name_keys_near(longest.len(), allowed)? {
            if !key.starts_with(longest.as_str()) && strsim::levenshtein(&key, longest) <= allowed {
                rows.extend(vault.names_with_key(&key)?);
            }
        }
    }
    let mut best: HashMap<String, (NameMatch, usize, String)> = HashMap::new();
    for (id, name) in rows {
        let Some((how, edits)) = prepared.matches(&name) else {
            continue;
        };
        let better = best
            .get(&id)
            .is_none_or(|b| names::rank((how, edits, &name), (b.0, b.1, &b.2)).is_lt());
        if better {
            best.insert(id, (how, edits, name));
        }
    }
    let mut ranked: Vec<(String, (NameMatch, usize, String))> = best.into_iter().collect();
    ranked.sort_by(|a, b| {
        names::rank((a.1.0, a.1.1, &a.1.2), (b.1.0, b.1.1, &b.1.2)).then_with(|| a.0.cmp(&b.0))
    });
    let mut hits = Vec::new();
    for (id, (how, _, matched)) in ranked.into_iter().take(limit) {
        let Some(record) = vault.get_record(&id)? else {
            continue;
        };
        let person: Person = decode(record.data)?;
        let mut all: Vec<String> = person
            .primary_name()
            .map(str::to_owned)
            .into_iter()
            .collect();
        all.extend(
            person
                .names
                .iter()
                .map(|n| n.name.clone())
                .filter(|n| Some(n.as_str()) != person.primary_name()),
        );
        hits.push(PersonHit {
            id,
            names: all,
            matched,
            how,
            cases: person.case_roles.iter().map(|r| r.case.clone()).collect(),
        });
    }
    Ok(hits)
}

/// People already in the vault who may be the same as `person` (a name of
/// theirs is an exact or variant match for a whole name of this one).
pub fn possible_duplicates(vault: &Vault, person: &Person) -> Result<Vec<PersonHit>> {
    let mut out: Vec<PersonHit> = Vec::new();
    for n in &person.names {
        for hit in find_persons(vault, &n.name, 10)? {
            if hit.id != person.id
                && hit.how != NameMatch::Fuzzy
                && !out.iter().any(|h| h.id == hit.id)
            {
                out.push(hit);
            }
        }
    }
    Ok(out)
}

/// A count under a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Count {
    /// What is counted (a code, a "KZ→TR" route, a name, a year).
    pub label: String,
    /// How many incidents.
    pub count: u32,
}

/// One incident on the cross-case timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimelineItem {
    /// Incident id.
    pub incident_id: String,
    /// Its case.
    pub case_id: String,
    /// The case's title.
    pub case_title: String,
    /// The incident's title.
    pub title: String,
    /// Act type code.
    pub act_type: String,
    /// The date as recorded (canonical form).
    pub start: String,
    /// The same, taken apart for display.
    pub date: DateView,
    /// The year it starts in, when known.
    pub year: Option<i32>,
}

/// Patterns across cases, over the incidents that match the filters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Analysis {
    /// Incidents counted.
    pub incidents: u32,
    /// Cases they belong to.
    pub cases: u32,
    /// By act type, most first.
    pub by_act_type: Vec<Count>,
    /// By origin→host country pair, most first.
    pub by_route: Vec<Count>,
    /// By perpetrator (organisation or person name), most first.
    pub by_perpetrator: Vec<Count>,
    /// By year, in order.
    pub by_year: Vec<Count>,
    /// Every incident, earliest first (uncertain dates by their earliest
    /// possible moment, unknown last).
    pub timeline: Vec<TimelineItem>,
}

fn sorted_counts(map: HashMap<String, u32>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(label, count)| Count { label, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}

/// Counts and a timeline over the incidents matching `filters`.
pub fn analyse(vault: &Vault, filters: &Filters) -> Result<Analysis> {
    let compiled = Compiled::new(filters)?;
    let mut facts = CaseFacts::new(vault, filters.incident_level());
    let orgs: HashMap<String, String> = vault
        .all::<Organisation>()?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut incidents: Vec<Incident> = vault.all()?;
    incidents.sort_by_key(|i| i.start);
    let (mut by_act, mut by_route, mut by_perp) = (HashMap::new(), HashMap::new(), HashMap::new());
    let mut by_year: BTreeMap<i32, u32> = BTreeMap::new();
    let mut cases = std::collections::HashSet::new();
    let mut timeline = Vec::new();
    for i in incidents {
        let Some((case, case_incidents)) = facts.get(&i.case)? else {
            continue;
        };
        if !compiled.case(case, case_incidents, Some(&i)) {
            continue;
        }
        *by_act.entry(i.act_type.clone()).or_insert(0) += 1;
        let origin = i
            .origin_state
            .clone()
            .or_else(|| case.origin_country.clone());
        let host = i
            .host_state
            .clone()
            .or_else(|| i.place.country.clone())
            .or_else(|| case.host_countries.first().cloned());
        if let (Some(o), Some(h)) = (origin, host) {
            *by_route.entry(format!("{o}→{h}")).or_insert(0) += 1;
        }
        for p in &i.perpetrators {
            let label = match (&p.organisation, &p.person) {
                (Some(o), _) => orgs.get(o).cloned().unwrap_or_else(|| o.clone()),
                (None, Some(p)) => p.clone(),
                _ => continue,
            };
            *by_perp.entry(label).or_insert(0) += 1;
        }
        let year = i.start.first_day().map(|d| d.year());
        if let Some(y) = year {
            *by_year.entry(y).or_insert(0) += 1;
        }
        cases.insert(i.case.clone());
        timeline.push(TimelineItem {
            incident_id: i.id.clone(),
            case_id: i.case.clone(),
            case_title: case.title.clone(),
            title: i.title.clone(),
            act_type: i.act_type.clone(),
            start: i.start.to_string(),
            date: i.start.view(),
            year,
        });
    }
    Ok(Analysis {
        incidents: timeline.len() as u32,
        cases: cases.len() as u32,
        by_act_type: sorted_counts(by_act),
        by_route: sorted_counts(by_route),
        by_perpetrator: sorted_counts(by_perp),
        by_year: by_year
            .into_iter()
            .map(|(y, count)| Count {
                label: y.to_string(),
                count,
            })
            .collect(),
        timeline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_becomes_a_safe_fts_query() {
        assert_eq!(fts_query("").unwrap(), None);
        assert_eq!(fts_query("   \u{7}  ").unwrap(), None);
        assert_eq!(fts_query("hotel").unwrap().unwrap(), "\"hotel\"");
        assert_eq!(
            fts_query("слеж* \"from the hotel\"").unwrap().unwrap(),
            "\"слеж\"* \"from the hotel\""
        );
        // Operators and stray syntax are literal words, never errors.
        assert_eq!(
            fts_query("NOT OR AND ( ) ^ : -").unwrap().unwrap(),
            "\"NOT\" \"OR\" \"AND\""
        );
        assert_eq!(fts_query("say \"hi").unwrap().unwrap(), "\"say\" \"hi\"");
        assert_eq!(fts_query("a\"\"b").unwrap().unwrap(), "\"a\" \"b\"");
        assert!(fts_query(&"x".repeat(10_000)).is_err());
    }

    #[test]
    fn a_query_with_a_phrase_ranks_a_smaller_window() {
        use crate::vault::search_index::{PHRASE_RANK_WINDOW, RANK_WINDOW};
        let window = |q: &str| key_query(q).unwrap().unwrap().rank_window();
        assert_eq!(window("hotel embassy"), RANK_WINDOW);
        assert_eq!(window("слеж*"), RANK_WINDOW);
        assert_eq!(window("\"hotel embassy\" Almaty"), PHRASE_RANK_WINDOW);
    }

    #[test]
    fn snippets_split_into_marked_parts() {
        let parts = snippet_parts("за ним \u{2}следили\u{3} от гостиницы");
        assert_eq!(parts.len(), 3);
        assert!(parts[1].hit && parts[1].text == "следили");
        assert!(!parts[0].hit && !parts[2].hit);
    }
}
