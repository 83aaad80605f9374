// Conflict review in the Team view against the real core: two vaults
// share a case through a real folder, both change its notes before either
// syncs, and the review dialog shows both versions side by side. The merge
// and its refusals are the core's, asserted by code and state.
import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mkdirSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { toUiError } from "./lib/backend";
import { CASE_ID, seed } from "./test/fixtures";
import { createHostBackend, type HostBackend } from "./test/host";

beforeEach(() => setLocale("en"));
afterEach(() => setLocale("en"));

const SPACE = "Desk";
const NOTES = "Line one.\nLine two.\nLine three.\nLine four.\nLine five.\n";

async function setNotes(b: HostBackend, notes: string) {
  const { case: c } = await b.caseGet({ id: CASE_ID });
  await b.recordAmend({ record: { kind: "case", record: { ...c, notes } }, reason: "test edit" });
}

async function notes(b: HostBackend): Promise<string | null | undefined> {
  return (await b.caseGet({ id: CASE_ID })).case.notes;
}

async function conflicted(b: HostBackend): Promise<string[]> {
  return (await b.spacesList()).spaces[0].conflicts;
}

/** An admin and a colleague sharing the seed's case, both synced once; then both edit its notes. */
async function concurrentEdits(adminNotes: string, colleagueNotes: string) {
  const admin = await createHostBackend({ exists: true, unlocked: true, seed: seed() });
  const colleague = await createHostBackend({ exists: true, unlocked: true });
  const folder = admin.pathFor("usb-stick");
  mkdirSync(folder);
  await admin.spaceCreate({ name: SPACE, cases: [CASE_ID] });
  await admin.spaceMemberAdd({ space: SPACE, key: (await colleague.deviceKeyShow()).line, label: "Aigerim" });
  await setNotes(admin, NOTES);
  await admin.spaceSync({ remote: folder });
  // The app asks before joining: the colleague accepts the offer, then syncs.
  const [offer] = (await colleague.spaceSync({ remote: folder })).offers;
  await colleague.spaceInvitationAccept({ offer: offer.id, name: SPACE, remote: folder });
  await colleague.spaceSync({ remote: folder });
  expect(await notes(colleague)).toBe(NOTES);
  await setNotes(admin, adminNotes);
  await setNotes(colleague, colleagueNotes);
  await admin.spaceSync({ remote: folder });
  await colleague.spaceSync({ remote: folder });
  await admin.spaceSync({ remote: folder });
  expect(await conflicted(admin)).toEqual([CASE_ID]);
  expect(await conflicted(colleague)).toEqual([CASE_ID]);
  return { admin, colleague, folder };
}

async function openTeam(backend: HostBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await user.click(await screen.findByTestId("nav-team"));
  await screen.findByTestId("team-view");
  return user;
}

/** The Team view, and the review dialog of its one conflict with its versions shown. */
async function openReview(backend: HostBackend) {
  const user = await openTeam(backend);
  await user.click(await screen.findByTestId("space-conflict-review"));
  const dialog = await screen.findByTestId("conflict-dialog");
  await within(dialog).findAllByTestId("conflict-version");
  return { user, dialog };
}

function fields(dialog: HTMLElement, name: string): HTMLElement[] {
  return within(dialog)
    .getAllByTestId("conflict-field")
    .filter((f) => f.getAttribute("data-field") === name);
}

describe("conflict review", () => {
  it("shows both versions, merges separate line edits, and the next syncs end the conflict on both vaults", async () => {
    const byAdmin = NOTES.replace("Line one.", "Line 1, as the admin heard it.");
    const byColleague = NOTES.replace("Line five.", "Line 5, added by the colleague.");
    const merged = byAdmin.replace("Line five.", "Line 5, added by the colleague.");
    const { admin, colleague, folder } = await concurrentEdits(byAdmin, byColleague);

    const user = await openTeam(colleague);
    const review = await screen.findByTestId("space-conflict-review");
    expect(review).toHaveAttribute("data-record", CASE_ID);
    await user.click(review);
    let dialog = await screen.findByTestId("conflict-dialog");
    const versions = await within(dialog).findAllByTestId("conflict-version");
    expect(versions).toHaveLength(2);
    expect(versions.filter((v) => v.getAttribute("data-this-device") === "true")).toHaveLength(1);
    // The notes differ; a long text, shown as a line diff with a line of
    // each side removed and added.
    const [diff] = fields(dialog, "notes");
    expect(diff).toHaveAttribute("data-long-text", "true");
    expect(diff).toHaveAttribute("data-conflict", "false");
    const sides = within(diff)
      .getAllByTestId("conflict-line")
      .map((l) => l.getAttribute("data-side"));
    expect(sides.filter((s) => s === "left")).toHaveLength(2);
    expect(sides.filter((s) => s === "right")).toHaveLength(2);
    expect(sides.filter((s) => s === "both")).toHaveLength(3);
    // The other fields are equal, so they are not shown.
    expect(within(dialog).getAllByTestId("conflict-field-name")).toHaveLength(1);
    // The merge is usable, and has the focus: Escape closes without writing.
    const use = within(dialog).getByTestId("conflict-merged");
    expect(use).toBeEnabled();
    await waitFor(() => expect(use).toHaveFocus());
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("conflict-dialog")).toBeNull());
    expect(await conflicted(colleague)).toEqual([CASE_ID]);

    // By keyboard: Enter on Review opens it, Enter on the focused merge resolves.
    screen.getByTestId("space-conflict-review").focus();
    await user.keyboard("{Enter}");
    dialog = await screen.findByTestId("conflict-dialog");
    await waitFor(() => expect(within(dialog).getByTestId("conflict-merged")).toHaveFocus());
    // Tab goes on to Close, then around to the first choice, and back.
    await user.tab();
    expect(within(dialog).getByTestId("conflict-dialog-close")).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByTestId("conflict-keep-left")).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByTestId("conflict-keep-right")).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByTestId("conflict-merged")).toHaveFocus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(screen.queryByTestId("conflict-dialog")).toBeNull());
    expect(await screen.findByTestId("space-notice")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId("space-conflict-review")).toBeNull());
    expect(await conflicted(colleague)).toEqual([]);
    expect(await colleague.spaceConflicts({ space: SPACE })).toEqual([]);
    expect(await notes(colleague)).toBe(merged);

    // The colleague's sync carries it; the admin's ends the conflict there.
    await colleague.spaceSync({ remote: folder });
    await admin.spaceSync({ remote: folder });
    expect(await conflicted(admin)).toEqual([]);
    expect(await admin.spaceConflicts({ space: SPACE })).toEqual([]);
    expect(await notes(admin)).toBe(merged);
    // Both versions stay in the history.
    const history = (await admin.recordHistory({ id: CASE_ID })).map((v) => (v.data as { notes?: string }).notes);
    expect(history).toContain(byAdmin);
    expect(history).toContain(byColleague);
  }, 90_000);

  it("refuses the merge of overlapping edits, says why, and keeps one side instead", async () => {
    const byAdmin = NOTES.replace("Line three.", "Line 3 (admin).");
    const byColleague = NOTES.replace("Line three.", "Line 3 (colleague).");
    const { admin, colleague, folder } = await concurrentEdits(byAdmin, byColleague);

    const { user, dialog } = await openReview(admin);
    const [diff] = fields(dialog, "notes");
    expect(diff).toHaveAttribute("data-conflict", "true");
    const use = within(dialog).getByTestId("conflict-merged");
    expect(use).toBeDisabled();
    const reason = within(dialog).getByTestId("conflict-merged-reason");
    expect(use.getAttribute("aria-describedby")).toBe(reason.id);
    // The core refuses it the same way when asked anyway.
    const [shown] = await admin.spaceConflicts({ space: SPACE });
    await expect(
      admin.spaceConflictResolve({ space: SPACE, record: CASE_ID, choice: "merged", heads_digest: shown.heads_digest }),
    ).rejects.toSatisfy(
      (e: unknown) => toUiError(e).problems?.[0]?.code === "merge_overlaps",
    );
    expect(await conflicted(admin)).toEqual([CASE_ID]);

    // Keep the admin's own version, whichever side it is on.
    const versions = within(dialog).getAllByTestId("conflict-version");
    const mine = versions.findIndex((v) => v.getAttribute("data-this-device") === "true");
    await user.click(within(dialog).getByTestId(mine === 0 ? "conflict-keep-left" : "conflict-keep-right"));
    await waitFor(() => expect(screen.queryByTestId("conflict-dialog")).toBeNull());
    expect(await conflicted(admin)).toEqual([]);
    expect(await notes(admin)).toBe(byAdmin);
    // Resolving again is the core's not_in_conflict.
    await expect(
      admin.spaceConflictResolve({ space: SPACE, record: CASE_ID, choice: { keep: 1 }, heads_digest: shown.heads_digest }),
    ).rejects.toSatisfy(
      (e: unknown) => toUiError(e).problems?.[0]?.code === "not_in_conflict",
    );

    await admin.spaceSync({ remote: folder });
    await colleague.spaceSync({ remote: folder });
    expect(await conflicted(colleague)).toEqual([]);
    expect(await notes(colleague)).toBe(byAdmin);
  }, 90_000);

  it("refuses a choice once a sync brought another version meanwhile, shows the new ones, and lets the person choose again", async () => {
    const byAdmin = NOTES.replace("Line three.", "Line 3 (admin).");
    const byColleague = NOTES.replace("Line three.", "Line 3 (colleague).");
    const { admin, colleague, folder } = await concurrentEdits(byAdmin, byColleague);

    const { user, dialog } = await openReview(admin);
    const [before] = await admin.spaceConflicts({ space: SPACE });

    // While the dialog is open, the colleague edits again and the admin's
    // vault syncs (as the timer would).
    const again = NOTES.replace("Line three.", "Line 3 (colleague, corrected).");
    await setNotes(colleague, again);
    await colleague.spaceSync({ remote: folder });
    await admin.spaceSync({ remote: folder });
    const [after] = await admin.spaceConflicts({ space: SPACE });
    expect(after.heads_digest).not.toBe(before.heads_digest);

    const keepRight = within(dialog).getByTestId("conflict-keep-right");
    await user.click(keepRight);
    const refusal = await within(dialog).findByTestId("conflict-error");
    expect(refusal.querySelector("[data-problem]")?.getAttribute("data-problem")).toBe("conflict_changed");
    expect(await notes(admin)).toBe(after.versions[after.versions.length - 1].data.notes);
    expect(await conflicted(admin)).toEqual([CASE_ID]);
    // The dialog now shows the versions as they are: the corrected one is there.
    await waitFor(() =>
      expect(
        within(dialog)
          .getAllByTestId("conflict-line")
          .some((l) => l.textContent?.includes("Line 3 (colleague, corrected).")),
      ).toBe(true),
    );
    const corrected = after.versions.findIndex((v) => (v.data as { notes?: string }).notes === again);
    expect(corrected).toBeGreaterThanOrEqual(0);
    await user.click(within(dialog).getByTestId(corrected === 0 ? "conflict-keep-left" : "conflict-keep-right"));
    await waitFor(() => expect(screen.queryByTestId("conflict-dialog")).toBeNull());
    expect(await conflicted(admin)).toEqual([]);
    expect(await notes(admin)).toBe(again);
  }, 90_000);
});
