// The native file dialog must leave no trace of what was chosen. GTK's
// file chooser adds every chosen file to ~/.local/share/recently-used.xbel
// unless recent files are turned off for the process: the names of
// evidence files, on a laptop that may be seized.
//
// This drives the real GTK dialog (opened by the app's "Choose…" button)
// with xdotool, picks a file whose name carries a canary, and then scans
// the launch's home, XDG, temp and runtime directories for that name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launch, removeHome, shown, unlockThroughUi, sampleVault, openCase, byTestId, filesUnder,
  fileContains, freshHome, ROOT, PASSPHRASE,
} from "./harness.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const xdotool = (...args) => execFileSync("xdotool", args, { encoding: "utf8", env: process.env }).trim();

/** Visible top-level windows other than the app's main window. */
function otherWindows() {
  let ids = [];
  try { ids = xdotool("search", "--onlyvisible", "--name", ".*").split("\n").filter(Boolean); } catch { return []; }
  return ids.filter((id) => {
    try { return xdotool("getwindowname", id) !== "Casevault"; } catch { return false; }
  });
}

test("choosing a file in the native dialog leaves its name nowhere on disk", async () => {
  const home = freshHome();
  const outside = mkdtempSync(join(tmpdir(), "casevault-e2e-src-"));
  // Name only: letters, digits and dashes survive URI escaping unchanged,
  // so the scan also finds it inside recently-used.xbel's file:// URIs.
  const canaryName = `canary-${Math.random().toString(16).slice(2)}-evidence.jpg`;
  const chosen = join(outside, canaryName);
  copyFileSync(join(ROOT, "tests/fixtures/evidence/almaty-photo-exif.jpg"), chosen);
  sampleVault(home);
  const app = await launch({ home });
  const { browser } = app;
  try {
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await openCase(browser, "Kurmanov");
    await (await shown(browser, "attachments-toggle-case-case-kurmanov")).click();
    const before = new Set(otherWindows());
    await (await shown(browser, "attach-choose")).click();

    let dialog;
    const deadline = Date.now() + 20000;
    while (!dialog && Date.now() < deadline) {
      dialog = otherWindows().find((id) => !before.has(id));
      if (!dialog) await sleep(200);
    }
    assert.ok(dialog, "the native file dialog opened");
    // No window manager runs under Xvfb: focus the dialog directly, then
    // type the location as a user would (Ctrl+L opens the location entry).
    xdotool("windowfocus", "--sync", dialog);
    await sleep(800);
    xdotool("key", "--window", dialog, "ctrl+l");
    await sleep(300);
    xdotool("type", "--window", dialog, "--delay", "20", chosen);
    await sleep(300);
    xdotool("key", "--window", dialog, "Return");

    await browser.waitUntil(async () => (await byTestId(browser, "attach-path").getValue()) === chosen,
      { timeout: 15000, timeoutMsg: "the dialog's choice did not reach the form" });
    // GTK writes its recent-files list shortly after a choice.
    await sleep(3000);
  } finally {
    await app.close();
  }
  try {
    const scanned = [home, `${home}.tmp`, `${home}.run`].flatMap(filesUnder);
    assert.ok(scanned.length > 0, "the launch wrote its files under the test home");
    for (const f of scanned) {
      assert.ok(!f.includes(canaryName), `a file is named after the choice: ${f}`);
      assert.ok(!fileContains(f, canaryName), `the chosen file's name was recorded in ${f}`);
    }
  } finally {
    removeHome(home);
    rmSync(outside, { recursive: true, force: true });
  }
});
