//! What leaves in a lawyer's bundle: protected names in every form, held
//! back records, renamed ids, staff identities, evidence metadata and CSV
//! cells (issue 13). Bundles are decrypted here with the `age` and `tar`
//! crates directly, not through Casevault's reader, and every extracted
//! file and file name is scanned.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use casevault_core::bundle::redact::{ExtraProtection, NameMatcher};
use casevault_core::bundle::review::{self, FlagKind};
use casevault_core::bundle::write::{self, CreateRequest, ExportChoices, Seal};
use casevault_core::bundle::{Language, WithheldReason};
use casevault_core::model::inflect;
use casevault_core::model::records::Person;
use casevault_core::ops::interchange;
use casevault_core::vault::Vault;
use casevault_core::vault::attachments::AttachRequest;

use crate::common::*;

#[derive(serde::Deserialize)]
struct Corpus {
    persons: Vec<Person>,
    cases: Vec<CorpusCase>,
}

#[derive(serde::Deserialize)]
struct CorpusCase {
    lang: String,
    text: String,
    gone: Vec<String>,
    stay: Vec<String>,
    pseudonym: Option<String>,
    count: usize,
}

fn corpus() -> Corpus {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redaction-corpus.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every word of `text`, split at anything that is not a letter.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn the_corpus_is_replaced_completely_and_shared_first_names_are_kept() {
    let corpus = corpus();
    assert!(
        corpus.cases.len() >= 100,
        "the corpus has at least 100 cases"
    );
    for lang in ["ru", "kk", "en", "file"] {
        assert!(
            corpus.cases.iter().filter(|c| c.lang == lang).count() >= 10,
            "{lang}: at least 10 cases"
        );
    }
    let matcher = NameMatcher::new(&corpus.persons, &HashMap::new());
    let pseudonyms: Vec<String> = corpus
        .persons
        .iter()
        .filter_map(|p| p.pseudonym.clone())
        .collect();
    let mut failures = Vec::new();
    let mut replaced = 0;
    let mut expected = 0;
    for case in &corpus.cases {
        let out = matcher.redact(&case.text).text;
        expected += case.gone.len();
        let mut ok = true;
        for gone in &case.gone {
            // Gone as written, and no word of the output has the key of a
            // word of what had to go.
            // (A word that must stay, such as another person's shared
            // first name, is no survivor.)
            let stays: BTreeSet<String> = case
                .stay
                .iter()
                .flat_map(|s| words(s).into_iter().map(inflect::word_key))
                .collect();
            let keys: BTreeSet<String> = words(gone)
                .iter()
                .map(|w| inflect::word_key(w))
                .filter(|k| !stays.contains(k))
                .collect();
            let survived = out.contains(gone.as_str())
                || words(&out)
                    .iter()
                    .any(|w| w.chars().count() > 1 && keys.contains(&inflect::word_key(w)));
            if survived {
                ok = false;
            } else {
                replaced += 1;
            }
        }
        for stay in &case.stay {
            ok &= out.contains(stay.as_str());
        }
        let count: usize = pseudonyms
            .iter()
            .map(|p| out.matches(p.as_str()).count())
            .sum();
        ok &= count == case.count;
        if let Some(p) = &case.pseudonym {
            ok &= out.contains(p.as_str());
        }
        if !ok {
            failures.push(format!("{:?} → {:?}", case.text, out));
        }
    }
    eprintln!(
        "redaction corpus: {replaced}/{expected} names replaced, {} of {} cases exact",
        corpus.cases.len() - failures.len(),
        corpus.cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An NGO vault: the sample report, plus a case whose texts name its
/// protected persons in many forms, a withheld testimony, evidence with
/// GPS named after a protected person, a formula in a title, a record
/// whose id looks like a renamed one in another case, and staff names.
struct Ngo {
    _dir: tempfile::TempDir,
    vault: Vault,
    lawyer_key: age::x25519::Identity,
    exif_attachment: String,
    decoy_attachment: String,
}

const WITHHELD_CANARY: &str = "WITHHELD-CANARY-5c1e";
const OS_USER: &str = "aigul.k.laptop";

fn ngo() -> Ngo {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault_as(&dir.path().join("ngo"), OS_USER);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/kazakhstan-report.json");
    let doc = interchange::parse(&std::fs::read(sample).unwrap()).unwrap();
    interchange::import(&mut vault, &doc).unwrap();
    let statement = corpus()
        .cases
        .iter()
        .filter(|c| c.lang != "file" && c.stay.is_empty())
        .map(|c| c.text.clone())
        .collect::<Vec<_>>()
        .join(" ");
    let extra = serde_json::json!({
        "format": "casevault-interchange",
        "version": 1,
        "cases": [
            {"id": "case-corpus", "title": "Surveillance of Нурпеисова and Сапарұлы", "status": "open"},
            // A partner's redacted record, with its own evidence.
            {"id": "redacted-1", "title": "A partner's case", "status": "open"}
        ],
        "persons": [
            {"id": "p-nurpeisova", "names": [{"name": "Айгуль Нурпеисова", "kind": "primary"}],
             "protected": true, "pseudonym": "Witness 8",
             "relationships": [{"person": "p-husband", "relation": "husband"}],
             "case_roles": [{"case": "case-corpus", "role": "victim"}]},
            {"id": "p-saparuly", "names": [{"name": "Nurlan Saparuly", "kind": "primary"}],
             "protected": true, "pseudonym": "Witness 9",
             "case_roles": [{"case": "case-corpus", "role": "victim"}]},
            {"id": "p-tazhibaev", "names": [{"name": "Ержан Тәжібаев", "kind": "primary"}],
             "protected": true, "pseudonym": "Source K",
             "case_roles": [{"case": "case-corpus", "role": "witness"}]},
            {"id": "p-nevskaya", "names": [{"name": "Ольга Невская", "kind": "primary"}],
             "protected": true, "pseudonym": "Witness 11",
             "case_roles": [{"case": "case-corpus", "role": "witness"}]},
            {"id": "p-husband", "names": [{"name": "Марат Жумабеков", "kind": "primary"}],
             "case_roles": [{"case": "case-corpus", "role": "witness"}]}
        ],
        "incidents": [
            {"id": "inc-corpus-1", "case": "case-corpus", "title": "=HYPERLINK(\"http://x.example\",\"open\")",
             "act_type": "digital_surveillance", "start": "2019-03",
             "description": statement, "victims": ["p-nurpeisova", "p-saparuly"]},
            {"id": "inc-partner", "case": "redacted-1", "title": "Partner incident",
             "act_type": "digital_surveillance", "start": "2018"}
        ],
        "testimonies": [
            {"id": "t-nurpeisova-secret", "case": "case-corpus", "person": "p-nurpeisova", "language": "ru",
             "statement": format!("{WITHHELD_CANARY} Я не хочу, чтобы это видели юристы."),
             "consent": {"record": true, "share_lawyers": false, "share_courts": false, "share_un": false, "share_media": false, "publish": false}},
            {"id": "t-husband", "case": "case-corpus", "person": "p-husband", "language": "ru",
             "statement": "Мой муж… нет, это я, Марат Жумабеков: мою жену Айгуль забрали с улицы Абая 15.",
             "consent": {"record": true, "share_lawyers": true, "share_courts": false, "share_un": false, "share_media": false, "publish": false}}
        ]
    });
    let extra = interchange::parse(&serde_json::to_vec(&extra).unwrap()).unwrap();
    interchange::import(&mut vault, &extra).unwrap();

    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/evidence/almaty-photo-exif.jpg");
    let named = dir.path().join("IMG_2019_Молдашева.jpg");
    std::fs::copy(&fixture, &named).unwrap();
    let exif = vault
        .attach(
            AttachRequest {
                record_id: "inc-corpus-1",
                source: &named,
                derived_from: None,
                note: None,
            },
            |_, _| {},
        )
        .unwrap();
    let decoy_path = dir.path().join("partner-evidence.txt");
    std::fs::write(&decoy_path, "partner evidence DECOY-7a1b").unwrap();
    let decoy = vault
        .attach(
            AttachRequest {
                record_id: "inc-partner",
                source: &decoy_path,
                derived_from: None,
                note: None,
            },
            |_, _| {},
        )
        .unwrap();
    // A saved copy's custody entry names a local path.
    vault
        .save_attachment_copy(&exif.id, &dir.path().join("Desktop copy.jpg"), |_, _| {})
        .unwrap();
    Ngo {
        lawyer_key: age::x25519::Identity::generate(),
        _dir: dir,
        vault,
        exif_attachment: exif.id,
        decoy_attachment: decoy.id,
    }
}

/// Decrypts `bundle` with `key` and returns every entry: (path, bytes).
fn extract(bundle: &Path, key: &age::x25519::Identity) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(bundle).unwrap();
    let decryptor = age::Decryptor::new(file).unwrap();
    let reader = decryptor
        .decrypt(std::iter::once(key as &dyn age::Identity))
        .unwrap();
    let mut archive = tar::Archive::new(reader);
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.push((path, bytes));
    }
    out
}

fn export(ngo: &mut Ngo, name: &str, choices: &ExportChoices) -> Vec<(String, Vec<u8>)> {
    let out = ngo._dir.path().join(name);
    write::create_with(
        &mut ngo.vault,
        CreateRequest {
            case_ids: &["case-corpus".to_owned(), "case-moldashev".to_owned()],
            seal: Seal::Recipients(vec![ngo.lawyer_key.to_public().to_string()]),
            language: Language::Ru,
            organisation: "Freedom Now NGO",
            out: &out,
        },
        choices,
    )
    .unwrap();
    extract(&out, &ngo.lawyer_key)
}

/// The name-word keys of every protected person that are not also a name
/// word of someone unprotected (a shared first name is no leak).
fn forbidden_keys(vault: &Vault) -> BTreeSet<String> {
    let all = interchange::export(vault).unwrap();
    let key_set = |protected: bool| -> BTreeSet<String> {
        all.persons
            .iter()
            .filter(|p| p.protected == protected)
            .flat_map(|p| p.names.iter())
            .flat_map(|n| words(&n.name).into_iter().map(inflect::word_key))
            .filter(|k| k.len() >= 4)
            .collect()
    };
    let others = key_set(false);
    key_set(true).difference(&others).cloned().collect()
}

fn leaks(files: &[(String, Vec<u8>)], forbidden: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for (what, text) in [("name", path.as_str()), ("content", &text)] {
            for w in words(text) {
                let k = inflect::word_key(w);
                if let Some(f) = forbidden.iter().find(|f| k.starts_with(f.as_str())) {
                    found.push(format!("{path} ({what}): {w} ~ {f}"));
                }
            }
        }
    }
    found
}

#[test]
fn no_protected_name_withheld_text_or_vault_id_leaves_in_any_file_or_file_name() {
    let mut ngo = ngo();
    let forbidden = forbidden_keys(&ngo.vault);
    assert!(forbidden.contains("nurpeisova") && forbidden.contains("moldashev"));
    let files = export(&mut ngo, "bundle.cvb", &ExportChoices::default());
    let found = leaks(&files, &forbidden);
    assert!(
        found.is_empty(),
        "protected names left:\n{}",
        found.join("\n")
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(WITHHELD_CANARY), "{path}: withheld text");
        assert!(!text.contains("t-nurpeisova-secret"), "{path}: withheld id");
        assert!(
            !text.contains("t-moldashev"),
            "{path}: a vault id naming the person"
        );
        assert!(!text.contains(OS_USER), "{path}: a staff account");
        assert!(!text.contains("Desktop copy"), "{path}: a local path");
        assert!(
            !text.contains("DECOY-7a1b"),
            "{path}: another case's evidence"
        );
        assert!(
            !text.contains("Partner incident"),
            "{path}: another case's records"
        );
    }
    // Held back, listed by kind and reason only.
    let manifest: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|(p, _)| p == "manifest.json").unwrap().1)
            .unwrap();
    let withheld = manifest["redaction"]["withheld"].as_array().unwrap();
    assert_eq!(withheld.len(), 1);
    assert!(withheld[0].get("id").is_none());
    assert_eq!(withheld[0]["kind"], "testimony");
    // The partner's case "redacted-1" kept its id in the vault, and no
    // renamed id in the bundle took it.
    let data: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|(p, _)| p == "data.json").unwrap().1).unwrap();
    let ids: Vec<&str> = ["cases", "persons", "incidents", "testimonies"]
        .iter()
        .flat_map(|k| data[k].as_array().unwrap().iter())
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(!ids.contains(&"redacted-1"), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("redacted-")));
    // Custody names staff by label, never by account.
    let custody =
        String::from_utf8_lossy(&files.iter().find(|(p, _)| p == "custody.jsonl").unwrap().1)
            .into_owned();
    assert!(custody.contains("Staff member 1"), "{custody}");
    assert!(custody.contains("[local path]"), "{custody}");
    assert!(!ngo.decoy_attachment.is_empty());
}

#[test]
fn a_related_person_is_flagged_in_review_and_can_be_pseudonymised_too() {
    let mut ngo = ngo();
    let cases = ["case-corpus".to_owned()];
    let r = review::review(&ngo.vault, &cases, &[]).unwrap();
    let kinds: BTreeSet<FlagKind> = r.flags.iter().map(|f| f.kind).collect();
    for k in [
        FlagKind::RelatedPerson,
        FlagKind::Kinship,
        FlagKind::Address,
        FlagKind::FileMetadata,
    ] {
        assert!(kinds.contains(&k), "{k:?} flagged: {kinds:?}");
    }
    let related = r
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::RelatedPerson)
        .unwrap();
    assert_eq!(related.person.as_deref(), Some("p-husband"));
    assert_eq!(related.concerns.as_deref(), Some("Witness 8"));
    assert!(!r.passages.is_empty());
    for p in &r.passages {
        // "Нурпеисовский район" (a district) is no name and stays.
        assert!(
            words(&p.after)
                .iter()
                .all(|w| !w.starts_with("Нурпеисов") || *w == "Нурпеисовский"),
            "{p:?}"
        );
    }
    assert_eq!(r.withheld.len(), 1);
    assert_eq!(r.withheld[0].id.as_deref(), Some("t-nurpeisova-secret"));
    let file = r
        .files
        .iter()
        .find(|f| f.attachment_id == ngo.exif_attachment)
        .unwrap();
    assert!(file.gps.is_some() && file.strippable);
    assert!(!file.name_in_bundle.contains("Молдашев"));

    // One action: the husband leaves as "Witness 12" too.
    let choices = ExportChoices {
        extra_protected: vec![ExtraProtection {
            person: "p-husband".into(),
            pseudonym: "Witness 12".into(),
        }],
        ..ExportChoices::default()
    };
    let again = review::review(&ngo.vault, &cases, &choices.extra_protected).unwrap();
    assert!(
        !again
            .flags
            .iter()
            .any(|f| f.kind == FlagKind::RelatedPerson)
    );
    let files = export(&mut ngo, "protected.cvb", &choices);
    let all = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect::<String>();
    assert!(!all.contains("Жумабеков") && !all.contains("Марат"));
    assert!(all.contains("Witness 12"));
}

#[test]
fn evidence_metadata_is_stripped_from_the_copy_and_the_original_stays() {
    let mut ngo = ngo();
    let original = ngo.vault.attachment(&ngo.exif_attachment).unwrap();
    let choices = ExportChoices {
        strip_metadata: true,
        ..ExportChoices::default()
    };
    let files = export(&mut ngo, "clean.cvb", &choices);
    let (path, copy) = files
        .iter()
        .find(|(p, _)| p.starts_with("attachments/"))
        .unwrap();
    // The fixture's camera name and GPS are gone from the copy's bytes.
    assert!(!contains_text(copy, "Casevault Test Camera"), "{path}");
    assert!(!contains_text(copy, "GPS"), "{path}");
    assert!(copy.starts_with(&[0xFF, 0xD8]) && copy.ends_with(&[0xFF, 0xD9]));
    let manifest: casevault_core::bundle::Manifest =
        serde_json::from_slice(&files.iter().find(|(p, _)| p == "manifest.json").unwrap().1)
            .unwrap();
    let entry = manifest.files.iter().find(|f| &f.path == path).unwrap();
    assert!(entry.metadata_removed);
    assert_eq!(
        entry.intake_sha256.as_deref(),
        Some(original.sha256.as_str())
    );
    assert_ne!(entry.sha256, original.sha256);
    assert!(!entry.note.as_deref().unwrap_or_default().contains("43"));
    // The vault's original is untouched and its custody records the copy.
    let again = ngo.vault.attachment(&ngo.exif_attachment).unwrap();
    assert_eq!(again.sha256, original.sha256);
    assert!(again.capture.gps.is_some());
    let log = ngo.vault.custody_log(Some(&ngo.exif_attachment)).unwrap();
    assert!(log.iter().any(|e| {
        e.action == "export"
            && e.detail
                .as_deref()
                .unwrap_or_default()
                .contains(&entry.sha256)
    }));
    // Without the choice, the copy leaves as it came in.
    let files = export(&mut ngo, "raw.cvb", &ExportChoices::default());
    let (_, raw) = files
        .iter()
        .find(|(p, _)| p.starts_with("attachments/"))
        .unwrap();
    assert!(contains_text(raw, "Casevault Test Camera"));
}

#[test]
fn csv_cells_that_start_a_formula_are_neutralised() {
    let mut ngo = ngo();
    let files = export(&mut ngo, "csv.cvb", &ExportChoices::default());
    let csv = String::from_utf8_lossy(
        &files
            .iter()
            .find(|(p, _)| p == "csv/incidents.csv")
            .unwrap()
            .1,
    )
    .into_owned();
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let titles: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(4).unwrap().to_owned())
        .collect();
    let formula = titles.iter().find(|t| t.contains("HYPERLINK")).unwrap();
    assert!(formula.starts_with("'="), "{formula}");
    for t in &titles {
        assert!(!t.starts_with(['=', '+', '-', '@']), "{t}");
    }
}

#[test]
fn staff_labels_are_validated_and_used_in_exported_custody() {
    let mut ngo = ngo();
    for bad in ["", &"x".repeat(61), "tab\there"] {
        let e = ngo.vault.set_staff_label(OS_USER, Some(bad)).unwrap_err();
        assert_eq!(e.code(), casevault_core::ErrorCode::InvalidInput, "{bad:?}");
    }
    ngo.vault
        .set_staff_label(OS_USER, Some("Caseworker, Vilnius office"))
        .unwrap();
    let files = export(&mut ngo, "labelled.cvb", &ExportChoices::default());
    let custody =
        String::from_utf8_lossy(&files.iter().find(|(p, _)| p == "custody.jsonl").unwrap().1)
            .into_owned();
    assert!(custody.contains("Caseworker, Vilnius office"));
    assert!(!custody.contains(OS_USER));
}

#[test]
fn leaving_out_a_record_or_file_holds_it_back() {
    let mut ngo = ngo();
    let choices = ExportChoices {
        leave_out: vec!["t-husband".into(), ngo.exif_attachment.clone()],
        ..ExportChoices::default()
    };
    let files = export(&mut ngo, "less.cvb", &choices);
    assert!(!files.iter().any(|(p, _)| p.starts_with("attachments/")));
    let data = String::from_utf8_lossy(&files.iter().find(|(p, _)| p == "data.json").unwrap().1)
        .into_owned();
    assert!(!data.contains("улицы Абая"));
    let manifest: casevault_core::bundle::Manifest =
        serde_json::from_slice(&files.iter().find(|(p, _)| p == "manifest.json").unwrap().1)
            .unwrap();
    assert_eq!(manifest.redaction.withheld.len(), 2);
}

/// The UI translates why a record stayed behind from a code, never by
/// reading the English words (which stay beside it for older readers).
#[test]
fn each_withheld_record_says_why_as_a_code() {
    let mut ngo = ngo();
    let cases = ["case-corpus".to_owned()];
    let r = review::review(&ngo.vault, &cases, &[]).unwrap();
    assert_eq!(r.withheld.len(), 1);
    assert_eq!(r.withheld[0].code, Some(WithheldReason::NotForLawyers));

    let choices = ExportChoices {
        leave_out: vec!["t-husband".into()],
        ..ExportChoices::default()
    };
    let files = export(&mut ngo, "coded.cvb", &choices);
    let manifest: casevault_core::bundle::Manifest =
        serde_json::from_slice(&files.iter().find(|(p, _)| p == "manifest.json").unwrap().1)
            .unwrap();
    let mut codes: Vec<_> = manifest
        .redaction
        .withheld
        .iter()
        .map(|w| {
            let code = w.code.expect("a code for each withheld record");
            assert_eq!(w.reason, code.words());
            code
        })
        .collect();
    codes.sort_by_key(|c| c.words());
    assert_eq!(
        codes,
        [WithheldReason::NotForLawyers, WithheldReason::LeftOut]
    );
}
