//! Casevault's core: the encrypted vault, the documentation model, the
//! cryptography and the export bundles.
//!
//! This crate must never depend on a GUI toolkit: the Tauri shell and the
//! `casevault` CLI are thin layers over it, and CI checks with `cargo tree`
//! that no `tauri`, `wry` or `webkit` crate is reachable from here.
//!
//! Business logic asks the vault's [`session::Session`] for the time and the
//! author of a change instead of reading the clock or the environment, so
//! that tests are deterministic (a `clippy.toml` lint keeps it so).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build_info;
pub mod bundle;
pub mod cancel;
pub mod crypto;
pub mod error;
pub mod evidence;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod harden;
pub mod input;
pub mod model;
pub mod ops;
pub mod private_fs;
pub mod secret;
pub mod session;
pub mod vault;

pub use error::{Error, ErrorCode, Result};
pub use session::{Clock, ManualClock, Session};

/// The version of this crate, which is the version of the vault format code.
pub const CORE_VERSION: &str = env!("CARGO_PKG_VERSION");
