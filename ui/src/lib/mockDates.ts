// A tiny fuzzy-date parser standing in for the core's (model::date), for the
// mock backend only.
import { recorded } from "./mockRecorded";
import type { DateCheck, DateParts, DateView } from "./bindings";

const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
];
const MONTHS_RU = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

/** Words that make a date approximate ("approx. March 2008", "около 2019"). */
const APPROX = /^(~|approx\.?|approximately|about|around|circa|ca\.?|c\.|примерно|около|приблизительно)\s*/;

function monthIndex(word: string): number {
  let mo = MONTHS.findIndex((name) => word.length >= 3 && name.startsWith(word));
  if (mo < 0) mo = MONTHS_RU.findIndex((prefix) => word.startsWith(prefix));
  return mo;
}

/**
 * A tiny fuzzy-date parser standing in for the core's: "March 2008", "2008-03",
 * "2008-03-14", "14.03.2008", "03.2008", "1 May 2023", "approx. 22:30 on 1 May 2023",
 * "2007", "unknown" or "?". Canonical forms are ISO-8601 prefixes; a leading "~"
 * marks an approximate date, as in the core.
 */
export function checkDate(text: string): DateCheck {
  // The core's own answer when a contract case recorded it (Kazakh and
  // Russian words among them); this parser only for the rest.
  const rec = recorded("date_check", { text });
  if (rec?.result) return rec.result as DateCheck;
  const r = understand(text);
  return { ...r, view: r.canonical === null ? null : dateView(r.canonical) };
}

type Understood = { canonical: string | null; error: string | null };

function understand(text: string): Understood {
  let v = text.trim().toLowerCase();
  if (v === "") return { canonical: null, error: "empty date" };
  // As the core's UNKNOWN_WORDS: "?" is what the Kazakh hints suggest.
  if (["unknown", "?", "n/a", "неизвестно", "неизв"].includes(v)) return { canonical: "unknown", error: null };
  // The canonical range form ("2011-03-27..2011-03-30"), as the core writes it.
  const range = /^(~?)([^.]+)\.\.([^.]+)$/.exec(v);
  if (range) {
    const [a, b] = [checkExact(range[2], text), checkExact(range[3], text)];
    if (a.canonical === null || b.canonical === null) return a.canonical === null ? a : b;
    return { canonical: `${range[1]}${a.canonical}..${b.canonical}`, error: null };
  }
  let approx = false;
  for (let m = APPROX.exec(v); m && m[0] !== ""; m = APPROX.exec(v)) {
    approx = true;
    v = v.slice(m[0].length);
  }
  const exact = checkExact(v, text);
  if (!approx || exact.canonical === null || exact.canonical === "unknown") return exact;
  return { canonical: "~" + exact.canonical, error: null };
}

function checkExact(v: string, text: string): Understood {
  const pad = (n: number) => String(n).padStart(2, "0");
  const okYear = (y: number) => y >= 1900 && y <= 2100;
  let m = /^(\d{4})$/.exec(v);
  if (m) return okYear(+m[1]) ? { canonical: m[1], error: null } : { canonical: null, error: "year out of range" };
  m = /^(\d{4})-(\d{1,2})$/.exec(v);
  if (m) {
    const mo = +m[2];
    if (!okYear(+m[1]) || mo < 1 || mo > 12) return { canonical: null, error: "month out of range" };
    return { canonical: `${m[1]}-${pad(mo)}`, error: null };
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (m) {
    const [y, mo, d] = [+m[1], +m[2], +m[3]];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (!okYear(y) || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return { canonical: null, error: "no such day" };
    return { canonical: `${y}-${pad(mo)}-${pad(d)}`, error: null };
  }
  // "03.2008" (MM.YYYY, as the core reads it).
  m = /^(\d{1,2})[./](\d{4})$/.exec(v);
  if (m) {
    const mo = +m[1];
    if (!okYear(+m[2]) || mo < 1 || mo > 12) return { canonical: null, error: "month out of range" };
    return { canonical: `${m[2]}-${pad(mo)}`, error: null };
  }
  m = /^([a-zа-яё]+)\.?\s+(\d{4})$/.exec(v);
  if (m) {
    const mo = monthIndex(m[1]);
    if (mo < 0) return { canonical: null, error: `unknown month "${m[1]}"` };
    if (!okYear(+m[2])) return { canonical: null, error: "year out of range" };
    return { canonical: `${m[2]}-${pad(mo + 1)}`, error: null };
  }
  // "14.03.2008", "1 May 2023", "22:30 on 1 May 2023", "1 May 2023 22:30".
  let time: string | null = null;
  let tm = /^(\d{4}-\d{1,2}-\d{1,2})t(\d{1,2}):(\d{2})$/.exec(v);
  let parts: [string, string, string] | null = tm ? [tm[2], tm[3], tm[1]] : null;
  if (!parts && (tm = /^(\d{1,2}):(\d{2})\s+(?:on\s+)?(.+)$/.exec(v))) parts = [tm[1], tm[2], tm[3]];
  if (!parts && (tm = /^(.+?)\s+(?:at\s+|в\s+)?(\d{1,2}):(\d{2})$/.exec(v))) parts = [tm[2], tm[3], tm[1]];
  if (parts) {
    const [h, min, rest] = parts;
    if (+h > 23 || +min > 59) return { canonical: null, error: "no such time" };
    time = `${pad(+h)}:${min}`;
    v = rest.trim();
  }
  let day: [number, number, number] | null = null;
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  if (m) day = [+m[3], +m[2], +m[1]];
  m = /^(\d{1,2})\s+([a-zа-яё]+)\.?\s+(\d{4})$/.exec(v);
  if (m) {
    const mo = monthIndex(m[2]);
    if (mo < 0) return { canonical: null, error: `unknown month "${m[2]}"` };
    day = [+m[3], mo + 1, +m[1]];
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (m && time) day = [+m[1], +m[2], +m[3]];
  if (day) {
    const [y, mo, d] = day;
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (!okYear(y) || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return { canonical: null, error: "no such day" };
    const iso = `${y}-${pad(mo)}-${pad(d)}`;
    return { canonical: time ? `${iso}T${time}` : iso, error: null };
  }
  return { canonical: null, error: `cannot understand the date "${text.trim()}"` };
}

/**
 * FuzzyDate::view for the mock: the canonical text (which the core writes
 * and this mock's checkDate produces) taken apart. Not a parser of what
 * people type.
 */
export function dateView(canonical: string): DateView {
  const approximate = canonical.startsWith("~");
  const body = approximate ? canonical.slice(1) : canonical;
  const parts = (p: string): DateParts | null => {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2}))?$/.exec(p);
    if (!m) return null;
    const n = (x: string | undefined) => (x === undefined ? null : Number(x));
    return { year: Number(m[1]), month: n(m[2]), day: n(m[3]), hour: n(m[4]), minute: n(m[5]) };
  };
  if (body === "unknown") return { from: null, to: null, approximate: false };
  const [a, b] = body.split("..");
  return { from: parts(a), to: b === undefined ? null : parts(b), approximate };
}

/** Every date of the case's records, as CaseDetail.dates carries them. */
export function dateViewsOf(records: unknown[]): Record<string, DateView> {
  const out: Record<string, DateView> = {};
  const add = (v: unknown) => {
    if (typeof v === "string" && v !== "") out[v] = dateView(v);
  };
  for (const r of records as Record<string, unknown>[]) {
    for (const f of ["start", "end", "birth_date", "interview_date", "date", "accessed"]) add(r[f]);
    const consent = r.consent as Record<string, unknown> | undefined;
    if (consent) [consent.given, consent.withdrawn].forEach(add);
    for (const d of (r.dates as { date?: unknown }[] | undefined) ?? []) add(d.date);
  }
  return out;
}
