//! Search against the report's sample cases in a real vault: full text in
//! Latin and Cyrillic, ranking, phrase and prefix, filters with uncertain
//! dates, names across scripts, duplicates and merge, and the analysis.

use casevault_core::Error;
use casevault_core::model::names::NameMatch;
use casevault_core::model::records::{AnyRecord, Person};
use casevault_core::ops::search::{self, Filters};
use casevault_core::ops::{edit, interchange};
use casevault_core::vault::Vault;

use crate::common::*;

fn sample_vault(dir: &std::path::Path) -> Vault {
    let (mut vault, _) = new_vault(dir);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/kazakhstan-report.json");
    let doc = interchange::parse(&std::fs::read(path).unwrap()).unwrap();
    interchange::import(&mut vault, &doc).unwrap();
    vault
}

fn ids(r: &search::SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.record_id.as_str()).collect()
}

#[test]
fn full_text_finds_latin_and_cyrillic_with_marked_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    let none = Filters::default();

    let r = search::search(&vault, "командировке", &none, 20).unwrap();
    assert_eq!(r.hits.len(), 1, "{r:?}");
    let hit = &r.hits[0];
    assert_eq!(hit.kind, "testimony");
    assert_eq!(hit.case_id.as_deref(), Some("case-moldashev"));
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["командировке"]);

    // Case and diacritics fold; a prefix finds inflected forms.
    let upper = search::search(&vault, "КОМАНДИРОВКЕ", &none, 20).unwrap();
    assert_eq!(ids(&upper), ids(&r));
    let prefix = search::search(&vault, "командиров*", &none, 20).unwrap();
    assert_eq!(ids(&prefix), ids(&r));

    // A phrase must appear as written; the same words apart do not count.
    assert!(
        !search::search(&vault, "\"Revolution Square\"", &none, 20)
            .unwrap()
            .hits
            .is_empty()
    );
    assert!(
        search::search(&vault, "\"Square Revolution\"", &none, 20)
            .unwrap()
            .hits
            .is_empty()
    );
}

#[test]
fn titles_rank_above_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    let r = search::search(&vault, "Kurmanov", &Filters::default(), 20).unwrap();
    assert!(r.hits.len() >= 2, "{r:?}");
    // The person (names are the title) and the case title come before
    // records that only mention him in their text.
    let first_two: Vec<&str> = r.hits[..2].iter().map(|h| h.kind.as_str()).collect();
    assert!(
        first_two.contains(&"person") || first_two.contains(&"case"),
        "{r:?}"
    );
}

#[test]
fn filters_understand_partial_dates_countries_and_consent() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    let by = |f: Filters| search::search(&vault, "", &f, 100).unwrap();

    // "2008-03" (March 2008) overlaps the 15th–20th of March.
    let march = by(Filters {
        from: Some("2008-03-15".into()),
        to: Some("2008-03-20".into()),
        ..Filters::default()
    });
    assert_eq!(ids(&march), ["inc-vienna-in-absentia-2008-03"]);
    // A range that ends before it does not.
    let feb = by(Filters {
        from: Some("2008-02-01".into()),
        to: Some("2008-02-28".into()),
        ..Filters::default()
    });
    assert!(!ids(&feb).contains(&"inc-vienna-in-absentia-2008-03"));
    // "2008-01" and "2008-01-15" are both in January 2008.
    let jan = by(Filters {
        from: Some("January 2008".into()),
        to: Some("January 2008".into()),
        ..Filters::default()
    });
    assert_eq!(jan.hits.len(), 2, "{:?}", ids(&jan));

    let abductions_in_russia = by(Filters {
        act_types: vec!["abduction".into()],
        countries: vec!["RU".into()],
        ..Filters::default()
    });
    assert_eq!(ids(&abductions_in_russia), ["inc-kurmanov-abduction-2012"]);

    // Text plus filters: the testimony is shareable with lawyers, not media.
    let lawyers = search::search(
        &vault,
        "Москве",
        &Filters {
            consent: Some("lawyers".into()),
            ..Filters::default()
        },
        20,
    )
    .unwrap();
    assert_eq!(lawyers.hits.len(), 1);
    let media = search::search(
        &vault,
        "Москве",
        &Filters {
            consent: Some("media".into()),
            ..Filters::default()
        },
        20,
    )
    .unwrap();
    assert!(media.hits.is_empty());
    let closed = search::search(
        &vault,
        "Москве",
        &Filters {
            case_status: Some(casevault_core::model::records::CaseStatus::Closed),
            ..Filters::default()
        },
        20,
    )
    .unwrap();
    assert!(closed.hits.is_empty(), "Moldashev's case is not closed");
    let bad = search::search(
        &vault,
        "",
        &Filters {
            from: Some("the day after".into()),
            ..Filters::default()
        },
        20,
    );
    assert!(matches!(bad, Err(Error::InvalidInput { .. })));
}

#[test]
fn odd_queries_get_words_not_sql() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    let none = Filters::default();
    for q in [
        "",
        "   ",
        "\u{0}\u{7}\u{1b}[31m",
        "NOT",
        "AND OR",
        "(",
        "\"",
        "a:b",
        "*",
        "^x",
        "NEAR(a b)",
    ] {
        let r = search::search(&vault, q, &none, 20);
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
    let err = search::search(&vault, &"слово ".repeat(2000), &none, 20).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }));
    assert!(err.to_string().contains("at most 500"), "{err}");
}

#[test]
fn the_index_follows_amendments_and_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = sample_vault(&dir.path().join("v"));
    let none = Filters::default();
    let mut case: casevault_core::model::records::Case =
        serde_json::from_value(vault.get_record("case-svoik").unwrap().unwrap().data).unwrap();
    case.notes = Some("Вторичная проверка: гостиница «Ак-Кеме»".into());
    edit::amend(&mut vault, &AnyRecord::Case(case), "note").unwrap();
    assert_eq!(
        ids(&search::search(&vault, "гостиница", &none, 5).unwrap()),
        ["case-svoik"]
    );
    edit::trash(&mut vault, "iv-svoik-investigation", "test").unwrap();
    assert!(
        search::search(&vault, "Kyrgyz services", &none, 5)
            .unwrap()
            .hits
            .is_empty()
    );
    edit::restore(&mut vault, "iv-svoik-investigation").unwrap();
    assert!(
        !search::search(&vault, "Kyrgyz services", &none, 5)
            .unwrap()
            .hits
            .is_empty()
    );
}

#[test]
fn names_are_found_across_scripts_and_spellings_exact_first() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    for (query, expect, how) in [
        ("Moldashev", "p-moldashev", NameMatch::Exact),
        ("Молдашев", "p-moldashev", NameMatch::Exact),
        ("Moldashev Daniar", "p-moldashev", NameMatch::Variant),
        ("Daniyar Молдашев", "p-moldashev", NameMatch::Variant),
        ("Moldashef", "p-moldashev", NameMatch::Fuzzy),
        ("Курманов", "p-kurmanov", NameMatch::Exact),
        ("Aynur Kurmanov", "p-kurmanov", NameMatch::Variant),
        ("Петр Своик", "p-svoik", NameMatch::Variant),
    ] {
        let hits = search::find_persons(&vault, query, 10).unwrap();
        assert!(!hits.is_empty(), "{query}");
        assert_eq!(
            (hits[0].id.as_str(), hits[0].how),
            (expect, how),
            "{query}: {hits:?}"
        );
        assert!(!hits[0].cases.is_empty());
    }
    assert!(
        search::find_persons(&vault, "Zzyzx", 10)
            .unwrap()
            .is_empty()
    );
    assert!(search::find_persons(&vault, "", 10).unwrap().is_empty());
}

#[test]
fn a_new_spelling_of_a_known_person_is_flagged_and_merges_keeping_both_histories() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = sample_vault(&dir.path().join("v"));
    let newcomer = serde_json::json!({"format": "casevault-interchange", "version": 1,
        "persons": [{"id": "p-new", "names": [{"name": "Данияр Молдашев", "kind": "primary"}],
                     "occupation": "publisher",
                     "case_roles": [{"case": "case-kurmanov", "role": "witness"}]}],
        "testimonies": [{"id": "t-new", "case": "case-kurmanov", "person": "p-new", "language": "ru",
                         "statement": "Он видел их на площади.",
                         "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                                     "share_un": false, "share_media": false, "publish": false}}]});
    let doc = interchange::parse(newcomer.to_string().as_bytes()).unwrap();
    let person: Person = doc.persons[0].clone();
    let dups = search::possible_duplicates(&vault, &person).unwrap();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].id, "p-moldashev");
    interchange::import(&mut vault, &doc).unwrap();

    edit::merge_persons(&mut vault, "p-moldashev", "p-new", "same passport number").unwrap();
    let kept: Person =
        serde_json::from_value(vault.get_record("p-moldashev").unwrap().unwrap().data).unwrap();
    assert!(kept.names.iter().any(|n| n.name == "Данияр Молдашев"));
    assert!(kept.case_roles.iter().any(|r| r.case == "case-kurmanov"));
    let t: casevault_core::model::records::Testimony =
        serde_json::from_value(vault.get_record("t-new").unwrap().unwrap().data).unwrap();
    assert_eq!(t.person, "p-moldashev");
    assert!(
        vault
            .get_record("p-new")
            .unwrap()
            .unwrap()
            .trashed_at
            .is_some()
    );
    // Both histories remain, with the reason.
    assert_eq!(vault.record_history("p-new").unwrap().len(), 2);
    let last = vault.record_history("p-moldashev").unwrap().pop().unwrap();
    assert!(last.note.unwrap().contains("same passport number"));
    // The name index follows: one person found, not two.
    let hits = search::find_persons(&vault, "Молдашев", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        vault
            .audit_verify(false, |_, _| {})
            .unwrap()
            .problems
            .is_empty()
    );
}

#[test]
fn analysis_counts_patterns_across_cases() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    let a = search::analyse(&vault, &Filters::default()).unwrap();
    assert_eq!(a.incidents, 14);
    assert_eq!(a.cases, 6);
    let count =
        |v: &[search::Count], label: &str| v.iter().find(|c| c.label == label).map(|c| c.count);
    assert_eq!(count(&a.by_act_type, "trial_in_absentia"), Some(5));
    assert_eq!(count(&a.by_route, "KZ→AT"), Some(5));
    assert_eq!(count(&a.by_year, "2008"), Some(4));
    // The timeline runs earliest first, unknown dates last.
    assert_eq!(a.timeline[0].incident_id, "inc-svoik-beating-1997");
    assert_eq!(a.timeline.last().unwrap().start, "unknown");
    let in_austria = search::analyse(
        &vault,
        &Filters {
            countries: vec!["AT".into()],
            ..Filters::default()
        },
    )
    .unwrap();
    assert_eq!(in_austria.incidents, 5);
    assert_eq!(in_austria.cases, 1);
}

/// Issue 17: other forms, scripts and names of a word find it, after the
/// exact matches, and the results say what they are.
#[test]
fn words_are_found_in_other_forms_scripts_and_names_of_places() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = sample_vault(&dir.path().join("v"));
    let none = Filters::default();
    let find = |vault: &casevault_core::vault::Vault, q: &str| {
        search::search(vault, q, &none, 50).unwrap()
    };
    let exact_first = |r: &search::SearchResults| {
        let first_other = r.hits.iter().position(|h| !h.exact).unwrap_or(r.hits.len());
        assert!(r.hits[first_other..].iter().all(|h| !h.exact), "{r:?}");
    };

    // The nominative finds the prepositional, marked in the snippet.
    let r = find(&vault, "командировка");
    let hit = r
        .hits
        .iter()
        .find(|h| h.record_id == "t-moldashev-sample")
        .expect("командировка finds в командировке");
    assert!(!hit.exact);
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["командировке"]);
    // The result says whose testimony it is.
    assert_eq!(hit.person_name.as_deref(), Some("Daniyar Moldashev"));

    // Алматы and Almaty find each other; exact matches come first.
    let r = find(&vault, "Алматы");
    assert!(ids(&r).contains(&"t-moldashev-sample"), "{r:?}");
    assert!(ids(&r).contains(&"inc-moldashev-beating-2011"), "{r:?}");
    assert!(r.hits[0].exact);
    exact_first(&r);
    let incident = r
        .hits
        .iter()
        .find(|h| h.record_id == "inc-moldashev-beating-2011")
        .unwrap();
    assert!(
        incident
            .date
            .as_ref()
            .and_then(|d| d.from.as_ref())
            .is_some_and(|d| d.year == 2011),
        "{incident:?}"
    );
    let r = find(&vault, "Almaty");
    assert!(ids(&r).contains(&"t-moldashev-sample"), "{r:?}");
    exact_first(&r);

    // Москва and Moscow, through the exonym table and Russian cases.
    assert!(ids(&find(&vault, "Москва")).contains(&"inc-moldashev-surveillance-2011"));
    assert!(ids(&find(&vault, "Moscow")).contains(&"t-moldashev-sample"));
    assert!(ids(&find(&vault, "Moskau")).contains(&"t-moldashev-sample"));

    // A different place is not a match.
    assert!(!ids(&find(&vault, "Bishkek")).contains(&"t-moldashev-sample"));

    // "Лада" finds "Ладе".
    let mut case: casevault_core::model::records::Case =
        serde_json::from_value(vault.get_record("case-svoik").unwrap().unwrap().data).unwrap();
    case.notes = Some("Свидетель говорил о Ладе и её брате".into());
    edit::amend(&mut vault, &AnyRecord::Case(case), "note").unwrap();
    assert_eq!(ids(&find(&vault, "Лада")), ["case-svoik"]);

    // Phrases are still phrases, over the text as written.
    assert_eq!(
        ids(&find(&vault, "\"в командировке\"")),
        ["t-moldashev-sample"]
    );
    assert!(find(&vault, "\"Москве командировке\"").hits.is_empty());
    // A phrase and a word in another form together.
    assert_eq!(
        ids(&find(&vault, "\"в командировке\" Moscow")),
        ["t-moldashev-sample"]
    );

    // The trash takes a record out of the key index too.
    edit::trash(&mut vault, "case-svoik", "test").unwrap();
    assert!(find(&vault, "Лада").hits.is_empty());
    edit::restore(&mut vault, "case-svoik").unwrap();
    assert_eq!(ids(&find(&vault, "Лада")), ["case-svoik"]);
}

/// Queries that reach the key index get words, not SQL, too.
#[test]
fn odd_queries_through_the_key_index_are_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let vault = sample_vault(&dir.path().join("v"));
    let none = Filters::default();
    for q in [
        "qqmoskva",
        "\"qq\" OR",
        "Алма-Ата NOT",
        "x\u{0}j ch",
        "ʹʺ`'",
        "Moldas'ev*",
        &"Алматы ".repeat(70),
    ] {
        let r = search::search(&vault, q, &none, 20);
        assert!(r.is_ok(), "{q:?}: {r:?}");
    }
    // The place token cannot be typed to match every record of a place
    // by accident: it is only a key, never a word of the text.
    assert!(ids(&search::search(&vault, "qqmoskva", &none, 20).unwrap()).is_empty());
}
