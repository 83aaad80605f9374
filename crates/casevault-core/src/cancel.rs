//! Cancelling long work from another thread.
//!
//! Locking the vault must not wait behind a long command (a 4 GiB attach,
//! a deep audit): the key has to leave memory now, for instance when the
//! laptop is about to suspend. The app gives each command it runs a
//! [`Cancel`] token for the duration of the call ([`Cancel::scope`]), and
//! the loops that can run for minutes call [`check`] between chunks. The
//! token is per thread rather than a parameter, so that every public
//! function that may end in such a loop does not grow an argument the CLI
//! (where Ctrl-C ends the process) never needs.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// A flag another thread sets to stop the work that watches it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

thread_local! {
    static CURRENT: RefCell<Option<Cancel>> = const { RefCell::new(None) };
}

impl Cancel {
    /// A token not yet set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the work watching this token to stop at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Clears the request, for the work that starts after it.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// True once [`Cancel::cancel`] was called (and not reset).
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Runs `f` on this thread with this token watched by [`check`]. The
    /// previous token (if scopes nest) is restored afterwards, also when
    /// `f` panics.
    pub fn scope<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Restore(Option<Cancel>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|c| c.borrow_mut().replace(self.clone()));
        let _restore = Restore(previous);
        f()
    }
}

/// Fails with [`Error::Cancelled`] when the token of the current
/// [`Cancel::scope`] was cancelled; outside any scope, never fails.
pub fn check() -> Result<()> {
    let cancelled = CURRENT.with(|c| c.borrow().as_ref().is_some_and(Cancel::is_cancelled));
    if cancelled {
        Err(Error::Cancelled)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn check_fails_only_inside_the_scope_of_a_cancelled_token() {
        let token = Cancel::new();
        assert!(check().is_ok());
        token.scope(|| assert!(check().is_ok()));
        token.cancel();
        let err = token.scope(check).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        // The scope ended: other work on this thread is not affected.
        assert!(check().is_ok());
        token.reset();
        assert!(token.scope(check).is_ok());
    }

    #[test]
    fn another_thread_cancels_the_work() {
        let token = Cancel::new();
        let remote = token.clone();
        let worker = std::thread::spawn(move || {
            remote.scope(|| {
                loop {
                    if let Err(e) = check() {
                        return e.code();
                    }
                    std::thread::yield_now();
                }
            })
        });
        token.cancel();
        assert_eq!(worker.join().unwrap(), ErrorCode::Cancelled);
    }

    /// A deep audit stopped by a lock fails as cancelled: it must not
    /// report the attachment it was hashing as damaged.
    #[test]
    fn a_cancelled_audit_and_copy_fail_as_cancelled_not_as_findings() {
        use crate::crypto::kdf::{Argon2Params, KdfChoice};
        use crate::secret::Passphrase;
        use crate::vault::attachments::AttachRequest;
        use crate::vault::{CreateOptions, Vault};

        let dir =
            std::env::temp_dir().join(format!("casevault-cancel-core-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("cancel test passphrase: harbour quartz 1997");
        let now = crate::session::testing::now();
        let (mut vault, _) = Vault::create(
            &dir.join("v"),
            &pass,
            &options,
            crate::session::testing::at(now),
        )
        .unwrap();
        let record = vault
            .insert_record("note", &serde_json::json!({ "n": 1 }))
            .unwrap();
        let source = dir.join("photo.jpg");
        std::fs::write(&source, vec![7u8; 300_000]).unwrap();
        let request = AttachRequest {
            record_id: &record,
            source: &source,
            derived_from: None,
            note: None,
        };
        let a = vault.attach(request, |_, _| {}).unwrap();

        let token = Cancel::new();
        token.cancel();
        let err = token
            .scope(|| vault.audit_verify(true, |_, _| {}))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        let copy = dir.join("copy.jpg");
        let err = token
            .scope(|| vault.save_attachment_copy(&a.id, &copy, |_, _| {}))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        assert!(!copy.exists());
        let err = token
            .scope(|| vault.attach(request, |_, _| {}))
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        assert_eq!(vault.all_attachments().unwrap().len(), 1);
        // Not cancelled, the same audit finds nothing wrong.
        let report = vault.audit_verify(true, |_, _| {}).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        drop(vault);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
