// The caseworker's first day: lands on Cases, imports the shipped sample,
// reads a list whose rows are table rows (not wrapped flex boxes), finds
// people despite typos, and reads dates in words in en, ru and kk.
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error -- Node's types are not in the UI's tsconfig; vitest runs in Node.
import { readFileSync } from "node:fs";
import appCss from "./app.css?raw";
import App from "./App.svelte";
import type { DateView } from "./lib/bindings";
import { formatDate, formatSpan } from "./lib/dates";
import { setLocale } from "./lib/i18n";
import { createMockBackend } from "./lib/mockBackend";

const PASS = "correct horse battery staple";
const SAMPLE_PATH = "/home/caseworker/kazakhstan-report.json";
/** The sample shipped with Casevault, as a caseworker would pick it. */
const SAMPLE: string = readFileSync("../samples/kazakhstan-report.json", "utf8") // vitest runs in ui/;

beforeEach(() => setLocale("en"));

async function unlocked(files: Record<string, { content: string }> = { [SAMPLE_PATH]: { content: SAMPLE } }) {
  const user = userEvent.setup();
  const backend = createMockBackend({ exists: true, passphrase: PASS, files });
  render(App, { props: { backend } });
  await user.type(await screen.findByTestId("unlock-passphrase"), PASS + "{Enter}");
  await screen.findByTestId("home");
  return { user, backend };
}

async function importSample(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByTestId("empty-import"));
  await user.type(screen.getByTestId("import-path"), SAMPLE_PATH);
  await user.click(screen.getByTestId("import-submit"));
  return screen.findByTestId("import-result");
}

describe("first run", () => {
  it("lands on Cases with New case and Import data, and imports the sample with counts per kind", async () => {
    const { user } = await unlocked();
    const empty = await screen.findByTestId("case-list-empty");
    expect(screen.getByTestId("nav-cases")).toHaveAttribute("aria-current", "page");
    expect(screen.queryByTestId("status-schema-version")).not.toBeInTheDocument();
    expect(within(empty).getByTestId("empty-new-case")).toHaveTextContent("New case");
    expect(within(empty).getByTestId("empty-import")).toHaveTextContent("Import data…");

    const result = await importSample(user);
    const doc = JSON.parse(SAMPLE) as Record<string, unknown[]>;
    const cases = within(result).getAllByRole("listitem").find((li) => li.dataset.kind === "case");
    expect(cases).toHaveTextContent(`Cases: ${doc.cases.length}`);
    expect(within(result).getAllByRole("listitem").find((li) => li.dataset.kind === "testimony")).toHaveTextContent(
      `Testimonies: ${doc.testimonies.length}`,
    );
    await waitFor(() => expect(screen.getAllByTestId("case-row")).toHaveLength(doc.cases.length));
  });

  it("imports nothing from a file that is not interchange JSON, and says so by code", async () => {
    const { user } = await unlocked({ "/tmp/notes.json": { content: "not json" } });
    await user.click(await screen.findByTestId("empty-import"));
    await user.type(screen.getByTestId("import-path"), "/tmp/notes.json");
    await user.click(screen.getByTestId("import-submit"));
    expect(await screen.findByTestId("import-error")).toHaveAttribute("data-code", "import_rejected");
    expect(screen.getByTestId("case-list-empty")).toBeInTheDocument();
  });

  it("keeps the vault's technical facts under Settings", async () => {
    const { user } = await unlocked();
    await user.click(screen.getByTestId("nav-vault"));
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
    const { user } = await unlocked();
    await importSample(user);
    const more = screen.getByTestId("case-filters-more");
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
    const { user } = await unlocked();
    await importSample(user);
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
    expect(formatDate(evening)).toMatch(/^около 1 декабря 1997.*22:30$/);
    expect(formatDate({ from: null, to: null, approximate: false })).toBe("дата неизвестна");
    setLocale("kk");
    expect(formatDate(evening)).toMatch(/^шамамен .*1997.*22:30$/);
    expect(formatDate({ from: null, to: null, approximate: false })).toBe("күні белгісіз");
  });
});
