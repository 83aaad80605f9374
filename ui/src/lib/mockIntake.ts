// The mock's self-reports and intake: a stand-in for model/self_report.rs,
// vault/self_reports.rs, bundle/seal.rs, bundle/intake.rs and
// src-tauri/src/commands/intake.rs. The activist's reports live in memory;
// a sealed report is a record on the same simulated disk as the bundles
// (mockBundles.ts), so an activist's mock vault and an organisation's can
// pass a report from one to the other. Refusals use the core's codes and
// English messages, because the UI shows them.
import type {
  Document,
  InboxItem,
  IntakeAcceptRequest,
  IntakeRejectRequest,
  IntakeReview,
  IntakeStatus,
  IpcError,
  KeyCheck,
  Person,
  PersonHit,
  ProgressEvent,
  ReportAttachRequest,
  ReportFile,
  ReportProblem,
  ReportSealRequest,
  ReportSummary,
  SealReport,
  SealedReport,
  SelfReport,
  StepChoices,
  StoredReport,
} from "./bindings";
import type { BundleDisk, BundleStore, MockBundleFile } from "./mockBundles";
import type { CustodyLog } from "./mockCustody";
import { checkDate } from "./mockRecorded";
import { bytesOf, NO_CAPTURE, sanitiseName, sniffMediaType, type EvidenceStore } from "./mockEvidence";
import { checkKey, issueKey, randomHex } from "./mockKeys";
import { ipcError } from "./mockRecords";
import { sha256Hex } from "./mockCustody";
import { LIMITS, REPORT_STEPS, SECTION_STEPS, VOCABULARIES } from "./reference";
import { documentOf } from "./records";
import { emptyReport, emptySection, fileNote } from "./selfReport";

const MAX_ANSWERS_BYTES = LIMITS.answers_bytes;
const MAX_SHORT_TEXT = LIMITS.short_text_chars;
const MAX_LONG_TEXT = LIMITS.long_text_bytes;
const MAX_REPORT_FILES = LIMITS.report_files;
const MAX_ATTACHMENT_BYTES = LIMITS.attachment_bytes;
const MAX_REASON = 2000;
const MAX_KEY_FILE = 16 * 1024;
const PROGRESS_STEPS = 4;

function invalid(field: string, problem: string): IpcError {
  return ipcError("invalid_input", `${field}: ${problem}`);
}

/** commands::intake::full_path. */
function fullPath(text: string, example: string): string {
  const path = text.trim();
  if (!path.startsWith("/")) throw invalid("path", `give the full path of the file, e.g. ${example}`);
  return path;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------
// The questionnaire (model/self_report.rs)

const ACT_TYPES = VOCABULARIES.find((v) => v.name === "act type")!.terms;

/** self_report::section_act_types, read from the generated screens. */
export function sectionActTypes(step: string): string[] {
  if (step === "what_happened") return ACT_TYPES.map((t) => t.code);
  return REPORT_STEPS.find((s) => s.step === step)?.choices.map((c) => c.act_type) ?? [];
}

const countryOk = (code: string) => /^[A-Z]{2}$/.test(code);
const chars = (s: string) => [...s].length;
const utf8 = (s: string) => new TextEncoder().encode(s).length;

/** SelfReport::problems: what must be fixed before sealing, step by step. */
export function reportProblems(r: SelfReport): ReportProblem[] {
  const out: ReportProblem[] = [];
  const add = (step: string, field: string, message: string) => out.push({ step, field, message });
  const a = r.about_me;
  for (const [field, value] of [
    ["name", a.name],
    ["contact", a.contact],
  ] as const) {
    if (chars(value) > MAX_SHORT_TEXT) add("about_me", field, `keep this under ${MAX_SHORT_TEXT} characters`);
  }
  for (const [field, value] of [
    ["citizenship", a.citizenship],
    ["living_in", a.living_in],
  ] as const) {
    if (value.trim() !== "" && !countryOk(value.trim())) add("about_me", field, `"${value}" is not a country code; choose a country from the list`);
  }
  if (r.what_happened.happened !== true) add("what_happened", "happened", "tell what happened: a report needs at least this one event");
  for (const step of SECTION_STEPS) {
    const s = r[step];
    if (s.happened !== true) continue;
    if (s.act_type === "") add(step, "act_type", "choose what it was from the list");
    else if (!sectionActTypes(step).includes(s.act_type)) add(step, "act_type", `"${s.act_type}" is not one of this step's choices`);
    if (s.when.trim() === "") add(step, "when", 'say when, even roughly: "March 2008", "about 2019" or "unknown"');
    else {
      const d = checkDate(s.when);
      if (d.error) add(step, "when", `date: ${d.error}`);
    }
    if (s.country.trim() !== "" && !countryOk(s.country.trim())) add(step, "country", `"${s.country}" is not a country code; choose a country from the list`);
    if (s.details.trim() === "") add(step, "details", "describe what happened in a few sentences");
    for (const [field, value] of [
      ["details", s.details],
      ["who", s.who],
      ["why", s.why],
    ] as const) {
      if (utf8(value) > MAX_LONG_TEXT) add(step, field, "this answer is too long; attach it as a document instead");
    }
    if (chars(s.place) > MAX_SHORT_TEXT) add(step, "place", `keep this under ${MAX_SHORT_TEXT} characters`);
  }
  if (!r.consent.record) add("consent", "record", "the organisation can only keep your report with your consent; tick the first box");
  return out;
}

const MAX_MVT_BYTES = 64 * 1024 * 1024;

/** model::mvt::summarise(…).line(): checks an MVT JSON report and sums it up in one line. */
export function mvtSummary(bytes: Uint8Array): string {
  const notMvt = (why: string) => invalid("file", `this is not an MVT JSON report (${why}); attach it as an ordinary file instead`);
  if (bytes.length > MAX_MVT_BYTES) throw notMvt("larger than 64 MiB");
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw notMvt(e instanceof Error ? e.message : String(e));
  }
  if (typeof value !== "object" || value === null) throw notMvt("it holds no records");
  const records = Array.isArray(value) ? value.length : 1;
  const found: string[] = [];
  let detections = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const m = (v as Record<string, unknown>).matched_indicator;
      if (m !== undefined && m !== null) {
        detections += 1;
        const o = typeof m === "object" ? (m as Record<string, unknown>) : {};
        const label = typeof o.value === "string" ? o.value : typeof o.name === "string" ? o.name : typeof m === "string" ? m : "indicator";
        if (found.length < 5 && !found.includes(label)) found.push([...label].slice(0, 200).join(""));
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  const line = `MVT report: ${records} record(s), ${detections} matched indicator(s) of compromise`;
  return found.length ? `${line} (${found.join(", ")})` : line;
}

/** self_report::short_fingerprint: `SHA256:abcd…` → `abcd1234`. */
export function shortFingerprint(fingerprint: string): string {
  return [...fingerprint.replace(/^SHA256:/, "")].filter((c) => /[A-Za-z0-9]/.test(c)).slice(0, 8).join("");
}

function opt(text: string): string | undefined {
  const v = text.trim();
  return v === "" ? undefined : v;
}

/** SelfReport::to_document: the case, the reporter, one incident per answered section, the statement. */
export function toDocument(r: SelfReport, reportId: string, reporterFingerprint: string): Document {
  const problems = reportProblems(r);
  if (problems.length) {
    throw ipcError("invalid_input", `Not saved; nothing was changed. ${problems.map((p) => `${p.step}.${p.field}: ${p.message}`).join("; ")}`);
  }
  const short = reportId.slice(0, 12);
  const caseId = `sr-${short}-case`;
  const personId = `sr-${short}-reporter`;
  const sourceId = `sr-${short}-source`;
  const a = r.about_me;
  const name = opt(a.name);
  const pseudonym = `Reporter ${shortFingerprint(reporterFingerprint)}`;
  const display = name ?? pseudonym;
  const doc = documentOf({});
  doc.cases.push({
    id: caseId,
    title: `Self-report: ${display}`,
    status: "open",
    tags: ["self-report"],
    ...(opt(a.citizenship) ? { origin_country: opt(a.citizenship) } : {}),
    host_countries: opt(a.living_in) ? [opt(a.living_in)!] : [],
    ...(opt(a.contact) ? { notes: `How to reach the reporter: ${opt(a.contact)}` } : {}),
  });
  const names: Person["names"] = [{ name: display, kind: "primary" }];
  for (const line of a.other_names.split("\n")) {
    const other = opt(line);
    if (other && !names.some((n) => n.name === other)) names.push({ name: other, kind: "alias" });
  }
  doc.persons.push({
    id: personId,
    names,
    citizenships: opt(a.citizenship) ? [opt(a.citizenship)!] : [],
    protected: name === undefined || r.consent.pseudonym_only,
    pseudonym,
    relationships: [],
    case_roles: [{ case: caseId, role: "victim" }],
  });
  doc.sources.push({
    id: sourceId,
    source_type: "testimony",
    citation: `Self-report by the person concerned, signed with reporter key ${reporterFingerprint}`,
  });
  let statement = "";
  const answered = SECTION_STEPS.map((step) => [step, r[step]] as const).filter(([, s]) => s.happened === true);
  answered.forEach(([, s], n) => {
    const label = ACT_TYPES.find((t) => t.code === s.act_type)?.en ?? s.act_type;
    let description = s.details.trim();
    if (opt(s.who)) description += `\n\nWho the reporter thinks was behind it: ${opt(s.who)}`;
    if (opt(s.why)) description += `\nWhy they think so: ${opt(s.why)}`;
    statement += `${label} (${s.when.trim()}):\n${description}\n\n`;
    const place = { ...(opt(s.place) ? { text: opt(s.place) } : {}), ...(opt(s.country) ? { country: opt(s.country) } : {}) };
    doc.incidents.push({
      id: `sr-${short}-${n + 1}`,
      case: caseId,
      title: label,
      act_type: s.act_type,
      start: checkDate(s.when).canonical ?? "unknown",
      place,
      ...(opt(a.citizenship) ? { origin_state: opt(a.citizenship) } : {}),
      ...(opt(a.living_in) ? { host_state: opt(a.living_in) } : {}),
      third_states: [],
      description,
      victims: [personId],
      perpetrators: [],
      witnesses: [],
      sources: [sourceId],
      related: [],
    });
  });
  doc.testimonies.push({
    id: `sr-${short}-statement`,
    case: caseId,
    person: personId,
    language: opt(r.language) ?? "und",
    mode: "self_report",
    statement: statement.trimEnd(),
    consent: {
      record: r.consent.record,
      share_lawyers: r.consent.share_lawyers,
      share_courts: r.consent.share_lawyers,
      share_un: r.consent.share_un,
      share_media: false,
      publish: false,
      anonymity: r.consent.pseudonym_only || name === undefined ? "pseudonym" : "full",
    },
  });
  return doc;
}

// ---------------------------------------------------------------------------
// Reading answers the way serde does (deny_unknown_fields, defaults for what is missing)

function argsError(command: string, problem: string): string {
  // Tauri rejects a request it cannot deserialize with a plain string, not an IpcError.
  return `invalid args \`req\` for command \`${command}\`: ${problem}`;
}

function readObject<T extends object>(command: string, value: unknown, defaults: T, path: string): T {
  if (value === undefined) return defaults;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw argsError(command, `${path}: expected a map`);
  const out = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    if (!(k in defaults)) throw argsError(command, `unknown field \`${k}\` in ${path}`);
    const d = (defaults as Record<string, unknown>)[k];
    if (typeof d === "string") {
      if (typeof v !== "string") throw argsError(command, `${path}.${k}: invalid type, expected a string`);
      out[k] = v;
    } else if (typeof d === "boolean") {
      if (typeof v !== "boolean") throw argsError(command, `${path}.${k}: invalid type, expected a boolean`);
      out[k] = v;
    } else if (typeof d === "number") {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw argsError(command, `${path}.${k}: invalid type, expected u32`);
      out[k] = v;
    } else if (d === null) {
      if (v !== null && typeof v !== "boolean") throw argsError(command, `${path}.${k}: invalid type, expected a boolean or null`);
      out[k] = v;
    } else {
      out[k] = readObject(command, v, d as object, `${path}.${k}`);
    }
  }
  return out as T;
}

/** The answers as the core would deserialize them from the request. */
export function readAnswers(command: string, value: unknown): SelfReport {
  const defaults = emptyReport();
  return JSON.parse(JSON.stringify(readObject(command, value, defaults, "answers")));
}

// ---------------------------------------------------------------------------
// The store

export type IntakeStoreOptions = {
  actor: string;
  stamp: () => string;
  custody: CustodyLog;
  records: {
    importDocument(doc: Document): unknown;
    lookup(id: string): { kind: string; trashed: boolean } | undefined;
    findPersons(query: string, limit?: number): PersonHit[];
    history(id: string): { data: unknown }[];
    amend(record: { kind: "person"; record: Person }, reason: string): number;
  };
  bundles: BundleStore;
  evidence: EvidenceStore;
  disk: BundleDisk;
  /** Whether something other than a bundle already exists at this path. */
  exists: (path: string) => boolean;
  progress: (e: ProgressEvent) => void;
  stepMs: number;
};

type Report = {
  id: string;
  created_at: string;
  updated_at: string;
  answers: SelfReport;
  files: { file: ReportFile; bytes: Uint8Array }[];
  seals: { bundle_id: string; recipient: string; sealed_at: string }[];
};

type Received = {
  /** Insertion order (the row id): breaks ties between reports received at the same instant. */
  seq: number;
  bundle_id: string;
  received_at: string;
  sealed_at: string;
  reporter_fingerprint: string;
  status: IntakeStatus;
  case_id: string | null;
  reason: string | null;
  decided_at: string | null;
  decided_by: string | null;
  data: Document;
  report: SealedReport;
  bytes: Record<string, Uint8Array>;
};

/** What a made-up sample report (a .cvb path nobody sealed) says: for `npm run dev` without an activist vault. */
function sampleAnswers(path: string): SelfReport {
  const r = emptyReport();
  const anonymous = path.includes("anon");
  r.step = 8;
  r.language = "ru";
  r.about_me = {
    name: anonymous ? "" : "Aigerim N.",
    other_names: anonymous ? "" : "Айгерим Н.",
    citizenship: "KZ",
    living_in: "DE",
    contact: anonymous ? "" : "Signal +49 000 000",
  };
  r.what_happened = {
    happened: true,
    act_type: "physical_surveillance",
    when: "March 2024",
    place: "outside my flat",
    country: "DE",
    details: "Two men photographed me for a week.",
    who: "KNB",
    why: "They spoke Kazakh and asked neighbours about me.",
  };
  r.relatives = { ...emptySection(), happened: true, act_type: "coercion_by_proxy", when: "approx. April 2024", details: "Police visited my mother in Almaty." };
  r.digital = { ...emptySection(), happened: false };
  r.consent = { record: true, share_lawyers: true, share_un: false, contact_me: !anonymous, pseudonym_only: anonymous };
  return r;
}

export function createIntakeStore(opts: IntakeStoreOptions) {
  const reports = new Map<string, Report>();
  const inbox = new Map<string, Received>();
  /** The key sample reports are signed with: one made-up reporter, so samples show as "same reporter". */
  const sampleReporter = issueKey("ssh-ed25519");

  function get(id: string): Report {
    const r = reports.get(id);
    if (!r) throw invalid("report", `there is no report "${id}"`);
    return r;
  }

  function summary(r: Report): ReportSummary {
    const sealed = r.seals.map((s) => s.sealed_at).sort();
    return {
      id: r.id,
      created_at: r.created_at,
      updated_at: r.updated_at,
      files: r.files.length,
      last_sealed_at: sealed.length ? sealed[sealed.length - 1] : null,
    };
  }

  function stored(r: Report): StoredReport {
    return { summary: summary(r), answers: structuredClone(r.answers), files: r.files.map((f) => structuredClone(f.file)) };
  }

  function list(): ReportSummary[] {
    return [...reports.values()]
      .sort((a, b) => (a.updated_at > b.updated_at ? -1 : a.updated_at < b.updated_at ? 1 : a.id < b.id ? -1 : 1))
      .map(summary);
  }

  function create(): StoredReport {
    const at = opts.stamp();
    const r: Report = { id: randomHex(16), created_at: at, updated_at: at, answers: emptyReport(), files: [], seals: [] };
    reports.set(r.id, r);
    return stored(r);
  }

  function save(id: string, sent: unknown): ReportSummary {
    const answers = readAnswers("report_save", sent);
    const bytes = utf8(JSON.stringify(answers));
    if (bytes > MAX_ANSWERS_BYTES) {
      throw invalid("report", `the report is ${bytes >> 20} MB; reports are kept up to ${MAX_ANSWERS_BYTES >> 20} MB. Attach long documents as files instead.`);
    }
    const r = get(id);
    r.answers = answers;
    r.updated_at = opts.stamp();
    return summary(r);
  }

  async function attach(req: ReportAttachRequest): Promise<ReportFile> {
    const path = fullPath(req.path, "/home/me/Pictures/screenshot.png");
    if (req.kind !== "file" && req.kind !== "mvt") throw invalid("kind", 'a report file is a "file" or an "mvt" report');
    const r = get(req.id);
    if (r.files.length >= MAX_REPORT_FILES) throw invalid("file", `a report carries at most ${MAX_REPORT_FILES} files; put more in a zip archive`);
    const source = opts.evidence.source(path);
    if (!source) throw invalid("file", `${path} does not exist (was it moved?); nothing was attached`);
    if (source.folder) throw invalid("file", `${path} is a folder; attach the files inside it`);
    const bytes = bytesOf(source.content);
    const size = source.size ?? bytes.length;
    if (size > MAX_ATTACHMENT_BYTES) throw invalid("file", `${path} is larger than 4 GiB; nothing was attached`);
    // An MVT report is checked and summed up before it is kept (model::mvt).
    const note = req.kind === "mvt" ? (size > MAX_MVT_BYTES ? mvtSummary(new Uint8Array(MAX_MVT_BYTES + 1)) : mvtSummary(bytes)) : null;
    for (let i = 1; i <= PROGRESS_STEPS; i++) {
      await sleep(opts.stepMs);
      opts.progress({ task: "report-attach", done: Math.round((size * i) / PROGRESS_STEPS), total: size });
    }
    const file: ReportFile = {
      id: randomHex(16),
      original_name: sanitiseName(path.split("/").pop() ?? ""),
      size,
      sha256: sha256Hex(bytes),
      media_type: sniffMediaType(bytes),
      capture: { ...NO_CAPTURE, ...source.capture },
      added_at: opts.stamp(),
      kind: req.kind,
      note,
    };
    r.files.push({ file, bytes });
    return structuredClone(file);
  }

  function removeFile(id: string, fileId: string): void {
    const r = reports.get(id);
    const i = r ? r.files.findIndex((f) => f.file.id === fileId) : -1;
    if (!r || i < 0) throw invalid("file", `the report has no file "${fileId}"`);
    r.files.splice(i, 1);
  }

  function seal(req: ReportSealRequest): SealReport {
    const out = fullPath(req.path, "/media/usb/report.cvb");
    const key = opts.bundles.contacts().find((c) => c.id === req.recipient)?.recipient ?? req.recipient;
    if (opts.disk.has(out) || opts.exists(out)) {
      throw ipcError("vault_exists", `${out} already exists. Choose another location; an existing vault is never overwritten.`);
    }
    const intakeKey = checkKey(key);
    const r = get(req.id);
    const org = opts.bundles.orgKey();
    const doc = toDocument(r.answers, r.id, org.fingerprint);
    const bundleId = randomHex(16);
    const files = r.files.map((f, i) => ({ path: `attachments/${String(i + 1).padStart(3, "0")}-${sanitiseName(f.file.original_name)}`, file: structuredClone(f.file) }));
    const sealed: SealedReport = { format: "casevault-self-report", version: 1, report_id: r.id, answers: structuredClone(r.answers), files };
    const generated: [string, string][] = [
      ["README.txt", "How to open and verify this report with standard tools\n"],
      ["report.json", JSON.stringify(sealed, null, 2)],
      ["data.json", JSON.stringify(doc, null, 2)],
      ["dossier.html", `<!doctype html><title>${bundleId}</title>`],
      ["org-key.pub", `${org.openssh}\n`],
    ];
    const manifestFiles = [
      ...generated.map(([path, text]) => ({ path, size: utf8(text), sha256: sha256Hex(text), note: null })),
      ...files.map((s) => ({
        path: s.path,
        size: s.file.size,
        sha256: s.file.sha256,
        note: `${s.file.media_type}; ${s.file.kind}; taken ${s.file.capture.taken_at ?? "-"}; device ${s.file.capture.device ?? "-"}; GPS ${s.file.capture.gps ?? "-"}`,
      })),
    ];
    const now = opts.stamp();
    const bytes = manifestFiles.reduce((n, f) => n + f.size, 0) + 2048 * (manifestFiles.length + 3);
    const file: MockBundleFile = {
      seal: { recipients: [intakeKey.key] },
      manifest: {
        format: "casevault-bundle",
        version: 1,
        bundle_id: bundleId,
        kind: "self-report",
        created_at: now,
        language: req.language,
        organisation: { name: "Self-report", fingerprint: org.fingerprint, public_key: org.openssh },
        case_ids: doc.cases.map((c) => c.id),
        redaction: { profile: "none: the reporter's own account", withheld: [], pseudonymised: 0, ids_renamed: 0 },
        custody: { entries: 0, head_hash: "" },
        files: manifestFiles,
      },
      data: doc,
      bytes,
      damaged: false,
      report: { sealed, bytes: Object.fromEntries(files.map((s, i) => [s.path, r.files[i].bytes])) },
    };
    opts.disk.set(out, file);
    const sealedTo = intakeKey.fingerprint;
    r.seals.push({ bundle_id: bundleId, recipient: sealedTo, sealed_at: now });
    return { bundle_id: bundleId, bytes, files: manifestFiles.length + 3, reporter_fingerprint: org.fingerprint, sealed_to: sealedTo };
  }

  function remove(id: string): void {
    get(id);
    reports.delete(id);
  }

  /** key_check_file: the first line that is not blank or a comment. */
  function checkKeyFile(pathText: string): KeyCheck {
    const path = fullPath(pathText, "/media/usb/ngo-intake-key.txt");
    const source = opts.evidence.source(path);
    if (!source || source.folder) throw invalid("file", `${path} cannot be read (${source ? "Is a directory (os error 21)" : "No such file or directory (os error 2)"})`);
    const bytes = bytesOf(source.content);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, MAX_KEY_FILE + 1));
    } catch {
      throw invalid("file", "this file is not a text file; a key file holds one line starting age1… or ssh-ed25519");
    }
    if (bytes.length > MAX_KEY_FILE) throw invalid("file", "this file is too large to be a key; a key file holds one line");
    const line = text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "" && !l.startsWith("#"));
    return checkKey(line ?? "");
  }

  // --- the organisation's side ------------------------------------------

  function item(r: Received): InboxItem {
    const reporter = r.data.persons[0];
    const primary = reporter?.names.find((n) => n.kind === "primary")?.name ?? reporter?.names[0]?.name ?? "";
    const first = r.data.incidents[0];
    // Earlier means received earlier here (intake::rows), whatever the sealing dates say.
    const earlier = [...inbox.values()].filter(
      (e) => e.reporter_fingerprint === r.reporter_fingerprint && (e.received_at < r.received_at || (e.received_at === r.received_at && e.seq < r.seq)),
    ).length;
    return {
      bundle_id: r.bundle_id,
      received_at: r.received_at,
      sealed_at: r.sealed_at,
      reporter_fingerprint: r.reporter_fingerprint,
      reporter_name: primary,
      summary: first ? `${first.title} (${first.start})` : "",
      files: r.report.files.length,
      status: r.status,
      case_id: r.case_id,
      reason: r.reason,
      decided_at: r.decided_at,
      decided_by: r.decided_by,
      earlier_reports: earlier,
    };
  }

  function newestFirst(a: Received, b: Received): number {
    return a.received_at > b.received_at ? -1 : a.received_at < b.received_at ? 1 : a.bundle_id < b.bundle_id ? -1 : 1;
  }

  /** A sealed report at a path nobody wrote to: made up from the name, as evidence samples are. */
  function sample(path: string, recipients: string[]): MockBundleFile {
    const answers = sampleAnswers(path);
    const reportId = sha256Hex("report " + path).slice(0, 32);
    const bundleId = sha256Hex("bundle " + path).slice(0, 32);
    const data = toDocument(answers, reportId, sampleReporter.fingerprint);
    const photo = bytesOf("sample photo of " + path);
    const file: ReportFile = {
      id: sha256Hex("file " + path).slice(0, 32),
      original_name: "street.jpg",
      size: photo.length,
      sha256: sha256Hex(photo),
      media_type: "image/jpeg",
      capture: { taken_at: "2024-03-12 18:40:11", device: "Apple iPhone 12", gps: null },
      added_at: "2024-03-20T10:00:00Z",
      kind: "file",
      note: null,
    };
    const sealed: SealedReport = { format: "casevault-self-report", version: 1, report_id: reportId, answers, files: [{ path: "attachments/001-street.jpg", file }] };
    return {
      seal: { recipients },
      manifest: {
        format: "casevault-bundle",
        version: 1,
        bundle_id: bundleId,
        kind: "self-report",
        created_at: "2024-03-20T10:05:00Z",
        language: "ru",
        organisation: { name: "Self-report", fingerprint: sampleReporter.fingerprint, public_key: sampleReporter.key },
        case_ids: data.cases.map((c) => c.id),
        redaction: { profile: "none: the reporter's own account", withheld: [], pseudonymised: 0, ids_renamed: 0 },
        custody: { entries: 0, head_hash: "" },
        files: [{ path: "attachments/001-street.jpg", size: file.size, sha256: file.sha256, note: "image/jpeg; file" }],
      },
      data,
      bytes: 8192,
      damaged: false,
      report: { sealed, bytes: { "attachments/001-street.jpg": photo } },
    };
  }

  function identityKeys(): string[] {
    const keys = opts.bundles.identities().map((v) => v.identity.recipient);
    if (keys.length === 0) {
      throw invalid(
        "identity",
        "this vault has no intake key yet: create one under Keys, publish its public key, and have reporters seal to it",
      );
    }
    return keys;
  }

  function tampered(what: string): IpcError {
    return ipcError(
      "report_damaged",
      `This self-report is damaged or was altered after it was sealed (${what}). Nothing was written. Ask the reporter to send it again.`,
    );
  }

  function receive(pathText: string): InboxItem {
    const path = fullPath(pathText, "/media/usb/report.cvb");
    const keys = identityKeys();
    let file = opts.disk.get(path);
    if (!file) {
      const source = opts.evidence.source(path);
      if (!source) throw invalid("bundle", `${path} does not exist`);
      if (source.folder) throw invalid("bundle", `${path} is a folder; choose the sealed report file`);
      if (!/\.(cvb|age)$/i.test(path)) throw invalid("bundle", "this is not an encrypted Casevault bundle (not an age file)");
      file = sample(path, path.includes("other-ngo") ? [issueKey("age").key] : [keys[0]]);
    }
    if (!("recipients" in file.seal)) throw invalid("bundle", "this bundle is sealed with a passphrase, not to an intake key; open it under Bundles");
    const recipients = file.seal.recipients;
    if (!keys.some((k) => recipients.includes(k))) {
      throw ipcError(
        "not_addressed_to_you",
        "This report is not addressed to this organisation: it was sealed to another intake key. Ask the reporter to seal it again to your intake key, after comparing its fingerprint with you.",
      );
    }
    if (file.damaged) throw tampered("data.json does not match SHA256SUMS");
    if (file.manifest.kind !== "self-report" || !file.report) {
      throw invalid("bundle", `this bundle is a ${file.manifest.kind}, not a self-report; open it under Bundles instead`);
    }
    const id = file.manifest.bundle_id;
    const before = inbox.get(id);
    if (before) {
      const where =
        before.status === "pending" ? "waiting for review" : before.status === "accepted" ? `accepted into case ${before.case_id ?? ""}` : "rejected";
      throw invalid("bundle", `this report was received before, on ${before.received_at} (${where}); nothing was duplicated`);
    }
    const r: Received = {
      seq: inbox.size + 1,
      bundle_id: id,
      received_at: opts.stamp(),
      sealed_at: file.manifest.created_at,
      reporter_fingerprint: file.manifest.organisation.fingerprint,
      status: "pending",
      case_id: null,
      reason: null,
      decided_at: null,
      decided_by: null,
      data: structuredClone(file.data),
      report: structuredClone(file.report.sealed),
      bytes: { ...file.report.bytes },
    };
    inbox.set(id, r);
    opts.custody.append({
      action: "intake_receive",
      target: id,
      target_kind: "intake",
      digest: sha256Hex(JSON.stringify(r.data)),
      detail: `self-report ${id} signed by reporter key ${r.reporter_fingerprint}, ${r.report.files.length} file(s)`,
    });
    return item(r);
  }

  function find(bundleId: string): Received {
    const r = inbox.get(bundleId);
    if (!r) throw invalid("intake", `there is no report "${bundleId}" in the inbox`);
    return r;
  }

  function review(bundleId: string): IntakeReview {
    const r = find(bundleId);
    const same = [...inbox.values()]
      .filter((e) => e.reporter_fingerprint === r.reporter_fingerprint && e.bundle_id !== bundleId)
      .sort(newestFirst)
      .reverse()
      .map(item);
    const reporterCases: string[] = [];
    for (const c of same.map((i) => i.case_id).filter((c): c is string => c !== null)) if (!reporterCases.includes(c)) reporterCases.push(c);
    const matches: PersonHit[] = [];
    for (const n of (r.data.persons[0]?.names ?? []).filter((n) => !n.name.startsWith("Reporter "))) {
      for (const hit of opts.records.findPersons(n.name, 10)) if (!matches.some((h) => h.id === hit.id)) matches.push(hit);
    }
    return {
      item: item(r),
      data: structuredClone(r.data),
      report: structuredClone(r.report),
      same_reporter: same,
      reporter_cases: reporterCases,
      person_matches: matches,
    };
  }

  function pending(bundleId: string): Received {
    const r = find(bundleId);
    if (r.status === "accepted") throw invalid("intake", `this report was already accepted into case ${r.case_id ?? ""}`);
    if (r.status === "rejected") throw invalid("intake", "this report was rejected; receive it again only if the reporter sends a new one");
    return r;
  }

  /** intake::retarget: into an existing case and/or as an existing person. */
  function retarget(doc: Document, caseId: string | null, personId: string | null): string {
    const own = doc.cases[0]?.id;
    if (!own) throw tampered("the report holds no case");
    const ownPerson = doc.persons[0]?.id;
    const target = caseId ?? own;
    if (caseId) doc.cases = [];
    const fix = (v: string) => (v === own ? target : v);
    for (const i of doc.incidents) i.case = fix(i.case);
    for (const t of doc.testimonies) t.case = fix(t.case);
    for (const p of doc.proceedings) p.case = fix(p.case);
    for (const p of doc.persons) p.case_roles = p.case_roles.map((r) => ({ ...r, case: fix(r.case) }));
    if (personId && ownPerson) {
      doc.persons = doc.persons.filter((p) => p.id !== ownPerson);
      for (const i of doc.incidents) i.victims = i.victims.map((v) => (v === ownPerson ? personId : v));
      for (const t of doc.testimonies) if (t.person === ownPerson) t.person = personId;
    }
    return target;
  }

  async function accept(req: IntakeAcceptRequest): Promise<string> {
    const r = pending(req.bundle_id);
    const caseId = req.case_id || null;
    const personId = req.person_id || null;
    for (const [id, want] of [
      [caseId, "case"],
      [personId, "person"],
    ] as const) {
      if (!id) continue;
      const known = opts.records.lookup(id);
      if (known?.kind === want && known.trashed) throw invalid(want, `${want} "${id}" is in the trash; restore it first`);
      if (known?.kind !== want) throw invalid(want, `there is no ${want} "${id}" in this vault`);
    }
    const total = Object.values(r.bytes).reduce((n, b) => n + b.length, 0);
    let done = 0;
    opts.progress({ task: "intake-accept", done, total });
    for (const b of Object.values(r.bytes)) {
      await sleep(opts.stepMs);
      done += b.length;
      opts.progress({ task: "intake-accept", done, total });
    }
    const doc = structuredClone(r.data);
    const target = retarget(doc, caseId, personId);
    const provenance = `intake-${r.bundle_id.slice(0, 32)}`;
    doc.sources.push({
      id: provenance,
      source_type: "testimony",
      citation: `Self-report ${r.bundle_id}, sealed ${r.sealed_at} and signed by reporter key ${r.reporter_fingerprint}, received ${r.received_at} by ${opts.actor}`,
    });
    for (const i of doc.incidents) i.sources.push(provenance);
    for (const f of r.report.files) {
      const b = r.bytes[f.path];
      if (!b) throw tampered(`${f.path} is missing from the report`);
      if (sha256Hex(b) !== f.file.sha256 || b.length !== f.file.size) throw tampered(`${f.path} does not match the hash the reporter took at intake`);
    }
    opts.records.importDocument(doc);
    if (personId) {
      const versions = opts.records.history(personId);
      const person = structuredClone(versions[versions.length - 1].data) as Person;
      if (!person.case_roles.some((x) => x.case === target)) {
        person.case_roles.push({ case: target, role: "victim" });
        opts.records.amend({ kind: "person", record: person }, `reporter of self-report ${r.bundle_id}`);
      }
    }
    for (const f of r.report.files) {
      const note = fileNote(f.file);
      opts.evidence.register(target, f.file, r.bytes[f.path], note ? `from self-report ${r.bundle_id}; ${note}` : `from self-report ${r.bundle_id}`);
    }
    const at = opts.stamp();
    r.status = "accepted";
    r.case_id = target;
    r.decided_at = at;
    r.decided_by = opts.actor;
    opts.custody.append({
      action: "intake_accept",
      target: r.bundle_id,
      target_kind: "intake",
      detail: `accepted into case ${target}${personId ? `, reporter is person ${personId}` : ""} with ${r.report.files.length} file(s)`,
    });
    r.bytes = {};
    return target;
  }

  function reject(req: IntakeRejectRequest): void {
    const r = pending(req.bundle_id);
    const reason = req.reason.trim();
    if (reason === "") throw invalid("reason", "say why the report is rejected; the reason stays in the record");
    if (chars(reason) > MAX_REASON) throw invalid("reason", `keep the reason under ${MAX_REASON} characters`);
    const at = opts.stamp();
    r.status = "rejected";
    r.reason = reason;
    r.decided_at = at;
    r.decided_by = opts.actor;
    r.bytes = {};
    opts.custody.append({ action: "intake_reject", target: r.bundle_id, target_kind: "intake", detail: reason });
  }

  return {
    list,
    create,
    get: (id: string) => stored(get(id)),
    save,
    problems: (id: string) => reportProblems(get(id).answers),
    // The core's screens, except that "What happened" offers the act types
    // themselves (which the core accepts too: act_type_of), as the
    // component tests were written against them.
    steps: (): StepChoices[] =>
      REPORT_STEPS.map((s) =>
        s.step === "what_happened"
          ? { step: s.step, choices: ACT_TYPES.map((t) => ({ code: t.code, en: t.en, ru: t.ru, kk: t.kk, act_type: t.code })) }
          : structuredClone(s),
      ),
    nameCheck: (id: string, path: string): string[] => {
      // Whole words of the file's name against the reporter's names; the
      // core also matches other scripts and inflections.
      const a = get(id).answers.about_me;
      const words = new Set((path.split("/").pop() ?? "").toLowerCase().split(/[^\p{L}\p{N}]+/u));
      return [a.name, ...a.other_names.split("\n")]
        .map((n) => n.trim())
        .filter((n) => n !== "" && n.toLowerCase().split(/[^\p{L}\p{N}]+/u).some((w) => w.length >= 3 && words.has(w)));
    },
    attach,
    removeFile,
    seal,
    remove,
    checkKey,
    checkKeyFile,
    receive,
    inbox: () => [...inbox.values()].sort(newestFirst).map(item),
    review,
    accept,
    reject,
  };
}

export type IntakeStore = ReturnType<typeof createIntakeStore>;
