//! Evidence files and the custody log.

use std::io::IsTerminal;
use std::path::Path;

use casevault_core::vault::attachments::AttachRequest;
use casevault_core::{Error, Result};

use super::{to_json, unlock};
use crate::args::SecretArgs;
use crate::show::{self, safe};

/// A progress line on stderr, only when someone is watching.
pub(crate) fn progress(label: &'static str) -> impl FnMut(u64, u64) {
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
        progress("encrypting"),
    )?;
    println!("{}", a.id);
    eprintln!(
        "Attached {} ({} bytes, {}), SHA-256 {}.",
        safe(&a.original_name),
        a.size,
        safe(&a.media_type),
        a.sha256
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
            safe(&a.id),
            a.size,
            safe(&a.media_type),
            safe(&a.sha256),
            safe(&a.original_name)
        );
    }
    Ok(())
}

pub fn get(dir: &Path, secrets: &SecretArgs, id: &str, out: &Path) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    vault.save_attachment_copy(id, out, progress("decrypting"))?;
    eprintln!(
        "WARNING: {} is a plaintext copy, outside the vault. This was recorded in the custody log.",
        out.display()
    );
    Ok(())
}

pub fn audit_verify(
    dir: &Path,
    secrets: &SecretArgs,
    quick: bool,
    checkpoint: Option<&Path>,
    json: bool,
) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let mut report = vault.audit_verify(!quick, progress("verifying attachments"))?;
    if let Some(file) = checkpoint {
        use casevault_core::input::{MAX_KEY_FILE_BYTES, read_text};
        let text = read_text(file, MAX_KEY_FILE_BYTES, "--checkpoint", "a checkpoint")?;
        let sig_path = sig_path(file);
        let sig = read_text(
            &sig_path,
            MAX_KEY_FILE_BYTES,
            "--checkpoint",
            "a checkpoint signature",
        )?;
        for problem in vault.verify_checkpoint(&text, &sig)? {
            report
                .problems
                .push(casevault_core::vault::custody::AuditProblem {
                    code: casevault_core::vault::custody::AuditProblemCode::CheckpointMismatch,
                    seq: None,
                    target: None,
                    problem,
                });
        }
    }
    if json {
        println!("{}", to_json(&report)?);
    } else {
        println!(
            "Custody log: {} entries, head {}.",
            report.entries,
            safe(&report.head_hash)
        );
        println!(
            "Checked {} records and {} attachments.",
            report.records_checked, report.attachments_checked
        );
        for p in &report.problems {
            println!("PROBLEM: {}", safe(&p.problem));
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
            safe(&e.at),
            safe(&e.actor),
            safe(&e.action),
            safe(e.target.as_deref().unwrap_or("-")),
            safe(e.detail.as_deref().unwrap_or(""))
        );
    }
    Ok(())
}

/// A checkpoint file and its `.sig`.
fn read_checkpoint(file: &Path) -> Result<(String, String)> {
    use casevault_core::input::{MAX_KEY_FILE_BYTES, read_text};
    let text = read_text(file, MAX_KEY_FILE_BYTES, "checkpoint", "a checkpoint")?;
    let sig = read_text(
        &sig_path(file),
        MAX_KEY_FILE_BYTES,
        "checkpoint",
        "a checkpoint signature",
    )?;
    Ok((text.to_string(), sig.to_string()))
}

pub fn audit_consistency(
    dir: &Path,
    secrets: &SecretArgs,
    old: &Path,
    new: &Path,
    json: bool,
) -> Result<()> {
    let (old_text, old_sig) = read_checkpoint(old)?;
    let (new_text, new_sig) = read_checkpoint(new)?;
    let vault = unlock(dir, secrets)?;
    let check = vault.check_consistency((&old_text, &old_sig), (&new_text, &new_sig))?;
    if json {
        println!("{}", to_json(&check)?);
    } else {
        println!(
            "Consistency proof from {} to {} entries ({} hashes):",
            check.old_size,
            check.new_size,
            check.proof.len()
        );
        for h in &check.proof {
            println!("  {}", safe(h));
        }
        for p in &check.problems {
            println!("PROBLEM: {}", safe(p));
        }
    }
    if check.problems.is_empty() {
        if !json {
            println!("OK: the log signed second only added entries to the log signed first.");
        }
        Ok(())
    } else {
        Err(Error::tampered(format!(
            "{} problem(s) between the two checkpoints",
            check.problems.len()
        )))
    }
}

fn sig_path(file: &Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".sig");
    name.into()
}

pub fn audit_checkpoint(dir: &Path, secrets: &SecretArgs, out: &Path) -> Result<()> {
    let sig = sig_path(out);
    for path in [out, sig.as_path()] {
        if path.exists() {
            return Err(Error::VaultExists {
                path: path.to_path_buf(),
            });
        }
    }
    let mut vault = unlock(dir, secrets)?;
    let cp = vault.custody_checkpoint()?;
    std::fs::write(out, &cp.text).map_err(|e| Error::io("write", out, e))?;
    std::fs::write(&sig, &cp.signature).map_err(|e| Error::io("write", &sig, e))?;
    print!("{}", cp.text);
    eprintln!(
        "Signed by {} ({}). Keep {} and {} off this device. To check with OpenSSH alone:\n  echo 'casevault-org {}' > allowed_signers\n  ssh-keygen -Y verify -f allowed_signers -I casevault-org -n {} -s {} < {}",
        show::fingerprint(&cp.public_key.fingerprint),
        safe(&cp.public_key.openssh),
        out.display(),
        sig.display(),
        cp.public_key.openssh,
        casevault_core::vault::org_key::CHECKPOINT_NAMESPACE,
        sig.display(),
        out.display()
    );
    Ok(())
}

pub fn org_key_show(dir: &Path, secrets: &SecretArgs, json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let key = vault.org_public_key()?;
    if json {
        println!("{}", to_json(&key)?);
    } else {
        println!("{}", safe(&key.openssh));
        println!("{}", show::fingerprint(&key.fingerprint));
    }
    Ok(())
}
