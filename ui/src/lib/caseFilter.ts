// Filtering and sorting of the case list, over every case (the table only
// renders the rows in view). Kept apart from the component so that it can be
// tested at 10,000 cases without a DOM.
import type { CaseStatus, CaseSummary, RiskLevel } from "./bindings";

export const STATUSES: CaseStatus[] = ["open", "monitoring", "closed"];
export const RISKS: RiskLevel[] = ["low", "medium", "high", "critical"];

export type CaseSort = "title" | "status" | "risk" | "updated";

export type CaseQuery = {
  /** Quick-find text: title, or a name or alias of someone in the case. */
  text: string;
  status: CaseStatus | "";
  /** A risk level, "none" for cases without one, or "" for any. */
  risk: RiskLevel | "none" | "";
  /** ISO alpha-2; matches the origin or a host country. */
  country: string;
  sort: CaseSort;
};

export const EMPTY_QUERY: CaseQuery = { text: "", status: "", risk: "", country: "", sort: "title" };

/** Lower-cased title and names of each case, computed once per list load rather than per keystroke. */
export function searchIndex(cases: CaseSummary[]): Map<string, string[]> {
  return new Map(cases.map((c) => [c.id, [c.title, ...c.names].map((s) => s.toLocaleLowerCase())]));
}

/**
 * `alsoMatching`: cases the core's name search found for the same text
 * (other spellings and typos); they match quick-find too.
 */
export function filterCases(
  cases: CaseSummary[],
  index: Map<string, string[]>,
  q: CaseQuery,
  locale: string,
  alsoMatching?: Set<string>,
): CaseSummary[] {
  const text = q.text.trim().toLocaleLowerCase();
  const country = q.country.trim().toUpperCase();
  const matching = cases.filter(
    (c) =>
      (q.status === "" || c.status === q.status) &&
      (q.risk === "" || (q.risk === "none" ? c.risk === null : c.risk === q.risk)) &&
      (country === "" || c.origin_country === country || c.host_countries.includes(country)) &&
      (text === "" || (index.get(c.id) ?? []).some((s) => s.includes(text)) || alsoMatching?.has(c.id) === true),
  );
  const collator = new Intl.Collator(locale);
  const byTitle = (a: CaseSummary, b: CaseSummary) => collator.compare(a.title, b.title);
  // Highest risk first; cases without a risk level last.
  const riskRank = (c: CaseSummary) => (c.risk === null ? RISKS.length : RISKS.length - 1 - RISKS.indexOf(c.risk));
  const compare: Record<CaseSort, (a: CaseSummary, b: CaseSummary) => number> = {
    title: byTitle,
    status: (a, b) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) || byTitle(a, b),
    risk: (a, b) => riskRank(a) - riskRank(b) || byTitle(a, b),
    updated: (a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0) || byTitle(a, b),
  };
  return matching.sort(compare[q.sort]);
}
