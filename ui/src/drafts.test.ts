import { cleanup, fireEvent, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "./lib/i18n";
import { expectNoWebviewStorage } from "./test/storage";
import { CASE_ID, renderCase, seededBackend } from "./test/fixtures";

const TESTIMONY_KEY = `testimony:${CASE_ID}`;
const INCIDENT_KEY = `incident:${CASE_ID}`;

beforeEach(() => {
  setLocale("en");
});

describe("drafts", () => {
  it("autosaves a testimony while it is typed, restores it when the case is opened again, and discards it", async () => {
    const backend = await seededBackend();
    const save = vi.spyOn(backend, "draftSave");
    const { user, unmount } = await renderCase(backend);

    await user.type(screen.getByTestId("testimony-statement"), "Они шли за мной от гостиницы до посольства.");
    await user.click(screen.getByTestId("consent-lawyers"));
    // Saved once typing has paused (~800 ms), not on every key.
    await waitFor(() => expect(save).toHaveBeenCalled(), { timeout: 3000 });
    expect(save.mock.calls.length).toBeLessThan(5);
    await waitFor(async () =>
      expect((await backend.draftLoad({ key: TESTIMONY_KEY }))?.data).toMatchObject({
        statement: "Они шли за мной от гостиницы до посольства.",
        consent: { lawyers: true },
      }),
    );
    expectNoWebviewStorage();

    // Leave the case (as a lock or Back would) and open it again.
    unmount();
    cleanup();
    const again = await renderCase(backend);
    const banner = await screen.findByTestId("testimony-draft-restored");
    expect(banner).toHaveTextContent(/^Draft restored \(saved \d\d:\d\d\)\./);
    expect(screen.getByTestId("testimony-statement")).toHaveValue("Они шли за мной от гостиницы до посольства.");
    expect(screen.getByTestId("consent-lawyers")).toBeChecked();

    await again.user.click(screen.getByTestId("testimony-draft-discard"));
    expect(screen.queryByTestId("testimony-draft-restored")).not.toBeInTheDocument();
    // The form empties once the vault has dropped the draft.
    await waitFor(() => expect(screen.getByTestId("testimony-statement")).toHaveValue(""));
    expect(screen.getByTestId("consent-lawyers")).not.toBeChecked();
    expect(await backend.draftLoad({ key: TESTIMONY_KEY })).toBeNull();
  });

  it("saves the incident draft as soon as focus leaves the form, and drops it once the incident is added", async () => {
    const backend = await seededBackend();
    const discard = vi.spyOn(backend, "draftDiscard");
    const { user } = await renderCase(backend);

    await user.type(screen.getByTestId("incident-title"), "Relatives summoned to the KNB");
    await user.type(screen.getByTestId("incident-date"), "2019-04");
    // Blur: focus goes outside the form, the draft is written at once.
    screen.getByTestId("case-back").focus();
    await waitFor(async () => expect((await backend.draftLoad({ key: INCIDENT_KEY }))?.data).toMatchObject({ title: "Relatives summoned to the KNB", date: "2019-04" }), {
      timeout: 500,
    });

    await user.click(screen.getByTestId("incident-date"));
    await screen.findByTestId("incident-date-canonical");
    await waitFor(() => expect(screen.getByTestId("incident-submit")).toBeEnabled());
    await user.click(screen.getByTestId("incident-submit"));
    await waitFor(() => expect(screen.getAllByTestId("incident-item")).toHaveLength(2));
    expect(discard).toHaveBeenCalledWith({ key: INCIDENT_KEY });
    expect(await backend.draftLoad({ key: INCIDENT_KEY })).toBeNull();
    expect(await backend.draftLoad({ key: TESTIMONY_KEY })).toBeNull();
  });

  it("does not keep a draft of a form that was emptied again", async () => {
    const backend = await seededBackend();
    const { user } = await renderCase(backend);
    const statement = screen.getByTestId("testimony-statement");
    await user.type(statement, "x");
    await fireEvent.focusOut(statement, { relatedTarget: screen.getByTestId("case-back") });
    await waitFor(async () => expect(await backend.draftLoad({ key: TESTIMONY_KEY })).not.toBeNull());
    await user.clear(statement);
    await fireEvent.focusOut(statement, { relatedTarget: screen.getByTestId("case-back") });
    await waitFor(async () => expect(await backend.draftLoad({ key: TESTIMONY_KEY })).toBeNull());
  });
});
