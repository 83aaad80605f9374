//! Controlled vocabularies ("thesauri" in HURIDOCS' Uwazi), shipped with
//! English, Russian and Kazakh labels. Values are stored by code; codes never
//! change once released, labels may.
//!
//! The act types follow the Council of Europe's typology of transnational
//! repression (PACE Resolution 2509 (2023)): direct attacks, co-opting
//! other states, mobility controls and threats from a distance, plus
//! digital attacks as their own group because caseworkers record them in
//! detail.

use serde::Serialize;

use crate::problem::ProblemCode;
use crate::{Error, Result};

/// One term of a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    /// Stable code, stored in records.
    pub code: &'static str,
    /// English label.
    pub en: &'static str,
    /// Russian label.
    pub ru: &'static str,
    /// Kazakh label.
    pub kk: &'static str,
    /// The group the term belongs to, if the vocabulary is grouped.
    pub group: Option<&'static str>,
}

/// A named vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary {
    /// Its name, as used in error messages and the interchange format.
    pub name: &'static str,
    /// Its terms.
    pub terms: &'static [Term],
}

const fn t(code: &'static str, en: &'static str, ru: &'static str, kk: &'static str) -> Term {
    Term {
        code,
        en,
        ru,
        kk,
        group: None,
    }
}

const fn g(
    group: &'static str,
    code: &'static str,
    en: &'static str,
    ru: &'static str,
    kk: &'static str,
) -> Term {
    Term {
        code,
        en,
        ru,
        kk,
        group: Some(group),
    }
}

/// Act types, grouped by the CoE typology.
pub const ACT_TYPES: Vocabulary = Vocabulary {
    name: "act type",
    terms: &[
        g(
            "direct_attack",
            "assassination",
            "Assassination or attempted assassination",
            "Убийство или покушение",
            "Кісі өлтіру немесе оған оқталу",
        ),
        g(
            "direct_attack",
            "assault",
            "Assault, beating",
            "Нападение, избиение",
            "Шабуыл, ұрып-соғу",
        ),
        g(
            "direct_attack",
            "enforced_disappearance",
            "Enforced disappearance",
            "Насильственное исчезновение",
            "Күштеп жоғалту",
        ),
        g(
            "direct_attack",
            "abduction",
            "Abduction or attempted abduction",
            "Похищение или попытка похищения",
            "Адам ұрлау немесе ұрлауға оқталу",
        ),
        g(
            "direct_attack",
            "rendition",
            "Rendition, forced return",
            "Выдача в обход процедуры, принудительное возвращение",
            "Рәсімсіз беру, күштеп қайтару",
        ),
        g(
            "direct_attack",
            "physical_intimidation",
            "Physical intimidation, stalking",
            "Физическое запугивание, преследование",
            "Физикалық қорқыту, артынан аңду",
        ),
        g(
            "direct_attack",
            "physical_surveillance",
            "Physical surveillance",
            "Физическая слежка",
            "Физикалық бақылау",
        ),
        g(
            "direct_attack",
            "robbery_by_proxies",
            "Robbery or attack by hired proxies",
            "Ограбление или нападение наёмными исполнителями",
            "Жалдамалы адамдардың тонауы немесе шабуылы",
        ),
        g(
            "co_opting_states",
            "detention_abroad",
            "Detention in the host or a third country",
            "Задержание в стране пребывания или третьей стране",
            "Тұратын елде немесе үшінші елде ұстау",
        ),
        g(
            "co_opting_states",
            "unlawful_deportation",
            "Unlawful deportation",
            "Незаконная депортация",
            "Заңсыз депортация",
        ),
        g(
            "co_opting_states",
            "extradition_request",
            "Extradition request",
            "Запрос об экстрадиции",
            "Экстрадиция туралы сұрау",
        ),
        g(
            "co_opting_states",
            "interpol_red_notice",
            "Interpol Red Notice",
            "Красное уведомление Интерпола",
            "Интерполдың қызыл хабарламасы",
        ),
        g(
            "co_opting_states",
            "interpol_diffusion",
            "Interpol diffusion",
            "Диффузия Интерпола",
            "Интерполдың диффузиясы",
        ),
        g(
            "co_opting_states",
            "interstate_wanted_notice",
            "Interstate wanted notice (e.g. CIS)",
            "Межгосударственный розыск (например, СНГ)",
            "Мемлекетаралық іздеу (мысалы, ТМД)",
        ),
        g(
            "co_opting_states",
            "aml_ct_abuse",
            "Abuse of anti-money-laundering or counter-terrorism measures",
            "Злоупотребление мерами против отмывания денег или терроризма",
            "Ақшаны жылыстатуға немесе терроризмге қарсы шараларды теріс пайдалану",
        ),
        g(
            "co_opting_states",
            "trial_in_absentia",
            "Criminal case or trial in absentia",
            "Уголовное дело или заочный приговор",
            "Қылмыстық іс немесе сырттай үкім",
        ),
        g(
            "mobility_controls",
            "passport_cancellation",
            "Passport cancellation or refusal",
            "Аннулирование паспорта или отказ в выдаче",
            "Төлқұжатты жою немесе беруден бас тарту",
        ),
        g(
            "mobility_controls",
            "consular_denial",
            "Denial of consular services",
            "Отказ в консульских услугах",
            "Консулдық қызметтен бас тарту",
        ),
        g(
            "mobility_controls",
            "exit_ban",
            "Exit ban",
            "Запрет на выезд",
            "Елден шығуға тыйым",
        ),
        g(
            "mobility_controls",
            "border_harassment",
            "Harassment at a border",
            "Преследование на границе",
            "Шекарадағы қысым",
        ),
        g(
            "threats_from_distance",
            "online_intimidation",
            "Online threats or intimidation",
            "Угрозы или запугивание в интернете",
            "Интернеттегі қоқан-лоқы немесе қорқыту",
        ),
        g(
            "threats_from_distance",
            "coercion_by_proxy",
            "Coercion of relatives (coercion by proxy)",
            "Давление на родственников",
            "Туыстарға қысым көрсету",
        ),
        g(
            "threats_from_distance",
            "smear_campaign",
            "Smear campaign",
            "Кампания по дискредитации",
            "Абыройын түсіру науқаны",
        ),
        g(
            "threats_from_distance",
            "summons",
            "Summons or questioning demanded from abroad",
            "Вызов на допрос из-за рубежа",
            "Шетелден жауапқа шақыру",
        ),
        g("digital_attack", "phishing", "Phishing", "Фишинг", "Фишинг"),
        g(
            "digital_attack",
            "account_takeover",
            "Account takeover",
            "Захват аккаунта",
            "Аккаунтты басып алу",
        ),
        g(
            "digital_attack",
            "spyware",
            "Spyware infection",
            "Заражение шпионской программой",
            "Тыңшы бағдарламаны жұқтыру",
        ),
        g(
            "digital_attack",
            "state_attack_warning",
            "State-sponsored attack warning from a platform",
            "Предупреждение платформы о государственной атаке",
            "Платформаның мемлекеттік шабуыл туралы ескертуі",
        ),
        g(
            "digital_attack",
            "digital_surveillance",
            "Digital surveillance",
            "Цифровая слежка",
            "Цифрлық бақылау",
        ),
        // Not in a group: what a reporter could not or would not place in the
        // typology ("Something else", "Not sure"), for a caseworker to classify.
        t(
            "other",
            "Other or not yet classified",
            "Другое или пока не определено",
            "Басқа немесе әлі анықталмаған",
        ),
    ],
};

/// Degree of a perpetrator's involvement in an act.
pub const INVOLVEMENT: Vocabulary = Vocabulary {
    name: "involvement",
    terms: &[
        t("carried_out", "Carried out", "Совершил", "Жасаған"),
        t("ordered", "Ordered", "Отдал приказ", "Бұйрық берген"),
        t(
            "present",
            "Present",
            "Присутствовал",
            "Оқиға орнында болған",
        ),
        t("suspected", "Suspected", "Подозревается", "Күдікті"),
    ],
};

/// Confidence in an attribution.
pub const ATTRIBUTION: Vocabulary = Vocabulary {
    name: "attribution confidence",
    terms: &[
        t("confirmed", "Confirmed", "Подтверждено", "Расталған"),
        t("credible", "Credible", "Достоверно", "Сенімді"),
        t("suspected", "Suspected", "Предположительно", "Болжамды"),
        t("unknown", "Unknown", "Неизвестно", "Белгісіз"),
    ],
};

/// Kinds of legal proceeding.
pub const PROCEEDING_KINDS: Vocabulary = Vocabulary {
    name: "proceeding kind",
    terms: &[
        t(
            "criminal_case",
            "Criminal case",
            "Уголовное дело",
            "Қылмыстық іс",
        ),
        t(
            "trial_in_absentia",
            "Trial in absentia",
            "Заочный процесс",
            "Сырттай сот процесі",
        ),
        t("extradition", "Extradition", "Экстрадиция", "Экстрадиция"),
        t(
            "wanted_national",
            "National wanted notice",
            "Национальный розыск",
            "Ұлттық іздеу",
        ),
        t(
            "wanted_interstate",
            "Interstate wanted notice",
            "Межгосударственный розыск",
            "Мемлекетаралық іздеу",
        ),
        t(
            "interpol_red_notice",
            "Interpol Red Notice",
            "Красное уведомление Интерпола",
            "Интерполдың қызыл хабарламасы",
        ),
        t(
            "interpol_diffusion",
            "Interpol diffusion",
            "Диффузия Интерпола",
            "Интерполдың диффузиясы",
        ),
        t(
            "ccf_request",
            "Request to the CCF",
            "Обращение в Комиссию по контролю за файлами Интерпола",
            "Интерпол файлдарын бақылау комиссиясына өтініш",
        ),
        t("asylum", "Asylum", "Убежище", "Баспана"),
        t("appeal", "Appeal", "Апелляция", "Апелляция"),
    ],
};

/// Legal grounds argued against return.
pub const LEGAL_GROUNDS: Vocabulary = Vocabulary {
    name: "legal ground",
    terms: &[
        t(
            "uncat_3",
            "UN Convention against Torture, art. 3",
            "Конвенция ООН против пыток, ст. 3",
            "БҰҰ-ның Азаптауға қарсы конвенциясы, 3-бап",
        ),
        t(
            "echr_3",
            "European Convention on Human Rights, art. 3",
            "Европейская конвенция о защите прав человека, ст. 3",
            "Адам құқықтарын қорғау туралы Еуропалық конвенция, 3-бап",
        ),
        t(
            "ece_3",
            "European Convention on Extradition, art. 3",
            "Европейская конвенция о выдаче, ст. 3",
            "Экстрадиция туралы Еуропалық конвенция, 3-бап",
        ),
        t(
            "refugee_convention",
            "Refugee Convention",
            "Конвенция о статусе беженцев",
            "Босқындардың мәртебесі туралы конвенция",
        ),
        t(
            "interpol_constitution_3",
            "Interpol Constitution, art. 3",
            "Устав Интерпола, ст. 3",
            "Интерпол Жарғысы, 3-бап",
        ),
    ],
};

/// Types of source.
pub const SOURCE_TYPES: Vocabulary = Vocabulary {
    name: "source type",
    terms: &[
        t("testimony", "Testimony", "Свидетельство", "Айғақ"),
        t("media", "Media", "СМИ", "БАҚ"),
        t(
            "official_document",
            "Official document",
            "Официальный документ",
            "Ресми құжат",
        ),
        t(
            "court_decision",
            "Court decision",
            "Решение суда",
            "Сот шешімі",
        ),
        t("ngo_report", "NGO report", "Доклад НКО", "ҮЕҰ баяндамасы"),
        t(
            "social_media",
            "Social media",
            "Социальные сети",
            "Әлеуметтік желілер",
        ),
    ],
};

/// A person's role in a case.
pub const ROLES: Vocabulary = Vocabulary {
    name: "role",
    terms: &[
        t("victim", "Victim", "Пострадавший", "Жәбірленуші"),
        t("witness", "Witness", "Свидетель", "Куәгер"),
        t("relative", "Relative", "Родственник", "Туысы"),
        t(
            "alleged_perpetrator",
            "Alleged perpetrator",
            "Предполагаемый исполнитель",
            "Болжамды орындаушы",
        ),
        t("lawyer", "Lawyer", "Адвокат", "Адвокат"),
        t("interviewer", "Interviewer", "Интервьюер", "Сұхбат алушы"),
    ],
};

/// Kinds of organisation.
pub const ORGANISATION_KINDS: Vocabulary = Vocabulary {
    name: "organisation kind",
    terms: &[
        t(
            "security_service",
            "Security service",
            "Спецслужба",
            "Арнаулы қызмет",
        ),
        t("court", "Court", "Суд", "Сот"),
        t(
            "prosecutor",
            "Prosecutor's office",
            "Прокуратура",
            "Прокуратура",
        ),
        t(
            "embassy",
            "Embassy or consulate",
            "Посольство или консульство",
            "Елшілік немесе консулдық",
        ),
        t("police", "Police", "Полиция", "Полиция"),
        t("ngo", "NGO", "НКО", "ҮЕҰ"),
        t("media", "Media outlet", "СМИ", "БАҚ"),
        t(
            "international",
            "International organisation",
            "Международная организация",
            "Халықаралық ұйым",
        ),
        t("other", "Other", "Другое", "Басқа"),
    ],
};

/// Who acted on a case.
pub const INTERVENTION_ACTORS: Vocabulary = Vocabulary {
    name: "intervention actor",
    terms: &[
        t("lawyer", "Lawyer", "Адвокат", "Адвокат"),
        t(
            "interpol_ccf",
            "Interpol CCF",
            "Комиссия по контролю за файлами Интерпола",
            "Интерпол файлдарын бақылау комиссиясы",
        ),
        t(
            "un_special_procedure",
            "UN special procedure",
            "Специальная процедура ООН",
            "БҰҰ-ның арнаулы рәсімі",
        ),
        t(
            "un_treaty_body",
            "UN treaty body",
            "Договорный орган ООН",
            "БҰҰ-ның шарттық органы",
        ),
        t("police", "Police", "Полиция", "Полиция"),
        t(
            "asylum_authority",
            "Asylum authority",
            "Миграционная служба (убежище)",
            "Көші-қон қызметі (баспана)",
        ),
        t("embassy", "Embassy", "Посольство", "Елшілік"),
        t("court", "Court", "Суд", "Сот"),
        t("ngo", "NGO", "НКО", "ҮЕҰ"),
        t("other", "Other", "Другое", "Басқа"),
    ],
};

/// Where an intervention stands.
pub const INTERVENTION_STATUSES: Vocabulary = Vocabulary {
    name: "intervention status",
    terms: &[
        t("planned", "Planned", "Запланировано", "Жоспарланған"),
        t("submitted", "Submitted", "Подано", "Берілген"),
        t(
            "pending",
            "Awaiting response",
            "Ожидает ответа",
            "Жауап күтілуде",
        ),
        t("granted", "Granted", "Удовлетворено", "Қанағаттандырылды"),
        t(
            "partly_granted",
            "Partly granted",
            "Частично удовлетворено",
            "Ішінара қанағаттандырылды",
        ),
        t("refused", "Refused", "Отказано", "Бас тартылды"),
        t("closed", "Closed", "Закрыто", "Жабылды"),
    ],
};

/// All vocabularies, for the UI and the interchange format's documentation.
pub const ALL: &[Vocabulary] = &[
    ACT_TYPES,
    INVOLVEMENT,
    ATTRIBUTION,
    PROCEEDING_KINDS,
    LEGAL_GROUNDS,
    SOURCE_TYPES,
    ROLES,
    ORGANISATION_KINDS,
    INTERVENTION_ACTORS,
    INTERVENTION_STATUSES,
];

impl Vocabulary {
    /// The term with this code.
    pub fn get(&self, code: &str) -> Option<&'static Term> {
        self.terms.iter().find(|t| t.code == code)
    }

    /// Checks a code, suggesting the nearest one when it is unknown.
    pub fn check(&self, field: &str, code: &str) -> Result<&'static Term> {
        self.get(code).ok_or_else(|| {
            let mut problem = ProblemCode::UnknownTerm
                .with("value", code)
                .with("vocabulary", self.name);
            if let Some(t) = self.nearest(code) {
                problem = problem
                    .with("suggestion", t.code)
                    .with("suggestion_label", t.en);
            }
            Error::invalid(field, problem)
        })
    }
}

impl Vocabulary {
    /// The term a mistyped `code` most likely meant, if one is close.
    pub fn nearest(&self, code: &str) -> Option<&'static Term> {
        self.terms
            .iter()
            .map(|t| (strsim::damerau_levenshtein(code, t.code), t))
            .min_by_key(|(d, _)| *d)
            .filter(|(d, t)| *d <= t.code.len() / 2 + 1)
            .map(|(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_labelled_in_both_languages() {
        for v in ALL {
            let mut codes: Vec<&str> = v.terms.iter().map(|t| t.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), v.terms.len(), "duplicate code in {}", v.name);
            for t in v.terms {
                assert!(
                    t.code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}",
                    t.code
                );
                assert!(!t.en.is_empty() && !t.ru.is_empty(), "{}", t.code);
                assert!(
                    t.ru.chars()
                        .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())),
                    "{} needs Russian",
                    t.code
                );
            }
        }
    }

    #[test]
    fn every_term_has_a_kazakh_label_in_kazakh() {
        // Letters only Kazakh Cyrillic has, and the Russian ones it shares.
        let cyrillic = |c: char| ('\u{0400}'..='\u{04FF}').contains(&c);
        for v in ALL {
            for t in v.terms {
                assert!(
                    !t.kk.trim().is_empty(),
                    "{} {} needs a Kazakh label",
                    v.name,
                    t.code
                );
                assert!(
                    !t.kk.chars().any(|c| c.is_ascii_alphabetic()),
                    "{} {}: \"{}\" mixes in Latin letters",
                    v.name,
                    t.code,
                    t.kk
                );
                assert!(t.kk.chars().any(cyrillic), "{}", t.code);
            }
        }
    }

    #[test]
    fn act_types_cover_the_five_groups() {
        let groups: std::collections::BTreeSet<_> =
            ACT_TYPES.terms.iter().filter_map(|t| t.group).collect();
        assert_eq!(
            groups.into_iter().collect::<Vec<_>>(),
            [
                "co_opting_states",
                "digital_attack",
                "direct_attack",
                "mobility_controls",
                "threats_from_distance"
            ]
        );
    }

    #[test]
    fn unknown_codes_get_a_suggestion() {
        let err = ACT_TYPES
            .check("act_type", "asault")
            .unwrap_err()
            .to_string();
        assert!(err.contains("Did you mean \"assault\""), "{err}");
        let err = ACT_TYPES
            .check("act_type", "zzzzzzzzzzzz")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("Did you mean"), "{err}");
        assert_eq!(
            ACT_TYPES.check("act_type", "spyware").unwrap().ru,
            "Заражение шпионской программой"
        );
    }
}
