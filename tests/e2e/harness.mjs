// The end-to-end harness: starts a virtual display, tauri-driver (which
// drives WebKitWebDriver) and the real Casevault binary in a throwaway
// home directory, and hands the test a WebDriver session.
//
// Each launch gets its own $HOME and XDG directories, so a test can check
// afterwards that nothing was written where it should not be.

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, existsSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, "../..");
export const APP = process.env.CASEVAULT_APP_BIN;
export const CLI = process.env.CASEVAULT_CLI_BIN;
export const IDENTIFIER = JSON.parse(readFileSync(join(ROOT, "tauri.conf.json"), "utf8")).identifier;
export const SCREENSHOTS = join(ROOT, "target", "screenshots");

export const PASSPHRASE = "violet harbour quantum tortoise 1997";
export const OTHER_PASSPHRASE = "copper lantern meadow galaxy 2031";

if (!APP || !existsSync(APP)) {
  throw new Error("CASEVAULT_APP_BIN must point at an app built by scripts/build-app");
}

let xvfb;
export function ensureDisplay() {
  if (process.env.DISPLAY) return;
  const display = `:${110 + Math.floor(Math.random() * 80)}`;
  xvfb = spawn("Xvfb", [display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], { stdio: "ignore" });
  process.env.DISPLAY = display;
  xvfb.unref();
  process.on("exit", () => xvfb?.kill());
  execFileSync("sleep", ["0.5"]);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
    srv.on("error", reject);
  });
}

async function waitForPort(port, child, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    const ok = await new Promise((r) => {
      const s = net.connect(port, "127.0.0.1", () => { s.end(); r(true); });
      s.on("error", () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port}`);
}

/**
 * A fresh, empty home directory for one app run, with its own temp and
 * runtime directories beside it (as a desktop session has), so that a test
 * can inspect everything the app wrote.
 */
export function freshHome() {
  const home = mkdtempSync(join(tmpdir(), "casevault-e2e-"));
  for (const d of [".local/share", ".config", ".cache"]) mkdirSync(join(home, d), { recursive: true });
  mkdirSync(`${home}.tmp`, { mode: 0o700 });
  mkdirSync(`${home}.run`, { mode: 0o700 });
  return home;
}

/** The environment the app runs with for a given home. */
export function appEnv(home, vault, extra = {}) {
  return {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_RUNTIME_DIR: `${home}.run`,
    TMPDIR: `${home}.tmp`,
    CASEVAULT_VAULT: vault ?? join(home, "vault"),
    ...extra,
  };
}

/** Removes a home made by freshHome and its temp and runtime dirs. */
export function removeHome(home) {
  for (const d of [home, `${home}.tmp`, `${home}.run`]) rmSync(d, { recursive: true, force: true });
}

/**
 * Checks what a run left on disk: the webview kept no storage, ~/.cache
 * is empty, and none of the given secrets appears in any file of the
 * home, temp or runtime directory (UTF-8 or UTF-16).
 */
export function assertNothingLeaked(assert, home, secrets, ignore = []) {
  assert.deepEqual(filesUnder(join(home, ".local/share", IDENTIFIER)), [], "webview data directory");
  assert.deepEqual(filesUnder(join(home, ".cache")), [], "~/.cache must stay empty");
  for (const dir of [home, `${home}.tmp`, `${home}.run`]) {
    for (const f of filesUnder(dir)) {
      if (ignore.includes(f)) continue;
      for (const s of secrets) assert.ok(!fileContains(f, s), `"${s.slice(0, 12)}…" found in ${f}`);
    }
  }
}

/**
 * Starts the app and returns { browser, home, vault, close }.
 * options.home reuses a home (to reopen the same vault); options.application
 * replaces the binary (e.g. the strace wrapper); options.env adds variables.
 */
export async function launch(options = {}) {
  ensureDisplay();
  const home = options.home ?? freshHome();
  const vault = options.vault ?? join(home, "vault");
  const port = await freePort();
  const nativePort = await freePort();
  const env = appEnv(home, vault, options.env ?? {});
  // Its own process group, so that close() can end the driver, WebKitWebDriver
  // and the app (and anything the app left behind) in one signal.
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let driverLog = "";
  driver.stderr.on("data", (d) => { driverLog += d; });
  await waitForPort(port, driver);
  let browser;
  try {
    browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      connectionRetryCount: 1,
      capabilities: {
        browserName: "wry",
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: options.application ?? APP },
      },
    });
  } catch (e) {
    try { process.kill(-driver.pid, "SIGKILL"); } catch { /* gone */ }
    throw new Error(`could not start a WebDriver session: ${e.message}\n${driverLog}`);
  }
  return {
    browser,
    home,
    vault,
    async close() {
      try { await browser.deleteSession(); } catch { /* the app may already be gone */ }
      const exited = new Promise((r) => (driver.exitCode !== null ? r() : driver.once("exit", r)));
      try { process.kill(-driver.pid, "SIGTERM"); } catch { /* already gone */ }
      await exited;
      await new Promise((r) => setTimeout(r, 300));
      try { process.kill(-driver.pid, "SIGKILL"); } catch { /* nothing left */ }
      driver.stderr.destroy();
    },
  };
}

/** Finds an element by data-testid. */
export function byTestId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

/** Waits for an element by data-testid to be displayed and returns it. */
export async function shown(browser, id, timeout = 20000) {
  const el = byTestId(browser, id);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${id} was not shown within ${timeout} ms` });
  return el;
}

/** Types into an input found by data-testid (clearing it first). */
export async function type(browser, id, text) {
  const el = await shown(browser, id);
  if (text !== "") {
    await el.clearValue();
    await el.setValue(text);
  } else {
    // clearValue fires no input event, so a bound field would keep its old
    // value: erase it as a user would.
    await el.click();
    await browser.keys(["Control", "a"]);
    await browser.keys("Backspace");
  }
}

/**
 * Saves a screenshot for people to look at under target/screenshots/.
 * It grabs the X display rather than asking WebDriver: the app runs WebKit
 * without accelerated compositing, and WebKitWebDriver's snapshot call
 * hangs in that mode.
 */
export async function screenshot(browser, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Give WebKit a moment to paint what the last action changed.
  await browser.pause(300);
  execFileSync("import", ["-window", "root", join(SCREENSHOTS, `${name}.png`)], { env: process.env });
}

/** Every file under dir (recursively), or [] if dir does not exist. */
export function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** True when needle occurs in the file as UTF-8 or UTF-16LE/BE. */
export function fileContains(path, needle) {
  let bytes;
  try { bytes = readFileSync(path); } catch { return false; }
  const le = Buffer.from(needle, "utf16le");
  const be = Buffer.from(le);
  be.swap16();
  return [Buffer.from(needle, "utf8"), le, be].some((n) => bytes.includes(n));
}

/** Clicks a button once it is enabled (forms enable submit after validation). */
export async function clickWhenEnabled(browser, id, timeout = 10000) {
  const el = await shown(browser, id);
  await el.waitForEnabled({ timeout, timeoutMsg: `${id} stayed disabled` });
  await el.click();
}

/** Creates a vault through the UI and completes the recovery-key ceremony. */
export async function createVaultThroughUi(browser, passphrase = PASSPHRASE) {
  await type(browser, "create-passphrase", passphrase);
  await type(browser, "create-confirm", passphrase);
  await clickWhenEnabled(browser, "create-submit");
  const keyEl = await shown(browser, "recovery-key", 60000);
  const recoveryKey = (await keyEl.getText()).replace(/\s+/g, "");
  await (await shown(browser, "recovery-written")).click();
  await type(browser, "recovery-confirm-input", recoveryKey);
  await (await shown(browser, "recovery-confirm-submit")).click();
  await shown(browser, "home", 20000);
  return recoveryKey;
}

/** Unlocks through the UI. */
export async function unlockThroughUi(browser, passphrase = PASSPHRASE) {
  await type(browser, "unlock-passphrase", passphrase);
  await (await shown(browser, "unlock-submit")).click();
}

/**
 * Creates the vault of `home` with the CLI and imports the report's sample
 * cases, so that a test starts from realistic data at the unlock screen.
 * Secrets go through the environment, never a file under the home.
 */
export function sampleVault(home, passphrase = PASSPHRASE) {
  const env = { ...appEnv(home), CASEVAULT_NEW_PASSPHRASE: passphrase, CASEVAULT_PASSPHRASE: passphrase };
  const opts = { env, stdio: ["ignore", "pipe", "pipe"] };
  execFileSync(CLI, ["init", "--kdf-ms", "200"], opts);
  execFileSync(CLI, ["import", join(ROOT, "samples", "kazakhstan-report.json")], opts);
}

/** From Home: opens the case whose row the quick-find text selects. */
export async function openCase(browser, find) {
  await (await shown(browser, "nav-cases")).click();
  await type(browser, "case-filter", find);
  await browser.waitUntil(async () => (await browser.$$('[data-testid="case-row"]')).length === 1,
    { timeout: 10000, timeoutMsg: `quick-find "${find}" did not narrow to one case` });
  await (await browser.$('[data-testid="case-row"] button, [data-testid="case-row"] a')).click();
  await shown(browser, "case-view");
}

/** Every element's text for a data-testid. */
export async function texts(browser, id) {
  const out = [];
  for (const el of await browser.$$(`[data-testid="${id}"]`)) out.push(await el.getText());
  return out;
}

/** Waits for the first element with a data-testid whose text includes `text`. */
export async function withText(browser, id, text, timeout = 10000) {
  let found;
  await browser.waitUntil(async () => {
    for (const el of await browser.$$(`[data-testid="${id}"]`)) {
      if ((await el.getText()).includes(text)) { found = el; return true; }
    }
    return false;
  }, { timeout, timeoutMsg: `no ${id} with "${text}" within ${timeout} ms` });
  return found;
}
