// ISO 3166-1 alpha-2 country codes as typed into forms. Which codes a
// record may use is the core's list (COUNTRY_CODES, generated into
// reference.ts); the UI names the country back in the reader's language
// so that a slip such as "KG" for "KZ" is seen at once.
import type { Locale } from "./i18n";
import { COUNTRY_CODES } from "./reference";

export type CountryProblem = "format" | "unknown" | null;

export function normaliseCountry(text: string): string {
  return text.trim().toUpperCase();
}

const namers = new Map<string, Intl.DisplayNames | null>();

/** A region namer for exactly `lang`, or null when the platform has no names in it. */
function namerIn(lang: string): Intl.DisplayNames | null {
  if (!namers.has(lang)) {
    let n: Intl.DisplayNames | null = null;
    try {
      n = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames([lang], { type: "region", fallback: "none" }) : null;
      // A platform without Kazakh data silently hands back its default
      // language; that must not pass for Kazakh.
      if (n && !n.resolvedOptions().locale.toLowerCase().startsWith(lang)) n = null;
    } catch {
      n = null;
    }
    namers.set(lang, n);
  }
  return namers.get(lang) ?? null;
}

/**
 * The namers to ask, best first. Kazakh names come from the platform's
 * (CLDR) data; where it has none, Russian ones, which a Kazakh reader reads
 * as easily, and never English.
 */
function namersFor(locale: Locale): Intl.DisplayNames[] {
  const langs = locale === "kk" ? ["kk", "ru"] : [locale];
  return langs.map(namerIn).filter((n): n is Intl.DisplayNames => n !== null);
}

/** The country's name, or null when the code is not one the platform knows. */
export function countryName(code: string, locale: Locale): string | null {
  const c = normaliseCountry(code);
  // ZZ is CLDR's "unknown region", which the platform happily names.
  if (!/^[A-Z]{2}$/.test(c) || c === "ZZ") return null;
  for (const n of namersFor(locale)) {
    try {
      const name = n.of(c);
      if (name) return name;
    } catch {
      // Try the next language.
    }
  }
  return null;
}

/**
 * What is wrong with a typed code; null when it is fine or blank. Not two
 * letters: "format" (say how a code looks); two letters the core's list
 * does not hold: "unknown".
 */
export function countryProblem(text: string): CountryProblem {
  const c = normaliseCountry(text);
  if (c === "") return null;
  if ((COUNTRY_CODES as readonly string[]).includes(c)) return null;
  return /^[A-Z]{2}$/.test(c) ? "unknown" : "format";
}

/** The country codes records may use: the core's list (model::country), generated. */
export { COUNTRY_CODES };

/** Every country of the list with its name in the reader's language, sorted by name. */
export function countryChoices(locale: Locale): { code: string; name: string }[] {
  const collator = new Intl.Collator(locale);
  return COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
}
