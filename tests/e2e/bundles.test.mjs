// Export bundles in the running app: an NGO vault exports a case to a
// lawyer's key through the wizard (with the preview of what is held back);
// a second vault, the lawyer's, opens the bundle with its own identity,
// sees it verified as signed by a trusted organisation, reads the dossier
// and imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, type, screenshot, unlockThroughUi, clickWhenEnabled,
  assertNothingLeaked, sampleVault, openCase, texts, withText, appEnv, CLI, PASSPHRASE,
} from "./harness.mjs";

function cli(home, args) {
  const env = { ...appEnv(home), CASEVAULT_PASSPHRASE: PASSPHRASE, CASEVAULT_NEW_PASSPHRASE: PASSPHRASE };
  return execFileSync(CLI, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

test("export a case to a lawyer; the lawyer opens, verifies, reads and imports it", async () => {
  const ngo = freshHome();
  const lawyer = freshHome();
  const outside = mkdtempSync(join(tmpdir(), "casevault-e2e-usb-"));
  const bundle = join(outside, "kurmanov.cvb");
  sampleVault(ngo);
  // The lawyer's vault and key, and the NGO's signing key given to the
  // lawyer out of band: set up with the CLI.
  cli(lawyer, ["init", "--kdf-ms", "200"]);
  const lawyerKey = cli(lawyer, ["keygen", "--label", "bundles"]);
  const orgKey = cli(ngo, ["org-key", "show"]).split("\n")[0];
  cli(lawyer, ["contacts", "add", "Freedom Now NGO", orgKey, "--verified", "2026-11-20"]);

  // The fingerprint the NGO reads aloud from its Keys screen, and the one
  // the lawyer reads from the contact entry, must be the same string, and
  // what ssh-keygen -l prints for the key.
  let ngoScreenFingerprint = "";
  const keyFile = join(outside, "org-key.pub");
  writeFileSync(keyFile, orgKey + "\n");
  const sshKeygen = execFileSync("ssh-keygen", ["-l", "-f", keyFile], { encoding: "utf8" }).split(" ")[1];

  let app = await launch({ home: ngo });
  try {
    const { browser } = app;
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    // The lawyer as a contact.
    await (await shown(browser, "nav-keys")).click();
    ngoScreenFingerprint = (await (await shown(browser, "org-key-fingerprint")).getText()).trim();
    await type(browser, "contact-name", "Anna Lawyer");
    await type(browser, "contact-key", lawyerKey);
    await clickWhenEnabled(browser, "contact-submit");
    const contact = await withText(browser, "contact-item", "Anna Lawyer");
    const contactId = await contact.getAttribute("data-id");

    await openCase(browser, "Kurmanov");
    await (await shown(browser, "export-open")).click();
    await shown(browser, "export-dialog");
    await clickWhenEnabled(browser, "export-next"); // 1. the case, preselected
    await (await shown(browser, `export-recipient-${contactId}`)).click();
    await clickWhenEnabled(browser, "export-next"); // 2. the lawyer
    await type(browser, "export-organisation", "Freedom Now NGO");
    await clickWhenEnabled(browser, "export-next"); // 3. language and name
    await shown(browser, "export-preview", 15000); // 4. what leaves, what stays
    await screenshot(browser, "export-preview");
    await clickWhenEnabled(browser, "export-next");
    await shown(browser, "export-review", 15000); // 5. the redaction review
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="export-review-loading"]')).isExisting()), {
      timeout: 15000,
      timeoutMsg: "the redaction review did not finish",
    });
    await screenshot(browser, "export-review");
    // Confirmation is asked only when something was flagged.
    const confirm = await browser.$('[data-testid="export-review-confirm"]');
    if (await confirm.isExisting()) await confirm.click();
    await clickWhenEnabled(browser, "export-next");
    await type(browser, "export-path", bundle); // 6. where
    await clickWhenEnabled(browser, "export-create");
    await shown(browser, "export-done", 30000);
    await screenshot(browser, "export-done");
  } finally {
    await app.close();
  }
  assert.ok(existsSync(bundle), "the bundle was written");

  app = await launch({ home: lawyer });
  try {
    const { browser } = app;
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await (await shown(browser, "nav-keys")).click();
    const contact = await withText(browser, "contact-item", "Freedom Now NGO");
    const lawyerScreenFingerprint = (await (await contact.$('[data-testid="contact-item-fingerprint"]')).getText()).trim();
    await screenshot(browser, "lawyer-contacts");
    assert.equal(lawyerScreenFingerprint, ngoScreenFingerprint, "both screens show one fingerprint");
    assert.equal(ngoScreenFingerprint.replaceAll(" ", ""), sshKeygen, "as ssh-keygen -l prints it");
    await (await shown(browser, "nav-bundles")).click();
    await type(browser, "bundle-path", bundle);
    await clickWhenEnabled(browser, "bundle-open");
    const summary = await shown(browser, "bundle-summary", 30000);
    assert.equal(await summary.getAttribute("data-ok"), "true", await summary.getText());
    await shown(browser, "bundle-trusted");
    const dossier = await shown(browser, "bundle-dossier");
    assert.ok((await dossier.getText()).includes("Kurmanov"), "the dossier shows the case");
    await screenshot(browser, "bundle-opened");
    await clickWhenEnabled(browser, "bundle-import");
    await shown(browser, "bundle-imported", 20000);
    await openCase(browser, "Kurmanov");
    assert.ok((await texts(browser, "incident-item")).length >= 1);
  } finally {
    await app.close();
  }
  try {
    assertNothingLeaked(assert, ngo, [PASSPHRASE]);
    assertNothingLeaked(assert, lawyer, [PASSPHRASE, "Revolution Square"]);
  } finally {
    removeHome(ngo);
    removeHome(lawyer);
    rmSync(outside, { recursive: true, force: true });
  }
});
