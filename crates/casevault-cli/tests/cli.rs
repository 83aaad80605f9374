//! The real `casevault` binary against real vaults on disk.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

mod common;
use common::*;

/// Creates the vault; returns its recovery key (printed on stdout), which
/// comes with the warning to write it down.
fn init_recovery(vault: &Path) -> String {
    let out = init_with(vault, &[]);
    assert!(text(&out.stderr).contains("RECOVERY KEY"));
    text(&out.stdout).trim().to_owned()
}

/// The committed JPEG with EXIF capture metadata.
fn photo_fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg")
}

#[test]
fn help_and_version() {
    let out = Command::cargo_bin("casevault")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = text(&out.stdout);
    for sub in [
        "init",
        "status",
        "passwd",
        "recover",
        "backup",
        "restore",
        "verify",
        "lock-settings",
    ] {
        assert!(help.contains(sub), "--help lacks {sub}:\n{help}");
    }
    let out = Command::cargo_bin("casevault")
        .unwrap()
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        text(&out.stdout).trim(),
        format!("casevault {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn vault_life_cycle_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let recovery = init_recovery(&vault);
    assert_eq!(recovery.split('-').count(), 12, "{recovery}");

    let out = run_as(&vault, &["status", "--json"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        status["schema_version"],
        casevault_core::vault::migrations::SCHEMA_VERSION
    );
    assert_eq!(status["lock"]["idle_lock_minutes"], 5);

    // Wrong passphrase: exit 3, a clear message and a hint.
    let out = run_as(&vault, &["status"], NEW_PASS);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.contains("passphrase or recovery key is wrong"), "{err}");
    assert!(err.contains("casevault recover"), "{err}");

    // passwd, through a passphrase file for the current one.
    let pass_file = dir.path().join("pass.txt");
    std::fs::write(&pass_file, format!("{PASS}\n")).unwrap();
    let out = casevault(&vault)
        .arg("--passphrase-file")
        .arg(&pass_file)
        .env("CASEVAULT_NEW_PASSPHRASE", NEW_PASS)
        .args(["passwd", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(run_as(&vault, &["status"], PASS).status.code(), Some(3));
    assert!(run_as(&vault, &["status"], NEW_PASS).status.success());

    // Forgot it: recover with the printed key.
    let out = casevault(&vault)
        .env("CASEVAULT_RECOVERY_KEY", recovery.to_lowercase())
        .env("CASEVAULT_NEW_PASSPHRASE", PASS)
        .args(["recover", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(run_as(&vault, &["status"], PASS).status.success());

    // Settings.
    let out = run_as(
        &vault,
        &["lock-settings", "--idle-minutes", "15", "--wipe-after", "5"],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("wipe_after_failed_unlocks = 5"));
    let out = run_as(&vault, &["lock-settings", "--idle-minutes", "0"], PASS);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("between 1 and 240"));
    let out = run_as(&vault, &["lock-settings", "--wipe-after", "lots"], PASS);
    assert_eq!(out.status.code(), Some(9));

    // Verify, backup, restore.
    let out = run_as(&vault, &["verify"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("OK"));
    let backup = dir.path().join("v.cvbackup");
    let out = run_as(&vault, &["backup", "--out", backup.to_str().unwrap()], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let restored = dir.path().join("restored");
    let out = casevault(&vault)
        .env("CASEVAULT_PASSPHRASE", PASS)
        .args([
            "restore",
            backup.to_str().unwrap(),
            "--to",
            restored.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run_as(&restored, &["status", "--json"], PASS);
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["lock"]["idle_lock_minutes"], 15);
}

#[test]
fn errors_name_the_problem_and_the_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let out = run_as(&missing, &["status"], PASS);
    assert_eq!(out.status.code(), Some(7));
    assert!(text(&out.stderr).contains("No vault was found"));
    assert!(text(&out.stderr).contains("casevault init"));

    // No terminal, no passphrase given: say how to give one.
    let vault = dir.path().join("vault");
    init_recovery(&vault);
    let out = casevault(&vault).arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(
        text(&out.stderr).contains("--passphrase-file"),
        "{}",
        text(&out.stderr)
    );

    // A weak passphrase is refused at init with zxcvbn's reasons.
    let weak = dir.path().join("weak");
    let out = casevault(&weak)
        .env("CASEVAULT_NEW_PASSPHRASE", "password123")
        .args(["init", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("too easy to guess"));
    assert!(!weak.exists());

    // A damaged vault.
    let db = vault.join("vault.db");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[5000] ^= 0xff;
    std::fs::write(&db, bytes).unwrap();
    let out = run_as(&vault, &["verify"], PASS);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
}

#[test]
fn import_browse_and_export_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    init_recovery(&vault);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");

    // A broken file is rejected before anything is written.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        b"{\"format\": \"casevault-interchange\", \"version\": 1, \"cases\": [{\"id\": 5}]}",
    )
    .unwrap();
    let out = run_as(&vault, &["import", broken.to_str().unwrap()], PASS);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        text(&out.stderr).contains("cases[0].id"),
        "{}",
        text(&out.stderr)
    );

    let out = run_as(&vault, &["import", sample.to_str().unwrap()], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Twice: recognised, refused, nothing duplicated.
    let out = run_as(&vault, &["import", sample.to_str().unwrap()], PASS);
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("already exists"));

    let out = run_as(&vault, &["cases", "ls", "--json"], PASS);
    let cases: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cases.as_array().unwrap().len() >= 6, "{cases}");
    let first = cases[0]["id"].as_str().unwrap().to_owned();
    let out = run_as(&vault, &["case", "show", &first], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Incidents (timeline):"));
    let out = run_as(&vault, &["case", "show", "case-kurmanov"], PASS);
    let shown = text(&out.stdout);
    assert!(
        shown.contains("2013-01-28") && shown.contains("Public statement"),
        "interventions are listed: {shown}"
    );
    let out = run_as(&vault, &["case", "show", "case-kurmanov", "--json"], PASS);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["interventions"].as_array().unwrap().len(), 2);
    let out = run_as(&vault, &["case", "show", "no-such-case"], PASS);
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("cases ls"));

    let exported = dir.path().join("export.json");
    let out = run_as(
        &vault,
        &["export-json", "--out", exported.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("NOT encrypted"));
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sample).unwrap()).unwrap();
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&exported).unwrap()).unwrap();
    assert_eq!(
        written["cases"].as_array().unwrap().len(),
        original["cases"].as_array().unwrap().len()
    );
    // Import → export → import: a second vault ends up with the same records.
    let second = dir.path().join("second");
    init_recovery(&second);
    assert!(
        run_as(&second, &["import", exported.to_str().unwrap()], PASS)
            .status
            .success()
    );
    let again = dir.path().join("again.json");
    assert!(
        run_as(
            &second,
            &["export-json", "--out", again.to_str().unwrap()],
            PASS
        )
        .status
        .success()
    );
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&exported).unwrap()
    );
}

#[test]
fn evidence_and_audit_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    sample_vault(&vault);
    let photo = photo_fixture();

    let out = run_as(
        &vault,
        &["attach", "case-kurmanov", photo.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_owned();
    assert_eq!(id.len(), 32, "{id}");
    assert!(text(&out.stderr).contains("image/jpeg"));

    let out = run_as(
        &vault,
        &["attach", "case-kurmanov", "/no/such/file.jpg"],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
    let out = run_as(
        &vault,
        &["attach", "no-such-record", photo.to_str().unwrap()],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9));

    let out = run_as(
        &vault,
        &["attachments", "ls", "--record", "case-kurmanov", "--json"],
        PASS,
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["original_name"], "almaty-photo-exif.jpg");
    assert_eq!(
        list[0]["capture"]["device"],
        "Casevault Test Camera Co. CV-1"
    );

    let copy = dir.path().join("copy.jpg");
    let out = run_as(
        &vault,
        &["attachment", "get", &id, "--out", copy.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&photo).unwrap()
    );
    let out = run_as(
        &vault,
        &["attachment", "get", &id, "--out", copy.to_str().unwrap()],
        PASS,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "an existing file is not overwritten"
    );

    let out = run_as(&vault, &["audit", "verify"], PASS);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("OK: the chain is intact"));
    let out = run_as(&vault, &["audit", "show", "--target", &id, "--json"], PASS);
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["attach", "save_copy"]);

    // Damage the stored file: audit verify fails with exit 4 and names it.
    let stored = vault.join("attachments").join(format!("{id}.age"));
    let mut bytes = std::fs::read(&stored).unwrap();
    let last = bytes.len() - 20;
    bytes[last] ^= 1;
    std::fs::write(&stored, bytes).unwrap();
    let out = run_as(&vault, &["audit", "verify"], PASS);
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stdout).contains("almaty-photo-exif.jpg"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn search_and_persons_find_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    sample_vault(&vault);

    let out = run_as(&vault, &["search", "командировке", "--json"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["hits"][0]["kind"], "testimony");

    let out = run_as(
        &vault,
        &[
            "search",
            "--type",
            "trial_in_absentia",
            "--country",
            "at",
            "--from",
            "2008",
            "--to",
            "2008",
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).matches("incident ").count(),
        3,
        "{}",
        text(&out.stdout)
    );

    let out = run_as(&vault, &["search", "x", "--type", "abduktion"], PASS);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        text(&out.stderr).contains("Did you mean \"abduction\""),
        "{}",
        text(&out.stderr)
    );
    let out = run_as(&vault, &["search", "(NOT \"AND"], PASS);
    assert!(
        out.status.success(),
        "operators are words: {}",
        text(&out.stderr)
    );

    let out = run_as(
        &vault,
        &["persons", "find", "Молдашев Данияр", "--json"],
        PASS,
    );
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["id"], "p-moldashev");
    let out = run_as(&vault, &["persons", "find", "Daniar Moldashef"], PASS);
    assert!(text(&out.stdout).contains("fuzzy"), "{}", text(&out.stdout));
}

/// Issue 17's examples, as a caseworker types them: inflected forms,
/// either script for a place, romanisations outside the old folding table,
/// surname-first and patronymic forms of a name. Each finds the record
/// written the other way, and a result says what it is.
#[test]
fn search_finds_what_a_caseworker_means_across_scripts_and_forms() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    sample_vault(&vault);
    let hits = |query: &str| -> Vec<String> {
        let out = run_as(&vault, &["search", query, "--json"], PASS);
        assert!(out.status.success(), "{query}: {}", text(&out.stderr));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["record_id"].as_str().unwrap().to_owned())
            .collect()
    };
    // The testimony says "в командировке", "в Москве", "в Алматы".
    for query in ["командировка", "Moscow", "Almaty"] {
        assert!(
            hits(query).contains(&"t-moldashev-sample".to_owned()),
            "{query}"
        );
    }
    // The incidents say "Almaty" and "Moscow" in Latin letters only.
    assert!(hits("Алматы").contains(&"inc-moldashev-beating-2011".to_owned()));
    assert!(hits("Москва").contains(&"inc-kurmanov-abduction-2012".to_owned()));

    let person = |query: &str| -> String {
        let out = run_as(&vault, &["persons", "find", query, "--json"], PASS);
        assert!(out.status.success(), "{query}: {}", text(&out.stderr));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        r[0]["id"].as_str().unwrap_or_default().to_owned()
    };
    for (query, id) in [
        ("Raxat Aliyev", "p-aliyev"),                 // Uzbek-style x for kh
        ("Рахат Алиев", "p-aliyev"),                  // Cyrillic, given name first
        ("Moldaschew", "p-moldashev"),                // German press spelling
        ("Курманов Айнур", "p-kurmanov"),             // surname first
        ("Айнур Маратович Курманов", "p-kurmanov"),   // with a patronymic
        ("Кетебаев Муратбек Жұмаұлы", "p-ketebayev"), // Kazakh -ұлы patronymic
    ] {
        assert_eq!(person(query), id, "{query}");
    }

    // A testimony has no title of its own: the result names whose it is.
    let out = run_as(&vault, &["search", "командировка"], PASS);
    let first = text(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        first.contains("t-moldashev-sample") && first.contains("Daniyar Moldashev"),
        "{first}"
    );
}

#[test]
fn a_signed_checkpoint_verifies_with_ssh_keygen_and_catches_a_rollback() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    sample_vault(&vault);
    let out = run_as(&vault, &["org-key", "show", "--json"], PASS);
    let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let openssh = key["openssh"].as_str().unwrap().to_owned();

    // A copy of the vault as it is now: what a rollback would restore.
    let old = dir.path().join("old-copy");
    std::fs::create_dir(&old).unwrap();
    for f in std::fs::read_dir(&vault).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), old.join(f.file_name())).unwrap();
    }

    let photo = photo_fixture();
    assert!(
        run_as(
            &vault,
            &["attach", "case-svoik", photo.to_str().unwrap()],
            PASS
        )
        .status
        .success()
    );
    let cp = dir.path().join("checkpoint.txt");
    let out = run_as(
        &vault,
        &["audit", "checkpoint", "--out", cp.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ssh-keygen -Y verify"));

    // Stock OpenSSH verifies the signature.
    let signers = dir.path().join("allowed_signers");
    std::fs::write(&signers, format!("casevault-org {openssh}\n")).unwrap();
    let verify = |file: &Path| {
        std::process::Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&signers)
            .args([
                "-I",
                "casevault-org",
                "-n",
                "casevault-custody-checkpoint",
                "-s",
            ])
            .arg(dir.path().join("checkpoint.txt.sig"))
            .stdin(std::fs::File::open(file).unwrap())
            .output()
            .expect("ssh-keygen (openssh-client) is installed by scripts/setup")
    };
    let ok = verify(&cp);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let forged = dir.path().join("forged.txt");
    std::fs::write(
        &forged,
        std::fs::read_to_string(&cp)
            .unwrap()
            .replace("entries: ", "entries: 9"),
    )
    .unwrap();
    assert!(
        !verify(&forged).status.success(),
        "a changed checkpoint must not verify"
    );

    let out = run_as(
        &vault,
        &["audit", "verify", "--checkpoint", cp.to_str().unwrap()],
        PASS,
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // Roll the vault back to the old copy: the checkpoint catches it.
    std::fs::remove_dir_all(&vault).unwrap();
    std::fs::rename(&old, &vault).unwrap();
    let out = run_as(
        &vault,
        &["audit", "verify", "--checkpoint", cp.to_str().unwrap()],
        PASS,
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stdout).contains("rolled back"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn contacts_take_only_valid_public_keys_and_keygen_makes_one() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    init_recovery(&vault);

    // Keys made by the stock tools.
    let age_key = dir.path().join("age.txt");
    let out = std::process::Command::new("age-keygen")
        .arg("-o")
        .arg(&age_key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let age_pub = String::from_utf8(
        std::process::Command::new("age-keygen")
            .arg("-y")
            .arg(&age_key)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let ssh_key = dir.path().join("id_ed25519");
    let out = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "lawyer@example",
            "-f",
        ])
        .arg(&ssh_key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let ssh_pub = std::fs::read_to_string(ssh_key.with_extension("pub")).unwrap();

    let out = run_as(
        &vault,
        &[
            "contacts",
            "add",
            "Anna Lawyer",
            age_pub.trim(),
            "--organisation",
            "Vienna Bar",
            "--verified",
            "2026-11-20",
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Fingerprint"));
    let out = run_as(
        &vault,
        &["contacts", "add", "Ruslan Counsel", ssh_pub.trim()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Not yet verified"));

    let before = run_as(&vault, &["contacts", "ls", "--json"], PASS).stdout;
    for (key, says) in [
        (&age_pub.trim()[..40], "damaged or incomplete"),
        ("AGE-SECRET-KEY-1ABCDEF", "SECRET"),
        (
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC",
            "only ssh-ed25519",
        ),
        ("hello", "not a public key"),
    ] {
        let out = run_as(&vault, &["contacts", "add", "Bad", key], PASS);
        assert_eq!(out.status.code(), Some(9), "{key}");
        assert!(
            text(&out.stderr).contains(says),
            "{key}: {}",
            text(&out.stderr)
        );
    }
    let out = run_as(&vault, &["contacts", "add", "Twice", age_pub.trim()], PASS);
    assert!(
        text(&out.stderr).contains("already belongs"),
        "{}",
        text(&out.stderr)
    );
    let out = run_as(
        &vault,
        &[
            "contacts",
            "add",
            "Late",
            age_pub.trim(),
            "--verified",
            "yesterday",
        ],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(
        run_as(&vault, &["contacts", "ls", "--json"], PASS).stdout,
        before,
        "nothing written"
    );

    let list: serde_json::Value = serde_json::from_slice(&before).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert!(
        run_as(&vault, &["contacts", "rm", &id], PASS)
            .status
            .success()
    );

    let out = run_as(&vault, &["keygen", "--label", "from NGOs"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("age1"));
}

fn sh(cmd: &mut std::process::Command) -> Output {
    cmd.output()
        .expect("a stock tool installed by scripts/setup")
}

#[test]
fn a_bundle_opens_with_stock_tools_keeps_consent_and_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vault = d.join("vault");
    sample_vault(&vault);
    // A testimony whose consent does not cover lawyers, with a canary.
    let canary = "NOCONSENT-7f3a Только для внутреннего пользования";
    let extra = d.join("extra.json");
    std::fs::write(
        &extra,
        serde_json::json!({"format": "casevault-interchange", "version": 1,
            "testimonies": [{"id": "t-internal", "case": "case-moldashev", "person": "p-moldashev",
                "language": "ru", "statement": canary,
                "consent": {"record": true, "share_lawyers": false, "share_courts": false,
                            "share_un": false, "share_media": false, "publish": false}}]})
        .to_string(),
    )
    .unwrap();
    assert!(
        run_as(&vault, &["import", extra.to_str().unwrap()], PASS)
            .status
            .success()
    );
    let photo = photo_fixture();
    assert!(
        run_as(
            &vault,
            &["attach", "case-moldashev", photo.to_str().unwrap()],
            PASS
        )
        .status
        .success()
    );

    let key = d.join("lawyer.txt");
    assert!(
        sh(std::process::Command::new("age-keygen").arg("-o").arg(&key))
            .status
            .success()
    );
    let recipient = text(&sh(std::process::Command::new("age-keygen").arg("-y").arg(&key)).stdout);
    let bundle = d.join("moldashev.cvb");
    let out = run_as(
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
            "--lang",
            "ru",
            "--out",
            bundle.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Held back: testimony t-internal"),
        "{}",
        text(&out.stderr)
    );

    // 1. Stock age decrypts it.
    let tarball = d.join("b.tar");
    let out = sh(std::process::Command::new("age")
        .args(["-d", "-i"])
        .arg(&key)
        .arg("-o")
        .arg(&tarball)
        .arg(&bundle));
    assert!(out.status.success(), "{}", text(&out.stderr));
    // rage, where it is installed (`cargo install rage`), decrypts it too.
    if let Ok(out) = std::process::Command::new("rage")
        .arg("-d")
        .arg("-i")
        .arg(&key)
        .arg(&bundle)
        .output()
    {
        assert!(out.status.success(), "rage: {}", text(&out.stderr));
        assert_eq!(out.stdout, std::fs::read(&tarball).unwrap());
    }
    // Consent: neither the withheld testimony nor the protected person's
    // names appear anywhere in the plaintext.
    let plain = std::fs::read(&tarball).unwrap();
    for secret in [
        canary,
        "NOCONSENT",
        "Moldashev",
        "Молдашев",
        "Daniyar",
        "Данияр",
        "Daniar",
        "moldashev",
    ] {
        assert!(
            !contains(&plain, secret),
            "{secret:?} leaked into the bundle"
        );
    }
    assert!(
        contains(&plain, "Witness 7"),
        "the pseudonym is used instead"
    );
    // 2. Stock tar extracts it; 3. sha256sum -c passes; 4. ssh-keygen verifies.
    let x = d.join("x");
    std::fs::create_dir(&x).unwrap();
    assert!(
        sh(std::process::Command::new("tar")
            .arg("-xf")
            .arg(&tarball)
            .arg("-C")
            .arg(&x))
        .status
        .success()
    );
    let out = sh(std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&x));
    assert!(out.status.success(), "{}", text(&out.stdout));
    std::fs::write(
        x.join("allowed_signers"),
        format!(
            "casevault-org {}",
            std::fs::read_to_string(x.join("org-key.pub")).unwrap()
        ),
    )
    .unwrap();
    let ssh_verify = |dir: &Path| {
        sh(std::process::Command::new("ssh-keygen")
            .args([
                "-Y",
                "verify",
                "-f",
                "allowed_signers",
                "-I",
                "casevault-org",
                "-n",
                "casevault-bundle",
                "-s",
                "SHA256SUMS.sig",
            ])
            .current_dir(dir)
            .stdin(std::fs::File::open(dir.join("SHA256SUMS")).unwrap()))
    };
    let out = ssh_verify(&x);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        std::fs::read_to_string(x.join("dossier.html"))
            .unwrap()
            .contains("Досье")
    );
    // The data imports into another vault.
    let other = d.join("other");
    init_recovery(&other);
    let out = run_as(
        &other,
        &["import", x.join("data.json").to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Casevault's own reader, with the key checked out of band.
    let org = d.join("org.pub");
    std::fs::copy(x.join("org-key.pub"), &org).unwrap();
    let cv = |args: &[&str]| casevault(&vault).args(args).output().unwrap();
    let out = cv(&[
        "bundle",
        "verify",
        bundle.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
        "--org-key",
        org.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("OK: the signature and every hash check out"));
    let opened = d.join("opened");
    let out = cv(&[
        "bundle",
        "open",
        bundle.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
        "--org-key",
        org.to_str().unwrap(),
        "--out",
        opened.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(opened.join("dossier.html").exists());

    // 5. Flip a byte: each step fails. A file changed after extraction fails
    // sha256sum; a changed SHA256SUMS fails ssh-keygen.
    std::fs::write(x.join("data.json"), b"{}").unwrap();
    assert!(
        !sh(std::process::Command::new("sha256sum")
            .args(["-c", "SHA256SUMS", "--quiet"])
            .current_dir(&x))
        .status
        .success()
    );
    let mut sums = std::fs::read(x.join("SHA256SUMS")).unwrap();
    sums[3] ^= 1;
    std::fs::write(x.join("SHA256SUMS"), sums).unwrap();
    assert!(!ssh_verify(&x).status.success());
    let mut bytes = std::fs::read(&bundle).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    let flipped = d.join("flipped.cvb");
    std::fs::write(&flipped, &bytes).unwrap();
    assert!(
        !sh(std::process::Command::new("age")
            .args(["-d", "-i"])
            .arg(&key)
            .arg("-o")
            .arg(d.join("f.tar"))
            .arg(&flipped))
        .status
        .success()
    );
    let out = cv(&[
        "bundle",
        "verify",
        flipped.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(11), "{}", text(&out.stderr));
    let out = cv(&[
        "bundle",
        "open",
        flipped.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
        "--out",
        d.join("nope").to_str().unwrap(),
    ]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        !d.join("nope").exists() && !d.join("nope.partial").exists(),
        "nothing extracted"
    );
    // Truncated.
    let cut = d.join("cut.cvb");
    std::fs::write(&cut, &std::fs::read(&bundle).unwrap()[..bytes.len() - 100]).unwrap();
    let out = cv(&[
        "bundle",
        "verify",
        cut.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(11), "{}", text(&out.stderr));
    // Not addressed to this key.
    let stranger = d.join("stranger.txt");
    assert!(
        sh(std::process::Command::new("age-keygen")
            .arg("-o")
            .arg(&stranger))
        .status
        .success()
    );
    let out = cv(&[
        "bundle",
        "verify",
        bundle.to_str().unwrap(),
        "-i",
        stranger.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("not addressed to you"),
        "{}",
        text(&out.stderr)
    );
    // Signed by an organisation other than the one trusted: refused.
    let other_org = d.join("other-org.pub");
    let out = run_as(&other, &["org-key", "show"], PASS);
    std::fs::write(&other_org, text(&out.stdout).lines().next().unwrap()).unwrap();
    let out = cv(&[
        "bundle",
        "verify",
        bundle.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
        "--org-key",
        other_org.to_str().unwrap(),
    ]);
    // Exit 10: the signer is not the key trusted (it was 4, "tampered",
    // before signer checks had their own code).
    assert_eq!(out.status.code(), Some(10));
    assert!(text(&out.stdout).contains("NOT the organisation key"));
    // An age file that is not a bundle.
    let not_bundle = d.join("plain.age");
    let out = sh(std::process::Command::new("age")
        .arg("-r")
        .arg(recipient.trim())
        .arg("-o")
        .arg(&not_bundle)
        .arg(&photo));
    assert!(out.status.success());
    let out = cv(&[
        "bundle",
        "verify",
        not_bundle.to_str().unwrap(),
        "-i",
        key.to_str().unwrap(),
    ]);
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn an_activist_seals_a_report_and_the_ngo_takes_it_in_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let activist = dir.path().join("activist");
    let ngo = dir.path().join("ngo");
    let other_ngo = dir.path().join("other");
    let out = casevault(&activist)
        .env("CASEVAULT_NEW_PASSPHRASE", PASS)
        .args(["init", "--kdf-ms", "0", "--self-report"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    init_recovery(&ngo);
    init_recovery(&other_ngo);
    let out = run_as(&activist, &["status"], PASS);
    assert!(
        text(&out.stdout).contains("self-report"),
        "{}",
        text(&out.stdout)
    );
    let key = |v: &Path| {
        let out = run_as(v, &["keygen", "--label", "intake"], PASS);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout).trim().to_owned()
    };
    let intake_key = key(&ngo);
    key(&other_ngo);

    let answers = dir.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"language": "ru",
            "about_me": {"name": "Бота Жумабаева", "citizenship": "KZ", "living_in": "PL"},
            "what_happened": {"happened": true, "act_type": "coercion_by_proxy",
              "when": "в марте 2024", "details": "Полиция приходила к моей матери в Алматы."},
            "digital": {"happened": true, "act_type": "spyware",
              "when": "2024-05", "details": "Apple threat notification."},
            "consent": {"record": true, "share_lawyers": true}}"#,
    )
    .unwrap();
    let out = run_as(
        &activist,
        &["report", "new", "--answers", answers.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout).trim().to_owned();
    let out = run_as(
        &activist,
        &[
            "report",
            "attach",
            &report,
            photo_fixture().to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // A truncated key is refused on entry; nothing is written.
    let sealed = dir.path().join("report.cvb");
    let out = run_as(
        &activist,
        &[
            "report",
            "seal",
            &report,
            "--to",
            &intake_key[..40],
            "--out",
            sealed.to_str().unwrap(),
        ],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("damaged or incomplete"));
    assert!(!sealed.exists());

    let out = run_as(
        &activist,
        &[
            "report",
            "seal",
            &report,
            "--to",
            &intake_key,
            "--lang",
            "ru",
            "--out",
            sealed.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Another organisation cannot open it.
    let out = run_as(
        &other_ngo,
        &["intake", "import", sealed.to_str().unwrap()],
        PASS,
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("not addressed to this organisation"));

    let out = run_as(&ngo, &["intake", "import", sealed.to_str().unwrap()], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_owned();
    let out = run_as(&ngo, &["intake", "import", sealed.to_str().unwrap()], PASS);
    assert_eq!(out.status.code(), Some(9));
    assert!(text(&out.stderr).contains("received before"));

    let out = run_as(&ngo, &["intake", "show", &id], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Бота Жумабаева"), "{shown}");
    assert!(shown.contains("almaty-photo-exif.jpg"), "{shown}");

    let out = run_as(&ngo, &["intake", "accept", &id], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let case = text(&out.stdout).trim().to_owned();
    let out = run_as(&ngo, &["case", "show", &case], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Бота Жумабаева"));
    let out = run_as(&ngo, &["attachments", "ls", "--record", &case], PASS);
    assert!(
        text(&out.stdout).contains("almaty-photo-exif.jpg"),
        "{}",
        text(&out.stdout)
    );
    let out = run_as(&ngo, &["intake", "ls"], PASS);
    assert!(text(&out.stdout).contains(&format!("accepted into {case}")));
    let out = run_as(&ngo, &["audit", "verify"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The activist deletes their copy; the report is gone from the list.
    let out = run_as(&activist, &["report", "delete", &report], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run_as(&activist, &["report", "ls"], PASS);
    assert!(text(&out.stdout).trim().is_empty(), "{}", text(&out.stdout));
    assert!(sealed.exists(), "the sealed file is untouched");
}

#[test]
fn a_second_machine_imports_the_organisations_intake_key() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    init_recovery(&vault);
    let key = dir.path().join("intake-key.txt");
    let out = sh(std::process::Command::new("age-keygen").arg("-o").arg(&key));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let public = text(&sh(std::process::Command::new("age-keygen").arg("-y").arg(&key)).stdout);
    let out = run_as(
        &vault,
        &[
            "keygen",
            "--label",
            "intake",
            "--import",
            key.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), public.trim());
    // A public key is not an identity; the same key twice is refused.
    let pub_file = dir.path().join("intake-key.pub");
    std::fs::write(&pub_file, &public).unwrap();
    let out = run_as(
        &vault,
        &["keygen", "--import", pub_file.to_str().unwrap()],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9));
    assert!(
        text(&out.stderr).contains("public key"),
        "{}",
        text(&out.stderr)
    );
    let out = run_as(&vault, &["keygen", "--import", key.to_str().unwrap()], PASS);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        text(&out.stderr).contains("already"),
        "{}",
        text(&out.stderr)
    );
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Writes `vault`'s organisation key to `to` and returns its fingerprint
/// as `org-key show --json` gives it.
fn org_key_file(vault: &Path, to: &Path) -> String {
    let key = json(&run_as(vault, &["org-key", "show", "--json"], PASS));
    std::fs::write(to, format!("{}\n", key["openssh"].as_str().unwrap())).unwrap();
    // Canonical, as ssh-keygen prints it (screens group it to read aloud).
    key["fingerprint"].as_str().unwrap().replace(' ', "")
}

#[test]
fn a_lawyer_imports_a_bundle_with_its_evidence_and_only_from_a_checked_signer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ngo = d.join("ngo");
    let lawyer = d.join("lawyer");
    sample_vault(&ngo);
    init_recovery(&lawyer);
    let photo = photo_fixture();
    let out = run_as(
        &ngo,
        &["attach", "case-kurmanov", photo.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sent = json(&run_as(&ngo, &["attachments", "ls", "--json"], PASS));
    let sent = &sent.as_array().unwrap()[0];
    let out = run_as(&lawyer, &["keygen", "--label", "bundles"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let recipient = text(&out.stdout).trim().to_owned();
    let bundle = d.join("kurmanov.cvb");
    let out = run_as(
        &ngo,
        &[
            "bundle",
            "create",
            "--case",
            "case-kurmanov",
            "--recipient",
            &recipient,
            "--organisation",
            "Freedom Now NGO",
            "--out",
            bundle.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let org = d.join("org.pub");
    let fingerprint = org_key_file(&ngo, &org);

    // An unknown signer: refused with exit 10, nothing imported.
    let out = run_as(
        &lawyer,
        &["bundle", "import", bundle.to_str().unwrap()],
        PASS,
    );
    assert_eq!(out.status.code(), Some(10), "{}", text(&out.stderr));
    let none = json(&run_as(&lawyer, &["attachments", "ls", "--json"], PASS));
    assert!(none.as_array().unwrap().is_empty());
    let out = run_as(
        &lawyer,
        &[
            "bundle",
            "import",
            bundle.to_str().unwrap(),
            "--accept-signer",
            "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ],
        PASS,
    );
    assert_eq!(out.status.code(), Some(10), "{}", text(&out.stderr));

    // With the key compared out of band.
    let out = run_as(
        &lawyer,
        &[
            "bundle",
            "import",
            bundle.to_str().unwrap(),
            "--org-key",
            org.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = json(&run_as(&lawyer, &["attachments", "ls", "--json"], PASS));
    let got = got
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["sha256"] == sent["sha256"])
        .expect("the photo arrived");
    for field in [
        "record_id",
        "original_name",
        "size",
        "media_type",
        "capture",
    ] {
        assert_eq!(got[field], sent[field], "{field}");
    }
    let copy = d.join("copy.jpg");
    let out = run_as(
        &lawyer,
        &[
            "attachment",
            "get",
            got["id"].as_str().unwrap(),
            "--out",
            copy.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read(&copy).unwrap() == std::fs::read(&photo).unwrap());
    let out = sh(std::process::Command::new("sha256sum").arg(&copy));
    assert!(text(&out.stdout).starts_with(sent["sha256"].as_str().unwrap()));
    let trail = json(&run_as(
        &lawyer,
        &[
            "audit",
            "show",
            "--target",
            got["id"].as_str().unwrap(),
            "--json",
        ],
        PASS,
    ));
    assert!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "import")
    );
    assert!(run_as(&lawyer, &["audit", "verify"], PASS).status.success());

    // The organisation, added as a contact, shows the same fingerprint as
    // its key screen and as ssh-keygen.
    let out = sh(std::process::Command::new("ssh-keygen")
        .arg("-l")
        .arg("-f")
        .arg(&org));
    let keygen = text(&out.stdout);
    // The screens group it in fours to read aloud; ssh-keygen does not.
    assert_eq!(
        keygen.split_whitespace().nth(1),
        Some(fingerprint.replace(' ', "").as_str())
    );
    let openssh = std::fs::read_to_string(&org).unwrap();
    let out = run_as(
        &lawyer,
        &["contacts", "add", "Freedom Now NGO", openssh.trim()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let contact = text(&out.stdout).trim().to_owned();
    let contacts = json(&run_as(&lawyer, &["contacts", "ls", "--json"], PASS));
    assert_eq!(
        contacts[0]["fingerprint"]
            .as_str()
            .unwrap()
            .replace(' ', ""),
        fingerprint
    );
    assert_eq!(contacts[0]["verified_on"], serde_json::Value::Null);
    // Marked verified afterwards; an unknown contact is refused.
    let out = run_as(
        &lawyer,
        &["contacts", "verify", &contact, "--on", "2026-11-24"],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let contacts = json(&run_as(&lawyer, &["contacts", "ls", "--json"], PASS));
    assert_eq!(contacts[0]["verified_on"], "2026-11-24");
    let out = run_as(&lawyer, &["contacts", "verify", "no-such-contact"], PASS);
    assert_eq!(out.status.code(), Some(9));
    // The text listing shows it grouped for reading aloud: the same
    // characters as ssh-keygen's.
    let listed = text(&run_as(&lawyer, &["contacts", "ls"], PASS).stdout);
    let shown: String = listed
        .split("SHA256:")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(format!("SHA256:{shown}"), fingerprint);
}

#[test]
fn verify_and_open_refuse_an_unknown_or_wrong_signer_before_extracting() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ngo = d.join("ngo");
    let other = d.join("other");
    sample_vault(&ngo);
    init_recovery(&other);
    let key = d.join("lawyer.txt");
    assert!(
        sh(std::process::Command::new("age-keygen").arg("-o").arg(&key))
            .status
            .success()
    );
    let recipient = text(&sh(std::process::Command::new("age-keygen").arg("-y").arg(&key)).stdout);
    let bundle = d.join("b.cvb");
    let out = run_as(
        &ngo,
        &[
            "bundle",
            "create",
            "--case",
            "case-kurmanov",
            "--recipient",
            recipient.trim(),
            "--organisation",
            "Freedom Now NGO",
            "--out",
            bundle.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let org = d.join("org.pub");
    org_key_file(&ngo, &org);
    let wrong = d.join("wrong.pub");
    org_key_file(&other, &wrong);
    let cv = |args: &[&str]| casevault(&ngo).args(args).output().unwrap();
    let b = bundle.to_str().unwrap();
    let k = key.to_str().unwrap();

    // No key to check the signer against: unknown, exit 10 ...
    let out = cv(&["bundle", "verify", b, "-i", k]);
    assert_eq!(out.status.code(), Some(10), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("UNKNOWN"));
    // ... unless the user accepts that, knowingly.
    let out = cv(&["bundle", "verify", b, "-i", k, "--accept-unknown-signer"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = cv(&[
        "bundle",
        "verify",
        b,
        "-i",
        k,
        "--org-key",
        org.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Open with a mismatching key: refused before anything is extracted.
    for (args, why) in [
        (vec!["--org-key", wrong.to_str().unwrap()], "wrong key"),
        (vec![], "no key"),
    ] {
        let target = d.join("opened");
        let mut all = vec![
            "bundle",
            "open",
            b,
            "-i",
            k,
            "--out",
            target.to_str().unwrap(),
        ];
        all.extend(args);
        let out = cv(&all);
        assert_eq!(out.status.code(), Some(10), "{why}: {}", text(&out.stderr));
        assert!(
            !target.exists() && !d.join("opened.partial").exists(),
            "{why}: nothing extracted"
        );
    }
    let target = d.join("opened");
    let out = cv(&[
        "bundle",
        "open",
        b,
        "-i",
        k,
        "--out",
        target.to_str().unwrap(),
        "--accept-unknown-signer",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(target.join("dossier.html").exists());
}

#[test]
fn a_self_report_is_refused_by_bundle_import() {
    let dir = tempfile::tempdir().unwrap();
    let activist = dir.path().join("activist");
    let lawyer = dir.path().join("lawyer");
    let out = casevault(&activist)
        .env("CASEVAULT_NEW_PASSPHRASE", PASS)
        .args(["init", "--kdf-ms", "0", "--self-report"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    init_recovery(&lawyer);
    let out = run_as(&lawyer, &["keygen", "--label", "intake"], PASS);
    let key = text(&out.stdout).trim().to_owned();
    let answers = dir.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"language": "en",
            "about_me": {"name": "Bota Zhumabayeva", "citizenship": "KZ", "living_in": "PL"},
            "what_happened": {"happened": true, "act_type": "coercion_by_proxy",
              "when": "March 2024", "details": "The police visited my mother."},
            "consent": {"record": true, "share_lawyers": true}}"#,
    )
    .unwrap();
    let out = run_as(
        &activist,
        &["report", "new", "--answers", answers.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout).trim().to_owned();
    let sealed = dir.path().join("report.cvb");
    let out = run_as(
        &activist,
        &[
            "report",
            "seal",
            &report,
            "--to",
            &key,
            "--out",
            sealed.to_str().unwrap(),
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fp = json(&run_as(&activist, &["org-key", "show", "--json"], PASS))["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = run_as(&lawyer, &["status", "--json"], PASS).stdout;
    // Even with its signer accepted, Bundles → Import does not take it.
    let out = run_as(
        &lawyer,
        &[
            "bundle",
            "import",
            sealed.to_str().unwrap(),
            "--accept-signer",
            &fp,
        ],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9), "{}", text(&out.stderr));
    assert_eq!(run_as(&lawyer, &["status", "--json"], PASS).stdout, before);
}

#[test]
fn control_characters_are_refused_on_import_and_escaped_in_every_listing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    sample_vault(&vault);
    let extra = dir.path().join("extra.json");
    std::fs::write(
        &extra,
        serde_json::json!({"format": "casevault-interchange", "version": 1,
            "cases": [{"id": "case-ctl", "title": "Case \u{202e}txt.exe", "status": "open"}],
            "incidents": [{"id": "inc-ctl", "case": "case-ctl", "title": "Visit",
                "act_type": "assault", "start": "2024",
                "description": "They came \u{1b}[2J\u{1b}[31mat night"}]})
        .to_string(),
    )
    .unwrap();
    let out = run_as(&vault, &["import", extra.to_str().unwrap()], PASS);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out.stderr));
    assert!(!out.stderr.contains(&0x1b), "the error itself is escaped");
    let out = run_as(&vault, &["cases", "ls", "--json"], PASS);
    assert!(!text(&out.stdout).contains("case-ctl"), "nothing imported");

    // A custody entry holding ESC and U+202E, as one written before this
    // check could: the path a copy was saved to is kept verbatim.
    let photo = photo_fixture();
    let out = run_as(
        &vault,
        &["attach", "case-kurmanov", photo.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_owned();
    let evil = dir.path().join("copy\u{1b}[2J\u{1b}[31m\u{202e}gpj.exe");
    let out = run_as(
        &vault,
        &["attachment", "get", &id, "--out", evil.to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raw = |s: &[u8]| s.contains(&0x1b) || String::from_utf8_lossy(s).contains('\u{202e}');
    for args in [
        vec!["audit", "show"],
        vec!["audit", "show", "--target", &id],
        vec!["audit", "show", "--json"],
    ] {
        let out = run_as(&vault, &args, PASS);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            !raw(&out.stdout),
            "{args:?} printed a raw control character"
        );
        assert!(!raw(&out.stderr));
        if args.contains(&"--json") {
            // Still the same JSON: the escapes decode to what is stored.
            let entries: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                entries
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["detail"].as_str().is_some_and(|d| d.contains('\u{202e}')))
            );
        } else {
            assert!(
                text(&out.stdout).contains("\\u{1b}[2J"),
                "{}",
                text(&out.stdout)
            );
        }
    }
}

#[test]
fn bundle_review_choices_and_staff_labels_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ngo = d.join("ngo");
    sample_vault(&ngo);
    // The protected Moldashev's names are replaced, and the review says so.
    let r = json(&run_as(
        &ngo,
        &["bundle", "review", "--case", "case-moldashev", "--json"],
        PASS,
    ));
    let passages = r["passages"].as_array().unwrap();
    assert!(!passages.is_empty());
    for p in passages {
        assert!(!p["after"].as_str().unwrap().contains("Молдашев"), "{p}");
    }
    assert_eq!(r["pseudonymised"], 1);
    // A malformed --protect is refused with the input code, nothing written.
    let out = run_as(
        &ngo,
        &[
            "bundle",
            "review",
            "--case",
            "case-moldashev",
            "--protect",
            "nobody",
        ],
        PASS,
    );
    assert_eq!(out.status.code(), Some(9));

    // Staff labels: refused when empty, then used in the exported trail.
    let out = run_as(&ngo, &["staff-label", "caseworker", " "], PASS);
    assert_eq!(out.status.code(), Some(9));
    let out = run_as(
        &ngo,
        &["staff-label", "caseworker", "Caseworker, Vilnius"],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&run_as(&ngo, &["staff-label"], PASS).stdout);
    assert!(
        listed.contains("caseworker\tCaseworker, Vilnius"),
        "{listed}"
    );

    let key = age::x25519::Identity::generate();
    let out_file = d.join("b.cvb");
    let out = run_as(
        &ngo,
        &[
            "bundle",
            "create",
            "--case",
            "case-moldashev",
            "--recipient",
            &key.to_public().to_string(),
            "--organisation",
            "NGO",
            "--out",
            out_file.to_str().unwrap(),
            "--strip-metadata",
            "--leave-out",
            "t-moldashev-sample",
        ],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Decrypted with age, independently of Casevault: the testimony left
    // out is held back, and the protected name is nowhere.
    let decryptor = age::Decryptor::new(std::fs::File::open(&out_file).unwrap()).unwrap();
    let reader = decryptor
        .decrypt(std::iter::once(&key as &dyn age::Identity))
        .unwrap();
    let mut archive = tar::Archive::new(reader);
    let mut manifest = None;
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(!text.contains("Молдашев"), "{path}");
        if path == "manifest.json" {
            manifest = Some(serde_json::from_str::<serde_json::Value>(&text).unwrap());
        }
    }
    let manifest = manifest.unwrap();
    let withheld = manifest["redaction"]["withheld"].as_array().unwrap();
    assert_eq!(withheld.len(), 1);
    assert_eq!(withheld[0]["reason"], "left out by the caseworker");
    assert!(withheld[0].get("id").is_none());
}

/// Opening a vault of the schema before the search keys rebuilds them, and
/// the CLI reports that step's progress on stderr: a line with the records
/// done and the records in all, the last one complete. Once migrated, the
/// next command reports nothing.
#[test]
fn an_old_vault_reports_search_index_progress_once() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../casevault-core/tests/fixtures/vault-schema-9");
    std::fs::create_dir(&vault).unwrap();
    for name in ["header.cvh", "vault.db"] {
        std::fs::copy(fixture.join(name), vault.join(name)).unwrap();
    }
    let pass = "fixture vault passphrase: amber kettle horizon 1989";
    // Lines whose numbers are "done … total" with done == total > 0.
    let complete_reports = |stderr: &str| -> usize {
        stderr
            .lines()
            .filter(|line| {
                let numbers: Vec<u64> = line
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                matches!(numbers.as_slice(), [done, total] if done == total && *total > 0)
            })
            .count()
    };
    let first = run_as(&vault, &["status"], pass);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(complete_reports(&text(&first.stderr)), 1);
    let second = run_as(&vault, &["status"], pass);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(complete_reports(&text(&second.stderr)), 0);
}

/// The CLI writes as the operating-system login it was started under
/// (`USER`, else Windows' `USERNAME`, else "caseworker"): the core reads no
/// environment, so this is the CLI's session at work.
#[test]
fn custody_entries_name_the_login_the_cli_was_started_under() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v");
    let out = casevault(&vault)
        .env("CASEVAULT_NEW_PASSPHRASE", PASS)
        .env("USER", "aigerim.n")
        .args(["init", "--kdf-ms", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
    let out = casevault(&vault)
        .env("CASEVAULT_PASSPHRASE", PASS)
        .env("USERNAME", "daniyar.m")
        .args(["import", sample.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run_as(
        &vault,
        &["backup", "--out", dir.path().join("b").to_str().unwrap()],
        PASS,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = run_as(&vault, &["audit", "show", "--json"], PASS);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let entries: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let actor_of = |action: &str| -> Vec<String> {
        entries
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action)
            .map(|e| e["actor"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(actor_of("vault_created"), ["aigerim.n"]);
    let imported = actor_of("import");
    assert!(!imported.is_empty());
    assert!(imported.iter().all(|a| a == "daniyar.m"), "{imported:?}");
    assert_eq!(actor_of("backup"), ["caseworker"]);
}

/// The sample case as `case show --json` prints it, with the custody log
/// (read first: an export would itself be a custody entry).
fn records_and_custody(vault: &Path) -> (serde_json::Value, String) {
    let custody = ok(vault, &["audit", "show", "--json"]);
    let case =
        serde_json::from_str(&ok(vault, &["case", "show", "case-moldashev", "--json"])).unwrap();
    (case, custody)
}

/// `amend` changes a record as the app's editor does: validated, a new
/// version with its reason, a custody entry; bad data is refused by code
/// and changes nothing.
#[test]
fn amend_writes_a_new_version_and_refuses_bad_data_changing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v");
    sample_vault(&vault);
    let out = dir.path().join("all.json");
    ok(&vault, &["export-json", "--out", out.to_str().unwrap()]);
    let records: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let mut testimony = records["testimonies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "t-moldashev-sample")
        .unwrap()
        .clone();
    let write = |name: &str, body: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.to_str().unwrap().to_owned()
    };

    let before = records_and_custody(&vault);
    let mut other_id = testimony.clone();
    other_id["id"] = serde_json::json!("t-somewhere-else");
    let mut dangling = testimony.clone();
    dangling["person"] = serde_json::json!("p-nobody-0000");
    let refusals: Vec<(&str, String, &str, &str)> = vec![
        (
            "t-moldashev-sample",
            write("not.json", "{ nope".into()),
            "why",
            "file_not_json",
        ),
        (
            "t-moldashev-sample",
            write("array.json", "[]".into()),
            "why",
            "file_wrong_shape",
        ),
        (
            "t-moldashev-sample",
            write("other.json", other_id.to_string()),
            "why",
            "file_wrong_shape",
        ),
        (
            "t-no-such-record",
            write("ok.json", testimony.to_string()),
            "why",
            "not_found",
        ),
        (
            "t-moldashev-sample",
            write("same.json", testimony.to_string()),
            " ",
            "reason_required",
        ),
    ];
    for (id, file, reason, code) in refusals {
        let out = run(&vault, &["amend", id, "--data", &file, "--reason", reason]);
        assert_eq!(
            out.status.code(),
            Some(EXIT_INVALID),
            "{code}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(&format!("problem: {code}")),
            "{code}: {}",
            text(&out.stderr)
        );
        assert!(
            before == records_and_custody(&vault),
            "{code} changed the vault"
        );
    }
    let out = run(
        &vault,
        &[
            "amend",
            "t-moldashev-sample",
            "--data",
            &write("dangling.json", dangling.to_string()),
            "--reason",
            "why",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(EXIT_INVALID),
        "{}",
        text(&out.stderr)
    );
    assert!(
        before == records_and_custody(&vault),
        "dangling data changed the vault"
    );

    testimony["statement"] = serde_json::json!("Corrected after a second interview.");
    let file = write("amended.json", testimony.to_string());
    ok(
        &vault,
        &[
            "amend",
            "t-moldashev-sample",
            "--data",
            &file,
            "--reason",
            "second interview",
        ],
    );
    let (after, custody) = records_and_custody(&vault);
    assert_ne!(after, before.0);
    assert!(
        after
            .to_string()
            .contains("Corrected after a second interview.")
    );
    assert_ne!(custody, before.1, "the change has a custody entry");
    ok(&vault, &["audit", "verify"]);
}
