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
    /// A short text is too long. Params: `max` (characters).
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
}

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

    #[test]
    fn codes_serialise_as_snake_case_for_the_ui() {
        let p = Problem::new("case", "c", "title", ProblemCode::Required);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "required");
        assert_eq!(v["params"], serde_json::json!({}));
    }
}
