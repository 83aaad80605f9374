// Small helpers for the bundle screens: keys and contacts, the export
// wizard, and opening a bundle.
import { toUiError, type Backend, type UiError } from "./backend";
import type { Withheld, WithheldReason } from "./bindings";
import { t, type TKey } from "./i18n";

const WITHHELD_REASONS: Record<WithheldReason, TKey> = {
  consent_withdrawn: "export.reasons.withdrawn",
  not_for_lawyers: "export.reasons.notLawyers",
  left_out: "export.reasons.leftOut",
};

/**
 * Why a record stayed behind, translated from the core's code. A bundle
 * written before the code existed carries only the sender's English words,
 * shown as they are.
 */
export function withheldReason(w: Pick<Withheld, "reason" | "code">): string {
  return w.code ? t(WITHHELD_REASONS[w.code]) : w.reason;
}

/**
 * The core's refusal of a pasted key (a secret key, a key type it cannot
 * seal to, a damaged key), asked as it is pasted so the form can say what
 * to do before it is sent; null when the core takes it, or nothing was
 * pasted.
 */
export async function keyRefusal(backend: Pick<Backend, "keyCheckText">, text: string): Promise<UiError | null> {
  if (text.trim() === "") return null;
  try {
    await backend.keyCheckText({ key: text });
    return null;
  } catch (err) {
    return toUiError(err);
  }
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
