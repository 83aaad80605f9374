//! Golden tests of what a person reads: `--help` of every command and the
//! output of a first session (init, import, status, cases). A doc comment
//! that lands on the wrong command, or a count printed as "2 case", changes
//! a snapshot under tests/cmd/. After an intended change, regenerate with
//! `SNAPSHOTS=overwrite cargo test -p casevault-cli --test golden` and read the diff.

const BIN: &str = env!("CARGO_BIN_EXE_casevault");

/// `--help` of the top level and of the commands people start with.
#[test]
fn help_reads_as_committed() {
    let cases: &[(&[&str], &str)] = &[
        (&["--help"], "help-top"),
        (&["init", "--help"], "help-init"),
        (&["import", "--help"], "help-import"),
        (&["bundle", "--help"], "help-bundle"),
        (&["report", "--help"], "help-report"),
        (&["intake", "--help"], "help-intake"),
        (&["lock-settings", "--help"], "help-lock-settings"),
        (&["staff-label", "--help"], "help-staff-label"),
    ];
    for (args, name) in cases {
        let expected = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cmd")
            .join(format!("{name}.stdout"));
        snapbox::cmd::Command::new(BIN)
            .env_clear()
            .env("COLUMNS", "100")
            .args(*args)
            .assert()
            .success()
            .stdout_eq(snapbox::Data::read_from(&expected, None));
    }
}

/// The first session of a new user, as one transcript: every command's
/// exit status, stdout and stderr. Vault ids, the recovery key and times
/// are `[..]` in the snapshot; everything else is compared.
#[test]
fn first_session_reads_as_committed() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let pass_file = dir.path().join("pass.txt");
    std::fs::write(&pass_file, "violet harbour quantum tortoise 1997\n").unwrap();
    let wrong_file = dir.path().join("wrong.txt");
    std::fs::write(&wrong_file, "not the passphrase at all 000\n").unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/kazakhstan-report.json");

    let steps: Vec<(Vec<&str>, &std::path::Path)> = vec![
        // No terminal and only --passphrase-file: init takes it as the new
        // vault's passphrase (it used to refuse and recommend that flag).
        (vec!["init", "--kdf-ms", "0"], &pass_file),
        (vec!["import", sample.to_str().unwrap()], &pass_file),
        (vec!["status"], &pass_file),
        (vec!["cases", "ls"], &pass_file),
        (vec!["lock-settings", "--wipe-after", "3"], &pass_file),
        (vec!["status"], &wrong_file),
        (vec!["status"], &wrong_file),
    ];
    let mut transcript = String::new();
    for (args, secret) in steps {
        let out = std::process::Command::new(BIN)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("COLUMNS", "100")
            .arg("--vault")
            .arg(&vault)
            .arg("--passphrase-file")
            .arg(secret)
            .args(&args)
            .output()
            .unwrap();
        let shown: Vec<&str> = args
            .iter()
            .map(|a| {
                if a.ends_with("kazakhstan-report.json") {
                    "SAMPLE"
                } else {
                    a
                }
            })
            .collect();
        let _ = writeln!(
            transcript,
            "$ casevault {}\n[exit {}]\n--- stdout\n{}--- stderr\n{}",
            shown.join(" "),
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).replace(&*dir.path().to_string_lossy(), "TMP"),
            String::from_utf8_lossy(&out.stderr).replace(&*dir.path().to_string_lossy(), "TMP"),
        );
    }
    snapbox::assert_data_eq!(transcript, snapbox::file!["cmd/first-session.txt"]);
}
