//! References between records, as the model's `Record::refs` reads them
//! and the `record_refs` table keeps them: the trash check, restore and
//! person merges ask the table, so text that spells an id (a tag, a
//! statement) is never a reference, and a real one always is.

use std::collections::BTreeSet;

use casevault_core::ErrorCode;
use casevault_core::model::records::AnyRecord;
use casevault_core::ops::{edit, interchange};
use casevault_core::vault::Vault;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::*;
use crate::interchange::parse;

fn import(vault: &mut Vault, doc: Value) {
    interchange::import(vault, &parse(&doc).unwrap()).unwrap();
}

fn any(kind: &str, data: Value) -> AnyRecord {
    serde_json::from_value(json!({"kind": kind, "record": data})).unwrap()
}

/// (from, field, to) of every reference the stored records hold, read
/// from the records themselves through `Record::refs`; `live` keeps only
/// those of records outside the trash.
fn refs_of_records(vault: &Vault, live: bool) -> BTreeSet<(String, String, String)> {
    let known = vault.known_records().unwrap();
    let mut out = BTreeSet::new();
    for id in known.kinds.keys() {
        let r = vault.get_record(id).unwrap().unwrap();
        if live && r.trashed_at.is_some() {
            continue;
        }
        for x in any(&r.kind, r.data).refs() {
            out.insert((id.clone(), x.field.to_owned(), x.id.to_owned()));
        }
    }
    out
}

/// The table's rows; `live` keeps only those from records outside the trash.
fn table(vault: &Vault, live: bool) -> BTreeSet<(String, String, String)> {
    let trashed = vault.known_records().unwrap().trashed;
    vault
        .stored_refs()
        .unwrap()
        .into_iter()
        .filter(|(from, _, _)| !live || !trashed.contains(from))
        .collect()
}

fn two_cases() -> Value {
    json!({"format": "casevault-interchange", "version": 1,
        "cases": [{"id": "case-a", "title": "A", "status": "open"},
                  {"id": "case-b", "title": "B", "status": "open", "tags": ["case-a"],
                   "notes": "case-a"}],
        "persons": [{"id": "p-b", "names": [{"name": "Bota B", "kind": "primary"}],
                     "pseudonym": "case-a", "case_roles": [{"case": "case-b", "role": "victim"}]}],
        "incidents": [{"id": "inc-b", "case": "case-b", "title": "case-a", "act_type": "physical_surveillance",
                       "start": "2020", "description": "case-a", "victims": ["p-b"]}]})
}

/// A tag, a note, a title, a description and a pseudonym that spell a
/// case's id do not refer to it: the case goes to the trash, and nothing
/// else changes. (Before the reference table, any string equal to the id
/// blocked it.)
#[test]
fn text_that_spells_a_case_id_does_not_keep_the_case_from_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    import(&mut vault, two_cases());
    edit::trash(&mut vault, "case-a", "opened twice").unwrap();
    assert!(
        vault
            .get_record("case-a")
            .unwrap()
            .unwrap()
            .trashed_at
            .is_some()
    );
    for id in ["case-b", "p-b", "inc-b"] {
        let r = vault.get_record(id).unwrap().unwrap();
        assert_eq!((r.version, r.trashed_at), (1, None), "{id}");
    }
    // And it comes back: the text does not tie anything to it either.
    edit::restore(&mut vault, "case-a").unwrap();
    assert!(vault.trashed_records().unwrap().is_empty());
}

/// A real reference still keeps its target out of the trash, with the
/// same error code as before, and the refusal changes nothing.
#[test]
fn a_real_reference_still_keeps_its_target_from_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    import(&mut vault, two_cases());
    let history = |vault: &Vault| {
        ["case-a", "case-b", "p-b", "inc-b"].map(|id| vault.record_history(id).unwrap())
    };
    let before = history(&vault);
    // The store's own check, without the case's dependents going along.
    let err = vault.trash_record("case-b", "closed").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    let err = edit::trash(&mut vault, "p-b", "entered twice").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert_eq!(
        vault.referrers("p-b").unwrap(),
        [("inc-b".to_owned(), "incident".to_owned())]
    );
    assert_eq!(
        vault.referrers("case-b").unwrap(),
        [
            ("p-b".to_owned(), "person".to_owned()),
            ("inc-b".to_owned(), "incident".to_owned())
        ]
    );
    assert!(vault.referrers("case-a").unwrap().is_empty());
    assert_eq!(history(&vault), before);
    assert!(vault.trashed_records().unwrap().is_empty());
}

/// Every field of every record type that refers to a person (the model's
/// `Record::refs` for each kind), filled with the person to merge away,
/// and free text in every kind spelling that person's id.
fn merge_doc() -> Value {
    json!({"format": "casevault-interchange", "version": 1,
        "cases": [{"id": "c-m", "title": "p-old", "status": "open", "tags": ["p-old"], "notes": "p-old"}],
        "persons": [
            {"id": "p-keep", "names": [{"name": "Aigerim Nurpeisova", "kind": "primary"}]},
            {"id": "p-old", "names": [{"name": "Aigerim Nurpeissova", "kind": "primary"}],
             "case_roles": [{"case": "c-m", "role": "victim"}]},
            {"id": "p-friend", "names": [{"name": "Bota Z", "kind": "primary"}], "pseudonym": "p-old",
             "protected": true, "occupation": "p-old",
             "relationships": [{"person": "p-old", "relation": "p-old"}],
             "case_roles": [{"case": "c-m", "role": "witness"}]}],
        "organisations": [{"id": "o-m", "name": "p-old", "kind": "security_service"}],
        "incidents": [{"id": "i-m", "case": "c-m", "title": "p-old", "act_type": "physical_surveillance",
                       "start": "2020", "description": "p-old", "victims": ["p-old"],
                       "witnesses": ["p-old", "p-friend"],
                       "perpetrators": [{"person": "p-old", "involvement": "suspected", "attribution": "suspected"},
                                        {"organisation": "o-m", "involvement": "suspected", "attribution": "suspected"}]}],
        "proceedings": [{"id": "pr-m", "case": "c-m", "kind": "criminal_case", "reference": "p-old",
                         "incidents": ["i-m"], "persons": ["p-old"]}],
        "sources": [{"id": "s-m", "source_type": "ngo_report", "citation": "p-old"}],
        "testimonies": [{"id": "t-m", "case": "c-m", "person": "p-old", "language": "ru",
                         "statement": "p-old", "consent": {"record": true, "share_lawyers": false,
                         "share_courts": false, "share_un": false, "share_media": false, "publish": false}}],
        "interventions": [{"id": "iv-m", "case": "c-m", "actor_kind": "lawyer", "actor": "p-old",
                           "request": "p-old", "status": "pending"}]})
}

/// A merge moves every reference to the merged person, in every field of
/// every kind that has one, and leaves text spelling the id as it was.
/// (Before, a tag spelling the id counted as a reference that the merge
/// could not move, so the merged person could not go to the trash.)
#[test]
fn a_merge_repoints_every_person_reference_and_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    import(&mut vault, merge_doc());
    let before = refs_of_records(&vault, true);
    // The document holds every person field the model has.
    let person_fields: BTreeSet<&str> = before
        .iter()
        .filter(|(_, _, to)| to == "p-old")
        .map(|(_, f, _)| f.as_str())
        .collect();
    assert_eq!(
        person_fields,
        BTreeSet::from([
            "relationships.person",
            "victims",
            "witnesses",
            "perpetrators.person",
            "persons",
            "person"
        ])
    );
    let data = |vault: &Vault, id: &str| vault.get_record(id).unwrap().unwrap().data;
    let texts: Vec<(&str, Value)> = ["c-m", "o-m", "s-m"]
        .iter()
        .map(|id| (*id, data(&vault, id)))
        .collect();

    edit::merge_persons(&mut vault, "p-keep", "p-old", "same person").unwrap();

    let after = refs_of_records(&vault, true);
    let moved: BTreeSet<_> = before
        .iter()
        .filter(|(from, _, _)| from != "p-old" && from != "p-keep")
        .map(|(from, f, to)| {
            let to = if to == "p-old" { "p-keep" } else { to };
            (from.clone(), f.clone(), to.to_owned())
        })
        .collect();
    let others: BTreeSet<_> = after
        .iter()
        .filter(|(from, _, _)| from != "p-keep")
        .cloned()
        .collect();
    assert_eq!(others, moved);
    assert!(after.iter().all(|(_, _, to)| to != "p-old"));
    assert!(table(&vault, true).iter().all(|(_, _, to)| to != "p-old"));
    assert_eq!(table(&vault, true), after);
    // Records that only spell the id are untouched: no new version.
    for (id, was) in texts {
        let r = vault.get_record(id).unwrap().unwrap();
        assert_eq!((r.version, &r.data), (1, &was), "{id}");
    }
    let friend = data(&vault, "p-friend");
    assert_eq!(friend["pseudonym"], "p-old");
    assert_eq!(
        friend["relationships"][0],
        json!({"person": "p-keep", "relation": "p-old"})
    );
    let incident = data(&vault, "i-m");
    assert_eq!(incident["description"], "p-old");
    assert_eq!(incident["witnesses"], json!(["p-keep", "p-friend"]));
    assert_eq!(data(&vault, "t-m")["statement"], "p-old");
    assert_eq!(data(&vault, "iv-m")["request"], "p-old");
    assert!(
        vault
            .get_record("p-old")
            .unwrap()
            .unwrap()
            .trashed_at
            .is_some()
    );
}

/// One write of a random sequence. Record slots name a fixed set of ids
/// per run, so writes hit existing records, missing ones and trashed ones.
#[derive(Debug, Clone)]
enum Op {
    /// Import the record in `slot` if it does not exist, amend it if it
    /// does; `picks` choose what its references (and its text) name.
    Write {
        slot: usize,
        picks: Vec<usize>,
    },
    Trash {
        slot: usize,
    },
    Restore {
        slot: usize,
    },
    Merge {
        keep: usize,
        other: usize,
    },
}

const SLOTS: &[(&str, &str)] = &[
    ("case", "c0"),
    ("case", "c1"),
    ("person", "p0"),
    ("person", "p1"),
    ("person", "p2"),
    ("organisation", "o0"),
    ("incident", "i0"),
    ("incident", "i1"),
    ("proceeding", "r0"),
    ("testimony", "t0"),
    ("intervention", "v0"),
];

fn op() -> impl Strategy<Value = Op> {
    let slot = 0..SLOTS.len();
    prop_oneof![
        3 => (slot.clone(), prop::collection::vec(0..64usize, 8))
            .prop_map(|(slot, picks)| Op::Write { slot, picks }),
        2 => slot.clone().prop_map(|slot| Op::Trash { slot }),
        2 => slot.clone().prop_map(|slot| Op::Restore { slot }),
        1 => (2..5usize, 2..5usize).prop_map(|(keep, other)| Op::Merge { keep, other }),
    ]
}

/// The record in `slot` of run `run`, its references and text chosen by
/// `picks` among the run's ids.
fn record(run: u32, slot: usize, picks: &[usize]) -> AnyRecord {
    let id = |i: usize| format!("x{run}-{}", SLOTS[i].1);
    let of = |kind: &str, n: usize| {
        let ids: Vec<usize> = (0..SLOTS.len()).filter(|i| SLOTS[*i].0 == kind).collect();
        id(ids[picks[n] % ids.len()])
    };
    let text = id(picks[7] % SLOTS.len());
    let (kind, _) = SLOTS[slot];
    let me = id(slot);
    let data = match kind {
        "case" => json!({"id": me, "title": "Case", "status": "open", "tags": [text]}),
        "person" => {
            json!({"id": me, "names": [{"name": format!("Person {slot}"), "kind": "primary"}],
            "occupation": text, "case_roles": [{"case": of("case", 0), "role": "victim"}],
            "relationships": [{"person": of("person", 1), "relation": "brother"}]})
        }
        "organisation" => json!({"id": me, "name": text, "kind": "security_service"}),
        "incident" => json!({"id": me, "case": of("case", 0), "title": "Incident",
            "act_type": "physical_surveillance", "start": "2020", "description": text,
            "victims": [of("person", 1)], "witnesses": [of("person", 2)],
            "related": [of("incident", 3)],
            "perpetrators": [{"person": of("person", 4), "involvement": "suspected", "attribution": "suspected"},
                             {"organisation": of("organisation", 5), "involvement": "suspected", "attribution": "suspected"}]}),
        "proceeding" => json!({"id": me, "case": of("case", 0), "kind": "criminal_case",
            "reference": text, "incidents": [of("incident", 3)], "persons": [of("person", 1)]}),
        "testimony" => json!({"id": me, "case": of("case", 0), "person": of("person", 2),
            "language": "ru", "statement": text, "consent": {"record": true, "share_lawyers": false,
            "share_courts": false, "share_un": false, "share_media": false, "publish": false}}),
        "intervention" => json!({"id": me, "case": of("case", 6), "actor_kind": "lawyer",
            "request": text, "status": "pending"}),
        _ => unreachable!(),
    };
    any(kind, data)
}

fn single(r: AnyRecord) -> casevault_core::model::interchange::Document {
    let mut doc = casevault_core::model::interchange::Document::new();
    match r {
        AnyRecord::Case(r) => doc.cases.push(r),
        AnyRecord::Person(r) => doc.persons.push(r),
        AnyRecord::Organisation(r) => doc.organisations.push(r),
        AnyRecord::Incident(r) => doc.incidents.push(r),
        AnyRecord::Proceeding(r) => doc.proceedings.push(r),
        AnyRecord::Source(r) => doc.sources.push(r),
        AnyRecord::Testimony(r) => doc.testimonies.push(r),
        AnyRecord::Intervention(r) => doc.interventions.push(r),
    }
    doc
}

fn apply(vault: &mut Vault, run: u32, op: &Op) -> casevault_core::Result<()> {
    let id = |slot: usize| format!("x{run}-{}", SLOTS[slot].1);
    match op {
        Op::Write { slot, picks } => {
            let r = record(run, *slot, picks);
            if vault.get_record(&id(*slot))?.is_some() {
                edit::amend(vault, &r, "corrected").map(drop)
            } else {
                interchange::import(vault, &single(r)).map(drop)
            }
        }
        Op::Trash { slot } => edit::trash(vault, &id(*slot), "gone"),
        Op::Restore { slot } => edit::restore(vault, &id(*slot)).map(drop),
        Op::Merge { keep, other } => edit::merge_persons(vault, &id(*keep), &id(*other), "same"),
    }
}

/// Every slot's record of run `run`, with references that all land on
/// records of the same document.
fn base(run: u32) -> casevault_core::model::interchange::Document {
    let mut doc = casevault_core::model::interchange::Document::new();
    for (i, (_, name)) in SLOTS.iter().enumerate() {
        let mut picks = vec![0; 8];
        if *name == "p0" || *name == "i0" {
            picks[1] = 1;
            picks[3] = 1;
        }
        let mut part = single(record(run, i, &picks));
        doc.cases.append(&mut part.cases);
        doc.persons.append(&mut part.persons);
        doc.organisations.append(&mut part.organisations);
        doc.incidents.append(&mut part.incidents);
        doc.proceedings.append(&mut part.proceedings);
        doc.testimonies.append(&mut part.testimonies);
        doc.interventions.append(&mut part.interventions);
    }
    doc
}

fn slot(name: &str) -> usize {
    SLOTS.iter().position(|(_, n)| *n == name).unwrap()
}

/// After any sequence of imports, amendments, trashings, restores and
/// merges (each refused or not), the table holds exactly the references
/// the records' `Record::refs` give, trashed records included, and its
/// live rows exactly those of the live records.
#[test]
fn the_table_is_the_records_refs_after_any_sequence_of_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));

    // First a fixed sequence in which every kind of write goes through,
    // so the property below is never checked on refusals alone.
    interchange::import(&mut vault, &base(0)).unwrap();
    assert_eq!(table(&vault, false), refs_of_records(&vault, false));
    assert!(!table(&vault, false).is_empty());
    let fixed = [
        // The incident moves to the other case and to another victim.
        Op::Write {
            slot: slot("i0"),
            picks: vec![1, 2, 0, 1, 0, 0, 0, 3],
        },
        Op::Merge {
            keep: slot("p0"),
            other: slot("p2"),
        },
        Op::Trash { slot: slot("v0") },
        Op::Restore { slot: slot("v0") },
        Op::Trash { slot: slot("t0") },
    ];
    for op in &fixed {
        apply(&mut vault, 0, op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
        assert_eq!(
            table(&vault, false),
            refs_of_records(&vault, false),
            "{op:?}"
        );
        assert_eq!(table(&vault, true), refs_of_records(&vault, true), "{op:?}");
    }
    assert!(
        table(&vault, false).iter().all(|(_, _, to)| to != "x0-p2"),
        "the merge moved every reference"
    );

    // One vault for every case (each run has ids of its own); the
    // runner's closure may not hold it mutably, so it is lent per case.
    let vault = std::cell::RefCell::new(vault);
    let run = std::cell::Cell::new(0u32);
    let config = ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in prop::collection::vec(op(), 1..16))| {
        run.set(run.get() + 1);
        let n = run.get();
        let mut vault = vault.borrow_mut();
        let vault = &mut *vault;
        // Half the runs start from a whole set of records, half from none.
        if n.is_multiple_of(2) {
            interchange::import(vault, &base(n)).unwrap();
        }
        for op in &ops {
            if let Err(e) = apply(vault, n, op) {
                // Refusals are the caseworker's to fix, never a fault.
                prop_assert!(
                    matches!(e.code(), ErrorCode::InvalidInput | ErrorCode::ImportRejected),
                    "{op:?}: {e}"
                );
            }
            prop_assert_eq!(table(vault, false), refs_of_records(vault, false), "after {:?}", op);
            prop_assert_eq!(table(vault, true), refs_of_records(vault, true), "after {:?}", op);
        }
    });
}
