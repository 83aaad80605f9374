// Uncertain dates in words, in the reader's language: "March 2008",
// "27–30 March 2011", "about 22:30 on 1 December 1997". The core hands each
// date over taken apart (DateView), so nothing here parses date text; month
// names and day order come from Intl.
import type { DateParts, DateView } from "./bindings";
import { currentLocale, t } from "./i18n";

type Precision = "year" | "month" | "day" | "minute";

function precision(p: DateParts): Precision {
  if (p.hour !== null && p.minute !== null) return "minute";
  if (p.day !== null) return "day";
  if (p.month !== null) return "month";
  return "year";
}

/** The Intl locale for a UI language; English as in the examples (day before month). */
function intlLocale(): string {
  const loc = currentLocale();
  return loc === "en" ? "en-GB" : loc;
}

const OPTIONS: Record<Exclude<Precision, "minute">, Intl.DateTimeFormatOptions> = {
  year: { year: "numeric", timeZone: "UTC" },
  month: { year: "numeric", month: "long", timeZone: "UTC" },
  day: { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" },
};

function asDate(p: DateParts): Date {
  return new Date(Date.UTC(p.year, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0));
}

function calendar(p: DateParts, level: Exclude<Precision, "minute">): string {
  // Years on their own are plain numbers: Intl would add "г." in Russian.
  if (level === "year") return String(p.year);
  return new Intl.DateTimeFormat(intlLocale(), OPTIONS[level]).format(asDate(p));
}

function clock(p: DateParts): string {
  return `${String(p.hour ?? 0).padStart(2, "0")}:${String(p.minute ?? 0).padStart(2, "0")}`;
}

/** One point: "2007", "March 2008", "1 December 1997", "22:30 on 1 December 1997". */
function point(p: DateParts): string {
  const level = precision(p);
  if (level === "minute") return t("cases.dates.atTime", { time: clock(p), date: calendar(p, "day") });
  return calendar(p, level);
}

/** Two points: "27–30 March 2011" when both are known to the same precision, "March – 5 June 2008" otherwise. */
function range(from: DateParts, to: DateParts): string {
  const a = precision(from);
  const b = precision(to);
  if (a === b && a !== "minute") {
    if (a === "year") return from.year === to.year ? String(from.year) : `${from.year}–${to.year}`;
    const fmt = new Intl.DateTimeFormat(intlLocale(), OPTIONS[a]);
    const start = asDate(from);
    const end = asDate(to);
    if (start.getTime() === end.getTime()) return fmt.format(start);
    if (typeof fmt.formatRange === "function") return fmt.formatRange(start, end);
    return `${fmt.format(start)} – ${fmt.format(end)}`;
  }
  return `${point(from)} – ${point(to)}`;
}

function same(a: DateParts | null, b: DateParts | null): boolean {
  return a !== null && b !== null && a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/** A date in words; "date unknown" for an unknown one, and for one the core did not describe. */
export function formatDate(view: DateView | null | undefined): string {
  if (!view || view.from === null) return t("cases.dates.unknown");
  const text = view.to === null ? point(view.from) : range(view.from, view.to);
  return view.approximate ? t("cases.dates.about", { date: text }) : text;
}

/**
 * When something lasted from `start` to `end` (an incident): one span, so a
 * range that already ends where `end` is reads once ("27–30 March 2011").
 */
export function formatSpan(start: DateView | null | undefined, end: DateView | null | undefined): string {
  if (!end || end.from === null) return formatDate(start);
  // Begun who knows when, ended on a known day.
  if (!start || start.from === null) return `${formatDate(start)} – ${formatDate(end)}`;
  const last = end.to ?? end.from;
  const startEnd = start.to ?? start.from;
  if (same(startEnd, last)) return formatDate(start);
  return formatDate({ from: start.from, to: last, approximate: start.approximate || end.approximate });
}

/** Looks a canonical date up in a case's `dates` and says it in words; unknown if absent. */
export function dateIn(dates: Partial<Record<string, DateView>> | undefined, canonical: string | null | undefined): string {
  if (canonical === null || canonical === undefined || canonical === "") return "";
  return formatDate(dates?.[canonical]);
}
