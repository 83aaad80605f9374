import { screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it } from "vitest";
import { setLocale } from "./lib/i18n";
import { renderSearch } from "./test/searchFixtures";

beforeEach(() => {
  setLocale("en");
});

describe("exporting a search's cases", () => {
  it("opens the export wizard with the cases of the results already chosen", async () => {
    const { user } = await renderSearch();
    await user.type(screen.getByTestId("search-input"), "hotel");
    await screen.findByTestId("search-count");
    await user.click(screen.getByTestId("search-export"));
    const dialog = await screen.findByTestId("export-dialog");
    const boxes = (await within(dialog).findAllByRole("checkbox")) as HTMLInputElement[];
    // Every case of the results is ticked, and only those.
    const chosen = boxes.filter((b) => b.checked);
    expect(chosen.length).toBeGreaterThan(0);
    expect(screen.getByTestId("search-export")).toHaveTextContent(`Export the ${chosen.length} case(s)`);
  });
});
