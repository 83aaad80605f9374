import type { ErrorCode } from "./bindings";
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
  return t(`errors.${err.code}` as TKey);
}

/** Extra line shown under some errors: the backend's message, untranslated. */
export function errorDetails(err: UiError): string | null {
  if (!isKnownCode(err.code) || !WITH_DETAILS.has(err.code) || !err.message) return null;
  return t("errors.details", { message: err.message });
}
