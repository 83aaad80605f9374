// The export wizard as a caseworker meets it (numbered steps, Close not the
// main action, a held-back record named apart from the same person's other
// testimonies, any record or file left out), and a lawyer's vault: shaped
// by its purpose, with a bundle whose file count agrees with the sender's.
import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import type { ExportPreview } from "./lib/bindings";
import { setLocale } from "./lib/i18n";
import { createHostBackend, type HostBackend, type HostOptions } from "./test/host";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { setVaultPurpose } from "./lib/purpose.svelte";
import { bundleSeed } from "./test/bundleFixtures";
import { CASE_ID, renderCase } from "./test/fixtures";

/** A photo with capture metadata (EXIF: device, time, GPS), which the redaction review lists. */
const EXIF_PHOTO = resolve(import.meta.dirname, "../../tests/fixtures/evidence/almaty-photo-exif.jpg");
/** Writing or opening a bundle takes seconds on a busy two-core machine. */
const BUNDLE_MS = 15_000;

beforeEach(() => {
  setLocale("en");
  setVaultPurpose("organisation");
});

async function vault(opts: HostOptions = {}): Promise<HostBackend> {
  return await createHostBackend({ exists: true, unlocked: true, ...opts });
}

/** Two testimonies of one person held back: the core labels each by date and opening words. */
function twoHeldBack(p: ExportPreview): ExportPreview {
  return {
    ...p,
    withheld: [
      { kind: "testimony", id: "t-1", label: "Daniyar Moldashev · 2019-03-02 · “They came at night…”", reason: "consent does not cover sharing with lawyers", code: "not_for_lawyers" },
      { kind: "testimony", id: "t-2", label: "Daniyar Moldashev · 2021-06-10 · “At the border the officer…”", reason: "consent was withdrawn", code: "consent_withdrawn" },
    ],
  };
}

describe("the export wizard", () => {
  it("numbers its steps as text, keeps Close plain and Next in the footer, names each held-back record apart, and leaves out a chosen record and file", async () => {
    const backend = await vault({ seed: bundleSeed() });
    await backend.attachmentAdd({ record_id: CASE_ID, path: backend.writeFile("IMG_2008.jpg", readFileSync(EXIF_PHOTO)), derived_from: null, note: null });
    await backend.contactAdd({ name: "Zoe Advocate", organisation: null, key: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", verified_on: "2026-11-20" });
    const real = backend.bundlePreview.bind(backend);
    vi.spyOn(backend, "bundlePreview").mockImplementation(async (req) => twoHeldBack(await real(req)));
    const { user } = await renderCase(backend);
    await user.click(screen.getByTestId("export-open"));
    const dialog = await screen.findByTestId("export-dialog");

    // Numbers are part of each label's text (list markers of flex items
    // overlapped the previous label: "Cases2.").
    const labels = within(dialog).getAllByTestId("export-step-label").map((li) => li.textContent?.replace(/\s+/g, " ").trim());
    expect(labels).toEqual(["1. Cases", "2. Recipients", "3. Dossier", "4. What leaves", "5. Review redaction", "6. Save"]);
    // Close is there, but the wizard's main action is Next.
    expect(within(dialog).getByTestId("export-dialog-close")).not.toHaveClass("primary");
    expect(within(dialog).getByTestId("export-next")).toHaveClass("primary");
    expect(within(dialog).getByTestId("export-next").closest(".nav")).not.toBeNull();

    await user.click(within(dialog).getByTestId("export-next"));
    await user.click(within(dialog).getAllByRole("checkbox")[0]);
    await user.click(within(dialog).getByTestId("export-next"));
    // The dossier can be written in Kazakh too.
    expect(within(within(dialog).getByTestId("export-language")).getAllByRole("option").map((o) => (o as HTMLOptionElement).value)).toEqual(["en", "ru", "kk"]);
    await user.selectOptions(within(dialog).getByTestId("export-language"), "kk");
    await user.type(within(dialog).getByTestId("export-organisation"), "Kazakhstan Bureau");
    await user.click(within(dialog).getByTestId("export-next"));

    const withheld = await within(dialog).findAllByTestId("export-withheld-item");
    expect(withheld.map((w) => w.textContent)).toEqual([
      "Testimony (Daniyar Moldashev · 2019-03-02 · “They came at night…”): consent does not cover sharing with lawyers",
      "Testimony (Daniyar Moldashev · 2021-06-10 · “At the border the officer…”): consent was withdrawn",
    ]);
    for (const w of withheld) expect(w.textContent).not.toMatch(/\bt-\d\b/);
    await user.click(within(dialog).getByTestId("export-next"));

    // The review offers every record that leaves, and every file.
    const records = await within(dialog).findAllByTestId("export-review-record");
    expect(records.length).toBeGreaterThan(0);
    const testimony = records.find((r) => r.dataset.kind === "testimony")!;
    await user.click(within(testimony).getByTestId("export-review-leave-out-record"));
    const file = within(dialog).getAllByTestId("export-review-file")[0];
    await user.click(within(file).getByTestId("export-review-leave-out"));
    await user.click(within(dialog).getByTestId("export-review-confirm"));
    await user.click(within(dialog).getByTestId("export-next"));
    expect(within(dialog).getByTestId("export-summary-redaction")).toHaveTextContent("2 item(s) left out");

    const createSpy = vi.spyOn(backend, "bundleCreate");
    await user.type(within(dialog).getByTestId("export-path"), backend.pathFor("out.cvb"));
    await user.click(within(dialog).getByTestId("export-create"));
    await within(dialog).findByTestId("export-done", {}, { timeout: BUNDLE_MS });
    expect(createSpy).toHaveBeenCalledWith(
      expect.objectContaining({
        language: "kk",
        choices: expect.objectContaining({ leave_out: [testimony.dataset.id, file.dataset.id] }),
      }),
    );
  });
});

describe("a lawyer's vault", () => {
  it("centres on received bundles: no intake inbox, no export for a lawyer; the bundle's file count agrees with the sender's and is explained", async () => {
    const ngo = await vault({ seed: bundleSeed() });
    const lawyer = await vault({ mode: "lawyer", seed: bundleSeed() });
    const path = ngo.pathFor("bundle.cvb");
    const key = await lawyer.identityCreate({ label: "from NGOs" });
    const contact = await ngo.contactAdd({ name: "Lawyer", organisation: null, key: key.identity.recipient, verified_on: "2026-11-20" });
    const report = await ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [contact.id], passphrase: null, language: "en", organisation: "Kazakhstan Bureau", path });

    const user = userEvent.setup();
    render(App, { props: { backend: lawyer } });
    // It opens on Bundles, and has no inbox for self-reports.
    await screen.findByTestId("bundle-open-section");
    expect(screen.getByTestId("nav-bundles")).toHaveAttribute("aria-current", "page");
    const tabs = within(screen.getByRole("navigation")).getAllByRole("button").map((b) => b.dataset.testid);
    expect(tabs[0]).toBe("nav-bundles");
    expect(screen.queryByTestId("nav-inbox")).not.toBeInTheDocument();

    await user.type(screen.getByTestId("bundle-path"), path);
    await user.click(screen.getByTestId("bundle-open"));
    const summary = await screen.findByTestId("bundle-summary", {}, { timeout: BUNDLE_MS });
    expect(within(summary).getByTestId("bundle-files-total")).toHaveTextContent(String(report.files));
    const explained = within(summary).getByTestId("bundle-files-explained");
    expect(explained).toHaveTextContent(`${report.files - 2} checked one by one against the signed list SHA256SUMS`);
    expect(explained).toHaveTextContent("the other 2 are that list and its signature");

    // A case of its own shows no "Export for a lawyer".
    await user.click(screen.getByTestId("nav-cases"));
    await user.click(await screen.findByText(bundleSeed().cases![0].title));
    await screen.findByTestId("case-title");
    expect(screen.queryByTestId("export-open")).not.toBeInTheDocument();
  });

  it("an organisation's vault keeps its inbox and its export", async () => {
    const backend = await vault({ seed: bundleSeed() });
    const user = userEvent.setup();
    render(App, { props: { backend } });
    expect(await screen.findByTestId("nav-inbox")).toBeInTheDocument();
    expect(within(screen.getByRole("navigation")).getAllByRole("button")[0].dataset.testid).toBe("nav-cases");
    await user.click(screen.getByTestId("nav-cases"));
    await user.click(await screen.findByText(bundleSeed().cases![0].title));
    await waitFor(() => expect(screen.getByTestId("export-open")).toBeInTheDocument());
  });

  it("is chosen when the vault is created", async () => {
    const backend = await createHostBackend({ exists: false });
    const create = vi.spyOn(backend, "vaultCreate");
    const user = userEvent.setup();
    render(App, { props: { backend } });
    await user.type(await screen.findByTestId("create-passphrase"), "violet tram under seventeen kites");
    await user.type(screen.getByTestId("create-confirm"), "violet tram under seventeen kites");
    await user.click(screen.getByTestId("create-mode-lawyer"));
    await waitFor(() => expect(screen.getByTestId("create-submit")).toBeEnabled());
    await user.click(screen.getByTestId("create-submit"));
    await waitFor(() => expect(create).toHaveBeenCalledWith(expect.objectContaining({ mode: "lawyer" })));
  });
});
