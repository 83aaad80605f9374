// A tiny typed i18n layer. `locale` is a Svelte store; `t()` reads it through
// `fromStore`, so `{t("unlock.title")}` in a template re-renders when the
// language changes. The choice is persisted by the backend (prefsGet/prefsSet),
// never in webview storage.
import { fromStore, get, writable } from "svelte/store";
import en from "../locales/en.json";
import kk from "../locales/kk.json";
import ru from "../locales/ru.json";
import type { Language } from "./bindings";

export type Messages = typeof en;

/** Every dotted path to a string in en.json, e.g. "unlock.title". */
export type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : T[K] extends object ? `${K}.${Leaves<T[K]>}` : never;
}[keyof T & string];

export type TKey = Leaves<Messages>;

/** A message tree in which any branch or string may be missing. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends string ? string : DeepPartial<T[K]> };

/**
 * `T` itself when every key of it is one `Shape` has, with a string where
 * `Shape` has a string and a branch where it has a branch. A stray key (a
 * typo, or one removed from en.json) becomes `never`, so that assigning a
 * catalogue to it fails to compile. (`satisfies` alone does not catch extra
 * keys of an imported JSON object: excess-property checks only apply to
 * object literals.)
 */
export type NoExtraKeys<T, Shape> = {
  [K in keyof T]: K extends keyof Shape
    ? Shape[K] extends string
      ? T[K] extends string
        ? string
        : never
      : T[K] extends string
        ? never
        : NoExtraKeys<T[K], Shape[K]>
    : never;
};

export const LOCALES = ["en", "ru", "kk"] as const;
export type Locale = (typeof LOCALES)[number];

// Typing ru as Messages makes tsc reject a Russian file that lacks a key.
// Kazakh is partial (the screens a person reporting about themselves sees);
// what it lacks falls back to English in translate(). It may not have a key
// that English lacks.
export const messages: { en: Messages; ru: Messages; kk: DeepPartial<Messages> } = {
  en,
  ru: ru satisfies Messages,
  kk: kk satisfies DeepPartial<Messages> satisfies NoExtraKeys<typeof kk, Messages>,
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Best guess before the backend has told us the stored language. */
export function defaultLocale(): Locale {
  const nav = typeof navigator !== "undefined" ? navigator.language.toLowerCase() : "";
  if (nav.startsWith("kk")) return "kk";
  return nav.startsWith("ru") ? "ru" : "en";
}

/**
 * The language of texts made by the backend for someone else (a dossier, a
 * sealed report's summary), which exist in English and Russian only: a Kazakh
 * reader gets Russian, which they read far better than English.
 */
export function dossierLanguage(loc: Locale): Language {
  return loc === "en" ? "en" : "ru";
}

/**
 * Which of a vocabulary term's labels (the backend gives `en` and `ru`) to
 * show in the UI language: Russian for Kazakh, as for dossiers.
 */
export function vocabLanguage(loc: Locale): "en" | "ru" {
  return loc === "en" ? "en" : "ru";
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
