// Search in the running app, on the report's sample cases: a Cyrillic word
// from a testimony with the match marked, filters with uncertain dates,
// names across scripts with their match tier, and the analysis charts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, type, screenshot, unlockThroughUi,
  assertNothingLeaked, sampleVault, texts, PASSPHRASE, ROOT,
} from "./harness.mjs";

test("full-text search, names across scripts and the analysis", async () => {
  const home = freshHome();
  sampleVault(home);
  const app = await launch({ home });
  const { browser } = app;
  try {
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await (await shown(browser, "nav-search")).click();

    await type(browser, "search-input", "командировке");
    await browser.keys("Enter");
    const row = await browser.$('[data-testid="search-result"][data-kind="testimony"]');
    await row.waitForDisplayed({ timeout: 10000, timeoutMsg: "testimony not found" });
    assert.equal(await (await row.$("mark")).getText(), "командировке");
    await screenshot(browser, "search");

    // Filters: the in-absentia verdicts of January 2008, with no words.
    await type(browser, "search-input", "");
    await shown(browser, "search-prompt", 5000);
    await (await shown(browser, "search-filters-toggle")).click();
    await type(browser, "search-filter-from", "January 2008");
    await type(browser, "search-filter-to", "January 2008");
    await browser.keys("Enter");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="search-result"]')).length === 2,
      { timeout: 10000, timeoutMsg: "two January 2008 incidents expected" });

    // Names: a Latin query finds the Cyrillic spelling, as a variant.
    await (await shown(browser, "search-tab-names")).click();
    await type(browser, "names-input", "Daniar Moldashev");
    const person = await browser.$('[data-testid="name-result"][data-id="p-moldashev"]');
    await person.waitForDisplayed({ timeout: 10000 });
    await type(browser, "names-input", "Молдашев Данияр");
    await browser.waitUntil(async () => (await texts(browser, "name-result")).some((t) => t.includes("Daniyar Moldashev")),
      { timeout: 10000, timeoutMsg: "Cyrillic query did not find Daniyar Moldashev" });

    // Analysis: charts over all six cases (the filters are shared: clear them).
    await (await shown(browser, "search-tab-analysis")).click();
    await (await shown(browser, "search-filter-clear")).click();
    const chart = await shown(browser, "analysis-chart-act-type", 15000);
    await browser.waitUntil(async () => (await chart.$$('[data-testid="analysis-bar"]')).length >= 5,
      { timeout: 10000, timeoutMsg: "expected a bar per act type" });
    assert.ok((await texts(browser, "analysis-timeline-item")).length >= 14);
    await screenshot(browser, "analysis");
  } finally {
    await app.close();
  }
  try {
    assertNothingLeaked(assert, home, [PASSPHRASE, "командировке"]);
  } finally {
    removeHome(home);
  }
});

test("a Cyrillic query finds the record written in Latin script", async () => {
  const home = freshHome();
  sampleVault(home);
  const app = await launch({ home });
  const { browser } = app;
  try {
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await (await shown(browser, "nav-search")).click();
    // The incident says "Almaty" only in Latin letters.
    await type(browser, "search-input", "Алматы");
    await browser.keys("Enter");
    const row = await browser.$('[data-testid="search-result"][data-id="inc-moldashev-beating-2011"]');
    await row.waitForDisplayed({ timeout: 15000, timeoutMsg: "Алматы did not find the incident written as Almaty" });
    // The result shows the place as the record spells it.
    assert.match(await row.getText(), /Almaty/);
    await screenshot(browser, "search-cross-script");
  } finally {
    await app.close();
    removeHome(home);
  }
});

// A vault written before the search keys existed (schema 9, the committed
// fixture) is upgraded by the app at unlock: migration 10's Rust step keys
// its old records, so a Cyrillic query finds the incident it wrote in Latin
// letters without any edit.
test("a vault from before cross-script search is upgraded at unlock and finds across scripts", async () => {
  const home = freshHome();
  const vault = join(home, "vault");
  cpSync(join(ROOT, "crates/casevault-core/tests/fixtures/vault-schema-9"), vault, { recursive: true });
  const app = await launch({ home, vault });
  const { browser } = app;
  try {
    await unlockThroughUi(browser, "fixture vault passphrase: amber kettle horizon 1989");
    await shown(browser, "home", 60000);
    await (await shown(browser, "nav-search")).click();
    await type(browser, "search-input", "Алматы");
    await browser.keys("Enter");
    const row = await browser.$('[data-testid="search-result"][data-id="inc-fixture"]');
    await row.waitForDisplayed({ timeout: 15000, timeoutMsg: "the upgraded vault did not find its Latin-script incident" });
    await screenshot(browser, "search-upgraded-vault");
  } finally {
    await app.close();
    removeHome(home);
  }
});
