// A vault for the search tests: the two Moldashev cases of fixtures.ts,
// plus a testimony whose text holds markup, an incident in another case
// with an organisation as perpetrator, a closed case, and a person known
// only by a Latin spelling (for matches across scripts).
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import Home from "../components/Home.svelte";
import type { Document, Incident, Person, Testimony } from "../lib/bindings";
import { createMockBackend, type MockBackend } from "../lib/mockBackend";
import { CASE_ID, OTHER_CASE_ID, PERSON_ID, caseRecord, hotelIncident, seed } from "./fixtures";

export const CLOSED_CASE_ID = "case-closed";
export const AYNUR_ID = "person-aynur";
export const TESTIMONY_ID = "testimony-hotel";
export const PRESSURE_ID = "incident-pressure";
export const NOTICE_ID = "incident-notice";
export const ORG_ID = "org-knb";
export const XSS = "<img src=x onerror=alert(1)>";

export const aynur: Person = {
  id: AYNUR_ID,
  names: [{ name: "Aynur Zhaksybekova", kind: "primary" }],
  citizenships: ["KZ"],
  protected: false,
  relationships: [],
  case_roles: [{ case: OTHER_CASE_ID, role: "relative" }],
};

const testimony: Testimony = {
  id: TESTIMONY_ID,
  case: CASE_ID,
  person: PERSON_ID,
  language: "en",
  statement: `Two men followed me from the hotel ${XSS} and waited outside the embassy.`,
  consent: { record: true, share_lawyers: true, share_courts: false, share_un: false, share_media: false, publish: false },
};

function incident(id: string, caseId: string, title: string, act_type: string, start: string, extra: Partial<Incident> = {}): Incident {
  return { ...hotelIncident, id, case: caseId, title, act_type, start, description: "", victims: [], ...extra };
}

export function searchSeed(): Partial<Omit<Document, "format" | "version">> {
  const s = seed();
  return {
    ...s,
    cases: [
      caseRecord(CASE_ID, "Moldashev: surveillance in Moscow", { origin_country: "KZ" }),
      caseRecord(OTHER_CASE_ID, "Moldashev family: pressure on relatives", { status: "monitoring", origin_country: "KZ", host_countries: ["AT"] }),
      caseRecord(CLOSED_CASE_ID, "Interpol notice against a blogger", { status: "closed", origin_country: "TJ", host_countries: ["TR"] }),
    ],
    persons: [...s.persons!, structuredClone(aynur)],
    organisations: [{ id: ORG_ID, name: "National Security Committee (KNB)", kind: "security_service", country: "KZ" }],
    incidents: [
      ...s.incidents!,
      incident(PRESSURE_ID, OTHER_CASE_ID, "Relatives questioned about the hotel", "coercion_by_proxy", "2012", {
        place: { city: "Almaty", country: "KZ" },
        description: "Officers told his sister to make him stop.",
        perpetrators: [{ organisation: ORG_ID, involvement: "carried_out", attribution: "credible" }],
      }),
      incident(NOTICE_ID, CLOSED_CASE_ID, "Red Notice published", "interpol_red_notice", "2015-06-02", {
        place: { city: "Istanbul", country: "TR" },
        origin_state: "TJ",
        host_state: "TR",
      }),
    ],
    testimonies: [testimony],
  };
}

export function searchBackend(): MockBackend {
  return createMockBackend({ exists: true, unlocked: true, seed: searchSeed() });
}

/** Home (as App shows it once unlocked), switched to the search view. */
export async function renderSearch(backend: MockBackend = searchBackend()) {
  const user = userEvent.setup();
  const onLocked = vi.fn();
  render(Home, { props: { backend, status: null, onRefresh: vi.fn(), onLockSettings: vi.fn(), onLocked } });
  await user.click(screen.getByTestId("nav-search"));
  await screen.findByTestId("search-view");
  return { user, backend, onLocked };
}
