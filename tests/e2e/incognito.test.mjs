// The app exactly as users run it (no WebDriver, so the webview is
// incognito), driven by the keyboard through xdotool under strace: it
// creates a vault, opens no network socket of any kind, and leaves nothing
// in ~/.cache, the webview's data directory, or anywhere else in plain text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  APP, appEnv, ensureDisplay, freshHome, removeHome, assertNothingLeaked, SCREENSHOTS, PASSPHRASE,
} from "./harness.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function xdotool(...args) {
  return execFileSync("xdotool", args, { encoding: "utf8", env: process.env }).trim();
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("incognito app, keyboard only: vault created, no sockets, nothing left on disk", async () => {
  ensureDisplay();
  const home = freshHome();
  const straceLog = join(`${home}.run`, "strace.log");
  const env = appEnv(home);
  delete env.TAURI_WEBVIEW_AUTOMATION;
  const app = spawn("strace", ["-f", "-qq", "-e", "trace=connect,bind,socket", "-o", straceLog, APP], {
    env,
    stdio: "ignore",
  });
  try {
    const win = xdotool("search", "--sync", "--onlyvisible", "--name", "^Casevault$").split("\n")[0];
    // No window manager runs under Xvfb, so focus the window directly.
    xdotool("windowfocus", win);
    // Let the page load; the create screen focuses its first field.
    await sleep(2500);
    xdotool("type", "--delay", "15", PASSPHRASE);
    xdotool("key", "Tab");
    xdotool("type", "--delay", "15", PASSPHRASE);
    await sleep(800); // the strength meter is debounced
    xdotool("key", "Return");
    await waitFor(() => existsSync(join(env.CASEVAULT_VAULT, "header.cvh")), 30000, "the vault to be created");
    await sleep(1500);
    execFileSync("mkdir", ["-p", SCREENSHOTS]);
    execFileSync("import", ["-window", "root", join(SCREENSHOTS, "incognito-recovery-key.png")], { env: process.env });
  } finally {
    // Close the app itself (strace's child); strace then ends with it.
    try { execFileSync("pkill", ["-TERM", "-P", String(app.pid)]); } catch { app.kill("SIGKILL"); }
    await new Promise((r) => (app.exitCode !== null ? r() : app.once("exit", r)));
  }
  try {
    const trace = readFileSync(straceLog, "utf8");
    assert.ok(trace.includes("socket("), "strace was recording");
    const inet = trace.split("\n").filter((l) => /AF_INET6?\b/.test(l));
    assert.deepEqual(inet, [], "the app opened an internet socket");
    assertNothingLeaked(assert, home, [PASSPHRASE], [straceLog]);
  } finally {
    removeHome(home);
  }
});
