//! What the vault and a space's replica last agreed on, record by record:
//! a sync sends from the vault, or writes into it, only what differs.
//!
//! Stored as rows (migration 15), each written when it changes: at 10,000
//! records the map is a megabyte, and while it sat in the space's state
//! JSON every save of a sync rewrote it whole, for a sync that changed one
//! record.

use std::collections::{BTreeMap, BTreeSet};

use casevault_core::vault::spaces::AgreedRows;

/// Record id (or an evidence file's key in the replica) → hex SHA-256 of
/// the state last agreed, with what changed since the last save.
#[derive(Default)]
pub(crate) struct Agreed {
    hashes: BTreeMap<String, String>,
    changed: BTreeSet<String>,
    clear: bool,
}

impl Agreed {
    /// As the vault stores it.
    pub(crate) fn from_rows(rows: Vec<(String, String)>) -> Self {
        Self {
            hashes: rows.into_iter().collect(),
            ..Self::default()
        }
    }

    /// Takes in the map a vault of schema 14 or older kept in the state
    /// JSON; it goes into rows at the next save.
    pub(crate) fn adopt_legacy(&mut self, legacy: BTreeMap<String, String>) {
        for (id, hash) in legacy {
            self.insert(id, hash);
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&String> {
        self.hashes.get(id)
    }

    pub(crate) fn contains_key(&self, id: &str) -> bool {
        self.hashes.contains_key(id)
    }

    /// Records that `id` was agreed in the state hashed `hash`.
    pub(crate) fn insert(&mut self, id: String, hash: String) {
        if self.hashes.get(&id) != Some(&hash) {
            self.changed.insert(id.clone());
            self.hashes.insert(id, hash);
        }
    }

    /// Forgets everything (the space was unloaded from this device).
    pub(crate) fn clear(&mut self) {
        self.hashes.clear();
        self.changed.clear();
        self.clear = true;
    }

    /// What to write at the next save.
    pub(crate) fn pending_rows(&self) -> AgreedRows {
        AgreedRows {
            clear: self.clear,
            set: self
                .changed
                .iter()
                .filter_map(|id| Some((id.clone(), self.hashes.get(id)?.clone())))
                .collect(),
        }
    }

    /// The rows of [`Agreed::pending_rows`] were written.
    pub(crate) fn rows_saved(&mut self) {
        self.changed.clear();
        self.clear = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_changed_since_the_last_save_is_written() {
        let mut agreed = Agreed::from_rows(vec![("a".into(), "1".into())]);
        agreed.insert("a".into(), "1".into());
        assert!(agreed.pending_rows().set.is_empty(), "the same hash again");
        agreed.insert("a".into(), "2".into());
        agreed.insert("b".into(), "3".into());
        let rows = agreed.pending_rows();
        assert!(!rows.clear);
        assert_eq!(
            rows.set,
            [("a".to_owned(), "2".to_owned()), ("b".into(), "3".into())]
        );
        agreed.rows_saved();
        assert!(agreed.pending_rows().set.is_empty());
        assert_eq!(agreed.get("a").map(String::as_str), Some("2"));

        agreed.clear();
        agreed.insert("c".into(), "4".into());
        let rows = agreed.pending_rows();
        assert!(rows.clear, "an unload deletes the stored rows first");
        assert_eq!(rows.set, [("c".to_owned(), "4".to_owned())]);
        assert!(!agreed.contains_key("a"));
    }

    #[test]
    fn a_legacy_map_is_written_at_the_next_save() {
        let mut agreed = Agreed::default();
        agreed.adopt_legacy(BTreeMap::from([("a".into(), "1".into())]));
        assert_eq!(
            agreed.pending_rows().set,
            [("a".to_owned(), "1".to_owned())]
        );
    }
}
