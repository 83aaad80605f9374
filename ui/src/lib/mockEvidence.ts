// The mock's evidence files: a stand-in for vault/attachments.rs, the
// evidence commands (src-tauri/src/commands/evidence.rs) and audit_verify.
// There is no file system here: a path names either a file given in
// MockOptions.files, a copy saved earlier, or a sample made up from the
// extension. The rules and English messages follow the core's, because the
// UI shows those messages; the media type comes from the bytes, as in the
// core, not from the name.
import type {
  Attachment,
  AttachFileRequest,
  AuditProblem,
  AuditReport,
  Capture,
  PickPathRequest,
  Preview,
  ProgressEvent,
  ReportFile,
  SaveCopyRequest,
} from "./bindings";
import type { CustodyLog } from "./mockCustody";
import { ipcError } from "./mockRecords";
import { sha256Hex } from "./mockCustody";
import { LIMITS } from "./reference";

export type MockFile = {
  /** The bytes; a string is taken as UTF-8. */
  content?: string | Uint8Array;
  /** A size to pretend, for files too big to hold (over 4 GiB). */
  size?: number;
  /** It is a folder. */
  folder?: boolean;
  /** What the file's EXIF says. */
  capture?: Partial<Capture>;
};

type Stored = { a: Attachment; bytes: Uint8Array; damaged: boolean };

export type EvidenceOptions = {
  actor: string;
  stamp: () => string;
  files: Record<string, MockFile>;
  custody: CustodyLog;
  records: {
    lookup(id: string): { kind: string; trashed: boolean } | undefined;
    digests(): { id: string; digest: string }[];
  };
  progress: (e: ProgressEvent) => void;
  /** Pause between progress events, in ms. */
  stepMs: number;
  pickPath?: (req: PickPathRequest) => string | null;
};

const MAX_ATTACHMENT_BYTES = LIMITS.attachment_bytes;
const PROGRESS_STEPS = 4;

// An 8×8 JPEG and PNG made with ImageMagick, so that a preview in `npm run dev` shows a picture.
const SAMPLE_JPEG =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCEBTCf/9k=";
const SAMPLE_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQMAAAD+wSzIAAAAA1BMVEVKb6WerhXDAAAAC0lEQVQI12NgQAUAABAAAaHFIcEAAAAASUVORK5CYII=";
/** How kamadak-exif displays these tags (what the core stores). */
export const SAMPLE_CAPTURE: Capture = {
  taken_at: "2019-03-14 10:22:05",
  device: "Apple iPhone 8",
  gps: "43 deg 14 min 20.04 sec N, 76 deg 53 min 22.68 sec E",
};
export const NO_CAPTURE: Capture = { taken_at: null, device: null, gps: null };

function fromBase64(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function bytesOf(content: string | Uint8Array | undefined): Uint8Array {
  if (content === undefined) return new Uint8Array();
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

/** A plausible file for a path nobody described, by its extension; no extension means a folder. */
function sampleFile(path: string): MockFile {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path.split("/").pop() ?? "")?.[1]?.toLowerCase();
  switch (ext) {
    case undefined:
      return { folder: true };
    case "jpg":
    case "jpeg":
      return { content: fromBase64(SAMPLE_JPEG), capture: SAMPLE_CAPTURE };
    case "png":
      return { content: fromBase64(SAMPLE_PNG) };
    case "txt":
    case "md":
    case "csv":
      return { content: "Показания записаны 14 марта 2019 года.\nStatement recorded on 14 March 2019.\n" };
    case "json":
      // An MVT (Mobile Verification Toolkit) module's output: one record matched an indicator.
      return {
        content: JSON.stringify([
          { isodate: "2024-05-01 10:12:00.000000", url: "https://example.org/" },
          { isodate: "2024-05-02 22:31:07.000000", url: "https://bad.example/x", matched_indicator: { value: "bad.example", type: "domain" } },
        ]),
      };
    case "pdf":
      return { content: "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n" };
    case "mp4":
      return { content: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0]) };
    case "mp3":
      return { content: new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]) };
    case "ogg":
      return { content: new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0]) };
    default:
      return { content: new Uint8Array([0, 159, 146, 150, 1, 2]) };
  }
}

/** The media type from the first bytes, like the core's `infer` plus its UTF-8 fallback. */
export function sniffMediaType(b: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x25, 0x50, 0x44, 0x46)) return "application/pdf";
  if (b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70) return "video/mp4";
  if (starts(0x49, 0x44, 0x33) || starts(0xff, 0xfb)) return "audio/mpeg";
  if (starts(0x4f, 0x67, 0x67, 0x53)) return "audio/ogg";
  if (b.length === 0) return "application/octet-stream";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return "text/plain";
  } catch {
    return "application/octet-stream";
  }
}

/** attachments::sanitise_name: no separators or control characters, at most 255 bytes. */
export function sanitiseName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  let name = raw.replace(/[/\\\u0000-\u001f\u007f-\u009f]/g, "_").trim();
  while (new TextEncoder().encode(name).length > 255) name = [...name].slice(0, -1).join("");
  return name === "" || name === "." || name === ".." ? "attachment" : name;
}

function invalid(field: string, problem: string) {
  return ipcError("invalid_input", `${field}: ${problem}`);
}

function tampered(detail: string) {
  return ipcError("tampered", `The vault is damaged or was modified outside Casevault (${detail}). Nothing was written. Restore it from a backup.`);
}

/** commands::evidence::full_path: paths cross IPC as text and must be absolute. */
function fullPath(text: string, what: string): string {
  const path = text.trim();
  if (!path.startsWith("/")) throw invalid("path", `give the full path of ${what}, e.g. /home/you/Documents/photo.jpg`);
  return path;
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createEvidenceStore(opts: EvidenceOptions) {
  const stored = new Map<string, Stored>();
  /** Copies saved outside the vault, by path: they exist from then on. */
  const written = new Map<string, Uint8Array>();

  function fileAt(path: string): MockFile | null {
    const copy = written.get(path);
    if (copy) return { content: copy };
    if (opts.files[path]) return opts.files[path];
    return path.includes("missing") ? null : sampleFile(path);
  }

  function get(id: string): Stored {
    const s = stored.get(id);
    if (!s) throw invalid("attachment", `there is no attachment "${id}"`);
    return s;
  }

  function damaged(s: Stored, tail: string) {
    return tampered(`attachment "${s.a.original_name}" is damaged or missing (its header is not valid); ${tail}`);
  }

  async function stepProgress(task: string, from: number, size: number, total: number): Promise<void> {
    for (let i = 1; i <= PROGRESS_STEPS; i++) {
      await sleep(opts.stepMs);
      opts.progress({ task, done: from + Math.round((size * i) / PROGRESS_STEPS), total });
    }
  }

  async function add(req: AttachFileRequest): Promise<Attachment> {
    const path = fullPath(req.path, "the file to attach");
    const record = opts.records.lookup(req.record_id);
    if (!record) throw invalid("record", `there is no record "${req.record_id}"`);
    if (record.trashed) throw invalid("record", "the record is in the trash; restore it before attaching files");
    if (req.derived_from) get(req.derived_from);
    const file = fileAt(path);
    if (!file) throw invalid("file", `${path} does not exist (was it moved or deleted?); nothing was attached`);
    if (file.folder) throw invalid("file", `${path} is a folder; attach the files inside it`);
    const bytes = bytesOf(file.content);
    const size = file.size ?? bytes.length;
    if (size > MAX_ATTACHMENT_BYTES) {
      throw invalid(
        "file",
        `${path} is ${(size / 2 ** 30).toFixed(1)} GiB; files up to 4 GiB can be attached. Split the recording, or keep it on encrypted external storage and attach a note.`,
      );
    }
    await stepProgress("attach", 0, size, size);
    const note = req.note?.trim() ? req.note : null;
    const a: Attachment = {
      id: randomId(),
      record_id: req.record_id,
      original_name: sanitiseName(path.split("/").pop() ?? ""),
      size,
      sha256: sha256Hex(bytes),
      media_type: sniffMediaType(bytes),
      capture: { ...NO_CAPTURE, ...file.capture },
      added_at: opts.stamp(),
      added_by: opts.actor,
      derived_from: req.derived_from ?? null,
      note,
    };
    stored.set(a.id, { a, bytes, damaged: false });
    opts.custody.append({
      action: "attach",
      target: a.id,
      target_kind: "attachment",
      digest: a.sha256,
      detail: `${a.original_name} (${a.size} bytes) to ${record.kind} "${req.record_id}"`,
    });
    return structuredClone(a);
  }

  function open(id: string): Preview {
    const s = get(id);
    if (s.damaged) throw damaged(s, "other records are not affected");
    opts.custody.append({ action: "open_attachment", target: id, target_kind: "attachment", digest: s.a.sha256, detail: s.a.original_name });
    // The real backend serves cvfile:// from memory; a data: URL is the closest a browser gets.
    return { url: `data:${s.a.media_type};base64,${toBase64(s.bytes)}`, attachment: structuredClone(s.a) };
  }

  async function saveCopy(req: SaveCopyRequest): Promise<null> {
    const path = fullPath(req.path, "the copy to create");
    const s = get(req.id);
    if (written.has(path) || opts.files[path]) {
      throw ipcError("vault_exists", `${path} already exists. Choose another location; an existing vault is never overwritten.`);
    }
    if (s.damaged) throw damaged(s, "other records are not affected");
    await stepProgress("save-copy", 0, s.a.size, s.a.size);
    written.set(path, s.bytes);
    opts.custody.append({
      action: "save_copy",
      target: s.a.id,
      target_kind: "attachment",
      digest: s.a.sha256,
      detail: `${s.a.original_name} saved to ${path}`,
    });
    return null;
  }

  function pick(req: PickPathRequest): string | null {
    if (req.purpose !== "open" && req.purpose !== "save") throw invalid("purpose", `"${req.purpose}" is neither open nor save`);
    return opts.pickPath?.(req) ?? null;
  }

  async function audit(quick: boolean): Promise<AuditReport> {
    const chain = opts.custody.checkChain();
    const problems: AuditProblem[] = [...chain.problems];
    const latest = opts.custody.latest();
    const records = opts.records.digests();
    for (const r of records) {
      const e = latest.get(r.id);
      if (!e) problems.push({ seq: null, target: r.id, code: "no_entry", problem: `record "${r.id}" has no custody log entry` });
      else if (e.digest !== r.digest) {
        problems.push({
          seq: e.seq,
          target: r.id,
          code: "state_mismatch",
          problem: `record "${r.id}" does not match its latest custody entry (${e.seq}): it was changed outside Casevault or rolled back`,
        });
      }
    }
    const all = [...stored.values()];
    const total = all.reduce((n, s) => n + s.a.size, 0);
    let done = 0;
    for (const s of all) {
      if (latest.get(s.a.id)?.digest !== s.a.sha256) {
        problems.push({ seq: null, target: s.a.id, code: "state_mismatch", problem: `attachment "${s.a.original_name}" does not match its intake entry in the custody log` });
      }
      if (quick) continue;
      await stepProgress("audit", done, s.a.size, total);
      done += s.a.size;
      if (s.damaged) problems.push({ seq: null, target: s.a.id, code: "bytes_damaged", problem: damaged(s, "other records are not affected").message });
    }
    return {
      entries: opts.custody.count(),
      head_hash: chain.head,
      first_broken_link: chain.firstBrokenLink,
      records_checked: records.length,
      attachments_checked: quick ? 0 : all.length,
      problems,
    };
  }

  /**
   * Registers a file that arrived inside a self-report as an attachment of
   * `recordId` (attachments::register_blob): the bytes were hashed by the
   * reporter at intake, and the custody entry says so.
   */
  function register(recordId: string, file: ReportFile, bytes: Uint8Array, note: string): Attachment {
    const a: Attachment = {
      id: randomId(),
      record_id: recordId,
      original_name: sanitiseName(file.original_name),
      size: bytes.length,
      sha256: sha256Hex(bytes),
      media_type: file.media_type,
      capture: { ...file.capture },
      added_at: opts.stamp(),
      added_by: opts.actor,
      derived_from: null,
      note,
    };
    stored.set(a.id, { a, bytes, damaged: false });
    opts.custody.append({
      action: "attach",
      target: a.id,
      target_kind: "attachment",
      digest: a.sha256,
      detail: `${file.original_name} (${a.size} bytes) to case "${recordId}", ${note}; hashed ${file.added_at} by the reporter at intake`,
    });
    return structuredClone(a);
  }

  return {
    add,
    register,
    /** A file on the simulated disk (given, saved earlier or a sample), or null when there is none. */
    source: (path: string): MockFile | null => fileAt(path),
    list: (recordId: string): Attachment[] => [...stored.values()].filter((s) => s.a.record_id === recordId).map((s) => structuredClone(s.a)),
    open,
    saveCopy,
    pick,
    audit,
    /** For tests: the encrypted file no longer decrypts. */
    damage(id: string): void {
      get(id).damaged = true;
    },
    /** For tests: the paths copies were saved to. */
    writtenPaths: () => [...written.keys()],
  };
}

export type EvidenceStore = ReturnType<typeof createEvidenceStore>;
