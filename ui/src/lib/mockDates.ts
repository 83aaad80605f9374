// A tiny fuzzy-date parser standing in for the core's (model::date), for the
// mock backend only.
import type { DateCheck } from "./bindings";

const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
];
const MONTHS_RU = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

/**
 * A tiny fuzzy-date parser standing in for the core's: "March 2008", "2008-03",
 * "2008-03-14", "2007", "unknown". Canonical forms are ISO-8601 prefixes.
 */
export function checkDate(text: string): DateCheck {
  const v = text.trim().toLowerCase();
  if (v === "") return { canonical: null, error: "empty date" };
  if (v === "unknown" || v === "неизвестно") return { canonical: "unknown", error: null };
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
  m = /^([a-zа-яё]+)\.?\s+(\d{4})$/.exec(v);
  if (m) {
    let mo = MONTHS.findIndex((name) => m![1].length >= 3 && name.startsWith(m![1]));
    if (mo < 0) mo = MONTHS_RU.findIndex((prefix) => m![1].startsWith(prefix));
    if (mo < 0) return { canonical: null, error: `unknown month "${m[1]}"` };
    if (!okYear(+m[2])) return { canonical: null, error: "year out of range" };
    return { canonical: `${m[2]}-${pad(mo + 1)}`, error: null };
  }
  return { canonical: null, error: `cannot understand the date "${text.trim()}"` };
}
