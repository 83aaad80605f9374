//! The one way text from a vault or a bundle reaches the terminal. Records
//! are refused with control characters today, but a custody entry written
//! earlier is permanent, and a bundle or a report comes from outside: an
//! ESC sequence could rewrite the screen and a U+202E reverse what follows
//! it. So every printed value goes through [`safe`], and every JSON
//! document through [`json`].

use std::borrow::Cow;
use std::fmt::Write as _;

use casevault_core::model::text::{is_bidi_control, is_direction_mark};

fn escaped(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_direction_mark(c)
}

/// `text` with every control character, text-direction control and
/// direction mark shown as an escape (`\n`, `\t`, `\r`, `\u{1b}`), so that
/// a value prints on one line as exactly what it holds.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if escaped(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A JSON document with the characters serde_json leaves as they are (DEL,
/// C1 controls, text-direction controls and marks) written as `\uXXXX`
/// escapes: the same JSON to a parser, harmless on a terminal. Such
/// characters can only occur inside strings, where the escape is valid.
pub fn json(text: String) -> String {
    if !text.chars().any(escaped) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        // serde_json has already escaped C0 inside strings; what is left
        // of C0 is the document's own layout (newlines, indentation).
        if escaped(c) && (c as u32) >= 0x7f {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A fingerprint as people read it aloud: in groups of four.
pub fn fingerprint(fp: &str) -> String {
    safe(&casevault_core::crypto::fingerprint::grouped(fp)).into_owned()
}

/// "1 case", "2 cases", "3 testimonies": a count of records of one kind,
/// in English (the CLI's language). Unknown kinds from outside are shown
/// escaped and unchanged.
pub fn count(n: u64, kind: &str) -> String {
    let plural = match kind {
        "person" => "persons",
        "testimony" => "testimonies",
        "case" | "organisation" | "incident" | "proceeding" | "source" | "intervention"
        | "attachment" | "file" | "record" => {
            return format!("{n} {kind}{}", if n == 1 { "" } else { "s" });
        }
        _ => return format!("{n} {}", safe(kind)),
    };
    if n == 1 {
        format!("1 {kind}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "case"), "1 case");
        assert_eq!(count(2, "case"), "2 cases");
        assert_eq!(count(0, "incident"), "0 incidents");
        assert_eq!(count(1, "person"), "1 person");
        assert_eq!(count(4, "person"), "4 persons");
        assert_eq!(count(3, "testimony"), "3 testimonies");
        assert_eq!(count(2, "x\u{1b}"), "2 x\\u{1b}");
    }

    #[test]
    fn controls_print_as_escapes_and_plain_text_is_untouched() {
        assert_eq!(safe("Молдашев, 2008"), "Молдашев, 2008");
        assert_eq!(
            safe("a\u{1b}[2Jb\u{202e}c\nd\u{9b}"),
            "a\\u{1b}[2Jb\\u{202e}c\\nd\\u{9b}"
        );
        let doc = serde_json::to_string_pretty(&serde_json::json!({"t": "x\u{202e}y\u{1b}\u{85}"}))
            .unwrap();
        let shown = json(doc.clone());
        assert!(
            !shown.contains('\u{202e}') && !shown.contains('\u{85}') && !shown.contains('\u{1b}')
        );
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(&doc).unwrap()
        );
    }
}
