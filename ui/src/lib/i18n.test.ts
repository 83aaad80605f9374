import { describe, expect, it } from "vitest";
import en from "../locales/en.json";
import ru from "../locales/ru.json";
import { ERROR_CODES } from "./errors";
import { hasKey, setLocale, t, translate } from "./i18n";

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

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe("locale files", () => {
  it("have exactly the same keys in English and Russian", () => {
    const enKeys = [...flatEn.keys()].sort();
    const ruKeys = [...flatRu.keys()].sort();
    expect(ruKeys.filter((k) => !flatEn.has(k))).toEqual([]);
    expect(enKeys.filter((k) => !flatRu.has(k))).toEqual([]);
    expect(ruKeys).toEqual(enKeys);
  });

  it("have no empty or non-string values", () => {
    for (const [name, flat] of [["en", flatEn], ["ru", flatRu]] as const) {
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

  it("really are Russian in ru.json (Cyrillic in every sentence)", () => {
    const latinOnly = [...flatRu]
      .filter(([key]) => !key.startsWith("languages.") && !key.startsWith("about.") && key !== "app.name")
      .filter(([, v]) => !/[А-Яа-яЁё]/.test(v as string));
    expect(latinOnly).toEqual([]);
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
