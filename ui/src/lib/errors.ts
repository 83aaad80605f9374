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
  // Refusals of one value (invalid_input): the message stands alone.
  not_found: true, kind_cannot_change: true, reason_required: true, same_person: true, not_one_of: true,
  in_trash: true, already_in_trash: true, not_in_trash: true, space_name: true, space_exists: true, member_name: true, case_in_other_space: true, refused_from_member: true, space_unloaded: true, space_loaded: true, space_unsynced: true, not_in_conflict: true, merge_overlaps: true, conflict_changed: true, restore_references_first: true,
  still_referred_to: true, left_out_still_referred: true, unchanged: true, no_intake_key: true, no_identity: true,
  not_a_self_report: true, not_a_case_export: true, not_a_bundle: true, bundle_needs_passphrase: true,
  bundle_needs_key: true, already_received: true, bundle_changed_since_review: true, report_already_accepted: true,
  report_already_rejected: true, preview_too_large: true, metadata_not_removable: true, no_case_chosen: true,
  no_recipient: true, key_damaged: true, key_required: true, key_is_secret: true, key_unsupported: true,
  secret_key_invalid: true, key_already_present: true, length_range: true, draft_key_format: true, kind_format: true, out_of_range: true,
  file_missing: true, file_is_folder: true, file_unreadable: true, file_not_text: true, file_too_big_for_kind: true,
  file_grew: true, attachment_too_large: true, too_many_files: true, not_mvt: true, not_a_questionnaire: true,
  mode_fixed: true, path_not_utf8: true, path_not_absolute: true, not_a_checkpoint: true, query_syntax: true,
  entries_differ: true, no_terminal: true, not_both: true, either_option: true, protect_format: true,
  date_year_range: true, date_day_needs_month: true, date_time_needs_day: true, date_no_such_day: true,
  date_time_range: true, date_range_reversed: true, date_unreadable: true, date_no_year: true, date_format: true,
};

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

const KINDS: ReadonlySet<string> = new Set([
  "case", "person", "organisation", "incident", "proceeding", "source", "testimony", "intervention",
]);

// What a not_found problem names (`what`): a record kind or another thing
// the core looks up by id, said in the UI's language. Anything else is
// shown as the core sent it.
const THINGS: ReadonlySet<string> = new Set([...KINDS, "record", "contact", "attachment", "report", "file"]);

/** One validation problem in the current language, naming the record and field. */
export function problemText(p: Problem): string {
  const params: Record<string, string> = { ...p.params };
  if (p.code === "not_found" && params.what && THINGS.has(params.what)) {
    params.what = t(`problemThings.${params.what}` as TKey);
  }
  let key = `problems.${p.code}`;
  if (p.code === "unknown_term" && params.suggestion) key = "problems.unknown_term_suggestion";
  if (p.code === "key_already_present" && params.contact) key = "problems.key_already_present_contact";
  const message = t(key as TKey, params);
  if (!p.record) return p.field ? t("problems.whereFile", { field: p.field, message }) : message;
  const record = KINDS.has(p.record) ? t(`trash.kinds.${p.record}` as TKey) : p.record;
  return t("problems.where", { record, id: p.id, field: p.field, message });
}

/** Every problem an error carries, translated; [] when it carries none. */
export function problemTexts(err: UiError): string[] {
  return (err.problems ?? []).map(problemText);
}
