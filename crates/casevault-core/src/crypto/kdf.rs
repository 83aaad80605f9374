//! Passphrase key derivation: argon2id with per-slot parameters, calibrated
//! on the user's machine when a slot is created.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

use crate::secret::{Passphrase, WrappingKey};
use crate::{Error, Result};

/// argon2id cost parameters as stored in a key slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Argon2Params {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Argon2Params {
    /// RFC 9106's second recommended option, our floor: 64 MiB, t=3, p=4.
    pub const FLOOR: Argon2Params = Argon2Params {
        m_kib: 64 * 1024,
        t: 3,
        p: 4,
    };

    /// The largest parameters we accept from a slot on disk, so that a
    /// tampered header cannot make unlock allocate absurd memory or spin.
    pub const CEILING: Argon2Params = Argon2Params {
        m_kib: 4 * 1024 * 1024,
        t: 64,
        p: 16,
    };

    /// Memory we prefer to spend before adding passes (RFC 9106: spend the
    /// time budget on memory first).
    const PREFERRED_MIN_M_KIB: u32 = 256 * 1024;

    /// Checks that stored parameters are neither weaker than the floor
    /// (a downgrade) nor beyond the ceiling (a denial of service).
    pub fn validate_stored(&self) -> Result<()> {
        let f = Self::FLOOR;
        let c = Self::CEILING;
        if self.m_kib < f.m_kib || self.t < f.t || self.p < f.p {
            return Err(Error::tampered(
                "a key slot asks for weaker key derivation than Casevault ever writes",
            ));
        }
        if self.m_kib > c.m_kib || self.t > c.t || self.p > c.p {
            return Err(Error::tampered(
                "a key slot asks for implausibly expensive key derivation",
            ));
        }
        Ok(())
    }

    fn argon2(&self) -> Result<Argon2<'static>> {
        let params = Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| Error::Internal(format!("argon2 parameters rejected: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Derives the slot's wrapping key from a passphrase.
    pub(crate) fn derive(&self, passphrase: &Passphrase, salt: &[u8]) -> Result<WrappingKey> {
        let mut out = WrappingKey::zeroed();
        self.argon2()?
            .hash_password_into(passphrase.expose().as_bytes(), salt, out.0.as_mut())
            .map_err(|e| Error::Internal(format!("argon2 failed: {e}")))?;
        Ok(out)
    }

    /// Time one derivation with these parameters.
    pub fn measure(&self) -> Result<Duration> {
        let start = Instant::now();
        self.derive(&Passphrase::from("calibration"), &[0u8; 16])?;
        Ok(start.elapsed())
    }
}

/// How to choose argon2id parameters for a new key slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdfChoice {
    /// Calibrate on this machine to about this much time per unlock.
    Calibrate {
        /// The time budget for one unlock.
        target: Duration,
    },
    /// Use these parameters (raised to the floor if weaker).
    Fixed(Argon2Params),
}

impl Default for KdfChoice {
    fn default() -> Self {
        KdfChoice::Calibrate {
            target: Duration::from_secs(1),
        }
    }
}

impl KdfChoice {
    /// Resolves the choice to concrete parameters.
    pub fn resolve(self) -> Result<Argon2Params> {
        match self {
            KdfChoice::Fixed(p) => Ok(Argon2Params {
                m_kib: p
                    .m_kib
                    .clamp(Argon2Params::FLOOR.m_kib, Argon2Params::CEILING.m_kib),
                t: p.t.clamp(Argon2Params::FLOOR.t, Argon2Params::CEILING.t),
                p: p.p.clamp(Argon2Params::FLOOR.p, Argon2Params::CEILING.p),
            }),
            KdfChoice::Calibrate { target } => calibrate(target, available_memory_kib()),
        }
    }
}

/// Finds argon2id parameters that take about `target` here. Memory grows
/// first (up to a quarter of available RAM and 2 GiB); passes are added only
/// once memory is capped. Never goes below the floor.
pub fn calibrate(target: Duration, available_kib: Option<u64>) -> Result<Argon2Params> {
    let floor = Argon2Params::FLOOR;
    let memory_cap_kib = available_kib
        .map(|kib| (kib / 4).min(2 * 1024 * 1024) as u32)
        .unwrap_or(Argon2Params::PREFERRED_MIN_M_KIB)
        .max(floor.m_kib);

    let probe = floor;
    let probe_time = probe.measure()?;
    if probe_time >= target {
        return Ok(floor);
    }
    // Time is close to linear in m·t at fixed lanes.
    let scale = target.as_secs_f64() / probe_time.as_secs_f64().max(1e-6);
    let wanted_m = (f64::from(probe.m_kib) * scale) as u64;
    let m_kib = (wanted_m.min(u64::from(memory_cap_kib)) as u32 / 1024 * 1024).max(floor.m_kib);
    let leftover = wanted_m as f64 / f64::from(m_kib);
    let t =
        ((f64::from(probe.t) * leftover).floor() as u32).clamp(floor.t, Argon2Params::CEILING.t);
    Ok(Argon2Params {
        m_kib,
        t,
        p: floor.p,
    })
}

/// Available memory in KiB, from `/proc/meminfo` where there is one.
pub fn available_memory_kib() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_params_outside_bounds_are_rejected() {
        assert!(Argon2Params::FLOOR.validate_stored().is_ok());
        let weak = Argon2Params {
            m_kib: 1024,
            ..Argon2Params::FLOOR
        };
        assert!(matches!(
            weak.validate_stored(),
            Err(Error::Tampered { .. })
        ));
        let huge = Argon2Params {
            m_kib: u32::MAX,
            ..Argon2Params::FLOOR
        };
        assert!(matches!(
            huge.validate_stored(),
            Err(Error::Tampered { .. })
        ));
    }

    #[test]
    fn fixed_choice_is_raised_to_the_floor() {
        let p = KdfChoice::Fixed(Argon2Params {
            m_kib: 8,
            t: 1,
            p: 1,
        })
        .resolve()
        .unwrap();
        assert_eq!(p, Argon2Params::FLOOR);
    }

    #[test]
    fn calibration_prefers_memory_and_respects_the_floor() {
        // A zero budget is below anything: the floor.
        assert_eq!(
            calibrate(Duration::ZERO, None).unwrap(),
            Argon2Params::FLOOR
        );
        // A generous budget with little RAM: memory capped, passes added.
        let p = calibrate(Duration::from_millis(1500), Some(4 * 64 * 1024)).unwrap();
        assert_eq!(p.m_kib, 64 * 1024);
        assert!(p.t > 3, "{p:?}");
    }

    #[test]
    fn derivation_depends_on_passphrase_and_salt() {
        let p = Argon2Params::FLOOR;
        let a = p.derive(&Passphrase::from("one"), &[1; 16]).unwrap();
        let b = p.derive(&Passphrase::from("two"), &[1; 16]).unwrap();
        let c = p.derive(&Passphrase::from("one"), &[2; 16]).unwrap();
        let a2 = p.derive(&Passphrase::from("one"), &[1; 16]).unwrap();
        assert_eq!(*a.0, *a2.0);
        assert_ne!(*a.0, *b.0);
        assert_ne!(*a.0, *c.0);
    }
}
