// The Team view against the real core: two vaults (an admin's and a
// colleague's) share a case through a real folder, as two laptops do
// through a USB stick. Nothing here knows a rule: refusals are the core's,
// asserted by code.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mkdirSync, readdirSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { toUiError } from "./lib/backend";
import { CASE_ID, OTHER_CASE_ID, seed } from "./test/fixtures";
import { createHostBackend, type HostBackend } from "./test/host";

beforeEach(() => setLocale("en"));
afterEach(() => setLocale("en"));

async function openTeam(backend: HostBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await user.click(await screen.findByTestId("nav-team"));
  await screen.findByTestId("team-view");
  await screen.findByTestId("device-key-line");
  return user;
}

async function caseIds(user: ReturnType<typeof userEvent.setup>): Promise<string[]> {
  await user.click(screen.getByTestId("nav-cases"));
  await screen.findByTestId("cases-area");
  await waitFor(() => expect(screen.queryByTestId("case-count") ?? screen.queryByTestId("case-list-empty")).not.toBeNull());
  return screen.queryAllByTestId("case-row").map((r) => r.getAttribute("data-id")!);
}

function space(name: string): HTMLElement {
  const found = screen.getAllByTestId("space").find((s) => s.getAttribute("data-space") === name);
  if (!found) throw new Error(`no space ${name} shown`);
  return found;
}

async function syncWith(user: ReturnType<typeof userEvent.setup>, folder: string) {
  const field = screen.getByTestId("sync-folder");
  await user.clear(field);
  await user.type(field, folder);
  await user.click(screen.getByTestId("sync-submit"));
  return await screen.findByTestId("sync-report", {}, { timeout: 20_000 });
}

describe("team view", () => {
  it("shows this device's key as text, fingerprint and QR code, the same the core gives", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true });
    await openTeam(backend);
    expect(screen.getByTestId("nav-team")).toHaveAttribute("aria-pressed", "true");
    const key = await backend.deviceKeyShow();
    expect(screen.getByTestId("device-key-line")).toHaveValue(key.line);
    expect(screen.getByTestId("device-key-line")).toHaveAttribute("readonly");
    // Shown in groups of four, to read out by phone: the same fingerprint.
    expect(screen.getByTestId("device-key-fingerprint")).toHaveTextContent(key.grouped);
    expect(key.grouped.replace(/ /g, "")).toBe(key.fingerprint);
    expect(key.grouped).toContain(" ");
    // The same key on every call: it is made once and stored in the vault.
    expect((await backend.deviceKeyShow()).line).toBe(key.line);
    const qr = screen.getByTestId("device-key-qr");
    expect(qr.querySelector("svg")).not.toBeNull();
    expect(qr).toHaveAttribute("role", "img");
    expect(screen.getByTestId("spaces-empty")).toBeInTheDocument();
    expect(screen.getByTestId("sync-last")).toBeInTheDocument();
  });

  it("shares a case: create a space, add the colleague's key, sync both through a folder; travel mode unloads and reloads", async () => {
    const admin = await createHostBackend({ exists: true, unlocked: true, seed: seed(), progressPauseMs: 40 });
    const colleague = await createHostBackend({ exists: true, unlocked: true });
    // The USB stick: a folder that exists (a mistyped path must not become a new remote).
    const folder = admin.pathFor("usb-stick");
    mkdirSync(folder);
    const colleagueKey = await colleague.deviceKeyShow();

    // The admin: a space from one case, by keyboard (Enter submits).
    let user = await openTeam(admin);
    await user.click(screen.getByTestId("space-name"));
    await user.keyboard("Kazakhstan desk");
    const box = screen.getAllByTestId("space-case").find((c) => c.getAttribute("data-case") === CASE_ID)!;
    await user.click(box);
    await user.click(screen.getByTestId("space-name"));
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("space-created")).toBeInTheDocument();
    let s = space("Kazakhstan desk");
    expect(within(s).getByTestId("space-cases").querySelector(`[data-case="${CASE_ID}"]`)).not.toBeNull();
    expect(within(s).getByTestId("space-cases").querySelector(`[data-case="${OTHER_CASE_ID}"]`)).toBeNull();
    const me = within(s).getAllByTestId("space-member");
    expect(me).toHaveLength(1);
    expect(me[0]).toHaveAttribute("data-admin", "true");
    expect(me[0]).toHaveAttribute("data-fingerprint", (await admin.deviceKeyShow()).fingerprint);

    // The same name again is the core's space_exists.
    await user.type(screen.getByTestId("space-name"), "Kazakhstan desk");
    await user.click(screen.getByTestId("space-create"));
    const dup = await screen.findByTestId("space-create-error-box");
    expect(screen.getByTestId("space-create-error")).toHaveAttribute("data-code", "invalid_input");
    expect(dup).toHaveAttribute("data-problem", "space_exists");
    expect((await admin.spacesList()).spaces).toHaveLength(1);
    await user.clear(screen.getByTestId("space-name"));

    // A damaged key is refused by its code, and nobody is added.
    s = space("Kazakhstan desk");
    expect(within(s).getByTestId("member-add-warning")).toBeInTheDocument();
    await user.click(within(s).getByTestId("member-key"));
    await user.paste(colleagueKey.line.slice(0, -6));
    await user.type(within(s).getByTestId("member-label"), "Aigerim");
    const bad = await within(s).findByTestId("member-key-problem-box");
    expect(bad).toHaveAttribute("data-sync", "invalid_device_key");
    expect(bad).toHaveAttribute("data-problem", "key_damaged");
    expect(within(s).getByTestId("member-key")).toHaveAttribute("aria-invalid", "true");
    expect(within(s).getByTestId("member-add")).toBeDisabled();
    // The core refuses it the same way when asked to add it.
    await expect(admin.spaceMemberAdd({ space: "Kazakhstan desk", key: colleagueKey.line.slice(0, -6), label: "Aigerim" })).rejects.toSatisfy(
      (e: unknown) => toUiError(e).params?.sync === "invalid_device_key",
    );
    expect((await admin.spacesList()).spaces[0].members).toHaveLength(1);

    // The whole line: its fingerprint, to compare, is the colleague's own.
    await user.clear(within(s).getByTestId("member-key"));
    await user.click(within(s).getByTestId("member-key"));
    await user.paste(colleagueKey.line);
    expect(await within(s).findByTestId("member-key-fingerprint")).toHaveTextContent(colleagueKey.grouped);
    expect(within(s).queryByTestId("member-key-problem-box")).toBeNull();
    await user.click(within(s).getByTestId("member-add"));
    await waitFor(() => expect(within(space("Kazakhstan desk")).getAllByTestId("space-member")).toHaveLength(2));
    const added = within(space("Kazakhstan desk"))
      .getAllByTestId("space-member")
      .find((m) => m.getAttribute("data-fingerprint") === colleagueKey.fingerprint)!;
    expect(added).toHaveAttribute("data-admin", "false");
    expect(added).toHaveTextContent("Aigerim");

    // Travel mode refuses while the new space is not on the folder yet,
    // and offers to discard; nothing is deleted.
    await user.click(within(space("Kazakhstan desk")).getByTestId("space-unload"));
    const refused = await within(space("Kazakhstan desk")).findByTestId("space-error-box");
    expect(refused).toHaveAttribute("data-problem", "space_unsynced");
    expect(within(space("Kazakhstan desk")).getByTestId("space-unload-discard")).toBeInTheDocument();
    expect((await admin.casesList()).map((c) => c.id)).toContain(CASE_ID);

    // An S3 remote needs a key stored in this vault: without one it is
    // refused before any connection (teamS3.test.ts syncs through Garage).
    await expect(admin.spaceSync({ remote: "s3://casevault?endpoint=http://127.0.0.1:3900" })).rejects.toSatisfy(
      (e: unknown) => toUiError(e).params?.field === "s3_key" && toUiError(e).problems?.[0]?.code === "required",
    );

    // Sync to the folder, with a progress bar while it runs.
    const field = screen.getByTestId("sync-folder");
    await user.type(field, folder);
    await user.click(screen.getByTestId("sync-submit"));
    expect(await screen.findByTestId("sync-progress")).toBeInTheDocument();
    const report = await screen.findByTestId("sync-report", {}, { timeout: 20_000 });
    expect(Number(report.getAttribute("data-sent"))).toBeGreaterThan(0);
    expect(screen.queryByTestId("sync-progress")).not.toBeInTheDocument();
    await waitFor(async () => expect((await admin.spacesList()).last_sync_at).not.toBeNull());
    expect(screen.getByTestId("sync-last")).not.toHaveTextContent("This vault has not synced yet.");
    // The folder holds sealed objects only.
    expect(readdirSync(`${folder}/objects`).length).toBeGreaterThan(0);
    cleanup();

    // The colleague: the first sync offers the space and joins nothing;
    // accepting it (teamInvite.test.ts has the details) brings the case.
    user = await openTeam(colleague);
    expect(screen.getByTestId("spaces-empty")).toBeInTheDocument();
    await syncWith(user, folder);
    const dialog = await screen.findByTestId("invitation-dialog");
    expect(screen.getByTestId("spaces-empty")).toBeInTheDocument();
    await user.type(within(dialog).getByTestId("invitation-name-input"), "Kazakhstan desk");
    await user.click(within(dialog).getByTestId("invitation-accept"));
    await waitFor(() => expect(screen.queryByTestId("invitation-dialog")).toBeNull());
    await waitFor(() => expect(Number(screen.getByTestId("sync-report").getAttribute("data-applied"))).toBeGreaterThan(0), {
      timeout: 20_000,
    });
    const joined = await screen.findByTestId("space");
    expect(joined.querySelector(`[data-case="${CASE_ID}"]`)).not.toBeNull();
    // A member who is not an admin is offered no member changes.
    expect(within(joined).queryByTestId("member-add-form")).toBeNull();
    expect(within(joined).queryByTestId("member-remove")).toBeNull();
    expect(await caseIds(user)).toEqual([CASE_ID]);
    cleanup();

    // Back to the admin: now synced, the space unloads without discarding,
    // and its case is gone from this vault; the other case stays.
    user = await openTeam(admin);
    const spaceName = (await admin.spacesList()).spaces[0].name;
    await user.click(within(space(spaceName)).getByTestId("space-unload"));
    expect(await within(space(spaceName)).findByTestId("space-unloaded")).toBeInTheDocument();
    expect(await caseIds(user)).toEqual([OTHER_CASE_ID]);

    // Reload brings it back from the folder.
    await user.click(screen.getByTestId("nav-team"));
    await screen.findByTestId("team-view");
    // The field offers the folder last synced with.
    await waitFor(() => expect(screen.getByTestId("sync-folder")).toHaveValue(`file://${folder}/`));
    await user.click(await within(space(spaceName)).findByTestId("space-reload"));
    await waitFor(() => expect(within(space(spaceName)).queryByTestId("space-unloaded")).toBeNull(), { timeout: 20_000 });
    expect((await caseIds(user)).sort()).toEqual([CASE_ID, OTHER_CASE_ID].sort());
  }, 90_000);

  it("removes a member after a confirmation, and starts a new key epoch", async () => {
    const admin = await createHostBackend({ exists: true, unlocked: true, seed: seed() });
    const other = await createHostBackend({ exists: true, unlocked: true });
    const key = await other.deviceKeyShow();
    await admin.spaceCreate({ name: "Desk", cases: [CASE_ID] });
    await admin.spaceMemberAdd({ space: "Desk", key: key.line, label: "Temirlan" });
    const user = await openTeam(admin);
    const before = (await admin.spacesList()).spaces[0].epoch;
    await user.click(within(space("Desk")).getByTestId("member-remove"));
    const confirm = await within(space("Desk")).findByTestId("member-remove-confirm");
    // Focus moves to the confirmation, so Enter (or Space) confirms.
    expect(within(confirm).getByTestId("member-remove-yes")).toHaveFocus();
    await user.keyboard("{Enter}");
    await waitFor(async () => {
      const m = (await admin.spacesList()).spaces[0].members.find((x) => x.fingerprint === key.fingerprint)!;
      expect(m.removed).toBe(true);
    });
    expect((await admin.spacesList()).spaces[0].epoch).toBeGreaterThan(before);
    await waitFor(() =>
      expect(
        within(space("Desk"))
          .getAllByTestId("space-member")
          .find((m) => m.getAttribute("data-fingerprint") === key.fingerprint),
      ).toHaveAttribute("data-removed", "true"),
    );
  });

  it("is usable by keyboard: the sync folder field, its picker and the sync button in order; the picker fills the field", async () => {
    let asked: string | null = null;
    const backend = await createHostBackend({
      exists: true,
      unlocked: true,
      fileDialog: (req) => {
        asked = req.purpose;
        return backend.pathFor("stick");
      },
    });
    mkdirSync(backend.pathFor("stick"));
    const user = await openTeam(backend);
    const field = screen.getByTestId("sync-folder");
    field.focus();
    await user.tab();
    expect(screen.getByTestId("sync-folder-choose")).toHaveFocus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(field).toHaveValue(backend.pathFor("stick")));
    expect(asked).toBe("folder");
    expect(field).toHaveFocus();
    await user.tab();
    await user.tab();
    expect(screen.getByTestId("sync-submit")).toHaveFocus();
    // A relative path is named before anything is sent.
    await user.clear(field);
    await user.type(field, "stick");
    // The backend's path answer comes a moment after the last key.
    expect(await screen.findByTestId("sync-folder-problem")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("sync-submit")).toBeDisabled();
    // A folder that does not exist is the core's file_missing; Enter submits.
    await user.clear(field);
    await user.type(field, `${backend.pathFor("stick")}/not-there{Enter}`);
    const err = await screen.findByTestId("sync-error-box");
    expect(err).toHaveAttribute("data-problem", "file_missing");
    expect((await backend.spacesList()).last_sync_at).toBeNull();
  });
});
