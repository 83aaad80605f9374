// An in-memory stand-in for the Rust backend, for the tests and for `npm run dev`
// in a plain browser. It follows the contract in bindings.ts: every failure is a
// rejection with `{code, message}`, and the two events are emitted the way the
// real backend emits them. Nothing here is secure and nothing is persisted.
import type {
  AboutInfo,
  BackupReport,
  Case,
  CaseDetail,
  CaseSummary,
  CreatedVault,
  DateCheck,
  Document,
  Incident,
  Person,
  Testimony,
  TermDto,
  VocabularyDto,
  ErrorCode,
  IpcError,
  LockSettings,
  ProgressEvent,
  Strength,
  UiPrefs,
  VaultState,
  VaultStatus,
} from "./bindings";
import type { Backend } from "./backend";

export type MockOptions = {
  /** A vault file already exists (default false). */
  exists?: boolean;
  /** ...and is unlocked (default false). */
  unlocked?: boolean;
  /** Passphrase of an existing vault (default "correct horse battery staple"). */
  passphrase?: string;
  /** Recovery key of an existing vault (default: a random one). */
  recoveryKey?: string;
  /** Stored UI language (default "en"). */
  language?: string;
  /** How long key derivation pretends to take, in ms (default 0). */
  delayMs?: number;
  /** Pause between backup progress events, in ms (default 0). */
  progressStepMs?: number;
  /** Make the next backups fail with this code. */
  backupError?: ErrorCode;
  /** Problems `vaultVerify` reports (default: none). */
  verifyProblems?: string[];
  /** Lock settings of an existing vault. */
  lock?: LockSettings;
};

/** The mock plus a few handles for tests. */
export interface MockBackend extends Backend {
  /** Lock as if the backend did it on its own (idle timer, session end...). */
  simulateBackendLock(): void;
  /** Read-only view of the simulated vault, for assertions. */
  inspect(): {
    exists: boolean;
    unlocked: boolean;
    passphrase: string | null;
    recoveryKey: string | null;
    language: string;
    lock: LockSettings;
    failedUnlocks: number;
    keysDestroyed: boolean;
  };
}

const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
];
const MONTHS_RU = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

/**
 * A tiny fuzzy-date parser standing in for the core's: "March 2008", "2008-03",
 * "2008-03-14", "2007", "unknown". Canonical forms are ISO-8601 prefixes.
 */
export function checkDate(text: string): DateCheck {
  const v = text.trim().toLowerCase();
  if (v === "") return { canonical: null, error: "empty date" };
  if (v === "unknown" || v === "неизвестно") return { canonical: "unknown", error: null };
  const pad = (n: number) => String(n).padStart(2, "0");
  const okYear = (y: number) => y >= 1900 && y <= 2100;
  let m = /^(\d{4})$/.exec(v);
  if (m) return okYear(+m[1]) ? { canonical: m[1], error: null } : { canonical: null, error: "year out of range" };
  m = /^(\d{4})-(\d{1,2})$/.exec(v);
  if (m) {
    const mo = +m[2];
    if (!okYear(+m[1]) || mo < 1 || mo > 12) return { canonical: null, error: "month out of range" };
    return { canonical: `${m[1]}-${pad(mo)}`, error: null };
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (m) {
    const [y, mo, d] = [+m[1], +m[2], +m[3]];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (!okYear(y) || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return { canonical: null, error: "no such day" };
    return { canonical: `${y}-${pad(mo)}-${pad(d)}`, error: null };
  }
  m = /^([a-zа-яё]+)\.?\s+(\d{4})$/.exec(v);
  if (m) {
    let mo = MONTHS.findIndex((name) => m![1].length >= 3 && name.startsWith(m![1]));
    if (mo < 0) mo = MONTHS_RU.findIndex((prefix) => m![1].startsWith(prefix));
    if (mo < 0) return { canonical: null, error: `unknown month "${m[1]}"` };
    if (!okYear(+m[2])) return { canonical: null, error: "year out of range" };
    return { canonical: `${m[2]}-${pad(mo + 1)}`, error: null };
  }
  return { canonical: null, error: `cannot understand the date "${text.trim()}"` };
}

function term(code: string, en: string, ru: string, group: string | null = null): TermDto {
  return { code, en, ru, group };
}

const VOCABULARIES: VocabularyDto[] = [
  {
    name: "act type",
    terms: [
      // A subset of the real vocabulary (casevault-core model::vocab), same codes and groups.
      term("assassination", "Assassination or attempted assassination", "Убийство или покушение", "direct_attack"),
      term("assault", "Assault, beating", "Нападение, избиение", "direct_attack"),
      term("abduction", "Abduction or attempted abduction", "Похищение или попытка похищения", "direct_attack"),
      term("physical_surveillance", "Physical surveillance", "Физическая слежка", "direct_attack"),
      term("extradition_request", "Extradition request", "Запрос об экстрадиции", "co_opting_states"),
      term("interpol_red_notice", "Interpol Red Notice", "Красное уведомление Интерпола", "co_opting_states"),
      term("exit_ban", "Exit ban", "Запрет на выезд", "mobility_controls"),
      term("coercion_by_proxy", "Coercion of relatives (coercion by proxy)", "Давление на родственников", "threats_from_distance"),
      term("online_intimidation", "Online threats or intimidation", "Угрозы или запугивание в интернете", "threats_from_distance"),
      term("spyware", "Spyware infection", "Заражение шпионской программой", "digital_attack"),
      term("phishing", "Phishing", "Фишинг", "digital_attack"),
    ],
  },
  {
    name: "involvement",
    terms: [
      term("ordered", "Ordered", "Приказал"),
      term("carried_out", "Carried out", "Исполнил"),
      term("assisted", "Assisted", "Содействовал"),
    ],
  },
  {
    name: "attribution confidence",
    terms: [
      term("confirmed", "Confirmed", "Подтверждено"),
      term("probable", "Probable", "Вероятно"),
      term("possible", "Possible", "Возможно"),
    ],
  },
  {
    name: "proceeding kind",
    terms: [
      term("criminal_case", "Criminal case", "Уголовное дело"),
      term("extradition", "Extradition", "Экстрадиция"),
      term("asylum", "Asylum", "Убежище"),
    ],
  },
  {
    name: "legal ground",
    terms: [
      term("political_offence", "Political offence", "Политическое преступление"),
      term("torture_risk", "Risk of torture", "Риск пыток"),
    ],
  },
  {
    name: "source type",
    terms: [
      term("testimony", "Testimony", "Показания"),
      term("media", "Media report", "Публикация в СМИ"),
      term("court_document", "Court document", "Судебный документ"),
    ],
  },
  {
    name: "role",
    terms: [
      term("victim", "Victim", "Пострадавший"),
      term("relative", "Relative", "Родственник"),
      term("witness", "Witness", "Свидетель"),
      term("suspect", "Suspect", "Подозреваемый"),
      term("lawyer", "Lawyer", "Адвокат"),
    ],
  },
];

const ID_RE = /^[a-z0-9-]{1,64}$/;
const COUNTRY_RE = /^[A-Z]{2}$/;

const DEFAULT_PASSPHRASE = "correct horse battery staple";
const KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const VAULT_PATH = "/home/caseworker/.local/share/casevault/vault";

function fail(code: ErrorCode, message: string): Promise<never> {
  const err: IpcError = { code, message };
  return Promise.reject(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** 12 groups of 4 characters from an alphabet without 0/O and 1/I. */
export function generateRecoveryKey(): string {
  const bytes = new Uint8Array(48);
  crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => KEY_ALPHABET[b % KEY_ALPHABET.length]);
  const groups: string[] = [];
  for (let i = 0; i < 48; i += 4) groups.push(chars.slice(i, i + 4).join(""));
  return groups.join("-");
}

/** Case, spaces and dashes don't matter when a recovery key is typed back. */
export function normalizeRecoveryKey(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

const COMMON = new Set(["password", "passphrase", "123456", "qwerty", "letmein", "casevault", "пароль"]);

/** A crude zxcvbn-like score, 0..4; 3 and up is acceptable. */
export function scorePassphrase(passphrase: string): Strength {
  const p = passphrase;
  const words = p.trim().split(/\s+/).filter(Boolean).length;
  const len = [...p].length;
  let score = len < 8 ? 0 : len < 12 ? 1 : len < 16 ? 2 : len < 20 ? 3 : 4;
  if (words >= 4 && len >= 16) score = Math.max(score, 3);
  if (words >= 5 && len >= 24) score = 4;
  if (/^(.)\1*$/.test(p)) score = 0;
  if (COMMON.has(p.trim().toLowerCase())) score = 0;
  let warning: string | null = null;
  const suggestions: string[] = [];
  if (score < 3) {
    warning = len === 0 ? null : COMMON.has(p.trim().toLowerCase()) ? "This is a very common password." : "This is too short to resist guessing.";
    suggestions.push("Use four or more uncommon words.");
    if (words < 4) suggestions.push("Add another word or two.");
  }
  return { score, acceptable: score >= 3, warning, suggestions };
}

export function createMockBackend(opts: MockOptions = {}): MockBackend {
  const delayMs = opts.delayMs ?? 0;
  const progressStepMs = opts.progressStepMs ?? 0;
  const exists0 = opts.exists ?? false;

  const s = {
    exists: exists0,
    unlocked: exists0 && (opts.unlocked ?? false),
    passphrase: exists0 ? (opts.passphrase ?? DEFAULT_PASSPHRASE) : (null as string | null),
    recoveryKey: exists0 ? (opts.recoveryKey ?? generateRecoveryKey()) : (null as string | null),
    language: opts.language ?? "en",
    lock: { ...(opts.lock ?? { idle_lock_minutes: 10, wipe_after_failed_unlocks: null }) } as LockSettings,
    failedUnlocks: 0,
    failedBeforeThisOne: 0,
    keysDestroyed: false,
    createdAt: "2025-11-25T09:14:03Z",
    vaultId: "5f0c2a9e7b1d4c3e9a8f2d6b1e4c7a90",
  };

  const records = {
    cases: [] as Case[],
    persons: [] as Person[],
    incidents: [] as Incident[],
    testimonies: [] as Testimony[],
  };

  function vocabCodes(name: string): Set<string> {
    return new Set(VOCABULARIES.find((v) => v.name === name)?.terms.map((t) => t.code) ?? []);
  }

  /** Every problem with a document, in the style of the core's import report. */
  function validateDocument(doc: Document): string[] {
    const problems: string[] = [];
    if (doc.format !== "casevault-interchange") problems.push(`format: expected "casevault-interchange"`);
    if (doc.version !== 1) problems.push(`version: expected 1`);
    for (const field of ["cases", "persons", "organisations", "incidents", "proceedings", "sources", "testimonies"] as const) {
      if (!Array.isArray(doc[field])) problems.push(`${field}: missing`);
    }
    if (problems.length) return problems;
    const known = new Set<string>([
      ...records.cases.map((r) => r.id),
      ...records.persons.map((r) => r.id),
      ...records.incidents.map((r) => r.id),
      ...records.testimonies.map((r) => r.id),
    ]);
    const all = [...doc.cases, ...doc.persons, ...doc.organisations, ...doc.incidents, ...doc.proceedings, ...doc.sources, ...doc.testimonies];
    for (const r of all) {
      if (!ID_RE.test(r.id)) problems.push(`${r.id}: invalid id`);
      else if (known.has(r.id)) problems.push(`${r.id}: duplicate id`);
      known.add(r.id);
    }
    const caseIds = new Set([...records.cases.map((c) => c.id), ...doc.cases.map((c) => c.id)]);
    const personIds = new Set([...records.persons.map((p) => p.id), ...doc.persons.map((p) => p.id)]);
    const roles = vocabCodes("role");
    const acts = vocabCodes("act type");
    for (const c of doc.cases) {
      if (c.title.trim() === "") problems.push(`${c.id}: title is empty`);
      if (!["open", "monitoring", "closed"].includes(c.status)) problems.push(`${c.id}: unknown status "${c.status}"`);
      if (c.origin_country !== undefined && !COUNTRY_RE.test(c.origin_country)) problems.push(`${c.id}: origin_country must be two capital letters`);
    }
    for (const p of doc.persons) {
      const primaries = p.names.filter((n) => n.kind === "primary");
      if (primaries.length !== 1) problems.push(`${p.id}: needs exactly one primary name`);
      if (p.names.some((n) => n.name.trim() === "")) problems.push(`${p.id}: empty name`);
      if (p.protected && !p.pseudonym?.trim()) problems.push(`${p.id}: a protected person needs a pseudonym`);
      for (const r of p.case_roles) {
        if (!caseIds.has(r.case)) problems.push(`${p.id}: unknown case "${r.case}"`);
        if (!roles.has(r.role)) problems.push(`${p.id}: unknown role "${r.role}"`);
      }
    }
    for (const i of doc.incidents) {
      if (!caseIds.has(i.case)) problems.push(`${i.id}: unknown case "${i.case}"`);
      if (i.title.trim() === "") problems.push(`${i.id}: title is empty`);
      if (!acts.has(i.act_type)) problems.push(`${i.id}: unknown act type "${i.act_type}"`);
      const d = checkDate(i.start);
      if (d.error) problems.push(`${i.id}: start: ${d.error}`);
      if (i.place.country !== undefined && !COUNTRY_RE.test(i.place.country)) problems.push(`${i.id}: country must be two capital letters`);
      for (const v of [...i.victims, ...i.witnesses]) if (!personIds.has(v)) problems.push(`${i.id}: unknown person "${v}"`);
    }
    for (const t of doc.testimonies) {
      if (!caseIds.has(t.case)) problems.push(`${t.id}: unknown case "${t.case}"`);
      if (!personIds.has(t.person)) problems.push(`${t.id}: unknown person "${t.person}"`);
      if (t.statement.trim() === "") problems.push(`${t.id}: statement is empty`);
      if (t.language.trim() === "") problems.push(`${t.id}: language is empty`);
    }
    return problems;
  }

  function personsOf(caseId: string): Person[] {
    return records.persons.filter((p) => p.case_roles.some((r) => r.case === caseId));
  }

  /** Earliest possible moment of a canonical date, for sorting. */
  function sortKey(start: string): string {
    return start === "unknown" ? "9999" : start;
  }

  const progressListeners = new Set<(e: ProgressEvent) => void>();
  const lockedListeners = new Set<() => void>();

  function emitLocked(): void {
    for (const cb of [...lockedListeners]) cb();
  }

  function status(): VaultStatus {
    return {
      path: VAULT_PATH,
      vault_id: s.vaultId,
      created_at: s.createdAt,
      schema_version: 3,
      header_format: 1,
      slots: [
        { kind: "passphrase", kdf: "argon2id m=262144 t=3 p=1" },
        { kind: "recovery", kdf: "argon2id m=65536 t=2 p=1" },
      ],
      lock: { ...s.lock },
      failed_unlocks_before_this_one: s.failedBeforeThisOne,
      record_counts: [
        { kind: "case", count: 4 },
        { kind: "testimony", count: 17 },
        { kind: "attachment", count: 9 },
      ],
      size_bytes: 3_481_600,
    };
  }

  function needUnlocked(): Promise<never> | null {
    if (!s.exists) return fail("vault_not_found", "no vault at " + VAULT_PATH);
    if (!s.unlocked) return fail("locked", "the vault is locked");
    return null;
  }

  function doLock(): void {
    const was = s.unlocked;
    s.unlocked = false;
    if (was) emitLocked();
  }

  const about: AboutInfo = {
    app_version: "0.1.0-mock",
    tauri_version: "2.12.0",
    core_dumps_disabled: true,
    core: {
      core_version: "0.1.0-mock",
      sqlcipher_version: "4.6.1 community",
      sqlite_version: "3.46.1",
      sqlcipher_provider: "bundled (mock)",
      crypto: {
        database: "SQLCipher 4: AES-256-CBC + HMAC-SHA512",
        passphrase_kdf: "Argon2id (256 MiB, 3 passes)",
        key_wrapping: "XChaCha20-Poly1305",
        recovery_kdf: "Argon2id (64 MiB, 2 passes)",
      },
    },
  };

  const backend: MockBackend = {
    async about() {
      return structuredClone(about);
    },

    async prefsGet(): Promise<UiPrefs> {
      return { language: s.language };
    },

    async prefsSet(req) {
      if (req.language !== "en" && req.language !== "ru") return fail("invalid_input", "unknown language " + req.language);
      s.language = req.language;
      return { language: s.language };
    },

    async vaultState(): Promise<VaultState> {
      return { path: VAULT_PATH, exists: s.exists, unlocked: s.unlocked };
    },

    async passphraseStrength(req) {
      return scorePassphrase(req.passphrase);
    },

    async vaultCreate(req): Promise<CreatedVault> {
      if (s.exists) return fail("vault_exists", "a vault already exists at " + VAULT_PATH);
      if (!scorePassphrase(req.passphrase).acceptable) return fail("weak_passphrase", "passphrase too weak");
      await sleep(delayMs);
      s.exists = true;
      s.unlocked = true;
      s.passphrase = req.passphrase;
      s.recoveryKey = generateRecoveryKey();
      s.failedUnlocks = 0;
      s.failedBeforeThisOne = 0;
      return { recovery_key: s.recoveryKey, status: status() };
    },

    async recoveryKeyConfirm(req) {
      const bad = needUnlocked();
      if (bad) return bad;
      return normalizeRecoveryKey(req.recovery_key) === normalizeRecoveryKey(s.recoveryKey ?? "");
    },

    async vaultUnlock(req) {
      if (!s.exists) return fail("vault_not_found", "no vault at " + VAULT_PATH);
      await sleep(delayMs);
      if (s.keysDestroyed) return fail("keys_destroyed", "the key slots were wiped");
      if (req.passphrase !== s.passphrase) {
        s.failedUnlocks += 1;
        const limit = s.lock.wipe_after_failed_unlocks;
        if (limit !== null && s.failedUnlocks >= limit) {
          s.keysDestroyed = true;
          s.unlocked = false;
          return fail("keys_destroyed", "too many failed unlocks: key slots wiped");
        }
        return fail("wrong_credential", "wrong passphrase");
      }
      s.failedBeforeThisOne = s.failedUnlocks;
      s.failedUnlocks = 0;
      s.unlocked = true;
      return status();
    },

    async vaultRecover(req) {
      if (!s.exists) return fail("vault_not_found", "no vault at " + VAULT_PATH);
      await sleep(delayMs);
      if (s.keysDestroyed) return fail("keys_destroyed", "the key slots were wiped");
      const key = normalizeRecoveryKey(req.recovery_key);
      if (key.length !== 48 || key !== normalizeRecoveryKey(s.recoveryKey ?? "")) {
        return fail("invalid_recovery_key", "recovery key does not open this vault");
      }
      if (!scorePassphrase(req.new_passphrase).acceptable) return fail("weak_passphrase", "passphrase too weak");
      s.passphrase = req.new_passphrase;
      s.failedBeforeThisOne = s.failedUnlocks;
      s.failedUnlocks = 0;
      s.unlocked = true;
      return status();
    },

    async vaultLock() {
      doLock();
      return null;
    },

    async vaultStatus() {
      const bad = needUnlocked();
      if (bad) return bad;
      return status();
    },

    async vaultChangePassphrase(req) {
      const bad = needUnlocked();
      if (bad) return bad;
      await sleep(delayMs);
      if (req.current !== s.passphrase) return fail("wrong_credential", "current passphrase is wrong");
      if (!scorePassphrase(req.new_passphrase).acceptable) return fail("weak_passphrase", "passphrase too weak");
      s.passphrase = req.new_passphrase;
      return null;
    },

    async vaultBackup(req): Promise<BackupReport> {
      const bad = needUnlocked();
      if (bad) return bad;
      if (req.path.trim() === "") return fail("invalid_input", "backup path is empty");
      if (!req.path.trim().startsWith("/")) return fail("invalid_input", "backup path must be absolute");
      if (opts.backupError) return fail(opts.backupError, "backup failed (" + opts.backupError + ")");
      const total = 5;
      const size = status().size_bytes;
      for (let done = 0; done <= total; done++) {
        for (const cb of [...progressListeners]) cb({ task: "backup", done, total });
        await sleep(progressStepMs);
      }
      return { path: req.path.trim(), bytes: size };
    },

    async vaultVerify() {
      const bad = needUnlocked();
      if (bad) return bad;
      return [...(opts.verifyProblems ?? [])];
    },

    async lockSettingsSet(req) {
      const bad = needUnlocked();
      if (bad) return bad;
      const idle = req.idle_lock_minutes;
      if (!Number.isInteger(idle) || idle < 1 || idle > 240) return fail("invalid_input", "idle_lock_minutes must be 1..=240");
      const wipe = req.wipe_after_failed_unlocks;
      if (wipe !== null && (!Number.isInteger(wipe) || wipe < 3 || wipe > 100)) {
        return fail("invalid_input", "wipe_after_failed_unlocks must be null or 3..=100");
      }
      s.lock = { idle_lock_minutes: idle, wipe_after_failed_unlocks: wipe };
      return { ...s.lock };
    },

    async casesList(): Promise<CaseSummary[]> {
      const bad = needUnlocked();
      if (bad) return bad;
      return records.cases.map((c) => {
        const persons = personsOf(c.id);
        return {
          id: c.id,
          title: c.title,
          status: c.status,
          origin_country: c.origin_country ?? null,
          incidents: records.incidents.filter((i) => i.case === c.id).length,
          persons: persons.length,
          names: persons.flatMap((p) => p.names.map((n) => n.name)),
        };
      });
    },

    async caseGet(req): Promise<CaseDetail> {
      const bad = needUnlocked();
      if (bad) return bad;
      const found = records.cases.find((c) => c.id === req.id);
      if (!found) return fail("invalid_input", `no case "${req.id}"`);
      return structuredClone({
        case: found,
        persons: personsOf(found.id),
        incidents: records.incidents
          .filter((i) => i.case === found.id)
          .sort((a, b) => sortKey(a.start).localeCompare(sortKey(b.start))),
        proceedings: [],
        testimonies: records.testimonies.filter((t) => t.case === found.id),
      });
    },

    async recordsAdd(doc) {
      const bad = needUnlocked();
      if (bad) return bad;
      const problems = validateDocument(doc);
      if (problems.length) return fail("import_rejected", problems.join("; "));
      const copy = structuredClone(doc);
      records.cases.push(...copy.cases);
      records.persons.push(...copy.persons);
      records.incidents.push(...copy.incidents);
      records.testimonies.push(...copy.testimonies);
      const counts = (
        [
          ["case", copy.cases.length],
          ["person", copy.persons.length],
          ["incident", copy.incidents.length],
          ["testimony", copy.testimonies.length],
        ] as const
      )
        .filter(([, n]) => n > 0)
        .map(([kind, count]) => ({ kind, count }));
      return { counts };
    },

    async dateCheck(req) {
      return checkDate(req.text);
    },

    async vocabularies() {
      const bad = needUnlocked();
      if (bad) return bad;
      return structuredClone(VOCABULARIES);
    },

    async onProgress(cb) {
      progressListeners.add(cb);
      return () => {
        progressListeners.delete(cb);
      };
    },

    async onVaultLocked(cb) {
      lockedListeners.add(cb);
      return () => {
        lockedListeners.delete(cb);
      };
    },

    simulateBackendLock() {
      doLock();
    },

    inspect() {
      return {
        exists: s.exists,
        unlocked: s.unlocked,
        passphrase: s.passphrase,
        recoveryKey: s.recoveryKey,
        language: s.language,
        lock: { ...s.lock },
        failedUnlocks: s.failedUnlocks,
        keysDestroyed: s.keysDestroyed,
      };
    },
  };
  return backend;
}
