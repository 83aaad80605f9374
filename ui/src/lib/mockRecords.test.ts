// The mock must refuse what the core refuses (model/edit.rs, vault/store.rs),
// or UI tests pass against behaviour the app will never see.
import { describe, expect, it } from "vitest";
import type { Incident, Person } from "./bindings";
import { CASE_ID, INCIDENT_ID, OTHER_CASE_ID, PERSON_ID, hotelIncident, moldashev, seededBackend } from "../test/fixtures";

function invalid(text: string) {
  return expect.objectContaining({ code: "invalid_input", message: expect.stringContaining(text) });
}

describe("mock record store", () => {
  it("amends with a reason, refuses a blank reason, no change, or a change of kind", async () => {
    const b = seededBackend();
    const renamed: Incident = { ...hotelIncident, title: "Followed from the Hotel Ukraina" };
    await expect(b.recordAmend({ record: { kind: "incident", record: renamed }, reason: "  " })).rejects.toEqual(
      invalid("reason: say why the record is amended"),
    );
    expect(await b.recordAmend({ record: { kind: "incident", record: renamed }, reason: "name confirmed" })).toBe(2);
    await expect(b.recordAmend({ record: { kind: "incident", record: renamed }, reason: "again" })).rejects.toEqual(
      invalid("nothing was changed"),
    );
    // null and absent optional fields are the same data, as after the core's round trip.
    const withNulls = { ...renamed, end: null, timezone: null } as unknown as Incident;
    await expect(b.recordAmend({ record: { kind: "incident", record: withNulls }, reason: "again" })).rejects.toEqual(
      invalid("nothing was changed"),
    );
    await expect(
      b.recordAmend({ record: { kind: "person", record: { ...moldashev, id: INCIDENT_ID } }, reason: "x" }),
    ).rejects.toEqual(invalid(`"${INCIDENT_ID}" is a incident, not a person`));
    // An amendment is validated like an import.
    await expect(
      b.recordAmend({ record: { kind: "incident", record: { ...renamed, victims: ["nobody"] } }, reason: "x" }),
    ).rejects.toEqual(invalid(`Not saved; nothing was changed. incident "${INCIDENT_ID}", victims/witnesses: refers to person "nobody"`));

    const history = await b.recordHistory({ id: INCIDENT_ID });
    expect(history.map((v) => [v.version, v.note, v.changed_by])).toEqual([
      [1, "imported", "caseworker"],
      [2, "name confirmed", "caseworker"],
    ]);
    expect((history[1].data as Incident).title).toBe("Followed from the Hotel Ukraina");
    // The core sends an absent optional as null.
    expect((history[1].data as Record<string, unknown>).end).toBeNull();
    const meta = (await b.caseGet({ id: CASE_ID })).meta.find((m) => m.id === INCIDENT_ID);
    expect(meta?.version).toBe(2);
  });

  it("refuses to trash a referenced record, naming the referrer, and needs a reason", async () => {
    const b = seededBackend();
    await expect(b.recordTrash({ id: PERSON_ID, reason: "" })).rejects.toEqual(invalid("reason: say why"));
    await expect(b.recordTrash({ id: PERSON_ID, reason: "dup" })).rejects.toEqual(
      invalid(`record: "${PERSON_ID}" is still referred to by incident "${INCIDENT_ID}"; trash or amend those first`),
    );
    await b.recordTrash({ id: INCIDENT_ID, reason: "dup" });
    await expect(b.recordTrash({ id: INCIDENT_ID, reason: "dup" })).rejects.toEqual(invalid("is already in the trash"));
    await expect(
      b.recordAmend({ record: { kind: "incident", record: { ...hotelIncident, title: "x" } }, reason: "x" }),
    ).rejects.toEqual(invalid("it is in the trash; restore it before amending"));
    const detail = await b.caseGet({ id: CASE_ID });
    expect(detail.incidents).toEqual([]);
    expect(detail.trash.map((r) => [r.id, r.reason])).toEqual([[INCIDENT_ID, "dup"]]);
    expect((await b.casesList()).find((c) => c.id === CASE_ID)?.incidents).toBe(0);
  });

  it("trashes a case with what is only its own and restores them together", async () => {
    const b = seededBackend();
    await b.recordTrash({ id: CASE_ID, reason: "opened by mistake" });
    expect((await b.trashList()).map((r) => r.id).sort()).toEqual([CASE_ID, INCIDENT_ID, PERSON_ID].sort());
    await expect(b.caseGet({ id: CASE_ID })).rejects.toEqual(invalid("is in the trash; restore it to open it"));
    expect((await b.casesList()).map((c) => c.id)).toEqual([OTHER_CASE_ID]);
    // The incident cannot come back while its case is in the trash.
    await expect(b.recordRestore({ id: INCIDENT_ID })).rejects.toEqual(
      invalid(`"${INCIDENT_ID}" refers to case "${CASE_ID}", person "${PERSON_ID}", still in the trash; restore that first`),
    );
    expect(await b.recordRestore({ id: CASE_ID })).toBe(3);
    expect(await b.trashList()).toEqual([]);
    const detail = await b.caseGet({ id: CASE_ID });
    expect(detail.persons.map((p) => p.id)).toEqual([PERSON_ID]);
    expect(detail.incidents.map((i) => i.id)).toEqual([INCIDENT_ID]);
  });

  it("does not trash a case while someone with a role in it also belongs to another case", async () => {
    const b = seededBackend();
    const both: Person = { ...moldashev, case_roles: [...moldashev.case_roles, { case: OTHER_CASE_ID, role: "relative" }] };
    await b.recordAmend({ record: { kind: "person", record: both }, reason: "added to case" });
    await expect(b.recordTrash({ id: CASE_ID, reason: "x" })).rejects.toEqual(invalid(`"${CASE_ID}" is still referred to by person "${PERSON_ID}"`));
  });

  it("finds people by any name, with the name that matched, how it matched and their cases", async () => {
    const b = seededBackend();
    expect(await b.personsFind({ query: "Молдаш" })).toEqual([
      {
        id: PERSON_ID,
        names: ["Daniyar Moldashev", "Daniar Moldashev", "Молдашев Данияр"],
        matched: "Молдашев Данияр",
        how: "exact",
        cases: [CASE_ID],
      },
    ]);
    expect((await b.personsFind({ query: "daniar" }))[0].matched).toBe("Daniar Moldashev");
    expect(await b.personsFind({ query: "   " })).toEqual([]);
    expect(await b.personsFind({ query: "zzz" })).toEqual([]);
  });

  it("keeps drafts by key, validates keys and replaces on save", async () => {
    const b = seededBackend();
    expect(await b.draftLoad({ key: "testimony:case-a" })).toBeNull();
    await b.draftSave({ key: "testimony:case-a", data: { statement: "one" } });
    await b.draftSave({ key: "testimony:case-a", data: { statement: "two" } });
    const d = await b.draftLoad({ key: "testimony:case-a" });
    expect(d?.data).toEqual({ statement: "two" });
    expect(d?.saved_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await expect(b.draftSave({ key: "has space", data: {} })).rejects.toEqual(invalid("draft: a draft key"));
    await b.draftDiscard({ key: "testimony:case-a" });
    expect(await b.draftLoad({ key: "testimony:case-a" })).toBeNull();
  });

  it("lists organisations and sources; the case shows those its incidents cite", async () => {
    const b = seededBackend();
    await b.recordsAdd({
      format: "casevault-interchange",
      version: 1,
      cases: [],
      persons: [],
      organisations: [{ id: "org-knb", name: "KNB", kind: "security_service", country: "KZ" }],
      incidents: [],
      proceedings: [],
      sources: [{ id: "src-1", source_type: "media", citation: "Vlast.kz", reliability: "B", credibility: 2 }],
      testimonies: [],
      interventions: [],
    });
    expect((await b.organisationsList()).map((o) => o.id)).toEqual(["org-knb"]);
    expect((await b.sourcesList()).map((s) => s.id)).toEqual(["src-1"]);
    expect((await b.caseGet({ id: CASE_ID })).sources).toEqual([]);
    const cited: Incident = {
      ...hotelIncident,
      sources: ["src-1"],
      perpetrators: [{ organisation: "org-knb", involvement: "ordered", attribution: "credible" }],
    };
    await b.recordAmend({ record: { kind: "incident", record: cited }, reason: "cites" });
    const detail = await b.caseGet({ id: CASE_ID });
    expect(detail.sources.map((s) => s.id)).toEqual(["src-1"]);
    expect(detail.organisations.map((o) => o.id)).toEqual(["org-knb"]);
    expect(detail.meta.map((m) => m.id)).toEqual(expect.arrayContaining([CASE_ID, PERSON_ID, INCIDENT_ID, "src-1", "org-knb"]));
    await expect(
      b.recordsAdd({
        format: "casevault-interchange",
        version: 1,
        cases: [],
        persons: [],
        organisations: [],
        incidents: [],
        proceedings: [],
        sources: [{ id: "src-2", source_type: "media", citation: "x", reliability: "G", credibility: 7 }],
        testimonies: [],
        interventions: [],
      }),
    ).rejects.toEqual(expect.objectContaining({ code: "import_rejected", message: expect.stringContaining("must be a letter from A") }));
  });
});
