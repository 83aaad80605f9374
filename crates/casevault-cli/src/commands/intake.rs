//! Self-reports (the activist's side) and the intake inbox (the
//! organisation's side).

use std::path::Path;

use casevault_core::bundle::intake::{self, AcceptInto, IntakeStatus};
use casevault_core::bundle::seal::{self, SealRequest};
use casevault_core::model::self_report::SelfReport;
use casevault_core::{Error, Result};

use super::{to_json, unlock};
use crate::args::SecretArgs;
use crate::show::{self, safe};
use casevault_core::model::problem::ProblemCode;

fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", to_json(value)?);
    Ok(())
}

pub fn report_ls(dir: &Path, secrets: &SecretArgs, as_json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let reports = vault.reports()?;
    if as_json {
        return json(&reports);
    }
    for r in &reports {
        println!(
            "{}  updated {}  {} file(s)  {}",
            safe(&r.id),
            safe(&r.updated_at),
            r.files,
            r.last_sealed_at
                .as_deref()
                .map(|s| format!("sealed {s}"))
                .unwrap_or_else(|| "not sealed".into())
        );
    }
    Ok(())
}

pub fn report_new(dir: &Path, secrets: &SecretArgs, answers: &Path) -> Result<()> {
    let text = casevault_core::input::read_file(
        answers,
        casevault_core::input::MAX_ANSWERS_BYTES,
        "--answers",
        "a questionnaire file",
    )?;
    let answers: SelfReport = serde_json::from_slice(&text).map_err(|e| {
        Error::invalid(
            "answers",
            ProblemCode::NotAQuestionnaire
                .with("path", answers.display())
                .with("detail", e),
        )
    })?;
    let mut vault = unlock(dir, secrets)?;
    let report = vault.create_report()?;
    vault.save_report(&report.summary.id, &answers)?;
    for p in answers.problems() {
        eprintln!(
            "to fix before sealing: {}.{}: {}",
            safe(&p.step),
            safe(&p.field),
            safe(&p.message)
        );
    }
    println!("{}", report.summary.id);
    Ok(())
}

pub fn report_attach(
    dir: &Path,
    secrets: &SecretArgs,
    id: &str,
    file: &Path,
    mvt: bool,
) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let f = vault.attach_to_report(id, file, if mvt { "mvt" } else { "file" }, |_, _| {})?;
    println!(
        "{}  {}  sha256 {}",
        safe(&f.id),
        safe(&f.original_name),
        safe(&f.sha256)
    );
    Ok(())
}

pub fn report_seal(
    dir: &Path,
    secrets: &SecretArgs,
    id: &str,
    to: &str,
    lang: &str,
    out: &Path,
) -> Result<()> {
    let language = super::bundle::language(lang)?;
    let mut vault = unlock(dir, secrets)?;
    let key = vault
        .resolve_recipients(&[to.to_owned()])?
        .pop()
        .ok_or_else(|| Error::invalid("--to", ProblemCode::Required))?;
    let r = seal::seal(
        &mut vault,
        SealRequest {
            report_id: id,
            intake_key: &key,
            language,
            out,
        },
    )?;
    eprintln!(
        "Sealed to {} ({} bytes), signed with a one-time key ({}) that was not kept.",
        show::fingerprint(&r.sealed_to),
        r.bytes,
        show::fingerprint(&r.reporter_fingerprint)
    );
    eprintln!(
        "Send the file by any channel; then `casevault report delete {id}` removes your copy."
    );
    println!("{}", r.bundle_id);
    Ok(())
}

pub fn report_delete(dir: &Path, secrets: &SecretArgs, id: &str) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    vault.delete_report_securely(id)?;
    eprintln!("The report was deleted from this vault. The sealed file, if any, is untouched.");
    Ok(())
}

pub fn import(dir: &Path, secrets: &SecretArgs, file: &Path) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let item = intake::receive(&mut vault, file)?;
    println!("{}", safe(&item.bundle_id));
    eprintln!(
        "Received a report from {} (signed by key {}), {} file(s){}.",
        safe(&item.reporter_name),
        show::fingerprint(&item.reporter_fingerprint),
        item.files,
        if item.earlier_reports > 0 {
            format!(
                "; {} earlier report(s) were signed with the same key",
                item.earlier_reports
            )
        } else {
            String::new()
        }
    );
    Ok(())
}

pub fn ls(dir: &Path, secrets: &SecretArgs, as_json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let items = intake::inbox(&vault)?;
    if as_json {
        return json(&items);
    }
    for i in &items {
        let status = match i.status {
            IntakeStatus::Pending => "pending".to_owned(),
            IntakeStatus::Accepted => {
                format!("accepted into {}", i.case_id.as_deref().unwrap_or(""))
            }
            IntakeStatus::Rejected => format!("rejected: {}", i.reason.as_deref().unwrap_or("")),
        };
        println!(
            "{}  {}  {}  {}  [{}]",
            safe(&i.bundle_id),
            safe(&i.received_at),
            safe(&i.reporter_name),
            safe(&i.summary),
            safe(&status)
        );
    }
    Ok(())
}

pub fn show(dir: &Path, secrets: &SecretArgs, id: &str, as_json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let r = intake::review(&vault, id)?;
    if as_json {
        return json(&r);
    }
    println!(
        "Report {} from {}",
        safe(&r.item.bundle_id),
        safe(&r.item.reporter_name)
    );
    println!(
        "Signed by key {}",
        show::fingerprint(&r.item.reporter_fingerprint)
    );
    let c = &r.report.answers.consent;
    let given: Vec<&str> = [
        ("record", c.record),
        ("share with lawyers", c.share_lawyers),
        ("share with UN mechanisms", c.share_un),
        ("contact the reporter", c.contact_me),
        ("pseudonym only", c.pseudonym_only),
    ]
    .into_iter()
    .filter_map(|(what, yes)| yes.then_some(what))
    .collect();
    println!("Consent: {}", given.join(", "));
    for i in &r.data.incidents {
        println!(
            "  {} ({}): {}",
            safe(&i.title),
            i.start,
            safe(i.description.lines().next().unwrap_or(""))
        );
    }
    for f in &r.report.files {
        println!(
            "  file {} ({} bytes) sha256 {}",
            safe(&f.file.original_name),
            f.file.size,
            safe(&f.file.sha256)
        );
    }
    if !r.same_reporter.is_empty() {
        println!(
            "Signed with the same key: {} other report(s); cases {}",
            r.same_reporter.len(),
            safe(&r.reporter_cases.join(", "))
        );
    }
    for p in &r.person_matches {
        println!(
            "Possible match: person {} ({}), cases {}",
            safe(&p.id),
            safe(&p.names.join(" / ")),
            safe(&p.cases.join(", "))
        );
    }
    Ok(())
}

pub fn accept(
    dir: &Path,
    secrets: &SecretArgs,
    id: &str,
    case: Option<String>,
    person: Option<String>,
) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let case = intake::accept(
        &mut vault,
        id,
        &AcceptInto {
            case_id: case,
            person_id: person,
        },
        |_, _| {},
    )?;
    println!("{}", safe(&case));
    Ok(())
}

pub fn reject(dir: &Path, secrets: &SecretArgs, id: &str, reason: &str) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    intake::reject(&mut vault, id, reason)
}
