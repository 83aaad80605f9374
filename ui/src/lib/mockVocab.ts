// The controlled vocabularies of casevault-core (crates/casevault-core/src/model/vocab.rs),
// copied for the mock backend: same names, codes, labels and groups, so that
// forms built against the mock send codes the real core accepts.
import type { TermDto, VocabularyDto } from "./bindings";

function term(code: string, en: string, ru: string, group: string | null = null): TermDto {
  return { code, en, ru, group };
}

export const VOCABULARIES: VocabularyDto[] = [
  {
    name: "act type",
    terms: [
      term("assassination", "Assassination or attempted assassination", "Убийство или покушение", "direct_attack"),
      term("assault", "Assault, beating", "Нападение, избиение", "direct_attack"),
      term("enforced_disappearance", "Enforced disappearance", "Насильственное исчезновение", "direct_attack"),
      term("abduction", "Abduction or attempted abduction", "Похищение или попытка похищения", "direct_attack"),
      term("rendition", "Rendition, forced return", "Выдача в обход процедуры, принудительное возвращение", "direct_attack"),
      term("physical_intimidation", "Physical intimidation, stalking", "Физическое запугивание, преследование", "direct_attack"),
      term("physical_surveillance", "Physical surveillance", "Физическая слежка", "direct_attack"),
      term("robbery_by_proxies", "Robbery or attack by hired proxies", "Ограбление или нападение наёмными исполнителями", "direct_attack"),
      term("detention_abroad", "Detention in the host or a third country", "Задержание в стране пребывания или третьей стране", "co_opting_states"),
      term("unlawful_deportation", "Unlawful deportation", "Незаконная депортация", "co_opting_states"),
      term("extradition_request", "Extradition request", "Запрос об экстрадиции", "co_opting_states"),
      term("interpol_red_notice", "Interpol Red Notice", "Красное уведомление Интерпола", "co_opting_states"),
      term("interpol_diffusion", "Interpol diffusion", "Диффузия Интерпола", "co_opting_states"),
      term("interstate_wanted_notice", "Interstate wanted notice (e.g. CIS)", "Межгосударственный розыск (например, СНГ)", "co_opting_states"),
      term("aml_ct_abuse", "Abuse of anti-money-laundering or counter-terrorism measures", "Злоупотребление мерами против отмывания денег или терроризма", "co_opting_states"),
      term("trial_in_absentia", "Criminal case or trial in absentia", "Уголовное дело или заочный приговор", "co_opting_states"),
      term("passport_cancellation", "Passport cancellation or refusal", "Аннулирование паспорта или отказ в выдаче", "mobility_controls"),
      term("consular_denial", "Denial of consular services", "Отказ в консульских услугах", "mobility_controls"),
      term("exit_ban", "Exit ban", "Запрет на выезд", "mobility_controls"),
      term("border_harassment", "Harassment at a border", "Преследование на границе", "mobility_controls"),
      term("online_intimidation", "Online threats or intimidation", "Угрозы или запугивание в интернете", "threats_from_distance"),
      term("coercion_by_proxy", "Coercion of relatives (coercion by proxy)", "Давление на родственников", "threats_from_distance"),
      term("smear_campaign", "Smear campaign", "Кампания по дискредитации", "threats_from_distance"),
      term("summons", "Summons or questioning demanded from abroad", "Вызов на допрос из-за рубежа", "threats_from_distance"),
      term("phishing", "Phishing", "Фишинг", "digital_attack"),
      term("account_takeover", "Account takeover", "Захват аккаунта", "digital_attack"),
      term("spyware", "Spyware infection", "Заражение шпионской программой", "digital_attack"),
      term("state_attack_warning", "State-sponsored attack warning from a platform", "Предупреждение платформы о государственной атаке", "digital_attack"),
      term("digital_surveillance", "Digital surveillance", "Цифровая слежка", "digital_attack"),
    ],
  },
  {
    name: "involvement",
    terms: [
      term("carried_out", "Carried out", "Совершил"),
      term("ordered", "Ordered", "Отдал приказ"),
      term("present", "Present", "Присутствовал"),
      term("suspected", "Suspected", "Подозревается"),
    ],
  },
  {
    name: "attribution confidence",
    terms: [
      term("confirmed", "Confirmed", "Подтверждено"),
      term("credible", "Credible", "Достоверно"),
      term("suspected", "Suspected", "Предположительно"),
      term("unknown", "Unknown", "Неизвестно"),
    ],
  },
  {
    name: "proceeding kind",
    terms: [
      term("criminal_case", "Criminal case", "Уголовное дело"),
      term("trial_in_absentia", "Trial in absentia", "Заочный процесс"),
      term("extradition", "Extradition", "Экстрадиция"),
      term("wanted_national", "National wanted notice", "Национальный розыск"),
      term("wanted_interstate", "Interstate wanted notice", "Межгосударственный розыск"),
      term("interpol_red_notice", "Interpol Red Notice", "Красное уведомление Интерпола"),
      term("interpol_diffusion", "Interpol diffusion", "Диффузия Интерпола"),
      term("ccf_request", "Request to the CCF", "Обращение в Комиссию по контролю за файлами Интерпола"),
      term("asylum", "Asylum", "Убежище"),
      term("appeal", "Appeal", "Апелляция"),
    ],
  },
  {
    name: "legal ground",
    terms: [
      term("uncat_3", "UN Convention against Torture, art. 3", "Конвенция ООН против пыток, ст. 3"),
      term("echr_3", "European Convention on Human Rights, art. 3", "Европейская конвенция о защите прав человека, ст. 3"),
      term("ece_3", "European Convention on Extradition, art. 3", "Европейская конвенция о выдаче, ст. 3"),
      term("refugee_convention", "Refugee Convention", "Конвенция о статусе беженцев"),
      term("interpol_constitution_3", "Interpol Constitution, art. 3", "Устав Интерпола, ст. 3"),
    ],
  },
  {
    name: "source type",
    terms: [
      term("testimony", "Testimony", "Свидетельство"),
      term("media", "Media", "СМИ"),
      term("official_document", "Official document", "Официальный документ"),
      term("court_decision", "Court decision", "Решение суда"),
      term("ngo_report", "NGO report", "Доклад НКО"),
      term("social_media", "Social media", "Социальные сети"),
    ],
  },
  {
    name: "role",
    terms: [
      term("victim", "Victim", "Пострадавший"),
      term("witness", "Witness", "Свидетель"),
      term("relative", "Relative", "Родственник"),
      term("alleged_perpetrator", "Alleged perpetrator", "Предполагаемый исполнитель"),
      term("lawyer", "Lawyer", "Адвокат"),
      term("interviewer", "Interviewer", "Интервьюер"),
    ],
  },
  {
    name: "organisation kind",
    terms: [
      term("security_service", "Security service", "Спецслужба"),
      term("court", "Court", "Суд"),
      term("prosecutor", "Prosecutor's office", "Прокуратура"),
      term("embassy", "Embassy or consulate", "Посольство или консульство"),
      term("police", "Police", "Полиция"),
      term("ngo", "NGO", "НКО"),
      term("media", "Media outlet", "СМИ"),
      term("international", "International organisation", "Международная организация"),
      term("other", "Other", "Другое"),
    ],
  },
  {
    name: "intervention actor",
    terms: [
      term("lawyer", "Lawyer", "Адвокат"),
      term("interpol_ccf", "Interpol CCF", "Комиссия по контролю за файлами Интерпола"),
      term("un_special_procedure", "UN special procedure", "Специальная процедура ООН"),
      term("un_treaty_body", "UN treaty body", "Договорный орган ООН"),
      term("police", "Police", "Полиция"),
      term("asylum_authority", "Asylum authority", "Миграционная служба (убежище)"),
      term("embassy", "Embassy", "Посольство"),
      term("court", "Court", "Суд"),
      term("ngo", "NGO", "НКО"),
      term("other", "Other", "Другое"),
    ],
  },
  {
    name: "intervention status",
    terms: [
      term("planned", "Planned", "Запланировано"),
      term("submitted", "Submitted", "Подано"),
      term("pending", "Awaiting response", "Ожидает ответа"),
      term("granted", "Granted", "Удовлетворено"),
      term("partly_granted", "Partly granted", "Частично удовлетворено"),
      term("refused", "Refused", "Отказано"),
      term("closed", "Closed", "Закрыто"),
    ],
  },
];
