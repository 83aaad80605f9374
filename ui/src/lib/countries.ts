// ISO 3166-1 alpha-2 country codes as typed into forms. The core accepts
// any two capital letters; the UI also names the country back (in the
// reader's language) so that a slip such as "KG" for "KZ" is seen at once.
import type { Locale } from "./i18n";

export type CountryProblem = "format" | "unknown" | null;

export function normaliseCountry(text: string): string {
  return text.trim().toUpperCase();
}

const namers = new Map<Locale, Intl.DisplayNames | null>();

function namer(locale: Locale): Intl.DisplayNames | null {
  if (!namers.has(locale)) {
    let n: Intl.DisplayNames | null = null;
    try {
      n = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames([locale], { type: "region", fallback: "none" }) : null;
    } catch {
      n = null;
    }
    namers.set(locale, n);
  }
  return namers.get(locale) ?? null;
}

/** The country's name, or null when the code is not one the platform knows. */
export function countryName(code: string, locale: Locale): string | null {
  const c = normaliseCountry(code);
  // ZZ is CLDR's "unknown region", which the platform happily names.
  if (!/^[A-Z]{2}$/.test(c) || c === "ZZ") return null;
  const n = namer(locale);
  if (!n) return null;
  try {
    return n.of(c) ?? null;
  } catch {
    return null;
  }
}

/** What is wrong with a typed code; null when it is fine or blank. */
export function countryProblem(text: string, locale: Locale): CountryProblem {
  const c = normaliseCountry(text);
  if (c === "") return null;
  if (!/^[A-Z]{2}$/.test(c)) return "format";
  // Without Intl.DisplayNames the format check is all we can do.
  if (namer(locale) && countryName(c, locale) === null) return "unknown";
  return null;
}
