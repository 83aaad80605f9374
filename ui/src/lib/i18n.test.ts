import { afterEach, describe, expect, it, vi } from "vitest";
import en from "../locales/en.json";
import kk from "../locales/kk.json";
import ru from "../locales/ru.json";
import { ERROR_CODES } from "./errors";
import { defaultLocale, dossierLanguage, hasKey, LOCALES, messages, setLocale, t, translate, vocabLanguage } from "./i18n";
import { labelOf, termLabel } from "./records";

/** Flattens a nested message tree into dotted key → value. */
function flatten(tree: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null) for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

const flatEn = flatten(en);
const flatRu = flatten(ru);
const flatKk = flatten(kk);

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe("locale files", () => {
  // The record history and the conflict review name each changed field;
  // the interchange schema (generated from the model's types) lists them.
  it("name every field of every record kind, for the history and the conflict review", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    // vitest runs in ui/; the schema is the repository's.
    const schema = JSON.parse(readFileSync(join(process.cwd(), "..", "docs", "interchange.schema.json"), "utf8"));
    const defs = schema.$defs ?? schema.definitions;
    const kinds = ["Case", "Person", "Organisation", "Incident", "Proceeding", "Source", "Testimony", "Intervention"];
    const fields = new Set(kinds.flatMap((k) => Object.keys(defs[k].properties)).filter((f) => f !== "id"));
    expect(fields.size).toBeGreaterThan(40);
    for (const flat of [flatEn, flatRu, flatKk]) {
      expect([...fields].filter((f) => !flat.has(`history.fields.${f}`))).toEqual([]);
    }
  });

  it("have exactly the same keys in English, Russian and Kazakh", () => {
    const enKeys = [...flatEn.keys()].sort();
    for (const flat of [flatRu, flatKk]) {
      const keys = [...flat.keys()].sort();
      expect(keys.filter((k) => !flatEn.has(k))).toEqual([]);
      expect(enKeys.filter((k) => !flat.has(k))).toEqual([]);
      expect(keys).toEqual(enKeys);
    }
  });

  it("have no empty or non-string values", () => {
    for (const [name, flat] of [["en", flatEn], ["ru", flatRu], ["kk", flatKk]] as const) {
      for (const [key, value] of flat) {
        expect(typeof value, `${name}:${key}`).toBe("string");
        expect((value as string).trim(), `${name}:${key}`).not.toBe("");
      }
    }
  });

  it("use the same {placeholders} in both languages", () => {
    for (const [key, value] of flatEn) {
      expect(placeholders(flatRu.get(key) as string), key).toEqual(placeholders(value as string));
    }
  });

  it("translate every ErrorCode", () => {
    for (const code of ERROR_CODES) {
      expect(flatEn.get(`errors.${code}`), code).toBeTruthy();
      expect(flatRu.get(`errors.${code}`), code).toBeTruthy();
    }
  });

  it("name every UI language in every catalogue, each in its own language", () => {
    for (const l of LOCALES) {
      expect(flatEn.get(`languages.${l}`), l).toBeTruthy();
      expect(flatRu.get(`languages.${l}`), l).toBe(flatEn.get(`languages.${l}`));
      expect(flatKk.get(`languages.${l}`), l).toBe(flatEn.get(`languages.${l}`));
    }
    expect(flatEn.get("languages.kk")).toBe("Қазақша");
  });

  it("leave no English string untranslated in ru.json or kk.json (\"Testimony added.\")", () => {
    // Names of languages and of programs are the same in every catalogue.
    const names = (key: string) => key.startsWith("languages.") || key.startsWith("about.") || key === "app.name";
    for (const flat of [flatRu, flatKk]) {
      const english = [...flat].filter(([key, value]) => !names(key) && value === flatEn.get(key));
      expect(english).toEqual([]);
    }
    expect(flatRu.get("case.testimonyAdded")).toBe("Показания добавлены.");
    expect(flatKk.get("case.testimonyAdded")).toBe("Айғақ қосылды.");
  });

  it("call interventions actions in defence in Russian, not \"вмешательства\" (interference)", () => {
    expect([...flatRu].filter(([, v]) => /вмешательств/i.test(v as string))).toEqual([]);
    expect(flatRu.get("interventions.title")).toBe("Действия в защиту");
  });

  it("really are Russian in ru.json (Cyrillic in every sentence)", () => {
    const latinOnly = [...flatRu]
      .filter(([key]) => !key.startsWith("languages.") && !key.startsWith("about.") && key !== "app.name")
      .filter(([, v]) => !/[А-Яа-яЁё]/.test(v as string));
    expect(latinOnly).toEqual([]);
  });
});

describe("the Kazakh catalogue", () => {
  const sectionKeys = (flat: Map<string, unknown>, section: string) => [...flat.keys()].filter((k) => k.startsWith(`${section}.`)).sort();

  it("has no key that English lacks", () => {
    expect([...flatKk.keys()].filter((k) => !flatEn.has(k))).toEqual([]);
  });

  it("keeps the {placeholders} of English in every string", () => {
    for (const [key, value] of flatKk) {
      expect(placeholders(value as string), key).toEqual(placeholders(flatEn.get(key) as string));
    }
  });

  // Every screen: the reporter's and the organisation's.
  it.each(Object.keys(en))("translates the whole %s section", (section) => {
    const wanted = sectionKeys(flatEn, section);
    expect(wanted.length, section).toBeGreaterThan(0);
    expect(sectionKeys(flatKk, section)).toEqual(wanted);
  });

  it("translates the quick exit wherever it is mentioned", () => {
    const quick = [...flatEn].filter(([k, v]) => /quick exit/i.test(v as string) || /quickExit/.test(k)).map(([k]) => k);
    expect(quick.length).toBeGreaterThanOrEqual(4);
    for (const key of quick) expect(flatKk.has(key), key).toBe(true);
  });

  it("translates every ErrorCode", () => {
    for (const code of ERROR_CODES) expect(flatKk.get(`errors.${code}`), code).toBeTruthy();
  });

  it("really is Kazakh: Cyrillic in every sentence, Kazakh letters throughout, no Russian-only letters", () => {
    const sentences = [...flatKk].filter(([key]) => !key.startsWith("languages.") && !key.startsWith("about.") && key !== "app.name");
    expect(sentences.filter(([, v]) => !/[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/.test(v as string))).toEqual([]);
    // Most strings use a letter Russian does not have.
    const kazakh = sentences.filter(([, v]) => /[ӘәҒғҚқҢңӨөҰұҮүҺһІі]/.test(v as string));
    expect(kazakh.length / sentences.length).toBeGreaterThan(0.8);
    // Look-alike Latin letters typed in place of Kazakh ones (e.g. Latin "i" for "і") inside a Cyrillic word.
    const mixed = sentences.filter(([, v]) => /[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][aceiopxyACEHIKMOPTXY]|[aceiopxyACEHIKMOPTXY][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/.test(v as string));
    expect(mixed).toEqual([]);
  });

  it("suggests only dates the core's parser reads (it knows no Kazakh month names)", () => {
    const hints = ["selfReport.section.whenHint", "selfReport.problems.whenMissing", "selfReport.problems.whenInvalid", "case.incidentDateHint"];
    for (const key of hints) {
      const text = flatKk.get(key) as string;
      expect(text, key).toMatch(/\d{2}\.\d{4}/);
      expect(text, key).toContain("?");
    }
  });
});

describe("translate() in Kazakh", () => {
  it("uses the Kazakh string when there is one", () => {
    expect(translate("kk", "unlock.title")).toBe("Қойманы ашу");
    expect(translate("kk", "unlock.vaultAt", { path: "/x" })).toBe("Қойма қалтасы: /x");
    expect(translate("kk", "selfReport.stepOf", { n: 2, total: 8, name: "Не болды" })).toBe("Қадам 2 / 8: Не болды");
  });

  it("falls back to English for a key Kazakh lacks, then to the key", () => {
    // The catalogue is complete; a key added to English before its Kazakh
    // translation still shows the English text rather than the key.
    const cases = messages.kk.cases as Record<string, string>;
    const kept = cases.title;
    delete cases.title;
    try {
      expect(translate("kk", "cases.title")).toBe(flatEn.get("cases.title"));
    } finally {
      cases.title = kept;
    }
    expect(translate("kk", "cases.title")).toBe("Істер");
    expect(translate("kk", "no.such.key")).toBe("no.such.key");
  });

  it("follows setLocale and sets the document language", () => {
    setLocale("kk");
    expect(t("app.quickExit")).toBe("Жылдам шығу");
    expect(t("cases.title")).toBe("Істер");
    expect(document.documentElement.lang).toBe("kk");
    setLocale("en");
    expect(document.documentElement.lang).toBe("en");
  });
});

describe("locale choices", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("offers Kazakh", () => {
    expect(LOCALES).toEqual(["en", "ru", "kk"]);
  });

  it.each([
    ["kk-KZ", "kk"],
    ["kk", "kk"],
    ["ru-KZ", "ru"],
    ["ru", "ru"],
    ["en-US", "en"],
    ["de-DE", "en"],
  ])("picks a first language from the system's %s", (nav, expected) => {
    vi.spyOn(navigator, "language", "get").mockReturnValue(nav);
    expect(defaultLocale()).toBe(expected);
  });

  it("gives Kazakh readers Russian dossiers, and vocabulary labels in Kazakh", () => {
    expect(dossierLanguage("en")).toBe("en");
    expect(dossierLanguage("ru")).toBe("ru");
    expect(dossierLanguage("kk")).toBe("ru");
    expect(vocabLanguage("en")).toBe("en");
    expect(vocabLanguage("ru")).toBe("ru");
    expect(vocabLanguage("kk")).toBe("ru");
    const term = { code: "exit_ban", en: "Exit ban", ru: "Запрет на выезд", kk: "Елден шығуға тыйым", group: null };
    expect(termLabel(term, "en")).toBe("Exit ban");
    expect(termLabel(term, "ru")).toBe("Запрет на выезд");
    expect(termLabel(term, "kk")).toBe("Елден шығуға тыйым");
    expect(labelOf([{ name: "act type", terms: [term] }], "act type", "exit_ban", "kk")).toBe("Елден шығуға тыйым");
  });
});

describe("t()", () => {
  it("interpolates params and follows the locale", () => {
    setLocale("en");
    expect(t("unlock.vaultAt", { path: "/x" })).toBe("Vault folder: /x");
    setLocale("ru");
    expect(t("unlock.vaultAt", { path: "/x" })).toBe("Папка хранилища: /x");
    expect(document.documentElement.lang).toBe("ru");
    setLocale("en");
  });

  it("falls back to the key for unknown keys and keeps unknown placeholders", () => {
    expect(translate("en", "no.such.key")).toBe("no.such.key");
    expect(translate("en", "unlock.vaultAt", {})).toBe("Vault folder: {path}");
    expect(hasKey("errors.locked")).toBe(true);
    expect(hasKey("errors")).toBe(false);
  });
});
