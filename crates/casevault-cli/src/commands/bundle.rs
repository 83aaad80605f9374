//! Export bundles: create (from a vault), verify and open (no vault needed:
//! a lawyer may only have the file and their age identity).

use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use casevault_core::bundle::Language;
use casevault_core::bundle::read::{self, Unseal, Verification};
use casevault_core::bundle::receive::{self, Approval};
use casevault_core::bundle::redact::ExtraProtection;
use casevault_core::bundle::write::{self, CreateRequest, Seal};
use casevault_core::{Error, Result};

use super::unlock;
use crate::args::{BundleOpenArgs, SecretArgs};
use crate::show::{self, safe};
use casevault_core::model::problem::ProblemCode;

pub struct CreateArgs<'a> {
    pub cases: &'a [String],
    pub recipients: &'a [String],
    pub passphrase: bool,
    pub lang: &'a str,
    pub organisation: &'a str,
    pub out: &'a PathBuf,
    pub protect: &'a [String],
    pub strip_metadata: bool,
    pub leave_out: &'a [String],
}

/// `ID=PSEUDONYM` pairs for `--protect`.
fn extra_protected(protect: &[String]) -> Result<Vec<ExtraProtection>> {
    protect
        .iter()
        .map(|p| match p.split_once('=') {
            Some((person, pseudonym)) if !person.trim().is_empty() => Ok(ExtraProtection {
                person: person.trim().to_owned(),
                pseudonym: pseudonym.trim().to_owned(),
            }),
            _ => Err(Error::invalid(
                "--protect",
                ProblemCode::ProtectFormat.with("value", safe(p)),
            )),
        })
        .collect()
}

/// `bundle review`: what redaction would do, and what it may miss.
pub fn review(
    dir: &Path,
    secrets: &SecretArgs,
    cases: &[String],
    protect: &[String],
    json: bool,
) -> Result<()> {
    let extra = extra_protected(protect)?;
    let vault = unlock(dir, secrets)?;
    let r = casevault_core::bundle::review::review(&vault, cases, &extra)?;
    if json {
        println!("{}", super::to_json(&r)?);
        return Ok(());
    }
    println!(
        "Names replaced: {}. Persons under a pseudonym: {}.",
        r.passages.len(),
        r.pseudonymised
    );
    for p in &r.passages {
        println!(
            "  {} {} {}:",
            safe(&p.record_kind),
            safe(&p.record_id),
            safe(&p.field)
        );
        println!("    before: {}", safe(&p.before));
        println!("    leaves: {}", safe(&p.after));
    }
    println!("May still identify a protected person: {}.", r.flags.len());
    for f in &r.flags {
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        println!(
            "  [{kind}] {}{}{}",
            f.record_id
                .as_deref()
                .map(|i| format!("{} ", safe(i)))
                .unwrap_or_default(),
            f.person
                .as_deref()
                .map(|p| format!("(pseudonymise too with --protect {}=…) ", safe(p)))
                .unwrap_or_default(),
            safe(&f.context)
        );
    }
    for w in &r.withheld {
        println!(
            "Held back: {} {} ({}).",
            safe(&w.kind),
            safe(w.id.as_deref().unwrap_or("")),
            safe(&w.reason)
        );
    }
    Ok(())
}

/// `staff-label`: show, set or remove how a staff account is named in
/// exported custody trails.
pub fn staff_label(
    dir: &Path,
    secrets: &SecretArgs,
    account: Option<&str>,
    label: Option<&str>,
    remove: bool,
) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    match (account, label, remove) {
        (Some(a), None, true) => vault.set_staff_label(a, None)?,
        (Some(a), Some(l), false) => vault.set_staff_label(a, Some(l))?,
        (_, Some(_), true) => {
            return Err(Error::invalid(
                "--remove",
                ProblemCode::NotBoth
                    .with("first", "a label")
                    .with("second", "--remove"),
            ));
        }
        _ => {}
    }
    for (a, l) in vault.staff_labels()? {
        if account.is_none_or(|x| x == a) {
            println!("{}\t{}", safe(&a), safe(&l));
        }
    }
    Ok(())
}

fn bundle_passphrase(confirm: bool) -> Result<SecretString> {
    if let Ok(p) = std::env::var("CASEVAULT_BUNDLE_PASSPHRASE") {
        return Ok(SecretString::from(p));
    }
    let p = crate::credentials::prompt_hidden("Bundle passphrase (CASEVAULT_BUNDLE_PASSPHRASE)")?;
    if confirm && *crate::credentials::prompt_hidden("Again")? != *p {
        return Err(Error::invalid("passphrase", ProblemCode::EntriesDiffer));
    }
    Ok(SecretString::from(p.to_string()))
}

/// `--lang en|ru|kk`.
pub fn language(lang: &str) -> Result<Language> {
    match lang {
        "en" => Ok(Language::En),
        "ru" => Ok(Language::Ru),
        "kk" => Ok(Language::Kk),
        other => Err(Error::invalid(
            "--lang",
            ProblemCode::NotOneOf
                .with("value", other)
                .with("allowed", "en, ru, kk"),
        )),
    }
}

pub fn create(dir: &Path, secrets: &SecretArgs, a: CreateArgs<'_>) -> Result<()> {
    let language = language(a.lang)?;
    if a.passphrase && !a.recipients.is_empty() {
        return Err(Error::invalid(
            "--passphrase",
            ProblemCode::NotBoth
                .with("first", "recipients")
                .with("second", "--passphrase"),
        ));
    }
    let mut vault = unlock(dir, secrets)?;
    let seal = if a.passphrase {
        Seal::Passphrase(bundle_passphrase(true)?)
    } else {
        // A recipient may be a key or the id of a contact.
        Seal::Recipients(vault.resolve_recipients(a.recipients)?)
    };
    let choices = write::ExportChoices {
        extra_protected: extra_protected(a.protect)?,
        strip_metadata: a.strip_metadata,
        leave_out: a.leave_out.to_vec(),
    };
    let report = write::create_with(
        &mut vault,
        CreateRequest {
            case_ids: a.cases,
            seal,
            language,
            organisation: a.organisation,
            out: a.out,
        },
        &choices,
    )?;
    println!("{}", report.bundle_id);
    eprintln!(
        "Wrote {} ({} files, {} bytes), signed by {}.",
        a.out.display(),
        report.files,
        report.bytes,
        show::fingerprint(&report.fingerprint)
    );
    for w in &report.withheld {
        eprintln!(
            "Held back: {} {} ({}).",
            safe(&w.kind),
            safe(w.id.as_deref().unwrap_or("")),
            safe(&w.reason)
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
            ProblemCode::EitherOption
                .with("first", "-i FILE")
                .with("second", "--passphrase"),
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
            ids.push(
                line.parse::<age::x25519::Identity>()
                    .map_err(|_| Error::invalid("-i", ProblemCode::SecretKeyInvalid))?,
            );
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid("-i", ProblemCode::SecretKeyInvalid));
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

/// Prints what verification found; refuses (before the caller extracts or
/// imports anything) a bundle with problems, and a signer that
/// [`read::require_signer`] refuses.
fn report(v: &Verification, accept_unknown_signer: bool) -> Result<()> {
    let m = &v.manifest;
    println!(
        "Bundle {} ({}), made {} by \"{}\".",
        safe(&m.bundle_id),
        safe(&m.kind),
        safe(&m.created_at),
        safe(&m.organisation.name)
    );
    println!("Signed by {}.", show::fingerprint(&v.signer_fingerprint));
    match v.signer_trusted {
        Some(true) => println!("The signer is the organisation key you gave."),
        Some(false) => println!(
            "WARNING: the signer {} is NOT the organisation key you gave. Do not rely on this bundle.",
            show::fingerprint(&v.signer_fingerprint)
        ),
        None => println!(
            "WARNING: the signer is UNKNOWN: no organisation key was given (--org-key). Compare {} with the organisation by phone or in person.",
            show::fingerprint(&v.signer_fingerprint)
        ),
    }
    println!(
        "Files checked: {}. Cases: {}.",
        v.files_checked,
        safe(&m.case_ids.join(", "))
    );
    for w in &m.redaction.withheld {
        println!(
            "Held back by the sender: {} ({}).",
            safe(&w.kind),
            safe(&w.reason)
        );
    }
    for p in &v.problems {
        println!("PROBLEM: {}", safe(p));
    }
    if !v.problems.is_empty() {
        return Err(Error::bundle_damaged(format!(
            "{} problem(s) with this bundle",
            v.problems.len()
        )));
    }
    read::require_signer(v, accept_unknown_signer)?;
    match v.signer_trusted {
        Some(true) => println!("OK: the signature and every hash check out."),
        _ => println!(
            "OK: the signature and every hash check out, for a signer you accepted without a key to check it against."
        ),
    }
    Ok(())
}

pub fn verify(file: &Path, args: &BundleOpenArgs, accept_unknown_signer: bool) -> Result<()> {
    report(
        &read::verify(file, &unseal(args)?, &trusted(args)?)?,
        accept_unknown_signer,
    )
}

pub fn open(
    file: &Path,
    args: &BundleOpenArgs,
    out: &Path,
    accept_unknown_signer: bool,
) -> Result<()> {
    let v = read::open(
        file,
        &unseal(args)?,
        &trusted(args)?,
        accept_unknown_signer,
        out,
    )?;
    report(&v, accept_unknown_signer)?;
    eprintln!("Extracted to {}. Start with dossier.html.", out.display());
    Ok(())
}

/// Imports a case export into the vault: opened with -i, --passphrase or
/// this vault's own keys; trusted signers are the vault's contacts and any
/// --org-key.
pub fn import(
    dir: &Path,
    secrets: &SecretArgs,
    file: &Path,
    args: &BundleOpenArgs,
    accept_signer: Option<&str>,
) -> Result<()> {
    let mut trusted = trusted(args)?;
    let mut vault = unlock(dir, secrets)?;
    let unseal = if args.passphrase || !args.identity.is_empty() {
        unseal(args)?
    } else {
        let ids = vault.identity_secrets()?;
        if ids.is_empty() {
            return Err(Error::invalid("-i", ProblemCode::NoIdentity));
        }
        Unseal::Identities(ids)
    };
    trusted.extend(vault.contacts()?.into_iter().map(|c| c.recipient));
    let v = receive::import(
        &mut vault,
        file,
        &unseal,
        &trusted,
        &Approval {
            bundle_id: None,
            signer_fingerprint: accept_signer,
            accept_untrusted: accept_signer.is_some(),
        },
        super::evidence::progress("importing"),
    )?;
    println!("{}", safe(&v.manifest.bundle_id));
    let evidence = v
        .manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with("attachments/"))
        .count();
    eprintln!(
        "Imported bundle {} from \"{}\", signed by {}{}, with {evidence} evidence file(s). `casevault attachments ls` lists them.",
        safe(&v.manifest.bundle_id),
        safe(&v.manifest.organisation.name),
        show::fingerprint(&v.signer_fingerprint),
        if v.signer_trusted == Some(true) {
            ""
        } else {
            " (accepted by its fingerprint)"
        }
    );
    Ok(())
}
