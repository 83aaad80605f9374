// Outcomes the real core gave for the contract cases (tests/contract/*.json),
// written by the Rust runner (src-tauri/src/contract.rs) and replayed here
// for the commands that carry rules: a date as typed, a pasted key, a
// refused import. The mock keeps no copy of those rules; a request the cases
// do not hold gets the mock's plain in-memory answer.
import type { DateCheck, DateParts, DateView, IpcError } from "./bindings";
import outcomes from "../test/recorded/contract-outcomes.json";

type Outcome = { case?: string; command: string; request: unknown; result?: unknown; error?: IpcError };

/** JSON with object keys sorted, so equal requests give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * What identifies a request among the recorded ones: the request, except
 * that a person checked for duplicates before it is added has a new,
 * random id each time.
 */
function requestKey(command: string, request: unknown): string {
  if (command === "person_duplicates" && request !== null && typeof request === "object") {
    return canonical({ ...(request as object), id: undefined });
  }
  return canonical(request);
}

const byRequest = new Map<string, Outcome>();
for (const o of outcomes as Outcome[]) {
  const key = `${o.case ?? ""} ${o.command} ${requestKey(o.command, o.request)}`;
  if (!byRequest.has(key)) byRequest.set(key, o);
}

const cases = import.meta.glob<{ seed?: unknown }>("../../../tests/contract/*.json", { eager: true, import: "default" });
const caseBySeed = new Map<string, string>();
for (const [path, c] of Object.entries(cases)) {
  if (c.seed) caseBySeed.set(canonical(c.seed), path.slice(path.lastIndexOf("/") + 1));
}

/** The contract case whose seed this is (its file name), if one is. */
export function caseOfSeed(seed: unknown): string | null {
  return seed ? (caseBySeed.get(canonical(seed)) ?? null) : null;
}

/**
 * The core's recorded answer to a read that depends on the records (search,
 * analysis, persons_find, person_duplicates), on the seed of contract case
 * `caseName` before any write: the Rust runner records those reads only
 * while the vault is still its seed.
 */
export function recordedRead(caseName: string, command: string, request: unknown): { result?: unknown; error?: IpcError } | null {
  const o = byRequest.get(`${caseName} ${command} ${requestKey(command, request)}`);
  return o ? structuredClone({ result: o.result, error: o.error }) : null;
}

/** The core's recorded answer to this request, if a contract case holds it. */
export function recorded(command: string, request: unknown): { result?: unknown; error?: IpcError } | null {
  const o = byRequest.get(` ${command} ${canonical(request)}`);
  return o ? structuredClone({ result: o.result, error: o.error }) : null;
}

/**
 * The core's answer to this request, if a contract case holds it: a promise
 * of its result or of its rejection. For records_add the request is the
 * document as sent, without its empty lists.
 */
export function replay<T>(command: string, request: unknown): Promise<T> | null {
  const o = recorded(command, request);
  if (!o) return null;
  return o.error ? Promise.reject(o.error) : Promise.resolve(o.result as T);
}

/** A document as the cases write it: only the lists that hold records. */
export function sparseDocument(doc: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k, v]) => k !== "format" && k !== "version" && !(Array.isArray(v) && v.length === 0)));
}

/** A date already in the core's canonical form ("~2008-03", "2008-01..2008-03"). */
const CANONICAL = /^~?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?(\.\.\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?)?$/;

/**
 * date_check as the core answered it in the contract cases (tests/contract/
 * dates.json); a date already written canonically is taken as it is. The
 * mock parses nothing people type: a new wording goes into the cases.
 */
export function checkDate(text: string): DateCheck {
  const rec = recorded("date_check", { text });
  if (rec?.result) return rec.result as DateCheck;
  const t = text.trim();
  if (t === "unknown" || CANONICAL.test(t)) return { canonical: t, view: dateView(t), error: null };
  console.warn(`mock backend: no contract case records the date "${text}"; add it to tests/contract/dates.json`);
  return { canonical: null, view: null, error: `the mock knows this wording only from a contract case (tests/contract/dates.json)` };
}

/**
 * FuzzyDate::view for the mock: the canonical text (which the core writes
 * and this mock's checkDate produces) taken apart. Not a parser of what
 * people type.
 */
export function dateView(canonical: string): DateView {
  const approximate = canonical.startsWith("~");
  const body = approximate ? canonical.slice(1) : canonical;
  const parts = (p: string): DateParts | null => {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2}))?$/.exec(p);
    if (!m) return null;
    const n = (x: string | undefined) => (x === undefined ? null : Number(x));
    return { year: Number(m[1]), month: n(m[2]), day: n(m[3]), hour: n(m[4]), minute: n(m[5]) };
  };
  if (body === "unknown") return { from: null, to: null, approximate: false };
  const [a, b] = body.split("..");
  return { from: parts(a), to: b === undefined ? null : parts(b), approximate };
}

/** Every date of the case's records, as CaseDetail.dates carries them. */
export function dateViewsOf(records: unknown[]): Record<string, DateView> {
  const out: Record<string, DateView> = {};
  const add = (v: unknown) => {
    if (typeof v === "string" && v !== "") out[v] = dateView(v);
  };
  for (const r of records as Record<string, unknown>[]) {
    for (const f of ["start", "end", "birth_date", "interview_date", "date", "accessed"]) add(r[f]);
    const consent = r.consent as Record<string, unknown> | undefined;
    if (consent) [consent.given, consent.withdrawn].forEach(add);
    for (const d of (r.dates as { date?: unknown }[] | undefined) ?? []) add(d.date);
  }
  return out;
}
