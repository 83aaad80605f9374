//! Import and export of interchange documents: the model's `validate`
//! against what the vault holds, then one transaction.

use serde::Serialize;

use crate::vault::Vault;
use crate::{Error, Result};

// The format itself (types, parse, validate, limits) is the model's; it is
// re-exported here so that one path names the format and what the vault
// does with it.
pub use crate::model::interchange::*;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Records written, by kind.
    pub counts: Vec<(String, usize)>,
}

/// Validates `doc` and writes it into the vault in one transaction.
pub fn import(vault: &mut Vault, doc: &Document) -> Result<ImportReport> {
    let problems = validate(doc, &vault.known_records()?);
    if !problems.is_empty() {
        return Err(Error::ImportRejected { problems });
    }
    let rows = rows_of(doc)?;
    vault.insert_records_with_ids(&rows, "imported")?;
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (kind, _, _) in &rows {
        match counts.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push(((*kind).to_owned(), 1)),
        }
    }
    Ok(ImportReport { counts })
}

/// Reads every record (trash excluded) into a document.
pub fn export(vault: &Vault) -> Result<Document> {
    Ok(Document {
        format: FORMAT.to_owned(),
        version: VERSION,
        cases: vault.all()?,
        persons: vault.all()?,
        organisations: vault.all()?,
        incidents: vault.all()?,
        proceedings: vault.all()?,
        sources: vault.all()?,
        testimonies: vault.all()?,
        interventions: vault.all()?,
    })
}
