//! What validation needs to know about records outside the document being
//! checked: which ids exist, of what kind, and which are in the trash.
//!
//! The model never reads the vault itself; the vault answers through
//! [`RecordKinds`], and [`KnownRecords`] is the snapshot it hands over.

use std::collections::{HashMap, HashSet};

/// Records that exist besides the ones being validated.
pub trait RecordKinds {
    /// The kind of record `id` (`"case"`, `"person"`…), trashed or not;
    /// `None` when no such record exists.
    fn kind_of(&self, id: &str) -> Option<&str>;
    /// Whether record `id` is in the trash.
    fn is_trashed(&self, id: &str) -> bool;
}

/// What the vault already holds, for validating references: every id with
/// its kind, and which of them are in the trash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownRecords {
    /// Record kind by id, trashed or not.
    pub kinds: HashMap<String, String>,
    /// Ids of records in the trash.
    pub trashed: HashSet<String>,
}

impl RecordKinds for KnownRecords {
    fn kind_of(&self, id: &str) -> Option<&str> {
        self.kinds.get(id).map(String::as_str)
    }

    fn is_trashed(&self, id: &str) -> bool {
        self.trashed.contains(id)
    }
}
