//! The printable dossier (`dossier.pdf`) of a real bundle: written from the
//! same redacted data as `dossier.html`, in English, Russian and Kazakh,
//! with embedded fonts, page numbers and a verification page. The PDF's
//! text is read back with poppler's `pdftotext`, as a lawyer's tools would.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use casevault_core::bundle::Language;
use casevault_core::bundle::read::{self, Unseal};
use casevault_core::bundle::write::{self, CreateRequest, ExportChoices, Seal};
use casevault_core::bundle::{receive, review};
use casevault_core::ops::interchange;
use casevault_core::vault::Vault;
use casevault_core::vault::attachments::AttachRequest;

use crate::common::*;

/// Every Kazakh letter that Russian has not.
const KAZAKH_LETTERS: &str = "ә ғ қ ң ө ұ ү һ і";
const PROTECTED: [&str; 4] = ["Молдашев", "Moldashev", "Данияр", "Daniyar"];

struct Exported {
    files: Vec<(String, Vec<u8>)>,
    fingerprint: String,
    bundle_id: String,
    /// The number of files the writer reported.
    reported_files: u32,
    out: std::path::PathBuf,
    lawyer: age::x25519::Identity,
    _dir: Option<tempfile::TempDir>,
}

const LEFT_OUT_CANARY: &str = "LEFT-OUT-CANARY-91d2";

/// An NGO vault with one Kazakh case: a victim with three testimonies (one
/// her consent keeps back), a protected witness whose id names him, and
/// evidence filed on his record.
fn ngo(dir: &Path) -> Vault {
    let (mut vault, _) = new_vault(&dir.join("ngo"));
    let doc = serde_json::json!({
        "format": "casevault-interchange",
        "version": 1,
        "cases": [{"id": "case-kz", "title": "Іс: Гүлнәр Сәрсенбаеваның ұсталуы", "status": "open",
                   "notes": format!("Әріптестер тізімі: {KAZAKH_LETTERS}. Досье для адвоката.")}],
        "persons": [
            {"id": "p-gulnar", "names": [{"name": "Гүлнәр Сәрсенбаева", "kind": "primary"}],
             "case_roles": [{"case": "case-kz", "role": "victim"}]},
            {"id": "p-moldashev", "names": [{"name": "Данияр Молдашев", "kind": "primary"},
                                            {"name": "Daniyar Moldashev", "kind": "transliteration"}],
             "protected": true, "pseudonym": "Куәгер 7",
             "case_roles": [{"case": "case-kz", "role": "witness"}]}
        ],
        "incidents": [
            {"id": "inc-1", "case": "case-kz", "title": "Қамауға алу, Алматы",
             "act_type": "detention_abroad", "start": "2021-01-05",
             "description": "Данияр Молдашев видел, как Гүлнәр увели в отдел полиции."}
        ],
        "testimonies": [
            {"id": "t-gulnar", "case": "case-kz", "person": "p-gulnar", "language": "kk",
             "interview_date": "2021-01-20",
             "statement": "Мені түнде ұстады. Данияр Молдашев бәрін көрді.\nЕкінші жол.",
             "consent": {"record": true, "share_lawyers": true, "share_courts": true,
                         "share_un": false, "share_media": false, "publish": false}},
            {"id": "t-gulnar-2", "case": "case-kz", "person": "p-gulnar", "language": "kk",
             "interview_date": "2021-02-01",
             "statement": "Екінші әңгіме: тек ұйым үшін.",
             "consent": {"record": true, "share_lawyers": false, "share_courts": false,
                         "share_un": false, "share_media": false, "publish": false}},
            {"id": "t-moldashev", "case": "case-kz", "person": "p-moldashev", "language": "ru",
             "statement": "Я видел задержание.",
             "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                         "share_un": false, "share_media": false, "publish": false}},
            {"id": "t-gulnar-3", "case": "case-kz", "person": "p-gulnar", "language": "kk",
             "interview_date": "2021-03-10",
             "statement": format!("Үшінші әңгіме {LEFT_OUT_CANARY}."),
             "consent": {"record": true, "share_lawyers": true, "share_courts": false,
                         "share_un": false, "share_media": false, "publish": false}}
        ]
    });
    let doc = interchange::parse(&serde_json::to_vec(&doc).unwrap()).unwrap();
    interchange::import(&mut vault, &doc).unwrap();
    for name in ["witness-photo.txt", "second-photo.txt"] {
        let source = dir.join(name);
        std::fs::write(&source, format!("evidence {name}")).unwrap();
        vault
            .attach(
                AttachRequest {
                    record_id: "t-moldashev",
                    source: &source,
                    derived_from: None,
                    note: None,
                },
                |_, _| {},
            )
            .unwrap();
    }
    vault
}

fn export(lang: Language) -> Exported {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = ngo(dir.path());
    let mut e = export_from(&mut vault, dir.path(), lang, &ExportChoices::default());
    e._dir = Some(dir);
    e
}

fn export_from(vault: &mut Vault, dir: &Path, lang: Language, choices: &ExportChoices) -> Exported {
    let lawyer = age::x25519::Identity::generate();
    let out = dir.join(format!("bundle-{}.cvb", rand_suffix()));
    let report = write::create_with(
        vault,
        CreateRequest {
            case_ids: &["case-kz".to_owned()],
            seal: Seal::Recipients(vec![lawyer.to_public().to_string()]),
            language: lang,
            organisation: "Адал Құқық",
            out: &out,
        },
        choices,
    )
    .unwrap();
    let decryptor = age::Decryptor::new(std::fs::File::open(&out).unwrap()).unwrap();
    let reader = decryptor
        .decrypt(std::iter::once(&lawyer as &dyn age::Identity))
        .unwrap();
    let mut archive = tar::Archive::new(reader);
    let mut files = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.push((path, bytes));
    }
    Exported {
        files,
        fingerprint: report.fingerprint,
        bundle_id: report.bundle_id,
        reported_files: report.files,
        out,
        lawyer,
        _dir: None,
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

fn file<'a>(e: &'a Exported, path: &str) -> &'a [u8] {
    &e.files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("{path} is in the bundle"))
        .1
}

/// The PDF's text as `pdftotext` reads it; pages are separated by form feeds.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pages(text: &str) -> usize {
    text.trim_end_matches('\u{c}').split('\u{c}').count()
}

#[test]
fn the_pdf_dossier_prints_cyrillic_and_kazakh_with_page_numbers_and_a_verification_page() {
    for (lang, page_one, contents) in [
        (Language::Kk, "беттің 1-беті", "Мазмұны"),
        (Language::Ru, "Страница 1 из", "Содержание"),
        (Language::En, "Page 1 of", "Contents"),
    ] {
        let e = export(lang);
        let pdf = file(&e, "dossier.pdf");
        assert!(pdf.starts_with(b"%PDF-"), "{lang:?}: a PDF");
        // Fonts travel inside the file (subset), so no reader needs them.
        assert!(
            contains_text(pdf, "/FontFile2") || contains_text(pdf, "/FontFile3"),
            "{lang:?}: embedded fonts"
        );
        let text = pdf_text(pdf);
        let total = pages(&text);
        assert!(total >= 3, "{lang:?}: title, sections and verification");
        for wanted in [
            "Гүлнәр Сәрсенбаева",
            "Қамауға алу, Алматы",
            "Мені түнде ұстады.",
            "Адал Құқық",
            "Куәгер 7",
            contents,
            page_one,
        ] {
            assert!(text.contains(wanted), "{lang:?}: {wanted:?} in\n{text}");
        }
        for letter in KAZAKH_LETTERS.split(' ') {
            assert!(text.contains(letter), "{lang:?}: the letter {letter}");
        }
        // Every page is numbered, the last one too.
        let last = match lang {
            Language::Kk => format!("{total} беттің {total}-беті"),
            Language::Ru => format!("Страница {total} из {total}"),
            Language::En => format!("Page {total} of {total}"),
        };
        assert!(text.contains(&last), "{lang:?}: {last:?}");
        // The verification page is the last: fingerprint (grouped as every
        // screen shows it), bundle id, and the hashes of the files.
        let verification = text
            .trim_end_matches('\u{c}')
            .rsplit('\u{c}')
            .next()
            .unwrap();
        assert!(e.fingerprint.starts_with("SHA256:"));
        assert!(
            verification.contains(&e.fingerprint),
            "{lang:?}: fingerprint {} on\n{verification}",
            e.fingerprint
        );
        assert!(verification.contains(&e.bundle_id));
        let data_hash = casevault_core::crypto::hash::sha256_hex(file(&e, "data.json"));
        assert!(
            verification.replace(['\n', ' '], "").contains(&data_hash),
            "{lang:?}: data.json's hash on the verification page"
        );
        // Redaction applies as to dossier.html: the protected name never
        // appears, in any script.
        for name in PROTECTED {
            assert!(!text.contains(name), "{lang:?}: {name} in the PDF");
            assert!(
                !contains_text(file(&e, "dossier.html"), name),
                "{lang:?}: {name} in the HTML"
            );
        }
        // Listed, hashed and signed like every other file.
        let manifest: casevault_core::bundle::Manifest =
            serde_json::from_slice(file(&e, "manifest.json")).unwrap();
        let listed = manifest
            .files
            .iter()
            .find(|f| f.path == "dossier.pdf")
            .expect("dossier.pdf in the manifest");
        let hash = casevault_core::crypto::hash::sha256_hex(pdf);
        assert_eq!(listed.sha256, hash);
        let sums = String::from_utf8_lossy(file(&e, "SHA256SUMS")).into_owned();
        assert!(sums.contains(&format!("{hash}  dossier.pdf")));
        assert_eq!(manifest.language, lang);
    }
}

#[test]
fn the_html_and_pdf_dossiers_say_the_same_in_the_chosen_language() {
    let e = export(Language::Kk);
    let html = String::from_utf8(file(&e, "dossier.html").to_vec()).unwrap();
    assert!(html.contains("<html lang=\"kk\">"));
    let text = pdf_text(file(&e, "dossier.pdf"));
    for heading in [
        "Іс туралы мәліметтер",
        "Оқиғалар хронологиясы",
        "Куәліктер",
        "Сақтау журналы",
    ] {
        assert!(html.contains(heading), "{heading} in the HTML");
        assert!(text.contains(heading), "{heading} in the PDF");
    }
}

#[test]
fn the_lawyer_counts_the_files_the_sender_counted_and_reads_no_internal_id() {
    let e = export(Language::En);
    let (verification, data) =
        read::read_data(&e.out, &Unseal::Identities(vec![e.lawyer.clone()]), &[]).unwrap();
    assert!(
        verification.problems.is_empty(),
        "{:?}",
        verification.problems
    );
    let counts = receive::file_counts(&verification);
    // The sender's "N files" and the lawyer's view agree, and the view can
    // say what the two files not checked by hash are.
    assert_eq!(counts.in_bundle, u64::from(e.reported_files));
    assert_eq!(counts.in_bundle, e.files.len() as u64);
    assert_eq!(counts.hashed + counts.signature_files, counts.in_bundle);
    assert_eq!(counts.evidence, 2);
    // The protected witness's record was renamed; his evidence says whose
    // it is by his pseudonym, never by the renamed id.
    assert!(
        data.testimonies
            .iter()
            .any(|t| t.id.starts_with("redacted-"))
    );
    for f in verification
        .manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with("attachments/"))
    {
        let note = f.note.as_deref().unwrap();
        assert!(!note.contains("redacted-"), "{note}");
        assert!(note.contains("for testimony of Куәгер 7"), "{note}");
    }
}

#[test]
fn a_held_back_testimony_is_named_apart_from_the_same_persons_others_on_screen_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = ngo(dir.path());
    let r = review::review(&vault, &["case-kz".to_owned()], &[]).unwrap();
    let held = r
        .withheld
        .iter()
        .find(|w| w.id.as_deref() == Some("t-gulnar-2"))
        .unwrap();
    let label = held.label.as_deref().unwrap();
    assert!(
        label.contains("Гүлнәр Сәрсенбаева") && label.contains("2021-02-01"),
        "{label}"
    );
    // The testimonies that leave, each of which can be left out, are named
    // apart from each other too.
    let labels: Vec<&str> = r
        .records
        .iter()
        .filter(|x| x.kind == "testimony" && x.id.starts_with("t-gulnar"))
        .map(|x| x.label.as_str())
        .collect();
    assert_eq!(labels.len(), 2);
    assert_ne!(labels[0], labels[1]);

    // Leave out one testimony of the two and one file of the two: the
    // bundle lacks exactly those.
    let file = r.files[0].clone();
    let e = export_from(
        &mut vault,
        dir.path(),
        Language::Ru,
        &ExportChoices {
            leave_out: vec!["t-gulnar-3".into(), file.attachment_id.clone()],
            ..ExportChoices::default()
        },
    );
    let data = String::from_utf8_lossy(self::file(&e, "data.json")).into_owned();
    assert!(!data.contains(LEFT_OUT_CANARY));
    assert!(data.contains("Мені түнде ұстады"));
    let evidence: Vec<&String> = e
        .files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("attachments/"))
        .collect();
    assert_eq!(evidence.len(), 1, "{evidence:?}");
    assert!(!evidence[0].ends_with(&file.name_in_bundle));
    for (path, bytes) in &e.files {
        assert!(!contains_text(bytes, LEFT_OUT_CANARY), "{path}");
    }
    // The manifest says what was held back, by kind and reason only: no
    // id, no label (which names the person).
    let manifest: casevault_core::bundle::Manifest =
        serde_json::from_slice(self::file(&e, "manifest.json")).unwrap();
    assert_eq!(manifest.redaction.withheld.len(), 2);
    for w in &manifest.redaction.withheld {
        assert!(w.id.is_none() && w.label.is_none());
    }
    let raw = String::from_utf8_lossy(self::file(&e, "manifest.json")).into_owned();
    assert!(!raw.contains("Сәрсенбаева") && !raw.contains("t-gulnar"));
}
