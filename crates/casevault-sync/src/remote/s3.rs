//! The S3 remote: a bucket on an S3 store, Garage first
//! (`s3://BUCKET?endpoint=https://HOST[&region=REGION]`).
//!
//! Requests are signed by `rusty-s3` (AWS Signature V4 as presigned URLs;
//! it does no I/O) and sent by `ureq` (blocking, like [`Remote`]); see
//! docs/ARCHITECTURE.md for the choice. The bucket is trusted with nothing,
//! like a folder: what it answers is bounded (an object is read up to the
//! largest size there is, a listing up to [`MAX_LISTING_PAGE`]) and checked
//! (a listing must parse; a name that is not one of ours is skipped).
//!
//! Put-if-absent is a HEAD, then a PUT carrying `If-None-Match: *`. A store
//! that supports conditional writes (AWS S3, MinIO, R2) refuses the PUT with
//! 412 if the name appeared in between; Garage 2.x ignores the header (its
//! compatibility list has no conditional writes), so two devices putting one
//! name at the same moment can both succeed and the later bytes win. That
//! race is harmless here: a change's name is written only by its author
//! (two different objects under one name from one author is equivocation,
//! refused by the reader), and the log's positions are read back after
//! every put, so a lost race is a fork caught at the next sync (docs/SYNC.md).

use std::fmt;
use std::io;
use std::time::Duration;

use rusty_s3::{Bucket, S3Action, UrlStyle};
use serde::Deserialize;
use ureq::Agent;
use ureq::http::{Response, StatusCode};
use url::Url;
use zeroize::Zeroizing;

use super::{ObjectName, Remote};
use crate::object::MAX_OBJECT;
use crate::{Error, Result};

/// The region Garage answers to unless its config says otherwise.
pub const DEFAULT_REGION: &str = "garage";

/// How many names one listing request asks for: S3's (and Garage's) most.
const PAGE_SIZE: usize = 1000;

/// The largest listing page read. A page of 1000 names is about 300 KiB;
/// anything much larger is not a listing.
pub const MAX_LISTING_PAGE: u64 = 8 << 20;

/// The largest error answer read, for its code.
const MAX_ERROR_BODY: u64 = 64 << 10;

/// A listing that names more than this is not ending: a hostile store
/// could hand out continuation tokens for ever.
const MAX_LISTED: usize = 10_000_000;

/// The first characters of every object name, one listing range each.
const HEX_DIGITS: &str = "0123456789abcdef";

/// How long a signed request stays valid. It is sent at once; the margin
/// is for a slow connection, not for clock skew (a store refuses a request
/// dated too far from its clock: set the clock).
const SIGNATURE_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The credentials file's most plausible size; anything larger is not one.
const MAX_CREDENTIALS_FILE: u64 = 64 << 10;
/// How long to wait before asking again a store that answered it was busy
/// or failed inside (429, 500, 502, 503, 504): a Garage node under load
/// answers 503 for a moment, and a sync of 10,000 objects stopped by one
/// such answer would have to start over. Four tries in about 1.4 s; then
/// the answer is the error.
const RETRY_WAITS: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_millis(300),
    Duration::from_millis(1000),
];

/// Environment variables the credentials are read from.
pub const KEY_ID_VAR: &str = "CASEVAULT_S3_KEY_ID";
/// See [`KEY_ID_VAR`].
pub const SECRET_VAR: &str = "CASEVAULT_S3_SECRET";
/// A file holding `{"key_id": "…", "secret": "…"}`, readable only by its
/// owner, used when the two variables above are not set.
pub const CREDENTIALS_FILE_VAR: &str = "CASEVAULT_S3_CREDENTIALS";

/// A parsed `s3://` address: which bucket, on which store.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Address {
    bucket: String,
    endpoint: Url,
    region: String,
}

impl fmt::Debug for S3Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for S3Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "s3://{}?endpoint={}&region={}",
            self.bucket,
            self.endpoint.as_str().trim_end_matches('/'),
            self.region
        )
    }
}

impl S3Address {
    /// Reads `s3://BUCKET?endpoint=URL[&region=REGION]`. Refused
    /// (`invalid_remote`): anything else in the address (a path, a port,
    /// credentials, an unknown parameter: likely a typo), a bucket name S3
    /// does not allow, and plain `http://` to anything but this computer
    /// (names, sizes and timings would cross the network in the clear).
    pub fn parse(address: &str) -> Result<Self> {
        let bad = |why: &str| Error::InvalidRemote(why.to_owned());
        let url = Url::parse(address.trim()).map_err(|_| bad("the address is not a URL"))?;
        if url.scheme() != "s3" {
            return Err(bad("an S3 address starts with s3://"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "an S3 address must not hold credentials; set CASEVAULT_S3_KEY_ID and CASEVAULT_S3_SECRET instead",
            ));
        }
        if url.port().is_some() || !matches!(url.path(), "" | "/") || url.fragment().is_some() {
            return Err(bad(
                "an S3 address is s3://BUCKET?endpoint=URL, with the store's port in the endpoint",
            ));
        }
        let bucket = url.host_str().unwrap_or_default().to_owned();
        if !valid_bucket(&bucket) {
            return Err(bad(
                "the bucket name must be 3 to 63 lowercase letters, digits, dots or hyphens",
            ));
        }
        let mut endpoint = None;
        let mut region = None;
        for (k, v) in url.query_pairs() {
            let slot = match &*k {
                "endpoint" => &mut endpoint,
                "region" => &mut region,
                _ => {
                    return Err(Error::InvalidRemote(format!(
                        "{k:?} is not a setting of an S3 address (endpoint, region)"
                    )));
                }
            };
            if slot.replace(v.into_owned()).is_some() {
                return Err(Error::InvalidRemote(format!("{k} is given twice")));
            }
        }
        let endpoint = endpoint.ok_or_else(|| {
            bad("an S3 address needs the store's URL: s3://BUCKET?endpoint=https://HOST")
        })?;
        let region = region.unwrap_or_else(|| DEFAULT_REGION.to_owned());
        if region.is_empty()
            || region.len() > 64
            || !region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad(
                "the region must be letters, digits, hyphens or underscores",
            ));
        }
        Ok(S3Address {
            bucket,
            endpoint: parse_endpoint(&endpoint)?,
            region,
        })
    }

    /// The bucket's name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The store's URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }
}

/// S3's bucket naming rules (which Garage's global aliases follow).
fn valid_bucket(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.bytes()
            .all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-'))
        && b.starts_with(|c: char| c.is_ascii_alphanumeric())
        && b.ends_with(|c: char| c.is_ascii_alphanumeric())
        && !b.contains("..")
}

fn parse_endpoint(s: &str) -> Result<Url> {
    let bad = |why: &str| Error::InvalidRemote(why.to_owned());
    let url = Url::parse(s).map_err(|_| bad("the endpoint is not a URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "the endpoint must not hold credentials; set CASEVAULT_S3_KEY_ID and CASEVAULT_S3_SECRET instead",
        ));
    }
    if url.host().is_none()
        || !matches!(url.path(), "" | "/")
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad(
            "the endpoint is the store's address only, like https://s3.example.org or http://127.0.0.1:3900",
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(bad(
            "plain http:// is allowed only to this computer; use https:// for a store on the network",
        )),
        _ => Err(bad("the endpoint must be an https:// URL")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// An S3 access key: its id and its secret. The secret stays in zeroizing
/// memory and is never printed: `Debug` shows the key id only.
#[derive(Clone)]
pub struct S3Credentials(rusty_s3::Credentials);

impl fmt::Debug for S3Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Credentials")
            .field("key_id", &self.0.key())
            .finish_non_exhaustive()
    }
}

/// The credentials file, as read; the secret moves into zeroizing memory
/// at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    key_id: String,
    secret: String,
}

impl S3Credentials {
    /// A key id and its secret.
    pub fn new(key_id: &str, secret: Zeroizing<String>) -> Result<Self> {
        if key_id.trim().is_empty() || secret.trim().is_empty() {
            return Err(Error::InvalidRemote(
                "the S3 key id and secret must not be empty".into(),
            ));
        }
        Ok(S3Credentials(rusty_s3::Credentials::new(
            key_id.trim(),
            secret.trim(),
        )))
    }

    /// The key id (not a secret: the store's operator sees it).
    pub fn key_id(&self) -> &str {
        self.0.key()
    }

    /// From `CASEVAULT_S3_KEY_ID` and `CASEVAULT_S3_SECRET`, or else from
    /// the file `CASEVAULT_S3_CREDENTIALS` names.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`S3Credentials::from_env`], with `lookup` in place of the
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let key_id = lookup(KEY_ID_VAR).filter(|v| !v.trim().is_empty());
        let secret = lookup(SECRET_VAR)
            .map(Zeroizing::new)
            .filter(|v| !v.trim().is_empty());
        match (key_id, secret) {
            (Some(id), Some(secret)) => Self::new(&id, secret),
            (None, None) => match lookup(CREDENTIALS_FILE_VAR).filter(|v| !v.is_empty()) {
                Some(path) => Self::from_file(std::path::Path::new(&path)),
                None => Err(Error::InvalidRemote(format!(
                    "no S3 key: set {KEY_ID_VAR} and {SECRET_VAR}, or {CREDENTIALS_FILE_VAR} to a credentials file"
                ))),
            },
            _ => Err(Error::InvalidRemote(format!(
                "set both {KEY_ID_VAR} and {SECRET_VAR}, not only one"
            ))),
        }
    }

    /// From a file holding `{"key_id": "…", "secret": "…"}`, which only its
    /// owner may read (like an SSH key: a file others can read is refused).
    pub fn from_file(path: &std::path::Path) -> Result<Self> {
        use std::io::Read;
        let bad = |why: String| Error::InvalidRemote(why);
        let f = std::fs::File::open(path).map_err(|e| {
            bad(format!(
                "the S3 credentials file {} cannot be read ({e})",
                path.display()
            ))
        })?;
        let meta = f.metadata().map_err(Error::remote_io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(bad(format!(
                    "the S3 credentials file {} can be read by other users; make it private (chmod 600)",
                    path.display()
                )));
            }
        }
        if !meta.is_file() || meta.len() > MAX_CREDENTIALS_FILE {
            return Err(bad(format!(
                "{} is not an S3 credentials file",
                path.display()
            )));
        }
        let mut text = Zeroizing::new(String::new());
        f.take(MAX_CREDENTIALS_FILE)
            .read_to_string(&mut text)
            .map_err(|_| bad(format!("{} is not an S3 credentials file", path.display())))?;
        let parsed: CredentialsFile = serde_json::from_str(&text).map_err(|_| {
            bad(format!(
                "{} is not an S3 credentials file: it must hold {{\"key_id\": \"…\", \"secret\": \"…\"}}",
                path.display()
            ))
        })?;
        Self::new(&parsed.key_id, Zeroizing::new(parsed.secret))
    }
}

/// A bucket on an S3 store, as a [`Remote`].
pub struct S3Remote {
    address: S3Address,
    bucket: Bucket,
    credentials: S3Credentials,
    agent: Agent,
    page_size: usize,
}

impl fmt::Debug for S3Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Remote")
            .field("address", &self.address)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// What one S3 error answer says, for the message.
#[derive(Debug, Default, Deserialize)]
#[serde(rename = "Error")]
struct ErrorAnswer {
    #[serde(rename = "Code", default)]
    code: String,
}

impl S3Remote {
    /// Connects to the bucket and checks, with one listing request, that
    /// the store answers like S3, accepts the key and holds the bucket: a
    /// mistyped address or bucket fails here (`invalid_remote`), a refused
    /// key as `remote_denied`, a store that cannot be reached as
    /// `remote_io`.
    pub fn open(address: S3Address, credentials: S3Credentials) -> Result<Self> {
        let bucket = Bucket::new(
            address.endpoint.clone(),
            // Path style needs no DNS name per bucket, which self-hosted
            // Garage does not have unless its operator set one up.
            UrlStyle::Path,
            address.bucket.clone(),
            address.region.clone(),
        )
        .map_err(|_| Error::InvalidRemote("the endpoint cannot hold a bucket".into()))?;
        let mut config = Agent::config_builder()
            // Statuses are answers to interpret here, not transport errors.
            .http_status_as_error(false)
            // An S3 store does not redirect; following one would send a
            // signed request somewhere else.
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_recv_response(Some(Duration::from_secs(120)))
            // A store that stalls mid-body is cut off, not waited on for
            // ever; a slow one still finishes.
            .timeout_per_read(Some(Duration::from_secs(60)))
            .timeout_per_write(Some(Duration::from_secs(60)))
            .user_agent("casevault");
        if is_loopback(&address.endpoint) {
            // A proxy from the environment never sees a store on this
            // computer.
            config = config.proxy(None);
        }
        let remote = S3Remote {
            address,
            bucket,
            credentials,
            agent: config.build().into(),
            page_size: PAGE_SIZE,
        };
        match remote.list_page("", None, 1) {
            Ok(_) => Ok(remote),
            Err(Error::RemoteIo(e)) if e.kind() == io::ErrorKind::InvalidData => {
                Err(Error::InvalidRemote(format!(
                    "{} does not answer like an S3 store; check the endpoint",
                    remote.address.endpoint
                )))
            }
            Err(e) => Err(e),
        }
    }

    /// Lists `n` names per request instead of S3's 1000 (tests of
    /// pagination; 1 to 1000).
    pub fn with_page_size(mut self, n: usize) -> Self {
        self.page_size = n.clamp(1, PAGE_SIZE);
        self
    }

    /// The address it was opened with.
    pub fn address(&self) -> &S3Address {
        &self.address
    }

    fn creds(&self) -> Option<&rusty_s3::Credentials> {
        Some(&self.credentials.0)
    }

    /// One page of the listing from `token` on: the keys (every key, ours
    /// or not) and the token of the next page.
    fn list_page(
        &self,
        prefix: &str,
        token: Option<&str>,
        max: usize,
    ) -> Result<(Vec<String>, Option<String>)> {
        let mut action = self.bucket.list_objects_v2(self.creds());
        action.with_max_keys(max);
        if !prefix.is_empty() {
            action.with_prefix(prefix);
        }
        if let Some(t) = token {
            action.with_continuation_token(t);
        }
        let url = action.sign(SIGNATURE_LIFETIME);
        let mut resp = asked_again_if_busy(|| self.agent.get(url.as_str()).call())?;
        if !resp.status().is_success() {
            return Err(self.refused("list", resp));
        }
        let text = read_limited(&mut resp, MAX_LISTING_PAGE)
            .map_err(|e| not_s3_if_too_large(e, "a listing page"))?;
        let text = String::from_utf8(text).map_err(|_| not_s3("a listing that is not UTF-8"))?;
        let page = rusty_s3::actions::ListObjectsV2::parse_response(&text)
            .map_err(|_| not_s3("a listing that is not an S3 listing"))?;
        Ok((
            page.contents.into_iter().map(|c| c.key).collect(),
            page.next_continuation_token,
        ))
    }

    /// The error for a non-success answer to `what`.
    fn refused(&self, what: &str, mut resp: Response<ureq::Body>) -> Error {
        let status = resp.status();
        let code = read_limited(&mut resp, MAX_ERROR_BODY)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| quick_xml::de::from_str::<ErrorAnswer>(&t).ok())
            .map(|a| a.code)
            .filter(|c| {
                !c.is_empty() && c.len() <= 64 && c.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        let code_text = code.as_deref().unwrap_or("no S3 error code");
        if code.as_deref() == Some("NoSuchBucket") {
            return Error::InvalidRemote(format!(
                "the bucket {} does not exist on {}; check the address, or create the bucket",
                self.address.bucket, self.address.endpoint
            ));
        }
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Error::RemoteDenied(format!("{} {code_text}", status.as_u16()))
            }
            _ => Error::RemoteIo(io::Error::other(format!(
                "the S3 store answered {what} with {} ({code_text})",
                status.as_u16()
            ))),
        }
    }

    /// The objects whose names start with `prefix`, page by page. `listed`
    /// counts the keys of every range, so that a store handing out
    /// continuation tokens for ever is stopped whatever the range.
    fn list_range(
        &self,
        prefix: &str,
        listed: &std::sync::atomic::AtomicUsize,
    ) -> Result<Vec<ObjectName>> {
        use std::sync::atomic::Ordering;
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let (keys, next) = self.list_page(prefix, token.as_deref(), self.page_size)?;
            if listed.fetch_add(keys.len(), Ordering::Relaxed) + keys.len() > MAX_LISTED {
                return Err(not_s3("a listing that does not end"));
            }
            // Other keys in the bucket (files someone else put there) are
            // not objects, as in a folder; a key outside the range asked
            // for is the store's mistake, and is listed in its own range.
            out.extend(
                keys.iter()
                    .filter(|k| k.starts_with(prefix))
                    .filter_map(|k| ObjectName::parse(k)),
            );
            match next {
                Some(t) if Some(&t) == token.as_ref() => {
                    return Err(not_s3("a listing that repeats itself"));
                }
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// Whether `name` exists (HEAD).
    fn exists(&self, name: &ObjectName) -> Result<bool> {
        let url = self
            .bucket
            .head_object(self.creds(), name.as_str())
            .sign(SIGNATURE_LIFETIME);
        let resp = asked_again_if_busy(|| self.agent.head(url.as_str()).call())?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => Err(self.refused("a check for an object", resp)),
        }
    }
}

impl Remote for S3Remote {
    /// Each read waits a round trip to the store, so several go at once.
    fn parallel_reads(&self) -> bool {
        true
    }

    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool> {
        if self.exists(name)? {
            return Ok(false);
        }
        let mut action = self.bucket.put_object(self.creds(), name.as_str());
        // Signed, so no one on the way can strip it; a store without
        // conditional writes ignores it (see the module's comment).
        action.headers_mut().insert("if-none-match", "*");
        let url = action.sign(SIGNATURE_LIFETIME);
        // An S3 PUT is atomic: an interrupted upload stores nothing.
        // Asked again after a busy answer, a put that was stored after all
        // is refused by its condition (412): then it is read back, as any
        // put is before it counts as sent.
        let resp = asked_again_if_busy(|| {
            self.agent
                .put(url.as_str())
                .header("if-none-match", "*")
                .send(bytes)
        })?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::PRECONDITION_FAILED => Ok(false),
            _ => Err(self.refused("an upload", resp)),
        }
    }

    fn get(&self, name: &ObjectName) -> Result<Option<Vec<u8>>> {
        let url = self
            .bucket
            .get_object(self.creds(), name.as_str())
            .sign(SIGNATURE_LIFETIME);
        let mut resp = asked_again_if_busy(|| self.agent.get(url.as_str()).call())?;
        match resp.status() {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => {
                // The bucket itself missing is not a missing object.
                return match self.refused("a download", resp) {
                    e @ Error::InvalidRemote(_) => Err(e),
                    _ => Ok(None),
                };
            }
            _ => return Err(self.refused("a download", resp)),
        }
        // More than the largest object under an object's name is refused
        // like a damaged object (the sync goes on), and never read whole.
        let too_large = || Error::Tampered("the remote holds more than an object under its name");
        if resp
            .body()
            .content_length()
            .is_some_and(|n| n > MAX_OBJECT as u64)
        {
            return Err(too_large());
        }
        match read_limited(&mut resp, MAX_OBJECT as u64) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(ureq::Error::BodyExceedsLimit(_)) => Err(too_large()),
            Err(e) => Err(transport(e)),
        }
    }

    /// Every object, in one page when the bucket is small; otherwise the
    /// 16 ranges of names by first hex digit, listed at once. A listing is
    /// a chain of pages, each waiting for the last one's token: 10,000
    /// objects took ten round trips one after the other (290 ms through a
    /// local Garage, at every sync); the ranges are independent, so that
    /// is about two round trips.
    fn list(&self) -> Result<Vec<ObjectName>> {
        let (keys, next) = self.list_page("", None, self.page_size)?;
        if next.is_none() {
            return Ok(keys.iter().filter_map(|k| ObjectName::parse(k)).collect());
        }
        let listed = std::sync::atomic::AtomicUsize::new(0);
        let ranges = super::for_each_at_once(HEX_DIGITS.len(), true, |i| {
            self.list_range(&HEX_DIGITS[i..=i], &listed)
        })?;
        let mut out: Vec<ObjectName> = ranges.into_iter().flatten().collect();
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// Sends a request, again after each of [`RETRY_WAITS`] while the store
/// answers that it is busy or failed inside; the last answer is returned
/// for the caller to read. A store that cannot be reached is not asked
/// again: that is no passing state.
fn asked_again_if_busy(
    send: impl Fn() -> std::result::Result<Response<ureq::Body>, ureq::Error>,
) -> Result<Response<ureq::Body>> {
    let busy = |s: StatusCode| {
        s == StatusCode::TOO_MANY_REQUESTS
            || s == StatusCode::INTERNAL_SERVER_ERROR
            || s == StatusCode::BAD_GATEWAY
            || s == StatusCode::SERVICE_UNAVAILABLE
            || s == StatusCode::GATEWAY_TIMEOUT
    };
    for wait in RETRY_WAITS {
        let resp = send().map_err(transport)?;
        if !busy(resp.status()) {
            return Ok(resp);
        }
        std::thread::sleep(wait);
    }
    send().map_err(transport)
}

/// Reads an answer's body, at most `limit` bytes (one more is an error).
fn read_limited(resp: &mut Response<ureq::Body>, limit: u64) -> Result<Vec<u8>, ureq::Error> {
    resp.body_mut().with_config().limit(limit).read_to_vec()
}

/// An answer that S3 does not give (what a web server, a captive portal
/// or a hostile store may send): `remote_io`, with InvalidData so that
/// [`S3Remote::open`] can tell the user the endpoint is wrong.
fn not_s3(what: &str) -> Error {
    Error::RemoteIo(io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the store sent {what}"),
    ))
}

fn not_s3_if_too_large(e: ureq::Error, what: &str) -> Error {
    match e {
        ureq::Error::BodyExceedsLimit(_) => not_s3(&format!("{what} that is far too large")),
        e => transport(e),
    }
}

/// A failure to talk to the store at all (or an answer cut short).
fn transport(e: ureq::Error) -> Error {
    match e {
        ureq::Error::Io(e) => Error::remote_io(e),
        ureq::Error::Timeout(t) => Error::RemoteIo(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("the store did not answer in time ({t})"),
        )),
        e => Error::RemoteIo(io::Error::other(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn addresses_parse_with_their_defaults() {
        let a = S3Address::parse("s3://team-space?endpoint=http://127.0.0.1:3900").unwrap();
        assert_eq!(a.bucket(), "team-space");
        assert_eq!(a.endpoint().as_str(), "http://127.0.0.1:3900/");
        assert_eq!(a.region(), DEFAULT_REGION);
        let a = S3Address::parse(
            " s3://cases.ngo-1?endpoint=https%3A%2F%2Fs3.example.org&region=eu-west-1 ",
        )
        .unwrap();
        assert_eq!(a.endpoint().as_str(), "https://s3.example.org/");
        assert_eq!(a.region(), "eu-west-1");
        assert_eq!(
            S3Address::parse(&a.to_string()).unwrap(),
            a,
            "Display is an address"
        );
        let a = S3Address::parse("s3://abc?endpoint=http://[::1]:3900").unwrap();
        assert_eq!(a.bucket(), "abc");
        S3Address::parse("s3://abc?endpoint=http://localhost:3900").unwrap();
    }

    #[test]
    fn bad_addresses_are_refused_with_a_code() {
        for bad in [
            "s3://bucket",
            "s3://bucket?endpoint=",
            "s3://bucket?endpoint=ftp://127.0.0.1",
            "s3://bucket?endpoint=http://192.168.1.5:3900",
            "s3://bucket?endpoint=http://s3.example.org",
            "s3://bucket?endpoint=https://s3.example.org/path",
            "s3://bucket?endpoint=https://s3.example.org/?x=1",
            "s3://bucket?endpoint=https://user:pw@s3.example.org",
            "s3://key:secret@bucket?endpoint=https://s3.example.org",
            "s3://bucket:9000?endpoint=https://s3.example.org",
            "s3://bucket/sub?endpoint=https://s3.example.org",
            "s3://bucket?endpoint=https://s3.example.org&endpoint=https://other.org",
            "s3://bucket?endpoint=https://s3.example.org&regoin=x",
            "s3://bucket?endpoint=https://s3.example.org&region=a/b",
            "s3://bucket?endpoint=https://s3.example.org&region=",
            "s3://Bucket?endpoint=https://s3.example.org",
            "s3://ab?endpoint=https://s3.example.org",
            "s3://-ab?endpoint=https://s3.example.org",
            "s3://a..b?endpoint=https://s3.example.org",
            "s3://bucket_1?endpoint=https://s3.example.org",
            "s3://bucket?endpoint=https://s3.example.org#x",
            "file:///tmp",
            "not an address",
        ] {
            assert_eq!(
                S3Address::parse(bad).unwrap_err().code(),
                ErrorCode::InvalidRemote,
                "{bad}"
            );
        }
    }

    #[test]
    fn credentials_come_from_the_environment_or_a_private_file() {
        fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        }
        let c = S3Credentials::from_lookup(env(&[
            (KEY_ID_VAR, "GK0123"),
            (SECRET_VAR, "very-secret-value"),
        ]))
        .unwrap();
        assert_eq!(c.key_id(), "GK0123");
        let shown = format!("{c:?}");
        assert!(shown.contains("GK0123") && !shown.contains("very-secret-value"));
        for partial in [
            &[(KEY_ID_VAR, "GK0123")][..],
            &[(SECRET_VAR, "s")][..],
            &[(KEY_ID_VAR, "GK0123"), (SECRET_VAR, "  ")][..],
            &[][..],
        ] {
            assert_eq!(
                S3Credentials::from_lookup(env(partial)).unwrap_err().code(),
                ErrorCode::InvalidRemote
            );
        }

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s3.json");
        std::fs::write(&file, r#"{"key_id": "GKfile", "secret": "file-secret"}"#).unwrap();
        let path: &'static str = Box::leak(file.to_str().unwrap().to_owned().into_boxed_str());
        let from_file = || {
            S3Credentials::from_lookup(move |k| {
                (k == CREDENTIALS_FILE_VAR).then(|| path.to_owned())
            })
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_eq!(
                from_file().unwrap_err().code(),
                ErrorCode::InvalidRemote,
                "a file others can read is refused"
            );
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(from_file().unwrap().key_id(), "GKfile");
        for junk in [
            "",
            "GKfile file-secret",
            r#"{"key_id": "GKfile"}"#,
            r#"{"key_id": "GKfile", "secret": "s", "extra": 1}"#,
        ] {
            std::fs::write(&file, junk).unwrap();
            assert_eq!(
                from_file().unwrap_err().code(),
                ErrorCode::InvalidRemote,
                "{junk}"
            );
        }
    }
}
