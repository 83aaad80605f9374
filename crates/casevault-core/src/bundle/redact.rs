//! What may leave the vault in a bundle for lawyers, and in what form.
//!
//! - Only the chosen cases, and what they refer to.
//! - A testimony leaves only when its consent covers lawyers and was not
//!   withdrawn; otherwise it is held back. The manifest lists what was held
//!   back by kind and reason only: a vault id such as
//!   `t-moldashev-kgb-threats` would itself give the person away.
//! - A protected person appears only under their pseudonym, everywhere:
//!   their own record, every free text, every file name, and every id
//!   (`p-moldashev` would give them away), which are renamed to names that
//!   cannot collide with an id already in the vault.
//!
//! Names are found by [`NameMatcher`]: text is split into words at every
//! non-letter (so `Молдашев_2019` and `IMG_2019_Молдашева.jpg` are seen),
//! each word's script-neutral key is looked up among the inflected forms of
//! every known person's name words ([`crate::model::inflect`]), and a run of
//! words naming one person, in any order, script or form, becomes one
//! pseudonym.
//!
//! What this cannot do is said in docs/SECURITY.md and in the export
//! wizard: it cannot see a person described without their name (their
//! job, their street, "my husband"). [`super::review`] flags the common
//! cases for the caseworker to decide.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::model::inflect::{form_keys, looks_like_surname, word_key};
use crate::model::interchange::Document;
use crate::model::problem::{Problem, ProblemCode, not_found};
use crate::model::records::{NameKind, Person, PersonName, Record};
use crate::vault::KnownRecords;
use crate::{Error, Result};

/// Something kept back, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Withheld {
    /// Record kind.
    pub kind: String,
    /// Its id in the vault, for the caseworker's screens only: never
    /// written into a bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Which record it is, in words that tell it from its siblings (a
    /// person's two testimonies by date and opening words), for the
    /// caseworker's screens only: it may name a protected person, so it
    /// is never written into a bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Why it stays, in English: what a bundle's reader without
    /// [`Self::code`] (a bundle from before it) shows.
    pub reason: String,
    /// Why it stays, as a code the UI translates. Absent in bundles
    /// written before the code existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<WithheldReason>,
}

/// Why redaction kept a record back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WithheldReason {
    /// The caseworker chose to leave it out of this export.
    LeftOut,
    /// The testimony's consent was withdrawn.
    ConsentWithdrawn,
    /// The testimony's consent does not cover recording or sharing with lawyers.
    NotForLawyers,
}

impl WithheldReason {
    /// The English words a bundle carries beside the code.
    pub fn words(self) -> &'static str {
        match self {
            WithheldReason::LeftOut => "left out by the caseworker",
            WithheldReason::ConsentWithdrawn => "consent was withdrawn",
            WithheldReason::NotForLawyers => "consent does not cover sharing with lawyers",
        }
    }
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

impl RedactionReport {
    /// The report as it is written into a bundle: no vault ids.
    pub fn for_manifest(&self) -> Self {
        let mut out = self.clone();
        for w in &mut out.withheld {
            w.id = None;
            w.label = None;
        }
        out
    }
}

/// A person the caseworker chose to pseudonymise in this export only (a
/// protected person's wife, named in full in her testimony).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExtraProtection {
    /// The person's vault id.
    pub person: String,
    /// The pseudonym to use in this export.
    pub pseudonym: String,
}

/// One passage where a name was replaced, for the redaction review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// What was there (the matched words, as written).
    pub found: String,
    /// The pseudonym put in its place.
    pub pseudonym: String,
    /// Byte offset of `found` in the original text.
    pub start: usize,
}

/// A name that looks like a protected person's but was left alone,
/// because the words around it name someone else ("Aigul Bekova" when
/// the protected person is Aigul Nurpeisova).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// The words left alone, with their neighbour.
    pub found: String,
    /// Whose name they resemble (their pseudonym).
    pub resembles: String,
    /// Byte offset in the text.
    pub start: usize,
}

/// One person's name words, for matching.
#[derive(Debug)]
struct KnownPerson {
    protected: bool,
    pseudonym: String,
    /// For each name word: whether it looks like a family name.
    surname_words: Vec<bool>,
}

/// Finds every known person's name in text, in any form, and replaces the
/// protected persons' with their pseudonyms.
#[derive(Debug, Default)]
pub struct NameMatcher {
    persons: Vec<KnownPerson>,
    /// Form key → (person index, word index).
    forms: HashMap<String, Vec<(usize, usize)>>,
}

/// A word of text: byte range.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// What the matcher did to one text.
#[derive(Debug, Default)]
pub struct Redacted {
    /// The text with protected names replaced.
    pub text: String,
    /// Each replacement.
    pub replaced: Vec<Replacement>,
    /// Look-alikes left alone.
    pub kept: Vec<Kept>,
}

impl NameMatcher {
    /// A matcher over `persons`; those with `protected` set (or listed in
    /// `extra`) are replaced by their pseudonyms, the others only help to
    /// tell people apart.
    pub fn new(persons: &[Person], extra: &HashMap<String, String>) -> Self {
        let mut m = Self::default();
        for p in persons {
            let extra_pseudonym = extra.get(&p.id);
            let protected = p.protected || extra_pseudonym.is_some();
            let pseudonym = extra_pseudonym
                .cloned()
                .or_else(|| p.pseudonym.clone())
                .unwrap_or_else(|| "Protected person".into());
            let index = m.persons.len();
            let mut words: Vec<String> = Vec::new();
            for n in &p.names {
                for w in split_words(&n.name) {
                    let word = &n.name[w.start..w.end];
                    // A lone letter ("Reporter 24b8956c" has "b" and "c")
                    // is no name word; two letters are ("Ли", "Ан").
                    if word.chars().count() < 2 {
                        continue;
                    }
                    if !words.iter().any(|k| word_key(k) == word_key(word)) {
                        words.push(word.to_owned());
                    }
                }
            }
            let mut surname_words = Vec::new();
            for (wi, word) in words.iter().enumerate() {
                surname_words.push(looks_like_surname(word));
                for key in form_keys(word) {
                    m.forms.entry(key).or_default().push((index, wi));
                }
            }
            m.persons.push(KnownPerson {
                protected,
                pseudonym,
                surname_words,
            });
        }
        m
    }

    /// Whether anyone is protected at all.
    pub fn protects_anyone(&self) -> bool {
        self.persons.iter().any(|p| p.protected)
    }

    /// The persons (indices) a word of text may belong to, with the word
    /// of their name it matched.
    fn candidates(&self, word: &str) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> =
            self.forms.get(&word_key(word)).cloned().unwrap_or_default();
        // "j" is ж in English and Kazakh spellings (Amirjan) but й/я/ю in
        // German, Czech and Polish ones (Nevskaja, Jurij): try both.
        if word.contains(['j', 'J']) {
            let as_y = word.replace('j', "y").replace('J', "Y");
            if let Some(more) = self.forms.get(&word_key(&as_y)) {
                found.extend(
                    more.iter()
                        .filter(|c| !found.contains(c))
                        .collect::<Vec<_>>(),
                );
            }
        }
        found
    }

    /// Replaces every protected person's name in `text`.
    pub fn redact(&self, text: &str) -> Redacted {
        let mut out = Redacted::default();
        if !self.protects_anyone() {
            out.text = text.to_owned();
            return out;
        }
        let words = split_words(text);
        // Segments: runs of matched words, joined only by short separators,
        // that can all be the same person.
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let first = self.candidates(&text[words[i].start..words[i].end]);
            if first.is_empty() {
                i += 1;
                continue;
            }
            let mut persons: BTreeSet<usize> = first.iter().map(|c| c.0).collect();
            let mut j = i + 1;
            while j < words.len() && joins(&text[words[j - 1].end..words[j].start]) {
                let next: BTreeSet<usize> = self
                    .candidates(&text[words[j].start..words[j].end])
                    .iter()
                    .map(|c| c.0)
                    .collect();
                let common: BTreeSet<usize> = persons.intersection(&next).copied().collect();
                if common.is_empty() {
                    break;
                }
                persons = common;
                j += 1;
            }
            let segment = &words[i..j];
            if let Some(&p) = persons.iter().find(|&&p| self.persons[p].protected) {
                let person = &self.persons[p];
                // Only given names of the protected person, next to a
                // family name that is not theirs: someone else who shares
                // a first name ("Aigul Bekova").
                let only_given = segment.iter().all(|w| {
                    self.candidates(&text[w.start..w.end])
                        .into_iter()
                        .filter(|c| c.0 == p)
                        .all(|c| !person.surname_words[c.1])
                });
                let foreign_surname = |k: Option<&Word>, gap: &str| {
                    k.is_some_and(|w| {
                        let word = &text[w.start..w.end];
                        gap.chars().all(|c| c == ' ' || c == '-')
                            && !gap.is_empty()
                            && word.chars().next().is_some_and(char::is_uppercase)
                            && looks_like_surname(word)
                            && !self.candidates(word).iter().any(|c| c.0 == p)
                    })
                };
                let (s, e) = (segment[0].start, segment[segment.len() - 1].end);
                let before = i.checked_sub(1).map(|k| &words[k]);
                let after = words.get(j);
                let neighbour = foreign_surname(before, before.map_or("", |w| &text[w.end..s]))
                    || foreign_surname(after, after.map_or("", |w| &text[e..w.start]));
                if only_given && neighbour {
                    let (ks, ke) = (
                        before.map_or(s, |w| w.start.min(s)),
                        after.map_or(e, |w| w.end.max(e)),
                    );
                    out.kept.push(Kept {
                        found: text[ks..ke].to_owned(),
                        resembles: person.pseudonym.clone(),
                        start: ks,
                    });
                } else {
                    let (s, e) = absorb_initials(text, s, e);
                    edits.push((s, e, person.pseudonym.clone()));
                }
            }
            i = j;
        }
        let mut result = String::with_capacity(text.len());
        let mut at = 0;
        for (s, e, pseudonym) in edits {
            // Initials absorbed by one name may reach into the next.
            if e <= at {
                continue;
            }
            let s = s.max(at);
            result.push_str(&text[at..s]);
            result.push_str(&pseudonym);
            out.replaced.push(Replacement {
                found: text[s..e].to_owned(),
                pseudonym,
                start: s,
            });
            at = e;
        }
        result.push_str(&text[at..]);
        out.text = result;
        out
    }
}

/// Whether the text between two name words keeps them one name:
/// "Молдашев Данияр", "Moldashev, Daniyar", "Молдашева_Айгуль", "Jean-Luc".
fn joins(gap: &str) -> bool {
    // Empty: two words of one camel-cased run ("DaniyarMoldashev").
    gap.chars().count() <= 3
        && gap
            .chars()
            .all(|c| c == ' ' || c == '\u{a0}' || c == '_' || c == '-' || c == ',')
}

/// Widens a replaced span over initials beside it: "А. Нурпеисова",
/// "Нурпеисова А.М.", "D.Moldashev".
fn absorb_initials(text: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    // Before: "X. " or "X." repeated.
    loop {
        let head = &text[..start];
        let trimmed = head.trim_end_matches(' ');
        let Some(rest) = trimmed.strip_suffix('.') else {
            break;
        };
        let mut chars = rest.char_indices().rev();
        match (chars.next(), chars.next()) {
            (Some((i, c)), prev)
                if c.is_uppercase() && prev.is_none_or(|(_, p)| !p.is_alphanumeric()) =>
            {
                start = i;
            }
            _ => break,
        }
    }
    // After: " X." or "X." repeated.
    loop {
        let tail = &text[end..];
        let trimmed = tail.trim_start_matches(' ');
        let skipped = tail.len() - trimmed.len();
        let mut chars = trimmed.char_indices();
        match (chars.next(), chars.next()) {
            (Some((_, c)), Some((i, '.'))) if c.is_uppercase() && skipped <= 1 => {
                end += skipped + i + 1;
            }
            _ => break,
        }
    }
    (start, end)
}

/// Splits text into words: maximal runs of letters (an apostrophe inside
/// a word stays in it), cut again where the script changes or a capital
/// follows a small letter ("MoldashevaAigul"). Digits, `_` and punctuation
/// always separate: `\b` in a regex would treat `_` and digits as letters.
fn split_words(text: &str) -> Vec<Word> {
    fn script(c: char) -> u8 {
        if ('\u{0400}'..='\u{04FF}').contains(&c) || ('\u{0500}'..='\u{052F}').contains(&c) {
            1
        } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            2
        } else {
            3
        }
    }
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let apostrophe = matches!(c, '\'' | '’' | 'ʼ')
            && prev.is_some_and(char::is_alphabetic)
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphabetic());
        let letter = c.is_alphabetic() || apostrophe;
        if letter {
            let breaks = prev.is_some_and(|p| {
                p.is_alphabetic()
                    && c.is_alphabetic()
                    && (script(p) != script(c) || (p.is_lowercase() && c.is_uppercase()))
            });
            match start {
                Some(s) if breaks => {
                    words.push(Word { start: s, end: i });
                    start = Some(i);
                }
                None => start = Some(i),
                _ => {}
            }
        } else if let Some(s) = start.take() {
            words.push(Word { start: s, end: i });
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        words.push(Word {
            start: s,
            end: text.len(),
        });
    }
    words
}

/// Applies the same renaming and name replacement to anything else that
/// leaves with the bundle (custody entries, attachment names).
#[derive(Debug, Default)]
pub struct Redactor {
    renames: HashMap<String, String>,
    matcher: NameMatcher,
    /// Every id in the bundle's data (after renaming): ids and references
    /// are never treated as text, or a name match inside one would break
    /// the reference.
    ids: HashSet<String>,
}

impl Redactor {
    /// Redacts every string in `value`.
    pub fn apply(&self, value: &mut serde_json::Value) {
        apply_renames(value, &self.renames);
        replace_names(value, &self.matcher, &self.ids, &mut |_, _| {});
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

    /// The matcher, for the review.
    pub fn matcher(&self) -> &NameMatcher {
        &self.matcher
    }
}

/// Vault ids of the records that can hold evidence (cases, incidents,
/// proceedings, testimonies, sources): their attachments and custody
/// entries leave with them. Taken before ids are renamed, so that a
/// renamed id can never pick up another record's evidence.
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

/// Everything one redaction run produced.
#[derive(Debug)]
pub struct ForLawyers {
    /// What leaves.
    pub doc: Document,
    /// What was done, for the manifest (with vault ids: strip them with
    /// [`RedactionReport::for_manifest`] before writing).
    pub report: RedactionReport,
    /// The same redaction, for everything else that leaves.
    pub redactor: Redactor,
    /// Vault ids of the records whose evidence leaves.
    pub holders: HashSet<String>,
    /// The selection before names were replaced, for the review.
    pub selected: Document,
    /// Every replacement and kept look-alike, by where it was found.
    pub passages: Vec<Passage>,
}

/// Where in the data a replacement happened, for the review.
#[derive(Debug, Clone)]
pub struct Passage {
    /// The JSON path of the string (`testimonies[2].statement`).
    pub path: String,
    /// The text before redaction.
    pub original: String,
    /// What was replaced in it.
    pub replaced: Vec<Replacement>,
    /// Look-alikes left alone in it.
    pub kept: Vec<Kept>,
}

/// The part of `all` that the chosen cases need, for lawyers.
pub fn for_lawyers(
    all: &Document,
    case_ids: &[String],
) -> Result<(Document, RedactionReport, Redactor)> {
    let out = for_lawyers_with(all, case_ids, &[])?;
    Ok((out.doc, out.report, out.redactor))
}

/// A record in words for the caseworker's screens: a testimony by whose
/// it is, when it was given and how it opens (one person may have given
/// several); an incident by title and date; a proceeding by kind and
/// reference; an intervention by date and request; a case by its title, a
/// person by their primary name, an organisation by its name, a source by
/// its citation. Vault text, never written into a bundle.
pub fn record_label(all: &Document, kind: &str, id: &str) -> Option<String> {
    fn opening(text: &str) -> String {
        const WORDS: usize = 8;
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut out = words[..words.len().min(WORDS)].join(" ");
        if words.len() > WORDS {
            out.push('…');
        }
        out
    }
    match kind {
        "testimony" => all.testimonies.iter().find(|t| t.id == id).map(|t| {
            let who = all
                .persons
                .iter()
                .find(|p| p.id == t.person)
                .and_then(|p| {
                    p.primary_name()
                        .or(p.names.first().map(|n| n.name.as_str()))
                })
                .unwrap_or(&t.person);
            let mut parts = vec![who.to_owned()];
            if let Some(d) = &t.interview_date {
                parts.push(d.to_string());
            }
            parts.push(format!("“{}”", opening(&t.statement)));
            parts.join(" · ")
        }),
        "incident" => all
            .incidents
            .iter()
            .find(|i| i.id == id)
            .map(|i| format!("{} · {}", i.title, i.start)),
        "proceeding" => all.proceedings.iter().find(|p| p.id == id).map(|p| {
            [
                Some(p.kind.as_str()),
                p.authority.as_deref(),
                p.reference.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
        }),
        "intervention" => all.interventions.iter().find(|v| v.id == id).map(|v| {
            let mut parts = Vec::new();
            if let Some(d) = &v.date {
                parts.push(d.to_string());
            }
            parts.push(opening(&v.request));
            parts.join(" · ")
        }),
        "case" => all
            .cases
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone()),
        "person" => all
            .persons
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| {
                p.primary_name()
                    .or(p.names.first().map(|n| n.name.as_str()))
            })
            .map(str::to_owned),
        "organisation" => all
            .organisations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone()),
        "source" => all
            .sources
            .iter()
            .find(|s| s.id == id)
            .map(|s| opening(&s.citation)),
        _ => None,
    }
}

/// [`for_lawyers`], also pseudonymising the persons in `extra`.
pub fn for_lawyers_with(
    all: &Document,
    case_ids: &[String],
    extra: &[ExtraProtection],
) -> Result<ForLawyers> {
    for_lawyers_chosen(all, case_ids, extra, &[])
}

/// [`for_lawyers_with`], also leaving out the testimonies, incidents,
/// proceedings and interventions in `leave_out` (ids of other things,
/// such as attachments, are the caller's to leave out).
pub fn for_lawyers_chosen(
    all: &Document,
    case_ids: &[String],
    extra: &[ExtraProtection],
    leave_out: &[String],
) -> Result<ForLawyers> {
    let leave_out: HashSet<&str> = leave_out.iter().map(String::as_str).collect();
    let cases: HashSet<&str> = case_ids.iter().map(String::as_str).collect();
    for id in &cases {
        if !all.cases.iter().any(|c| c.id == *id) {
            return Err(Error::invalid("case", not_found("case", id)));
        }
    }
    let extra: HashMap<String, String> = extra
        .iter()
        .map(|e| {
            let pseudonym = e.pseudonym.trim();
            if pseudonym.is_empty() {
                return Err(Error::invalid("pseudonym", ProblemCode::PseudonymRequired));
            }
            if !all.persons.iter().any(|p| p.id == e.person) {
                return Err(Error::invalid("person", not_found("person", &e.person)));
            }
            Ok((e.person.clone(), pseudonym.to_owned()))
        })
        .collect::<Result<_>>()?;
    let mut withheld = Vec::new();
    let mut doc = Document::new();
    doc.cases = all
        .cases
        .iter()
        .filter(|c| cases.contains(c.id.as_str()))
        .cloned()
        .collect();
    let mut left_out = |kind: &str, id: &str| {
        let out = leave_out.contains(id);
        if out {
            withheld.push(Withheld {
                kind: kind.into(),
                id: Some(id.to_owned()),
                label: record_label(all, kind, id),
                reason: WithheldReason::LeftOut.words().into(),
                code: Some(WithheldReason::LeftOut),
            });
        }
        out
    };
    doc.incidents = all
        .incidents
        .iter()
        .filter(|i| cases.contains(i.case.as_str()) && !left_out("incident", &i.id))
        .cloned()
        .collect();
    doc.proceedings = all
        .proceedings
        .iter()
        .filter(|p| cases.contains(p.case.as_str()) && !left_out("proceeding", &p.id))
        .cloned()
        .collect();
    doc.interventions = all
        .interventions
        .iter()
        .filter(|p| cases.contains(p.case.as_str()) && !left_out("intervention", &p.id))
        .cloned()
        .collect();
    for t in all
        .testimonies
        .iter()
        .filter(|t| cases.contains(t.case.as_str()))
    {
        let c = &t.consent;
        let reason = if leave_out.contains(t.id.as_str()) {
            Some(WithheldReason::LeftOut)
        } else if c.withdrawn.is_some() {
            Some(WithheldReason::ConsentWithdrawn)
        } else if !c.record || !c.share_lawyers {
            Some(WithheldReason::NotForLawyers)
        } else {
            None
        };
        match reason {
            Some(r) => withheld.push(Withheld {
                kind: "testimony".into(),
                id: Some(t.id.clone()),
                label: record_label(all, "testimony", &t.id),
                reason: r.words().into(),
                code: Some(r),
            }),
            None => doc.testimonies.push(t.clone()),
        }
    }
    // Persons: those with a role in the cases, and anyone the records name.
    let mut person_ids: BTreeSet<&str> = all
        .persons
        .iter()
        .filter(|p| p.cases().iter().any(|c| cases.contains(c)))
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
    let holders = evidence_holders(&doc);
    let selected = doc.clone();

    // Every person of the vault is known to the matcher: a protected
    // person from another case may be named in this one's texts, and the
    // others help tell apart people who share a first name.
    let is_protected = |p: &Person| p.protected || extra.contains_key(&p.id);
    let protected: Vec<&Person> = all.persons.iter().filter(|p| is_protected(p)).collect();
    let mut redactor = Redactor {
        renames: HashMap::new(),
        matcher: NameMatcher::new(&all.persons, &extra),
        ids: HashSet::new(),
    };
    if !protected.is_empty() {
        // Ids first ("p-moldashev" becomes "redacted-1" wherever a record
        // refers to it), then free text, while the protected persons' own
        // records still hold their names: those records are rewritten below.
        let mut taken = HashSet::new();
        collect_ids(&serde_json::to_value(all).unwrap_or_default(), &mut taken);
        redactor.renames = rename_ids(&mut doc, &protected, &taken);
    }
    let mut value =
        serde_json::to_value(&doc).map_err(|e| Error::Internal(format!("bundle: {e}")))?;
    let mut passages = Vec::new();
    if !protected.is_empty() {
        collect_ids(&value, &mut redactor.ids);
        replace_names(
            &mut value,
            &redactor.matcher,
            &redactor.ids,
            &mut |path, r| {
                passages.push(Passage {
                    path: path.to_owned(),
                    original: r.0.to_owned(),
                    replaced: r.1.replaced.clone(),
                    kept: r.1.kept.clone(),
                })
            },
        );
    }
    let ids_renamed = redactor.renames.len() as u32;
    let mut doc: Document =
        serde_json::from_value(value).map_err(|e| Error::Internal(format!("bundle: {e}")))?;
    let mut pseudonymised = 0;
    for p in doc.persons.iter_mut() {
        let original = all
            .persons
            .iter()
            .find(|o| redactor.id(&o.id) == p.id)
            .filter(|o| is_protected(o));
        let Some(original) = original else { continue };
        pseudonymised += 1;
        let pseudonym = extra
            .get(&original.id)
            .cloned()
            .or_else(|| original.pseudonym.clone())
            .unwrap_or_else(|| "Protected person".into());
        p.protected = true;
        p.pseudonym = Some(pseudonym.clone());
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
    if !problems.is_empty() && !leave_out.is_empty() {
        let list = |each: &dyn Fn(&Problem) -> String| {
            let mut all: Vec<String> = problems.iter().map(each).collect();
            all.dedup();
            all.join(", ")
        };
        return Err(Error::invalid(
            "leave_out",
            ProblemCode::LeftOutStillReferred
                .with("ids", list(&|p| p.id.clone()))
                .with(
                    "targets",
                    list(&|p| p.params.get("target").cloned().unwrap_or_default()),
                ),
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Internal(format!(
            "the bundle's data does not validate: {}",
            crate::model::problem::joined(&problems, "; ")
        )));
    }
    Ok(ForLawyers {
        doc,
        report: RedactionReport {
            profile: "lawyers".into(),
            withheld,
            pseudonymised,
            ids_renamed,
        },
        redactor,
        holders,
        selected,
        passages,
    })
}

/// Replaces names in every string of `value`, telling `seen` about each
/// string that changed or held a look-alike (with its JSON path).
fn replace_names(
    value: &mut serde_json::Value,
    matcher: &NameMatcher,
    ids: &HashSet<String>,
    seen: &mut dyn FnMut(&str, (&str, &Redacted)),
) {
    fn walk(
        value: &mut serde_json::Value,
        path: &mut String,
        matcher: &NameMatcher,
        ids: &HashSet<String>,
        seen: &mut dyn FnMut(&str, (&str, &Redacted)),
    ) {
        match value {
            // Ids were renamed already; they are not text.
            serde_json::Value::String(s) if ids.contains(s.as_str()) => {}
            serde_json::Value::String(s) => {
                let r = matcher.redact(s);
                if !r.replaced.is_empty() || !r.kept.is_empty() {
                    seen(path, (s, &r));
                }
                if !r.replaced.is_empty() {
                    *s = r.text;
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(v, path, matcher, ids, seen);
                    path.truncate(len);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    walk(v, path, matcher, ids, seen);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    if matcher.protects_anyone() {
        walk(value, &mut String::new(), matcher, ids, seen);
    }
}

/// Renames every record id that contains a protected person's name (in
/// its Latin key form) to `redacted-N`, in the record and in every
/// reference to it ([`Record::refs_mut`]: a free text that happens to
/// spell the id is text, left to the name matcher), choosing only names
/// that no id in the vault (`taken`) already has. Returns the renames.
fn rename_ids(
    doc: &mut Document,
    protected: &[&Person],
    taken: &HashSet<String>,
) -> HashMap<String, String> {
    let words: Vec<String> = protected
        .iter()
        .flat_map(|p| p.names.iter())
        .flat_map(|n| crate::model::names::name_keys(&n.name))
        .filter(|k| k.len() >= 4)
        .collect();
    let ids: BTreeSet<String> = record_ids(doc).map(str::to_owned).collect();
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut n = 0;
    for id in ids {
        let key = word_key(&id);
        // A protected person's own id is renamed even when it holds no
        // name ("p-17" would still link their records across bundles).
        let own = protected.iter().any(|p| p.id == id);
        if own || words.iter().any(|w| key.contains(w.as_str())) {
            let new = loop {
                n += 1;
                let candidate = format!("redacted-{n}");
                if !taken.contains(&candidate) {
                    break candidate;
                }
            };
            renames.insert(id, new);
        }
    }
    rename_records(doc, &renames);
    renames
}

/// The id of every record in `doc`.
fn record_ids(doc: &Document) -> impl Iterator<Item = &str> {
    fn of<T: Record>(records: &[T]) -> impl Iterator<Item = &str> {
        records.iter().map(Record::id)
    }
    of(&doc.cases)
        .chain(of(&doc.persons))
        .chain(of(&doc.organisations))
        .chain(of(&doc.incidents))
        .chain(of(&doc.proceedings))
        .chain(of(&doc.sources))
        .chain(of(&doc.testimonies))
        .chain(of(&doc.interventions))
}

/// Renames records' ids and their references to them.
fn rename_records(doc: &mut Document, renames: &HashMap<String, String>) {
    fn each<T: Record>(records: &mut [T], renames: &HashMap<String, String>) {
        for record in records {
            if let Some(new) = renames.get(record.id()) {
                *record.id_mut() = new.clone();
            }
            for r in record.refs_mut() {
                if let Some(new) = renames.get(r.id.as_str()) {
                    *r.id = new.clone();
                }
            }
        }
    }
    each(&mut doc.cases, renames);
    each(&mut doc.persons, renames);
    each(&mut doc.organisations, renames);
    each(&mut doc.incidents, renames);
    each(&mut doc.proceedings, renames);
    each(&mut doc.sources, renames);
    each(&mut doc.testimonies, renames);
    each(&mut doc.interventions, renames);
}

fn collect_ids(value: &serde_json::Value, out: &mut HashSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get("id") {
                out.insert(id.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, names: &[&str], protected: bool, pseudonym: &str) -> Person {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "names": names.iter().enumerate().map(|(i, n)| serde_json::json!({
                "name": n, "kind": if i == 0 { "primary" } else { "alias" }
            })).collect::<Vec<_>>(),
            "protected": protected,
            "pseudonym": if protected { Some(pseudonym) } else { None },
        }))
        .expect("person")
    }

    fn matcher() -> NameMatcher {
        NameMatcher::new(
            &[
                person("p-1", &["Данияр Молдашев"], true, "Witness 7"),
                person("p-2", &["Айгуль Нурпеисова"], true, "Witness 8"),
                person("p-3", &["Aigul Bekova"], false, ""),
            ],
            &HashMap::new(),
        )
    }

    #[test]
    fn a_whole_name_becomes_one_pseudonym() {
        let r = matcher().redact("Я, Данияр Молдашев, издатель");
        assert_eq!(r.text, "Я, Witness 7, издатель");
        let r = matcher().redact("Молдашев Данияр рассказал");
        assert_eq!(r.text, "Witness 7 рассказал");
        let r = matcher().redact("Нурпеисовой Айгули нет дома");
        assert_eq!(r.text, "Witness 8 нет дома");
    }

    #[test]
    fn words_are_cut_at_digits_and_underscores() {
        assert_eq!(
            matcher().redact("IMG_2019_Молдашева.jpg").text,
            "IMG_2019_Witness 7.jpg"
        );
        assert_eq!(matcher().redact("Молдашев2019").text, "Witness 72019");
    }

    #[test]
    fn a_shared_first_name_of_someone_else_is_kept() {
        let r = matcher().redact("Aigul Bekova spoke first.");
        assert_eq!(r.text, "Aigul Bekova spoke first.");
        // Unknown to the vault, but a family name all the same.
        let r = matcher().redact("Айгуль Сейтказиева пришла.");
        assert_eq!(r.text, "Айгуль Сейтказиева пришла.");
        assert_eq!(r.kept.len(), 1);
        // Alone, the first name is replaced.
        assert_eq!(matcher().redact("Aigul said").text, "Witness 8 said");
    }

    #[test]
    fn initials_go_with_the_name() {
        assert_eq!(
            matcher()
                .redact("свидетель Д. Молдашев и Нурпеисова А.")
                .text,
            "свидетель Witness 7 и Witness 8"
        );
    }

    /// Renames reach the records' ids and their references only: a tag, a
    /// title and a note that spell a protected person's id are text, and
    /// keep it (the old renaming rewrote every string equal to the id).
    #[test]
    fn renames_rewrite_references_and_leave_text_that_spells_an_id() {
        let all: Document = serde_json::from_value(serde_json::json!({
            "format": "casevault-interchange",
            "version": 1,
            "cases": [{"id": "c-1", "title": "T", "status": "open",
                       "tags": ["p-17"], "notes": "p-17"}],
            "persons": [{"id": "p-17", "names": [{"name": "Данияр Молдашев", "kind": "primary"}],
                         "protected": true, "pseudonym": "Witness 7",
                         "case_roles": [{"case": "c-1", "role": "victim"}]}],
            "incidents": [{"id": "i-1", "case": "c-1", "title": "p-17", "act_type": "coercion_by_proxy",
                           "start": "2020", "description": "Written about p-17.",
                           "victims": ["p-17"], "witnesses": ["p-17"]}]
        }))
        .expect("document");
        let out = for_lawyers_with(&all, &["c-1".to_owned()], &[]).expect("redacts");
        assert_eq!(out.report.ids_renamed, 1);
        assert_eq!(out.redactor.id("p-17"), "redacted-1");
        assert_eq!(out.doc.persons[0].id, "redacted-1");
        let incident = &out.doc.incidents[0];
        assert_eq!(incident.victims, ["redacted-1"]);
        assert_eq!(incident.witnesses, ["redacted-1"]);
        assert_eq!(incident.title, "p-17");
        assert_eq!(incident.description, "Written about p-17.");
        assert_eq!(out.doc.cases[0].tags, ["p-17"]);
        assert_eq!(out.doc.cases[0].notes.as_deref(), Some("p-17"));
    }
}
