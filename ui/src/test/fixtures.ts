// A small vault for the case-view tests: the Moldashev case from the
// report's samples (a person with Latin and Cyrillic aliases and one
// incident naming him as victim), and a second case to add him to.
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import CaseView from "../components/cases/CaseView.svelte";
import type { Case, Document, Incident, Person } from "../lib/bindings";
import { createMockBackend, type MockBackend, type MockOptions } from "../lib/mockBackend";

export const CASE_ID = "case-moldashev";
export const OTHER_CASE_ID = "case-other";
export const PERSON_ID = "person-moldashev";
export const INCIDENT_ID = "incident-hotel";

export function caseRecord(id: string, title: string, extra: Partial<Case> = {}): Case {
  return { id, title, status: "open", tags: [], host_countries: [], ...extra };
}

export const moldashev: Person = {
  id: PERSON_ID,
  names: [
    { name: "Daniyar Moldashev", kind: "primary" },
    { name: "Daniar Moldashev", kind: "transliteration" },
    { name: "Молдашев Данияр", kind: "original_script" },
  ],
  citizenships: ["KZ"],
  protected: false,
  relationships: [],
  case_roles: [{ case: CASE_ID, role: "victim" }],
};

export const hotelIncident: Incident = {
  id: INCIDENT_ID,
  case: CASE_ID,
  title: "Followed from the hotel",
  act_type: "physical_surveillance",
  start: "2008-03",
  place: { city: "Moscow", country: "RU" },
  third_states: [],
  description: "Two men followed him from the hotel to the embassy.",
  victims: [PERSON_ID],
  perpetrators: [],
  witnesses: [],
  sources: [],
  related: [],
};

export function seed(): Partial<Omit<Document, "format" | "version">> {
  return {
    cases: [
      caseRecord(CASE_ID, "Moldashev: surveillance in Moscow", { origin_country: "KZ" }),
      caseRecord(OTHER_CASE_ID, "Moldashev family: pressure on relatives"),
    ],
    persons: [structuredClone(moldashev)],
    incidents: [structuredClone(hotelIncident)],
  };
}

export function seededBackend(opts: MockOptions = {}): MockBackend {
  return createMockBackend({ exists: true, unlocked: true, seed: seed(), ...opts });
}

/** Renders one case view (as Home would) and waits for it to load. */
export async function renderCase(backend: MockBackend = seededBackend(), id = CASE_ID) {
  const user = userEvent.setup();
  const onBack = vi.fn();
  const onLocked = vi.fn();
  const result = render(CaseView, { props: { backend, id, onBack, onLocked } });
  await screen.findByTestId("case-title");
  return { user, backend, onBack, onLocked, ...result };
}
