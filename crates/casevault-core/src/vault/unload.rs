//! Secure deletion of a set of records from this device, for a team space
//! unloaded before a border crossing (travel mode, issue 18): the records,
//! every version, their search and name index rows, their references,
//! the form drafts kept for them, and their attachments' rows and
//! encrypted files.
//!
//! This is the self-report deletion path (`self_reports.rs`) applied to
//! records: `secure_delete` (on for every session, `db.rs`) zeroes freed
//! cells, the full-text indexes are merged so no old segment keeps a
//! deleted term, files are overwritten before removal (`shred_blob`), and
//! the database is vacuumed and its WAL truncated (`compact`), so that not
//! even someone who later forces the passphrase out of its owner reads the
//! content back from the files.
//!
//! Unlike a self-report, records have custody entries, and the custody log
//! is append-only and hash-chained: their entries stay (ids, kinds, times,
//! actors, digests, and the notes typed for amendments, trash and
//! attachments). Each deleted record and attachment gets an `unload` entry,
//! which tells `audit verify` that its absence is expected.

use std::collections::BTreeSet;

use rusqlite::{Transaction, params};

use super::Vault;
use super::custody::{self, CustodyAction, NewEntry};
use crate::Result;

/// What the deletion removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Unloaded {
    /// Records deleted.
    pub records: usize,
    /// Attachments (rows and encrypted files) deleted.
    pub attachments: usize,
}

/// Ids of the attachments of `ids`, derived copies included.
pub(crate) fn attachments_of(tx: &rusqlite::Connection, ids: &[String]) -> Result<Vec<String>> {
    let mut out = BTreeSet::new();
    let mut stmt = tx.prepare_cached("SELECT id FROM attachments WHERE record_id = ?1")?;
    for id in ids {
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        for row in rows {
            out.insert(row?);
        }
    }
    Ok(out.into_iter().collect())
}

/// Deletes `ids` (records that exist) inside `tx`, with their versions,
/// index rows, references and attachment rows, and writes one `unload`
/// custody entry per record and attachment (`detail`: why, with no case
/// content). Returns the attachment ids whose files the caller shreds
/// after the commit.
pub(crate) fn delete_records_in(
    tx: &Transaction<'_>,
    ids: &[String],
    actor: &str,
    now: chrono::DateTime<chrono::Utc>,
    detail: &str,
) -> Result<Vec<String>> {
    let attachments = attachments_of(tx, ids)?;
    // Derived copies point at their originals: delete them first.
    tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS unload_attachments (id TEXT PRIMARY KEY)")?;
    tx.execute("DELETE FROM temp.unload_attachments", [])?;
    for a in &attachments {
        tx.execute("INSERT INTO temp.unload_attachments (id) VALUES (?1)", [a])?;
    }
    loop {
        let n = tx.execute(
            "DELETE FROM attachments WHERE id IN (SELECT id FROM temp.unload_attachments)
             AND id NOT IN (SELECT derived_from FROM attachments WHERE derived_from IS NOT NULL)",
            [],
        )?;
        if n == 0 {
            break;
        }
    }
    tx.execute("DROP TABLE temp.unload_attachments", [])?;
    for a in &attachments {
        custody::append(
            tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::Unload,
                target: Some(a),
                target_kind: Some("attachment"),
                digest: None,
                detail: Some(detail),
            },
        )?;
    }
    for id in ids {
        let (rowid, kind): (i64, String) =
            tx.query_row("SELECT rowid, kind FROM records WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        // Not live any more: drops its name keys and search keys.
        super::name_index::reindex(tx, id, &kind, "{}", false)?;
        tx.execute("DELETE FROM search_fts WHERE rowid = ?1", [rowid])?;
        tx.execute("DELETE FROM record_refs WHERE from_id = ?1", [id])?;
        tx.execute("DELETE FROM record_cases WHERE record_id = ?1", [id])?;
        tx.execute("DELETE FROM record_versions WHERE record_id = ?1", [id])?;
        tx.execute("DELETE FROM records WHERE id = ?1", [id])?;
        // Forms in progress for it (the app's keys are `kind:<case id>`).
        tx.execute(
            "DELETE FROM drafts WHERE substr(key, instr(key, ':') + 1) = ?1",
            [id],
        )?;
        custody::append(
            tx,
            NewEntry {
                at: now,
                actor,
                action: CustodyAction::Unload,
                target: Some(id),
                target_kind: Some(&kind),
                digest: None,
                detail: Some(detail),
            },
        )?;
    }
    // Transliteration keys of names no person has any more: typo search
    // compares queries with this set, so it would still spell the names.
    tx.execute(
        "DELETE FROM name_key_set WHERE key NOT IN (SELECT key FROM person_name_keys)",
        params![],
    )?;
    // A deleted row's terms stay in the full-text indexes' old segments
    // until they are merged; merge them all now.
    tx.execute(
        "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
        [],
    )?;
    if tx
        .prepare("SELECT 1 FROM sqlite_master WHERE name = 'search_keys'")?
        .exists([])?
    {
        tx.execute(
            "INSERT INTO search_keys (search_keys) VALUES ('optimize')",
            [],
        )?;
    }
    Ok(attachments)
}

impl Vault {
    /// After a deletion committed: overwrites and removes the attachments'
    /// files, then rewrites the database without free pages and empties
    /// the WAL, so the deleted content survives nowhere in the files.
    pub(crate) fn finish_secure_deletion(&mut self, attachments: &[String]) -> Result<()> {
        for a in attachments {
            self.shred_blob(a)?;
        }
        self.compact()
    }
}

#[cfg(test)]
mod tests {
    //! Checked from the inside, as in `self_reports.rs`: with the passphrase
    //! and raw SQL, as someone who seized the laptop and forced the
    //! passphrase out of its owner could. The same checks find the canaries
    //! before the unload, so they can fail.

    use std::path::Path;

    use serde_json::json;

    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;
    use crate::vault::attachments::AttachRequest;
    use crate::vault::forensics::{decrypted_content, has};

    fn new_vault(dir: &Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("unload test passphrase: amber lantern 2031");
        Vault::create(dir, &pass, &options, crate::session::testing::session())
            .unwrap()
            .0
    }

    fn count(vault: &Vault, sql: &str) -> i64 {
        vault.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn unloading_a_space_leaves_nothing_of_its_records_in_the_vault_s_files() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("v");
        let scratch = root.path().join("scratch");
        std::fs::create_dir(&scratch).unwrap();
        let mut vault = new_vault(&dir);
        // Lowercase single words: each is also one term of the full-text
        // index, whose old segments keep deleted terms until merged.
        let canary = "unloadcanary5v8q";
        let name = "Zhanargulova";
        let consent = json!({"record": true, "share_lawyers": false, "share_courts": false,
            "share_un": false, "share_media": false, "publish": false});
        vault
            .insert_records_with_ids(
                &[
                    (
                        "case",
                        "c-space",
                        json!({"id": "c-space", "title": "Shared case", "status": "open"}),
                    ),
                    (
                        "case",
                        "c-home",
                        json!({"id": "c-home", "title": "Home case", "status": "open"}),
                    ),
                    (
                        "person",
                        "p-space",
                        json!({"id": "p-space",
                        "names": [{"name": format!("Aru {name}"), "kind": "primary"}],
                        "case_roles": [{"case": "c-space", "role": "victim"}]}),
                    ),
                    (
                        "person",
                        "p-both",
                        json!({"id": "p-both",
                        "names": [{"name": "Kept Person", "kind": "primary"}],
                        "case_roles": [{"case": "c-space", "role": "witness"},
                                       {"case": "c-home", "role": "victim"}]}),
                    ),
                    // Only in the shared case, but a victim of an incident
                    // of the home case: kept, so that nothing dangles.
                    (
                        "person",
                        "p-ref",
                        json!({"id": "p-ref",
                        "names": [{"name": "Referred Person", "kind": "primary"}],
                        "case_roles": [{"case": "c-space", "role": "victim"}]}),
                    ),
                    (
                        "incident",
                        "i-home",
                        json!({"id": "i-home", "case": "c-home", "title": "At home",
                        "act_type": "assault", "start": "2024", "victims": ["p-ref"]}),
                    ),
                    (
                        "testimony",
                        "t-space",
                        json!({"id": "t-space", "case": "c-space",
                        "person": "p-space", "language": "en", "consent": consent,
                        "statement": format!("first draft {canary}")}),
                    ),
                ],
                "imported",
            )
            .unwrap();
        // Old versions must not survive in the history or in freed pages.
        for i in 0..3 {
            vault
                .amend_record(
                    "t-space",
                    &json!({"id": "t-space", "case": "c-space", "person": "p-space",
                        "language": "en", "consent": consent,
                        "statement": format!("{canary} {} version {i}", "long words ".repeat(300))}),
                    "typo",
                )
                .unwrap();
        }
        let file = scratch.join("evidence.txt");
        std::fs::write(&file, format!("{canary} evidence bytes")).unwrap();
        let attachment = vault
            .attach(
                AttachRequest {
                    record_id: "t-space",
                    source: &file,
                    derived_from: None,
                    note: None,
                },
                |_, _| {},
            )
            .unwrap();
        std::fs::remove_file(&file).unwrap();
        vault
            .save_draft("testimony:c-space", &json!({"typing": canary}))
            .unwrap();
        let space = vault
            .insert_space(
                "S",
                "00",
                "[]",
                "{}",
                &Default::default(),
                &["c-space".into()],
            )
            .unwrap();
        let blob = dir
            .join("attachments")
            .join(format!("{}.age", attachment.id));
        assert!(blob.exists());
        let before = decrypted_content(&vault, &scratch);
        assert!(
            has(&before, canary) && has(&before, name),
            "the check finds them"
        );

        let set = vault.space_unload_set(space).unwrap();
        assert_eq!(
            set,
            ["c-space", "p-space", "t-space"],
            "p-both and p-ref stay"
        );
        let done = vault
            .unload_space(
                space,
                &set,
                "[]",
                "{}",
                &Default::default(),
                &Default::default(),
            )
            .unwrap();
        assert_eq!(
            done,
            Unloaded {
                records: 3,
                attachments: 1
            }
        );

        let after = decrypted_content(&vault, &scratch);
        for needle in [canary, name, &name.to_lowercase()] {
            assert!(!has(&after, needle), "{needle} is still in the database");
        }
        assert_eq!(count(&vault, "PRAGMA freelist_count"), 0);
        assert_eq!(count(&vault, "PRAGMA secure_delete"), 1);
        let wal = super::super::wal_path(&vault.paths().database());
        assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
        assert!(!blob.exists(), "the evidence file is gone");
        for f in walk(&dir) {
            let bytes = std::fs::read(&f).unwrap();
            assert!(!has(&bytes, canary), "canary in {}", f.display());
        }
        for table in [
            "record_versions",
            "record_cases",
            "record_refs",
            "attachments",
        ] {
            let n = count(
                &vault,
                &format!(
                    "SELECT count(*) FROM {table} WHERE {} IN ('c-space', 'p-space', 't-space')",
                    match table {
                        "record_refs" => "from_id",
                        "attachments" | "record_cases" | "record_versions" => "record_id",
                        _ => unreachable!(),
                    }
                ),
            );
            assert_eq!(n, 0, "{table}");
        }
        assert!(
            vault.draft_keys().unwrap().is_empty(),
            "the form draft is gone"
        );
        for kept in ["p-both", "p-ref", "i-home", "c-home"] {
            assert!(vault.get_record(kept).unwrap().is_some(), "{kept}");
        }
        assert!(vault.get_record("c-home").unwrap().is_some());
        assert_eq!(vault.space_cases(space).unwrap(), Vec::<String>::new());
        // The custody log says what was unloaded, and audit verify holds.
        let entries = vault.custody_log(None).unwrap();
        let unloaded: Vec<_> = entries
            .iter()
            .filter(|e| e.action == CustodyAction::Unload.code())
            .map(|e| e.target.clone().unwrap())
            .collect();
        assert_eq!(unloaded.len(), 4, "{unloaded:?}");
        assert!(unloaded.contains(&attachment.id));
        let report = vault.audit_verify(true, |_, _| {}).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn a_row_brought_back_without_an_entry_is_reported() {
        let root = tempfile::tempdir().unwrap();
        let mut vault = new_vault(&root.path().join("v"));
        vault
            .insert_records_with_ids(
                &[(
                    "case",
                    "c-1",
                    json!({"id": "c-1", "title": "T", "status": "open"}),
                )],
                "imported",
            )
            .unwrap();
        let space = vault
            .insert_space("S", "00", "[]", "{}", &Default::default(), &["c-1".into()])
            .unwrap();
        vault
            .unload_space(
                space,
                &["c-1".into()],
                "[]",
                "{}",
                &Default::default(),
                &Default::default(),
            )
            .unwrap();
        assert!(
            vault
                .audit_verify(false, |_, _| {})
                .unwrap()
                .problems
                .is_empty()
        );
        // Someone with the key and their own tools puts the row back.
        vault
            .conn
            .execute(
                "INSERT INTO records (id, kind, version, data, created_at, created_by, updated_at, updated_by)
                 VALUES ('c-1', 'case', 1, '{}', 'x', 'x', 'x', 'x')",
                [],
            )
            .unwrap();
        let problems = vault.audit_verify(false, |_, _| {}).unwrap().problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, custody::AuditProblemCode::NoEntry);
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
        out
    }
}
