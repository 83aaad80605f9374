//! Names of files from outside, made safe to show and to write into an
//! archive later.

/// A file name safe to show and to write into an archive later: no path
/// separators, no control characters or text-direction controls
/// ([`crate::model::text::refused_in_name`]), not "." or "..", at most 255
/// bytes.
pub fn sanitise_name(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || crate::model::text::refused_in_name(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim().to_owned();
    while name.len() > 255 {
        name.pop();
    }
    if name.is_empty() || name == "." || name == ".." {
        "attachment".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_separators_and_control_characters_but_keep_their_script() {
        assert_eq!(sanitise_name("../../etc/passwd"), ".._.._etc_passwd");
        assert_eq!(sanitise_name("C:\\evil\\x.jpg"), "C:_evil_x.jpg");
        assert_eq!(sanitise_name("повестка\u{0}.pdf"), "повестка_.pdf");
        assert_eq!(sanitise_name("photo\u{202e}gpj.exe"), "photo_gpj.exe");
        assert_eq!(sanitise_name("a\u{1b}[2Jb\u{200f}.jpg"), "a_[2Jb_.jpg");
        assert_eq!(sanitise_name(".."), "attachment");
        assert_eq!(sanitise_name("  "), "attachment");
        assert!(sanitise_name(&"я".repeat(300)).len() <= 255);
    }
}
