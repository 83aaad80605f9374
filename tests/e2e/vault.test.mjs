// The vault through the running app: create (with the recovery-key
// ceremony) → lock → wrong passphrase → unlock, recorded by strace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  launch, freshHome, removeHome, shown, screenshot, createVaultThroughUi, unlockThroughUi,
  assertNothingLeaked, PASSPHRASE, OTHER_PASSPHRASE, ROOT,
} from "./harness.mjs";

test("create vault, lock, wrong passphrase, unlock; no network but the WebDriver link", async () => {
  const home = freshHome();
  const straceLog = join(`${home}.run`, "strace.log");
  const app = await launch({
    home,
    application: join(ROOT, "tests/e2e/strace-app.sh"),
    env: { CASEVAULT_STRACE_LOG: straceLog },
  });
  let recoveryKey;
  try {
    const { browser } = app;
    await shown(browser, "create-passphrase");
    await screenshot(browser, "create-vault");
    recoveryKey = await createVaultThroughUi(browser);
    assert.equal(recoveryKey.replace(/-/g, "").length, 48, `recovery key ${recoveryKey}`);
    await screenshot(browser, "home");

    await (await shown(browser, "lock-button")).click();
    await shown(browser, "unlock-passphrase");

    await unlockThroughUi(browser, OTHER_PASSPHRASE);
    const error = await shown(browser, "unlock-error");
    assert.equal(await error.getAttribute("data-code"), "wrong_credential");
    await screenshot(browser, "wrong-passphrase");

    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home");
    // Opens on Cases; the vault's facts are under Settings.
    await shown(browser, "cases-area");
    await (await shown(browser, "nav-vault")).click();
    const vaultId = await (await shown(browser, "status-vault-id")).getText();
    assert.match(vaultId, /[0-9a-f]{32}/);
  } finally {
    await app.close();
  }
  try {
    // Under WebDriver the app's only socket is WebKit's automation link to
    // WebKitWebDriver, at the loopback address it was handed in
    // WEBKIT_INSPECTOR_SERVER. Anything else is a network connection.
    const automation = readFileSync(`${straceLog}.inspector`, "utf8").split("\n")[0].trim();
    assert.match(automation, /^127\.0\.0\.1:\d+$/);
    const [, port] = automation.split(":");
    const inet = readFileSync(straceLog, "utf8").split("\n").filter((l) => /AF_INET6?\b/.test(l));
    assert.ok(inet.length > 0, "strace saw the automation link, so it was recording");
    const other = inet.filter((l) => !(l.includes(`htons(${port})`) && l.includes('inet_addr("127.0.0.1")')));
    assert.deepEqual(other, [], "the app used the network");
    assertNothingLeaked(assert, home, [PASSPHRASE, recoveryKey], [straceLog]);
  } finally {
    removeHome(home);
  }
});
