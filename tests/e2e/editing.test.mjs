// Editing in the running app, on the report's sample cases: amend an
// incident with a reason and see the version history; add an intervention,
// trash it with a reason and restore it; add an existing person found by a
// Cyrillic alias; and a testimony draft that survives a lock, kept in the
// vault and nowhere else.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  launch, freshHome, removeHome, shown, type, screenshot, unlockThroughUi, clickWhenEnabled,
  assertNothingLeaked, sampleVault, openCase, texts, withText, byTestId, PASSPHRASE,
} from "./harness.mjs";

const DRAFT_CANARY = `DRAFT-${Math.random().toString(16).slice(2)}-ЧЕРНОВИК`;
const INCIDENT = "inc-kurmanov-abduction-2012";

test("amend with a reason, history, trash and restore, person picker, drafts in the vault", async () => {
  const home = freshHome();
  sampleVault(home);
  const app = await launch({ home });
  const { browser } = app;
  try {
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await openCase(browser, "Kurmanov");

    // Amend: Save stays disabled until a reason is given.
    await (await shown(browser, `edit-incident-${INCIDENT}`)).click();
    await type(browser, "incident-title", "Attempted abduction on Revolution Square (amended)");
    assert.equal(await (await shown(browser, "incident-save")).isEnabled(), false, "no reason, no save");
    await type(browser, "reason-input", "title shortened after the second interview");
    await clickWhenEnabled(browser, "incident-save");
    await browser.waitUntil(async () => (await texts(browser, "incident-item-title")).some((t) => t.includes("(amended)")),
      { timeout: 10000, timeoutMsg: "amended title not shown" });

    // History: two versions, the reason, and what changed.
    await (await shown(browser, `history-incident-${INCIDENT}`)).click();
    await shown(browser, "history-panel");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="history-version"]')).length === 2,
      { timeout: 10000, timeoutMsg: "two versions expected" });
    assert.ok((await texts(browser, "history-note")).some((t) => t.includes("second interview")));
    const change = await browser.$('[data-testid="history-change"][data-field="title"]');
    assert.ok((await change.getText()).includes("(amended)"));
    await screenshot(browser, "history");
    await (await shown(browser, "history-close")).click();

    // An intervention: add, trash with a reason, restore from the trash.
    await (await shown(browser, "add-intervention-open")).click();
    await (await shown(browser, "intervention-actor-kind")).selectByAttribute("value", "un_special_procedure");
    await (await shown(browser, "intervention-status")).selectByAttribute("value", "submitted");
    await type(browser, "intervention-actor", "UN Special Rapporteur on human rights defenders");
    await type(browser, "intervention-request", "Urgent appeal about the attempted abduction.");
    await clickWhenEnabled(browser, "intervention-submit");
    const item = await withText(browser, "intervention-item", "UN Special Rapporteur");
    const ivId = await item.getAttribute("data-id");
    await (await shown(browser, `trash-intervention-${ivId}`)).click();
    await type(browser, "trash-reason", "sent by another NGO, recorded twice");
    await clickWhenEnabled(browser, "trash-confirm");
    await browser.waitUntil(async () => !(await texts(browser, "intervention-item")).some((t) => t.includes("UN Special Rapporteur")),
      { timeout: 10000, timeoutMsg: "trashed intervention still listed" });
    assert.ok((await texts(browser, "trash-item-reason")).some((t) => t.includes("recorded twice")));
    await clickWhenEnabled(browser, `restore-intervention-${ivId}`);
    await browser.waitUntil(async () => (await texts(browser, "intervention-item")).some((t) => t.includes("UN Special Rapporteur")),
      { timeout: 10000, timeoutMsg: "restored intervention not listed" });

    // The picker finds Moldashev from another case by his Cyrillic name.
    await (await shown(browser, "add-person-open")).click();
    await type(browser, "picker-existing-person", "Молдаш");
    const option = await browser.$('[data-testid="picker-option"][data-id="p-moldashev"]');
    await option.waitForDisplayed({ timeout: 10000 });
    await option.click();
    await (await shown(browser, "existing-person-role")).selectByAttribute("value", "witness");
    await clickWhenEnabled(browser, "existing-person-submit");
    await browser.waitUntil(async () => (await texts(browser, "person-primary")).some((t) => t.includes("Moldashev")),
      { timeout: 10000, timeoutMsg: "existing person not added" });

    // A testimony draft: typed, not saved, survives a lock.
    await (await shown(browser, "add-testimony-open")).click();
    await type(browser, "testimony-statement", `Interview notes, unfinished. ${DRAFT_CANARY}`);
    await browser.pause(2500); // longer than the autosave debounce
    await (await shown(browser, "lock-button")).click();
    await shown(browser, "unlock-passphrase");
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    await openCase(browser, "Kurmanov");
    await shown(browser, "testimony-draft-restored", 10000);
    assert.ok((await byTestId(browser, "testimony-statement").getValue()).includes(DRAFT_CANARY));
    await screenshot(browser, "draft-restored");
  } finally {
    await app.close();
  }
  try {
    assertNothingLeaked(assert, home, [DRAFT_CANARY, "ЧЕРНОВИК", PASSPHRASE]);
  } finally {
    removeHome(home);
  }
});
