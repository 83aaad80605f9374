import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import CaseList from "./components/cases/CaseList.svelte";
import type { Case, CaseStatus, Person, RiskLevel } from "./lib/bindings";
import { setLocale } from "./lib/i18n";
import { createHostBackend, type HostBackend } from "./test/host";

const COUNT = 10_000;
const STATUSES: CaseStatus[] = ["open", "monitoring", "closed"];
const RISKS: (RiskLevel | undefined)[] = ["low", "medium", "high", "critical", undefined];
const ORIGINS = ["KZ", "RU", "BY", "TJ"];

function pad(n: number): string {
  return String(n).padStart(5, "0");
}

/** 10,000 cases, each with one person; case 09876's person has a Cyrillic alias. */
async function bigVault(): Promise<HostBackend> {
  const cases: Case[] = [];
  const persons: Person[] = [];
  for (let i = 0; i < COUNT; i++) {
    const id = `case-${pad(i)}`;
    const risk = RISKS[i % RISKS.length];
    cases.push({
      id,
      title: `Case ${pad(i)}`,
      status: STATUSES[i % STATUSES.length],
      ...(risk ? { risk } : {}),
      tags: [],
      origin_country: ORIGINS[i % ORIGINS.length],
      host_countries: i % 7 === 0 ? ["DE"] : [],
    });
    persons.push({
      id: `person-${pad(i)}`,
      names: [
        { name: `Person ${pad(i)}`, kind: "primary" },
        ...(i === 9876 ? [{ name: "Жанар Ахметова", kind: "original_script" as const }] : []),
      ],
      citizenships: [],
      protected: false,
      relationships: [],
      case_roles: [{ case: id, role: "victim" }],
    });
  }
  return await createHostBackend({ exists: true, unlocked: true, seed: { cases, persons } });
}

let backend: HostBackend;

// Seeding 20,000 records through the real import takes a while on a shared machine.
beforeAll(async () => {
  backend = await bigVault();
}, 180_000);

beforeEach(() => {
  setLocale("en");
});

async function renderList() {
  const user = userEvent.setup();
  const onOpen = vi.fn();
  render(CaseList, { props: { backend, onOpen, onLocked: vi.fn() } });
  // The real list of 10,000 cases takes a second or two from a debug build on a busy machine.
  await screen.findByTestId("case-list", {}, { timeout: 15_000 });
  return { user, onOpen };
}

function rows(): HTMLElement[] {
  return screen.queryAllByTestId("case-row");
}

function scrollTo(px: number) {
  const viewport = screen.getByTestId("case-list-viewport");
  viewport.scrollTop = px;
  return fireEvent.scroll(viewport);
}

describe("the case list at 10,000 cases", () => {
  it("renders only the rows in view, with spacers sized through the CSSOM", async () => {
    await renderList();
    expect(screen.getByTestId("case-count")).toHaveTextContent(`Showing ${COUNT} of ${COUNT} cases.`);
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(100);
    expect(document.querySelectorAll("tr").length).toBeLessThan(110);
    expect(rows()[0]).toHaveTextContent("Case 00000");
    expect(screen.getByTestId("case-list")).toHaveAttribute("aria-rowcount", String(COUNT + 1));
    expect(rows()[0]).toHaveAttribute("aria-rowindex", "2");

    const [top, bottom] = document.querySelectorAll<HTMLTableCellElement>("tr.spacer td");
    expect(top.style.height).toBe("0px");
    expect(parseInt(bottom.style.height, 10)).toBeGreaterThan((COUNT - 100) * 44);

    // Scrolling far down shows the rows there, and only those.
    await scrollTo(5000 * 44);
    await waitFor(() => expect(rows().some((r) => r.textContent?.includes("Case 05000"))).toBe(true));
    expect(rows().length).toBeLessThan(100);
    expect(rows().some((r) => r.textContent?.includes("Case 00000"))).toBe(false);
    const first = Number(rows()[0].getAttribute("data-index"));
    expect(first).toBeGreaterThan(4900);
    expect(rows()[0]).toHaveAttribute("aria-rowindex", String(first + 2));
    expect(parseInt(top.style.height, 10)).toBe(first * 44);

    await scrollTo(COUNT * 44);
    await waitFor(() => expect(rows().at(-1)).toHaveTextContent("Case 09999"));
  });

  it("quick-finds and filters over all rows, not just the rendered ones", async () => {
    const { user, onOpen } = await renderList();

    // An alias of a person in case 09876, far outside the first screen.
    await user.type(screen.getByTestId("case-filter"), "ахметова");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent("Case 09876");
    await user.click(screen.getByTestId("case-open"));
    expect(onOpen).toHaveBeenCalledWith("case-09876");
    await user.clear(screen.getByTestId("case-filter"));

    // Status + risk + country: i % 3 == 1 (monitoring), i % 5 == 3 (critical), origin or host DE.
    await user.selectOptions(screen.getByTestId("case-filter-status"), "monitoring");
    await user.selectOptions(screen.getByTestId("case-filter-risk"), "critical");
    await user.type(screen.getByTestId("case-filter-country"), "de");
    const expected = [...Array(COUNT).keys()].filter((i) => i % 3 === 1 && i % 5 === 3 && i % 7 === 0).length;
    await waitFor(() => expect(screen.getByTestId("case-count")).toHaveTextContent(`Showing ${expected} of ${COUNT} cases.`));
    for (const r of rows()) {
      expect(r).toHaveTextContent("Monitoring");
      expect(r).toHaveTextContent("Critical");
    }

    // A malformed country is flagged and ignored rather than hiding everything.
    await user.clear(screen.getByTestId("case-filter-country"));
    await user.type(screen.getByTestId("case-filter-country"), "d1");
    expect(screen.getByTestId("case-filter-country-error")).toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("case-filter-risk"), "none");
    const noRisk = [...Array(COUNT).keys()].filter((i) => i % 3 === 1 && i % 5 === 4).length;
    await waitFor(() => expect(screen.getByTestId("case-count")).toHaveTextContent(`Showing ${noRisk} of ${COUNT} cases.`));

    // Sorting applies to every case: highest risk first puts a critical case on top.
    await user.selectOptions(screen.getByTestId("case-filter-risk"), "");
    await user.selectOptions(screen.getByTestId("case-filter-status"), "");
    await user.clear(screen.getByTestId("case-filter-country"));
    await user.selectOptions(screen.getByTestId("case-sort"), "risk");
    await waitFor(() => expect(rows()[0]).toHaveTextContent("Critical"));
    expect(rows()[0]).toHaveTextContent("Case 00003");
  });
});
