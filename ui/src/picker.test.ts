import { screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "./lib/i18n";
import { OTHER_CASE_ID, PERSON_ID, renderCase, seededBackend } from "./test/fixtures";

beforeEach(() => {
  setLocale("en");
});

describe("person picker", () => {
  it("finds Daniyar Moldashev by a Cyrillic fragment of his alias and adds him to another case", async () => {
    const backend = await seededBackend();
    const find = vi.spyOn(backend, "personsFind");
    const { user, onBack } = await renderCase(backend, OTHER_CASE_ID);
    expect(screen.queryByTestId("person-item")).not.toBeInTheDocument();

    const input = screen.getByTestId("picker-existing-person");
    expect(input).toHaveAttribute("role", "combobox");
    expect(input).toHaveAttribute("aria-expanded", "false");
    await user.type(input, "Молдаш");

    const option = await screen.findByTestId("picker-option");
    expect(option).toHaveAttribute("data-id", PERSON_ID);
    expect(option).toHaveAttribute("role", "option");
    expect(option).toHaveTextContent("Daniyar Moldashev");
    expect(within(option).getByTestId("picker-option-matched")).toHaveTextContent("Молдашев Данияр");
    expect(input).toHaveAttribute("aria-expanded", "true");
    expect(input).toHaveAttribute("aria-activedescendant", option.id);
    expect(option).toHaveAttribute("aria-selected", "true");
    // Typing six letters quickly asked the backend once, not six times.
    expect(find).toHaveBeenCalledTimes(1);
    expect(find).toHaveBeenCalledWith({ query: "Молдаш" });

    // Escape closes the list only: the case stays open.
    await user.keyboard("{Escape}");
    expect(input).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByTestId("picker-option")).not.toBeInTheDocument();
    expect(onBack).not.toHaveBeenCalled();

    // Arrow keys open it again and move; Enter chooses.
    await user.type(input, "moldashev");
    await screen.findByTestId("picker-option");
    await user.keyboard("{ArrowDown}{ArrowUp}{Enter}");
    expect(input).toHaveValue("Daniyar Moldashev");
    expect(input).toHaveAttribute("data-selected-id", PERSON_ID);
    expect(input).toHaveAttribute("aria-expanded", "false");

    await user.selectOptions(screen.getByTestId("existing-person-role"), "relative");
    await user.click(screen.getByTestId("existing-person-submit"));
    const person = await screen.findByTestId("person-item");
    expect(person).toHaveTextContent("Daniyar Moldashev");
    expect(person).toHaveTextContent("Relative");

    // One person record, amended with the new role and the reason the brief asks for.
    const history = await backend.recordHistory({ id: PERSON_ID });
    expect(history.at(-1)?.note).toBe("added to case Moldashev family: pressure on relatives");
    expect(history.at(-1)?.data).toMatchObject({
      case_roles: [
        { case: "case-moldashev", role: "victim" },
        { case: OTHER_CASE_ID, role: "relative" },
      ],
    });

    // Adding the same role again is caught before asking the backend.
    await user.type(input, "Daniyar");
    await screen.findByTestId("picker-option");
    await user.keyboard("{Enter}");
    await user.selectOptions(screen.getByTestId("existing-person-role"), "relative");
    expect(screen.getByTestId("existing-person-already")).toBeInTheDocument();
    expect(screen.getByTestId("existing-person-submit")).toBeDisabled();
  });

  it("says when nobody matches, and offers the case's people before anything is typed", async () => {
    const { user } = await renderCase();
    const input = screen.getByTestId("picker-incident-victims");
    await user.type(input, "Nazarbayev");
    expect(await screen.findByTestId("picker-incident-victims-none")).toHaveTextContent("Nobody in the vault has that name.");
    await user.clear(input);
    await user.keyboard("{ArrowDown}");
    const option = await screen.findByTestId("picker-option");
    expect(option).toHaveTextContent("Daniyar Moldashev");
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("incident-victims-item")).toHaveAttribute("data-id", PERSON_ID);
    await user.click(screen.getByTestId(`incident-victims-remove-${PERSON_ID}`));
    expect(screen.queryByTestId("incident-victims-item")).not.toBeInTheDocument();
  });

  it("chooses the testimony giver, defaulting to the first person of the case", async () => {
    const { user, backend } = await renderCase();
    const giver = screen.getByTestId("picker-testimony-person");
    expect(giver).toHaveValue("Daniyar Moldashev");
    await user.type(screen.getByTestId("testimony-statement"), "Они шли за мной от гостиницы.");
    await user.click(screen.getByTestId("testimony-submit"));
    await screen.findByTestId("testimony-item");
    const [tes] = (await backend.caseGet({ id: "case-moldashev" })).testimonies;
    expect(tes.person).toBe(PERSON_ID);
    await waitFor(() => expect(screen.getByTestId("testimony-statement")).toHaveValue(""));
  });
});
