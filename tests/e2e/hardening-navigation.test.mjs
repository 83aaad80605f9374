// Only the app's own page may load in its window: a script (or an
// injected link) that sends the window elsewhere, or opens a new window,
// leaves the app where it was. The same guard refuses the navigation
// WebKit starts when a URL is dropped on the window; this test drives the
// two script paths, which need no drag source on the test display.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, freshHome, removeHome, shown } from "./harness.mjs";

test("navigation guard: other origins and new windows are refused", async () => {
  const home = freshHome();
  const app = await launch({ home });
  const { browser } = app;
  try {
    await shown(browser, "create-passphrase", 30000);
    const own = await browser.getUrl();
    const handles = await browser.getWindowHandles();

    for (const target of ["https://example.invalid/", "file:///etc/passwd", "data:text/html,<h1>x</h1>"]) {
      await browser.execute((url) => { window.location.href = url; }, target);
      await browser.pause(1500);
      assert.equal(await browser.getUrl(), own, `the window left the app for ${target}`);
      await shown(browser, "create-passphrase", 5000);
    }

    const opened = await browser.execute(() => {
      const w = window.open("https://example.invalid/", "_blank");
      return w === null;
    });
    assert.equal(opened, true, "window.open must not return a window");
    await browser.execute(() => {
      const a = document.createElement("a");
      a.href = "https://example.invalid/";
      a.target = "_blank";
      document.body.appendChild(a);
      a.click();
    });
    await browser.pause(1500);
    assert.deepEqual(await browser.getWindowHandles(), handles, "a new window was opened");
    assert.equal(await browser.getUrl(), own);
    await shown(browser, "create-passphrase", 5000);
  } finally {
    await app.close();
    removeHome(home);
  }
});
