import { describe, expect, it } from "vitest";
import { countryName, countryProblem } from "./countries";

describe("countries", () => {
  it("names a code in the reader's language", () => {
    expect(countryName("kz", "en")).toBe("Kazakhstan");
    expect(countryName("KZ", "ru")).toBe("Казахстан");
  });

  it("flags malformed and unknown codes; blank is fine", () => {
    expect(countryProblem("", "en")).toBeNull();
    expect(countryProblem(" ru ", "en")).toBeNull();
    expect(countryProblem("RUS", "en")).toBe("format");
    expect(countryProblem("R1", "en")).toBe("format");
    expect(countryProblem("XX", "en")).toBe("unknown");
    expect(countryProblem("ZZ", "en")).toBe("unknown");
  });
});
