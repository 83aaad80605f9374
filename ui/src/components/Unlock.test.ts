import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import type { ProgressEvent } from "../lib/bindings";
import { createHostBackend } from "../test/host";
import { setLocale } from "../lib/i18n";

const PASS = "correct horse battery staple";

beforeEach(() => {
  setLocale("en");
});

describe("unlocking a vault from an older version", () => {
  it("shows how far the search index rebuild has got, then opens", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: false });
    const listeners: ((e: ProgressEvent) => void)[] = [];
    const onProgress = backend.onProgress.bind(backend);
    vi.spyOn(backend, "onProgress").mockImplementation((cb) => {
      listeners.push(cb);
      return onProgress(cb);
    });
    // The backend reports the rebuild while the unlock command is still running.
    let finish: () => void = () => {};
    const unlock = backend.vaultUnlock.bind(backend);
    vi.spyOn(backend, "vaultUnlock").mockImplementation(async (req) => {
      for (const cb of listeners) cb({ task: "search-keys", done: 5000, total: 100000 });
      await new Promise<void>((resolve) => (finish = resolve));
      return unlock(req);
    });
    const user = userEvent.setup();
    render(App, { props: { backend } });
    await user.type(await screen.findByTestId("unlock-passphrase"), PASS);
    await user.click(screen.getByTestId("unlock-submit"));

    const bar = await screen.findByTestId("unlock-search-keys");
    expect(bar).toHaveAttribute("max", "100000");
    expect(bar).toHaveAttribute("value", "5000");
    // A progress event of another task does not take over the unlock screen.
    for (const cb of listeners) cb({ task: "attach", done: 1, total: 2 });
    expect(screen.getByTestId("unlock-search-keys")).toHaveAttribute("value", "5000");

    finish();
    expect(await screen.findByTestId("nav-vault")).toBeInTheDocument();
    expect(screen.queryByTestId("unlock-search-keys")).not.toBeInTheDocument();
  });
});
