import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "./i18n";
import { problemsByStep, problemText, readableDate, resumeStep, SEAL_STEP, suggestedReportName } from "./selfReport";

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
    const groups = problemsByStep([
      { step: "consent", field: "record", message: "tick the first box" },
      { step: "what_happened", field: "when", message: 'say when, even roughly: "March 2008"' },
      { step: "what_happened", field: "details", message: "describe what happened in a few sentences" },
    ]);
    expect(groups.map((g) => [g.step, g.index, g.problems.length])).toEqual([
      ["what_happened", 1, 2],
      ["consent", 7, 1],
    ]);
    expect(problemText(groups[0].problems[0])).toMatch(/^Say when, even roughly/);
    expect(problemText({ step: "x", field: "something_new", message: "as the core says" })).toBe("as the core says");
  });

  it("resumes within range and names sealed files neutrally", () => {
    expect(resumeStep(3)).toBe(3);
    expect(resumeStep(99)).toBe(SEAL_STEP);
    expect(resumeStep(-1)).toBe(0);
    expect(suggestedReportName(new Date(2026, 10, 20))).toBe("report-2026-11-20.cvb");
  });
});
