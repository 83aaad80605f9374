//! The UI's component tests' command host: see `casevault_app::host`.

fn main() {
    casevault_app::host::run();
}
