// The record store of the mock backend: an in-memory stand-in for the core's
// versioned store (vault/store.rs), its case index (vault/case_index.rs), the
// interchange validation (model/interchange.rs), editing (model/edit.rs),
// the read views (model/browse.rs) and drafts (vault/drafts.rs). It follows
// their rules and English messages closely, because the UI shows those
// messages and branches on the codes; the mock is only useful while it
// refuses what the core refuses.
import type {
  AddReport,
  AnyRecord,
  CaseDetail,
  CaseSummary,
  Document,
  Draft,
  ErrorCode,
  IpcError,
  Organisation,
  Person,
  PersonHit,
  RecordMeta,
  RecordVersion,
  Source,
  TrashedRecord,
} from "./bindings";
import type { NewEntry } from "./mockCustody";
import { checkDate, dateViewsOf } from "./mockRecorded";
import { sha256Hex } from "./mockCustody";
import { LIMITS, VOCABULARIES } from "./reference";

export type Kind = AnyRecord["kind"];
type Data = Record<string, unknown>;

type Row = {
  id: string;
  kind: Kind;
  data: Data;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  trashed: { at: string; by: string; reason: string } | null;
  versions: RecordVersion[];
};

type Known = { kinds: Map<string, string>; trashed: Set<string> };

/** The document arrays, in the order the core writes them. */
const SECTIONS = [
  ["cases", "case"],
  ["persons", "person"],
  ["organisations", "organisation"],
  ["incidents", "incident"],
  ["proceedings", "proceeding"],
  ["sources", "source"],
  ["testimonies", "testimony"],
  ["interventions", "intervention"],
] as const;

// The core serialises an absent Option as null and fills absent Vecs with [];
// mirror that so the UI meets the same shapes as from the real backend.
const OPTIONAL: Record<Kind, string[]> = {
  case: ["caseworker", "risk", "origin_country", "notes"],
  person: ["birth_date", "occupation", "affiliation", "target_category", "host_status", "pseudonym"],
  organisation: ["country"],
  incident: ["end", "timezone", "origin_state", "host_state"],
  proceeding: ["requesting_state", "requested_state", "authority", "reference", "outcome"],
  source: ["accessed", "reliability", "credibility"],
  testimony: ["interview_date", "interview_place", "mode", "interviewer", "interpreter"],
  intervention: ["actor", "date", "response"],
};
const LISTS: Record<Kind, string[]> = {
  case: ["tags", "host_countries"],
  person: ["citizenships", "relationships", "case_roles"],
  organisation: [],
  incident: ["third_states", "victims", "perpetrators", "witnesses", "sources", "related"],
  proceeding: ["charges", "dates", "legal_grounds", "incidents", "persons"],
  source: [],
  testimony: [],
  intervention: [],
};

const MAX_SHORT_TEXT = LIMITS.short_text_chars;
const MAX_LONG_TEXT = 4 * 1024 * 1024;
const MAX_DRAFT_BYTES = 8 * 1024 * 1024;
const PICKER_LIMIT = 12;

export function ipcError(code: ErrorCode, message: string): IpcError {
  return { code, message, params: {}, problems: [] };
}

function invalid(field: string, problem: string): IpcError {
  return ipcError("invalid_input", `${field}: ${problem}`);
}

/** What reaches the core: requests cross IPC as JSON (undefined fields vanish, proxies become plain data). */
function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function withNulls(obj: Data, keys: string[]): Data {
  const out: Data = { ...obj };
  for (const k of keys) if (out[k] === undefined) out[k] = null;
  return out;
}

function normalise(kind: Kind, record: Data): Data {
  const out = withNulls(record, OPTIONAL[kind]);
  for (const k of LISTS[kind]) if (out[k] === undefined) out[k] = [];
  if (kind === "incident") {
    out.place = withNulls((out.place as Data) ?? {}, ["text", "city", "country"]);
    out.perpetrators = (out.perpetrators as Data[]).map((p) => withNulls(p, ["person", "organisation"]));
  }
  if (kind === "testimony") out.consent = withNulls(out.consent as Data, ["anonymity", "withdrawn"]);
  return structuredClone(out);
}

/** JSON with sorted keys: equal data gives equal text whatever the key order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Data)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Every string value in `data` except those under an "id" key (the json_tree walk of store.rs). */
function referencedIds(data: unknown, key: string | number | null = null, out: Set<string> = new Set()): Set<string> {
  if (typeof data === "string") {
    if (key !== "id") out.add(data);
  } else if (Array.isArray(data)) {
    data.forEach((v, i) => referencedIds(v, i, out));
  } else if (data && typeof data === "object") {
    for (const [k, v] of Object.entries(data)) referencedIds(v, k, out);
  }
  return out;
}

/** The cases a record belongs to: its "case" field and each case role (record_cases in migration 3). */
function caseLinks(data: Data): Set<string> {
  const out = new Set<string>();
  if (typeof data.case === "string") out.add(data.case);
  if (Array.isArray(data.case_roles)) for (const r of data.case_roles as Data[]) if (typeof r.case === "string") out.add(r.case);
  return out;
}

function vocabCodes(name: string): Set<string> {
  return new Set(VOCABULARIES.find((v) => v.name === name)?.terms.map((t) => t.code) ?? []);
}

function isBlank(s: unknown): boolean {
  return typeof s !== "string" || s.trim() === "";
}

/** Problems with a document, worded like model::interchange::validate. */
export function validate(doc: Document, existing: Known): string[] {
  const problems: string[] = [];
  const add = (record: string, id: string, field: string, problem: string) =>
    problems.push(`${record} "${id}", ${field}: ${problem}`);
  const kinds = new Map(existing.kinds);
  const seen = new Set<string>();
  for (const [section, kind] of SECTIONS) {
    for (const r of (doc[section] ?? []) as { id: string }[]) {
      const id = r.id;
      if (!/^[a-z0-9-]{1,64}$/.test(id)) add(kind, id, "id", "ids are 1-64 characters of a-z, 0-9 and -");
      if (seen.has(id)) add(kind, id, "id", "is used by more than one record in this file");
      seen.add(id);
      if (existing.kinds.has(id)) add(kind, id, "id", "already exists in this vault (was this file imported before?)");
      kinds.set(id, kind);
    }
  }
  const mustBe = (record: string, id: string, field: string, target: string, want: string) => {
    const k = kinds.get(target);
    if (k !== undefined && existing.trashed.has(target)) add(record, id, field, `${want} "${target}" is in the trash; restore it first`);
    else if (k === want) return;
    else if (k !== undefined) add(record, id, field, `"${target}" is of kind ${k}, not ${want}`);
    else add(record, id, field, `refers to ${want} "${target}", which is neither in the file nor in the vault`);
  };
  const vocab = (record: string, id: string, field: string, name: string, code: string) => {
    if (!vocabCodes(name).has(code)) add(record, id, field, `"${code}" is not a known ${name}.`);
  };
  const short = (record: string, id: string, field: string, text: string, required: boolean) => {
    if (required && text.trim() === "") add(record, id, field, "is empty; it is required");
    if ([...text].length > MAX_SHORT_TEXT) add(record, id, field, `is longer than ${MAX_SHORT_TEXT} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) add(record, id, field, "contains control characters");
  };
  const long = (record: string, id: string, field: string, text: string) => {
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > MAX_LONG_TEXT) add(record, id, field, `is ${bytes >> 20} MB; the limit is ${MAX_LONG_TEXT >> 20} MB`);
  };
  const country = (record: string, id: string, field: string, code: string) => {
    if (!/^[A-Z]{2}$/.test(code)) add(record, id, field, `"${code}" is not an ISO 3166 country code (two capital letters, e.g. KZ)`);
  };
  // The core parses dates while reading the request; the mock checks them here.
  const date = (record: string, id: string, field: string, text: string | null | undefined) => {
    if (text === undefined || text === null) return;
    const d = checkDate(text);
    if (d.error) add(record, id, field, d.error);
  };

  for (const c of doc.cases ?? []) {
    short("case", c.id, "title", c.title, true);
    if (!["open", "monitoring", "closed"].includes(c.status)) add("case", c.id, "status", `unknown variant \`${c.status}\``);
    if (c.risk != null && !["low", "medium", "high", "critical"].includes(c.risk)) add("case", c.id, "risk", `unknown variant \`${c.risk}\``);
    if (c.origin_country != null) country("case", c.id, "origin_country", c.origin_country);
    for (const h of c.host_countries ?? []) country("case", c.id, "host_countries", h);
    if (c.notes != null) long("case", c.id, "notes", c.notes);
  }
  for (const p of doc.persons ?? []) {
    const primaries = p.names.filter((n) => n.kind === "primary").length;
    if (primaries !== 1) add("person", p.id, "names", `needs exactly one primary name, found ${primaries}`);
    for (const n of p.names) short("person", p.id, "names", n.name, true);
    if (p.protected && isBlank(p.pseudonym)) add("person", p.id, "pseudonym", "a protected person needs a pseudonym");
    for (const c of p.citizenships ?? []) country("person", p.id, "citizenships", c);
    for (const r of p.relationships ?? []) mustBe("person", p.id, "relationships", r.person, "person");
    for (const r of p.case_roles ?? []) {
      mustBe("person", p.id, "case_roles", r.case, "case");
      vocab("person", p.id, "case_roles", "role", r.role);
    }
    date("person", p.id, "birth_date", p.birth_date);
  }
  for (const o of doc.organisations ?? []) {
    short("organisation", o.id, "name", o.name, true);
    vocab("organisation", o.id, "kind", "organisation kind", o.kind);
    if (o.country != null) country("organisation", o.id, "country", o.country);
  }
  for (const i of doc.incidents ?? []) {
    mustBe("incident", i.id, "case", i.case, "case");
    short("incident", i.id, "title", i.title, true);
    vocab("incident", i.id, "act_type", "act type", i.act_type);
    long("incident", i.id, "description", i.description);
    date("incident", i.id, "start", i.start);
    date("incident", i.id, "end", i.end);
    for (const [f, c] of [
      ["origin_state", i.origin_state],
      ["host_state", i.host_state],
      ...(i.third_states ?? []).map((x) => ["third_states", x]),
      ["place.country", i.place?.country],
    ] as [string, string | null | undefined][]) {
      if (c != null) country("incident", i.id, f, c);
    }
    for (const v of [...(i.victims ?? []), ...(i.witnesses ?? [])]) mustBe("incident", i.id, "victims/witnesses", v, "person");
    for (const s of i.sources ?? []) mustBe("incident", i.id, "sources", s, "source");
    for (const r of i.related ?? []) mustBe("incident", i.id, "related", r, "incident");
    for (const perp of i.perpetrators ?? []) {
      if (perp.person != null && perp.organisation == null) mustBe("incident", i.id, "perpetrators", perp.person, "person");
      else if (perp.person == null && perp.organisation != null) mustBe("incident", i.id, "perpetrators", perp.organisation, "organisation");
      else add("incident", i.id, "perpetrators", "each perpetrator is either a person or an organisation");
      vocab("incident", i.id, "perpetrators.involvement", "involvement", perp.involvement);
      vocab("incident", i.id, "perpetrators.attribution", "attribution confidence", perp.attribution);
    }
  }
  for (const pr of doc.proceedings ?? []) {
    mustBe("proceeding", pr.id, "case", pr.case, "case");
    vocab("proceeding", pr.id, "kind", "proceeding kind", pr.kind);
    for (const g of pr.legal_grounds ?? []) vocab("proceeding", pr.id, "legal_grounds", "legal ground", g);
    for (const c of [pr.requesting_state, pr.requested_state]) if (c != null) country("proceeding", pr.id, "requesting/requested_state", c);
    for (const x of pr.incidents ?? []) mustBe("proceeding", pr.id, "incidents", x, "incident");
    for (const x of pr.persons ?? []) mustBe("proceeding", pr.id, "persons", x, "person");
    for (const d of pr.dates ?? []) date("proceeding", pr.id, "dates", d.date);
  }
  for (const s of doc.sources ?? []) {
    vocab("source", s.id, "source_type", "source type", s.source_type);
    short("source", s.id, "citation", s.citation, true);
    if (s.reliability != null && !/^[A-F]$/.test(s.reliability)) {
      add("source", s.id, "reliability", "must be a letter from A (reliable) to F (cannot be judged)");
    }
    if (s.credibility != null && !(Number.isInteger(s.credibility) && s.credibility >= 1 && s.credibility <= 6)) {
      add("source", s.id, "credibility", "must be a number from 1 (confirmed) to 6 (cannot be judged)");
    }
    date("source", s.id, "accessed", s.accessed);
  }
  for (const t of doc.testimonies ?? []) {
    mustBe("testimony", t.id, "case", t.case, "case");
    mustBe("testimony", t.id, "person", t.person, "person");
    long("testimony", t.id, "statement", t.statement);
    short("testimony", t.id, "language", t.language, true);
  }
  for (const iv of doc.interventions ?? []) {
    mustBe("intervention", iv.id, "case", iv.case, "case");
    vocab("intervention", iv.id, "actor_kind", "intervention actor", iv.actor_kind);
    vocab("intervention", iv.id, "status", "intervention status", iv.status);
    long("intervention", iv.id, "request", iv.request);
    if (iv.request.trim() === "") add("intervention", iv.id, "request", "say what was asked");
    if (iv.actor != null) short("intervention", iv.id, "actor", iv.actor, false);
    if (iv.response != null) long("intervention", iv.id, "response", iv.response);
    date("intervention", iv.id, "date", iv.date);
  }
  return problems;
}

/** Earliest possible moment of a canonical date, for sorting ("unknown" last). */
function dateKey(start: unknown): string {
  return typeof start !== "string" || start === "unknown" ? "9999" : start.replace(/^~/, "");
}

/** What a record's custody entries carry (custody::record_digest over its stored JSON). */
export function recordDigest(data: unknown): string {
  return sha256Hex(stable(data));
}

export type RecordStoreOptions = {
  actor: string;
  clock: () => Date;
  /** Every write, as the core appends it to the custody log in the same transaction. */
  log?: (entry: NewEntry & { at: string }) => void;
};

export function createRecordStore(opts: RecordStoreOptions) {
  const rows = new Map<string, Row>();
  const drafts = new Map<string, Draft>();
  let lastMs = 0;

  /** One timestamp per write; strictly increasing, so batches stay apart as in the core. */
  function stamp(): string {
    const ms = Math.max(opts.clock().getTime(), lastMs + 1);
    lastMs = ms;
    return new Date(ms).toISOString();
  }

  function known(): Known {
    const k: Known = { kinds: new Map(), trashed: new Set() };
    for (const r of rows.values()) {
      k.kinds.set(r.id, r.kind);
      if (r.trashed) k.trashed.add(r.id);
    }
    return k;
  }

  /** Writes so far: the vault is still its seed while this stays as it was after seeding. */
  let writes = 0;

  function live(kind?: Kind): Row[] {
    return [...rows.values()].filter((r) => !r.trashed && (kind === undefined || r.kind === kind));
  }

  function appendVersion(row: Row, data: Data | null, at: string, note: string, trash?: { reason: string } | "restore") {
    writes += 1;
    row.version += 1;
    if (data) row.data = data;
    row.updated_at = at;
    row.updated_by = opts.actor;
    if (trash === "restore") row.trashed = null;
    else if (trash) row.trashed = { at, by: opts.actor, reason: trash.reason };
    row.versions.push({ version: row.version, data: structuredClone(row.data), changed_at: at, changed_by: opts.actor, note });
    // As store.rs logs it: a trash entry carries the reason, the others the version's note.
    const action = trash === "restore" ? "restore" : trash ? "trash" : "amend";
    const detail = trash && trash !== "restore" ? trash.reason : note;
    opts.log?.({ at, action, target: row.id, target_kind: row.kind, digest: recordDigest(row.data), detail });
  }

  function importDocument(sent: Document): AddReport {
    const doc = wire(sent);
    const problems = [];
    if (doc.format !== "casevault-interchange") problems.push(`this is not a Casevault interchange file ("format" must be "casevault-interchange")`);
    else problems.push(...validate(doc, known()));
    if (problems.length) {
      throw ipcError(
        "import_rejected",
        `The file was not imported; nothing was written. ${problems.length} problem(s):\n${problems.join("\n")}`,
      );
    }
    const at = stamp();
    writes += 1;
    const counts: AddReport["counts"] = [];
    for (const [section, kind] of SECTIONS) {
      const list = (doc[section] ?? []) as unknown as Data[];
      for (const record of list) {
        const data = normalise(kind, record);
        rows.set(data.id as string, {
          id: data.id as string,
          kind,
          data,
          version: 1,
          created_at: at,
          created_by: opts.actor,
          updated_at: at,
          updated_by: opts.actor,
          trashed: null,
          versions: [{ version: 1, data: structuredClone(data), changed_at: at, changed_by: opts.actor, note: "imported" }],
        });
        // Forms send interchange documents too (one way in), so every new record is an "import".
        opts.log?.({ at, action: "import", target: data.id as string, target_kind: kind, digest: recordDigest(data), detail: null });
      }
      if (list.length) counts.push({ kind, count: list.length });
    }
    return { counts };
  }

  function amend(sent: AnyRecord, reason: string): number {
    const record = wire(sent);
    const id = record.record.id;
    const row = rows.get(id);
    if (!row) throw invalid("record", `there is no record "${id}"`);
    if (row.kind !== record.kind) throw invalid("record", `"${id}" is a ${row.kind}, not a ${record.kind}; its kind cannot change`);
    const k = known();
    k.kinds.delete(id);
    k.trashed.delete(id);
    const section = SECTIONS.find(([, kind]) => kind === record.kind)![0];
    const problems = validate({ format: "casevault-interchange", version: 1, [section]: [record.record] } as unknown as Document, k);
    if (problems.length) throw ipcError("invalid_input", `Not saved; nothing was changed. ${problems.join("; ")}`);
    if (reason.trim() === "") throw invalid("reason", "say why the record is amended; it is kept in the history");
    if (row.trashed) throw invalid("record", "it is in the trash; restore it before amending");
    const data = normalise(record.kind, record.record as unknown as Data);
    if (stable(data) === stable(row.data)) throw invalid("record", "nothing was changed, so no new version was written");
    appendVersion(row, data, stamp(), reason);
    return row.version;
  }

  function liveReferrers(id: string): Row[] {
    return live().filter((r) => r.id !== id && referencedIds(r.data).has(id));
  }

  function recordsOnlyInCase(caseId: string): string[] {
    return live()
      .filter((r) => {
        const links = caseLinks(r.data);
        return links.has(caseId) && links.size === 1;
      })
      .map((r) => r.id);
  }

  function trash(id: string, reason: string): void {
    const row = rows.get(id);
    if (!row) throw invalid("record", `there is no record "${id}"`);
    const ids = [id, ...(row.kind === "case" ? recordsOnlyInCase(id) : [])];
    if (reason.trim() === "") throw invalid("reason", "say why the record goes to the trash");
    const set = new Set(ids);
    for (const x of ids) {
      const blocking = liveReferrers(x)
        .filter((r) => !set.has(r.id))
        .map((r) => `${r.kind} "${r.id}"`);
      if (blocking.length) throw invalid("record", `"${x}" is still referred to by ${blocking.join(", ")}; trash or amend those first`);
    }
    for (const x of ids) if (rows.get(x)!.trashed) throw invalid("record", `"${x}" is already in the trash`);
    const at = stamp();
    for (const x of ids) appendVersion(rows.get(x)!, null, at, `trashed: ${reason}`, { reason });
  }

  function restore(id: string): number {
    const row = rows.get(id);
    if (!row?.trashed) throw invalid("record", `"${id}" is not in the trash`);
    const at = row.trashed.at;
    const set = [id, ...[...rows.values()].filter((r) => r.id !== id && r.trashed?.at === at && referencedIds(r.data).has(id)).map((r) => r.id)];
    for (const rid of set) {
      const missing = [...referencedIds(rows.get(rid)!.data)]
        .map((x) => rows.get(x))
        .filter((x): x is Row => !!x?.trashed && !set.includes(x.id))
        .map((x) => `${x.kind} "${x.id}"`);
      if (missing.length) throw invalid("record", `"${rid}" refers to ${missing.join(", ")}, still in the trash; restore that first`);
    }
    const now = stamp();
    for (const rid of set) appendVersion(rows.get(rid)!, null, now, "restored", "restore");
    return row.version;
  }

  function history(id: string): RecordVersion[] {
    return structuredClone(rows.get(id)?.versions ?? []);
  }

  function trashed(r: Row): TrashedRecord {
    return { id: r.id, kind: r.kind, data: structuredClone(r.data), trashed_at: r.trashed!.at, trashed_by: r.trashed!.by, reason: r.trashed!.reason };
  }

  function byTrashedDesc(a: Row, b: Row): number {
    return a.trashed!.at < b.trashed!.at ? 1 : a.trashed!.at > b.trashed!.at ? -1 : 0;
  }

  function trashList(): TrashedRecord[] {
    return [...rows.values()].filter((r) => r.trashed).sort(byTrashedDesc).map(trashed);
  }

  function meta(r: Row): RecordMeta {
    const { id, kind, version, created_at, created_by, updated_at, updated_by } = r;
    return { id, kind, version, created_at, created_by, updated_at, updated_by };
  }

  function caseSummaries(): CaseSummary[] {
    const linked = new Map<string, Row[]>();
    for (const r of live()) for (const c of caseLinks(r.data)) linked.set(c, [...(linked.get(c) ?? []), r]);
    return live("case").map((c) => {
      const d = c.data;
      const mine = linked.get(c.id) ?? [];
      const persons = mine.filter((r) => r.kind === "person");
      return {
        id: c.id,
        title: d.title as string,
        status: d.status as CaseSummary["status"],
        risk: (d.risk ?? null) as CaseSummary["risk"],
        caseworker: (d.caseworker ?? null) as string | null,
        origin_country: (d.origin_country ?? null) as string | null,
        host_countries: [...((d.host_countries as string[]) ?? [])],
        tags: [...((d.tags as string[]) ?? [])],
        updated_at: c.updated_at,
        incidents: mine.filter((r) => r.kind === "incident").length,
        persons: persons.length,
        names: persons.flatMap((p) => (p.data.names as { name: string }[]).map((n) => n.name)),
      };
    });
  }

  function caseDetail(id: string): CaseDetail {
    const row = rows.get(id);
    if (!row || row.kind !== "case") throw invalid("case", `there is no case "${id}"`);
    if (row.trashed) throw invalid("case", `case "${id}" is in the trash; restore it to open it`);
    const mine = [...rows.values()].filter((r) => caseLinks(r.data).has(id));
    const liveOf = (kind: Kind) => mine.filter((r) => !r.trashed && r.kind === kind);
    const incidents = liveOf("incident").sort((a, b) => dateKey(a.data.start).localeCompare(dateKey(b.data.start)));
    const cited = (field: "sources" | "perpetrators") =>
      [
        ...new Set(
          incidents.flatMap((i) =>
            field === "sources"
              ? (i.data.sources as string[])
              : (i.data.perpetrators as Data[]).map((p) => p.organisation).filter((x): x is string => typeof x === "string"),
          ),
        ),
      ]
        .sort()
        .map((x) => rows.get(x))
        .filter((x): x is Row => !!x && !x.trashed);
    const groups = {
      persons: liveOf("person"),
      incidents,
      proceedings: liveOf("proceeding"),
      testimonies: liveOf("testimony"),
      interventions: liveOf("intervention"),
      sources: cited("sources"),
      organisations: cited("perpetrators"),
    };
    const data = (list: Row[]) => list.map((r) => structuredClone(r.data)) as never[];
    return {
      case: structuredClone(row.data) as unknown as CaseDetail["case"],
      persons: data(groups.persons),
      incidents: data(groups.incidents),
      proceedings: data(groups.proceedings),
      testimonies: data(groups.testimonies),
      interventions: data(groups.interventions),
      sources: data(groups.sources),
      organisations: data(groups.organisations),
      meta: [row, ...Object.values(groups).flat()].map(meta),
      trash: mine.filter((r) => r.trashed).sort(byTrashedDesc).map(trashed),
      dates: dateViewsOf(Object.values(groups).flat().map((r) => r.data)),
    };
  }

  /** Primary name first, then the others (PersonHit.names). */
  function namesOf(data: Data): string[] {
    const all = (data.names as { name: string; kind: string }[]) ?? [];
    const primary = all.find((n) => n.kind === "primary")?.name;
    return [...(primary !== undefined ? [primary] : []), ...all.map((n) => n.name).filter((n) => n !== primary)];
  }

  /**
   * A stand-in for find_persons, for a vault a contract case does not
   * record (mockBackend replays the core's answers where one does): people
   * whose name holds the typed text, any case. No scripts, spellings or
   * near misses: those are the core's, and come from the cases.
   */
  function findPersons(query: string, limit = PICKER_LIMIT): PersonHit[] {
    const q = query.trim().toLowerCase();
    if (q === "") return [];
    return live("person")
      .map((r) => ({ r, matched: namesOf(r.data).find((n) => n.toLowerCase().includes(q)) }))
      .filter((x) => x.matched !== undefined)
      .slice(0, limit)
      .map(({ r, matched }) => ({
        id: r.id,
        names: namesOf(r.data),
        matched: matched!,
        how: "exact" as const,
        cases: ((r.data.case_roles as { case: string }[]) ?? []).map((c) => c.case),
      }));
  }

  /** The stand-in for possible_duplicates: another person with one of the same names. */
  function duplicates(sent: Person): PersonHit[] {
    const person = wire(sent);
    const names = new Set((person.names ?? []).map((n) => n.name.trim().toLowerCase()));
    return live("person")
      .filter((r) => r.id !== person.id && namesOf(r.data).some((n) => names.has(n.toLowerCase())))
      .map((r) => ({ id: r.id, names: namesOf(r.data), matched: namesOf(r.data)[0], how: "exact" as const, cases: ((r.data.case_roles as { case: string }[]) ?? []).map((c) => c.case) }));
  }

  /** Replaces every string `from` with `to`, except a top-level "id" (repoint in edit.rs). */
  function repoint(value: unknown, from: string, to: string, top: boolean): unknown {
    if (value === from) return to;
    if (Array.isArray(value)) return value.map((v) => repoint(v, from, to, false));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, top && k === "id" ? v : repoint(v, from, to, false)]));
    }
    return value;
  }

  /**
   * Merges person `other` into `keep` in one write, as edit::merge_persons:
   * `keep` gains the other's names (its primary becomes an alias), roles,
   * relationships, citizenships and what `keep` leaves empty; records that
   * referred to `other` refer to `keep`; `other` goes to the trash.
   */
  function merge(keep: string, other: string, reason: string): void {
    if (reason.trim() === "") throw invalid("reason", "say why these are the same person; it is kept in both histories");
    if (keep === other) throw invalid("person", "choose two different persons");
    const load = (id: string): Person => {
      const r = rows.get(id);
      if (!r || r.kind !== "person" || r.trashed) throw invalid("person", `there is no live person "${id}"`);
      return structuredClone(r.data) as unknown as Person;
    };
    const kept = load(keep);
    const gone = load(other);
    for (const n of gone.names) {
      const name = { ...n, kind: n.kind === "primary" ? ("alias" as const) : n.kind };
      if (!kept.names.some((k) => k.name === name.name)) kept.names.push(name);
    }
    const same = (a: unknown, b: unknown) => stable(a) === stable(b);
    for (const r of gone.case_roles) if (!kept.case_roles.some((k) => same(k, r))) kept.case_roles.push(r);
    for (const r of gone.relationships) if (r.person !== keep && !kept.relationships.some((k) => same(k, r))) kept.relationships.push(r);
    kept.relationships = kept.relationships.filter((r) => r.person !== other);
    for (const c of gone.citizenships) if (!kept.citizenships.includes(c)) kept.citizenships.push(c);
    for (const k of ["birth_date", "occupation", "affiliation", "target_category", "host_status", "pseudonym"] as const) {
      kept[k] = kept[k] ?? gone[k];
    }
    kept.protected = kept.protected || gone.protected;

    const k = known();
    k.kinds.delete(keep);
    k.trashed.delete(keep);
    const problems = validate({ format: "casevault-interchange", version: 1, persons: [kept] } as unknown as Document, k);
    if (problems.length) throw ipcError("invalid_input", `Not saved; nothing was changed. ${problems.join("; ")}`);

    const why = `merged person "${other}" into "${keep}": ${reason}`;
    const at = stamp();
    appendVersion(rows.get(keep)!, normalise("person", kept as unknown as Data), at, why);
    for (const r of liveReferrers(other)) {
      if (r.id === keep) continue;
      appendVersion(r, normalise(r.kind, repoint(r.data, other, keep, true) as Data), at, why);
    }
    const trashReason = `merged into "${keep}": ${reason}`;
    appendVersion(rows.get(other)!, null, at, `trashed: ${trashReason}`, { reason: trashReason });
  }

  function checkDraftKey(key: string): void {
    if (key.length === 0 || key.length > 200 || /[\s\p{Cc}]/u.test(key)) {
      throw invalid("draft", "a draft key is 1-200 characters without spaces or control characters");
    }
  }

  return {
    importDocument,
    /** A record's kind and whether it is in the trash; undefined when there is none. */
    lookup(id: string): { kind: Kind; trashed: boolean } | undefined {
      const r = rows.get(id);
      return r && { kind: r.kind, trashed: r.trashed !== null };
    },
    /** Every record (trash included) with the digest of its current data, for the audit. */
    digests: () => [...rows.values()].map((r) => ({ id: r.id, digest: recordDigest(r.data) })),
    amend,
    trash,
    restore,
    history,
    trashList,
    caseSummaries,
    caseDetail,
    findPersons,
    duplicates,
    writes: () => writes,
    empty: () => rows.size === 0,
    merge,
    /** Every live record as one interchange document (interchange::export). */
    exportDocument(): Document {
      const doc = { format: "casevault-interchange", version: 1 } as Record<string, unknown>;
      for (const [section, kind] of SECTIONS) doc[section] = live(kind).map((r) => structuredClone(r.data));
      return doc as unknown as Document;
    },
    organisations: () => live("organisation").map((r) => structuredClone(r.data)) as unknown as Organisation[],
    sources: () => live("source").map((r) => structuredClone(r.data)) as unknown as Source[],
    draftSave(key: string, data: unknown): void {
      checkDraftKey(key);
      const text = JSON.stringify(data) ?? "null";
      const bytes = new TextEncoder().encode(text).length;
      if (bytes > MAX_DRAFT_BYTES) {
        throw invalid("draft", `the draft is ${bytes >> 20} MB; drafts are kept up to ${MAX_DRAFT_BYTES >> 20} MB`);
      }
      drafts.set(key, { key, data: JSON.parse(text), saved_at: stamp() });
    },
    draftLoad(key: string): Draft | null {
      checkDraftKey(key);
      const d = drafts.get(key);
      return d ? structuredClone(d) : null;
    },
    draftDiscard(key: string): void {
      checkDraftKey(key);
      drafts.delete(key);
    },
    /** For test assertions: every draft key currently stored. */
    draftKeys: () => [...drafts.keys()],
  };
}

export type RecordStore = ReturnType<typeof createRecordStore>;
