//! Writing a bundle: select and redact, render, then stream everything
//! through tar into age, hashing as it goes; the manifest, the sums and
//! their signature come last, when every hash is known.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;
use std::sync::mpsc;

use age::secrecy::SecretString;
use chrono::{DateTime, Utc};
use serde::Serialize;
use zeroize::Zeroizing;

use super::redact::{self, ExtraProtection, Withheld};
use super::{
    BundleFile, CustodyHead, FORMAT, Language, Manifest, OrgInfo, SIGNATURE_NAMESPACE, VERSION,
    dossier,
};
use crate::crypto::recipient::parse_recipient;
use crate::evidence::sanitise_name;
use crate::model::interchange::Document;
use crate::model::problem::ProblemCode;
use crate::ops::interchange;
use crate::vault::Vault;
use crate::vault::attachments::Attachment;
use crate::vault::custody::{CustodyAction, CustodyEntry};
use crate::vault::org_key::{CHECKPOINT_NAMESPACE, OrgKey};
use crate::vault::self_reports::ReportFile;
use crate::{Error, Result};

/// How the bundle is sealed.
pub enum Seal {
    /// To these public keys (age1… or ssh-ed25519), each validated.
    Recipients(Vec<String>),
    /// With a one-time passphrase (age scrypt), for a lawyer without keys.
    Passphrase(SecretString),
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seal::Recipients(r) => f.debug_tuple("Recipients").field(r).finish(),
            Seal::Passphrase(_) => f.write_str("Passphrase(…)"),
        }
    }
}

/// What to export.
#[derive(Debug)]
pub struct CreateRequest<'a> {
    /// The cases.
    pub case_ids: &'a [String],
    /// To whom.
    pub seal: Seal,
    /// The dossier's language.
    pub language: Language,
    /// The exporting organisation's name, as it should appear.
    pub organisation: &'a str,
    /// The bundle file to create (never overwritten).
    pub out: &'a Path,
}

/// What the caseworker decided in the redaction review.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportChoices {
    /// Related persons to pseudonymise in this export too.
    #[serde(default)]
    pub extra_protected: Vec<ExtraProtection>,
    /// Remove location, device and time metadata from the exported copies
    /// of images (the originals in the vault are untouched).
    #[serde(default)]
    pub strip_metadata: bool,
    /// Records (testimonies, incidents, proceedings, interventions) or
    /// evidence files (attachment ids) to leave out of this export.
    #[serde(default)]
    pub leave_out: Vec<String>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CreateReport {
    /// The bundle's id.
    pub bundle_id: String,
    /// Files inside.
    pub files: u32,
    /// Bytes of the bundle file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// What was held back.
    pub withheld: Vec<Withheld>,
    /// The signing key's fingerprint.
    pub fingerprint: String,
}

/// Reads on its own thread a few chunks ahead of the consumer, so that
/// decrypting evidence out of the vault and encrypting it into the bundle
/// run on two cores at once. Chunks are plaintext evidence: they are wiped
/// when dropped.
struct ReadAhead {
    chunks: mpsc::Receiver<io::Result<Zeroizing<Vec<u8>>>>,
    current: Zeroizing<Vec<u8>>,
    at: usize,
    finished: bool,
}

impl ReadAhead {
    const CHUNK: usize = 256 * 1024;
    const DEPTH: usize = 4;

    fn start<'scope, R: io::Read + Send + 'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        mut inner: R,
    ) -> Self {
        let (tx, rx) = mpsc::sync_channel(Self::DEPTH);
        scope.spawn(move || {
            loop {
                let mut buf = Zeroizing::new(vec![0u8; Self::CHUNK]);
                // Read to the very end: the reader checks the intake hash
                // there, and an error must reach the consumer.
                let msg = match inner.read(&mut buf) {
                    Ok(n) => {
                        buf.truncate(n);
                        Ok(buf)
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Err(e),
                };
                let last = !matches!(&msg, Ok(b) if !b.is_empty());
                if tx.send(msg).is_err() || last {
                    break;
                }
            }
        });
        Self {
            chunks: rx,
            current: Zeroizing::new(Vec::new()),
            at: 0,
            finished: false,
        }
    }
}

impl io::Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.current.len() {
            if self.finished {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Ok(chunk)) if chunk.is_empty() => self.finished = true,
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => {
                    return Err(io::Error::other("the evidence reader stopped early"));
                }
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

pub(crate) fn tar_header(size: u64, now: DateTime<Utc>) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(now.timestamp().max(0) as u64);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

fn csv_of<T: Serialize>(rows: impl IntoIterator<Item = T>) -> Result<Vec<u8>> {
    let csv_err = |e: csv::Error| Error::Internal(format!("csv: {e}"));
    let mut plain = csv::Writer::from_writer(Vec::new());
    for row in rows {
        plain.serialize(row).map_err(csv_err)?;
    }
    let plain = plain
        .into_inner()
        .map_err(|e| Error::Internal(format!("csv: {e}")))?;
    // Re-read the serialised rows so that every cell, whatever its type,
    // passes through one neutraliser.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&plain[..]);
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(csv_err)?;
        if i == 0 {
            out.write_record(&record).map_err(csv_err)?;
        } else {
            out.write_record(record.iter().map(|c| neutralise_cell(c).into_owned()))
                .map_err(csv_err)?;
        }
    }
    out.into_inner()
        .map_err(|e| Error::Internal(format!("csv: {e}")))
}

/// OWASP's rule against CSV injection: a cell that a spreadsheet would
/// read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
/// prefixed with `'`, which spreadsheets show as text.
pub(crate) fn neutralise_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Reads an attachment whole, verified against its intake hash, into
/// memory that is wiped when dropped. Only images that are cleaned of
/// metadata come here; their size is bounded.
fn read_evidence(vault: &Vault, a: &Attachment) -> Result<Zeroizing<Vec<u8>>> {
    const MAX_CLEANED: u64 = 256 * 1024 * 1024;
    if a.size > MAX_CLEANED {
        return Err(Error::invalid(
            "file",
            ProblemCode::MetadataNotRemovable
                .with("name", &a.original_name)
                .with("detail", "too large to clean in memory"),
        ));
    }
    let mut reader = vault.reopen_attachment(&a.id)?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(a.size as usize));
    io::Read::read_to_end(&mut reader, &mut bytes).map_err(|e| {
        if e.kind() == io::ErrorKind::InvalidData {
            Error::tampered(format!(
                "attachment \"{}\" does not match its intake hash ({e})",
                a.original_name
            ))
        } else {
            Error::io("read", Path::new(&a.original_name), e)
        }
    })?;
    Ok(bytes)
}

/// Who did what, as a bundle names them: the organisation's label for a
/// staff account, or "Staff member N" in order of appearance. OS user
/// names identify caseworkers to the adversary.
struct StaffNames<'a> {
    labels: &'a std::collections::BTreeMap<String, String>,
    numbered: std::collections::HashMap<String, String>,
}

impl<'a> StaffNames<'a> {
    fn new(labels: &'a std::collections::BTreeMap<String, String>) -> Self {
        Self {
            labels,
            numbered: std::collections::HashMap::new(),
        }
    }

    fn label(&mut self, actor: &str) -> String {
        if let Some(l) = self.labels.get(actor) {
            return l.clone();
        }
        let n = self.numbered.len() + 1;
        self.numbered
            .entry(actor.to_owned())
            .or_insert_with(|| format!("Staff member {n}"))
            .clone()
    }
}

/// Custody details name local paths ("saved to /home/aigul/Desktop/…"):
/// a user name and a folder layout. They leave as "[local path]".
fn without_local_paths(detail: &str) -> String {
    static PATH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(^|\s)(?:~|[A-Za-z]:)?[/\\][^\s"]*"#).expect("path pattern")
    });
    // A saved copy's path runs to the end and may hold spaces.
    if let Some((before, _)) = detail.split_once(" saved to ") {
        return format!("{before} saved to [local path]");
    }
    PATH.replace_all(detail, "${1}[local path]").into_owned()
}

fn csv_files(doc: &Document) -> Result<Vec<(String, Vec<u8>)>> {
    #[derive(Serialize)]
    struct CaseRow<'a> {
        id: &'a str,
        title: &'a str,
        status: String,
        origin_country: &'a str,
        host_countries: String,
    }
    #[derive(Serialize)]
    struct PersonRow<'a> {
        id: &'a str,
        names: String,
        protected: bool,
        citizenships: String,
    }
    #[derive(Serialize)]
    struct IncidentRow<'a> {
        id: &'a str,
        case: &'a str,
        start: String,
        act_type: &'a str,
        title: &'a str,
        place: String,
        description: &'a str,
    }
    #[derive(Serialize)]
    struct ProceedingRow<'a> {
        id: &'a str,
        case: &'a str,
        kind: &'a str,
        authority: &'a str,
        reference: &'a str,
        outcome: &'a str,
    }
    #[derive(Serialize)]
    struct TestimonyRow<'a> {
        id: &'a str,
        case: &'a str,
        person: &'a str,
        language: &'a str,
        statement: &'a str,
    }
    Ok(vec![
        (
            "csv/cases.csv".into(),
            csv_of(doc.cases.iter().map(|c| CaseRow {
                id: &c.id,
                title: &c.title,
                status: format!("{:?}", c.status).to_lowercase(),
                origin_country: c.origin_country.as_deref().unwrap_or(""),
                host_countries: c.host_countries.join(" "),
            }))?,
        ),
        (
            "csv/persons.csv".into(),
            csv_of(doc.persons.iter().map(|p| {
                PersonRow {
                    id: &p.id,
                    names: p
                        .names
                        .iter()
                        .map(|n| n.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" / "),
                    protected: p.protected,
                    citizenships: p.citizenships.join(" "),
                }
            }))?,
        ),
        (
            "csv/incidents.csv".into(),
            csv_of(doc.incidents.iter().map(|i| {
                IncidentRow {
                    id: &i.id,
                    case: &i.case,
                    start: i.start.to_string(),
                    act_type: &i.act_type,
                    title: &i.title,
                    place: [
                        i.place.text.as_deref(),
                        i.place.city.as_deref(),
                        i.place.country.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                    description: &i.description,
                }
            }))?,
        ),
        (
            "csv/proceedings.csv".into(),
            csv_of(doc.proceedings.iter().map(|p| ProceedingRow {
                id: &p.id,
                case: &p.case,
                kind: &p.kind,
                authority: p.authority.as_deref().unwrap_or(""),
                reference: p.reference.as_deref().unwrap_or(""),
                outcome: p.outcome.as_deref().unwrap_or(""),
            }))?,
        ),
        (
            "csv/testimonies.csv".into(),
            csv_of(doc.testimonies.iter().map(|t| TestimonyRow {
                id: &t.id,
                case: &t.case,
                person: &t.person,
                language: &t.language,
                statement: &t.statement,
            }))?,
        ),
    ])
}

/// [`verification_steps`], with the signing key's fingerprint spelled out
/// in the one format every screen uses, grouped to read aloud, and the
/// custody trail's steps.
pub fn verification_steps_for(bundle_name: &str, fingerprint: &str) -> String {
    let grouped = crate::crypto::fingerprint::grouped(fingerprint);
    format!(
        "{}\nThe organisation key's fingerprint (ssh-keygen -l prints it without the spaces):\n   {grouped}\n         Отпечаток ключа организации (ssh-keygen -l печатает его без пробелов):\n   {grouped}\n\n{}",
        verification_steps(bundle_name),
        custody_steps()
    )
}

/// The checker of the custody trail shipped in every case export: Python 3
/// standard library only, so a lawyer can read all of it.
pub const VERIFY_CUSTODY_PY: &str = include_str!("verify_custody.py");

/// How a lawyer checks the custody trail with the signed checkpoint.
fn custody_steps() -> String {
    format!(
        "Checking the custody trail\n\
         ==========================\n\n\
         custody.jsonl holds the custody log entries about what this bundle contains;\n\
         custody-proofs.jsonl proves each of them is in the organisation's whole log\n\
         (a Merkle tree, RFC 9162), whose size and root checkpoint.txt signs.\n\
         5. Check the checkpoint is signed by the organisation (allowed_signers from step 4):\n   \
         ssh-keygen -Y verify -f allowed_signers -I casevault-org -n {CHECKPOINT_NAMESPACE} -s checkpoint.txt.sig < checkpoint.txt\n\
         6. Check every custody entry against the signed root (Python 3, nothing to install):\n   \
         python3 verify_custody.py\n   \
         It prints OK and exits 0 only when every entry's proof holds. A field marked\n   \
         \"redacted\" was changed for this bundle (a staff name, a protected name): its\n   \
         proof holds for the original, which the bundle does not reveal.\n\n\
         Проверка журнала хранения (custody.jsonl):\n\
         5. Подпись контрольной точки:\n   \
         ssh-keygen -Y verify -f allowed_signers -I casevault-org -n {CHECKPOINT_NAMESPACE} -s checkpoint.txt.sig < checkpoint.txt\n\
         6. Доказательства включения каждой записи (нужен только Python 3):\n   \
         python3 verify_custody.py\n"
    )
}

/// The exported entries and, one line each, their inclusion proofs. An
/// entry with a field redacted loses its chain hashes in the bundle: the
/// hash covers the field as stored, so a reader could test guesses
/// against it; its Merkle leaf commits to each field with a secret salt
/// instead.
fn custody_with_proofs(
    vault: &Vault,
    checkpoint: &crate::vault::org_key::Checkpoint,
    stored: &[CustodyEntry],
    mut shown: Vec<CustodyEntry>,
) -> Result<(Vec<CustodyEntry>, Vec<u8>)> {
    let pairs: Vec<(&CustodyEntry, &CustodyEntry)> = stored.iter().zip(&shown).collect();
    let proofs = vault.custody_proofs(checkpoint.entries, &pairs)?;
    for (e, p) in shown.iter_mut().zip(&proofs) {
        if p.fields.iter().any(|f| f.commitment.is_some()) {
            e.prev_hash.clear();
            e.hash.clear();
        }
    }
    let mut lines = Vec::new();
    for p in &proofs {
        lines.extend(serde_json::to_vec(p).map_err(|e| Error::Internal(format!("json: {e}")))?);
        lines.push(b'\n');
    }
    Ok((shown, lines))
}

/// The stock-tools steps, in English and Russian (README.txt and dossier).
pub fn verification_steps(bundle_name: &str) -> String {
    format!(
        "How to open and verify this bundle with standard tools\n\
         ======================================================\n\n\
         1. Decrypt (age, https://age-encryption.org; or rage):\n   \
         age -d -i YOUR-KEY.txt -o bundle.tar {bundle_name}\n   \
         (for a passphrase bundle: age -d -o bundle.tar {bundle_name})\n\
         2. Extract (tar ships with Windows 10+, macOS and Linux):\n   \
         mkdir bundle && tar -xf bundle.tar -C bundle && cd bundle\n\
         3. Check every file against the list (Linux: sha256sum; macOS: shasum -a 256):\n   \
         sha256sum -c SHA256SUMS\n\
         4. Check the list is signed by the organisation. Compare the fingerprint\n   \
         below with the one the organisation gave you in person or by phone:\n   \
         ssh-keygen -l -f org-key.pub\n   \
         echo \"casevault-org $(cat org-key.pub)\" > allowed_signers\n   \
         ssh-keygen -Y verify -f allowed_signers -I casevault-org -n {SIGNATURE_NAMESPACE} -s SHA256SUMS.sig < SHA256SUMS\n\
         SHA256SUMS lists manifest.json, so the signature covers the manifest too.\n\n\
         Как открыть и проверить пакет стандартными средствами\n\
         ====================================================\n\n\
         1. Расшифровать: age -d -i ВАШ-КЛЮЧ.txt -o bundle.tar {bundle_name}\n\
         2. Распаковать: mkdir bundle && tar -xf bundle.tar -C bundle && cd bundle\n\
         3. Проверить файлы: sha256sum -c SHA256SUMS (macOS: shasum -a 256 -c SHA256SUMS)\n\
         4. Проверить подпись организации (сверьте отпечаток ключа с организацией лично или по телефону):\n   \
         ssh-keygen -l -f org-key.pub\n   \
         echo \"casevault-org $(cat org-key.pub)\" > allowed_signers\n   \
         ssh-keygen -Y verify -f allowed_signers -I casevault-org -n {SIGNATURE_NAMESPACE} -s SHA256SUMS.sig < SHA256SUMS\n"
    )
}

/// Writes a bundle. Nothing is written in plaintext; on any failure the
/// partial file is removed.
pub fn create(vault: &mut Vault, req: CreateRequest<'_>) -> Result<CreateReport> {
    create_with(vault, req, &ExportChoices::default())
}

/// [`create`], with the caseworker's choices from the redaction review.
pub fn create_with(
    vault: &mut Vault,
    req: CreateRequest<'_>,
    choices: &ExportChoices,
) -> Result<CreateReport> {
    let now = vault.now();
    if req.case_ids.is_empty() {
        return Err(Error::invalid("case", ProblemCode::NoCaseChosen));
    }
    if req.out.exists() {
        return Err(Error::VaultExists {
            path: req.out.to_path_buf(),
        });
    }
    let organisation = req.organisation.trim();
    if organisation.is_empty() {
        return Err(Error::invalid("organisation", ProblemCode::Required));
    }
    let encryptor = encryptor(&req.seal)?;

    let all = interchange::export(vault)?;
    let redacted = redact::for_lawyers_chosen(
        &all,
        req.case_ids,
        &choices.extra_protected,
        &choices.leave_out,
    )?;
    let (doc, redaction, redactor) = (&redacted.doc, &redacted.report, &redacted.redactor);
    let bundle_id = data_encoding::HEXLOWER.encode(&crate::crypto::random_bytes::<16>()?);
    let key = vault.org_key()?;
    let org = OrgInfo {
        name: organisation.to_owned(),
        fingerprint: key.fingerprint(),
        public_key: vault.org_public_key()?.openssh,
    };
    // The checkpoint is signed before this export's own log entry; the
    // manifest records the same head.
    let checkpoint = vault.custody_checkpoint()?;

    // Evidence of the records that leave, chosen by *vault* id: a renamed
    // id must never pick up another record's files.
    let left_out: std::collections::HashSet<&str> =
        choices.leave_out.iter().map(String::as_str).collect();
    let attachments: Vec<_> = vault
        .all_attachments()?
        .into_iter()
        .filter(|a| redacted.holders.contains(&a.record_id) && !left_out.contains(a.id.as_str()))
        .collect();
    let mut cleaned: Vec<Option<Zeroizing<Vec<u8>>>> = Vec::with_capacity(attachments.len());
    let mut attachment_files: Vec<BundleFile> = Vec::with_capacity(attachments.len());
    for (i, a) in attachments.iter().enumerate() {
        let path = format!(
            "attachments/{:03}-{}",
            i + 1,
            sanitise_name(&redactor.text(&a.original_name))
        );
        let carries =
            a.capture.gps.is_some() || a.capture.device.is_some() || a.capture.taken_at.is_some();
        if choices.strip_metadata && carries && super::metadata::can_strip(&a.media_type) {
            let bytes = read_evidence(vault, a)?;
            let stripped = Zeroizing::new(super::metadata::strip(&a.media_type, bytes.to_vec())?);
            attachment_files.push(BundleFile {
                path,
                size: stripped.len() as u64,
                sha256: crate::crypto::hash::sha256_hex(&stripped),
                note: Some(redactor.text(&evidence_note(
                    &a.media_type,
                    &format!(
                        "for {}",
                        dossier::holder_words(doc, &redactor.id(&a.record_id))
                    ),
                    &crate::evidence::Capture::default(),
                ))),
                intake_sha256: Some(a.sha256.clone()),
                metadata_removed: true,
            });
            cleaned.push(Some(stripped));
        } else {
            attachment_files.push(BundleFile {
                path,
                size: a.size,
                sha256: a.sha256.clone(),
                note: Some(redactor.text(&evidence_note(
                    &a.media_type,
                    &format!(
                        "for {}",
                        dossier::holder_words(doc, &redactor.id(&a.record_id))
                    ),
                    &a.capture,
                ))),
                intake_sha256: None,
                metadata_removed: false,
            });
            cleaned.push(None);
        }
    }
    let attachment_ids: std::collections::HashSet<&str> =
        attachments.iter().map(|a| a.id.as_str()).collect();
    let labels = vault.staff_labels()?;
    let mut staff = StaffNames::new(&labels);
    let stored_custody: Vec<CustodyEntry> = vault
        .custody_log(None)?
        .into_iter()
        .filter(|e| {
            e.seq <= checkpoint.entries
                && e.target
                    .as_deref()
                    .is_some_and(|t| redacted.holders.contains(t) || attachment_ids.contains(t))
        })
        .collect();
    let custody: Vec<CustodyEntry> = stored_custody
        .iter()
        .cloned()
        .map(|mut e| {
            e.actor = staff.label(&e.actor);
            e.detail = e.detail.as_deref().map(without_local_paths);
            let mut v = serde_json::to_value(&e).unwrap_or_default();
            redactor.apply(&mut v);
            serde_json::from_value(v).unwrap_or(e)
        })
        .collect();
    let (custody, custody_proofs) =
        custody_with_proofs(vault, &checkpoint, &stored_custody, custody)?;
    // The file name is the exporter's choice and may name the person.
    let bundle_name = redactor.text(
        &req.out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let steps = verification_steps_for(&bundle_name, &org.fingerprint);
    let case_ids: Vec<String> = doc.cases.iter().map(|c| c.id.clone()).collect();
    let mut manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        bundle_id: bundle_id.clone(),
        kind: "case-export".into(),
        created_at: crate::vault::store::timestamp(now),
        language: req.language,
        organisation: org.clone(),
        case_ids,
        redaction: redaction.for_manifest(),
        custody: CustodyHead {
            entries: checkpoint.entries,
            head_hash: checkpoint.head_hash.clone(),
        },
        files: Vec::new(),
    };
    let mut generated: Vec<(String, Vec<u8>)> = vec![
        ("README.txt".into(), steps.clone().into_bytes()),
        ("data.json".into(), pretty(doc)?.into_bytes()),
        (
            "custody.jsonl".into(),
            custody
                .iter()
                .map(|e| serde_json::to_string(e).unwrap_or_default() + "\n")
                .collect::<String>()
                .into_bytes(),
        ),
        ("custody-proofs.jsonl".into(), custody_proofs),
        (
            "verify_custody.py".into(),
            VERIFY_CUSTODY_PY.as_bytes().to_vec(),
        ),
        (
            "checkpoint.txt".into(),
            checkpoint.text.clone().into_bytes(),
        ),
        (
            "checkpoint.txt.sig".into(),
            checkpoint.signature.clone().into_bytes(),
        ),
        (
            "org-key.pub".into(),
            format!("{}\n", org.public_key).into_bytes(),
        ),
    ];
    generated.extend(csv_files(doc)?);
    // Where each evidence file belongs, so the receiving vault can file it.
    generated.push(super::evidence::index(
        attachments.iter().zip(&attachment_files).map(|(a, f)| {
            super::evidence::EvidenceEntry::of(
                a,
                f,
                redactor.id(&a.record_id),
                sanitise_name(&redactor.text(&a.original_name)),
            )
        }),
    )?);
    // The dossier comes last among the generated files: its verification
    // page lists the hash of every file before it (SHA256SUMS, signed,
    // lists them all). HTML and PDF are written from one content, built
    // from the redacted data.
    let hashes: Vec<(String, String)> = generated
        .iter()
        .map(|(path, bytes)| (path.clone(), crate::crypto::hash::sha256_hex(bytes)))
        .chain(
            attachment_files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone())),
        )
        .collect();
    let dossier = dossier::build(
        req.language,
        doc,
        &manifest,
        &attachment_files,
        &custody,
        &steps,
        &hashes,
    );
    generated.push(("dossier.html".into(), dossier::html(&dossier).into_bytes()));
    generated.push(("dossier.pdf".into(), super::dossier_pdf::render(&dossier)?));

    let blobs: Vec<(BundleFile, Blob)> = attachments
        .iter()
        .zip(&attachment_files)
        .zip(cleaned)
        .map(|((a, f), c)| {
            let blob = match c {
                Some(bytes) => Blob::Cleaned(bytes),
                None => Blob::Attachment(a.clone()),
            };
            (f.clone(), blob)
        })
        .collect();
    let bytes = write_archive(
        vault,
        encryptor,
        &mut manifest,
        &generated,
        &blobs,
        &key,
        req.out,
        now,
    )?;
    // A cleaned copy differs from the evidence on record: its hash goes
    // into the log beside the attachment, whose intake hash stays.
    for (a, f) in attachments.iter().zip(&attachment_files) {
        if f.metadata_removed {
            vault.log_event(
                CustodyAction::Export,
                Some(&a.id),
                Some(&format!(
                    "copy without location, device and time metadata in bundle {bundle_id}: SHA-256 {} (intake SHA-256 {} unchanged)",
                    f.sha256, a.sha256
                )),)?;
        }
    }
    vault.log_event(
        CustodyAction::Export,
        None,
        Some(&format!(
            "bundle {bundle_id} of {} case(s), {} file(s), {} withheld",
            req.case_ids.len(),
            manifest.files.len() + 3,
            redaction.withheld.len()
        )),
    )?;
    Ok(CreateReport {
        bundle_id,
        files: manifest.files.len() as u32 + 3,
        bytes,
        withheld: redaction.withheld.clone(),
        fingerprint: crate::crypto::fingerprint::grouped(&org.fingerprint),
    })
}

/// How the manifest describes an evidence file: its type, what it is (or
/// belongs to), and the capture metadata it carried at intake.
pub(crate) fn evidence_note(
    media_type: &str,
    what: &str,
    capture: &crate::evidence::Capture,
) -> String {
    format!(
        "{media_type}; {what}; taken {}; device {}; GPS {}",
        capture.taken_at.as_deref().unwrap_or("-"),
        capture.device.as_deref().unwrap_or("-"),
        capture.gps.as_deref().unwrap_or("-")
    )
}

/// The age encryptor for a seal, each recipient key validated.
pub(crate) fn encryptor(seal: &Seal) -> Result<age::Encryptor> {
    Ok(match seal {
        Seal::Recipients(keys) => {
            if keys.is_empty() {
                return Err(Error::invalid("recipient", ProblemCode::NoRecipient));
            }
            let mut recipients: Vec<Box<dyn age::Recipient + Send>> = Vec::new();
            for k in keys {
                let (key, kind) = parse_recipient(k)?;
                recipients.push(match kind {
                    "age" => Box::new(key.parse::<age::x25519::Recipient>().map_err(|e| {
                        Error::invalid("recipient", ProblemCode::KeyDamaged.with("detail", e))
                    })?),
                    _ => Box::new(
                        key.parse::<age::ssh::Recipient>()
                            .map_err(|_| Error::invalid("recipient", ProblemCode::KeyDamaged))?,
                    ),
                });
            }
            age::Encryptor::with_recipients(
                recipients.iter().map(|r| r.as_ref() as &dyn age::Recipient),
            )
            .map_err(|e| Error::Internal(format!("age: {e}")))?
        }
        Seal::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
    })
}

/// Where an evidence entry's bytes come from.
pub(crate) enum Blob {
    /// A case attachment.
    Attachment(Attachment),
    /// A cleaned copy of an attachment, already in memory (wiped on drop).
    Cleaned(Zeroizing<Vec<u8>>),
    /// A file of a self-report.
    ReportFile(ReportFile),
}

/// Streams `generated` and the evidence through tar into age, completes
/// the manifest with every hash, signs SHA256SUMS with `key` and appends
/// the manifest, the sums and the signature. Writes `out` through a
/// partial file renamed into place; nothing is left behind on failure.
/// Returns the bundle's size.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_archive(
    vault: &Vault,
    encryptor: age::Encryptor,
    manifest: &mut Manifest,
    generated: &[(String, Vec<u8>)],
    blobs: &[(BundleFile, Blob)],
    key: &OrgKey,
    out: &Path,
    now: DateTime<Utc>,
) -> Result<u64> {
    let partial = out.with_extension("partial");
    let result = (|| -> Result<u64> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .map_err(|e| Error::io("create", &partial, e))?;
        let write_err = |e: io::Error| Error::io("write", &partial, e);
        let age_out = encryptor.wrap_output(file).map_err(write_err)?;
        let mut tar = tar::Builder::new(age_out);
        for (path, bytes) in generated {
            manifest.files.push(BundleFile {
                path: path.clone(),
                size: bytes.len() as u64,
                sha256: crate::crypto::hash::sha256_hex(bytes),
                note: None,
                intake_sha256: None,
                metadata_removed: false,
            });
            tar.append_data(&mut tar_header(bytes.len() as u64, now), path, &bytes[..])
                .map_err(write_err)?;
        }
        for (f, blob) in blobs {
            // The reader checks the intake SHA-256 and length when it reaches
            // the end, which tar's copy does; a mismatch fails the export.
            let (reader, name): (Box<dyn io::Read + Send>, &str) = match blob {
                Blob::Attachment(a) => {
                    (Box::new(vault.reopen_attachment(&a.id)?), &a.original_name)
                }
                Blob::ReportFile(r) => (Box::new(vault.report_file_reader(r)?), &r.original_name),
                Blob::Cleaned(bytes) => (Box::new(io::Cursor::new(&bytes[..])), &f.path),
            };
            std::thread::scope(|scope| {
                let mut ahead = ReadAhead::start(scope, reader);
                tar.append_data(&mut tar_header(f.size, now), &f.path, &mut ahead)
            })
            .map_err(|e| {
                if e.kind() == io::ErrorKind::InvalidData {
                    Error::tampered(format!(
                        "attachment \"{name}\" does not match its intake hash ({e})"
                    ))
                } else {
                    write_err(e)
                }
            })?;
            manifest.files.push(f.clone());
        }
        let manifest_bytes = pretty(&*manifest)?.into_bytes();
        let mut sums = format!(
            "{}  manifest.json\n",
            crate::crypto::hash::sha256_hex(&manifest_bytes)
        );
        for f in &manifest.files {
            sums.push_str(&format!("{}  {}\n", f.sha256, f.path));
        }
        let signature = key.sign(super::SIGNATURE_NAMESPACE, sums.as_bytes())?;
        for (path, bytes) in [
            ("manifest.json", manifest_bytes),
            ("SHA256SUMS", sums.into_bytes()),
            ("SHA256SUMS.sig", signature.into_bytes()),
        ] {
            tar.append_data(&mut tar_header(bytes.len() as u64, now), path, &bytes[..])
                .map_err(write_err)?;
        }
        let age_out = tar.into_inner().map_err(write_err)?;
        let file = age_out.finish().map_err(write_err)?;
        file.sync_all().map_err(write_err)?;
        Ok(file.metadata().map_err(write_err)?.len())
    })();
    let bytes = match result {
        Ok(b) => b,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    fs::rename(&partial, out).map_err(|e| Error::io("rename", out, e))?;
    let _ = File::open(out.parent().unwrap_or(Path::new("."))).map(|d| d.sync_all());
    Ok(bytes)
}

pub(crate) fn pretty<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Error::Internal(format!("json: {e}")))
}
