//! Getting secrets from the user: a file, an environment variable, or a
//! hidden prompt on the terminal, in that order (restic's conventions).

use std::io::IsTerminal;
use std::path::Path;

use casevault_core::crypto::recovery::RecoveryKey;
use casevault_core::secret::Passphrase;
use casevault_core::{Error, Result};
use zeroize::Zeroizing;

use crate::args::SecretArgs;

fn read_secret_file(path: &Path) -> Result<Zeroizing<String>> {
    let text = casevault_core::input::read_text(
        path,
        casevault_core::input::MAX_SECRET_FILE_BYTES,
        "--passphrase-file",
        "a passphrase or recovery-key file",
    )?;
    Ok(Zeroizing::new(
        text.lines().next().unwrap_or_default().to_owned(),
    ))
}

/// Prompts on the terminal; without one, says which flag or variable
/// supplies this secret (`sources`), so the advice names the right flag.
fn prompt_or(label: &str, sources: &str) -> Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "passphrase",
            casevault_core::model::problem::ProblemCode::NoTerminal
                .with("what", label)
                .with("sources", sources),
        ));
    }
    rpassword::prompt_password(format!("{label}: "))
        .map(Zeroizing::new)
        .map_err(|e| Error::io("read from", "the terminal", e))
}

fn prompt(label: &str) -> Result<Zeroizing<String>> {
    prompt_or(label, "--passphrase-file or CASEVAULT_PASSPHRASE")
}

/// A hidden prompt for other secrets (a bundle's passphrase).
pub fn prompt_hidden(label: &str) -> Result<Zeroizing<String>> {
    prompt(label)
}

/// The current passphrase.
pub fn passphrase(args: &SecretArgs) -> Result<Passphrase> {
    if let Some(path) = &args.passphrase_file {
        return Ok(Passphrase::new(read_secret_file(path)?.to_string()));
    }
    if let Ok(text) = std::env::var("CASEVAULT_PASSPHRASE") {
        return Ok(Passphrase::new(text));
    }
    Ok(Passphrase::new(prompt("Passphrase")?.to_string()))
}

/// A new passphrase (passwd, recover), asked twice on a terminal.
pub fn new_passphrase(args: &SecretArgs) -> Result<Passphrase> {
    if let Some(path) = &args.new_passphrase_file {
        return Ok(Passphrase::new(read_secret_file(path)?.to_string()));
    }
    if let Ok(text) = std::env::var("CASEVAULT_NEW_PASSPHRASE") {
        return Ok(Passphrase::new(text));
    }
    ask_new_twice("--new-passphrase-file or CASEVAULT_NEW_PASSPHRASE")
}

/// The passphrase of a vault being created. There is no current
/// passphrase, so `--passphrase-file` and CASEVAULT_PASSPHRASE mean this one
/// (restic's `init` reads them the same way); the --new-… forms also work.
pub fn init_passphrase(args: &SecretArgs) -> Result<Passphrase> {
    if let Some(path) = args
        .new_passphrase_file
        .as_ref()
        .or(args.passphrase_file.as_ref())
    {
        return Ok(Passphrase::new(read_secret_file(path)?.to_string()));
    }
    for var in ["CASEVAULT_NEW_PASSPHRASE", "CASEVAULT_PASSPHRASE"] {
        if let Ok(text) = std::env::var(var) {
            return Ok(Passphrase::new(text));
        }
    }
    ask_new_twice("--passphrase-file or CASEVAULT_PASSPHRASE")
}

fn ask_new_twice(sources: &str) -> Result<Passphrase> {
    let first = prompt_or("New passphrase", sources)?;
    let second = prompt_or("Repeat the new passphrase", sources)?;
    if first != second {
        return Err(Error::invalid(
            "new passphrase",
            casevault_core::model::problem::ProblemCode::EntriesDiffer,
        ));
    }
    Ok(Passphrase::new(first.to_string()))
}

/// The recovery key.
pub fn recovery_key(args: &SecretArgs) -> Result<RecoveryKey> {
    if let Some(path) = &args.recovery_key_file {
        return RecoveryKey::parse(&read_secret_file(path)?);
    }
    if let Ok(text) = std::env::var("CASEVAULT_RECOVERY_KEY") {
        return RecoveryKey::parse(&text);
    }
    RecoveryKey::parse(&prompt_or(
        "Recovery key",
        "--recovery-key-file or CASEVAULT_RECOVERY_KEY",
    )?)
}

/// True when a person is at the keyboard.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}
