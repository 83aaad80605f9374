import { describe, expect, it, vi } from "vitest";
import { seededBackend, CASE_ID, INCIDENT_ID } from "../test/fixtures";
import { createMockBackend } from "./mockBackend";
import { sanitiseName, sniffMediaType } from "./mockEvidence";
import { sha256Hex } from "./mockSha256";

describe("mock SHA-256", () => {
  it("matches the standard test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(sha256Hex("a".repeat(1000))).toBe("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  });
});

describe("mock evidence", () => {
  it("sniffs media types from the bytes and sanitises names like the core", () => {
    expect(sniffMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffMediaType(new TextEncoder().encode("%PDF-1.7\n"))).toBe("application/pdf");
    expect(sniffMediaType(new TextEncoder().encode("Показания, 2008"))).toBe("text/plain");
    expect(sniffMediaType(new Uint8Array([0, 159, 146, 150, 1, 2]))).toBe("application/octet-stream");
    expect(sanitiseName("a\\b\u0001c")).toBe("a_b_c");
    expect(sanitiseName("..")).toBe("attachment");
  });

  it("attaches, logs every action in a hash chain, and audits clean", async () => {
    const b = seededBackend();
    const progress = vi.fn();
    await b.onProgress(progress);
    const a = await b.attachmentAdd({ record_id: INCIDENT_ID, path: "/home/test/photo.jpg", derived_from: null, note: "  " });
    expect(a).toMatchObject({ original_name: "photo.jpg", media_type: "image/jpeg", note: null, added_by: "caseworker" });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.capture.device).toBe("Apple iPhone 8");
    expect(progress).toHaveBeenLastCalledWith({ task: "attach", done: a.size, total: a.size });
    expect(await b.attachmentsList({ record_id: INCIDENT_ID })).toEqual([a]);

    const preview = await b.attachmentOpen({ id: a.id });
    expect(preview.url).toMatch(/^data:image\/jpeg;base64,/);
    await b.attachmentSaveCopy({ id: a.id, path: "/media/usb/photo.jpg" });
    await expect(b.attachmentSaveCopy({ id: a.id, path: "/media/usb/photo.jpg" })).rejects.toMatchObject({ code: "vault_exists" });
    expect(b.savedCopies()).toEqual(["/media/usb/photo.jpg"]);

    const trail = await b.custodyTrail({ target: a.id });
    expect(trail.map((e) => e.action)).toEqual(["attach", "open_attachment", "save_copy"]);
    expect(trail[0].digest).toBe(a.sha256);
    const all = await b.custodyTrail({ target: null });
    expect(all[0]).toMatchObject({ seq: 1, action: "vault_created", prev_hash: "0".repeat(64) });
    all.slice(1).forEach((e, i) => expect(e.prev_hash).toBe(all[i].hash));

    const report = await b.auditVerify({ quick: false });
    expect(report).toMatchObject({ problems: [], first_broken_link: null, attachments_checked: 1, entries: all.length });
    expect(report.head_hash).toBe(all.at(-1)!.hash);
  });

  it("refuses what the core refuses, with its messages", async () => {
    const b = createMockBackend({
      exists: true,
      unlocked: true,
      seed: { cases: [{ id: CASE_ID, title: "T", status: "open", tags: [], host_countries: [] }] },
      files: { "/home/test/huge.mov": { size: 5 * 1024 ** 3 } },
    });
    const add = (path: string, record_id = CASE_ID) => b.attachmentAdd({ record_id, path, derived_from: null, note: null });
    await expect(add("photo.jpg")).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("give the full path") });
    await expect(add("/home/test/missing.jpg")).rejects.toMatchObject({
      code: "invalid_input",
      message: "file: /home/test/missing.jpg does not exist (was it moved or deleted?); nothing was attached",
    });
    await expect(add("/home/test/Documents")).rejects.toMatchObject({ message: expect.stringContaining("is a folder") });
    await expect(add("/home/test/huge.mov")).rejects.toMatchObject({ message: expect.stringContaining("files up to 4 GiB") });
    await expect(add("/home/test/photo.jpg", "nope")).rejects.toMatchObject({ message: 'record: there is no record "nope"' });
    expect(await b.pathPick({ purpose: "open", suggested_name: null })).toBeNull();
    await expect(b.pathPick({ purpose: "delete", suggested_name: null })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("reports a damaged file and an altered log entry in the audit", async () => {
    const b = seededBackend();
    const a = await b.attachmentAdd({ record_id: CASE_ID, path: "/home/test/scan.pdf", derived_from: null, note: null });
    b.damageAttachment(a.id);
    await expect(b.attachmentOpen({ id: a.id })).rejects.toMatchObject({ code: "tampered", message: expect.stringContaining('"scan.pdf"') });
    b.tamperCustodyEntry(2);
    const quick = await b.auditVerify({ quick: true });
    expect(quick.first_broken_link).toBe(2);
    expect(quick.problems.map((p) => p.problem)).toEqual(["custody log entry 2: its content was changed after it was written"]);
    const deep = await b.auditVerify({ quick: false });
    expect(deep.problems).toHaveLength(2);
    expect(deep.problems[1]).toMatchObject({ target: a.id, problem: expect.stringContaining("scan.pdf") });
  });
});
