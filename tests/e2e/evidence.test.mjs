// Evidence in the running app: attach a photo to a case by path, preview it
// (decrypted bytes served from memory through cvfile:), check the intake
// SHA-256 and the custody trail, save a copy, preview a text file holding a
// canary, run the audit, and find no plaintext anywhere on disk afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, type, screenshot, unlockThroughUi, clickWhenEnabled,
  assertNothingLeaked, sampleVault, openCase, texts, withText, ROOT, PASSPHRASE,
} from "./harness.mjs";

const PHOTO = join(ROOT, "tests/fixtures/evidence/almaty-photo-exif.jpg");
const CANARY = `EVIDENCE-${Math.random().toString(16).slice(2)}-УЛИКА`;

async function attach(browser, path) {
  await type(browser, "attach-path", path);
  await clickWhenEnabled(browser, "attach-submit");
  await shown(browser, "attach-done", 20000);
}

test("attach an image, preview it from memory, custody trail, save a copy, audit; nothing leaks", async () => {
  const home = freshHome();
  // Sources live outside the app's home, as files on a USB stick would.
  const outside = mkdtempSync(join(tmpdir(), "casevault-e2e-src-"));
  const textFile = join(outside, "notes.txt");
  writeFileSync(textFile, `Notes from the interview. ${CANARY}\n`);
  sampleVault(home);
  const app = await launch({ home });
  const { browser } = app;
  const copy = join(outside, "copy.jpg");
  try {
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await openCase(browser, "Kurmanov");

    await (await shown(browser, "attachments-toggle-case-case-kurmanov")).click();
    await attach(browser, PHOTO);
    const item = await withText(browser, "attachment-item", "almaty-photo-exif.jpg");
    const id = await item.getAttribute("data-id");

    // Preview: the image decodes from cvfile:, with its intake metadata.
    await (await shown(browser, `preview-open-${id}`)).click();
    await shown(browser, "preview-dialog");
    const img = await shown(browser, "preview-image");
    await browser.waitUntil(async () => (await browser.execute((el) => el.complete && el.naturalWidth, img)) === 96,
      { timeout: 15000, timeoutMsg: "the preview image did not decode" });
    const sha = createHash("sha256").update(readFileSync(PHOTO)).digest("hex");
    assert.equal((await (await shown(browser, "preview-sha256")).getText()).trim(), sha);
    assert.match(await (await shown(browser, "preview-capture-device")).getText(), /CV-1/);
    await screenshot(browser, "preview-image");

    // The custody trail records the attach and this opening.
    await (await shown(browser, "preview-custody")).click();
    await browser.waitUntil(async () => {
      const actions = [];
      for (const e of await browser.$$('[data-testid="custody-entry"]')) actions.push(await e.getAttribute("data-action"));
      return actions.includes("attach") && actions.includes("open_attachment");
    }, { timeout: 10000, timeoutMsg: "custody trail lacks attach/open" });

    // Save a copy: explicit, warned, verified.
    await (await shown(browser, "preview-save")).click();
    await shown(browser, "preview-save-warning");
    await type(browser, "preview-save-path", copy);
    await clickWhenEnabled(browser, "preview-save-confirm");
    await shown(browser, "preview-save-done", 20000);
    assert.deepEqual(readFileSync(copy), readFileSync(PHOTO));
    rmSync(copy);
    await (await shown(browser, "preview-dialog-close")).click();

    // A text file with a canary, previewed.
    await attach(browser, textFile);
    const textItem = await withText(browser, "attachment-item", "notes.txt");
    await (await shown(browser, `preview-open-${await textItem.getAttribute("data-id")}`)).click();
    await browser.waitUntil(async () => (await (await shown(browser, "preview-text")).getText()).includes(CANARY),
      { timeout: 15000, timeoutMsg: "text preview did not show the file" });
    await (await shown(browser, "preview-dialog-close")).click();

    // The audit walks the chain and re-hashes both attachments.
    await (await shown(browser, "nav-vault")).click();
    await clickWhenEnabled(browser, "audit-run");
    const result = await shown(browser, "audit-result", 30000);
    assert.equal(await result.getAttribute("data-ok"), "true", await result.getText());
    await screenshot(browser, "audit");
    await (await shown(browser, "lock-button")).click();
    await shown(browser, "unlock-passphrase");
  } finally {
    await app.close();
    rmSync(outside, { recursive: true, force: true });
  }
  try {
    assert.ok(!existsSync(copy));
    assertNothingLeaked(assert, home, [CANARY, "УЛИКА", PASSPHRASE]);
  } finally {
    removeHome(home);
  }
});
