//! Consent fidelity: what a person agreed to is exactly what every path
//! that copies a testimony keeps. The self-report questionnaire is run
//! through the whole real path (seal to a real age intake key, receive
//! into a real NGO vault, accept) for every combination of its consent
//! answers; the other paths (a lawyer importing a bundle, merging persons,
//! amending, JSON export and import) are checked field by field too.

use casevault_core::ErrorCode;
use casevault_core::bundle::Language;
use casevault_core::bundle::intake::{self, AcceptInto};
use casevault_core::bundle::read::Unseal;
use casevault_core::bundle::seal::{self, SealRequest};
use casevault_core::model::records::{AnyRecord, Consent, Person, Testimony};
use casevault_core::model::self_report::ReportConsent;
use casevault_core::ops::browse;
use casevault_core::ops::edit;
use casevault_core::ops::interchange::{self, Document};
use casevault_core::vault::Vault;
use proptest::prelude::*;

use crate::common::*;
use crate::intake::{accept_new, activist, answers, ngo};

/// Every combination of the questionnaire's five consent boxes.
fn every_answer() -> Vec<ReportConsent> {
    (0u8..32)
        .map(|bits| ReportConsent {
            record: bits & 1 != 0,
            share_lawyers: bits & 2 != 0,
            share_un: bits & 4 != 0,
            contact_me: bits & 8 != 0,
            pseudonym_only: bits & 16 != 0,
        })
        .collect()
}

/// The testimony consent the answers mean: the audiences ticked, none
/// that were not asked, the anonymity chosen, and when it was given.
fn expected_consent(c: &ReportConsent, named: bool) -> Consent {
    Consent {
        record: c.record,
        share_lawyers: c.share_lawyers,
        share_courts: false,
        share_un: c.share_un,
        share_media: false,
        publish: false,
        anonymity: Some(
            if c.pseudonym_only || !named {
                "pseudonym"
            } else {
                "none"
            }
            .to_owned(),
        ),
        withdrawn: None,
        given: Some(now().date_naive().to_string().parse().unwrap()),
        contact: Some(c.contact_me),
    }
}

fn seal_answers(
    a: &mut crate::intake::Activist,
    key: &str,
    c: &ReportConsent,
    named: bool,
    out: &std::path::Path,
) -> casevault_core::Result<seal::SealReport> {
    let report = a.vault.create_report().unwrap();
    let mut r = answers("They followed me home.");
    r.consent = c.clone();
    if !named {
        r.about_me.name = String::new();
        r.about_me.other_names = String::new();
    }
    a.vault.save_report(&report.summary.id, &r).unwrap();
    seal::seal(
        &mut a.vault,
        SealRequest {
            report_id: &report.summary.id,
            intake_key: key,
            language: Language::En,
            out,
        },
    )
}

#[test]
fn every_questionnaire_consent_reaches_the_accepted_testimony_unchanged() {
    // One activist vault and one NGO vault carry all 64 reports, so the
    // whole real path stays affordable.
    let mut a = activist();
    let mut n = ngo();
    let key = n.intake_key.clone();
    let mut checked = 0;
    for named in [true, false] {
        for (i, c) in every_answer().iter().enumerate() {
            let out = n.dir.path().join(format!("r-{named}-{i}.cvb"));
            let sealed = seal_answers(&mut a, &key, c, named, &out);
            if !c.record {
                // Without consent to record, nothing is sealed at all.
                let err = sealed.unwrap_err();
                assert_eq!(err.code(), ErrorCode::InvalidInput, "{c:?}");
                assert!(!out.exists());
                continue;
            }
            sealed.unwrap();
            let item = intake::receive(&mut n.vault, &out).unwrap();
            let review = intake::review(&n.vault, &item.bundle_id).unwrap();
            assert_eq!(
                review.report.answers.consent, *c,
                "the review shows the answers"
            );
            let case = accept_new(&mut n.vault, &item.bundle_id);
            let detail = browse::case_detail(&n.vault, &case).unwrap();
            assert_eq!(detail.testimonies.len(), 1);
            let got = &detail.testimonies[0].consent;
            let want = expected_consent(c, named);
            assert_eq!(got.record, want.record, "record, {c:?} named={named}");
            assert_eq!(got.share_lawyers, want.share_lawyers, "lawyers, {c:?}");
            assert_eq!(got.share_courts, want.share_courts, "courts, {c:?}");
            assert_eq!(got.share_un, want.share_un, "un, {c:?}");
            assert_eq!(got.share_media, want.share_media, "media, {c:?}");
            assert_eq!(got.publish, want.publish, "publish, {c:?}");
            assert_eq!(
                got.anonymity, want.anonymity,
                "anonymity, {c:?} named={named}"
            );
            assert_eq!(got.withdrawn, want.withdrawn, "withdrawn, {c:?}");
            assert_eq!(got.given, want.given, "consent date, {c:?}");
            assert_eq!(got.contact, want.contact, "contact, {c:?}");
            assert_eq!(*got, want, "nothing else differs");
            let reporter = &detail.persons[0];
            assert_eq!(
                reporter.protected,
                c.pseudonym_only || !named,
                "protection, {c:?} named={named}"
            );
            if reporter.protected {
                assert!(
                    reporter
                        .pseudonym
                        .as_deref()
                        .is_some_and(|p| !p.trim().is_empty())
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 32, "16 sealable answers, named and unnamed");
}

/// A follow-up accepted onto a person the NGO already has keeps what the
/// reporter asked for now: a pseudonym protects the existing person too.
#[test]
fn a_follow_up_asking_for_a_pseudonym_protects_the_existing_person() {
    let mut a = activist();
    let mut n = ngo();
    let key = n.intake_key.clone();
    let open = ReportConsent {
        record: true,
        share_lawyers: true,
        ..ReportConsent::default()
    };
    let first = n.dir.path().join("first.cvb");
    seal_answers(&mut a, &key, &open, true, &first).unwrap();
    let one = intake::receive(&mut n.vault, &first).unwrap();
    let case = accept_new(&mut n.vault, &one.bundle_id);
    let person = browse::case_detail(&n.vault, &case).unwrap().persons[0].clone();
    assert!(!person.protected);

    let hidden = ReportConsent {
        pseudonym_only: true,
        ..open
    };
    let second = n.dir.path().join("second.cvb");
    seal_answers(&mut a, &key, &hidden, true, &second).unwrap();
    let two = intake::receive(&mut n.vault, &second).unwrap();
    intake::accept(
        &mut n.vault,
        &two.bundle_id,
        &AcceptInto {
            case_id: Some(case.clone()),
            person_id: Some(person.id.clone()),
        },
        |_, _| {},
    )
    .unwrap();
    let detail = browse::case_detail(&n.vault, &case).unwrap();
    let after = detail.persons.iter().find(|p| p.id == person.id).unwrap();
    assert!(after.protected, "the reporter asked for a pseudonym");
    assert!(
        after
            .pseudonym
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty())
    );
    let mut consents: Vec<_> = detail
        .testimonies
        .iter()
        .map(|t| t.consent.clone())
        .collect();
    consents.sort_by_key(|c| c.anonymity.clone());
    assert_eq!(
        consents,
        [
            expected_consent(&open, true),
            expected_consent(&hidden, true)
        ]
    );
}

// ---------------------------------------------------------------------
// The other paths that copy consent.

fn arb_consent() -> impl Strategy<Value = Consent> {
    let anonymity = proptest::option::of(prop_oneof![
        Just("none".to_owned()),
        Just("pseudonym".to_owned()),
        Just("full".to_owned()),
    ]);
    let date = proptest::option::of(prop_oneof![
        Just("2024".to_owned()),
        Just("2024-03".to_owned()),
        Just("~2023-11-02".to_owned()),
        Just("2025-01-31".to_owned()),
    ]);
    (
        proptest::array::uniform6(any::<bool>()),
        anonymity,
        date.clone(),
        date,
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(b, anonymity, withdrawn, given, contact)| Consent {
            record: b[0],
            share_lawyers: b[1],
            share_courts: b[2],
            share_un: b[3],
            share_media: b[4],
            publish: b[5],
            anonymity,
            withdrawn: withdrawn.map(|d| d.parse().unwrap()),
            given: given.map(|d| d.parse().unwrap()),
            contact,
        })
}

fn testimony(id: &str, case: &str, person: &str, consent: Consent) -> Testimony {
    Testimony {
        id: id.to_owned(),
        case: case.to_owned(),
        person: person.to_owned(),
        language: "ru".to_owned(),
        interview_date: None,
        interview_place: None,
        mode: None,
        interviewer: None,
        interpreter: None,
        statement: "What happened to me.".to_owned(),
        consent,
    }
}

fn person(id: &str, name: &str) -> Person {
    serde_json::from_value(serde_json::json!({
        "id": id, "names": [{"name": name, "kind": "primary"}]
    }))
    .unwrap()
}

fn stored_testimony(vault: &Vault, id: &str) -> Testimony {
    serde_json::from_value(vault.get_record(id).unwrap().unwrap().data).unwrap()
}

fn base_case(vault: &mut Vault) {
    let doc: Document = interchange::parse(
        br#"{"format":"casevault-interchange","version":1,
            "cases":[{"id":"c-1","title":"Case","status":"open"}],
            "persons":[{"id":"p-1","names":[{"name":"Witness One","kind":"primary"}]}]}"#,
    )
    .unwrap();
    interchange::import(vault, &doc).unwrap();
}

/// Import, export, amend something else, then amend the consent itself:
/// every field survives each step, through one real vault.
#[test]
fn consent_survives_import_export_and_amendment() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    base_case(&mut vault);
    // One vault for every case: the runner's closure may not hold it
    // mutably, so it is lent out per case.
    let vault = std::cell::RefCell::new(vault);
    let n = std::cell::Cell::new(0u32);
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(first in arb_consent(), second in arb_consent())| {
        n.set(n.get() + 1);
        let id = format!("t-{}", n.get());
        let mut vault = vault.borrow_mut();
        let vault = &mut *vault;
        let mut doc = Document::new();
        doc.testimonies.push(testimony(&id, "c-1", "p-1", first.clone()));
        // Through the file format, as a partner's JSON would come in.
        let text = serde_json::to_vec(&doc).unwrap();
        interchange::import(vault, &interchange::parse(&text).unwrap()).unwrap();
        let exported = interchange::export(vault).unwrap();
        let out = exported.testimonies.iter().find(|t| t.id == id).unwrap();
        prop_assert_eq!(&out.consent, &first);
        // Exported JSON read back is the same consent.
        let again = interchange::parse(&serde_json::to_vec(&exported).unwrap()).unwrap();
        prop_assert_eq!(&again.testimonies.iter().find(|t| t.id == id).unwrap().consent, &first);

        let mut changed = stored_testimony(vault, &id);
        changed.statement = "What happened to me, corrected.".into();
        edit::amend(vault, &AnyRecord::Testimony(changed), "typo").unwrap();
        prop_assert_eq!(&stored_testimony(vault, &id).consent, &first);

        let mut changed = stored_testimony(vault, &id);
        changed.consent = second.clone();
        edit::amend(vault, &AnyRecord::Testimony(changed), "asked again").unwrap();
        prop_assert_eq!(&stored_testimony(vault, &id).consent, &second);
    });
}

/// Merging persons repoints references, and nothing else: a testimony's
/// consent stays as it was even when a value in it happens to spell the
/// merged person's id (ids are free text of a-z, 0-9 and -). The vault may
/// refuse such a merge (its reference check reads every value), but it
/// never rewrites the consent.
#[test]
fn merging_persons_keeps_every_consent_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    base_case(&mut vault);
    let consents = [
        (
            "none",
            Consent {
                record: true,
                share_lawyers: true,
                anonymity: Some("none".into()),
                ..Consent::default()
            },
        ),
        (
            "pseudonym",
            Consent {
                record: true,
                share_un: true,
                anonymity: Some("pseudonym".into()),
                contact: Some(false),
                ..Consent::default()
            },
        ),
        (
            "full",
            Consent {
                record: true,
                share_courts: true,
                anonymity: Some("full".into()),
                given: Some("2024-03".parse().unwrap()),
                ..Consent::default()
            },
        ),
        (
            "2024-03",
            Consent {
                record: true,
                share_media: true,
                publish: true,
                withdrawn: Some("2024-03".parse().unwrap()),
                ..Consent::default()
            },
        ),
        (
            "p-other-1",
            Consent {
                record: true,
                share_lawyers: true,
                share_un: true,
                anonymity: Some("pseudonym".into()),
                given: Some("2025".parse().unwrap()),
                contact: Some(true),
                ..Consent::default()
            },
        ),
        (
            "p-other-2",
            Consent {
                record: false,
                withdrawn: Some("~2025-06".parse().unwrap()),
                anonymity: Some("full".into()),
                ..Consent::default()
            },
        ),
    ];
    let mut merged = 0;
    for (i, (other, consent)) in consents.iter().enumerate() {
        let keep = format!("keep-{i}");
        let mut doc = Document::new();
        doc.persons.push(person(&keep, &format!("Kept Person {i}")));
        let mut gone = person(other, &format!("Merged Person {i}"));
        gone.protected = i % 2 == 0;
        gone.pseudonym = Some(format!("Witness {i}"));
        gone.case_roles =
            serde_json::from_value(serde_json::json!([{"case": "c-1", "role": "victim"}])).unwrap();
        doc.persons.push(gone);
        let tid = format!("t-merge-{i}");
        doc.testimonies
            .push(testimony(&tid, "c-1", other, consent.clone()));
        interchange::import(&mut vault, &doc).unwrap();

        let result = edit::merge_persons(&mut vault, &keep, other, "same person");
        let t = stored_testimony(&vault, &tid);
        assert_eq!(&t.consent, consent, "consent of a testimony by \"{other}\"");
        match result {
            Ok(()) => {
                merged += 1;
                assert_eq!(
                    t.person, keep,
                    "the testimony now belongs to the kept person"
                );
                let kept: Person =
                    serde_json::from_value(vault.get_record(&keep).unwrap().unwrap().data).unwrap();
                assert_eq!(kept.protected, i % 2 == 0, "protection carries over");
                assert_eq!(
                    kept.pseudonym.as_deref(),
                    Some(format!("Witness {i}").as_str())
                );
            }
            Err(e) => {
                assert!(!other.starts_with("p-other"), "{other}: {e}");
                assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
                assert_eq!(t.person, *other, "a refused merge changes nothing");
            }
        }
    }
    assert!(merged >= 2, "ordinary merges go through");
}

/// What a lawyer imports from a bundle carries each shared testimony's
/// consent unchanged; what consent withholds never arrives.
#[test]
fn a_lawyer_importing_a_bundle_gets_each_consent_unchanged() {
    let root = tempfile::tempdir().unwrap();
    let (mut org, _) = new_vault(&root.path().join("org"));
    base_case(&mut org);
    let mut doc = Document::new();
    let mut sent = Vec::new();
    for bits in 0u8..64 {
        let c = Consent {
            record: true,
            share_lawyers: bits & 1 != 0,
            share_courts: bits & 2 != 0,
            share_un: bits & 4 != 0,
            share_media: bits & 8 != 0,
            publish: bits & 16 != 0,
            anonymity: [None, Some("none"), Some("pseudonym"), Some("full")][usize::from(bits % 4)]
                .map(str::to_owned),
            withdrawn: (bits & 32 != 0).then(|| "2025-02".parse().unwrap()),
            given: (bits % 3 == 0).then(|| "2024-10-01".parse().unwrap()),
            contact: [None, Some(true), Some(false)][usize::from(bits % 3)],
        };
        let id = format!("t-{bits}");
        doc.testimonies
            .push(testimony(&id, "c-1", "p-1", c.clone()));
        sent.push((id, c));
    }
    interchange::import(&mut org, &doc).unwrap();
    let lawyer_dir = root.path().join("lawyer");
    let (mut lawyer, _) = new_vault(&lawyer_dir);
    let lawyer_key = lawyer.create_identity("Bundles").unwrap();
    let out = root.path().join("case.cvb");
    casevault_core::bundle::write::create(
        &mut org,
        casevault_core::bundle::write::CreateRequest {
            case_ids: &["c-1".to_owned()],
            seal: casevault_core::bundle::write::Seal::Recipients(vec![lawyer_key.recipient]),
            language: Language::En,
            organisation: "NGO",
            out: &out,
        },
    )
    .unwrap();
    let unseal = Unseal::Identities(lawyer.identity_secrets().unwrap());
    // The lawyer reviewed the bundle and accepts its signer knowingly.
    let reviewed = casevault_core::bundle::read::verify(&out, &unseal, &[]).unwrap();
    casevault_core::bundle::receive::import(
        &mut lawyer,
        &out,
        &unseal,
        &[],
        &casevault_core::bundle::receive::Approval {
            bundle_id: Some(&reviewed.manifest.bundle_id),
            signer_fingerprint: Some(&reviewed.signer_fingerprint),
            accept_untrusted: true,
        },
        |_, _| {},
    )
    .unwrap();
    let got = interchange::export(&lawyer).unwrap();
    for (id, c) in &sent {
        let arrived = got.testimonies.iter().find(|t| &t.id == id);
        if c.share_lawyers && c.withdrawn.is_none() {
            let t = arrived.unwrap_or_else(|| panic!("{id} was shared"));
            assert_eq!(&t.consent, c, "{id}");
        } else {
            assert!(arrived.is_none(), "{id} is withheld by its consent");
        }
    }
}

/// An anonymity the model does not know is refused, naming the field, and
/// the vault is unchanged.
#[test]
fn an_unknown_anonymity_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    base_case(&mut vault);
    let before = vault.known_records().unwrap().kinds.len();
    let mut doc = Document::new();
    let consent = Consent {
        record: true,
        anonymity: Some("anonymous".into()),
        ..Consent::default()
    };
    doc.testimonies
        .push(testimony("t-x", "c-1", "p-1", consent));
    let err = interchange::import(&mut vault, &doc).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ImportRejected, "{err}");
    assert_eq!(vault.known_records().unwrap().kinds.len(), before);
}
