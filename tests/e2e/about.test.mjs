// The first screen and the About panel: real data from a command round trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { launch, shown, screenshot, CLI, IDENTIFIER, filesUnder } from "./harness.mjs";

test("About panel shows the versions reported by the backend", async () => {
  const app = await launch();
  try {
    const { browser } = app;
    assert.equal(await browser.getTitle(), "Casevault");
    await (await shown(browser, "about-button")).click();
    await shown(browser, "about-panel");
    const appVersion = await (await shown(browser, "about-app-version")).getText();
    const coreVersion = await (await shown(browser, "about-core-version")).getText();
    const sqlcipher = await (await shown(browser, "about-sqlcipher-version")).getText();
    // The CLI links the same core: its version is the workspace version.
    const cliVersion = execFileSync(CLI, ["--version"], { encoding: "utf8" }).trim().split(" ")[1];
    assert.ok(appVersion.includes(cliVersion), `app version "${appVersion}" vs ${cliVersion}`);
    assert.ok(coreVersion.includes(cliVersion), `core version "${coreVersion}"`);
    assert.match(sqlcipher, /4\.\d+\.\d+/, `SQLCipher version "${sqlcipher}"`);
    await screenshot(browser, "about");
    // Escape closes the panel (keyboard-first).
    await browser.keys("Escape");
    await byTestIdHidden(browser, "about-panel");
  } finally {
    await app.close();
  }
  // The webview ran incognito: no storage of its own in the home directory.
  assert.deepEqual(filesUnder(join(app.home, ".local/share", IDENTIFIER)), []);
  assert.ok(!existsSync(join(app.home, ".cache", IDENTIFIER)), "no webview cache dir");
});

async function byTestIdHidden(browser, id) {
  const el = browser.$(`[data-testid="${id}"]`);
  await el.waitForDisplayed({ reverse: true, timeout: 5000, timeoutMsg: `${id} stayed open` });
}
