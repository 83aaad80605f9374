//! Controlled vocabularies ("thesauri" in HURIDOCS' Uwazi), shipped with
//! English and Russian labels. Values are stored by code; codes never
//! change once released, labels may.
//!
//! The act types follow the Council of Europe's typology of transnational
//! repression (PACE Resolution 2509 (2023)): direct attacks, co-opting
//! other states, mobility controls and threats from a distance, plus
//! digital attacks as their own group because caseworkers record them in
//! detail.

use serde::Serialize;

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

const fn t(code: &'static str, en: &'static str, ru: &'static str) -> Term {
    Term {
        code,
        en,
        ru,
        group: None,
    }
}

const fn g(group: &'static str, code: &'static str, en: &'static str, ru: &'static str) -> Term {
    Term {
        code,
        en,
        ru,
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
        ),
        g(
            "direct_attack",
            "assault",
            "Assault, beating",
            "Нападение, избиение",
        ),
        g(
            "direct_attack",
            "enforced_disappearance",
            "Enforced disappearance",
            "Насильственное исчезновение",
        ),
        g(
            "direct_attack",
            "abduction",
            "Abduction or attempted abduction",
            "Похищение или попытка похищения",
        ),
        g(
            "direct_attack",
            "rendition",
            "Rendition, forced return",
            "Выдача в обход процедуры, принудительное возвращение",
        ),
        g(
            "direct_attack",
            "physical_intimidation",
            "Physical intimidation, stalking",
            "Физическое запугивание, преследование",
        ),
        g(
            "direct_attack",
            "physical_surveillance",
            "Physical surveillance",
            "Физическая слежка",
        ),
        g(
            "direct_attack",
            "robbery_by_proxies",
            "Robbery or attack by hired proxies",
            "Ограбление или нападение наёмными исполнителями",
        ),
        g(
            "co_opting_states",
            "detention_abroad",
            "Detention in the host or a third country",
            "Задержание в стране пребывания или третьей стране",
        ),
        g(
            "co_opting_states",
            "unlawful_deportation",
            "Unlawful deportation",
            "Незаконная депортация",
        ),
        g(
            "co_opting_states",
            "extradition_request",
            "Extradition request",
            "Запрос об экстрадиции",
        ),
        g(
            "co_opting_states",
            "interpol_red_notice",
            "Interpol Red Notice",
            "Красное уведомление Интерпола",
        ),
        g(
            "co_opting_states",
            "interpol_diffusion",
            "Interpol diffusion",
            "Диффузия Интерпола",
        ),
        g(
            "co_opting_states",
            "interstate_wanted_notice",
            "Interstate wanted notice (e.g. CIS)",
            "Межгосударственный розыск (например, СНГ)",
        ),
        g(
            "co_opting_states",
            "aml_ct_abuse",
            "Abuse of anti-money-laundering or counter-terrorism measures",
            "Злоупотребление мерами против отмывания денег или терроризма",
        ),
        g(
            "co_opting_states",
            "trial_in_absentia",
            "Criminal case or trial in absentia",
            "Уголовное дело или заочный приговор",
        ),
        g(
            "mobility_controls",
            "passport_cancellation",
            "Passport cancellation or refusal",
            "Аннулирование паспорта или отказ в выдаче",
        ),
        g(
            "mobility_controls",
            "consular_denial",
            "Denial of consular services",
            "Отказ в консульских услугах",
        ),
        g(
            "mobility_controls",
            "exit_ban",
            "Exit ban",
            "Запрет на выезд",
        ),
        g(
            "mobility_controls",
            "border_harassment",
            "Harassment at a border",
            "Преследование на границе",
        ),
        g(
            "threats_from_distance",
            "online_intimidation",
            "Online threats or intimidation",
            "Угрозы или запугивание в интернете",
        ),
        g(
            "threats_from_distance",
            "coercion_by_proxy",
            "Coercion of relatives (coercion by proxy)",
            "Давление на родственников",
        ),
        g(
            "threats_from_distance",
            "smear_campaign",
            "Smear campaign",
            "Кампания по дискредитации",
        ),
        g(
            "threats_from_distance",
            "summons",
            "Summons or questioning demanded from abroad",
            "Вызов на допрос из-за рубежа",
        ),
        g("digital_attack", "phishing", "Phishing", "Фишинг"),
        g(
            "digital_attack",
            "account_takeover",
            "Account takeover",
            "Захват аккаунта",
        ),
        g(
            "digital_attack",
            "spyware",
            "Spyware infection",
            "Заражение шпионской программой",
        ),
        g(
            "digital_attack",
            "state_attack_warning",
            "State-sponsored attack warning from a platform",
            "Предупреждение платформы о государственной атаке",
        ),
        g(
            "digital_attack",
            "digital_surveillance",
            "Digital surveillance",
            "Цифровая слежка",
        ),
    ],
};

/// Degree of a perpetrator's involvement in an act.
pub const INVOLVEMENT: Vocabulary = Vocabulary {
    name: "involvement",
    terms: &[
        t("carried_out", "Carried out", "Совершил"),
        t("ordered", "Ordered", "Отдал приказ"),
        t("present", "Present", "Присутствовал"),
        t("suspected", "Suspected", "Подозревается"),
    ],
};

/// Confidence in an attribution.
pub const ATTRIBUTION: Vocabulary = Vocabulary {
    name: "attribution confidence",
    terms: &[
        t("confirmed", "Confirmed", "Подтверждено"),
        t("credible", "Credible", "Достоверно"),
        t("suspected", "Suspected", "Предположительно"),
        t("unknown", "Unknown", "Неизвестно"),
    ],
};

/// Kinds of legal proceeding.
pub const PROCEEDING_KINDS: Vocabulary = Vocabulary {
    name: "proceeding kind",
    terms: &[
        t("criminal_case", "Criminal case", "Уголовное дело"),
        t("trial_in_absentia", "Trial in absentia", "Заочный процесс"),
        t("extradition", "Extradition", "Экстрадиция"),
        t(
            "wanted_national",
            "National wanted notice",
            "Национальный розыск",
        ),
        t(
            "wanted_interstate",
            "Interstate wanted notice",
            "Межгосударственный розыск",
        ),
        t(
            "interpol_red_notice",
            "Interpol Red Notice",
            "Красное уведомление Интерпола",
        ),
        t(
            "interpol_diffusion",
            "Interpol diffusion",
            "Диффузия Интерпола",
        ),
        t(
            "ccf_request",
            "Request to the CCF",
            "Обращение в Комиссию по контролю за файлами Интерпола",
        ),
        t("asylum", "Asylum", "Убежище"),
        t("appeal", "Appeal", "Апелляция"),
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
        ),
        t(
            "echr_3",
            "European Convention on Human Rights, art. 3",
            "Европейская конвенция о защите прав человека, ст. 3",
        ),
        t(
            "ece_3",
            "European Convention on Extradition, art. 3",
            "Европейская конвенция о выдаче, ст. 3",
        ),
        t(
            "refugee_convention",
            "Refugee Convention",
            "Конвенция о статусе беженцев",
        ),
        t(
            "interpol_constitution_3",
            "Interpol Constitution, art. 3",
            "Устав Интерпола, ст. 3",
        ),
    ],
};

/// Types of source.
pub const SOURCE_TYPES: Vocabulary = Vocabulary {
    name: "source type",
    terms: &[
        t("testimony", "Testimony", "Свидетельство"),
        t("media", "Media", "СМИ"),
        t(
            "official_document",
            "Official document",
            "Официальный документ",
        ),
        t("court_decision", "Court decision", "Решение суда"),
        t("ngo_report", "NGO report", "Доклад НКО"),
        t("social_media", "Social media", "Социальные сети"),
    ],
};

/// A person's role in a case.
pub const ROLES: Vocabulary = Vocabulary {
    name: "role",
    terms: &[
        t("victim", "Victim", "Пострадавший"),
        t("witness", "Witness", "Свидетель"),
        t("relative", "Relative", "Родственник"),
        t(
            "alleged_perpetrator",
            "Alleged perpetrator",
            "Предполагаемый исполнитель",
        ),
        t("lawyer", "Lawyer", "Адвокат"),
        t("interviewer", "Interviewer", "Интервьюер"),
    ],
};

/// Kinds of organisation.
pub const ORGANISATION_KINDS: Vocabulary = Vocabulary {
    name: "organisation kind",
    terms: &[
        t("security_service", "Security service", "Спецслужба"),
        t("court", "Court", "Суд"),
        t("prosecutor", "Prosecutor's office", "Прокуратура"),
        t(
            "embassy",
            "Embassy or consulate",
            "Посольство или консульство",
        ),
        t("police", "Police", "Полиция"),
        t("ngo", "NGO", "НКО"),
        t("media", "Media outlet", "СМИ"),
        t(
            "international",
            "International organisation",
            "Международная организация",
        ),
        t("other", "Other", "Другое"),
    ],
};

/// Who acted on a case.
pub const INTERVENTION_ACTORS: Vocabulary = Vocabulary {
    name: "intervention actor",
    terms: &[
        t("lawyer", "Lawyer", "Адвокат"),
        t(
            "interpol_ccf",
            "Interpol CCF",
            "Комиссия по контролю за файлами Интерпола",
        ),
        t(
            "un_special_procedure",
            "UN special procedure",
            "Специальная процедура ООН",
        ),
        t("un_treaty_body", "UN treaty body", "Договорный орган ООН"),
        t("police", "Police", "Полиция"),
        t(
            "asylum_authority",
            "Asylum authority",
            "Миграционная служба (убежище)",
        ),
        t("embassy", "Embassy", "Посольство"),
        t("court", "Court", "Суд"),
        t("ngo", "NGO", "НКО"),
        t("other", "Other", "Другое"),
    ],
};

/// Where an intervention stands.
pub const INTERVENTION_STATUSES: Vocabulary = Vocabulary {
    name: "intervention status",
    terms: &[
        t("planned", "Planned", "Запланировано"),
        t("submitted", "Submitted", "Подано"),
        t("pending", "Awaiting response", "Ожидает ответа"),
        t("granted", "Granted", "Удовлетворено"),
        t("partly_granted", "Partly granted", "Частично удовлетворено"),
        t("refused", "Refused", "Отказано"),
        t("closed", "Closed", "Закрыто"),
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
            let nearest = self
                .nearest(code)
                .map(|t| format!(" Did you mean \"{}\" ({})?", t.code, t.en))
                .unwrap_or_default();
            Error::invalid(
                field,
                format!("\"{code}\" is not a known {}.{nearest}", self.name),
            )
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
