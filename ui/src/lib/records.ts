// Helpers for building interchange documents and showing records and vocabulary terms.
import type { Backend } from "./backend";
import type { AnyRecord, CaseRole, Consent, Document, Person, TermDto, VocabularyDto } from "./bindings";
import { hasKey, t, type Locale, type TKey } from "./i18n";

/** A new record id: `prefix-` + 12 random hex characters. */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return prefix + "-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An interchange document with every array present; fill in what is added. */
export function documentOf(parts: Partial<Omit<Document, "format" | "version">>): Document {
  return {
    format: "casevault-interchange",
    version: 1,
    cases: [],
    persons: [],
    organisations: [],
    incidents: [],
    proceedings: [],
    sources: [],
    testimonies: [],
    interventions: [],
    ...parts,
  };
}

export function termsOf(vocabularies: VocabularyDto[], name: string): TermDto[] {
  return vocabularies.find((v) => v.name === name)?.terms ?? [];
}

/** A term's label in the UI language: the core labels every term in English, Russian and Kazakh. */
export function termLabel(term: TermDto, loc: Locale): string {
  return loc === "kk" ? term.kk : loc === "ru" ? term.ru : term.en;
}

/** The label of `code` in vocabulary `name`, or the code itself when unknown. */
export function labelOf(vocabularies: VocabularyDto[], name: string, code: string, loc: Locale): string {
  const term = termsOf(vocabularies, name).find((t) => t.code === code);
  return term ? termLabel(term, loc) : code;
}

/** The translated name of a vocabulary group (the act types' groups), or the group code. */
export function groupLabel(group: string): string {
  const key = `case.actGroups.${group}`;
  return hasKey(key) ? t(key as TKey) : group;
}

/** A record kind in words ("Incident"), or the kind itself when unknown. */
export function kindLabel(kind: string): string {
  const key = `trash.kinds.${kind}`;
  return hasKey(key) ? t(key as TKey) : kind;
}

/** Terms grouped by `group`, in first-seen order. */
export function groupTerms(terms: TermDto[]): { group: string; terms: TermDto[] }[] {
  const groups: { group: string; terms: TermDto[] }[] = [];
  for (const term of terms) {
    const name = term.group ?? "";
    let g = groups.find((x) => x.group === name);
    if (!g) groups.push((g = { group: name, terms: [] }));
    g.terms.push(term);
  }
  return groups;
}

export type ShareKey = "share_lawyers" | "share_courts" | "share_un" | "share_media" | "publish";
export const SHARE_KEYS: ShareKey[] = ["share_lawyers", "share_courts", "share_un", "share_media", "publish"];

/** Which sharing the consent allows: "none" when recorded but not shared, "not-recorded" when not even that. */
export function consentScope(consent: Consent): ShareKey[] | "none" | "not-recorded" | "withdrawn" {
  if (consent.withdrawn) return "withdrawn";
  if (!consent.record) return "not-recorded";
  const keys = SHARE_KEYS.filter((k) => consent[k]);
  return keys.length ? keys : "none";
}

/** The consent in words, as the testimony lists show it ("Lawyers, Courts only"). */
export function consentText(c: Consent): string {
  const scope = consentScope(c);
  if (scope === "none") return t("case.consentSummary.none");
  if (scope === "not-recorded") return t("case.consentSummary.notRecorded");
  if (scope === "withdrawn") return t("case.consentSummary.withdrawn");
  const list = scope.map((k) => t(`case.consentSummary.${k}` as TKey)).join(", ");
  return t("case.consentSummary.only", { list });
}

export type RecordKind = AnyRecord["kind"];

/** A person as forms hold them: id plus the name to show. */
export type PersonRef = { id: string; name: string };

export function primaryName(p: Pick<Person, "names" | "id">): string {
  return p.names.find((n) => n.kind === "primary")?.name ?? p.names[0]?.name ?? p.id;
}

export function otherNames(p: Pick<Person, "names">): string[] {
  const primary = p.names.find((n) => n.kind === "primary");
  return p.names.filter((n) => n !== primary).map((n) => n.name);
}

/** "a, b ,, c" → ["a", "b", "c"]. */
export function splitList(text: string, separator: string | RegExp = ","): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The first 200 characters of a long text, with an ellipsis when cut. */
export function excerpt(text: string, max = 200): string {
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join("") + "…" : text;
}

/** null and undefined (the core sends null for an absent optional field) as "". */
export function text(value: string | null | undefined): string {
  return value ?? "";
}

/** Trimmed text, or undefined when blank: how an optional field goes into a record. */
export function optional(value: string): string | undefined {
  const v = value.trim();
  return v === "" ? undefined : v;
}

/**
 * The current data of a record the case view does not hold (a person found
 * by the picker). There is no single-record read command; the newest
 * version in the history is the record as it stands.
 */
export async function currentRecord<T>(backend: Backend, id: string): Promise<T | null> {
  const versions = await backend.recordHistory({ id });
  const last = versions[versions.length - 1];
  return last ? (last.data as T) : null;
}

/** A one-line description of a record from its raw data (trash lists, history titles). */
export function recordSummary(kind: string, data: unknown, vocabularies: VocabularyDto[], loc: Locale): string {
  const d = (data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  switch (kind) {
    case "case":
    case "incident":
      return str(d.title);
    case "person":
      return Array.isArray(d.names) ? primaryName({ id: str(d.id), names: d.names as Person["names"] }) : str(d.id);
    case "organisation":
      return str(d.name);
    case "proceeding":
      return [labelOf(vocabularies, "proceeding kind", str(d.kind), loc), str(d.reference)].filter(Boolean).join(" ");
    case "source":
      return excerpt(str(d.citation), 80);
    case "testimony":
      return excerpt(str(d.statement), 80);
    case "intervention":
      return [labelOf(vocabularies, "intervention actor", str(d.actor_kind), loc), excerpt(str(d.request), 60)].join(": ");
    default:
      return str(d.id);
  }
}

/**
 * Someone already in the vault joins a case: their record is amended with
 * the new role, so there is still one record per person and the history
 * says when (and why) they were added.
 */
export async function addCaseRole(backend: Backend, personId: string, role: CaseRole, reason: string): Promise<void> {
  const person = await currentRecord<Person>(backend, personId);
  if (!person) throw { code: "invalid_input", message: `there is no record "${personId}"` };
  const record: Person = { ...person, case_roles: [...person.case_roles, role] };
  await backend.recordAmend({ record: { kind: "person", record }, reason });
}

/** The person already has this role in this case. */
export function hasRole(p: Pick<Person, "case_roles">, caseId: string, role: string): boolean {
  return p.case_roles.some((r) => r.case === caseId && r.role === role);
}
