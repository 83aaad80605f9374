import { afterEach, describe, expect, it } from "vitest";
import { setLocale, t } from "./i18n";
import type { StepChoices } from "./bindings";
import { answerLabel, choiceLabel, emptyReport, problemsByStep, problemText, readableDate, resumeStep, suggestedReportName } from "./selfReport";

// The screens as report_steps gives them (model::self_report::SCREENS).
const SCREENS: StepChoices[] = ["about_me", "what_happened", "relatives", "digital", "travel", "notices", "evidence", "consent", "review", "seal"].map(
  (step) => ({
    step,
    choices:
      step === "what_happened"
        ? [{ code: "not_sure", en: "Not sure", ru: "Не знаю, как назвать", kk: "Қалай атарымды білмеймін", act_type: "other" }]
        : [],
  }),
);

afterEach(() => setLocale("en"));

describe("self-report helpers", () => {
  it("reads canonical dates back in words, in both languages", () => {
    expect(readableDate("2008-03", "en")).toBe("March 2008");
    expect(readableDate("~2023-05-01T22:30", "en")).toBe("about May 1, 2023 at 10:30 PM");
    expect(readableDate("2008-01..2008-03", "en")).toBe("January 2008 – March 2008");
    expect(readableDate("2007", "en")).toBe("2007");
    expect(readableDate("unknown", "en")).toBe("date unknown");
    setLocale("ru");
    expect(readableDate("~2019", "ru")).toBe("примерно 2019");
    expect(readableDate("2008-03-14", "ru")).toBe("14 марта 2008 г.");
  });

  it("groups problems in the questionnaire's order and says them calmly", () => {
    const groups = problemsByStep(
      [
        { step: "consent", field: "record", message: "tick the first box" },
        { step: "what_happened", field: "when", message: 'say when, even roughly: "March 2008"' },
        { step: "what_happened", field: "details", message: "describe what happened in a few sentences" },
      ],
      SCREENS,
    );
    expect(groups.map((g) => [g.step, g.index, g.problems.length])).toEqual([
      ["what_happened", 1, 2],
      ["consent", 7, 1],
    ]);
    expect(problemText(groups[0].problems[0])).toMatch(/^Say when, even roughly/);
    expect(problemText({ step: "x", field: "something_new", message: "as the core says" })).toBe("as the core says");
  });

  it("chooses a problem's words by what was answered, not by the core's English", () => {
    const answers = emptyReport();
    answers.what_happened.when = "last spring maybe";
    answers.what_happened.details = "x".repeat(10);
    // Whatever the core's English says, a filled "when" is unreadable, not missing.
    const when = { step: "what_happened", field: "when", message: "say when, even roughly" };
    expect(problemText(when, answers)).toBe(t("selfReport.problems.whenInvalid", { detail: when.message }));
    expect(problemText(when, emptyReport())).toBe(t("selfReport.problems.whenMissing"));
    const details = { step: "what_happened", field: "details", message: "describe what happened" };
    expect(problemText(details, answers)).toBe(t("selfReport.problems.tooLong"));
    expect(problemText(details, emptyReport())).toBe(t("selfReport.problems.details"));
  });

  it("explains an unreadable date in the reader's language when the core sends its code", () => {
    const answers = emptyReport();
    answers.what_happened.when = "прошлой весной";
    const when = {
      step: "what_happened",
      field: "when",
      message: '"прошлой" is not part of a date; write it like "March 2008"',
      problem: { record: "", id: "", field: "", code: "date_unreadable" as const, params: { part: "прошлой" } },
    };
    for (const locale of ["ru", "kk"] as const) {
      setLocale(locale);
      const detail = t("problems.date_unreadable", { part: "прошлой" });
      expect(problemText(when, answers)).toBe(t("selfReport.problems.whenInvalid", { detail }));
      expect(problemText(when, answers)).not.toContain("write it like");
    }
  });

  it("resumes within range and names sealed files neutrally", () => {
    expect(resumeStep(3, SCREENS.length)).toBe(3);
    expect(resumeStep(99, SCREENS.length)).toBe(9);
    expect(resumeStep(-1, SCREENS.length)).toBe(0);
    expect(suggestedReportName(new Date(2026, 10, 20))).toBe("report-2026-11-20.cvb");
  });

  it("labels a choice in the reader's language, from the core's list", () => {
    const c = SCREENS[1].choices[0];
    expect(choiceLabel(c, "en")).toBe("Not sure");
    expect(choiceLabel(c, "ru")).toBe("Не знаю, как назвать");
    expect(choiceLabel(c, "kk")).toBe("Қалай атарымды білмеймін");
    expect(answerLabel(SCREENS, "what_happened", "not_sure", "kk")).toBe("Қалай атарымды білмеймін");
    expect(answerLabel(SCREENS, "relatives", "not_sure", "kk")).toBeNull();
  });
});
