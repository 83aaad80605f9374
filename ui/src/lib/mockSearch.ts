// Search and analysis for the mock backend, following the core's rules
// (model/search.rs and the search_source view of migration 5): the same
// text per kind, the same query syntax (words all match, "a phrase",
// prefix*), the same filters and the same error messages, over the mock's
// records instead of an FTS5 index.
import type {
  Analysis,
  CaseStatus,
  Count,
  Filters,
  Incident,
  SearchHit,
  SearchRequest,
  SearchResults,
  SnippetPart,
  Testimony,
  TimelineItem,
} from "./bindings";
import { checkDate, dateView } from "./mockRecorded";
import type { Kind } from "./mockRecords";

export const MAX_QUERY_CHARS = 500;
const MAX_RESULTS = 200;
/** Tokens either side of the first match in a snippet (FTS5's snippet() shows up to 16). */
const SNIPPET_BEFORE = 5;
const SNIPPET_TOKENS = 16;
const CONSENT_SCOPES = ["lawyers", "courts", "un", "media", "publish"];

type Data = Record<string, unknown>;
export type LiveRecord = { id: string; kind: Kind; data: Data };

/** What search needs from the record store: live records, newest last, and their cases. */
export type SearchSource = {
  live(kind?: Kind): LiveRecord[];
  /** The cases a record belongs to, sorted (record_cases). */
  casesOf(id: string): string[];
};

function invalid(field: string, problem: string) {
  return { code: "invalid_input" as const, message: `${field}: ${problem}` };
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const join = (...parts: unknown[]): string => parts.map(str).filter((s) => s !== "").join(" ");

/** What each kind of record gives the index: (title, body), as the search_source view. */
function indexed(r: LiveRecord): [string, string] {
  const d = r.data;
  switch (r.kind) {
    case "case":
      return [str(d.title), join(d.notes, ...((d.tags as string[]) ?? []))];
    case "incident": {
      const place = (d.place ?? {}) as Data;
      return [str(d.title), join(d.description, place.text, place.city)];
    }
    case "source":
      return [str(d.citation), ""];
    case "organisation":
      return [str(d.name), ""];
    case "proceeding":
      return [join(d.reference, d.authority), join(d.outcome, ...((d.charges as string[]) ?? []))];
    case "intervention":
      return [str(d.actor), join(d.request, d.response)];
    case "person":
      return [((d.names as { name: string }[]) ?? []).map((n) => n.name).join(" "), join(d.pseudonym, d.occupation, d.affiliation)];
    case "testimony":
      return ["", str(d.statement)];
  }
}

/** Case and diacritics folded, as unicode61 with remove_diacritics does. */
function fold(word: string): string {
  return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
}

const WORD = /[\p{L}\p{N}]+/gu;

function tokens(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => fold(m[0]));
}

type Term = { words: string[]; prefix: boolean };

/** The query as terms, like fts_query: words, "phrases", prefix*; null when nothing searchable is left. */
export function parseQuery(text: string): Term[] | null {
  const count = [...text].length;
  if (count > MAX_QUERY_CHARS) {
    throw invalid("query", `the search is ${count} characters long; search for at most ${MAX_QUERY_CHARS}, a few words or a phrase`);
  }
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
  const terms: Term[] = [];
  const push = (raw: string, phrase: boolean) => {
    const prefix = !phrase && raw.endsWith("*");
    const words = tokens(raw.replace(/\*+$/, ""));
    if (words.length) terms.push({ words, prefix });
  };
  clean.split('"').forEach((part, i) => {
    if (i % 2 === 1) push(part.trim(), true);
    else for (const word of part.split(/\s+/).filter(Boolean)) push(word, false);
  });
  return terms.length ? terms : null;
}

/** Token positions in `words` where `term` matches (every position of a phrase). */
function matchPositions(words: string[], term: Term): number[] {
  const out: number[] = [];
  const n = term.words.length;
  for (let i = 0; i + n <= words.length; i++) {
    const ok = term.words.every((w, k) => {
      const last = k === n - 1;
      return term.prefix && last ? words[i + k].startsWith(w) : words[i + k] === w;
    });
    if (ok) for (let k = 0; k < n; k++) out.push(i + k);
  }
  return out;
}

/** The text as parts around the first match, matched words marked, "…" where it was cut. */
function snippet(text: string, hits: Set<number>): SnippetPart[] {
  const segments = text.split(/([\p{L}\p{N}]+)/u);
  // split with a capture group alternates separator, word, separator, …
  const first = Math.min(...hits);
  const from = Math.max(0, first - SNIPPET_BEFORE);
  const to = from + SNIPPET_TOKENS;
  const parts: SnippetPart[] = [];
  const add = (t: string, hit: boolean) => {
    const last = parts[parts.length - 1];
    if (last && !last.hit && !hit) last.text += t;
    else if (t !== "") parts.push({ text: t, hit });
  };
  if (from > 0) add("…", false);
  const total = (segments.length - 1) / 2;
  const inside = (w: number) => w >= from && w < to;
  let word = -1;
  segments.forEach((seg, i) => {
    if (i % 2 === 1) {
      word += 1;
      if (inside(word)) add(seg, hits.has(word));
      return;
    }
    // Text between two words is kept when both are; text before the first
    // or after the last word goes with that word.
    const before = word === -1 ? from === 0 : inside(word);
    const after = word + 1 === total ? true : inside(word + 1);
    if (before && after) add(seg, false);
  });
  if (total > to) add("…", false);
  return parts;
}

type TextMatch = { titleHit: boolean; snippet: SnippetPart[] };

/** Every term matches in the title or the body (a phrase within one of them). */
function matchRecord(r: LiveRecord, terms: Term[]): TextMatch | null {
  const [title, body] = indexed(r);
  const columns = [title, body].map((text) => ({ text, words: tokens(text), hits: new Set<number>() }));
  for (const term of terms) {
    let found = false;
    for (const c of columns) {
      const at = matchPositions(c.words, term);
      at.forEach((p) => c.hits.add(p));
      found ||= at.length > 0;
    }
    if (!found) return null;
  }
  const best = columns[1].hits.size > 0 ? columns[1] : columns[0];
  return { titleHit: columns[0].hits.size > 0, snippet: snippet(best.text, best.hits) };
}

/** First and last day a canonical date could be ("2008" → 2008-01-01…2008-12-31); null when unknown. */
function dayRange(canonical: string): [string, string] | null {
  const c = canonical.replace(/^~/, "");
  const pad = (n: number) => String(n).padStart(2, "0");
  let m = /^(\d{4})$/.exec(c);
  if (m) return [`${m[1]}-01-01`, `${m[1]}-12-31`];
  m = /^(\d{4})-(\d{2})$/.exec(c);
  if (m) {
    const last = new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate();
    return [`${m[1]}-${m[2]}-01`, `${m[1]}-${m[2]}-${pad(last)}`];
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(c);
  if (m) return [c, c];
  return null;
}

function parseBound(field: string, text: string | null | undefined, last: boolean): string | null {
  if (text == null || text.trim() === "") return null;
  const d = checkDate(text);
  if (d.error || d.canonical === null) throw invalid(field, d.error ?? "not a date");
  const range = dayRange(d.canonical);
  return range ? range[last ? 1 : 0] : null;
}

/** Earliest possible day first, unknown last (FuzzyDate's order). */
function dateOrder(a: unknown, b: unknown): number {
  const ka = dayRange(str(a))?.[0] ?? "9999";
  const kb = dayRange(str(b))?.[0] ?? "9999";
  return ka < kb ? -1 : ka > kb ? 1 : str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0;
}

function isEmpty(f: Filters): boolean {
  return (
    (f.act_types ?? []).length === 0 &&
    (f.countries ?? []).length === 0 &&
    f.from == null &&
    f.to == null &&
    f.perpetrator == null &&
    f.case_status == null &&
    f.consent == null
  );
}

type CaseData = { title: string; status: CaseStatus; origin_country?: string | null; host_countries: string[] };

/** The filters, compiled once per query (Compiled in search.rs). */
function compile(f: Filters) {
  const from = parseBound("from", f.from, false);
  const to = parseBound("to", f.to, true);
  const actTypes = f.act_types ?? [];
  const countries = f.countries ?? [];
  const incidentLevel = actTypes.length > 0 || countries.length > 0 || f.from != null || f.to != null || f.perpetrator != null;

  function incident(i: Incident): boolean {
    const where = [i.origin_state, i.host_state, ...(i.third_states ?? []), i.place?.country].filter((c): c is string => !!c);
    let dates = true;
    if (from !== null || to !== null) {
      const range = dayRange(i.start);
      dates = range !== null && (from === null || range[1] >= from) && (to === null || range[0] <= to);
    }
    return (
      (actTypes.length === 0 || actTypes.includes(i.act_type)) &&
      (countries.length === 0 || where.some((c) => countries.includes(c))) &&
      dates &&
      (f.perpetrator == null || i.perpetrators.some((p) => p.person === f.perpetrator || p.organisation === f.perpetrator))
    );
  }

  function caseMatches(c: CaseData, incidents: Incident[], hit: Incident | null): boolean {
    if (f.case_status != null && c.status !== f.case_status) return false;
    if (!incidentLevel) return true;
    if (hit) return incident(hit);
    // A country filter also matches the case's own countries.
    const caseCountry = countries.length > 0 && [c.origin_country, ...(c.host_countries ?? [])].some((x) => !!x && countries.includes(x));
    const onlyCountries = actTypes.length === 0 && f.from == null && f.to == null && f.perpetrator == null;
    return (onlyCountries && caseCountry) || incidents.some(incident);
  }

  function consent(t: Testimony | null): boolean {
    if (f.consent == null) return true;
    if (!t) return false;
    const c = t.consent;
    const allowed: Record<string, boolean> = { lawyers: c.share_lawyers, courts: c.share_courts, un: c.share_un, media: c.share_media, publish: c.publish };
    return allowed[f.consent] ?? false;
  }

  return { incident, caseMatches, consent, incidentLevel };
}

function caseFacts(src: SearchSource) {
  const cases = new Map(src.live("case").map((r) => [r.id, r.data as unknown as CaseData]));
  const incidents = src.live("incident").map((r) => r.data as unknown as Incident);
  return {
    get(id: string | null): { c: CaseData; incidents: Incident[] } | null {
      const c = id ? cases.get(id) : undefined;
      return c ? { c, incidents: incidents.filter((i) => i.case === id) } : null;
    },
  };
}

/** Full-text search with filters; an empty query with filters lists matching incidents, earliest first. */
export function search(src: SearchSource, req: SearchRequest): SearchResults {
  const filters = req.filters;
  if (filters.consent != null && !CONSENT_SCOPES.includes(filters.consent)) {
    throw invalid("consent", "choose lawyers, courts, un, media or publish");
  }
  const f = compile(filters);
  const terms = parseQuery(req.text);
  const limit = Math.min(Math.max(Math.trunc(req.limit) || 1, 1), MAX_RESULTS);
  const facts = caseFacts(src);
  const hits: SearchHit[] = [];
  if (terms === null) {
    if (isEmpty(filters) || filters.consent != null) return { hits, truncated: false };
    const incidents = src.live("incident").map((r) => r.data as unknown as Incident);
    incidents.sort((a, b) => dateOrder(a.start, b.start));
    for (const i of incidents) {
      const fact = facts.get(i.case);
      if (!fact || !f.caseMatches(fact.c, fact.incidents, i)) continue;
      if (hits.length === limit) return { hits, truncated: true };
      hits.push({
        record_id: i.id,
        kind: "incident",
        case_id: i.case,
        case_title: fact.c.title,
        title: i.title,
        snippet: [{ text: `${i.start} · ${i.act_type}`, hit: false }],
        person_name: null,
        date: dateView(i.start),
        exact: true,
      });
    }
    return { hits, truncated: false };
  }
  // FTS5 ranks by relevance; the mock puts title matches first, then the newest.
  const matched = src
    .live()
    .reverse()
    .map((r) => ({ r, m: matchRecord(r, terms) }))
    .filter((x): x is { r: LiveRecord; m: TextMatch } => x.m !== null)
    .sort((a, b) => Number(b.m.titleHit) - Number(a.m.titleHit));
  const needsCase = filters.case_status != null || f.incidentLevel;
  for (const { r, m } of matched) {
    const caseId = r.kind === "case" ? r.id : (src.casesOf(r.id)[0] ?? null);
    const fact = facts.get(caseId);
    if (needsCase && (!fact || !f.caseMatches(fact.c, fact.incidents, r.kind === "incident" ? (r.data as unknown as Incident) : null))) continue;
    if (filters.consent != null && !f.consent(r.kind === "testimony" ? (r.data as unknown as Testimony) : null)) continue;
    if (hits.length === limit) return { hits, truncated: true };
    hits.push({
      record_id: r.id,
      kind: r.kind,
      case_id: caseId,
      case_title: fact?.c.title ?? null,
      title: indexed(r)[0],
      snippet: m.snippet,
      ...hitContext(src, r),
      // The mock has no key index: everything it finds is an exact match.
      exact: true,
    });
  }
  return { hits, truncated: false };
}

/** hit_context in search.rs: whose testimony and when, or when an incident happened. */
function hitContext(src: SearchSource, r: LiveRecord): Pick<SearchHit, "person_name" | "date"> {
  if (r.kind === "incident") return { person_name: null, date: dateView(str(r.data.start)) };
  if (r.kind !== "testimony") return { person_name: null, date: null };
  const person = src.live("person").find((p) => p.id === r.data.person);
  const names = (person?.data.names ?? []) as { name: string; kind: string }[];
  const when = str(r.data.interview_date);
  return { person_name: names.find((n) => n.kind === "primary")?.name ?? null, date: when ? dateView(when) : null };
}

function sortedCounts(map: Map<string, number>): Count[] {
  return [...map]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Counts and a timeline over the incidents matching the filters (analyse in search.rs). */
export function analyse(src: SearchSource, filters: Filters): Analysis {
  const f = compile(filters);
  const facts = caseFacts(src);
  const orgs = new Map(src.live("organisation").map((r) => [r.id, str(r.data.name)]));
  const incidents = src.live("incident").map((r) => r.data as unknown as Incident);
  incidents.sort((a, b) => dateOrder(a.start, b.start));
  const byAct = new Map<string, number>();
  const byRoute = new Map<string, number>();
  const byPerp = new Map<string, number>();
  const byYear = new Map<number, number>();
  const cases = new Set<string>();
  const timeline: TimelineItem[] = [];
  for (const i of incidents) {
    const fact = facts.get(i.case);
    if (!fact || !f.caseMatches(fact.c, fact.incidents, i)) continue;
    bump(byAct, i.act_type);
    const origin = i.origin_state ?? fact.c.origin_country ?? null;
    const host = i.host_state ?? i.place?.country ?? fact.c.host_countries?.[0] ?? null;
    if (origin && host) bump(byRoute, `${origin}→${host}`);
    for (const p of i.perpetrators) {
      const label = p.organisation ? (orgs.get(p.organisation) ?? p.organisation) : p.person;
      if (label) bump(byPerp, label);
    }
    const first = dayRange(i.start)?.[0];
    const year = first ? Number(first.slice(0, 4)) : null;
    if (year !== null) byYear.set(year, (byYear.get(year) ?? 0) + 1);
    cases.add(i.case);
    timeline.push({ incident_id: i.id, case_id: i.case, case_title: fact.c.title, title: i.title, act_type: i.act_type, start: i.start, date: dateView(i.start), year });
  }
  return {
    incidents: timeline.length,
    cases: cases.size,
    by_act_type: sortedCounts(byAct),
    by_route: sortedCounts(byRoute),
    by_perpetrator: sortedCounts(byPerp),
    by_year: [...byYear].sort(([a], [b]) => a - b).map(([y, count]) => ({ label: String(y), count })),
    timeline,
  };
}
