// Invitations asked about before joining, the sync timer, and members'
// fingerprints and keys, against the real core: two vaults share a case
// through a real folder. Nothing here knows a rule: refusals are the
// core's, asserted by code.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mkdirSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { SyncReport, SyncRequest } from "./lib/bindings";
import { setLocale } from "./lib/i18n";
import { OFF_RECHECK_MS, TeamActivity, startSyncTimer, teamActivity, type TimerClock } from "./lib/syncTimer.svelte";
import { CASE_ID, seed } from "./test/fixtures";
import { createHostBackend, type HostBackend } from "./test/host";

beforeEach(() => setLocale("en"));
afterEach(() => {
  setLocale("en");
  teamActivity.reset();
});

type User = ReturnType<typeof userEvent.setup>;

async function openTeam(backend: HostBackend): Promise<User> {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await user.click(await screen.findByTestId("nav-team"));
  await screen.findByTestId("team-view");
  await screen.findByTestId("device-key-line");
  return user;
}

/** The admin's vault with CASE_ID in a space, the colleague added, and synced to a folder. */
async function invited() {
  const admin = await createHostBackend({ exists: true, unlocked: true, seed: seed() });
  const colleague = await createHostBackend({ exists: true, unlocked: true });
  const folder = admin.pathFor("usb-stick");
  mkdirSync(folder);
  await admin.spaceCreate({ name: "Kazakhstan desk", cases: [CASE_ID] });
  await admin.spaceMemberAdd({ space: "Kazakhstan desk", key: (await colleague.deviceKeyShow()).line, label: "Aigerim" });
  await admin.spaceSync({ remote: folder });
  const me = (await admin.spacesList()).spaces[0].members.find((m) => m.this_device)!;
  return { admin, colleague, folder, adminGrouped: me.grouped, adminRaw: me.fingerprint };
}

async function syncWith(user: User, folder: string) {
  const field = screen.getByTestId("sync-folder");
  await user.clear(field);
  await user.type(field, folder);
  await user.click(screen.getByTestId("sync-submit"));
  return await screen.findByTestId("sync-report", {}, { timeout: 20_000 });
}

describe("invitations", () => {
  it("a sync joins nothing and shows the creator's and inviting admin's fingerprints grouped; a bad name is the core's; accepting joins and brings the case", async () => {
    const { colleague, folder, adminGrouped, adminRaw } = await invited();
    const user = await openTeam(colleague);
    await syncWith(user, folder);
    const dialog = await screen.findByTestId("invitation-dialog");
    // Nothing joined yet.
    expect((await colleague.spacesList()).spaces).toHaveLength(0);
    expect(await colleague.casesList()).toHaveLength(0);
    expect(within(dialog).getByTestId("invitation-warning")).toBeInTheDocument();
    const offers = within(dialog).getAllByTestId("invitation");
    expect(offers).toHaveLength(1);
    // Grouped in fours, as read aloud, and the admin's own fingerprint.
    expect(adminGrouped).toMatch(/^SHA256:\S{4} \S{4} /);
    expect(adminGrouped.replace(/ /g, "")).toBe(adminRaw);
    expect(within(offers[0]).getByTestId("invitation-creator")).toHaveTextContent(adminGrouped);
    expect(within(offers[0]).getByTestId("invitation-inviter")).toHaveTextContent(adminGrouped);
    // Keyboard first: the name field has focus; Enter accepts.
    const name = within(offers[0]).getByTestId("invitation-name-input");
    expect(name).toHaveFocus();
    await user.keyboard(" padded {Enter}");
    const err = await within(dialog).findByTestId("invitation-error-box");
    expect(err).toHaveAttribute("data-problem", "space_name");
    expect((await colleague.spacesList()).spaces).toHaveLength(0);
    await user.clear(name);
    await user.type(name, "Our Almaty desk{Enter}");
    await waitFor(() => expect(screen.queryByTestId("invitation-dialog")).toBeNull());
    expect(screen.getByTestId("invitation-note")).toHaveTextContent("Our Almaty desk");
    await waitFor(async () => expect((await colleague.casesList()).map((c) => c.id)).toEqual([CASE_ID]), { timeout: 20_000 });
    const spaces = (await colleague.spacesList()).spaces;
    expect(spaces.map((s) => s.name)).toEqual(["Our Almaty desk"]);
    // Nothing more is offered.
    expect(await colleague.spaceInvitations({ remote: null })).toEqual([]);
  }, 60_000);

  it("declining is remembered: the next sync offers and joins nothing", async () => {
    const { colleague, folder } = await invited();
    const user = await openTeam(colleague);
    await syncWith(user, folder);
    const dialog = await screen.findByTestId("invitation-dialog");
    await user.click(within(dialog).getByTestId("invitation-decline"));
    await waitFor(() => expect(screen.queryByTestId("invitation-dialog")).toBeNull());
    expect(screen.getByTestId("invitation-note")).toBeInTheDocument();
    const again = await colleague.spaceSync({ remote: folder });
    expect(again.offers).toEqual([]);
    expect(again.joined).toEqual([]);
    expect((await colleague.spacesList()).spaces).toHaveLength(0);
    expect(await colleague.spaceInvitations({ remote: folder })).toEqual([]);
    // A forged id is refused by the core.
    await expect(colleague.spaceInvitationDecline({ offer: "../x" })).rejects.toMatchObject({ code: "invalid_input" });
  }, 60_000);
});

describe("members", () => {
  it("shows each member's fingerprint grouped and, on demand, its device key and QR code", async () => {
    const { admin, colleague } = await invited();
    const user = await openTeam(admin);
    const key = await colleague.deviceKeyShow();
    const row = within(screen.getByTestId("space"))
      .getAllByTestId("space-member")
      .find((m) => m.getAttribute("data-fingerprint") === key.fingerprint)!;
    const grouped = within(row).getByTestId("member-fingerprint").textContent!.trim();
    expect(grouped).toMatch(/^SHA256:\S{4} /);
    expect(grouped.replace(/ /g, "")).toBe(key.fingerprint);
    expect(within(row).queryByTestId("member-qr")).toBeNull();
    const toggle = within(row).getByTestId("member-qr-toggle");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    toggle.focus();
    await user.keyboard("{Enter}");
    const qr = await within(row).findByTestId("member-qr");
    expect(qr.querySelector("svg")).not.toBeNull();
    expect(within(row).getByTestId("member-key-line")).toHaveTextContent(key.line);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(within(row).queryByTestId("member-qr")).toBeNull());
    // Removing by the grouped form works as by the raw one.
    const removed = await admin.spaceMemberRemove({ space: "Kazakhstan desk", member: grouped });
    expect(removed).toBe(key.fingerprint);
  }, 60_000);
});

/** A clock whose timeouts fire only when the test says. */
function manualClock() {
  const pending: { fn: () => void; ms: number; id: number }[] = [];
  let next = 1;
  const clock: TimerClock = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.push({ fn, ms, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = pending.findIndex((p) => p.id === h);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const fire = () => {
    const p = pending.shift();
    if (!p) throw new Error("nothing scheduled");
    p.fn();
  };
  return { clock, pending, fire };
}

describe("sync timer", () => {
  it("syncs on the vault's schedule, never beside a person's task, never twice at once, and stops at lock", async () => {
    const { admin, colleague, folder } = await invited();
    const syncs: SyncRequest[] = [];
    let release: (() => void) | null = null;
    let hold = false;
    const counted: HostBackend = {
      ...admin,
      spaceSync: async (req) => {
        syncs.push(req);
        if (hold) await new Promise<void>((r) => (release = r));
        return admin.spaceSync(req);
      },
    };
    const { clock, pending, fire } = manualClock();
    const activity = new TeamActivity();
    const reports: SyncReport[] = [];
    let locked = 0;
    const stop = startSyncTimer({ backend: counted, clock, activity, onSynced: (r) => reports.push(r), onLocked: () => (locked += 1) });
    try {
      // The default: every 15 minutes.
      await waitFor(() => expect(pending.map((p) => p.ms)).toEqual([15 * 60_000]));
      expect(syncs).toHaveLength(0);

      // A colleague's change waits on the folder; the timed sync brings it.
      await colleague.spaceSync({ remote: folder });
      hold = true;
      fire();
      await waitFor(() => expect(syncs).toHaveLength(1));
      // The folder last synced with, and while it runs nothing else is scheduled.
      expect(syncs[0].remote).toBeNull();
      // Marked timed: the backend's idle lock does not count it as the person's activity.
      expect(syncs[0].timed).toBe(true);
      expect(activity.timedRunning).toBe(true);
      expect(pending).toHaveLength(0);
      release!();
      hold = false;
      await waitFor(() => expect(reports).toHaveLength(1));
      expect(activity.timedRunning).toBe(false);
      await waitFor(() => expect(pending).toHaveLength(1));

      // While the person's own sync or unload runs, the timer stays out.
      let finish: () => void = () => {};
      const task = activity.user(() => new Promise<void>((r) => (finish = r)));
      fire();
      await waitFor(() => expect(pending).toHaveLength(1));
      expect(syncs).toHaveLength(1);
      finish();
      await task;
      fire();
      await waitFor(() => expect(syncs).toHaveLength(2));
      await waitFor(() => expect(pending).toHaveLength(1));

      // The setting: 0 turns it off (it looks again later), 5 minutes is 5 minutes.
      await admin.syncIntervalSet({ minutes: 0 });
      fire();
      await waitFor(() => expect(pending.map((p) => p.ms)).toEqual([OFF_RECHECK_MS]));
      fire();
      await waitFor(() => expect(pending.map((p) => p.ms)).toEqual([OFF_RECHECK_MS]));
      expect(syncs).toHaveLength(2);
      await admin.syncIntervalSet({ minutes: 5 });
      fire();
      await waitFor(() => expect(pending.map((p) => p.ms)).toEqual([5 * 60_000]));
      expect(syncs).toHaveLength(2);
      await expect(admin.syncIntervalSet({ minutes: 1441 })).rejects.toMatchObject({ code: "invalid_input" });
      expect((await admin.spacesList()).sync_interval_minutes).toBe(5);

      // Locked: no sync, and nothing scheduled again.
      await admin.vaultLock();
      fire();
      await waitFor(() => expect(locked).toBe(1));
      expect(syncs).toHaveLength(2);
      expect(pending).toHaveLength(0);
    } finally {
      stop();
    }
  }, 60_000);

  it("a lock while a timed sync runs keeps nothing it found", async () => {
    const { colleague, folder } = await invited();
    await colleague.spaceCreate({ name: "Own", cases: [] });
    await colleague.spaceSync({ remote: folder });
    let release: () => void = () => {};
    let started = false;
    const held: HostBackend = {
      ...colleague,
      spaceSync: async (req) => {
        started = true;
        await new Promise<void>((r) => (release = r));
        return colleague.spaceSync(req);
      },
    };
    const { clock, pending, fire } = manualClock();
    const activity = new TeamActivity();
    const stop = startSyncTimer({ backend: held, clock, activity });
    await waitFor(() => expect(pending).toHaveLength(1));
    fire();
    await waitFor(() => expect(started).toBe(true));
    // The app leaves its home screen on lock, which stops the timer.
    stop();
    activity.reset();
    release();
    // The sync itself found the invitation (the backend was still open)...
    await waitFor(async () => expect(await colleague.spaceInvitations({ remote: null })).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    // ...but nothing of it is kept, and nothing is scheduled again.
    expect(activity.offers).toEqual([]);
    expect(activity.timedRunning).toBe(false);
    expect(pending).toHaveLength(0);
  }, 60_000);

  it("the interval is set in the Team view and checked by the core", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true });
    const user = await openTeam(backend);
    const field = screen.getByTestId("sync-interval");
    await waitFor(() => expect(field).toHaveValue("15"));
    for (const bad of ["abc", "", "-5", "1441"]) {
      await user.clear(field);
      if (bad) await user.type(field, bad);
      await user.click(screen.getByTestId("sync-interval-save"));
      const err = await screen.findByTestId("sync-interval-error-box");
      expect(err, bad).toHaveAttribute("data-problem", "out_of_range");
      expect((await backend.spacesList()).sync_interval_minutes).toBe(15);
    }
    await user.clear(field);
    await user.type(field, "30{Enter}");
    expect(await screen.findByTestId("sync-interval-saved")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-interval-error-box")).toBeNull();
    expect((await backend.spacesList()).sync_interval_minutes).toBe(30);
    expect(teamActivity.settingVersion).toBeGreaterThan(0);
  }, 60_000);

  it("a timed sync opens no dialog: the offers wait in the Team view", async () => {
    const { colleague, folder } = await invited();
    // The colleague synced once before (with another space of its own), so a last folder exists.
    await colleague.spaceCreate({ name: "Own", cases: [] });
    await colleague.spaceSync({ remote: folder });
    const user = await openTeam(colleague);
    // That sync went through the API, not the view: nothing waits yet.
    expect(screen.queryByTestId("invitations-waiting")).toBeNull();
    const { clock, pending, fire } = manualClock();
    const stop = startSyncTimer({ backend: colleague, clock });
    try {
      await waitFor(() => expect(pending).toHaveLength(1));
      fire();
      await waitFor(() => expect(screen.getByTestId("invitations-waiting")).toBeInTheDocument(), { timeout: 20_000 });
      expect(screen.queryByTestId("invitation-dialog")).toBeNull();
      await user.click(screen.getByTestId("invitations-open"));
      expect(await screen.findByTestId("invitation-dialog")).toBeInTheDocument();
    } finally {
      stop();
      cleanup();
    }
  }, 60_000);
});
