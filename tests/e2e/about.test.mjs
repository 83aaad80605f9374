// The first screen and the About panel: real data from a command round trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { launch, shown, screenshot, CLI, removeHome } from "./harness.mjs";

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
    const provider = await (await shown(browser, "about-sqlcipher-provider")).getText();
    const dumps = await (await shown(browser, "about-core-dumps")).getAttribute("data-disabled");
    // The CLI links the same core: its version is the workspace version.
    const cliVersion = execFileSync(CLI, ["--version"], { encoding: "utf8" }).trim().split(" ")[1];
    assert.ok(appVersion.includes(cliVersion), `app version "${appVersion}" vs ${cliVersion}`);
    assert.ok(coreVersion.includes(cliVersion), `core version "${coreVersion}"`);
    assert.match(sqlcipher, /4\.\d+\.\d+/, `SQLCipher version "${sqlcipher}"`);
    assert.match(provider, /openssl/i);
    assert.equal(dumps, "true", "the app disabled core dumps at start");
    await screenshot(browser, "about");
    // Escape closes the panel (keyboard-first).
    await browser.keys("Escape");
    await browser.$('[data-testid="about-panel"]').waitForDisplayed({ reverse: true, timeout: 5000 });
  } finally {
    await app.close();
    removeHome(app.home);
  }
});

test("the language switch shows Russian and is kept between runs", async () => {
  let app = await launch();
  const home = app.home;
  try {
    const select = await shown(app.browser, "language-select");
    await select.selectByAttribute("value", "ru");
    await (await shown(app.browser, "about-button")).waitUntil(
      async function () { return /О программе/.test(await this.getText()); },
      { timeout: 5000, timeoutMsg: "About button was not translated" },
    );
    await app.close();
    app = await launch({ home });
    const again = await shown(app.browser, "about-button");
    await again.waitUntil(async function () { return /О программе/.test(await this.getText()); }, { timeout: 5000 });
    assert.equal(await (await shown(app.browser, "language-select")).getValue(), "ru");
    await screenshot(app.browser, "russian");
  } finally {
    await app.close();
    removeHome(home);
  }
});
