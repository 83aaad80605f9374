//! Search and name look-up.

use std::path::Path;

use casevault_core::model::records::CaseStatus;
use casevault_core::model::vocab;
use casevault_core::ops::search::{self, Filters};
use casevault_core::{Error, Result};

use super::unlock;
use crate::args::SecretArgs;
use crate::show::safe;

/// The filter flags as given.
pub struct FilterArgs<'a> {
    pub act_types: &'a [String],
    pub countries: &'a [String],
    pub from: &'a Option<String>,
    pub to: &'a Option<String>,
    pub perpetrator: &'a Option<String>,
    pub status: &'a Option<String>,
    pub consent: &'a Option<String>,
}

fn filters(a: FilterArgs<'_>) -> Result<Filters> {
    for t in a.act_types {
        vocab::ACT_TYPES.check("--type", t)?;
    }
    let case_status = match a.status.as_deref() {
        None => None,
        Some("open") => Some(CaseStatus::Open),
        Some("monitoring") => Some(CaseStatus::Monitoring),
        Some("closed") => Some(CaseStatus::Closed),
        Some(other) => {
            return Err(Error::invalid(
                "--status",
                casevault_core::model::problem::ProblemCode::NotOneOf
                    .with("value", other)
                    .with("allowed", "open, monitoring, closed"),
            ));
        }
    };
    Ok(Filters {
        act_types: a.act_types.to_vec(),
        countries: a.countries.iter().map(|c| c.to_uppercase()).collect(),
        from: a.from.clone(),
        to: a.to.clone(),
        perpetrator: a.perpetrator.clone(),
        case_status,
        consent: a.consent.clone(),
    })
}

pub fn search(
    dir: &Path,
    secrets: &SecretArgs,
    query: &str,
    args: FilterArgs<'_>,
    limit: usize,
    json: bool,
) -> Result<()> {
    let filters = filters(args)?;
    let vault = unlock(dir, secrets)?;
    let results = search::search(&vault, query, &filters, limit)?;
    if json {
        println!("{}", super::to_json(&results)?);
        return Ok(());
    }
    for h in &results.hits {
        let snippet: String = h
            .snippet
            .iter()
            .map(|p| {
                if p.hit {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect();
        println!(
            "{:<12} {:<34} {}",
            safe(&h.kind),
            safe(&h.record_id),
            safe(&result_title(h))
        );
        match &h.case_title {
            Some(case) => println!("             in case: {}", safe(case)),
            None => println!("             in no case"),
        }
        if !snippet.is_empty() {
            println!("             {}", safe(&snippet.replace('\n', " ")));
        }
    }
    if results.hits.is_empty() {
        eprintln!("Nothing found.");
    } else if results.truncated {
        eprintln!("More results exist; narrow the search or raise --limit.");
    }
    Ok(())
}

/// What a result is, in words: "Testimony of Ainur Kurmanov, 2012-03-12"
/// rather than "testimony", since a testimony has no title of its own
/// (the app says the same in the reader's language).
fn result_title(h: &search::SearchHit) -> String {
    let mut title = match (&h.person_name, h.title.trim()) {
        (Some(name), _) if h.kind == "testimony" => format!("Testimony of {name}"),
        (_, "") => h.kind.clone(),
        (_, title) => title.to_owned(),
    };
    if let Some(date) = h.date.filter(|d| d.from.is_some()) {
        title.push_str(&format!(", {date}"));
    }
    title
}

pub fn persons_find(dir: &Path, secrets: &SecretArgs, name: &str, json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let hits = search::find_persons(&vault, name, 20)?;
    if json {
        println!("{}", super::to_json(&hits)?);
        return Ok(());
    }
    for h in &hits {
        println!(
            "{:<24} {:<8} {}  (matched \"{}\"; cases: {})",
            safe(&h.id),
            format!("{:?}", h.how).to_lowercase(),
            safe(&h.names.join(" / ")),
            safe(&h.matched),
            safe(&h.cases.join(", "))
        );
    }
    if hits.is_empty() {
        eprintln!("No one by that name.");
    }
    Ok(())
}
