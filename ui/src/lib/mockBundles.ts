// The mock's bundles and the keys around them: a stand-in for
// vault/contacts.rs, vault/org_key.rs, bundle/{redact,write,read,receive}.rs
// and src-tauri/src/commands/bundles.rs. There is no age and no tar here: a
// bundle "file" is a record in an in-memory disk (a Map by path, which two
// mock vaults may share to pass a bundle from an NGO to a lawyer). What the
// UI can see follows the core: the same refusals with the same codes and
// English messages, the same redaction for lawyers (consent, pseudonyms,
// renamed ids), trust from contacts, import with provenance, replays refused.
import type {
  AddReport,
  Attachment,
  BundleCreateRequest,
  BundleFile,
  BundleFilePreview,
  BundleFileRequest,
  BundleFileSaveRequest,
  BundleImportRequest,
  BundleOpenRequest,
  BundleView,
  Contact,
  ContactRequest,
  CreateReport,
  Document,
  ExportPreview,
  IdentityInfo,
  IdentityView,
  IpcError,
  Manifest,
  OrgPublicKey,
  Person,
  SealedReport,
  Verification,
  Withheld,
} from "./bindings";
import type { CustodyLog } from "./mockCustody";
import { checkKey, issueKey, mockQrDataUrl, randomHex } from "./mockKeys";
import { ipcError } from "./mockRecords";
import { sha256Hex } from "./mockCustody";
import { documentOf } from "./records";

/** A bundle "file" on the simulated disk. */
export type MockBundleFile = {
  /** Sealed to these keys (age1… / ssh-ed25519 …), or with a passphrase. */
  seal: { recipients: string[] } | { passphrase: string };
  manifest: Manifest;
  data: Document;
  bytes: number;
  /** Changed after it was written: every hash check fails. */
  damaged: boolean;
  /** A self-report's report.json and its evidence files' bytes, by path inside the bundle. */
  report?: { sealed: SealedReport; bytes: Record<string, Uint8Array> };
};

/** Bundle files by absolute path. */
export type BundleDisk = Map<string, MockBundleFile>;

export type BundleStoreOptions = {
  stamp: () => string;
  custody: CustodyLog;
  records: { exportDocument(): Document; importDocument(doc: Document): AddReport };
  attachments: (recordId: string) => Attachment[];
  disk: BundleDisk;
  /** Whether something other than a bundle already exists at this path. */
  exists: (path: string) => boolean;
};

function invalid(field: string, problem: string): IpcError {
  return ipcError("invalid_input", `${field}: ${problem}`);
}

function damaged(why: string): IpcError {
  return ipcError(
    "bundle_damaged",
    `This bundle is damaged or was altered after it was sealed (the bundle is damaged or was changed (${why})). Nothing was written. Do not rely on it: ask the sender for a new copy, through another channel if you can.`,
  );
}

/** commands::bundles::full_path. */
function fullPath(text: string): string {
  const path = text.trim();
  if (!path.startsWith("/")) throw invalid("path", "give the full path of the bundle file, e.g. /media/usb/moldashev.cvb");
  return path;
}

const KEPT_KINDS = ["cases", "incidents", "proceedings", "testimonies", "sources"] as const;

/** Every string in `value` replaced through `fn` (the serde_json::Value walks of redact.rs). */
function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

function collectIds(value: unknown, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v) => collectIds(v, out));
  else if (value && typeof value === "object") {
    const id = (value as Record<string, unknown>).id;
    if (typeof id === "string") out.push(id);
    Object.values(value).forEach((v) => collectIds(v, out));
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type Redactor = { id: (id: string) => string; text: (s: string) => string };

/** redact::for_lawyers: the chosen cases and what they refer to, by consent, protected persons under their pseudonyms. */
export function forLawyers(all: Document, caseIds: string[]): { doc: Document; withheld: Withheld[]; pseudonymised: number; idsRenamed: number; redactor: Redactor } {
  const cases = new Set(caseIds);
  for (const id of cases) {
    if (!all.cases.some((c) => c.id === id)) throw invalid("case", `there is no case "${id}"; \`casevault cases ls\` lists them`);
  }
  const withheld: Withheld[] = [];
  const doc = documentOf({
    cases: all.cases.filter((c) => cases.has(c.id)),
    incidents: all.incidents.filter((i) => cases.has(i.case)),
    proceedings: all.proceedings.filter((p) => cases.has(p.case)),
    interventions: all.interventions.filter((p) => cases.has(p.case)),
  });
  for (const t of all.testimonies.filter((x) => cases.has(x.case))) {
    const c = t.consent;
    const code = c.withdrawn ? "consent_withdrawn" : !c.record || !c.share_lawyers ? "not_for_lawyers" : null;
    if (code) withheld.push({ kind: "testimony", id: t.id, reason: code, code });
    else doc.testimonies.push(t);
  }
  const personIds = new Set(all.persons.filter((p) => p.case_roles.some((r) => cases.has(r.case))).map((p) => p.id));
  for (const i of doc.incidents) {
    for (const x of [...i.victims, ...i.witnesses]) personIds.add(x);
    for (const p of i.perpetrators) if (p.person) personIds.add(p.person);
  }
  for (const p of doc.proceedings) for (const x of p.persons) personIds.add(x);
  for (const t of doc.testimonies) personIds.add(t.person);
  doc.persons = all.persons
    .filter((p) => personIds.has(p.id))
    .map((p) => ({
      ...p,
      case_roles: p.case_roles.filter((r) => cases.has(r.case)),
      relationships: p.relationships.filter((r) => personIds.has(r.person)),
    }));
  const sourceIds = new Set(doc.incidents.flatMap((i) => i.sources));
  doc.sources = all.sources.filter((s) => sourceIds.has(s.id));
  const orgIds = new Set(doc.incidents.flatMap((i) => i.perpetrators.map((p) => p.organisation).filter((x): x is string => !!x)));
  doc.organisations = all.organisations.filter((o) => orgIds.has(o.id));
  const incidentIds = new Set(doc.incidents.map((i) => i.id));
  doc.incidents = doc.incidents.map((i) => ({ ...i, related: i.related.filter((r) => incidentIds.has(r)) }));
  doc.proceedings = doc.proceedings.map((p) => ({ ...p, incidents: p.incidents.filter((r) => incidentIds.has(r)) }));

  const isProtected = (p: Person) => p.protected;
  const protectedPersons = doc.persons.filter(isProtected);
  const renames = new Map<string, string>();
  let replaceNames = (s: string) => s;
  let value: unknown = doc;
  if (protectedPersons.length) {
    // Ids first ("person-moldashev" would give him away), then free text.
    const words = protectedPersons.flatMap((p) => p.names.flatMap((n) => n.name.toLowerCase().split(/[^\p{L}\p{N}]+/u))).filter((k) => k.length >= 4);
    const ids: string[] = [];
    collectIds(value, ids);
    for (const id of ids) {
      if (!renames.has(id) && words.some((w) => id.toLowerCase().includes(w))) renames.set(id, `redacted-${renames.size + 1}`);
    }
    value = mapStrings(value, (s) => renames.get(s) ?? s);
    const alternatives: string[] = [];
    const pseudonymOf = new Map<string, string>();
    for (const p of protectedPersons) {
      const pseudonym = p.pseudonym ?? "Protected person";
      for (const n of p.names) {
        alternatives.push(escapeRegex(n.name.trim()));
        pseudonymOf.set(n.name.trim().toLowerCase(), pseudonym);
        for (const word of n.name.split(/[^\p{L}\p{N}]+/u)) {
          if ([...word].length >= 4) {
            alternatives.push(`${escapeRegex(word)}[\\p{L}\\p{N}_]{0,3}`);
            pseudonymOf.set(word.toLowerCase(), pseudonym);
          }
        }
      }
    }
    const unique = [...new Set(alternatives)].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${unique.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
    replaceNames = (s: string) =>
      s.replace(pattern, (found) => {
        const lower = found.toLowerCase();
        let best: [string, string] | null = null;
        for (const [name, pseudonym] of pseudonymOf) if (lower.startsWith(name) && (!best || name.length > best[0].length)) best = [name, pseudonym];
        return best ? best[1] : "[name withheld]";
      });
    value = mapStrings(value, replaceNames);
  }
  const out = value as Document;
  out.persons = out.persons.map((p) => {
    if (!p.protected) return p;
    const { birth_date: _b, occupation: _o, affiliation: _a, host_status: _h, ...rest } = p;
    void [_b, _o, _a, _h];
    return { ...rest, names: [{ name: p.pseudonym ?? "Protected person", kind: "primary" as const }] };
  });
  return {
    doc: out,
    withheld,
    pseudonymised: protectedPersons.length,
    idsRenamed: renames.size,
    redactor: { id: (id) => renames.get(id) ?? id, text: (s) => replaceNames(renames.get(s) ?? s) },
  };
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2);
}

export function createBundleStore(opts: BundleStoreOptions) {
  const orgKey = issueKey("ssh-ed25519");
  const org = { openssh: `${orgKey.key} casevault-org`, fingerprint: orgKey.fingerprint };
  const contacts: Contact[] = [];
  const identities: IdentityInfo[] = [];

  function view(identity: IdentityInfo): IdentityView {
    return { identity: structuredClone(identity), qr_data_url: mockQrDataUrl() };
  }

  function addContact(req: ContactRequest): Contact {
    const name = (req.name ?? "").trim();
    if (name === "" || [...name].length > 200) throw invalid("name", "give the contact's name (up to 200 characters)");
    const { key, kind: type, fingerprint } = checkKey(req.key ?? "");
    const v = req.verified_on?.trim() ?? "";
    let verified: string | null = null;
    if (v !== "") {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
      const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
      if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) throw invalid("verified_on", "give the date as YYYY-MM-DD");
      verified = d.toISOString().slice(0, 10);
    }
    const other = contacts.find((c) => c.recipient === key);
    if (other) throw invalid("key", `this key already belongs to the contact "${other.name}"`);
    const contact: Contact = {
      id: randomHex(8),
      name,
      organisation: req.organisation?.trim() || null,
      recipient: key,
      key_type: type,
      fingerprint,
      verified_on: verified,
      added_at: opts.stamp(),
    };
    contacts.push(contact);
    contacts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    return structuredClone(contact);
  }

  function verifyContact(id: string, on: string | null): Contact {
    const c = contacts.find((x) => x.id === id);
    if (!c) throw invalid("contact", `there is no contact "${id}"; \`contacts ls\` lists them`);
    const v = on?.trim() ?? "";
    if (v === "") {
      c.verified_on = opts.stamp().slice(0, 10);
    } else {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
      const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
      if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) throw invalid("verified_on", "give the date as YYYY-MM-DD");
      c.verified_on = d.toISOString().slice(0, 10);
    }
    return structuredClone(c);
  }

  /** read::read_evidence: the mock holds no bytes, so a preview is an empty text file. */
  function openFile(req: BundleFileRequest): BundleFilePreview {
    const { v } = read(req);
    const f = v.manifest.files.find((x) => x.path === req.file && x.path.startsWith("attachments/"));
    if (!f) throw invalid("file", `the bundle holds no evidence file "${req.file}"`);
    return { url: "data:application/octet-stream,", media_type: "application/octet-stream", size: f.size };
  }

  /** read::save_evidence, without a disk: checks and logs only. */
  function saveFile(req: BundleFileSaveRequest): void {
    const { v } = read(req);
    if (!v.manifest.files.some((x) => x.path === req.file && x.path.startsWith("attachments/"))) {
      throw invalid("file", `the bundle holds no evidence file "${req.file}"`);
    }
    opts.custody.append({ action: "save_copy", detail: `${req.file} of bundle ${v.manifest.bundle_id} (not imported) saved to ${req.out}` });
  }

  function removeContact(id: string): void {
    const i = contacts.findIndex((c) => c.id === id);
    if (i < 0) throw invalid("contact", `there is no contact "${id}"`);
    contacts.splice(i, 1);
  }

  function createIdentity(label: string): IdentityView {
    const l = (label ?? "").trim();
    if (l === "" || [...l].length > 200) throw invalid("label", "give the key a label (up to 200 characters)");
    const { key: recipient, fingerprint } = issueKey("age");
    const info: IdentityInfo = { id: randomHex(8), label: l, recipient, fingerprint, created_at: opts.stamp() };
    identities.push(info);
    return view(info);
  }

  /** The records an export keeps (by vault id), for their attachments. */
  function keptAttachments(all: Document, doc: Document, redactor: Redactor): Attachment[] {
    const kept = new Set(KEPT_KINDS.flatMap((k) => (doc[k] as { id: string }[]).map((r) => r.id)));
    return KEPT_KINDS.flatMap((k) => (all[k] as { id: string }[]).map((r) => r.id))
      .filter((id) => kept.has(redactor.id(id)))
      .flatMap((id) => opts.attachments(id));
  }

  function preview(caseIds: string[]): ExportPreview {
    const all = opts.records.exportDocument();
    const { doc, withheld, redactor } = forLawyers(all, caseIds);
    const attachments = keptAttachments(all, doc, redactor);
    return {
      counts: [
        ["case", doc.cases.length],
        ["person", doc.persons.length],
        ["incident", doc.incidents.length],
        ["proceeding", doc.proceedings.length],
        ["testimony", doc.testimonies.length],
        ["intervention", doc.interventions.length],
        ["source", doc.sources.length],
        ["organisation", doc.organisations.length],
      ],
      attachments: attachments.length,
      attachment_bytes: attachments.reduce((n, a) => n + a.size, 0),
      withheld,
      pseudonyms: doc.persons.filter((p) => p.protected && p.pseudonym).map((p) => p.pseudonym!),
    };
  }

  function create(req: BundleCreateRequest): CreateReport {
    const out = fullPath(req.path);
    if (req.case_ids.length === 0) throw invalid("case", "choose at least one case to export");
    if (opts.disk.has(out) || opts.exists(out)) {
      throw ipcError("vault_exists", `${out} already exists. Choose another location; an existing vault is never overwritten.`);
    }
    const organisation = req.organisation.trim();
    if (organisation === "") throw invalid("organisation", "give the exporting organisation's name");
    let seal: MockBundleFile["seal"];
    if (req.passphrase) seal = { passphrase: req.passphrase };
    else {
      const keys = req.recipients.map((r) => contacts.find((c) => c.id === r)?.recipient ?? r);
      if (keys.length === 0) throw invalid("recipient", "choose at least one recipient, or a passphrase");
      seal = { recipients: keys.map((k) => checkKey(k).key) };
    }
    const all = opts.records.exportDocument();
    const { doc, withheld, pseudonymised, idsRenamed, redactor } = forLawyers(all, req.case_ids);
    const bundleId = randomHex(16);
    const attachments = keptAttachments(all, doc, redactor);
    const chain = opts.custody.checkChain();
    const generated: [string, string][] = [
      ["README.txt", "How to open and verify this bundle with standard tools\n"],
      ["data.json", pretty(doc)],
      ["dossier.html", `<!doctype html><title>${bundleId}</title>`],
      ["custody.jsonl", ""],
      ["checkpoint.txt", `casevault custody checkpoint\n${chain.head}\n`],
      ["checkpoint.txt.sig", "-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n"],
      ["org-key.pub", `${org.openssh}\n`],
      ...(["cases", "persons", "incidents", "proceedings", "testimonies"] as const).map(
        (k): [string, string] => [`csv/${k}.csv`, `id\n${(doc[k] as { id: string }[]).map((r) => r.id).join("\n")}\n`],
      ),
    ];
    const files: BundleFile[] = [
      ...generated.map(([path, text]) => ({ path, size: new TextEncoder().encode(text).length, sha256: sha256Hex(text), note: null })),
      ...attachments.map((a, i) => ({
        path: `attachments/${String(i + 1).padStart(3, "0")}-${redactor.text(a.original_name)}`,
        size: a.size,
        sha256: a.sha256,
        note: redactor.text(
          `${a.media_type}; for ${redactor.id(a.record_id)}; taken ${a.capture.taken_at ?? "-"}; device ${a.capture.device ?? "-"}; GPS ${a.capture.gps ?? "-"}`,
        ),
      })),
    ];
    const manifest: Manifest = {
      format: "casevault-bundle",
      version: 1,
      bundle_id: bundleId,
      kind: "case-export",
      created_at: opts.stamp(),
      language: req.language,
      organisation: { name: organisation, fingerprint: org.fingerprint, public_key: org.openssh },
      case_ids: doc.cases.map((c) => c.id),
      redaction: { profile: "lawyers", withheld, pseudonymised, ids_renamed: idsRenamed },
      custody: { entries: opts.custody.count(), head_hash: chain.head },
      files,
    };
    const bytes = files.reduce((n, f) => n + f.size, 0) + 2048 * (files.length + 3);
    opts.disk.set(out, { seal, manifest, data: doc, bytes, damaged: false });
    opts.custody.append({
      action: "export",
      detail: `bundle ${bundleId} of ${req.case_ids.length} case(s), ${files.length + 3} file(s), ${withheld.length} withheld`,
    });
    return { bundle_id: bundleId, files: files.length + 3, bytes, withheld: structuredClone(withheld), fingerprint: org.fingerprint };
  }

  /** read::read_data with the command's unseal and trusted keys. */
  function read(req: BundleOpenRequest): { v: Verification; data: Document } {
    const path = fullPath(req.path);
    const passphrase = req.passphrase || null;
    if (passphrase === null && identities.length === 0) {
      throw invalid("identity", "this vault has no key yet: create one under My key and give its public key to the sender");
    }
    const file = opts.disk.get(path);
    if (!file) {
      if (opts.exists(path)) throw invalid("bundle", "this is not an encrypted Casevault bundle (not an age file)");
      throw invalid("bundle", `${path} does not exist`);
    }
    if (passphrase !== null) {
      if (!("passphrase" in file.seal)) throw invalid("bundle", "this bundle is sealed to keys, not a passphrase; open it with your key");
      if (file.seal.passphrase !== passphrase) throw ipcError("wrong_credential", "The passphrase or recovery key is wrong. Nothing was changed; try again.");
    } else {
      if (!("recipients" in file.seal)) throw invalid("bundle", "this bundle is sealed with a passphrase; open it with the passphrase");
      const seal = file.seal;
      if (!identities.some((i) => seal.recipients.includes(i.recipient))) {
        throw ipcError("not_addressed_to_you", "This bundle is not addressed to you: none of your keys can open it. Ask the sender which key they sealed it to.");
      }
    }
    if (file.damaged) throw damaged("data.json does not match SHA256SUMS");
    const signer = file.manifest.organisation.fingerprint;
    const trusted = contacts.length === 0 ? null : contacts.some((c) => c.fingerprint === signer);
    const v: Verification = {
      manifest: structuredClone(file.manifest),
      signer_fingerprint: signer,
      signer_trusted: trusted,
      // The core's count: the manifest and every file it lists.
      files_checked: file.manifest.files.length + 1,
      problems: [],
    };
    return { v, data: structuredClone(file.data) };
  }

  function open(req: BundleOpenRequest): BundleView {
    const { v, data } = read(req);
    const counts = {
      in_bundle: v.manifest.files.length + 3,
      hashed: v.files_checked,
      signature_files: 2,
      evidence: v.manifest.files.filter((f) => f.path.startsWith("attachments/")).length,
    };
    return { verification: v, counts, data };
  }

  function untrustedSigner(fingerprint: string, keysGiven: boolean): IpcError {
    return ipcError(
      "untrusted_signer",
      keysGiven
        ? `This bundle is signed by ${fingerprint}, which is NOT the organisation key you trust or reviewed. Nothing was extracted or imported. Do not rely on it; ask the organisation, by phone or in person, which key they sign with.`
        : `This bundle is signed by ${fingerprint}, a key you have not said you trust. Nothing was extracted or imported. Compare this fingerprint with the organisation by phone or in person, then add their key as a contact, or accept this signer explicitly.`,
    );
  }

  /** receive::import's checks of the approval (check_approval). */
  function importBundle(req: BundleImportRequest): Verification {
    const { v, data } = read(req);
    if (req.signer_fingerprint.replace(/\s+/g, "") !== v.signer_fingerprint.replace(/\s+/g, "")) throw untrustedSigner(v.signer_fingerprint, true);
    if (req.bundle_id !== v.manifest.bundle_id) {
      throw invalid(
        "bundle",
        `the file is now bundle ${v.manifest.bundle_id}, not the bundle ${req.bundle_id} you reviewed; open it again and review it before importing`,
      );
    }
    if (v.signer_trusted !== true && !req.accept_untrusted) throw untrustedSigner(v.signer_fingerprint, false);
    if (v.manifest.kind !== "case-export") {
      throw invalid(
        "bundle",
        `this bundle is a ${v.manifest.kind}, not a case export; a self-report goes through Intake, where it is reviewed before anything enters the vault`,
      );
    }
    const provenance = `bundle-${v.manifest.bundle_id}`;
    data.sources.push({
      id: provenance,
      source_type: "ngo_report",
      citation: `Casevault bundle ${v.manifest.bundle_id} from ${v.manifest.organisation.name} (${v.signer_fingerprint}), exported ${v.manifest.created_at}`,
    });
    for (const i of data.incidents) i.sources.push(provenance);
    try {
      opts.records.importDocument(data);
    } catch (e) {
      const err = e as IpcError;
      if (err.code === "import_rejected" && err.message.split("\n").some((p) => p.includes(provenance) && p.includes("already exists"))) {
        throw invalid("bundle", `bundle ${v.manifest.bundle_id} was imported before; nothing was duplicated`);
      }
      throw e;
    }
    opts.custody.append({
      action: "import",
      target: provenance,
      detail: `bundle ${v.manifest.bundle_id} from ${v.manifest.organisation.name} signed by ${v.signer_fingerprint}`,
    });
    return v;
  }

  return {
    orgKey: (): OrgPublicKey => ({ ...org }),
    contacts: (): Contact[] => structuredClone(contacts),
    addContact,
    verifyContact,
    removeContact,
    openFile,
    saveFile,
    identities: (): IdentityView[] => identities.map(view),
    createIdentity,
    preview,
    create,
    open,
    importBundle,
    /** For tests: change a bundle file after it was written. */
    damage(path: string): void {
      const f = opts.disk.get(path);
      if (!f) throw new Error(`no bundle at ${path}`);
      f.damaged = true;
    },
  };
}

export type BundleStore = ReturnType<typeof createBundleStore>;
