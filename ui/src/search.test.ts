import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { setLocale, t } from "./lib/i18n";
import { createHostBackend } from "./test/host";
import { INCIDENT_ID, PERSON_ID } from "./test/fixtures";
import { AYNUR_ID, NOTICE_ID, PRESSURE_ID, TESTIMONY_ID, XSS, renderSearch, searchSeed } from "./test/searchFixtures";

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  vi.restoreAllMocks();
});

function results(): HTMLElement[] {
  return screen.queryAllByTestId("search-result");
}

function resultIds(): string[] {
  return results().map((r) => r.getAttribute("data-id") ?? "");
}

describe("text search", () => {
  it("finds records, marks the matched words as text only, and opens the case of a result", async () => {
    const { user, backend } = await renderSearch();
    const search = vi.spyOn(backend, "search");
    expect(screen.getByTestId("nav-search")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("search-tab-text")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("search-prompt")).toBeInTheDocument();

    const input = screen.getByTestId("search-input");
    await user.type(input, "hotel");
    await screen.findByTestId("search-count");
    // Typed quickly, searched once, 250 ms after the last key.
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith({ text: "hotel", filters: { act_types: [], countries: [] }, limit: 50 });
    expect(screen.getByTestId("search-count")).toHaveTextContent(`Results: ${results().length}`);
    expect(resultIds()).toEqual(expect.arrayContaining([INCIDENT_ID, PRESSURE_ID, TESTIMONY_ID]));

    const testimony = results().find((r) => r.getAttribute("data-id") === TESTIMONY_ID)!;
    expect(testimony).toHaveAttribute("data-kind", "testimony");
    expect(within(testimony).getByTestId("search-result-kind")).toHaveTextContent("Testimony");
    expect(within(testimony).getByTestId("search-result-case")).toHaveTextContent("Case: Moldashev: surveillance in Moscow");
    const snippet = within(testimony).getByTestId("search-result-snippet");
    expect(within(snippet).getAllByTestId("search-snippet-mark").map((m) => m.textContent)).toEqual(["hotel"]);
    expect(within(snippet).getByTestId("search-snippet-mark").tagName).toBe("MARK");
    // The markup in the statement is shown as typed, never made into an element.
    expect(snippet).toHaveTextContent(XSS);
    expect(document.querySelector("img")).toBeNull();
    expect(snippet.querySelectorAll("*")).toHaveLength(2); // the hidden label and the one <mark>

    // ↓ from the field to the results; Enter on one opens its case; Back returns to the search.
    await user.keyboard("{ArrowDown}");
    const first = within(results()[0]).getByTestId("search-result-open");
    expect(first).toHaveFocus();
    await user.click(within(testimony).getByTestId("search-result-open"));
    expect(await screen.findByTestId("case-title")).toHaveTextContent("Moldashev: surveillance in Moscow");
    expect(screen.getByTestId("case-back")).toHaveTextContent("Back to search");
    await user.click(screen.getByTestId("case-back"));
    expect(screen.queryByTestId("case-view")).not.toBeInTheDocument();
    expect(screen.getByTestId("search-input")).toHaveValue("hotel");
    expect(within(results().find((r) => r.getAttribute("data-id") === TESTIMONY_ID)!).getByTestId("search-result-open")).toHaveFocus();
    // The case may have changed while it was open: the search is run again, and focus stays put.
    await waitFor(() => expect(search).toHaveBeenCalledTimes(2));
    expect(within(results().find((r) => r.getAttribute("data-id") === TESTIMONY_ID)!).getByTestId("search-result-open")).toHaveFocus();
  });

  it("narrows by filters, and lists the matching incidents when there is no text", async () => {
    const { user } = await renderSearch();
    await user.type(screen.getByTestId("search-input"), "hotel");
    await screen.findByTestId("search-count");
    const all = resultIds().length;
    expect(all).toBeGreaterThanOrEqual(3);

    await user.selectOptions(screen.getByTestId("search-filter-act-type"), ["coercion_by_proxy"]);
    expect(screen.getByTestId("search-filter-act-type-chosen")).toHaveTextContent("Coercion of relatives");
    await waitFor(() => expect(resultIds()).toEqual([PRESSURE_ID]));
    await user.click(screen.getByTestId("search-filter-act-type-clear"));
    await waitFor(() => expect(resultIds()).toHaveLength(all));

    await user.selectOptions(screen.getByTestId("search-filter-consent"), "lawyers");
    await waitFor(() => expect(resultIds()).toEqual([TESTIMONY_ID]));
    await user.selectOptions(screen.getByTestId("search-filter-consent"), "media");
    expect(await screen.findByTestId("search-empty")).toHaveTextContent("Nothing matches");
    await user.selectOptions(screen.getByTestId("search-filter-consent"), "");

    // Filters alone list incidents, earliest first.
    await user.clear(screen.getByTestId("search-input"));
    await user.type(screen.getByTestId("search-filter-country"), "tr");
    await waitFor(() => expect(resultIds()).toEqual([NOTICE_ID]));
    expect(within(results()[0]).getByTestId("search-result-case")).toHaveTextContent("Interpol notice against a blogger");
    await user.clear(screen.getByTestId("search-filter-country"));
    await user.selectOptions(screen.getByTestId("search-filter-status"), "monitoring");
    await waitFor(() => expect(resultIds()).toEqual([PRESSURE_ID]));
    await user.click(screen.getByTestId("search-filter-clear"));
    expect(await screen.findByTestId("search-prompt")).toBeInTheDocument();
    expect(results()).toHaveLength(0);
  });

  it("checks the date filters inline like the incident date, and waits for them", async () => {
    const { user, backend } = await renderSearch();
    const search = vi.spyOn(backend, "search");
    await user.type(screen.getByTestId("search-filter-from"), "Mai 2008");
    expect(await screen.findByTestId("search-filter-from-error")).toHaveTextContent("Not a date Casevault understands");
    expect(screen.getByTestId("search-filter-from")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("search-waiting")).toBeInTheDocument();
    expect(search).not.toHaveBeenCalled();

    await user.clear(screen.getByTestId("search-filter-from"));
    await user.type(screen.getByTestId("search-filter-from"), "March 2008");
    expect(await screen.findByTestId("search-filter-from-canonical")).toHaveAttribute("data-value", "2008-03");
    await user.type(screen.getByTestId("search-filter-to"), "2012");
    await screen.findByTestId("search-filter-to-canonical");
    await waitFor(() => expect(resultIds()).toEqual([INCIDENT_ID, PRESSURE_ID]));
    expect(search).toHaveBeenLastCalledWith(expect.objectContaining({ filters: { act_types: [], countries: [], from: "2008-03", to: "2012" } }));
  });

  it("shows the backend's refusal of an over-long query, and recovers", async () => {
    const { user } = await renderSearch();
    const input = screen.getByTestId("search-input");
    // Pasted at once, as a long text would be.
    await user.click(input);
    await user.paste("surveillance ".repeat(40) + "x".repeat(30));
    await user.keyboard("{Enter}");
    const err = await screen.findByTestId("search-error");
    expect(err).toHaveAttribute("role", "alert");
    expect(err).toHaveAttribute("data-code", "invalid_input");
    // The core's refusal as a translated problem with its limit, never
    // the core's English sentence.
    expect(screen.getByTestId("search-error-problems")).toHaveTextContent(t("problems.too_long", { max: "500" }));
    expect(results()).toHaveLength(0);

    await user.clear(input);
    await user.type(input, "embassy{Enter}");
    await screen.findByTestId("search-count");
    expect(screen.queryByTestId("search-error")).not.toBeInTheDocument();
  });

  it("says when more results exist than are shown", async () => {
    const seed = searchSeed();
    for (let i = 0; i < 55; i++) {
      seed.incidents!.push({ ...seed.incidents![0], id: `incident-extra-${i}`, title: `Followed again ${i}`, victims: [] });
    }
    const { user } = await renderSearch(await createHostBackend({ exists: true, unlocked: true, seed }));
    await user.type(screen.getByTestId("search-input"), "followed{Enter}");
    expect(await screen.findByTestId("search-truncated")).toHaveTextContent("more results");
    expect(results()).toHaveLength(50);
  });
});

describe("names tab", () => {
  it("finds a person across scripts and spellings, with the tier of each match, in English and Russian", async () => {
    const { user } = await renderSearch();
    await user.click(screen.getByTestId("search-tab-names"));
    expect(screen.getByTestId("search-tab-names")).toHaveAttribute("aria-selected", "true");
    const input = screen.getByTestId("names-input");

    const expectHit = async (query: string, id: string, how: string, label: string) => {
      await user.clear(input);
      await user.type(input, query);
      await waitFor(() => expect(screen.getAllByTestId("name-result")[0]).toHaveAttribute("data-id", id));
      const hit = screen.getAllByTestId("name-result")[0];
      await waitFor(() => expect(within(hit).getByTestId("name-tier")).toHaveAttribute("data-how", how));
      expect(within(hit).getByTestId("name-tier")).toHaveTextContent(label);
      return hit;
    };

    const exact = await expectHit("Aynur", AYNUR_ID, "exact", "Exact");
    expect(within(exact).getByTestId("name-primary")).toHaveTextContent("Aynur Zhaksybekova");
    expect(within(exact).getByTestId("name-matched")).toHaveTextContent("Matched name: Aynur Zhaksybekova");
    expect(within(exact).getByTestId("name-case")).toHaveTextContent("Moldashev family: pressure on relatives");

    await expectHit("Айнур Жаксыбекова", AYNUR_ID, "variant", "Spelling variant");
    await expectHit("Ainur", AYNUR_ID, "variant", "Spelling variant");
    await expectHit("Zhaksybekava", AYNUR_ID, "fuzzy", "Similar spelling");

    // Every name of the person, and both cases.
    const daniyar = await expectHit("Молдашев", PERSON_ID, "exact", "Exact");
    expect(within(daniyar).getByTestId("name-matched")).toHaveTextContent("Молдашев Данияр");
    expect(within(daniyar).getByTestId("name-all")).toHaveTextContent("Daniyar Moldashev, Daniar Moldashev, Молдашев Данияр");
    await expectHit("Daniar Moldashov", PERSON_ID, "fuzzy", "Similar spelling");

    setLocale("ru");
    await expectHit("Данияр", PERSON_ID, "exact", "Точное совпадение");
    await expectHit("Daniyar", PERSON_ID, "exact", "Точное совпадение");
    await expectHit("Daniiar", PERSON_ID, "variant", "Вариант написания");
    await expectHit("Даниар", PERSON_ID, "variant", "Вариант написания");
    await expectHit("Молдашов", PERSON_ID, "fuzzy", "Похожее написание");
    setLocale("en");

    await user.clear(input);
    await user.type(input, "Nazarbayev{Enter}");
    expect(await screen.findByTestId("names-empty")).toHaveTextContent("Nobody in the vault");

    // A case of a person opens; Back returns to the names tab.
    await user.clear(input);
    await user.type(input, "Aynur");
    await user.click(await screen.findByTestId("name-case"));
    expect(await screen.findByTestId("case-title")).toHaveTextContent("Moldashev family: pressure on relatives");
    await user.click(screen.getByTestId("case-back"));
    expect(screen.getByTestId("names-input")).toHaveValue("Aynur");
  });

  it("moves between tabs with the arrow keys and / goes to the field of the tab", async () => {
    const { user } = await renderSearch();
    screen.getByTestId("search-tab-text").focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("search-tab-names")).toHaveFocus();
    expect(screen.getByTestId("search-tab-names")).toHaveAttribute("aria-selected", "true");
    await user.keyboard("/");
    expect(screen.getByTestId("names-input")).toHaveFocus();
    screen.getByTestId("search-tab-names").focus();
    await user.keyboard("{End}");
    expect(screen.getByTestId("search-tab-analysis")).toHaveFocus();
    await user.keyboard("{Home}");
    expect(screen.getByTestId("search-tab-text")).toHaveAttribute("aria-selected", "true");
    await user.keyboard("/");
    expect(screen.getByTestId("search-input")).toHaveFocus();
  });
});

describe("analysis tab", () => {
  it("draws four bar charts with labelled bars and tables, and a timeline earliest first", async () => {
    const { user } = await renderSearch();
    await user.click(screen.getByTestId("search-tab-analysis"));
    const total = await screen.findByTestId("analysis-total");
    expect(total).toHaveTextContent("Incidents: 3. Cases: 3.");

    const acts = screen.getByTestId("analysis-chart-act-type");
    const bars = within(acts).getAllByTestId("analysis-bar");
    expect(bars).toHaveLength(3);
    for (const bar of bars) {
      expect(bar.tagName.toLowerCase()).toBe("rect");
      expect(Number(bar.getAttribute("width"))).toBeGreaterThan(0);
      expect(bar).not.toHaveAttribute("style");
    }
    expect(bars.map((b) => b.getAttribute("aria-label"))).toEqual(
      expect.arrayContaining(["Physical surveillance: 1 incidents", "Coercion of relatives (coercion by proxy): 1 incidents"]),
    );
    // The same numbers as a table, read by screen readers, shown on request.
    const table = within(acts).getByTestId("analysis-chart-act-type-table");
    expect(table).toHaveClass("visually-hidden");
    expect(within(table).getByRole("rowheader", { name: "Interpol Red Notice" })).toBeInTheDocument();
    const toggle = within(acts).getByTestId("analysis-chart-act-type-table-toggle");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(table).not.toHaveClass("visually-hidden");

    const routes = within(screen.getByTestId("analysis-chart-route")).getAllByTestId("analysis-bar");
    expect(routes.map((b) => b.getAttribute("data-label"))).toEqual(["KZ→KZ", "KZ→RU", "TJ→TR"]);
    const perps = within(screen.getByTestId("analysis-chart-perpetrator")).getAllByTestId("analysis-bar");
    expect(perps.map((b) => b.getAttribute("data-label"))).toEqual(["National Security Committee (KNB)"]);
    const years = within(screen.getByTestId("analysis-chart-year")).getAllByTestId("analysis-bar");
    expect(years.map((b) => b.getAttribute("data-label"))).toEqual(["2008", "2012", "2015"]);

    const items = screen.getAllByTestId("analysis-timeline-item");
    expect(items.map((i) => i.getAttribute("data-id"))).toEqual([INCIDENT_ID, PRESSURE_ID, NOTICE_ID]);
    expect(items[2]).toHaveTextContent("Red Notice published");
    expect(items[2]).toHaveTextContent("Interpol Red Notice");
    expect(screen.getByTestId("analysis-export-note")).toHaveTextContent("comes with the export feature");

    // The same filters as the text search narrow the counts.
    await user.selectOptions(screen.getByTestId("search-filter-status"), "closed");
    await waitFor(() => expect(screen.getByTestId("analysis-total")).toHaveTextContent("Incidents: 1. Cases: 1."));
    expect(screen.getAllByTestId("analysis-timeline-item").map((i) => i.getAttribute("data-id"))).toEqual([NOTICE_ID]);

    // Act types are labelled through the vocabulary in Russian too.
    setLocale("ru");
    await waitFor(() =>
      expect(within(screen.getByTestId("analysis-chart-act-type")).getByTestId("analysis-bar")).toHaveAttribute(
        "aria-label",
        "Красное уведомление Интерпола: инцидентов — 1",
      ),
    );
    setLocale("en");

    await user.click(within(screen.getAllByTestId("analysis-timeline-item")[0]).getByTestId("analysis-timeline-case"));
    expect(await screen.findByTestId("case-title")).toHaveTextContent("Interpol notice against a blogger");
  });
});

describe("nothing in web storage", () => {
  it("searches, finds names and analyses without touching localStorage, sessionStorage or cookies", async () => {
    localStorage.clear();
    sessionStorage.clear();
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    const user = userEvent.setup();
    const backend = await createHostBackend({ exists: true, passphrase: "correct horse battery staple", seed: searchSeed() });
    render(App, { props: { backend } });
    await user.type(await screen.findByTestId("unlock-passphrase"), "correct horse battery staple{Enter}");
    await user.click(await screen.findByTestId("nav-search"));
    await user.type(screen.getByTestId("search-input"), "hotel{Enter}");
    await screen.findByTestId("search-count");
    await user.type(screen.getByTestId("search-filter-from"), "2008");
    await screen.findByTestId("search-filter-from-canonical");
    await user.click(screen.getByTestId("search-tab-names"));
    await user.type(screen.getByTestId("names-input"), "Молдашев{Enter}");
    await screen.findByTestId("name-result");
    await user.click(screen.getByTestId("search-tab-analysis"));
    await screen.findByTestId("analysis-total");
    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe("");
    // Locking drops the search with everything else.
    await user.click(screen.getByTestId("lock-button"));
    expect(await screen.findByTestId("unlock-passphrase")).toBeInTheDocument();
    expect(screen.queryByTestId("search-view")).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain("Moldashev");
  });

  it("is never asked for in the UI's code (jsdom has no IndexedDB to spy on)", () => {
    // The test helpers (./test/, where setup.ts checks storage after every test) are not the UI's code.
    const sources = import.meta.glob(["./**/*.svelte", "./**/*.ts", "!./**/*.test.ts", "!./lib/bindings.ts", "!./test/**"], {
      query: "?raw",
      import: "default",
      eager: true,
    });
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    for (const [path, text] of Object.entries(sources)) {
      expect(text as string, path).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie/);
    }
  });
});

describe("the picker shows how a name matched", () => {
  it("labels each option exact, spelling variant or similar spelling", async () => {
    const { user } = await renderSearch();
    await user.click(screen.getByTestId("nav-cases"));
    await user.click(await screen.findByText("Moldashev family: pressure on relatives"));
    const input = await screen.findByTestId("picker-existing-person");
    await user.type(input, "Daniar");
    const option = await screen.findByTestId("picker-option");
    expect(within(option).getByTestId("picker-option-tier")).toHaveTextContent("Exact");
    await user.clear(input);
    await user.type(input, "Даниияр");
    await waitFor(() => expect(within(screen.getByTestId("picker-option")).getByTestId("picker-option-tier")).toHaveTextContent("Spelling variant"));
    await user.clear(input);
    await user.type(input, "Moldashov");
    await waitFor(() => expect(within(screen.getByTestId("picker-option")).getByTestId("picker-option-tier")).toHaveTextContent("Similar spelling"));
  });
});
