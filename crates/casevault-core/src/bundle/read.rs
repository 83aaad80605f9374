//! Reading a bundle safely. age releases plaintext before it has checked
//! the end of the file, so nothing is shown, extracted or imported until a
//! first pass has read the whole file: every chunk authenticated to the
//! last, the archive's entries checked (names, types, counts, sizes), every
//! hash compared and the signature verified. A second pass then extracts,
//! into a staging directory renamed into place only when it all matched
//! again.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use age::secrecy::SecretString;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{FORMAT, Manifest, SIGNATURE_NAMESPACE, VERSION};
use crate::model::problem::{ProblemCode, not_found};
use crate::{Error, Result};

/// The most entries a bundle may hold.
pub const MAX_ENTRIES: usize = 100_000;
/// The most bytes a bundle may unpack to.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// The largest manifest, SHA256SUMS or signature read into memory.
const MAX_SMALL: u64 = 64 * 1024 * 1024;
/// The largest scrypt work factor (log2 N) accepted for a passphrase
/// bundle: age writes 18; a hostile file could ask for hours of work.
pub const MAX_SCRYPT_LOG_N: u8 = 22;

/// How to open a bundle.
pub enum Unseal {
    /// With these age identities.
    Identities(Vec<age::x25519::Identity>),
    /// With the passphrase it was sealed with.
    Passphrase(SecretString),
}

impl std::fmt::Debug for Unseal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unseal::Identities(ids) => write!(f, "Identities({} key(s))", ids.len()),
            Unseal::Passphrase(_) => f.write_str("Passphrase(…)"),
        }
    }
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verification {
    /// The manifest.
    pub manifest: Manifest,
    /// The signer's fingerprint (from the signature's key).
    pub signer_fingerprint: String,
    /// Whether the signer is one of the trusted keys given; None when none
    /// were given.
    pub signer_trusted: Option<bool>,
    /// Files checked.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub files_checked: u64,
    /// Everything wrong. Empty means the signature and every hash hold.
    pub problems: Vec<String>,
}

/// The longest GNU long-name entry read. `check_name` allows 1024 bytes;
/// the tar writer adds a NUL. Anything longer is refused from its header,
/// before a byte of it is read: a hostile archive may declare gigabytes.
const MAX_LONG_NAME: u64 = 4096;
/// The longest error detail: details quote names and problems from the
/// file, which are not ours to size.
const MAX_DETAIL_CHARS: usize = 4000;
/// The longest entry name quoted in an error.
const MAX_QUOTED_NAME_CHARS: usize = 120;

fn damaged(why: impl std::fmt::Display) -> Error {
    let why = why.to_string();
    // The incoming file's damage, not the vault's (issue 14, item 15).
    Error::bundle_damaged(format!(
        "the bundle is damaged or was changed ({})",
        shorten(&why, MAX_DETAIL_CHARS)
    ))
}

/// At most `max` characters of `text`, marked when cut.
fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

/// An entry name as quoted in an error: escaped and of bounded length.
fn quoted(name: &str) -> String {
    format!("{:?}", shorten(name, MAX_QUOTED_NAME_CHARS))
}

/// Copies every byte read from the sealed file into `copy`, so that a file
/// is read once to be both verified and kept: what was checked is exactly
/// what was copied.
struct Tee<'c> {
    file: File,
    copy: Option<&'c mut File>,
    read: u64,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        if let Some(copy) = self.copy.as_mut() {
            io::Write::write_all(copy, &buf[..n])?;
        }
        self.read += n as u64;
        Ok(n)
    }
}

fn decrypt<'c>(path: &Path, unseal: &Unseal, copy: Option<&'c mut File>) -> Result<impl Read + 'c> {
    let file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::invalid(
            "bundle",
            ProblemCode::FileMissing.with("path", path.display()),
        ),
        _ => Error::io("read", path, e),
    })?;
    let tee = Tee {
        file,
        copy,
        read: 0,
    };
    decrypt_from(tee, unseal)
}

/// The age layer of [`decrypt`], over any reader (the fuzz targets feed it
/// bytes in memory).
pub(crate) fn decrypt_from<'r, R: Read + 'r>(input: R, unseal: &Unseal) -> Result<impl Read + 'r> {
    let decryptor = age::Decryptor::new_buffered(BufReader::new(input)).map_err(|_| {
        Error::invalid(
            "bundle",
            ProblemCode::NotABundle.with("detail", "not an age file"),
        )
    })?;
    let reader = match unseal {
        Unseal::Identities(ids) => {
            if decryptor.is_scrypt() {
                return Err(Error::invalid("bundle", ProblemCode::BundleNeedsPassphrase));
            }
            decryptor.decrypt(ids.iter().map(|i| i as &dyn age::Identity))
        }
        Unseal::Passphrase(p) => {
            if !decryptor.is_scrypt() {
                return Err(Error::invalid("bundle", ProblemCode::BundleNeedsKey));
            }
            let mut id = age::scrypt::Identity::new(p.clone());
            id.set_max_work_factor(MAX_SCRYPT_LOG_N);
            decryptor.decrypt(std::iter::once(&id as &dyn age::Identity))
        }
    };
    reader.map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => Error::BundleNotForYou,
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
            match unseal {
                Unseal::Passphrase(_) => Error::WrongCredential,
                Unseal::Identities(_) => Error::BundleNotForYou,
            }
        }
        age::DecryptError::ExcessiveWork { .. } => Error::invalid(
            "bundle",
            ProblemCode::NotABundle.with(
                "detail",
                "it asks for an unreasonable amount of passphrase work, which Casevault never does",
            ),
        ),
        other => damaged(other),
    })
}

/// `name` must be a plain relative path with normal parts: no `..`, no
/// root, no drive, no backslash, at most 4 levels.
fn check_name(name: &str) -> Result<()> {
    let path = Path::new(name);
    let ok = !name.is_empty()
        && name.len() <= 1024
        && !name.contains('\\')
        && path.components().count() <= 4
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(damaged(format!("unsafe entry name {}", quoted(name))))
    }
}

fn parse_sums(text: &str) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let (hash, name) = line
            .split_once("  ")
            .ok_or_else(|| damaged("SHA256SUMS is malformed"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(damaged("SHA256SUMS is malformed"));
        }
        if out.insert(name.to_owned(), hash.to_owned()).is_some() {
            return Err(damaged("SHA256SUMS lists a file twice"));
        }
    }
    Ok(out)
}

/// Kept entries are plaintext (`data.json`, a report's answers): they live
/// in zeroizing memory, read into a buffer reserved at their full size so
/// no reallocation leaves a copy in freed heap.
struct Pass {
    files: BTreeMap<String, (u64, String)>,
    kept: KeptEntries,
    manifest: Option<Zeroizing<Vec<u8>>>,
    sums: Option<Zeroizing<Vec<u8>>>,
    signature: Option<Zeroizing<Vec<u8>>>,
}

/// Entries read into memory by [`read_contents`], by name, in zeroizing
/// memory: they are plaintext.
pub type KeptEntries = BTreeMap<String, Zeroizing<Vec<u8>>>;

/// The largest data.json read into memory to show or import.
const MAX_DATA: u64 = 512 * 1024 * 1024;

/// Hands each evidence entry's bytes to the caller (to store them
/// encrypted in a vault) while the pass hashes them.
pub type EvidenceSink<'a> = &'a mut dyn FnMut(&str, &mut dyn Read) -> Result<()>;

/// What a pass does besides checking.
#[derive(Default)]
struct PassOptions<'a, 'b, 'c> {
    /// Write every entry into this directory.
    extract_to: Option<&'a Path>,
    /// Keep these entries in memory (each up to [`MAX_DATA`]).
    keep: &'a [&'a str],
    /// Stream `attachments/…` entries to this sink.
    evidence: Option<EvidenceSink<'b>>,
    /// Copy the sealed file, as read, into this file.
    copy_to: Option<&'c mut File>,
}

/// Counts and hashes what the evidence sink reads.
struct HashingEntry<'r, R> {
    inner: R,
    hasher: &'r mut Sha256,
    read: &'r mut u64,
}

impl<R: Read> Read for HashingEntry<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        *self.read += n as u64;
        Ok(n)
    }
}

/// Reads every entry, checking names, types, counts and sizes, and hashing
/// each; what else it does is in `opts`.
fn pass(path: &Path, unseal: &Unseal, mut opts: PassOptions<'_, '_, '_>) -> Result<Pass> {
    let reader = decrypt(path, unseal, opts.copy_to.take())?;
    scan(reader, opts)
}

/// The archive layer of [`pass`]: everything after age, over the decrypted
/// stream.
fn scan<R: Read>(mut reader: R, mut opts: PassOptions<'_, '_, '_>) -> Result<Pass> {
    let extract_to = opts.extract_to;
    let mut out = Pass {
        files: BTreeMap::new(),
        kept: BTreeMap::new(),
        manifest: None,
        sums: None,
        signature: None,
    };
    let mut seen = HashSet::new();
    let mut total = 0u64;
    let mut archive = tar::Archive::new(&mut reader);
    // Raw entries: the tar crate would read a GNU long name or PAX header
    // whole, whatever size it declares, before we see it. Long names are
    // read here instead, bounded; PAX headers are never written by
    // Casevault and are refused with the other non-file entries.
    let mut long_name: Option<String> = None;
    for entry in archive.entries().map_err(damaged)?.raw(true) {
        let mut entry = entry.map_err(damaged)?;
        if entry.header().entry_type().is_gnu_longname() {
            if long_name.is_some() {
                return Err(damaged("two long names describe one file"));
            }
            long_name = Some(read_long_name(&mut entry)?);
            continue;
        }
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(
                "the archive holds a link, a folder or a device; a bundle holds only files",
            ));
        }
        let name = match long_name.take() {
            Some(name) => name,
            None => entry
                .path()
                .map_err(damaged)?
                .to_string_lossy()
                .into_owned(),
        };
        check_name(&name)?;
        if !seen.insert(name.clone()) {
            return Err(damaged(format!("{} appears twice", quoted(&name))));
        }
        if seen.len() > MAX_ENTRIES {
            return Err(damaged("the archive holds too many files"));
        }
        let size = entry.size();
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(damaged("the archive unpacks to more than 64 GiB"));
        }
        let small = matches!(
            name.as_str(),
            "manifest.json" | "SHA256SUMS" | "SHA256SUMS.sig"
        );
        if small && size > MAX_SMALL {
            return Err(damaged(format!("{} is too large", quoted(&name))));
        }
        let keep = small
            || (CUSTODY_FILES.contains(&name.as_str()) && size <= MAX_SMALL)
            || (opts.keep.contains(&name.as_str()) && size <= MAX_DATA);
        let mut hasher = Sha256::new();
        let mut kept = Zeroizing::new(Vec::new());
        if keep {
            // Bounded above (MAX_SMALL, MAX_DATA); tar never returns more.
            kept.reserve_exact(size as usize);
        }
        let mut sink: Option<File> = match extract_to {
            Some(dir) => {
                let target = dir.join(&name);
                // Plaintext case files: owner-only from creation.
                if let Some(parent) = target.parent() {
                    crate::private_fs::create_dir_all(parent)
                        .map_err(|e| Error::io("create", parent, e))?;
                }
                Some(
                    crate::private_fs::create_new_file(&target)
                        .map_err(|e| Error::io("create", &target, e))?,
                )
            }
            None => None,
        };
        let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
        let mut read = 0u64;
        if let Some(sink) = opts
            .evidence
            .as_mut()
            .filter(|_| name.starts_with("attachments/"))
        {
            let mut hashing = HashingEntry {
                inner: &mut entry,
                hasher: &mut hasher,
                read: &mut read,
            };
            sink(&name, &mut hashing)?;
            io::copy(&mut hashing, &mut io::sink()).map_err(damaged)?;
        }
        loop {
            let n = entry.read(&mut buf).map_err(damaged)?;
            if n == 0 {
                break;
            }
            read += n as u64;
            hasher.update(&buf[..n]);
            if keep {
                kept.extend_from_slice(&buf[..n]);
            }
            if let Some(f) = sink.as_mut() {
                io::Write::write_all(f, &buf[..n])
                    .map_err(|e| Error::io("write", dir_of(extract_to), e))?;
            }
        }
        if read != size {
            return Err(damaged(format!("{} is truncated", quoted(&name))));
        }
        let hash = data_encoding::HEXLOWER.encode(&hasher.finalize());
        match name.as_str() {
            "manifest.json" => out.manifest = Some(kept),
            "SHA256SUMS" => out.sums = Some(kept),
            "SHA256SUMS.sig" => out.signature = Some(kept),
            _ if keep => {
                out.kept.insert(name.clone(), kept);
            }
            _ => {}
        }
        if name != "SHA256SUMS" && name != "SHA256SUMS.sig" {
            out.files.insert(name, (size, hash));
        }
    }
    if long_name.is_some() {
        return Err(damaged(
            "the archive ends with a long name that describes no file",
        ));
    }
    // Read to the very end: age authenticates the last chunk only there,
    // and a file cut short or extended must not pass.
    io::copy(&mut reader, &mut io::sink()).map_err(damaged)?;
    Ok(out)
}

/// Reads a GNU long-name entry (the name of the entry after it), refusing
/// it from its declared size before reading when it is longer than any
/// name a bundle may hold.
fn read_long_name<R: Read>(entry: &mut tar::Entry<'_, R>) -> Result<String> {
    let size = entry.size();
    if size > MAX_LONG_NAME {
        return Err(damaged(format!(
            "a file name in the archive is {size} bytes long; names are at most {MAX_LONG_NAME}"
        )));
    }
    let mut bytes = Vec::new();
    entry
        .by_ref()
        .take(MAX_LONG_NAME)
        .read_to_end(&mut bytes)
        .map_err(damaged)?;
    if bytes.len() as u64 != size {
        return Err(damaged("a long file name is truncated"));
    }
    // As the tar crate does: the writer ends the name with one NUL.
    if bytes.last() == Some(&0) {
        bytes.pop();
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn dir_of(p: Option<&Path>) -> PathBuf {
    p.map(Path::to_path_buf).unwrap_or_default()
}

fn check(pass: &Pass, trusted: &[String]) -> Result<Verification> {
    let manifest_bytes = pass
        .manifest
        .as_ref()
        .ok_or_else(|| damaged("manifest.json is missing"))?;
    let value: serde_json::Value =
        serde_json::from_slice(manifest_bytes).map_err(|_| damaged("manifest.json is not JSON"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(Error::invalid(
            "bundle",
            ProblemCode::NotABundle.with("detail", "an age file, but not a bundle"),
        ));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version > u64::from(VERSION) {
        return Err(Error::NewerVersion {
            found: version as u32,
            supported: VERSION,
        });
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| damaged(format!("manifest.json: {e}")))?;
    let sums_bytes = pass
        .sums
        .as_ref()
        .ok_or_else(|| damaged("SHA256SUMS is missing"))?;
    let sums_text =
        std::str::from_utf8(sums_bytes).map_err(|_| damaged("SHA256SUMS is not text"))?;
    let sums = parse_sums(sums_text)?;
    let mut problems = Vec::new();

    let signer = ssh_key::PublicKey::from_openssh(&manifest.organisation.public_key)
        .map_err(|_| damaged("the signing key in the manifest is not an OpenSSH public key"))?;
    let signer_fingerprint = crate::crypto::fingerprint::of_ssh_key(&signer);
    match pass.signature.as_ref() {
        None => problems.push("SHA256SUMS.sig is missing: the bundle is not signed".to_owned()),
        Some(sig) => {
            let ok = std::str::from_utf8(sig)
                .ok()
                .and_then(|s| ssh_key::SshSig::from_pem(s.trim()).ok())
                .is_some_and(|sig| signer.verify(SIGNATURE_NAMESPACE, sums_bytes, &sig).is_ok());
            if !ok {
                problems.push("the signature over SHA256SUMS is not valid".to_owned());
            }
        }
    }
    if !crate::crypto::fingerprint::same(&signer_fingerprint, &manifest.organisation.fingerprint) {
        problems
            .push("the manifest names a different signing key than the one that signed".to_owned());
    }
    for (name, (size, hash)) in &pass.files {
        match sums.get(name) {
            None => problems.push(format!("{name} is not listed in SHA256SUMS")),
            Some(h) if h != hash => problems.push(format!("{name} does not match SHA256SUMS")),
            Some(_) => {}
        }
        if name != "manifest.json"
            && !manifest
                .files
                .iter()
                .any(|f| &f.path == name && f.size == *size && &f.sha256 == hash)
        {
            problems.push(format!("{name} does not match the manifest"));
        }
    }
    for name in sums.keys() {
        if !pass.files.contains_key(name) {
            problems.push(format!("{name} is listed in SHA256SUMS but missing"));
        }
    }
    for f in &manifest.files {
        if !pass.files.contains_key(&f.path) {
            problems.push(format!("{} is listed in the manifest but missing", f.path));
        }
    }
    problems.extend(custody_problems(pass, &signer));
    // A trusted entry is a key or a fingerprint, grouped or not.
    let signer_trusted = (!trusted.is_empty()).then(|| {
        trusted.iter().any(|t| {
            let theirs = ssh_key::PublicKey::from_openssh(t.trim())
                .map(|k| crate::crypto::fingerprint::of_ssh_key(&k))
                .unwrap_or_else(|_| t.clone());
            crate::crypto::fingerprint::same(&theirs, &signer_fingerprint)
        })
    });
    Ok(Verification {
        manifest,
        signer_fingerprint: crate::crypto::fingerprint::grouped(&signer_fingerprint),
        signer_trusted,
        files_checked: pass.files.len() as u64,
        problems,
    })
}

/// What every pass keeps to check the custody trail's proofs.
const CUSTODY_FILES: &[&str] = &[
    "checkpoint.txt",
    "checkpoint.txt.sig",
    "custody.jsonl",
    "custody-proofs.jsonl",
];

/// Checks each exported custody entry's inclusion proof against the
/// Merkle root its signed checkpoint carries. A bundle without a
/// checkpoint (a self-report) or with a v1 one (made before proofs) has
/// nothing to check.
fn custody_problems(pass: &Pass, signer: &ssh_key::PublicKey) -> Vec<String> {
    use crate::vault::custody::{CustodyEntry, CustodyProof, verify_proofs};
    use crate::vault::org_key::{CHECKPOINT_NAMESPACE, parse_checkpoint};
    let text = match pass.kept.get("checkpoint.txt") {
        Some(t) => t,
        None if pass.files.contains_key("checkpoint.txt") => {
            return vec!["checkpoint.txt is too large to be a checkpoint".to_owned()];
        }
        None => return Vec::new(),
    };
    let Some(claim) = std::str::from_utf8(text)
        .ok()
        .and_then(|t| parse_checkpoint(t).ok())
    else {
        return vec!["checkpoint.txt is not a Casevault custody checkpoint".to_owned()];
    };
    let signed = pass
        .kept
        .get("checkpoint.txt.sig")
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| ssh_key::SshSig::from_pem(s.trim()).ok())
        .is_some_and(|sig| signer.verify(CHECKPOINT_NAMESPACE, text, &sig).is_ok());
    if !signed {
        return vec!["checkpoint.txt is not signed by the bundle's signer".to_owned()];
    }
    let Some(root) = claim.root else {
        return Vec::new();
    };
    fn lines<T: serde::de::DeserializeOwned>(bytes: Option<&impl AsRef<[u8]>>) -> Option<Vec<T>> {
        std::str::from_utf8(bytes?.as_ref())
            .ok()?
            .lines()
            .map(|l| serde_json::from_str(l).ok())
            .collect()
    }
    let entries: Option<Vec<CustodyEntry>> = lines(pass.kept.get("custody.jsonl"));
    let proofs: Option<Vec<CustodyProof>> = lines(pass.kept.get("custody-proofs.jsonl"));
    match (entries, proofs) {
        (Some(entries), Some(proofs)) => verify_proofs(&entries, &proofs, claim.entries, &root),
        (None, _) => vec!["custody.jsonl is missing or malformed".to_owned()],
        (_, None) => vec!["custody-proofs.jsonl is missing or malformed".to_owned()],
    }
}

/// Checks a decrypted bundle archive as [`verify`] does, keeping
/// `data.json` and `report.json` in memory as [`read_contents`] does: the
/// tar and manifest layer without age, for the fuzz targets.
#[cfg(feature = "fuzzing")]
pub(crate) fn check_archive(
    plaintext: impl Read,
    trusted: &[String],
) -> Result<(Verification, BTreeMap<String, zeroize::Zeroizing<Vec<u8>>>)> {
    let pass = scan(
        plaintext,
        PassOptions {
            keep: &["data.json", "report.json"],
            ..PassOptions::default()
        },
    )?;
    let v = check(&pass, trusted)?;
    Ok((v, pass.kept))
}

/// Decrypts and checks the whole bundle, writing nothing. `trusted` holds
/// OpenSSH public keys or `SHA256:` fingerprints of trusted organisations.
pub fn verify(path: &Path, unseal: &Unseal, trusted: &[String]) -> Result<Verification> {
    check(&pass(path, unseal, PassOptions::default())?, trusted)
}

/// Verifies the bundle, then reads its data for showing or importing. The
/// data is returned only when the signature and every hash hold.
pub fn read_data(
    path: &Path,
    unseal: &Unseal,
    trusted: &[String],
) -> Result<(Verification, crate::model::interchange::Document)> {
    let (v, mut kept) = read_contents(path, unseal, trusted, &["data.json"], None, None)?;
    let data = kept
        .remove("data.json")
        .ok_or_else(|| damaged("data.json is missing or too large"))?;
    let doc = crate::model::interchange::parse(&data)?;
    Ok((v, doc))
}

/// Reads and verifies the whole bundle in one pass, keeping the `keep`
/// entries in memory, streaming evidence to `evidence` and, with
/// `copy_to`, copying the sealed file as read. Nothing it gathered may be
/// used unless it returns Ok: the signature and every hash held, to the
/// last byte. On an error, whatever the sink stored must be discarded.
/// (Extraction to a directory, where plaintext would be visible, is
/// [`open`]'s two-pass job instead.)
pub fn read_contents(
    path: &Path,
    unseal: &Unseal,
    trusted: &[String],
    keep: &[&str],
    evidence: Option<EvidenceSink<'_>>,
    mut copy_to: Option<&mut File>,
) -> Result<(Verification, KeptEntries)> {
    let source_len = fs::metadata(path).map(|m| m.len()).ok();
    let read = pass(
        path,
        unseal,
        PassOptions {
            extract_to: None,
            keep,
            evidence,
            copy_to: copy_to.as_deref_mut(),
        },
    )?;
    let v = check(&read, trusted)?;
    if !v.problems.is_empty() {
        return Err(damaged(v.problems.join("; ")));
    }
    if let Some(copy) = copy_to {
        let copied = copy.metadata().map(|m| m.len()).ok();
        if copied.is_none() || copied != source_len {
            return Err(damaged(
                "the file changed while it was read, or carries data after its end",
            ));
        }
    }
    Ok((v, read.kept))
}

/// Refuses a signer that is not one of the `trusted` keys given, or any
/// signer when none were given, unless `accept_unknown` (the user saw the
/// fingerprint and chose to go on without a key to check it against).
pub fn require_signer(v: &Verification, accept_unknown: bool) -> Result<()> {
    match v.signer_trusted {
        Some(true) => Ok(()),
        Some(false) => Err(Error::UntrustedSigner {
            fingerprint: v.signer_fingerprint.clone(),
            keys_given: true,
        }),
        None if accept_unknown => Ok(()),
        None => Err(Error::UntrustedSigner {
            fingerprint: v.signer_fingerprint.clone(),
            keys_given: false,
        }),
    }
}

/// Verifies, then extracts into `out` (which must not exist). Refuses a
/// bundle with any problem, and a signer that [`require_signer`] refuses,
/// before anything is extracted; nothing is left behind on failure.
pub fn open(
    path: &Path,
    unseal: &Unseal,
    trusted: &[String],
    accept_unknown_signer: bool,
    out: &Path,
) -> Result<Verification> {
    if out.exists() {
        return Err(Error::VaultExists {
            path: out.to_path_buf(),
        });
    }
    let v = verify(path, unseal, trusted)?;
    if !v.problems.is_empty() {
        return Err(damaged(v.problems.join("; ")));
    }
    require_signer(&v, accept_unknown_signer)?;
    let mut staging = out.as_os_str().to_owned();
    staging.push(".partial");
    let staging = PathBuf::from(staging);
    crate::private_fs::create_dir(&staging).map_err(|e| Error::io("create", &staging, e))?;
    // The file could have changed since the first pass: check it again.
    let result = pass(
        path,
        unseal,
        PassOptions {
            extract_to: Some(&staging),
            ..PassOptions::default()
        },
    )
    .and_then(|p| check(&p, trusted));
    match result {
        Ok(again) if again.problems.is_empty() && again.manifest == v.manifest => {
            fs::rename(&staging, out).map_err(|e| Error::io("rename", out, e))?;
            Ok(again)
        }
        Ok(again) => {
            let _ = fs::remove_dir_all(&staging);
            Err(damaged(format!(
                "the bundle changed while it was opened: {}",
                again.problems.join("; ")
            )))
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// The largest evidence file shown from a bundle in memory.
pub const MAX_PREVIEW: u64 = 256 * 1024 * 1024;

fn not_in_bundle(name: &str) -> Error {
    Error::invalid("file", not_found("file", name))
}

/// One evidence file of a bundle, verified, in zeroizing memory.
pub struct EvidenceBytes {
    /// Its media type, read from the bytes.
    pub media_type: String,
    bytes: zeroize::Zeroizing<Vec<u8>>,
}

impl EvidenceBytes {
    /// The plaintext.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for EvidenceBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvidenceBytes")
            .field("media_type", &self.media_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Verifies the whole bundle and returns one evidence file (`attachments/…`)
/// in zeroizing memory, for a preview: nothing is written anywhere. Files
/// over [`MAX_PREVIEW`] are refused; save a copy or import them instead.
pub fn read_evidence(
    path: &Path,
    unseal: &Unseal,
    trusted: &[String],
    name: &str,
) -> Result<(Verification, EvidenceBytes)> {
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    let mut found = false;
    let mut sink = |entry: &str, r: &mut dyn Read| -> Result<()> {
        if entry != name {
            return Ok(());
        }
        found = true;
        r.take(MAX_PREVIEW + 1)
            .read_to_end(&mut bytes)
            .map_err(damaged)?;
        if bytes.len() as u64 > MAX_PREVIEW {
            return Err(Error::invalid(
                "file",
                ProblemCode::PreviewTooLarge
                    .with("name", name)
                    .with("max_mb", MAX_PREVIEW >> 20),
            ));
        }
        Ok(())
    };
    let (v, _) = read_contents(path, unseal, trusted, &[], Some(&mut sink), None)?;
    if !found {
        return Err(not_in_bundle(name));
    }
    let media_type = crate::evidence::media_type(&bytes);
    Ok((v, EvidenceBytes { media_type, bytes }))
}

/// Verifies the whole bundle while copying one evidence file
/// (`attachments/…`) to `out`, which must not exist. The copy gets its
/// name only once the signature and every hash held; on any failure
/// nothing is left behind.
pub fn save_evidence(
    path: &Path,
    unseal: &Unseal,
    trusted: &[String],
    name: &str,
    out: &Path,
) -> Result<Verification> {
    if out.exists() {
        return Err(Error::VaultExists {
            path: out.to_path_buf(),
        });
    }
    let tmp = out.with_extension("casevault-partial");
    let result = (|| {
        // A plaintext copy: readable by its owner only, as every copy is.
        let mut file =
            crate::private_fs::create_new_file(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        let mut found = false;
        let mut sink = |entry: &str, r: &mut dyn Read| -> Result<()> {
            if entry != name {
                return Ok(());
            }
            found = true;
            io::copy(r, &mut file).map_err(|e| Error::io("write", &tmp, e))?;
            Ok(())
        };
        let (v, _) = read_contents(path, unseal, trusted, &[], Some(&mut sink), None)?;
        if !found {
            return Err(not_in_bundle(name));
        }
        file.sync_all().map_err(|e| Error::io("write", &tmp, e))?;
        drop(file);
        fs::rename(&tmp, out).map_err(|e| Error::io("rename", out, e))?;
        Ok(v)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Seals `tar` bytes for a fresh identity; returns the file and the key.
    fn sealed(dir: &Path, tar: &[u8]) -> (PathBuf, Unseal) {
        let id = age::x25519::Identity::generate();
        let path = dir.join("b.cvb");
        let file = File::create(&path).unwrap();
        let recipient = id.to_public();
        let mut w = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
            .unwrap()
            .wrap_output(file)
            .unwrap();
        w.write_all(tar).unwrap();
        w.finish().unwrap();
        (path, Unseal::Identities(vec![id]))
    }

    fn archive(name: &str) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_ustar();
        h.set_size(2);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, &b"hi"[..]).unwrap();
        b.into_inner().unwrap()
    }

    #[test]
    fn long_names_the_writer_makes_are_read_and_longer_ones_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        // Longer than ustar's 100 + 155: the tar crate writes a GNU long name.
        let name = format!("attachments/{}", "n".repeat(300));
        let (path, unseal) = sealed(dir.path(), &archive(&name));
        let read = pass(&path, &unseal, PassOptions::default()).unwrap();
        assert!(read.files.contains_key(&name));

        // A long name that declares more than the limit: refused from its
        // header, and the error does not quote it.
        let too_long = format!("attachments/{}", "n".repeat(MAX_LONG_NAME as usize));
        let (path, unseal) = sealed(dir.path(), &archive(&too_long));
        let Err(err) = pass(&path, &unseal, PassOptions::default()) else {
            panic!("a {} byte name was accepted", too_long.len());
        };
        assert_eq!(err.code(), crate::ErrorCode::BundleDamaged);
        assert!(err.to_string().len() < 1000, "{err}");
    }
}
