// House rules of the UI that a reviewer would otherwise have to remember.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["../**/*.ts", "../**/*.svelte", "!../**/*.test.ts", "!./mock*.ts", "!./bindings.ts", "!./reference.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("UI rules", () => {
  it("reads the sources it checks", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
  });

  it("never branches on a message's English text: codes and data decide", () => {
    const branching = /\.message\s*[!=]==?|\.message\??\.(startsWith|endsWith|includes|match|search|indexOf)\(|\.message\)?\s*\)?\s*\.test\(/;
    for (const [path, text] of Object.entries(sources)) {
      expect(text as string, path).not.toMatch(branching);
    }
  });
});
