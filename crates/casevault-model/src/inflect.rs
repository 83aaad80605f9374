//! The inflected forms of a personal name, as script-neutral keys.
//!
//! Redaction must find "Молдашевой", "Moldashevoy", "Молдашевтың" and
//! "Айгули" when the vault stores only "Молдашев" and "Айгуль". Names
//! inflect: Russian surnames in -ов/-ев/-ин by gender, number and six cases,
//! adjectival surnames (-ский) like adjectives, given names like nouns, and
//! Kazakh stacks plural, possessive and case suffixes after any of them.
//!
//! Rather than stem the text (which needs a dictionary), we generate every
//! form of each *known* name word: stems of the stored word, each joined to
//! each ending, then passed through [`word_key`]. Because keys are
//! script-neutral, a Cyrillic ending on a Cyrillic stem yields the same key
//! as the Latin spelling of that form ("Молдашевой" and "Moldashevoy" are
//! both `moldashevoi`), so one table serves both scripts. Matching a word of
//! text is then one hash lookup of its key.
//!
//! The tables follow standard grammars (Russian: Зализняк's declension
//! types for surnames and nouns; Kazakh: the case, plural and possessive
//! suffixes with their consonant-assimilated variants), trimmed to what
//! names take.

use std::collections::BTreeSet;

use super::names;

/// Letters of romanisations that [`names::word_key`] would flatten to a
/// different key than the usual passport spelling (ISO 9 "Moldašev",
/// Kazakh Latin 2021 "Qasymov", "Şynar", Polish "Mołdaszew"), spelt out
/// first. Kept here, not in `word_key`, because the search index stores
/// those keys.
const PREFOLDS: &[(&str, &str)] = &[
    ("š", "sh"),
    ("ş", "sh"),
    ("ŝ", "shch"),
    ("č", "ch"),
    ("ç", "ch"),
    ("ž", "zh"),
    ("q", "k"),
    ("sz", "sh"),
    ("cz", "ch"),
];

/// The key a word has for redaction: [`names::word_key`] after the
/// [`PREFOLDS`].
pub fn word_key(word: &str) -> String {
    let mut lower = word.to_lowercase();
    for (from, to) in PREFOLDS {
        if lower.contains(from) {
            lower = lower.replace(from, to);
        }
    }
    names::word_key(&lower)
}

/// Russian endings a name word takes after its stem: nouns (given names of
/// both genders), possessive surnames (-ов/-ин: masculine, feminine,
/// plural, all cases) and adjectival surnames (-ский/-ская/-ские).
const RUSSIAN_ENDINGS: &[&str] = &[
    "", "а", "я", "у", "ю", "ом", "ем", "ём", "е", "и", "ы", "ь", "ой", "ей", "ою", "ею", "ым",
    "им", "ых", "их", "ыми", "ими", "ам", "ям", "ами", "ями", "ах", "ях", "ого", "его", "ому",
    "ему", "ая", "яя", "ую", "юю", "ие", "ые", "ий", "ый",
];

/// English possessive and plural ("Moldashev's", "the Moldashevs").
const ENGLISH_ENDINGS: &[&str] = &["s", "es"];

/// Kazakh case suffixes, every assimilated variant (back/front vowel,
/// voiced/voiceless/nasal onset): genitive, dative, accusative, locative,
/// ablative, instrumental, and the equative -ша/-ше.
const KAZAKH_CASES: &[&str] = &[
    "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "ны", "ні", "ды", "ді", "ты",
    "ті", "да", "де", "та", "те", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен", "пен",
    "ша", "ше",
];

/// Case suffixes that follow only a possessive ("әкесіне", "атымда"):
/// never straight after a name, where "-на" would turn "Али" into "Алина".
const KAZAKH_CASES_AFTER_POSSESSIVE: &[&str] = &["на", "не", "а", "е", "н", "нда", "нде"];

/// Kazakh plural suffixes.
const KAZAKH_PLURALS: &[&str] = &["лар", "лер", "дар", "дер", "тар", "тер"];

/// Kazakh third-person possessive suffixes, after a vowel ("Әлиясы")
/// and after a consonant ("Нұрланы"). First and second person ("-м",
/// "-ң") are left out on purpose: after folding ң to n, "Али" + "-ң" +
/// "-а" has the key of "Алина", a different name, and a name seldom takes
/// them in a narrative.
const KAZAKH_POSSESSIVES_AFTER_VOWEL: &[&str] = &["сы", "сі"];
const KAZAKH_POSSESSIVES_AFTER_CONSONANT: &[&str] = &["ы", "і"];

/// Letters a stem may lose before an ending: the final vowel of "Мария",
/// "Айгерима", the soft sign of "Айгуль", the й of "Андрей".
const DROPPABLE_FINALS: &[char] = &[
    'а', 'я', 'о', 'е', 'ь', 'й', 'ы', 'и', 'a', 'o', 'e', 'y', 'i',
];

/// Adjectival surname endings, replaced whole by the adjective's endings:
/// "Невский" → "Невск" + "ого".
const ADJECTIVAL: &[&str] = &[
    "ский", "цкий", "ской", "ская", "цкая", "skiy", "skii", "skiy", "sky", "ski", "skaya", "skaia",
];

/// A stem shorter than this is never inflected: "Ли" + "на" must not
/// become "Лина".
const MIN_STEM_CHARS: usize = 3;

/// The stems of one name word in its own script.
fn stems(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut out = vec![lower.clone()];
    if let Some(&last) = chars.last()
        && DROPPABLE_FINALS.contains(&last)
    {
        out.push(chars[..chars.len() - 1].iter().collect());
    }
    for suffix in ADJECTIVAL {
        if let Some(stem) = lower.strip_suffix(suffix) {
            // Keep the "-ск-": the adjective's own endings follow it.
            let cut = if suffix.starts_with('ц') || suffix.starts_with('с') {
                format!("{stem}{}", &suffix[..suffix.len() - "ий".len()])
            } else {
                format!("{stem}sk")
            };
            out.push(cut);
        }
    }
    // Fleeting vowel: "Павел" → "Павл-а", "Марек" → "Марк-а".
    if chars.len() >= 4 {
        let n = chars.len();
        if matches!(chars[n - 2], 'е' | 'о' | 'ё' | 'e' | 'o') && !is_vowel(chars[n - 1]) {
            let mut s: String = chars[..n - 2].iter().collect();
            s.push(chars[n - 1]);
            out.push(s);
        }
    }
    out.retain(|s| s.chars().count() >= MIN_STEM_CHARS);
    out.sort();
    out.dedup();
    out
}

fn is_vowel(c: char) -> bool {
    "аеёиоуыэюяәөүұіaeiouy".contains(c)
}

/// Every key a form of `word` can have: the word itself, its Russian and
/// English inflections, and its Kazakh suffix stacks (plural or possessive,
/// then case), across scripts.
pub fn form_keys(word: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let base = word_key(word);
    if base.is_empty() {
        return keys;
    }
    keys.insert(base);
    for stem in stems(word) {
        for ending in RUSSIAN_ENDINGS.iter().chain(ENGLISH_ENDINGS) {
            keys.insert(word_key(&format!("{stem}{ending}")));
        }
    }
    // Kazakh suffixes attach to the whole word, never to a shortened stem.
    let whole = word.to_lowercase();
    // A patronymic in -ұлы/-қызы ("son of", "daughter of") is itself
    // possessive: "Сапарұлын", "Сапарұлына".
    let possessive_already = [
        "ұлы", "улы", "қызы", "кызы", "uly", "uli", "ulu", "kyzy", "kizi", "qyzy",
    ]
    .iter()
    .any(|e| whole.ends_with(e));
    if possessive_already {
        for case in KAZAKH_CASES_AFTER_POSSESSIVE {
            keys.insert(word_key(&format!("{whole}{case}")));
        }
    }
    for case in KAZAKH_CASES {
        keys.insert(word_key(&format!("{whole}{case}")));
    }
    let possessives = if whole.chars().last().is_some_and(is_vowel) {
        KAZAKH_POSSESSIVES_AFTER_VOWEL
    } else {
        KAZAKH_POSSESSIVES_AFTER_CONSONANT
    };
    for middle in KAZAKH_PLURALS.iter().chain(possessives) {
        keys.insert(word_key(&format!("{whole}{middle}")));
        for case in KAZAKH_CASES.iter().chain(KAZAKH_CASES_AFTER_POSSESSIVE) {
            keys.insert(word_key(&format!("{whole}{middle}{case}")));
        }
    }
    // Short forms are noise, except the word itself ("Ли").
    let base = word_key(word);
    keys.retain(|k| k.len() >= MIN_STEM_CHARS || *k == base);
    keys
}

/// Whether a name word looks like a family name: Russian, Kazakh and
/// Ukrainian surname endings in either script, or a Kazakh patronymic
/// marker. Given names that merely share letters with another person's
/// are weaker evidence of identity than a shared surname.
pub fn looks_like_surname(word: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ov", "ev", "in", "ova", "eva", "ina", "sk", "ski", "skaia", "cki", "uli", "ulu", "kizi",
        "enko", "uk", "ovich", "evich", "ovna", "evna", "ovs", "evs", "ih",
    ];
    let key = word_key(word);
    key.len() >= 5 && ENDINGS.iter().any(|e| key.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(word: &str, form: &str) -> bool {
        form_keys(word).contains(&word_key(form))
    }

    /// Forms from Russian grammars, for stored words in either script.
    #[test]
    fn russian_surname_forms_in_both_scripts() {
        for stored in ["Молдашев", "Moldashev"] {
            for form in [
                "Молдашев",
                "Молдашева",
                "Молдашеву",
                "Молдашевым",
                "Молдашеве",
                "Молдашевой",
                "Молдашевою",
                "Молдашевы",
                "Молдашевых",
                "Молдашевыми",
                "Moldasheva",
                "Moldashevoy",
                "Moldashevoi",
                "Moldashevym",
                "Moldashevykh",
                "Moldaschewa",
                "Moldashev's",
            ] {
                assert!(has(stored, form), "{stored} → {form}");
            }
        }
        // A feminine stored form reaches the masculine ones too.
        assert!(has("Нурпеисова", "Нурпеисов"));
        assert!(has("Нурпеисова", "Нурпеисовой"));
        assert!(has("Nurpeisova", "Нурпеисову"));
    }

    #[test]
    fn given_names_and_patronymics_decline() {
        for (stored, form) in [
            ("Айгуль", "Айгули"),
            ("Айгуль", "Айгулью"),
            ("Aigul", "Айгули"),
            ("Данияр", "Данияра"),
            ("Данияр", "Данияром"),
            ("Мария", "Марии"),
            ("Мария", "Марией"),
            ("Павел", "Павла"),
            ("Маратович", "Маратовичем"),
            ("Маратовна", "Маратовны"),
            ("Маратовна", "Маратовной"),
        ] {
            assert!(has(stored, form), "{stored} → {form}");
        }
    }

    #[test]
    fn adjectival_surnames_decline_like_adjectives() {
        for form in [
            "Невского",
            "Невскому",
            "Невская",
            "Невской",
            "Nevskogo",
            "Nevskaya",
        ] {
            assert!(has("Невский", form), "{form}");
        }
    }

    #[test]
    fn kazakh_suffix_stacks() {
        for form in [
            "Нұрланның",
            "Нұрланға",
            "Нұрланды",
            "Нұрланда",
            "Нұрланнан",
            "Нұрланмен",
            "Нұрландар",
            "Нұрландардың",
            "Нұрланы",
            "Нұрланның",
            "Nurlannyn",
            "Nurlanga",
            "Молдашевтың",
            "Молдашевке",
        ] {
            let stored = if form.starts_with('М') {
                "Молдашев"
            } else {
                "Нұрлан"
            };
            assert!(has(stored, form), "{stored} → {form}");
        }
    }

    #[test]
    fn short_stems_do_not_swallow_other_names() {
        // "Али" must not reach "Алина", nor "Ли" anything at all.
        assert!(!has("Али", "Алина"));
        assert!(
            form_keys("Ли")
                .iter()
                .all(|k| k.len() >= MIN_STEM_CHARS || k == "li")
        );
        // Different names stay different.
        assert!(!has("Айгуль", "Айгерим"));
        assert!(!has("Молдашев", "Молдабеков"));
    }

    #[test]
    fn surnames_are_told_from_given_names() {
        for s in [
            "Молдашев",
            "Nurpeisova",
            "Невский",
            "Сапарұлы",
            "Шевченко",
            "Маратович",
        ] {
            assert!(looks_like_surname(s), "{s}");
        }
        for g in ["Айгуль", "Daniyar", "Мария", "Aigerim", "Нұрлан"] {
            assert!(!looks_like_surname(g), "{g}");
        }
    }
}
