import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import type { SelfReport } from "./lib/bindings";
import { custodyActionLabel } from "./lib/custody";
import { setLocale } from "./lib/i18n";
import { createHostBackend, type HostBackend, type HostOptions } from "./test/host";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { emptyReport } from "./lib/selfReport";
import { CASE_ID, PERSON_ID, seed } from "./test/fixtures";

/** A real photo (with EXIF capture metadata), as the reporter attaches it. */
const PHOTO = resolve(import.meta.dirname, "../../tests/fixtures/evidence/almaty-photo-exif.jpg");
/** Sealing and receiving (hashing, signing, the dossier) take seconds on a busy two-core machine. */
const BUNDLE_MS = 15_000;

beforeEach(() => {
  setLocale("en");
});

afterEach(() => {
  setLocale("en");
});

function answers(name: string, details: string): SelfReport {
  const r = emptyReport();
  r.language = "en";
  r.about_me = { name, other_names: "", citizenship: "KZ", living_in: "AT", contact: "Signal +43 000" };
  r.what_happened = { happened: true, act_type: "physical_surveillance", when: "March 2024", place: "Vienna", country: "AT", details, who: "", why: "" };
  r.consent = { record: true, share_lawyers: true, share_un: false, contact_me: true, pseudonym_only: false };
  return r;
}

/**
 * An organisation's vault (the Moldashev cases) with an intake key, and a
 * reporter's vault on the same simulated disk that sealed two reports to it
 * (the second a follow-up, signed with the same reporter key), plus one
 * sealed to another organisation.
 */
async function setup(opts: HostOptions = {}) {
  const ngo = await createHostBackend({ exists: true, unlocked: true, seed: seed(), ...opts });
  // The reports are carried to the organisation on a USB stick: files in its directory.
  const FIRST = ngo.pathFor("report-1.cvb");
  const FOLLOW_UP = ngo.pathFor("report-2.cvb");
  const ELSEWHERE = ngo.pathFor("for-another-ngo.cvb");
  const intakeKey = await ngo.identityCreate({ label: "intake" });
  const reporter = await createHostBackend({ exists: true, unlocked: true, mode: "self_report" });
  const street = reporter.writeFile("street.jpg", readFileSync(PHOTO));
  const ours = await reporter.contactAdd({ name: "NGO", organisation: null, key: intakeKey.identity.recipient, verified_on: null });
  const other = await createHostBackend({ exists: true, unlocked: true });
  const otherKey = await other.identityCreate({ label: "theirs" });
  const theirs = await reporter.contactAdd({ name: "Other NGO", organisation: null, key: otherKey.identity.recipient, verified_on: null });

  async function seal(path: string, a: SelfReport, recipient = ours.id, withPhoto = false) {
    const r = await reporter.reportNew();
    await reporter.reportSave({ id: r.summary.id, answers: a });
    if (withPhoto) await reporter.reportAttach({ id: r.summary.id, path: street, kind: "file" });
    return reporter.reportSeal({ id: r.summary.id, recipient, language: "en", path });
  }
  const first = await seal(FIRST, answers("Daniyar Moldashev", "Two men followed me from the station."), ours.id, true);
  const followUp = await seal(FOLLOW_UP, answers("Daniyar Moldashev", "They came back and photographed my door."));
  await seal(ELSEWHERE, answers("Daniyar Moldashev", "Sent to the wrong office."), theirs.id);
  return { ngo, reporter, first, followUp, FIRST, FOLLOW_UP, ELSEWHERE };
}

async function openInbox(backend: HostBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await user.click(await screen.findByTestId("nav-inbox"));
  await screen.findByTestId("inbox-view");
  return user;
}

async function receiveByPath(user: ReturnType<typeof userEvent.setup>, path: string) {
  const field = screen.getByTestId("intake-path");
  // As a user waits for the last report to finish arriving.
  await waitFor(() => expect(field).toBeEnabled(), { timeout: BUNDLE_MS });
  await user.clear(field);
  await user.type(field, path);
  await user.click(screen.getByTestId("intake-receive"));
}

function items(): HTMLElement[] {
  return screen.queryAllByTestId("intake-item");
}

describe("intake inbox", () => {
  it("receives a sealed report by its path and by dropping it on the window; a follow-up is not linked to its reporter by key", async () => {
    let picked = "";
    const { ngo, first, followUp, FIRST, FOLLOW_UP } = await setup({ fileDialog: () => picked });
    picked = FIRST;
    const receive = vi.spyOn(ngo, "intakeReceive");
    const user = await openInbox(ngo);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Intake inbox");
    expect(screen.getByTestId("nav-inbox")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("intake-path")).toHaveFocus();
    expect(await screen.findByTestId("intake-empty")).toBeInTheDocument();

    // The native dialog fills the path; the button receives it.
    await user.click(screen.getByTestId("intake-choose"));
    expect(screen.getByTestId("intake-path")).toHaveValue(FIRST);
    await user.click(screen.getByTestId("intake-receive"));
    expect(await screen.findByTestId("intake-received")).toHaveTextContent("The report from Daniyar Moldashev was received and checked.");
    expect(receive).toHaveBeenCalledWith({ path: FIRST });
    await waitFor(() => expect(items()).toHaveLength(1));
    const item = items()[0];
    expect(item).toHaveAttribute("data-id", first.bundle_id);
    expect(within(item).getByTestId("intake-item-status")).toHaveTextContent("Waiting for review");
    expect(within(item).getByTestId("intake-item-summary")).toHaveTextContent("Physical surveillance (2024-03)");
    expect(within(item).getByTestId("intake-item-files")).toHaveTextContent("Files: 1");
    expect(within(item).queryByTestId("intake-known")).not.toBeInTheDocument();
    // The report just received opens for review.
    expect(await screen.findByTestId("intake-review-title")).toHaveTextContent("Report from Daniyar Moldashev");

    // Dropped on the window while the inbox is open.
    ngo.dropFiles([FOLLOW_UP]);
    await waitFor(() => expect(items()).toHaveLength(2));
    expect(receive).toHaveBeenLastCalledWith({ path: FOLLOW_UP });
    const dropped = items().find((li) => li.getAttribute("data-id") === followUp.bundle_id)!;
    // Each report is signed with a key made for that one seal (docs/SECURITY.md,
    // "Follow-ups are not linked by key"): nothing marks it as from a known reporter.
    expect(dropped).toBeDefined();
    expect(within(dropped).queryByTestId("intake-known")).not.toBeInTheDocument();
    expect(await ngo.intakeList()).toHaveLength(2);
  });

  it("stops listening for dropped files once the inbox is left", async () => {
    const { ngo, FIRST } = await setup();
    const receive = vi.spyOn(ngo, "intakeReceive");
    const user = await openInbox(ngo);
    await user.click(screen.getByTestId("nav-vault"));
    ngo.dropFiles([FIRST]);
    await new Promise((r) => setTimeout(r, 50));
    expect(receive).not.toHaveBeenCalled();
  });

  it("says clearly when a report is for another organisation, was received before, or there is no file", async () => {
    const { ngo, FIRST, ELSEWHERE } = await setup();
    const user = await openInbox(ngo);

    await receiveByPath(user, ELSEWHERE);
    let err = await screen.findByTestId("intake-error");
    expect(err).toHaveAttribute("data-code", "not_addressed_to_you");
    expect(err).toHaveTextContent("This report is not addressed to your organisation");
    expect(screen.getByTestId("intake-path")).toHaveFocus();
    expect(items()).toHaveLength(0);

    await receiveByPath(user, FIRST);
    await screen.findByTestId("intake-received");
    await receiveByPath(user, FIRST);
    err = await screen.findByTestId("intake-error");
    expect(err).toHaveAttribute("data-code", "invalid_input");
    expect(err).toHaveTextContent("nothing was duplicated");
    expect(await ngo.intakeReceive({ path: FIRST }).catch((e: unknown) => e)).toMatchObject({
      code: "invalid_input",
      problems: [expect.objectContaining({ code: "already_received" })],
    });
    expect(items()).toHaveLength(1);

    await receiveByPath(user, ngo.pathFor("missing.cvb"));
    expect(await screen.findByTestId("intake-error")).toHaveTextContent("does not exist");
  });

  it("tells the organisation it needs an intake key first", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true });
    const user = await openInbox(backend);
    expect(await screen.findByTestId("intake-no-key")).toHaveTextContent("you need an intake key");
    await receiveByPath(user, backend.pathFor("report-1.cvb"));
    expect(await screen.findByTestId("intake-error")).toHaveTextContent("no intake key yet");
  });

  it("reviews: the answers and files with their SHA-256, the dossier, and possible matches; accepts into a new case and opens it", async () => {
    const { ngo, first, FIRST } = await setup({ progressPauseMs: 30 });
    const accept = vi.spyOn(ngo, "intakeAccept");
    const user = await openInbox(ngo);
    await receiveByPath(user, FIRST);
    const review = await screen.findByTestId("intake-review");
    await waitFor(() => expect(within(review).getByTestId("intake-review-title")).toHaveFocus());

    const sealed = (await ngo.intakeReview({ bundle_id: first.bundle_id })).report;
    // Grouped in fours to read aloud; the grouping is not part of it.
    expect(within(review).getByTestId("intake-reporter-fingerprint").textContent!.replace(/\s/g, "")).toBe(first.reporter_fingerprint.replace(/\s/g, ""));
    expect(within(review).getByTestId("intake-answer-name")).toHaveTextContent("Daniyar Moldashev");
    expect(within(review).getByTestId("intake-answers-what_happened")).toHaveTextContent("Two men followed me from the station.");
    const file = within(review).getByTestId("intake-file");
    expect(within(file).getByTestId("intake-file-sha")).toHaveTextContent(sealed.files[0].file.sha256);
    expect(file).toHaveTextContent("street.jpg");
    const dossier = within(review).getByTestId("bundle-dossier");
    expect(within(dossier).getByTestId("bundle-case-title")).toHaveTextContent("Self-report: Daniyar Moldashev");
    expect(within(dossier).getByTestId("bundle-file")).toHaveAttribute("data-path", sealed.files[0].path);

    expect(within(review).getByTestId("intake-same-none")).toBeInTheDocument();
    const match = within(review).getByTestId("intake-match");
    expect(match).toHaveAttribute("data-id", PERSON_ID);
    expect(match).toHaveTextContent("Daniyar Moldashev");
    expect(match).toHaveTextContent("Exact");
    expect(match).toHaveTextContent("Moldashev: surveillance in Moscow");
    expect(within(review).getByTestId("intake-person-new")).toBeChecked();
    expect(within(review).getByTestId("intake-case-new")).toBeChecked();

    await user.click(within(review).getByTestId("intake-accept"));
    expect(await screen.findByTestId("intake-accept-progress")).toBeInTheDocument();
    const done = await screen.findByTestId("intake-accepted");
    expect(accept).toHaveBeenCalledWith({ bundle_id: first.bundle_id, case_id: null, person_id: null });
    // The new case's title from the first moment, never its id.
    expect(done).toHaveTextContent("accepted into the case “Self-report: Daniyar Moldashev”");
    expect(within(review).getByTestId("intake-review-status")).toHaveTextContent("Accepted");
    await waitFor(() => expect(items()[0]).toHaveAttribute("data-status", "accepted"));

    // The evidence went into the case, with its intake hash.
    const caseId = (await ngo.intakeList())[0].case_id!;
    const attachments = await ngo.attachmentsList({ record_id: caseId });
    expect(attachments.map((a) => a.sha256)).toEqual([sealed.files[0].file.sha256]);
    const trail = await ngo.custodyTrail({ target: first.bundle_id });
    expect(trail.map((e) => e.action)).toEqual(["intake_receive", "intake_accept"]);

    await user.click(within(done).getByTestId("intake-open-case"));
    expect(await screen.findByTestId("case-title")).toHaveTextContent("Self-report: Daniyar Moldashev");
    expect(screen.getByTestId("nav-cases")).toHaveAttribute("aria-pressed", "true");
  });

  it("suggests the reporter's earlier case for a follow-up through the name they gave again (never by key), and accepts into an existing case as an existing person", async () => {
    const { ngo, first, followUp, FIRST, FOLLOW_UP } = await setup();
    await ngo.intakeReceive({ path: FIRST });
    const firstCase = await ngo.intakeAccept({ bundle_id: first.bundle_id, case_id: null, person_id: null });
    const accept = vi.spyOn(ngo, "intakeAccept");
    const user = await openInbox(ngo);
    await receiveByPath(user, FOLLOW_UP);
    const review = await screen.findByTestId("intake-review");
    expect(await within(review).findByTestId("intake-review-title")).toHaveTextContent("Report from Daniyar Moldashev");

    // A one-time signing key per report: no earlier report is linked to it.
    expect(within(review).getByTestId("intake-same-none")).toBeInTheDocument();
    expect(within(review).queryByTestId("intake-same-item")).not.toBeInTheDocument();
    expect(within(review).getByTestId("intake-case-new")).toBeChecked();

    // The person from the first report and the one already in the vault both
    // match the name given again; the first report's person shows its case.
    const matches = within(review).getAllByTestId("intake-match");
    expect(matches.map((m) => m.getAttribute("data-id"))).toContain(PERSON_ID);
    const firstPerson = (await ngo.caseGet({ id: firstCase })).persons[0].id;
    const earlier = matches.find((m) => m.getAttribute("data-id") === firstPerson)!;
    expect(earlier).toBeDefined();
    expect(earlier).toHaveTextContent("Self-report: Daniyar Moldashev");
    expect(first.bundle_id).not.toBe(followUp.bundle_id);
    await user.click(within(review).getByTestId(`intake-person-${PERSON_ID}`));
    await user.click(within(review).getByTestId("intake-case-existing"));
    await user.selectOptions(within(review).getByTestId("intake-case-select"), CASE_ID);
    await user.click(within(review).getByTestId("intake-accept"));
    expect(await screen.findByTestId("intake-accepted")).toHaveTextContent("“Moldashev: surveillance in Moscow”");
    expect(accept).toHaveBeenCalledWith({ bundle_id: followUp.bundle_id, case_id: CASE_ID, person_id: PERSON_ID });
    const detail = await ngo.caseGet({ id: CASE_ID });
    expect(detail.incidents.some((i) => i.description.includes("photographed my door") && i.victims.includes(PERSON_ID))).toBe(true);
  });

  it("rejects only with a reason, which stays in the record and the custody log", async () => {
    const { ngo, first, FIRST } = await setup();
    const reject = vi.spyOn(ngo, "intakeReject");
    const user = await openInbox(ngo);
    await receiveByPath(user, FIRST);
    const review = await screen.findByTestId("intake-review");
    await user.click(await within(review).findByTestId("intake-reject-open"));
    const box = within(review).getByTestId("intake-reject-box");
    expect(within(box).getByTestId("intake-reject-reason")).toHaveFocus();
    await user.click(within(box).getByTestId("intake-reject-confirm"));
    expect(within(box).getByTestId("intake-reject-missing")).toHaveTextContent("Give a reason");
    expect(within(box).getByTestId("intake-reject-reason")).toHaveAttribute("aria-invalid", "true");
    expect(reject).not.toHaveBeenCalled();

    // Escape cancels, back to the button.
    await user.keyboard("{Escape}");
    expect(within(review).queryByTestId("intake-reject-box")).not.toBeInTheDocument();
    expect(within(review).getByTestId("intake-reject-open")).toHaveFocus();

    await user.click(within(review).getByTestId("intake-reject-open"));
    await user.type(within(review).getByTestId("intake-reject-reason"), "Not within our mandate: no link to transnational repression.");
    await user.click(within(review).getByTestId("intake-reject-confirm"));
    expect(await screen.findByTestId("intake-rejected")).toHaveTextContent("The report was rejected.");
    expect(reject).toHaveBeenCalledWith({ bundle_id: first.bundle_id, reason: "Not within our mandate: no link to transnational repression." });
    expect(await within(review).findByTestId("intake-reason")).toHaveTextContent("Not within our mandate");
    // When, in words and in the reader's calendar, and by whom: never a raw timestamp.
    const decided = within(review).getByTestId("intake-decided");
    expect(decided.textContent).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(decided).toHaveTextContent(/\b20\d\d\b/);
    expect(decided).toHaveTextContent("by caseworker");
    await waitFor(() => expect(items()[0]).toHaveAttribute("data-status", "rejected"));
    expect(within(review).queryByTestId("intake-accept")).not.toBeInTheDocument();
    const trail = await ngo.custodyTrail({ target: first.bundle_id });
    expect(trail.at(-1)).toMatchObject({ action: "intake_reject", detail: "Not within our mandate: no link to transnational repression." });
  });

  it("speaks Russian, and labels the new custody entries in both languages", async () => {
    expect(custodyActionLabel("intake_receive")).toBe("Self-report received");
    expect(custodyActionLabel("intake_accept")).toBe("Self-report accepted into a case");
    expect(custodyActionLabel("intake_reject")).toBe("Self-report rejected");
    setLocale("ru");
    expect(custodyActionLabel("intake_receive")).toBe("Получено сообщение от заявителя");
    const { ngo, ELSEWHERE } = await setup({ language: "ru" });
    const user = userEvent.setup();
    render(App, { props: { backend: ngo } });
    const nav = await screen.findByTestId("nav-inbox");
    expect(nav).toHaveTextContent("Входящие сообщения");
    await user.click(nav);
    expect(await screen.findByTestId("intake-receive")).toHaveTextContent("Получить");
    await receiveByPath(user, ELSEWHERE);
    expect(await screen.findByTestId("intake-error")).toHaveTextContent("Это сообщение адресовано не вашей организации");
  });
});
