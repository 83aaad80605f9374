//! Who is writing and what time it is: the two facts every change to a
//! vault records, given once when the vault is opened or created.
//!
//! The core reads neither the environment nor the wall clock itself (a
//! `clippy.toml` lint forbids both): the CLI and the app build a
//! [`Session`] from the operating-system login and [`Clock::system`], and
//! tests give a [`Clock::fixed`] time, so what they check does not depend
//! on when they run.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// The author and the time source of every change made through a vault.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who is writing: the name custody entries and record versions carry.
    pub actor: String,
    /// Where the time of each change comes from.
    pub clock: Clock,
}

impl Session {
    /// A session for `actor` with the time from `clock`.
    pub fn new(actor: impl Into<String>, clock: Clock) -> Self {
        Self {
            actor: actor.into(),
            clock,
        }
    }

    /// The time now, by this session's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// A time source, cheap to clone: the system clock, or a manual one that
/// only moves when told.
#[derive(Debug, Clone)]
pub struct Clock(Source);

#[derive(Debug, Clone)]
enum Source {
    System,
    Manual(ManualClock),
}

impl Clock {
    /// The operating system's clock.
    pub fn system() -> Self {
        Self(Source::System)
    }

    /// A clock that always says `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Source::Manual(ManualClock::new(at)))
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => system_now(),
            Source::Manual(m) => m.now(),
        }
    }
}

impl From<ManualClock> for Clock {
    fn from(m: ManualClock) -> Self {
        Self(Source::Manual(m))
    }
}

/// The one place the core reads the wall clock.
#[allow(clippy::disallowed_methods)]
// Why: a session built with `Clock::system()` (the CLI, the app) is asked
// for the real time; everything else asks the session.
fn system_now() -> DateTime<Utc> {
    Utc::now()
}

/// A clock a test moves by hand: every clone (and every [`Clock`] made from
/// one) sees the same time, so a test can open a vault with it and then
/// step days forward.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    /// A clock that says `at` until moved.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// The time it says.
    pub fn now(&self) -> DateTime<Utc> {
        // A poisoned lock still holds a valid time.
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the time it says.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    /// Moves it by `by` (backwards when negative).
    pub fn advance(&self, by: chrono::TimeDelta) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
}

/// Sessions for the core's unit tests: a fixed time, so that what they
/// check does not depend on when they run.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use chrono::TimeZone;

    /// The time every unit test's vault is written at.
    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    /// Actor "t" at [`now`].
    pub fn session() -> Session {
        at(now())
    }

    /// Actor "t" at `t`.
    pub fn at(t: DateTime<Utc>) -> Session {
        Session::new("t", Clock::fixed(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_every_clock_made_from_it() {
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let manual = ManualClock::new(t);
        let clock = Clock::from(manual.clone());
        let session = Session::new("a", clock.clone());
        assert_eq!(session.now(), t);
        manual.advance(chrono::TimeDelta::days(1));
        assert_eq!(clock.now(), t + chrono::TimeDelta::days(1));
        assert_eq!(session.now(), t + chrono::TimeDelta::days(1));
        manual.set(t);
        assert_eq!(session.clone().now(), t);
        assert_eq!(Clock::fixed(t).now(), t);
    }
}
