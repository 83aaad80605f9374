//! The bundle read as a dossier, in English, Russian or Kazakh. Its
//! content is built once ([`Dossier`]) from the redacted data and written
//! twice: `dossier.html` here (one self-contained page: no script, nothing
//! remote, styles only in a `<style>` block) and `dossier.pdf` by
//! [`super::dossier_pdf`], so the two can never say different things.

use std::fmt::Write as _;

use super::{BundleFile, Language, Manifest};
use crate::model::interchange::Document;
use crate::model::records::Consent;
use crate::model::vocab;
use crate::vault::custody::CustodyEntry;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

struct Labels {
    lang: &'static str,
    title: &'static str,
    contents: &'static str,
    summary: &'static str,
    timeline: &'static str,
    persons: &'static str,
    proceedings: &'static str,
    testimonies: &'static str,
    sources: &'static str,
    attachments: &'static str,
    custody: &'static str,
    verification: &'static str,
    withheld: &'static str,
    consent: &'static str,
    no_items: &'static str,
    bundle: &'static str,
    page: &'static str,
    fingerprint: &'static str,
    bundle_id: &'static str,
    created: &'static str,
    file_hashes: &'static str,
    verification_intro: &'static str,
    verification_page: &'static str,
}

const EN: Labels = Labels {
    lang: "en",
    title: "Dossier",
    contents: "Contents",
    summary: "Case summary",
    timeline: "Incident timeline",
    persons: "Persons",
    proceedings: "Legal proceedings",
    testimonies: "Testimonies",
    sources: "Sources",
    attachments: "Attachments",
    custody: "Custody trail",
    verification: "How to verify this bundle",
    withheld: "Held back from this bundle",
    consent: "Consent",
    no_items: "None.",
    bundle: "Bundle",
    page: "Page {n} of {total}",
    fingerprint: "Organisation key fingerprint",
    bundle_id: "Bundle id",
    created: "Created",
    file_hashes: "SHA-256 of every file in the bundle",
    verification_page: "Verification",
    verification_intro: "Compare the fingerprint with the one the organisation gave you in person or by phone. Each file's SHA-256 must match SHA256SUMS, whose signature ssh-keygen checks against org-key.pub.",
};

const RU: Labels = Labels {
    lang: "ru",
    title: "Досье",
    contents: "Содержание",
    summary: "Сведения о деле",
    timeline: "Хронология инцидентов",
    persons: "Лица",
    proceedings: "Судебные и иные процедуры",
    testimonies: "Свидетельства",
    sources: "Источники",
    attachments: "Вложения",
    custody: "Журнал хранения",
    verification: "Как проверить этот пакет",
    withheld: "Не включено в пакет",
    consent: "Согласие",
    no_items: "Нет.",
    bundle: "Пакет",
    page: "Страница {n} из {total}",
    fingerprint: "Отпечаток ключа организации",
    bundle_id: "Идентификатор пакета",
    created: "Создан",
    file_hashes: "SHA-256 каждого файла пакета",
    verification_page: "Проверка пакета",
    verification_intro: "Сравните отпечаток с тем, который организация сообщила вам лично или по телефону. SHA-256 каждого файла должен совпадать с SHA256SUMS, подпись которого ssh-keygen проверяет по org-key.pub.",
};

const KK: Labels = Labels {
    lang: "kk",
    title: "Досье",
    contents: "Мазмұны",
    summary: "Іс туралы мәліметтер",
    timeline: "Оқиғалар хронологиясы",
    persons: "Тұлғалар",
    proceedings: "Сот және өзге іс жүргізу",
    testimonies: "Куәліктер",
    sources: "Дереккөздер",
    attachments: "Тіркемелер",
    custody: "Сақтау журналы",
    verification: "Бұл пакетті қалай тексеруге болады",
    withheld: "Пакетке енгізілмеген",
    consent: "Келісім",
    no_items: "Жоқ.",
    bundle: "Пакет",
    page: "{total} беттің {n}-беті",
    fingerprint: "Ұйым кілтінің саусақ ізі",
    bundle_id: "Пакет идентификаторы",
    created: "Жасалған",
    file_hashes: "Пакеттегі әр файлдың SHA-256 мәні",
    verification_page: "Пакетті тексеру",
    verification_intro: "Саусақ ізін ұйым сізге жеке өзі немесе телефон арқылы айтқан ізбен салыстырыңыз. Әр файлдың SHA-256 мәні SHA256SUMS-пен сәйкес келуі керек; оның қолтаңбасын ssh-keygen org-key.pub арқылы тексереді.",
};

fn labels(lang: Language) -> &'static Labels {
    match lang {
        Language::En => &EN,
        Language::Ru => &RU,
        Language::Kk => &KK,
    }
}

fn label(lang: Language, v: &vocab::Vocabulary, code: &str) -> String {
    v.get(code)
        .map(|t| match lang {
            Language::En => t.en,
            // The vocabularies have no Kazakh labels yet; Russian is what a
            // Kazakh lawyer reads in court papers.
            Language::Ru | Language::Kk => t.ru,
        })
        .unwrap_or(code)
        .to_owned()
}

fn consent_text(lang: Language, c: &Consent) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let (l, co, un, me, pu) = match lang {
        Language::En => ("lawyers", "courts", "UN mechanisms", "media", "publication"),
        Language::Ru => ("адвокатам", "судам", "механизмам ООН", "СМИ", "публикация"),
        Language::Kk => (
            "адвокаттарға",
            "соттарға",
            "БҰҰ тетіктеріне",
            "БАҚ",
            "жариялау",
        ),
    };
    for (on, name) in [
        (c.share_lawyers, l),
        (c.share_courts, co),
        (c.share_un, un),
        (c.share_media, me),
        (c.publish, pu),
    ] {
        if on {
            parts.push(name);
        }
    }
    let anonymity = c.anonymity.as_deref().unwrap_or("-");
    match lang {
        Language::En => format!("Shared with: {}. Anonymity: {anonymity}.", parts.join(", ")),
        Language::Ru => format!(
            "Разрешено передавать: {}. Анонимность: {anonymity}.",
            parts.join(", ")
        ),
        Language::Kk => format!(
            "Беруге рұқсат етілген: {}. Анонимдік: {anonymity}.",
            parts.join(", ")
        ),
    }
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Body text.
    Plain,
    /// Bold (a title within a cell or list).
    Bold,
    /// Italic (a note about what follows).
    Italic,
    /// Hashes, ids, paths: monospace in HTML, small in the PDF, and
    /// breakable anywhere.
    Code,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Its style.
    pub style: Style,
}

impl Span {
    fn new(text: impl Into<String>, style: Style) -> Self {
        Self {
            text: text.into(),
            style,
        }
    }
}

/// One block of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading within a section (a case's title).
    Subheading(String),
    /// A paragraph: runs of text, each line break a new line.
    Para(Vec<Vec<Span>>),
    /// A bulleted list, each item a line of runs.
    List(Vec<Vec<Span>>),
    /// A table: rows of cells, each cell lines of runs.
    Table(Vec<Vec<Vec<Vec<Span>>>>),
    /// A witness's own words, kept as written (line breaks and all).
    Statement(String),
    /// Preformatted text (the stock-tools steps).
    Pre(String),
}

/// A numbered section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Anchor in the HTML.
    pub id: &'static str,
    /// Its heading.
    pub title: String,
    /// What it holds.
    pub blocks: Vec<Block>,
}

/// The dossier's content, in one language, built from the redacted data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    /// The language (`lang` of the HTML, labels of the PDF).
    pub lang: Language,
    /// "Dossier — organisation".
    pub heading: String,
    /// The document title: "Dossier bundle-id".
    pub title: String,
    /// "Bundle id · created · fingerprint".
    pub byline: Vec<Span>,
    /// "Contents".
    pub contents: String,
    /// The sections, in order; the last is the verification.
    pub sections: Vec<Section>,
    /// The verification page (the PDF's last page): fingerprint, bundle
    /// id and every file's hash.
    pub verification: Verification,
}

/// What a lawyer checks the bundle against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Its heading.
    pub title: String,
    /// What to do with it.
    pub intro: String,
    /// (label, value) pairs: fingerprint, bundle id, created.
    pub facts: Vec<(String, String)>,
    /// "SHA-256 of every file".
    pub hashes_title: String,
    /// (path, SHA-256) of every file known when the dossier is written.
    pub hashes: Vec<(String, String)>,
}

/// "Page {n} of {total}" in the dossier's language.
pub fn page_label(lang: Language, n: usize, total: usize) -> String {
    labels(lang)
        .page
        .replace("{n}", &n.to_string())
        .replace("{total}", &total.to_string())
}

fn plain(text: impl Into<String>) -> Vec<Span> {
    vec![Span::new(text, Style::Plain)]
}

/// Builds the dossier's content. `hashes` are the files whose hashes are
/// known before the dossier itself is written (the generated files and
/// the evidence); SHA256SUMS, signed, lists them all.
#[allow(clippy::too_many_arguments)]
pub fn build(
    lang: Language,
    doc: &Document,
    manifest: &Manifest,
    attachments: &[BundleFile],
    custody: &[CustodyEntry],
    verification_steps: &str,
    hashes: &[(String, String)],
) -> Dossier {
    let l = labels(lang);
    let fingerprint = crate::crypto::fingerprint::grouped(&manifest.organisation.fingerprint);
    let mut sections = Vec::new();

    let mut summary = Vec::new();
    for c in &doc.cases {
        summary.push(Block::Subheading(c.title.clone()));
        summary.push(Block::Para(vec![
            plain(format!(
                "{} · {} → {}",
                format!("{:?}", c.status).to_lowercase(),
                c.origin_country.as_deref().unwrap_or("-"),
                c.host_countries.join(", ")
            )),
            plain(c.notes.as_deref().unwrap_or("")),
        ]));
    }
    if !manifest.redaction.withheld.is_empty() {
        summary.push(Block::Para(vec![vec![Span::new(
            format!("{}:", l.withheld),
            Style::Bold,
        )]]));
        summary.push(Block::List(
            manifest
                .redaction
                .withheld
                .iter()
                .map(|w| plain(format!("{}: {}", w.kind, w.reason)))
                .collect(),
        ));
    }
    sections.push(Section {
        id: "summary",
        title: l.summary.into(),
        blocks: summary,
    });

    let mut incidents: Vec<_> = doc.incidents.iter().collect();
    incidents.sort_by_key(|i| i.start);
    sections.push(Section {
        id: "timeline",
        title: l.timeline.into(),
        blocks: vec![Block::Table(
            incidents
                .into_iter()
                .map(|i| {
                    vec![
                        vec![plain(i.start.to_string())],
                        vec![plain(label(lang, &vocab::ACT_TYPES, &i.act_type))],
                        vec![
                            vec![Span::new(i.title.clone(), Style::Bold)],
                            plain(i.description.clone()),
                        ],
                    ]
                })
                .collect(),
        )],
    });

    sections.push(Section {
        id: "persons",
        title: l.persons.into(),
        blocks: vec![Block::List(
            doc.persons
                .iter()
                .map(|p| {
                    let names: Vec<&str> = p.names.iter().map(|n| n.name.as_str()).collect();
                    let roles: Vec<String> = p
                        .case_roles
                        .iter()
                        .map(|r| label(lang, &vocab::ROLES, &r.role))
                        .collect();
                    plain(format!("{} ({})", names.join(" / "), roles.join(", ")))
                })
                .collect(),
        )],
    });

    let mut proceedings = Vec::new();
    if doc.proceedings.is_empty() {
        proceedings.push(Block::Para(vec![plain(l.no_items)]));
    }
    for p in &doc.proceedings {
        let grounds: Vec<String> = p
            .legal_grounds
            .iter()
            .map(|g| label(lang, &vocab::LEGAL_GROUNDS, g))
            .collect();
        proceedings.push(Block::Para(vec![
            vec![
                Span::new(label(lang, &vocab::PROCEEDING_KINDS, &p.kind), Style::Bold),
                Span::new(
                    format!(
                        " {} {}",
                        p.authority.as_deref().unwrap_or(""),
                        p.reference.as_deref().unwrap_or("")
                    ),
                    Style::Plain,
                ),
            ],
            plain(p.outcome.as_deref().unwrap_or("")),
            plain(grounds.join("; ")),
        ]));
    }
    sections.push(Section {
        id: "proceedings",
        title: l.proceedings.into(),
        blocks: proceedings,
    });

    let mut testimonies = Vec::new();
    if doc.testimonies.is_empty() {
        testimonies.push(Block::Para(vec![plain(l.no_items)]));
    }
    for t in &doc.testimonies {
        testimonies.push(Block::Para(vec![vec![Span::new(
            format!("{}: {}", l.consent, consent_text(lang, &t.consent)),
            Style::Italic,
        )]]));
        testimonies.push(Block::Statement(t.statement.clone()));
    }
    sections.push(Section {
        id: "testimonies",
        title: l.testimonies.into(),
        blocks: testimonies,
    });

    sections.push(Section {
        id: "sources",
        title: l.sources.into(),
        blocks: vec![Block::List(
            doc.sources
                .iter()
                .map(|s| {
                    plain(format!(
                        "{} — {} ({}{})",
                        label(lang, &vocab::SOURCE_TYPES, &s.source_type),
                        s.citation,
                        s.reliability.map(String::from).unwrap_or_default(),
                        s.credibility.map(|c| c.to_string()).unwrap_or_default()
                    ))
                })
                .collect(),
        )],
    });

    sections.push(Section {
        id: "attachments",
        title: l.attachments.into(),
        blocks: vec![Block::Table(
            attachments
                .iter()
                .map(|a| {
                    vec![
                        vec![vec![Span::new(a.path.clone(), Style::Code)]],
                        vec![plain(format!("{} B", a.size))],
                        vec![vec![Span::new(a.sha256.clone(), Style::Code)]],
                        vec![plain(a.note.as_deref().unwrap_or(""))],
                    ]
                })
                .collect(),
        )],
    });

    sections.push(Section {
        id: "custody",
        title: l.custody.into(),
        blocks: vec![Block::Table(
            custody
                .iter()
                .map(|e| {
                    vec![
                        vec![plain(e.seq.to_string())],
                        vec![plain(e.at.clone())],
                        vec![plain(e.action.clone())],
                        vec![plain(e.detail.as_deref().unwrap_or(""))],
                    ]
                })
                .collect(),
        )],
    });

    sections.push(Section {
        id: "verification",
        title: l.verification.into(),
        blocks: vec![Block::Pre(verification_steps.to_owned())],
    });

    Dossier {
        lang,
        heading: format!("{} — {}", l.title, manifest.organisation.name),
        title: format!("{} {}", l.title, manifest.bundle_id),
        byline: vec![
            Span::new(format!("{} ", l.bundle), Style::Plain),
            Span::new(manifest.bundle_id.clone(), Style::Code),
            Span::new(format!(" · {} · ", manifest.created_at), Style::Plain),
            Span::new(fingerprint.clone(), Style::Code),
        ],
        contents: l.contents.into(),
        sections,
        verification: Verification {
            title: l.verification_page.into(),
            intro: l.verification_intro.into(),
            facts: vec![
                (l.fingerprint.into(), fingerprint),
                (l.bundle_id.into(), manifest.bundle_id.clone()),
                (l.created.into(), manifest.created_at.clone()),
            ],
            hashes_title: l.file_hashes.into(),
            hashes: hashes.to_vec(),
        },
    }
}

fn spans_html(h: &mut String, spans: &[Span]) {
    for s in spans {
        match s.style {
            Style::Plain => h.push_str(&esc(&s.text)),
            Style::Bold => {
                let _ = write!(h, "<strong>{}</strong>", esc(&s.text));
            }
            Style::Italic => {
                let _ = write!(h, "<em>{}</em>", esc(&s.text));
            }
            Style::Code => {
                let _ = write!(h, "<code>{}</code>", esc(&s.text));
            }
        }
    }
}

fn lines_html(h: &mut String, lines: &[Vec<Span>]) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            h.push_str("<br>");
        }
        spans_html(h, line);
    }
}

/// Writes the dossier as one self-contained HTML page.
pub fn html(d: &Dossier) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
<style>body{{font:15px/1.5 serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111}}\
h1,h2{{font-family:sans-serif}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}}\
code{{font-size:.8rem;word-break:break-all}}.statement{{white-space:pre-wrap;border-left:3px solid #999;padding-left:.75rem}}\
@media print{{h2{{page-break-before:always}}}}</style></head><body>\n",
        labels(d.lang).lang,
        esc(&d.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&d.heading));
    h.push_str("<p>");
    spans_html(&mut h, &d.byline);
    h.push_str("</p>\n");
    let _ = writeln!(h, "<nav><h2>{}</h2><ol>", esc(&d.contents));
    for s in &d.sections {
        let _ = writeln!(h, "<li><a href=\"#{}\">{}</a></li>", s.id, esc(&s.title));
    }
    h.push_str("</ol></nav>\n");
    for s in &d.sections {
        let _ = writeln!(h, "<h2 id=\"{}\">{}</h2>", s.id, esc(&s.title));
        for b in &s.blocks {
            match b {
                Block::Subheading(t) => {
                    let _ = writeln!(h, "<h3>{}</h3>", esc(t));
                }
                Block::Para(lines) => {
                    h.push_str("<p>");
                    lines_html(&mut h, lines);
                    h.push_str("</p>\n");
                }
                Block::List(items) => {
                    h.push_str("<ul>\n");
                    for item in items {
                        h.push_str("<li>");
                        spans_html(&mut h, item);
                        h.push_str("</li>\n");
                    }
                    h.push_str("</ul>\n");
                }
                Block::Table(rows) => {
                    h.push_str("<table>\n");
                    for row in rows {
                        h.push_str("<tr>");
                        for cell in row {
                            h.push_str("<td>");
                            lines_html(&mut h, cell);
                            h.push_str("</td>");
                        }
                        h.push_str("</tr>\n");
                    }
                    h.push_str("</table>\n");
                }
                Block::Statement(t) => {
                    let _ = writeln!(h, "<div class=\"statement\">{}</div>", esc(t));
                }
                Block::Pre(t) => {
                    let _ = writeln!(h, "<pre>{}</pre>", esc(t));
                }
            }
        }
    }
    h.push_str("</body></html>\n");
    h
}

/// Builds and writes the dossier as HTML in one step (a sealed
/// self-report's dossier, which has no PDF beside it).
pub fn render(
    lang: Language,
    doc: &Document,
    manifest: &Manifest,
    attachments: &[BundleFile],
    custody: &[CustodyEntry],
    verification_steps: &str,
) -> String {
    html(&build(
        lang,
        doc,
        manifest,
        attachments,
        custody,
        verification_steps,
        &[],
    ))
}

/// What an evidence file belongs to, in words, for its note in the
/// manifest and the dossier: never an id, which may be a renamed one
/// ("redacted-2") and means nothing to a lawyer. `doc` is the redacted
/// document, so a protected person appears under their pseudonym.
pub fn holder_words(doc: &Document, id: &str) -> String {
    let person = |pid: &str| {
        doc.persons
            .iter()
            .find(|p| p.id == pid)
            .and_then(|p| {
                p.primary_name()
                    .or(p.names.first().map(|n| n.name.as_str()))
            })
            .map(str::to_owned)
    };
    if let Some(name) = person(id) {
        return name;
    }
    if let Some(c) = doc.cases.iter().find(|c| c.id == id) {
        return format!("case “{}”", c.title);
    }
    if let Some(i) = doc.incidents.iter().find(|i| i.id == id) {
        return format!("incident “{}” ({})", i.title, i.start);
    }
    if let Some(t) = doc.testimonies.iter().find(|t| t.id == id) {
        let mut out = format!(
            "testimony of {}",
            person(&t.person).unwrap_or_else(|| "a person".into())
        );
        if let Some(d) = &t.interview_date {
            out.push_str(&format!(" ({d})"));
        }
        return out;
    }
    if let Some(p) = doc.proceedings.iter().find(|p| p.id == id) {
        return format!(
            "proceeding {}",
            p.reference.as_deref().unwrap_or(p.kind.as_str())
        );
    }
    if let Some(v) = doc.interventions.iter().find(|v| v.id == id) {
        return match &v.date {
            Some(d) => format!("intervention of {d}"),
            None => "an intervention".into(),
        };
    }
    if let Some(s) = doc.sources.iter().find(|s| s.id == id) {
        return format!("source “{}”", s.citation);
    }
    "a record of the case".into()
}
