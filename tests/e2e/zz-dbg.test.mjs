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
} from "/work/main/tests/e2e/harness.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function xdotool(...args) {
  return execFileSync("xdotool", args, { encoding: "utf8", env: process.env }).trim();
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await sleep(200);
    console.error("DBG 23");
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
    console.error("DBG 39");
    // No window manager runs under Xvfb, so focus the window directly.
    xdotool("windowfocus", win);
    console.error("DBG 41");
    // Let the page load; the create screen focuses its first field.
    await sleep(2500);
    console.error("DBG 43");
    xdotool("type", "--delay", "15", PASSPHRASE);
    console.error("DBG 44");
    xdotool("key", "Tab");
    console.error("DBG 45");
    xdotool("type", "--delay", "15", PASSPHRASE);
    console.error("DBG 46");
    await sleep(800); // the strength meter is debounced
    xdotool("key", "Return");
    console.error("DBG 48");
    await waitFor(() => existsSync(join(env.CASEVAULT_VAULT, "header.cvh")), 30000, "the vault to be created");
    console.error("DBG 49");
    await sleep(1500);
    console.error("DBG 50");
    execFileSync("mkdir", ["-p", SCREENSHOTS]);
    console.error("DBG 51");
    execFileSync("import", ["-window", "root", join(SCREENSHOTS, "incognito-recovery-key.png")], { env: process.env });
    console.error("DBG 52");
  } finally {
    app.kill("SIGTERM");
    console.error("DBG 54");
    await new Promise((r) => (app.exitCode !== null ? r() : app.once("exit", r)));
    console.error("DBG 55");
  }
  try {
    const trace = readFileSync(straceLog, "utf8");
    console.error("DBG 58");
    assert.ok(trace.includes("socket("), "strace was recording");
    console.error("DBG 59");
    const inet = trace.split("\n").filter((l) => /AF_INET6?\b/.test(l));
    console.error("DBG 60");
    assert.deepEqual(inet, [], "the app opened an internet socket");
    console.error("DBG 61");
    assertNothingLeaked(assert, home, [PASSPHRASE], [straceLog]);
    console.error("DBG 62");
  } finally {
    removeHome(home);
    console.error("DBG 64");
  }
});
