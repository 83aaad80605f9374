//! Passphrase strength, judged by zxcvbn. Vaults refuse passphrases scoring
//! below 3 ("safely unguessable: moderate protection from offline attack")
//! because a seized laptop invites exactly that attack.

use serde::Serialize;

use crate::secret::Passphrase;
use crate::{Error, Result};

/// The lowest zxcvbn score a vault passphrase may have.
pub const MIN_SCORE: u8 = 3;
/// Longer input is refused: nobody types it, and zxcvbn slows on it.
pub const MAX_LEN: usize = 1024;

/// A strength report for the UI's meter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Strength {
    /// zxcvbn score, 0 (weakest) to 4.
    pub score: u8,
    /// Whether the vault will accept it.
    pub acceptable: bool,
    /// zxcvbn's warning, in English.
    pub warning: Option<String>,
    /// zxcvbn's suggestions, in English.
    pub suggestions: Vec<String>,
}

/// Rates a passphrase. `context` holds words the passphrase should not be
/// built from (the vault name, the user's name).
pub fn rate(passphrase: &Passphrase, context: &[&str]) -> Strength {
    let text = passphrase.expose();
    if text.chars().count() > MAX_LEN {
        return Strength {
            score: 0,
            acceptable: false,
            warning: Some(format!("Passphrases are limited to {MAX_LEN} characters")),
            suggestions: vec![],
        };
    }
    let entropy = zxcvbn::zxcvbn(text, context);
    let score = u8::from(entropy.score());
    let (warning, suggestions) = match entropy.feedback() {
        Some(fb) => (
            fb.warning().map(|w| w.to_string()),
            fb.suggestions().iter().map(|s| s.to_string()).collect(),
        ),
        None => (None, vec![]),
    };
    Strength {
        score,
        acceptable: score >= MIN_SCORE,
        warning,
        suggestions,
    }
}

/// Refuses a passphrase that is too weak, explaining why.
pub fn require_strong(passphrase: &Passphrase, context: &[&str]) -> Result<()> {
    let s = rate(passphrase, context);
    if s.acceptable {
        Ok(())
    } else {
        Err(Error::WeakPassphrase {
            warning: s.warning,
            suggestions: s.suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_refused_with_a_reason() {
        for weak in ["", "password", "qwerty123", "Moldashev2008"] {
            let err = require_strong(&Passphrase::from(weak), &["Moldashev"]).unwrap_err();
            assert!(matches!(err, Error::WeakPassphrase { .. }), "{weak}: {err}");
        }
    }

    #[test]
    fn a_long_random_sentence_is_accepted() {
        let s = rate(
            &Passphrase::from("tulip granite veranda oxygen mosaic"),
            &[],
        );
        assert!(s.acceptable, "{s:?}");
        assert!(s.score >= MIN_SCORE);
    }

    #[test]
    fn absurdly_long_input_is_refused_quickly() {
        let s = rate(&Passphrase::new("a".repeat(MAX_LEN + 1)), &[]);
        assert!(!s.acceptable);
    }
}
