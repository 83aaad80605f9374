//! Casevault's documentation model: the records caseworkers keep and the
//! rules they obey, as pure data.
//!
//! Records, uncertain dates, controlled vocabularies, names across scripts,
//! an activist's self-report answers, MVT summaries and the interchange
//! format with its validation and limits. Nothing here opens a database,
//! decrypts, or touches the file system: `casevault-core` stores and seals
//! what this crate describes, and `scripts/test` checks with `cargo tree`
//! that no SQLite, age or GUI crate is reachable from here.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod country;
pub mod date;
pub mod error;
pub mod inflect;
pub mod interchange;
pub mod known;
pub mod mvt;
pub mod names;
pub mod problem;
pub mod protections;
pub mod records;
pub mod romanise;
pub mod self_report;
pub mod stem;
pub mod text;
pub mod vocab;

pub use error::{Error, ErrorCode, Result};
