// Looking after a vault in the running app: change passphrase, auto-lock
// settings, backup with its progress bar, verify, recovery with the
// recovery key, and locking when the desktop's screen saver turns on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  launch, freshHome, clickWhenEnabled, removeHome, shown, type, screenshot, createVaultThroughUi, unlockThroughUi,
  assertNothingLeaked, PASSPHRASE, OTHER_PASSPHRASE, CLI,
} from "./harness.mjs";

/** A private D-Bus session bus, as a desktop session has. */
function sessionBus(home) {
  const bus = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1", `--address=unix:path=${home}.run/bus`], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    bus.stdout.once("data", (d) => resolve({ address: d.toString().trim(), stop: () => bus.kill() }));
    bus.once("error", reject);
  });
}

test("change passphrase, settings, backup, verify, recover, and lock on screen lock", async () => {
  const home = freshHome();
  const bus = await sessionBus(home);
  const app = await launch({ home, env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
  let recoveryKey;
  const backup = join(`${home}.tmp`, "casevault.cvbackup");
  try {
    const { browser } = app;
    await shown(browser, "create-passphrase");
    recoveryKey = await createVaultThroughUi(browser);
    // The app opens on Cases; passphrase, lock settings and backup are under Settings.
    await (await shown(browser, "nav-vault")).click();

    // Change the passphrase.
    await type(browser, "change-current", PASSPHRASE);
    await type(browser, "change-new", OTHER_PASSPHRASE);
    await type(browser, "change-confirm", OTHER_PASSPHRASE);
    await clickWhenEnabled(browser, "change-submit");
    await shown(browser, "change-result", 30000);

    // Auto-lock settings.
    await type(browser, "idle-minutes", "12");
    await (await shown(browser, "wipe-after")).selectByAttribute("value", "5");
    await shown(browser, "wipe-warning");
    await clickWhenEnabled(browser, "settings-save");
    await shown(browser, "settings-result");

    // Backup, with a progress bar, then verify.
    await type(browser, "backup-path", backup);
    await clickWhenEnabled(browser, "backup-submit");
    await shown(browser, "backup-result", 30000);
    assert.ok(existsSync(backup) && statSync(backup).size > 0, "backup file written");
    assert.ok(await browser.$('[data-testid="backup-progress"]').isExisting(), "progress bar shown");
    await clickWhenEnabled(browser, "verify-submit");
    const verify = await shown(browser, "verify-result");
    assert.equal(await verify.getAttribute("data-intact"), "true");
    await screenshot(browser, "maintenance");

    // A backup over an existing file is refused with a clear error.
    await type(browser, "backup-path", backup);
    await clickWhenEnabled(browser, "backup-submit");
    assert.equal(await (await shown(browser, "backup-error")).getAttribute("data-code"), "vault_exists");

    // The desktop locks its screen: the vault locks too.
    execFileSync("dbus-send", ["--session", "--type=signal", "/org/freedesktop/ScreenSaver",
      "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"], { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address } });
    await shown(browser, "unlock-passphrase", 10000);

    // The old passphrase no longer opens it; recover with the recovery key.
    await unlockThroughUi(browser, PASSPHRASE);
    assert.equal(await (await shown(browser, "unlock-error")).getAttribute("data-code"), "wrong_credential");
    await (await shown(browser, "show-recover")).click();
    await type(browser, "recover-key", recoveryKey.toLowerCase());
    await type(browser, "recover-new", PASSPHRASE);
    await type(browser, "recover-confirm", PASSPHRASE);
    await clickWhenEnabled(browser, "recover-submit");
    await shown(browser, "home", 30000);
    await (await shown(browser, "nav-vault")).click();
    assert.equal(await (await shown(browser, "idle-minutes")).getValue(), "12");
  } finally {
    await app.close();
    bus.stop();
  }
  try {
    // The backup opens with the passphrase that was current when it was made.
    const out = execFileSync(CLI, ["--vault", join(home, "restored"), "restore", backup, "--to", join(home, "restored")], {
      env: { ...process.env, CASEVAULT_PASSPHRASE: OTHER_PASSPHRASE },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.equal(typeof out, "string");
    assert.ok(existsSync(join(home, "restored", "header.cvh")));
    assertNothingLeaked(assert, home, [PASSPHRASE, OTHER_PASSPHRASE, recoveryKey]);
  } finally {
    removeHome(home);
  }
});
