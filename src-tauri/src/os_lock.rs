//! Locks the vault when the operating system says the user stepped away:
//! the screen saver or screen lock turns on, logind asks sessions to lock,
//! or the machine is about to suspend. Where the platform reports none of
//! these (no D-Bus, another OS), the idle timer in the UI still applies.

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
    use std::time::Duration;

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

    pub fn watch_system_bus(app: &AppHandle) -> Result<(), dbus::Error> {
        let conn = Connection::new_system()?;
        let sleep_app = app.clone();
        conn.add_match(
            MatchRule::new_signal("org.freedesktop.login1.Manager", "PrepareForSleep"),
            move |(starting,): (bool,), _, _| {
                if starting {
                    super::lock(&sleep_app);
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
        }
    }
}
