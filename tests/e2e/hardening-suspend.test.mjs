// Suspend waits for the lock: the app holds a logind "delay" inhibitor for
// sleep, and on PrepareForSleep(true) it locks the vault and only then
// closes the inhibitor, letting the machine sleep without the key in RAM.
// On resume it takes a new one.
//
// Test machines (containers, CI) have no system bus and no logind, so this
// runs the app against a private bus (DBUS_SYSTEM_BUS_ADDRESS) where a
// stand-in for logind's manager, hardening-login1.py, records the Inhibit
// calls, emits PrepareForSleep and checks, at the moment the inhibitor is
// released, that the vault's lock file is free (the vault was closed).
// Where a real logind runs, `systemd-inhibit --list` shows the same
// inhibitor ("Casevault", "lock the vault before suspend", delay).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { launch, freshHome, removeHome, shown, unlockThroughUi, sampleVault, PASSPHRASE } from "./harness.mjs";

const HERE = new URL(".", import.meta.url).pathname;

/** Starts a private message bus; resolves to { address, stop }. */
function privateBus() {
  return new Promise((resolve, reject) => {
    const bus = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "inherit"] });
    createInterface({ input: bus.stdout }).once("line", (address) => resolve({ address: address.trim(), stop: () => bus.kill() }));
    bus.once("error", reject);
    bus.once("exit", (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
}

/** Starts the logind stand-in; events are collected and awaited by predicate. */
function standIn(address, lockFile) {
  const proc = spawn("/usr/bin/python3", [join(HERE, "hardening-login1.py"), address, lockFile], { stdio: ["pipe", "pipe", "inherit"] });
  const events = [];
  const waiters = [];
  createInterface({ input: proc.stdout }).on("line", (line) => {
    const event = JSON.parse(line);
    events.push(event);
    for (const w of [...waiters]) if (w.match(event)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(event); }
  });
  return {
    events,
    send: (word) => proc.stdin.write(`${word}\n`),
    next(match, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`)), timeoutMs);
        waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      });
    },
    stop: () => proc.kill(),
  };
}

test("suspend waits for the vault to lock: delay inhibitor taken, released after the lock, taken again on resume", async () => {
  const bus = await privateBus();
  const home = freshHome();
  sampleVault(home);
  const login1 = standIn(bus.address, join(home, "vault", "vault.lock"));
  await login1.next((e) => e.event === "ready", 10000, "the stand-in to claim org.freedesktop.login1");
  const firstInhibit = login1.next((e) => e.event === "inhibit", 30000, "the app's Inhibit call");
  const app = await launch({ home, env: { DBUS_SYSTEM_BUS_ADDRESS: bus.address } });
  const { browser } = app;
  try {
    const inhibit = await firstInhibit;
    assert.deepEqual(
      { what: inhibit.what, who: inhibit.who, why: inhibit.why, mode: inhibit.mode },
      { what: "sleep", who: "Casevault", why: "lock the vault before suspend", mode: "delay" },
    );
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);
    login1.send("probe");
    const probe = await login1.next((e) => e.event === "probe", 5000, "the probe");
    assert.equal(probe.vault_closed, false, "the unlocked vault holds its lock file");

    // The machine is about to sleep.
    const released = login1.next((e) => e.event === "released", 5000, "the inhibitor to be released");
    const reinhibit = login1.next((e) => e.event === "inhibit", 10000, "a new inhibitor after resume");
    login1.send("sleep");
    const release = await released;
    assert.equal(release.vault_closed, true, "the inhibitor was released before the vault was closed");
    await shown(browser, "unlock-passphrase", 10000);

    login1.send("wake");
    const again = await reinhibit;
    assert.equal(again.mode, "delay");
  } finally {
    await app.close();
    login1.stop();
    bus.stop();
    removeHome(home);
  }
});
