import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import type { SelfReport } from "./lib/bindings";
import { setLocale } from "./lib/i18n";
import { createHostBackend, type HostBackend, type HostOptions } from "./test/host";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { emptyReport } from "./lib/selfReport";
import { refusalOf } from "./test/contract";

const PASS = "correct horse battery staple";
const NGO_KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
/** A real photo with EXIF (device "Casevault Test Camera Co. CV-1", a time, GPS in Almaty). */
const EXIF_PHOTO = resolve(import.meta.dirname, "../../tests/fixtures/evidence/almaty-photo-exif.jpg");
/** An MVT (Mobile Verification Toolkit) module's output: one record matched an indicator. */
const MVT_RESULTS = JSON.stringify([
  { isodate: "2024-05-01 10:12:00.000000", url: "https://example.org/" },
  { isodate: "2024-05-02 22:31:07.000000", url: "https://bad.example/x", matched_indicator: { value: "bad.example", type: "domain" } },
]);
/** Sealing (hashing, signing, the dossier) takes seconds on a busy two-core machine. */
const SEAL_MS = 15_000;

beforeEach(() => {
  setLocale("en");
});

// What a person reports about themselves is the most sensitive data there is:
// drafts go to the backend, never to the webview's storage.
afterEach(() => {
  setLocale("en");
});

async function activist(opts: HostOptions = {}): Promise<HostBackend> {
  return await createHostBackend({ exists: true, unlocked: true, mode: "self_report", ...opts });
}

async function openApp(backend: HostBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await screen.findByTestId("self-report-home");
  return user;
}

/** Answers that can be sealed: the main event told, and consent to keep it. */
function complete(): SelfReport {
  const r = emptyReport();
  // The seal screen (the last of report_steps' ten).
  r.step = 9;
  r.language = "en";
  r.about_me = { name: "Aigerim N.", other_names: "Айгерим Н.", citizenship: "KZ", living_in: "DE", contact: "" };
  r.what_happened = {
    happened: true,
    act_type: "physical_surveillance",
    when: "March 2024",
    place: "outside my flat",
    country: "DE",
    details: "Two men photographed me for a week.",
    who: "",
    why: "",
  };
  r.consent = { record: true, share_lawyers: true, share_un: false, contact_me: false, pseudonym_only: false };
  return r;
}

function stepTitle(): HTMLElement {
  return screen.getByTestId("report-step-title");
}

async function next(user: UserEvent, expected: string) {
  await user.click(screen.getByTestId("report-next"));
  await waitFor(() => expect(stepTitle()).toHaveTextContent(expected));
}

describe("first start", () => {
  async function createWith(user: UserEvent) {
    await user.type(await screen.findByTestId("create-passphrase"), PASS);
    await user.type(screen.getByTestId("create-confirm"), PASS);
    await waitFor(() => expect(screen.getByTestId("create-submit")).toBeEnabled());
    await user.click(screen.getByTestId("create-submit"));
    return (await screen.findByTestId("recovery-key")).textContent ?? "";
  }

  async function finishCeremony(user: UserEvent, key: string) {
    await user.click(screen.getByTestId("recovery-written"));
    await user.type(screen.getByTestId("recovery-confirm-input"), key);
    await user.click(screen.getByTestId("recovery-confirm-submit"));
  }

  it("asks who uses the app (organisation by default) and creates a self-report vault when asked to", async () => {
    const backend = await createHostBackend();
    const create = vi.spyOn(backend, "vaultCreate");
    const user = userEvent.setup();
    render(App, { props: { backend } });

    const group = await screen.findByTestId("create-mode");
    expect(within(group).getByText("Who will use Casevault on this computer?")).toBeInTheDocument();
    const org = screen.getByLabelText(/An organisation \(caseworker or lawyer\)/);
    const self = screen.getByLabelText(/I want to report what happened to me/);
    expect(org).toBeChecked();
    expect(org).toHaveAttribute("name", "vault-mode");
    expect(org).toHaveAttribute("value", "organisation");
    expect(self).toHaveAttribute("name", "vault-mode");
    expect(self).toHaveAttribute("value", "self_report");
    // Keyboard: arrows move within the radio group.
    org.focus();
    await user.keyboard("{ArrowDown}");
    expect(self).toBeChecked();

    const key = await createWith(user);
    expect(create).toHaveBeenCalledWith({ passphrase: PASS, mode: "self_report" });
    await finishCeremony(user, key);
    expect(await screen.findByTestId("self-report-home")).toBeInTheDocument();
    expect(screen.queryByTestId("nav-cases")).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("My reports");
    expect((await backend.vaultStatus()).mode).toBe("self_report");
  });

  it("passes the organisation mode by default, and the case screens follow", async () => {
    const backend = await createHostBackend();
    const create = vi.spyOn(backend, "vaultCreate");
    const user = userEvent.setup();
    render(App, { props: { backend } });
    const key = await createWith(user);
    expect(create).toHaveBeenCalledWith({ passphrase: PASS, mode: "organisation" });
    await finishCeremony(user, key);
    expect(await screen.findByTestId("nav-inbox")).toBeInTheDocument();
    expect(screen.queryByTestId("self-report-home")).not.toBeInTheDocument();
  });

  it("says it in Russian too", async () => {
    setLocale("ru");
    render(App, { props: { backend: await createHostBackend({ language: "ru" }) } });
    await screen.findByTestId("create-mode");
    expect(screen.getByLabelText(/Я хочу рассказать о том, что случилось со мной/)).toHaveAttribute("value", "self_report");
    expect(screen.getByLabelText(/Организация \(сотрудник или юрист\)/)).toBeChecked();
  });
});

describe("the guided report", () => {
  it("walks every step with Back and Next, saving the answers and the step at each change", async () => {
    const backend = await activist({ progressPauseMs: 30 });
    const save = vi.spyOn(backend, "reportSave");
    const mvtPath = backend.writeFile("mvt/results.json", MVT_RESULTS);
    const streetPath = backend.writeFile("Pictures/street.jpg", readFileSync(EXIF_PHOTO));
    const letterPath = backend.writeFile("Documents/letter.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    const user = await openApp(backend);
    expect(screen.getByTestId("quick-exit-tip")).toHaveTextContent("Shift+Escape");
    expect(await screen.findByTestId("reports-empty")).toBeInTheDocument();

    await user.click(screen.getByTestId("report-new"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 1 of 10: About you"));
    expect(stepTitle()).toHaveFocus();
    expect(screen.getByTestId("report-tip")).toHaveTextContent("You do not have to give your real name");
    expect(screen.queryByTestId("report-back")).not.toBeInTheDocument();
    const id = (await backend.reportsList())[0].id;

    // 1. About me: everything optional; the name may be a pseudonym.
    expect(screen.getByLabelText("Your name")).toHaveAccessibleDescription(/A pseudonym is fine, or leave it empty/);
    await user.type(screen.getByTestId("report-name"), "Aigerim N.");
    await user.type(screen.getByTestId("report-other-names"), "Айгерим Н.{Enter}Aigerim N");
    await user.selectOptions(screen.getByTestId("report-citizenship"), "KZ");
    expect(screen.getByTestId("report-citizenship")).toHaveDisplayValue("Kazakhstan");
    await user.selectOptions(screen.getByTestId("report-living-in"), "DE");
    await next(user, "Step 2 of 10: What happened");
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({
        id,
        answers: expect.objectContaining({
          step: 1,
          about_me: { name: "Aigerim N.", other_names: "Айгерим Н.\nAigerim N", citizenship: "KZ", living_in: "DE", contact: "" },
        }),
      }),
    );

    // 2. What happened: act type, a fuzzy date read back, place, details.
    const act = screen.getByTestId("report-what_happened-act-type");
    // The questionnaire's plain words (report_steps), each standing for an
    // act type of the caseworkers' vocabulary ("followed": physical surveillance).
    expect(within(act).getByRole("option", { name: "I was followed or watched" })).toHaveValue("followed");
    await user.selectOptions(act, "followed");
    expect(screen.getByLabelText("When did it happen?")).toHaveAccessibleDescription(/March 2008, approx\. 22:30 on 1 May 2023, unknown/);
    await user.type(screen.getByTestId("report-what_happened-when"), "approx. 22:30 on 1 May 2023");
    // Read back in words, not as an ISO date.
    const understood = await screen.findByTestId("report-what_happened-when-canonical");
    expect(understood).toHaveAttribute("data-value", "~2023-05-01T22:30");
    expect(understood).toHaveTextContent("Understood as about May 1, 2023 at 10:30 PM");
    await user.type(screen.getByTestId("report-what_happened-place"), "outside my flat");
    await user.selectOptions(screen.getByTestId("report-what_happened-country"), "DE");
    await user.type(screen.getByTestId("report-what_happened-details"), "Two men photographed me for a week.");
    await user.type(screen.getByTestId("report-what_happened-who"), "KNB");
    await next(user, "Step 3 of 10: Your relatives");
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({
        id,
        answers: expect.objectContaining({
          step: 2,
          what_happened: expect.objectContaining({ happened: true, act_type: "followed", when: "approx. 22:30 on 1 May 2023", who: "KNB" }),
        }),
      }),
    );

    // 3. Relatives: yes shows the fields, with only this step's act types.
    expect(screen.getByRole("group", { name: "Were your relatives back home pressured?" })).toBeInTheDocument();
    await user.click(screen.getByTestId("report-relatives-yes"));
    const relAct = screen.getByTestId("report-relatives-act-type");
    expect(within(relAct).getAllByRole("option").map((o) => (o as HTMLOptionElement).value)).toEqual(["", "coercion_by_proxy"]);
    // The only possible answer is chosen already.
    expect(relAct).toHaveValue("coercion_by_proxy");
    await user.type(screen.getByTestId("report-relatives-when"), "April 2024");
    await user.type(screen.getByTestId("report-relatives-details"), "Police visited my mother.");
    // Enter in a field goes on, as Next does.
    await user.type(screen.getByTestId("report-relatives-place"), "Almaty{Enter}");
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 4 of 10: Phone and accounts"));
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({
        id,
        answers: expect.objectContaining({ step: 3, relatives: expect.objectContaining({ happened: true, act_type: "coercion_by_proxy", place: "Almaty" }) }),
      }),
    );

    // 4. Digital: the question in plain words; "not sure" is fine.
    expect(screen.getByTestId("report-digital-question")).toHaveTextContent("phishing, someone taking over an account, a spyware warning");
    expect(screen.getByTestId("report-tip")).toHaveTextContent("Do not forward suspicious messages");
    await user.click(screen.getByTestId("report-digital-unsure"));
    expect(screen.getByTestId("report-digital-unsure-hint")).toBeInTheDocument();
    expect(screen.queryByTestId("report-digital-act-type")).not.toBeInTheDocument();
    // An MVT report can be added here as evidence of a digital attack.
    await user.type(screen.getByTestId("report-mvt-path"), mvtPath);
    await user.click(screen.getByTestId("report-mvt-submit"));
    expect(await screen.findByTestId("report-mvt-done")).toHaveTextContent("results.json was added.");
    const mvt = within(screen.getByTestId("report-mvt-list")).getByTestId("report-file");
    expect(mvt).toHaveAttribute("data-kind", "mvt");
    // The core checks it is an MVT report and sums it up.
    expect(within(mvt).getByTestId("report-file-note")).toHaveTextContent("MVT report: 2 record(s), 1 matched indicator(s) of compromise (bad.example)");
    // Anything else is refused, with what to do instead.
    await user.type(screen.getByTestId("report-mvt-path"), streetPath);
    await user.click(screen.getByTestId("report-mvt-submit"));
    expect(await screen.findByTestId("report-mvt-error")).toHaveTextContent("this is not an MVT JSON report");
    expect(within(screen.getByTestId("report-mvt-list")).getAllByTestId("report-file")).toHaveLength(1);
    await user.clear(screen.getByTestId("report-mvt-path"));
    // The example of an MVT report is an MVT JSON file, not a screenshot.
    expect(screen.getByTestId("report-mvt-path")).toHaveAccessibleDescription(/mvt-results\/detected\.json/);
    expect(screen.getByTestId("report-mvt-path")).not.toHaveAccessibleDescription(/screenshot\.png/);

    await next(user, "Step 5 of 10: Travel and documents");
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({ id, answers: expect.objectContaining({ step: 4, digital: expect.objectContaining({ happened: null }) }) }),
    );
    await user.click(screen.getByTestId("report-travel-no"));
    await next(user, "Step 6 of 10: Wanted notices and summons");
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({ id, answers: expect.objectContaining({ step: 5, travel: expect.objectContaining({ happened: false }) }) }),
    );
    await user.click(screen.getByTestId("report-notices-no"));

    // Back goes back, and saves the step too. Saves reach the backend in
    // order, so one may wait for the previous save: each check waits for it.
    await user.click(screen.getByTestId("report-back"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 5 of 10"));
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({ id, answers: expect.objectContaining({ step: 4, notices: expect.objectContaining({ happened: false }) }) }),
    );
    await next(user, "Step 6 of 10");
    await next(user, "Step 7 of 10: Photos and documents");

    // 7. Evidence: attach with a progress bar; name, size and a short SHA-256; remove.
    expect(screen.getByTestId("report-tip")).toHaveTextContent("Photos may carry the place and time they were taken");
    await user.type(screen.getByTestId("report-attach-path"), streetPath);
    await user.click(screen.getByTestId("report-attach-submit"));
    expect(await screen.findByTestId("report-attach-progress")).toBeInTheDocument();
    expect(await screen.findByTestId("report-attach-done")).toHaveTextContent("street.jpg was added.");
    const list = screen.getByTestId("report-attach-list");
    const items = within(list).getAllByTestId("report-file");
    expect(items).toHaveLength(2);
    const photo = items.find((li) => li.textContent?.includes("street.jpg"))!;
    const stored = (await backend.reportGet({ id })).files.find((f) => f.original_name === "street.jpg")!;
    expect(within(photo).getByTestId("report-file-sha")).toHaveTextContent(stored.sha256.slice(0, 12));
    expect(within(photo).getByTestId("report-file-size")).toHaveTextContent(/\d/);
    // The photo carries where and when it was taken: said next to it.
    expect(within(photo).getByTestId("report-file-capture")).toHaveTextContent("Casevault Test Camera Co.");
    expect(within(photo).getByTestId("report-file-capture")).toHaveTextContent("Tell the organisation if that puts you at risk.");
    // Enter in the path field adds the file, it does not leave the step.
    await user.type(screen.getByTestId("report-attach-path"), `${letterPath}{Enter}`);
    expect(await screen.findByTestId("report-attach-done")).toHaveTextContent("letter.pdf was added.");
    expect(stepTitle()).toHaveTextContent("Step 7 of 10");
    const letter = within(screen.getByTestId("report-attach-list"))
      .getAllByTestId("report-file")
      .find((li) => li.textContent?.includes("letter.pdf"))!;
    await user.click(within(letter).getByRole("button", { name: "Remove letter.pdf" }));
    expect(await screen.findByTestId("report-attach-done")).toHaveTextContent("letter.pdf was removed from the report.");
    expect((await backend.reportGet({ id })).files.map((f) => f.original_name)).toEqual(["results.json", "street.jpg"]);

    // 8. Consent.
    await next(user, "Step 8 of 10: Your consent");
    await user.click(screen.getByTestId("report-consent-record"));
    await user.click(screen.getByTestId("report-consent-lawyers"));
    expect(screen.getByTestId("report-next")).toHaveTextContent("Next: check your answers");

    // 9. Review: every answer, read-only, each step with a way back to edit it.
    await next(user, "Step 9 of 10: Check your answers");
    await waitFor(() =>
      expect(save).toHaveBeenLastCalledWith({
        id,
        answers: expect.objectContaining({ step: 8, consent: expect.objectContaining({ record: true, share_lawyers: true, share_un: false }) }),
      }),
    );
    const review = screen.getByTestId("report-review");
    expect(within(review).queryByRole("textbox")).not.toBeInTheDocument();
    expect(within(review).getByTestId("report-review-name")).toHaveTextContent("Aigerim N.");
    expect(within(review).getByTestId("report-review-what_happened-what")).toHaveTextContent("I was followed or watched");
    expect(within(review).getByTestId("report-review-what_happened")).toHaveTextContent("Two men photographed me for a week.");
    expect(within(review).getByTestId("report-review-files")).toHaveTextContent("street.jpg");
    expect(within(review).getByTestId("report-review-consent-share_lawyers")).toHaveAttribute("data-given", "yes");
    expect(within(review).getByTestId("report-review-consent-share_un")).toHaveAttribute("data-given", "no");
    // Edit goes back to the step, and Next comes back through the review.
    await user.click(within(review).getByTestId("report-review-edit-about_me"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 1 of 10: About you"));
    expect(screen.getByTestId("report-name")).toHaveValue("Aigerim N.");
    await user.click(screen.getByTestId("report-step-review"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 9 of 10: Check your answers"));
    expect(screen.getByTestId("report-next")).toHaveTextContent("Next: seal and save");
    await next(user, "Step 10 of 10: Seal and save");
    // The list of steps and the count agree.
    expect(within(screen.getByTestId("report-steps")).getAllByRole("button")).toHaveLength(10);
    expect(await screen.findByTestId("report-problems-none")).toHaveTextContent("Your answers are complete.");
    expect(screen.getByTestId("report-tip")).toHaveTextContent("Compare the organisation's fingerprint by phone or in person");
  });

  it("saves while typing (about 800 ms after the last key), and opens again at the step it was left on", async () => {
    const backend = await activist();
    const save = vi.spyOn(backend, "reportSave");
    const user = await openApp(backend);
    await user.click(await screen.findByTestId("report-new"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 1 of 10"));
    await next(user, "Step 2 of 10");
    await next(user, "Step 3 of 10");
    await user.click(screen.getByTestId("report-relatives-yes"));
    save.mockClear();
    await user.type(screen.getByTestId("report-relatives-details"), "They called my brother.");
    // Saved when typing pauses, not on every key (23 keys). A loaded machine
    // may pause mid-word, so a save while typing is allowed, a save per key
    // is not; the pause after the last key always saves.
    const whileTyping = save.mock.calls.length;
    expect(whileTyping).toBeLessThan(5);
    await waitFor(() => expect(save.mock.calls.length).toBeGreaterThan(whileTyping), { timeout: 3000 });
    expect(save).toHaveBeenLastCalledWith({
      id: expect.any(String),
      answers: expect.objectContaining({ step: 2, relatives: expect.objectContaining({ happened: true, details: "They called my brother." }) }),
    });

    // Back to the list, and back in: the same step, the same answers.
    await user.click(screen.getByTestId("report-close"));
    const item = await screen.findByTestId("report-item");
    expect(item).toHaveTextContent("Not sealed yet");
    await user.click(within(item).getByRole("button", { name: /Continue/ }));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 3 of 10: Your relatives"));
    expect(screen.getByTestId("report-relatives-yes")).toBeChecked();
    expect(screen.getByTestId("report-relatives-details")).toHaveValue("They called my brother.");
  });

  it("lists what must be fixed before sealing, grouped by step, each with a way back to its step", async () => {
    const backend = await activist();
    const user = await openApp(backend);
    await user.click(await screen.findByTestId("report-new"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 1 of 10"));
    await next(user, "Step 2 of 10");
    await user.type(screen.getByTestId("report-what_happened-when"), "the 45th of Smarch");
    await user.click(screen.getByTestId("report-step-seal"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Seal and save"));

    const problems = await screen.findByTestId("report-problems");
    const groups = within(problems).getAllByTestId("report-problem-group");
    expect(groups.map((g) => g.getAttribute("data-step"))).toEqual(["what_happened", "consent"]);
    expect(groups[0]).toHaveTextContent("What happened");
    expect(groups[0]).toHaveTextContent("Choose what it was from the list.");
    expect(groups[0]).toHaveTextContent("This date could not be understood");
    expect(groups[0]).toHaveTextContent("Describe what happened in a few sentences.");
    expect(groups[1]).toHaveTextContent("tick the first box");
    expect(screen.getByTestId("report-seal-submit")).toBeDisabled();

    await user.click(screen.getByTestId("report-problem-goto-consent"));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 8 of 10: Your consent"));
    expect(stepTitle()).toHaveFocus();
    await user.click(screen.getByTestId("report-consent-record"));
    await next(user, "Step 9 of 10: Check your answers");
    await next(user, "Step 10 of 10: Seal and save");
    await user.click(await screen.findByRole("button", { name: "Go to “What happened”" }));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Step 2 of 10: What happened"));
    expect(screen.getByTestId("report-what_happened-when")).toHaveValue("the 45th of Smarch");
  });
});

describe("sealing for an organisation", () => {
  async function atSeal(backend: HostBackend, answers: SelfReport = complete()) {
    const r = await backend.reportNew();
    await backend.reportSave({ id: r.summary.id, answers });
    const user = await openApp(backend);
    await user.click(await screen.findByTestId(`report-open-${r.summary.id}`));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Seal and save"));
    await screen.findByTestId("report-problems-none");
    return { user, id: r.summary.id };
  }

  it("adds the organisation by its key: a damaged key is refused inline, a good one shows its fingerprint to compare, then it is saved", async () => {
    const backend = await activist();
    const add = vi.spyOn(backend, "contactAdd");
    const { user } = await atSeal(backend);
    expect(await screen.findByTestId("report-no-orgs")).toBeInTheDocument();

    // A key cut short in copying.
    await user.click(screen.getByTestId("report-key-text"));
    await user.paste(NGO_KEY.slice(0, 40));
    await user.click(screen.getByTestId("report-key-check"));
    const err = await screen.findByTestId("report-key-error");
    expect(err).toHaveAttribute("data-code", "invalid_input");
    expect(err).toHaveTextContent("This does not look like a complete key. Copy it again in full");
    expect(err).toHaveTextContent("damaged or incomplete");
    expect(screen.queryByTestId("report-key-fingerprint")).not.toBeInTheDocument();

    // A secret key: the core refuses it and nothing is shown to compare.
    const SECRET = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP";
    await user.clear(screen.getByTestId("report-key-text"));
    await user.paste(SECRET);
    await user.click(screen.getByTestId("report-key-check"));
    const refusal = await refusalOf(backend.keyCheckText({ key: SECRET }));
    await waitFor(() => {
      const secret = screen.getByTestId("report-key-error");
      expect(secret).toHaveAttribute("data-code", refusal.code);
      for (const line of refusal.lines.slice(1)) expect(secret).toHaveTextContent(line);
    });
    expect(screen.queryByTestId("report-key-fingerprint")).not.toBeInTheDocument();

    await user.clear(screen.getByTestId("report-key-text"));
    await user.paste(NGO_KEY);
    await user.click(screen.getByTestId("report-key-check"));
    const check = await backend.keyCheckText({ key: NGO_KEY });
    const fp = await screen.findByTestId("report-key-fingerprint");
    expect(fp).toHaveTextContent(check.fingerprint);
    expect(screen.getByTestId("report-key-checked")).toHaveFocus();
    expect(screen.getByTestId("report-key-compare")).toHaveTextContent("by phone");
    expect(screen.queryByTestId("report-key-error")).not.toBeInTheDocument();
    expect(screen.getByTestId("report-key-save")).toBeDisabled();
    await user.type(screen.getByTestId("report-key-name"), "Kazakhstan Bureau");
    await user.click(screen.getByTestId("report-key-compared"));
    await user.click(screen.getByTestId("report-key-save"));

    expect(await screen.findByTestId("report-org-added")).toHaveTextContent("Kazakhstan Bureau was added.");
    expect(add).toHaveBeenCalledWith({ name: "Kazakhstan Bureau", organisation: null, key: NGO_KEY, verified_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const contact = (await backend.contactsList())[0];
    expect(await screen.findByTestId(`report-recipient-${contact.id}`)).toBeChecked();
    expect(screen.getByTestId("report-org-section")).toHaveTextContent(contact.fingerprint);
  });

  it("loads the key from the file the organisation published (comment lines skipped)", async () => {
    const backend = await activist();
    const keyFile = backend.writeFile("ngo-key.txt", `# Kazakhstan Bureau intake key\n${NGO_KEY}\n`);
    const { user } = await atSeal(backend);
    await user.type(screen.getByTestId("report-key-file"), keyFile);
    await user.click(screen.getByTestId("report-key-file-check"));
    expect(await screen.findByTestId("report-key-fingerprint")).toHaveTextContent((await backend.keyCheckText({ key: NGO_KEY })).fingerprint);
  });

  it("seals, says how to send the file, then deletes this computer's copy after a confirmation", async () => {
    let out = "";
    const pickPath = vi.fn(() => out);
    const backend = await activist({ fileDialog: pickPath });
    out = backend.pathFor("report-out.cvb");
    // The organisation's own vault and intake key, to receive what is sealed.
    const bureau = await createHostBackend({ exists: true, unlocked: true });
    const intakeKey = (await bureau.identityCreate({ label: "intake" })).identity.recipient;
    const ngo = await backend.contactAdd({ name: "Kazakhstan Bureau", organisation: null, key: intakeKey, verified_on: "2026-11-20" });
    const sealSpy = vi.spyOn(backend, "reportSeal");
    const del = vi.spyOn(backend, "reportDelete");
    const { user, id } = await atSeal(backend);

    // The only organisation is chosen; the reporter key is shown.
    expect(await screen.findByTestId(`report-recipient-${ngo.id}`)).toBeChecked();
    const own = await backend.orgKeyShow();
    expect(await screen.findByTestId("report-reporter-fingerprint")).toHaveTextContent(own.fingerprint);
    expect(screen.getByTestId("report-seal-submit")).toBeDisabled();
    await user.click(screen.getByTestId("report-seal-choose"));
    expect(pickPath).toHaveBeenCalledWith({ purpose: "save", suggested_name: expect.stringMatching(/^report-\d{4}-\d{2}-\d{2}\.cvb$/) });
    expect(screen.getByTestId("report-seal-path")).toHaveValue(out);
    await user.selectOptions(screen.getByTestId("report-seal-language"), "ru");
    await user.click(screen.getByTestId("report-seal-submit"));

    const done = await screen.findByTestId("report-sealed", {}, { timeout: SEAL_MS });
    expect(sealSpy).toHaveBeenCalledWith({ id, recipient: ngo.id, language: "ru", path: out });
    // Sealed to the organisation's intake key: its inbox receives it as a self-report.
    const written = await bureau.intakeReceive({ path: out });
    expect(within(done).getByTestId("report-sealed-path")).toHaveTextContent(out);
    expect(within(done).getByTestId("report-sealed-id")).toHaveTextContent(written.bundle_id);
    expect(within(done).getByTestId("report-sealed-to")).toHaveTextContent(ngo.fingerprint);
    expect(within(done).getByTestId("report-sealed-size")).toHaveTextContent(/Size: /);
    expect(screen.getByTestId("report-sealed-send")).toHaveTextContent("Send this file by any channel: USB stick, Signal, e-mail.");

    // Delete my copy: a dialog says what stays and that it cannot be undone; Cancel keeps it.
    await user.click(screen.getByTestId("report-delete"));
    let dialog = await screen.findByTestId("report-delete-dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveTextContent("The sealed file you saved stays where it is");
    expect(dialog).toHaveTextContent("This cannot be undone.");
    expect(within(dialog).getByTestId("report-delete-cancel")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("report-delete-dialog")).not.toBeInTheDocument();
    expect(del).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("report-delete"));
    dialog = await screen.findByTestId("report-delete-dialog");
    await user.click(within(dialog).getByTestId("report-delete-confirm"));
    expect(await screen.findByTestId("report-deleted")).toHaveTextContent("The sealed file is still where you saved it.");
    expect(del).toHaveBeenCalledWith({ id });
    expect(await backend.reportsList()).toEqual([]);
    expect(existsSync(out)).toBe(true);
    expect(await screen.findByTestId("reports-empty")).toBeInTheDocument();
  });

  it("keeps the copy when asked, and the list shows when it was sealed; an existing file is never overwritten", async () => {
    const backend = await activist();
    const path = backend.pathFor("report.cvb");
    const ngo = await backend.contactAdd({ name: "Bureau", organisation: null, key: NGO_KEY, verified_on: null });
    const { user, id } = await atSeal(backend);
    await screen.findByTestId(`report-recipient-${ngo.id}`);
    await user.type(screen.getByTestId("report-seal-path"), path);
    await user.click(screen.getByTestId("report-seal-submit"));
    await screen.findByTestId("report-sealed", {}, { timeout: SEAL_MS });
    await user.click(screen.getByTestId("report-keep"));
    // The list is read again from the vault; the sealed mark comes with it.
    await waitFor(() => expect(within(screen.getByTestId("report-item")).getByTestId("report-item-sealed")).toHaveTextContent("Sealed"));
    expect(existsSync(path)).toBe(true);
    const sealed = readFileSync(path);

    // Seal again to the same path: refused, with calm words.
    await user.click(screen.getByTestId(`report-open-${id}`));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Seal and save"));
    await screen.findByTestId(`report-recipient-${ngo.id}`);
    await user.type(screen.getByTestId("report-seal-path"), path);
    await user.click(screen.getByTestId("report-seal-submit"));
    expect(await screen.findByTestId("report-seal-error", {}, { timeout: SEAL_MS })).toHaveTextContent("A file with this name already exists there.");
    expect(readFileSync(path)).toEqual(sealed);
  });
});

describe("the sealed file's name", () => {
  it("warns when it contains a name from the answers, as the backend finds it, and not for a neutral name", async () => {
    const backend = await activist();
    const check = vi.spyOn(backend, "reportNameCheck");
    await backend.contactAdd({ name: "Bureau", organisation: null, key: NGO_KEY, verified_on: null });
    const r = await backend.reportNew();
    await backend.reportSave({ id: r.summary.id, answers: complete() });
    const user = await openApp(backend);
    await user.click(await screen.findByTestId(`report-open-${r.summary.id}`));
    await waitFor(() => expect(stepTitle()).toHaveTextContent("Seal and save"));
    const named = backend.pathFor("aigerim-report.cvb");
    await user.type(screen.getByTestId("report-seal-path"), named);
    const warning = await screen.findByTestId("report-seal-name-warning");
    expect(warning).toHaveTextContent("Aigerim N.");
    expect(warning).toHaveTextContent(/report-\d{4}-\d{2}-\d{2}\.cvb/);
    expect(check).toHaveBeenLastCalledWith({ id: r.summary.id, path: named });
    await user.clear(screen.getByTestId("report-seal-path"));
    await user.type(screen.getByTestId("report-seal-path"), backend.pathFor("report-1.cvb"));
    await waitFor(() => expect(screen.queryByTestId("report-seal-name-warning")).not.toBeInTheDocument());
  });
});

describe("quick exit", () => {
  it("the button in the header closes everything at once", async () => {
    const backend = await activist();
    const exit = vi.spyOn(backend, "quickExit");
    const user = await openApp(backend);
    const button = screen.getByTestId("quick-exit");
    expect(button).toHaveTextContent("Quick exit");
    expect(button).toHaveAttribute("aria-keyshortcuts", "Shift+Escape");
    await user.click(button);
    expect(exit).toHaveBeenCalledTimes(1);
    // The host runs commands side by side, as the app does: ask until quick exit has run.
    await vi.waitFor(async () => expect(await backend.exited()).toBe(true));
    expect((await backend.vaultState()).unlocked).toBe(false);
    expect(screen.queryByTestId("self-report-home")).not.toBeInTheDocument();
    expect(screen.queryByTestId("quick-exit")).not.toBeInTheDocument();
    expect(screen.getByTestId("exited")).toBeEmptyDOMElement();
  });

  it("Shift+Escape does it from anywhere, even while typing, in either mode; the shortcut is listed", async () => {
    const backend = await activist();
    const exit = vi.spyOn(backend, "quickExit");
    const user = await openApp(backend);
    await user.click(screen.getByTestId("report-new"));
    await user.click(await screen.findByTestId("report-name"));
    await user.keyboard("Ai{Shift>}{Escape}{/Shift}");
    expect(exit).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("report-wizard")).not.toBeInTheDocument();
  });

  it("works on the unlock screen and in an organisation's vault, and is in the shortcut list", async () => {
    const locked = await createHostBackend({ exists: true });
    const exitLocked = vi.spyOn(locked, "quickExit");
    const user = userEvent.setup();
    const { unmount } = render(App, { props: { backend: locked } });
    await screen.findByTestId("unlock-passphrase");
    await user.click(screen.getByTestId("quick-exit"));
    expect(exitLocked).toHaveBeenCalled();
    unmount();

    const org = await createHostBackend({ exists: true, unlocked: true });
    const exit = vi.spyOn(org, "quickExit");
    render(App, { props: { backend: org } });
    await user.click(await screen.findByTestId("shortcuts-button"));
    const dialog = await screen.findByTestId("shortcuts-dialog");
    expect(dialog).toHaveTextContent("Shift+Escape");
    expect(dialog).toHaveTextContent("Quick exit");
    await user.keyboard("{Shift>}{Escape}{/Shift}");
    expect(exit).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("shortcuts-dialog")).not.toBeInTheDocument();
    expect(screen.queryByTestId("home")).not.toBeInTheDocument();
  });
});
