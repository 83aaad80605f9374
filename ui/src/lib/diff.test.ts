import { describe, expect, it } from "vitest";
import { diffData, formatValue } from "./diff";

describe("diffData", () => {
  it("lists changed top-level fields with old and new values as text", () => {
    const before = { id: "i", title: "Followed", victims: ["a"], place: { city: "Moscow", country: null }, end: null };
    const after = { id: "i", title: "Followed home", victims: ["a", "b"], place: { city: "Almaty", country: "KZ" }, end: null };
    expect(diffData(before, after)).toEqual([
      { field: "title", before: "Followed", after: "Followed home" },
      { field: "victims", before: "a", after: "a, b" },
      { field: "place", before: '{"city":"Moscow"}', after: '{"city":"Almaty","country":"KZ"}' },
    ]);
  });

  it("treats absent, null, empty text and empty lists as the same", () => {
    expect(diffData({ a: null, b: [], c: "" }, { d: undefined })).toEqual([]);
    expect(diffData({ risk: null }, { risk: "high" })).toEqual([{ field: "risk", before: "", after: "high" }]);
    expect(diffData(null, { protected: true })).toEqual([{ field: "protected", before: "", after: "true" }]);
  });

  it("formats values", () => {
    expect(formatValue(2)).toBe("2");
    expect(formatValue(false)).toBe("false");
    expect(formatValue([{ label: "x", date: "2019" }])).toBe('[{"label":"x","date":"2019"}]');
  });
});
