//! `dossier.html`: the bundle read as a dossier. One self-contained page:
//! no script, nothing remote, inline styles only in a `<style>` block,
//! printable to PDF, in English or Russian.

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
};

fn label(lang: Language, v: &vocab::Vocabulary, code: &str) -> String {
    v.get(code)
        .map(|t| match lang {
            Language::En => t.en,
            Language::Ru => t.ru,
        })
        .unwrap_or(code)
        .to_owned()
}

fn consent_text(lang: Language, c: &Consent) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let (l, co, un, me, pu) = match lang {
        Language::En => ("lawyers", "courts", "UN mechanisms", "media", "publication"),
        Language::Ru => ("адвокатам", "судам", "механизмам ООН", "СМИ", "публикация"),
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
    }
}

/// Renders the dossier.
pub fn render(
    lang: Language,
    doc: &Document,
    manifest: &Manifest,
    attachments: &[BundleFile],
    custody: &[CustodyEntry],
    verification_steps: &str,
) -> String {
    let l = match lang {
        Language::En => &EN,
        Language::Ru => &RU,
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} {}</title>\
<style>body{{font:15px/1.5 serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111}}\
h1,h2{{font-family:sans-serif}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}}\
code{{font-size:.8rem;word-break:break-all}}.statement{{white-space:pre-wrap;border-left:3px solid #999;padding-left:.75rem}}\
@media print{{h2{{page-break-before:always}}}}</style></head><body>\n",
        l.lang,
        l.title,
        esc(&manifest.bundle_id)
    );
    let _ = writeln!(
        h,
        "<h1>{} — {}</h1>",
        l.title,
        esc(&manifest.organisation.name)
    );
    let _ = writeln!(
        h,
        "<p>Bundle <code>{}</code> · {} · <code>{}</code></p>",
        esc(&manifest.bundle_id),
        esc(&manifest.created_at),
        esc(&crate::crypto::fingerprint::grouped(
            &manifest.organisation.fingerprint
        ))
    );
    let sections = [
        ("summary", l.summary),
        ("timeline", l.timeline),
        ("persons", l.persons),
        ("proceedings", l.proceedings),
        ("testimonies", l.testimonies),
        ("sources", l.sources),
        ("attachments", l.attachments),
        ("custody", l.custody),
        ("verification", l.verification),
    ];
    let _ = writeln!(h, "<nav><h2>{}</h2><ol>", l.contents);
    for (id, name) in sections {
        let _ = writeln!(h, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    h.push_str("</ol></nav>\n");

    let _ = writeln!(h, "<h2 id=\"summary\">{}</h2>", l.summary);
    for c in &doc.cases {
        let _ = writeln!(
            h,
            "<h3>{}</h3><p>{} · {} → {}</p><p>{}</p>",
            esc(&c.title),
            esc(&format!("{:?}", c.status).to_lowercase()),
            esc(c.origin_country.as_deref().unwrap_or("-")),
            esc(&c.host_countries.join(", ")),
            esc(c.notes.as_deref().unwrap_or(""))
        );
    }
    if !manifest.redaction.withheld.is_empty() {
        let _ = writeln!(h, "<p><strong>{}:</strong></p><ul>", l.withheld);
        for w in &manifest.redaction.withheld {
            let _ = writeln!(h, "<li>{}: {}</li>", esc(&w.kind), esc(&w.reason));
        }
        h.push_str("</ul>\n");
    }

    let _ = writeln!(h, "<h2 id=\"timeline\">{}</h2><table>", l.timeline);
    let mut incidents: Vec<_> = doc.incidents.iter().collect();
    incidents.sort_by_key(|i| i.start);
    for i in incidents {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td><strong>{}</strong><br>{}</td></tr>",
            esc(&i.start.to_string()),
            esc(&label(lang, &vocab::ACT_TYPES, &i.act_type)),
            esc(&i.title),
            esc(&i.description)
        );
    }
    h.push_str("</table>\n");

    let _ = writeln!(h, "<h2 id=\"persons\">{}</h2><ul>", l.persons);
    for p in &doc.persons {
        let names: Vec<&str> = p.names.iter().map(|n| n.name.as_str()).collect();
        let roles: Vec<String> = p
            .case_roles
            .iter()
            .map(|r| label(lang, &vocab::ROLES, &r.role))
            .collect();
        let _ = writeln!(
            h,
            "<li>{} ({})</li>",
            esc(&names.join(" / ")),
            esc(&roles.join(", "))
        );
    }
    h.push_str("</ul>\n");

    let _ = writeln!(h, "<h2 id=\"proceedings\">{}</h2>", l.proceedings);
    if doc.proceedings.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", l.no_items);
    }
    for p in &doc.proceedings {
        let grounds: Vec<String> = p
            .legal_grounds
            .iter()
            .map(|g| label(lang, &vocab::LEGAL_GROUNDS, g))
            .collect();
        let _ = writeln!(
            h,
            "<p><strong>{}</strong> {} {}<br>{}<br>{}</p>",
            esc(&label(lang, &vocab::PROCEEDING_KINDS, &p.kind)),
            esc(p.authority.as_deref().unwrap_or("")),
            esc(p.reference.as_deref().unwrap_or("")),
            esc(p.outcome.as_deref().unwrap_or("")),
            esc(&grounds.join("; "))
        );
    }

    let _ = writeln!(h, "<h2 id=\"testimonies\">{}</h2>", l.testimonies);
    if doc.testimonies.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", l.no_items);
    }
    for t in &doc.testimonies {
        let _ = writeln!(
            h,
            "<p><em>{}: {}</em></p><div class=\"statement\">{}</div>",
            l.consent,
            esc(&consent_text(lang, &t.consent)),
            esc(&t.statement)
        );
    }

    let _ = writeln!(h, "<h2 id=\"sources\">{}</h2><ul>", l.sources);
    for s in &doc.sources {
        let _ = writeln!(
            h,
            "<li>{} — {} ({}{})</li>",
            esc(&label(lang, &vocab::SOURCE_TYPES, &s.source_type)),
            esc(&s.citation),
            s.reliability.map(String::from).unwrap_or_default(),
            s.credibility.map(|c| c.to_string()).unwrap_or_default()
        );
    }
    h.push_str("</ul>\n");

    let _ = writeln!(h, "<h2 id=\"attachments\">{}</h2><table>", l.attachments);
    for a in attachments {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{} B</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&a.path),
            a.size,
            esc(&a.sha256),
            esc(a.note.as_deref().unwrap_or(""))
        );
    }
    h.push_str("</table>\n");

    let _ = writeln!(h, "<h2 id=\"custody\">{}</h2><table>", l.custody);
    for e in custody {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e.seq,
            esc(&e.at),
            esc(&e.action),
            esc(e.detail.as_deref().unwrap_or(""))
        );
    }
    h.push_str("</table>\n");
    let _ = writeln!(
        h,
        "<h2 id=\"verification\">{}</h2><pre>{}</pre>\n</body></html>",
        l.verification,
        esc(verification_steps)
    );
    h
}
