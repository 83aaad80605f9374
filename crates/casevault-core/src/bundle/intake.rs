//! The organisation's side of intake: sealed self-reports arrive in an
//! inbox, are reviewed, and are accepted into a new or an existing case,
//! or rejected with a reason. Every step is in the custody log.
//!
//! On arrival the sealed file is read once: as it is verified, every byte
//! read is copied into the vault (`intake/`, still encrypted to the intake
//! key), so what was checked is exactly what is kept. Its evidence stays there until the
//! report is accepted; it is then streamed into the vault's evidence store
//! straight from the sealed copy, verified again, never as plaintext.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use super::read::{self, Unseal, Verification};
use super::seal::{KIND, REPORT_FORMAT, SealedReport};
use crate::model::date::FuzzyDate;
use crate::model::interchange::{self, Document};
use crate::model::problem::{ProblemCode, not_found};
use crate::model::records::{Case, CaseRole, Person, Record, RefMut, Source};
use crate::model::self_report::reporter_pseudonym;
use crate::ops::search::{self, PersonHit};
use crate::vault::Vault;
use crate::vault::blobs::BlobSink;
use crate::vault::inbox::{AcceptedReport, InboxFilter, InboxRow, ReceivedReport};
use crate::{Error, Result};

pub use crate::vault::inbox::IntakeStatus;

/// Directory under the vault holding received sealed reports.
const DIR: &str = "intake";
/// The longest rejection reason.
const MAX_REASON: usize = 2000;

/// A report in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InboxItem {
    /// The bundle's id.
    pub bundle_id: String,
    /// When it arrived here.
    pub received_at: String,
    /// When the reporter sealed it.
    pub sealed_at: String,
    /// The reporter key's fingerprint.
    pub reporter_fingerprint: String,
    /// The name the reporter gave, or their pseudonym.
    pub reporter_name: String,
    /// What happened, in a line.
    pub summary: String,
    /// Evidence files.
    pub files: u32,
    /// Where it stands.
    pub status: IntakeStatus,
    /// The case it was accepted into.
    pub case_id: Option<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// When it was decided (RFC 3339, UTC), for the reader's calendar.
    pub decided_at: Option<String>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// Earlier reports signed with the same key.
    pub earlier_reports: u32,
}

/// Everything a caseworker needs to decide.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IntakeReview {
    /// The inbox entry.
    pub item: InboxItem,
    /// The report as records.
    pub data: Document,
    /// The answers and files, as the reporter gave them.
    pub report: SealedReport,
    /// Other reports signed with the same key, oldest first.
    pub same_reporter: Vec<InboxItem>,
    /// Cases earlier reports from this reporter went into.
    pub reporter_cases: Vec<String>,
    /// Persons already in the vault whose names match the reporter's.
    pub person_matches: Vec<PersonHit>,
}

/// Where to accept a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AcceptInto {
    /// An existing case, or None for a new case.
    pub case_id: Option<String>,
    /// An existing person who is the reporter, or None for a new person.
    pub person_id: Option<String>,
}

fn intake_dir(vault: &Vault) -> PathBuf {
    vault.paths().dir.join(DIR)
}

fn sealed_copy(vault: &Vault, bundle_id: &str) -> PathBuf {
    intake_dir(vault).join(format!("{bundle_id}.age"))
}

fn unseal(vault: &Vault) -> Result<Unseal> {
    let ids = vault.identity_secrets()?;
    if ids.is_empty() {
        return Err(Error::invalid("identity", ProblemCode::NoIntakeKey));
    }
    Ok(Unseal::Identities(ids))
}

fn not_ours(e: Error) -> Error {
    match e {
        Error::BundleNotForYou => Error::NotAddressedToOrganisation,
        other => other,
    }
}

/// Reads and checks a self-report bundle; with `evidence`, streams its
/// files to the sink.
fn read_report(
    path: &Path,
    unseal: &Unseal,
    evidence: Option<read::EvidenceSink<'_>>,
    copy_to: Option<&mut fs::File>,
) -> Result<(Verification, Document, SealedReport)> {
    let (v, kept) = read::read_contents(
        path,
        unseal,
        &[],
        &["data.json", "report.json"],
        evidence,
        copy_to,
    )
    .map_err(not_ours)?;
    report_from(v, kept)
}

/// The self-report inside a verified bundle. The reporter signs with their
/// own key, so a valid signature proves nothing about these bytes: this is
/// outside input in full (and a fuzz target).
pub(crate) fn report_from(
    v: Verification,
    mut kept: BTreeMap<String, zeroize::Zeroizing<Vec<u8>>>,
) -> Result<(Verification, Document, SealedReport)> {
    if v.manifest.kind != KIND {
        return Err(Error::invalid(
            "bundle",
            ProblemCode::NotASelfReport.with("kind", &v.manifest.kind),
        ));
    }
    let damaged = |what: &str| {
        Error::tampered(format!(
            "the report is damaged or was changed ({what}); ask the reporter to seal it again"
        ))
    };
    let data = kept
        .remove("data.json")
        .ok_or_else(|| damaged("data.json is missing"))?;
    let report = kept
        .remove("report.json")
        .ok_or_else(|| damaged("report.json is missing"))?;
    let mut doc = interchange::parse(&data)?;
    // A report stands alone: it may not point at records it does not
    // carry. Otherwise a crafted report could slip an incident into any
    // case of this vault whose id it guessed.
    let dangling = interchange::validate(&doc, &crate::vault::KnownRecords::default());
    if !dangling.is_empty() || doc.cases.len() != 1 || doc.persons.is_empty() {
        return Err(damaged(&format!(
            "a self-report holds one case, its reporter and records that refer only to each other{}",
            dangling
                .first()
                .map(|p| format!(": {p}"))
                .unwrap_or_default()
        )));
    }
    let report: SealedReport =
        serde_json::from_slice(&report).map_err(|e| damaged(&format!("report.json: {e}")))?;
    if report.format != REPORT_FORMAT {
        return Err(damaged("report.json is not a self-report"));
    }
    // Consent is what the reporter ticked, on the day they sealed it: the
    // answers the caseworker reviews, not whatever data.json claims.
    let sealed_on: FuzzyDate = DateTime::parse_from_rfc3339(&v.manifest.created_at)
        .map_err(|_| damaged("the seal date is not a date"))?
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
        .parse()?;
    report
        .answers
        .apply_consent(&mut doc, &report.report_id, sealed_on);
    for f in &report.files {
        if !v
            .manifest
            .files
            .iter()
            .any(|m| m.path == f.path && m.sha256 == f.file.sha256 && m.size == f.file.size)
        {
            return Err(damaged(&format!(
                "{} is not the file the report lists",
                f.path
            )));
        }
    }
    Ok((v, doc, report))
}

/// 16 random bytes in lowercase hex, as `seal` and `write` make them.
fn is_bundle_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Receives a sealed self-report into the inbox: reads it once, decrypting
/// it with the organisation's intake key and verifying the signature and
/// every hash while copying it into the vault, and queues it for review.
/// A report received before is refused and nothing is duplicated.
pub fn receive(vault: &mut Vault, path: &Path) -> Result<InboxItem> {
    let actor = &vault.actor();
    let now = vault.now();
    let unseal = unseal(vault)?;
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::invalid(
            "bundle",
            ProblemCode::FileMissing.with("path", path.display()),
        ),
        _ => Error::io("read", path, e),
    })?;
    if meta.is_dir() {
        return Err(Error::invalid(
            "bundle",
            ProblemCode::FileIsFolder.with("path", path.display()),
        ));
    }
    let dir = intake_dir(vault);
    fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let partial = dir.join(format!(
        "{}.partial",
        data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<8>()?)
    ));
    let result = (|| {
        // One read of the file both verifies it and makes the vault's copy.
        let mut copy = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .map_err(|e| Error::io("create", &partial, e))?;
        let (v, doc, report) =
            read_report(path, &unseal, None, Some(&mut copy)).map_err(Error::into_report_damage)?;
        copy.sync_all()
            .map_err(|e| Error::io("write", &partial, e))?;
        drop(copy);
        let id = &v.manifest.bundle_id;
        // The id names the kept copy (intake/<id>.age) and backups accept
        // only that shape, so it must be exactly what Casevault writes.
        if !is_bundle_id(id) {
            return Err(Error::tampered(
                "the report's id is not one Casevault writes (32 lowercase hex digits)",
            ));
        }
        if let Some(item) = item(vault, id)? {
            let status = match item.status {
                IntakeStatus::Pending => "pending",
                IntakeStatus::Accepted => "accepted",
                IntakeStatus::Rejected => "rejected",
            };
            return Err(Error::invalid(
                "bundle",
                ProblemCode::AlreadyReceived
                    .with("id", id)
                    .with("date", item.received_at)
                    .with("status", status)
                    .with("case", item.case_id.unwrap_or_default()),
            ));
        }
        let data = serde_json::to_string(&doc).map_err(|e| Error::Internal(e.to_string()))?;
        let report_text =
            serde_json::to_string(&report).map_err(|e| Error::Internal(e.to_string()))?;
        let target = sealed_copy(vault, id);
        vault.file_received_report(
            ReceivedReport {
                bundle_id: id,
                sealed_at: &v.manifest.created_at,
                reporter_fingerprint: &v.signer_fingerprint,
                reporter_key: &v.manifest.organisation.public_key,
                data: &data,
                report: &report_text,
                files: report.files.len(),
                copy: &partial,
                kept_at: &target,
            },
            actor,
            now,
        )?;
        Ok(id.clone())
    })();
    let id = match result {
        Ok(id) => id,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    item(vault, &id)?.ok_or_else(|| Error::Internal("inbox entry vanished".into()))
}

struct Row {
    item: InboxItem,
    data: String,
    report: String,
}

fn rows(vault: &Vault, filter: InboxFilter<'_>) -> Result<Vec<Row>> {
    vault
        .inbox_rows(filter)?
        .into_iter()
        .map(|r: InboxRow| {
            let mut row = Row {
                item: InboxItem {
                    bundle_id: r.bundle_id,
                    received_at: r.received_at,
                    sealed_at: r.sealed_at,
                    reporter_fingerprint: r.reporter_fingerprint,
                    reporter_name: String::new(),
                    summary: String::new(),
                    files: 0,
                    status: r.status,
                    case_id: r.case_id,
                    reason: r.reason,
                    decided_at: r.decided_at,
                    decided_by: r.decided_by,
                    earlier_reports: r.earlier_reports,
                },
                data: r.data,
                report: r.report,
            };
            let (doc, report) = parse_row(&row)?;
            row.item.reporter_name = doc
                .persons
                .first()
                .and_then(|p| p.primary_name().map(str::to_owned))
                .unwrap_or_default();
            row.item.summary = doc
                .incidents
                .first()
                .map(|i| format!("{} ({})", i.title, i.start))
                .unwrap_or_default();
            row.item.files = report.files.len() as u32;
            Ok(row)
        })
        .collect()
}

fn parse_row(row: &Row) -> Result<(Document, SealedReport)> {
    let doc: Document = serde_json::from_str(&row.data)
        .map_err(|_| Error::tampered("a stored intake report is not valid"))?;
    let report: SealedReport = serde_json::from_str(&row.report)
        .map_err(|_| Error::tampered("a stored intake report is not valid"))?;
    Ok((doc, report))
}

fn item(vault: &Vault, bundle_id: &str) -> Result<Option<InboxItem>> {
    Ok(rows(vault, InboxFilter::Bundle(bundle_id))?
        .pop()
        .map(|r| r.item))
}

/// The inbox, newest first.
pub fn inbox(vault: &Vault) -> Result<Vec<InboxItem>> {
    Ok(rows(vault, InboxFilter::All)?
        .into_iter()
        .map(|r| r.item)
        .collect())
}

/// One report with what helps to decide: other reports from the same key,
/// the cases they went into, and persons whose names match.
pub fn review(vault: &Vault, bundle_id: &str) -> Result<IntakeReview> {
    let row = rows(vault, InboxFilter::Bundle(bundle_id))?
        .pop()
        .ok_or_else(|| no_report(bundle_id))?;
    let (data, report) = parse_row(&row)?;
    let same_reporter: Vec<InboxItem> =
        rows(vault, InboxFilter::Reporter(&row.item.reporter_fingerprint))?
            .into_iter()
            .map(|r| r.item)
            .filter(|i| i.bundle_id != bundle_id)
            .rev()
            .collect();
    let mut reporter_cases: Vec<String> = Vec::new();
    for c in same_reporter.iter().filter_map(|i| i.case_id.clone()) {
        if !reporter_cases.contains(&c) {
            reporter_cases.push(c);
        }
    }
    // The report's own people are no match for themselves: once accepted,
    // the reporter is in the vault (as a new person, or as the existing one
    // the caseworker chose, who then has a role in the case).
    let own: Vec<&str> = data.persons.iter().map(|p| p.id.as_str()).collect();
    let accepted_case = match row.item.status {
        IntakeStatus::Accepted => row.item.case_id.clone(),
        _ => None,
    };
    let is_self = |hit: &PersonHit| {
        own.contains(&hit.id.as_str())
            || accepted_case
                .as_ref()
                .is_some_and(|case| hit.cases.contains(case))
    };
    let mut person_matches: Vec<PersonHit> = Vec::new();
    if let Some(reporter) = data.persons.first() {
        for name in reporter
            .names
            .iter()
            .filter(|n| !n.name.starts_with("Reporter "))
        {
            for hit in search::find_persons(vault, &name.name, 10)? {
                if !is_self(&hit) && !person_matches.iter().any(|h| h.id == hit.id) {
                    person_matches.push(hit);
                }
            }
        }
    }
    Ok(IntakeReview {
        item: row.item,
        data,
        report,
        same_reporter,
        reporter_cases,
        person_matches,
    })
}

fn no_report(bundle_id: &str) -> Error {
    Error::invalid("intake", not_found("report", bundle_id))
}

fn pending(vault: &Vault, bundle_id: &str) -> Result<InboxItem> {
    let item = item(vault, bundle_id)?.ok_or_else(|| no_report(bundle_id))?;
    match item.status {
        IntakeStatus::Pending => Ok(item),
        IntakeStatus::Accepted => Err(Error::invalid(
            "intake",
            ProblemCode::ReportAlreadyAccepted.with("case", item.case_id.unwrap_or_default()),
        )),
        IntakeStatus::Rejected => Err(Error::invalid("intake", ProblemCode::ReportAlreadyRejected)),
    }
}

/// Rewrites the report's records to go into `into`: an existing case
/// replaces the report's own case, an existing person replaces the
/// reporter, in every reference any record holds (the model's
/// [`Record::refs_mut`], so a field added to the model is retargeted
/// too). Returns the case id the records now belong to.
fn retarget(doc: &mut Document, into: &AcceptInto) -> Result<String> {
    let own_case = doc
        .cases
        .first()
        .map(|c| c.id.clone())
        .ok_or_else(|| Error::tampered("the report holds no case"))?;
    let case = match &into.case_id {
        Some(existing) => {
            doc.cases.clear();
            existing.clone()
        }
        None => own_case.clone(),
    };
    let person = match (&into.person_id, doc.persons.first()) {
        (Some(existing), Some(own)) => Some((own.id.clone(), existing.clone())),
        _ => None,
    };
    if let Some((own, _)) = &person {
        doc.persons.retain(|p| &p.id != own);
    }
    for r in doc_refs_mut(doc) {
        if r.kind == Case::KIND && *r.id == own_case {
            r.id.clone_from(&case);
        }
        if let Some((own, existing)) = &person
            && r.kind == Person::KIND
            && *r.id == *own
        {
            r.id.clone_from(existing);
        }
    }
    Ok(case)
}

/// Every reference every record of `doc` holds, to rewrite.
fn doc_refs_mut(doc: &mut Document) -> Vec<RefMut<'_>> {
    let Document {
        cases,
        persons,
        organisations,
        incidents,
        proceedings,
        sources,
        testimonies,
        interventions,
        ..
    } = doc;
    let mut out = Vec::new();
    out.extend(cases.iter_mut().flat_map(Record::refs_mut));
    out.extend(persons.iter_mut().flat_map(Record::refs_mut));
    out.extend(organisations.iter_mut().flat_map(Record::refs_mut));
    out.extend(incidents.iter_mut().flat_map(Record::refs_mut));
    out.extend(proceedings.iter_mut().flat_map(Record::refs_mut));
    out.extend(sources.iter_mut().flat_map(Record::refs_mut));
    out.extend(testimonies.iter_mut().flat_map(Record::refs_mut));
    out.extend(interventions.iter_mut().flat_map(Record::refs_mut));
    out
}

/// Accepts a report: its records go into a new case (or `into.case_id`),
/// the reporter becomes a person (or is `into.person_id`), its evidence is
/// streamed from the sealed copy into the evidence store and verified, a
/// source records where it came from, and the custody log says who
/// accepted it. Returns the case id. Nothing changes if any step fails.
pub fn accept(
    vault: &mut Vault,
    bundle_id: &str,
    into: &AcceptInto,
    mut progress: impl FnMut(u64, u64),
) -> Result<String> {
    let actor = &vault.actor();
    let now = vault.now();
    let item = pending(vault, bundle_id)?;
    let known = vault.known_records()?;
    for (id, want) in [(&into.case_id, "case"), (&into.person_id, "person")] {
        if let Some(id) = id {
            match known.kinds.get(id.as_str()) {
                Some(k) if k == want && !known.trashed.contains(id.as_str()) => {}
                Some(k) if k == want => {
                    return Err(Error::invalid(
                        want,
                        ProblemCode::ReferenceTrashed
                            .with("want", want)
                            .with("target", id),
                    ));
                }
                _ => {
                    return Err(Error::invalid(want, not_found(want, id)));
                }
            }
        }
    }
    let unseal = unseal(vault)?;
    let path = sealed_copy(vault, bundle_id);
    let total: u64 = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    // Evidence streams into the store first; the blobs are dropped (and
    // their files removed) if anything after fails.
    let mut sink = BlobSink::new(vault, "the sealed report", total, &mut progress);
    // The vault's own copy, verified when it came in: damage now is the
    // vault's.
    let (v, mut doc, report) = read_report(
        &path,
        &unseal,
        Some(&mut |name, bytes| sink.store(name, bytes)),
        None,
    )
    .map_err(Error::into_vault_damage)?;
    let mut blobs = sink.into_blobs();
    if v.manifest.bundle_id != bundle_id {
        return Err(Error::tampered(
            "the sealed copy in the vault is not the report it is filed as",
        ));
    }
    let case_id = retarget(&mut doc, into)?;
    let provenance = format!("intake-{}", &bundle_id[..bundle_id.len().min(32)]);
    doc.sources.push(Source {
        id: provenance.clone(),
        source_type: "testimony".into(),
        // Not the signer's fingerprint: sources travel to lawyers, and a
        // key tied to the reporter's device would prove who wrote it.
        citation: format!(
            "Self-report {bundle_id}, sealed {}, received {} by {actor}",
            v.manifest.created_at, item.received_at
        ),
        accessed: None,
        reliability: None,
        credibility: None,
    });
    for i in &mut doc.incidents {
        i.sources.push(provenance.clone());
    }
    let problems = interchange::validate(&doc, &known);
    if !problems.is_empty() {
        return Err(Error::ImportRejected { problems });
    }
    let mut files = Vec::new();
    for f in &report.files {
        let blob = blobs
            .remove(&f.path)
            .ok_or_else(|| Error::tampered(format!("{} is missing from the report", f.path)))?;
        if blob.sha256 != f.file.sha256 || blob.size != f.file.size {
            return Err(Error::tampered(format!(
                "{} does not match the hash the reporter took at intake",
                f.path
            )));
        }
        files.push((blob, f));
    }
    let rows = interchange::rows_of(&doc)?;
    let person_update = match &into.person_id {
        Some(person) => reporter_update(
            vault,
            person,
            &case_id,
            report
                .answers
                .reporter_protected()
                .then(|| reporter_pseudonym(&report.report_id)),
        )?,
        None => None,
    };
    let files: Vec<_> = files
        .into_iter()
        .map(|(blob, f)| {
            let note = match &f.file.note {
                Some(note) => format!("from self-report {bundle_id}; {note}"),
                None => format!("from self-report {bundle_id}"),
            };
            (blob, &f.file, note)
        })
        .collect();
    vault.file_accepted_report(
        AcceptedReport {
            bundle_id,
            case_id: &case_id,
            rows: &rows,
            person: into.person_id.as_deref().map(|p| (p, person_update)),
            files,
        },
        actor,
        now,
    )?;
    let _ = fs::remove_file(&path);
    Ok(case_id)
}

/// The existing person who reported, with a victim role in `case` and,
/// when the report asks for a pseudonym (`pseudonym` is the one to use if
/// they have none), protected; None when nothing changes. Protection is
/// never lifted here: an earlier wish for a pseudonym stands.
fn reporter_update(
    vault: &Vault,
    person: &str,
    case: &str,
    pseudonym: Option<String>,
) -> Result<Option<String>> {
    let mut p: crate::model::records::Person = vault
        .get(person)?
        .ok_or_else(|| Error::invalid("person", not_found("person", person)))?;
    let before = p.clone();
    if !p.case_roles.iter().any(|r| r.case == case) {
        p.case_roles.push(CaseRole {
            case: case.to_owned(),
            role: "victim".into(),
        });
    }
    if let Some(pseudonym) = pseudonym {
        p.protected = true;
        if p.pseudonym.as_deref().is_none_or(|s| s.trim().is_empty()) {
            p.pseudonym = Some(pseudonym);
        }
    }
    if p == before {
        return Ok(None);
    }
    serde_json::to_string(&p)
        .map(Some)
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Rejects a report with a reason. The decision stays in the inbox (so the
/// same report is recognised if it arrives again) and in the custody log;
/// the sealed copy and its evidence are deleted.
pub fn reject(vault: &mut Vault, bundle_id: &str, reason: &str) -> Result<()> {
    let actor = &vault.actor();
    let now = vault.now();
    pending(vault, bundle_id)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", ProblemCode::ReasonRequired));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::invalid(
            "reason",
            ProblemCode::TooLong.with("max", MAX_REASON),
        ));
    }
    vault.file_rejected_report(bundle_id, reason, actor, now)?;
    let _ = fs::remove_file(sealed_copy(vault, bundle_id));
    Ok(())
}
