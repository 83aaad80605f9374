import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { CASE_ID, INCIDENT_ID, PERSON_ID, renderCase, seededBackend } from "./test/fixtures";

beforeEach(() => {
  setLocale("en");
});

describe("editing a record", () => {
  it("needs a reason, saves a new version, and shows it in the history with a field-by-field diff", async () => {
    const { user, backend } = await renderCase();

    await user.click(screen.getByTestId(`edit-incident-${INCIDENT_ID}`));
    // The same form as for adding, filled in, with the focus in its first field.
    const title = screen.getByTestId("incident-title");
    expect(title).toHaveValue("Followed from the hotel");
    expect(title).toHaveFocus();
    expect(screen.getByTestId("incident-city")).toHaveValue("Moscow");
    expect(await screen.findByTestId("incident-date-canonical")).toHaveAttribute("data-value", "2008-03");
    expect(screen.getByTestId("incident-victims-item")).toHaveTextContent("Daniyar Moldashev");
    // While editing, the add form of the section is not shown (one incident form at a time).
    expect(screen.getAllByTestId("incident-form")).toHaveLength(1);
    expect(screen.getByTestId("incident-form")).toHaveAttribute("data-mode", "edit");

    await user.clear(title);
    await user.type(title, "Followed from the Hotel Ukraina");
    // Without a reason, Save stays disabled and says why.
    expect(screen.getByTestId("incident-save")).toBeDisabled();
    expect(screen.getByTestId("reason-required")).toBeInTheDocument();
    await user.type(screen.getByTestId("reason-input"), "   ");
    expect(screen.getByTestId("incident-save")).toBeDisabled();
    await user.type(screen.getByTestId("reason-input"), "hotel name confirmed by the witness");
    expect(screen.queryByTestId("reason-required")).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("incident-save")).toBeEnabled());
    await user.click(screen.getByTestId("incident-save"));

    await waitFor(() => expect(screen.getByTestId("incident-item-title")).toHaveTextContent("Followed from the Hotel Ukraina"));
    expect(screen.getByTestId("incident-item")).toHaveAttribute("data-id", INCIDENT_ID);
    expect(screen.getByTestId(`edit-incident-${INCIDENT_ID}`)).toHaveFocus();
    expect(screen.getByTestId(`meta-incident-${INCIDENT_ID}`)).toHaveTextContent(/Created by caseworker on .*, version 2/);
    expect(screen.getByTestId("case-announce")).toHaveTextContent("Changes saved.");

    const history = await backend.recordHistory({ id: INCIDENT_ID });
    expect(history.map((v) => [v.version, v.note])).toEqual([
      [1, "imported"],
      [2, "hotel name confirmed by the witness"],
    ]);

    // The history: both versions, newest first, with what changed.
    await user.click(screen.getByTestId(`history-incident-${INCIDENT_ID}`));
    const panel = await screen.findByTestId("history-panel");
    await waitFor(() => expect(within(panel).getAllByTestId("history-version")).toHaveLength(2));
    const [newest, oldest] = within(panel).getAllByTestId("history-version");
    expect(newest).toHaveAttribute("data-version", "2");
    expect(newest).toHaveTextContent("Version 2");
    expect(newest).toHaveTextContent("caseworker");
    expect(within(newest).getByTestId("history-note")).toHaveTextContent("hotel name confirmed by the witness");
    const changes = within(newest).getAllByTestId("history-change");
    expect(changes).toHaveLength(1);
    expect(changes[0]).toHaveAttribute("data-field", "title");
    expect(changes[0]).toHaveTextContent("Title");
    expect(within(changes[0]).getByTestId("history-before")).toHaveTextContent("Followed from the hotel");
    expect(within(changes[0]).getByTestId("history-after")).toHaveTextContent("Followed from the Hotel Ukraina");
    expect(oldest).toHaveTextContent("Note: imported");
    expect(within(oldest).queryByTestId("history-diff")).not.toBeInTheDocument();

    // Escape closes the history and gives the focus back to its button.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("history-panel")).not.toBeInTheDocument();
    expect(screen.getByTestId(`history-incident-${INCIDENT_ID}`)).toHaveFocus();
  });

  it("shows the core's refusal when nothing was changed", async () => {
    const { user } = await renderCase();
    await user.click(screen.getByTestId(`edit-person-${PERSON_ID}`));
    expect(screen.getByTestId("person-name")).toHaveValue("Daniyar Moldashev");
    expect(screen.getByTestId("person-aliases")).toHaveValue("Daniar Moldashev\nМолдашев Данияр");
    await user.type(screen.getByTestId("reason-input"), "checking");
    await user.click(screen.getByTestId("person-save"));
    const error = await screen.findByTestId("person-error");
    expect(error).toHaveAttribute("data-code", "invalid_input");
    expect(error).toHaveTextContent("nothing was changed, so no new version was written");
    // The form stays open with what was typed.
    expect(screen.getByTestId("reason-input")).toHaveValue("checking");
  });

  it("cancels an edit with Escape and keeps the record as it was", async () => {
    const { user, backend } = await renderCase();
    await user.click(screen.getByTestId(`edit-incident-${INCIDENT_ID}`));
    await user.type(screen.getByTestId("incident-title"), " (draft)");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("reason-input")).not.toBeInTheDocument();
    expect(screen.getByTestId("incident-form")).toHaveAttribute("data-mode", "add");
    expect(screen.getByTestId(`edit-incident-${INCIDENT_ID}`)).toHaveFocus();
    expect((await backend.recordHistory({ id: INCIDENT_ID })).length).toBe(1);
  });

  it("edits the case itself: risk, host countries and tags", async () => {
    const { user, backend } = await renderCase();
    await user.click(screen.getByTestId(`edit-case-${CASE_ID}`));
    await user.selectOptions(screen.getByTestId("case-edit-risk"), "high");
    await user.type(screen.getByTestId("case-edit-hosts"), "de, xx");
    expect(screen.getByTestId("case-edit-hosts-error")).toHaveTextContent("“XX” is not a country code");
    await user.type(screen.getByTestId("reason-input"), "risk reassessed after the summons");
    expect(screen.getByTestId("case-save")).toBeDisabled();
    await user.clear(screen.getByTestId("case-edit-hosts"));
    await user.type(screen.getByTestId("case-edit-hosts"), "de, tr");
    expect(screen.getByTestId("case-edit-hosts-name")).toHaveTextContent("Germany, Türkiye");
    await user.type(screen.getByTestId("case-edit-tags"), "summons, family");
    await user.click(screen.getByTestId("case-save"));
    expect(await screen.findByTestId("case-risk")).toHaveTextContent("Risk: High");
    expect(screen.getByTestId("case-tags")).toHaveTextContent("summons");
    const detail = await backend.caseGet({ id: CASE_ID });
    expect(detail.case.host_countries).toEqual(["DE", "TR"]);
    expect(detail.case.tags).toEqual(["summons", "family"]);
    expect(detail.meta.find((m) => m.id === CASE_ID)?.version).toBe(2);
  });
});

describe("trash and restore", () => {
  it("is refused while another record refers to it, then trashes and restores in the right order", async () => {
    const { user, backend } = await renderCase();

    // The person is a victim in the incident: the core refuses and names the incident.
    await user.click(screen.getByTestId(`trash-person-${PERSON_ID}`));
    expect(screen.getByTestId("trash-reason")).toHaveFocus();
    expect(screen.getByTestId("trash-confirm")).toBeDisabled();
    await user.type(screen.getByTestId("trash-reason"), "entered twice");
    await user.click(screen.getByTestId("trash-confirm"));
    const refused = await screen.findByTestId("trash-error");
    expect(refused).toHaveAttribute("data-code", "invalid_input");
    // Named by the translated problem (still_referred_to), not the English message.
    expect(refused).toHaveTextContent(INCIDENT_ID);
    await user.click(screen.getByTestId("trash-cancel"));

    // Trash the incident first, with a reason…
    expect(screen.getByTestId("trash-empty")).toBeInTheDocument();
    await user.click(screen.getByTestId(`trash-incident-${INCIDENT_ID}`));
    await user.type(screen.getByTestId("trash-reason"), "duplicate of another incident{Enter}");
    await waitFor(() => expect(screen.queryByTestId("incident-item")).not.toBeInTheDocument());
    const trashed = await screen.findByTestId("trash-item");
    expect(trashed).toHaveAttribute("data-id", INCIDENT_ID);
    expect(trashed).toHaveTextContent("Followed from the hotel");
    expect(within(trashed).getByTestId("trash-item-reason")).toHaveTextContent("duplicate of another incident");

    // …then the person goes too.
    await user.click(screen.getByTestId(`trash-person-${PERSON_ID}`));
    await user.type(screen.getByTestId("trash-reason"), "entered twice");
    await user.click(screen.getByTestId("trash-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("trash-item")).toHaveLength(2));
    expect(screen.queryByTestId("person-item")).not.toBeInTheDocument();

    // The incident names a person still in the trash: restoring it is refused.
    await user.click(screen.getByTestId(`restore-incident-${INCIDENT_ID}`));
    const restoreError = await screen.findByTestId("restore-error");
    expect(restoreError).toHaveTextContent(PERSON_ID);

    await user.click(screen.getByTestId(`restore-person-${PERSON_ID}`));
    await screen.findByTestId("person-item");
    await user.click(screen.getByTestId(`restore-incident-${INCIDENT_ID}`));
    await screen.findByTestId("incident-item");
    expect(screen.getByTestId("trash-empty")).toBeInTheDocument();
    expect(screen.queryByTestId("restore-error")).not.toBeInTheDocument();

    const notes = (await backend.recordHistory({ id: INCIDENT_ID })).map((v) => v.note);
    expect(notes).toEqual(["imported", "trashed: duplicate of another incident", "restored"]);
  });

  it("trashes a whole case from its header, and restores it with its records from the case list", async () => {
    const user = userEvent.setup();
    const backend = await seededBackend({ unlocked: false, passphrase: "correct horse battery staple" });
    render(App, { props: { backend } });
    await user.type(await screen.findByTestId("unlock-passphrase"), "correct horse battery staple{Enter}");
    await user.click(await screen.findByTestId("nav-cases"));
    await screen.findByTestId("case-list");
    const row = screen.getAllByTestId("case-row").find((r) => r.getAttribute("data-id") === CASE_ID)!;
    await user.click(within(row).getByTestId("case-open"));
    await screen.findByTestId("case-view");

    await user.click(await screen.findByTestId(`trash-case-${CASE_ID}`));
    await user.type(screen.getByTestId("trash-reason"), "opened by mistake");
    await user.click(screen.getByTestId("trash-confirm"));

    // Back on the list, without the case; its incident went with it, the person only has this case.
    await screen.findByTestId("case-list");
    expect(screen.getAllByTestId("case-row").map((r) => r.getAttribute("data-id"))).not.toContain(CASE_ID);
    expect((await backend.trashList()).map((r) => r.id).sort()).toEqual([CASE_ID, INCIDENT_ID, PERSON_ID].sort());

    await user.click(screen.getByTestId("trashed-cases-toggle"));
    const trashed = await screen.findByTestId("trashed-case");
    expect(trashed).toHaveTextContent("Moldashev: surveillance in Moscow");
    expect(trashed).toHaveTextContent("opened by mistake");
    await user.click(screen.getByTestId(`restore-case-${CASE_ID}`));
    await waitFor(() => expect(screen.getAllByTestId("case-row").map((r) => r.getAttribute("data-id"))).toContain(CASE_ID));
    expect(await backend.trashList()).toEqual([]);
  });
});
