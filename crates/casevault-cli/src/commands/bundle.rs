//! Export bundles: create (from a vault), verify and open (no vault needed:
//! a lawyer may only have the file and their age identity).

use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use casevault_core::bundle::Language;
use casevault_core::bundle::read::{self, Unseal, Verification};
use casevault_core::bundle::write::{self, CreateRequest, Seal};
use casevault_core::{Error, Result};

use super::unlock;
use crate::args::{BundleOpenArgs, SecretArgs};

pub struct CreateArgs<'a> {
    pub cases: &'a [String],
    pub recipients: &'a [String],
    pub passphrase: bool,
    pub lang: &'a str,
    pub organisation: &'a str,
    pub out: &'a PathBuf,
}

fn bundle_passphrase(confirm: bool) -> Result<SecretString> {
    if let Ok(p) = std::env::var("CASEVAULT_BUNDLE_PASSPHRASE") {
        return Ok(SecretString::from(p));
    }
    let p = crate::credentials::prompt_hidden("Bundle passphrase (CASEVAULT_BUNDLE_PASSPHRASE)")?;
    if confirm && *crate::credentials::prompt_hidden("Again")? != *p {
        return Err(Error::invalid("passphrase", "the two passphrases differ"));
    }
    Ok(SecretString::from(p.to_string()))
}

/// `--lang en|ru`.
pub fn language(lang: &str) -> Result<Language> {
    match lang {
        "en" => Ok(Language::En),
        "ru" => Ok(Language::Ru),
        other => Err(Error::invalid(
            "--lang",
            format!("\"{other}\" is not en or ru"),
        )),
    }
}

pub fn create(dir: &Path, secrets: &SecretArgs, a: CreateArgs<'_>) -> Result<()> {
    let language = language(a.lang)?;
    if a.passphrase && !a.recipients.is_empty() {
        return Err(Error::invalid(
            "--passphrase",
            "seal to recipients or with a passphrase, not both",
        ));
    }
    let mut vault = unlock(dir, secrets)?;
    let seal = if a.passphrase {
        Seal::Passphrase(bundle_passphrase(true)?)
    } else {
        // A recipient may be a key or the id of a contact.
        Seal::Recipients(vault.resolve_recipients(a.recipients)?)
    };
    let report = write::create(
        &mut vault,
        CreateRequest {
            case_ids: a.cases,
            seal,
            language,
            organisation: a.organisation,
            out: a.out,
        },
        &casevault_core::model::os_user_name(),
        chrono::Utc::now(),
    )?;
    println!("{}", report.bundle_id);
    eprintln!(
        "Wrote {} ({} files, {} bytes), signed by {}.",
        a.out.display(),
        report.files,
        report.bytes,
        report.fingerprint
    );
    for w in &report.withheld {
        eprintln!(
            "Held back: {} {} ({}).",
            w.kind,
            w.id.as_deref().unwrap_or(""),
            w.reason
        );
    }
    Ok(())
}

fn unseal(args: &BundleOpenArgs) -> Result<Unseal> {
    if args.passphrase {
        return Ok(Unseal::Passphrase(bundle_passphrase(false)?));
    }
    if args.identity.is_empty() {
        return Err(Error::invalid(
            "-i",
            "give your age identity file with -i, or --passphrase",
        ));
    }
    let mut ids = Vec::new();
    for path in &args.identity {
        let text = casevault_core::input::read_text(
            path,
            casevault_core::input::MAX_SECRET_FILE_BYTES,
            "-i",
            "an age identity file",
        )?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("AGE-SECRET-KEY-"))
        {
            ids.push(line.parse::<age::x25519::Identity>().map_err(|_| {
                Error::invalid(
                    "-i",
                    format!("{} holds a damaged age identity", path.display()),
                )
            })?);
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid(
            "-i",
            "no AGE-SECRET-KEY line in the identity file",
        ));
    }
    Ok(Unseal::Identities(ids))
}

fn trusted(args: &BundleOpenArgs) -> Result<Vec<String>> {
    args.org_key
        .iter()
        .map(|p| {
            casevault_core::input::read_text(
                p,
                casevault_core::input::MAX_KEY_FILE_BYTES,
                "--org-key",
                "a public key file",
            )
            .map(|t| t.to_string())
        })
        .collect()
}

fn report(v: &Verification) -> Result<()> {
    let m = &v.manifest;
    println!(
        "Bundle {} ({}), made {} by \"{}\".",
        m.bundle_id, m.kind, m.created_at, m.organisation.name
    );
    println!("Signed by {}.", v.signer_fingerprint);
    match v.signer_trusted {
        Some(true) => println!("The signer is the organisation key you gave."),
        Some(false) => println!(
            "WARNING: the signer {} is NOT the organisation key you gave. Do not rely on this bundle.",
            v.signer_fingerprint
        ),
        None => println!(
            "WARNING: no trusted organisation key was given (--org-key): compare {} with the organisation out of band.",
            v.signer_fingerprint
        ),
    }
    println!(
        "Files checked: {}. Cases: {}.",
        v.files_checked,
        m.case_ids.join(", ")
    );
    for w in &m.redaction.withheld {
        println!("Held back by the sender: {} ({}).", w.kind, w.reason);
    }
    for p in &v.problems {
        println!("PROBLEM: {p}");
    }
    if !v.problems.is_empty() || v.signer_trusted == Some(false) {
        return Err(Error::bundle_damaged(format!(
            "{} problem(s) with this bundle",
            v.problems.len().max(1)
        )));
    }
    println!("OK: the signature and every hash check out.");
    Ok(())
}

pub fn verify(file: &Path, args: &BundleOpenArgs) -> Result<()> {
    report(&read::verify(file, &unseal(args)?, &trusted(args)?)?)
}

pub fn open(file: &Path, args: &BundleOpenArgs, out: &Path) -> Result<()> {
    let v = read::open(file, &unseal(args)?, &trusted(args)?, out)?;
    report(&v)?;
    eprintln!("Extracted to {}. Start with dossier.html.", out.display());
    Ok(())
}
