//! Integration tests of the core against real vault files, real SQLCipher
//! and real child processes.

mod common;

mod backup;
mod canary;
mod crash;
mod lifecycle;
mod migrations;
mod tamper;
