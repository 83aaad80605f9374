// A tiny typed i18n layer. `locale` is a Svelte store; `t()` reads it through
// `fromStore`, so `{t("unlock.title")}` in a template re-renders when the
// language changes. The choice is persisted by the backend (prefsGet/prefsSet),
// never in webview storage.
import { fromStore, get, writable } from "svelte/store";
import en from "../locales/en.json";
import ru from "../locales/ru.json";

export type Messages = typeof en;

/** Every dotted path to a string in en.json, e.g. "unlock.title". */
export type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : T[K] extends object ? `${K}.${Leaves<T[K]>}` : never;
}[keyof T & string];

export type TKey = Leaves<Messages>;

export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

// Typing ru as Messages makes tsc reject a Russian file that lacks a key.
export const messages: Record<Locale, Messages> = { en, ru: ru satisfies Messages };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Best guess before the backend has told us the stored language. */
export function defaultLocale(): Locale {
  const nav = typeof navigator !== "undefined" ? navigator.language : "";
  return nav.toLowerCase().startsWith("ru") ? "ru" : "en";
}

export const locale = writable<Locale>("en");
const current = fromStore(locale);

export function setLocale(next: Locale): void {
  locale.set(next);
  if (typeof document !== "undefined") document.documentElement.lang = next;
}

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

export type Params = Record<string, string | number>;

/** Translate in a given locale. Missing keys fall back to English, then to the key itself. */
export function translate(loc: Locale, key: string, params?: Params): string {
  const template = lookup(messages[loc], key) ?? lookup(messages.en, key) ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function hasKey(key: string): boolean {
  return lookup(messages.en, key) !== undefined;
}

/** Translate in the current locale; reactive when called from a template or effect. */
export function t(key: TKey, params?: Params): string {
  return translate(current.current, key, params);
}

/** The current locale, reactive in templates and effects. */
export function currentLocale(): Locale {
  return current.current;
}

/** Non-reactive read, for event handlers. */
export function localeNow(): Locale {
  return get(locale);
}

/** A date-time string from the backend, in the reader's language; raw text if unparseable. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "long", timeStyle: "short" }).format(date);
}

/** Bytes as "3.3 MB" / "3,3 МБ". */
export function formatBytes(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(currentLocale(), {
    style: "unit",
    unit: units[unit],
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(currentLocale()).format(n);
}
