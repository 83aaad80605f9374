//! The record types of the documentation model, as stored in the vault and
//! written in the interchange format. References between records are ids.
//!
//! Fields follow HURIDOCS' "who did what to whom" model (DOMAIN.md), with
//! what transnational-repression cases add: origin, host and third states,
//! wanted notices and extraditions, consent per audience.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::FuzzyDate;

/// A record id: 1–64 characters of `a-z`, `0-9` and `-`.
pub type Id = String;

/// The matter, usually one person at risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Id.
    pub id: Id,
    /// Short title.
    pub title: String,
    /// open, monitoring or closed.
    pub status: CaseStatus,
    /// The caseworker in charge.
    #[serde(default)]
    pub caseworker: Option<String>,
    /// low, medium, high or critical.
    #[serde(default)]
    pub risk: Option<RiskLevel>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The perpetrating state (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub origin_country: Option<String>,
    /// Where the person lives now.
    #[serde(default)]
    pub host_countries: Vec<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Case status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Being worked on.
    Open,
    /// Watched for new developments.
    Monitoring,
    /// Closed.
    Closed,
}

/// Risk to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// One name of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    /// The name as written, in any script.
    pub name: String,
    /// primary, alias, transliteration, passport, former, original_script.
    pub kind: NameKind,
}

/// What kind of name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The name the record is filed under.
    Primary,
    /// Another name the person is known by.
    Alias,
    /// A spelling in another script or romanisation.
    Transliteration,
    /// As in a passport.
    Passport,
    /// A former name.
    Former,
    /// In the original script.
    OriginalScript,
}

/// A person's role in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct CaseRole {
    /// The case.
    pub case: Id,
    /// A code from [`super::vocab::ROLES`].
    pub role: String,
}

/// A relationship to another person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    /// The other person.
    pub person: Id,
    /// In words: "brother", "colleague", "bodyguard".
    pub relation: String,
}

/// A victim, witness, relative, perpetrator or other person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Id.
    pub id: Id,
    /// Names: exactly one primary, then aliases and spellings.
    pub names: Vec<PersonName>,
    /// Birth date, possibly partial.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub birth_date: Option<FuzzyDate>,
    /// Citizenships (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub citizenships: Vec<String>,
    /// Occupation.
    #[serde(default)]
    pub occupation: Option<String>,
    /// Affiliation (party, movement, employer).
    #[serde(default)]
    pub affiliation: Option<String>,
    /// activist, journalist, former official, minority…
    #[serde(default)]
    pub target_category: Option<String>,
    /// refugee, asylum seeker, citizen…
    #[serde(default)]
    pub host_status: Option<String>,
    /// Shown only under the pseudonym outside the vault.
    #[serde(default)]
    pub protected: bool,
    /// Required when protected.
    #[serde(default)]
    pub pseudonym: Option<String>,
    /// Relationships to other persons.
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    /// Roles per case.
    #[serde(default)]
    pub case_roles: Vec<CaseRole>,
}

impl Person {
    /// The primary name.
    pub fn primary_name(&self) -> Option<&str> {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Primary)
            .map(|n| n.name.as_str())
    }
}

/// A security service, court, prosecutor, embassy, police, NGO or outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// A code from [`super::vocab::ORGANISATION_KINDS`].
    pub kind: String,
    /// Country (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub country: Option<String>,
}

/// Where something happened.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// As described.
    #[serde(default)]
    pub text: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Country (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub country: Option<String>,
}

/// Who is alleged to have acted, and how sure we are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Perpetrator {
    /// A person id, or…
    #[serde(default)]
    pub person: Option<Id>,
    /// …an organisation id.
    #[serde(default)]
    pub organisation: Option<Id>,
    /// A code from [`super::vocab::INVOLVEMENT`].
    pub involvement: String,
    /// A code from [`super::vocab::ATTRIBUTION`].
    pub attribution: String,
}

/// Something that happened to someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// Id.
    pub id: Id,
    /// The case it belongs to.
    pub case: Id,
    /// Short title.
    pub title: String,
    /// A code from [`super::vocab::ACT_TYPES`].
    pub act_type: String,
    /// When it started (or happened).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub start: FuzzyDate,
    /// When it ended, for things that lasted.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub end: Option<FuzzyDate>,
    /// IANA time zone or UTC offset, where known.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Where.
    #[serde(default)]
    pub place: Place,
    /// The perpetrating state.
    #[serde(default)]
    pub origin_state: Option<String>,
    /// Where the victim lived.
    #[serde(default)]
    pub host_state: Option<String>,
    /// Transit or lure countries.
    #[serde(default)]
    pub third_states: Vec<String>,
    /// What happened.
    #[serde(default)]
    pub description: String,
    /// Victims (person ids).
    #[serde(default)]
    pub victims: Vec<Id>,
    /// Alleged perpetrators.
    #[serde(default)]
    pub perpetrators: Vec<Perpetrator>,
    /// Witnesses (person ids).
    #[serde(default)]
    pub witnesses: Vec<Id>,
    /// Sources (source ids).
    #[serde(default)]
    pub sources: Vec<Id>,
    /// Related incidents.
    #[serde(default)]
    pub related: Vec<Id>,
}

/// A dated step in a proceeding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct KeyDate {
    /// "charged", "sentenced", "notice issued", "deleted"…
    pub label: String,
    /// When.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub date: FuzzyDate,
}

/// A criminal case, trial in absentia, extradition, wanted notice, CCF
/// request, asylum procedure or appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Proceeding {
    /// Id.
    pub id: Id,
    /// The case.
    pub case: Id,
    /// A code from [`super::vocab::PROCEEDING_KINDS`].
    pub kind: String,
    /// The state that acts (prosecutes, requests).
    #[serde(default)]
    pub requesting_state: Option<String>,
    /// The state asked to act.
    #[serde(default)]
    pub requested_state: Option<String>,
    /// Court or authority.
    #[serde(default)]
    pub authority: Option<String>,
    /// Case or notice number.
    #[serde(default)]
    pub reference: Option<String>,
    /// Charges.
    #[serde(default)]
    pub charges: Vec<String>,
    /// Key dates.
    #[serde(default)]
    pub dates: Vec<KeyDate>,
    /// Outcome in words ("20 years in absentia", "extradition refused").
    #[serde(default)]
    pub outcome: Option<String>,
    /// Codes from [`super::vocab::LEGAL_GROUNDS`].
    #[serde(default)]
    pub legal_grounds: Vec<String>,
    /// Related incidents.
    #[serde(default)]
    pub incidents: Vec<Id>,
    /// Persons concerned.
    #[serde(default)]
    pub persons: Vec<Id>,
}

/// Where information came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Id.
    pub id: Id,
    /// A code from [`super::vocab::SOURCE_TYPES`].
    pub source_type: String,
    /// Citation.
    pub citation: String,
    /// When it was accessed.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub accessed: Option<FuzzyDate>,
    /// Reliability of the source, A (reliable) to F (cannot be judged).
    #[serde(default)]
    pub reliability: Option<char>,
    /// Credibility of the information, 1 (confirmed) to 6 (cannot be judged).
    #[serde(default)]
    pub credibility: Option<u8>,
}

/// What the person agreed to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// To be recorded at all.
    pub record: bool,
    /// To be shared with lawyers.
    pub share_lawyers: bool,
    /// With courts.
    pub share_courts: bool,
    /// With UN mechanisms.
    pub share_un: bool,
    /// With media.
    pub share_media: bool,
    /// To be published.
    pub publish: bool,
    /// none (named), pseudonym, or full (anonymous).
    #[serde(default)]
    pub anonymity: Option<String>,
    /// When consent was withdrawn.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub withdrawn: Option<FuzzyDate>,
    /// When this consent was given (or last confirmed).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub given: Option<FuzzyDate>,
    /// Whether the person may be contacted; none when it was not asked.
    #[serde(default)]
    pub contact: Option<bool>,
}

/// A statement taken from a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Testimony {
    /// Id.
    pub id: Id,
    /// The case.
    pub case: Id,
    /// Who gave it.
    pub person: Id,
    /// Language (BCP 47, e.g. "ru", "kk", "en").
    pub language: String,
    /// When the interview took place.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub interview_date: Option<FuzzyDate>,
    /// Where.
    #[serde(default)]
    pub interview_place: Option<String>,
    /// in person, video, phone, written.
    #[serde(default)]
    pub mode: Option<String>,
    /// Who interviewed.
    #[serde(default)]
    pub interviewer: Option<String>,
    /// Who interpreted.
    #[serde(default)]
    pub interpreter: Option<String>,
    /// The statement.
    pub statement: String,
    /// Consent.
    pub consent: Consent,
}

/// Someone acting on the case: a lawyer's filing, a CCF request, a UN
/// urgent appeal, a police report, an asylum application, an embassy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    /// Id.
    pub id: Id,
    /// The case.
    pub case: Id,
    /// A code from [`super::vocab::INTERVENTION_ACTORS`].
    pub actor_kind: String,
    /// Who exactly (a name, an office, a mandate).
    #[serde(default)]
    pub actor: Option<String>,
    /// When it was made.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub date: Option<FuzzyDate>,
    /// What was asked.
    pub request: String,
    /// What came back.
    #[serde(default)]
    pub response: Option<String>,
    /// A code from [`super::vocab::INTERVENTION_STATUSES`].
    pub status: String,
}

/// Any one record, tagged with its kind: what an amendment sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum AnyRecord {
    /// A case.
    Case(Case),
    /// A person.
    Person(Person),
    /// An organisation.
    Organisation(Organisation),
    /// An incident.
    Incident(Incident),
    /// A proceeding.
    Proceeding(Proceeding),
    /// A source.
    Source(Source),
    /// A testimony.
    Testimony(Testimony),
    /// An intervention.
    Intervention(Intervention),
}

impl AnyRecord {
    /// The record kind as stored ("case", "person", …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Case(_) => "case",
            Self::Person(_) => "person",
            Self::Organisation(_) => "organisation",
            Self::Incident(_) => "incident",
            Self::Proceeding(_) => "proceeding",
            Self::Source(_) => "source",
            Self::Testimony(_) => "testimony",
            Self::Intervention(_) => "intervention",
        }
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Self::Case(r) => &r.id,
            Self::Person(r) => &r.id,
            Self::Organisation(r) => &r.id,
            Self::Incident(r) => &r.id,
            Self::Proceeding(r) => &r.id,
            Self::Source(r) => &r.id,
            Self::Testimony(r) => &r.id,
            Self::Intervention(r) => &r.id,
        }
    }
}

/// A reference from one record to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref<'a> {
    /// Where it sits, as a path through the record with list indices left
    /// out: `"case"`, `"victims"`, `"perpetrators.organisation"`.
    pub field: &'static str,
    /// The kind of record it must point at.
    pub kind: &'static str,
    /// The id it points at.
    pub id: &'a str,
}

/// A reference that can be rewritten in place (a merge repointing it, a
/// redaction renaming ids).
#[derive(Debug, PartialEq, Eq)]
pub struct RefMut<'a> {
    /// As [`Ref::field`].
    pub field: &'static str,
    /// As [`Ref::kind`].
    pub kind: &'static str,
    /// The id, to rewrite.
    pub id: &'a mut Id,
}

/// What every record type says about itself: its kind, its id, and the
/// records it refers to. This is the one place that decides which fields
/// are references; validation, merges, redaction renames and the trash
/// check all ask it instead of keeping their own field lists.
pub trait Record {
    /// The kind as stored (`"case"`, `"person"`…).
    const KIND: &'static str;
    /// The record's id.
    fn id(&self) -> &str;
    /// Every reference this record holds, in field order.
    fn refs(&self) -> Vec<Ref<'_>>;
    /// The same references as [`Record::refs`], in the same order, to rewrite.
    fn refs_mut(&mut self) -> Vec<RefMut<'_>>;
    /// The record's id, to rewrite (a redaction renaming ids).
    fn id_mut(&mut self) -> &mut Id;
    /// The cases this record belongs to: the ids its references to a case
    /// name (an incident's `case`, each of a person's `case_roles`), in
    /// field order, repeats kept. Derived from [`Record::refs`] so that
    /// "which cases hold this record" (the case list and view, trash
    /// checks, search filters, team spaces) is decided where references are.
    fn cases(&self) -> Vec<&str> {
        self.refs()
            .into_iter()
            .filter(|r| r.kind == Case::KIND)
            .map(|r| r.id)
            .collect()
    }
}

fn one<'a>(field: &'static str, kind: &'static str, id: &'a Id) -> Ref<'a> {
    Ref { field, kind, id }
}

fn one_mut<'a>(field: &'static str, kind: &'static str, id: &'a mut Id) -> RefMut<'a> {
    RefMut { field, kind, id }
}

impl Record for Case {
    const KIND: &'static str = "case";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        Vec::new()
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        Vec::new()
    }
}

impl Record for Person {
    const KIND: &'static str = "person";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        let related = self.relationships.iter();
        let roles = self.case_roles.iter();
        related
            .map(|r| one("relationships.person", "person", &r.person))
            .chain(roles.map(|r| one("case_roles.case", "case", &r.case)))
            .collect()
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        let related = self.relationships.iter_mut();
        let roles = self.case_roles.iter_mut();
        related
            .map(|r| one_mut("relationships.person", "person", &mut r.person))
            .chain(roles.map(|r| one_mut("case_roles.case", "case", &mut r.case)))
            .collect()
    }
}

impl Record for Organisation {
    const KIND: &'static str = "organisation";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        Vec::new()
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        Vec::new()
    }
}

impl Record for Incident {
    const KIND: &'static str = "incident";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        let mut out = vec![one("case", "case", &self.case)];
        out.extend(self.victims.iter().map(|x| one("victims", "person", x)));
        out.extend(self.witnesses.iter().map(|x| one("witnesses", "person", x)));
        out.extend(self.sources.iter().map(|x| one("sources", "source", x)));
        out.extend(self.related.iter().map(|x| one("related", "incident", x)));
        for p in &self.perpetrators {
            out.extend(
                p.person
                    .iter()
                    .map(|x| one("perpetrators.person", "person", x)),
            );
            out.extend(
                p.organisation
                    .iter()
                    .map(|x| one("perpetrators.organisation", "organisation", x)),
            );
        }
        out
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        let mut out = vec![one_mut("case", "case", &mut self.case)];
        out.extend(
            self.victims
                .iter_mut()
                .map(|x| one_mut("victims", "person", x)),
        );
        out.extend(
            self.witnesses
                .iter_mut()
                .map(|x| one_mut("witnesses", "person", x)),
        );
        out.extend(
            self.sources
                .iter_mut()
                .map(|x| one_mut("sources", "source", x)),
        );
        out.extend(
            self.related
                .iter_mut()
                .map(|x| one_mut("related", "incident", x)),
        );
        for p in &mut self.perpetrators {
            out.extend(
                p.person
                    .iter_mut()
                    .map(|x| one_mut("perpetrators.person", "person", x)),
            );
            out.extend(
                p.organisation
                    .iter_mut()
                    .map(|x| one_mut("perpetrators.organisation", "organisation", x)),
            );
        }
        out
    }
}

impl Record for Proceeding {
    const KIND: &'static str = "proceeding";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        let mut out = vec![one("case", "case", &self.case)];
        out.extend(
            self.incidents
                .iter()
                .map(|x| one("incidents", "incident", x)),
        );
        out.extend(self.persons.iter().map(|x| one("persons", "person", x)));
        out
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        let mut out = vec![one_mut("case", "case", &mut self.case)];
        out.extend(
            self.incidents
                .iter_mut()
                .map(|x| one_mut("incidents", "incident", x)),
        );
        out.extend(
            self.persons
                .iter_mut()
                .map(|x| one_mut("persons", "person", x)),
        );
        out
    }
}

impl Record for Source {
    const KIND: &'static str = "source";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        Vec::new()
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        Vec::new()
    }
}

impl Record for Testimony {
    const KIND: &'static str = "testimony";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        vec![
            one("case", "case", &self.case),
            one("person", "person", &self.person),
        ]
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        vec![
            one_mut("case", "case", &mut self.case),
            one_mut("person", "person", &mut self.person),
        ]
    }
}

impl Record for Intervention {
    const KIND: &'static str = "intervention";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut Id {
        &mut self.id
    }
    fn refs(&self) -> Vec<Ref<'_>> {
        vec![one("case", "case", &self.case)]
    }
    fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        vec![one_mut("case", "case", &mut self.case)]
    }
}

impl AnyRecord {
    /// The record's references (see [`Record::refs`]).
    pub fn refs(&self) -> Vec<Ref<'_>> {
        match self {
            Self::Case(r) => r.refs(),
            Self::Person(r) => r.refs(),
            Self::Organisation(r) => r.refs(),
            Self::Incident(r) => r.refs(),
            Self::Proceeding(r) => r.refs(),
            Self::Source(r) => r.refs(),
            Self::Testimony(r) => r.refs(),
            Self::Intervention(r) => r.refs(),
        }
    }

    /// The cases the record belongs to (see [`Record::cases`]).
    pub fn cases(&self) -> Vec<&str> {
        match self {
            Self::Case(r) => r.cases(),
            Self::Person(r) => r.cases(),
            Self::Organisation(r) => r.cases(),
            Self::Incident(r) => r.cases(),
            Self::Proceeding(r) => r.cases(),
            Self::Source(r) => r.cases(),
            Self::Testimony(r) => r.cases(),
            Self::Intervention(r) => r.cases(),
        }
    }

    /// A stored record read as its kind's type: `None` for a kind that is
    /// no record type, or data that does not read as it (the store holds
    /// any JSON under any kind; such a record refers to nothing and
    /// belongs to no case, because no operation can read it either).
    pub fn from_stored(kind: &str, data: &str) -> Option<Self> {
        fn read<T: serde::de::DeserializeOwned>(data: &str) -> Option<T> {
            serde_json::from_str(data).ok()
        }
        Some(match kind {
            Case::KIND => Self::Case(read(data)?),
            Person::KIND => Self::Person(read(data)?),
            Organisation::KIND => Self::Organisation(read(data)?),
            Incident::KIND => Self::Incident(read(data)?),
            Proceeding::KIND => Self::Proceeding(read(data)?),
            Source::KIND => Self::Source(read(data)?),
            Testimony::KIND => Self::Testimony(read(data)?),
            Intervention::KIND => Self::Intervention(read(data)?),
            _ => return None,
        })
    }

    /// The record's references, to rewrite (see [`Record::refs_mut`]).
    pub fn refs_mut(&mut self) -> Vec<RefMut<'_>> {
        match self {
            Self::Case(r) => r.refs_mut(),
            Self::Person(r) => r.refs_mut(),
            Self::Organisation(r) => r.refs_mut(),
            Self::Incident(r) => r.refs_mut(),
            Self::Proceeding(r) => r.refs_mut(),
            Self::Source(r) => r.refs_mut(),
            Self::Testimony(r) => r.refs_mut(),
            Self::Intervention(r) => r.refs_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// One record of each kind with every field set (lists with two
    /// entries), each reference pointing at an id of its own.
    fn full_records() -> Vec<(&'static str, Value)> {
        vec![
            (
                "case",
                json!({"id": "c-1", "title": "T", "status": "open", "caseworker": "W",
                   "risk": "high", "tags": ["tag"], "origin_country": "KZ",
                   "host_countries": ["DE"], "notes": "N"}),
            ),
            (
                "person",
                json!({"id": "p-1", "names": [{"name": "A", "kind": "primary"}],
                   "birth_date": "1980", "citizenships": ["KZ"], "occupation": "O",
                   "affiliation": "A", "target_category": "journalist", "host_status": "refugee",
                   "protected": true, "pseudonym": "P",
                   "relationships": [{"person": "r-rel-1", "relation": "brother"},
                                     {"person": "r-rel-2", "relation": "sister"}],
                   "case_roles": [{"case": "r-role-1", "role": "victim"},
                                  {"case": "r-role-2", "role": "witness"}]}),
            ),
            (
                "organisation",
                json!({"id": "o-1", "name": "N", "kind": "police", "country": "KZ"}),
            ),
            (
                "incident",
                json!({"id": "i-1", "case": "r-case", "title": "T", "act_type": "threat",
                   "start": "2020", "end": "2021", "timezone": "Asia/Almaty",
                   "place": {"text": "X", "city": "Y", "country": "KZ"},
                   "origin_state": "KZ", "host_state": "DE", "third_states": ["TR"],
                   "description": "D",
                   "victims": ["r-vic-1", "r-vic-2"],
                   "perpetrators": [
                       {"person": "r-perp-p", "involvement": "direct", "attribution": "confirmed"},
                       {"organisation": "r-perp-o", "involvement": "direct", "attribution": "alleged"}],
                   "witnesses": ["r-wit-1", "r-wit-2"], "sources": ["r-src-1", "r-src-2"],
                   "related": ["r-rel-1", "r-rel-2"]}),
            ),
            (
                "proceeding",
                json!({"id": "pr-1", "case": "r-case", "kind": "extradition",
                   "requesting_state": "KZ", "requested_state": "DE", "authority": "A",
                   "reference": "R", "charges": ["C"], "dates": [{"label": "L", "date": "2020"}],
                   "outcome": "O", "legal_grounds": ["G"],
                   "incidents": ["r-inc-1", "r-inc-2"], "persons": ["r-per-1", "r-per-2"]}),
            ),
            (
                "source",
                json!({"id": "s-1", "source_type": "news", "citation": "C", "accessed": "2020",
                   "reliability": "B", "credibility": 2}),
            ),
            (
                "testimony",
                json!({"id": "t-1", "case": "r-case", "person": "r-person", "language": "ru",
                   "interview_date": "2020", "interview_place": "P", "mode": "in_person",
                   "interviewer": "I", "interpreter": "J", "statement": "S",
                   "consent": {"record": true, "share_lawyers": true, "share_courts": true,
                               "share_un": true, "share_media": true, "publish": true,
                               "anonymity": "full", "withdrawn": "2021", "given": "2020",
                               "contact": true}}),
            ),
            (
                "intervention",
                json!({"id": "iv-1", "case": "r-case", "actor_kind": "un", "actor": "A",
                   "date": "2020", "request": "R", "response": "S", "status": "pending"}),
            ),
        ]
    }

    /// The text fields that are not references, by kind: anything else a
    /// record holds as text must be reported by `refs()`.
    const NOT_REFERENCES: &[(&str, &[&str])] = &[
        (
            "case",
            &[
                "title",
                "status",
                "caseworker",
                "risk",
                "tags",
                "origin_country",
                "host_countries",
                "notes",
            ],
        ),
        (
            "person",
            &[
                "names.name",
                "names.kind",
                "birth_date",
                "citizenships",
                "occupation",
                "affiliation",
                "target_category",
                "host_status",
                "pseudonym",
                "relationships.relation",
                "case_roles.role",
            ],
        ),
        ("organisation", &["name", "kind", "country"]),
        (
            "incident",
            &[
                "title",
                "act_type",
                "start",
                "end",
                "timezone",
                "place.text",
                "place.city",
                "place.country",
                "origin_state",
                "host_state",
                "third_states",
                "description",
                "perpetrators.involvement",
                "perpetrators.attribution",
            ],
        ),
        (
            "proceeding",
            &[
                "kind",
                "requesting_state",
                "requested_state",
                "authority",
                "reference",
                "charges",
                "dates.label",
                "dates.date",
                "outcome",
                "legal_grounds",
            ],
        ),
        (
            "source",
            &["source_type", "citation", "accessed", "reliability"],
        ),
        (
            "testimony",
            &[
                "language",
                "interview_date",
                "interview_place",
                "mode",
                "interviewer",
                "interpreter",
                "statement",
                "consent.anonymity",
                "consent.withdrawn",
                "consent.given",
            ],
        ),
        (
            "intervention",
            &[
                "actor_kind",
                "actor",
                "date",
                "request",
                "response",
                "status",
            ],
        ),
    ];

    /// Every text leaf as (path without list indices, value).
    fn text_leaves(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
        match value {
            Value::String(s) => out.push((path.to_owned(), s.clone())),
            Value::Array(items) => items.iter().for_each(|v| text_leaves(v, path, out)),
            Value::Object(map) => {
                for (k, v) in map {
                    let inner = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    text_leaves(v, &inner, out);
                }
            }
            _ => {}
        }
    }

    /// The first `$ref` to a definition with properties inside `schema`.
    fn object_def<'s>(schema: &Value, defs: &'s Value) -> Option<&'s Value> {
        match schema {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let def = &defs[r.trim_start_matches("#/$defs/")];
                    if def.get("properties").is_some() {
                        return Some(def);
                    }
                }
                map.values().find_map(|v| object_def(v, defs))
            }
            Value::Array(items) => items.iter().find_map(|v| object_def(v, defs)),
            _ => None,
        }
    }

    /// The fixture sets every property the interchange schema gives the
    /// type, at every depth (in at least one entry of a list), so a field
    /// added later cannot hide from the reference check below.
    fn assert_every_property_set(objects: &[&Value], def: &Value, defs: &Value, at: &str) {
        let Value::Object(props) = &def["properties"] else {
            panic!("{at}: no properties")
        };
        for (name, schema) in props {
            let set: Vec<&Value> = objects
                .iter()
                .map(|o| &o[name])
                .filter(|v| !v.is_null())
                .collect();
            assert!(
                !set.is_empty(),
                "{at}.{name} is in the schema but not set in the fixture: set it, and say whether it is a reference"
            );
            if let Some(inner) = object_def(schema, defs) {
                let nested: Vec<&Value> = set
                    .into_iter()
                    .flat_map(|v| match v {
                        Value::Array(items) => items.iter().collect(),
                        other => vec![other],
                    })
                    .collect();
                assert_every_property_set(&nested, inner, defs, &format!("{at}.{name}"));
            }
        }
    }

    /// (field, id) pairs, as `refs()` and as `refs_mut()` report them.
    type Pairs = Vec<(String, String)>;

    fn refs_of(kind: &str, value: Value) -> (Pairs, Pairs) {
        fn both<R: Record + serde::de::DeserializeOwned>(value: Value) -> (Pairs, Pairs) {
            let mut r: R = serde_json::from_value(value).expect("fixture matches the type");
            let refs = r
                .refs()
                .iter()
                .map(|x| (x.field.to_owned(), x.id.to_owned()))
                .collect();
            let refs_mut = r
                .refs_mut()
                .into_iter()
                .map(|x| (x.field.to_owned(), x.id.clone()))
                .collect();
            (refs, refs_mut)
        }
        match kind {
            "case" => both::<Case>(value),
            "person" => both::<Person>(value),
            "organisation" => both::<Organisation>(value),
            "incident" => both::<Incident>(value),
            "proceeding" => both::<Proceeding>(value),
            "source" => both::<Source>(value),
            "testimony" => both::<Testimony>(value),
            "intervention" => both::<Intervention>(value),
            other => panic!("no record type {other}"),
        }
    }

    /// For every record type, `refs()` reports every reference field, and
    /// `refs_mut()` the same ones in the same order: a field left out
    /// would be missed by validation, merges, renames and the trash check.
    #[test]
    fn refs_report_every_reference_of_every_record_type() {
        let schema = serde_json::to_value(schemars::schema_for!(crate::interchange::Document))
            .expect("schema");
        let defs = &schema["$defs"];
        let mut kinds_seen = Vec::new();
        for (kind, value) in full_records() {
            let def_name = {
                let mut c = kind.chars();
                let first = c.next().expect("kind").to_ascii_uppercase();
                format!("{first}{}", c.as_str())
            };
            assert_every_property_set(&[&value], &defs[&def_name], defs, kind);

            let not_refs = NOT_REFERENCES
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, f)| *f)
                .expect("every kind is listed");
            let mut leaves = Vec::new();
            text_leaves(&value, "", &mut leaves);
            let mut want: Vec<(String, String)> = leaves
                .into_iter()
                .filter(|(path, _)| path != "id" && !not_refs.contains(&path.as_str()))
                .collect();
            want.sort();

            let (refs, refs_mut) = refs_of(kind, value);
            assert_eq!(refs, refs_mut, "{kind}: refs_mut differs from refs");
            let mut got = refs;
            got.sort();
            assert_eq!(got, want, "{kind}: refs() is not every reference");
            kinds_seen.push(kind);
        }
        assert_eq!(kinds_seen, crate::interchange::KINDS);
    }

    /// Rewriting through `refs_mut()` changes the record itself.
    #[test]
    fn refs_mut_rewrites_the_record() {
        let (_, value) = full_records().swap_remove(3);
        let mut incident: Incident = serde_json::from_value(value).expect("fixture");
        for r in incident.refs_mut() {
            if r.kind == "person" {
                *r.id = "p-new".to_owned();
            }
        }
        assert_eq!(incident.victims, ["p-new", "p-new"]);
        assert_eq!(incident.witnesses, ["p-new", "p-new"]);
        assert_eq!(incident.perpetrators[0].person.as_deref(), Some("p-new"));
        assert_eq!(
            incident.perpetrators[1].organisation.as_deref(),
            Some("r-perp-o")
        );
        assert_eq!(incident.case, "r-case");
    }

    /// The cases of each record type: its case field, a person's roles,
    /// and nothing for the types outside cases. Text that spells a case
    /// id elsewhere in a record (a tag, a pseudonym) puts it in no case.
    #[test]
    fn cases_are_the_references_to_a_case() {
        let want: &[(&str, &[&str])] = &[
            ("case", &[]),
            ("person", &["r-role-1", "r-role-2"]),
            ("organisation", &[]),
            ("incident", &["r-case"]),
            ("proceeding", &["r-case"]),
            ("source", &[]),
            ("testimony", &["r-case"]),
            ("intervention", &["r-case"]),
        ];
        for ((kind, value), (want_kind, want_cases)) in full_records().into_iter().zip(want) {
            assert_eq!(kind, *want_kind);
            let record = AnyRecord::from_stored(kind, &value.to_string()).expect("reads");
            assert_eq!(record.kind(), kind);
            assert_eq!(record.cases(), *want_cases, "{kind}");
        }
        let person = AnyRecord::from_stored(
            "person",
            r#"{"id": "p-1", "names": [{"name": "A", "kind": "primary"}], "pseudonym": "c-9",
                "case_roles": [{"case": "c-1", "role": "victim"}, {"case": "c-1", "role": "witness"}]}"#,
        )
        .expect("reads");
        assert_eq!(person.cases(), ["c-1", "c-1"]);
    }

    /// What the store may hold that is no readable record reads as none.
    #[test]
    fn from_stored_refuses_other_kinds_and_unreadable_data() {
        assert_eq!(AnyRecord::from_stored("note", r#"{"case": "c-1"}"#), None);
        assert_eq!(
            AnyRecord::from_stored("incident", r#"{"id": "i-1", "case": "c-1"}"#),
            None
        );
        assert_eq!(AnyRecord::from_stored("case", "not json"), None);
    }
}
