// A small vault for the case-view tests: the Moldashev case from the
// report's samples (a person with Latin and Cyrillic aliases and one
// incident naming him as victim), and a second case to add him to.
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import CaseView from "../components/cases/CaseView.svelte";
import type { Case, Document, Incident, Person } from "../lib/bindings";
import { createHostBackend, type HostBackend, type HostOptions } from "./host";
import moldashevCase from "../../../tests/contract/ui-moldashev.json";

export const CASE_ID = "case-moldashev";
export const OTHER_CASE_ID = "case-other";
export const PERSON_ID = "person-moldashev";
export const INCIDENT_ID = "incident-hotel";

export function caseRecord(id: string, title: string, extra: Partial<Case> = {}): Case {
  return { id, title, status: "open", tags: [], host_countries: [], ...extra };
}

/**
 * The vault itself is the seed of the contract case ui-moldashev.json, so
 * the cases pin what the pickers and the duplicate check find in it.
 */
export function seed(): Partial<Omit<Document, "format" | "version">> {
  return structuredClone(moldashevCase.seed) as unknown as Partial<Omit<Document, "format" | "version">>;
}

export const moldashev: Person = seed().persons!.find((p) => p.id === PERSON_ID)!;
export const hotelIncident: Incident = seed().incidents!.find((i) => i.id === INCIDENT_ID)!;

export function seededBackend(opts: HostOptions = {}): Promise<HostBackend> {
  return createHostBackend({ exists: true, unlocked: true, seed: seed(), ...opts });
}

/** Renders one case view (as Home would) and waits for it to load. */
export async function renderCase(given?: HostBackend, id = CASE_ID) {
  const backend = given ?? (await seededBackend());
  const user = userEvent.setup();
  const onBack = vi.fn();
  const onLocked = vi.fn();
  const result = render(CaseView, { props: { backend, id, onBack, onLocked } });
  await screen.findByTestId("case-title");
  return { user, backend, onBack, onLocked, ...result };
}

