// The self-report questionnaire as the UI walks it: the screens come from the
// core (reportSteps: model::self_report::SCREENS, with each step's choices),
// so the step count, the list of steps and the answers offered have one
// source; here are empty answers and small helpers for the wizard and the
// seal screen. The answers themselves are only ever kept by the backend
// (reportSave), never in webview storage.
import type { Choice, ReportFile, ReportProblem, Section, SelfReport, StepChoices } from "./bindings";
import { hasKey, t, type Locale, type TKey } from "./i18n";
import { problemText as problemMessage } from "./errors";

import { SECTION_STEPS } from "./reference";

/** The steps that ask "did it happen, what, when, where, who, why": the answers' own fields (generated from the core). */
export { SECTION_STEPS };
export type SectionStep = (typeof SECTION_STEPS)[number];

export function isSectionStep(value: string): value is SectionStep {
  return (SECTION_STEPS as readonly string[]).includes(value);
}

/** The index of a screen ("review", "seal", "consent") in the core's list, or -1. */
export function screenIndex(screens: StepChoices[], code: string): number {
  return screens.findIndex((s) => s.step === code);
}

/** A choice's label in the reader's language. */
export function choiceLabel(c: Choice, loc: Locale): string {
  return loc === "kk" ? c.kk : loc === "ru" ? c.ru : c.en;
}

/** The label of what a section's answer says it was, from the step's choices; the code itself when unknown. */
export function answerLabel(screens: StepChoices[], step: string, code: string, loc: Locale): string | null {
  const c = screens.find((s) => s.step === step)?.choices.find((x) => x.code === code);
  return c ? choiceLabel(c, loc) : null;
}

export function emptySection(): Section {
  return { happened: null, act_type: "", when: "", place: "", country: "", details: "", who: "", why: "" };
}

/** A new report's answers, as report_new stores them (SelfReport::default()). */
export function emptyReport(): SelfReport {
  return {
    step: 0,
    language: "",
    about_me: { name: "", other_names: "", citizenship: "", living_in: "", contact: "" },
    what_happened: emptySection(),
    relatives: emptySection(),
    digital: emptySection(),
    travel: emptySection(),
    notices: emptySection(),
    consent: { record: false, share_lawyers: false, share_un: false, contact_me: false, pseudonym_only: false },
  };
}

/** Something was written into the section's fields. */
export function sectionFilled(s: Section): boolean {
  return [s.act_type, s.when, s.place, s.country, s.details, s.who, s.why].some((v) => v.trim() !== "");
}

/** The screen to resume at: the saved one, within the `count` screens there are. */
export function resumeStep(step: number, count: number): number {
  return Number.isInteger(step) && step >= 0 ? Math.min(step, Math.max(0, count - 1)) : 0;
}

/** A step's name in the reader's language ("What happened"). */
export function stepName(step: string): string {
  const key = `selfReport.steps.${step}`;
  return hasKey(key) ? t(key as TKey) : step;
}

/** Problems grouped by step, in the order of the core's screens. */
export function problemsByStep(problems: ReportProblem[], screens: StepChoices[]): { step: string; index: number; problems: ReportProblem[] }[] {
  const groups: { step: string; index: number; problems: ReportProblem[] }[] = [];
  for (const p of problems) {
    let g = groups.find((x) => x.step === p.step);
    if (!g) groups.push((g = { step: p.step, index: screenIndex(screens, p.step), problems: [] }));
    g.problems.push(p);
  }
  return groups.sort((a, b) => (a.index < 0 ? 99 : a.index) - (b.index < 0 ? 99 : b.index));
}

/** Whether the answers hold text in this step's field. */
function answered(answers: SelfReport | undefined, step: string, field: string): boolean {
  const section = (answers as Record<string, unknown> | undefined)?.[step];
  const value = section && typeof section === "object" ? (section as Record<string, unknown>)[field] : undefined;
  return typeof value === "string" && value.trim() !== "";
}

/**
 * A problem in the reader's language. The core says what to do in English;
 * the fields whose fix the UI knows get a calm translation, chosen by what
 * was answered (an empty "when" is missing, a filled one unreadable), never
 * by the core's words; anything else is shown as the core wrote it.
 */
export function problemText(p: ReportProblem, answers?: SelfReport): string {
  switch (p.field) {
    case "happened":
      return t("selfReport.problems.happened");
    case "act_type":
      return t("selfReport.problems.actType");
    case "when":
      return answered(answers, p.step, "when")
        ? t("selfReport.problems.whenInvalid", { detail: p.problem ? problemMessage(p.problem) : p.message })
        : t("selfReport.problems.whenMissing");
    case "details":
      return answered(answers, p.step, "details") ? t("selfReport.problems.tooLong") : t("selfReport.problems.details");
    case "country":
    case "citizenship":
    case "living_in":
      return t("selfReport.problems.country");
    case "record":
      return t("selfReport.problems.consent");
    case "name":
    case "contact":
    case "place":
    case "who":
    case "why":
      return t("selfReport.problems.tooLong");
    default:
      return p.message;
  }
}

/** The first characters of a SHA-256, enough to tell files apart on screen. */
export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Today as YYYY-MM-DD in local time (the day a fingerprint was compared). */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A neutral file name for a sealed report: never the reporter's name. */
export function suggestedReportName(now: Date = new Date()): string {
  return `report-${todayIso(now)}.cvb`;
}

function datePoint(p: string, locale: Locale): string {
  const utc = { timeZone: "UTC" } as const;
  let m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(p);
  if (m) return new Intl.DateTimeFormat(locale, { ...utc, dateStyle: "long", timeStyle: "short" }).format(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p);
  if (m) return new Intl.DateTimeFormat(locale, { ...utc, dateStyle: "long" }).format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return new Intl.DateTimeFormat(locale, { ...utc, year: "numeric", month: "long" }).format(Date.UTC(+m[1], +m[2] - 1, 1));
  return p;
}

/**
 * A canonical fuzzy date ("~2023-05-01T22:30", "2008-03", "2008-01..2008-03",
 * "unknown") in words of the reader's language, for people who should not
 * have to read ISO dates: "about 1 May 2023 at 22:30".
 */
export function readableDate(canonical: string, locale: Locale): string {
  if (canonical === "unknown") return t("selfReport.dateUnknown");
  const approx = canonical.startsWith("~");
  const text = (approx ? canonical.slice(1) : canonical)
    .split("..")
    .map((p) => datePoint(p.trim(), locale))
    .join(" – ");
  return approx ? t("selfReport.dateApprox", { date: text }) : text;
}

/**
 * What the core noted about a file: for an MVT report, its one-line summary
 * ("MVT report: 12 record(s), 2 matched indicator(s) of compromise (…)").
 */
export function fileNote(f: ReportFile): string | null {
  return f.note ? f.note : null;
}
