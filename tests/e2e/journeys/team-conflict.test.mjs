// Conflict review as a caseworker meets it, in English, Russian and Kazakh
// at 1024×640 and 1280×800. Two vaults (this app's and a colleague's, both
// made and edited with the real CLI) share the Moldashev case through a
// folder; both changed the same testimony before syncing: the statement on
// separate lines (which merge) and the interview mode (which does not).
// The app opens the review from the Team view, shows both versions side by
// side with the line diff and the reason the merge is refused, and keeping
// a version by keyboard ends the conflict. Each screen is looked at
// (look.mjs): screenshot, layout invariants, no foreign strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, PASSPHRASE, appEnv, freshHome, launch, removeHome, sampleVault, shown, unlockThroughUi } from "../harness.mjs";
import { LANGUAGES, SIZES, assertLooksRight, setLanguage, setSize } from "./look.mjs";

const TESTIMONY = "t-moldashev-sample";

function cli(home, args) {
  const env = { ...appEnv(home), CASEVAULT_NEW_PASSPHRASE: PASSPHRASE, CASEVAULT_PASSPHRASE: PASSPHRASE };
  return execFileSync(CLI, args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
}

/** Amends the testimony in `home`'s vault with the CLI. */
function amendTestimony(home, change) {
  const all = join(`${home}.tmp`, `records-${Date.now()}.json`);
  mkdirSync(`${home}.tmp`, { recursive: true });
  cli(home, ["export-json", "--out", all]);
  const testimony = JSON.parse(readFileSync(all, "utf8")).testimonies.find((t) => t.id === TESTIMONY);
  change(testimony);
  const data = join(`${home}.tmp`, "testimony.json");
  writeFileSync(data, JSON.stringify(testimony));
  cli(home, ["amend", TESTIMONY, "--data", data, "--reason", "second interview"]);
}

/**
 * This app's vault (a home to copy) holding a space whose testimony both
 * sides changed: made once, with the CLI only.
 */
function conflictedHome() {
  const home = freshHome();
  const colleague = freshHome();
  sampleVault(home);
  cli(colleague, ["init", "--kdf-ms", "200"]);
  const stick = `file://${join(home, "usb-stick")}`;
  mkdirSync(join(home, "usb-stick"));
  cli(home, ["space", "create", "Kazakhstan desk", "--case", "case-moldashev"]);
  cli(home, ["space", "add", "Kazakhstan desk", cli(colleague, ["device", "key"]).trim(), "--as", "Aigerim"]);
  cli(home, ["sync", "--remote", stick]);
  cli(colleague, ["sync", "--remote", stick]);
  amendTestimony(home, (t) => {
    t.statement = t.statement.replace("Sample testimony for testing", "Sample testimony (checked twice) for testing");
    t.mode = "in_person";
  });
  amendTestimony(colleague, (t) => {
    t.statement = `${t.statement}\nДополнено после второй беседы: документы так и не вернули.`;
    t.mode = "phone";
  });
  cli(home, ["sync", "--remote", stick]);
  cli(colleague, ["sync", "--remote", stick]);
  cli(home, ["sync", "--remote", stick]);
  const listed = JSON.parse(cli(home, ["space", "ls", "--json"]));
  assert.deepEqual(listed[0].conflicts, [TESTIMONY], "the CLI set-up made a conflict");
  removeHome(colleague);
  return home;
}

const template = conflictedHome();

test.after(() => removeHome(template));

for (const lang of LANGUAGES) {
  for (const size of SIZES) {
    test(`conflict review journey, ${lang}, ${size.width}x${size.height}`, async () => {
      const home = freshHome();
      cpSync(join(template, "vault"), join(home, "vault"), { recursive: true });
      setLanguage(home, lang);
      const app = await launch({ home });
      const { browser } = app;
      const ctx = { journey: "team-conflict", lang, size };
      try {
        await setSize(browser, size);
        await unlockThroughUi(browser);
        await shown(browser, "home", 30000);
        await (await shown(browser, "nav-team")).click();

        // The space says a record awaits review; Enter on it opens the dialog.
        const review = await shown(browser, "space-conflict-review", 15000);
        assert.equal(await review.getAttribute("data-record"), TESTIMONY);
        // Listed by whose testimony it is, not by its id.
        const row = await browser.$(`[data-testid="space-conflict-list"] li[data-record="${TESTIMONY}"]`);
        assert.match(await row.getText(), /Moldashev|Молдашев/);
        assert.ok(!(await row.getText()).includes(TESTIMONY));
        await review.scrollIntoView({ block: "center" });
        await assertLooksRight(assert, browser, ctx, "team-conflict-listed");
        await review.click();
        const dialog = await shown(browser, "conflict-dialog");
        await browser.waitUntil(async () => (await dialog.$$('[data-testid="conflict-version"]')).length === 2,
          { timeout: 15000, timeoutMsg: "the two versions did not appear" });

        // The title says whose testimony it is, not its id.
        const title = await (await dialog.$("h2")).getText();
        assert.match(title, /Moldashev|Молдашев/, title);
        assert.ok(!title.includes(TESTIMONY), title);

        // Side by side: both versions' headers on one row, inside the window.
        const boxes = await browser.execute(() =>
          [...document.querySelectorAll('[data-testid="conflict-version"]')].map((el) => {
            const r = el.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, width: r.width };
          }));
        assert.equal(boxes.length, 2);
        assert.ok(boxes[0].right <= boxes[1].left + 1, "the versions stand side by side");
        assert.ok(Math.abs(boxes[0].top - boxes[1].top) < 2, "on one row");
        for (const b of boxes) assert.ok(b.left >= 0 && b.right <= size.width && b.width > 120, `a version column fits: ${JSON.stringify(b)}`);

        // The statement is a line diff that merges; the mode overlaps, so
        // the merge is refused with its reason next to the button.
        const fields = await browser.execute(() =>
          Object.fromEntries([...document.querySelectorAll('[data-testid="conflict-field"]')].map((f) =>
            [f.getAttribute("data-field"), { long: f.getAttribute("data-long-text"), conflict: f.getAttribute("data-conflict") }])));
        assert.deepEqual(fields.statement, { long: "true", conflict: "false" });
        assert.deepEqual(fields.mode, { long: "false", conflict: "true" });
        const lines = await browser.execute(() =>
          [...document.querySelectorAll('[data-testid="conflict-line"]')].map((l) => l.getAttribute("data-side")));
        assert.ok(lines.includes("left") && lines.includes("right") && lines.includes("both"), `a line diff: ${lines}`);
        assert.equal(await (await browser.$('[data-testid="conflict-merged"]')).isEnabled(), false);
        await shown(browser, "conflict-merged-reason");
        await assertLooksRight(assert, browser, ctx, "team-conflict-dialog");

        // The choices, scrolled to: every button inside the window.
        const keepLeft = await browser.$('[data-testid="conflict-keep-left"]');
        await keepLeft.scrollIntoView({ block: "end" });
        const choices = await browser.execute(() =>
          [...document.querySelectorAll('[data-testid^="conflict-keep-"], [data-testid="conflict-merged"]')].map((b) => {
            const r = b.getBoundingClientRect();
            return { id: b.getAttribute("data-testid"), left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }));
        for (const c of choices) {
          assert.ok(c.left >= 0 && c.right <= size.width && c.top >= 0 && c.bottom <= size.height, `${c.id} is inside the window: ${JSON.stringify(c)}`);
        }
        await assertLooksRight(assert, browser, ctx, "team-conflict-choices");

        // By keyboard: focus the left version's button and press Enter.
        await browser.execute(() => document.querySelector('[data-testid="conflict-keep-left"]').focus());
        await browser.keys(["Enter"]);
        await browser.waitUntil(async () => !(await (await browser.$('[data-testid="conflict-dialog"]')).isExisting()),
          { timeout: 15000, timeoutMsg: "the dialog did not close after the choice" });
        await browser.waitUntil(async () => !(await (await browser.$('[data-testid="space-conflict-review"]')).isExisting()),
          { timeout: 15000, timeoutMsg: "the conflict is still listed" });
        await assertLooksRight(assert, browser, ctx, "team-conflict-resolved");
      } finally {
        await app.close();
        removeHome(home);
      }
    });
  }
}
