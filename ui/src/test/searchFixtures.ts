// A vault for the search tests: the two Moldashev cases of fixtures.ts,
// plus a testimony whose text holds markup, an incident in another case
// with an organisation as perpetrator, a closed case, and a person known
// only by a Latin spelling (for matches across scripts).
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import Home from "../components/Home.svelte";
import type { Document } from "../lib/bindings";
import { createHostBackend, type HostBackend } from "./host";
import searchCase from "../../../tests/contract/ui-search.json";

export const CLOSED_CASE_ID = "case-closed";
export const AYNUR_ID = "person-aynur";
export const TESTIMONY_ID = "testimony-hotel";
export const PRESSURE_ID = "incident-pressure";
export const NOTICE_ID = "incident-notice";
export const ORG_ID = "org-knb";
export const XSS = "<img src=x onerror=alert(1)>";

/** The seed of the contract case ui-search.json, whose cases pin what search finds in it. */
export function searchSeed(): Partial<Omit<Document, "format" | "version">> {
  return structuredClone(searchCase.seed) as unknown as Partial<Omit<Document, "format" | "version">>;
}

export function searchBackend(): Promise<HostBackend> {
  return createHostBackend({ exists: true, unlocked: true, seed: searchSeed() });
}

/** Home (as App shows it once unlocked), switched to the search view. */
export async function renderSearch(given?: HostBackend) {
  const backend = given ?? (await searchBackend());
  const user = userEvent.setup();
  const onLocked = vi.fn();
  render(Home, { props: { backend, status: null, onRefresh: vi.fn(), onLockSettings: vi.fn(), onLocked } });
  await user.click(screen.getByTestId("nav-search"));
  await screen.findByTestId("search-view");
  return { user, backend, onLocked };
}
