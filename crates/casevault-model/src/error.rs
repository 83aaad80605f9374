//! The model's error type: only what pure validation and parsing can say.
//!
//! Each variant has a twin in `casevault_core::Error` with the same fields
//! and the same words; the core converts one into the other, so a caller of
//! the core sees the same error codes whether the model or the vault
//! refused.

use serde::Serialize;

use crate::problem::Problem;

/// Result alias for the model.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable, machine-readable error codes. The UI branches on these, never on
/// message text. Never renumber or rename a code: add new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// No vault at the given location.
    VaultNotFound,
    /// A vault already exists where one was to be created.
    VaultExists,
    /// The passphrase or recovery key does not open the vault.
    WrongCredential,
    /// The vault (or a backup) is damaged or was modified outside Casevault.
    Tampered,
    /// Another process holds the vault open.
    VaultInUse,
    /// The vault was written by a newer Casevault.
    NewerVersion,
    /// The chosen passphrase is too weak.
    WeakPassphrase,
    /// The recovery key is malformed (typo, wrong length, bad checksum).
    InvalidRecoveryKey,
    /// The key slots were destroyed after too many failed unlocks.
    KeysDestroyed,
    /// The operation needs an unlocked vault.
    Locked,
    /// A long operation was stopped because the vault was locked (by the
    /// user, the idle timer, the screen lock or suspend); nothing of it
    /// was kept.
    Cancelled,
    /// A user-supplied value was rejected.
    InvalidInput,
    /// An import file was rejected as a whole; nothing was written.
    ImportRejected,
    /// A bundle is sealed to keys this user does not have.
    NotAddressedToYou,
    /// A bundle's signer is not a trusted key, or not the one reviewed.
    UntrustedSigner,
    /// The disk is full.
    DiskFull,
    /// Another input/output failure.
    Io,
    /// An unexpected internal failure (a bug).
    Internal,
    /// An incoming bundle is damaged or was altered: the file, not the
    /// vault. Ask the sender for a new copy.
    BundleDamaged,
    /// An incoming sealed self-report is damaged or was altered: the file,
    /// not the vault. Ask the reporter to send it again.
    ReportDamaged,
}

/// Everything the model can refuse.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
    #[error("The file was not imported; nothing was written. {} problem(s):\n{}", problems.len(), crate::problem::joined(problems, "\n"))]
    ImportRejected {
        /// Each problem, naming the record, the field and the fix.
        problems: Vec<Problem>,
    },
    /// A record from a form failed validation. Nothing was changed.
    #[error(
        "Not saved; nothing was changed. {}",
        crate::problem::joined(problems, "; ")
    )]
    RecordRejected {
        /// Each problem, naming the field and the fix.
        problems: Vec<Problem>,
    },
    /// A document in a newer format than this build reads.
    #[error(
        "This vault was written by a newer version of Casevault (format {found}; this version reads up to {supported}). Update Casevault to open it; the vault was not changed."
    )]
    NewerVersion {
        /// The version found.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// An internal failure: a bug, or a library error we did not expect.
    #[error("Internal error: {0}. Please report this; your vault was not changed by it.")]
    Internal(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`]: `problem` is a
    /// [`ProblemCode`](crate::problem::ProblemCode), or one with parameters.
    pub fn invalid(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            problem: Box::new(problem.into()),
        }
    }

    /// The stable code for this error: the one `casevault_core::Error`
    /// gives the same refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } | Error::RecordRejected { .. } => ErrorCode::InvalidInput,
            Error::ImportRejected { .. } => ErrorCode::ImportRejected,
            Error::NewerVersion { .. } => ErrorCode::NewerVersion,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The validation problems of a rejected import or record, or the one
    /// problem of a rejected value.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::ImportRejected { problems } | Error::RecordRejected { problems } => problems,
            Error::InvalidInput { problem, .. } => std::slice::from_ref(&**problem),
            _ => &[],
        }
    }
}
