//! Editing after the fact: amendments validated like imports and kept as
//! versions, trash and restore that never leave a dangling reference, the
//! indexed case views, the person picker and encrypted drafts.

use casevault_core::Error;
use casevault_core::model::records::AnyRecord;
use casevault_core::ops::{browse, edit, interchange};
use casevault_core::vault::Vault;
use serde_json::json;

use crate::common::*;
use crate::interchange::{parse, small_doc};

fn vault_with_small_doc(dir: &std::path::Path) -> Vault {
    let (mut vault, _) = new_vault(dir);
    vault.set_actor("importer");
    interchange::import(&mut vault, &parse(&small_doc()).unwrap()).unwrap();
    vault
}

fn incident(vault: &Vault, id: &str) -> casevault_core::model::records::Incident {
    serde_json::from_value(vault.get_record(id).unwrap().unwrap().data).unwrap()
}

#[test]
fn an_amendment_is_a_new_version_with_its_reason_and_the_old_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with_small_doc(&dir.path().join("v"));
    let mut inc = incident(&vault, "inc-moscow");
    let original = inc.clone();
    inc.start = "2011-03-24".parse().unwrap();
    inc.description
        .push_str(" Two men in a grey car, per the second interview.");
    vault.set_actor("aigerim");
    let v = edit::amend(
        &mut vault,
        &AnyRecord::Incident(inc.clone()),
        "date corrected after second interview",
    )
    .unwrap();
    assert_eq!(v, 2);
    assert_eq!(incident(&vault, "inc-moscow"), inc);
    let history = vault.record_history("inc-moscow").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].data, serde_json::to_value(&original).unwrap());
    assert_eq!(history[0].changed_by, "importer");
    assert_eq!(history[1].changed_by, "aigerim");
    assert_eq!(
        history[1].note.as_deref(),
        Some("date corrected after second interview")
    );
    let meta = vault.record_meta(&["inc-moscow"]).unwrap();
    assert_eq!(
        (meta[0].version, meta[0].updated_by.as_str()),
        (2, "aigerim")
    );
}

#[test]
fn a_bad_amendment_is_rejected_with_the_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with_small_doc(&dir.path().join("v"));
    let before = vault.record_history("inc-moscow").unwrap();
    let good = incident(&vault, "inc-moscow");

    let mut bad = good.clone();
    bad.act_type = "physical_survelance".into();
    let err = edit::amend(&mut vault, &AnyRecord::Incident(bad), "typo").unwrap_err();
    match err {
        Error::RecordRejected { problems } => {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            assert!(problems[0].contains("act_type"), "{problems:?}");
            assert!(
                problems[0].contains("Did you mean \"physical_surveillance\""),
                "{problems:?}"
            );
        }
        other => panic!("expected RecordRejected, got {other}"),
    }
    let mut dangling = good.clone();
    dangling.victims.push("p-nobody".into());
    assert!(matches!(
        edit::amend(&mut vault, &AnyRecord::Incident(dangling), "x"),
        Err(Error::RecordRejected { .. })
    ));
    // No reason, no amendment.
    let mut fine = good.clone();
    fine.title = "Followed in Moscow".into();
    assert!(matches!(
        edit::amend(&mut vault, &AnyRecord::Incident(fine), "  "),
        Err(Error::InvalidInput { .. })
    ));
    // Nothing changed: no version.
    assert!(matches!(
        edit::amend(&mut vault, &AnyRecord::Incident(good.clone()), "resave"),
        Err(Error::InvalidInput { .. })
    ));
    // A record cannot change kind through an amendment.
    let case: casevault_core::model::records::Case =
        serde_json::from_value(vault.get_record("case-moldashev").unwrap().unwrap().data).unwrap();
    let mut as_case = case.clone();
    as_case.id = "inc-moscow".into();
    assert!(matches!(
        edit::amend(&mut vault, &AnyRecord::Case(as_case), "kind"),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(vault.record_history("inc-moscow").unwrap(), before);
    assert_eq!(incident(&vault, "inc-moscow"), good);
}

#[test]
fn trash_refuses_while_something_still_refers_to_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with_small_doc(&dir.path().join("v"));
    // inc-almaty is related from nowhere, but inc-moscow is related from inc-almaty.
    let err = edit::trash(&mut vault, "inc-moscow", "duplicate").unwrap_err();
    assert!(err.to_string().contains("incident \"inc-almaty\""), "{err}");
    let err = edit::trash(&mut vault, "org-knb", "wrong").unwrap_err();
    assert!(err.to_string().contains("inc-moscow"), "{err}");
    assert!(
        vault
            .get_record("inc-moscow")
            .unwrap()
            .unwrap()
            .trashed_at
            .is_none()
    );

    // Once nothing refers to it, it goes, and leaves lists and exports.
    edit::trash(&mut vault, "t-1", "recorded against the wrong case").unwrap();
    assert!(interchange::export(&vault).unwrap().testimonies.is_empty());
    let detail = browse::case_detail(&vault, "case-moldashev").unwrap();
    assert!(detail.testimonies.is_empty());
    assert_eq!(detail.trash.len(), 1);
    assert_eq!(detail.trash[0].reason, "recorded against the wrong case");
    // Once no incident names it, an organisation can go; after that an
    // import that refers to it is refused, naming the trash.
    let mut inc = incident(&vault, "inc-moscow");
    inc.perpetrators.clear();
    edit::amend(
        &mut vault,
        &AnyRecord::Incident(inc),
        "attribution withdrawn",
    )
    .unwrap();
    edit::trash(&mut vault, "org-knb", "entered twice").unwrap();
    let refers = json!({"format": "casevault-interchange", "version": 1,
        "incidents": [{"id": "inc-new", "case": "case-moldashev", "title": "Threat by phone",
            "act_type": "online_intimidation", "start": "2012",
            "perpetrators": [{"organisation": "org-knb", "involvement": "suspected", "attribution": "suspected"}]}]});
    let err = interchange::import(&mut vault, &parse(&refers).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("\"org-knb\" is in the trash"),
        "{err}"
    );
}

#[test]
fn a_case_goes_to_the_trash_and_comes_back_with_what_is_only_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with_small_doc(&dir.path().join("v"));
    let before = interchange::export(&vault).unwrap();
    edit::trash(&mut vault, "case-moldashev", "opened twice").unwrap();
    let after = interchange::export(&vault).unwrap();
    assert!(after.cases.is_empty() && after.incidents.is_empty() && after.persons.is_empty());
    assert!(after.testimonies.is_empty() && after.proceedings.is_empty());
    // Organisations and sources are shared between cases: they stay.
    assert_eq!(after.organisations.len(), 1);
    assert_eq!(after.sources.len(), 1);
    assert!(browse::case_summaries(&vault).unwrap().is_empty());
    assert!(browse::case_detail(&vault, "case-moldashev").is_err());
    // The export of a vault with a trashed case still imports cleanly.
    let other = tempfile::tempdir().unwrap();
    let (mut fresh, _) = new_vault(&other.path().join("v"));
    interchange::import(&mut fresh, &after).unwrap();

    // An incident cannot come back without its case…
    let err = edit::restore(&mut vault, "inc-moscow").unwrap_err();
    assert!(err.to_string().contains("case \"case-moldashev\""), "{err}");
    // …but the case brings back everything trashed with it.
    edit::restore(&mut vault, "case-moldashev").unwrap();
    assert_eq!(interchange::export(&vault).unwrap(), before);
    let history = vault.record_history("inc-moscow").unwrap();
    let notes: Vec<_> = history.iter().map(|v| v.note.clone().unwrap()).collect();
    assert_eq!(notes, ["imported", "trashed: opened twice", "restored"]);
}

#[test]
fn a_person_in_two_cases_blocks_trashing_one_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with_small_doc(&dir.path().join("v"));
    let second = json!({"format": "casevault-interchange", "version": 1,
        "cases": [{"id": "case-2", "title": "Second case", "status": "monitoring"}]});
    interchange::import(&mut vault, &parse(&second).unwrap()).unwrap();
    let mut person: casevault_core::model::records::Person =
        serde_json::from_value(vault.get_record("p-moldashev").unwrap().unwrap().data).unwrap();
    person
        .case_roles
        .push(casevault_core::model::records::CaseRole {
            case: "case-2".into(),
            role: "witness".into(),
        });
    edit::amend(&mut vault, &AnyRecord::Person(person), "also a witness").unwrap();
    let summaries = browse::case_summaries(&vault).unwrap();
    assert_eq!(summaries[1].persons, 1);
    assert!(summaries[1].names.contains(&"Молдашев Данияр".to_string()));
    let err = edit::trash(&mut vault, "case-2", "closed").unwrap_err();
    assert!(err.to_string().contains("person \"p-moldashev\""), "{err}");
}

#[test]
fn the_case_list_and_view_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault_with_small_doc(&dir.path().join("v"));
    let list = browse::case_summaries(&vault).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].incidents, list[0].persons), (2, 1));
    assert_eq!(list[0].tags, ["journalist"]);
    let detail = browse::case_detail(&vault, "case-moldashev").unwrap();
    // Timeline order: 2011-03-25 before ~2011-03-26.
    let ids: Vec<_> = detail.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["inc-moscow", "inc-almaty"]);
    assert_eq!(detail.sources.len(), 1);
    assert_eq!(detail.organisations[0].id, "org-knb");
    assert_eq!(detail.meta.len(), 1 + 1 + 2 + 1 + 1 + 1 + 1);
    // Moving an incident to another case moves it in the index.
    let second = json!({"format": "casevault-interchange", "version": 1,
        "cases": [{"id": "case-2", "title": "Second case", "status": "open"}]});
    interchange::import(&mut vault, &parse(&second).unwrap()).unwrap();
    let mut inc = incident(&vault, "inc-almaty");
    inc.case = "case-2".into();
    inc.related.clear();
    edit::amend(
        &mut vault,
        &AnyRecord::Incident(inc),
        "belongs to the second case",
    )
    .unwrap();
    let list = browse::case_summaries(&vault).unwrap();
    assert_eq!((list[0].incidents, list[1].incidents), (1, 1));
}

#[test]
fn the_person_picker_matches_any_alias_in_either_script() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_with_small_doc(&dir.path().join("v"));
    for q in ["daniar", "Молдаш", "MOLDASHEV"] {
        let hits = casevault_core::ops::search::find_persons(&vault, q, 10).unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0].id, "p-moldashev");
        assert_eq!(hits[0].names[0], "Daniyar Moldashev", "primary first");
    }
    assert_eq!(
        casevault_core::ops::search::find_persons(&vault, "Молдашев Д", 10).unwrap()[0].matched,
        "Молдашев Данияр"
    );
    assert!(
        casevault_core::ops::search::find_persons(&vault, "Ketebayev", 10)
            .unwrap()
            .is_empty()
    );
    assert!(
        casevault_core::ops::search::find_persons(&vault, "   ", 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn drafts_are_kept_in_the_vault_across_a_lock_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    let draft = json!({"statement": "Они пришли ночью — they came at night", "language": "ru"});
    vault.save_draft("testimony:case-1", &draft).unwrap();
    vault
        .save_draft("testimony:case-1", &json!({"statement": "second"}))
        .unwrap();
    vault.lock();
    let mut vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    let loaded = vault.load_draft("testimony:case-1").unwrap().unwrap();
    assert_eq!(loaded.data, json!({"statement": "second"}));
    assert_eq!(vault.draft_keys().unwrap(), ["testimony:case-1"]);
    for bad in ["", "has space", "ctl\u{7}"] {
        assert!(matches!(
            vault.save_draft(bad, &draft),
            Err(Error::InvalidInput { .. })
        ));
    }
    let huge = json!({"statement": "x".repeat(9 * 1024 * 1024)});
    let err = vault.save_draft("big", &huge).unwrap_err();
    assert!(err.to_string().contains("MB"), "{err}");
    assert!(vault.load_draft("big").unwrap().is_none());
    vault.discard_draft("testimony:case-1").unwrap();
    assert!(vault.load_draft("testimony:case-1").unwrap().is_none());
}

/// The case view carries each date taken apart, so screens say it in
/// words without re-parsing the canonical text.
#[test]
fn the_case_view_takes_every_date_apart() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_with_small_doc(&dir.path().join("v"));
    let detail = browse::case_detail(&vault, "case-moldashev").unwrap();
    assert!(!detail.incidents.is_empty());
    for inc in &detail.incidents {
        let key = inc.start.to_string();
        let view = detail.dates.get(&key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(*view, inc.start.view());
        if let Some(end) = &inc.end {
            assert!(detail.dates.contains_key(&end.to_string()));
        }
    }
    for t in &detail.testimonies {
        if let Some(d) = &t.interview_date {
            assert!(detail.dates.contains_key(&d.to_string()));
        }
    }
}
