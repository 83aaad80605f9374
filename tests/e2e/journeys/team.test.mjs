// The Team view, as a caseworker meets it, in English, Russian and Kazakh at
// 1024×640 and 1280×800: this device's key with its QR code, a space made
// from a case, a colleague's device key (made by the CLI on another vault)
// added after the fingerprint warning, a sync to a folder (a USB stick) with
// the report of what it did, and travel mode. Every main screen is looked at
// (look.mjs): screenshot, layout invariants, no foreign strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  CLI, PASSPHRASE, ROOT, appEnv, clickWhenEnabled, freshHome, launch, removeHome, sampleVault, shown, type, unlockThroughUi,
} from "../harness.mjs";
import { LANGUAGES, SIZES, assertLooksRight, setLanguage, setSize } from "./look.mjs";

/** A colleague's vault, made with the CLI: its device key line. */
function colleagueKey(home) {
  const env = { ...appEnv(home), CASEVAULT_NEW_PASSPHRASE: PASSPHRASE, CASEVAULT_PASSPHRASE: PASSPHRASE };
  const opts = { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" };
  execFileSync(CLI, ["init", "--kdf-ms", "200"], opts);
  return execFileSync(CLI, ["device", "key"], opts).trim();
}

/** Whether the element's box lies inside the window horizontally and has a size. */
function fitsAcross(browser, id) {
  return browser.execute((testid) => {
    const el = document.querySelector(`[data-testid="${testid}"]`);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.left >= 0 && r.right <= window.innerWidth && r.width > 0 && r.height > 0;
  }, id);
}

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    test(`team journey, ${lang}, ${size.width}x${size.height}`, async () => {
      const home = freshHome();
      const other = freshHome();
      sampleVault(home);
      setLanguage(home, lang);
      const key = colleagueKey(other);
      const stick = join(home, "usb-stick");
      mkdirSync(stick);
      const app = await launch({ home });
      const { browser } = app;
      const ctx = { journey: "team", lang, size };
      try {
        await setSize(browser, size);
        await unlockThroughUi(browser);
        await shown(browser, "home", 30000);

        // This device's key: text, fingerprint and a QR code that fits.
        await (await shown(browser, "nav-team")).click();
        await shown(browser, "device-key-qr");
        assert.ok(await browser.$('[data-testid="device-key-qr"] svg').isExisting(), "the QR code is an SVG");
        assert.ok(await fitsAcross(browser, "device-key-qr"), "the QR code fits in the window");
        assert.match(await (await shown(browser, "device-key-fingerprint")).getText(), /\S/);
        await assertLooksRight(assert, browser, ctx, "team");

        // A space from one case.
        await type(browser, "space-name", "Kazakhstan desk");
        const box = await browser.$('[data-testid="space-case"][data-case="case-moldashev"]');
        await box.scrollIntoView({ block: "center" });
        await box.click();
        await clickWhenEnabled(browser, "space-create");
        await shown(browser, "space-created");
        const space = await shown(browser, "space");
        await space.scrollIntoView({ block: "start" });
        await assertLooksRight(assert, browser, ctx, "team-space");

        // The colleague's key, after the warning to compare fingerprints.
        await (await shown(browser, "member-add-warning")).scrollIntoView({ block: "start" });
        await type(browser, "member-key", key);
        await type(browser, "member-label", "Aigerim");
        await clickWhenEnabled(browser, "member-add");
        await browser.waitUntil(async () => (await browser.$$('[data-testid="space-member"]')).length === 2,
          { timeout: 10000, timeoutMsg: "the member was not added" });
        await assertLooksRight(assert, browser, ctx, "team-member-added");

        // Sync with the folder: the report says what it did.
        await (await shown(browser, "sync-section")).scrollIntoView({ block: "start" });
        await type(browser, "sync-folder", stick);
        await clickWhenEnabled(browser, "sync-submit");
        const report = await shown(browser, "sync-report", 60000);
        assert.ok(Number(await report.getAttribute("data-sent")) > 0, "the sync sent the space");
        assert.ok(readdirSync(join(stick, "objects")).length > 0, "the folder holds sealed objects");
        await assertLooksRight(assert, browser, ctx, "team-synced");

        // Travel mode: unloaded, and the case is gone from this device.
        const unload = await shown(browser, "space-unload");
        await unload.scrollIntoView({ block: "center" });
        await unload.click();
        await shown(browser, "space-unloaded", 30000);
        await (await shown(browser, "space-reload")).scrollIntoView({ block: "center" });
        await assertLooksRight(assert, browser, ctx, "team-unloaded");
      } finally {
        await app.close();
        removeHome(home);
        removeHome(other);
      }
    });
  }
}

test("the app syncs with a folder, and an s3:// address with no key stored sends nothing: no socket but the WebDriver link", async () => {
  const home = freshHome();
  sampleVault(home);
  const stick = join(home, "usb-stick");
  mkdirSync(stick);
  const straceLog = join(`${home}.run`, "strace.log");
  const app = await launch({
    home,
    application: join(ROOT, "tests/e2e/strace-app.sh"),
    env: { CASEVAULT_STRACE_LOG: straceLog },
  });
  try {
    const { browser } = app;
    await unlockThroughUi(browser);
    await shown(browser, "home", 30000);
    await (await shown(browser, "nav-team")).click();
    await type(browser, "space-name", "Desk");
    const box = await browser.$('[data-testid="space-case"][data-case="case-moldashev"]');
    await box.scrollIntoView({ block: "center" });
    await box.click();
    await clickWhenEnabled(browser, "space-create");
    await shown(browser, "space-created");

    // An S3 address (a local Garage's) with no key stored: the view asks
    // for the key and nothing is sent (the core refuses it too, as s3_key
    // required: team.test.ts). Syncing through Garage: team-garage.test.mjs.
    await (await shown(browser, "sync-section")).scrollIntoView({ block: "start" });
    await type(browser, "sync-folder", "s3://casevault?endpoint=http://127.0.0.1:3900");
    await shown(browser, "s3-key-needed");
    assert.equal(await (await shown(browser, "sync-submit")).isEnabled(), false);

    await type(browser, "sync-folder", `file://${stick}`);
    await clickWhenEnabled(browser, "sync-submit");
    await shown(browser, "sync-report", 60000);
    assert.ok(readdirSync(join(stick, "objects")).length > 0, "the folder holds sealed objects");
  } finally {
    await app.close();
  }
  try {
    // As in vault.test.mjs: the only socket is WebKit's automation link.
    const automation = readFileSync(`${straceLog}.inspector`, "utf8").split("\n")[0].trim();
    assert.match(automation, /^127\.0\.0\.1:\d+$/);
    const [, port] = automation.split(":");
    const inet = readFileSync(straceLog, "utf8").split("\n").filter((l) => /AF_INET6?\b/.test(l));
    assert.ok(inet.length > 0, "strace saw the automation link, so it was recording");
    const other = inet.filter((l) => !(l.includes(`htons(${port})`) && l.includes('inet_addr("127.0.0.1")')));
    assert.deepEqual(other, [], "the app used the network");
  } finally {
    removeHome(home);
  }
});
