//! The custody log's Merkle tree, RFC 9162 (Certificate Transparency v2)
//! style: leaf hash = SHA-256(0x00 ‖ leaf), node = SHA-256(0x01 ‖ left ‖
//! right), split at the largest power of two below the size.
//!
//! The tree, its proofs and their verification come from the `ct-merkle`
//! crate (RFC 6962 / 9162 trees over RustCrypto's `digest` 0.11, the same
//! `sha2` this crate uses); this module only fixes the hash, converts to
//! and from the hex the bundle and checkpoints carry, and pins the
//! algorithm to the published Certificate Transparency test vectors, so
//! that the Python verifier shipped in bundles (bundle/verify_custody.py)
//! and any other RFC implementation agree with it.

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use sha2::{Digest, Sha256};

/// One SHA-256 node or root.
pub type Hash = [u8; 32];

/// A tree over leaves given as their exact bytes.
pub struct Tree {
    inner: MemoryBackedTree<Sha256, Vec<u8>>,
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tree").field("size", &self.size()).finish()
    }
}

/// RFC 9162 §2.1.1: the hash of one leaf.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(leaf);
    h.finalize().into()
}

impl Tree {
    /// The tree over `leaves`, in order.
    pub fn new(leaves: impl IntoIterator<Item = Vec<u8>>) -> Self {
        let mut inner = MemoryBackedTree::new();
        for leaf in leaves {
            inner.push(leaf);
        }
        Self { inner }
    }

    /// Leaves in the tree.
    pub fn size(&self) -> u64 {
        self.inner.len()
    }

    /// The Merkle Tree Hash (SHA-256 of nothing for the empty tree).
    pub fn root(&self) -> Hash {
        (*self.inner.root().as_bytes()).into()
    }

    /// The audit path of leaf `index` (from 0), leaf to root.
    pub fn inclusion_proof(&self, index: u64) -> Option<Vec<Hash>> {
        (index < self.size()).then(|| chunks(self.inner.prove_inclusion(index as usize).as_bytes()))
    }

    /// The proof that the first `old_size` leaves are a prefix of this
    /// tree. `None` for an empty or larger old tree (nothing to prove).
    pub fn consistency_proof(&self, old_size: u64) -> Option<Vec<Hash>> {
        (old_size > 0 && old_size <= self.size()).then(|| {
            chunks(
                self.inner
                    .prove_consistency((self.size() - old_size) as usize)
                    .as_bytes(),
            )
        })
    }
}

fn chunks(bytes: &[u8]) -> Vec<Hash> {
    bytes
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32-byte chunk"))
        .collect()
}

fn root_of(hash: &Hash, size: u64) -> RootHash<Sha256> {
    RootHash::new((*hash).into(), size)
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose
/// root is `root`.
pub fn verify_inclusion(leaf: &[u8], index: u64, size: u64, root: &Hash, path: &[Hash]) -> bool {
    let proof = InclusionProof::<Sha256>::from_digests(path.iter().map(|h| h.into()));
    root_of(root, size)
        .verify_inclusion(&leaf, index, &proof)
        .is_ok()
}

/// Checks that the tree of `old_size` leaves with root `old_root` is a
/// prefix of the tree of `new_size` leaves with root `new_root`: the log
/// only grew. Equal sizes need equal roots and an empty proof.
pub fn verify_consistency(
    old_size: u64,
    old_root: &Hash,
    new_size: u64,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size == new_size {
        return old_root == new_root && proof.is_empty();
    }
    let proof = ConsistencyProof::<Sha256>::from_digests(proof.iter().map(|h| h.into()));
    root_of(new_root, new_size)
        .verify_consistency(&root_of(old_root, old_size), &proof)
        .is_ok()
}

/// Lowercase hex of a hash.
pub fn to_hex(h: &Hash) -> String {
    data_encoding::HEXLOWER.encode(h)
}

/// A hash from lowercase hex; `None` for anything else.
pub fn from_hex(s: &str) -> Option<Hash> {
    data_encoding::HEXLOWER
        .decode(s.as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
}

#[cfg(test)]
mod tests {
    //! The Certificate Transparency reference vectors (as published with
    //! transparency-dev/merkle's test data), so the tree is the standard
    //! one and not merely self-consistent.

    use super::*;

    fn h(s: &str) -> Hash {
        from_hex(s).unwrap()
    }

    fn reference() -> Vec<Vec<u8>> {
        [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ]
        .iter()
        .map(|s| data_encoding::HEXLOWER.decode(s.as_bytes()).unwrap())
        .collect()
    }

    const ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn roots_match_the_reference_for_every_size() {
        let leaves = reference();
        for n in 0..=leaves.len() {
            let tree = Tree::new(leaves[..n].iter().cloned());
            assert_eq!(to_hex(&tree.root()), ROOTS[n], "size {n}");
        }
        assert_eq!(leaf_hash(b""), h(ROOTS[1]));
    }

    #[test]
    fn inclusion_proofs_match_the_reference() {
        let leaves = reference();
        let tree = Tree::new(leaves.clone());
        let root = tree.root();
        let cases: [(u64, [&str; 3]); 2] = [
            (
                0,
                [
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                [
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
        ];
        for (index, want) in cases {
            let path = tree.inclusion_proof(index).unwrap();
            assert_eq!(path, want.map(h).to_vec(), "leaf {index}");
            assert!(verify_inclusion(
                &leaves[index as usize],
                index,
                8,
                &root,
                &path
            ));
        }
    }

    #[test]
    fn consistency_proofs_match_the_reference() {
        let tree = Tree::new(reference());
        let cases: [(u64, &[&str]); 3] = [
            (
                2,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (8, &[]),
        ];
        for (old, want) in cases {
            let proof = tree.consistency_proof(old).unwrap();
            let want: Vec<Hash> = want.iter().map(|s| h(s)).collect();
            assert_eq!(proof, want, "from {old}");
            assert!(verify_consistency(
                old,
                &h(ROOTS[old as usize]),
                8,
                &tree.root(),
                &proof
            ));
        }
    }

    /// Every leaf of every size up to 33, every old size: proofs verify,
    /// and a flipped bit, a wrong index or a wrong size never does.
    #[test]
    fn every_proof_verifies_and_no_altered_one_does() {
        let leaves: Vec<Vec<u8>> = (0u8..33).map(|i| vec![i, i.wrapping_mul(7)]).collect();
        for n in 1..=leaves.len() as u64 {
            let tree = Tree::new(leaves[..n as usize].iter().cloned());
            let root = tree.root();
            for i in 0..n {
                let leaf = &leaves[i as usize];
                let path = tree.inclusion_proof(i).unwrap();
                assert!(verify_inclusion(leaf, i, n, &root, &path));
                assert!(!verify_inclusion(&[9, 9, 9], i, n, &root, &path));
                if n > 1 {
                    assert!(!verify_inclusion(leaf, (i + 1) % n, n, &root, &path));
                    for k in 0..path.len() {
                        let mut bad = path.clone();
                        bad[k][k % 32] ^= 1;
                        assert!(!verify_inclusion(leaf, i, n, &root, &bad));
                    }
                }
                let mut bad_root = root;
                bad_root[31] ^= 0x80;
                assert!(!verify_inclusion(leaf, i, n, &bad_root, &path));
            }
            for m in 1..=n {
                let old = Tree::new(leaves[..m as usize].iter().cloned()).root();
                let proof = tree.consistency_proof(m).unwrap();
                assert!(verify_consistency(m, &old, n, &root, &proof), "{m}→{n}");
                let mut forged = old;
                forged[0] ^= 1;
                assert!(!verify_consistency(m, &forged, n, &root, &proof));
                for k in 0..proof.len() {
                    let mut bad = proof.clone();
                    bad[k][0] ^= 1;
                    assert!(!verify_consistency(m, &old, n, &root, &bad));
                }
            }
        }
    }
}
