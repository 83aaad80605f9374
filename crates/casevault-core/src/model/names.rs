//! Names across scripts and spellings: "Daniyar Moldashev", "Daniar
//! Moldashev" and "Молдашев Данияр" are one person to a caseworker, so they
//! must be one person to the search.
//!
//! Each word of a name gets a *key*: Cyrillic (Russian and Kazakh) is
//! romanised, then the spellings that romanisation systems and passports
//! disagree on are folded to one (ya/ia, iy/y, ai/ay, e/ye, kh/h, zh/j/dzh,
//! ts/c, shch/sch, doubled letters). Two words with the same key are
//! variants of each other; keys within a small edit distance are probable
//! typos.

use std::cmp::Ordering;

use serde::Serialize;

/// How a name matched a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    /// The name as written contains the query as typed (case-insensitive).
    Exact,
    /// Every word of the query is a spelling variant (or the start of one)
    /// of a word of the name, in any script.
    Variant,
    /// Every word is within a small edit distance of a word of the name.
    Fuzzy,
}

/// Kazakh letters that general romanisation tables do not know (or map to
/// symbols), to their usual passport spelling.
fn kazakh(c: char) -> Option<&'static str> {
    Some(match c {
        'ә' => "a",
        'ғ' => "g",
        'қ' => "k",
        'ң' => "n",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        'і' => "i",
        // Russian ё is written е in most documents (Пётр / Петр / Petr).
        'ё' => "e",
        _ => return None,
    })
}

/// Folds of romanisation variants, applied in order to a lowercase ASCII
/// word. Longer patterns come first so that "shch" is not read as "sh"+"ch".
const FOLDS: &[(&str, &str)] = &[
    ("shch", "sh"),
    ("sch", "sh"),
    ("dzh", "zh"),
    ("kh", "h"),
    ("ts", "c"),
    ("tc", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("j", "zh"),
    ("y", "i"),
];

/// The key of one word: romanised, folded, doubled letters collapsed.
pub fn word_key(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut romanised = String::with_capacity(lower.len());
    for c in lower.chars() {
        match kazakh(c) {
            Some(s) => romanised.push_str(s),
            None => romanised.push(c),
        }
    }
    let mut ascii: String = deunicode::deunicode(&romanised)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_lowercase)
        .collect();
    for (from, to) in FOLDS {
        if ascii.contains(from) {
            ascii = ascii.replace(from, to);
        }
    }
    // "e/ye": after y became i and doubles collapsed (Aliyev → aliev,
    // Алиев → aliev), "ie" and "e" are one.
    // "yo" in romanisations stands for ё, written e in passports
    // (Pyotr / Petr, Semyon / Semen).
    collapse_doubles(
        &collapse_doubles(&ascii)
            .replace("ie", "e")
            .replace("io", "e"),
    )
}

fn collapse_doubles(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The keys of every word of a name.
pub fn name_keys(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != 'ʼ')
        .map(word_key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// How many edits a word of this length may be off and still count.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Lowercase with diacritics and case folded, for the "exact" tier.
fn plain(text: &str) -> String {
    text.to_lowercase()
}

/// A query prepared once and matched against many names.
#[derive(Debug, Clone)]
pub struct NameQuery {
    lower: String,
    keys: Vec<String>,
}

impl NameQuery {
    /// Prepares `query`.
    pub fn new(query: &str) -> Self {
        Self {
            lower: plain(query.trim()),
            keys: name_keys(query),
        }
    }

    /// How `name` matches, and a score within the tier (lower is better:
    /// the edits needed), or None.
    pub fn matches(&self, name: &str) -> Option<(NameMatch, usize)> {
        if self.lower.is_empty() {
            return None;
        }
        if plain(name).contains(&self.lower) {
            return Some((NameMatch::Exact, 0));
        }
        if self.keys.is_empty() {
            return None;
        }
        let keys = name_keys(name);
        let mut tier = NameMatch::Variant;
        let mut edits = 0;
        for qk in &self.keys {
            // A word being typed matches the start of a name's word.
            let variant = keys
                .iter()
                .any(|k| k == qk || (qk.len() >= 3 && k.starts_with(qk.as_str())));
            if variant {
                continue;
            }
            let best = keys
                .iter()
                .map(|k| strsim::levenshtein(k, qk))
                .min()
                .unwrap_or(usize::MAX);
            if best <= allowed_edits(qk.len()) {
                tier = NameMatch::Fuzzy;
                edits += best;
            } else {
                return None;
            }
        }
        Some((tier, edits))
    }
}

/// How `name` matches `query` (see [`NameQuery::matches`]).
pub fn match_name(query: &str, name: &str) -> Option<(NameMatch, usize)> {
    NameQuery::new(query).matches(name)
}

/// Orders matches: tier, then edits, then the name.
pub fn rank(a: (NameMatch, usize, &str), b: (NameMatch, usize, &str)) -> Ordering {
    a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Name pairs from the report (../shared/domain) and common Russian and
    /// Kazakh names written in both scripts and several romanisations.
    const SAME: &[(&str, &str)] = &[
        ("Daniyar Moldashev", "Молдашев Данияр"),
        ("Daniar Moldashev", "Daniyar Moldashev"),
        ("Alnur Musayev", "Мусаев Алнур"),
        ("Rakhat Aliyev", "Рахат Алиев"),
        ("Rahat Aliev", "Rakhat Aliyev"),
        ("Ainur Kurmanov", "Айнур Курманов"),
        ("Aynur Kurmanov", "Ainur Kurmanov"),
        ("Amirzhan Kosanov", "Амиржан Косанов"),
        ("Amirjan Kosanov", "Amirzhan Kosanov"),
        ("Mukhtar Ablyazov", "Мухтар Аблязов"),
        ("Muhtar Abliazov", "Mukhtar Ablyazov"),
        ("Yevgeniy Zhovtis", "Евгений Жовтис"),
        ("Evgeny Jovtis", "Yevgeniy Zhovtis"),
        ("Shchukin", "Щукин"),
        ("Schukin", "Shchukin"),
        ("Tsoy", "Цой"),
        ("Tsoi", "Tsoy"),
        ("Dzhakishev", "Жакишев"),
        ("Jakishev", "Dzhakishev"),
        ("Kassym", "Қасым"),
        ("Kasym", "Kassym"),
        ("Galym", "Ғалым"),
        ("Ulan", "Ұлан"),
        ("Omir", "Өмір"),
        ("Aleksandr", "Alexandr"),
        ("Yuriy", "Юрий"),
        ("Iurii", "Yuri"),
        ("Petr Svoik", "Пётр Своик"),
        ("Pyotr Svoik", "Петр Своик"),
        ("Semyon", "Семён"),
        ("Zhanuzakov", "Жанузаков"),
        ("Ketebayev", "Кетебаев"),
    ];

    #[test]
    fn spellings_of_one_name_have_one_key_both_ways() {
        for (a, b) in SAME {
            let (ka, kb) = (name_keys(a), name_keys(b));
            let mut sa = ka.clone();
            let mut sb = kb.clone();
            sa.sort();
            sb.sort();
            assert_eq!(sa, sb, "{a} / {b}");
            for (q, n) in [(a, b), (b, a)] {
                let m = match_name(q, n);
                assert!(
                    matches!(m, Some((NameMatch::Exact | NameMatch::Variant, _))),
                    "{q} → {n}: {m:?}"
                );
            }
        }
    }

    /// The report itself spells Musayev's first name two ways.
    #[test]
    fn typos_in_the_report_are_found_as_fuzzy_matches() {
        assert_eq!(
            match_name("Alnar Musayev", "Alnur Musaev").map(|m| m.0),
            Some(NameMatch::Fuzzy)
        );
        assert_eq!(
            match_name("Алнар", "Alnur Musayev").map(|m| m.0),
            Some(NameMatch::Fuzzy)
        );
    }

    #[test]
    fn different_people_do_not_match() {
        for (a, b) in [
            ("Moldashev", "Kurmanov"),
            ("Aliyev", "Musayev"),
            ("Pavlov", "Paraskevich"),
            ("Ketebayev", "Kosanov"),
        ] {
            assert_eq!(match_name(a, b), None, "{a} / {b}");
        }
    }

    #[test]
    fn tiers_rank_exact_then_variant_then_fuzzy() {
        assert_eq!(
            match_name("moldashev", "Daniyar Moldashev"),
            Some((NameMatch::Exact, 0))
        );
        assert_eq!(
            match_name("Молдашев", "Daniyar Moldashev"),
            Some((NameMatch::Variant, 0))
        );
        assert_eq!(
            match_name("Moldashov", "Daniyar Moldashev"),
            Some((NameMatch::Fuzzy, 1))
        );
        assert_eq!(
            match_name("Молд", "Daniyar Moldashev").map(|m| m.0),
            Some(NameMatch::Variant),
            "a word being typed matches the start of a name"
        );
        let mut hits = [
            (NameMatch::Fuzzy, 1, "b"),
            (NameMatch::Exact, 0, "c"),
            (NameMatch::Variant, 0, "a"),
        ];
        hits.sort_by(|a, b| rank(*a, *b));
        assert_eq!(hits[0].0, NameMatch::Exact);
        assert_eq!(hits[2].0, NameMatch::Fuzzy);
    }

    #[test]
    fn odd_input_is_harmless() {
        assert_eq!(match_name("", "Moldashev"), None);
        assert_eq!(match_name("   ", "Moldashev"), None);
        assert_eq!(match_name("\u{7}\u{0}", "Moldashev"), None);
        assert!(name_keys(&"я".repeat(10_000)).len() == 1);
        assert_eq!(word_key("Ob'ekt"), word_key("Объект"));
    }
}
