//! Integration tests of the core against real vault files, real SQLCipher
//! and real child processes.

// Tests report seeds and progress on stderr.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod common;

mod backup;
mod bundles;
mod canary;
mod codes;
mod consent;
mod crash;
mod custody_proofs;
mod dossier;
mod editing;
mod evidence;
mod fuzz_regressions;
mod intake;
mod interchange;
mod lifecycle;
mod migrations;
mod redaction;
mod refs;
mod s3_key;
mod search;
mod search_eval;
mod tamper;
