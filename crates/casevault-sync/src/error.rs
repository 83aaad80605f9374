//! The one error type of the sync crate.
//!
//! Every variant maps to a stable [`ErrorCode`]; callers (CLI, app, tests)
//! branch on the code, never on the text. The text is written for a
//! caseworker and says what to do next.

use serde::Serialize;

/// Result alias for the sync crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable, machine-readable error codes. Never renumber or rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// A device key (one line of text) could not be read.
    InvalidDeviceKey,
    /// A membership-log entry was signed by someone who was not an admin
    /// (or not a member) at that point.
    NotAdmin,
    /// A membership-log entry does not follow the one before it.
    BrokenChain,
    /// A signature does not verify.
    BadSignature,
    /// A membership change that the log's rules forbid (adding a member
    /// twice, removing the last admin, a wrong epoch number).
    InvalidMembership,
    /// Two different entries claim the same place in the membership log.
    LogFork,
    /// An object's author was not a member of the space at its epoch.
    NotMember,
    /// An object is sealed under an epoch key this device does not hold.
    UnknownEpoch,
    /// An object failed to decrypt or to parse: it was damaged or altered.
    Tampered,
    /// The same author sent two different objects with one sequence number.
    Equivocation,
    /// A remote address this build cannot use.
    InvalidRemote,
    /// The remote cannot be reached or refused an operation.
    RemoteIo,
    /// A user-supplied value was rejected.
    InvalidInput,
    /// The disk is full.
    DiskFull,
    /// An unexpected internal failure (a bug, or the OS random source).
    Internal,
    /// The vault refused or failed (its own error carries its code).
    Vault,
    /// The remote refused this device's credentials (an S3 key that is
    /// wrong, revoked or not allowed on the bucket).
    RemoteDenied,
}

/// Everything that can go wrong in sync.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`ErrorCode::InvalidDeviceKey`].
    #[error(
        "This is not a Casevault device key ({0}). Ask your colleague to copy the whole line from Casevault again."
    )]
    InvalidDeviceKey(&'static str),
    /// See [`ErrorCode::NotAdmin`].
    #[error(
        "A membership change in this space was signed by a device that was not an admin at that point (entry {entry}). It was refused; tell your space's admin."
    )]
    NotAdmin {
        /// Position in the log.
        entry: u64,
    },
    /// See [`ErrorCode::BrokenChain`].
    #[error(
        "The space's membership log is broken at entry {entry} ({detail}). Nothing was applied; the remote may have been tampered with. Tell your space's admin."
    )]
    BrokenChain {
        /// Position in the log.
        entry: u64,
        /// What does not match.
        detail: &'static str,
    },
    /// See [`ErrorCode::BadSignature`].
    #[error(
        "A signature in this space does not verify ({what}). It was refused and nothing was applied; the remote may have been tampered with."
    )]
    BadSignature {
        /// What was signed.
        what: &'static str,
    },
    /// See [`ErrorCode::InvalidMembership`].
    #[error("This membership change is not allowed: {0}.")]
    InvalidMembership(&'static str),
    /// See [`ErrorCode::LogFork`].
    #[error(
        "Two admins changed the space's members at the same time (entry {entry}). Sync again, then repeat your change."
    )]
    LogFork {
        /// Position in the log.
        entry: u64,
    },
    /// See [`ErrorCode::NotMember`].
    #[error(
        "A change was written by a device that was not a member of the space at that time. It was refused and nothing was applied."
    )]
    NotMember,
    /// See [`ErrorCode::UnknownEpoch`].
    #[error(
        "A change is sealed under a space key this device does not have (key {epoch}). Sync the space's membership first; if it persists, ask an admin whether you were removed."
    )]
    UnknownEpoch {
        /// The epoch the object names.
        epoch: u32,
    },
    /// See [`ErrorCode::Tampered`].
    #[error(
        "An object from the remote is damaged or was altered ({0}). It was refused and nothing was applied. Sync again; if it persists, the remote is corrupt or hostile."
    )]
    Tampered(&'static str),
    /// See [`ErrorCode::Equivocation`].
    #[error(
        "A device sent two different changes under one number. Both were kept out; tell your space's admin, the device may be compromised."
    )]
    Equivocation,
    /// See [`ErrorCode::InvalidRemote`].
    #[error(
        "Casevault cannot use this remote: {0}. Use file:///PATH to a folder, or s3://BUCKET?endpoint=https://HOST for an S3 store."
    )]
    InvalidRemote(String),
    /// See [`ErrorCode::RemoteIo`].
    #[error(
        "The remote could not be read or written ({0}). Nothing was lost; check the folder or the connection and sync again."
    )]
    RemoteIo(std::io::Error),
    /// See [`ErrorCode::InvalidInput`].
    #[error("{0}")]
    InvalidInput(&'static str),
    /// See [`ErrorCode::DiskFull`].
    #[error("The disk is full. Nothing was lost; free some space and sync again.")]
    DiskFull,
    /// See [`ErrorCode::Internal`].
    #[error("Internal error: {0}. This is a bug; please report it.")]
    Internal(String),
    /// See [`ErrorCode::Vault`]: the vault's error, unchanged.
    #[error(transparent)]
    Vault(#[from] casevault_core::Error),
    /// See [`ErrorCode::RemoteDenied`].
    #[error(
        "The S3 store refused this device's key ({0}). Check CASEVAULT_S3_KEY_ID and CASEVAULT_S3_SECRET (or the credentials file) and that the key may read and write the bucket."
    )]
    RemoteDenied(String),
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidDeviceKey(_) => ErrorCode::InvalidDeviceKey,
            Error::NotAdmin { .. } => ErrorCode::NotAdmin,
            Error::BrokenChain { .. } => ErrorCode::BrokenChain,
            Error::BadSignature { .. } => ErrorCode::BadSignature,
            Error::InvalidMembership(_) => ErrorCode::InvalidMembership,
            Error::LogFork { .. } => ErrorCode::LogFork,
            Error::NotMember => ErrorCode::NotMember,
            Error::UnknownEpoch { .. } => ErrorCode::UnknownEpoch,
            Error::Tampered(_) => ErrorCode::Tampered,
            Error::Equivocation => ErrorCode::Equivocation,
            Error::InvalidRemote(_) => ErrorCode::InvalidRemote,
            Error::RemoteIo(_) => ErrorCode::RemoteIo,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::DiskFull => ErrorCode::DiskFull,
            Error::Internal(_) => ErrorCode::Internal,
            Error::Vault(_) => ErrorCode::Vault,
            Error::RemoteDenied(_) => ErrorCode::RemoteDenied,
        }
    }

    /// An I/O failure at the remote; a full disk gets its own code.
    pub fn remote_io(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::StorageFull {
            Error::DiskFull
        } else {
            Error::RemoteIo(e)
        }
    }
}
