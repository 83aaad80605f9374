import { describe, expect, it } from "vitest";
import { cssHeight, rowWindow } from "./virtual";

describe("rowWindow", () => {
  it("renders the rows in view plus overscan, and spacers for the rest", () => {
    expect(rowWindow(10_000, 0, 440, 44, 5)).toEqual({ start: 0, end: 15, before: 0, after: (10_000 - 15) * 44 });
    const mid = rowWindow(10_000, 5000 * 44, 440, 44, 5);
    expect(mid).toEqual({ start: 4995, end: 5015, before: 4995 * 44, after: (10_000 - 5015) * 44 });
  });

  it("stays inside the list at the ends and for short lists", () => {
    expect(rowWindow(10_000, 10_000 * 44, 440, 44, 5)).toMatchObject({ end: 10_000, after: 0 });
    expect(rowWindow(3, 0, 440, 44, 5)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(rowWindow(0, 500, 440, 44, 5)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});

describe("cssHeight", () => {
  it("sets the height through the CSSOM and updates it", () => {
    const td = document.createElement("td");
    const action = cssHeight(td, 88);
    expect(td.style.height).toBe("88px");
    action.update(0);
    expect(td.style.height).toBe("0px");
  });
});
