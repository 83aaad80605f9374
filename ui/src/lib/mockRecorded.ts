// Outcomes the real core gave for the contract cases (tests/contract/*.json),
// written by the Rust runner (src-tauri/src/contract.rs) and replayed here
// for the commands that carry rules: a date as typed, a pasted key, a
// refused import. The mock keeps no copy of those rules; a request the cases
// do not hold gets the mock's plain in-memory answer.
import type { IpcError } from "./bindings";
import outcomes from "../test/recorded/contract-outcomes.json";

type Outcome = { command: string; request: unknown; result?: unknown; error?: IpcError };

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

const byRequest = new Map<string, Outcome>();
for (const o of outcomes as Outcome[]) {
  const key = `${o.command} ${canonical(o.request)}`;
  if (!byRequest.has(key)) byRequest.set(key, o);
}

/** The core's recorded answer to this request, if a contract case holds it. */
export function recorded(command: string, request: unknown): { result?: unknown; error?: IpcError } | null {
  const o = byRequest.get(`${command} ${canonical(request)}`);
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
