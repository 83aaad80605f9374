// Generated from casevault-core's constants (src-tauri/src/reference.rs) by scripts/gen-bindings.
// Do not edit by hand: change the Rust side and run `scripts/gen-bindings`.
import type { ErrorCode, ProblemCode, StepChoices, VocabularyDto } from "./bindings";

/** The controlled vocabularies (model::vocab), with en/ru/kk labels. */
export const VOCABULARIES: VocabularyDto[] = [
  {
    "name": "act type",
    "terms": [
      {
        "code": "assassination",
        "en": "Assassination or attempted assassination",
        "ru": "Убийство или покушение",
        "kk": "Кісі өлтіру немесе оған оқталу",
        "group": "direct_attack"
      },
      {
        "code": "assault",
        "en": "Assault, beating",
        "ru": "Нападение, избиение",
        "kk": "Шабуыл, ұрып-соғу",
        "group": "direct_attack"
      },
      {
        "code": "enforced_disappearance",
        "en": "Enforced disappearance",
        "ru": "Насильственное исчезновение",
        "kk": "Күштеп жоғалту",
        "group": "direct_attack"
      },
      {
        "code": "abduction",
        "en": "Abduction or attempted abduction",
        "ru": "Похищение или попытка похищения",
        "kk": "Адам ұрлау немесе ұрлауға оқталу",
        "group": "direct_attack"
      },
      {
        "code": "rendition",
        "en": "Rendition, forced return",
        "ru": "Выдача в обход процедуры, принудительное возвращение",
        "kk": "Рәсімсіз беру, күштеп қайтару",
        "group": "direct_attack"
      },
      {
        "code": "physical_intimidation",
        "en": "Physical intimidation, stalking",
        "ru": "Физическое запугивание, преследование",
        "kk": "Физикалық қорқыту, артынан аңду",
        "group": "direct_attack"
      },
      {
        "code": "physical_surveillance",
        "en": "Physical surveillance",
        "ru": "Физическая слежка",
        "kk": "Физикалық бақылау",
        "group": "direct_attack"
      },
      {
        "code": "robbery_by_proxies",
        "en": "Robbery or attack by hired proxies",
        "ru": "Ограбление или нападение наёмными исполнителями",
        "kk": "Жалдамалы адамдардың тонауы немесе шабуылы",
        "group": "direct_attack"
      },
      {
        "code": "detention_abroad",
        "en": "Detention in the host or a third country",
        "ru": "Задержание в стране пребывания или третьей стране",
        "kk": "Тұратын елде немесе үшінші елде ұстау",
        "group": "co_opting_states"
      },
      {
        "code": "unlawful_deportation",
        "en": "Unlawful deportation",
        "ru": "Незаконная депортация",
        "kk": "Заңсыз депортация",
        "group": "co_opting_states"
      },
      {
        "code": "extradition_request",
        "en": "Extradition request",
        "ru": "Запрос об экстрадиции",
        "kk": "Экстрадиция туралы сұрау",
        "group": "co_opting_states"
      },
      {
        "code": "interpol_red_notice",
        "en": "Interpol Red Notice",
        "ru": "Красное уведомление Интерпола",
        "kk": "Интерполдың қызыл хабарламасы",
        "group": "co_opting_states"
      },
      {
        "code": "interpol_diffusion",
        "en": "Interpol diffusion",
        "ru": "Диффузия Интерпола",
        "kk": "Интерполдың диффузиясы",
        "group": "co_opting_states"
      },
      {
        "code": "interstate_wanted_notice",
        "en": "Interstate wanted notice (e.g. CIS)",
        "ru": "Межгосударственный розыск (например, СНГ)",
        "kk": "Мемлекетаралық іздеу (мысалы, ТМД)",
        "group": "co_opting_states"
      },
      {
        "code": "aml_ct_abuse",
        "en": "Abuse of anti-money-laundering or counter-terrorism measures",
        "ru": "Злоупотребление мерами против отмывания денег или терроризма",
        "kk": "Ақшаны жылыстатуға немесе терроризмге қарсы шараларды теріс пайдалану",
        "group": "co_opting_states"
      },
      {
        "code": "trial_in_absentia",
        "en": "Criminal case or trial in absentia",
        "ru": "Уголовное дело или заочный приговор",
        "kk": "Қылмыстық іс немесе сырттай үкім",
        "group": "co_opting_states"
      },
      {
        "code": "passport_cancellation",
        "en": "Passport cancellation or refusal",
        "ru": "Аннулирование паспорта или отказ в выдаче",
        "kk": "Төлқұжатты жою немесе беруден бас тарту",
        "group": "mobility_controls"
      },
      {
        "code": "consular_denial",
        "en": "Denial of consular services",
        "ru": "Отказ в консульских услугах",
        "kk": "Консулдық қызметтен бас тарту",
        "group": "mobility_controls"
      },
      {
        "code": "exit_ban",
        "en": "Exit ban",
        "ru": "Запрет на выезд",
        "kk": "Елден шығуға тыйым",
        "group": "mobility_controls"
      },
      {
        "code": "border_harassment",
        "en": "Harassment at a border",
        "ru": "Преследование на границе",
        "kk": "Шекарадағы қысым",
        "group": "mobility_controls"
      },
      {
        "code": "online_intimidation",
        "en": "Online threats or intimidation",
        "ru": "Угрозы или запугивание в интернете",
        "kk": "Интернеттегі қоқан-лоқы немесе қорқыту",
        "group": "threats_from_distance"
      },
      {
        "code": "coercion_by_proxy",
        "en": "Coercion of relatives (coercion by proxy)",
        "ru": "Давление на родственников",
        "kk": "Туыстарға қысым көрсету",
        "group": "threats_from_distance"
      },
      {
        "code": "smear_campaign",
        "en": "Smear campaign",
        "ru": "Кампания по дискредитации",
        "kk": "Абыройын түсіру науқаны",
        "group": "threats_from_distance"
      },
      {
        "code": "summons",
        "en": "Summons or questioning demanded from abroad",
        "ru": "Вызов на допрос из-за рубежа",
        "kk": "Шетелден жауапқа шақыру",
        "group": "threats_from_distance"
      },
      {
        "code": "phishing",
        "en": "Phishing",
        "ru": "Фишинг",
        "kk": "Фишинг",
        "group": "digital_attack"
      },
      {
        "code": "account_takeover",
        "en": "Account takeover",
        "ru": "Захват аккаунта",
        "kk": "Аккаунтты басып алу",
        "group": "digital_attack"
      },
      {
        "code": "spyware",
        "en": "Spyware infection",
        "ru": "Заражение шпионской программой",
        "kk": "Тыңшы бағдарламаны жұқтыру",
        "group": "digital_attack"
      },
      {
        "code": "state_attack_warning",
        "en": "State-sponsored attack warning from a platform",
        "ru": "Предупреждение платформы о государственной атаке",
        "kk": "Платформаның мемлекеттік шабуыл туралы ескертуі",
        "group": "digital_attack"
      },
      {
        "code": "digital_surveillance",
        "en": "Digital surveillance",
        "ru": "Цифровая слежка",
        "kk": "Цифрлық бақылау",
        "group": "digital_attack"
      },
      {
        "code": "other",
        "en": "Other or not yet classified",
        "ru": "Другое или пока не определено",
        "kk": "Басқа немесе әлі анықталмаған",
        "group": null
      }
    ]
  },
  {
    "name": "involvement",
    "terms": [
      {
        "code": "carried_out",
        "en": "Carried out",
        "ru": "Совершил",
        "kk": "Жасаған",
        "group": null
      },
      {
        "code": "ordered",
        "en": "Ordered",
        "ru": "Отдал приказ",
        "kk": "Бұйрық берген",
        "group": null
      },
      {
        "code": "present",
        "en": "Present",
        "ru": "Присутствовал",
        "kk": "Оқиға орнында болған",
        "group": null
      },
      {
        "code": "suspected",
        "en": "Suspected",
        "ru": "Подозревается",
        "kk": "Күдікті",
        "group": null
      }
    ]
  },
  {
    "name": "attribution confidence",
    "terms": [
      {
        "code": "confirmed",
        "en": "Confirmed",
        "ru": "Подтверждено",
        "kk": "Расталған",
        "group": null
      },
      {
        "code": "credible",
        "en": "Credible",
        "ru": "Достоверно",
        "kk": "Сенімді",
        "group": null
      },
      {
        "code": "suspected",
        "en": "Suspected",
        "ru": "Предположительно",
        "kk": "Болжамды",
        "group": null
      },
      {
        "code": "unknown",
        "en": "Unknown",
        "ru": "Неизвестно",
        "kk": "Белгісіз",
        "group": null
      }
    ]
  },
  {
    "name": "proceeding kind",
    "terms": [
      {
        "code": "criminal_case",
        "en": "Criminal case",
        "ru": "Уголовное дело",
        "kk": "Қылмыстық іс",
        "group": null
      },
      {
        "code": "trial_in_absentia",
        "en": "Trial in absentia",
        "ru": "Заочный процесс",
        "kk": "Сырттай сот процесі",
        "group": null
      },
      {
        "code": "extradition",
        "en": "Extradition",
        "ru": "Экстрадиция",
        "kk": "Экстрадиция",
        "group": null
      },
      {
        "code": "wanted_national",
        "en": "National wanted notice",
        "ru": "Национальный розыск",
        "kk": "Ұлттық іздеу",
        "group": null
      },
      {
        "code": "wanted_interstate",
        "en": "Interstate wanted notice",
        "ru": "Межгосударственный розыск",
        "kk": "Мемлекетаралық іздеу",
        "group": null
      },
      {
        "code": "interpol_red_notice",
        "en": "Interpol Red Notice",
        "ru": "Красное уведомление Интерпола",
        "kk": "Интерполдың қызыл хабарламасы",
        "group": null
      },
      {
        "code": "interpol_diffusion",
        "en": "Interpol diffusion",
        "ru": "Диффузия Интерпола",
        "kk": "Интерполдың диффузиясы",
        "group": null
      },
      {
        "code": "ccf_request",
        "en": "Request to the CCF",
        "ru": "Обращение в Комиссию по контролю за файлами Интерпола",
        "kk": "Интерпол файлдарын бақылау комиссиясына өтініш",
        "group": null
      },
      {
        "code": "asylum",
        "en": "Asylum",
        "ru": "Убежище",
        "kk": "Баспана",
        "group": null
      },
      {
        "code": "appeal",
        "en": "Appeal",
        "ru": "Апелляция",
        "kk": "Апелляция",
        "group": null
      }
    ]
  },
  {
    "name": "legal ground",
    "terms": [
      {
        "code": "uncat_3",
        "en": "UN Convention against Torture, art. 3",
        "ru": "Конвенция ООН против пыток, ст. 3",
        "kk": "БҰҰ-ның Азаптауға қарсы конвенциясы, 3-бап",
        "group": null
      },
      {
        "code": "echr_3",
        "en": "European Convention on Human Rights, art. 3",
        "ru": "Европейская конвенция о защите прав человека, ст. 3",
        "kk": "Адам құқықтарын қорғау туралы Еуропалық конвенция, 3-бап",
        "group": null
      },
      {
        "code": "ece_3",
        "en": "European Convention on Extradition, art. 3",
        "ru": "Европейская конвенция о выдаче, ст. 3",
        "kk": "Экстрадиция туралы Еуропалық конвенция, 3-бап",
        "group": null
      },
      {
        "code": "refugee_convention",
        "en": "Refugee Convention",
        "ru": "Конвенция о статусе беженцев",
        "kk": "Босқындардың мәртебесі туралы конвенция",
        "group": null
      },
      {
        "code": "interpol_constitution_3",
        "en": "Interpol Constitution, art. 3",
        "ru": "Устав Интерпола, ст. 3",
        "kk": "Интерпол Жарғысы, 3-бап",
        "group": null
      }
    ]
  },
  {
    "name": "source type",
    "terms": [
      {
        "code": "testimony",
        "en": "Testimony",
        "ru": "Свидетельство",
        "kk": "Айғақ",
        "group": null
      },
      {
        "code": "media",
        "en": "Media",
        "ru": "СМИ",
        "kk": "БАҚ",
        "group": null
      },
      {
        "code": "official_document",
        "en": "Official document",
        "ru": "Официальный документ",
        "kk": "Ресми құжат",
        "group": null
      },
      {
        "code": "court_decision",
        "en": "Court decision",
        "ru": "Решение суда",
        "kk": "Сот шешімі",
        "group": null
      },
      {
        "code": "ngo_report",
        "en": "NGO report",
        "ru": "Доклад НКО",
        "kk": "ҮЕҰ баяндамасы",
        "group": null
      },
      {
        "code": "social_media",
        "en": "Social media",
        "ru": "Социальные сети",
        "kk": "Әлеуметтік желілер",
        "group": null
      }
    ]
  },
  {
    "name": "role",
    "terms": [
      {
        "code": "victim",
        "en": "Victim",
        "ru": "Пострадавший",
        "kk": "Жәбірленуші",
        "group": null
      },
      {
        "code": "witness",
        "en": "Witness",
        "ru": "Свидетель",
        "kk": "Куәгер",
        "group": null
      },
      {
        "code": "relative",
        "en": "Relative",
        "ru": "Родственник",
        "kk": "Туысы",
        "group": null
      },
      {
        "code": "alleged_perpetrator",
        "en": "Alleged perpetrator",
        "ru": "Предполагаемый исполнитель",
        "kk": "Болжамды орындаушы",
        "group": null
      },
      {
        "code": "lawyer",
        "en": "Lawyer",
        "ru": "Адвокат",
        "kk": "Адвокат",
        "group": null
      },
      {
        "code": "interviewer",
        "en": "Interviewer",
        "ru": "Интервьюер",
        "kk": "Сұхбат алушы",
        "group": null
      }
    ]
  },
  {
    "name": "organisation kind",
    "terms": [
      {
        "code": "security_service",
        "en": "Security service",
        "ru": "Спецслужба",
        "kk": "Арнаулы қызмет",
        "group": null
      },
      {
        "code": "court",
        "en": "Court",
        "ru": "Суд",
        "kk": "Сот",
        "group": null
      },
      {
        "code": "prosecutor",
        "en": "Prosecutor's office",
        "ru": "Прокуратура",
        "kk": "Прокуратура",
        "group": null
      },
      {
        "code": "embassy",
        "en": "Embassy or consulate",
        "ru": "Посольство или консульство",
        "kk": "Елшілік немесе консулдық",
        "group": null
      },
      {
        "code": "police",
        "en": "Police",
        "ru": "Полиция",
        "kk": "Полиция",
        "group": null
      },
      {
        "code": "ngo",
        "en": "NGO",
        "ru": "НКО",
        "kk": "ҮЕҰ",
        "group": null
      },
      {
        "code": "media",
        "en": "Media outlet",
        "ru": "СМИ",
        "kk": "БАҚ",
        "group": null
      },
      {
        "code": "international",
        "en": "International organisation",
        "ru": "Международная организация",
        "kk": "Халықаралық ұйым",
        "group": null
      },
      {
        "code": "other",
        "en": "Other",
        "ru": "Другое",
        "kk": "Басқа",
        "group": null
      }
    ]
  },
  {
    "name": "intervention actor",
    "terms": [
      {
        "code": "lawyer",
        "en": "Lawyer",
        "ru": "Адвокат",
        "kk": "Адвокат",
        "group": null
      },
      {
        "code": "interpol_ccf",
        "en": "Interpol CCF",
        "ru": "Комиссия по контролю за файлами Интерпола",
        "kk": "Интерпол файлдарын бақылау комиссиясы",
        "group": null
      },
      {
        "code": "un_special_procedure",
        "en": "UN special procedure",
        "ru": "Специальная процедура ООН",
        "kk": "БҰҰ-ның арнаулы рәсімі",
        "group": null
      },
      {
        "code": "un_treaty_body",
        "en": "UN treaty body",
        "ru": "Договорный орган ООН",
        "kk": "БҰҰ-ның шарттық органы",
        "group": null
      },
      {
        "code": "police",
        "en": "Police",
        "ru": "Полиция",
        "kk": "Полиция",
        "group": null
      },
      {
        "code": "asylum_authority",
        "en": "Asylum authority",
        "ru": "Миграционная служба (убежище)",
        "kk": "Көші-қон қызметі (баспана)",
        "group": null
      },
      {
        "code": "embassy",
        "en": "Embassy",
        "ru": "Посольство",
        "kk": "Елшілік",
        "group": null
      },
      {
        "code": "court",
        "en": "Court",
        "ru": "Суд",
        "kk": "Сот",
        "group": null
      },
      {
        "code": "ngo",
        "en": "NGO",
        "ru": "НКО",
        "kk": "ҮЕҰ",
        "group": null
      },
      {
        "code": "other",
        "en": "Other",
        "ru": "Другое",
        "kk": "Басқа",
        "group": null
      }
    ]
  },
  {
    "name": "intervention status",
    "terms": [
      {
        "code": "planned",
        "en": "Planned",
        "ru": "Запланировано",
        "kk": "Жоспарланған",
        "group": null
      },
      {
        "code": "submitted",
        "en": "Submitted",
        "ru": "Подано",
        "kk": "Берілген",
        "group": null
      },
      {
        "code": "pending",
        "en": "Awaiting response",
        "ru": "Ожидает ответа",
        "kk": "Жауап күтілуде",
        "group": null
      },
      {
        "code": "granted",
        "en": "Granted",
        "ru": "Удовлетворено",
        "kk": "Қанағаттандырылды",
        "group": null
      },
      {
        "code": "partly_granted",
        "en": "Partly granted",
        "ru": "Частично удовлетворено",
        "kk": "Ішінара қанағаттандырылды",
        "group": null
      },
      {
        "code": "refused",
        "en": "Refused",
        "ru": "Отказано",
        "kk": "Бас тартылды",
        "group": null
      },
      {
        "code": "closed",
        "en": "Closed",
        "ru": "Закрыто",
        "kk": "Жабылды",
        "group": null
      }
    ]
  }
];

/** The self-report wizard's screens in order (model::self_report::SCREENS), each with its choices. */
export const REPORT_STEPS: StepChoices[] = [
  {
    "step": "about_me",
    "choices": []
  },
  {
    "step": "what_happened",
    "choices": [
      {
        "code": "followed",
        "en": "I was followed or watched",
        "ru": "За мной следили",
        "kk": "Мені аңдыды немесе бақылады",
        "act_type": "physical_surveillance"
      },
      {
        "code": "threatened",
        "en": "Someone threatened or frightened me in person",
        "ru": "Мне угрожали или запугивали лично",
        "kk": "Маған бетпе-бет қорқытып, қоқан-лоқы көрсетті",
        "act_type": "physical_intimidation"
      },
      {
        "code": "threatened_online",
        "en": "I was threatened online",
        "ru": "Мне угрожали в интернете",
        "kk": "Маған интернетте қоқан-лоқы көрсетті",
        "act_type": "online_intimidation"
      },
      {
        "code": "attacked",
        "en": "I was attacked or beaten",
        "ru": "На меня напали или избили",
        "kk": "Маған шабуыл жасады немесе ұрып-соқты",
        "act_type": "assault"
      },
      {
        "code": "taken",
        "en": "Someone took me or tried to take me away by force",
        "ru": "Меня пытались увезти силой или увезли",
        "kk": "Мені күшпен әкетті немесе әкетуге тырысты",
        "act_type": "abduction"
      },
      {
        "code": "detained",
        "en": "I was detained in the country where I live or in another country",
        "ru": "Меня задержали в стране, где я живу, или в другой стране",
        "kk": "Мені тұратын елімде немесе басқа елде ұстады",
        "act_type": "detention_abroad"
      },
      {
        "code": "deported",
        "en": "I was deported or sent back",
        "ru": "Меня депортировали или выслали обратно",
        "kk": "Мені депортациялады немесе кері қайтарды",
        "act_type": "unlawful_deportation"
      },
      {
        "code": "family",
        "en": "My family was pressured because of me",
        "ru": "На мою семью давили из-за меня",
        "kk": "Мен үшін отбасыма қысым көрсетті",
        "act_type": "coercion_by_proxy"
      },
      {
        "code": "wanted",
        "en": "I was put on a wanted list (at home, in the CIS or by Interpol)",
        "ru": "Меня объявили в розыск (дома, в СНГ или через Интерпол)",
        "kk": "Мені іздеуге жариялады (елімде, ТМД-да немесе Интерпол арқылы)",
        "act_type": "interstate_wanted_notice"
      },
      {
        "code": "criminal_case",
        "en": "A criminal case was opened against me, or I was tried without being there",
        "ru": "Против меня возбудили уголовное дело или судили заочно",
        "kk": "Маған қарсы қылмыстық іс қозғалды немесе сырттай соттады",
        "act_type": "trial_in_absentia"
      },
      {
        "code": "summoned",
        "en": "I was summoned for questioning from abroad",
        "ru": "Меня вызывали на допрос, хотя я за границей",
        "kk": "Шетелде жүрсем де, мені жауапқа шақырды",
        "act_type": "summons"
      },
      {
        "code": "passport",
        "en": "My passport was cancelled or not renewed",
        "ru": "Мой паспорт аннулировали или не продлили",
        "kk": "Төлқұжатымды жойды немесе ұзартпады",
        "act_type": "passport_cancellation"
      },
      {
        "code": "consulate",
        "en": "The embassy or consulate refused to help me",
        "ru": "Посольство или консульство отказало мне в помощи",
        "kk": "Елшілік немесе консулдық маған көмектесуден бас тартты",
        "act_type": "consular_denial"
      },
      {
        "code": "border",
        "en": "I had trouble at a border",
        "ru": "У меня были проблемы на границе",
        "kk": "Шекарада қиындыққа тап болдым",
        "act_type": "border_harassment"
      },
      {
        "code": "smeared",
        "en": "Lies about me were spread in public",
        "ru": "Обо мне публично распространяли ложь",
        "kk": "Мен туралы жалған ақпарат көпшілікке таратылды",
        "act_type": "smear_campaign"
      },
      {
        "code": "hacked",
        "en": "My accounts or phone were broken into",
        "ru": "Мои аккаунты или телефон взломали",
        "kk": "Аккаунттарымды немесе телефонымды бұзып кірді",
        "act_type": "account_takeover"
      },
      {
        "code": "suspicious_messages",
        "en": "I got suspicious messages or links",
        "ru": "Я получал(а) подозрительные сообщения или ссылки",
        "kk": "Маған күдікті хабарламалар немесе сілтемелер келді",
        "act_type": "phishing"
      },
      {
        "code": "spyware_warning",
        "en": "I was warned about spyware or a state-backed attack",
        "ru": "Меня предупредили о шпионской программе или атаке со стороны государства",
        "kk": "Мені тыңшы бағдарлама немесе мемлекет тарапынан шабуыл туралы ескертті",
        "act_type": "state_attack_warning"
      },
      {
        "code": "something_else",
        "en": "Something else",
        "ru": "Что-то другое",
        "kk": "Басқа нәрсе",
        "act_type": "other"
      },
      {
        "code": "not_sure",
        "en": "Not sure",
        "ru": "Не знаю, как назвать",
        "kk": "Қалай атарымды білмеймін",
        "act_type": "other"
      }
    ]
  },
  {
    "step": "relatives",
    "choices": [
      {
        "code": "coercion_by_proxy",
        "en": "Coercion of relatives (coercion by proxy)",
        "ru": "Давление на родственников",
        "kk": "Туыстарға қысым көрсету",
        "act_type": "coercion_by_proxy"
      }
    ]
  },
  {
    "step": "digital",
    "choices": [
      {
        "code": "phishing",
        "en": "Phishing",
        "ru": "Фишинг",
        "kk": "Фишинг",
        "act_type": "phishing"
      },
      {
        "code": "account_takeover",
        "en": "Account takeover",
        "ru": "Захват аккаунта",
        "kk": "Аккаунтты басып алу",
        "act_type": "account_takeover"
      },
      {
        "code": "spyware",
        "en": "Spyware infection",
        "ru": "Заражение шпионской программой",
        "kk": "Тыңшы бағдарламаны жұқтыру",
        "act_type": "spyware"
      },
      {
        "code": "state_attack_warning",
        "en": "State-sponsored attack warning from a platform",
        "ru": "Предупреждение платформы о государственной атаке",
        "kk": "Платформаның мемлекеттік шабуыл туралы ескертуі",
        "act_type": "state_attack_warning"
      },
      {
        "code": "digital_surveillance",
        "en": "Digital surveillance",
        "ru": "Цифровая слежка",
        "kk": "Цифрлық бақылау",
        "act_type": "digital_surveillance"
      }
    ]
  },
  {
    "step": "travel",
    "choices": [
      {
        "code": "passport_cancellation",
        "en": "Passport cancellation or refusal",
        "ru": "Аннулирование паспорта или отказ в выдаче",
        "kk": "Төлқұжатты жою немесе беруден бас тарту",
        "act_type": "passport_cancellation"
      },
      {
        "code": "consular_denial",
        "en": "Denial of consular services",
        "ru": "Отказ в консульских услугах",
        "kk": "Консулдық қызметтен бас тарту",
        "act_type": "consular_denial"
      },
      {
        "code": "exit_ban",
        "en": "Exit ban",
        "ru": "Запрет на выезд",
        "kk": "Елден шығуға тыйым",
        "act_type": "exit_ban"
      },
      {
        "code": "border_harassment",
        "en": "Harassment at a border",
        "ru": "Преследование на границе",
        "kk": "Шекарадағы қысым",
        "act_type": "border_harassment"
      },
      {
        "code": "detention_abroad",
        "en": "Detention in the host or a third country",
        "ru": "Задержание в стране пребывания или третьей стране",
        "kk": "Тұратын елде немесе үшінші елде ұстау",
        "act_type": "detention_abroad"
      },
      {
        "code": "unlawful_deportation",
        "en": "Unlawful deportation",
        "ru": "Незаконная депортация",
        "kk": "Заңсыз депортация",
        "act_type": "unlawful_deportation"
      }
    ]
  },
  {
    "step": "notices",
    "choices": [
      {
        "code": "interpol_red_notice",
        "en": "Interpol Red Notice",
        "ru": "Красное уведомление Интерпола",
        "kk": "Интерполдың қызыл хабарламасы",
        "act_type": "interpol_red_notice"
      },
      {
        "code": "interpol_diffusion",
        "en": "Interpol diffusion",
        "ru": "Диффузия Интерпола",
        "kk": "Интерполдың диффузиясы",
        "act_type": "interpol_diffusion"
      },
      {
        "code": "interstate_wanted_notice",
        "en": "Interstate wanted notice (e.g. CIS)",
        "ru": "Межгосударственный розыск (например, СНГ)",
        "kk": "Мемлекетаралық іздеу (мысалы, ТМД)",
        "act_type": "interstate_wanted_notice"
      },
      {
        "code": "extradition_request",
        "en": "Extradition request",
        "ru": "Запрос об экстрадиции",
        "kk": "Экстрадиция туралы сұрау",
        "act_type": "extradition_request"
      },
      {
        "code": "summons",
        "en": "Summons or questioning demanded from abroad",
        "ru": "Вызов на допрос из-за рубежа",
        "kk": "Шетелден жауапқа шақыру",
        "act_type": "summons"
      },
      {
        "code": "trial_in_absentia",
        "en": "Criminal case or trial in absentia",
        "ru": "Уголовное дело или заочный приговор",
        "kk": "Қылмыстық іс немесе сырттай үкім",
        "act_type": "trial_in_absentia"
      }
    ]
  },
  {
    "step": "evidence",
    "choices": []
  },
  {
    "step": "consent",
    "choices": []
  },
  {
    "step": "review",
    "choices": []
  },
  {
    "step": "seal",
    "choices": []
  }
];

/** The screens whose answers are a section of the report (what, when, where, who). */
export const SECTION_STEPS = [
  "what_happened",
  "relatives",
  "digital",
  "travel",
  "notices"
] as const;

/** The limits a form checks before sending; the core checks them again. */
export const LIMITS = {
  "idle_lock_minutes": {
    "min": 1,
    "max": 240
  },
  "wipe_after_failed_unlocks": {
    "min": 3,
    "max": 100
  },
  "short_text_chars": 1000,
  "long_text_bytes": 4194304,
  "interchange_file_bytes": 268435456,
  "search_query_chars": 500,
  "report_files": 200,
  "draft_bytes": 8388608,
  "answers_bytes": 8388608,
  "attachment_bytes": 4294967296,
  "mvt_bytes": 67108864
} as const;

/** The country codes records may use (model::country), for the country fields. */
export const COUNTRY_CODES = [
  "AD",
  "AE",
  "AF",
  "AG",
  "AI",
  "AL",
  "AM",
  "AO",
  "AQ",
  "AR",
  "AS",
  "AT",
  "AU",
  "AW",
  "AX",
  "AZ",
  "BA",
  "BB",
  "BD",
  "BE",
  "BF",
  "BG",
  "BH",
  "BI",
  "BJ",
  "BL",
  "BM",
  "BN",
  "BO",
  "BQ",
  "BR",
  "BS",
  "BT",
  "BV",
  "BW",
  "BY",
  "BZ",
  "CA",
  "CC",
  "CD",
  "CF",
  "CG",
  "CH",
  "CI",
  "CK",
  "CL",
  "CM",
  "CN",
  "CO",
  "CR",
  "CU",
  "CV",
  "CW",
  "CX",
  "CY",
  "CZ",
  "DE",
  "DJ",
  "DK",
  "DM",
  "DO",
  "DZ",
  "EC",
  "EE",
  "EG",
  "EH",
  "ER",
  "ES",
  "ET",
  "FI",
  "FJ",
  "FK",
  "FM",
  "FO",
  "FR",
  "GA",
  "GB",
  "GD",
  "GE",
  "GF",
  "GG",
  "GH",
  "GI",
  "GL",
  "GM",
  "GN",
  "GP",
  "GQ",
  "GR",
  "GS",
  "GT",
  "GU",
  "GW",
  "GY",
  "HK",
  "HM",
  "HN",
  "HR",
  "HT",
  "HU",
  "ID",
  "IE",
  "IL",
  "IM",
  "IN",
  "IO",
  "IQ",
  "IR",
  "IS",
  "IT",
  "JE",
  "JM",
  "JO",
  "JP",
  "KE",
  "KG",
  "KH",
  "KI",
  "KM",
  "KN",
  "KP",
  "KR",
  "KW",
  "KY",
  "KZ",
  "LA",
  "LB",
  "LC",
  "LI",
  "LK",
  "LR",
  "LS",
  "LT",
  "LU",
  "LV",
  "LY",
  "MA",
  "MC",
  "MD",
  "ME",
  "MF",
  "MG",
  "MH",
  "MK",
  "ML",
  "MM",
  "MN",
  "MO",
  "MP",
  "MQ",
  "MR",
  "MS",
  "MT",
  "MU",
  "MV",
  "MW",
  "MX",
  "MY",
  "MZ",
  "NA",
  "NC",
  "NE",
  "NF",
  "NG",
  "NI",
  "NL",
  "NO",
  "NP",
  "NR",
  "NU",
  "NZ",
  "OM",
  "PA",
  "PE",
  "PF",
  "PG",
  "PH",
  "PK",
  "PL",
  "PM",
  "PN",
  "PR",
  "PS",
  "PT",
  "PW",
  "PY",
  "QA",
  "RE",
  "RO",
  "RS",
  "RU",
  "RW",
  "SA",
  "SB",
  "SC",
  "SD",
  "SE",
  "SG",
  "SH",
  "SI",
  "SJ",
  "SK",
  "SL",
  "SM",
  "SN",
  "SO",
  "SR",
  "SS",
  "ST",
  "SV",
  "SX",
  "SY",
  "SZ",
  "TC",
  "TD",
  "TF",
  "TG",
  "TH",
  "TJ",
  "TK",
  "TL",
  "TM",
  "TN",
  "TO",
  "TR",
  "TT",
  "TV",
  "TW",
  "TZ",
  "UA",
  "UG",
  "UM",
  "US",
  "UY",
  "UZ",
  "VA",
  "VC",
  "VE",
  "VG",
  "VI",
  "VN",
  "VU",
  "WF",
  "WS",
  "XK",
  "YE",
  "YT",
  "ZA",
  "ZM",
  "ZW"
] as const;

/** Every error code a command can fail with. */
export const ERROR_CODES: readonly ErrorCode[] = [
  "vault_not_found",
  "vault_exists",
  "wrong_credential",
  "tampered",
  "vault_in_use",
  "newer_version",
  "weak_passphrase",
  "invalid_recovery_key",
  "keys_destroyed",
  "locked",
  "cancelled",
  "invalid_input",
  "import_rejected",
  "not_addressed_to_you",
  "untrusted_signer",
  "disk_full",
  "io",
  "internal",
  "bundle_damaged",
  "report_damaged"
];

/** Every validation problem code. */
export const PROBLEM_CODES: readonly ProblemCode[] = [
  "id_format",
  "id_duplicate_in_file",
  "id_exists_in_vault",
  "reference_trashed",
  "reference_wrong_kind",
  "reference_missing",
  "required",
  "too_long",
  "too_large",
  "not_a_country",
  "primary_name_count",
  "pseudonym_required",
  "unknown_term",
  "end_before_start",
  "perpetrator_kind",
  "reliability_range",
  "credibility_range",
  "anonymity_level",
  "request_required",
  "refused_character",
  "file_too_large",
  "file_not_utf8",
  "file_not_json",
  "file_wrong_format",
  "file_wrong_shape",
  "report_answer",
  "not_found",
  "kind_cannot_change",
  "reason_required",
  "same_person",
  "not_one_of",
  "in_trash",
  "already_in_trash",
  "not_in_trash",
  "space_name",
  "space_exists",
  "member_name",
  "case_in_other_space",
  "refused_from_member",
  "space_unloaded",
  "space_loaded",
  "space_unsynced",
  "not_in_conflict",
  "merge_overlaps",
  "conflict_changed",
  "restore_references_first",
  "still_referred_to",
  "left_out_still_referred",
  "unchanged",
  "no_intake_key",
  "no_identity",
  "not_a_self_report",
  "not_a_case_export",
  "not_a_bundle",
  "bundle_needs_passphrase",
  "bundle_needs_key",
  "already_received",
  "bundle_changed_since_review",
  "report_already_accepted",
  "report_already_rejected",
  "preview_too_large",
  "metadata_not_removable",
  "no_case_chosen",
  "no_recipient",
  "key_damaged",
  "key_required",
  "key_is_secret",
  "key_unsupported",
  "secret_key_invalid",
  "key_already_present",
  "length_range",
  "draft_key_format",
  "kind_format",
  "out_of_range",
  "file_missing",
  "file_is_folder",
  "file_unreadable",
  "file_not_text",
  "file_too_big_for_kind",
  "file_grew",
  "attachment_too_large",
  "too_many_files",
  "not_mvt",
  "not_a_questionnaire",
  "mode_fixed",
  "path_not_utf8",
  "path_not_absolute",
  "not_a_checkpoint",
  "query_syntax",
  "entries_differ",
  "no_terminal",
  "not_both",
  "either_option",
  "protect_format",
  "date_year_range",
  "date_day_needs_month",
  "date_time_needs_day",
  "date_no_such_day",
  "date_time_range",
  "date_range_reversed",
  "date_unreadable",
  "date_no_year",
  "date_format"
];
