//! Refusals of the real `casevault` binary carry the exit code of
//! `InvalidInput` and a `problem:` line with the stable problem code that
//! the app translates; scripts branch on those, never on the English.

use std::process::Output;

mod common;
use common::*;

/// The problem codes on stderr, one per `problem:` line.
fn problems(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("problem: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn refusals_exit_with_invalid_input_and_name_their_problem_code() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v");
    init(&vault);

    let secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
    let cases: [(Vec<&str>, &str); 4] = [
        (vec!["case", "show", "case-none"], "not_found"),
        (vec!["contacts", "add", "Aigerim", secret], "key_is_secret"),
        (vec!["lock-settings", "--idle-minutes", "0"], "out_of_range"),
        (
            vec![
                "contacts",
                "add",
                "Aigerim",
                "age1xyz",
                "--verified",
                "last week",
            ],
            "key_damaged",
        ),
    ];
    for (args, want) in cases {
        let out = run(&vault, &args);
        assert_eq!(out.status.code(), Some(EXIT_INVALID), "{args:?}");
        assert_eq!(problems(&out), [want], "{args:?}");
        // A secret key given by mistake is never echoed back.
        assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    }
    // Nothing was added by any of it.
    let out = run(&vault, &["contacts", "ls"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Aigerim"));
}
