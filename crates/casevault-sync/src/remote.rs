//! Remotes: where sealed objects travel. A remote stores opaque named
//! objects and is trusted with nothing (see [`crate::relay`] for what a
//! hostile one can do, and why it is harmless).
//!
//! [`Remote`] is what every kind implements: the folder remote here
//! (`file:///PATH`: a USB stick, or a folder that Syncthing or a file share
//! carries), and the S3 remote ([`s3`], `s3://BUCKET?endpoint=…`) for
//! Garage.

use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::object::MAX_OBJECT;
use crate::{Error, Result};

pub mod s3;

/// An object's name on a remote: 64 lowercase hex characters, the output
/// of a keyed hash. Nothing else is a valid name, so nothing a remote
/// lists can be a path, and nothing else in a shared folder is read.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectName(String);

impl fmt::Debug for ObjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectName({}…)", &self.0[..12])
    }
}

impl ObjectName {
    /// Length of a name.
    pub const LEN: usize = 64;

    pub(crate) fn from_mac(mac: &[u8; 32]) -> Self {
        ObjectName(data_encoding::HEXLOWER.encode(mac))
    }

    /// Reads a name as a remote lists it; `None` for anything that is not
    /// one of ours (a Syncthing conflict copy, a `.DS_Store`, a temp file).
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == Self::LEN && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| ObjectName(s.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What every remote does. Objects are immutable: a name, once written,
/// keeps its bytes.
pub trait Remote: fmt::Debug + Send + Sync {
    /// Stores `bytes` under `name`, visible to [`Remote::list`] and
    /// [`Remote::get`] only once complete: an interrupted put leaves no
    /// object. Returns `false`, writing nothing, if `name` already exists
    /// (whatever its bytes: the caller reads it back if that matters).
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool>;
    /// The bytes under `name`, or `None` if there is no such object.
    fn get(&self, name: &ObjectName) -> Result<Option<Vec<u8>>>;
    /// Every object's name, in no particular order.
    fn list(&self) -> Result<Vec<ObjectName>>;
    /// Whether reads gain from being sent several at once: a store across
    /// a network, where each read waits a round trip (Garage answers an
    /// object kept outside its metadata after about 40 ms), not a folder.
    /// Remotes that answer on a script (the hostile relay) keep the default,
    /// so that each read meets the fault meant for it, in order.
    fn parallel_reads(&self) -> bool {
        false
    }
}

/// What [`Remote::get`] found, with an object the remote holds but will
/// not serve (not an object file: a symlink, a huge file) told apart from
/// a remote that fails: the first is refused like a damaged object, the
/// second ends the sync.
pub(crate) enum Got {
    /// The object's bytes.
    Bytes(Vec<u8>),
    /// No such object.
    Missing,
    /// Something sits under the name that is not an object.
    Refused(crate::ErrorCode),
}

pub(crate) fn get(remote: &dyn Remote, name: &ObjectName) -> Result<Got> {
    match remote.get(name) {
        Ok(Some(b)) => Ok(Got::Bytes(b)),
        Ok(None) => Ok(Got::Missing),
        Err(e) if e.code() == crate::ErrorCode::Tampered => Ok(Got::Refused(e.code())),
        Err(e) => Err(e),
    }
}

/// How many reads [`get_many`] keeps in flight. Changes are small (a
/// record's JSON, padded), so this bounds memory too: at most this many
/// objects are held before the caller reads them.
pub(crate) const READS_AT_ONCE: usize = 16;

/// [`get`] for each of `names`, in order: several at once on a remote whose
/// reads gain from it ([`Remote::parallel_reads`]), one by one otherwise.
/// A failing remote ends it with the first error, as [`get`] would.
pub(crate) fn get_many(remote: &dyn Remote, names: &[ObjectName]) -> Result<Vec<Got>> {
    let parallel = remote.parallel_reads() && names.len() >= 2;
    for_each_at_once(names.len(), parallel, |i| get(remote, &names[i]))
}

/// `one(i)` for each `i` in `0..n`, results in order: on up to
/// [`READS_AT_ONCE`] threads when `parallel` (requests to a remote that
/// gains from several in flight), one by one otherwise. The first failure
/// stops the requests not yet started and is returned.
pub(crate) fn for_each_at_once<T: Send>(
    n: usize,
    parallel: bool,
    one: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    if !parallel {
        return (0..n).map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Vec<Mutex<Option<Result<T>>>> = (0..n).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..READS_AT_ONCE.min(n) {
            s.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let done = one(i);
                    if done.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(done);
                    }
                }
            });
        }
    });
    let mut out = Vec::with_capacity(n);
    for r in results {
        match r.into_inner().ok().flatten() {
            Some(done) => out.push(done?),
            // Not started because an earlier request failed: indices are
            // taken in order, so that error is returned above first.
            None => {
                return Err(Error::RemoteIo(std::io::Error::other(
                    "a request was not completed",
                )));
            }
        }
    }
    Ok(out)
}

/// Opens a remote from its address: `file:///PATH`, or
/// `s3://BUCKET?endpoint=…` with credentials from the environment
/// ([`s3::S3Credentials::from_env`]).
pub fn open(address: &str) -> Result<Box<dyn Remote>> {
    let url = url::Url::parse(address.trim())
        .map_err(|_| Error::InvalidRemote(format!("{address:?} is not an address")))?;
    match url.scheme() {
        "file" => {
            if url
                .host_str()
                .is_some_and(|h| !h.is_empty() && h != "localhost")
            {
                return Err(Error::InvalidRemote(
                    "a file:// address must name a local folder (file:///PATH)".into(),
                ));
            }
            let path = url
                .to_file_path()
                .map_err(|_| Error::InvalidRemote("the folder path is not valid".into()))?;
            Ok(Box::new(FolderRemote::open(&path)?))
        }
        "s3" => {
            // The address is checked before the credentials are looked for:
            // a mistyped address is the likelier mistake.
            let address = s3::S3Address::parse(address)?;
            let credentials = s3::S3Credentials::from_env()?;
            Ok(Box::new(s3::S3Remote::open(address, credentials)?))
        }
        other => Err(Error::InvalidRemote(format!(
            "{other}:// is not a kind of remote Casevault knows"
        ))),
    }
}

/// A folder: objects are files under `objects/`; a put writes under
/// `incoming/` first, syncs the file, renames it into place and syncs the
/// directory, so that a crash, an unplugged stick or a full disk leaves at
/// most an invisible `.part` file.
#[derive(Debug)]
pub struct FolderRemote {
    objects: PathBuf,
    incoming: PathBuf,
}

/// `.part` files older than this were left by an interrupted put.
const STALE_PART: Duration = Duration::from_secs(3600);

impl FolderRemote {
    /// Opens (and on first use, lays out) the remote in `root`, which must
    /// exist: a mistyped path must not silently become a new remote.
    pub fn open(root: &Path) -> Result<Self> {
        if !root.is_dir() {
            return Err(Error::InvalidRemote(format!(
                "{} is not a folder; create it or check the path",
                root.display()
            )));
        }
        let r = FolderRemote {
            objects: root.join("objects"),
            incoming: root.join("incoming"),
        };
        for dir in [&r.objects, &r.incoming] {
            match fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::remote_io(e)),
            }
        }
        r.clean_stale_parts();
        Ok(r)
    }

    /// Removes what interrupted puts left. Recent ones may belong to
    /// another device writing to the same folder right now, so they stay.
    fn clean_stale_parts(&self) {
        let Ok(dir) = fs::read_dir(&self.incoming) else {
            return;
        };
        let now = SystemTime::now();
        for entry in dir.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE_PART));
            if old && entry.file_name().to_string_lossy().ends_with(".part") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    fn put_via(
        &self,
        name: &ObjectName,
        bytes: &[u8],
        writer: &mut dyn FnMut(&mut fs::File, &[u8]) -> io::Result<()>,
    ) -> Result<bool> {
        let target = self.objects.join(name.as_str());
        if target.exists() {
            return Ok(false);
        }
        let suffix = data_encoding::HEXLOWER.encode(&casevault_core::crypto::random_bytes::<6>()?);
        let part = self
            .incoming
            .join(format!("{}.{suffix}.part", name.as_str()));
        let result = (|| {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&part)?;
            writer(&mut f, bytes)?;
            f.sync_all()?;
            drop(f);
            fs::rename(&part, &target)?;
            sync_dir(&self.objects)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&part);
            return Err(Error::remote_io(e));
        }
        Ok(true)
    }

    /// A put whose writer fails after `limit` bytes, as an unplugged stick
    /// or a full disk would (for tests of interrupted puts).
    #[cfg(test)]
    pub(crate) fn put_failing_after(
        &self,
        name: &ObjectName,
        bytes: &[u8],
        limit: usize,
    ) -> Result<bool> {
        self.put_via(name, bytes, &mut |f, b| {
            f.write_all(&b[..limit.min(b.len())])?;
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "injected: disk full",
            ))
        })
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    // Windows cannot open a directory as a file; NTFS journals the rename.
    Ok(())
}

impl Remote for FolderRemote {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool> {
        self.put_via(name, bytes, &mut |f, b| f.write_all(b))
    }

    fn get(&self, name: &ObjectName) -> Result<Option<Vec<u8>>> {
        // Whoever else writes the folder (a Syncthing peer, the last
        // holder of the stick) may leave a symlink (to /dev/zero, a FIFO,
        // a file of this device) or a huge file under an object's name:
        // refused before anything is read, and never read past the
        // largest object.
        let path = self.objects.join(name.as_str());
        let not_object = || Error::Tampered("it is not an object file");
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::remote_io(e)),
        };
        if !meta.file_type().is_file() || meta.len() > MAX_OBJECT as u64 {
            return Err(not_object());
        }
        let f = match fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::remote_io(e)),
        };
        // Swapped since the check: what was opened is what counts.
        if !f.metadata().map_err(Error::remote_io)?.is_file() {
            return Err(not_object());
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        f.take(MAX_OBJECT as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(Error::remote_io)?;
        if bytes.len() > MAX_OBJECT {
            return Err(not_object());
        }
        Ok(Some(bytes))
    }

    fn list(&self) -> Result<Vec<ObjectName>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(&self.objects).map_err(Error::remote_io)? {
            let entry = entry.map_err(Error::remote_io)?;
            if let Some(name) = entry.file_name().to_str().and_then(ObjectName::parse) {
                out.push(name);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn name(n: u8) -> ObjectName {
        ObjectName::from_mac(&[n; 32])
    }

    #[test]
    fn a_folder_remote_puts_gets_and_lists() {
        let dir = tempfile::tempdir().unwrap();
        let url = url::Url::from_directory_path(dir.path()).unwrap();
        let r = open(url.as_str()).unwrap();
        assert!(r.list().unwrap().is_empty());
        assert!(r.put(&name(1), b"one").unwrap());
        assert!(!r.put(&name(1), b"other").unwrap(), "objects are immutable");
        assert_eq!(r.get(&name(1)).unwrap().as_deref(), Some(&b"one"[..]));
        assert_eq!(r.get(&name(2)).unwrap(), None);
        // Other files in a shared folder are not objects.
        fs::write(dir.path().join("objects").join("notes.txt"), b"x").unwrap();
        fs::write(
            dir.path()
                .join("objects")
                .join(format!("{}.sync-conflict", name(3).as_str())),
            b"x",
        )
        .unwrap();
        assert_eq!(r.list().unwrap(), vec![name(1)]);
    }

    #[test]
    fn an_interrupted_put_leaves_no_object_and_the_next_one_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let r = FolderRemote::open(dir.path()).unwrap();
        let bytes = vec![9u8; 10_000];
        let err = r.put_failing_after(&name(1), &bytes, 4096).unwrap_err();
        assert_eq!(err.code(), ErrorCode::DiskFull);
        assert!(r.list().unwrap().is_empty());
        assert_eq!(r.get(&name(1)).unwrap(), None);
        assert_eq!(
            fs::read_dir(dir.path().join("incoming")).unwrap().count(),
            0
        );
        // A crash (no clean-up) leaves a .part; it is invisible, and the put resumes.
        fs::write(
            dir.path()
                .join("incoming")
                .join(format!("{}.abc.part", name(1).as_str())),
            &bytes[..100],
        )
        .unwrap();
        let r = FolderRemote::open(dir.path()).unwrap();
        assert!(r.list().unwrap().is_empty());
        assert!(r.put(&name(1), &bytes).unwrap());
        assert_eq!(r.get(&name(1)).unwrap().unwrap(), bytes);
    }

    #[test]
    fn what_else_sits_under_an_object_s_name_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let r = FolderRemote::open(dir.path()).unwrap();
        let objects = dir.path().join("objects");
        // The code only: a failure must not print 64 MiB.
        let code = |n: u8| r.get(&name(n)).err().map(|e| e.code());
        // Larger than any object (sparse: costs no disk).
        let huge = fs::File::create(objects.join(name(1).as_str())).unwrap();
        huge.set_len(MAX_OBJECT as u64 + 1).unwrap();
        assert_eq!(code(1), Some(ErrorCode::Tampered));
        // A directory.
        fs::create_dir(objects.join(name(2).as_str())).unwrap();
        assert_eq!(code(2), Some(ErrorCode::Tampered));
        // A symlink to a file of this device.
        #[cfg(unix)]
        {
            let local = dir.path().join("private.txt");
            fs::write(&local, b"this device's own file").unwrap();
            std::os::unix::fs::symlink(&local, objects.join(name(3).as_str())).unwrap();
            assert_eq!(code(3), Some(ErrorCode::Tampered));
        }
        // An object of the largest size still reads.
        let bytes = vec![5u8; MAX_OBJECT];
        assert!(r.put(&name(4), &bytes).unwrap());
        assert_eq!(r.get(&name(4)).unwrap().unwrap().len(), MAX_OBJECT);
    }

    #[test]
    fn bad_addresses_are_refused_with_a_code() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not-there");
        for bad in [
            "not a url".to_owned(),
            "http://example.org/x".to_owned(),
            "s3://bucket".to_owned(),
            "file://otherhost/x".to_owned(),
            url::Url::from_file_path(&missing).unwrap().to_string(),
        ] {
            assert_eq!(
                open(&bad).unwrap_err().code(),
                ErrorCode::InvalidRemote,
                "{bad}"
            );
        }
        assert!(!missing.exists(), "a mistyped path is not created");
        for bad in [
            "",
            "../etc/passwd",
            &"A".repeat(64),
            &"a".repeat(63),
            &format!("{}/", "a".repeat(63)),
        ] {
            assert!(ObjectName::parse(bad).is_none(), "{bad}");
        }
    }
}
