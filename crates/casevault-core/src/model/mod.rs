//! The documentation model: the record types caseworkers keep, and the
//! value types they are built from. It lives in the pure `casevault-model`
//! crate; these re-exports keep `casevault_core::model::…` paths working.
//! What reads or writes the vault is in [`crate::ops`].

pub use casevault_model::{
    country, date, inflect, interchange, known, mvt, names, problem, records, romanise,
    self_report, stem, text, vocab,
};
