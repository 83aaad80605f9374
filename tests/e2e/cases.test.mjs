// Caseworker flow in the running app: create a case, add a person with an
// alias, an incident dated "March 2008" and a testimony whose consent
// covers lawyers only; lock, unlock and find it all again. A canary in the
// testimony must not reach any file outside the encrypted vault.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  launch, removeHome, shown, type, screenshot, createVaultThroughUi, unlockThroughUi, clickWhenEnabled,
  assertNothingLeaked, PASSPHRASE,
} from "./harness.mjs";

const CANARY = `CANARY-${Math.random().toString(16).slice(2)}-КАНАРЕЙКА`;

async function texts(browser, id) {
  const els = await browser.$$(`[data-testid="${id}"]`);
  const out = [];
  for (const el of els) out.push(await el.getText());
  return out;
}

test("create a case with a person, an incident and a testimony; lock; unlock; all still there", async () => {
  const app = await launch();
  const { browser, home } = app;
  try {
    await shown(browser, "create-passphrase");
    await createVaultThroughUi(browser);
    await (await shown(browser, "nav-cases")).click();

    await type(browser, "new-case-title", "Moldashev: surveillance in Moscow");
    await clickWhenEnabled(browser, "new-case-submit");
    await shown(browser, "case-view");

    // Add forms are behind their buttons.
    await (await shown(browser, "add-person-open")).click();
    await type(browser, "person-name", "Daniyar Moldashev");
    // Two aliases on two lines, typed as a person types them: the Enter key
    // between them. (setValue with "\n" reaches the textarea as one line.)
    const aliases = await shown(browser, "person-aliases");
    await aliases.click();
    await browser.keys([..."Daniar Moldashev"]);
    await browser.keys(["Enter"]);
    await browser.keys([..."Молдашев Данияр"]);
    assert.equal(await aliases.getValue(), "Daniar Moldashev\nМолдашев Данияр", "two lines in the textarea");
    await clickWhenEnabled(browser, "person-submit");
    await browser.waitUntil(async () => (await texts(browser, "person-item")).some((t) => t.includes("Молдашев Данияр")),
      { timeout: 10000, timeoutMsg: "person with alias not shown" });
    // Stored as two names, not one name with both in it.
    const person = (await texts(browser, "person-item")).find((t) => t.includes("Молдашев Данияр"));
    assert.match(person, /Daniar Moldashev, Молдашев Данияр/, person);

    await (await shown(browser, "add-incident-open")).click();
    await type(browser, "incident-title", "Followed from the hotel");
    await (await shown(browser, "incident-act-type")).selectByAttribute("value", "physical_surveillance");
    await type(browser, "incident-date", "March 2008");
    const canonical = await shown(browser, "incident-date-canonical");
    await browser.waitUntil(async () => (await canonical.getAttribute("data-value")) === "2008-03", { timeout: 5000 });
    await type(browser, "incident-city", "Moscow");
    await clickWhenEnabled(browser, "incident-submit");
    await browser.waitUntil(async () => (await texts(browser, "incident-item")).some((t) => t.includes("March 2008")),
      { timeout: 10000, timeoutMsg: "incident not shown" });

    await (await shown(browser, "add-testimony-open")).click();
    await type(browser, "testimony-statement", `He was followed from the hotel. ${CANARY}`);
    // Nothing is ticked by default: the person agreed to be recorded and to lawyers.
    await (await shown(browser, "consent-record")).click();
    const lawyers = await shown(browser, "consent-lawyers");
    if (!(await lawyers.isSelected())) await lawyers.click();
    await clickWhenEnabled(browser, "testimony-submit");
    await shown(browser, "testimony-item", 10000);
    await screenshot(browser, "case-view");

    await (await shown(browser, "lock-button")).click();
    await shown(browser, "unlock-passphrase");
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home");
    await (await shown(browser, "nav-cases")).click();
    await type(browser, "case-filter", "Daniar");
    const rows = await texts(browser, "case-row");
    assert.equal(rows.length, 1, `quick-find by alias: ${rows}`);
    await (await browser.$('[data-testid="case-row"] button, [data-testid="case-row"] a')).click();
    await shown(browser, "case-view");
    assert.ok((await texts(browser, "person-item")).some((t) => t.includes("Daniar Moldashev")));
    assert.ok((await texts(browser, "incident-item")).some((t) => t.includes("March 2008")));
    const consent = await texts(browser, "testimony-consent");
    assert.equal(consent.length, 1);
    assert.match(consent[0], /Lawyers only/);
    assert.ok((await texts(browser, "testimony-item"))[0].includes("followed from the hotel"));
  } finally {
    await app.close();
  }
  try {
    assertNothingLeaked(assert, home, [CANARY, "КАНАРЕЙКА", PASSPHRASE]);
  } finally {
    removeHome(home);
  }
});
