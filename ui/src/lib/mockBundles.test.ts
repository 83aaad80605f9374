import { describe, expect, it } from "vitest";
import type { Document } from "./bindings";
import type { BundleDisk } from "./mockBundles";
import { createMockBackend, type MockOptions } from "./mockBackend";
import { bech32Decode, keyFingerprint, newAgeRecipient, parseRecipient, sshFingerprint } from "./mockKeys";
import { CASE_ID, seed } from "../test/fixtures";
import { bundleSeed, PROTECTED_ID } from "../test/bundleFixtures";

// The keys from contacts.rs's own tests.
const AGE = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN alice@example";

function vault(opts: MockOptions = {}) {
  return createMockBackend({ exists: true, unlocked: true, ...opts });
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error("expected a rejection");
}

describe("keys in the mock", () => {
  it("accepts and normalises good keys, as contacts.rs does", () => {
    expect(parseRecipient(`  ${AGE}\n`)).toEqual({ key: AGE, type: "age" });
    const ssh = parseRecipient(SSH);
    expect(ssh.type).toBe("ssh-ed25519");
    expect(ssh.key).not.toContain("alice");
    // One format for every key (crypto::fingerprint): SHA256:…, an ssh key
    // exactly as ssh-keygen -l prints it.
    expect(keyFingerprint(AGE)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sshFingerprint(SSH)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyFingerprint(SSH)).toBe(sshFingerprint(SSH));
    const fresh = newAgeRecipient();
    expect(fresh).toMatch(/^age1[02-9ac-hj-np-z]{58}$/);
    expect(bech32Decode("age", fresh)).toHaveLength(32);
  });

  it("refuses bad keys with what to do, as contacts.rs does", () => {
    for (const [bad, says] of [
      ["", "paste"],
      [AGE.slice(0, -3), "damaged or incomplete"],
      [AGE.slice(0, -1) + (AGE.endsWith("p") ? "q" : "p"), "damaged or incomplete"],
      ["age1xyz", "damaged or incomplete"],
      ["AGE-SECRET-KEY-1QQQQ", "SECRET"],
      ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ", "only ssh-ed25519"],
      ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqep", "damaged or incomplete"],
      ["-----BEGIN PGP PUBLIC KEY BLOCK-----", "not a public key"],
    ]) {
      expect(() => parseRecipient(bad), bad).toThrow(expect.objectContaining({ code: "invalid_input", message: expect.stringContaining(says) }));
    }
  });

  it("adds, lists (by name), refuses and removes contacts", async () => {
    const b = vault();
    const zoe = await b.contactAdd({ name: " Zoe Lawyer ", organisation: "  ", key: AGE, verified_on: "2026-11-20" });
    expect(zoe).toMatchObject({ name: "Zoe Lawyer", organisation: null, recipient: AGE, key_type: "age", verified_on: "2026-11-20" });
    expect(zoe.id).toMatch(/^[0-9a-f]{16}$/);
    await b.contactAdd({ name: "Alice", organisation: "Law firm", key: SSH, verified_on: null });
    expect((await b.contactsList()).map((c) => c.name)).toEqual(["Alice", "Zoe Lawyer"]);

    expect(await rejection(b.contactAdd({ name: "Again", organisation: null, key: AGE, verified_on: null }))).toMatchObject({
      code: "invalid_input",
      message: 'key: this key already belongs to the contact "Zoe Lawyer"',
    });
    expect(await rejection(b.contactAdd({ name: "X", organisation: null, key: newAgeRecipient(), verified_on: "2026-02-30" }))).toMatchObject({
      code: "invalid_input",
      message: "verified_on: give the date as YYYY-MM-DD",
    });
    expect(await rejection(b.contactAdd({ name: " ", organisation: null, key: newAgeRecipient(), verified_on: null }))).toMatchObject({
      message: expect.stringContaining("name:"),
    });
    expect(await b.contactsList()).toHaveLength(2);

    await b.contactRemove({ id: zoe.id });
    expect((await b.contactsList()).map((c) => c.name)).toEqual(["Alice"]);
    expect(await rejection(b.contactRemove({ id: zoe.id }))).toMatchObject({ code: "invalid_input" });
  });

  it("creates identities with a QR code as an SVG data: URL; needs the vault unlocked", async () => {
    const b = vault();
    const v = await b.identityCreate({ label: "bundles from NGOs" });
    expect(v.identity.recipient).toMatch(/^age1/);
    expect(v.identity.fingerprint).toBe(keyFingerprint(v.identity.recipient));
    expect(v.qr_data_url).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(atob(v.qr_data_url.split(",")[1])).toContain("<svg");
    expect(await b.identitiesList()).toEqual([v]);
    expect(await rejection(b.identityCreate({ label: "" }))).toMatchObject({ code: "invalid_input" });
    const org = await b.orgKeyShow();
    expect(org.openssh).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+ casevault-org$/);
    expect(org.fingerprint).toBe(sshFingerprint(org.openssh));
    await b.vaultLock();
    expect(await rejection(b.orgKeyShow())).toMatchObject({ code: "locked" });
  });
});

describe("bundles in the mock", () => {
  it("previews what leaves: consent decides testimonies, protected persons only under their pseudonyms", async () => {
    const b = vault({ seed: bundleSeed() });
    const p = await b.bundlePreview({ case_ids: [CASE_ID] });
    expect(p.counts).toContainEqual(["case", 1]);
    expect(p.counts).toContainEqual(["person", 2]);
    expect(p.counts).toContainEqual(["testimony", 1]);
    expect(p.withheld).toEqual([{ kind: "testimony", id: "testimony-moldashev", reason: "consent does not cover sharing with lawyers" }]);
    expect(p.pseudonyms).toEqual(["Witness A"]);
    expect(await rejection(b.bundlePreview({ case_ids: ["case-nope"] }))).toMatchObject({ code: "invalid_input" });
  });

  it("passes a bundle from an NGO to a lawyer: not addressed, untrusted, trusted, imported once", async () => {
    const disk: BundleDisk = new Map();
    const ngo = vault({ seed: bundleSeed(), bundleDisk: disk });
    const lawyer = vault({ bundleDisk: disk });
    const stranger = vault({ bundleDisk: disk });
    const path = "/media/usb/bundle.cvb";
    const req = { path, passphrase: null };

    // No key yet on the lawyer's side.
    expect(await rejection(lawyer.bundleOpen(req))).toMatchObject({ code: "invalid_input", message: expect.stringContaining("no key yet") });
    const key = await lawyer.identityCreate({ label: "NGOs" });
    await stranger.identityCreate({ label: "mine" });
    const contact = await ngo.contactAdd({ name: "Lawyer", organisation: null, key: key.identity.recipient, verified_on: null });

    const report = await ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [contact.id], passphrase: null, language: "ru", organisation: "NGO", path });
    expect(report.bundle_id).toMatch(/^[0-9a-f]{32}$/);
    expect(report.fingerprint).toBe((await ngo.orgKeyShow()).fingerprint);
    expect(report.withheld).toHaveLength(1);
    expect((await ngo.custodyTrail({ target: null })).at(-1)).toMatchObject({ action: "export" });
    // Never overwritten.
    expect(await rejection(ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [contact.id], passphrase: null, language: "en", organisation: "NGO", path }))).toMatchObject({
      code: "vault_exists",
    });

    expect(await rejection(stranger.bundleOpen(req))).toMatchObject({ code: "not_addressed_to_you" });

    // No contacts: trust unknown; contacts without the NGO's key: untrusted.
    const first = await lawyer.bundleOpen(req);
    expect(first.verification.signer_trusted).toBeNull();
    expect(first.verification.problems).toEqual([]);
    expect(first.verification.manifest).toMatchObject({ language: "ru", organisation: { name: "NGO" }, redaction: { pseudonymised: 1, ids_renamed: 1 } });
    const doc: Document = first.data;
    expect(doc.persons.map((p) => p.names[0].name).sort()).toEqual(["Daniyar Moldashev", "Witness A"]);
    expect(doc.persons.some((p) => p.id === PROTECTED_ID)).toBe(false);
    expect(JSON.stringify(doc)).not.toMatch(/Sultanov/i);
    expect(doc.incidents[0].description).toContain("Witness A");
    await lawyer.contactAdd({ name: "Someone", organisation: null, key: newAgeRecipient(), verified_on: null });
    expect((await lawyer.bundleOpen(req)).verification.signer_trusted).toBe(false);

    // Import names the bundle and signer reviewed; an untrusted signer is
    // refused unless accepted, and a different bundle or signer always.
    const reviewed = {
      ...req,
      bundle_id: first.verification.manifest.bundle_id,
      signer_fingerprint: first.verification.signer_fingerprint,
      accept_untrusted: false,
    };
    expect(await rejection(lawyer.bundleImport(reviewed))).toMatchObject({ code: "untrusted_signer" });
    expect(await rejection(lawyer.bundleImport({ ...reviewed, signer_fingerprint: "SHA256:other", accept_untrusted: true }))).toMatchObject({
      code: "untrusted_signer",
    });
    expect(await rejection(lawyer.bundleImport({ ...reviewed, bundle_id: "0".repeat(32) }))).toMatchObject({ code: "invalid_input" });
    await lawyer.contactAdd({ name: "NGO", organisation: "NGO", key: (await ngo.orgKeyShow()).openssh, verified_on: "2026-11-20" });
    expect((await lawyer.bundleOpen(req)).verification.signer_trusted).toBe(true);

    const v = await lawyer.bundleImport(reviewed);
    expect(v.manifest.bundle_id).toBe(report.bundle_id);
    expect((await lawyer.casesList()).map((c) => c.id)).toEqual([CASE_ID]);
    const sources = await lawyer.sourcesList();
    expect(sources.map((s) => s.id)).toEqual([`bundle-${report.bundle_id}`]);
    expect(await rejection(lawyer.bundleImport(reviewed))).toMatchObject({ code: "invalid_input", message: expect.stringContaining("was imported before") });

    ngo.damageBundle(path);
    expect(await rejection(lawyer.bundleOpen(req))).toMatchObject({ code: "bundle_damaged" });
  });

  it("seals with a one-time passphrase: wrong passphrase, and keys instead of a passphrase, are told apart", async () => {
    const disk: BundleDisk = new Map();
    const ngo = vault({ seed: seed(), bundleDisk: disk });
    const lawyer = vault({ bundleDisk: disk });
    await lawyer.identityCreate({ label: "k" });
    const path = "/tmp/p.cvb";
    await ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [], passphrase: "violet tram under seventeen kites", language: "en", organisation: "NGO", path });
    expect(await rejection(lawyer.bundleOpen({ path, passphrase: "wrong", }))).toMatchObject({ code: "wrong_credential" });
    expect(await rejection(lawyer.bundleOpen({ path, passphrase: null }))).toMatchObject({
      message: expect.stringContaining("sealed with a passphrase"),
    });
    const view = await lawyer.bundleOpen({ path, passphrase: "violet tram under seventeen kites", });
    expect(view.data.cases.map((c) => c.id)).toEqual([CASE_ID]);
    expect(await rejection(lawyer.bundleOpen({ path: "/tmp/none.cvb", passphrase: "x", }))).toMatchObject({
      message: "bundle: /tmp/none.cvb does not exist",
    });
    expect(await rejection(ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [], passphrase: null, language: "en", organisation: "NGO", path: "/tmp/q.cvb" }))).toMatchObject({
      message: "recipient: choose at least one recipient, or a passphrase",
    });
    expect(await rejection(ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [], passphrase: "p", language: "en", organisation: " ", path: "/tmp/q.cvb" }))).toMatchObject({
      message: "organisation: give the exporting organisation's name",
    });
    expect(await rejection(ngo.bundleCreate({ case_ids: [CASE_ID], recipients: [], passphrase: "p", language: "en", organisation: "NGO", path: "q.cvb" }))).toMatchObject({
      message: expect.stringContaining("give the full path"),
    });
  });
});
