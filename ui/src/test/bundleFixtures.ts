// The Moldashev case (fixtures.ts) with what an export to lawyers has to
// handle: a protected witness who may appear only under her pseudonym (in
// her own record, in free text and in ids), a testimony whose consent
// covers lawyers, and one whose consent does not.
import type { Document, Person, Testimony } from "../lib/bindings";
import { CASE_ID, PERSON_ID, seed } from "./fixtures";

export const PROTECTED_ID = "person-sultanova";
export const SHARED_TESTIMONY = "testimony-witness";
export const WITHHELD_TESTIMONY = "testimony-moldashev";

export const sultanova: Person = {
  id: PROTECTED_ID,
  names: [
    { name: "Aigerim Sultanova", kind: "primary" },
    { name: "Султанова Айгерим", kind: "original_script" },
  ],
  citizenships: ["KZ"],
  protected: true,
  pseudonym: "Witness A",
  relationships: [],
  case_roles: [{ case: CASE_ID, role: "witness" }],
};

const consent = { record: true, share_lawyers: true, share_courts: false, share_un: false, share_media: false, publish: false };

export const testimonies: Testimony[] = [
  {
    id: SHARED_TESTIMONY,
    case: CASE_ID,
    person: PROTECTED_ID,
    language: "ru",
    statement: "Sultanova saw two men follow him from the hotel.",
    consent,
  },
  {
    id: WITHHELD_TESTIMONY,
    case: CASE_ID,
    person: PERSON_ID,
    language: "ru",
    statement: "I was followed for three days.",
    consent: { ...consent, share_lawyers: false },
  },
];

export function bundleSeed(): Partial<Omit<Document, "format" | "version">> {
  const base = seed();
  const incident = { ...base.incidents![0], witnesses: [PROTECTED_ID], description: "Aigerim Sultanova saw two men follow him." };
  return { ...base, persons: [...base.persons!, structuredClone(sultanova)], incidents: [incident], testimonies: structuredClone(testimonies) };
}
