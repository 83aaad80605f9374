// Vitest's global set-up: builds the headless command host
// (src-tauri/src/host.rs) once before any test file runs, so the component
// tests always drive the core as it is in this checkout. CASEVAULT_UI_HOST
// names a host binary to use instead, without building.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    hostBinary: string;
  }
}

export default function setup(project: TestProject): void {
  const given = process.env.CASEVAULT_UI_HOST;
  if (given) {
    project.provide("hostBinary", given);
    return;
  }
  const root = resolve(import.meta.dirname, "../../..");
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".casevault-build/target");
  execFileSync("cargo", ["build", "--quiet", "--features", "ui-host", "--bin", "casevault-ui-host"], {
    cwd: root,
    env: { ...process.env, CARGO_TARGET_DIR: target },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const binary = join(target, "debug", "casevault-ui-host");
  if (!existsSync(binary)) throw new Error(`cargo built no ${binary}`);
  project.provide("hostBinary", binary);
}
