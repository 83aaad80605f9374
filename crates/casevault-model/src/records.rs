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
