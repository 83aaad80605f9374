//! The documentation model: the record types caseworkers keep, and the
//! value types they are built from.

pub mod browse;
pub mod date;
pub mod edit;
pub mod inflect;
pub mod interchange;
pub mod mvt;
pub mod names;
pub mod problem;
pub mod records;
pub mod romanise;
pub mod search;
pub mod self_report;
pub mod stem;
pub mod text;
pub mod vocab;

/// The name recorded as the author of changes made on this machine: the
/// operating-system login, which is what a caseworker's desktop knows them
/// by. Callers may pass any other name instead.
pub fn os_user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "caseworker".into())
}
