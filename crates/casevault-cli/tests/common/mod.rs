//! What the CLI's test binaries share: the real `casevault` binary run
//! against a vault on disk, with a clean environment, and the exit codes
//! scripts branch on. Each test file says `mod common; use common::*;`.

// Every test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// The passphrase of the vaults the tests create.
pub const PASS: &str = "violet harbour quantum tortoise 1997";
/// A second passphrase, for changing it.
pub const NEW_PASS: &str = "copper lantern meadow galaxy 2031";

// Exit codes of the CLI (see main.rs).

/// `WrongCredential` and `InvalidRecoveryKey`.
pub const EXIT_WRONG_CREDENTIAL: i32 = 3;
/// `Tampered`: a damaged vault, backup, log or state.
pub const EXIT_TAMPERED: i32 = 4;
/// `InvalidInput`.
pub const EXIT_INVALID: i32 = 9;
/// `BundleDamaged`: a damaged incoming bundle.
pub const EXIT_BUNDLE_DAMAGED: i32 = 11;
/// `ReportDamaged`: a damaged incoming self-report.
pub const EXIT_REPORT_DAMAGED: i32 = 12;
/// A team space's remote refused what was sent.
pub const EXIT_REMOTE_REFUSED: i32 = 13;
/// A team space's remote could not be read or written.
pub const EXIT_REMOTE_IO: i32 = 15;
/// A team space change only its admin may make.
pub const EXIT_NOT_ADMIN: i32 = 16;

/// The binary on `vault`, with nothing of the caller's environment but
/// `PATH`, and `HOME` beside the vault (no passphrase: add one).
pub fn casevault(vault: &Path) -> Command {
    let mut cmd = Command::cargo_bin("casevault").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.parent().unwrap())
        .arg("--vault")
        .arg(vault);
    cmd
}

/// Output bytes as text, for messages and checks.
pub fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Runs a command on `vault` unlocked with [`PASS`].
pub fn run(vault: &Path, args: &[&str]) -> Output {
    run_with(vault, args, &[])
}

/// As [`run`], with more environment (an S3 remote's credentials).
pub fn run_with(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = casevault(vault);
    cmd.env("CASEVAULT_PASSPHRASE", PASS);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args).output().unwrap()
}

/// As [`run`], unlocked with `pass`.
pub fn run_as(vault: &Path, args: &[&str], pass: &str) -> Output {
    casevault(vault)
        .env("CASEVAULT_PASSPHRASE", pass)
        .args(args)
        .output()
        .unwrap()
}

/// As [`run`], asserting success; returns stdout.
pub fn ok(vault: &Path, args: &[&str]) -> String {
    let out = run(vault, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Asserts that `out` is a success, and hands it back.
pub fn succeeded(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// Creates `vault` with [`PASS`] and the fastest key derivation.
pub fn init(vault: &Path) {
    init_with(vault, &[]);
}

/// As [`init`], with more `init` flags; returns its output (the recovery
/// key on stdout).
pub fn init_with(vault: &Path, extra: &[&str]) -> Output {
    let out = casevault(vault)
        .env("CASEVAULT_NEW_PASSPHRASE", PASS)
        .args(["init", "--kdf-ms", "0"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

/// A new vault holding the report's sample cases.
pub fn sample_vault(vault: &Path) {
    init(vault);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
    let out = run(vault, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Whether `needle` occurs in `hay` (a file, an output).
pub fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Copies a directory tree (a vault, to tamper with or to keep).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Two vaults (not created yet) and a folder remote, in one temporary
/// directory: what every team-space test starts from.
pub struct TwoVaults {
    /// Holds everything; removed when dropped.
    pub dir: tempfile::TempDir,
    /// The first vault's path (the admin, in the tests).
    pub a: std::path::PathBuf,
    /// The second vault's path (the member).
    pub b: std::path::PathBuf,
    /// The folder remote, created and empty.
    pub folder: std::path::PathBuf,
}

/// See [`TwoVaults`].
pub fn two_vaults() -> TwoVaults {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, folder) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("remote"),
    );
    std::fs::create_dir(&folder).unwrap();
    TwoVaults { dir, a, b, folder }
}

/// Imports an interchange document into `vault`, through a file written
/// beside it.
pub fn import_document(vault: &Path, document: &serde_json::Value) {
    let file = vault.with_extension("import.json");
    std::fs::write(&file, document.to_string()).unwrap();
    ok(vault, &["import", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
}
