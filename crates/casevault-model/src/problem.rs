//! Validation problems as data: a stable code and its parameters, so each
//! surface says them in its own language. The CLI prints the English text
//! of [`Problem`]'s `Display`; the app translates `problems.<code>` with the
//! same parameters. Nothing branches on the English.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// What is wrong, as a stable code. Never rename one: add new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemCode {
    /// An id is not 1-64 characters of a-z, 0-9 and -.
    IdFormat,
    /// Two records of the file share an id.
    IdDuplicateInFile,
    /// The id is taken in the vault. Params: none.
    IdExistsInVault,
    /// A reference points at a trashed record. Params: `want`, `target`.
    ReferenceTrashed,
    /// A reference points at a record of another kind. Params: `target`,
    /// `kind`, `want`.
    ReferenceWrongKind,
    /// A reference points at nothing. Params: `want`, `target`.
    ReferenceMissing,
    /// A required text is empty.
    Required,
    /// A short text is too long. Params: `max` (characters), and
    /// `count` (the text's length) when it is known.
    TooLong,
    /// A long text is too large. Params: `size_mb`, `max_mb`.
    TooLarge,
    /// Not an ISO 3166 country code. Params: `value`.
    NotACountry,
    /// A person needs exactly one primary name. Params: `found`.
    PrimaryNameCount,
    /// A protected person needs a pseudonym.
    PseudonymRequired,
    /// Not a term of the vocabulary. Params: `value`, `vocabulary`, and
    /// when a term is close, `suggestion` (its code) and `suggestion_label`
    /// (its English label; the app shows its own language's label).
    UnknownTerm,
    /// The end date is before the start.
    EndBeforeStart,
    /// A perpetrator must be a person or an organisation, not both or none.
    PerpetratorKind,
    /// Source reliability is not A-F.
    ReliabilityRange,
    /// Information credibility is not 1-6.
    CredibilityRange,
    /// Not a level of anonymity. Params: `value`.
    AnonymityLevel,
    /// An intervention must say what was asked.
    RequestRequired,
    /// Invisible control or text-direction characters. Params: `codepoint`
    /// (U+XXXX), `direction` ("true" for a text-direction control).
    RefusedCharacter,
    /// The import file is too big. Params: `size_mb`, `max_mb`.
    FileTooLarge,
    /// The import file is not UTF-8. Params: `offset`.
    FileNotUtf8,
    /// The import file is not JSON. Params: `detail` (the parser's words).
    FileNotJson,
    /// The file is not a Casevault interchange file. Params: `format`.
    FileWrongFormat,
    /// A value has the wrong type or shape. Params: `detail`.
    FileWrongShape,
    /// A self-report answer is missing or wrong (the field is
    /// `step.field`). Params: `message` (the questionnaire's own words,
    /// which the app shows per field already).
    ReportAnswer,

    // Refusals of a single value (`Error::InvalidInput`). Their messages
    // name an action, never a screen or a command, so they read right in
    // the app and in the CLI; the CLI adds its own hint line.
    /// Nothing has this id. Params: `what` (record, case, person,
    /// organisation, incident, proceeding, source, testimony,
    /// intervention, contact, attachment, report, file), `id`.
    NotFound,
    /// A record's kind cannot change. Params: `id`, `kind`, `want`.
    KindCannotChange,
    /// A change that is kept in the history needs a reason.
    ReasonRequired,
    /// A person cannot be merged with itself.
    SamePerson,
    /// Not one of the accepted values. Params: `value`, `allowed`
    /// (the values, comma-separated, as typed).
    NotOneOf,
    /// The record is in the trash. Params: `id`.
    InTrash,
    /// The record is in the trash already. Params: `id`.
    AlreadyInTrash,
    /// The record is not in the trash. Params: `id`.
    NotInTrash,
    /// A team space's name is empty, too long, padded or has control
    /// characters. Params: `max`.
    SpaceName,
    /// This vault already has a space of that name. Params: `name`.
    SpaceExists,
    /// A member's name is empty, too long or has control characters.
    /// Params: `max`.
    MemberName,
    /// The case is already shared in another space. Params: `case`.
    CaseInOtherSpace,
    /// A record a space member sent was refused and not applied. Params:
    /// `detail` (English, what was wrong).
    RefusedFromMember,
    /// The space is unloaded from this device (travel mode): reload it
    /// first, or it is unloaded already. Params: `name`.
    SpaceUnloaded,
    /// The space is loaded: only an unloaded space can be reloaded.
    /// Params: `name`.
    SpaceLoaded,
    /// Unloading would lose changes not yet synced (records not sent, or
    /// evidence files, which do not travel yet). Params: `name`, `count`.
    SpaceUnsynced,
    /// A team-space record that has no concurrent versions to review (any
    /// more: a member may have resolved it, and the sync brought that).
    /// Params: `id`.
    NotInConflict,
    /// The proposed merge of a conflict cannot be used: both sides changed
    /// these fields in overlapping ways. Params: `id`, `fields`
    /// (comma-separated).
    MergeOverlaps,
    /// A conflict's versions changed since the person reviewed them (a
    /// sync brought another, or a member resolved it): the choice was
    /// made on what is no longer there. Params: `id`.
    ConflictChanged,
    /// A restored record would refer to trashed ones. Params: `id`,
    /// `targets` (English: kinds and ids), `ids` (the ids alone,
    /// comma-separated).
    RestoreReferencesFirst,
    /// A trashed record would leave references dangling. Params: `id`,
    /// `by` (English: kinds and ids), `ids` (the ids alone,
    /// comma-separated).
    StillReferredTo,
    /// An export leaves out records that others in it refer to. Params:
    /// `ids` (the records that leave), `targets` (those left out).
    LeftOutStillReferred,
    /// A change that would write nothing.
    Unchanged,
    /// The vault has no intake key to open self-reports with.
    NoIntakeKey,
    /// The vault has no key to open bundles with.
    NoIdentity,
    /// A bundle that is not a self-report, given as one. Params: `kind`.
    NotASelfReport,
    /// A self-report given as a case export. Params: `kind`.
    NotACaseExport,
    /// Not an encrypted Casevault bundle. Params: `detail` (optional,
    /// English).
    NotABundle,
    /// The bundle is sealed with a passphrase, and none was given.
    BundleNeedsPassphrase,
    /// The bundle is sealed to keys, and a passphrase was given.
    BundleNeedsKey,
    /// The bundle or report came in before. Params: `id`, and for a
    /// report in the inbox `date`, `status` (pending, accepted, rejected)
    /// and `case` (when accepted).
    AlreadyReceived,
    /// The file changed between review and import. Params: `found`,
    /// `reviewed` (bundle ids).
    BundleChangedSinceReview,
    /// An intake report was accepted already. Params: `case`.
    ReportAlreadyAccepted,
    /// An intake report was rejected.
    ReportAlreadyRejected,
    /// A file too large to show from a bundle. Params: `name`, `max_mb`.
    PreviewTooLarge,
    /// A file's metadata cannot be removed for an export. Params: `name`
    /// and `detail` (English), each optional.
    MetadataNotRemovable,
    /// An export without a case.
    NoCaseChosen,
    /// Sealing without a recipient or passphrase.
    NoRecipient,
    /// A public key is damaged or incomplete. Params: `detail` (optional,
    /// English).
    KeyDamaged,
    /// No public key was given.
    KeyRequired,
    /// A secret key where a public one belongs.
    KeyIsSecret,
    /// A key of a kind Casevault cannot seal to. Params: `ssh` ("true"
    /// for an SSH key of another type; optional).
    KeyUnsupported,
    /// Not an age secret key (or a public one where the secret belongs).
    SecretKeyInvalid,
    /// The key is in the vault already. Params: `contact` when a contact
    /// holds it.
    KeyAlreadyPresent,
    /// A name or label of the wrong length. Params: `max`.
    LengthRange,
    /// A form's draft key is malformed (a bug in the form).
    DraftKeyFormat,
    /// A record kind is malformed (a bug in the caller).
    KindFormat,
    /// A number outside its range. Params: `min`, `max`.
    OutOfRange,
    /// A path that does not exist. Params: `path`.
    FileMissing,
    /// A folder where a file belongs. Params: `path`.
    FileIsFolder,
    /// A file that cannot be read. Params: `path`.
    FileUnreadable,
    /// A file that is not text. Params: `path`, `what` (English, what
    /// the file should be; optional).
    FileNotText,
    /// A file too large for what it should be. Params: `path`, `max`
    /// (with its unit, "64 KiB"), `what` (English; optional).
    FileTooBigForKind,
    /// A file that grew while it was read. Params: `path` (optional).
    FileGrew,
    /// A file too large to attach. Params: `path`, `size_gib`, `max_gib`.
    AttachmentTooLarge,
    /// Too many files on one report. Params: `max`.
    TooManyFiles,
    /// Not an MVT JSON report. Params: `detail` (English).
    NotMvt,
    /// A questionnaire file that does not parse. Params: `path`, `detail`
    /// (English).
    NotAQuestionnaire,
    /// A vault's mode is fixed once it holds records.
    ModeFixed,
    /// A path that is not UTF-8.
    PathNotUtf8,
    /// A relative path where a full one belongs. Params: `example`, and
    /// `what` (English; optional).
    PathNotAbsolute,
    /// Not a Casevault custody checkpoint or its signature.
    NotACheckpoint,
    /// A search the full-text engine cannot parse.
    QuerySyntax,
    /// Two entries of a new secret differ.
    EntriesDiffer,
    /// No terminal to ask for a secret on. Params: `sources`, `what`
    /// (English; optional).
    NoTerminal,
    /// Two options that exclude each other. Params: `first`, `second`.
    NotBoth,
    /// One of two options is needed. Params: `first`, `second`.
    EitherOption,
    /// A `PERSON-ID=PSEUDONYM` pair is malformed. Params: `value`.
    ProtectFormat,
    /// A date's year out of range. Params: `min`, `max`.
    DateYearRange,
    /// A day without a month.
    DateDayNeedsMonth,
    /// A time without a day. Params: `suggestion` (the date with a day
    /// and the time), `without_time`.
    DateTimeNeedsDay,
    /// A month or day that does not exist.
    DateNoSuchDay,
    /// A time past 23:59.
    DateTimeRange,
    /// A range whose start is after its end.
    DateRangeReversed,
    /// A word that is not part of a date. Params: `part`.
    DateUnreadable,
    /// A date without a year.
    DateNoYear,
    /// Not a YYYY-MM-DD date.
    DateFormat,
}

impl ProblemCode {
    /// A problem of this code with one parameter (more with
    /// [`Problem::with`]).
    pub fn with(self, name: &str, value: impl ToString) -> Problem {
        Problem::from(self).with(name, value)
    }
}

impl From<ProblemCode> for Problem {
    /// A problem of one value, not of a record's field: the field is said
    /// by the error that carries it.
    fn from(code: ProblemCode) -> Self {
        Problem::of_file("", code)
    }
}

/// [`ProblemCode::NotFound`]: nothing of kind `what` has `id`.
pub fn not_found(what: &str, id: &str) -> Problem {
    ProblemCode::NotFound.with("what", what).with("id", id)
}

/// `value`, or `default` when it is empty.
fn or<'a>(value: &'a str, default: &'a str) -> &'a str {
    if value.is_empty() { default } else { value }
}

/// "a" or "an" before an English word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

const DATE_HINT: &str = "write it like \"March 2008\", \"2007\", \"1997-12-01 approx 22:30\", \"15.03.2008\", \"between 2008-01 and 2008-03\" or \"unknown\"";

/// One problem with one field of one record (or of the file as a whole,
/// when `record` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// The record kind ("incident"), or "" for the file.
    pub record: String,
    /// The record's id, or "".
    pub id: String,
    /// The field, as a path ("perpetrators.attribution"), or "".
    pub field: String,
    /// What is wrong.
    pub code: ProblemCode,
    /// The values the message needs, by name (see [`ProblemCode`]).
    pub params: BTreeMap<String, String>,
}

impl Problem {
    /// A problem with no parameters.
    pub fn new(record: &str, id: &str, field: &str, code: ProblemCode) -> Self {
        Self {
            record: record.to_owned(),
            id: id.to_owned(),
            field: field.to_owned(),
            code,
            params: BTreeMap::new(),
        }
    }

    /// A problem of the file as a whole.
    pub fn of_file(field: &str, code: ProblemCode) -> Self {
        Self::new("", "", field, code)
    }

    /// Adds a parameter.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    /// The English message, without the record and field.
    pub fn message(&self) -> String {
        let p = |n| self.param(n);
        match self.code {
            ProblemCode::IdFormat => "ids are 1-64 characters of a-z, 0-9 and -".into(),
            ProblemCode::IdDuplicateInFile => "is used by more than one record in this file".into(),
            ProblemCode::IdExistsInVault => {
                "already exists in this vault (was this file imported before?)".into()
            }
            ProblemCode::ReferenceTrashed => format!(
                "{} \"{}\" is in the trash; restore it first",
                p("want"),
                p("target")
            ),
            ProblemCode::ReferenceWrongKind => format!(
                "\"{}\" is of kind {}, not {}",
                p("target"),
                p("kind"),
                p("want")
            ),
            ProblemCode::ReferenceMissing => format!(
                "refers to {} \"{}\", which is neither in the file nor in the vault",
                p("want"),
                p("target")
            ),
            ProblemCode::Required => "is empty; it is required".into(),
            ProblemCode::TooLong if !p("count").is_empty() => format!(
                "is {} characters long; use at most {}",
                p("count"),
                p("max")
            ),
            ProblemCode::TooLong => format!("is longer than {} characters", p("max")),
            ProblemCode::TooLarge => {
                format!("is {} MB; the limit is {} MB", p("size_mb"), p("max_mb"))
            }
            ProblemCode::NotACountry => format!(
                "\"{}\" is not an ISO 3166 country code (two capital letters, e.g. KZ)",
                p("value")
            ),
            ProblemCode::PrimaryNameCount => {
                format!("needs exactly one primary name, found {}", p("found"))
            }
            ProblemCode::PseudonymRequired => "a protected person needs a pseudonym".into(),
            ProblemCode::UnknownTerm => {
                let mut s = format!("\"{}\" is not a known {}.", p("value"), p("vocabulary"));
                if !p("suggestion").is_empty() {
                    s.push_str(&format!(
                        " Did you mean \"{}\" ({})?",
                        p("suggestion"),
                        p("suggestion_label")
                    ));
                }
                s
            }
            ProblemCode::EndBeforeStart => "is before the start".into(),
            ProblemCode::PerpetratorKind => {
                "each perpetrator is either a person or an organisation".into()
            }
            ProblemCode::ReliabilityRange => {
                "must be a letter from A (reliable) to F (cannot be judged)".into()
            }
            ProblemCode::CredibilityRange => {
                "must be a number from 1 (confirmed) to 6 (cannot be judged)".into()
            }
            ProblemCode::AnonymityLevel => format!(
                "\"{}\" is not a level of anonymity; use none (named), pseudonym or full (anonymous)",
                p("value")
            ),
            ProblemCode::RequestRequired => "say what was asked".into(),
            ProblemCode::RefusedCharacter => format!(
                "contains {} ({}), which can make the text show something other than it holds; remove it",
                if p("direction") == "true" {
                    "an invisible text-direction control"
                } else {
                    "an invisible control character"
                },
                p("codepoint")
            ),
            ProblemCode::FileTooLarge => format!(
                "the file is {} MB; the limit is {} MB",
                p("size_mb"),
                p("max_mb")
            ),
            ProblemCode::FileNotUtf8 => format!(
                "the file is not UTF-8 text (bad byte at offset {}); save it as UTF-8 JSON",
                p("offset")
            ),
            ProblemCode::FileNotJson => format!("the file is not valid JSON: {}", p("detail")),
            ProblemCode::FileWrongFormat => format!(
                "this is not a Casevault interchange file (\"format\" must be \"{}\")",
                p("format")
            ),
            ProblemCode::FileWrongShape => p("detail").to_owned(),
            ProblemCode::ReportAnswer => p("message").to_owned(),
            ProblemCode::NotFound => format!("there is no {} \"{}\"", p("what"), p("id")),
            ProblemCode::KindCannotChange => format!(
                "\"{}\" is {} {}, not {} {}; its kind cannot change",
                p("id"),
                article(p("kind")),
                p("kind"),
                article(p("want")),
                p("want")
            ),
            ProblemCode::ReasonRequired => {
                "say why; the reason is kept in the record's history".into()
            }
            ProblemCode::SamePerson => "choose two different persons".into(),
            ProblemCode::NotOneOf => {
                format!("\"{}\" is not one of {}", p("value"), p("allowed"))
            }
            ProblemCode::InTrash => {
                format!("\"{}\" is in the trash; restore it first", p("id"))
            }
            ProblemCode::AlreadyInTrash => format!("\"{}\" is already in the trash", p("id")),
            ProblemCode::NotInTrash => format!("\"{}\" is not in the trash", p("id")),
            ProblemCode::SpaceName => format!(
                "a space name is 1-{} characters, without control characters or leading or trailing spaces",
                p("max")
            ),
            ProblemCode::SpaceExists => {
                format!("there is already a space \"{}\"; choose another name", p("name"))
            }
            ProblemCode::MemberName => format!(
                "a member's name is 1-{} characters without control characters",
                p("max")
            ),
            ProblemCode::RefusedFromMember => {
                format!("{}; it was not applied", p("detail"))
            }
            ProblemCode::SpaceUnloaded => format!(
                "space \"{}\" is unloaded from this device; reload it from the remote first",
                p("name")
            ),
            ProblemCode::SpaceLoaded => format!(
                "space \"{}\" is loaded on this device; only an unloaded space can be reloaded",
                p("name")
            ),
            ProblemCode::SpaceUnsynced => format!(
                "space \"{}\" has {} change(s) or evidence file(s) not yet on the remote, which unloading would delete; sync first, or discard them explicitly",
                p("name"),
                p("count")
            ),
            ProblemCode::NotInConflict => format!(
                "\"{}\" has no concurrent versions to review any more; sync to see its current state",
                p("id")
            ),
            ProblemCode::MergeOverlaps => format!(
                "both versions of \"{}\" changed {} in overlapping ways; keep one version or edit the record yourself",
                p("id"),
                p("fields")
            ),
            ProblemCode::ConflictChanged => format!(
                "\"{}\" received another version while you reviewed it; review it again before choosing",
                p("id")
            ),
            ProblemCode::CaseInOtherSpace => format!(
                "\"{}\" is already in another space; a case belongs to at most one",
                p("case")
            ),
            ProblemCode::RestoreReferencesFirst => format!(
                "\"{}\" refers to {}, still in the trash; restore that first",
                p("id"),
                p("targets")
            ),
            ProblemCode::StillReferredTo => format!(
                "\"{}\" is still referred to by {}; trash or amend those first",
                p("id"),
                p("by")
            ),
            ProblemCode::LeftOutStillReferred => format!(
                "{} left out but still referred to by {}, which leave; leave those out too, or keep {} in",
                p("targets"),
                p("ids"),
                p("targets")
            ),
            ProblemCode::Unchanged => "nothing was changed, so no new version was written".into(),
            ProblemCode::NoIntakeKey => "this vault has no intake key yet: create a key in this vault, publish its public key, and have reporters seal to it".into(),
            ProblemCode::NoIdentity => "this vault has no key to open bundles with: create a key in this vault and give its public key to the sender, or open the bundle with its passphrase".into(),
            ProblemCode::NotASelfReport => format!(
                "this bundle is {} {}, not a self-report; open it as a bundle instead",
                article(p("kind")),
                p("kind")
            ),
            ProblemCode::NotACaseExport => format!(
                "this bundle is {} {}, not a case export; receive it into the intake inbox instead, where it is reviewed before anything enters the vault",
                article(p("kind")),
                p("kind")
            ),
            ProblemCode::NotABundle => {
                let mut s = String::from("this is not an encrypted Casevault bundle");
                if !p("detail").is_empty() {
                    s.push_str(&format!(" ({})", p("detail")));
                }
                s
            }
            ProblemCode::BundleNeedsPassphrase => {
                "this bundle is sealed with a passphrase; open it with the passphrase".into()
            }
            ProblemCode::BundleNeedsKey => {
                "this bundle is sealed to keys, not a passphrase; open it with your key".into()
            }
            ProblemCode::AlreadyReceived => {
                let status = match p("status") {
                    "pending" => " (waiting for review)".to_owned(),
                    "accepted" => format!(" (accepted into case {})", p("case")),
                    "rejected" => " (rejected)".to_owned(),
                    _ => String::new(),
                };
                if p("date").is_empty() {
                    format!("bundle {} was imported before; nothing was duplicated", p("id"))
                } else {
                    format!(
                        "this was received before, on {}{status}; nothing was duplicated",
                        p("date")
                    )
                }
            }
            ProblemCode::BundleChangedSinceReview => format!(
                "the file is now bundle {}, not the bundle {} you reviewed; open it again and review it before importing",
                p("found"),
                p("reviewed")
            ),
            ProblemCode::ReportAlreadyAccepted => {
                format!("this report was already accepted into case {}", p("case"))
            }
            ProblemCode::ReportAlreadyRejected => "this report was rejected; receive it again only if the reporter sends a new one".into(),
            ProblemCode::PreviewTooLarge => format!(
                "{} is larger than {} MiB and cannot be shown from the bundle; save a verified copy, or import the bundle",
                p("name"),
                p("max_mb")
            ),
            ProblemCode::MetadataNotRemovable => {
                let mut s = String::from("the metadata of ");
                if p("name").is_empty() {
                    s.push_str("this file");
                } else {
                    s.push_str(&format!("\"{}\"", p("name")));
                }
                s.push_str(" cannot be removed");
                if !p("detail").is_empty() {
                    s.push_str(&format!(" ({})", p("detail")));
                }
                s.push_str("; leave the file out of the export");
                s
            }
            ProblemCode::NoCaseChosen => "choose at least one case to export".into(),
            ProblemCode::NoRecipient => "choose at least one recipient, or a passphrase".into(),
            ProblemCode::KeyDamaged => {
                let mut s = String::from("this public key is damaged or incomplete");
                if !p("detail").is_empty() {
                    s.push_str(&format!(" ({})", p("detail")));
                }
                s.push_str("; copy the whole key again");
                s
            }
            ProblemCode::KeyRequired => {
                "paste the recipient's public key (age1… or ssh-ed25519 …)".into()
            }
            ProblemCode::KeyIsSecret => "this is a SECRET key: never share it. Ask the recipient for their public key (age1…)".into(),
            ProblemCode::KeyUnsupported => if p("ssh") == "true" {
                "only ssh-ed25519 SSH keys are accepted; ask for an ed25519 key or an age key (age1…)"
            } else {
                "this is not a public key Casevault can seal to; it takes age keys (age1…) and ssh-ed25519 keys"
            }
            .into(),
            ProblemCode::SecretKeyInvalid => "this is not an age secret key (AGE-SECRET-KEY-1…), or it is damaged or incomplete; use the secret key from the key file, not the public key".into(),
            ProblemCode::KeyAlreadyPresent => {
                if p("contact").is_empty() {
                    "this vault has this key already".into()
                } else {
                    format!("this key already belongs to the contact \"{}\"", p("contact"))
                }
            }
            ProblemCode::LengthRange => format!("give 1 to {} characters", p("max")),
            ProblemCode::KindFormat => {
                "a record kind is 1-64 lowercase letters or underscores".into()
            }
            ProblemCode::DraftKeyFormat => {
                "a draft key is 1-200 characters without spaces or control characters".into()
            }
            ProblemCode::OutOfRange => {
                format!("must be between {} and {}", p("min"), p("max"))
            }
            ProblemCode::FileMissing => format!(
                "{} does not exist (was it moved or deleted?)",
                p("path")
            ),
            ProblemCode::FileIsFolder => {
                format!("{} is a folder; choose a file", p("path"))
            }
            ProblemCode::FileUnreadable => {
                format!("{} cannot be read (permission denied)", p("path"))
            }
            ProblemCode::FileNotText => format!(
                "{} is not a text file; choose {}",
                p("path"),
                or(p("what"), "the right file")
            ),
            ProblemCode::FileTooBigForKind => format!(
                "{} is larger than {}, more than {} ever holds; check that you chose the right file",
                p("path"),
                p("max"),
                or(p("what"), "such a file")
            ),
            ProblemCode::FileGrew => format!(
                "{} grew while it was read; nothing was kept, try again once it is complete",
                if p("path").is_empty() { "the file" } else { p("path") }
            ),
            ProblemCode::AttachmentTooLarge => format!(
                "{} is {} GiB; files up to {} GiB can be attached. Split the recording, or keep it on encrypted external storage and attach a note.",
                p("path"),
                p("size_gib"),
                p("max_gib")
            ),
            ProblemCode::TooManyFiles => format!(
                "a report carries at most {} files; put more in a zip archive",
                p("max")
            ),
            ProblemCode::NotMvt => format!(
                "this is not an MVT JSON report ({}); attach it as an ordinary file instead",
                p("detail")
            ),
            ProblemCode::NotAQuestionnaire => format!(
                "{} is not a questionnaire file: {}",
                p("path"),
                p("detail")
            ),
            ProblemCode::ModeFixed => "this vault already holds records; a vault's mode is chosen when it is created".into(),
            ProblemCode::PathNotUtf8 => "the vault's path is not valid UTF-8; move the vault to a path of plain letters".into(),
            ProblemCode::PathNotAbsolute => format!(
                "give the full path of {}, e.g. {}",
                or(p("what"), "the file"),
                p("example")
            ),
            ProblemCode::NotACheckpoint => "this is not a Casevault custody checkpoint with its SSH signature".into(),
            ProblemCode::QuerySyntax => "this search could not be understood; try plain words, \"a phrase\" or a prefix*".into(),
            ProblemCode::EntriesDiffer => "the two entries differ; nothing was changed".into(),
            ProblemCode::NoTerminal => format!(
                "{} is needed but there is no terminal to ask on; use {}",
                or(p("what"), "a secret"),
                p("sources")
            ),
            ProblemCode::NotBoth => {
                format!("give {} or {}, not both", p("first"), p("second"))
            }
            ProblemCode::EitherOption => format!("give {} or {}", p("first"), p("second")),
            ProblemCode::ProtectFormat => format!(
                "write PERSON-ID=PSEUDONYM, for example p-husband=\"Related person 1\" (got \"{}\")",
                p("value")
            ),
            ProblemCode::DateYearRange => format!(
                "the year must have four digits, between {} and {}",
                p("min"),
                p("max")
            ),
            ProblemCode::DateDayNeedsMonth => "a day needs a month".into(),
            ProblemCode::DateTimeNeedsDay => format!(
                "a time of day needs the day too: write for example \"{}\" (add \"approx\" if unsure), or leave the time out: \"{}\"",
                p("suggestion"),
                p("without_time")
            ),
            ProblemCode::DateNoSuchDay => {
                "that date does not exist: months are 1 to 12, and the day must exist in its month".into()
            }
            ProblemCode::DateTimeRange => "the time must be between 00:00 and 23:59".into(),
            ProblemCode::DateRangeReversed => "the start of the range is after its end".into(),
            ProblemCode::DateUnreadable => {
                format!("\"{}\" is not part of a date; {DATE_HINT}", p("part"))
            }
            ProblemCode::DateNoYear => format!("no year was given; {DATE_HINT}"),
            ProblemCode::DateFormat => "give the date as YYYY-MM-DD".into(),
        }
    }
}

/// Problems as one text, each in its English form, `separator` between.
pub fn joined(problems: &[Problem], separator: &str) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(separator)
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.record.is_empty(), self.field.is_empty()) {
            (false, _) => write!(
                f,
                "{} \"{}\", {}: {}",
                self.record,
                self.id,
                self.field,
                self.message()
            ),
            (true, false) => write!(f, "{}: {}", self.field, self.message()),
            (true, true) => f.write_str(&self.message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_names_the_record_field_and_fix() {
        let p = Problem::new("incident", "inc-1", "act_type", ProblemCode::UnknownTerm)
            .with("value", "physical_survelance")
            .with("vocabulary", "act type")
            .with("suggestion", "physical_surveillance")
            .with("suggestion_label", "Physical surveillance");
        assert_eq!(
            p.to_string(),
            "incident \"inc-1\", act_type: \"physical_survelance\" is not a known act type. Did you mean \"physical_surveillance\" (Physical surveillance)?"
        );
        let wrong = Problem::new(
            "testimony",
            "t-1",
            "person",
            ProblemCode::ReferenceWrongKind,
        )
        .with("target", "inc-1")
        .with("kind", "incident")
        .with("want", "person");
        assert!(
            wrong
                .to_string()
                .ends_with("\"inc-1\" is of kind incident, not person")
        );
        let file = Problem::of_file("", ProblemCode::FileNotUtf8).with("offset", 7);
        assert!(file.to_string().starts_with("the file is not UTF-8"));
    }

    /// "is a incident" was a slip: the article follows the kind's sound.
    #[test]
    fn a_kind_reads_with_a_or_an() {
        let p = ProblemCode::KindCannotChange
            .with("id", "inc-1")
            .with("kind", "incident")
            .with("want", "case");
        assert_eq!(
            p.message(),
            "\"inc-1\" is an incident, not a case; its kind cannot change"
        );
        let p = ProblemCode::KindCannotChange
            .with("id", "c-1")
            .with("kind", "case")
            .with("want", "organisation");
        assert!(p.message().contains("is a case, not an organisation"));
    }

    /// A refused value's problem has no record or field of its own, so
    /// its English is the message alone and the error adds the field.
    #[test]
    fn a_refused_value_reads_field_then_message() {
        let e = crate::Error::invalid("reason", ProblemCode::ReasonRequired);
        assert_eq!(
            e.to_string(),
            format!(
                "reason: {}",
                Problem::from(ProblemCode::ReasonRequired).message()
            )
        );
        assert_eq!(e.problems()[0].code, ProblemCode::ReasonRequired);
    }

    #[test]
    fn codes_serialise_as_snake_case_for_the_ui() {
        let p = Problem::new("case", "c", "title", ProblemCode::Required);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "required");
        assert_eq!(v["params"], serde_json::json!({}));
    }
}
