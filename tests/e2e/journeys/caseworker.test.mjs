// The caseworker's day, as a person meets it, in English, Russian and
// Kazakh at 1024×640 and 1280×800: first start, the sample data imported
// through the app, the case list, a case, a new testimony, search, and an
// export for a lawyer up to its review. Every main screen is looked at
// (look.mjs): screenshot, layout invariants, no foreign strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  launch, removeHome, freshHome, shown, type, clickWhenEnabled, createVaultThroughUi, ROOT,
} from "../harness.mjs";
import { SIZES, LANGUAGES, setLanguage, setSize, assertLooksRight } from "./look.mjs";

const SAMPLE = join(ROOT, "samples", "kazakhstan-report.json");

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    test(`caseworker journey, ${lang}, ${size.width}x${size.height}`, async () => {
      const home = freshHome();
      setLanguage(home, lang);
      const app = await launch({ home });
      const { browser } = app;
      const ctx = { journey: "caseworker", lang, size };
      try {
        await setSize(browser, size);
        await shown(browser, "create-passphrase");
        await assertLooksRight(assert, browser, ctx, "create-vault");
        await createVaultThroughUi(browser);

        // First run lands on the cases, with the two ways to begin.
        await shown(browser, "case-list-empty", 20000);
        await assertLooksRight(assert, browser, ctx, "cases-empty");
        await (await shown(browser, "empty-import")).click();
        await type(browser, "import-path", SAMPLE);
        await assertLooksRight(assert, browser, ctx, "import-dialog");
        await clickWhenEnabled(browser, "import-submit");
        await shown(browser, "import-result", 60000);
        await assertLooksRight(assert, browser, ctx, "import-result");
        await (await shown(browser, "import-close")).click();

        await shown(browser, "case-row", 20000);
        await assertLooksRight(assert, browser, ctx, "case-list");

        await type(browser, "case-filter", "Moldashev");
        await browser.waitUntil(async () => (await browser.$$('[data-testid="case-row"]')).length === 1,
          { timeout: 10000, timeoutMsg: "quick-find did not narrow to one case" });
        await (await browser.$('[data-testid="case-row"] button, [data-testid="case-row"] a')).click();
        await shown(browser, "case-view");
        await assertLooksRight(assert, browser, ctx, "case-view");

        await (await shown(browser, "add-testimony-open")).click();
        await shown(browser, "testimony-statement");
        await assertLooksRight(assert, browser, ctx, "testimony-form");

        // The export wizard's first step: its Next inside the window.
        await browser.execute(() => window.scrollTo(0, 0));
        await (await shown(browser, "export-open")).click();
        await shown(browser, "export-next");
        await assertLooksRight(assert, browser, ctx, "export-wizard");
        await browser.keys("Escape");

        await (await shown(browser, "nav-search")).click();
        await type(browser, "search-input", "Moldashev");
        await shown(browser, "search-count", 20000);
        await assertLooksRight(assert, browser, ctx, "search");
      } finally {
        await app.close();
        removeHome(home);
      }
    });
  }
}
