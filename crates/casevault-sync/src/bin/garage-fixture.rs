//! One Garage node for the e2e and component tests of the app, which are
//! not Rust and cannot hold a [`Garage`] themselves: starts it with the
//! test harness, prints one JSON line on stdout
//! (`{"endpoint", "port", "bucket", "address", "key_id", "secret"}`), and
//! stops it when its standard input closes (the test ended, or died: a
//! killed parent closes the pipe too, so no Garage outlives its test).
//! Exits 3, printing nothing, when Garage is missing and
//! `CASEVAULT_SKIP_GARAGE=1` is set, so the test can skip.

// Its one output is the line the test reads.
#![allow(clippy::print_stdout)]

use std::io::{Read, Write};

use casevault_sync::testing::garage::{BUCKET, Garage};

fn main() {
    let Some(garage) = Garage::start() else {
        std::process::exit(3);
    };
    let port = garage.nodes()[0].s3_port;
    let line = serde_json::json!({
        "endpoint": format!("http://127.0.0.1:{port}"),
        "port": port,
        "bucket": BUCKET,
        "address": garage.address(),
        "key_id": garage.key_id(),
        "secret": garage.secret(),
    });
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
        return;
    }
    drop(out);
    // Whatever arrives is ignored; only the end of input matters.
    let mut sink = [0u8; 256];
    let mut stdin = std::io::stdin().lock();
    while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
    drop(garage);
}
