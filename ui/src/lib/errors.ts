import type { ErrorCode, Problem, ProblemCode } from "./bindings";
import type { UiError } from "./backend";
import { t, type TKey } from "./i18n";

// A Record over ErrorCode: adding a code to the contract without listing it
// here is a type error, and errors.test.ts checks each has a translation.
const KNOWN: Record<ErrorCode, true> = {
  vault_not_found: true,
  vault_exists: true,
  wrong_credential: true,
  tampered: true,
  vault_in_use: true,
  newer_version: true,
  weak_passphrase: true,
  invalid_recovery_key: true,
  keys_destroyed: true,
  locked: true,
  cancelled: true,
  invalid_input: true,
  import_rejected: true,
  not_addressed_to_you: true,
  untrusted_signer: true,
  disk_full: true,
  io: true,
  internal: true,
  bundle_damaged: true,
  report_damaged: true,
};

export const ERROR_CODES = Object.keys(KNOWN) as ErrorCode[];

/** Codes whose backend message adds useful detail (a path, a field name). */
const WITH_DETAILS: ReadonlySet<string> = new Set<ErrorCode>(["invalid_input", "import_rejected", "io", "internal"]);

export function isKnownCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(KNOWN, code);
}

/** The translated message for an error; the backend's own text for codes we don't know. */
export function errorText(err: UiError): string {
  if (!isKnownCode(err.code)) return err.message || err.code;
  // A wrong passphrase under the wipe policy was counted: say how many
  // attempts remain, never "nothing was changed".
  if (err.code === "wrong_credential" && err.params?.attempts_left !== undefined) {
    return t("errors.wrong_credential_counted", { attempts_left: err.params.attempts_left });
  }
  return t(`errors.${err.code}` as TKey);
}

/**
 * Extra line shown under some errors: the backend's message, untranslated.
 * Not when the error carries its problems as data: those are translated
 * one by one (problemTexts).
 */
export function errorDetails(err: UiError): string | null {
  if (err.problems?.length) return null;
  if (!isKnownCode(err.code) || !WITH_DETAILS.has(err.code) || !err.message) return null;
  return t("errors.details", { message: err.message });
}

// A Record over ProblemCode: a new code in the core is a type error here
// until it is listed, and errors.test.ts checks each has a translation.
const PROBLEMS: Record<ProblemCode, true> = {
  id_format: true, id_duplicate_in_file: true, id_exists_in_vault: true, reference_trashed: true,
  reference_wrong_kind: true, reference_missing: true, required: true, too_long: true, too_large: true,
  not_a_country: true, primary_name_count: true, pseudonym_required: true, unknown_term: true,
  end_before_start: true, perpetrator_kind: true, reliability_range: true, credibility_range: true,
  anonymity_level: true, request_required: true, refused_character: true, file_too_large: true,
  file_not_utf8: true, file_not_json: true, file_wrong_format: true, file_wrong_shape: true, report_answer: true,
};

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

const KINDS: ReadonlySet<string> = new Set([
  "case", "person", "organisation", "incident", "proceeding", "source", "testimony", "intervention",
]);

/** One validation problem in the current language, naming the record and field. */
export function problemText(p: Problem): string {
  const params: Record<string, string> = { ...p.params };
  let key = `problems.${p.code}`;
  if (p.code === "unknown_term" && params.suggestion) key = "problems.unknown_term_suggestion";
  const message = t(key as TKey, params);
  if (!p.record) return p.field ? t("problems.whereFile", { field: p.field, message }) : message;
  const record = KINDS.has(p.record) ? t(`trash.kinds.${p.record}` as TKey) : p.record;
  return t("problems.where", { record, id: p.id, field: p.field, message });
}

/** Every problem an error carries, translated; [] when it carries none. */
export function problemTexts(err: UiError): string[] {
  return (err.problems ?? []).map(problemText);
}
