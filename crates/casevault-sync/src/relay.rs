//! A hostile relay: wraps any [`Remote`] and misbehaves on a script.
//!
//! It is what a seized or malicious server, or a meddling file share, can
//! do without the keys: withhold objects (drop puts and gets, leave names
//! out of listings), serve old listings, duplicate and reorder, replay one
//! object's bytes in place of another, and flip bits. The protocol must
//! make each of these harmless (replays, duplicates, reordering, stale
//! listings), visible (a withheld object is a gap) or refused (a flipped
//! byte). Used by the tests and the convergence benchmark.

use std::sync::Mutex;

use crate::Result;
use crate::remote::{ObjectName, Remote};

/// One misbehaviour, used for the next operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Behave.
    Honest,
    /// Put: pretend to store, store nothing. Get: say there is no such
    /// object. List: leave one name out.
    Drop,
    /// Put: store twice. List: repeat names.
    Duplicate,
    /// Get: serve the bytes of another object seen before. List: reverse.
    Replay,
    /// Get: flip one bit (at the given position, modulo the length).
    Flip(usize),
    /// List: serve the listing from an earlier call.
    Stale,
}

#[derive(Debug, Default)]
struct State {
    script: Vec<Fault>,
    next: usize,
    honest: bool,
    seen: Vec<Vec<u8>>,
    old_listing: Option<Vec<ObjectName>>,
    tampered_served: usize,
}

impl State {
    fn fault(&mut self) -> Fault {
        if self.honest || self.script.is_empty() {
            return Fault::Honest;
        }
        let f = self.script[self.next % self.script.len()];
        self.next += 1;
        f
    }
}

/// A [`Remote`] that misbehaves as its script says, in turn.
#[derive(Debug)]
pub struct HostileRelay<R> {
    inner: R,
    state: Mutex<State>,
}

impl<R: Remote> HostileRelay<R> {
    /// Wraps `inner`; each operation takes the next fault of `script`, in
    /// a cycle.
    pub fn new(inner: R, script: Vec<Fault>) -> Self {
        HostileRelay {
            inner,
            state: Mutex::new(State {
                script,
                ..State::default()
            }),
        }
    }

    /// From now on, behave (or misbehave again).
    pub fn set_honest(&self, honest: bool) {
        self.lock().honest = honest;
    }

    /// How many times it served bytes other than an object's own.
    pub fn tampered_served(&self) -> usize {
        self.lock().tampered_served
    }

    /// The wrapped remote.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl<R: Remote> Remote for HostileRelay<R> {
    fn put(&self, name: &ObjectName, bytes: &[u8]) -> Result<bool> {
        match self.lock().fault() {
            Fault::Drop => Ok(true),
            Fault::Duplicate => {
                let first = self.inner.put(name, bytes)?;
                self.inner.put(name, bytes)?;
                Ok(first)
            }
            _ => self.inner.put(name, bytes),
        }
    }

    fn get(&self, name: &ObjectName) -> Result<Option<Vec<u8>>> {
        let fault = self.lock().fault();
        let Some(real) = self.inner.get(name)? else {
            return Ok(None);
        };
        let mut st = self.lock();
        st.seen.push(real.clone());
        match fault {
            Fault::Drop => Ok(None),
            Fault::Replay => {
                let other = st.seen.iter().find(|b| **b != real).cloned();
                match other {
                    Some(b) => {
                        st.tampered_served += 1;
                        Ok(Some(b))
                    }
                    None => Ok(Some(real)),
                }
            }
            Fault::Flip(at) => {
                let mut b = real;
                let bit = at % (b.len() * 8);
                b[bit / 8] ^= 1 << (bit % 8);
                st.tampered_served += 1;
                Ok(Some(b))
            }
            _ => Ok(Some(real)),
        }
    }

    fn list(&self) -> Result<Vec<ObjectName>> {
        let fault = self.lock().fault();
        let mut names = self.inner.list()?;
        names.sort();
        let mut st = self.lock();
        let previous = st.old_listing.replace(names.clone());
        match fault {
            Fault::Drop if !names.is_empty() => {
                let i = st.next % names.len();
                names.remove(i);
            }
            Fault::Duplicate => names.extend(names.clone()),
            Fault::Replay => names.reverse(),
            Fault::Stale => {
                if let Some(p) = previous {
                    st.old_listing = Some(p.clone());
                    names = p;
                }
            }
            _ => {}
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::FolderRemote;

    fn name(n: u8) -> ObjectName {
        ObjectName::from_mac(&[n; 32])
    }

    /// The harness is only as good as its misbehaviour: each fault does
    /// what it says to a real folder remote.
    #[test]
    fn each_fault_misbehaves_as_described() {
        let dir = tempfile::tempdir().unwrap();
        let relay = HostileRelay::new(
            FolderRemote::open(dir.path()).unwrap(),
            vec![
                Fault::Drop,      // put 1: dropped
                Fault::Honest,    // put 1 again: stored
                Fault::Duplicate, // put 2: stored (twice)
                Fault::Honest,    // list
                Fault::Drop,      // list: one name left out
                Fault::Honest,    // put 3: stored
                Fault::Stale,     // list: as it was before put 3
                Fault::Flip(3),   // get 1: a flipped bit
                Fault::Replay,    // get 2: another object's bytes
                Fault::Drop,      // get 1: withheld
            ],
        );
        assert!(
            relay.put(&name(1), b"one").unwrap(),
            "a dropped put claims success"
        );
        assert_eq!(relay.inner().get(&name(1)).unwrap(), None);
        assert!(relay.put(&name(1), b"one").unwrap());
        assert!(relay.put(&name(2), b"two").unwrap());
        assert_eq!(relay.list().unwrap().len(), 2);
        assert_eq!(relay.list().unwrap().len(), 1);
        assert!(relay.put(&name(3), b"three").unwrap());
        assert_eq!(relay.list().unwrap(), vec![name(1), name(2)], "stale");
        let flipped = relay.get(&name(1)).unwrap().unwrap();
        assert_ne!(flipped, b"one");
        assert_eq!(flipped.len(), 3);
        assert_eq!(relay.get(&name(2)).unwrap().unwrap(), b"one", "replayed");
        assert_eq!(relay.get(&name(1)).unwrap(), None, "withheld");
        assert_eq!(relay.tampered_served(), 2);
        relay.set_honest(true);
        assert_eq!(relay.get(&name(2)).unwrap().unwrap(), b"two");
        assert_eq!(relay.list().unwrap().len(), 3);
    }
}
