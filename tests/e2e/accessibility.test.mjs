// Accessibility in the real app: axe-core is injected through WebDriver into
// the running webview on every main screen (create and unlock, the cases
// list, a case, search, keys, bundles, the intake inbox, and the
// self-report wizard from its first step to the seal screen), and no
// violation of serious or critical impact may remain. Beside axe, what it
// does not measure: checkboxes are big enough to hit (20 px or more), and
// the shortcuts dialog opens at its top with focus on its title.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  launch, removeHome, shown, type, screenshot, sampleVault, unlockThroughUi, createVaultThroughUi, openCase,
  clickWhenEnabled, freshHome,
} from "./harness.mjs";
import { look, setLanguage } from "./journeys/look.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Injects axe-core once per page load; the app is a single page, so once per launch. */
async function injectAxe(browser) {
  const present = await browser.execute(() => typeof window.axe === "object");
  if (!present) await browser.execute(AXE);
  assert.equal(await browser.execute(() => typeof window.axe), "object", "axe-core was injected");
}

/** The serious and critical violations on the screen as it is now, with where. */
async function violations(browser) {
  await injectAxe(browser);
  const json = await browser.executeAsync((done) => {
    window.axe
      .run(document, { resultTypes: ["violations"] })
      .then((r) =>
        done(
          JSON.stringify({
            // How many rules applied and passed: proof that axe looked at the screen.
            passed: r.passes.length,
            minor: r.violations.filter((v) => v.impact !== "serious" && v.impact !== "critical").map((v) => `${v.impact} ${v.id}`),
            serious: r.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`) })),
          }),
        ),
      )
      .catch((e) => done(JSON.stringify({ passed: 0, minor: [], serious: [{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }] })));
  });
  return JSON.parse(json);
}

const checked = [];

/** Asserts that the current screen has no serious or critical violation, and keeps a picture of it. */
async function audit(browser, screen) {
  await browser.pause(300);
  const { passed, minor, serious } = await violations(browser);
  await screenshot(browser, `a11y-${screen}`);
  checked.push(screen);
  if (minor.length) console.log(`${screen}: minor or moderate: ${minor.join(", ")}`);
  assert.ok(passed > 10, `${screen}: axe checked the screen (${passed} rules passed)`);
  assert.deepEqual(serious, [], `${screen}: ${JSON.stringify(serious, null, 2)}`);
}

/** Every visible checkbox and radio is at least 20 px square. */
async function assertBigChecks(browser, screen) {
  const small = await browser.execute(() =>
    [...document.querySelectorAll('input[type="checkbox"], input[type="radio"]')]
      .map((el) => ({ id: el.dataset.testid ?? el.name ?? el.id, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0)
      .filter(({ r }) => r.width < 20 || r.height < 20)
      .map(({ id, r }) => `${id}: ${r.width}×${r.height}`),
  );
  const total = await browser.execute(() => document.querySelectorAll('input[type="checkbox"], input[type="radio"]').length);
  assert.ok(total > 0, `${screen} has checkboxes or radios to measure`);
  assert.deepEqual(small, [], `${screen}: checkboxes under 20 px`);
}

test("the organisation's screens have no serious or critical accessibility violation", async () => {
  const home = freshHome();
  sampleVault(home);
  const app = await launch({ home });
  const { browser } = app;
  try {
    await shown(browser, "unlock-passphrase");
    await audit(browser, "unlock");

    await unlockThroughUi(browser);
    await shown(browser, "nav-cases", 30000);
    await (await shown(browser, "nav-cases")).click();
    await shown(browser, "case-row");
    await audit(browser, "cases");

    // The shortcuts dialog opens at its top, its title focused.
    await (await shown(browser, "nav-cases")).click();
    await browser.keys(["?"]);
    const dialog = await shown(browser, "shortcuts-dialog");
    const state = await browser.execute(() => {
      const d = document.querySelector('[data-testid="shortcuts-dialog"]');
      return { scrollTop: d.scrollTop, scrollable: d.scrollHeight > d.clientHeight, focused: document.activeElement?.tagName };
    });
    assert.equal(state.scrollTop, 0, "opens at the top");
    assert.equal(state.focused, "H2", "focus on the title");
    await audit(browser, "shortcuts");
    await browser.keys(["Escape"]);
    await dialog.waitForDisplayed({ reverse: true });

    await openCase(browser, "Moldashev");
    await audit(browser, "case");
    await assertBigChecks(browser, "case");

    await (await shown(browser, "nav-search")).click();
    await shown(browser, "search-view");
    await audit(browser, "search");

    await (await shown(browser, "nav-keys")).click();
    await shown(browser, "keys-view");
    await audit(browser, "keys");

    await (await shown(browser, "nav-bundles")).click();
    await shown(browser, "bundle-form");
    await audit(browser, "bundles");

    await (await shown(browser, "nav-inbox")).click();
    await browser.pause(500);
    await audit(browser, "intake");
  } finally {
    await app.close();
    removeHome(home);
  }
});

test("the self-report wizard has no serious or critical accessibility violation, from creation to sealing", async () => {
  const app = await launch();
  const { browser, home } = app;
  try {
    await shown(browser, "create-passphrase");
    await (await shown(browser, "create-mode-self-report")).click();
    await audit(browser, "create");
    await assertBigChecks(browser, "create");
    await createVaultThroughUi(browser).catch(async () => {
      // A self-report vault may land on its own home rather than the organisation's.
      await shown(browser, "self-report-home", 20000);
    });
    await shown(browser, "self-report-home", 20000);
    await audit(browser, "self-report-home");

    await clickWhenEnabled(browser, "report-new");
    await shown(browser, "report-wizard");
    const steps = await browser.$$('[data-testid^="report-step-"]:not([data-testid="report-step-title"])');
    const total = steps.length;
    assert.ok(total >= 9, `the wizard lists its steps (${total})`);
    // Every screen of the wizard, through Next; the count in the title agrees with the list.
    for (let i = 0; i < total; i++) {
      const code = await (await shown(browser, "report-wizard")).getAttribute("data-step");
      const title = await (await shown(browser, "report-step-title")).getText();
      assert.match(title, new RegExp(`\\b${i + 1}\\b.*\\b${total}\\b`), `step title "${title}"`);
      if (code === "what_happened") {
        const select = await shown(browser, "report-what_happened-act-type");
        const options = await select.$$("option");
        const labels = [];
        for (const o of options) labels.push(await o.getText());
        assert.ok(labels.includes("Something else") && labels.includes("Not sure"), labels.join(" | "));
        await select.selectByAttribute("value", "not_sure");
        await type(browser, "report-what_happened-when", "March 2024");
        await type(browser, "report-what_happened-details", "Two men followed me for a week.");
      }
      if (code === "consent") {
        await (await shown(browser, "report-consent-record")).click();
        await assertBigChecks(browser, "report-consent");
      }
      await audit(browser, `report-${code}`);
      if (code === "seal") break;
      await (await shown(browser, "report-next")).click();
      await browser.waitUntil(async () => (await (await shown(browser, "report-wizard")).getAttribute("data-step")) !== code,
        { timeout: 10000, timeoutMsg: `did not leave ${code}` });
    }
    assert.ok(checked.includes("report-review") && checked.includes("report-seal"), checked.join(", "));
  } finally {
    await app.close();
    removeHome(home);
  }
});

test("in Kazakh, the organisation's screens are Kazakh throughout and stay accessible", async () => {
  const home = freshHome();
  sampleVault(home);
  setLanguage(home, "kk");
  const app = await launch({ home });
  const { browser } = app;
  const ctx = { journey: "a11y", lang: "kk", size: { width: 1280, height: 800 } };
  const untranslated = [];
  async function kazakh(screen) {
    await audit(browser, `kk-${screen}`);
    for (const p of await look(browser, ctx, screen)) if (p.rule === "untranslated") untranslated.push(`${screen}: ${p.detail} (${p.where})`);
  }
  try {
    await shown(browser, "unlock-passphrase");
    await kazakh("unlock");
    await unlockThroughUi(browser);
    await (await shown(browser, "nav-cases", 30000)).click();
    await shown(browser, "case-row");
    await kazakh("cases");
    await openCase(browser, "Moldashev");
    await kazakh("case");
    await (await shown(browser, "nav-search")).click();
    await shown(browser, "search-view");
    await kazakh("search");
    await (await shown(browser, "nav-keys")).click();
    await shown(browser, "keys-view");
    await kazakh("keys");
    await (await shown(browser, "nav-bundles")).click();
    await shown(browser, "bundle-form");
    await kazakh("bundles");
    await (await shown(browser, "nav-inbox")).click();
    await browser.pause(500);
    await kazakh("intake");
    assert.deepEqual(untranslated, [], "English or Russian UI text on a Kazakh screen");
  } finally {
    await app.close();
    removeHome(home);
  }
});
