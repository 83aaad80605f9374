//! Refused values carry a problem code and its parameters, not only
//! English: the app translates `problems.<code>`, so each refusal below is
//! checked by its `ErrorCode` and its `ProblemCode`, never by its words.

use casevault_core::model::date::FuzzyDate;
use casevault_core::model::problem::{Problem, ProblemCode};
use casevault_core::model::records::AnyRecord;
use casevault_core::ops::{browse, edit, interchange, search};
use casevault_core::vault::LockSettings;
use casevault_core::vault::attachments::AttachRequest;
use casevault_core::{Error, ErrorCode};

use crate::common::*;
use crate::interchange::{parse, small_doc};

/// The one problem of a refused value, after checking that it is one.
fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> Problem {
    let err = result.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(
        matches!(err, Error::InvalidInput { .. }),
        "a refused value, not a rejected record: {err}"
    );
    let [problem] = err.problems() else {
        panic!("one problem: {err}");
    };
    // The app lays out the problem on its own under the field.
    assert!(
        problem.record.is_empty() && problem.field.is_empty(),
        "{problem:?}"
    );
    problem.clone()
}

fn code(problem: &Problem) -> ProblemCode {
    problem.code
}

fn param<'p>(problem: &'p Problem, name: &str) -> &'p str {
    problem
        .params
        .get(name)
        .unwrap_or_else(|| panic!("{name} in {problem:?}"))
}

#[test]
fn refusals_through_the_public_api_carry_their_problem_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    interchange::import(&mut vault, &parse(&small_doc()).unwrap()).unwrap();
    let history = vault.record_history("inc-moscow").unwrap();
    let incident: casevault_core::model::records::Incident =
        serde_json::from_value(vault.get_record("inc-moscow").unwrap().unwrap().data).unwrap();

    // Editing: no reason, no change, a change of kind, an unknown id.
    let p = refused(edit::amend(
        &mut vault,
        &AnyRecord::Incident(incident.clone()),
        " ",
    ));
    assert_eq!(code(&p), ProblemCode::ReasonRequired);
    let p = refused(edit::amend(
        &mut vault,
        &AnyRecord::Incident(incident.clone()),
        "resave",
    ));
    assert_eq!(code(&p), ProblemCode::Unchanged);
    let case: casevault_core::model::records::Case =
        serde_json::from_value(vault.get_record("case-moldashev").unwrap().unwrap().data).unwrap();
    let mut as_case = case;
    as_case.id = "inc-moscow".into();
    let p = refused(edit::amend(&mut vault, &AnyRecord::Case(as_case), "kind"));
    assert_eq!(code(&p), ProblemCode::KindCannotChange);
    assert_eq!(
        (param(&p, "id"), param(&p, "kind"), param(&p, "want")),
        ("inc-moscow", "incident", "case")
    );
    let p = refused(edit::trash(&mut vault, "nobody", "gone"));
    assert_eq!(code(&p), ProblemCode::NotFound);
    assert_eq!((param(&p, "what"), param(&p, "id")), ("record", "nobody"));
    // Nothing of it was written.
    assert_eq!(vault.record_history("inc-moscow").unwrap(), history);

    // Browsing and searching.
    let p = refused(browse::case_detail(&vault, "case-none"));
    assert_eq!(code(&p), ProblemCode::NotFound);
    assert_eq!(param(&p, "what"), "case");
    let filters = search::Filters {
        consent: Some("friends".into()),
        ..Default::default()
    };
    let p = refused(search::search(&vault, "", &filters, 10));
    assert_eq!(code(&p), ProblemCode::NotOneOf);
    assert_eq!(param(&p, "value"), "friends");
    let filters = search::Filters {
        from: Some("31 February 2008".into()),
        ..Default::default()
    };
    let err = search::search(&vault, "", &filters, 10).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "from"),
        "{err}"
    );
    assert_eq!(refused::<()>(Err(err)).code, ProblemCode::DateNoSuchDay);

    // Settings out of range change nothing.
    let before = vault.lock_settings().unwrap();
    let p = refused(vault.set_lock_settings(LockSettings {
        idle_lock_minutes: 0,
        ..before
    }));
    assert_eq!(code(&p), ProblemCode::OutOfRange);
    assert!(!param(&p, "min").is_empty() && !param(&p, "max").is_empty());
    assert_eq!(vault.lock_settings().unwrap(), before);

    // Files from outside: missing, a folder.
    let missing = dir.path().join("no-such-file.jpg");
    for (source, want) in [
        (missing.as_path(), ProblemCode::FileMissing),
        (dir.path(), ProblemCode::FileIsFolder),
    ] {
        let p = refused(vault.attach(
            AttachRequest {
                record_id: "inc-moscow",
                source,
                derived_from: None,
                note: None,
            },
            |_, _| {},
        ));
        assert_eq!(code(&p), want);
        assert_eq!(param(&p, "path"), source.display().to_string());
    }
    assert!(vault.attachments_of("inc-moscow").unwrap().is_empty());

    // Keys: a secret key where a public one belongs is never stored.
    let p = refused(casevault_core::crypto::recipient::parse_recipient(
        "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
    ));
    assert_eq!(code(&p), ProblemCode::KeyIsSecret);
    assert!(p.params.is_empty(), "no part of the key is echoed: {p:?}");
}

#[test]
fn date_refusals_name_what_to_fix() {
    for (text, want) in [
        ("31 February 2008", ProblemCode::DateNoSuchDay),
        ("March 2008 approx 22:30", ProblemCode::DateTimeNeedsDay),
        ("2009..2008", ProblemCode::DateRangeReversed),
        ("soon", ProblemCode::DateUnreadable),
        ("March", ProblemCode::DateNoYear),
        ("0999", ProblemCode::DateYearRange),
        ("25:00 1 May 2008", ProblemCode::DateTimeRange),
    ] {
        let err = Error::from(text.parse::<FuzzyDate>().unwrap_err());
        let p = refused::<()>(Err(err));
        assert_eq!(p.code, want, "{text}");
    }
    // What a time without a day suggests is itself a date.
    let err = Error::from("March 2008 approx 22:30".parse::<FuzzyDate>().unwrap_err());
    let p = refused::<()>(Err(err));
    let suggestion = param(&p, "suggestion");
    assert!(suggestion.parse::<FuzzyDate>().is_ok(), "{suggestion}");
    assert!(param(&p, "without_time").parse::<FuzzyDate>().is_ok());
}

/// Every refusal the core can send is a code the app has words for: the
/// codes serialise as the snake_case names `problems.<code>` uses.
#[test]
fn problem_codes_cross_ipc_as_snake_case_names() {
    let p = Problem::from(ProblemCode::KindCannotChange);
    let value = serde_json::to_value(&p).unwrap();
    assert_eq!(value["code"], "kind_cannot_change");
    let err = Error::invalid("reason", ProblemCode::ReasonRequired);
    assert_eq!(
        serde_json::to_value(err.problems()).unwrap()[0]["code"],
        "reason_required"
    );
}
