//! Evidence files and the custody log.

use std::io::IsTerminal;
use std::path::Path;

use casevault_core::vault::attachments::AttachRequest;
use casevault_core::{Error, Result};

use super::unlock;
use crate::args::SecretArgs;

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))
}

/// A progress line on stderr, only when someone is watching.
fn progress(label: &'static str) -> impl FnMut(u64, u64) {
    let tty = std::io::stderr().is_terminal();
    let mut last = u64::MAX;
    move |done, total| {
        let pct = (done * 100).checked_div(total).unwrap_or(100);
        if tty && pct != last {
            last = pct;
            eprint!("\r{label}: {pct:>3}%");
            if done >= total {
                eprintln!();
            }
        }
    }
}

pub fn attach(
    dir: &Path,
    secrets: &SecretArgs,
    record: &str,
    file: &Path,
    derived_from: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let a = vault.attach(
        AttachRequest {
            record_id: record,
            source: file,
            derived_from,
            note,
        },
        &casevault_core::model::os_user_name(),
        chrono::Utc::now(),
        progress("encrypting"),
    )?;
    println!("{}", a.id);
    eprintln!(
        "Attached {} ({} bytes, {}), SHA-256 {}.",
        a.original_name, a.size, a.media_type, a.sha256
    );
    Ok(())
}

pub fn ls(dir: &Path, secrets: &SecretArgs, record: Option<&str>, json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let list = match record {
        Some(r) => vault.attachments_of(r)?,
        None => vault.all_attachments()?,
    };
    if json {
        println!("{}", to_json(&list)?);
        return Ok(());
    }
    println!(
        "{:<32}  {:>12}  {:<24} {:<64}  NAME",
        "ID", "BYTES", "TYPE", "SHA-256"
    );
    for a in &list {
        println!(
            "{:<32}  {:>12}  {:<24} {:<64}  {}",
            a.id, a.size, a.media_type, a.sha256, a.original_name
        );
    }
    Ok(())
}

pub fn get(dir: &Path, secrets: &SecretArgs, id: &str, out: &Path) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    vault.save_attachment_copy(
        id,
        out,
        &casevault_core::model::os_user_name(),
        chrono::Utc::now(),
        progress("decrypting"),
    )?;
    eprintln!(
        "WARNING: {} is a plaintext copy, outside the vault. This was recorded in the custody log.",
        out.display()
    );
    Ok(())
}

pub fn audit_verify(dir: &Path, secrets: &SecretArgs, quick: bool, json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let report = vault.audit_verify(!quick, progress("verifying attachments"))?;
    if json {
        println!("{}", to_json(&report)?);
    } else {
        println!(
            "Custody log: {} entries, head {}.",
            report.entries, report.head_hash
        );
        println!(
            "Checked {} records and {} attachments.",
            report.records_checked, report.attachments_checked
        );
        for p in &report.problems {
            println!("PROBLEM: {}", p.problem);
        }
    }
    if report.problems.is_empty() {
        if !json {
            println!("OK: the chain is intact and everything matches its latest entry.");
        }
        Ok(())
    } else {
        Err(Error::tampered(format!(
            "{} problem(s) found by audit verify",
            report.problems.len()
        )))
    }
}

pub fn audit_show(
    dir: &Path,
    secrets: &SecretArgs,
    target: Option<&str>,
    json: bool,
) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let entries = vault.custody_log(target)?;
    if json {
        println!("{}", to_json(&entries)?);
        return Ok(());
    }
    for e in &entries {
        println!(
            "{:>6}  {}  {:<12} {:<18} {:<34} {}",
            e.seq,
            e.at,
            e.actor,
            e.action,
            e.target.as_deref().unwrap_or("-"),
            e.detail.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
