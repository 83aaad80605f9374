// The controlled vocabularies of casevault-core (crates/casevault-core/src/model/vocab.rs),
// copied for the mock backend: same names, codes, labels and groups, so that
// forms built against the mock send codes the real core accepts.
import type { TermDto, VocabularyDto } from "./bindings";

function term(code: string, en: string, ru: string, kk: string, group: string | null = null): TermDto {
  return { code, en, ru, kk, group };
}

export const VOCABULARIES: VocabularyDto[] = [
  {
    name: "act type",
    terms: [
      term("assassination", "Assassination or attempted assassination", "Убийство или покушение", "Кісі өлтіру немесе оған оқталу", "direct_attack"),
      term("assault", "Assault, beating", "Нападение, избиение", "Шабуыл, ұрып-соғу", "direct_attack"),
      term("enforced_disappearance", "Enforced disappearance", "Насильственное исчезновение", "Күштеп жоғалту", "direct_attack"),
      term("abduction", "Abduction or attempted abduction", "Похищение или попытка похищения", "Адам ұрлау немесе ұрлауға оқталу", "direct_attack"),
      term("rendition", "Rendition, forced return", "Выдача в обход процедуры, принудительное возвращение", "Рәсімсіз беру, күштеп қайтару", "direct_attack"),
      term("physical_intimidation", "Physical intimidation, stalking", "Физическое запугивание, преследование", "Физикалық қорқыту, артынан аңду", "direct_attack"),
      term("physical_surveillance", "Physical surveillance", "Физическая слежка", "Физикалық бақылау", "direct_attack"),
      term("robbery_by_proxies", "Robbery or attack by hired proxies", "Ограбление или нападение наёмными исполнителями", "Жалдамалы адамдардың тонауы немесе шабуылы", "direct_attack"),
      term("detention_abroad", "Detention in the host or a third country", "Задержание в стране пребывания или третьей стране", "Тұратын елде немесе үшінші елде ұстау", "co_opting_states"),
      term("unlawful_deportation", "Unlawful deportation", "Незаконная депортация", "Заңсыз депортация", "co_opting_states"),
      term("extradition_request", "Extradition request", "Запрос об экстрадиции", "Экстрадиция туралы сұрау", "co_opting_states"),
      term("interpol_red_notice", "Interpol Red Notice", "Красное уведомление Интерпола", "Интерполдың қызыл хабарламасы", "co_opting_states"),
      term("interpol_diffusion", "Interpol diffusion", "Диффузия Интерпола", "Интерполдың диффузиясы", "co_opting_states"),
      term("interstate_wanted_notice", "Interstate wanted notice (e.g. CIS)", "Межгосударственный розыск (например, СНГ)", "Мемлекетаралық іздеу (мысалы, ТМД)", "co_opting_states"),
      term("aml_ct_abuse", "Abuse of anti-money-laundering or counter-terrorism measures", "Злоупотребление мерами против отмывания денег или терроризма", "Ақшаны жылыстатуға немесе терроризмге қарсы шараларды теріс пайдалану", "co_opting_states"),
      term("trial_in_absentia", "Criminal case or trial in absentia", "Уголовное дело или заочный приговор", "Қылмыстық іс немесе сырттай үкім", "co_opting_states"),
      term("passport_cancellation", "Passport cancellation or refusal", "Аннулирование паспорта или отказ в выдаче", "Төлқұжатты жою немесе беруден бас тарту", "mobility_controls"),
      term("consular_denial", "Denial of consular services", "Отказ в консульских услугах", "Консулдық қызметтен бас тарту", "mobility_controls"),
      term("exit_ban", "Exit ban", "Запрет на выезд", "Елден шығуға тыйым", "mobility_controls"),
      term("border_harassment", "Harassment at a border", "Преследование на границе", "Шекарадағы қысым", "mobility_controls"),
      term("online_intimidation", "Online threats or intimidation", "Угрозы или запугивание в интернете", "Интернеттегі қоқан-лоқы немесе қорқыту", "threats_from_distance"),
      term("coercion_by_proxy", "Coercion of relatives (coercion by proxy)", "Давление на родственников", "Туыстарға қысым көрсету", "threats_from_distance"),
      term("smear_campaign", "Smear campaign", "Кампания по дискредитации", "Абыройын түсіру науқаны", "threats_from_distance"),
      term("summons", "Summons or questioning demanded from abroad", "Вызов на допрос из-за рубежа", "Шетелден жауапқа шақыру", "threats_from_distance"),
      term("phishing", "Phishing", "Фишинг", "Фишинг", "digital_attack"),
      term("account_takeover", "Account takeover", "Захват аккаунта", "Аккаунтты басып алу", "digital_attack"),
      term("spyware", "Spyware infection", "Заражение шпионской программой", "Тыңшы бағдарламаны жұқтыру", "digital_attack"),
      term("state_attack_warning", "State-sponsored attack warning from a platform", "Предупреждение платформы о государственной атаке", "Платформаның мемлекеттік шабуыл туралы ескертуі", "digital_attack"),
      term("digital_surveillance", "Digital surveillance", "Цифровая слежка", "Цифрлық бақылау", "digital_attack"),
      term("other", "Other or not yet classified", "Другое или пока не определено", "Басқа немесе әлі анықталмаған"),
    ],
  },
  {
    name: "involvement",
    terms: [
      term("carried_out", "Carried out", "Совершил", "Жасаған"),
      term("ordered", "Ordered", "Отдал приказ", "Бұйрық берген"),
      term("present", "Present", "Присутствовал", "Оқиға орнында болған"),
      term("suspected", "Suspected", "Подозревается", "Күдікті"),
    ],
  },
  {
    name: "attribution confidence",
    terms: [
      term("confirmed", "Confirmed", "Подтверждено", "Расталған"),
      term("credible", "Credible", "Достоверно", "Сенімді"),
      term("suspected", "Suspected", "Предположительно", "Болжамды"),
      term("unknown", "Unknown", "Неизвестно", "Белгісіз"),
    ],
  },
  {
    name: "proceeding kind",
    terms: [
      term("criminal_case", "Criminal case", "Уголовное дело", "Қылмыстық іс"),
      term("trial_in_absentia", "Trial in absentia", "Заочный процесс", "Сырттай сот процесі"),
      term("extradition", "Extradition", "Экстрадиция", "Экстрадиция"),
      term("wanted_national", "National wanted notice", "Национальный розыск", "Ұлттық іздеу"),
      term("wanted_interstate", "Interstate wanted notice", "Межгосударственный розыск", "Мемлекетаралық іздеу"),
      term("interpol_red_notice", "Interpol Red Notice", "Красное уведомление Интерпола", "Интерполдың қызыл хабарламасы"),
      term("interpol_diffusion", "Interpol diffusion", "Диффузия Интерпола", "Интерполдың диффузиясы"),
      term("ccf_request", "Request to the CCF", "Обращение в Комиссию по контролю за файлами Интерпола", "Интерпол файлдарын бақылау комиссиясына өтініш"),
      term("asylum", "Asylum", "Убежище", "Баспана"),
      term("appeal", "Appeal", "Апелляция", "Апелляция"),
    ],
  },
  {
    name: "legal ground",
    terms: [
      term("uncat_3", "UN Convention against Torture, art. 3", "Конвенция ООН против пыток, ст. 3", "БҰҰ-ның Азаптауға қарсы конвенциясы, 3-бап"),
      term("echr_3", "European Convention on Human Rights, art. 3", "Европейская конвенция о защите прав человека, ст. 3", "Адам құқықтарын қорғау туралы Еуропалық конвенция, 3-бап"),
      term("ece_3", "European Convention on Extradition, art. 3", "Европейская конвенция о выдаче, ст. 3", "Экстрадиция туралы Еуропалық конвенция, 3-бап"),
      term("refugee_convention", "Refugee Convention", "Конвенция о статусе беженцев", "Босқындардың мәртебесі туралы конвенция"),
      term("interpol_constitution_3", "Interpol Constitution, art. 3", "Устав Интерпола, ст. 3", "Интерпол Жарғысы, 3-бап"),
    ],
  },
  {
    name: "source type",
    terms: [
      term("testimony", "Testimony", "Свидетельство", "Айғақ"),
      term("media", "Media", "СМИ", "БАҚ"),
      term("official_document", "Official document", "Официальный документ", "Ресми құжат"),
      term("court_decision", "Court decision", "Решение суда", "Сот шешімі"),
      term("ngo_report", "NGO report", "Доклад НКО", "ҮЕҰ баяндамасы"),
      term("social_media", "Social media", "Социальные сети", "Әлеуметтік желілер"),
    ],
  },
  {
    name: "role",
    terms: [
      term("victim", "Victim", "Пострадавший", "Жәбірленуші"),
      term("witness", "Witness", "Свидетель", "Куәгер"),
      term("relative", "Relative", "Родственник", "Туысы"),
      term("alleged_perpetrator", "Alleged perpetrator", "Предполагаемый исполнитель", "Болжамды орындаушы"),
      term("lawyer", "Lawyer", "Адвокат", "Адвокат"),
      term("interviewer", "Interviewer", "Интервьюер", "Сұхбат алушы"),
    ],
  },
  {
    name: "organisation kind",
    terms: [
      term("security_service", "Security service", "Спецслужба", "Арнаулы қызмет"),
      term("court", "Court", "Суд", "Сот"),
      term("prosecutor", "Prosecutor's office", "Прокуратура", "Прокуратура"),
      term("embassy", "Embassy or consulate", "Посольство или консульство", "Елшілік немесе консулдық"),
      term("police", "Police", "Полиция", "Полиция"),
      term("ngo", "NGO", "НКО", "ҮЕҰ"),
      term("media", "Media outlet", "СМИ", "БАҚ"),
      term("international", "International organisation", "Международная организация", "Халықаралық ұйым"),
      term("other", "Other", "Другое", "Басқа"),
    ],
  },
  {
    name: "intervention actor",
    terms: [
      term("lawyer", "Lawyer", "Адвокат", "Адвокат"),
      term("interpol_ccf", "Interpol CCF", "Комиссия по контролю за файлами Интерпола", "Интерпол файлдарын бақылау комиссиясы"),
      term("un_special_procedure", "UN special procedure", "Специальная процедура ООН", "БҰҰ-ның арнаулы рәсімі"),
      term("un_treaty_body", "UN treaty body", "Договорный орган ООН", "БҰҰ-ның шарттық органы"),
      term("police", "Police", "Полиция", "Полиция"),
      term("asylum_authority", "Asylum authority", "Миграционная служба (убежище)", "Көші-қон қызметі (баспана)"),
      term("embassy", "Embassy", "Посольство", "Елшілік"),
      term("court", "Court", "Суд", "Сот"),
      term("ngo", "NGO", "НКО", "ҮЕҰ"),
      term("other", "Other", "Другое", "Басқа"),
    ],
  },
  {
    name: "intervention status",
    terms: [
      term("planned", "Planned", "Запланировано", "Жоспарланған"),
      term("submitted", "Submitted", "Подано", "Берілген"),
      term("pending", "Awaiting response", "Ожидает ответа", "Жауап күтілуде"),
      term("granted", "Granted", "Удовлетворено", "Қанағаттандырылды"),
      term("partly_granted", "Partly granted", "Частично удовлетворено", "Ішінара қанағаттандырылды"),
      term("refused", "Refused", "Отказано", "Бас тартылды"),
      term("closed", "Closed", "Закрыто", "Жабылды"),
    ],
  },
];
