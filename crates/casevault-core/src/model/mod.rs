//! The documentation model: the record types caseworkers keep, and the
//! value types they are built from.

pub mod date;
pub mod interchange;
pub mod records;
pub mod vocab;
