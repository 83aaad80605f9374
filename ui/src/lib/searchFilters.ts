// The search view's filters as the form holds them, and as the backend
// takes them (Filters). Shared by the text search and the analysis.
import type { CaseStatus, Filters } from "./bindings";
import { normaliseCountry } from "./countries";
import { splitList } from "./records";

export const CONSENT_SCOPES = ["lawyers", "courts", "un", "media", "publish"] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export type FilterForm = {
  actTypes: string[];
  /** ISO codes as typed, separated by commas. */
  countries: string;
  from: string;
  to: string;
  status: CaseStatus | "";
  consent: ConsentScope | "";
  /** An organisation id, or "". */
  perpetrator: string;
};

export function emptyFilterForm(): FilterForm {
  return { actTypes: [], countries: "", from: "", to: "", status: "", consent: "", perpetrator: "" };
}

/**
 * What the backend is asked: dates as the canonical forms dateCheck
 * confirmed, and blank fields left out (the core treats a present but
 * empty field as a filter).
 */
export function toFilters(form: FilterForm, from: string | null, to: string | null): Filters {
  const f: Filters = { act_types: [...form.actTypes], countries: splitList(form.countries).map(normaliseCountry) };
  if (from) f.from = from;
  if (to) f.to = to;
  if (form.status) f.case_status = form.status;
  if (form.consent) f.consent = form.consent;
  if (form.perpetrator) f.perpetrator = form.perpetrator;
  return f;
}

export function hasFilters(f: Filters): boolean {
  return f.act_types.length > 0 || f.countries.length > 0 || [f.from, f.to, f.case_status, f.consent, f.perpetrator].some((v) => v != null);
}
