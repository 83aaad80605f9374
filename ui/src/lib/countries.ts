// ISO 3166-1 alpha-2 country codes as typed into forms. The core accepts
// any two capital letters; the UI also names the country back (in the
// reader's language) so that a slip such as "KG" for "KZ" is seen at once.
import type { Locale } from "./i18n";

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

/** What is wrong with a typed code; null when it is fine or blank. */
export function countryProblem(text: string, locale: Locale): CountryProblem {
  const c = normaliseCountry(text);
  if (c === "") return null;
  if (!/^[A-Z]{2}$/.test(c)) return "format";
  // Without Intl.DisplayNames the format check is all we can do.
  if (namersFor(locale).length > 0 && countryName(c, locale) === null) return "unknown";
  return null;
}

/**
 * The countries a list offers: ISO 3166-1 alpha-2, plus XK (Kosovo), which
 * is widely used though user-assigned. Historic and special codes (SU, YU,
 * EU, UN…) are left out.
 */
export const COUNTRY_CODES = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE",
  "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD",
  "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
  "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
  "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU",
  "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
  "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
  "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
  "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
  "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI",
  "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK",
  "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
  "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
] as const;

/** Every country of the list with its name in the reader's language, sorted by name. */
export function countryChoices(locale: Locale): { code: string; name: string }[] {
  const collator = new Intl.Collator(locale);
  return COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
}
