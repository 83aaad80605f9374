//! An activist's self-report: the guided questionnaire's answers, in the
//! activist's own words, and their translation into the documentation
//! model when the report is sealed for an organisation.
//!
//! Answers are plain strings while the activist types (a draft may be
//! half-finished); [`SelfReport::problems`] says, step by step, what must
//! be fixed before sealing, and [`SelfReport::to_document`] builds the
//! case, the reporter, one incident per answered section and the
//! reporter's own statement with their consent.

use serde::{Deserialize, Serialize};

use super::date::FuzzyDate;
use super::interchange::{Document, MAX_LONG_TEXT, MAX_SHORT_TEXT};
use super::records::{
    Case, CaseRole, CaseStatus, Consent, Incident, NameKind, Person, PersonName, Place, Source,
    Testimony,
};
use super::vocab;
use crate::{Error, Result};

/// The largest answers document kept (a long account with room to spare).
pub const MAX_ANSWERS_BYTES: usize = 8 * 1024 * 1024;

/// The questionnaire's steps, in order. Their codes name the sections in
/// problems and in the UI.
pub const STEPS: &[&str] = &[
    "about_me",
    "what_happened",
    "relatives",
    "digital",
    "travel",
    "notices",
    "evidence",
    "consent",
];

/// About the person reporting. Every field may stay empty: a reporter can
/// stay unnamed, and the organisation links follow-ups by their key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct AboutMe {
    /// The name the organisation may use (a real name or a pseudonym).
    pub name: String,
    /// Other names or spellings, one per line (Молдашев, Moldashev).
    pub other_names: String,
    /// Citizenship, ISO 3166-1 alpha-2 ("KZ").
    pub citizenship: String,
    /// Where the reporter lives now, ISO 3166-1 alpha-2.
    pub living_in: String,
    /// A safe way to reach them (Signal number, e-mail), if they want.
    pub contact: String,
}

/// One section of the questionnaire: did it happen, what, when, where, who
/// and why. `happened: None` means the question was not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Section {
    /// Whether this happened.
    pub happened: Option<bool>,
    /// What it was: the code of one of the section's [`section_choices`].
    pub act_type: String,
    /// When, as precisely as known ("March 2008", "approx. 22:30 on 1 May 2023").
    pub when: String,
    /// Where (city, address, or "online").
    pub place: String,
    /// The country where it happened, ISO 3166-1 alpha-2.
    pub country: String,
    /// What happened, in their words.
    pub details: String,
    /// Who they think was behind it.
    pub who: String,
    /// Why they think so.
    pub why: String,
}

/// Whom the reporter allows the organisation to share the report with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ReportConsent {
    /// The organisation may record the report (required to seal).
    pub record: bool,
    /// It may share it with lawyers acting for the reporter.
    pub share_lawyers: bool,
    /// With UN mechanisms.
    pub share_un: bool,
    /// The organisation may contact the reporter.
    pub contact_me: bool,
    /// Appear under a pseudonym outside the organisation.
    pub pseudonym_only: bool,
}

/// The questionnaire's answers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct SelfReport {
    /// The step the reporter was on, to resume there.
    pub step: u32,
    /// The language the answers are written in (ISO 639-1: "ru", "en", "kk").
    pub language: String,
    /// About the reporter.
    pub about_me: AboutMe,
    /// The main event.
    pub what_happened: Section,
    /// Pressure on relatives back home.
    pub relatives: Section,
    /// Digital signs: phishing, account takeover, spyware warnings.
    pub digital: Section,
    /// Travel and document problems.
    pub travel: Section,
    /// Wanted notices, summonses, extradition requests.
    pub notices: Section,
    /// Consent.
    pub consent: ReportConsent,
}

/// One problem that stops sealing, tied to the step that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportProblem {
    /// The step (one of [`STEPS`]).
    pub step: String,
    /// The field.
    pub field: String,
    /// What to do.
    pub message: String,
    /// The same as a code and parameters, where the app's words come from
    /// the core's refusal (an unreadable date); `message` is the English.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub problem: Option<crate::problem::Problem>,
}

/// The screens the wizard walks, in order: the questionnaire's [`STEPS`],
/// then a read-only review of every answer, then sealing. The UI numbers
/// "Step n of m" from this list, so the count and the list agree.
pub const SCREENS: &[&str] = &[
    "about_me",
    "what_happened",
    "relatives",
    "digital",
    "travel",
    "notices",
    "evidence",
    "consent",
    "review",
    "seal",
];

/// One answer to "what was it" as the reporter reads it, and the
/// vocabulary act type the organisation gets for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Choice {
    /// Stable code, stored in the answers.
    pub code: &'static str,
    /// English label.
    pub en: &'static str,
    /// Russian label.
    pub ru: &'static str,
    /// Kazakh label.
    pub kk: &'static str,
    /// The code in [`vocab::ACT_TYPES`] the organisation records.
    pub act_type: &'static str,
}

const fn c(
    code: &'static str,
    act_type: &'static str,
    en: &'static str,
    ru: &'static str,
    kk: &'static str,
) -> Choice {
    Choice {
        code,
        en,
        ru,
        kk,
        act_type,
    }
}

/// "What happened", in the words of someone it happened to rather than of
/// the CoE typology a caseworker classifies by. Each maps onto one act
/// type; "Something else" and "Not sure" go to `other`, and the caseworker
/// classifies them from the reporter's account.
pub const WHAT_HAPPENED_CHOICES: &[Choice] = &[
    c(
        "followed",
        "physical_surveillance",
        "I was followed or watched",
        "За мной следили",
        "Мені аңдыды немесе бақылады",
    ),
    c(
        "threatened",
        "physical_intimidation",
        "Someone threatened or frightened me in person",
        "Мне угрожали или запугивали лично",
        "Маған бетпе-бет қорқытып, қоқан-лоқы көрсетті",
    ),
    c(
        "threatened_online",
        "online_intimidation",
        "I was threatened online",
        "Мне угрожали в интернете",
        "Маған интернетте қоқан-лоқы көрсетті",
    ),
    c(
        "attacked",
        "assault",
        "I was attacked or beaten",
        "На меня напали или избили",
        "Маған шабуыл жасады немесе ұрып-соқты",
    ),
    c(
        "taken",
        "abduction",
        "Someone took me or tried to take me away by force",
        "Меня пытались увезти силой или увезли",
        "Мені күшпен әкетті немесе әкетуге тырысты",
    ),
    c(
        "detained",
        "detention_abroad",
        "I was detained in the country where I live or in another country",
        "Меня задержали в стране, где я живу, или в другой стране",
        "Мені тұратын елімде немесе басқа елде ұстады",
    ),
    c(
        "deported",
        "unlawful_deportation",
        "I was deported or sent back",
        "Меня депортировали или выслали обратно",
        "Мені депортациялады немесе кері қайтарды",
    ),
    c(
        "family",
        "coercion_by_proxy",
        "My family was pressured because of me",
        "На мою семью давили из-за меня",
        "Мен үшін отбасыма қысым көрсетті",
    ),
    c(
        "wanted",
        "interstate_wanted_notice",
        "I was put on a wanted list (at home, in the CIS or by Interpol)",
        "Меня объявили в розыск (дома, в СНГ или через Интерпол)",
        "Мені іздеуге жариялады (елімде, ТМД-да немесе Интерпол арқылы)",
    ),
    c(
        "criminal_case",
        "trial_in_absentia",
        "A criminal case was opened against me, or I was tried without being there",
        "Против меня возбудили уголовное дело или судили заочно",
        "Маған қарсы қылмыстық іс қозғалды немесе сырттай соттады",
    ),
    c(
        "summoned",
        "summons",
        "I was summoned for questioning from abroad",
        "Меня вызывали на допрос, хотя я за границей",
        "Шетелде жүрсем де, мені жауапқа шақырды",
    ),
    c(
        "passport",
        "passport_cancellation",
        "My passport was cancelled or not renewed",
        "Мой паспорт аннулировали или не продлили",
        "Төлқұжатымды жойды немесе ұзартпады",
    ),
    c(
        "consulate",
        "consular_denial",
        "The embassy or consulate refused to help me",
        "Посольство или консульство отказало мне в помощи",
        "Елшілік немесе консулдық маған көмектесуден бас тартты",
    ),
    c(
        "border",
        "border_harassment",
        "I had trouble at a border",
        "У меня были проблемы на границе",
        "Шекарада қиындыққа тап болдым",
    ),
    c(
        "smeared",
        "smear_campaign",
        "Lies about me were spread in public",
        "Обо мне публично распространяли ложь",
        "Мен туралы жалған ақпарат көпшілікке таратылды",
    ),
    c(
        "hacked",
        "account_takeover",
        "My accounts or phone were broken into",
        "Мои аккаунты или телефон взломали",
        "Аккаунттарымды немесе телефонымды бұзып кірді",
    ),
    c(
        "suspicious_messages",
        "phishing",
        "I got suspicious messages or links",
        "Я получал(а) подозрительные сообщения или ссылки",
        "Маған күдікті хабарламалар немесе сілтемелер келді",
    ),
    c(
        "spyware_warning",
        "state_attack_warning",
        "I was warned about spyware or a state-backed attack",
        "Меня предупредили о шпионской программе или атаке со стороны государства",
        "Мені тыңшы бағдарлама немесе мемлекет тарапынан шабуыл туралы ескертті",
    ),
    c(
        "something_else",
        "other",
        "Something else",
        "Что-то другое",
        "Басқа нәрсе",
    ),
    c(
        "not_sure",
        "other",
        "Not sure",
        "Не знаю, как назвать",
        "Қалай атарымды білмеймін",
    ),
];

/// The act types each section offers, so that the questionnaire stays
/// short and the organisation gets the right vocabulary.
pub fn section_act_types(section: &str) -> Vec<&'static str> {
    let group = |g: &str| -> Vec<&'static str> {
        vocab::ACT_TYPES
            .terms
            .iter()
            .filter(|t| t.group == Some(g))
            .map(|t| t.code)
            .collect()
    };
    match section {
        "what_happened" => vocab::ACT_TYPES.terms.iter().map(|t| t.code).collect(),
        "relatives" => vec!["coercion_by_proxy"],
        "digital" => group("digital_attack"),
        "travel" => {
            let mut v = group("mobility_controls");
            v.extend(["detention_abroad", "unlawful_deportation"]);
            v
        }
        "notices" => vec![
            "interpol_red_notice",
            "interpol_diffusion",
            "interstate_wanted_notice",
            "extradition_request",
            "summons",
            "trial_in_absentia",
        ],
        _ => Vec::new(),
    }
}

/// The answers a section's "what was it" offers, in the reporter's words:
/// the plain list for "What happened", the section's vocabulary terms for
/// the narrower questions (whose terms are plain already). Empty for
/// screens without that question.
pub fn section_choices(section: &str) -> Vec<Choice> {
    if section == "what_happened" {
        return WHAT_HAPPENED_CHOICES.to_vec();
    }
    section_act_types(section)
        .into_iter()
        .filter_map(|code| vocab::ACT_TYPES.get(code))
        .map(|t| Choice {
            code: t.code,
            en: t.en,
            ru: t.ru,
            kk: t.kk,
            act_type: t.code,
        })
        .collect()
}

/// The act type a section's answer stands for: the choice's mapping, or,
/// for drafts saved before "What happened" had its own list, the act type
/// itself.
pub fn act_type_of(section: &str, answer: &str) -> Option<&'static str> {
    section_choices(section)
        .into_iter()
        .find(|c| c.code == answer)
        .map(|c| c.act_type)
        .or_else(|| {
            section_act_types(section)
                .into_iter()
                .find(|code| *code == answer)
        })
}

/// The sections that become incidents, with their step codes.
fn sections(r: &SelfReport) -> [(&'static str, &Section); 5] {
    [
        ("what_happened", &r.what_happened),
        ("relatives", &r.relatives),
        ("digital", &r.digital),
        ("travel", &r.travel),
        ("notices", &r.notices),
    ]
}

fn country_ok(code: &str) -> bool {
    crate::country::is_country_code(code)
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl SelfReport {
    /// Checks a draft before it is saved: only its size, so a
    /// half-finished answer is never refused.
    pub fn check_draft(&self) -> Result<String> {
        let text =
            serde_json::to_string(self).map_err(|e| Error::Internal(format!("report: {e}")))?;
        if text.len() > MAX_ANSWERS_BYTES {
            return Err(Error::invalid(
                "report",
                crate::problem::ProblemCode::TooLarge
                    .with("size_mb", text.len() >> 20)
                    .with("max_mb", MAX_ANSWERS_BYTES >> 20),
            ));
        }
        Ok(text)
    }

    /// Everything that must be fixed before the report can be sealed,
    /// each tied to its step. Empty means it can be sealed.
    pub fn problems(&self) -> Vec<ReportProblem> {
        let mut out = Vec::new();
        let mut add = |step: &str, field: &str, message: String| {
            out.push(ReportProblem {
                step: step.to_owned(),
                field: field.to_owned(),
                message,
                problem: None,
            })
        };
        let a = &self.about_me;
        for (field, value) in [("name", &a.name), ("contact", &a.contact)] {
            if value.chars().count() > MAX_SHORT_TEXT {
                add(
                    "about_me",
                    field,
                    format!("keep this under {MAX_SHORT_TEXT} characters"),
                );
            }
        }
        for (field, value) in [("citizenship", &a.citizenship), ("living_in", &a.living_in)] {
            if !value.trim().is_empty() && !country_ok(value.trim()) {
                add(
                    "about_me",
                    field,
                    format!("\"{value}\" is not a country code; choose a country from the list"),
                );
            }
        }
        if self.what_happened.happened != Some(true) {
            add(
                "what_happened",
                "happened",
                "tell what happened: a report needs at least this one event".to_owned(),
            );
        }
        for (step, s) in sections(self) {
            if s.happened != Some(true) {
                continue;
            }
            if s.act_type.is_empty() {
                add(
                    step,
                    "act_type",
                    "choose what it was from the list".to_owned(),
                );
            } else if act_type_of(step, &s.act_type).is_none() {
                add(
                    step,
                    "act_type",
                    format!("\"{}\" is not one of this step's choices", s.act_type),
                );
            }
            if s.when.trim().is_empty() {
                add(
                    step,
                    "when",
                    "say when, even roughly: \"March 2008\", \"about 2019\" or \"unknown\""
                        .to_owned(),
                );
            } else if let Err(e) = s.when.parse::<FuzzyDate>() {
                add(step, "when", e.to_string());
            }
            if !s.country.trim().is_empty() && !country_ok(s.country.trim()) {
                add(
                    step,
                    "country",
                    format!(
                        "\"{}\" is not a country code; choose a country from the list",
                        s.country
                    ),
                );
            }
            if s.details.trim().is_empty() {
                add(
                    step,
                    "details",
                    "describe what happened in a few sentences".to_owned(),
                );
            }
            for (field, value) in [("details", &s.details), ("who", &s.who), ("why", &s.why)] {
                if value.len() > MAX_LONG_TEXT {
                    add(
                        step,
                        field,
                        "this answer is too long; attach it as a document instead".to_owned(),
                    );
                }
            }
            if s.place.chars().count() > MAX_SHORT_TEXT {
                add(
                    step,
                    "place",
                    format!("keep this under {MAX_SHORT_TEXT} characters"),
                );
            }
        }
        if !self.consent.record {
            add(
                "consent",
                "record",
                "the organisation can only keep your report with your consent; agree to it in the consent step"
                    .to_owned(),
            );
        }
        // An unreadable date says why as data too, so the wizard can say
        // it in the reporter's language.
        for p in out.iter_mut().filter(|p| p.field == "when") {
            let when = sections(self)
                .into_iter()
                .find(|(step, _)| *step == p.step)
                .map(|(_, s)| s.when.as_str());
            if let Some(Err(e)) = when.map(str::parse::<FuzzyDate>) {
                p.problem = e.problems().first().cloned();
            }
        }
        out
    }

    /// Whether the reporter may appear outside the organisation only
    /// under a pseudonym: they asked for one, or gave no name.
    pub fn reporter_protected(&self) -> bool {
        self.consent.pseudonym_only || opt(&self.about_me.name).is_none()
    }

    /// The consent the reporter's statement carries, given on `given` (the
    /// day they sealed it): exactly the boxes they ticked. Audiences the
    /// questionnaire does not ask about (courts, media, publication) are
    /// not consented to.
    pub fn statement_consent(&self, given: FuzzyDate) -> Consent {
        let c = &self.consent;
        Consent {
            record: c.record,
            share_lawyers: c.share_lawyers,
            share_courts: false,
            share_un: c.share_un,
            share_media: false,
            publish: false,
            anonymity: Some(
                if self.reporter_protected() {
                    "pseudonym"
                } else {
                    "none"
                }
                .to_owned(),
            ),
            withdrawn: None,
            given: Some(given),
            contact: Some(c.contact_me),
        }
    }

    /// Makes `doc` say what the answers consent to, whatever it said: every
    /// testimony carries [`Self::statement_consent`], and when the reporter
    /// asked for a pseudonym every person in it is protected. The answers
    /// are what the reporter ticked and what the organisation reviews;
    /// `data.json` is only derived from them, by whoever sealed it.
    pub fn apply_consent(&self, doc: &mut Document, report_id: &str, given: FuzzyDate) {
        let consent = self.statement_consent(given);
        for t in &mut doc.testimonies {
            t.consent = consent.clone();
        }
        if self.reporter_protected() {
            for p in &mut doc.persons {
                p.protected = true;
                if p.pseudonym.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    p.pseudonym = Some(reporter_pseudonym(report_id));
                }
            }
        }
    }

    /// The report as records, with ids derived from `report_id` (which is
    /// random, so reports from different people never collide), sealed on
    /// `sealed_on`. The reporter is protected unless named and not asking
    /// for a pseudonym. Nothing in it names the key the report is signed
    /// with: these records travel on, to lawyers.
    pub fn to_document(&self, report_id: &str, sealed_on: FuzzyDate) -> Result<Document> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(Error::RecordRejected {
                problems: problems
                    .iter()
                    .map(|p| {
                        crate::problem::Problem::of_file(
                            &format!("{}.{}", p.step, p.field),
                            crate::problem::ProblemCode::ReportAnswer,
                        )
                        .with("message", &p.message)
                    })
                    .collect(),
            });
        }
        let short = &report_id[..report_id.len().min(12)];
        let case_id = format!("sr-{short}-case");
        let person_id = format!("sr-{short}-reporter");
        let source_id = format!("sr-{short}-source");
        let a = &self.about_me;
        let name = opt(&a.name);
        let display = name
            .clone()
            .unwrap_or_else(|| reporter_pseudonym(report_id));
        let mut doc = Document::new();
        doc.cases.push(Case {
            id: case_id.clone(),
            title: format!("Self-report: {display}"),
            status: CaseStatus::Open,
            caseworker: None,
            risk: None,
            tags: vec!["self-report".to_owned()],
            origin_country: opt(&a.citizenship),
            host_countries: opt(&a.living_in).into_iter().collect(),
            notes: opt(&a.contact).map(|c| format!("How to reach the reporter: {c}")),
        });
        let mut names = vec![PersonName {
            name: display.clone(),
            kind: NameKind::Primary,
        }];
        for other in a.other_names.lines().filter_map(opt) {
            if !names.iter().any(|n| n.name == other) {
                names.push(PersonName {
                    name: other,
                    kind: NameKind::Alias,
                });
            }
        }
        doc.persons.push(Person {
            id: person_id.clone(),
            names,
            birth_date: None,
            citizenships: opt(&a.citizenship).into_iter().collect(),
            occupation: None,
            affiliation: None,
            target_category: None,
            host_status: None,
            protected: self.reporter_protected(),
            pseudonym: Some(reporter_pseudonym(report_id)),
            relationships: Vec::new(),
            case_roles: vec![CaseRole {
                case: case_id.clone(),
                role: "victim".to_owned(),
            }],
        });
        doc.sources.push(Source {
            id: source_id.clone(),
            source_type: "testimony".to_owned(),
            citation: "Self-report by the person concerned".to_owned(),
            accessed: None,
            reliability: None,
            credibility: None,
        });
        let mut statement = String::new();
        for (n, (step, s)) in sections(self)
            .into_iter()
            .filter(|(_, s)| s.happened == Some(true))
            .enumerate()
        {
            // problems() is empty, so every answered section maps.
            let act_type = act_type_of(step, &s.act_type).unwrap_or("other");
            let label = vocab::ACT_TYPES.get(act_type).map_or(act_type, |t| t.en);
            let mut description = s.details.trim().to_owned();
            // The reporter's own words for it, when they are not the term.
            if let Some(choice) = section_choices(step)
                .into_iter()
                .find(|c| c.code == s.act_type && c.code != c.act_type)
            {
                description.push_str(&format!("\n\nThe reporter chose: \"{}\"", choice.en));
            }
            if let Some(who) = opt(&s.who) {
                description.push_str(&format!("\n\nWho the reporter thinks was behind it: {who}"));
            }
            if let Some(why) = opt(&s.why) {
                description.push_str(&format!("\nWhy they think so: {why}"));
            }
            statement.push_str(&format!("{label} ({}):\n{description}\n\n", s.when.trim()));
            doc.incidents.push(Incident {
                id: format!("sr-{short}-{}", n + 1),
                case: case_id.clone(),
                title: label.to_owned(),
                act_type: act_type.to_owned(),
                start: s.when.parse()?,
                end: None,
                timezone: None,
                place: Place {
                    text: opt(&s.place),
                    city: None,
                    country: opt(&s.country),
                },
                origin_state: opt(&a.citizenship),
                host_state: opt(&a.living_in),
                third_states: Vec::new(),
                description,
                victims: vec![person_id.clone()],
                perpetrators: Vec::new(),
                witnesses: Vec::new(),
                sources: vec![source_id.clone()],
                related: Vec::new(),
            });
        }
        doc.testimonies.push(Testimony {
            id: format!("sr-{short}-statement"),
            case: case_id,
            person: person_id,
            language: opt(&self.language).unwrap_or_else(|| "und".to_owned()),
            interview_date: None,
            interview_place: None,
            mode: Some("self_report".to_owned()),
            interviewer: None,
            interpreter: None,
            statement: statement.trim_end().to_owned(),
            consent: self.statement_consent(sealed_on),
        });
        Ok(doc)
    }
}

impl SelfReport {
    /// The names the answers give: the reporter's name and other names, and
    /// the capitalised words of "who was behind it" (a person's name there
    /// identifies the reporter as surely as their own). Acronyms ("KNB")
    /// are left out: they name institutions.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |name: &str| {
            let name = name.trim();
            if !name.is_empty() && !out.iter().any(|n| n == name) {
                out.push(name.to_owned());
            }
        };
        add(&self.about_me.name);
        self.about_me.other_names.lines().for_each(&mut add);
        for (_, s) in sections(self) {
            for word in s
                .who
                .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            {
                let mut chars = word.chars();
                let capitalised =
                    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase);
                if capitalised && word.chars().count() >= 3 {
                    add(word);
                }
            }
        }
        out
    }

    /// The names of [`Self::names`] that a file name gives away, in any
    /// script or inflection ("moldashevoy-report.cvb" gives away
    /// "Молдашева"): a sealed report's name is seen by anyone who sees the
    /// file, on a USB stick or in a mail.
    pub fn names_in_file_name(&self, file_name: &str) -> Vec<String> {
        let stem = std::path::Path::new(file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let words: std::collections::BTreeSet<String> = stem
            .split(|c: char| !c.is_alphanumeric())
            .map(super::inflect::word_key)
            .filter(|k| k.len() >= 3)
            .collect();
        self.names()
            .into_iter()
            .filter(|name| {
                name.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| super::inflect::word_key(w).len() >= 3)
                    .any(|w| {
                        super::inflect::form_keys(w)
                            .iter()
                            .any(|k| words.contains(k))
                    })
            })
            .collect()
    }
}

/// The name an unnamed or pseudonymous reporter appears under: from the
/// report's random id, never from a key, so that it links to nothing the
/// reporter keeps once the report is deleted.
pub fn reporter_pseudonym(report_id: &str) -> String {
    let short: String = report_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(8)
        .collect();
    format!("Reporter {short}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::validate;
    use crate::known::KnownRecords;
    use proptest::prelude::*;

    fn day() -> FuzzyDate {
        "2026-11-25".parse().unwrap()
    }

    pub(crate) fn filled() -> SelfReport {
        SelfReport {
            step: 7,
            about_me: AboutMe {
                name: "Aigerim N.".into(),
                other_names: "Айгерим Н.\n".into(),
                citizenship: "KZ".into(),
                living_in: "DE".into(),
                contact: "Signal +49 000".into(),
            },
            what_happened: Section {
                happened: Some(true),
                act_type: "physical_surveillance".into(),
                when: "March 2024".into(),
                place: "outside my flat".into(),
                country: "DE".into(),
                details: "Two men photographed me for a week.".into(),
                who: "KNB".into(),
                why: "They spoke Kazakh and asked neighbours about me.".into(),
            },
            relatives: Section {
                happened: Some(true),
                act_type: "coercion_by_proxy".into(),
                when: "approx. April 2024".into(),
                details: "Police visited my mother in Almaty.".into(),
                ..Section::default()
            },
            digital: Section {
                happened: Some(false),
                ..Section::default()
            },
            consent: ReportConsent {
                record: true,
                share_lawyers: true,
                ..ReportConsent::default()
            },
            ..SelfReport::default()
        }
    }

    #[test]
    fn a_filled_report_becomes_valid_records() {
        let doc = filled().to_document("0123456789abcdef", day()).unwrap();
        assert!(validate(&doc, &KnownRecords::default()).is_empty());
        assert_eq!(doc.incidents.len(), 2);
        assert_eq!(doc.incidents[1].act_type, "coercion_by_proxy");
        assert_eq!(doc.incidents[1].start.to_string(), "~2024-04");
        assert!(doc.incidents[0].description.contains("KNB"));
        assert_eq!(doc.persons[0].names.len(), 2);
        assert!(!doc.persons[0].protected);
        assert!(doc.testimonies[0].statement.contains("Police visited"));
    }

    #[test]
    fn an_unnamed_reporter_is_protected_under_a_pseudonym() {
        let mut r = filled();
        r.about_me.name = "  ".into();
        let doc = r.to_document("0123456789abcdef", day()).unwrap();
        assert!(doc.persons[0].protected);
        assert_eq!(doc.persons[0].names[0].name, "Reporter 01234567");
    }

    /// An unreadable date carries the date's own problem code, so the
    /// wizard explains it in the reporter's language; other problems need
    /// none (the wizard knows their fix by field).
    #[test]
    fn an_unreadable_date_carries_its_problem_code() {
        let mut r = filled();
        r.relatives.when = "the 45th of Smarch".into();
        r.consent.record = false;
        let p = r.problems();
        let codes: Vec<_> = p
            .iter()
            .map(|p| (p.field.as_str(), p.problem.as_ref().map(|p| p.code)))
            .collect();
        assert_eq!(
            codes,
            [
                ("when", Some(crate::problem::ProblemCode::DateUnreadable)),
                ("record", None)
            ]
        );
    }

    #[test]
    fn problems_name_the_step_to_fix() {
        let mut r = filled();
        r.relatives.when = "the 45th of Smarch".into();
        r.digital = Section {
            happened: Some(true),
            act_type: "assault".into(),
            when: "2023".into(),
            details: "x".into(),
            ..Section::default()
        };
        r.consent.record = false;
        let p = r.problems();
        let steps: Vec<_> = p
            .iter()
            .map(|p| (p.step.as_str(), p.field.as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                ("relatives", "when"),
                ("digital", "act_type"),
                ("consent", "record")
            ]
        );
        assert!(r.to_document("0123456789abcdef", day()).is_err());
        assert_eq!(SelfReport::default().problems()[0].step, "what_happened");
    }

    #[test]
    fn every_choice_maps_onto_the_vocabulary_and_is_labelled_in_three_languages() {
        for step in STEPS {
            for c in section_choices(step) {
                assert!(
                    vocab::ACT_TYPES.get(c.act_type).is_some(),
                    "{step} {}",
                    c.code
                );
                for label in [c.en, c.ru, c.kk] {
                    assert!(!label.trim().is_empty(), "{step} {}", c.code);
                }
                assert!(!c.kk.chars().any(|ch| ch.is_ascii_alphabetic()), "{}", c.kk);
                assert!(!c.ru.chars().any(|ch| ch.is_ascii_alphabetic()), "{}", c.ru);
            }
        }
        let codes: Vec<_> = WHAT_HAPPENED_CHOICES.iter().map(|c| c.code).collect();
        assert!(codes.contains(&"something_else") && codes.contains(&"not_sure"));
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        // Every screen of the wizard is counted once, the questionnaire first.
        assert_eq!(&SCREENS[..STEPS.len()], STEPS);
        assert_eq!(SCREENS.len(), STEPS.len() + 2);
    }

    #[test]
    fn a_plain_answer_becomes_its_vocabulary_term() {
        let mut r = filled();
        r.what_happened.act_type = "followed".into();
        let doc = r.to_document("0123456789abcdef", day()).unwrap();
        assert_eq!(doc.incidents[0].act_type, "physical_surveillance");
        assert!(validate(&doc, &KnownRecords::default()).is_empty());
        for unsure in ["not_sure", "something_else"] {
            r.what_happened.act_type = unsure.into();
            let doc = r.to_document("0123456789abcdef", day()).unwrap();
            assert_eq!(doc.incidents[0].act_type, "other");
            assert!(validate(&doc, &KnownRecords::default()).is_empty());
        }
        // A draft from before the plain list keeps its act type.
        r.what_happened.act_type = "assault".into();
        assert!(r.problems().is_empty());
        assert_eq!(
            r.to_document("0123456789abcdef", day()).unwrap().incidents[0].act_type,
            "assault"
        );
        // A plain code belongs to "What happened" only.
        r.relatives.act_type = "followed".into();
        assert_eq!(r.problems()[0].field, "act_type");
    }

    #[test]
    fn a_file_name_that_gives_away_a_name_is_caught_in_any_script() {
        let mut r = filled();
        r.about_me.name = "Айгерим Молдашева".into();
        r.about_me.other_names = String::new();
        r.what_happened.who = "KNB officer Serik Zhanuzakov".into();
        assert_eq!(
            r.names_in_file_name("/media/usb/moldasheva-report.cvb"),
            ["Айгерим Молдашева"]
        );
        assert_eq!(
            r.names_in_file_name("/media/usb/AIGERIM_2026.cvb"),
            ["Айгерим Молдашева"]
        );
        assert_eq!(
            r.names_in_file_name("/tmp/жанузаковтың-ісі.cvb"),
            ["Zhanuzakov"]
        );
        assert!(
            r.names_in_file_name("/media/usb/report-2026-12-05.cvb")
                .is_empty()
        );
        // The institution's acronym is not a name.
        assert!(r.names_in_file_name("/media/usb/knb.cvb").is_empty());
        // The folder is not part of the file's name.
        assert!(
            r.names_in_file_name("/home/moldasheva/report.cvb")
                .is_empty()
        );
    }

    fn any_consent() -> impl Strategy<Value = ReportConsent> {
        proptest::array::uniform5(any::<bool>()).prop_map(|b| ReportConsent {
            record: b[0],
            share_lawyers: b[1],
            share_un: b[2],
            contact_me: b[3],
            pseudonym_only: b[4],
        })
    }

    proptest! {
        /// Every combination of the boxes, with any name or none, maps to
        /// exactly those boxes: an audience that was not ticked or not
        /// asked is never consented to.
        #[test]
        fn the_statement_carries_exactly_the_boxes_ticked(
            c in any_consent(),
            name in prop_oneof![Just(String::new()), Just("  ".to_owned()), "[A-Za-zА-Яа-я .]{1,30}"],
            withdrawn in proptest::option::of(Just("2020".to_owned())),
        ) {
            let mut r = filled();
            r.consent = c.clone();
            r.about_me.name = name.clone();
            let named = !name.trim().is_empty();
            match r.to_document("0123456789abcdef", day()) {
                Err(_) => prop_assert!(!c.record, "only a missing record consent stops it"),
                Ok(mut doc) => {
                    prop_assert!(c.record);
                    let t = &doc.testimonies[0].consent;
                    prop_assert_eq!(t.record, c.record);
                    prop_assert_eq!(t.share_lawyers, c.share_lawyers);
                    prop_assert!(!t.share_courts);
                    prop_assert_eq!(t.share_un, c.share_un);
                    prop_assert!(!t.share_media);
                    prop_assert!(!t.publish);
                    prop_assert_eq!(t.anonymity.as_deref(), Some(if c.pseudonym_only || !named { "pseudonym" } else { "none" }));
                    prop_assert_eq!(t.withdrawn, None);
                    prop_assert_eq!(t.given, Some(day()));
                    prop_assert_eq!(t.contact, Some(c.contact_me));
                    prop_assert_eq!(doc.persons[0].protected, c.pseudonym_only || !named);
                    prop_assert!(validate(&doc, &KnownRecords::default()).is_empty());
                    // A data.json that says otherwise is brought back to the answers.
                    let want = doc.clone();
                    for t in &mut doc.testimonies {
                        t.consent.share_courts = true;
                        t.consent.publish = true;
                        t.consent.withdrawn = withdrawn.as_deref().map(|w| w.parse().unwrap());
                        t.consent.contact = None;
                    }
                    doc.persons[0].protected = false;
                    r.apply_consent(&mut doc, "0123456789abcdef", day());
                    prop_assert_eq!(&doc.testimonies, &want.testimonies);
                    prop_assert_eq!(&doc.persons, &want.persons);
                }
            }
        }
    }
}
