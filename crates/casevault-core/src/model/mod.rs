//! The documentation model: the record types caseworkers keep, and the
//! value types they are built from. It lives in the pure `casevault-model`
//! crate; these re-exports keep `casevault_core::model::…` paths working.
//! What reads or writes the vault is in [`crate::ops`].

pub use casevault_model::{
    date, inflect, interchange, known, mvt, names, problem, records, romanise, self_report, stem,
    text, vocab,
};

/// The name recorded as the author of changes made on this machine: the
/// operating-system login, which is what a caseworker's desktop knows them
/// by. Callers may pass any other name instead.
pub fn os_user_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "caseworker".into())
}
