// Two real app instances share a case through one local Garage (issue 18),
// one after the other, each with its own vault: B shows its device key, A
// makes a space from a case, pastes B's key, stores the S3 key in its vault
// and syncs through Garage; B stores the key and syncs, and the case is in
// B's vault. Each app runs under strace: every inet connect goes to the
// Garage endpoint's port on 127.0.0.1 (or is WebKit's automation link), and
// nowhere else. The screens with the S3 key panel are looked at (look.mjs)
// at 1024x640 and 1280x800, A in English and B in Kazakh.
// Garage is one node started by the sync crate's garage-fixture;
// CASEVAULT_SKIP_GARAGE=1 without a garage binary skips the journey.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  CLI, PASSPHRASE, ROOT, appEnv, byTestId, clickWhenEnabled, fileContains, filesUnder, freshHome, launch, removeHome, sampleVault, shown,
  type, unlockThroughUi,
} from "../harness.mjs";
import { SIZES, assertLooksRight, setLanguage, setSize } from "./look.mjs";

/** Builds and starts garage-fixture: its line and process, or null when skipped. */
async function startGarage() {
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".casevault-build/target");
  execFileSync("cargo", ["build", "--quiet", "-p", "casevault-sync", "--features", "test-support", "--bin", "garage-fixture"], {
    cwd: ROOT,
    env: { ...process.env, CARGO_TARGET_DIR: target },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const child = spawn(join(target, "debug", "garage-fixture"), [], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((done, fail) => {
    createInterface({ input: child.stdout }).once("line", (l) => done(JSON.parse(l)));
    child.once("exit", (code) => (code === 3 ? done(null) : fail(new Error(`garage-fixture exited with ${code}`))));
  });
  return line && { ...line, stop: () => child.stdin.end() };
}

/** A vault made with the CLI, with no case in it. */
function emptyVault(home) {
  const env = { ...appEnv(home), CASEVAULT_NEW_PASSPHRASE: PASSPHRASE };
  execFileSync(CLI, ["init", "--kdf-ms", "200"], { env, stdio: ["ignore", "pipe", "pipe"] });
}

/** Launches the app of `home` under strace; returns the app and its log. */
async function launchTraced(home, name) {
  const log = join(`${home}.run`, `strace-${name}.log`);
  const app = await launch({
    home,
    application: join(ROOT, "tests/e2e/strace-app.sh"),
    env: { CASEVAULT_STRACE_LOG: log },
  });
  return { app, log };
}

/** Every inet line of a strace log that goes neither to the automation link nor to Garage. */
function strayConnections(log, garagePort) {
  const automation = readFileSync(`${log}.inspector`, "utf8").split("\n")[0].trim();
  assert.match(automation, /^127\.0\.0\.1:\d+$/);
  const [, port] = automation.split(":");
  const inet = readFileSync(log, "utf8").split("\n").filter((l) => /AF_INET6?\b/.test(l));
  assert.ok(inet.length > 0, "strace saw the automation link, so it was recording");
  const local = (l, p) => l.includes(`htons(${p})`) && l.includes('inet_addr("127.0.0.1")');
  const toGarage = inet.filter((l) => /\bconnect\(/.test(l) && local(l, garagePort));
  return { toGarage, other: inet.filter((l) => !local(l, port) && !local(l, garagePort)) };
}

/** Looks at the current screen at both sizes (the window ends at the last). */
async function lookAtBothSizes(browser, ctxs, screen) {
  for (const ctx of ctxs) {
    await setSize(browser, ctx.size);
    await assertLooksRight(assert, browser, ctx, screen);
  }
}

/** Types the S3 address and stores the key in the vault through the key panel. */
async function storeKey(browser, g) {
  await (await shown(browser, "sync-section")).scrollIntoView({ block: "start" });
  await type(browser, "sync-folder", g.address);
  await shown(browser, "s3-key-needed");
  assert.equal(await (await shown(browser, "sync-submit")).isEnabled(), false, "no key yet: nothing to send");
  await type(browser, "s3-key-id", g.key_id);
  await type(browser, "s3-secret", g.secret);
  assert.equal(await (await shown(browser, "s3-secret")).getAttribute("type"), "password");
  await (await shown(browser, "s3-key-save")).click();
  const stored = await shown(browser, "s3-key-stored");
  assert.match(await stored.getText(), new RegExp(g.key_id));
  assert.equal(await browser.$('[data-testid="s3-secret"]').isExisting(), false, "the secret field is gone once stored");
}

test("two app instances share a case through a local Garage; the only connections go to Garage", async (t) => {
  const g = await startGarage();
  if (!g) return t.skip("no garage binary and CASEVAULT_SKIP_GARAGE=1");
  const homeA = freshHome();
  const homeB = freshHome();
  try {
    sampleVault(homeA);
    setLanguage(homeA, "en");
    emptyVault(homeB);
    setLanguage(homeB, "kk");
    const ctxA = SIZES.map((size) => ({ journey: "team-garage-a", lang: "en", size }));
    const ctxB = SIZES.map((size) => ({ journey: "team-garage-b", lang: "kk", size }));

    // B: its device key, as its owner reads it out or copies it.
    let run = await launchTraced(homeB, "b1");
    let keyB;
    try {
      const { browser } = run.app;
      await setSize(browser, SIZES[1]);
      await unlockThroughUi(browser);
      await shown(browser, "home", 30000);
      await (await shown(browser, "nav-team")).click();
      keyB = (await (await shown(browser, "device-key-line")).getValue()).trim();
      assert.match(keyB, /\S/);
    } finally {
      await run.app.close();
    }
    const b1 = strayConnections(run.log, g.port);
    assert.deepEqual(b1.other, [], "B used the network");
    assert.deepEqual(b1.toGarage, [], "B connected to Garage without a sync");

    // A: a space from one case, B's key pasted, the S3 key stored, a sync through Garage.
    run = await launchTraced(homeA, "a");
    try {
      const { browser } = run.app;
      await setSize(browser, SIZES[1]);
      await unlockThroughUi(browser);
      await shown(browser, "home", 30000);
      await (await shown(browser, "nav-team")).click();
      await type(browser, "space-name", "Garage desk");
      const box = await browser.$('[data-testid="space-case"][data-case="case-moldashev"]');
      await box.scrollIntoView({ block: "center" });
      await box.click();
      await clickWhenEnabled(browser, "space-create");
      await shown(browser, "space-created");
      await (await shown(browser, "member-add-warning")).scrollIntoView({ block: "start" });
      await type(browser, "member-key", keyB);
      await type(browser, "member-label", "Aigerim");
      await clickWhenEnabled(browser, "member-add");
      await browser.waitUntil(async () => (await browser.$$('[data-testid="space-member"]')).length === 2,
        { timeout: 10000, timeoutMsg: "the member was not added" });

      await (await shown(browser, "sync-section")).scrollIntoView({ block: "start" });
      await type(browser, "sync-folder", g.address);
      await shown(browser, "s3-key-needed");
      await lookAtBothSizes(browser, ctxA, "team-s3-key-needed");
      await storeKey(browser, g);
      await (await shown(browser, "s3-key")).scrollIntoView({ block: "center" });
      await lookAtBothSizes(browser, ctxA, "team-s3-key-stored");
      await clickWhenEnabled(browser, "sync-submit");
      const report = await shown(browser, "sync-report", 60000);
      assert.ok(Number(await report.getAttribute("data-sent")) > 0, "the sync sent the space");
      await report.scrollIntoView({ block: "center" });
      await lookAtBothSizes(browser, ctxA, "team-s3-synced");
    } finally {
      await run.app.close();
    }
    const a = strayConnections(run.log, g.port);
    assert.deepEqual(a.other, [], "A connected somewhere other than Garage");
    assert.ok(a.toGarage.length > 0, "A's sync went to Garage");

    // B again: the key stored, a sync through Garage, and the case is here.
    run = await launchTraced(homeB, "b2");
    try {
      const { browser } = run.app;
      await setSize(browser, SIZES[1]);
      await unlockThroughUi(browser);
      await shown(browser, "home", 30000);
      await (await shown(browser, "nav-team")).click();
      await shown(browser, "spaces-empty");
      await storeKey(browser, g);
      await (await shown(browser, "s3-key")).scrollIntoView({ block: "center" });
      await lookAtBothSizes(browser, ctxB, "team-s3-key-stored");
      await clickWhenEnabled(browser, "sync-submit");
      // The app asks before joining: B compares the fingerprints the offer
      // shows, names the space and accepts; the view then syncs its cases.
      const dialog = await shown(browser, "invitation-dialog", 60000);
      assert.ok((await (await byTestId(browser, "invitation-creator")).getText()).trim().length > 0, "the creator's fingerprint is shown");
      await lookAtBothSizes(browser, ctxB, "team-s3-invitation");
      await type(browser, "invitation-name-input", "Kazakhstan desk");
      await (await dialog.$('[data-testid="invitation-accept"]')).click();
      await browser.waitUntil(async () => !(await (await byTestId(browser, "invitation-dialog")).isExisting()),
        { timeout: 20000, timeoutMsg: "the invitation dialog stayed open" });
      // The report is drawn anew by the sync after accepting.
      await browser.waitUntil(async () => {
        const report = await byTestId(browser, "sync-report");
        return (await report.isExisting()) && Number(await report.getAttribute("data-applied")) > 0;
      }, { timeout: 60000, timeoutMsg: "the sync after accepting wrote nothing here" });
      const report = await byTestId(browser, "sync-report");
      const joined = await shown(browser, "space", 20000);
      assert.ok(await joined.$('[data-case="case-moldashev"]').isExisting(), "the space holds the case");
      await report.scrollIntoView({ block: "center" });
      await lookAtBothSizes(browser, ctxB, "team-s3-joined");
      await (await shown(browser, "nav-cases")).click();
      await browser.waitUntil(
        async () => (await browser.$$('[data-testid="case-row"]')).length === 1,
        { timeout: 20000, timeoutMsg: "B's case list does not show the one shared case" },
      );
      assert.equal(await (await browser.$('[data-testid="case-row"]')).getAttribute("data-id"), "case-moldashev");
    } finally {
      await run.app.close();
    }
    const b2 = strayConnections(run.log, g.port);
    assert.deepEqual(b2.other, [], "B connected somewhere other than Garage");
    assert.ok(b2.toGarage.length > 0, "B's sync went to Garage");

    // The secret is in neither vault's folder in the clear, nor anywhere in the homes.
    for (const home of [homeA, homeB]) {
      for (const dir of [home, `${home}.tmp`, `${home}.run`]) {
        for (const f of filesUnder(dir)) assert.ok(!fileContains(f, g.secret), `the S3 secret found in ${f}`);
      }
    }
  } finally {
    g.stop();
    removeHome(homeA);
    removeHome(homeB);
  }
});
