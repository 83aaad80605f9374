// A caseworker's first start, as a person sees it: create the vault, land
// on Cases, import the shipped sample through "Import data…", and read a
// case list whose rows stay rows at 1024×640 and 1280×800. The layout is
// checked from the DOM's bounding boxes, and screenshots are saved for
// people to look at.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import {
  launch, removeHome, shown, type, screenshot, createVaultThroughUi, clickWhenEnabled, byTestId, ROOT,
} from "./harness.mjs";

const SAMPLE = join(ROOT, "samples", "kazakhstan-report.json");
const SIZES = [
  [1024, 640],
  [1280, 800],
];

/** Measures, in the page, what a person would trip over in the case list. */
function measureCaseList() {
  const slack = 1;
  const problems = [];
  const rows = [...document.querySelectorAll('[data-testid="case-row"]')];
  for (const row of rows) {
    const r = row.getBoundingClientRect();
    const cells = [...row.children].map((c) => c.getBoundingClientRect());
    cells.forEach((c, i) => {
      if (c.top < r.top - slack || c.bottom > r.bottom + slack) problems.push(`row ${row.dataset.id}: cell ${i} leaves the row's band`);
      const next = cells[i + 1];
      if (next && c.right > next.left + slack) problems.push(`row ${row.dataset.id}: cells ${i} and ${i + 1} overlap`);
      if (c.width <= 0) problems.push(`row ${row.dataset.id}: cell ${i} has no width`);
    });
  }
  for (const th of document.querySelectorAll('[data-testid="case-list"] thead th')) {
    if (th.scrollWidth > th.clientWidth + slack) problems.push(`header "${th.textContent}" is cut off`);
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + slack) problems.push(`page overflows horizontally: ${doc.scrollWidth} > ${window.innerWidth}`);
  for (const el of document.querySelectorAll('[data-testid="cases-area"] *')) {
    const b = el.getBoundingClientRect();
    if (b.width > 0 && b.right > window.innerWidth + slack) {
      problems.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""} overflows to ${Math.round(b.right)}`);
      break;
    }
  }
  const table = document.querySelector('[data-testid="case-list"]').getBoundingClientRect();
  const rowsInView = rows.filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length;
  return { problems, rows: rows.length, rowsInView, tableWidth: table.width, innerWidth: window.innerWidth, innerHeight: window.innerHeight };
}

async function resize(browser, width, height) {
  await browser.setWindowSize(width, height);
  await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) === width, {
    timeout: 5000,
    timeoutMsg: `the window did not become ${width} px wide`,
  });
  await browser.pause(300);
}

test("first run: land on Cases, import the sample, read the case list at 1024×640 and 1280×800", async () => {
  const app = await launch();
  const { browser, home } = app;
  const doc = JSON.parse(readFileSync(SAMPLE, "utf8"));
  try {
    await shown(browser, "create-passphrase");
    await createVaultThroughUi(browser);

    // Cases, not the vault's technical facts.
    await shown(browser, "case-list-empty");
    assert.equal(await (await byTestId(browser, "nav-cases")).getAttribute("aria-current"), "page");
    assert.equal(await (await byTestId(browser, "status-schema-version")).isExisting(), false, "no schema version on first screen");
    await resize(browser, 1024, 640);
    await screenshot(browser, "caseworker-first-run-1024x640");

    // Import data… through the same all-or-nothing import as the CLI.
    await (await shown(browser, "empty-import")).click();
    await type(browser, "import-path", SAMPLE);
    await clickWhenEnabled(browser, "import-submit");
    const result = await shown(browser, "import-result", 60000);
    assert.ok(await result.isDisplayed());
    const count = async (kind) => (await browser.$(`[data-testid="import-result"] li[data-kind="${kind}"]`)).getText();
    assert.equal(await count("case"), `Cases: ${doc.cases.length}`);
    assert.equal(await count("incident"), `Incidents: ${doc.incidents.length}`);
    assert.equal(await count("testimony"), `Testimonies: ${doc.testimonies.length}`);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="case-row"]')).length === doc.cases.length, {
      timeout: 10000,
      timeoutMsg: "imported cases not listed",
    });
    await result.scrollIntoView({ block: "center" });
    await screenshot(browser, "caseworker-imported-1024x640");
    await (await shown(browser, "import-close")).click();

    for (const [width, height] of SIZES) {
      await resize(browser, width, height);
      await browser.execute(() => window.scrollTo(0, 0));
      const m = await browser.execute(measureCaseList);
      assert.deepEqual(m.problems, [], `layout at ${width}×${height}`);
      assert.equal(m.rows, doc.cases.length);
      // Filters do not push the list off the first screen.
      assert.ok(m.rowsInView >= 3, `only ${m.rowsInView} case rows visible at ${width}×${height}`);
      // The list uses the window, not a narrow column in its middle.
      assert.ok(m.tableWidth >= m.innerWidth * 0.75, `list ${m.tableWidth} px wide in a ${m.innerWidth} px window`);
      await screenshot(browser, `caseworker-cases-${width}x${height}`);
    }

    // Russian headers are longer; they may wrap, never be cut.
    await (await shown(browser, "language-select")).selectByAttribute("value", "ru");
    await resize(browser, 1024, 640);
    const ru = await browser.execute(measureCaseList);
    assert.deepEqual(ru.problems, [], "layout in Russian at 1024×640");
    await screenshot(browser, "caseworker-cases-ru-1024x640");
    await (await shown(browser, "language-select")).selectByAttribute("value", "en");

    // A case page at both sizes: summary and timeline on top, dates in words.
    await type(browser, "case-filter", "Moldashev");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="case-row"]')).length === 1, { timeout: 10000 });
    await (await browser.$('[data-testid="case-row"] button')).click();
    await shown(browser, "case-overview");
    const timeline = await browser.$$('[data-testid="case-timeline-item"]');
    assert.equal(timeline.length, 3);
    assert.match(await timeline[2].getText(), /27\s?–\s?30 March 2011/);
    for (const [width, height] of SIZES) {
      await resize(browser, width, height);
      const overflow = await browser.execute(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `case page overflows by ${overflow} px at ${width}×${height}`);
      await screenshot(browser, `caseworker-case-${width}x${height}`);
    }
    await (await shown(browser, "section-incidents")).scrollIntoView({ block: "start" });
    await screenshot(browser, "caseworker-case-incidents-1280x800");
    await (await shown(browser, "section-testimonies")).scrollIntoView({ block: "start" });
    await screenshot(browser, "caseworker-case-testimonies-1280x800");

    // Search: a testimony says whose it is; the year chart adds up to the
    // incidents, those of unknown date included; the timeline reads in words.
    await (await shown(browser, "nav-search")).click();
    await type(browser, "search-input", "Молдашев");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="search-result"][data-kind="testimony"]')).length > 0, {
      timeout: 10000,
      timeoutMsg: "no testimony result",
    });
    const hit = await browser.$('[data-testid="search-result"][data-kind="testimony"]');
    assert.match(await hit.getText(), /Testimony of Daniyar Moldashev/);
    await screenshot(browser, "caseworker-search-1280x800");
    await (await shown(browser, "search-tab-analysis")).click();
    const total = await shown(browser, "analysis-total", 20000);
    const unknownBar = await browser.$('[data-testid="analysis-chart-year"] [data-testid="analysis-bar"][data-label="date unknown"]');
    assert.ok(await unknownBar.isExisting(), "incidents of unknown date have their bar");
    const labels = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="analysis-chart-year"] [data-testid="analysis-bar"]')].map((b) => b.getAttribute("aria-label")),
    );
    const counted = labels.reduce((n, l) => n + Number(/(\d+)\D*$/.exec(l ?? "")?.[1] ?? 0), 0);
    assert.equal(counted, Number(await total.getAttribute("data-incidents")));
    await (await shown(browser, "analysis-timeline")).scrollIntoView({ block: "start" });
    await screenshot(browser, "caseworker-analysis-timeline-1280x800");

    // The technical facts are under Settings.
    await (await shown(browser, "nav-vault")).click();
    await shown(browser, "status-schema-version");
    await screenshot(browser, "caseworker-settings-1280x800");
  } finally {
    await app.close();
    removeHome(home);
  }
});
