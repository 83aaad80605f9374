// Self-report and intake in the running app. An activist creates a
// self-report vault at first start, answers the guided questionnaire
// (answers saved at every step), attaches a screenshot, adds the NGO's
// intake key after comparing its fingerprint, seals the report to a file
// outside the vault, deletes their own copy, and leaves by quick exit.
// Nothing of the report is left on the activist's disk but the sealed
// file. The NGO's vault then receives the file into its intake inbox,
// reviews it and accepts it into a new case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, type, screenshot, unlockThroughUi, clickWhenEnabled,
  assertNothingLeaked, sampleVault, texts, withText, appEnv, byTestId, CLI, PASSPHRASE,
} from "./harness.mjs";

function cli(home, args) {
  const env = { ...appEnv(home), CASEVAULT_PASSPHRASE: PASSPHRASE, CASEVAULT_NEW_PASSPHRASE: PASSPHRASE };
  return execFileSync(CLI, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Creates the vault through the first-start screen, as a self-report vault. */
async function createSelfReportVault(browser) {
  await type(browser, "create-passphrase", PASSPHRASE);
  await type(browser, "create-confirm", PASSPHRASE);
  await (await shown(browser, "create-mode-self-report")).click();
  await clickWhenEnabled(browser, "create-submit");
  const keyEl = await shown(browser, "recovery-key", 60000);
  const recoveryKey = (await keyEl.getText()).replace(/\s+/g, "");
  await (await shown(browser, "recovery-written")).click();
  await type(browser, "recovery-confirm-input", recoveryKey);
  await (await shown(browser, "recovery-confirm-submit")).click();
}

async function next(browser, title) {
  await clickWhenEnabled(browser, "report-next");
  await withText(browser, "report-step-title", title, 15000);
}

test("an activist seals a self-report to an NGO, deletes their copy, and the NGO accepts it into a case", async () => {
  const ngo = freshHome();
  const activist = freshHome();
  const outside = mkdtempSync(join(tmpdir(), "casevault-e2e-usb-"));
  const sealed = join(outside, "my-report.cvb");
  const canary = `CANARY-${Date.now().toString(16)}-КАНАРЕЙКА`;
  const screenshotFile = join(outside, "threat-message.png");
  writeFileSync(screenshotFile, `PNG-ish bytes of a screenshot ${canary}`);
  // The NGO's vault, with the sample cases and an intake key it published.
  sampleVault(ngo);
  const intakeKey = cli(ngo, ["keygen", "--label", "Intake key"]);
  assert.match(intakeKey, /^age1/);

  let app = await launch({ home: activist });
  try {
    const { browser } = app;
    await createSelfReportVault(browser);
    await shown(browser, "self-report-home", 30000);
    await screenshot(browser, "self-report-home");
    await clickWhenEnabled(browser, "report-new");
    await shown(browser, "report-wizard");

    // 1. About me: a name is optional; this reporter gives one.
    await withText(browser, "report-step-title", "1");
    await type(browser, "report-name", "Aigerim Nurpeisova");
    await type(browser, "report-other-names", "Айгерим Нурпеисова");
    await (await shown(browser, "report-citizenship")).selectByAttribute("value", "KZ");
    // 2. What happened, with an uncertain date read back.
    await next(browser, "2");
    // The reporter's own words, not the typology: "I was followed or watched".
    await (await shown(browser, "report-what_happened-act-type")).selectByAttribute("value", "followed");
    await type(browser, "report-what_happened-when", "approx. March 2024");
    const canonical = await shown(browser, "report-what_happened-when-canonical", 15000);
    assert.equal(await canonical.getAttribute("data-value"), "~2024-03");
    await type(browser, "report-what_happened-place", "outside my flat in Berlin");
    await type(browser, "report-what_happened-details", `Two men photographed me for a week. ${canary}`);
    await type(browser, "report-what_happened-who", "KNB officers");
    await screenshot(browser, "self-report-what-happened");
    // 3–6. Relatives yes; the rest no.
    await next(browser, "3");
    await (await shown(browser, "report-relatives-yes")).click();
    await type(browser, "report-relatives-when", "April 2024");
    await type(browser, "report-relatives-details", "Police visited my mother in Almaty.");
    for (const [n, step] of [["4", "digital"], ["5", "travel"], ["6", "notices"]]) {
      await next(browser, n);
      await (await shown(browser, `report-${step}-no`)).click();
    }
    // 7. Evidence, hashed at intake.
    await next(browser, "7");
    await type(browser, "report-attach-path", screenshotFile);
    await clickWhenEnabled(browser, "report-attach-submit");
    const file = await withText(browser, "report-file", "threat-message.png", 30000);
    assert.ok((await file.getText()).length > 0);
    // 8. Consent.
    await next(browser, "8");
    await (await shown(browser, "report-consent-record")).click();
    await (await shown(browser, "report-consent-lawyers")).click();
    // 9. Every answer once more, read-only, before sealing.
    await next(browser, "9");
    const review = await shown(browser, "report-review");
    assert.match(await (await shown(browser, "report-review-what_happened-what")).getText(), /followed/);
    assert.ok((await review.getText()).includes("Police visited my mother in Almaty."));
    await screenshot(browser, "self-report-review");
    // 10. Seal.
    await next(browser, "10");
    await shown(browser, "report-problems-section", 15000);
    const problems = await texts(browser, "report-problem");
    assert.deepEqual(problems, [], "the report is ready to seal");
    await shown(browser, "report-problems-none");

    // The NGO's key: a truncated one is refused on entry, the real one
    // shows its fingerprint to compare.
    await type(browser, "report-key-text", intakeKey.slice(0, 30));
    await clickWhenEnabled(browser, "report-key-check");
    const keyError = await shown(browser, "report-key-error", 15000);
    assert.equal(await keyError.getAttribute("data-code"), "invalid_input");
    await type(browser, "report-key-text", intakeKey);
    await clickWhenEnabled(browser, "report-key-check");
    const fingerprint = await (await shown(browser, "report-key-fingerprint", 15000)).getText();
    // The one fingerprint format: SHA256 base64, grouped in fours to read aloud.
    assert.match(fingerprint, /^SHA256:[A-Za-z0-9+/]{4}( [A-Za-z0-9+/]{1,4}){10}$/);
    await type(browser, "report-key-name", "Freedom Now NGO");
    await (await shown(browser, "report-key-compared")).click();
    await clickWhenEnabled(browser, "report-key-save");
    await shown(browser, "report-org-added", 15000);
    await screenshot(browser, "self-report-seal");

    // A file name that gives away her name (in another script and case) is warned about.
    await type(browser, "report-seal-path", join(outside, "nurpeisovoy-report.cvb"));
    const warning = await shown(browser, "report-seal-name-warning", 15000);
    assert.match(await warning.getText(), /Aigerim Nurpeisova|Айгерим Нурпеисова/);
    await warning.scrollIntoView({ block: "center" });
    await screenshot(browser, "self-report-name-warning");
    await type(browser, "report-seal-path", sealed);
    await warning.waitForDisplayed({ reverse: true, timeout: 15000 });
    await clickWhenEnabled(browser, "report-seal-submit");
    await shown(browser, "report-sealed", 60000);
    assert.equal(await (await shown(browser, "report-sealed-to")).getText(), fingerprint);

    // Delete my copy: asked to confirm, then gone from the list.
    await (await shown(browser, "report-delete")).click();
    await shown(browser, "report-delete-dialog");
    await clickWhenEnabled(browser, "report-delete-confirm");
    await shown(browser, "report-deleted", 30000);
    assert.equal((await texts(browser, "report-item")).length, 0);

    // Quick exit: the window goes and the app quits (the click may not
    // even get its answer), so the WebDriver session ends with it.
    try {
      await (await shown(browser, "quick-exit")).click();
    } catch { /* the app quit while answering */ }
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      try {
        await browser.getTitle();
        await new Promise((r) => setTimeout(r, 200));
      } catch {
        gone = true;
      }
    }
    assert.ok(gone, "quick exit quits the app");
  } finally {
    await app.close();
  }
  assert.ok(existsSync(sealed), "the sealed report was written outside the vault");
  // The vault was locked and released: the CLI opens it, and the report
  // is gone from it.
  assert.equal(cli(activist, ["report", "ls"]), "");
  assert.match(cli(activist, ["status"]), /Mode:\s+self-report/);
  // Nothing of the report on the activist's disk: not the answers, not
  // the screenshot's bytes (the original screenshot and the sealed file
  // are outside the home).
  assertNothingLeaked(assert, activist, [canary, "Two men photographed me"]);

  app = await launch({ home: ngo });
  try {
    const { browser } = app;
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await (await shown(browser, "nav-inbox")).click();
    await shown(browser, "inbox-view");
    await type(browser, "intake-path", sealed);
    await clickWhenEnabled(browser, "intake-receive");
    await shown(browser, "intake-received", 60000);
    const item = await withText(browser, "intake-item", "Aigerim Nurpeisova", 15000);
    const bundleId = await item.getAttribute("data-id");
    // The same file again is recognised and not duplicated.
    await type(browser, "intake-path", sealed);
    await clickWhenEnabled(browser, "intake-receive");
    const replay = await shown(browser, "intake-error", 30000);
    assert.ok((await replay.getText()).includes("nothing was duplicated"), await replay.getText());
    assert.equal((await texts(browser, "intake-item")).length, 1);

    await (await shown(browser, `intake-review-${bundleId}`)).click();
    await shown(browser, "intake-review", 15000);
    await screenshot(browser, "intake-review");
    await (await shown(browser, "intake-case-new")).click();
    await clickWhenEnabled(browser, "intake-accept");
    await shown(browser, "intake-accepted", 60000);
    // When it was decided, in words: no raw timestamp.
    const decided = await (await shown(browser, "intake-decided", 15000)).getText();
    assert.doesNotMatch(decided, /\d{4}-\d{2}-\d{2}T\d{2}:/, decided);
    await screenshot(browser, "intake-decided");
    await (await shown(browser, "intake-open-case")).click();
    await shown(browser, "case-view", 15000);
    await withText(browser, "case-view", "Aigerim Nurpeisova", 15000);
    await screenshot(browser, "intake-accepted-case");
  } finally {
    await app.close();
  }
  const inbox = JSON.parse(cli(ngo, ["intake", "ls", "--json"]));
  assert.equal(inbox.length, 1);
  assert.equal(inbox[0].status, "accepted");
  const shownCase = cli(ngo, ["case", "show", inbox[0].case_id]);
  assert.ok(shownCase.includes("Aigerim Nurpeisova"), shownCase);
  const detail = JSON.parse(cli(ngo, ["case", "show", inbox[0].case_id, "--json"]));
  assert.ok(detail.incidents.some((i) => i.description.includes(canary)), "the report's words reached the NGO's case");
  assert.equal(detail.incidents.length, 2);
  // The plain answer "I was followed or watched" reaches the NGO as the vocabulary's term.
  assert.deepEqual(detail.incidents.map((i) => i.act_type).sort(), ["coercion_by_proxy", "physical_surveillance"]);
  assert.equal(JSON.parse(cli(ngo, ["attachments", "ls", "--record", inbox[0].case_id, "--json"])).length, 1);
  const audit = cli(ngo, ["audit", "show"]);
  for (const action of ["intake_receive", "intake_accept"]) assert.ok(audit.includes(action), `${action} in the custody log`);
  assertNothingLeaked(assert, ngo, [canary]);

  removeHome(ngo);
  removeHome(activist);
  rmSync(outside, { recursive: true, force: true });
});
