//! The reference data the UI reads without asking the backend: the
//! controlled vocabularies with their labels, the questionnaire's screens,
//! the limits a form checks before sending, and the lists of error and
//! problem codes. All of it is written from the core's own constants into
//! `ui/src/lib/reference.ts` by `scripts/gen-bindings`, so no rule exists
//! in both Rust and TypeScript; a test fails while the file is stale.

use std::fmt::Write as _;

use casevault_core::model::{interchange, mvt, self_report};
use casevault_core::ops::search;
use casevault_core::vault::{self, attachments, drafts, self_reports};
use casevault_core::{ErrorCode, model::problem::ProblemCode};
use serde::Serialize;
use ts_rs::{Config, TS};

/// The limits the UI checks as the user types. The core checks them again
/// (and is the only judge); these only let a form say so before sending.
#[derive(Debug, Serialize)]
struct Limits {
    /// Idle minutes before the vault locks.
    idle_lock_minutes: Range,
    /// Failed unlocks before the key slots are wiped.
    wipe_after_failed_unlocks: Range,
    /// Characters of a short text field (names, titles, places).
    short_text_chars: usize,
    /// Bytes of a long text field (narratives, statements).
    long_text_bytes: usize,
    /// Bytes of an interchange file.
    interchange_file_bytes: usize,
    /// Characters of a search query.
    search_query_chars: usize,
    /// Files attached to one self-report.
    report_files: usize,
    /// Bytes of a saved form draft.
    draft_bytes: usize,
    /// Bytes of a self-report's answers.
    answers_bytes: usize,
    /// Bytes of one attached file.
    attachment_bytes: u64,
    /// Bytes of an MVT report read for indicators.
    mvt_bytes: usize,
}

/// An inclusive range, both ends allowed.
#[derive(Debug, Serialize)]
struct Range {
    min: u32,
    max: u32,
}

impl Range {
    fn of(r: &std::ops::RangeInclusive<u32>) -> Self {
        Self {
            min: *r.start(),
            max: *r.end(),
        }
    }
}

fn limits() -> Limits {
    Limits {
        idle_lock_minutes: Range::of(&vault::IDLE_LOCK_RANGE),
        wipe_after_failed_unlocks: Range::of(&vault::WIPE_AFTER_RANGE),
        short_text_chars: interchange::MAX_SHORT_TEXT,
        long_text_bytes: interchange::MAX_LONG_TEXT,
        interchange_file_bytes: interchange::MAX_FILE_BYTES,
        search_query_chars: search::MAX_QUERY_CHARS,
        report_files: self_reports::MAX_REPORT_FILES,
        draft_bytes: drafts::MAX_DRAFT_BYTES,
        answers_bytes: self_report::MAX_ANSWERS_BYTES,
        attachment_bytes: attachments::MAX_ATTACHMENT_BYTES,
        mvt_bytes: mvt::MAX_MVT_BYTES,
    }
}

/// The members of a unit-variant enum, read from its TypeScript union
/// (`"a" | "b"`), which ts-rs builds from the serde names: the same
/// strings that cross IPC, in declaration order.
fn union_members<T: TS>(cfg: &Config) -> Vec<String> {
    T::inline(cfg)
        .split('|')
        .map(|m| m.trim().trim_matches('"').to_owned())
        .filter(|m| !m.is_empty())
        .collect()
}

/// The screens whose answers form a section (what, when, where, who): the
/// ones whose "what was it" question offers act types.
fn section_steps() -> Vec<&'static str> {
    self_report::SCREENS
        .iter()
        .copied()
        .filter(|s| !self_report::section_act_types(s).is_empty())
        .collect()
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("reference data serialises")
}

/// The complete text of `ui/src/lib/reference.ts`.
pub fn typescript_reference() -> String {
    let cfg = Config::new().with_large_int("number");
    let vocabularies =
        crate::commands::cases::vocabularies().expect("the vocabularies are constants");
    let steps = crate::commands::intake::report_steps().expect("the screens are constants");

    let mut out = String::new();
    out.push_str(
        "// Generated from casevault-core's constants (src-tauri/src/reference.rs) by scripts/gen-bindings.\n",
    );
    out.push_str("// Do not edit by hand: change the Rust side and run `scripts/gen-bindings`.\n");
    out.push_str(
        "import type { ErrorCode, ProblemCode, StepChoices, VocabularyDto } from \"./bindings\";\n\n",
    );
    let _ = writeln!(
        out,
        "/** The controlled vocabularies (model::vocab), with en/ru/kk labels. */\nexport const VOCABULARIES: VocabularyDto[] = {};\n",
        json(&vocabularies)
    );
    let _ = writeln!(
        out,
        "/** The self-report wizard's screens in order (model::self_report::SCREENS), each with its choices. */\nexport const REPORT_STEPS: StepChoices[] = {};\n",
        json(&steps)
    );
    let _ = writeln!(
        out,
        "/** The screens whose answers are a section of the report (what, when, where, who). */\nexport const SECTION_STEPS = {} as const;\n",
        json(&section_steps())
    );
    let _ = writeln!(
        out,
        "/** The limits a form checks before sending; the core checks them again. */\nexport const LIMITS = {} as const;\n",
        json(&limits())
    );
    let _ = writeln!(
        out,
        "/** The country codes records may use (model::country), for the country fields. */\nexport const COUNTRY_CODES = {} as const;\n",
        json(&casevault_core::model::country::COUNTRY_CODES)
    );
    let _ = writeln!(
        out,
        "/** Every error code a command can fail with. */\nexport const ERROR_CODES: readonly ErrorCode[] = {};\n",
        json(&union_members::<ErrorCode>(&cfg))
    );
    let _ = writeln!(
        out,
        "/** Every validation problem code. */\nexport const PROBLEM_CODES: readonly ProblemCode[] = {};",
        json(&union_members::<ProblemCode>(&cfg))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed reference data must match the core's constants.
    /// Regenerate with `scripts/gen-bindings` (which sets UPDATE_BINDINGS=1).
    #[test]
    fn committed_reference_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/reference.ts");
        let fresh = typescript_reference();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/reference.ts is stale: run scripts/gen-bindings and commit the result"
        );
    }

    #[test]
    fn code_lists_hold_every_code_by_its_wire_name() {
        let cfg = Config::new();
        let errors = union_members::<ErrorCode>(&cfg);
        assert_eq!(errors.first().map(String::as_str), Some("vault_not_found"));
        assert!(errors.contains(&"report_damaged".to_owned()), "{errors:?}");
        for code in [ErrorCode::Locked, ErrorCode::ImportRejected] {
            let wire = serde_json::to_value(code).unwrap();
            assert!(errors.iter().any(|e| wire == e.as_str()), "{wire}");
        }
        let problems = union_members::<ProblemCode>(&cfg);
        let wire = serde_json::to_value(ProblemCode::UnknownTerm).unwrap();
        assert!(problems.iter().any(|p| wire == p.as_str()), "{problems:?}");
        assert!(problems.iter().all(|p| !p.contains(' ')), "{problems:?}");
    }

    #[test]
    fn section_steps_are_the_answer_sections() {
        assert_eq!(
            section_steps(),
            ["what_happened", "relatives", "digital", "travel", "notices"]
        );
    }
}
