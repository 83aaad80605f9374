// The caseworker's first day: lands on Cases, imports the shipped sample,
// reads a list whose rows are table rows (not wrapped flex boxes), finds
// people despite typos, and reads dates in words in en, ru and kk.
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import appCss from "./app.css?raw";
import App from "./App.svelte";
import type { DateView } from "./lib/bindings";
import { formatDate, formatSpan } from "./lib/dates";
import { setLocale } from "./lib/i18n";
import { createHostBackend } from "./test/host";

const PASS = "correct horse battery staple";
/** The sample shipped with Casevault, as a caseworker would pick it. */
const SAMPLE: string = readFileSync("../samples/kazakhstan-report.json", "utf8"); // vitest runs in ui/

beforeEach(() => setLocale("en"));

/**
 * A locked vault, unlocked through the app, with one file of the
 * caseworker's own beside it (the sample, unless another is given); `path`
 * is where that file is.
 */
async function unlocked(file: { name: string; content: string } = { name: "kazakhstan-report.json", content: SAMPLE }) {
  const user = userEvent.setup();
  const backend = await createHostBackend({ exists: true, passphrase: PASS });
  const path = backend.writeFile(file.name, file.content);
  render(App, { props: { backend } });
  await user.type(await screen.findByTestId("unlock-passphrase"), PASS + "{Enter}");
  await screen.findByTestId("home", {}, { timeout: 15_000 });
  return { user, backend, path };
}

async function importSample(user: ReturnType<typeof userEvent.setup>, path: string) {
  await user.click(await screen.findByTestId("empty-import"));
  await user.type(screen.getByTestId("import-path"), path);
  await user.click(screen.getByTestId("import-submit"));
  return screen.findByTestId("import-result");
}

describe("first run", () => {
  it("lands on Cases with New case and Import data, and imports the sample with counts per kind", async () => {
    const { user, path } = await unlocked();
    const empty = await screen.findByTestId("case-list-empty");
    expect(screen.getByTestId("nav-cases")).toHaveAttribute("aria-current", "page");
    expect(screen.queryByTestId("status-schema-version")).not.toBeInTheDocument();
    expect(within(empty).getByTestId("empty-new-case")).toHaveTextContent("New case");
    expect(within(empty).getByTestId("empty-import")).toHaveTextContent("Import data…");

    const result = await importSample(user, path);
    const doc = JSON.parse(SAMPLE) as Record<string, unknown[]>;
    const cases = within(result).getAllByRole("listitem").find((li) => li.dataset.kind === "case");
    expect(cases).toHaveTextContent(`Cases: ${doc.cases.length}`);
    expect(within(result).getAllByRole("listitem").find((li) => li.dataset.kind === "testimony")).toHaveTextContent(
      `Testimonies: ${doc.testimonies.length}`,
    );
    await waitFor(() => expect(screen.getAllByTestId("case-row")).toHaveLength(doc.cases.length));
  });

  it("imports nothing from a file that is not interchange JSON, and says so by code", async () => {
    const { user, path } = await unlocked({ name: "notes.json", content: "not json" });
    await user.click(await screen.findByTestId("empty-import"));
    await user.type(screen.getByTestId("import-path"), path);
    await user.click(screen.getByTestId("import-submit"));
    expect(await screen.findByTestId("import-error")).toHaveAttribute("data-code", "import_rejected");
    expect(screen.getByTestId("case-list-empty")).toBeInTheDocument();
  });

  it("keeps the vault's technical facts under Settings, counted afresh after an import", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await user.click(screen.getByTestId("nav-vault"));
    const counts = await screen.findByTestId("status-record-counts");
    await waitFor(() => expect(within(counts).getByText("Cases")).toBeInTheDocument());
    expect(screen.getByTestId("nav-vault")).toHaveTextContent("Settings");
    expect(await screen.findByTestId("status-schema-version")).toBeInTheDocument();
    expect(screen.getByTestId("status-header-format")).toBeInTheDocument();
  });
});

describe("case list", () => {
  it("has no global rule that could turn a table row into a wrapping flex box", () => {
    // The old `.row { display:flex; flex-wrap:wrap }` hit `tr.row` in the case table.
    expect(appCss).not.toMatch(/(^|[\s,}])\.row\s*[{,]/m);
  });

  it("tucks filters behind a toggle that says how many are in use", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    // The list is read afresh from the core after the import.
    const more = await screen.findByTestId("case-filters-more");
    const toggle = screen.getByTestId("case-filters-toggle");
    expect(more).not.toBeVisible();
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(more).toBeVisible();
    await user.selectOptions(screen.getByTestId("case-filter-status"), "closed");
    expect(toggle).toHaveTextContent("1 active");
    for (const row of screen.getAllByTestId("case-row")) {
      expect(row.classList.contains("row")).toBe(false);
      expect(within(row).getByTestId("case-status")).toHaveTextContent("Closed");
    }
  });

  it("quick-find tolerates typos through the core's name search", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await waitFor(() => expect(screen.getAllByTestId("case-row").length).toBeGreaterThan(1));
    await user.type(screen.getByTestId("case-filter"), "Kurmanow");
    await waitFor(() => expect(screen.getAllByTestId("case-row").length).toBeGreaterThan(0));
    const titles = screen.getAllByTestId("case-open").map((b) => b.textContent ?? "");
    expect(titles.some((t) => /Kurmanov/i.test(t))).toBe(true);
  });
});

const at = (year: number, month: number | null, day: number | null, hour: number | null = null, minute: number | null = null) => ({
  year,
  month,
  day,
  hour,
  minute,
});

describe("dates in words", () => {
  const month: DateView = { from: at(2008, 3, null), to: null, approximate: false };
  const range: DateView = { from: at(2011, 3, 27), to: at(2011, 3, 30), approximate: false };
  const evening: DateView = { from: at(1997, 12, 1, 22, 30), to: null, approximate: true };
  const end: DateView = { from: at(2011, 3, 30), to: null, approximate: false };

  it("says them as people do, in English", () => {
    expect(formatDate(month)).toBe("March 2008");
    expect(formatDate(range)).toMatch(/^27\s?–\s?30 March 2011$/);
    expect(formatDate(evening)).toBe("about 22:30 on 1 December 1997");
    expect(formatDate({ from: null, to: null, approximate: false })).toBe("date unknown");
    expect(formatDate({ from: at(2007, null, null), to: null, approximate: false })).toBe("2007");
    // An incident whose range already ends on its end date reads once.
    expect(formatSpan(range, end)).toMatch(/^27\s?–\s?30 March 2011$/);
    expect(formatSpan({ from: at(2011, 3, 27), to: null, approximate: false }, end)).toMatch(/^27\s?–\s?30 March 2011$/);
  });

  it("in Russian and Kazakh, with month names from Intl", () => {
    setLocale("ru");
    expect(formatDate(month)).toMatch(/^март 2008/);
    expect(formatDate(evening)).toMatch(/^около 1 декабря 1997.*в 22:30$/);
    expect(formatDate({ from: null, to: null, approximate: false })).toBe("дата неизвестна");
    setLocale("kk");
    expect(formatDate(evening)).toMatch(/^шамамен .*1997.*22:30$/);
    expect(formatDate({ from: null, to: null, approximate: false })).toBe("күні белгісіз");
  });
});

async function openCase(user: ReturnType<typeof userEvent.setup>, title: RegExp) {
  await waitFor(() => expect(screen.getAllByTestId("case-row").length).toBeGreaterThan(1));
  const open = screen.getAllByTestId("case-open").find((b) => title.test(b.textContent ?? ""));
  await user.click(open!);
  const view = await screen.findByTestId("case-view");
  // The case's records arrive from the core after the page opens.
  await within(view).findByTestId("case-title");
  return view;
}

describe("case page", () => {
  it("keeps add forms behind their buttons, and opens one on its first field", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await openCase(user, /Moldashev/);
    for (const kind of ["person", "incident", "proceeding", "testimony", "intervention"]) {
      expect(screen.getByTestId(`add-${kind}-open`)).toHaveAttribute("aria-expanded", "false");
      expect(screen.getByTestId(`add-${kind}-panel`)).not.toBeVisible();
    }
    await user.click(screen.getByTestId("add-incident-open"));
    expect(screen.getByTestId("add-incident-panel")).toBeVisible();
    expect(screen.getByTestId("add-incident-open")).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByTestId("incident-title")).toHaveFocus();
  });

  it("opens with a summary and a timeline, dates in words, and the whole statement one click away", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await openCase(user, /Moldashev/);
    expect(screen.getByTestId("case-overview-counts")).toHaveTextContent("Incidents: 3");
    const timeline = screen.getAllByTestId("case-timeline-item");
    expect(timeline).toHaveLength(3);
    expect(timeline[0]).toHaveTextContent("25 March 2011");
    expect(timeline[2].textContent).toMatch(/27\s?–\s?30 March 2011/);
    expect(screen.getByTestId("case-overview-span").textContent).toMatch(/From 25 March 2011 to .*30 March 2011/);
    const dates = screen.getAllByTestId("incident-item-date").map((d) => d.textContent ?? "");
    expect(dates.join("|")).not.toMatch(/\d{4}-\d{2}|\.\./);

    const doc = JSON.parse(SAMPLE) as { testimonies: { statement: string }[] };
    const statement = doc.testimonies[0].statement;
    const shown = screen.getByTestId("testimony-excerpt");
    expect(shown.textContent).not.toBe(statement);
    expect(shown.textContent).not.toContain("…");
    await user.click(screen.getByTestId("testimony-excerpt-toggle"));
    expect(screen.getByTestId("testimony-excerpt").textContent).toBe(statement);
    expect(screen.getByTestId("testimony-excerpt-toggle")).toHaveAttribute("aria-expanded", "true");
  });

  it("says an approximate time as people do", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await openCase(user, /Svoik/);
    expect(screen.getByTestId("incident-item-date")).toHaveTextContent("about 22:30 on 1 December 1997");
  });

  it("labels involvement and attribution of perpetrators", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await openCase(user, /Kurmanov/);
    const perps = screen.getByTestId("incident-item-perpetrators").textContent ?? "";
    expect(perps).toMatch(/involvement: [^;]+; attribution: /);
  });
});

describe("testimony form", () => {
  it("ticks no consent for the caseworker and records the interview and how consent was given", async () => {
    const { user, backend, path } = await unlocked();
    await importSample(user, path);
    await openCase(user, /Kurmanov/);
    await user.click(screen.getByTestId("add-testimony-open"));
    for (const key of ["record", "lawyers", "courts", "un", "media", "publish"]) {
      expect(screen.getByTestId(`consent-${key}`)).not.toBeChecked();
    }
    expect(screen.getByTestId("consent-contact-unasked")).toBeChecked();
    await user.type(screen.getByTestId("testimony-statement"), "They followed me from the rally.");
    await user.type(screen.getByTestId("testimony-interview-date"), "14 May 2024");
    await screen.findByTestId("testimony-interview-date-canonical");
    await user.type(screen.getByTestId("testimony-place"), "Berlin");
    await user.selectOptions(screen.getByTestId("testimony-mode"), "video");
    await user.type(screen.getByTestId("testimony-interviewer"), "A. Caseworker");
    await user.type(screen.getByTestId("testimony-interpreter"), "B. Interpreter");
    await user.click(screen.getByTestId("consent-record"));
    await user.type(screen.getByTestId("consent-given"), "2024-05-14");
    await screen.findByTestId("consent-given-canonical");
    await user.click(screen.getByTestId("consent-contact-yes"));
    await waitFor(() => expect(screen.getByTestId("testimony-submit")).toBeEnabled());
    await user.click(screen.getByTestId("testimony-submit"));
    await waitFor(async () => expect((await backend.caseGet({ id: "case-kurmanov" })).testimonies).toHaveLength(1));
    const saved = (await backend.caseGet({ id: "case-kurmanov" })).testimonies[0];
    expect(saved).toMatchObject({
      interview_date: "2024-05-14",
      interview_place: "Berlin",
      mode: "video",
      interviewer: "A. Caseworker",
      interpreter: "B. Interpreter",
    });
    expect(saved.consent).toMatchObject({ record: true, share_lawyers: false, given: "2024-05-14", contact: true });
    expect(await screen.findByTestId("testimony-interview")).toHaveTextContent("14 May 2024 · Berlin");
  });
});

describe("duplicates while typing", () => {
  it("warns about someone already in the vault before Add is pressed, and keeps focus in the field", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await openCase(user, /Kurmanov/);
    await user.click(screen.getByTestId("add-person-open"));
    const name = screen.getByTestId("person-name");
    await user.type(name, "Daniyar Moldashev");
    const warning = await screen.findByTestId("duplicate-warning", {}, { timeout: 3000 });
    expect(warning).toHaveAttribute("data-live", "true");
    expect(name).toHaveFocus();
    expect(within(warning).getAllByTestId("duplicate-candidate")[0]).toHaveTextContent("Daniyar Moldashev");
    await user.click(within(warning).getByTestId("duplicate-dismiss"));
    expect(screen.queryByTestId("duplicate-warning")).not.toBeInTheDocument();
  });
});

describe("search wording and charts", () => {
  it("titles a testimony result with whose it is, and counts incidents of unknown date in the year chart", async () => {
    const { user, path } = await unlocked();
    await importSample(user, path);
    await user.click(screen.getByTestId("nav-search"));
    // Filters wait behind their toggle; the search field comes first.
    expect(await screen.findByTestId("search-filter-from")).not.toBeVisible();
    expect(screen.getByTestId("search-filters-toggle")).toHaveAttribute("aria-expanded", "false");
    await user.type(await screen.findByTestId("search-input"), "Молдашев");
    const results = await screen.findAllByTestId("search-result", {}, { timeout: 3000 });
    const testimony = results.find((r) => r.dataset.kind === "testimony");
    expect(testimony).toBeDefined();
    expect(testimony).toHaveTextContent("Testimony of Daniyar Moldashev");

    await user.click(screen.getByTestId("search-tab-analysis"));
    const total = await screen.findByTestId("analysis-total");
    const incidents = Number(total.getAttribute("data-incidents"));
    const bars = within(screen.getByTestId("analysis-chart-year")).getAllByTestId("analysis-bar");
    expect(bars.at(-1)).toHaveAttribute("data-label", "date unknown");
    const counted = bars.reduce((n, b) => n + Number(/(\d+)\D*$/.exec(b.getAttribute("aria-label") ?? "")?.[1] ?? 0), 0);
    expect(counted).toBe(incidents);
  });
});
