//! Test support shared by this crate's tests and the CLI's: real servers,
//! started from the binaries `scripts/setup` installs. Built only for tests
//! (the `test-support` feature).

pub mod garage;
pub mod vault;
