// The contract cases against the real core, through the headless command
// host and the app's own Tauri backend: the same files the Rust side runs
// (src-tauri/src/contract.rs), here reaching the core the way the screens
// do, through bindings.ts and the IPC layer.
import { describe, expect, it } from "vitest";
import { CONTRACT_CASES, methodName, mismatch } from "../test/contract";
import { createHostBackend } from "../test/host";
import type { Backend } from "./backend";
import { documentOf } from "./records";

type Call = (req?: unknown) => Promise<unknown>;

describe("contract cases against the real core", () => {
  for (const [name, c] of CONTRACT_CASES) {
    it(`${name}: ${c.about}`, async () => {
      const backend = await createHostBackend({ exists: true, unlocked: true, seed: c.seed });
      const failures: string[] = [];
      for (const [i, step] of c.steps.entries()) {
        const call = (backend as unknown as Record<string, Call>)[methodName(step.command) as keyof Backend];
        expect(call, `${step.command} is not a backend command`).toBeTypeOf("function");
        const request = step.command === "records_add" ? documentOf(step.request as object) : step.request;
        const here = `step ${i} (${step.command}: ${step.about})`;
        let outcome: string | null;
        try {
          const value = await (step.request === undefined ? call.call(backend) : call.call(backend, structuredClone(request)));
          outcome = step.error ? `succeeded with ${JSON.stringify(value)}, expected ${step.error.code}` : step.result === undefined ? null : mismatch(step.result, value ?? null);
        } catch (e) {
          const err = e as { code?: unknown; problems?: unknown; params?: unknown };
          outcome = !step.error
            ? `failed: ${JSON.stringify(e)}`
            : (mismatch(step.error.code, err.code, "error.code") ??
              (step.error.problems ? mismatch(step.error.problems, err.problems, "error.problems") : null) ??
              (step.error.params ? mismatch(step.error.params, err.params, "error.params") : null));
        }
        if (outcome) failures.push(`${here}: ${outcome}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
