//! The interchange format: import is all or nothing with errors that name
//! the record and field; export → import round-trips losslessly.

use casevault_core::Error;
use casevault_core::model::problem::ProblemCode;
use casevault_core::ops::interchange::{self, Document};
use casevault_core::vault::Vault;
use serde_json::json;

use crate::common::*;

pub fn small_doc() -> serde_json::Value {
    json!({
        "format": "casevault-interchange",
        "version": 1,
        "cases": [{ "id": "case-moldashev", "title": "Moldashev: surveillance and disappearance", "status": "open",
                    "origin_country": "KZ", "host_countries": ["RU"], "tags": ["journalist"] }],
        "persons": [{ "id": "p-moldashev",
                      "names": [{ "name": "Daniyar Moldashev", "kind": "primary" },
                                { "name": "Daniar Moldashev", "kind": "transliteration" },
                                { "name": "Молдашев Данияр", "kind": "original_script" }],
                      "birth_date": "unknown", "citizenships": ["KZ"],
                      "case_roles": [{ "case": "case-moldashev", "role": "victim" }] }],
        "organisations": [{ "id": "org-knb", "name": "National Security Committee (KNB)", "kind": "security_service", "country": "KZ" }],
        "incidents": [{ "id": "inc-moscow", "case": "case-moldashev", "title": "Surveillance in Moscow",
                        "act_type": "physical_surveillance", "start": "2011-03-25", "place": { "city": "Moscow", "country": "RU" },
                        "origin_state": "KZ", "host_state": "RU", "description": "Followed during a business trip.",
                        "victims": ["p-moldashev"],
                        "perpetrators": [{ "organisation": "org-knb", "involvement": "suspected", "attribution": "suspected" }],
                        "sources": ["src-report"] },
                      { "id": "inc-almaty", "case": "case-moldashev", "title": "Beaten and robbed on the way from the airport",
                        "act_type": "robbery_by_proxies", "start": "~2011-03-26", "place": { "city": "Almaty", "country": "KZ" },
                        "victims": ["p-moldashev"], "related": ["inc-moscow"], "sources": ["src-report"] }],
        "proceedings": [{ "id": "proc-1", "case": "case-moldashev", "kind": "criminal_case", "requesting_state": "KZ",
                          "dates": [{ "label": "opened", "date": "March 2011" }], "legal_grounds": ["echr_3"],
                          "incidents": ["inc-almaty"], "persons": ["p-moldashev"] }],
        "sources": [{ "id": "src-report", "source_type": "ngo_report", "citation": "Kazakh security services on guard of the regime",
                      "reliability": "B", "credibility": 2 }],
        "testimonies": [{ "id": "t-1", "case": "case-moldashev", "person": "p-moldashev", "language": "ru",
                          "statement": "Пример показаний. Sample statement for tests.",
                          "consent": { "record": true, "share_lawyers": true, "share_courts": false, "share_un": false,
                                       "share_media": false, "publish": false, "anonymity": "pseudonym" } }]
    })
}

pub fn parse(v: &serde_json::Value) -> casevault_core::Result<Document> {
    Ok(interchange::parse(
        serde_json::to_string(v).unwrap().as_bytes(),
    )?)
}

fn problems(e: impl Into<Error>) -> Vec<String> {
    match e.into() {
        Error::ImportRejected { problems } => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected ImportRejected, got {other}"),
    }
}

#[test]
fn import_export_import_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("a"));
    let doc = parse(&small_doc()).unwrap();
    // "March 2008"-style input is stored in canonical form.
    assert_eq!(doc.proceedings[0].dates[0].date.to_string(), "2011-03");
    let report = interchange::import(&mut vault, &doc).unwrap();
    assert!(report.counts.contains(&("incident".to_string(), 2)));
    let exported = interchange::export(&vault).unwrap();
    assert_eq!(exported, doc);

    let (mut other, _) = new_vault(&dir.path().join("b"));
    let text = serde_json::to_vec_pretty(&exported).unwrap();
    interchange::import(&mut other, &interchange::parse(&text).unwrap()).unwrap();
    assert_eq!(interchange::export(&other).unwrap(), doc);
}

#[test]
fn bad_files_are_rejected_whole_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    let (mut vault, _) = new_vault(&path);
    interchange::import(&mut vault, &parse(&small_doc()).unwrap()).unwrap();
    vault.lock();
    let before = snapshot(&path);

    let mut vault = Vault::open(&path, &pass(PASS), session()).unwrap();
    // Importing the same file twice: every id already exists.
    let again =
        problems(interchange::import(&mut vault, &parse(&small_doc()).unwrap()).unwrap_err());
    assert!(
        again.iter().any(|p| p.contains("already exists")),
        "{again:?}"
    );

    // Broken JSON, invalid UTF-8, not ours.
    let broken =
        problems(interchange::parse(b"{\"format\": \"casevault-interchange\", ").unwrap_err());
    assert!(broken[0].contains("not valid JSON"), "{broken:?}");
    let utf8 =
        problems(interchange::parse(b"{\"format\": \"casevault-interchange\xff\"}").unwrap_err());
    assert!(utf8[0].contains("UTF-8"), "{utf8:?}");
    assert!(
        problems(interchange::parse(b"{\"cases\": []}").unwrap_err())[0]
            .contains("not a Casevault interchange file")
    );

    // A wrong type names the path.
    let mut v = small_doc();
    v["incidents"][1]["start"] = json!(2011);
    let wrong = problems(parse(&v).unwrap_err());
    assert!(wrong[0].starts_with("incidents[1].start"), "{wrong:?}");

    // An unparseable date names the path and says how to write it.
    let mut v = small_doc();
    v["incidents"][0]["start"] = json!("next spring");
    let date = problems(parse(&v).unwrap_err());
    assert!(
        date[0].contains("incidents[0].start") && date[0].contains("March 2008"),
        "{date:?}"
    );

    // Unknown vocabulary value, with a suggestion; dangling reference.
    let mut v = small_doc();
    v["incidents"][0]["act_type"] = json!("physical_surveilance");
    v["incidents"][1]["victims"] = json!(["p-nobody"]);
    v["persons"][0]["protected"] = json!(true);
    let doc = parse(&v).unwrap();
    let found = interchange::validate(&doc, &casevault_core::vault::KnownRecords::default());
    // As data, for a surface that translates: the code and its parameters.
    assert!(
        found.iter().any(|p| p.code == ProblemCode::UnknownTerm
            && p.field == "act_type"
            && p.params.get("suggestion").map(String::as_str) == Some("physical_surveillance")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.code == ProblemCode::ReferenceMissing
            && p.params.get("target").map(String::as_str) == Some("p-nobody")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.code == ProblemCode::PseudonymRequired),
        "{found:?}"
    );
    let many: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert!(
        many.iter()
            .any(|p| p.contains("incident \"inc-moscow\", act_type")
                && p.contains("Did you mean \"physical_surveillance\"")),
        "{many:?}"
    );
    assert!(
        many.iter()
            .any(|p| p.contains("p-nobody") && p.contains("neither in the file nor in the vault")),
        "{many:?}"
    );
    assert!(many.iter().any(|p| p.contains("pseudonym")), "{many:?}");

    // A 50 MB statement.
    let mut v = small_doc();
    v["testimonies"][0]["statement"] = json!("x".repeat(50 * 1024 * 1024));
    let doc = parse(&v).unwrap();
    let big: Vec<String> =
        interchange::validate(&doc, &casevault_core::vault::KnownRecords::default())
            .iter()
            .map(ToString::to_string)
            .collect();
    assert!(
        big.iter().any(|p| p.contains("statement: is 50 MB")),
        "{big:?}"
    );

    // A newer format version asks for an update.
    let mut v = small_doc();
    v["version"] = json!(7);
    assert!(matches!(
        parse(&v),
        Err(Error::NewerVersion { found: 7, .. })
    ));

    vault.lock();
    assert_eq!(
        before,
        snapshot(&path),
        "rejected imports must not change the vault"
    );
}

#[test]
fn the_shipped_sample_imports() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/kazakhstan-report.json");
    let Ok(bytes) = std::fs::read(&sample) else {
        panic!("samples/kazakhstan-report.json is missing");
    };
    let doc = interchange::parse(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let problems = interchange::validate(&doc, &casevault_core::vault::KnownRecords::default());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(doc.cases.len() >= 6, "the six documented cases");
    let names: Vec<&str> = doc
        .persons
        .iter()
        .flat_map(|p| p.names.iter().map(|n| n.name.as_str()))
        .collect();
    for variant in [
        "Daniar Moldashev",
        "Daniyar Moldashev",
        "Alnur Musayev",
        "Alnar Musayev",
        "Молдашев Данияр",
    ] {
        assert!(
            names.iter().any(|n| n.contains(variant)),
            "{variant} missing from {names:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    interchange::import(&mut vault, &doc).unwrap();
    assert_eq!(interchange::export(&vault).unwrap(), doc);
}

#[test]
fn later_additions_may_refer_to_records_already_in_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    interchange::import(&mut vault, &parse(&small_doc()).unwrap()).unwrap();
    // A new witness added to the existing case and incident.
    let addition = parse(&json!({
        "format": "casevault-interchange", "version": 1,
        "persons": [{ "id": "p-witness", "names": [{ "name": "Witness A", "kind": "primary" }],
                      "case_roles": [{ "case": "case-moldashev", "role": "witness" }] }]
    }))
    .unwrap();
    interchange::import(&mut vault, &addition).unwrap();
    // A reference of the wrong kind is still caught.
    let wrong = parse(&json!({
        "format": "casevault-interchange", "version": 1,
        "testimonies": [{ "id": "t-2", "case": "inc-moscow", "person": "p-witness", "language": "en", "statement": "…",
                          "consent": { "record": true, "share_lawyers": false, "share_courts": false, "share_un": false,
                                       "share_media": false, "publish": false } }]
    }))
    .unwrap();
    let p = problems(interchange::import(&mut vault, &wrong).unwrap_err());
    assert!(
        p[0].contains("\"inc-moscow\" is of kind incident, not case"),
        "{p:?}"
    );
    assert_eq!(interchange::export(&vault).unwrap().persons.len(), 2);
}

#[test]
fn case_views_list_names_and_sort_the_timeline() {
    use casevault_core::ops::browse;
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(&dir.path().join("v"));
    interchange::import(&mut vault, &parse(&small_doc()).unwrap()).unwrap();
    let list = browse::case_summaries(&vault).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].incidents, list[0].persons), (2, 1));
    assert!(list[0].names.iter().any(|n| n == "Молдашев Данияр"));
    let detail = browse::case_detail(&vault, "case-moldashev").unwrap();
    let dates: Vec<String> = detail
        .incidents
        .iter()
        .map(|i| i.start.to_string())
        .collect();
    assert_eq!(
        dates,
        ["2011-03-25", "~2011-03-26"],
        "timeline is sorted by date, not by entry order"
    );
    assert_eq!(detail.testimonies.len(), 1);
    assert!(matches!(
        browse::case_detail(&vault, "nope"),
        Err(Error::InvalidInput { .. })
    ));
}
