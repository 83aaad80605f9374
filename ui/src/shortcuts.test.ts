import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { CASE_ID, INCIDENT_ID, caseRecord, renderCase, seed } from "./test/fixtures";
import { createHostBackend } from "./test/host";

const PASS = "correct horse battery staple";

beforeEach(() => {
  setLocale("en");
});

async function openCases() {
  const user = userEvent.setup();
  const s = seed();
  s.cases = [...s.cases!, caseRecord("case-third", "Third case: passport refused")];
  const backend = await createHostBackend({ exists: true, passphrase: PASS, seed: s });
  render(App, { props: { backend } });
  await user.type(await screen.findByTestId("unlock-passphrase"), PASS + "{Enter}");
  await user.click(await screen.findByTestId("nav-cases"));
  await screen.findByTestId("case-list");
  return { user, backend };
}

function rowButtons(): HTMLElement[] {
  return screen.getAllByTestId("case-open");
}

describe("keyboard shortcuts", () => {
  it("? opens the help dialog (also from its button), Escape closes it; ? typed in a field stays text", async () => {
    const { user } = await openCases();
    screen.getByTestId("nav-cases").focus();
    await user.keyboard("?");
    const dialog = await screen.findByTestId("shortcuts-dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveTextContent("Ctrl+Enter");
    expect(dialog).toHaveTextContent("Alt+1 … Alt+7");
    // It opens at the top: focus on its title, not on Close at the bottom of the list.
    expect(within(dialog).getByRole("heading", { level: 2, name: "Keyboard shortcuts" })).toHaveFocus();
    expect(dialog.scrollTop).toBe(0);
    await user.tab();
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("shortcuts-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("nav-cases")).toHaveFocus();

    await user.type(screen.getByTestId("case-filter"), "what?");
    expect(screen.queryByTestId("shortcuts-dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("case-filter")).toHaveValue("what?");

    await user.click(screen.getByTestId("shortcuts-button"));
    expect(await screen.findByTestId("shortcuts-dialog")).toBeInTheDocument();
    await user.click(screen.getByTestId("shortcuts-dialog-close"));
    expect(screen.queryByTestId("shortcuts-dialog")).not.toBeInTheDocument();
  });

  it("in the case list: / finds, n and Ctrl+Alt+N go to a new case, arrows move through rows, Enter opens", async () => {
    const { user } = await openCases();
    screen.getByTestId("nav-cases").focus();

    await user.keyboard("/");
    const find = screen.getByTestId("case-filter");
    expect(find).toHaveFocus();
    expect(find).toHaveValue("");
    // Inside the field, "/" and "n" are just text.
    await user.keyboard("n/");
    expect(find).toHaveValue("n/");
    expect(find).toHaveFocus();
    await user.clear(find);

    // Ctrl+Alt+N works even while typing.
    await user.keyboard("{Control>}{Alt>}n{/Alt}{/Control}");
    expect(screen.getByTestId("new-case-title")).toHaveFocus();
    expect(screen.getByTestId("new-case-title")).toHaveValue("");

    screen.getByTestId("nav-cases").focus();
    await user.keyboard("n");
    expect(screen.getByTestId("new-case-title")).toHaveFocus();
    expect(screen.getByTestId("new-case-title")).toHaveValue("");

    // ArrowDown from quick-find to the first row, then through the rows and back up.
    find.focus();
    await user.keyboard("{ArrowDown}");
    const titles = rowButtons().map((b) => b.textContent);
    expect(titles).toEqual(["Moldashev family: pressure on relatives", "Moldashev: surveillance in Moscow", "Third case: passport refused"]);
    await waitFor(() => expect(rowButtons()[0]).toHaveFocus());
    await user.keyboard("{ArrowDown}{ArrowDown}");
    await waitFor(() => expect(rowButtons()[2]).toHaveFocus());
    await user.keyboard("{ArrowDown}");
    expect(rowButtons()[2]).toHaveFocus();
    await user.keyboard("{ArrowUp}");
    await waitFor(() => expect(rowButtons()[1]).toHaveFocus());
    await user.keyboard("{Home}");
    await waitFor(() => expect(rowButtons()[0]).toHaveFocus());
    await user.keyboard("{ArrowUp}");
    expect(find).toHaveFocus();

    await user.keyboard("{ArrowDown}{ArrowDown}");
    await waitFor(() => expect(rowButtons()[1]).toHaveFocus());
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("case-title")).toHaveTextContent("Moldashev: surveillance in Moscow");
  });

  it("in a case: Alt+number jumps to a section, Ctrl+Enter submits, Escape cancels and goes back", async () => {
    const { user, onBack, backend } = await renderCase();

    await user.keyboard("{Alt>}3{/Alt}");
    expect(within(screen.getByTestId("section-proceedings")).getByRole("heading", { level: 3 })).toHaveFocus();
    await user.keyboard("{Alt>}7{/Alt}");
    expect(within(screen.getByTestId("section-trash")).getByRole("heading", { level: 3 })).toHaveFocus();
    await user.click(screen.getByTestId("jump-5"));
    expect(within(screen.getByTestId("section-interventions")).getByRole("heading", { level: 3 })).toHaveFocus();

    // While typing, Alt+1 does not move the focus.
    const request = screen.getByTestId("intervention-request");
    await user.click(request);
    await user.keyboard("{Alt>}1{/Alt}");
    expect(request).toHaveFocus();

    // Ctrl+Enter submits the form being filled in.
    await user.type(request, "Complaint to the CCF about the diffusion.");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await screen.findByTestId("intervention-item");
    expect((await backend.caseGet({ id: CASE_ID })).interventions).toHaveLength(1);

    // Escape cancels an edit…
    await user.click(screen.getByTestId(`edit-incident-${INCIDENT_ID}`));
    expect(screen.getByTestId("reason-input")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("reason-input")).not.toBeInTheDocument();
    expect(onBack).not.toHaveBeenCalled();

    // …leaves a field of an add form without losing it…
    await user.type(screen.getByTestId("incident-title"), "Half-typed");
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("incident-title")).not.toHaveFocus();
    expect(screen.getByTestId("incident-title")).toHaveValue("Half-typed");
    expect(onBack).not.toHaveBeenCalled();

    // …and, outside any field, goes back to the list.
    await user.keyboard("{Escape}");
    expect(onBack).toHaveBeenCalledTimes(1);
  });
});
