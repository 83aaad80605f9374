//! The one error type of the core.
//!
//! Every variant maps to a stable [`ErrorCode`] that the UI branches on; the
//! `Display` text is written for a caseworker and says what to do next. The
//! UI translates by code, so messages here are the English wording used by
//! the CLI.

use std::path::PathBuf;

use crate::model::problem::Problem;

/// Result alias for the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

// The codes are shared with the pure model crate, whose refusals carry the
// same codes; they are defined there so both layers name them alike.
pub use casevault_model::ErrorCode;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No vault at `path`.
    #[error("No vault was found at {}. Check the path, or create a vault first (`casevault init`).", path.display())]
    VaultNotFound {
        /// Where we looked.
        path: PathBuf,
    },
    /// A vault (or other files) already exist at `path`.
    #[error("{} already exists. Choose another location; an existing vault is never overwritten.", path.display())]
    VaultExists {
        /// The occupied path.
        path: PathBuf,
    },
    /// The credential does not open any key slot.
    #[error("The passphrase or recovery key is wrong. Nothing was changed; try again.")]
    WrongCredential,
    /// The credential was wrong and, under the wipe-after-N policy, the
    /// attempt was counted on disk: say how many remain, never "nothing was
    /// changed".
    #[error(
        "The passphrase or recovery key is wrong. This attempt was counted: after {attempts_left} more wrong {} the key slots are destroyed and the vault can only be opened from a backup.",
        if *attempts_left == 1 { "attempt" } else { "attempts" }
    )]
    WrongCredentialCounted {
        /// Wrong attempts left before the key slots are destroyed.
        attempts_left: u32,
    },
    /// Authentication of stored data failed.
    #[error(
        "The vault is damaged or was modified outside Casevault ({detail}). Nothing was written. Restore it from a backup."
    )]
    Tampered {
        /// What failed to verify, for the record (never contains case data).
        detail: String,
    },
    /// An incoming bundle failed to verify. Nothing in any vault is wrong.
    #[error(
        "This bundle is damaged or was altered after it was sealed ({detail}). Nothing was written. Do not rely on it: ask the sender for a new copy, through another channel if you can."
    )]
    BundleDamaged {
        /// What failed to verify.
        detail: String,
    },
    /// An incoming sealed self-report failed to verify.
    #[error(
        "This self-report is damaged or was altered after it was sealed ({detail}). Nothing was written. Ask the reporter to send it again."
    )]
    ReportDamaged {
        /// What failed to verify.
        detail: String,
    },
    /// Another process has the vault open.
    #[error("The vault is in use by another Casevault window or command. Close it and try again.")]
    VaultInUse,
    /// The vault format is newer than this build understands.
    #[error(
        "This vault was written by a newer version of Casevault (format {found}; this version reads up to {supported}). Update Casevault to open it; the vault was not changed."
    )]
    NewerVersion {
        /// The version found on disk.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The passphrase is too easy to guess.
    #[error("This passphrase is too easy to guess{}. Use four or more unrelated words, or a longer sentence.", warning.as_deref().map(|w| format!(": {w}")).unwrap_or_default())]
    WeakPassphrase {
        /// zxcvbn's warning, if it gave one.
        warning: Option<String>,
        /// zxcvbn's suggestions.
        suggestions: Vec<String>,
    },
    /// The recovery key could not be parsed.
    #[error("That recovery key is not valid: {reason}. Check it against the printed copy.")]
    InvalidRecoveryKey {
        /// What is wrong with it.
        reason: String,
    },
    /// The key slots were destroyed by the failed-unlock policy.
    #[error(
        "This vault's keys were destroyed after too many failed unlock attempts. It can no longer be opened; restore it from a backup."
    )]
    KeysDestroyed,
    /// The vault must be unlocked first.
    #[error("The vault is locked. Unlock it first.")]
    Locked,
    /// Long work was stopped by locking the vault.
    #[error("Stopped because the vault was locked; nothing was kept. Unlock and start it again.")]
    Cancelled,
    /// A value given by the user was rejected.
    #[error("{field}: {problem}")]
    InvalidInput {
        /// Which field or argument.
        field: String,
        /// What is wrong and how to fix it, as a code and parameters that
        /// each surface says in its own language (its `field` is empty: the
        /// message stands on its own under a form's field). Boxed: it is
        /// the largest variant, and every `Result` would carry its size.
        problem: Box<Problem>,
    },
    /// An import file failed validation. Nothing was written.
    #[error("The file was not imported; nothing was written. {} problem(s):\n{}", problems.len(), crate::model::problem::joined(problems, "\n"))]
    ImportRejected {
        /// Each problem, naming the record, the field and the fix.
        problems: Vec<Problem>,
    },
    /// None of the user's keys opens the bundle.
    #[error(
        "This bundle is not addressed to you: none of your keys can open it. Ask the sender which key they sealed it to."
    )]
    BundleNotForYou,
    /// A self-report sealed to another organisation's intake key.
    #[error(
        "This report is not addressed to this organisation: it was sealed to another intake key. Ask the reporter to seal it again to your intake key, after comparing its fingerprint with you."
    )]
    NotAddressedToOrganisation,
    /// A bundle's signer is not among the keys the user trusts (or gave),
    /// or is not the signer the user reviewed.
    #[error("{}", untrusted_signer_message(fingerprint, *keys_given))]
    UntrustedSigner {
        /// The signer's fingerprint.
        fingerprint: String,
        /// Whether trusted keys were given (and the signer is none of them).
        keys_given: bool,
    },
    /// A record from a form failed validation. Nothing was changed.
    #[error(
        "Not saved; nothing was changed. {}",
        crate::model::problem::joined(problems, "; ")
    )]
    RecordRejected {
        /// Each problem, naming the field and the fix.
        problems: Vec<Problem>,
    },
    /// The disk filled up; whatever was being written was discarded.
    #[error("The disk is full while writing {}. Nothing was kept from this attempt; free some space and try again.", path.display())]
    DiskFull {
        /// The file being written.
        path: PathBuf,
    },
    /// A file-system operation failed.
    #[error("Could not {action} {}: {source}", path.display())]
    Io {
        /// What we tried to do ("read", "create", …).
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// An internal failure: a bug, or a library error we did not expect.
    #[error("Internal error: {0}. Please report this; your vault was not changed by it.")]
    Internal(String),
}

fn untrusted_signer_message(fingerprint: &str, keys_given: bool) -> String {
    let shown = crate::crypto::fingerprint::grouped(fingerprint);
    if keys_given {
        format!(
            "This bundle is signed by {shown}, which is NOT the organisation key you trust or reviewed. Nothing was extracted or imported. Do not rely on it; ask the organisation, by phone or in person, which key they sign with."
        )
    } else {
        format!(
            "This bundle is signed by {shown}, a key you have not said you trust. Nothing was extracted or imported. Compare this fingerprint with the organisation by phone or in person, then add their key as a contact, or accept this signer explicitly."
        )
    }
}

impl Error {
    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::VaultNotFound { .. } => ErrorCode::VaultNotFound,
            Error::VaultExists { .. } => ErrorCode::VaultExists,
            Error::WrongCredential | Error::WrongCredentialCounted { .. } => {
                ErrorCode::WrongCredential
            }
            Error::Tampered { .. } => ErrorCode::Tampered,
            Error::BundleDamaged { .. } => ErrorCode::BundleDamaged,
            Error::ReportDamaged { .. } => ErrorCode::ReportDamaged,
            Error::VaultInUse => ErrorCode::VaultInUse,
            Error::NewerVersion { .. } => ErrorCode::NewerVersion,
            Error::WeakPassphrase { .. } => ErrorCode::WeakPassphrase,
            Error::InvalidRecoveryKey { .. } => ErrorCode::InvalidRecoveryKey,
            Error::KeysDestroyed => ErrorCode::KeysDestroyed,
            Error::Locked => ErrorCode::Locked,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::ImportRejected { .. } => ErrorCode::ImportRejected,
            Error::RecordRejected { .. } => ErrorCode::InvalidInput,
            Error::BundleNotForYou | Error::NotAddressedToOrganisation => {
                ErrorCode::NotAddressedToYou
            }
            Error::UntrustedSigner { .. } => ErrorCode::UntrustedSigner,
            Error::DiskFull { .. } => ErrorCode::DiskFull,
            Error::Io { .. } => ErrorCode::Io,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The validation problems of a rejected import or record, or the one
    /// problem of a rejected value, as data for a surface that says them in
    /// its own language.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::ImportRejected { problems } | Error::RecordRejected { problems } => problems,
            Error::InvalidInput { problem, .. } => std::slice::from_ref(&**problem),
            _ => &[],
        }
    }

    /// Values a translated message needs besides the code (the attempts
    /// left before a wipe), by name.
    pub fn params(&self) -> std::collections::BTreeMap<String, String> {
        let mut params = std::collections::BTreeMap::new();
        if let Error::WrongCredentialCounted { attempts_left } = self {
            params.insert("attempts_left".to_owned(), attempts_left.to_string());
        }
        params
    }

    /// Wraps an I/O error with the action and path, recognising a full disk.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if is_disk_full(&source) {
            Error::DiskFull { path }
        } else {
            Error::Io {
                action,
                path,
                source,
            }
        }
    }

    /// Shorthand for [`Error::InvalidInput`]: `problem` is a
    /// [`ProblemCode`](crate::model::problem::ProblemCode), or one with parameters.
    pub fn invalid(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            problem: Box::new(problem.into()),
        }
    }

    /// A rejected value, said of `field` instead: a check that knows only
    /// "date" refuses what the caller knows as "from". Other errors pass
    /// through.
    pub fn for_field(self, field: &str) -> Self {
        match self {
            Error::InvalidInput { problem, .. } => Error::InvalidInput {
                field: field.to_owned(),
                problem,
            },
            other => other,
        }
    }

    /// The same failure, read as an incoming self-report's damage: the
    /// bundle reader's checks (and a report's own) say "bundle" or
    /// "tampered", but a report that fails them is the sender's file, not
    /// the vault. Other errors pass through.
    pub(crate) fn into_report_damage(self) -> Self {
        match self {
            Error::Tampered { detail } | Error::BundleDamaged { detail } => {
                Error::ReportDamaged { detail }
            }
            other => other,
        }
    }

    /// The same failure, read as the vault's own damage: for a copy of an
    /// incoming file that the vault keeps and that verified when it came in.
    pub(crate) fn into_vault_damage(self) -> Self {
        match self {
            Error::BundleDamaged { detail } | Error::ReportDamaged { detail } => {
                Error::Tampered { detail }
            }
            other => other,
        }
    }

    /// Shorthand for [`Error::BundleDamaged`].
    pub fn bundle_damaged(detail: impl Into<String>) -> Self {
        Error::BundleDamaged {
            detail: detail.into(),
        }
    }

    /// Shorthand for [`Error::Tampered`].
    pub fn tampered(detail: impl Into<String>) -> Self {
        Error::Tampered {
            detail: detail.into(),
        }
    }
}

fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || e.raw_os_error() == Some(28)
        // EFBIG: the file system (or a quota on file size) refused to let
        // the file grow; to the user it is the same as a full disk.
        || e.kind() == std::io::ErrorKind::FileTooLarge
        || e.raw_os_error() == Some(27)
}

impl From<casevault_model::Error> for Error {
    /// The model's refusals are the core's own, variant for variant, so
    /// their codes and words do not depend on which layer refused.
    fn from(e: casevault_model::Error) -> Self {
        use casevault_model::Error as Model;
        match e {
            Model::InvalidInput { field, problem } => Error::InvalidInput { field, problem },
            Model::ImportRejected { problems } => Error::ImportRejected { problems },
            Model::RecordRejected { problems } => Error::RecordRejected { problems },
            Model::NewerVersion { found, supported } => Error::NewerVersion { found, supported },
            Model::Internal(detail) => Error::Internal(detail),
            // The model's error is non-exhaustive; a variant added there
            // without a twin here is a bug, reported as one.
            #[allow(unreachable_patterns)]
            other => Error::Internal(format!("model: {other}")),
        }
    }
}

impl From<rusqlite::Error> for Error {
    /// SQLCipher reports a failed page HMAC as "not a database" or
    /// "corrupt": with the right key in hand, both mean the file was damaged
    /// or modified, so they become [`Error::Tampered`].
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as Sql;
        match e.sqlite_error_code() {
            Some(Sql::NotADatabase) | Some(Sql::DatabaseCorrupt) => {
                Error::tampered("an encrypted page failed its integrity check")
            }
            Some(Sql::DiskFull) => Error::DiskFull {
                path: PathBuf::from("the vault"),
            },
            Some(Sql::DatabaseBusy) | Some(Sql::DatabaseLocked) => Error::VaultInUse,
            _ => Error::Internal(format!("database: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::problem::{Problem, ProblemCode};

    /// A refusal keeps its code, its problems and its words when the model's
    /// error becomes the core's: callers branch on the code whichever layer
    /// refused.
    #[test]
    fn model_errors_keep_their_code_and_words_in_the_core() {
        let problems = vec![Problem::of_file("", ProblemCode::FileNotUtf8).with("offset", 3)];
        let cases = [
            casevault_model::Error::invalid("date", ProblemCode::DateNoYear),
            casevault_model::Error::ImportRejected {
                problems: problems.clone(),
            },
            casevault_model::Error::RecordRejected {
                problems: problems.clone(),
            },
            casevault_model::Error::NewerVersion {
                found: 2,
                supported: 1,
            },
            casevault_model::Error::Internal("x".into()),
        ];
        let want = [
            ErrorCode::InvalidInput,
            ErrorCode::ImportRejected,
            ErrorCode::InvalidInput,
            ErrorCode::NewerVersion,
            ErrorCode::Internal,
        ];
        for (model, want) in cases.into_iter().zip(want) {
            let (code, text, problems) =
                (model.code(), model.to_string(), model.problems().to_vec());
            let core = Error::from(model);
            assert_eq!(core.code(), want, "{text}");
            assert_eq!(code, want, "{text}");
            assert_eq!(core.to_string(), text);
            assert_eq!(core.problems(), problems.as_slice());
        }
    }
}
