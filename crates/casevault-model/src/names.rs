//! Names across scripts and spellings: "Daniyar Moldashev", "Daniar
//! Moldashev" and "Молдашев Данияр" are one person to a caseworker, so they
//! must be one person to the search.
//!
//! Each word of a name gets *keys* ([`romanise`]: table-driven, with the
//! systems it covers cited there): Cyrillic is romanised, then the
//! spellings that romanisation systems and passports disagree on are
//! folded to one. Two words sharing a key are variants of each other; keys
//! within a small edit distance are probable typos. Patronymics are
//! optional: a name with or without one is the same person.

use std::cmp::Ordering;

use serde::Serialize;

use super::romanise;

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

/// The best key of one word (see [`romanise::word_key`]).
pub fn word_key(word: &str) -> String {
    romanise::word_key(word)
}

fn split_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_alphanumeric() && !romanise::is_apostrophe(c))
}

/// The best key of every word of a name.
pub fn name_keys(name: &str) -> Vec<String> {
    split_words(name)
        .map(word_key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// Every key of every word of a name (each word's readings, best first):
/// what the name index stores.
pub fn name_word_keys(name: &str) -> Vec<Vec<String>> {
    // A name search compares the query with thousands of names made of a
    // few hundred distinct words: each word is romanised once.
    const CACHE_WORDS: usize = 50_000;
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    split_words(name)
        .map(|w| {
            CACHE.with(|c| {
                if let Some(k) = c.borrow().get(w) {
                    return k.clone();
                }
                let keys = romanise::word_keys(w);
                let mut c = c.borrow_mut();
                if c.len() >= CACHE_WORDS {
                    c.clear();
                }
                c.insert(w.to_owned(), keys.clone());
                keys
            })
        })
        .filter(|k| !k.is_empty())
        .collect()
}

/// Key endings of patronymics: Russian -ович/-евич/-овна/-евна/-ична and
/// the Kazakh, Kyrgyz and Uzbek "son of"/"daughter of" (-ұлы, -қызы,
/// уулу, o'g'li), written as one word or two.
const PATRONYMIC_ENDINGS: &[&str] = &[
    "ovich", "evich", "ovna", "evna", "ichna", "inichna", "ich", "uli", "ulu", "kizi", "ogli",
];

/// The separate-word markers among [`PATRONYMIC_ENDINGS`] ("Марат ұлы").
const PATRONYMIC_MARKERS: &[&str] = &["uli", "ulu", "kizi", "ogli"];

/// Whether a word (by its key) is a patronymic, which a name may or may not
/// carry: "Айнур Маратович Курманов" is "Ainur Kurmanov".
pub fn is_patronymic(key: &str) -> bool {
    PATRONYMIC_ENDINGS
        .iter()
        .any(|e| key.ends_with(e) && key.len() >= e.len())
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
    /// Each word's keys (best first) and whether the word may be missing
    /// from a name (a patronymic).
    words: Vec<(Vec<String>, bool)>,
    /// How many optional words may be missing: one patronymic, counting
    /// "Марат ұлы" as one.
    may_skip: usize,
}

impl NameQuery {
    /// Prepares `query`.
    pub fn new(query: &str) -> Self {
        let keys = name_word_keys(query);
        // Only a full name (given name, patronymic, surname) has a
        // patronymic to leave out: in "Tatiana Abramovich" the last word
        // is the surname.
        let full = keys.len() >= 3;
        let mut optional: Vec<bool> = keys.iter().map(|k| full && is_patronymic(&k[0])).collect();
        let mut may_skip = 1;
        // "Марат ұлы": the separate marker makes the word before it the
        // father's name.
        for i in 1..keys.len() {
            if optional[i] && PATRONYMIC_MARKERS.contains(&keys[i][0].as_str()) {
                optional[i - 1] = true;
                may_skip += 1;
            }
        }
        let words = keys.into_iter().zip(optional).collect();
        Self {
            lower: plain(query.trim()),
            words,
            may_skip,
        }
    }

    /// The best key of each word, longest first: the index is searched by
    /// the first.
    pub fn lookup_keys(&self) -> Vec<&[String]> {
        let mut w: Vec<(&[String], bool)> =
            self.words.iter().map(|(k, o)| (k.as_slice(), *o)).collect();
        w.sort_by_key(|(k, o)| (*o, std::cmp::Reverse(k[0].len())));
        w.into_iter().map(|(k, _)| k).collect()
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
        if self.words.is_empty() {
            return None;
        }
        let keys = name_word_keys(name);
        let mut tier = NameMatch::Variant;
        let mut edits = 0;
        let mut matched = 0;
        let mut skipped = 0;
        for (qks, optional) in &self.words {
            // A word being typed matches the start of a name's word.
            let variant = keys.iter().flatten().any(|k| {
                qks.iter()
                    .any(|qk| k == qk || (qk.len() >= 3 && k.starts_with(qk.as_str())))
            });
            if variant {
                matched += 1;
                continue;
            }
            let qk = &qks[0];
            let best = keys
                .iter()
                .map(|k| strsim::levenshtein(&k[0], qk))
                .min()
                .unwrap_or(usize::MAX);
            if best <= allowed_edits(qk.len()) {
                tier = NameMatch::Fuzzy;
                edits += best;
                matched += 1;
            } else if *optional && skipped < self.may_skip {
                skipped += 1;
            } else {
                return None;
            }
        }
        (matched >= 2 || (matched == 1 && skipped == 0)).then_some((tier, edits))
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

    /// Name order, patronymics and the Kazakh "son of"/"daughter of".
    #[test]
    fn order_and_patronymics_do_not_hide_a_person() {
        for (q, n) in [
            ("Курманов Айнур", "Ainur Kurmanov"),
            ("Айнур Маратович Курманов", "Ainur Kurmanov"),
            ("Kurmanov Ainur Maratovich", "Айнур Курманов"),
            ("Ainur Kurmanov", "Курманов Айнур Маратович"),
            ("Тоқаев Қасым Жомартұлы", "Kassym Tokayev"),
            ("Tokayev Kassym Zhomartuly", "Қасым Тоқаев"),
            ("Тоқаев Қасым Жомарт ұлы", "Kasym Tokaev"),
            ("Aigul Kudaibergenova Serikkyzy", "Айгүл Құдайбергенова"),
            ("Rustam Xo'jayev", "Рустам Ходжаев"),
            ("Sherzod Xasanov", "Шерзод Хасанов"),
        ] {
            let m = match_name(q, n);
            assert!(
                matches!(m, Some((NameMatch::Exact | NameMatch::Variant, _))),
                "{q} → {n}: {m:?}"
            );
        }
        // A patronymic alone is not a match, nor is another given name.
        assert_eq!(match_name("Маратович", "Ainur Kurmanov"), None);
        assert_eq!(match_name("Марат Курманов", "Ainur Kurmanov"), None);
    }
}
