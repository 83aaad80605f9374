// The contract cases (tests/contract/*.json at the repository root): a seed,
// then commands with the result or the error the real core gives. The Rust
// side runs them against the IPC handler (src-tauri/src/contract.rs); here
// contractHost.test.ts runs them through the app's command table and the
// command host, as the screens reach the core.
import { toUiError } from "../lib/backend";
import type { Document } from "../lib/bindings";
import { errorDetails, errorText, problemTexts } from "../lib/errors";

export type ExpectedError = { code: string; problems?: unknown[]; params?: Record<string, unknown> };
export type ContractStep = { about: string; command: string; request?: unknown; result?: unknown; error?: ExpectedError };
export type ContractCase = { about: string; seed?: Partial<Omit<Document, "format" | "version">>; steps: ContractStep[] };

const files = import.meta.glob<ContractCase>("../../../tests/contract/*.json", { eager: true, import: "default" });

/** Every case, by file name, in name order. */
export const CONTRACT_CASES: [string, ContractCase][] = Object.entries(files)
  .map(([path, c]) => [path.slice(path.lastIndexOf("/") + 1), c] as [string, ContractCase])
  .sort((a, b) => a[0].localeCompare(b[0]));

/** `records_add` → `recordsAdd`: the IPC name as a Commands method. */
export function methodName(command: string): string {
  return command.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Whether `actual` holds everything `expected` says, as the Rust runner
 * matches: objects by the keys `expected` names (null matches an absent
 * key), arrays element by element with the same length, anything else by
 * equality. Returns where they differ, or null.
 */
export function mismatch(expected: unknown, actual: unknown, at = "result"): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${at}: ${JSON.stringify(actual)}, expected ${expected.length} item(s)`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], `${at}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${at}: got ${JSON.stringify(actual)}, expected an object`;
    for (const [k, v] of Object.entries(expected)) {
      const got = (actual as Record<string, unknown>)[k];
      if (got === undefined) {
        if (v === null) continue;
        return `${at}.${k}: missing, expected ${JSON.stringify(v)}`;
      }
      const m = mismatch(v, got, `${at}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return expected === actual ? null : `${at}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
}

/**
 * The core's refusal of a request, and the lines ErrorMessage shows for
 * it: what a component test expects on the screen, whatever words the
 * core's codes are translated to.
 */
export async function refusalOf(answer: Promise<unknown>): Promise<{ code: string; lines: string[] }> {
  try {
    await answer;
  } catch (err) {
    const e = toUiError(err);
    return { code: e.code, lines: [errorText(e), errorDetails(e), ...problemTexts(e)].filter((l): l is string => !!l) };
  }
  throw new Error("the core accepted a request the test expects it to refuse");
}
