//! The backend's own idle lock. The webview also locks after the vault's
//! `idle_lock_minutes` without input, but if the web process hangs or
//! crashes that timer dies with it and the vault would stay open. So the
//! backend keeps its own deadline: the time of the last command, pushed
//! forward by every command that touches the vault, and a thread that
//! locks the vault once the deadline passes.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// How often the timer looks at the deadline: a lock at most this late.
const TICK: Duration = Duration::from_secs(5);

/// The last activity, on a monotonic clock.
#[derive(Debug)]
pub struct Idle {
    last: Mutex<Instant>,
}

impl Idle {
    /// Starts counting at `now`.
    pub fn new(now: Instant) -> Self {
        Self {
            last: Mutex::new(now),
        }
    }

    /// Records activity at `now`.
    pub fn touch(&self, now: Instant) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if now > *last {
            *last = now;
        }
    }

    /// True when `minutes` have passed since the last activity.
    pub fn is_due(&self, now: Instant, minutes: u32) -> bool {
        let last = *self.last.lock().unwrap_or_else(|e| e.into_inner());
        deadline_passed(last, now, minutes)
    }
}

/// The deadline rule: locked once `minutes` have fully passed since `last`.
pub fn deadline_passed(last: Instant, now: Instant, minutes: u32) -> bool {
    now.saturating_duration_since(last) >= Duration::from_secs(u64::from(minutes) * 60)
}

/// Locks the vault if it is open and its idle deadline has passed.
/// Returns true when it locked.
pub fn check(app: &AppHandle, state: &AppState, now: Instant) -> bool {
    check_with(state, now, || crate::commands::vault::lock_now(app, state))
}

/// [`check`], with the locking step given: the vault is only looked at
/// when no command holds it (a running command is activity; the lock waits
/// for it).
fn check_with(state: &AppState, now: Instant, lock: impl FnOnce()) -> bool {
    let minutes = {
        let Some(slot) = state.try_slot() else {
            return false;
        };
        match slot.as_ref().map(|v| v.lock_settings()) {
            Some(Ok(settings)) => settings.idle_lock_minutes,
            // Unreadable settings: lock after the shortest delay rather
            // than never.
            Some(Err(_)) => 1,
            None => return false,
        }
    };
    if state.idle.is_due(now, minutes) {
        lock();
        true
    } else {
        false
    }
}

/// Starts the timer thread.
pub fn watch(app: &AppHandle) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("idle-lock".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                check(&app, &app.state::<AppState>(), Instant::now());
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_passes_exactly_after_the_idle_minutes() {
        let t0 = Instant::now();
        let idle = Idle::new(t0);
        assert!(!idle.is_due(t0, 5));
        assert!(!idle.is_due(t0 + Duration::from_secs(5 * 60 - 1), 5));
        assert!(idle.is_due(t0 + Duration::from_secs(5 * 60), 5));
        // Activity pushes the deadline forward; an older timestamp does not
        // pull it back.
        idle.touch(t0 + Duration::from_secs(4 * 60));
        idle.touch(t0 + Duration::from_secs(60));
        assert!(!idle.is_due(t0 + Duration::from_secs(5 * 60), 5));
        assert!(!idle.is_due(t0 + Duration::from_secs(9 * 60 - 1), 5));
        assert!(idle.is_due(t0 + Duration::from_secs(9 * 60), 5));
        // A clock reading before the last activity is never "due".
        assert!(!deadline_passed(t0 + Duration::from_secs(60), t0, 1));
    }

    /// An app state holding a real vault, unlocked, whose idle minutes are 3.
    fn unlocked_state(tag: &str) -> (AppState, std::path::PathBuf) {
        use casevault_core::crypto::kdf::{Argon2Params, KdfChoice};
        use casevault_core::secret::Passphrase;
        use casevault_core::vault::{CreateOptions, LockSettings, Vault};

        let dir = std::env::temp_dir().join(format!("casevault-idle-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let options = CreateOptions {
            kdf: KdfChoice::Fixed(Argon2Params::FLOOR),
        };
        let pass = Passphrase::from("idle lock test: walnut harbour 4417 quartz");
        let (mut vault, _) = Vault::create(
            &dir.join("v"),
            &pass,
            &options,
            casevault_core::Session::new("t", casevault_core::Clock::system()),
        )
        .unwrap();
        vault
            .set_lock_settings(LockSettings {
                idle_lock_minutes: 3,
                wipe_after_failed_unlocks: None,
            })
            .unwrap();
        let state = AppState::new(
            dir.join("v"),
            crate::prefs::PrefsStore::new(dir.join("prefs.json")),
            casevault_core::Session::new("t", casevault_core::Clock::system()),
        );
        *state.slot() = Some(vault);
        (state, dir)
    }

    /// The whole backend path on a real vault: commands push the deadline,
    /// the timer locks once the vault's own idle minutes have passed.
    #[test]
    fn the_timer_locks_a_real_vault_after_its_idle_minutes() {
        let (state, dir) = unlocked_state("timer");
        let t0 = Instant::now();
        state.idle.touch(t0);
        let lock = || {
            state.slot().take();
        };
        assert!(!check_with(&state, t0 + Duration::from_secs(179), lock));
        assert!(state.slot().is_some());
        // A command in between pushes the deadline forward.
        state.with_vault(|v| v.lock_settings()).unwrap();
        let after_command = Instant::now();
        assert!(!check_with(
            &state,
            after_command + Duration::from_secs(179),
            || {
                state.slot().take();
            }
        ));
        // While a command holds the vault, the timer waits for it.
        {
            let _held = state.slot();
            assert!(!check_with(
                &state,
                after_command + Duration::from_secs(3600),
                || {}
            ));
        }
        let late = Instant::now() + Duration::from_secs(180);
        assert!(check_with(&state, late, || {
            state.slot().take();
        }));
        assert!(state.slot().is_none(), "the vault must be locked");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A sync the Team view's timer starts is not the person's activity:
    /// the backend's deadline stays where the last command left it, so a
    /// vault left open with the timer running still locks on time. A sync
    /// the person starts pushes it, as any command does.
    #[test]
    fn a_timed_sync_is_not_activity_and_a_person_s_sync_is() {
        let (state, dir) = unlocked_state("timed");
        let t0 = Instant::now();
        let three_minutes_on = t0 + Duration::from_secs(180);
        let remote = dir.join("usb-stick");
        std::fs::create_dir_all(&remote).unwrap();
        let (app, webview) = crate::contract::app_on(state);
        let state = app.state::<AppState>();
        state.idle.touch(t0);
        let run = |timed: Option<bool>| {
            let req = serde_json::json!({ "remote": remote.display().to_string(), "timed": timed });
            crate::contract::invoke(&webview, "space_sync", Some(&req)).expect("the sync runs");
        };
        run(Some(true));
        assert!(
            state.idle.is_due(three_minutes_on, 3),
            "a timed sync counted as activity"
        );
        run(None);
        assert!(
            !state.idle.is_due(three_minutes_on, 3),
            "a person's sync is activity"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
