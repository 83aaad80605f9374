//! SHA-256, the one hash of evidence and of the custody log: a one-shot
//! digest, and a digest taken on a second thread while the bytes stream
//! through other work.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// SHA-256.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

/// Runs `work`, which produces the file's bytes in order through the
/// callback it is given, while a second thread hashes them: SHA-256 and
/// the cipher each take about as long as the other, so on two cores the
/// pipeline runs at the speed of the slower one instead of their sum.
/// Returns `work`'s result and the hex digest.
pub(crate) fn hash_in_background<T>(
    work: impl FnOnce(&mut dyn FnMut(Zeroizing<Vec<u8>>) -> Result<()>) -> Result<T>,
) -> Result<(T, String)> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Zeroizing<Vec<u8>>>(8);
        let hasher = scope.spawn(move || {
            let mut h = Sha256::new();
            for chunk in rx {
                h.update(&chunk[..]);
            }
            data_encoding::HEXLOWER.encode(&h.finalize())
        });
        let result = work(&mut |chunk| {
            tx.send(chunk)
                .map_err(|_| Error::Internal("the hashing thread stopped".into()))
        });
        drop(tx);
        let digest = hasher
            .join()
            .map_err(|_| Error::Internal("the hashing thread panicked".into()))?;
        result.map(|t| (t, digest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_background_digest_is_the_digest_of_the_bytes_in_order() {
        let chunks: Vec<&[u8]> = vec!["Показания ".as_bytes(), b"", b"of 12 March", &[0u8; 70_000]];
        let whole: Vec<u8> = chunks.concat();
        let (count, digest) = hash_in_background(|hash| {
            for c in &chunks {
                hash(Zeroizing::new(c.to_vec()))?;
            }
            Ok(chunks.len())
        })
        .unwrap();
        assert_eq!(count, 4);
        assert_eq!(digest, sha256_hex(&whole));
        // The known vector, so the pair cannot agree on a wrong digest.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_failure_in_the_work_is_returned_and_the_thread_ends() {
        let err = hash_in_background(|hash| -> Result<()> {
            hash(Zeroizing::new(b"partial".to_vec()))?;
            Err(Error::invalid(
                "file",
                crate::model::problem::ProblemCode::FileGrew,
            ))
        })
        .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
    }
}
