//! The documentation model: the record types caseworkers keep, and the
//! value types they are built from.

pub mod date;
pub mod vocab;
