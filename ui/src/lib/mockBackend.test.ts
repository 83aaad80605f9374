import { describe, expect, it, vi } from "vitest";
import { createMockBackend, generateRecoveryKey, scorePassphrase } from "./mockBackend";

describe("mock backend", () => {
  it("generates recovery keys as 12 groups of 4", () => {
    expect(generateRecoveryKey()).toMatch(/^([A-Z2-9]{4}-){11}[A-Z2-9]{4}$/);
  });

  it("scores short passphrases as unacceptable and long multi-word ones as acceptable", () => {
    expect(scorePassphrase("hunter2").acceptable).toBe(false);
    expect(scorePassphrase("password").score).toBe(0);
    const good = scorePassphrase("violet tram under seventeen kites");
    expect(good.acceptable).toBe(true);
    expect(good.score).toBeGreaterThanOrEqual(3);
  });

  it("rejects with IpcError codes", async () => {
    const b = createMockBackend();
    await expect(b.vaultCreate({ passphrase: "short", mode: null })).rejects.toEqual(
      expect.objectContaining({ code: "weak_passphrase" }),
    );
    await expect(b.vaultUnlock({ passphrase: "x" })).rejects.toEqual(expect.objectContaining({ code: "vault_not_found" }));
    const created = await b.vaultCreate({ passphrase: "violet tram under seventeen kites", mode: null });
    await expect(b.vaultCreate({ passphrase: "violet tram under seventeen kites", mode: null })).rejects.toEqual(
      expect.objectContaining({ code: "vault_exists" }),
    );
    expect(await b.recoveryKeyConfirm({ recovery_key: created.recovery_key.toLowerCase() })).toBe(true);
    await b.vaultLock();
    await expect(b.vaultStatus()).rejects.toEqual(expect.objectContaining({ code: "locked" }));
    await expect(b.vaultUnlock({ passphrase: "nope" })).rejects.toEqual(
      expect.objectContaining({ code: "wrong_credential" }),
    );
    await expect(
      b.vaultRecover({ recovery_key: "AAAA-BBBB", new_passphrase: "violet tram under seventeen kites" }),
    ).rejects.toEqual(expect.objectContaining({ code: "invalid_recovery_key" }));
  });

  it("emits vault-locked on lock and progress during backup", async () => {
    const b = createMockBackend({ exists: true, unlocked: true });
    const progress = vi.fn();
    const locked = vi.fn();
    await b.onProgress(progress);
    const unlisten = await b.onVaultLocked(locked);
    const report = await b.vaultBackup({ path: "/tmp/b.cv" });
    expect(report.path).toBe("/tmp/b.cv");
    expect(progress).toHaveBeenCalledWith({ task: "backup", done: 5, total: 5 });
    await b.vaultLock();
    expect(locked).toHaveBeenCalledTimes(1);
    unlisten();
    await b.vaultUnlock({ passphrase: "correct horse battery staple" });
    await b.vaultLock();
    expect(locked).toHaveBeenCalledTimes(1);
  });

  it("destroys the keys after the configured number of failed unlocks", async () => {
    const b = createMockBackend({ exists: true, lock: { idle_lock_minutes: 5, wipe_after_failed_unlocks: 3 } });
    for (let i = 0; i < 2; i++) {
      await expect(b.vaultUnlock({ passphrase: "bad" })).rejects.toEqual(expect.objectContaining({ code: "wrong_credential" }));
    }
    await expect(b.vaultUnlock({ passphrase: "bad" })).rejects.toEqual(expect.objectContaining({ code: "keys_destroyed" }));
    await expect(b.vaultUnlock({ passphrase: "correct horse battery staple" })).rejects.toEqual(
      expect.objectContaining({ code: "keys_destroyed" }),
    );
  });
});
