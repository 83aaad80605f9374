import { afterEach, describe, expect, it } from "vitest";
import { toUiError } from "./backend";
import { errorDetails, errorText, problemText, problemTexts, PROBLEM_CODES } from "./errors";
import type { Problem } from "./bindings";
import en from "../locales/en.json";
import ru from "../locales/ru.json";
import kk from "../locales/kk.json";
import { setLocale } from "./i18n";

afterEach(() => setLocale("en"));

describe("error messages", () => {
  it("translate known codes and ignore the backend's English text", () => {
    setLocale("ru");
    expect(errorText({ code: "wrong_credential", message: "wrong passphrase" })).toBe("Неверная парольная фраза.");
    setLocale("en");
    expect(errorText({ code: "wrong_credential", message: "whatever" })).toBe("Wrong passphrase.");
  });

  it("show the backend message for codes the UI does not know", () => {
    expect(errorText({ code: "brand_new_code", message: "Something new went wrong" })).toBe("Something new went wrong");
  });

  it("add the backend message as details for io/internal/invalid_input only", () => {
    expect(errorDetails({ code: "io", message: "permission denied: /media/usb" })).toBe(
      "Details: permission denied: /media/usb",
    );
    expect(errorDetails({ code: "wrong_credential", message: "x" })).toBeNull();
  });

  it("normalise whatever a command rejects with", () => {
    expect(toUiError({ code: "locked", message: "m" })).toEqual({ code: "locked", message: "m" });
    expect(toUiError(new Error("boom"))).toEqual({ code: "unexpected", message: "boom" });
    expect(toUiError("plain string")).toEqual({ code: "unexpected", message: "plain string" });
  });

  it("translate validation problems from their codes and parameters, in every language", () => {
    const unknown: Problem = {
      record: "incident", id: "inc-1", field: "act_type", code: "unknown_term",
      params: { value: "physical_survelance", vocabulary: "act type", suggestion: "physical_surveillance", suggestion_label: "Physical surveillance" },
    };
    const err = { code: "invalid_input", message: "Not saved; nothing was changed. incident ... (English)", problems: [unknown] };
    setLocale("kk");
    const [kkText] = problemTexts(err);
    expect(kkText).toContain("physical_surveillance");
    expect(kkText).toContain(
      kk.problems.unknown_term_suggestion.replace("{value}", "physical_survelance").replace("{suggestion}", "physical_surveillance"),
    );
    expect(kkText).not.toContain("Did you mean");
    // The English message is not shown under translated problems.
    expect(errorDetails(err)).toBeNull();
    setLocale("ru");
    expect(problemText({ record: "", id: "", field: "", code: "file_not_json", params: { detail: "EOF" } })).toBe(ru.problems.file_not_json);
    setLocale("en");
    expect(problemText({ record: "case", id: "c-1", field: "title", code: "required", params: {} })).toBe(
      `${en.trash.kinds.case} “c-1”, title: ${en.problems.required}`,
    );
  });

  it("have a translation for every problem code in en, ru and kk", () => {
    for (const catalogue of [en, ru, kk]) {
      for (const code of PROBLEM_CODES) {
        expect((catalogue.problems as Record<string, string>)[code], code).toBeTruthy();
      }
    }
  });

  it("show a refused value in Russian and Kazakh with no English, and no English detail line", () => {
    // What the core sends for `casevault_core::Error::InvalidInput`: the
    // code, the English text for the CLI, and the problem as data.
    const cases: { problem: Problem; message: string }[] = [
      { problem: { record: "", id: "", field: "", code: "reason_required", params: {} }, message: "reason: give a reason; it is kept in the record's history" },
      { problem: { record: "", id: "", field: "", code: "not_found", params: { what: "case", id: "c-9" } }, message: "case: there is no case \"c-9\"" },
      {
        problem: { record: "", id: "", field: "", code: "date_time_needs_day", params: { suggestion: "2008-03-01 22:30", without_time: "2008-03" } },
        message: "date: a time of day needs the day too: write for example \"2008-03-01 22:30\"",
      },
    ];
    for (const [locale, catalogue] of [["ru", ru], ["kk", kk]] as const) {
      setLocale(locale);
      for (const { problem, message } of cases) {
        const err = { code: "invalid_input", message, params: {}, problems: [problem] };
        expect(errorText(err)).toBe(catalogue.errors.invalid_input);
        expect(errorDetails(err)).toBeNull();
        let want = (catalogue.problems as Record<string, string>)[problem.code];
        const params: Record<string, string> = { ...problem.params };
        if (params.what) params.what = (catalogue.problemThings as Record<string, string>)[params.what];
        for (const [name, value] of Object.entries(params)) want = want.replaceAll(`{${name}}`, value);
        expect(problemTexts(err)).toEqual([want]);
        expect(want).not.toMatch(/[{}]/);
        expect(want).not.toContain("case");
      }
    }
  });

  it("have no English words in any Russian or Kazakh problem text", () => {
    // Technical names that stay as they are in every language.
    const kept = new Set(["Casevault", "MVT", "JSON", "SSH", "ssh", "ed", "age", "AGE", "SECRET", "KEY", "UTF", "zip", "husband", "KZ", "ID"]);
    for (const catalogue of [ru, kk]) {
      for (const code of PROBLEM_CODES) {
        const text = (catalogue.problems as Record<string, string>)[code].replace(/\{[a-z_]+\}/g, "");
        const english = (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !kept.has(w));
        expect(english, `${code}: ${text}`).toEqual([]);
      }
    }
  });

  it("keep each translation's placeholders to the parameters the core sends", () => {
    for (const code of PROBLEM_CODES) {
      const names = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
      const english = names((en.problems as Record<string, string>)[code]);
      for (const catalogue of [ru, kk]) {
        expect(names((catalogue.problems as Record<string, string>)[code]).filter((n) => !english.includes(n)), code).toEqual([]);
      }
    }
  });

  it("say how many attempts remain when a wrong passphrase was counted", () => {
    setLocale("ru");
    const text = errorText({ code: "wrong_credential", message: "x", params: { attempts_left: "2" } });
    expect(text).toContain("2");
    expect(text).not.toBe(errorText({ code: "wrong_credential", message: "x" }));
  });

  it("keep params and problems when normalising", () => {
    const problems: Problem[] = [{ record: "case", id: "c", field: "title", code: "required", params: {} }];
    expect(toUiError({ code: "invalid_input", message: "m", params: {}, problems })).toEqual({ code: "invalid_input", message: "m", problems });
  });
});
