//! Records: import and export of the interchange format, and browsing.

use std::io::Write;
use std::path::Path;

use casevault_core::ops::interchange::{self, Document};
use casevault_core::ops::{browse, edit};
use casevault_core::{Error, Result};
use serde_json::json;

use super::{to_json, unlock};
use crate::args::SecretArgs;
use crate::show::safe;

pub fn import(dir: &Path, secrets: &SecretArgs, file: &Path) -> Result<()> {
    // Parse before unlocking: a broken file needs no passphrase to reject.
    let bytes = casevault_core::input::read_file(
        file,
        casevault_core::input::MAX_INTERCHANGE_BYTES,
        "file",
        "an interchange file",
    )?;
    let doc = interchange::parse(&bytes)?;
    let mut vault = unlock(dir, secrets)?;
    let report = interchange::import(&mut vault, &doc)?;
    let summary: Vec<String> = report
        .counts
        .iter()
        .map(|(k, n)| crate::show::count(*n as u64, k))
        .collect();
    eprintln!("Imported {}.", summary.join(", "));
    Ok(())
}

pub fn amend(dir: &Path, secrets: &SecretArgs, id: &str, file: &Path, reason: &str) -> Result<()> {
    let data = super::read_record_data(file)?;
    // Not even an object: refused before the passphrase is asked for, by
    // the check that runs on the record's kind once the vault is open.
    if !data.is_object() {
        edit::record_from_data("record", id, &data)?;
    }
    let mut vault = unlock(dir, secrets)?;
    let current = vault.get_record(id)?.ok_or_else(|| {
        Error::invalid(
            "record",
            casevault_core::model::problem::not_found("record", id),
        )
    })?;
    let record = edit::record_from_data(&current.kind, id, &data)?;
    let version = edit::amend(&mut vault, &record, reason)?;
    eprintln!("Amended {} (version {version}).", safe(id));
    Ok(())
}

pub fn export_json(dir: &Path, secrets: &SecretArgs, out: &Path) -> Result<()> {
    if out.exists() {
        return Err(Error::VaultExists {
            path: out.to_path_buf(),
        });
    }
    let mut vault = unlock(dir, secrets)?;
    let doc = interchange::export(&vault)?;
    let text = to_json(&doc)?;
    // Every record in plaintext: owner-only from creation.
    let mut f = casevault_core::private_fs::create_new_file(out)
        .map_err(|e| Error::io("create", out, e))?;
    f.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", out, e))?;
    f.sync_all().map_err(|e| Error::io("sync", out, e))?;
    vault.log_event(
        casevault_core::vault::custody::CustodyAction::Export,
        None,
        Some(&format!("plaintext JSON export to {}", out.display())),
    )?;
    eprintln!(
        "WARNING: {} is NOT encrypted. Anyone who can read it can read every record.",
        out.display()
    );
    eprintln!(
        "Wrote {} cases, {} persons, {} incidents.",
        doc.cases.len(),
        doc.persons.len(),
        doc.incidents.len()
    );
    Ok(())
}

pub fn cases_ls(dir: &Path, secrets: &SecretArgs, json: bool) -> Result<()> {
    let cases = browse::case_summaries(&unlock(dir, secrets)?)?;
    if json {
        let rows: Vec<_> = cases
            .iter()
            .map(|c| json!({ "id": c.id, "title": c.title, "status": c.status, "incidents": c.incidents }))
            .collect();
        println!("{}", to_json(&rows)?);
        return Ok(());
    }
    println!("{:<28} {:<11} {:>9}  TITLE", "ID", "STATUS", "INCIDENTS");
    for c in &cases {
        println!(
            "{:<28} {:<11} {:>9}  {}",
            safe(&c.id),
            format!("{:?}", c.status).to_lowercase(),
            c.incidents,
            safe(&c.title)
        );
    }
    Ok(())
}

pub fn case_show(dir: &Path, secrets: &SecretArgs, id: &str, json: bool) -> Result<()> {
    let detail = browse::case_detail(&unlock(dir, secrets)?, id).map_err(|e| match e {
        Error::InvalidInput { .. } => Error::invalid(
            "case",
            casevault_core::model::problem::not_found("case", id),
        ),
        other => other,
    })?;
    let case = &detail.case;
    // The JSON form is an interchange document holding just this case.
    let subset = Document {
        format: interchange::FORMAT.to_owned(),
        version: interchange::VERSION,
        cases: vec![detail.case.clone()],
        persons: detail.persons.clone(),
        organisations: detail.organisations.clone(),
        incidents: detail.incidents.clone(),
        proceedings: detail.proceedings.clone(),
        sources: detail.sources.clone(),
        testimonies: detail.testimonies.clone(),
        interventions: detail.interventions.clone(),
    };
    if json {
        println!("{}", to_json(&subset)?);
        return Ok(());
    }
    println!(
        "{} [{}]",
        safe(&case.title),
        format!("{:?}", case.status).to_lowercase()
    );
    println!("\nPeople:");
    for p in &subset.persons {
        let names: Vec<&str> = p.names.iter().map(|n| n.name.as_str()).collect();
        let roles: Vec<&str> = p
            .case_roles
            .iter()
            .filter(|r| r.case == id)
            .map(|r| r.role.as_str())
            .collect();
        println!(
            "  {} ({}): {}",
            safe(p.primary_name().unwrap_or("?")),
            safe(&roles.join(", ")),
            safe(&names.join(" / "))
        );
    }
    println!("\nIncidents (timeline):");
    for i in &subset.incidents {
        println!(
            "  {:<22} {:<24} {}",
            safe(&i.start.to_string()),
            safe(&i.act_type),
            safe(&i.title)
        );
    }
    println!("\nProceedings:");
    for p in &subset.proceedings {
        println!(
            "  {} {}",
            safe(&p.kind),
            safe(p.outcome.as_deref().unwrap_or(""))
        );
    }
    println!("\nInterventions:");
    for iv in &subset.interventions {
        println!(
            "  {:<12} {:<22} {:<10} {}",
            safe(
                &iv.date
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
            safe(&iv.actor_kind),
            safe(&iv.status),
            safe(&iv.request)
        );
    }
    println!("\nTestimonies: {}", subset.testimonies.len());
    Ok(())
}
