// The Kazakh UI: every screen, and the vocabularies' and the report's
// choices with their own Kazakh labels. Dossier summaries exist in English
// and Russian only: a Kazakh reader gets Russian.
import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { createHostBackend, type HostBackend, type HostOptions } from "./test/host";
import { emptyReport } from "./lib/selfReport";

const NGO_KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  // Nothing of the answers, and not the language either, goes to webview
  // storage: test/setup.ts checks it after every test.
  setLocale("en");
});

function activist(opts: HostOptions = {}): Promise<HostBackend> {
  return createHostBackend({ exists: true, unlocked: true, mode: "self_report", language: "kk", ...opts });
}

async function openApp(backend: HostBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await screen.findByTestId("self-report-home");
  return user;
}

function stepTitle(): HTMLElement {
  return screen.getByTestId("report-step-title");
}

describe("Kazakh", () => {
  it("the first start asks who uses the app in Kazakh, with the quick exit", async () => {
    render(App, { props: { backend: await createHostBackend({ language: "kk" }) } });
    const group = await screen.findByTestId("create-mode");
    expect(document.documentElement.lang).toBe("kk");
    expect(within(group).getByText("Бұл компьютерде Casevault бағдарламасын кім қолданады?")).toBeInTheDocument();
    expect(screen.getByLabelText(/Мен өзіммен не болғанын айтқым келеді/)).toHaveAttribute("value", "self_report");
    expect(screen.getByLabelText(/Ұйым \(қызметкер немесе заңгер\)/)).toBeChecked();
    expect(screen.getByRole("heading", { name: "Жаңа қойма құру" })).toBeInTheDocument();
    expect(screen.getByTestId("quick-exit")).toHaveTextContent("Жылдам шығу");
    expect(screen.getByTestId("language-select")).toHaveDisplayValue("Қазақша");
  });

  it("is offered in the language switcher, remembered by the backend, and applies at once", async () => {
    const backend = await activist({ language: "en" });
    const prefs = vi.spyOn(backend, "prefsSet");
    const user = await openApp(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("My reports");
    const select = screen.getByTestId("language-select");
    expect(within(select).getByRole("option", { name: "Қазақша" })).toHaveAttribute("lang", "kk");
    await user.selectOptions(select, "kk");
    expect(prefs).toHaveBeenCalledWith({ language: "kk" });
    expect((await backend.prefsGet()).language).toBe("kk");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Менің хабарламаларым");
    expect(screen.getByTestId("quick-exit-tip")).toHaveTextContent("Жылдам шығу");
    expect(document.documentElement.lang).toBe("kk");
  });

  it("walks the guided report in Kazakh: Kazakh labels, country names and choices, dates read back in Kazakh", async () => {
    const backend = await activist();
    const save = vi.spyOn(backend, "reportSave");
    const user = await openApp(backend);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Менің хабарламаларым");

    await user.click(screen.getByTestId("report-new"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Қадам 1 / 10: Сіз туралы"));
    expect(screen.getByTestId("report-tip")).toHaveTextContent("Шын атыңызды айтуға міндетті емессіз");
    expect(screen.getByLabelText("Атыңыз")).toHaveAccessibleDescription(/Бүркеншік ат та жарайды/);
    await user.selectOptions(screen.getByTestId("report-citizenship"), "KZ");
    expect(screen.getByTestId("report-citizenship")).toHaveDisplayValue("Қазақстан");
    expect(within(screen.getByTestId("report-living-in")).getByRole("option", { name: "Германия" })).toBeInTheDocument();

    await user.click(screen.getByTestId("report-next"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Қадам 2 / 10: Не болды"));
    // The choices come from the backend, in the reporter's words, with a
    // Kazakh label each: no Russian or English among them.
    const act = screen.getByTestId("report-what_happened-act-type");
    expect(within(act).getByRole("option", { name: "Мені аңдыды немесе бақылады" })).toBeInTheDocument();
    expect(within(act).queryByRole("option", { name: "За мной следили" })).not.toBeInTheDocument();
    expect(within(act).queryByRole("option", { name: "I was followed or watched" })).not.toBeInTheDocument();
    expect(within(act).getByRole("option", { name: "Таңдаңыз…" })).toBeInTheDocument();
    await user.selectOptions(act, "followed");

    // The hint suggests what the date parser reads; the answer is read back in Kazakh.
    const when = screen.getByLabelText("Бұл қашан болды?");
    expect(when).toHaveAccessibleDescription(/03\.2008/);
    await user.type(when, "03.2008");
    let understood = await screen.findByTestId("report-what_happened-when-canonical");
    expect(understood).toHaveAttribute("data-value", "2008-03");
    expect(understood).toHaveTextContent("Былай түсінілді: 2008 ж. наурыз");
    await user.clear(when);
    await user.type(when, "?");
    await waitFor(() => expect(screen.getByTestId("report-what_happened-when-canonical")).toHaveAttribute("data-value", "unknown"));
    understood = screen.getByTestId("report-what_happened-when-canonical");
    expect(understood).toHaveTextContent("Былай түсінілді: күні белгісіз");

    await user.type(screen.getByTestId("report-what_happened-details"), "Екі адам бір апта бойы мені суретке түсірді.");
    await user.click(screen.getByTestId("report-next"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Қадам 3 / 10: Туыстарыңыз"));
    // The answers are marked as written in Kazakh.
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith(
        expect.objectContaining({
          answers: expect.objectContaining({
            language: "kk",
            what_happened: expect.objectContaining({ act_type: "followed", when: "?" }),
          }),
        }),
      ),
    );
  });

  it("the seal step is in Kazakh and offers the summary in Russian first", async () => {
    const backend = await activist();
    await backend.contactAdd({ name: "Kazakhstan Bureau", organisation: null, key: NGO_KEY, verified_on: "2026-11-20" });
    const r = await backend.reportNew();
    const answers = emptyReport();
    answers.step = 9;
    answers.language = "kk";
    answers.what_happened = {
      happened: true,
      act_type: "physical_surveillance",
      when: "03.2024",
      place: "Алматы",
      country: "KZ",
      details: "Екі адам бір апта бойы мені суретке түсірді.",
      who: "",
      why: "",
    };
    answers.consent = { record: true, share_lawyers: false, share_un: false, contact_me: false, pseudonym_only: true };
    await backend.reportSave({ id: r.summary.id, answers });

    const user = await openApp(backend);
    await user.click(await screen.findByTestId(`report-open-${r.summary.id}`));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Мөрлеу және сақтау"));
    expect(await screen.findByTestId("report-problems-none")).toHaveTextContent("Жауаптарыңыз толық.");
    const language = screen.getByTestId("report-seal-language");
    expect(language).toHaveValue("ru");
    expect(language).toHaveDisplayValue("Русский");
    expect(within(language).queryByRole("option", { name: "Қазақша" })).not.toBeInTheDocument();
  });
});
