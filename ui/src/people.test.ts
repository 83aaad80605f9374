import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "./lib/i18n";
import { CASE_ID, OTHER_CASE_ID, PERSON_ID, renderCase, seededBackend } from "./test/fixtures";

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  vi.restoreAllMocks();
});

function personIds(): string[] {
  return screen.queryAllByTestId("person-item").map((p) => p.getAttribute("data-id") ?? "");
}

describe("adding a person who may already be in the vault", () => {
  it("warns before adding, then uses the existing person or adds a new one anyway", async () => {
    const backend = await seededBackend();
    const duplicates = vi.spyOn(backend, "personDuplicates");
    const { user } = await renderCase(backend, OTHER_CASE_ID);
    expect(personIds()).toEqual([]);

    await user.type(screen.getByTestId("person-name"), "Данияр Молдашев");
    await user.selectOptions(screen.getByTestId("person-role"), "relative");
    await user.click(screen.getByTestId("person-submit"));

    const warning = await screen.findByTestId("duplicate-warning");
    expect(warning).toHaveTextContent("This may be the same person as:");
    expect(warning).toHaveFocus();
    expect(duplicates).toHaveBeenCalledWith(expect.objectContaining({ names: [{ name: "Данияр Молдашев", kind: "primary" }] }));
    const candidate = within(warning).getByTestId("duplicate-candidate");
    expect(candidate).toHaveAttribute("data-id", PERSON_ID);
    expect(candidate).toHaveTextContent("Daniyar Moldashev");
    expect(within(candidate).getByTestId("duplicate-matched")).toHaveTextContent("matched “Daniar Moldashev”");
    expect(within(candidate).getByTestId("duplicate-tier")).toHaveTextContent("Spelling variant");
    // Nothing was written yet.
    expect(personIds()).toEqual([]);
    expect((await backend.trashList()).length + (await backend.caseGet({ id: OTHER_CASE_ID })).persons.length).toBe(0);

    // Use the existing person: one record, with a second case role.
    await user.click(within(warning).getByTestId(`duplicate-use-${PERSON_ID}`));
    await waitFor(() => expect(personIds()).toEqual([PERSON_ID]));
    expect(screen.queryByTestId("duplicate-warning")).not.toBeInTheDocument();
    expect(screen.getByTestId("person-item")).toHaveTextContent("Relative");
    expect(screen.getByTestId("person-name")).toHaveValue("");
    expect(screen.getByTestId("person-name")).toHaveFocus();
    const history = await backend.recordHistory({ id: PERSON_ID });
    expect(history.at(-1)?.note).toBe("added to case Moldashev family: pressure on relatives");
    expect(history.at(-1)?.data).toMatchObject({
      case_roles: [
        { case: CASE_ID, role: "victim" },
        { case: OTHER_CASE_ID, role: "relative" },
      ],
    });

    // The same role again is not offered; Escape dismisses the warning.
    await user.type(screen.getByTestId("person-name"), "Daniar Moldashev");
    await user.click(screen.getByTestId("person-submit"));
    const again = await screen.findByTestId("duplicate-warning");
    expect(within(again).getByTestId("duplicate-already")).toBeInTheDocument();
    expect(within(again).queryByTestId(`duplicate-use-${PERSON_ID}`)).not.toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("duplicate-warning")).not.toBeInTheDocument();
    expect(screen.getByTestId("person-name")).toHaveValue("Daniar Moldashev");

    // Add as a new person anyway: a second record.
    await user.click(screen.getByTestId("person-submit"));
    await user.click(await screen.findByTestId("duplicate-add-anyway"));
    await waitFor(() => expect(personIds()).toHaveLength(2));
    const added = personIds().find((id) => id !== PERSON_ID)!;
    expect(added).toMatch(/^person-/);
    expect(screen.queryByTestId("duplicate-warning")).not.toBeInTheDocument();
    expect(screen.getByTestId("person-name")).toHaveValue("");

    // A name nobody has is added at once.
    await user.type(screen.getByTestId("person-name"), "Ivan Petrov");
    await user.click(screen.getByTestId("person-submit"));
    await waitFor(() => expect(personIds()).toHaveLength(3));
    expect(screen.queryByTestId("duplicate-warning")).not.toBeInTheDocument();
  });

  it("drops a warning that no longer fits the names typed", async () => {
    const { user } = await renderCase(await seededBackend(), OTHER_CASE_ID);
    await user.type(screen.getByTestId("person-name"), "Moldashev");
    await user.click(screen.getByTestId("person-submit"));
    await screen.findByTestId("duplicate-warning");
    await user.type(screen.getByTestId("person-name"), "a");
    expect(screen.queryByTestId("duplicate-warning")).not.toBeInTheDocument();
  });
});

describe("merging two records of one person", () => {
  it("merges the chosen person into the one kept, with a reason, and shows the case again", async () => {
    const backend = await seededBackend();
    const { user } = await renderCase(backend, CASE_ID);
    // A second record for the same man, added before anyone noticed.
    await user.type(screen.getByTestId("person-name"), "D. Moldashev");
    await user.type(screen.getByTestId("person-aliases"), "Данияр М.");
    await user.selectOptions(screen.getByTestId("person-role"), "witness");
    await user.click(screen.getByTestId("person-submit"));
    await waitFor(() => expect(personIds()).toHaveLength(2));
    const other = personIds().find((id) => id !== PERSON_ID)!;

    await user.click(screen.getByTestId(`merge-person-${other}`));
    const dialog = await screen.findByTestId("merge-dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveTextContent("Merge “D. Moldashev” into another person");
    const picker = within(dialog).getByTestId("merge-picker");
    expect(picker).toHaveFocus();
    const confirm = within(dialog).getByTestId("merge-confirm");
    expect(confirm).toBeDisabled();

    // Not into itself.
    await user.type(picker, "D. Mold");
    await user.click(await within(dialog).findByTestId("picker-option"));
    expect(within(dialog).getByTestId("merge-same")).toBeInTheDocument();

    // The people of the case are offered before anything is typed.
    await user.clear(picker);
    await user.keyboard("{ArrowDown}");
    const option = within(dialog).getByTestId("picker-option");
    expect(option).toHaveAttribute("data-id", PERSON_ID);
    await user.keyboard("{Enter}");
    expect(picker).toHaveAttribute("data-selected-id", PERSON_ID);
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByTestId("merge-reason"), "same person, initials only");

    // A refusal is shown in the dialog, which stays open.
    vi.spyOn(backend, "personsMerge").mockRejectedValueOnce({ code: "invalid_input", message: "person: there is no live person \"x\"" });
    await user.click(confirm);
    const err = await within(dialog).findByTestId("merge-error");
    expect(err).toHaveAttribute("data-code", "invalid_input");
    expect(err).toHaveTextContent("there is no live person");

    await user.click(confirm);
    await waitFor(() => expect(screen.queryByTestId("merge-dialog")).not.toBeInTheDocument());
    await waitFor(() => expect(personIds()).toEqual([PERSON_ID]));
    const kept = screen.getByTestId("person-item");
    expect(kept).toHaveTextContent("D. Moldashev");
    expect(kept).toHaveTextContent("Данияр М.");
    expect(kept).toHaveTextContent("Witness");
    expect(screen.getByTestId("case-announce")).toHaveTextContent("“D. Moldashev” was merged into “Daniyar Moldashev”.");
    const trashed = within(screen.getByTestId("section-trash")).getByTestId("trash-item");
    expect(trashed).toHaveAttribute("data-id", other);
    expect(within(trashed).getByTestId("trash-item-reason")).toHaveTextContent(`merged into "${PERSON_ID}": same person, initials only`);
    const history = await backend.recordHistory({ id: PERSON_ID });
    expect(history.at(-1)?.note).toBe(`merged person "${other}" into "${PERSON_ID}": same person, initials only`);
  });

  it("closes on Escape without merging", async () => {
    const backend = await seededBackend();
    const merge = vi.spyOn(backend, "personsMerge");
    const { user, onBack } = await renderCase(backend, CASE_ID);
    await user.click(screen.getByTestId(`merge-person-${PERSON_ID}`));
    await screen.findByTestId("merge-dialog");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("merge-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId(`merge-person-${PERSON_ID}`)).toHaveFocus();
    expect(onBack).not.toHaveBeenCalled();
    expect(merge).not.toHaveBeenCalled();
  });
});
