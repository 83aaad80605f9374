//! Locks the vault when the operating system says the user stepped away:
//! the screen saver or screen lock turns on, logind asks sessions to lock,
//! or the machine is about to suspend. Where the platform reports none of
//! these (no D-Bus, another OS), the idle timers still apply.
//!
//! For suspend, the app holds a logind delay inhibitor, so the machine
//! waits for the lock before it sleeps (see `take_sleep_delay`).

use tauri::{AppHandle, Manager};

use crate::commands::vault::lock_now;
use crate::state::AppState;

/// Starts the listeners in background threads. Failures (no bus) are
/// silent: they only mean the platform cannot tell us.
pub fn watch(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    {
        let session_app = app.clone();
        let _ = std::thread::Builder::new()
            .name("os-lock-session-bus".into())
            .spawn(move || linux::watch_session_bus(&session_app));
        let system_app = app.clone();
        let _ = std::thread::Builder::new()
            .name("os-lock-system-bus".into())
            .spawn(move || linux::watch_system_bus(&system_app));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

fn lock(app: &AppHandle) {
    lock_now(app, &app.state::<AppState>());
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use dbus::arg::OwnedFd;
    use dbus::blocking::Connection;
    use dbus::message::MatchRule;
    use tauri::AppHandle;

    /// Desktop screen savers announce `ActiveChanged(true)` when the screen
    /// locks or blanks; each desktop uses its own interface name.
    const SCREEN_SAVERS: &[&str] = &[
        "org.freedesktop.ScreenSaver",
        "org.gnome.ScreenSaver",
        "org.mate.ScreenSaver",
        "org.cinnamon.ScreenSaver",
    ];

    pub fn watch_session_bus(app: &AppHandle) -> Result<(), dbus::Error> {
        let conn = Connection::new_session()?;
        for iface in SCREEN_SAVERS {
            let app = app.clone();
            conn.add_match(
                MatchRule::new_signal(*iface, "ActiveChanged"),
                move |(active,): (bool,), _, _| {
                    if active {
                        super::lock(&app);
                    }
                    true
                },
            )?;
        }
        loop {
            conn.process(Duration::from_secs(3600))?;
        }
    }

    /// logind's manager, where inhibitors are taken.
    const LOGIN1: &str = "org.freedesktop.login1";
    const LOGIN1_PATH: &str = "/org/freedesktop/login1";
    const LOGIN1_MANAGER: &str = "org.freedesktop.login1.Manager";

    /// Takes a logind "delay" inhibitor for sleep: logind then waits (up
    /// to its InhibitDelayMaxSec, 5 s by default) after announcing
    /// `PrepareForSleep(true)` until this descriptor is closed, so the key
    /// leaves memory before the machine suspends with it in RAM. Without
    /// the inhibitor, a laptop shut at a border can suspend before the
    /// signal is even handled.
    fn take_sleep_delay(conn: &Connection) -> Result<OwnedFd, dbus::Error> {
        let proxy = conn.with_proxy(LOGIN1, LOGIN1_PATH, Duration::from_secs(5));
        let (fd,): (OwnedFd,) = proxy.method_call(
            LOGIN1_MANAGER,
            "Inhibit",
            (
                "sleep",
                "Casevault",
                "lock the vault before suspend",
                "delay",
            ),
        )?;
        Ok(fd)
    }

    pub fn watch_system_bus(app: &AppHandle) -> Result<(), dbus::Error> {
        let conn = Connection::new_system()?;
        // Where there is no logind (a container, another init), the
        // signals below still lock when they come; there is just no delay.
        let inhibitor: Arc<Mutex<Option<OwnedFd>>> =
            Arc::new(Mutex::new(take_sleep_delay(&conn).ok()));
        let resumed = Arc::new(AtomicBool::new(false));
        let sleep_app = app.clone();
        let (held, woke) = (inhibitor.clone(), resumed.clone());
        conn.add_match(
            MatchRule::new_signal(LOGIN1_MANAGER, "PrepareForSleep"),
            move |(starting,): (bool,), _, _| {
                if starting {
                    super::lock(&sleep_app);
                    // Locked: let the suspend go ahead.
                    drop(held.lock().unwrap_or_else(|e| e.into_inner()).take());
                } else {
                    woke.store(true, Ordering::SeqCst);
                }
                true
            },
        )?;
        let lock_app = app.clone();
        conn.add_match(
            MatchRule::new_signal("org.freedesktop.login1.Session", "Lock"),
            move |(): (), _, _| {
                super::lock(&lock_app);
                true
            },
        )?;
        loop {
            conn.process(Duration::from_secs(3600))?;
            // Taken again after resume, outside the signal handler, which
            // must not wait for a method reply of its own.
            if resumed.swap(false, Ordering::SeqCst) {
                let mut held = inhibitor.lock().unwrap_or_else(|e| e.into_inner());
                if held.is_none() {
                    *held = take_sleep_delay(&conn).ok();
                }
            }
        }
    }
}
