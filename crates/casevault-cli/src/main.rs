//! `casevault`: the command-line face of Casevault, for caseworkers and
//! lawyers who work in a terminal, for scripts, and for tests.

#![forbid(unsafe_code)]
// The CLI's job is to print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod credentials;
mod show;

use std::process::ExitCode;

use casevault_core::model::problem::{Problem, ProblemCode};
use casevault_core::{Error, ErrorCode};
use clap::Parser;

fn main() -> ExitCode {
    for problem in casevault_core::harden::disable_core_dumps() {
        eprintln!("warning: {problem}");
    }
    let cli = args::Cli::parse();
    if let Some(result) = commands::spaces::run(&cli) {
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(casevault_sync::Error::Vault(e)) => {
                // `space unload` would lose what is not on the remote yet:
                // a code of its own, so a script can sync and try again.
                let unsynced = matches!(&e, Error::InvalidInput { problem, .. }
                    if problem.code == ProblemCode::SpaceUnsynced);
                let code = fail(e);
                if unsynced { ExitCode::from(17) } else { code }
            }
            Err(e) => {
                eprintln!("error: {}", show::safe(&e.to_string()));
                ExitCode::from(sync_exit_code(e.code()))
            }
        };
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(e: Error) -> ExitCode {
    eprintln!("error: {}", show::safe(&e.to_string()));
    // The refusal's stable code, for scripts: the words above may be
    // reworded, this line is not.
    if let Error::InvalidInput { problem, .. } = &e
        && let Ok(serde_json::Value::String(code)) = serde_json::to_value(problem.code)
    {
        eprintln!("problem: {code}");
    }
    if let Some(hint) = hint(&e) {
        eprintln!("hint: {hint}");
    }
    ExitCode::from(exit_code(e.code()))
}

/// Exit codes of `device`, `space` and `sync` beyond the vault's own.
fn sync_exit_code(code: casevault_sync::ErrorCode) -> u8 {
    use casevault_sync::ErrorCode as C;
    match code {
        C::InvalidDeviceKey | C::InvalidInput | C::InvalidRemote | C::InvalidMembership => 9,
        // The remote served something damaged, forged or not allowed; the
        // vault is fine and nothing of it was applied.
        C::Tampered
        | C::BadSignature
        | C::BrokenChain
        | C::NotMember
        | C::UnknownEpoch
        | C::Equivocation => 13,
        C::LogFork => 14,
        C::RemoteIo | C::RemoteDenied | C::DiskFull => 15,
        // Only an admin of the space may change its members. (An entry on
        // the remote signed by a non-admin is refused inside the sync, 13.)
        C::NotAdmin => 16,
        _ => 1,
    }
}

/// Exit codes scripts can branch on. 2 is clap's usage error.
fn exit_code(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::WrongCredential
        | ErrorCode::InvalidRecoveryKey
        | ErrorCode::NotAddressedToYou => 3,
        ErrorCode::Tampered => 4,
        ErrorCode::VaultInUse => 5,
        ErrorCode::NewerVersion => 6,
        ErrorCode::VaultNotFound => 7,
        ErrorCode::KeysDestroyed => 8,
        ErrorCode::WeakPassphrase | ErrorCode::InvalidInput | ErrorCode::ImportRejected => 9,
        ErrorCode::UntrustedSigner => 10,
        // The incoming file is damaged, not the vault: a different code so
        // scripts (and people) do not restore a vault that is fine.
        ErrorCode::BundleDamaged => 11,
        ErrorCode::ReportDamaged => 12,
        _ => 1,
    }
}

/// One line on what to do next, where there is something useful to say.
fn hint(e: &Error) -> Option<String> {
    match e {
        Error::WrongCredential | Error::WrongCredentialCounted { .. } => Some("forgot the passphrase? `casevault recover` sets a new one with the recovery key".into()),
        Error::VaultNotFound { .. } => Some("choose a vault with --vault PATH or CASEVAULT_VAULT, or create one with `casevault init`".into()),
        Error::WeakPassphrase { suggestions, .. } if !suggestions.is_empty() => Some(suggestions.join(" ")),
        Error::Tampered { .. } => Some("`casevault restore BACKUP --to NEW_PATH` restores a backup into a new vault".into()),
        Error::UntrustedSigner { keys_given: false, .. } => Some("give the key you compared with --org-key FILE, add it as a contact, or accept this signer explicitly (--accept-unknown-signer; for import, --accept-signer FINGERPRINT)".into()),
        Error::BundleDamaged { .. } => Some("your vault is not affected; ask the sender for a new copy of the bundle, and compare its SHA-256 with them by another channel".into()),
        Error::ReportDamaged { .. } => Some("your vault is not affected; ask the reporter to seal and send the report again".into()),
        Error::InvalidInput { problem, .. } => problem_hint(problem),
        _ => None,
    }
}

/// The CLI's way to do what a refused value's message asks: the core's
/// words name the action, not a command, since the app says them too.
fn problem_hint(problem: &Problem) -> Option<String> {
    let what = problem.params.get("what").map(String::as_str);
    Some(match (problem.code, what) {
        (ProblemCode::NotFound, Some("case")) => "`casevault cases ls` lists the case ids".into(),
        (ProblemCode::NotFound, Some("contact")) => "`casevault contacts ls` lists the contacts".into(),
        (ProblemCode::NotFound, Some("report")) => "`casevault intake ls` lists the reports in the inbox".into(),
        (ProblemCode::NoIdentity, _) => "give -i FILE or --passphrase, or create a key with `casevault keygen` and give its public key to the sender".into(),
        (ProblemCode::NoIntakeKey, _) => "`casevault keygen` creates the key and prints the public key to publish; `casevault keygen --import FILE` brings the organisation's key to a second machine".into(),
        _ => return None,
    })
}
