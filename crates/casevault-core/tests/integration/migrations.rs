//! Every migration is tested from a committed fixture vault written by the
//! version before it (tests/fixtures/vault-schema-N).

use std::path::Path;

use casevault_core::vault::Vault;
use casevault_core::vault::migrations::SCHEMA_VERSION;

use crate::common::*;

const FIXTURE_PASSPHRASE: &str = "fixture vault passphrase: amber kettle horizon 1989";

fn fixture(name: &str, into: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    assert!(
        from.join("header.cvh").exists(),
        "fixture {name} is missing"
    );
    copy_dir(&from, into);
}

#[test]
fn schema_1_vault_migrates_to_current_keeping_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-1", &path);
    let before = snapshot(&path);
    // A wrong passphrase must not migrate (or touch) anything.
    assert!(Vault::open(&path, &pass(OTHER_PASS), session()).is_err());
    assert_eq!(before, snapshot(&path));

    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    let status = vault.status().unwrap();
    assert_eq!(status.schema_version, SCHEMA_VERSION);
    assert_eq!(status.created_at, "2026-11-01T09:30:00.000Z");
    assert_eq!(status.record_counts.len(), 1);
    // Migration 2 added the settings table with its default.
    assert_eq!(status.lock.idle_lock_minutes, 5);
    assert!(vault.verify().unwrap().is_empty());
    vault.lock();
    // Re-opening a migrated vault is a no-op.
    Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
}

#[test]
fn schema_2_vault_gets_a_case_index_that_knows_its_old_records() {
    use casevault_core::ops::browse;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-2", &path);
    let mut vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    // Migration 7: a vault from before self-reports is an organisation's,
    // with an empty inbox.
    assert_eq!(
        vault.mode().unwrap(),
        casevault_core::vault::VaultMode::Organisation
    );
    assert!(
        casevault_core::bundle::intake::inbox(&vault)
            .unwrap()
            .is_empty()
    );
    // Migration 3 indexed the records written before it: the trashed
    // incident is not counted, the person's Cyrillic alias is findable.
    let list = browse::case_summaries(&vault).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].incidents, list[0].persons), (1, 1));
    assert!(list[0].names.iter().any(|n| n == "Молдашев Данияр"));
    let detail = browse::case_detail(&vault, "case-fixture").unwrap();
    assert_eq!(detail.incidents[0].id, "inc-fixture");
    assert_eq!(detail.trash[0].id, "inc-trashed");
    assert_eq!(detail.trash[0].reason, "duplicate");
    // And the triggers keep it current from here on.
    casevault_core::ops::edit::restore(&mut vault, "inc-trashed").unwrap();
    assert_eq!(browse::case_summaries(&vault).unwrap()[0].incidents, 2);
    // Migration 4's custody log starts with a baseline entry per record
    // that predates it, so audit verify covers old records too.
    let log = vault.custody_log(None).unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "baseline").count(), 4);
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // Migration 5 indexed the old person's names and text for search.
    let hits = casevault_core::ops::search::find_persons(&vault, "Daniar", 5).unwrap();
    assert_eq!(hits[0].id, "p-fixture");
    let found =
        casevault_core::ops::search::search(&vault, "Abduction", &Default::default(), 5).unwrap();
    assert_eq!(found.hits[0].record_id, "inc-fixture");
    // Migration 3 also added drafts.
    vault
        .save_draft(
            "incident:case-fixture",
            &serde_json::json!({"title": "draft"}),
        )
        .unwrap();
}

/// What schemas 3 to 5 wrote for their fixture case: the case, a person
/// with a Cyrillic alias, and an incident, all findable after migrating.
fn assert_fixture_case_intact(vault: &Vault, schema: u32) {
    use casevault_core::ops::{browse, search};
    let (case, person, incident) = (
        format!("case-s{schema}"),
        format!("p-s{schema}"),
        format!("inc-s{schema}"),
    );
    let list = browse::case_summaries(vault).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, case);
    assert_eq!(list[0].title, format!("Fixture case (schema {schema})"));
    assert_eq!((list[0].incidents, list[0].persons), (1, 1));
    assert!(list[0].names.iter().any(|n| n == "Айжан Оспанова"));
    let detail = browse::case_detail(vault, &case).unwrap();
    assert_eq!(detail.incidents[0].id, incident);
    // Search (migration 5) and its transliterated keys (migration 10)
    // know the old person and the old text.
    let hits = search::find_persons(vault, "Ospanova", 5).unwrap();
    assert_eq!(hits[0].id, person);
    let hits = search::find_persons(vault, "Оспанова", 5).unwrap();
    assert_eq!(hits[0].id, person);
    let found = search::search(vault, "summons", &Default::default(), 5).unwrap();
    assert_eq!(found.hits[0].record_id, incident);
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

fn read_evidence(vault: &Vault, record: &str) -> Vec<u8> {
    let evidence = vault.attachments_of(record).unwrap();
    assert_eq!(evidence.len(), 1);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut vault.reopen_attachment(&evidence[0].id).unwrap(),
        &mut bytes,
    )
    .unwrap();
    bytes
}

#[test]
fn schema_3_vault_gets_a_custody_log_and_search_and_keeps_its_draft() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-3", &path);
    let before = snapshot(&path);
    assert!(Vault::open(&path, &pass(OTHER_PASS), session()).is_err());
    assert_eq!(
        before,
        snapshot(&path),
        "a wrong passphrase migrates nothing"
    );
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    assert_fixture_case_intact(&vault, 3);
    // The draft saved at schema 3 is still there to finish.
    let draft = vault.load_draft("incident:case-s3").unwrap().unwrap();
    assert_eq!(draft.data["title"], "Half-written at schema 3");
    // Schema 3 had no custody log: migration 4's log starts with a
    // baseline entry for each record written before it.
    let log = vault.custody_log(None).unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "baseline").count(), 3);
    assert!(vault.all_attachments().unwrap().is_empty());
    vault.lock();
    Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
}

#[test]
fn schema_4_vault_keeps_its_evidence_and_custody_trail_and_gets_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-4", &path);
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    assert_fixture_case_intact(&vault, 4);
    assert_eq!(
        read_evidence(&vault, "inc-s4"),
        b"Evidence written at schema 4"
    );
    let a = &vault.attachments_of("inc-s4").unwrap()[0];
    assert_eq!(a.added_at, "2026-11-01T09:30:00.000Z");
    assert_eq!(a.note.as_deref(), Some("written with the fixture"));
    // The entries written at schema 4 are still the log's first ones.
    let log = vault.custody_log(None).unwrap();
    let actions: Vec<&str> = log
        .iter()
        .filter(|e| e.actor == "fixture")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, ["import", "import", "import", "attach"]);
}

#[test]
fn schema_5_vault_gets_search_keys_and_becomes_an_organisation_vault() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-5", &path);
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    assert_fixture_case_intact(&vault, 5);
    assert_eq!(
        read_evidence(&vault, "inc-s5"),
        b"Evidence written at schema 5"
    );
    // Migrations 6 and 7: no contacts yet, an organisation's empty inbox.
    assert!(vault.contacts().unwrap().is_empty());
    assert_eq!(
        vault.mode().unwrap(),
        casevault_core::vault::VaultMode::Organisation
    );
    assert!(
        casevault_core::bundle::intake::inbox(&vault)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn schema_6_vault_becomes_an_organisation_vault_that_receives_self_reports() {
    use casevault_core::bundle::intake::{self, AcceptInto};
    use casevault_core::bundle::seal::{self, SealRequest};
    use casevault_core::model::self_report::{ReportConsent, Section, SelfReport};
    use casevault_core::vault::VaultMode;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-6", &path);
    let mut vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    assert_eq!(vault.mode().unwrap(), VaultMode::Organisation);
    // What schema 6 held is intact: the contact, the identity, the evidence.
    assert_eq!(vault.contacts().unwrap()[0].name, "Anna Lawyer");
    let identity = vault.identities().unwrap().pop().unwrap();
    let evidence = vault.attachments_of("case-s6").unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut vault.reopen_attachment(&evidence[0].id).unwrap(),
        &mut bytes,
    )
    .unwrap();
    assert_eq!(bytes, b"Evidence written at schema 6");
    assert!(
        vault
            .audit_verify(true, |_, _| {})
            .unwrap()
            .problems
            .is_empty()
    );

    // The identity made at schema 6 is the intake key a reporter seals to.
    let (mut activist, _) = new_vault(&dir.path().join("activist"));
    activist.set_mode(VaultMode::SelfReport).unwrap();
    let report = activist.create_report().unwrap();
    let answers = SelfReport {
        about_me: casevault_core::model::self_report::AboutMe {
            name: "Бота Жумабаева".into(),
            ..Default::default()
        },
        what_happened: Section {
            happened: Some(true),
            act_type: "summons".into(),
            when: "2025".into(),
            details: "A summons to my mother's address.".into(),
            ..Section::default()
        },
        consent: ReportConsent {
            record: true,
            ..ReportConsent::default()
        },
        ..SelfReport::default()
    };
    activist.save_report(&report.summary.id, &answers).unwrap();
    let sealed = dir.path().join("r.cvb");
    seal::seal(
        &mut activist,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: &identity.recipient,
            language: casevault_core::bundle::Language::Ru,
            out: &sealed,
        },
    )
    .unwrap();
    let item = intake::receive(&mut vault, &sealed).unwrap();
    let review = intake::review(&vault, &item.bundle_id).unwrap();
    assert!(
        review.person_matches.iter().any(|p| p.id == "p-s6"),
        "the person written at schema 6 is suggested"
    );
    let case = intake::accept(
        &mut vault,
        &item.bundle_id,
        &AcceptInto {
            case_id: Some("case-s6".into()),
            person_id: Some("p-s6".into()),
        },
        |_, _| {},
    )
    .unwrap();
    assert_eq!(case, "case-s6");
    let detail = casevault_core::ops::browse::case_detail(&vault, "case-s6").unwrap();
    assert_eq!(detail.incidents.len(), 1);
    assert_eq!(detail.incidents[0].victims, ["p-s6"]);
}

#[test]
fn schema_7_vault_gets_the_consent_its_reporters_gave() {
    use casevault_core::model::records::Testimony;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-7", &path);
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    let testimony = |id: &str| -> (Testimony, u32) {
        let r = vault.get_record(id).unwrap().unwrap();
        (serde_json::from_value(r.data).unwrap(), r.version)
    };
    // Accepted at schema 7 and never touched since: repaired to what the
    // reporter ticked, as a new version with its reason.
    let (t, version) = testimony("sr-aaaa00000000-statement");
    assert_eq!(version, 2);
    let c = &t.consent;
    assert!(c.record && c.share_lawyers);
    assert!(!c.share_courts, "the reporter never agreed to courts");
    assert!(!c.share_un && !c.share_media && !c.publish);
    assert_eq!(c.anonymity.as_deref(), Some("none"), "named, no pseudonym");
    assert_eq!(c.withdrawn, None);
    assert_eq!(c.given, Some("2026-10-20".parse().unwrap()), "the seal day");
    assert_eq!(c.contact, Some(true));
    assert_eq!(t.statement, "They followed me.", "nothing else changes");
    // Amended by a caseworker after it was accepted: theirs, left alone.
    let (t, version) = testimony("sr-bbbb00000000-statement");
    assert_eq!(version, 2);
    assert!(t.consent.share_courts);
    assert_eq!(t.consent.given, None);
    // The repair is in the custody log, and the chain holds.
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        vault
            .custody_log(None)
            .unwrap()
            .iter()
            .any(|e| e.target.as_deref() == Some("sr-aaaa00000000-statement")
                && e.actor == "casevault upgrade")
    );
    vault.lock();
    // Opening again changes nothing more.
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(
        vault
            .get_record("sr-aaaa00000000-statement")
            .unwrap()
            .unwrap()
            .version,
        2
    );
}

/// Migrations are append-only: a released file is never edited, because a
/// vault that already ran it would never run the new text. The committed
/// `migrations.lock` holds each file's SHA-256; an edit fails here, and a
/// new migration fails until its line is appended (the message gives it).
#[test]
fn released_migrations_are_never_edited() {
    use sha2::{Digest, Sha256};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(root.join("migrations.lock")).unwrap();
    let locked: Vec<(&str, &str)> = lock
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once("  ").expect("lines are `SHA256  FILE`"))
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(root.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    let mut problems = Vec::new();
    for name in &files {
        let bytes = std::fs::read(root.join("migrations").join(name)).unwrap();
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        match locked.iter().find(|(_, f)| f == name) {
            Some((sum, _)) if *sum == digest => {}
            Some(_) => problems.push(format!(
                "{name} was edited after it was released; restore it and add a new migration"
            )),
            None => problems.push(format!(
                "{name} is new: append `{digest}  {name}` to migrations.lock"
            )),
        }
    }
    for (_, name) in &locked {
        if !files.iter().any(|f| f == name) {
            problems.push(format!("{name} is in migrations.lock but was deleted"));
        }
    }
    // The embedded list is the files, in order, with nothing skipped.
    let embedded: Vec<String> = casevault_core::vault::migrations::MIGRATIONS
        .iter()
        .map(|m| format!("{:04}_{}.sql", m.version, m.name))
        .collect();
    if embedded != files {
        problems.push(format!(
            "MIGRATIONS lists {embedded:?}, the folder holds {files:?}"
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Migration 10 keys what a schema-9 vault holds: other forms, scripts and
/// romanisations find its old records without any edit.
#[test]
fn schema_9_vault_gets_search_keys_for_its_old_records() {
    use casevault_core::ops::search::{self, Filters};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-9", &path);
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    let found = |q: &str| -> Vec<String> {
        search::search(&vault, q, &Filters::default(), 20)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.record_id)
            .collect()
    };
    assert!(found("командировка").contains(&"t-fixture".to_owned()));
    assert!(found("Moscow").contains(&"t-fixture".to_owned()));
    assert!(found("Алматы").contains(&"inc-fixture".to_owned()));
    let people = search::find_persons(&vault, "Рустам Ходжаев", 10).unwrap();
    assert_eq!(
        people.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["p-fixture"]
    );
}

/// Migration 11 fills the reference table from what a schema-10 vault
/// holds, trashed records included, and only from real references: the
/// case's tag that spells the person's id is no reference, so once the
/// records that do refer to the person are gone, the person can go too.
#[test]
fn schema_10_vault_gets_the_references_its_records_hold() {
    use casevault_core::ErrorCode;
    use casevault_core::ops::edit;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-10", &path);
    let mut vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    let row =
        |from: &str, field: &str, to: &str| (from.to_owned(), field.to_owned(), to.to_owned());
    assert_eq!(
        vault.stored_refs().unwrap(),
        [
            row("inc-s10", "case", "case-s10"),
            row("inc-s10", "perpetrators.organisation", "org-s10"),
            row("inc-s10", "victims", "p-s10"),
            row("inc-s10-trashed", "case", "case-s10"),
            row("inc-s10-trashed", "witnesses", "p-s10"),
            row("p-s10", "case_roles.case", "case-s10"),
        ]
    );
    // Real references still hold.
    let err = edit::trash(&mut vault, "org-s10", "wrong").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    let err = edit::trash(&mut vault, "p-s10", "wrong").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    // The case's tag is no reference: with the incident gone, the person
    // can go. The trashed incident's references were filled too: it
    // cannot come back while its witness is in the trash.
    edit::trash(&mut vault, "inc-s10", "moved").unwrap();
    edit::trash(&mut vault, "p-s10", "entered twice").unwrap();
    let case = vault.get_record("case-s10").unwrap().unwrap();
    assert_eq!((case.version, case.trashed_at), (1, None));
    let err = edit::restore(&mut vault, "inc-s10-trashed").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    edit::restore(&mut vault, "p-s10").unwrap();
    edit::restore(&mut vault, "inc-s10-trashed").unwrap();
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// Migration 12 adds team spaces to a schema-11 vault: no space, no device
/// key until one is asked for, and every record, reference and custody
/// entry as it was.
#[test]
fn schema_11_vault_gets_spaces_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-11", &path);
    let before = snapshot(&path);
    assert!(Vault::open(&path, &pass(OTHER_PASS), session()).is_err());
    assert_eq!(
        before,
        snapshot(&path),
        "a wrong passphrase migrates nothing"
    );
    let vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    assert!(vault.spaces().unwrap().is_empty());
    assert!(vault.sync_device_secret().unwrap().is_none());
    assert!(vault.sync_state().unwrap().is_none());
    let row =
        |from: &str, field: &str, to: &str| (from.to_owned(), field.to_owned(), to.to_owned());
    assert_eq!(
        vault.stored_refs().unwrap(),
        [
            row("inc-s11", "case", "case-s11"),
            row("inc-s11", "victims", "p-s11"),
            row("inc-s11-trashed", "case", "case-s11"),
            row("p-s11", "case_roles.case", "case-s11"),
        ]
    );
    let trashed = vault.get_record("inc-s11-trashed").unwrap().unwrap();
    assert!(trashed.trashed_at.is_some());
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// Migration 13 drops the triggers that kept `record_cases` and rebuilds
/// it from the records, by the model's `Record::cases`: a schema-12
/// vault's case list, case view and trash read as before, the tag that
/// spells the other case's id puts the case in no case, and from here on
/// every write keeps the index without any trigger.
#[test]
fn schema_12_vault_keeps_its_case_index_and_the_store_keeps_it_from_now_on() {
    use casevault_core::model::records::AnyRecord;
    use casevault_core::ops::{browse, edit};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    fixture("vault-schema-12", &path);
    let mut vault = Vault::open(&path, &pass(FIXTURE_PASSPHRASE), session()).unwrap();
    assert_eq!(vault.status().unwrap().schema_version, SCHEMA_VERSION);
    let row = |case: &str, record: &str, kind: &str, trashed: bool| {
        (case.to_owned(), record.to_owned(), kind.to_owned(), trashed)
    };
    assert_eq!(
        vault.stored_cases().unwrap(),
        [
            row("case-s12", "inc-s12", "incident", false),
            row("case-s12", "inc-s12-trashed", "incident", true),
            row("case-s12", "p-s12", "person", false),
            row("case-s12b", "iv-s12", "intervention", false),
            row("case-s12b", "p-s12", "person", false),
        ]
    );
    let counts = |vault: &Vault| -> Vec<(String, u32, u32)> {
        browse::case_summaries(vault)
            .unwrap()
            .into_iter()
            .map(|c| (c.id, c.incidents, c.persons))
            .collect()
    };
    assert_eq!(
        counts(&vault),
        [
            ("case-s12".to_owned(), 1, 1),
            ("case-s12b".to_owned(), 0, 1)
        ]
    );
    let detail = browse::case_detail(&vault, "case-s12").unwrap();
    assert_eq!(detail.incidents[0].id, "inc-s12");
    assert_eq!(detail.trash[0].id, "inc-s12-trashed");
    let other = browse::case_detail(&vault, "case-s12b").unwrap();
    assert_eq!(other.interventions[0].id, "iv-s12");

    // Restore, an amendment that moves an incident, and a trash: each
    // moves the index with it.
    edit::restore(&mut vault, "inc-s12-trashed").unwrap();
    assert_eq!(counts(&vault)[0], ("case-s12".to_owned(), 2, 1));
    let stored = vault.get_record("inc-s12").unwrap().unwrap();
    let mut incident: casevault_core::model::records::Incident =
        serde_json::from_value(stored.data).unwrap();
    incident.case = "case-s12b".into();
    edit::amend(&mut vault, &AnyRecord::Incident(incident), "wrong case").unwrap();
    edit::trash(&mut vault, "iv-s12", "withdrawn").unwrap();
    assert_eq!(
        counts(&vault),
        [
            ("case-s12".to_owned(), 1, 1),
            ("case-s12b".to_owned(), 1, 1)
        ]
    );
    assert_eq!(
        vault.stored_cases().unwrap(),
        [
            row("case-s12", "inc-s12-trashed", "incident", false),
            row("case-s12", "p-s12", "person", false),
            row("case-s12b", "inc-s12", "incident", false),
            row("case-s12b", "iv-s12", "intervention", true),
            row("case-s12b", "p-s12", "person", false),
        ]
    );
    let report = vault.audit_verify(true, |_, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
