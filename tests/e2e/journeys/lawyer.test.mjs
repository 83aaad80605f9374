// The lawyer's journey, as a person meets it, in English, Russian and
// Kazakh at 1024×640 and 1280×800: a lawyer's vault at first start (it
// opens on bundles, with no intake inbox), a bundle the NGO made with the
// CLI opened with its passphrase, verified, its counts and dossier read,
// then imported and read as a case. Every screen is looked at (look.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, type, clickWhenEnabled, sampleVault, appEnv, CLI, PASSPHRASE,
} from "../harness.mjs";
import { SIZES, LANGUAGES, setLanguage, setSize, assertLooksRight } from "./look.mjs";

const BUNDLE_PASSPHRASE = "amber kettle orbit fjord 8841";

// One NGO bundle for every run: the NGO side is not what is looked at here.
const ngo = freshHome();
sampleVault(ngo);
const env = { ...appEnv(ngo), CASEVAULT_PASSPHRASE: PASSPHRASE, CASEVAULT_BUNDLE_PASSPHRASE: BUNDLE_PASSPHRASE };
const evidence = join(ngo, "summons-2019.txt");
writeFileSync(evidence, "summons, 2019");
spawnSync(CLI, ["attach", "t-moldashev-sample", evidence], { env });
const bundle = join(ngo, "moldashev.cvb");
const made = spawnSync(
  CLI,
  ["bundle", "create", "--case", "case-moldashev", "--passphrase", "--organisation", "Kazakhstan Bureau", "--out", bundle],
  { env, encoding: "utf8" },
);
if (made.status !== 0) throw new Error(`bundle create failed: ${made.stderr}`);
process.on("exit", () => removeHome(ngo));

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    test(`lawyer journey, ${lang}, ${size.width}x${size.height}`, async () => {
      const home = freshHome();
      setLanguage(home, lang);
      const app = await launch({ home });
      const { browser } = app;
      const ctx = { journey: "lawyer", lang, size };
      try {
        await setSize(browser, size);
        await type(browser, "create-passphrase", PASSPHRASE);
        await type(browser, "create-confirm", PASSPHRASE);
        await (await shown(browser, "create-mode-lawyer")).click();
        await assertLooksRight(assert, browser, ctx, "create-lawyer-vault");
        await clickWhenEnabled(browser, "create-submit");
        const keyEl = await shown(browser, "recovery-key", 60000);
        const recoveryKey = (await keyEl.getText()).replace(/\s+/g, "");
        await (await shown(browser, "recovery-written")).click();
        await type(browser, "recovery-confirm-input", recoveryKey);
        await (await shown(browser, "recovery-confirm-submit")).click();

        // A lawyer's vault is about received bundles.
        await shown(browser, "bundle-open-section", 20000);
        assert.equal(await (await browser.$('[data-testid="nav-inbox"]')).isExisting(), false, "no intake inbox");
        await assertLooksRight(assert, browser, ctx, "bundles");

        await type(browser, "bundle-path", bundle);
        await type(browser, "bundle-passphrase", BUNDLE_PASSPHRASE);
        await clickWhenEnabled(browser, "bundle-open");
        await shown(browser, "bundle-summary", 60000);
        await shown(browser, "bundle-intact");
        await assertLooksRight(assert, browser, ctx, "bundle-verified");
        await (await shown(browser, "bundle-files-total")).scrollIntoView({ block: "center" });
        await assertLooksRight(assert, browser, ctx, "bundle-counts");
        await (await shown(browser, "bundle-dossier")).scrollIntoView({ block: "start" });
        await assertLooksRight(assert, browser, ctx, "bundle-dossier");
        const text = await browser.execute(() => document.body.innerText);
        assert.doesNotMatch(text, /redacted-\d/, "an internal id on screen");

        // The organisation is not a contact: importing asks to accept the
        // signer whose fingerprint was compared.
        const accept = await browser.$('[data-testid="bundle-accept-untrusted"]');
        if (await accept.isExisting()) await accept.click();
        await clickWhenEnabled(browser, "bundle-import");
        await shown(browser, "bundle-imported", 30000);
        await assertLooksRight(assert, browser, ctx, "bundle-imported");

        await (await shown(browser, "nav-cases")).click();
        await shown(browser, "case-row", 20000);
        await (await browser.$('[data-testid="case-row"] button, [data-testid="case-row"] a')).click();
        await shown(browser, "case-view");
        await assertLooksRight(assert, browser, ctx, "imported-case");
      } finally {
        await app.close();
        removeHome(home);
      }
    });
  }
}
