import { readFileSync, statSync, writeFileSync } from "node:fs";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { createHostBackend, type HostBackend, type HostOptions } from "./test/host";
import { formatBytes, setLocale } from "./lib/i18n";

const PASS = "correct horse battery staple";
const NEW_PASS = "violet tram under seventeen kites";
/** Waits for an answer that derives a key (argon2id): real work, slow on a busy machine. */
const KDF = { timeout: 15_000 };

async function setup(opts: HostOptions = {}, given?: HostBackend) {
  const backend = given ?? (await createHostBackend(opts));
  const user = userEvent.setup();
  const result = render(App, { props: { backend } });
  return { user, backend, ...result };
}

beforeEach(() => {
  setLocale("en");
});

/**
 * Flips a byte in the newest copy of `count` database pages in the open
 * vault's write-ahead log, as tampering with the disk does: the next
 * checkpoint writes them into the database, where verify finds them. (The
 * database file itself holds little until the log is checkpointed.) WAL
 * layout: a 32-byte header whose bytes 8..12 are the page size, then frames
 * of a 24-byte header (page number first) and one page.
 */
function damageLatestPages(wal: string, count: number): void {
  const bytes = readFileSync(wal);
  const pageSize = bytes.readUInt32BE(8);
  const frame = 24 + pageSize;
  const newest = new Map<number, number>();
  for (let at = 32; at + frame <= bytes.length; at += frame) newest.set(bytes.readUInt32BE(at), at);
  const frames = [...newest.values()].slice(0, count);
  expect(frames).toHaveLength(count);
  for (const at of frames) bytes[at + 24 + (pageSize >> 1)] ^= 0x01;
  writeFileSync(wal, bytes);
}

/** The app opens on Cases; the vault's facts and security settings are under Settings. */
async function openSettings(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByTestId("home");
  expect(await screen.findByTestId("cases-area")).toBeInTheDocument();
  expect(screen.getByTestId("nav-cases")).toHaveAttribute("aria-pressed", "true");
  await user.click(screen.getByTestId("nav-vault"));
}

async function createVault(user: ReturnType<typeof userEvent.setup>, passphrase = PASS) {
  await user.type(await screen.findByTestId("create-passphrase"), passphrase);
  await user.type(screen.getByTestId("create-confirm"), passphrase);
  await waitFor(() => expect(screen.getByTestId("create-submit")).toBeEnabled());
  await user.click(screen.getByTestId("create-submit"));
  return (await screen.findByTestId("recovery-key", {}, KDF)).textContent ?? "";
}

describe("create → recovery ceremony → lock → unlock", () => {
  it("walks the whole first-run path against the real core", async () => {
    const { user, backend } = await setup();

    // Create: the first field has focus, and the meter reflects the backend's score.
    const pass = await screen.findByTestId("create-passphrase");
    expect(pass).toHaveFocus();
    expect(screen.getByTestId("create-submit")).toBeDisabled();
    await user.type(pass, "short");
    await waitFor(() => expect(screen.getByTestId("strength-meter")).toHaveAttribute("data-score", "0"));
    await user.clear(pass);

    const key = await createVault(user);
    // Twelve groups of four in Crockford's base32 (no I, L, O or U).
    expect(key).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){11}[0-9A-HJKMNP-TV-Z]{4}$/);
    // The key shown is the new vault's own.
    expect(await backend.recoveryKeyConfirm({ recovery_key: key })).toBe(true);

    // Ceremony: the check appears only after ticking "written down", and the key is hidden then.
    expect(screen.queryByTestId("recovery-confirm-input")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("recovery-written"));
    expect(screen.queryByTestId("recovery-key")).not.toBeInTheDocument();
    expect(screen.getByTestId("recovery-key-hidden")).toBeInTheDocument();

    // A wrong key typed back is refused.
    const input = screen.getByTestId("recovery-confirm-input");
    await user.tab();
    expect(input).toHaveFocus();
    await user.type(input, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-JJJJ-KKKK-LLLL-MMMM{Enter}");
    const err = await screen.findByTestId("recovery-confirm-error");
    expect(err).toHaveAttribute("role", "alert");
    expect(screen.queryByTestId("home")).not.toBeInTheDocument();

    // The right one (typed in lower case, without dashes) goes home.
    await user.clear(input);
    await user.type(input, key.replaceAll("-", "").toLowerCase());
    await user.click(screen.getByTestId("recovery-confirm-submit"));
    expect(await screen.findByTestId("home")).toBeInTheDocument();
    // First run lands on the (empty) case list, not on the vault's facts.
    expect(await screen.findByTestId("case-list-empty")).toBeInTheDocument();
    expect(screen.queryByTestId("status-vault-id")).not.toBeInTheDocument();
    await openSettings(user);
    expect(await screen.findByTestId("status-vault-id")).toHaveTextContent(/\S/);
    expect(document.body.textContent).not.toContain(key);

    // Lock from the header.
    await user.click(screen.getByTestId("lock-button"));
    expect(await screen.findByTestId("unlock-passphrase")).toHaveFocus();
    expect(screen.queryByTestId("home")).not.toBeInTheDocument();
    expect(screen.queryByTestId("lock-button")).not.toBeInTheDocument();
    // The screen changes at once; the core's lock follows.
    await waitFor(async () => expect((await backend.vaultState()).unlocked).toBe(false));

    // Wrong passphrase.
    await user.type(screen.getByTestId("unlock-passphrase"), "not the passphrase{Enter}");
    const unlockErr = await screen.findByTestId("unlock-error", {}, KDF);
    expect(unlockErr).toHaveAttribute("data-code", "wrong_credential");
    expect(unlockErr).toHaveAttribute("role", "alert");
    expect(unlockErr).toHaveTextContent("Wrong passphrase.");

    // Right passphrase.
    await waitFor(() => expect(screen.getByTestId("unlock-passphrase")).toHaveFocus());
    await user.type(screen.getByTestId("unlock-passphrase"), PASS);
    await user.click(screen.getByTestId("unlock-submit"));
    expect(await screen.findByTestId("home", {}, KDF)).toBeInTheDocument();
    await openSettings(user);
    expect(await screen.findByTestId("status-vault-id")).toHaveTextContent((await backend.vaultStatus()).vault_id);
    expect(screen.getByTestId("status-failed-unlocks")).toHaveTextContent("1");
  });

  it("shows a mismatch inline and never calls the backend for it", async () => {
    const { user, backend } = await setup();
    const create = vi.spyOn(backend, "vaultCreate");
    await user.type(await screen.findByTestId("create-passphrase"), PASS);
    await user.type(screen.getByTestId("create-confirm"), PASS + "x{Enter}");
    expect(await screen.findByTestId("create-mismatch")).toBeInTheDocument();
    expect(screen.getByTestId("create-confirm")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("create-submit")).toBeDisabled();
    expect(create).not.toHaveBeenCalled();
  });

  it("shows busy progress and disables the form while the key is derived", async () => {
    // The real key derivation is the wait.
    const { user, backend } = await setup();
    await user.type(await screen.findByTestId("create-passphrase"), PASS);
    await user.type(screen.getByTestId("create-confirm"), PASS);
    await waitFor(() => expect(screen.getByTestId("create-submit")).toBeEnabled());
    await user.click(screen.getByTestId("create-submit"));
    expect(screen.getByTestId("busy-progress")).toBeInTheDocument();
    expect(screen.getByTestId("create-passphrase")).toBeDisabled();
    expect(await screen.findByTestId("recovery-key", {}, KDF)).toBeInTheDocument();
    expect(screen.queryByTestId("busy-progress")).not.toBeInTheDocument();
    expect((await backend.vaultState()).unlocked).toBe(true);
  });
});

describe("recovery ceremony", () => {
  it("focuses its heading, and 'show the key again' brings the key back", async () => {
    const { user } = await setup();
    const key = await createVault(user);
    expect(screen.getByRole("heading", { level: 1, name: "Your recovery key" })).toHaveFocus();
    await user.click(screen.getByTestId("recovery-written"));
    await user.type(screen.getByTestId("recovery-confirm-input"), "ABC");
    await user.click(screen.getByTestId("recovery-back"));
    expect(screen.getByTestId("recovery-key")).toHaveTextContent(key);
    expect(screen.getByTestId("recovery-written")).not.toBeChecked();
    expect(screen.getByTestId("recovery-written")).toHaveFocus();
    expect(screen.queryByTestId("recovery-confirm-input")).not.toBeInTheDocument();
  });
});

describe("locking", () => {
  it("drops vault data when the backend emits vault-locked", async () => {
    const { user, backend } = await setup({ exists: true, unlocked: true });
    await openSettings(user);
    await screen.findByTestId("status-vault-id");
    await user.type(screen.getByTestId("change-current"), "half typed");
    await backend.lockFromBackend();
    expect(await screen.findByTestId("unlock-screen")).toBeInTheDocument();
    expect(screen.queryByTestId("status-vault-id")).not.toBeInTheDocument();
    expect(screen.queryByTestId("change-current")).not.toBeInTheDocument();
    expect(screen.getByTestId("locked-notice")).toBeInTheDocument();
  });

  it("a late vault-locked event does not wipe a passphrase being typed; the panic key does", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true });
    let fire = () => {};
    backend.onVaultLocked = async (cb) => {
      fire = cb;
      return () => {};
    };
    const { user } = await setup({}, backend);
    await screen.findByTestId("home");
    await user.click(screen.getByTestId("lock-button"));
    await user.type(await screen.findByTestId("unlock-passphrase"), "abc");
    fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.getByTestId("unlock-passphrase")).toHaveValue("abc");
    await fireEvent.keyDown(window, { key: "L", code: "KeyL", ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(screen.getByTestId("unlock-passphrase")).toHaveValue(""));
  });

  it("locks on Ctrl+Shift+L", async () => {
    const { backend } = await setup({ exists: true, unlocked: true });
    await screen.findByTestId("home");
    const lock = vi.spyOn(backend, "vaultLock");
    await fireEvent.keyDown(window, { key: "L", code: "KeyL", ctrlKey: true, shiftKey: true });
    expect(await screen.findByTestId("unlock-screen")).toBeInTheDocument();
    expect(lock).toHaveBeenCalledTimes(1);
    // The screen changes at once; the core's lock is the answer to that call.
    await lock.mock.results[0].value;
    expect((await backend.vaultState()).unlocked).toBe(false);
  });

  it("drops the recovery key when locked during the ceremony", async () => {
    const { user, backend } = await setup();
    const key = await createVault(user);
    await backend.lockFromBackend();
    expect(await screen.findByTestId("unlock-screen")).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(key);
  });
});

describe("recover", () => {
  it("refuses a bad key and accepts the right one with a new passphrase", async () => {
    const backend = await createHostBackend({ exists: true });
    const key = backend.recoveryKey!;
    const { user } = await setup({}, backend);
    await user.click(await screen.findByTestId("show-recover"));
    expect(screen.getByTestId("recover-key")).toHaveFocus();
    await user.type(screen.getByTestId("recover-key"), "WRONG-KEY");
    await user.type(screen.getByTestId("recover-new"), NEW_PASS);
    await user.type(screen.getByTestId("recover-confirm"), NEW_PASS);
    await waitFor(() => expect(screen.getByTestId("recover-submit")).toBeEnabled());
    await user.click(screen.getByTestId("recover-submit"));
    expect(await screen.findByTestId("recover-error")).toHaveAttribute("data-code", "invalid_recovery_key");

    await user.clear(screen.getByTestId("recover-key"));
    await user.type(screen.getByTestId("recover-key"), key);
    await user.click(screen.getByTestId("recover-submit"));
    expect(await screen.findByTestId("home", {}, KDF)).toBeInTheDocument();
    // The new passphrase is the vault's now.
    await backend.vaultLock();
    await backend.vaultUnlock({ passphrase: NEW_PASS });
  });

  it("can go back to unlocking", async () => {
    const { user } = await setup({ exists: true });
    await user.click(await screen.findByTestId("show-recover"));
    await user.click(screen.getByTestId("recover-cancel"));
    expect(await screen.findByTestId("unlock-passphrase")).toBeInTheDocument();
  });
});

describe("home", () => {
  it("changes the passphrase, reporting a wrong current one by code", async () => {
    const { user, backend } = await setup({ exists: true, unlocked: true });
    await openSettings(user);
    await screen.findByTestId("status-vault-id");
    await user.type(screen.getByTestId("change-current"), "wrong current");
    await user.type(screen.getByTestId("change-new"), NEW_PASS);
    await user.type(screen.getByTestId("change-confirm"), NEW_PASS);
    await waitFor(() => expect(screen.getByTestId("change-submit")).toBeEnabled());
    await user.click(screen.getByTestId("change-submit"));
    expect(await screen.findByTestId("change-error", {}, KDF)).toHaveAttribute("data-code", "wrong_credential");

    await user.type(screen.getByTestId("change-current"), PASS);
    await user.click(screen.getByTestId("change-submit"));
    expect(await screen.findByTestId("change-result", {}, KDF)).toBeInTheDocument();
    expect(screen.getByTestId("change-new")).toHaveValue("");
    // The new passphrase opens the vault, the old one no longer does.
    await backend.vaultLock();
    await expect(backend.vaultUnlock({ passphrase: PASS })).rejects.toMatchObject({ code: "wrong_credential" });
    await backend.vaultUnlock({ passphrase: NEW_PASS });
  });

  it("validates and saves lock settings", async () => {
    const { user, backend } = await setup({
      exists: true,
      unlocked: true,
      lock: { idle_lock_minutes: 10, wipe_after_failed_unlocks: null },
    });
    await openSettings(user);
    const idle = await screen.findByTestId("idle-minutes");
    expect(idle).toHaveValue(10);
    expect(screen.getByTestId("wipe-warning")).toHaveTextContent(/cannot be undone/);
    await user.clear(idle);
    await user.type(idle, "0");
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-error")).toHaveAttribute("data-code", "invalid_input");

    await user.clear(idle);
    await user.type(idle, "15");
    await user.selectOptions(screen.getByTestId("wipe-after"), "5");
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-result")).toBeInTheDocument();
    expect((await backend.vaultStatus()).lock).toEqual({ idle_lock_minutes: 15, wipe_after_failed_unlocks: 5 });
  });

  it("backs up with progress and reports path and size", async () => {
    const { user, backend } = await setup({ exists: true, unlocked: true, progressPauseMs: 20 });
    const progressSeen = vi.fn();
    await backend.onProgress(progressSeen);
    await openSettings(user);
    const path = screen.getByTestId("backup-path");
    expect(path).toHaveValue("");
    const out = backend.pathFor("cv-backup.cv");
    await user.type(path, out);
    await user.click(screen.getByTestId("backup-submit"));
    const bar = await screen.findByTestId("backup-progress");
    expect(bar.tagName).toBe("PROGRESS");
    const result = await screen.findByTestId("backup-result", {}, { timeout: 10_000 });
    expect(result).toHaveTextContent(out);
    expect(result).toHaveTextContent(formatBytes(statSync(out).size));
    // The bar ends full.
    const done = screen.getByTestId("backup-progress");
    expect(Number(done.getAttribute("max"))).toBeGreaterThan(0);
    expect(done).toHaveAttribute("value", done.getAttribute("max"));
    expect(progressSeen).toHaveBeenCalled();
  });

  it("reports backup failures by code", async () => {
    const { user, backend } = await setup({ exists: true, unlocked: true });
    await openSettings(user);
    // A folder that is really a file: the backup cannot be written there.
    const notAFolder = backend.writeFile("usb", "a file, not a folder");
    await user.type(await screen.findByTestId("backup-path"), `${notAFolder}/x.cv`);
    await user.click(screen.getByTestId("backup-submit"));
    const err = await screen.findByTestId("backup-error");
    expect(err).toHaveAttribute("data-code", "io");
  });

  it("verifies: intact, or the list of problems", async () => {
    const { user, backend } = await setup({ exists: true, unlocked: true });
    damageLatestPages(`${backend.dir}/vault/vault.db-wal`, 2);
    await openSettings(user);
    await user.click(await screen.findByTestId("verify-submit"));
    const result = await screen.findByTestId("verify-result");
    expect(result).toHaveAttribute("data-intact", "false");
    expect(within(result).getAllByRole("listitem")).toHaveLength(2);
  });

  it("verifies an intact vault", async () => {
    const { user } = await setup({ exists: true, unlocked: true });
    await openSettings(user);
    await user.click(await screen.findByTestId("verify-submit"));
    expect(await screen.findByTestId("verify-result")).toHaveTextContent("The vault is intact.");
  });
});

describe("language", () => {
  it("switches visible text to Russian and stores the choice through the backend", async () => {
    const { user, backend } = await setup();
    const prefsSet = vi.spyOn(backend, "prefsSet");
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("Create a new vault");
    await user.selectOptions(screen.getByTestId("language-select"), "ru");
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("Создание хранилища");
    expect(screen.getByTestId("about-button")).toHaveTextContent("О программе");
    expect(prefsSet).toHaveBeenCalledWith({ language: "ru" });
    expect((await backend.prefsGet()).language).toBe("ru");
    expect(document.documentElement.lang).toBe("ru");
  });

  it("starts in the stored language, and translates errors", async () => {
    const { user } = await setup({ exists: true, language: "ru" });
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("Разблокировка хранилища");
    expect(screen.getByTestId("language-select")).toHaveValue("ru");
    await user.type(screen.getByTestId("unlock-passphrase"), "nope{Enter}");
    expect(await screen.findByTestId("unlock-error", {}, KDF)).toHaveTextContent("Неверная парольная фраза.");
  });

  it("shows the backend message for an unknown error code", async () => {
    const backend = await createHostBackend({ exists: true });
    backend.vaultUnlock = () => Promise.reject({ code: "quantum_flux", message: "The flux capacitor is empty" });
    const { user } = await setup({}, backend);
    await user.type(await screen.findByTestId("unlock-passphrase"), "x{Enter}");
    const err = await screen.findByTestId("unlock-error");
    expect(err).toHaveAttribute("data-code", "quantum_flux");
    expect(err).toHaveTextContent("The flux capacitor is empty");
  });
});

describe("about", () => {
  it("shows versions from the backend in a modal dialog; Escape closes it", async () => {
    const { user, backend } = await setup();
    const info = await backend.about();
    const button = await screen.findByTestId("about-button");
    await user.click(button);
    const panel = await screen.findByTestId("about-panel");
    expect(panel).toHaveAttribute("role", "dialog");
    expect(panel).toHaveAttribute("aria-modal", "true");
    expect(await screen.findByTestId("about-app-version")).toHaveTextContent(info.app_version);
    expect(screen.getByTestId("about-core-version")).toHaveTextContent(info.core.core_version);
    expect(screen.getByTestId("about-sqlcipher-version")).toHaveTextContent(info.core.sqlcipher_version);
    expect(screen.getByTestId("about-sqlite-version")).toHaveTextContent(info.core.sqlite_version);
    expect(screen.getByTestId("about-tauri-version")).toHaveTextContent(info.tauri_version);
    expect(screen.getByTestId("about-crypto-passphrase-kdf")).toHaveTextContent(info.core.crypto.passphrase_kdf);
    expect(screen.getByTestId("about-core-dumps")).toHaveAttribute("data-disabled", "true");
    expect(screen.getByTestId("about-close")).toHaveFocus();

    // Focus stays inside the dialog.
    await user.tab();
    expect(panel).toContainElement(document.activeElement as HTMLElement);

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("about-panel")).not.toBeInTheDocument();
    expect(button).toHaveFocus();
  });

  it("closes with the close button", async () => {
    const { user } = await setup();
    await user.click(await screen.findByTestId("about-button"));
    await user.click(await screen.findByTestId("about-close"));
    expect(screen.queryByTestId("about-panel")).not.toBeInTheDocument();
  });
});

describe("frame", () => {
  it("has a skip link, a main landmark and no webview storage use", async () => {
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    const { user } = await setup({ exists: true, unlocked: true });
    await screen.findByTestId("home");
    expect(screen.getByRole("main")).toBeInTheDocument();
    const skip = screen.getByRole("link", { name: "Skip to main content" });
    await user.click(skip);
    expect(screen.getByRole("main")).toHaveFocus();
    await user.selectOptions(screen.getByTestId("language-select"), "ru");
    expect(setItem).not.toHaveBeenCalled();
    expect(document.cookie).toBe("");
  });
});
