//! Chunks of an evidence file being received from a team space, kept on
//! disk until the file is filed, so that a download that stops (the link
//! drops, the laptop sleeps, the vault locks) resumes at the next sync
//! where it stopped instead of fetching every chunk again.
//!
//! The sync crate hands each chunk over as it came from the remote (the
//! sealed object, with the slot it was read from) and verifies it again
//! when it reads it back, so a spooled chunk is trusted no more than the
//! remote's copy. It is kept encrypted once more, to the vault's
//! attachment identity (like the blobs, `blobs.rs`): nothing in
//! `incoming/` is readable without the vault key, and its bytes do not
//! match the remote's objects, which would tie a seized laptop to a
//! seized bucket. Files are named after the attachment id and the chunk's
//! index, as `attachments/` names blobs after the attachment id.

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::Vault;
use super::blobs::PARTIAL_SUFFIX;
use crate::{Error, Result};

/// The folder of spooled chunks, in the vault's folder.
pub(crate) const DIR: &str = "incoming";

/// The spooled chunks of one file being received. Holds the attachment
/// identity, a secret, as the blob store does while it reads or writes a
/// blob: its `Debug` shows the file's id only.
pub struct ReceiveSpool {
    dir: PathBuf,
    file_id: String,
    identity: age::x25519::Identity,
}

impl std::fmt::Debug for ReceiveSpool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiveSpool")
            .field("file_id", &self.file_id)
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// The spool of the file `file_id` receives into: 32 lowercase hex
    /// characters, as every attachment id.
    pub fn receive_spool(&self, file_id: &str) -> Result<ReceiveSpool> {
        if file_id.len() != 32
            || !file_id
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(Error::invalid(
                "attachment",
                crate::model::problem::ProblemCode::IdFormat,
            ));
        }
        Ok(ReceiveSpool {
            dir: self.paths.dir.join(DIR),
            file_id: file_id.to_owned(),
            identity: self.blob_identity()?,
        })
    }

    /// Overwrites and removes every spooled chunk (travel mode: nothing
    /// of an unloaded space stays, not even half a file).
    pub(crate) fn shred_spools(&self) -> Result<()> {
        let dir = self.paths.dir.join(DIR);
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            super::blobs::shred_file(&entry.path())?;
        }
        Ok(())
    }
}

impl ReceiveSpool {
    fn path(&self, index: u64) -> PathBuf {
        self.dir.join(format!("{}.{index}.age", self.file_id))
    }

    /// Keeps chunk `index`, as received: `parts`, one after the other.
    /// Written under a partial name first, so a crash leaves no half chunk
    /// to read; not synced to disk, since a chunk lost to a crash (or
    /// damaged: see [`ReceiveSpool::get`]) is only fetched again, and a
    /// sync per chunk cost seconds of every gigabyte received.
    pub fn put(&self, index: u64, parts: &[&[u8]]) -> Result<()> {
        crate::private_fs::create_dir_all(&self.dir)
            .map_err(|e| Error::io("create", &self.dir, e))?;
        let path = self.path(index);
        let partial = path.with_extension(format!("age{PARTIAL_SUFFIX}"));
        let _ = fs::remove_file(&partial);
        let write = || -> std::io::Result<()> {
            let file = crate::private_fs::create_new_file(&partial)?;
            let recipient = self.identity.to_public();
            let encryptor =
                age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                    .map_err(std::io::Error::other)?;
            let mut writer = encryptor.wrap_output(file)?;
            for part in parts {
                writer.write_all(part)?;
            }
            writer.finish()?;
            fs::rename(&partial, &path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&partial);
            Error::io("write", &path, e)
        })
    }

    /// Chunk `index` as it was kept, if it was and still decrypts; a file
    /// that does not (damaged on disk) is removed, and the chunk is
    /// fetched again.
    pub fn get(&self, index: u64) -> Option<Zeroizing<Vec<u8>>> {
        let path = self.path(index);
        let file = File::open(&path).ok()?;
        let read = || -> Option<Zeroizing<Vec<u8>>> {
            let decryptor = age::Decryptor::new_buffered(BufReader::new(file)).ok()?;
            let mut reader = decryptor
                .decrypt(std::iter::once(&self.identity as &dyn age::Identity))
                .ok()?;
            let mut out = Zeroizing::new(Vec::new());
            reader.read_to_end(&mut out).ok()?;
            Some(out)
        };
        let got = read();
        if got.is_none() {
            let _ = fs::remove_file(&path);
        }
        got
    }

    /// Removes the file's spooled chunks: it was filed, or refused.
    pub fn clear(&self) -> Result<()> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Ok(());
        };
        let prefix = format!("{}.", self.file_id);
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                remove(&entry.path())?;
            }
        }
        Ok(())
    }
}

fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::{Argon2Params, KdfChoice};
    use crate::secret::Passphrase;
    use crate::vault::CreateOptions;

    const ID: &str = "0123456789abcdef0123456789abcdef";

    fn vault(root: &Path) -> Vault {
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("spool test passphrase: quiet harbour lantern 5520");
        Vault::create(
            &root.join("v"),
            &pass,
            &options,
            crate::session::testing::session(),
        )
        .unwrap()
        .0
    }

    /// A chunk kept reads back as kept, is not readable on disk, and goes
    /// with `clear`; a damaged one reads as absent and is removed; a bad
    /// id is refused before anything is written.
    #[test]
    fn a_spooled_chunk_reads_back_encrypted_on_disk_and_goes_when_cleared() {
        let root = tempfile::tempdir().unwrap();
        let vault = vault(root.path());
        let spool = vault.receive_spool(ID).unwrap();
        let chunk = b"CANARY-SPOOL-4471 sealed chunk bytes".repeat(100);
        spool.put(0, &[b"slot", &chunk]).unwrap();
        spool.put(1, &[b"second"]).unwrap();
        assert_eq!(
            spool.get(0).unwrap().as_slice(),
            [&b"slot"[..], &chunk].concat()
        );
        assert!(spool.get(2).is_none());
        let dir = root.path().join("v").join(DIR);
        for e in fs::read_dir(&dir).unwrap().flatten() {
            let bytes = fs::read(e.path()).unwrap();
            assert!(!bytes.windows(17).any(|w| w == b"CANARY-SPOOL-4471"));
        }

        let first = dir.join(format!("{ID}.0.age"));
        let mut bytes = fs::read(&first).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        fs::write(&first, &bytes).unwrap();
        assert!(spool.get(0).is_none(), "damaged: fetched again");
        assert!(!first.exists());

        spool.clear().unwrap();
        assert!(spool.get(1).is_none());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);

        spool.put(3, &[b"left over"]).unwrap();
        vault.shred_spools().unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);

        let err = vault.receive_spool("../../etc/passwd").unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
    }
}
