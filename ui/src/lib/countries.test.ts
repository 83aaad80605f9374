import { describe, expect, it, vi } from "vitest";
import { COUNTRY_CODES, countryChoices, countryName, countryProblem } from "./countries";

describe("countries", () => {
  it("names a code in the reader's language", () => {
    expect(countryName("kz", "en")).toBe("Kazakhstan");
    expect(countryName("KZ", "ru")).toBe("Казахстан");
  });

  it("flags malformed and unknown codes; blank is fine", () => {
    expect(countryProblem("")).toBeNull();
    expect(countryProblem(" ru ")).toBeNull();
    expect(countryProblem("RUS")).toBe("format");
    expect(countryProblem("R1")).toBe("format");
    expect(countryProblem("XX")).toBe("unknown");
    expect(countryProblem("ZZ")).toBe("unknown");
  });

  it("names countries in Kazakh for a Kazakh reader, and every listed country has a name", () => {
    expect(countryName("KZ", "kk")).toBe("Қазақстан");
    expect(countryName("ru", "kk")).toBe("Ресей");
    expect(countryName("KG", "kk")).toBe("Қырғызстан");
    for (const code of COUNTRY_CODES) {
      const name = countryName(code, "kk");
      expect(name, code).toBeTruthy();
      // Never English: Cyrillic (Kazakh, or Russian where the platform lacks a Kazakh name).
      expect(name, code).toMatch(/[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/);
    }
    expect(countryProblem("KZ")).toBeNull();
    expect(countryProblem("XX")).toBe("unknown");
    const choices = countryChoices("kk");
    expect(choices).toHaveLength(COUNTRY_CODES.length);
    expect(choices.find((c) => c.code === "DE")?.name).toBe("Германия");
  });

  it("falls back to Russian names when the platform has no Kazakh ones", async () => {
    const Real = Intl.DisplayNames;
    // A platform without Kazakh data answers in its default language instead.
    class NoKazakh extends Real {
      constructor(locales: string[], options: Intl.DisplayNamesOptions) {
        super(locales.map((l) => (l === "kk" ? "en" : l)), options);
      }
    }
    Object.defineProperty(Intl, "DisplayNames", { value: NoKazakh, configurable: true, writable: true });
    try {
      vi.resetModules();
      const fresh = await import("./countries");
      expect(fresh.countryName("KZ", "kk")).toBe("Казахстан");
      expect(fresh.countryName("KZ", "en")).toBe("Kazakhstan");
      expect(fresh.countryProblem("XX")).toBe("unknown");
    } finally {
      Object.defineProperty(Intl, "DisplayNames", { value: Real, configurable: true, writable: true });
    }
  });
});
