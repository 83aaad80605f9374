import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import { createHostBackend } from "../test/host";
import { setLocale } from "../lib/i18n";

const PASS = "correct horse battery staple";

beforeEach(() => {
  setLocale("en");
});

describe("rotate the data key", () => {
  it("needs the passphrase and a yes, shows progress, then the new recovery key's ceremony", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true, progressPauseMs: 20 });
    const rekey = vi.spyOn(backend, "vaultRekey");
    const user = userEvent.setup();
    render(App, { props: { backend } });
    // Key management lives under Settings; the app opens on Cases.
    await user.click(await screen.findByTestId("nav-vault"));
    const section = await screen.findByTestId("rekey-section");
    const submit = within(section).getByTestId("rekey-submit");

    await user.type(within(section).getByTestId("rekey-passphrase"), "not the passphrase");
    expect(submit).toBeDisabled();
    await user.click(within(section).getByTestId("rekey-confirm"));
    await user.click(submit);
    expect(await within(section).findByTestId("rekey-error")).toHaveAttribute("data-code", "wrong_credential");
    expect(within(section).getByTestId("rekey-passphrase")).toHaveValue("");

    await user.type(within(section).getByTestId("rekey-passphrase"), PASS);
    await user.click(within(section).getByTestId("rekey-submit"));
    expect(await within(section).findByTestId("rekey-progress")).toBeInTheDocument();
    const key = (await within(section).findByTestId("recovery-key", {}, { timeout: 15_000 })).textContent ?? "";
    expect(rekey).toHaveBeenCalledTimes(2);
    expect(key.replace(/[^A-Z0-9]/g, "")).toHaveLength(48);

    await user.click(within(section).getByTestId("recovery-written"));
    await user.type(within(section).getByTestId("recovery-confirm-input"), key);
    await user.click(within(section).getByTestId("recovery-confirm-submit"));
    expect(await within(section).findByTestId("rekey-result")).toBeInTheDocument();
    expect(within(section).queryByTestId("recovery-key")).not.toBeInTheDocument();
  });
});
