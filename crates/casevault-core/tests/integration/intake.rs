//! Self-reports end to end on real vaults: an activist fills the
//! questionnaire, attaches a file and seals the report to an NGO's intake
//! key; the NGO receives it into its inbox, reviews and accepts it into a
//! case (or rejects it). Follow-ups are found by the reporter's name (no key links them); replays,
//! wrong keys and tampering are refused and change nothing.

use std::path::{Path, PathBuf};

use casevault_core::bundle::Language;
use casevault_core::bundle::intake::{self, AcceptInto, IntakeStatus};
use casevault_core::bundle::read::{self, Unseal};
use casevault_core::bundle::seal::{self, SealRequest};
use casevault_core::model::self_report::{AboutMe, ReportConsent, Section, SelfReport};
use casevault_core::vault::{Vault, VaultMode};
use casevault_core::{Error, ErrorCode};

use crate::common::*;

pub(crate) struct Activist {
    pub vault: Vault,
    _dir: tempfile::TempDir,
}

pub(crate) struct Ngo {
    pub vault: Vault,
    pub intake_key: String,
    pub dir: tempfile::TempDir,
}

pub(crate) fn activist() -> Activist {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    vault.set_mode(VaultMode::SelfReport).unwrap();
    Activist { vault, _dir: dir }
}

pub(crate) fn ngo() -> Ngo {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    // The caseworker every NGO-side step below is taken by.
    vault.set_actor("cw");
    let key = vault.create_identity("Intake").unwrap();
    Ngo {
        vault,
        intake_key: key.recipient,
        dir,
    }
}

pub(crate) fn answers(details: &str) -> SelfReport {
    SelfReport {
        step: 7,
        language: "ru".into(),
        about_me: AboutMe {
            name: "Aigerim Nurpeisova".into(),
            other_names: "Айгерим Нурпеисова".into(),
            citizenship: "KZ".into(),
            living_in: "DE".into(),
            contact: String::new(),
        },
        what_happened: Section {
            happened: Some(true),
            act_type: "physical_surveillance".into(),
            when: "March 2024".into(),
            place: "outside my flat".into(),
            country: "DE".into(),
            details: details.into(),
            who: "KNB".into(),
            why: "They spoke Kazakh.".into(),
        },
        digital: Section {
            happened: Some(true),
            act_type: "phishing".into(),
            when: "approx. April 2024".into(),
            details: "A fake Google login page sent on Telegram.".into(),
            ..Section::default()
        },
        consent: ReportConsent {
            record: true,
            share_lawyers: true,
            ..ReportConsent::default()
        },
        ..SelfReport::default()
    }
}

/// Writes a report with one attached file and seals it to `key`.
pub(crate) fn sealed_report(a: &mut Activist, key: &str, details: &str, out: &Path) -> String {
    let report = a.vault.create_report().unwrap();
    a.vault
        .save_report(&report.summary.id, &answers(details))
        .unwrap();
    let shot = out.with_extension("png");
    std::fs::write(&shot, format!("screenshot bytes {details}")).unwrap();
    a.vault
        .attach_to_report(&report.summary.id, &shot, "file", |_, _| {})
        .unwrap();
    std::fs::remove_file(&shot).unwrap();
    seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: key,
            language: Language::En,
            out,
        },
    )
    .unwrap();
    report.summary.id
}

/// Accepts a report into a new case, as the caseworker of these tests.
pub(crate) fn accept_new(vault: &mut Vault, bundle_id: &str) -> String {
    intake::accept(vault, bundle_id, &AcceptInto::default(), |_, _| {}).unwrap()
}

fn intake_files(n: &Ngo) -> Vec<PathBuf> {
    files_under(&n.dir.path().join("v").join("intake"))
}

#[test]
fn a_report_goes_from_questionnaire_to_a_case_with_its_evidence_and_custody() {
    let mut a = activist();
    let mut n = ngo();
    let out = n.dir.path().join("report.cvb");
    sealed_report(
        &mut a,
        &n.intake_key.clone(),
        "Two men photographed me",
        &out,
    );

    // The bundle is a normal, verifiable bundle of kind self-report, signed
    // by a key made for this seal alone, not the activist vault's own.
    let v = read::verify(
        &out,
        &Unseal::Identities(n.vault.identity_secrets().unwrap()),
        &[],
    )
    .unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.manifest.kind, "self-report");
    let reporter = v.signer_fingerprint.clone();
    assert_ne!(a.vault.org_public_key().unwrap().fingerprint, reporter);

    // A person the NGO already knows under the Cyrillic spelling.
    let known = casevault_core::ops::interchange::parse(
        r#"{"format":"casevault-interchange","version":1,
            "persons":[{"id":"p-known","names":[{"name":"Нурпеисова Айгерим","kind":"primary"}]}]}"#
            .as_bytes(),
    )
    .unwrap();
    casevault_core::ops::interchange::import(&mut n.vault, &known).unwrap();

    let item = intake::receive(&mut n.vault, &out).unwrap();
    assert_eq!(item.status, IntakeStatus::Pending);
    assert_eq!(item.reporter_name, "Aigerim Nurpeisova");
    assert_eq!(item.reporter_fingerprint, reporter);
    assert_eq!(item.files, 1);
    assert_eq!(item.earlier_reports, 0);
    assert_eq!(
        intake_files(&n).len(),
        1,
        "the sealed copy is kept until a decision"
    );

    let review = intake::review(&n.vault, &item.bundle_id).unwrap();
    assert_eq!(review.data.incidents.len(), 2);
    assert_eq!(review.report.files.len(), 1);
    assert!(review.same_reporter.is_empty());
    assert!(
        review.person_matches.iter().any(|p| p.id == "p-known"),
        "transliteration search suggests the known person: {:?}",
        review.person_matches
    );

    let mut seen = Vec::new();
    let case = intake::accept(
        &mut n.vault,
        &item.bundle_id,
        &AcceptInto::default(),
        |done, total| seen.push((done, total)),
    )
    .unwrap();
    assert!(!seen.is_empty(), "accept reports progress");
    let detail = casevault_core::ops::browse::case_detail(&n.vault, &case).unwrap();
    assert_eq!(detail.incidents.len(), 2);
    assert!(
        detail
            .incidents
            .iter()
            .all(|i| i.sources.iter().any(|s| s.starts_with("intake-"))),
        "provenance is kept"
    );
    let evidence = n.vault.attachments_of(&case).unwrap();
    assert_eq!(evidence.len(), 1);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut n.vault.reopen_attachment(&evidence[0].id).unwrap(),
        &mut bytes,
    )
    .unwrap();
    assert_eq!(bytes, b"screenshot bytes Two men photographed me");
    assert_eq!(evidence[0].sha256, review.report.files[0].file.sha256);

    let actions: Vec<String> = n
        .vault
        .custody_log(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for want in ["intake_receive", "import", "attach", "intake_accept"] {
        assert!(actions.iter().any(|a| a == want), "{want} in {actions:?}");
    }
    let report = n.vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let item = &intake::inbox(&n.vault).unwrap()[0];
    assert_eq!(item.status, IntakeStatus::Accepted);
    assert_eq!(item.case_id.as_deref(), Some(case.as_str()));
    assert!(
        intake_files(&n).is_empty(),
        "the sealed copy goes after accept"
    );
}

#[test]
fn a_follow_up_from_the_same_reporter_is_found_by_name_and_accepted_into_the_same_case() {
    let mut a = activist();
    let mut n = ngo();
    let key = n.intake_key.clone();
    let first = n.dir.path().join("first.cvb");
    let second = n.dir.path().join("second.cvb");
    sealed_report(&mut a, &key, "first report", &first);
    sealed_report(&mut a, &key, "they came back", &second);
    let one = intake::receive(&mut n.vault, &first).unwrap();
    let case = accept_new(&mut n.vault, &one.bundle_id);
    let reporter_person = casevault_core::ops::browse::case_detail(&n.vault, &case)
        .unwrap()
        .persons[0]
        .id
        .clone();

    let two = intake::receive(&mut n.vault, &second).unwrap();
    // Each seal has its own key, so no key links the two reports; the
    // name the reporter gave finds the person they were filed under.
    assert_eq!(two.earlier_reports, 0, "no key is shared");
    let review = intake::review(&n.vault, &two.bundle_id).unwrap();
    assert!(review.same_reporter.is_empty());
    assert!(
        review
            .person_matches
            .iter()
            .any(|p| p.id == reporter_person),
        "{:?}",
        review.person_matches
    );

    let into = intake::accept(
        &mut n.vault,
        &two.bundle_id,
        &AcceptInto {
            case_id: Some(case.clone()),
            person_id: Some(reporter_person.clone()),
        },
        |_, _| {},
    )
    .unwrap();
    assert_eq!(into, case);
    let detail = casevault_core::ops::browse::case_detail(&n.vault, &case).unwrap();
    assert_eq!(detail.incidents.len(), 4, "both reports' incidents");
    assert_eq!(detail.persons.len(), 1, "the reporter is not duplicated");
    assert!(
        detail
            .incidents
            .iter()
            .all(|i| i.victims == [reporter_person.clone()])
    );
    assert_eq!(n.vault.attachments_of(&case).unwrap().len(), 2);
    assert_eq!(
        casevault_core::ops::browse::case_summaries(&n.vault)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_report_received_twice_is_recognised_and_not_duplicated() {
    let mut a = activist();
    let mut n = ngo();
    let out = n.dir.path().join("r.cvb");
    sealed_report(&mut a, &n.intake_key.clone(), "once", &out);
    let item = intake::receive(&mut n.vault, &out).unwrap();
    let err = intake::receive(&mut n.vault, &out).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("received before"), "{err}");
    assert!(err.to_string().contains("nothing was duplicated"), "{err}");
    assert_eq!(intake::inbox(&n.vault).unwrap().len(), 1);
    assert_eq!(intake_files(&n).len(), 1, "no second copy, no partial left");

    accept_new(&mut n.vault, &item.bundle_id);
    let records = n.vault.known_records().unwrap().kinds.len();
    let err = intake::receive(&mut n.vault, &out).unwrap_err();
    assert!(err.to_string().contains("accepted into case"), "{err}");
    assert_eq!(n.vault.known_records().unwrap().kinds.len(), records);
    let err = intake::accept(
        &mut n.vault,
        &item.bundle_id,
        &AcceptInto::default(),
        |_, _| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("already accepted"), "{err}");
}

#[test]
fn a_report_sealed_to_another_organisation_is_not_addressed_to_this_one() {
    let mut a = activist();
    let other = ngo();
    let mut n = ngo();
    let out = n.dir.path().join("r.cvb");
    sealed_report(&mut a, &other.intake_key, "for the other NGO", &out);
    let before = snapshot(&n.dir.path().join("v"));
    let err = intake::receive(&mut n.vault, &out).unwrap_err();
    assert!(matches!(err, Error::NotAddressedToOrganisation), "{err:?}");
    assert_eq!(err.code(), ErrorCode::NotAddressedToYou);
    assert!(
        err.to_string()
            .contains("not addressed to this organisation")
    );
    assert!(intake::inbox(&n.vault).unwrap().is_empty());
    assert!(intake_files(&n).is_empty(), "no copy is left behind");
    let after = snapshot(&n.dir.path().join("v"));
    assert_eq!(
        before.keys().filter(|p| !p.starts_with("intake")).count(),
        after.keys().filter(|p| !p.starts_with("intake")).count()
    );
}

#[test]
fn damaged_or_foreign_files_are_refused_and_the_inbox_is_unchanged() {
    let mut a = activist();
    let mut n = ngo();
    let good = n.dir.path().join("good.cvb");
    sealed_report(&mut a, &n.intake_key.clone(), "tamper target", &good);
    let bytes = std::fs::read(&good).unwrap();
    let write = |name: &str, b: &[u8]| {
        let p = n.dir.path().join(name);
        std::fs::write(&p, b).unwrap();
        p
    };
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let cases: Vec<(PathBuf, &str)> = vec![
        (write("flipped.cvb", &flipped), "damaged"),
        (write("cut.cvb", &bytes[..bytes.len() - 100]), "damaged"),
        (
            write("trailing.cvb", &[&bytes[..], b"appended"].concat()),
            "damaged",
        ),
        (
            write("plain.cvb", b"hello, not a bundle"),
            "not an age file",
        ),
        (n.dir.path().join("missing.cvb"), "does not exist"),
        (n.dir.path().to_path_buf(), "is a folder"),
    ];
    for (path, says) in cases {
        let err = intake::receive(&mut n.vault, &path).unwrap_err();
        assert!(err.to_string().contains(says), "{}: {err}", path.display());
    }
    // A case export (not a self-report) is refused too, with where to go.
    let (mut org, _) = new_vault(&n.dir.path().join("org"));
    let doc = casevault_core::ops::interchange::parse(
        br#"{"format":"casevault-interchange","version":1,
            "cases":[{"id":"c1","title":"T","status":"open"}]}"#,
    )
    .unwrap();
    casevault_core::ops::interchange::import(&mut org, &doc).unwrap();
    let export = n.dir.path().join("export.cvb");
    casevault_core::bundle::write::create(
        &mut org,
        casevault_core::bundle::write::CreateRequest {
            case_ids: &["c1".to_owned()],
            seal: casevault_core::bundle::write::Seal::Recipients(vec![n.intake_key.clone()]),
            language: Language::En,
            organisation: "Other NGO",
            out: &export,
        },
    )
    .unwrap();
    let err = intake::receive(&mut n.vault, &export).unwrap_err();
    assert!(err.to_string().contains("not a self-report"), "{err}");

    assert!(intake::inbox(&n.vault).unwrap().is_empty());
    assert!(intake_files(&n).is_empty());
    // The good one still goes in.
    intake::receive(&mut n.vault, &good).unwrap();
}

#[test]
fn malformed_keys_are_rejected_and_no_file_is_written() {
    let mut a = activist();
    let n = ngo();
    let report = a.vault.create_report().unwrap();
    a.vault
        .save_report(&report.summary.id, &answers("x"))
        .unwrap();
    let key = n.intake_key.clone();
    for (bad, says) in [
        (&key[..key.len() - 5], "damaged or incomplete"),
        ("age1", "damaged or incomplete"),
        ("AGE-SECRET-KEY-1QQQ", "SECRET key"),
        ("ssh-rsa AAAAB3NzaC1yc2E", "only ssh-ed25519"),
        ("hello", "not a public key"),
        ("", "paste"),
    ] {
        let out = n.dir.path().join("never.cvb");
        let err = seal::seal(
            &mut a.vault,
            SealRequest {
                report_id: &report.summary.id,
                intake_key: bad,
                language: Language::En,
                out: &out,
            },
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert!(err.to_string().contains(says), "{bad:?}: {err}");
        assert!(!out.exists());
        let err = a
            .vault
            .add_contact(casevault_core::vault::contacts::NewContact {
                name: "NGO",
                organisation: None,
                key: bad,
                verified_on: None,
            })
            .unwrap_err();
        assert!(err.to_string().contains(says), "{bad:?}: {err}");
    }
    assert!(a.vault.contacts().unwrap().is_empty());
}

#[test]
fn an_unfinished_report_cannot_be_sealed_and_says_which_step_to_fix() {
    let mut a = activist();
    let n = ngo();
    let report = a.vault.create_report().unwrap();
    let mut half = answers("x");
    half.consent.record = false;
    half.what_happened.when = String::new();
    a.vault.save_report(&report.summary.id, &half).unwrap();
    let out = n.dir.path().join("never.cvb");
    let err = seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: &n.intake_key,
            language: Language::En,
            out: &out,
        },
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("what_happened.when"), "{text}");
    assert!(text.contains("consent.record"), "{text}");
    assert!(!out.exists());
    // The draft is untouched and resumes where it was.
    let back = a.vault.report(&report.summary.id).unwrap();
    assert_eq!(back.answers, half);
}

#[test]
fn a_rejection_needs_a_reason_and_is_kept_with_the_custody_log() {
    let mut a = activist();
    let mut n = ngo();
    let out = n.dir.path().join("r.cvb");
    sealed_report(&mut a, &n.intake_key.clone(), "spam?", &out);
    let item = intake::receive(&mut n.vault, &out).unwrap();
    let err = intake::reject(&mut n.vault, &item.bundle_id, "  ").unwrap_err();
    assert!(err.to_string().contains("say why"), "{err}");
    assert_eq!(
        intake::inbox(&n.vault).unwrap()[0].status,
        IntakeStatus::Pending
    );
    intake::reject(
        &mut n.vault,
        &item.bundle_id,
        "Not about transnational repression",
    )
    .unwrap();
    let item = &intake::inbox(&n.vault).unwrap()[0];
    assert_eq!(item.status, IntakeStatus::Rejected);
    assert_eq!(
        item.reason.as_deref(),
        Some("Not about transnational repression")
    );
    let last = n.vault.custody_log(None).unwrap().pop().unwrap();
    assert_eq!(last.action, "intake_reject");
    assert!(intake_files(&n).is_empty());
    assert!(n.vault.known_records().unwrap().kinds.is_empty());
    let err = intake::receive(&mut n.vault, &out).unwrap_err();
    assert!(err.to_string().contains("rejected"), "{err}");
}

#[test]
fn the_mode_is_chosen_once_and_a_used_vault_keeps_it() {
    let mut a = activist();
    assert_eq!(a.vault.mode().unwrap(), VaultMode::SelfReport);
    assert_eq!(a.vault.status().unwrap().mode, VaultMode::SelfReport);
    a.vault.create_report().unwrap();
    let err = a.vault.set_mode(VaultMode::Organisation).unwrap_err();
    assert!(
        err.to_string().contains("chosen when it is created"),
        "{err}"
    );
    let n = ngo();
    assert_eq!(n.vault.mode().unwrap(), VaultMode::Organisation);
}

#[test]
fn backups_carry_report_files_and_reports_waiting_in_the_inbox() {
    let mut a = activist();
    let mut n = ngo();
    let out = n.dir.path().join("r.cvb");
    let report = sealed_report(&mut a, &n.intake_key.clone(), "backed up", &out);
    intake::receive(&mut n.vault, &out).unwrap();

    let root = tempfile::tempdir().unwrap();
    let a_backup = root.path().join("a.cvbackup");
    a.vault.backup_to(&a_backup, &mut |_, _| {}).unwrap();
    let n_backup = root.path().join("n.cvbackup");
    n.vault.backup_to(&n_backup, &mut |_, _| {}).unwrap();

    let restored_a = root.path().join("a");
    casevault_core::vault::backup::restore(&a_backup, &restored_a, &pass(PASS), session()).unwrap();
    let a2 = Vault::open(&restored_a, &pass(PASS), session()).unwrap();
    let files = a2.report_files(&report).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut a2.report_file_reader(&files[0]).unwrap(), &mut bytes).unwrap();
    assert_eq!(bytes, b"screenshot bytes backed up");

    let restored_n = root.path().join("n");
    casevault_core::vault::backup::restore(&n_backup, &restored_n, &pass(PASS), session()).unwrap();
    let mut n2 = Vault::open(&restored_n, &pass(PASS), session()).unwrap();
    let pending = intake::inbox(&n2).unwrap();
    assert_eq!(pending.len(), 1);
    let case = accept_new(&mut n2, &pending[0].bundle_id);
    assert_eq!(n2.attachments_of(&case).unwrap().len(), 1);
}

#[test]
fn an_mvt_report_is_checked_summed_up_and_reaches_the_case_with_its_summary() {
    let mut a = activist();
    let mut n = ngo();
    let report = a.vault.create_report().unwrap();
    let id = report.summary.id;
    a.vault.save_report(&id, &answers("phone")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mvt = dir.path().join("safari_history_detected.json");
    std::fs::write(
        &mvt,
        r#"[{"url": "https://x.example/a", "matched_indicator": {"value": "x.example", "type": "domain"}}]"#,
    )
    .unwrap();
    let not_json = dir.path().join("screenshot.png");
    std::fs::write(&not_json, b"\x89PNG not json").unwrap();
    let err = a
        .vault
        .attach_to_report(&id, &not_json, "mvt", |_, _| {})
        .unwrap_err();
    assert!(err.to_string().contains("not an MVT JSON report"), "{err}");
    assert!(
        a.vault.report_files(&id).unwrap().is_empty(),
        "nothing attached"
    );
    let f = a
        .vault
        .attach_to_report(&id, &mvt, "mvt", |_, _| {})
        .unwrap();
    assert_eq!(
        f.note.as_deref(),
        Some("MVT report: 1 record(s), 1 matched indicator(s) of compromise (x.example)")
    );
    let out = n.dir.path().join("r.cvb");
    seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &id,
            intake_key: &n.intake_key,
            language: Language::En,
            out: &out,
        },
    )
    .unwrap();
    let item = intake::receive(&mut n.vault, &out).unwrap();
    let case = accept_new(&mut n.vault, &item.bundle_id);
    let evidence = n.vault.attachments_of(&case).unwrap();
    assert!(
        evidence[0]
            .note
            .as_deref()
            .unwrap()
            .contains("1 matched indicator(s)"),
        "{:?}",
        evidence[0].note
    );
}

#[test]
fn a_report_file_changed_on_disk_stops_the_seal_and_leaves_no_file() {
    let mut a = activist();
    let n = ngo();
    let report = a.vault.create_report().unwrap();
    let id = report.summary.id;
    a.vault.save_report(&id, &answers("x")).unwrap();
    let src = n.dir.path().join("photo.jpg");
    std::fs::write(&src, vec![7u8; 300_000]).unwrap();
    let f = a
        .vault
        .attach_to_report(&id, &src, "file", |_, _| {})
        .unwrap();
    let blob = a
        .vault
        .paths()
        .dir
        .join("attachments")
        .join(format!("{}.age", f.id));
    let mut bytes = std::fs::read(&blob).unwrap();
    let at = bytes.len() - 1000;
    bytes[at] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    let out = n.dir.path().join("r.cvb");
    let err = seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &id,
            intake_key: &n.intake_key,
            language: Language::En,
            out: &out,
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Tampered, "{err}");
    assert!(err.to_string().contains("photo.jpg"), "{err}");
    assert!(!out.exists());
    assert!(!out.with_extension("partial").exists());
    assert!(a.vault.reports().unwrap()[0].last_sealed_at.is_none());
}

#[test]
fn every_committed_bad_bundle_is_refused_by_the_inbox_with_its_reason() {
    let mut n = ngo();
    // The vectors are sealed to a test key; this NGO uses it as a second
    // intake key, as a second machine of the same organisation would.
    let key = std::fs::read_to_string(crate::bundles::fixtures().join("identity.txt")).unwrap();
    n.vault.import_identity("Vectors", &key).unwrap();
    let err = n.vault.import_identity("Again", &key).unwrap_err();
    assert!(err.to_string().contains("already"), "{err}");
    for (file, says) in crate::bundles::VECTORS {
        let path = crate::bundles::fixtures().join(file);
        let err = intake::receive(&mut n.vault, &path).unwrap_err();
        assert!(err.to_string().contains(says), "{file}: {err}");
    }
    // The one good vector is a case export, not a self-report.
    let err =
        intake::receive(&mut n.vault, &crate::bundles::fixtures().join("good.cvb")).unwrap_err();
    assert!(err.to_string().contains("not a self-report"), "{err}");
    assert!(intake::inbox(&n.vault).unwrap().is_empty());
    assert!(intake_files(&n).is_empty(), "nothing is left in intake/");
    for bad in ["age1qqq", "AGE-SECRET-KEY-1QQQ", "hello"] {
        assert!(n.vault.import_identity("x", bad).is_err(), "{bad}");
    }
}

/// A self-report bundle written by hand, as someone crafting one would:
/// any `data.json`, signed with their own key, sealed to `intake_key`.
fn crafted_report(intake_key: &str, data: &[u8]) -> Vec<u8> {
    crafted_report_with_id(intake_key, data, &"ab".repeat(16))
}

fn crafted_report_with_id(intake_key: &str, data: &[u8], bundle_id: &str) -> Vec<u8> {
    let report = casevault_core::bundle::seal::SealedReport {
        format: "casevault-self-report".into(),
        version: 1,
        report_id: "00".repeat(16),
        answers: SelfReport::default(),
        files: vec![],
    };
    crafted_bundle(intake_key, data, &report, &[], bundle_id)
}

/// The whole hand-made bundle: `data.json`, `report.json` as given, and
/// evidence files under their paths, listed, hashed and signed as the
/// format wants.
fn crafted_bundle(
    intake_key: &str,
    data: &[u8],
    report: &casevault_core::bundle::seal::SealedReport,
    evidence: &[(&str, &[u8])],
    bundle_id: &str,
) -> Vec<u8> {
    use casevault_core::bundle::{
        BundleFile, CustodyHead, FORMAT, Manifest, OrgInfo, RedactionReport, SIGNATURE_NAMESPACE,
        VERSION,
    };
    let sha = |b: &[u8]| data_encoding::HEXLOWER.encode(&<sha2::Sha256 as sha2::Digest>::digest(b));
    let mut key = ssh_key::PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[9; 32]));
    key.set_comment("reporter");
    let report = serde_json::to_vec(report).unwrap();
    let file = |path: &str, bytes: &[u8]| BundleFile {
        path: path.into(),
        size: bytes.len() as u64,
        sha256: sha(bytes),
        note: None,
        intake_sha256: None,
        metadata_removed: false,
    };
    let mut contents: Vec<(String, Vec<u8>)> = vec![
        ("data.json".into(), data.to_vec()),
        ("report.json".into(), report),
    ];
    contents.extend(evidence.iter().map(|(p, b)| (p.to_string(), b.to_vec())));
    let manifest = serde_json::to_vec(&Manifest {
        format: FORMAT.into(),
        version: VERSION,
        bundle_id: bundle_id.into(),
        kind: "self-report".into(),
        created_at: "2026-11-25T10:00:00.000Z".into(),
        language: Language::En,
        organisation: OrgInfo {
            name: "Self-report".into(),
            fingerprint: key.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
            public_key: key.public_key().to_openssh().unwrap(),
        },
        case_ids: vec![],
        redaction: RedactionReport {
            profile: "none".into(),
            withheld: vec![],
            pseudonymised: 0,
            ids_renamed: 0,
        },
        custody: CustodyHead {
            entries: 0,
            head_hash: String::new(),
        },
        files: contents.iter().map(|(p, b)| file(p, b)).collect(),
    })
    .unwrap();
    let mut sums = format!("{}  manifest.json\n", sha(&manifest));
    for (p, b) in &contents {
        sums.push_str(&format!("{}  {p}\n", sha(b)));
    }
    let sig = key
        .sign(
            SIGNATURE_NAMESPACE,
            ssh_key::HashAlg::Sha512,
            sums.as_bytes(),
        )
        .unwrap()
        .to_pem(ssh_key::LineEnding::LF)
        .unwrap();
    let recipient: age::x25519::Recipient = intake_key.parse().unwrap();
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .unwrap();
    let mut out = Vec::new();
    let w = enc.wrap_output(&mut out).unwrap();
    let mut tar = tar::Builder::new(w);
    contents.push(("manifest.json".into(), manifest));
    contents.push(("SHA256SUMS".into(), sums.into_bytes()));
    contents.push(("SHA256SUMS.sig".into(), sig.into_bytes()));
    for (name, bytes) in &contents {
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        h.set_size(bytes.len() as u64);
        tar.append_data(&mut h, name, &bytes[..]).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
    out
}

#[test]
fn a_crafted_report_cannot_reach_into_the_organisations_other_cases() {
    let mut n = ngo();
    let existing = casevault_core::ops::interchange::parse(
        br#"{"format":"casevault-interchange","version":1,
            "cases":[{"id":"case-secret","title":"Someone else's case","status":"open"}]}"#,
    )
    .unwrap();
    casevault_core::ops::interchange::import(&mut n.vault, &existing).unwrap();
    // Signed and sealed correctly, but its incident points at a case of
    // this vault that the report does not carry.
    let data = br#"{"format":"casevault-interchange","version":1,
        "cases":[{"id":"sr-x-case","title":"Self-report","status":"open"}],
        "persons":[{"id":"sr-x-reporter","names":[{"name":"X","kind":"primary"}]}],
        "incidents":[{"id":"sr-x-1","case":"case-secret","title":"Injected","act_type":"assault",
                      "start":"2024","description":"planted"}]}"#;
    let path = n.dir.path().join("crafted.cvb");
    std::fs::write(&path, crafted_report(&n.intake_key.clone(), data)).unwrap();
    let err = intake::receive(&mut n.vault, &path).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReportDamaged, "{err}");
    assert!(
        err.to_string().contains("refer only to each other"),
        "{err}"
    );
    assert!(err.to_string().contains("case-secret"), "{err}");
    assert!(intake::inbox(&n.vault).unwrap().is_empty());
    assert!(intake_files(&n).is_empty());
    let detail = casevault_core::ops::browse::case_detail(&n.vault, "case-secret").unwrap();
    assert!(detail.incidents.is_empty());

    // The same bundle, self-contained, is received: the check is the
    // references, not the hand-made bundle.
    let clean = br#"{"format":"casevault-interchange","version":1,
        "cases":[{"id":"sr-x-case","title":"Self-report","status":"open"}],
        "persons":[{"id":"sr-x-reporter","names":[{"name":"X","kind":"primary"}]}],
        "incidents":[{"id":"sr-x-1","case":"sr-x-case","title":"Assault","act_type":"assault",
                      "start":"2024","description":"what happened"}]}"#;
    // An id Casevault would not write (it names the kept copy) is refused.
    for bad_id in ["AB".repeat(16), "ab".repeat(32), "../../x".into()] {
        std::fs::write(
            &path,
            crafted_report_with_id(&n.intake_key.clone(), clean, &bad_id),
        )
        .unwrap();
        let err = intake::receive(&mut n.vault, &path).unwrap_err();
        assert!(
            err.to_string().contains("32 lowercase hex"),
            "{bad_id}: {err}"
        );
    }
    assert!(intake_files(&n).is_empty());
    std::fs::write(&path, crafted_report(&n.intake_key.clone(), clean)).unwrap();
    intake::receive(&mut n.vault, &path).unwrap();
}

/// Accepted into an existing case and person, a report's records point
/// at them in every reference they hold (every field the model has, not a
/// fixed few), while text that spells the report's own ids stays as it is.
#[test]
fn accepting_into_an_existing_case_and_person_retargets_every_reference() {
    use casevault_core::model::records::AnyRecord;
    let mut n = ngo();
    let existing = casevault_core::ops::interchange::parse(
        br#"{"format":"casevault-interchange","version":1,
            "cases":[{"id":"case-old","title":"Nurpeisova","status":"open"}],
            "persons":[{"id":"p-old","names":[{"name":"Aigerim Nurpeisova","kind":"primary"}]}]}"#,
    )
    .unwrap();
    casevault_core::ops::interchange::import(&mut n.vault, &existing).unwrap();
    let data = br#"{"format":"casevault-interchange","version":1,
        "cases":[{"id":"sr-y-case","title":"Self-report","status":"open"}],
        "persons":[
            {"id":"sr-y-reporter","names":[{"name":"Aigerim","kind":"primary"}],
             "case_roles":[{"case":"sr-y-case","role":"victim"}]},
            {"id":"sr-y-friend","names":[{"name":"Bota","kind":"primary"}],
             "relationships":[{"person":"sr-y-reporter","relation":"sister"}],
             "case_roles":[{"case":"sr-y-case","role":"witness"}]}],
        "incidents":[{"id":"sr-y-1","case":"sr-y-case","title":"Followed","act_type":"physical_surveillance",
            "start":"2024","description":"sr-y-reporter was followed","victims":["sr-y-reporter"],
            "witnesses":["sr-y-friend","sr-y-reporter"],
            "perpetrators":[{"person":"sr-y-reporter","involvement":"present","attribution":"unknown"}]}],
        "proceedings":[{"id":"sr-y-p","case":"sr-y-case","kind":"criminal_case",
            "incidents":["sr-y-1"],"persons":["sr-y-reporter"]}],
        "testimonies":[{"id":"sr-y-t","case":"sr-y-case","person":"sr-y-reporter","language":"ru",
            "statement":"sr-y-reporter","consent":{"record":true,"share_lawyers":false,"share_courts":false,
            "share_un":false,"share_media":false,"publish":false}}],
        "interventions":[{"id":"sr-y-v","case":"sr-y-case","actor_kind":"lawyer","request":"sr-y-case",
            "status":"pending"}]}"#;
    let path = n.dir.path().join("crafted.cvb");
    std::fs::write(&path, crafted_report(&n.intake_key.clone(), data)).unwrap();
    let item = intake::receive(&mut n.vault, &path).unwrap();
    let into = AcceptInto {
        case_id: Some("case-old".into()),
        person_id: Some("p-old".into()),
    };
    let case = intake::accept(&mut n.vault, &item.bundle_id, &into, |_, _| {}).unwrap();
    assert_eq!(case, "case-old");
    for gone in ["sr-y-case", "sr-y-reporter"] {
        assert!(n.vault.get_record(gone).unwrap().is_none(), "{gone}");
    }
    let record = |id: &str| {
        let r = n.vault.get_record(id).unwrap().unwrap();
        serde_json::from_value::<AnyRecord>(serde_json::json!({"kind": r.kind, "record": r.data}))
            .unwrap()
    };
    let mut fields = std::collections::BTreeSet::new();
    for id in ["sr-y-friend", "sr-y-1", "sr-y-p", "sr-y-t", "sr-y-v"] {
        for r in record(id).refs() {
            assert!(
                !["sr-y-case", "sr-y-reporter"].contains(&r.id),
                "{id}.{} still points at {}",
                r.field,
                r.id
            );
            if ["case-old", "p-old"].contains(&r.id) {
                fields.insert(r.field);
            }
        }
    }
    assert_eq!(
        fields,
        std::collections::BTreeSet::from([
            "case",
            "case_roles.case",
            "relationships.person",
            "victims",
            "witnesses",
            "perpetrators.person",
            "persons",
            "person",
        ])
    );
    let AnyRecord::Incident(incident) = record("sr-y-1") else {
        panic!("an incident")
    };
    assert_eq!(incident.witnesses, ["sr-y-friend", "p-old"]);
    assert_eq!(incident.description, "sr-y-reporter was followed");
    let AnyRecord::Testimony(t) = record("sr-y-t") else {
        panic!("a testimony")
    };
    assert_eq!(t.statement, "sr-y-reporter");
    let AnyRecord::Intervention(v) = record("sr-y-v") else {
        panic!("an intervention")
    };
    assert_eq!(
        (v.case.as_str(), v.request.as_str()),
        ("case-old", "sr-y-case")
    );
}

/// The evidence fixture: a JPEG whose EXIF says when, where and with what
/// it was taken.
fn exif_photo() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg"),
    )
    .unwrap()
}

#[test]
fn a_report_that_lies_about_its_files_gets_the_facts_of_the_bytes() {
    use casevault_core::bundle::seal::{SealedFile, SealedReport};
    use casevault_core::vault::attachments::Capture;
    use casevault_core::vault::self_reports::ReportFile;
    let mut n = ngo();
    let photo = exif_photo();
    let sha = data_encoding::HEXLOWER.encode(&<sha2::Sha256 as sha2::Digest>::digest(&photo));
    let claimed = Capture {
        taken_at: Some("2024-01-01 10:00:00".into()),
        device: Some("Invented Phone X9".into()),
        gps: Some("51.5 N, 0.12 W".into()),
    };
    // Correctly signed and sealed; only report.json lies about the file.
    let report = SealedReport {
        format: "casevault-self-report".into(),
        version: 1,
        report_id: "00".repeat(16),
        answers: SelfReport::default(),
        files: vec![SealedFile {
            path: "attachments/001-page.html".into(),
            file: ReportFile {
                id: "f1".into(),
                original_name: "page.html".into(),
                size: photo.len() as u64,
                sha256: sha.clone(),
                media_type: "text/html".into(),
                capture: claimed.clone(),
                added_at: "2026-11-25T09:00:00.000Z".into(),
                kind: "file".into(),
                note: None,
            },
        }],
    };
    let data = br#"{"format":"casevault-interchange","version":1,
        "cases":[{"id":"sr-x-case","title":"Self-report","status":"open"}],
        "persons":[{"id":"sr-x-reporter","names":[{"name":"X","kind":"primary"}]}],
        "incidents":[{"id":"sr-x-1","case":"sr-x-case","title":"Assault","act_type":"assault",
                      "start":"2024","description":"what happened"}]}"#;
    let path = n.dir.path().join("liar.cvb");
    std::fs::write(
        &path,
        crafted_bundle(
            &n.intake_key.clone(),
            data,
            &report,
            &[("attachments/001-page.html", &photo)],
            &"cd".repeat(16),
        ),
    )
    .unwrap();
    let item = intake::receive(&mut n.vault, &path).unwrap();
    let case = accept_new(&mut n.vault, &item.bundle_id);
    let evidence = n.vault.attachments_of(&case).unwrap();
    assert_eq!(evidence.len(), 1);
    let a = &evidence[0];
    assert_eq!(a.sha256, sha);
    assert_eq!(a.media_type, "image/jpeg", "sniffed from the bytes");
    assert_eq!(
        a.capture.taken_at.as_deref(),
        Some("2008-03-14 22:30:00"),
        "the EXIF of the bytes"
    );
    assert_eq!(
        a.capture.device.as_deref(),
        Some("Casevault Test Camera Co. CV-1")
    );
    assert!(a.capture.gps.as_deref().is_some_and(|g| g.contains("43")));
    // What the reporter claimed is kept, apart and labelled as a claim.
    let note = a.note.as_deref().unwrap_or_default();
    for claim in [
        "text/html",
        "2024-01-01 10:00:00",
        "Invented Phone X9",
        "51.5 N, 0.12 W",
    ] {
        assert!(note.contains(claim), "claim {claim} kept in {note:?}");
    }
    assert_ne!(a.capture, claimed);
}

#[test]
fn each_seal_is_signed_by_a_fresh_key_the_vault_does_not_keep() {
    let mut a = activist();
    let mut n = ngo();
    let key = n.intake_key.clone();
    let first = n.dir.path().join("first.cvb");
    let second = n.dir.path().join("second.cvb");
    let r1 = sealed_report(&mut a, &key, "first", &first);
    let r2 = sealed_report(&mut a, &key, "second", &second);
    let unseal = Unseal::Identities(n.vault.identity_secrets().unwrap());
    let s1 = read::verify(&first, &unseal, &[]).unwrap();
    let s2 = read::verify(&second, &unseal, &[]).unwrap();
    assert!(s1.problems.is_empty() && s2.problems.is_empty());
    assert_ne!(
        s1.signer_fingerprint, s2.signer_fingerprint,
        "two reports from one vault have different signers"
    );
    a.vault.delete_report_securely(&r1).unwrap();
    a.vault.delete_report_securely(&r2).unwrap();
    // The only signing key a vault holds is its own Ed25519 key.
    let held = a.vault.org_public_key().unwrap().fingerprint;
    for s in [&s1, &s2] {
        assert_ne!(held, s.signer_fingerprint, "the vault holds the signer");
    }
    // And the reports still arrive, each on its own.
    for path in [&first, &second] {
        let item = intake::receive(&mut n.vault, path).unwrap();
        assert_eq!(item.earlier_reports, 0, "nothing links the two");
    }
}

/// Every file of a bundle, decrypted with age and read from its tar.
fn bundle_files(path: &Path, identity: &age::x25519::Identity) -> Vec<(String, Vec<u8>)> {
    let decryptor = age::Decryptor::new(std::fs::File::open(path).unwrap()).unwrap();
    let reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .unwrap();
    let mut archive = tar::Archive::new(reader);
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

#[test]
fn a_bundle_for_lawyers_after_accepting_a_report_carries_no_reporter_key() {
    let mut a = activist();
    let mut n = ngo();
    let out = n.dir.path().join("r.cvb");
    let report = a.vault.create_report().unwrap();
    let mut r = answers("They photographed me");
    // Unnamed: the reporter appears under a pseudonym, which once carried
    // the key's fingerprint.
    r.about_me.name = String::new();
    r.about_me.other_names = String::new();
    a.vault.save_report(&report.summary.id, &r).unwrap();
    seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: &n.intake_key.clone(),
            language: Language::En,
            out: &out,
        },
    )
    .unwrap();
    let item = intake::receive(&mut n.vault, &out).unwrap();
    let signer = item.reporter_fingerprint.clone();
    let case = accept_new(&mut n.vault, &item.bundle_id);

    let lawyer = age::x25519::Identity::generate();
    let bundle = n.dir.path().join("for-lawyers.cvb");
    casevault_core::bundle::write::create(
        &mut n.vault,
        casevault_core::bundle::write::CreateRequest {
            case_ids: std::slice::from_ref(&case),
            seal: casevault_core::bundle::write::Seal::Recipients(vec![
                lawyer.to_public().to_string(),
            ]),
            language: Language::En,
            organisation: "NGO",
            out: &bundle,
        },
    )
    .unwrap();
    let body = signer.trim_start_matches("SHA256:").to_owned();
    let short: String = body
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(8)
        .collect();
    let files = bundle_files(&bundle, &lawyer);
    assert!(files.iter().any(|(name, _)| name == "data.json"));
    for (name, bytes) in &files {
        for needle in [&signer, &body, &short] {
            assert!(
                !contains_text(bytes, needle) && !name.contains(needle.as_str()),
                "{name} carries the reporter key's fingerprint ({needle})"
            );
        }
    }
}

#[test]
fn plain_answers_reach_the_organisation_as_vocabulary_terms_and_the_reporter_is_no_match_for_herself()
 {
    let mut a = activist();
    let mut n = ngo();
    let out = n.dir.path().join("plain.cvb");
    let report = a.vault.create_report().unwrap();
    let mut r = answers("They stood outside every night");
    // What the reporter picked from the plain list, not from the typology.
    r.what_happened.act_type = "followed".into();
    r.digital.act_type = "phishing".into();
    r.travel = Section {
        happened: Some(true),
        act_type: "not_sure".into(),
        when: "2025".into(),
        details: "Something odd at the airport.".into(),
        ..Section::default()
    };
    // "not_sure" is a "What happened" answer; travel offers its own terms.
    a.vault.save_report(&report.summary.id, &r).unwrap();
    let err = seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: &n.intake_key,
            language: Language::En,
            out: &out,
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(!out.exists());
    r.travel.happened = Some(false);
    r.what_happened.act_type = "not_sure".into();
    r.relatives = Section {
        happened: Some(true),
        act_type: "coercion_by_proxy".into(),
        when: "2024".into(),
        details: "Police visited my mother.".into(),
        ..Section::default()
    };
    a.vault.save_report(&report.summary.id, &r).unwrap();
    seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: &n.intake_key,
            language: Language::En,
            out: &out,
        },
    )
    .unwrap();

    let item = intake::receive(&mut n.vault, &out).unwrap();
    let review = intake::review(&n.vault, &item.bundle_id).unwrap();
    assert!(
        review.person_matches.is_empty(),
        "{:?}",
        review.person_matches
    );
    let case = accept_new(&mut n.vault, &item.bundle_id);
    let detail = casevault_core::ops::browse::case_detail(&n.vault, &case).unwrap();
    let mut types: Vec<&str> = detail
        .incidents
        .iter()
        .map(|i| i.act_type.as_str())
        .collect();
    types.sort_unstable();
    assert_eq!(types, ["coercion_by_proxy", "other", "phishing"]);

    // After acceptance the reporter is in the vault, and is not offered
    // as a possible match for her own report.
    let review = intake::review(&n.vault, &item.bundle_id).unwrap();
    assert_eq!(review.item.status, IntakeStatus::Accepted);
    assert!(review.item.decided_at.is_some());
    assert_eq!(review.item.decided_by.as_deref(), Some("cw"));
    let reporter = detail.persons[0].id.clone();
    assert!(
        !review.person_matches.iter().any(|p| p.id == reporter),
        "{:?}",
        review.person_matches
    );

    // A follow-up from her still finds her: she is a match for another report.
    let out2 = n.dir.path().join("again.cvb");
    sealed_report(&mut a, &n.intake_key.clone(), "again", &out2);
    let two = intake::receive(&mut n.vault, &out2).unwrap();
    let review2 = intake::review(&n.vault, &two.bundle_id).unwrap();
    assert!(review2.person_matches.iter().any(|p| p.id == reporter));
    // Accepted onto her existing person, she is no match for that report either.
    intake::accept(
        &mut n.vault,
        &two.bundle_id,
        &AcceptInto {
            case_id: Some(case.clone()),
            person_id: Some(reporter.clone()),
        },
        |_, _| {},
    )
    .unwrap();
    let review2 = intake::review(&n.vault, &two.bundle_id).unwrap();
    assert!(
        !review2.person_matches.iter().any(|p| p.id == reporter),
        "{:?}",
        review2.person_matches
    );
}
