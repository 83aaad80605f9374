// The mock's custody log: a stand-in for vault/custody.rs. Entries are
// hash-chained the way the core chains them (a digest over a JSON array of
// the fields and the previous hash), so the mock's audit finds a changed
// or missing entry for the same reasons the real one does.
import type { AuditProblem, CustodyEntry } from "./bindings";

/**
 * The mock's stand-in for SHA-256: 64 hex digits that change with any byte
 * of the input (eight FNV-1a lanes with different seeds). Not a
 * cryptographic hash, and not the core's: the mock only needs equal inputs
 * to give equal digests and a changed file another one.
 */
export function sha256Hex(input: Uint8Array | string): string {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  let out = "";
  for (let lane = 1; lane <= 8; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    out += ((h ^ (h >>> 15)) >>> 0).toString(16).padStart(8, "0");
  }
  return out;
}

export const GENESIS = "0".repeat(64);

/** The action codes of CustodyAction::code(). */
export const CUSTODY_ACTIONS = [
  "vault_created",
  "baseline",
  "create",
  "import",
  "amend",
  "trash",
  "restore",
  "attach",
  "open_attachment",
  "save_copy",
  "export",
  "backup",
  "passphrase_change",
  "recovery_key_replaced",
  "failed_unlock",
  "intake_receive",
  "intake_accept",
  "intake_reject",
] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

export type NewEntry = {
  /** When; the writer's own timestamp if it has one (a record write), else now. */
  at?: string;
  action: CustodyAction;
  target?: string | null;
  target_kind?: string | null;
  digest?: string | null;
  detail?: string | null;
};

function entryHash(e: Omit<CustodyEntry, "hash">): string {
  // A JSON array cannot shift a field boundary, whatever a value contains.
  return sha256Hex(JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, e.target_kind, e.digest, e.detail, e.prev_hash]));
}

export type ChainCheck = { firstBrokenLink: number | null; problems: AuditProblem[]; head: string };

export function createCustodyLog(opts: { actor: string; stamp: () => string }) {
  const entries: CustodyEntry[] = [];

  function append(e: NewEntry): CustodyEntry {
    const prev = entries.at(-1);
    const body = {
      seq: (prev?.seq ?? 0) + 1,
      at: e.at ?? opts.stamp(),
      actor: opts.actor,
      action: e.action,
      target: e.target ?? null,
      target_kind: e.target_kind ?? null,
      digest: e.digest ?? null,
      detail: e.detail ?? null,
      prev_hash: prev?.hash ?? GENESIS,
    };
    const entry = { ...body, hash: entryHash(body) };
    entries.push(entry);
    return entry;
  }

  /** Walks the chain as audit_verify does; only the first broken link is reported. */
  function checkChain(): ChainCheck {
    let prev = GENESIS;
    let firstBrokenLink: number | null = null;
    const problems: AuditProblem[] = [];
    entries.forEach((e, i) => {
      const expected = i + 1;
      const { hash, ...body } = e;
      const problem =
        e.seq !== expected
          ? `entry ${expected} is missing (the next one is ${e.seq})`
          : e.prev_hash !== prev
            ? "does not link to the entry before it"
            : hash !== entryHash(body)
              ? "its content was changed after it was written"
              : null;
      if (problem && firstBrokenLink === null) {
        firstBrokenLink = e.seq;
        problems.push({ seq: e.seq, target: e.target, code: "broken_link", problem: `custody log entry ${e.seq}: ${problem}` });
      }
      prev = e.hash;
    });
    return { firstBrokenLink, problems, head: prev };
  }

  /** The latest entry with a digest for each target. */
  function latest(): Map<string, CustodyEntry> {
    const out = new Map<string, CustodyEntry>();
    for (const e of entries) if (e.target !== null && e.digest !== null) out.set(e.target, e);
    return out;
  }

  return {
    append,
    trail(target: string | null): CustodyEntry[] {
      return structuredClone(target === null ? entries : entries.filter((e) => e.target === target));
    },
    checkChain,
    latest,
    count: () => entries.length,
    /** For tests: change an entry's detail without rehashing, as an edit outside Casevault would. */
    tamper(seq: number): void {
      const e = entries.find((x) => x.seq === seq);
      if (!e) throw new Error(`no custody entry ${seq}`);
      e.detail = `${e.detail ?? ""} (altered)`;
    },
  };
}

export type CustodyLog = ReturnType<typeof createCustodyLog>;
