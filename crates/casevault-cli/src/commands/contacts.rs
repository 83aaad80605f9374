//! Contacts (bundle recipients) and this vault's own identities.

use std::path::Path;

use casevault_core::vault::contacts::NewContact;
use casevault_core::{Error, Result};

use super::unlock;
use crate::args::SecretArgs;
use crate::show::{self, safe};

pub fn keygen(dir: &Path, secrets: &SecretArgs, label: &str, import: Option<&Path>) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let id = match import {
        Some(file) => {
            let meta = std::fs::metadata(file).map_err(|e| Error::io("read", file, e))?;
            if meta.len() > 16 * 1024 {
                return Err(Error::invalid(
                    "--import",
                    casevault_core::model::problem::ProblemCode::FileTooBigForKind
                        .with("path", file.display())
                        .with("max", "16 KiB")
                        .with("what", "an age identity file"),
                ));
            }
            let text = casevault_core::input::read_text(
                file,
                casevault_core::input::MAX_SECRET_FILE_BYTES,
                "--import",
                "an age identity file",
            )?;
            vault.import_identity(label, &text)?
        }
        None => vault.create_identity(label)?,
    };
    println!("{}", safe(&id.recipient));
    eprintln!(
        "Created identity \"{}\". Give the public key above to those who send you bundles; its fingerprint is\n  {}\nThe secret half stays inside this vault.",
        safe(&id.label),
        show::fingerprint(&id.fingerprint)
    );
    Ok(())
}

pub fn add(
    dir: &Path,
    secrets: &SecretArgs,
    name: &str,
    key: &str,
    organisation: Option<&str>,
    verified: Option<&str>,
) -> Result<()> {
    // Check the key before asking for the passphrase: a typo needs no unlock.
    casevault_core::crypto::recipient::parse_recipient(key)?;
    let mut vault = unlock(dir, secrets)?;
    let c = vault.add_contact(NewContact {
        name,
        organisation,
        key,
        verified_on: verified,
    })?;
    println!("{}", c.id);
    eprintln!(
        "Added {} ({} key). Fingerprint, to compare with them out of band:\n  {}",
        safe(&c.name),
        c.key_type,
        show::fingerprint(&c.fingerprint)
    );
    if c.verified_on.is_none() {
        eprintln!(
            "Not yet verified: compare the fingerprint with them, then `casevault contacts verify {}`.",
            c.id
        );
    }
    Ok(())
}

pub fn ls(dir: &Path, secrets: &SecretArgs, json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let contacts = vault.contacts()?;
    if json {
        println!("{}", super::to_json(&contacts)?);
        return Ok(());
    }
    for c in &contacts {
        println!(
            "{:<16} {:<28} {:<12} verified: {:<10}  {}",
            c.id,
            safe(&c.name),
            c.key_type,
            c.verified_on.as_deref().unwrap_or("no"),
            show::fingerprint(&c.fingerprint)
        );
    }
    Ok(())
}

pub fn rm(dir: &Path, secrets: &SecretArgs, id: &str) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    vault.remove_contact(id)?;
    eprintln!("Removed.");
    Ok(())
}

pub fn verify(dir: &Path, secrets: &SecretArgs, id: &str, on: Option<&str>) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let c = vault.mark_contact_verified(id, on)?;
    eprintln!(
        "{}: fingerprint {} marked as compared on {}.",
        safe(&c.name),
        show::fingerprint(&c.fingerprint),
        c.verified_on.as_deref().unwrap_or("-")
    );
    Ok(())
}
