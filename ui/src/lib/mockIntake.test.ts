import { describe, expect, it } from "vitest";
import type { SelfReport } from "./bindings";
import { createMockBackend } from "./mockBackend";
import { readAnswers, reportProblems, toDocument } from "./mockIntake";
import { emptyReport, emptySection } from "./selfReport";

const AGE = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

/** The core's test report (model/self_report.rs `filled()`). */
function filled(): SelfReport {
  const r = emptyReport();
  r.step = 7;
  r.about_me = { name: "Aigerim N.", other_names: "Айгерим Н.\n", citizenship: "KZ", living_in: "DE", contact: "Signal +49 000" };
  r.what_happened = {
    happened: true,
    act_type: "physical_surveillance",
    when: "March 2024",
    place: "outside my flat",
    country: "DE",
    details: "Two men photographed me for a week.",
    who: "KNB",
    why: "They spoke Kazakh and asked neighbours about me.",
  };
  r.relatives = { ...emptySection(), happened: true, act_type: "coercion_by_proxy", when: "approx. April 2024", details: "Police visited my mother in Almaty." };
  r.digital = { ...emptySection(), happened: false };
  r.consent = { record: true, share_lawyers: true, share_un: false, contact_me: false, pseudonym_only: false };
  return r;
}

describe("the mock's questionnaire, as the core's", () => {
  it("turns a filled report into records, an unnamed reporter protected under a pseudonym", () => {
    const doc = toDocument(filled(), "0123456789abcdef", "SHA256:AbCdEf123456");
    expect(doc.incidents).toHaveLength(2);
    expect(doc.incidents[1].act_type).toBe("coercion_by_proxy");
    expect(doc.incidents[1].start).toBe("~2024-04");
    expect(doc.incidents[0].description).toContain("KNB");
    expect(doc.persons[0].names).toHaveLength(2);
    expect(doc.persons[0].protected).toBe(false);
    expect(doc.testimonies[0].statement).toContain("Police visited");

    const r = filled();
    r.about_me.name = "  ";
    const anon = toDocument(r, "0123456789abcdef", "SHA256:AbCdEf123456");
    expect(anon.persons[0].protected).toBe(true);
    expect(anon.persons[0].names[0].name).toBe("Reporter AbCdEf12");
  });

  it("names the step to fix for each problem", () => {
    const r = filled();
    r.relatives.when = "the 45th of Smarch";
    r.digital = { ...emptySection(), happened: true, act_type: "assault", when: "2023", details: "x" };
    r.consent.record = false;
    expect(reportProblems(r).map((p) => [p.step, p.field])).toEqual([
      ["relatives", "when"],
      ["digital", "act_type"],
      ["consent", "record"],
    ]);
    expect(() => toDocument(r, "0123456789abcdef", "SHA256:x")).toThrow();
    expect(reportProblems(emptyReport())[0].step).toBe("what_happened");
    expect(reportProblems(filled())).toEqual([]);
  });

  it("reads answers as serde would: defaults for what is missing, unknown fields refused", () => {
    expect(readAnswers("report_save", { step: 2 })).toEqual({ ...emptyReport(), step: 2 });
    expect(() => readAnswers("report_save", { nickname: "x" })).toThrow(/unknown field `nickname`/);
    expect(() => readAnswers("report_save", { relatives: { happened: "yes" } })).toThrow(/expected a boolean or null/);
  });
});

describe("the mock's reports and intake", () => {
  it("checks keys the way the core does", async () => {
    const b = createMockBackend({ exists: true, unlocked: true, mode: "self_report" });
    const ok = await b.keyCheckText({ key: `  ${AGE}\n` });
    expect(ok).toMatchObject({ key: AGE, kind: "age" });
    expect(ok.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await expect(b.keyCheckText({ key: AGE.slice(0, 50) })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("damaged or incomplete") });
    await expect(b.keyCheckText({ key: "ssh-rsa AAAAB3Nza" })).rejects.toMatchObject({ message: expect.stringContaining("only ssh-ed25519") });
    await expect(b.keyCheckText({ key: "hello" })).rejects.toMatchObject({ message: expect.stringContaining("not a public key") });
    await expect(b.keyCheckFile({ path: "/media/usb/key.pub" })).rejects.toMatchObject({ message: expect.stringContaining("not a text file") });
  });

  it("keeps reports in memory: save, attach, remove, delete; refuses what the core refuses", async () => {
    const b = createMockBackend({ exists: true, unlocked: true, mode: "self_report" });
    expect((await b.vaultStatus()).mode).toBe("self_report");
    const r = await b.reportNew();
    expect(r.answers).toEqual(emptyReport());
    await b.reportSave({ id: r.summary.id, answers: filled() });
    expect((await b.reportGet({ id: r.summary.id })).answers.relatives.details).toBe("Police visited my mother in Almaty.");
    const f = await b.reportAttach({ id: r.summary.id, path: "/home/me/phone.json", kind: "mvt" });
    expect(f.kind).toBe("mvt");
    expect((f as typeof f & { note: string }).note).toBe("MVT report: 2 record(s), 1 matched indicator(s) of compromise (bad.example)");
    await expect(b.reportAttach({ id: r.summary.id, path: "/home/me/notes.txt", kind: "mvt" })).rejects.toMatchObject({
      message: expect.stringContaining("this is not an MVT JSON report"),
    });
    await expect(b.reportAttach({ id: r.summary.id, path: "phone.json", kind: "file" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(b.reportAttach({ id: r.summary.id, path: "/x/missing.png", kind: "file" })).rejects.toMatchObject({ message: expect.stringContaining("does not exist") });
    await expect(b.reportAttach({ id: r.summary.id, path: "/x/a.png", kind: "video" })).rejects.toMatchObject({ message: expect.stringContaining('"file" or an "mvt"') });
    expect((await b.reportsList())[0].files).toBe(1);
    await b.reportFileRemove({ id: r.summary.id, file_id: f.id });
    await expect(b.reportFileRemove({ id: r.summary.id, file_id: f.id })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(b.reportSeal({ id: r.summary.id, recipient: "", language: "en", path: "/media/usb/r.cvb" })).rejects.toMatchObject({
      message: expect.stringContaining("paste the recipient's public key"),
    });
    await b.reportDelete({ id: r.summary.id });
    expect(await b.reportsList()).toEqual([]);
    await expect(b.reportGet({ id: r.summary.id })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("refuses to seal an unfinished report, and a sealed file never overwrites another", async () => {
    const b = createMockBackend({ exists: true, unlocked: true, mode: "self_report" });
    const r = await b.reportNew();
    await expect(b.reportSeal({ id: r.summary.id, recipient: AGE, language: "en", path: "/media/usb/r.cvb" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("what_happened.happened"),
    });
    await b.reportSave({ id: r.summary.id, answers: filled() });
    const sealed = await b.reportSeal({ id: r.summary.id, recipient: AGE, language: "en", path: "/media/usb/r.cvb" });
    expect(sealed.reporter_fingerprint).toBe((await b.orgKeyShow()).fingerprint);
    await expect(b.reportSeal({ id: r.summary.id, recipient: AGE, language: "en", path: "/media/usb/r.cvb" })).rejects.toMatchObject({ code: "vault_exists" });
    expect((await b.reportsList())[0].last_sealed_at).not.toBeNull();
  });

  it("receives sample reports: not addressed to this organisation, received twice, missing", async () => {
    const b = createMockBackend({ exists: true, unlocked: true });
    await expect(b.intakeReceive({ path: "/media/usb/a.cvb" })).rejects.toMatchObject({ message: expect.stringContaining("no intake key yet") });
    await b.identityCreate({ label: "intake" });
    await expect(b.intakeReceive({ path: "/media/usb/other-ngo.cvb" })).rejects.toMatchObject({
      code: "not_addressed_to_you",
      message: expect.stringContaining("This report is not addressed to this organisation:"),
    });
    const item = await b.intakeReceive({ path: "/media/usb/a.cvb" });
    expect(item).toMatchObject({ status: "pending", reporter_name: "Aigerim N.", files: 1, earlier_reports: 0 });
    await expect(b.intakeReceive({ path: "/media/usb/a.cvb" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/received before, on .* \(waiting for review\); nothing was duplicated/),
    });
    const second = await b.intakeReceive({ path: "/media/usb/b.cvb" });
    // Both samples carry the same made-up reporter key: the one received later is the follow-up.
    expect(second.earlier_reports).toBe(1);
    expect((await b.intakeList()).find((i) => i.bundle_id === item.bundle_id)!.earlier_reports).toBe(0);
    await expect(b.intakeReceive({ path: "/media/usb/missing.cvb" })).rejects.toMatchObject({ message: expect.stringContaining("does not exist") });
    await expect(b.intakeReject({ bundle_id: item.bundle_id, reason: "  " })).rejects.toMatchObject({ message: expect.stringContaining("say why") });
    await expect(b.intakeAccept({ bundle_id: item.bundle_id, case_id: "case-nope", person_id: null })).rejects.toMatchObject({
      message: expect.stringContaining('there is no case "case-nope"'),
    });
    const caseId = await b.intakeAccept({ bundle_id: item.bundle_id, case_id: null, person_id: null });
    await expect(b.intakeAccept({ bundle_id: item.bundle_id, case_id: null, person_id: null })).rejects.toMatchObject({
      message: expect.stringContaining(`already accepted into case ${caseId}`),
    });
    expect((await b.intakeReview({ bundle_id: second.bundle_id })).reporter_cases).toEqual([caseId]);
  });
});
