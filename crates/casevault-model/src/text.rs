//! Characters refused in stored text. Control characters (ESC starts a
//! terminal escape sequence, CR overwrites a line) and Unicode's
//! bidirectional controls (U+202E turns "gpj.exe" into "exe.jpg" on screen)
//! let a text show something other than what it holds, in a terminal, a
//! dossier or the app. Records and file names refuse them when they come
//! in; what is already stored is escaped wherever it is printed.

/// Embeddings, overrides and isolates: they reorder what follows them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible direction marks (LRM, RLM, ALM). Legitimate inside
/// right-to-left prose, so texts keep them; a file name has no use for
/// them and they can disguise its extension.
pub fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether `c` is refused in a record's text: every control character
/// (C0, DEL, C1) except line feed and tab, and the bidirectional controls.
pub fn refused_in_text(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// Whether `c` is refused in a file name: every control character, the
/// bidirectional controls and the direction marks.
pub fn refused_in_name(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_direction_mark(c)
}

/// The first refused character of a record's text, if any.
pub fn first_refused(text: &str) -> Option<char> {
    text.chars().find(|&c| refused_in_text(c))
}

/// What to tell the user about a refused character.
pub fn refusal(c: char) -> String {
    let what = if is_bidi_control(c) || is_direction_mark(c) {
        "an invisible text-direction control"
    } else {
        "an invisible control character"
    };
    format!(
        "contains {what} (U+{:04X}), which can make the text show something other than it holds; remove it",
        c as u32
    )
}

/// [`refusal`] as a validation problem of `field` of a record.
pub fn refusal_problem(record: &str, id: &str, field: &str, c: char) -> crate::problem::Problem {
    use crate::problem::{Problem, ProblemCode};
    Problem::new(record, id, field, ProblemCode::RefusedCharacter)
        .with("codepoint", format!("U+{:04X}", c as u32))
        .with("direction", is_bidi_control(c) || is_direction_mark(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_refused_but_prose_is_not() {
        for c in [
            '\u{1b}', '\r', '\u{0}', '\u{7f}', '\u{85}', '\u{9b}', '\u{202e}', '\u{2066}',
        ] {
            assert!(refused_in_text(c), "{c:?}");
            assert!(refused_in_name(c), "{c:?}");
        }
        for c in ['\n', '\t', 'a', 'Ж', 'ә', 'م', '\u{200f}', ' '] {
            assert!(!refused_in_text(c), "{c:?}");
        }
        assert!(refused_in_name('\u{200f}') && refused_in_name('\n'));
        assert_eq!(first_refused("line one\nline\ttwo"), None);
        assert_eq!(first_refused("bad \u{1b}[31m"), Some('\u{1b}'));
    }
}
