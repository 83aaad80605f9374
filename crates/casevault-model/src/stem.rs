//! Morphology and script for full-text search: every word of a record, and
//! of a query, gets a small set of script-neutral keys (its romanisation
//! key, the key of its stem, and the place it names), so that "командировка"
//! finds "в командировке", "Алматы" finds "Almaty" and "Москва" finds
//! "Moscow".
//!
//! Russian and English stems come from the Snowball algorithms
//! (`rust-stemmers`); Kazakh is agglutinative and Snowball has no Kazakh,
//! so its case, possessive and plural suffixes are stripped with the table
//! below.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::romanise;

/// Kazakh case suffixes, longest first within each case. Source: A.
/// Muhamedowa, *Kazakh: A Comprehensive Grammar* (Routledge 2016), ch. 3
/// (cases) and ch. 4 (possession); the allomorphs follow vowel harmony
/// (back a/ы, front е/і) and the last sound of the stem (voiced, voiceless,
/// nasal).
pub const KAZAKH_CASES: &[&str] = &[
    // Instrumental.
    "менен",
    "бенен",
    "пенен",
    "мен",
    "бен",
    "пен",
    // Genitive.
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    // Ablative.
    "нан",
    "нен",
    "дан",
    "ден",
    "тан",
    "тен",
    // Locative.
    "нда",
    "нде",
    "да",
    "де",
    "та",
    "те",
    // Dative.
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    // Accusative.
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
];

/// Case suffixes that cannot end a Russian word, so they are stripped even
/// from a word without a Kazakh letter ("Назарбаевтың", "Алматыдан").
const KAZAKH_ONLY_CASES: &[&str] = &[
    "ның", "нің", "дың", "дің", "тың", "тің", "нан", "нен", "дан", "ден", "тан", "тен", "нда",
    "нде", "ға", "ге", "қа",
];

/// Possessive suffixes (same source), longest first.
pub const KAZAKH_POSSESSIVES: &[&str] = &[
    "ымыз", "іміз", "ыңыз", "іңіз", "мыз", "міз", "ңыз", "ңіз", "сы", "сі", "ым", "ім", "ың", "ің",
];

/// Plural suffixes (same source).
pub const KAZAKH_PLURALS: &[&str] = &["лар", "лер", "дар", "дер", "тар", "тер"];

const KAZAKH_LETTERS: &str = "әғқңөұүһі";
const VOWELS: &str = "аәеёиоөуұүыіэюя";

/// The shortest stem a suffix may leave, in letters.
const MIN_STEM: usize = 3;

fn strip<'a>(word: &'a str, suffixes: &[&str], allowed: impl Fn(&str, &str) -> bool) -> &'a str {
    for s in suffixes {
        if let Some(stem) = word.strip_suffix(s)
            && stem.chars().count() >= MIN_STEM
            && stem.chars().any(|c| VOWELS.contains(c))
            && allowed(stem, s)
        {
            return stem;
        }
    }
    word
}

/// The Kazakh stem of a lowercase Cyrillic word, when a suffix was
/// stripped. Words without a Kazakh letter lose only suffixes no Russian
/// word ends in, or a locative after a vowel ("Алматыда"), and then what
/// comes before them.
pub fn kazakh_stem(word: &str) -> Option<&str> {
    let kazakh = word.chars().any(|c| KAZAKH_LETTERS.contains(c));
    let after_case = strip(word, KAZAKH_CASES, |stem, s| {
        kazakh
            || KAZAKH_ONLY_CASES.contains(&s)
            || (matches!(s, "да" | "де") && stem.chars().last().is_some_and(|c| VOWELS.contains(c)))
    });
    let stripped = after_case.len() != word.len();
    let after_poss = strip(after_case, KAZAKH_POSSESSIVES, |_, _| kazakh || stripped);
    let after_plural = strip(after_poss, KAZAKH_PLURALS, |_, _| kazakh || stripped);
    (after_plural.len() != word.len()).then_some(after_plural)
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{4FF}')
}

thread_local! {
    static RUSSIAN: Stemmer = Stemmer::create(Algorithm::Russian);
    static ENGLISH: Stemmer = Stemmer::create(Algorithm::English);
}

/// Stems of a lowercase word: Snowball Russian for Cyrillic (plus the
/// Kazakh stem when a Kazakh suffix is found), Snowball English for Latin.
pub fn stems(lower: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(2);
    if lower.chars().any(is_cyrillic) {
        out.push(RUSSIAN.with(|s| s.stem(lower).into_owned()));
        if let Some(k) = kazakh_stem(lower) {
            out.push(k.to_owned());
        }
    } else {
        out.push(ENGLISH.with(|s| s.stem(lower).into_owned()));
    }
    out
}

/// Place tokens: "qq" and the key of the place's first name. No key
/// contains "q" (it is folded to k), so these never meet a word's key.
fn places() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for forms in romanise::PLACES {
            let token = format!("qq{}", romanise::word_key(forms[0]));
            for form in *forms {
                for key in place_lookup_keys(&form.to_lowercase()) {
                    map.insert(key, token.clone());
                }
            }
        }
        map
    })
}

/// The keys a place name is looked up by: a Cyrillic word also by its
/// stems (Москве, Алматыда), a Latin one by its best key only (so English
/// words do not become places through an odd reading).
fn place_lookup_keys(lower: &str) -> Vec<String> {
    let joined: String = lower.split(|c: char| !c.is_alphanumeric()).collect();
    let mut keys = vec![romanise::word_key(&joined)];
    if joined.chars().any(is_cyrillic) {
        for s in stems(&joined) {
            keys.push(romanise::word_key(&s));
            // Snowball stems "Астана" to "аста" but "Астане" to "астан":
            // the stem with a nominative ending meets the name as written.
            for ending in ["а", "я", "ь"] {
                keys.push(romanise::word_key(&format!("{s}{ending}")));
            }
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// The place a word (or two adjacent words joined) names, as a token.
fn place_token(lower: &str) -> Option<&'static String> {
    place_lookup_keys(lower)
        .iter()
        .find_map(|k| places().get(k))
}

/// The words of a text, lowercase, as the key index splits them.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || romanise::is_apostrophe(c)))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// The keys of one lowercase word: its romanisation keys, its stems' keys
/// and the place it names.
pub fn word_search_keys(lower: &str) -> Vec<String> {
    // Texts repeat their words, and a vault's vocabulary is small next to
    // its text: keying each distinct word once makes indexing a large
    // import several times faster.
    const CACHE_WORDS: usize = 200_000;
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<String, Vec<String>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(lower).cloned()) {
        return hit;
    }
    let keys = compute_word_keys(lower);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_WORDS {
            c.clear();
        }
        c.insert(lower.to_owned(), keys.clone());
    });
    keys
}

fn compute_word_keys(lower: &str) -> Vec<String> {
    let mut keys = romanise::word_keys(lower);
    for s in stems(lower) {
        for k in romanise::word_keys(&s) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    if let Some(p) = place_token(lower) {
        keys.push(p.clone());
    }
    keys
}

/// Canonical key letters back to Russian Cyrillic, longest first: enough
/// to run the Russian stemmer on a romanised word.
const CYRILLIZE: &[(&str, &str)] = &[
    ("shch", "щ"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("iu", "ю"),
    ("ia", "я"),
    ("a", "а"),
    ("b", "б"),
    ("c", "ц"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("z", "з"),
];

fn cyrillize(key: &str) -> String {
    let mut out = String::with_capacity(key.len() * 2);
    let mut rest = key;
    'outer: while !rest.is_empty() {
        for (from, to) in CYRILLIZE {
            if let Some(r) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The keys a query word is looked up by: its own keys, and for a Latin
/// word the keys of its Russian stem, so that "Shcherbakova" finds
/// "Щербаковой" (the text's Cyrillic words are keyed by their Russian
/// stems). Only queries do this; the index stays as it is.
pub fn query_word_keys(lower: &str) -> Vec<String> {
    let mut keys = word_search_keys(lower);
    if !lower.chars().any(is_cyrillic) {
        for reading in romanise::word_keys(lower) {
            let stem = RUSSIAN.with(|s| s.stem(&cyrillize(&reading)).into_owned());
            let key = romanise::word_key(&stem);
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// First words of place names written as two ("Alma Ata", "Saint
/// Petersburg"): only after one of these is a pair of words looked up.
fn pair_starts() -> &'static std::collections::HashSet<String> {
    static SET: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        romanise::PLACES
            .iter()
            .flat_map(|forms| forms.iter())
            .filter_map(|f| {
                let mut w = words(f);
                let first = w.next()?;
                w.next().is_some().then_some(first)
            })
            .collect()
    })
}

/// Every key of a text, each once: what the key index holds for a record.
pub fn text_keys(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut previous: Option<String> = None;
    for w in words(text) {
        if let Some(p) = &previous
            && pair_starts().contains(p)
            && let Some(place) = place_token(&format!("{p}{w}"))
        {
            out.insert(place.clone());
        }
        if !seen.contains(&w) {
            out.extend(word_search_keys(&w));
            seen.insert(w.clone());
        }
        previous = Some(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meet(a: &str, b: &str) -> bool {
        let ka = word_search_keys(&a.to_lowercase());
        word_search_keys(&b.to_lowercase())
            .iter()
            .any(|k| ka.contains(k))
    }

    #[test]
    fn russian_inflections_meet() {
        for (a, b) in [
            ("командировка", "командировке"),
            ("командировка", "командировкой"),
            ("командировка", "командировку"),
            ("Лада", "Ладе"),
            ("Лада", "Ладой"),
            ("Москва", "Москвы"),
            ("следили", "следить"),
        ] {
            assert!(meet(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn kazakh_suffixes_are_stripped() {
        for (word, stem) in [
            ("алматыда", "алматы"),
            ("алматыдан", "алматы"),
            ("астанаға", "астана"),
            ("назарбаевтың", "назарбаев"),
            ("қалалар", "қала"),
            ("қалаларда", "қала"),
            ("кітабымыз", "кітаб"),
            ("балаларымыздың", "бала"),
            ("ауылға", "ауыл"),
        ] {
            assert_eq!(kazakh_stem(word), Some(stem), "{word}");
        }
        // Russian words keep their endings.
        for word in ["когда", "работе", "доллар", "семен", "да"] {
            assert_eq!(kazakh_stem(word), None, "{word}");
        }
    }

    #[test]
    fn places_meet_across_scripts_and_languages() {
        for (a, b) in [
            ("Алматы", "Almaty"),
            ("Алматыда", "Almaty"),
            ("Москва", "Moscow"),
            ("Москве", "Moscow"),
            ("Moskau", "Москвы"),
            ("Бишкек", "Bishkek"),
            ("Kazakhstan", "Казахстане"),
            ("Қазақстан", "Kazakhstan"),
        ] {
            assert!(meet(a, b), "{a} / {b}");
        }
        assert!(!meet("Moscow", "Bishkek"));
        assert!(!meet("shine", "China"));
    }

    #[test]
    fn multi_word_places_are_found() {
        let almaty = format!("qq{}", romanise::word_key("Алматы"));
        assert!(text_keys("Alma-Ata").contains(&almaty));
        assert!(text_keys("в Алма-Ате").contains(&almaty));
    }
}
