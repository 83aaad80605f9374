// The activist's journey, as a person meets it, in English, Russian and
// Kazakh at 1024×640 and 1280×800: a private self-report vault at first
// start, every step of the questionnaire, the review of all answers, the
// NGO's key compared by fingerprint, and the sealed report. Every screen is
// looked at (look.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, type, clickWhenEnabled, withText, appEnv, CLI, PASSPHRASE,
} from "../harness.mjs";
import { SIZES, LANGUAGES, setLanguage, setSize, assertLooksRight } from "./look.mjs";

function cli(home, args) {
  const env = { ...appEnv(home), CASEVAULT_PASSPHRASE: PASSPHRASE, CASEVAULT_NEW_PASSPHRASE: PASSPHRASE };
  return execFileSync(CLI, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

// One NGO intake key for every run: the NGO side is not what is looked at.
const ngo = freshHome();
cli(ngo, ["init", "--kdf-ms", "0"]);
const intakeKey = cli(ngo, ["keygen", "--label", "Intake key"]);
process.on("exit", () => removeHome(ngo));

async function next(browser, n) {
  await clickWhenEnabled(browser, "report-next");
  await withText(browser, "report-step-title", String(n), 15000);
  await browser.execute(() => window.scrollTo(0, 0));
}

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    test(`activist journey, ${lang}, ${size.width}x${size.height}`, async () => {
      const home = freshHome();
      const outside = mkdtempSync(join(tmpdir(), "casevault-e2e-usb-"));
      setLanguage(home, lang);
      const app = await launch({ home });
      const { browser } = app;
      const ctx = { journey: "activist", lang, size };
      try {
        await setSize(browser, size);
        await type(browser, "create-passphrase", PASSPHRASE);
        await type(browser, "create-confirm", PASSPHRASE);
        await (await shown(browser, "create-mode-self-report")).click();
        await assertLooksRight(assert, browser, ctx, "create-self-report-vault");
        await clickWhenEnabled(browser, "create-submit");
        const keyEl = await shown(browser, "recovery-key", 60000);
        await assertLooksRight(assert, browser, ctx, "recovery-key");
        const recoveryKey = (await keyEl.getText()).replace(/\s+/g, "");
        await (await shown(browser, "recovery-written")).click();
        await type(browser, "recovery-confirm-input", recoveryKey);
        await (await shown(browser, "recovery-confirm-submit")).click();

        await shown(browser, "self-report-home", 30000);
        await assertLooksRight(assert, browser, ctx, "self-report-home");
        await clickWhenEnabled(browser, "report-new");
        await shown(browser, "report-wizard");

        await withText(browser, "report-step-title", "1");
        await type(browser, "report-name", "Aigerim Nurpeisova");
        await assertLooksRight(assert, browser, ctx, "step-1-about-me");
        await next(browser, 2);
        await (await shown(browser, "report-what_happened-act-type")).selectByAttribute("value", "followed");
        await type(browser, "report-what_happened-when", "approx. March 2024");
        await shown(browser, "report-what_happened-when-canonical", 15000);
        await type(browser, "report-what_happened-details", "Two men photographed me for a week.");
        await assertLooksRight(assert, browser, ctx, "step-2-what-happened");
        await next(browser, 3);
        await (await shown(browser, "report-relatives-no")).click();
        await assertLooksRight(assert, browser, ctx, "step-3-relatives");
        for (const [n, step] of [[4, "digital"], [5, "travel"], [6, "notices"]]) {
          await next(browser, n);
          await (await shown(browser, `report-${step}-no`)).click();
          await assertLooksRight(assert, browser, ctx, `step-${n}-${step}`);
        }
        await next(browser, 7);
        await assertLooksRight(assert, browser, ctx, "step-7-evidence");
        await next(browser, 8);
        await (await shown(browser, "report-consent-record")).click();
        await (await shown(browser, "report-consent-lawyers")).click();
        await assertLooksRight(assert, browser, ctx, "step-8-consent");
        await next(browser, 9);
        await shown(browser, "report-review");
        await assertLooksRight(assert, browser, ctx, "step-9-review");
        await next(browser, 10);
        await shown(browser, "report-problems-none", 15000);
        await type(browser, "report-key-text", intakeKey);
        await clickWhenEnabled(browser, "report-key-check");
        await shown(browser, "report-key-fingerprint", 15000);
        await assertLooksRight(assert, browser, ctx, "step-10-compare-key");
        await type(browser, "report-key-name", "Freedom Now NGO");
        await (await shown(browser, "report-key-compared")).click();
        await clickWhenEnabled(browser, "report-key-save");
        await shown(browser, "report-org-added", 15000);
        await type(browser, "report-seal-path", join(outside, "report.cvb"));
        await clickWhenEnabled(browser, "report-seal-submit");
        await shown(browser, "report-sealed", 60000);
        await assertLooksRight(assert, browser, ctx, "sealed");
      } finally {
        await app.close();
        removeHome(home);
        rmSync(outside, { recursive: true, force: true });
      }
    });
  }
}
