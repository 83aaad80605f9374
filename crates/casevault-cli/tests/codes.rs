//! Refusals of the real `casevault` binary carry the exit code of
//! `InvalidInput` and a `problem:` line with the stable problem code that
//! the app translates; scripts branch on those, never on the English.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

const PASS: &str = "violet harbour quantum tortoise 1997";
/// Exit code of `InvalidInput`.
const EXIT_INVALID: i32 = 9;

fn casevault(vault: &Path) -> Command {
    let mut cmd = Command::cargo_bin("casevault").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.parent().unwrap())
        .env("CASEVAULT_PASSPHRASE", PASS)
        .arg("--vault")
        .arg(vault);
    cmd
}

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
    let out = casevault(&vault)
        .env("CASEVAULT_NEW_PASSPHRASE", PASS)
        .args(["init", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

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
        let out = casevault(&vault).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(EXIT_INVALID), "{args:?}");
        assert_eq!(problems(&out), [want], "{args:?}");
        // A secret key given by mistake is never echoed back.
        assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    }
    // Nothing was added by any of it.
    let out = casevault(&vault).args(["contacts", "ls"]).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Aigerim"));
}
