//! Casevault team spaces: the protocol layer.
//!
//! A *space* is a set of cases shared by its members' vaults through a
//! *remote* (a folder, later an S3 bucket) that is trusted with nothing:
//! it holds only sealed objects under keyed-hash names. This crate holds
//! the parts that do not touch a vault: device keys ([`device`]), the
//! membership log and its epoch keys ([`log`]), sealed objects
//! ([`object`]), remotes ([`remote`]) and a replica's merge rule
//! ([`replica`]). docs/SYNC.md describes the design.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod agreed;
pub mod device;
mod encode;
pub mod error;
pub mod files;
pub mod keys;
pub mod log;
pub mod merge;
pub mod object;
pub mod relay;
pub mod remote;
pub mod replica;
pub mod review;
pub mod spaces;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod transport;

pub use error::{Error, ErrorCode, Result};
