//! Operations on an open vault, built from the pure model and the storage
//! layer: what the CLI and the app call to browse, edit, search, import and
//! export records.

pub mod browse;
pub mod edit;
pub mod interchange;
pub mod search;
