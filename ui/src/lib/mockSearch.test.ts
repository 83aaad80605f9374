// The mock's search, names, merge and analysis follow the core's rules
// (model/search.rs, model/names.rs, edit::merge_persons); UI tests lean on them.
import { describe, expect, it } from "vitest";
import type { Person } from "./bindings";
import { matchName, nameKeys } from "./mockNames";
import { parseQuery } from "./mockSearch";
import { CASE_ID, INCIDENT_ID, OTHER_CASE_ID, PERSON_ID } from "../test/fixtures";
import { AYNUR_ID, CLOSED_CASE_ID, NOTICE_ID, PRESSURE_ID, TESTIMONY_ID, XSS, searchBackend } from "../test/searchFixtures";

describe("mock name keys", () => {
  // A few of the core's pairs (names.rs tests): one person, two spellings.
  const SAME = [
    ["Daniyar Moldashev", "Молдашев Данияр"],
    ["Daniar Moldashev", "Daniyar Moldashev"],
    ["Aynur Kurmanov", "Ainur Kurmanov"],
    ["Ainur Kurmanov", "Айнур Курманов"],
    ["Amirjan Kosanov", "Amirzhan Kosanov"],
    ["Mukhtar Ablyazov", "Мухтар Аблязов"],
    ["Evgeny Jovtis", "Yevgeniy Zhovtis"],
    ["Shchukin", "Щукин"],
    ["Tsoi", "Tsoy"],
    ["Jakishev", "Dzhakishev"],
    ["Kassym", "Қасым"],
    ["Pyotr Svoik", "Петр Своик"],
  ];

  it("gives spellings of one name the same keys, both ways", () => {
    for (const [a, b] of SAME) {
      expect([...nameKeys(a)].sort(), `${a} / ${b}`).toEqual([...nameKeys(b)].sort());
      expect(["exact", "variant"], `${a} → ${b}`).toContain(matchName(a, b)?.how);
    }
  });

  it("ranks exact, variant and fuzzy as the core does, and keeps different people apart", () => {
    expect(matchName("moldashev", "Daniyar Moldashev")).toEqual({ how: "exact", edits: 0 });
    expect(matchName("Молдашев", "Daniyar Moldashev")).toEqual({ how: "variant", edits: 0 });
    expect(matchName("Moldashov", "Daniyar Moldashev")).toEqual({ how: "fuzzy", edits: 1 });
    expect(matchName("Молд", "Daniyar Moldashev")?.how).toBe("variant");
    expect(matchName("Moldashev", "Kurmanov")).toBeNull();
    expect(matchName("Aliyev", "Musayev")).toBeNull();
    expect(matchName("   ", "Moldashev")).toBeNull();
  });
});

describe("mock search", () => {
  it("parses words, phrases and prefixes like fts_query, and refuses a query over 500 characters", () => {
    expect(parseQuery("")).toBeNull();
    expect(parseQuery("NOT ( ) ^ : -")).toEqual([{ words: ["not"], prefix: false }]);
    expect(parseQuery('слеж* "from the hotel"')).toEqual([
      { words: ["слеж"], prefix: true },
      { words: ["from", "the", "hotel"], prefix: false },
    ]);
    expect(() => parseQuery("x".repeat(501))).toThrow();
    try {
      parseQuery("x".repeat(501));
    } catch (e) {
      expect(e).toEqual({ code: "invalid_input", message: expect.stringContaining("query: the search is 501 characters long") });
    }
  });

  it("finds every kind of record, marks the matched words and keeps markup as text", async () => {
    const b = searchBackend();
    const r = await b.search({ text: "hotel", filters: { act_types: [], countries: [] }, limit: 50 });
    expect(r.truncated).toBe(false);
    const ids = r.hits.map((h) => h.record_id);
    expect(ids).toEqual(expect.arrayContaining([INCIDENT_ID, PRESSURE_ID, TESTIMONY_ID]));
    const t = r.hits.find((h) => h.record_id === TESTIMONY_ID)!;
    expect(t).toMatchObject({ kind: "testimony", case_id: CASE_ID, case_title: "Moldashev: surveillance in Moscow", title: "" });
    expect(t.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(["hotel"]);
    expect(t.snippet.map((p) => p.text).join("")).toContain(XSS);

    // Every word must match; a phrase must match in order; a prefix matches the start of a word.
    const words = await b.search({ text: "hotel embassy", filters: { act_types: [], countries: [] }, limit: 50 });
    expect(words.hits.map((h) => h.record_id).sort()).toEqual([INCIDENT_ID, TESTIMONY_ID].sort());
    const phrase = await b.search({ text: '"embassy hotel"', filters: { act_types: [], countries: [] }, limit: 50 });
    expect(phrase.hits).toEqual([]);
    const prefix = await b.search({ text: "questio*", filters: { act_types: [], countries: [] }, limit: 50 });
    expect(prefix.hits.map((h) => h.record_id)).toEqual([PRESSURE_ID]);

    const one = await b.search({ text: "hotel", filters: { act_types: [], countries: [] }, limit: 1 });
    expect(one.hits).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });

  it("filters by act type, country, dates, status and consent, and lists incidents for filters alone", async () => {
    const b = searchBackend();
    const none = { act_types: [], countries: [] };
    const ids = async (text: string, filters: object) =>
      (await b.search({ text, filters: { ...none, ...filters }, limit: 50 })).hits.map((h) => h.record_id);
    expect(await ids("", {})).toEqual([]);
    expect(await ids("", { from: "2010" })).toEqual([PRESSURE_ID, NOTICE_ID]);
    expect(await ids("", { to: "March 2008" })).toEqual([INCIDENT_ID]);
    expect(await ids("", { countries: ["TR"] })).toEqual([NOTICE_ID]);
    expect(await ids("", { case_status: "closed" })).toEqual([NOTICE_ID]);
    expect(await ids("", { perpetrator: "org-knb" })).toEqual([PRESSURE_ID]);
    expect(await ids("hotel", { act_types: ["coercion_by_proxy"] })).toEqual([PRESSURE_ID]);
    expect(await ids("hotel", { consent: "lawyers" })).toEqual([TESTIMONY_ID]);
    expect(await ids("hotel", { consent: "media" })).toEqual([]);
    await expect(b.search({ text: "", filters: { ...none, from: "Mai 2008" }, limit: 5 })).rejects.toEqual(
      expect.objectContaining({ code: "invalid_input", message: expect.stringContaining("from: ") }),
    );
    await expect(b.search({ text: "x", filters: { ...none, consent: "everyone" }, limit: 5 })).rejects.toEqual(
      expect.objectContaining({ code: "invalid_input" }),
    );
  });

  it("counts incidents by type, route, perpetrator and year, with a timeline earliest first", async () => {
    const b = searchBackend();
    const a = await b.analysis({ act_types: [], countries: [] });
    expect(a.incidents).toBe(3);
    expect(a.cases).toBe(3);
    expect(a.by_route).toEqual([
      { label: "KZ→KZ", count: 1 },
      { label: "KZ→RU", count: 1 },
      { label: "TJ→TR", count: 1 },
    ]);
    expect(a.by_perpetrator).toEqual([{ label: "National Security Committee (KNB)", count: 1 }]);
    expect(a.by_year.map((c) => c.label)).toEqual(["2008", "2012", "2015"]);
    expect(a.timeline.map((i) => i.incident_id)).toEqual([INCIDENT_ID, PRESSURE_ID, NOTICE_ID]);
    const closed = await b.analysis({ act_types: [], countries: [], case_status: "closed" });
    expect(closed.timeline).toEqual([
      expect.objectContaining({ incident_id: NOTICE_ID, case_id: CLOSED_CASE_ID, year: 2015, start: "2015-06-02" }),
    ]);
  });
});

describe("mock duplicates and merge", () => {
  it("finds people who may be the one being added, but not by a mere typo", async () => {
    const b = searchBackend();
    const draft = (name: string): Person => ({
      id: "person-new",
      names: [{ name, kind: "primary" }],
      citizenships: [],
      protected: false,
      relationships: [],
      case_roles: [],
    });
    expect((await b.personDuplicates(draft("Айнур Жаксыбекова"))).map((h) => [h.id, h.how])).toEqual([[AYNUR_ID, "variant"]]);
    expect(await b.personDuplicates(draft("Ainyr Zhaksybekova"))).toEqual([]);
    expect(await b.personDuplicates(draft("Ivan Petrov"))).toEqual([]);
  });

  it("merges names, roles and references into the person kept and trashes the other, with the reason", async () => {
    const b = searchBackend();
    await expect(b.personsMerge({ keep: PERSON_ID, other: AYNUR_ID, reason: " " })).rejects.toEqual(
      expect.objectContaining({ message: expect.stringContaining("reason: ") }),
    );
    await expect(b.personsMerge({ keep: PERSON_ID, other: PERSON_ID, reason: "x" })).rejects.toEqual(
      expect.objectContaining({ message: "person: choose two different persons" }),
    );
    await b.personsMerge({ keep: AYNUR_ID, other: PERSON_ID, reason: "same passport number" });
    const kept = (await b.recordHistory({ id: AYNUR_ID })).at(-1)!;
    expect(kept.note).toBe(`merged person "${PERSON_ID}" into "${AYNUR_ID}": same passport number`);
    expect(kept.data).toMatchObject({
      names: [
        { name: "Aynur Zhaksybekova", kind: "primary" },
        { name: "Daniyar Moldashev", kind: "alias" },
        { name: "Daniar Moldashev", kind: "transliteration" },
        { name: "Молдашев Данияр", kind: "original_script" },
      ],
      case_roles: [
        { case: OTHER_CASE_ID, role: "relative" },
        { case: CASE_ID, role: "victim" },
      ],
    });
    const detail = await b.caseGet({ id: CASE_ID });
    expect(detail.incidents[0].victims).toEqual([AYNUR_ID]);
    expect(detail.testimonies[0].person).toBe(AYNUR_ID);
    expect(detail.persons.map((p) => p.id)).toEqual([AYNUR_ID]);
    const trashed = (await b.trashList()).find((r) => r.id === PERSON_ID);
    expect(trashed?.reason).toBe(`merged into "${AYNUR_ID}": same passport number`);
  });
});
