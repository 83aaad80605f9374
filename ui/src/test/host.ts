// The component tests' backend: the app's own commands (bindings.ts'
// `commandsVia`, the same table the Tauri backend is built from), carried
// to the headless command host (src-tauri/src/host.rs) instead of a
// webview's Rust side. Every answer is the real core's, on a real vault in
// a temporary directory; nothing here knows a rule.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { inject } from "vitest";
import type { Backend } from "../lib/backend";
import { commandsVia, type Document, type LockSettings, type PickPathRequest, type ProgressEvent, type VaultMode } from "../lib/bindings";

/** How a test's vault starts. */
export type HostOptions = {
  /** A vault exists (false: the first-run screens). */
  exists?: boolean;
  /** It is unlocked. */
  unlocked?: boolean;
  /** Its passphrase (default: "correct horse battery staple"). */
  passphrase?: string;
  mode?: VaultMode;
  /** Records in it before the test: part of an interchange document. */
  seed?: Partial<Omit<Document, "format" | "version">>;
  /** The UI language preference. */
  language?: string;
  lock?: LockSettings;
  /** Who writes (default "caseworker"). */
  actor?: string;
  /** A fixed time for every write (ISO 8601). */
  now?: string;
  /**
   * A pause after each progress event, as a slow disk makes: for a test
   * that watches a progress bar.
   */
  progressPauseMs?: number;
  /**
   * The native file dialog, which is the desktop's and not the app's: what
   * it answers (a path, or null for "cancelled"). Default: cancelled.
   */
  fileDialog?: (req: PickPathRequest) => string | null;
};

/** The backend, and what a test may do that a user does outside the app. */
export interface HostBackend extends Backend {
  /** The test's own directory; the vault is `vault` in it. */
  readonly dir: string;
  /** The new vault's recovery key, when the host made the vault. */
  readonly recoveryKey: string | null;
  /** Locks from the Rust side, as the idle timer or the screen lock does. */
  lockFromBackend(): Promise<void>;
  /** Whether quick exit ran (the real app's process is gone by then). */
  exited(): Promise<boolean>;
  /** Drops files on the window, as the webview's drag-and-drop event does. */
  dropFiles(paths: string[]): void;
  /**
   * Writes a file outside the vault, as the user's own files are (a photo,
   * a key on a USB stick), and returns its full path.
   */
  writeFile(name: string, content: string | Uint8Array): string;
  /** Where a file the app may write goes (a bundle, a copy): a full path in the test's directory. */
  pathFor(name: string): string;
  /** Flips one byte in the middle of a file, as tampering does. */
  damageFile(path: string): void;
  /** Flips a byte in each encrypted evidence file of the vault. */
  damageEvidenceFiles(): void;
  /** Edits one custody entry in the database without rehashing the chain. */
  tamperCustodyEntry(seq: number): Promise<void>;
}

function flipMiddleByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 0x01;
  writeFileSync(path, bytes);
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type Listener = (event: string, payload: unknown) => void;

/** One host process per test file, started on first use. */
class Host {
  private child: ChildProcessWithoutNullStreams;
  private next = 1;
  private pending = new Map<number, Pending>();
  /** Each app's event listener, by app number. */
  readonly listeners = new Map<number, Listener>();

  constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (d: Buffer) => process.stderr.write(d));
    this.child.on("exit", (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`the command host exited (${code})`));
      this.pending.clear();
    });
    createInterface({ input: this.child.stdout }).on("line", (line) => this.receive(line));
  }

  private receive(line: string): void {
    const msg = JSON.parse(line) as { id?: number; app?: number; ok?: unknown; err?: unknown; event?: string; payload?: unknown };
    if (msg.event !== undefined) {
      this.listeners.get(msg.app ?? -1)?.(msg.event, msg.payload ?? null);
      return;
    }
    const waiting = this.pending.get(msg.id ?? -1);
    if (!waiting) return;
    this.pending.delete(msg.id!);
    if (process.env.CASEVAULT_HOST_TRACE) process.stderr.write(`host ${line.slice(0, 400)}\n`);
    if ("err" in msg) waiting.reject(msg.err);
    else waiting.resolve(msg.ok ?? null);
  }

  call(app: number | null, cmd: string, args: unknown = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (process.env.CASEVAULT_HOST_TRACE) process.stderr.write(`call ${id} ${cmd} ${JSON.stringify(args).slice(0, 300)}\n`);
      this.child.stdin.write(JSON.stringify({ id, app, cmd, args: args ?? {} }) + "\n");
    });
  }
}

let host: Host | null = null;

/** Which app opened each preview URL: its `cvfile:` answers come from that app. */
const previewApps = new Map<string, number>();

// The webview fetches previews from the app's `cvfile:` protocol; here the
// same request goes to the host, which answers with the app's own handler.
const networkFetch = globalThis.fetch;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith("cvfile:")) return networkFetch(input, init);
  const app = previewApps.get(url);
  if (app === undefined) return new Response(null, { status: 404 });
  const range = new Headers(init?.headers).get("range");
  const answer = (await theHost().call(app, "host_cvfile", { url, range })) as {
    status: number;
    headers: Record<string, string>;
    body: string;
  };
  return new Response(answer.body ? Buffer.from(answer.body, "base64") : null, { status: answer.status, headers: answer.headers });
};

function theHost(): Host {
  host ??= new Host(inject("hostBinary"));
  return host;
}

/** Subscribers to one event of one app. */
function channel<T>() {
  const subs = new Set<(v: T) => void>();
  return {
    emit: (v: T) => subs.forEach((cb) => cb(v)),
    on: (cb: (v: T) => void) => {
      subs.add(cb);
      return Promise.resolve(() => void subs.delete(cb));
    },
  };
}

/**
 * A new app on a fresh vault (or none) in a new temporary directory, and
 * the app's commands wired to it. A test may hold several.
 */
export async function createHostBackend(opts: HostOptions = {}): Promise<HostBackend> {
  const h = theHost();
  const { seed, fileDialog, progressPauseMs, ...rest } = opts;
  const start = {
    ...rest,
    progress_pause_ms: progressPauseMs ?? 0,
    seed: seed ? { format: "casevault-interchange", version: 1, ...seed } : undefined,
  };
  const { app, info } = (await h.call(null, "host_start", start)) as {
    app: number;
    info: { dir: string; recovery_key: string | null };
  };
  const progress = channel<ProgressEvent>();
  const locked = channel<void>();
  const drops = channel<string[]>();
  h.listeners.set(app, (event, payload) => {
    if (event === "progress") progress.emit(payload as ProgressEvent);
    else if (event === "vault-locked") locked.emit();
  });
  const call = <T>(cmd: string, args?: Record<string, unknown>): Promise<T> => {
    if (cmd === "path_pick") return Promise.resolve((fileDialog?.((args as { req: PickPathRequest }).req) ?? null) as T);
    // Sent as JSON, as Tauri's IPC does: the host gets a copy.
    const answer = h.call(app, cmd, args ?? {});
    if (cmd === "attachment_open" || cmd === "bundle_file_open") {
      void answer.then((r) => {
        const url = (r as { url?: unknown } | null)?.url;
        if (typeof url === "string") previewApps.set(url, app);
      }, () => {});
    }
    return answer as Promise<T>;
  };
  return {
    ...commandsVia(call),
    onProgress: progress.on,
    onVaultLocked: (cb) => locked.on(() => cb()),
    onFileDrop: drops.on,
    dir: info.dir,
    recoveryKey: info.recovery_key,
    lockFromBackend: async () => {
      await h.call(app, "host_lock");
    },
    exited: async () => (await h.call(app, "host_exited")) as boolean,
    dropFiles: (paths) => drops.emit(paths),
    writeFile: (name, content) => {
      const path = join(info.dir, "outside", name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    pathFor: (name) => {
      const path = join(info.dir, "outside", name);
      mkdirSync(dirname(path), { recursive: true });
      return path;
    },
    damageFile: flipMiddleByte,
    damageEvidenceFiles: () => {
      const blobs = join(info.dir, "vault", "attachments");
      for (const name of readdirSync(blobs)) if (name.endsWith(".age")) flipMiddleByte(join(blobs, name));
    },
    tamperCustodyEntry: async (seq) => {
      await h.call(app, "host_tamper_custody", { seq });
    },
  };
}
