// The lawyer's journey in the real app: an organisation exports a case with
// the CLI (a protected witness's testimony carries evidence, so its id is
// renamed); a lawyer creates a vault for that purpose, which opens on
// Bundles without the organisation's intake inbox, and opens the bundle: the
// file count agrees with the sender's and no internal id shows. And the
// export wizard at the smallest size keeps its Next button in view.
// At 1024×640 and 1280×800, with screenshots.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CLI,
  PASSPHRASE,
  appEnv,
  clickWhenEnabled,
  freshHome,
  launch,
  openCase,
  removeHome,
  sampleVault,
  shown,
  type,
  unlockThroughUi,
} from "./harness.mjs";
import { SIZES, look, setSize } from "./journeys/look.mjs";

const BUNDLE_PASSPHRASE = "amber kettle orbit fjord 8841";
const homes = [];
after(() => homes.forEach(removeHome));

/** The NGO's vault (the sample report) and a bundle of the Moldashev case written by the CLI. */
function ngoBundle() {
  const home = freshHome();
  homes.push(home);
  sampleVault(home);
  const env = { ...appEnv(home), CASEVAULT_PASSPHRASE: PASSPHRASE, CASEVAULT_BUNDLE_PASSPHRASE: BUNDLE_PASSPHRASE };
  const evidence = join(home, "photo-of-summons.txt");
  writeFileSync(evidence, "summons, 2019");
  execFileSync(CLI, ["attach", "t-moldashev-sample", evidence], { env, stdio: ["ignore", "pipe", "pipe"] });
  const bundle = join(home, "moldashev.cvb");
  const run = spawnSync(
    CLI,
    ["bundle", "create", "--case", "case-moldashev", "--passphrase", "--organisation", "Kazakhstan Bureau", "--out", bundle],
    { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  // What the sender is told: "Wrote … (16 files, … bytes), signed by …".
  const files = Number(/\((\d+) files,/.exec(run.stderr)?.[1]);
  assert.ok(files > 0, run.stderr);
  return { home, bundle, bundleId: run.stdout.trim(), files };
}

/** Whether the element's box lies inside the window. */
async function inView(browser, id) {
  return browser.execute((testid) => {
    const el = document.querySelector(`[data-testid="${testid}"]`);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0;
  }, id);
}

/** Visible text of the whole page. */
function pageText(browser) {
  return browser.execute(() => document.body.innerText);
}

test("a lawyer's vault opens a bundle made by the CLI: counts agree, no internal ids", async () => {
  const ngo = ngoBundle();
  for (const size of SIZES) {
    const app = await launch();
    homes.push(app.home);
    const { browser } = app;
    const ctx = { journey: "lawyer", lang: "en", size };
    try {
      await setSize(browser, size);
      // The purpose is chosen when the vault is created.
      await type(browser, "create-passphrase", PASSPHRASE);
      await type(browser, "create-confirm", PASSPHRASE);
      await (await shown(browser, "create-mode-lawyer")).click();
      await look(browser, ctx, "create-lawyer");
      await clickWhenEnabled(browser, "create-submit");
      const keyEl = await shown(browser, "recovery-key", 60000);
      const recoveryKey = (await keyEl.getText()).replace(/\s+/g, "");
      await (await shown(browser, "recovery-written")).click();
      await type(browser, "recovery-confirm-input", recoveryKey);
      await (await shown(browser, "recovery-confirm-submit")).click();

      // A lawyer's vault is about received bundles.
      await shown(browser, "bundle-open-section", 20000);
      assert.equal(await (await shown(browser, "nav-bundles")).getAttribute("aria-current"), "page");
      assert.equal(await (await browser.$('[data-testid="nav-inbox"]')).isExisting(), false, "no intake inbox");
      await look(browser, ctx, "bundles-home");

      await type(browser, "bundle-path", ngo.bundle);
      await type(browser, "bundle-passphrase", BUNDLE_PASSPHRASE);
      await clickWhenEnabled(browser, "bundle-open");
      await shown(browser, "bundle-summary", 60000);
      await look(browser, ctx, "bundle-summary");

      // The count agrees with the files in the bundle, and the view says
      // what the two not checked by hash are.
      await (await shown(browser, "bundle-files-total")).scrollIntoView({ block: "center" });
      await look(browser, ctx, "bundle-counts");
      const total = Number((await (await shown(browser, "bundle-files-total")).getText()).replace(/\D/g, ""));
      assert.equal(total, ngo.files, "the sender's count");
      // Every file but the signed list and its signature is checked by
      // hash: the counts the view states, read from its attributes.
      const explained = await shown(browser, "bundle-files-explained");
      assert.equal(Number(await explained.getAttribute("data-hashed")), total - 2);
      assert.equal(Number(await explained.getAttribute("data-signature-files")), 2);
      assert.equal(await (await shown(browser, "bundle-id")).getText(), ngo.bundleId);

      // No internal id anywhere: not the renamed one, not the vault's.
      await (await shown(browser, "bundle-files")).scrollIntoView();
      await look(browser, ctx, "bundle-files");
      const text = await pageText(browser);
      assert.doesNotMatch(text, /redacted-\d/, "a renamed id");
      assert.doesNotMatch(text, /t-moldashev|p-moldashev/, "a vault id");
      assert.doesNotMatch(text, /Moldashev|Молдашев/, "the protected name");
      assert.match(text, /Witness 7/, "the pseudonym, in the file's note");
      assert.match(text, /dossier\.pdf/);
    } finally {
      await app.close();
    }
  }
});

test("the export wizard keeps Next in view and Close plain at 1024×640 and 1280×800", async () => {
  for (const size of SIZES) {
    const home = freshHome();
    homes.push(home);
    sampleVault(home);
    const app = await launch({ home });
    const { browser } = app;
    const ctx = { journey: "export", lang: "en", size };
    try {
      await setSize(browser, size);
      await unlockThroughUi(browser);
      await shown(browser, "home", 30000);
      await openCase(browser, "Moldashev");
      await (await shown(browser, "export-open")).click();
      await shown(browser, "export-dialog");
      await look(browser, ctx, "export-cases");
      assert.ok(await inView(browser, "export-next"), "Next in view (cases)");
      assert.equal((await (await shown(browser, "export-dialog-close")).getAttribute("class"))?.includes("primary") ?? false, false);
      // The step labels do not overlap one another.
      const overlaps = await browser.execute(() => {
        const boxes = [...document.querySelectorAll('[data-testid="export-step-label"]')].map((li) => li.getBoundingClientRect());
        let n = 0;
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++;
          }
        return n;
      });
      assert.equal(overlaps, 0, "step labels overlap");

      await (await shown(browser, "export-next")).click();
      await (await shown(browser, "export-use-passphrase")).click();
      await type(browser, "export-passphrase", BUNDLE_PASSPHRASE);
      await type(browser, "export-passphrase-confirm", BUNDLE_PASSPHRASE);
      await look(browser, ctx, "export-recipients");
      assert.ok(await inView(browser, "export-next"), "Next in view (recipients)");
      await clickWhenEnabled(browser, "export-next");
      await type(browser, "export-organisation", "Kazakhstan Bureau");
      await (await shown(browser, "export-next")).click();
      await shown(browser, "export-preview", 30000);
      await look(browser, ctx, "export-preview");
      assert.ok(await inView(browser, "export-next"), "Next in view (preview)");
      await clickWhenEnabled(browser, "export-next");
      await shown(browser, "export-review-leave-out-list", 30000);
      await look(browser, ctx, "export-review");
      assert.ok(await inView(browser, "export-next"), "Next in view (review)");
    } finally {
      await app.close();
    }
  }
});
