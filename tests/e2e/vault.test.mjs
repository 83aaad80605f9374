// The vault through the running app: create (with the recovery-key
// ceremony) → lock → wrong passphrase → unlock, under strace to prove that
// no network connection is opened, and with the home directory checked
// afterwards for webview storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import {
  launch, freshHome, shown, type, screenshot, createVaultThroughUi, unlockThroughUi,
  PASSPHRASE, OTHER_PASSPHRASE, IDENTIFIER, ROOT, filesUnder, fileContains,
} from "./harness.mjs";

test("create vault, lock, wrong passphrase, unlock — with no network connection", async () => {
  const home = freshHome();
  const straceLog = join(home, "strace.log");
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
    const vaultId = await (await shown(browser, "status-vault-id")).getText();
    assert.match(vaultId, /[0-9a-f]{32}/);
  } finally {
    await app.close();
  }

  // No AF_INET/AF_INET6 connect() by the app or any of its processes.
  const trace = readFileSync(straceLog, "utf8");
  assert.ok(trace.length > 0, "strace recorded the app");
  const inetConnects = trace.split("\n").filter((l) => /connect\(/.test(l) && /AF_INET6?\b/.test(l));
  assert.deepEqual(inetConnects, [], "the app opened network connections");

  // The recovery key and passphrase were never written anywhere in $HOME,
  // and the webview kept no storage of its own.
  for (const f of filesUnder(home)) {
    if (f === straceLog) continue;
    assert.ok(!fileContains(f, PASSPHRASE), `passphrase found in ${f}`);
    assert.ok(!fileContains(f, recoveryKey), `recovery key found in ${f}`);
  }
  assert.deepEqual(filesUnder(join(home, ".local/share", IDENTIFIER)), []);
  assert.ok(!existsSync(join(home, ".cache", IDENTIFIER)), "no webview cache dir");
});
