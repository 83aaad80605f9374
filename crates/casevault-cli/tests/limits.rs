//! Hostile input against the real `casevault` binary: outside files are
//! read within stated limits, refused with a code, and what Casevault
//! writes in plaintext is readable only by its owner.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::*;

fn sh(cmd: &mut std::process::Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", text(&out.stderr));
    out
}

/// Runs the binary under `/usr/bin/time -v`; returns its output and its
/// peak resident set size in KiB.
fn run_measured(vault: &Path, args: &[&str]) -> (Output, u64) {
    run_measured_with(vault, args, &[])
}

fn run_measured_with(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> (Output, u64) {
    let report = vault.parent().unwrap().join("time.txt");
    // timeout: an unbounded read must fail the test, not hang it.
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(&report)
        .args(["timeout", "120"])
        .arg(assert_cmd::cargo::cargo_bin("casevault"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.parent().unwrap())
        .env("CASEVAULT_PASSPHRASE", PASS)
        .envs(env.iter().copied())
        .arg("--vault")
        .arg(vault)
        .args(args)
        .output()
        .unwrap();
    let report = std::fs::read_to_string(&report).unwrap();
    let kib = report
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .unwrap_or_else(|| panic!("no peak RSS in {report}"))
        .parse()
        .unwrap();
    (out, kib)
}

/// A GNU tar header (ustar magic, type `L`) announcing a long name of
/// `size` bytes for the entry after it.
fn gnu_long_name_header(size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..13].copy_from_slice(b"././@LongLink");
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = b'L';
    h[257..265].copy_from_slice(b"ustar  \0");
    h[148..156].fill(b' ');
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// A tar whose first entry is a 64 MiB GNU long name (then one small
/// file, then the end of the archive).
fn long_name_tar(dir: &Path) -> PathBuf {
    const NAME: u64 = 64 * 1024 * 1024;
    let tar = dir.join("long-name.tar");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&tar).unwrap());
    f.write_all(&gnu_long_name_header(NAME)).unwrap();
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..NAME / chunk.len() as u64 {
        f.write_all(&chunk).unwrap();
    }
    let mut file = gnu_long_name_header(0);
    file[..1].copy_from_slice(b"x");
    file[1..13].fill(0);
    file[156] = b'0';
    file[257..265].copy_from_slice(b"ustar\x0000");
    file[148..156].fill(b' ');
    let sum: u32 = file.iter().map(|&b| u32::from(b)).sum();
    file[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    f.write_all(&file).unwrap();
    f.write_all(&[0u8; 1024]).unwrap();
    f.into_inner().unwrap().sync_all().unwrap();
    tar
}

/// [`long_name_tar`] sealed with age to `recipient`.
fn long_name_bundle(dir: &Path, recipient: &str) -> PathBuf {
    let tar = long_name_tar(dir);
    let sealed = dir.join("long-name.cvb");
    sh(std::process::Command::new("age")
        .arg("-r")
        .arg(recipient)
        .arg("-o")
        .arg(&sealed)
        .arg(&tar));
    std::fs::remove_file(&tar).unwrap();
    sealed
}

const MAX_RSS_KIB: u64 = 100 * 1024;

#[test]
fn a_64_mib_tar_long_name_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.txt");
    sh(std::process::Command::new("age-keygen").arg("-o").arg(&key));
    let recipient = text(&sh(std::process::Command::new("age-keygen").arg("-y").arg(&key)).stdout);
    let bundle = long_name_bundle(dir.path(), recipient.trim());
    let (out, rss_kib) = run_measured(
        &dir.path().join("no-vault"),
        &[
            "bundle",
            "verify",
            bundle.to_str().unwrap(),
            "-i",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_BUNDLE_DAMAGED),
        "{}",
        text(&out.stderr)
    );
    assert!(rss_kib < MAX_RSS_KIB, "peak RSS {rss_kib} KiB");
    assert!(
        out.stderr.len() < 8 * 1024,
        "{} bytes of error",
        out.stderr.len()
    );
}

#[test]
fn a_self_report_with_a_64_mib_tar_long_name_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("ngo");
    init(&vault);
    let out = run(&vault, &["keygen", "--label", "intake"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bundle = long_name_bundle(dir.path(), text(&out.stdout).trim());
    let before = tree(&vault);
    let (out, rss_kib) = run_measured(&vault, &["intake", "import", bundle.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(EXIT_REPORT_DAMAGED),
        "{}",
        text(&out.stderr)
    );
    assert!(rss_kib < MAX_RSS_KIB, "peak RSS {rss_kib} KiB");
    assert!(
        out.stderr.len() < 8 * 1024,
        "{} bytes of error",
        out.stderr.len()
    );
    assert_eq!(tree(&vault), before, "the refused report left files behind");
    let out = run(&vault, &["intake", "ls", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn a_backup_with_a_64_mib_tar_long_name_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let backup = long_name_tar(dir.path());
    let to = dir.path().join("restored");
    let (out, rss_kib) = run_measured(
        &dir.path().join("no-vault"),
        &[
            "restore",
            backup.to_str().unwrap(),
            "--to",
            to.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_TAMPERED),
        "{}",
        text(&out.stderr)
    );
    assert!(rss_kib < MAX_RSS_KIB, "peak RSS {rss_kib} KiB");
    assert!(!to.exists());
}

/// The files under `dir`, by relative path (contents change as the vault
/// is opened, the set of files must not; an empty folder may appear).
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out.retain(|p| {
        !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
    });
    out
}

/// Every file read whole from outside has a limit: `/dev/zero` (endless,
/// and 0 bytes by its metadata) given as each is refused with
/// `InvalidInput`, in bounded memory and time.
#[test]
fn endless_inputs_are_refused_at_their_limits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let zero = "/dev/zero";
    let check = |vault: &Path, args: &[&str], env: &[(&str, &str)], max_kib: u64| {
        let (out, rss_kib) = run_measured_with(vault, args, env);
        assert_eq!(
            out.status.code(),
            Some(EXIT_INVALID),
            "{args:?} {env:?}: {}",
            text(&out.stderr)
        );
        assert!(
            rss_kib < max_kib,
            "{args:?} {env:?}: peak RSS {rss_kib} KiB"
        );
    };

    // An MVT report (at most 64 MiB, and no more than its size on disk).
    // Peak memory is the vault's own (argon2 at the floor: 64 MiB).
    let activist = d.join("activist");
    init_with(&activist, &["--self-report"]);
    let answers = d.join("answers.json");
    std::fs::write(
        &answers,
        r#"{"language": "en", "consent": {"record": true}}"#,
    )
    .unwrap();
    let out = run(
        &activist,
        &["report", "new", "--answers", answers.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout).trim().to_owned();
    check(
        &activist,
        &["report", "attach", &report, zero, "--mvt"],
        &[],
        200 * 1024,
    );
    // Questionnaire answers (16 MiB).
    check(
        &activist,
        &["report", "new", "--answers", zero],
        &[],
        120 * 1024,
    );
    // A passphrase file (64 KiB).
    check(
        &activist,
        &["status"],
        &[("CASEVAULT_PASSPHRASE_FILE", zero)],
        MAX_RSS_KIB,
    );

    // Key files: an identity to import, an identity to open a bundle
    // with, an organisation's public key, a checkpoint (64 KiB each).
    let ngo = d.join("ngo");
    init(&ngo);
    check(
        &ngo,
        &["keygen", "--label", "x", "--import", zero],
        &[],
        MAX_RSS_KIB,
    );
    let any = d.join("any.cvb");
    std::fs::write(&any, b"not read").unwrap();
    let any = any.to_str().unwrap();
    check(
        &ngo,
        &["bundle", "verify", any, "-i", zero],
        &[],
        MAX_RSS_KIB,
    );
    let key = d.join("key.txt");
    sh(std::process::Command::new("age-keygen").arg("-o").arg(&key));
    let key = key.to_str().unwrap();
    check(
        &ngo,
        &["bundle", "verify", any, "-i", key, "--org-key", zero],
        &[],
        MAX_RSS_KIB,
    );
    check(
        &ngo,
        &["audit", "verify", "--checkpoint", zero],
        &[],
        MAX_RSS_KIB,
    );
}

/// Runs the binary with umask 022 (the usual default, which leaves new
/// files world-readable unless the program asks otherwise).
fn run_with_umask_022(vault: &Path, args: &[&str]) -> Output {
    std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("casevault"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", vault.parent().unwrap())
        .env("CASEVAULT_PASSPHRASE", PASS)
        .arg("--vault")
        .arg(vault)
        .args(args)
        .output()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

#[test]
fn plaintext_leaves_the_vault_readable_only_by_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vault = d.join("vault");
    init(&vault);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
    let out = run(&vault, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg");
    let out = run(
        &vault,
        &["attach", "case-moldashev", photo.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let attachment = text(&out.stdout).trim().to_owned();

    // export-json
    let export = d.join("export.json");
    let out = run_with_umask_022(&vault, &["export-json", "--out", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&export), 0o600, "export-json");

    // a saved copy of evidence
    let copy = d.join("copy.jpg");
    let out = run_with_umask_022(
        &vault,
        &[
            "attachment",
            "get",
            &attachment,
            "--out",
            copy.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&copy), 0o600, "saved copy");

    // an opened bundle: its folder, subfolders and files
    let key = d.join("lawyer.txt");
    sh(std::process::Command::new("age-keygen").arg("-o").arg(&key));
    let recipient = text(&sh(std::process::Command::new("age-keygen").arg("-y").arg(&key)).stdout);
    let bundle = d.join("b.cvb");
    let out = run(
        &vault,
        &[
            "bundle",
            "create",
            "--case",
            "case-moldashev",
            "--recipient",
            recipient.trim(),
            "--organisation",
            "Freedom Now NGO",
            "--out",
            bundle.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let opened = d.join("opened");
    let out = run_with_umask_022(
        &d.join("no-vault"),
        &[
            "bundle",
            "open",
            bundle.to_str().unwrap(),
            "-i",
            key.to_str().unwrap(),
            "--out",
            opened.to_str().unwrap(),
            // No organisation key here: the signer is accepted knowingly.
            "--accept-unknown-signer",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&opened), 0o700, "bundle folder");
    let mut stack = vec![opened];
    let (mut files, mut dirs) = (0, 0);
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                assert_eq!(mode(&p), 0o700, "{}", p.display());
                dirs += 1;
                stack.push(p);
            } else {
                assert_eq!(mode(&p), 0o600, "{}", p.display());
                files += 1;
            }
        }
    }
    assert!(files >= 5 && dirs >= 1, "{files} files, {dirs} folders");
}
