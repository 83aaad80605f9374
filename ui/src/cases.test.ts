import { documentOf } from "./lib/records";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { createHostBackend } from "./test/host";
import { setLocale } from "./lib/i18n";

const PASS = "correct horse battery staple";

beforeEach(() => {
  setLocale("en");
});

async function unlockToHome() {
  const user = userEvent.setup();
  const backend = await createHostBackend({ exists: true, passphrase: PASS });
  render(App, { props: { backend } });
  await user.type(await screen.findByTestId("unlock-passphrase"), PASS + "{Enter}");
  await screen.findByTestId("home");
  return { user, backend };
}

describe("cases", () => {
  it("creates a case, adds a person, an incident and a testimony, and finds it by alias", async () => {
    const { user, backend } = await unlockToHome();

    // Cases are the default view; the vault panels are under Settings.
    expect(screen.getByTestId("nav-cases")).toHaveAttribute("aria-pressed", "true");
    expect(screen.queryByTestId("verify-section")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("nav-vault"));
    expect(screen.getByTestId("verify-section")).toBeInTheDocument();
    await user.click(screen.getByTestId("nav-cases"));
    expect(screen.getByTestId("nav-cases")).toHaveAttribute("aria-pressed", "true");
    expect(screen.queryByTestId("verify-section")).not.toBeInTheDocument();
    expect(await screen.findByTestId("case-list-empty")).toBeInTheDocument();

    // New case → opens it.
    await user.type(screen.getByTestId("new-case-title"), "Abduction of a blogger");
    await user.selectOptions(screen.getByTestId("new-case-status"), "monitoring");
    await user.type(screen.getByTestId("new-case-origin"), "ru");
    await user.click(screen.getByTestId("new-case-submit"));
    expect(await screen.findByTestId("case-view")).toBeInTheDocument();
    expect(await screen.findByTestId("case-title")).toHaveTextContent("Abduction of a blogger");
    expect(screen.getByTestId("case-view")).toHaveTextContent("Origin country: RU");

    // Person with an alias: both names are shown.
    await user.type(screen.getByTestId("person-name"), "Ivan Petrov");
    await user.type(screen.getByTestId("person-aliases"), "Иван Петров");
    await user.selectOptions(screen.getByTestId("person-role"), "victim");
    await user.click(screen.getByTestId("person-submit"));
    const person = await screen.findByTestId("person-item");
    expect(person).toHaveTextContent("Ivan Petrov");
    expect(person).toHaveTextContent("Иван Петров");
    expect(person).toHaveTextContent("Victim");
    expect(screen.getByTestId("person-name")).toHaveValue("");
    expect(screen.getByTestId("person-aliases")).toHaveValue("");

    // Incident: the date is checked as it is typed.
    await user.type(screen.getByTestId("incident-title"), "Taken from his flat");
    await user.selectOptions(screen.getByTestId("incident-act-type"), "abduction");
    // "Mai" is no month the core knows (it reads a misspelt "Marhc" as March).
    await user.type(screen.getByTestId("incident-date"), "Mai 2008");
    expect(await screen.findByTestId("incident-date-error")).toBeInTheDocument();
    expect(screen.getByTestId("incident-submit")).toBeDisabled();
    await user.clear(screen.getByTestId("incident-date"));
    await user.type(screen.getByTestId("incident-date"), "March 2008");
    expect(await screen.findByTestId("incident-date-canonical")).toHaveAttribute("data-value", "2008-03");
    // Read back in words, not as the stored form.
    expect(screen.getByTestId("incident-date-canonical")).toHaveTextContent("Understood as March 2008");
    await user.type(screen.getByTestId("incident-city"), "Moscow");
    await user.type(screen.getByTestId("incident-country"), "RU");
    // The victim comes from the person picker (any name or alias; Enter takes the first match).
    await user.type(screen.getByTestId("picker-incident-victims"), "Ivan");
    await screen.findByTestId("picker-option");
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("incident-victims-item")).toHaveTextContent("Ivan Petrov");
    await waitFor(() => expect(screen.getByTestId("incident-submit")).toBeEnabled());
    await user.click(screen.getByTestId("incident-submit"));
    const incident = await screen.findByTestId("incident-item");
    expect(within(incident).getByTestId("incident-item-date")).toHaveTextContent("March 2008");
    expect(within(incident).getByTestId("incident-item-act")).toHaveTextContent("Abduction");
    expect(incident).toHaveTextContent("Taken from his flat");
    expect(screen.getByTestId("incident-title")).toHaveValue("");

    // Testimony shared with lawyers only.
    expect(screen.getByTestId("testimony-language")).toHaveValue("ru");
    // No consent is ticked for the person: recording too is theirs to agree to.
    expect(screen.getByTestId("consent-record")).not.toBeChecked();
    await user.type(screen.getByTestId("testimony-statement"), "Они пришли ночью и забрали меня.");
    await user.click(screen.getByTestId("consent-record"));
    await user.click(screen.getByTestId("consent-lawyers"));
    await user.click(screen.getByTestId("testimony-submit"));
    const testimony = await screen.findByTestId("testimony-item");
    expect(within(testimony).getByTestId("testimony-consent")).toHaveTextContent("Lawyers only");
    expect(testimony).toHaveTextContent("Они пришли ночью");
    expect(testimony).toHaveTextContent("ru");
    expect(screen.getByTestId("testimony-statement")).toHaveValue("");
    expect(screen.getByTestId("consent-lawyers")).not.toBeChecked();

    // Escape goes back to the list (focus is on a button, not a field).
    screen.getByTestId("case-back").focus();
    await user.keyboard("{Escape}");
    const list = await screen.findByTestId("case-list");
    expect(within(list).getAllByTestId("case-row")).toHaveLength(1);

    // Quick-find by the alias, case-insensitively.
    await user.type(screen.getByTestId("case-filter"), "иван");
    expect(within(screen.getByTestId("case-list")).getAllByTestId("case-row")).toHaveLength(1);
    await user.clear(screen.getByTestId("case-filter"));
    await user.type(screen.getByTestId("case-filter"), "nobody at all");
    expect(screen.queryAllByTestId("case-row")).toHaveLength(0);
    await user.clear(screen.getByTestId("case-filter"));
    await user.type(screen.getByTestId("case-filter"), "PETROV");
    expect(screen.getAllByTestId("case-row")[0]).toHaveTextContent("Abduction of a blogger");

    // Locking drops everything.
    await user.click(screen.getByTestId("lock-button"));
    expect(await screen.findByTestId("unlock-passphrase")).toBeInTheDocument();
    expect(screen.queryByTestId("case-list")).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain("Ivan Petrov");
    expect((await backend.vaultState()).unlocked).toBe(false);
  });

  it("shows a rejected add with its code and the backend's message", async () => {
    const { user, backend } = await unlockToHome();
    await user.click(screen.getByTestId("nav-cases"));
    await screen.findByTestId("case-list-empty");
    const rejected = backend.recordsAdd(
      documentOf({
        testimonies: [{ id: "t-1", case: "no-such-case", person: "p", language: "ru", statement: "x", consent: { record: true, share_lawyers: false, share_courts: false, share_un: false, share_media: false, publish: false } }],
      }),
    );
    await expect(rejected).rejects.toMatchObject({ code: "import_rejected" });
    await expect(rejected).rejects.toHaveProperty("message", expect.stringContaining('refers to case "no-such-case", which is neither in the file nor in the vault'));
  });
});
