//! UI preferences (the language) kept between runs. The webview has no
//! storage of its own (it runs incognito), so they live in a small file in
//! the user's config directory. Nothing from the vault is ever stored here.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Preferences the UI may read and write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct UiPrefs {
    /// "en", "ru" or "kk" (Kazakh: the self-report screens; the rest falls back to English).
    pub language: String,
}

impl Default for UiPrefs {
    fn default() -> Self {
        Self {
            language: "en".into(),
        }
    }
}

/// The languages the UI ships.
pub const LANGUAGES: &[&str] = &["en", "ru", "kk"];

/// Reads and writes [`UiPrefs`].
#[derive(Debug, Clone)]
pub struct PrefsStore {
    path: PathBuf,
}

impl PrefsStore {
    /// A store at `path`.
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    /// `<config dir>/casevault/ui.json`.
    pub fn default_location() -> Self {
        Self::new(
            dirs::config_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("casevault")
                .join("ui.json"),
        )
    }

    /// Reads the preferences; anything unreadable (or larger than any
    /// preferences file) falls back to defaults.
    pub fn load(&self) -> UiPrefs {
        const MAX_PREFS_BYTES: u64 = 64 * 1024;
        casevault_core::input::read_file(&self.path, MAX_PREFS_BYTES, "prefs", "a settings file")
            .ok()
            .and_then(|b| serde_json::from_slice::<UiPrefs>(&b).ok())
            .filter(|p| LANGUAGES.contains(&p.language.as_str()))
            .unwrap_or_default()
    }

    /// Validates and saves the preferences.
    pub fn save(&self, prefs: &UiPrefs) -> casevault_core::Result<()> {
        if !LANGUAGES.contains(&prefs.language.as_str()) {
            return Err(casevault_core::Error::invalid(
                "language",
                casevault_core::model::problem::ProblemCode::NotOneOf
                    .with("value", &prefs.language)
                    .with("allowed", LANGUAGES.join(", ")),
            ));
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| casevault_core::Error::io("create", dir, e))?;
        }
        let bytes = serde_json::to_vec(prefs)
            .map_err(|e| casevault_core::Error::Internal(e.to_string()))?;
        std::fs::write(&self.path, bytes)
            .map_err(|e| casevault_core::Error::io("write", &self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_preferences_file_gives_the_defaults() {
        let prefs = PrefsStore::new(PathBuf::from("/dev/zero"));
        assert_eq!(prefs.load().language, UiPrefs::default().language);
    }
}
