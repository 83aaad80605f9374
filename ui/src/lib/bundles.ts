// Small helpers for the bundle screens: keys and contacts, the export
// wizard, and opening a bundle.
import { t, type TKey } from "./i18n";

/** The reasons redact.rs gives for holding a record back, in words of the UI's language. */
const WITHHELD_REASONS: Record<string, TKey> = {
  "consent was withdrawn": "export.reasons.withdrawn",
  "consent does not cover sharing with lawyers": "export.reasons.notLawyers",
  "left out by the caseworker": "export.reasons.leftOut",
};

/** A withheld record's reason, translated when it is one the UI knows; as given otherwise. */
export function withheldReason(reason: string): string {
  const key = WITHHELD_REASONS[reason];
  return key ? t(key) : reason;
}

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/**
 * What is wrong with a pasted key before it is even sent: a secret key
 * (which must never be shared) or an SSH key type the core refuses. The
 * core checks everything else (damaged keys, duplicates) and says what to do.
 */
export function keyProblem(text: string): TKey | null {
  const k = text.trim();
  if (/^AGE-SECRET-KEY-/i.test(k) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(k)) return "keys.keySecret";
  if ((k.startsWith("ssh-") && !k.startsWith("ssh-ed25519")) || k.startsWith("ecdsa-")) return "keys.keyOtherSsh";
  return null;
}

/** Sort key of an interchange date ("~2008-03", "2007", "unknown"): approximate like exact, unknown last. */
export function dateSortKey(date: string | null | undefined): string {
  if (!date || date === "unknown") return "9999";
  return date.replace(/^~/, "");
}

/** A neutral file name for a new bundle: never a person's or a case's name. */
export function suggestedBundleName(now: Date = new Date()): string {
  return `bundle-${now.toISOString().slice(0, 10)}.cvb`;
}
