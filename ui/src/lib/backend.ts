import { listen, TauriEvent } from "@tauri-apps/api/event";
import { EVENTS, tauriCommands } from "./bindings";
import type { Commands, ErrorCode, IpcError, Problem, ProgressEvent } from "./bindings";

/** Everything the UI may ask of the Rust side: the commands plus its events. */
export interface Backend extends Commands {
  /** Subscribe to `progress` events. Resolves to an unsubscribe function. */
  onProgress(cb: (e: ProgressEvent) => void): Promise<() => void>;
  /** Subscribe to `vault-locked` events. Resolves to an unsubscribe function. */
  onVaultLocked(cb: () => void): Promise<() => void>;
  /**
   * Files dropped on the window: their full paths. The webview never reads
   * a dropped file itself; the paths go to a command like any typed path.
   * Resolves to an unsubscribe function.
   */
  onFileDrop(cb: (paths: string[]) => void): Promise<() => void>;
}

/** The payload of Tauri's `tauri://drag-drop` window event. */
type DragDropPayload = { paths: string[]; position: { x: number; y: number } };

export const tauriBackend: Backend = {
  ...tauriCommands,
  onProgress: (cb) => listen<ProgressEvent>(EVENTS.progress, (event) => cb(event.payload)),
  onVaultLocked: (cb) => listen<null>(EVENTS.vaultLocked, () => cb()),
  onFileDrop: (cb) => listen<DragDropPayload>(TauriEvent.DRAG_DROP, (event) => cb([...(event.payload?.paths ?? [])])),
};

/**
 * The Tauri backend. There is no stand-in: the UI is worked on inside the
 * app (`npm run tauri dev`), and the component tests carry the same
 * commands to a headless host of the real core (src/test/host.ts). Opened
 * in a plain browser, the UI fails loudly instead of pretending to keep a
 * vault.
 */
export function getBackend(): Backend {
  return tauriBackend;
}

/**
 * An error as the UI handles it. `code` is an ErrorCode, or something the UI
 * did not expect; `params` and `problems` carry what a translated message
 * needs (never parsed out of `message`).
 */
export type UiError = {
  code: ErrorCode | (string & {});
  message: string;
  params?: Record<string, string>;
  problems?: Problem[];
};

/** Turns anything a command rejected with into `{code, message}` (and its params and problems, if any). */
export function toUiError(e: unknown): UiError {
  if (typeof e === "object" && e !== null && "code" in e && typeof (e as IpcError).code === "string") {
    const { message, params, problems } = e as Partial<IpcError>;
    const out: UiError = { code: (e as IpcError).code, message: typeof message === "string" ? message : "" };
    if (params && typeof params === "object" && Object.keys(params).length > 0) out.params = params as Record<string, string>;
    if (Array.isArray(problems) && problems.length > 0) out.problems = problems;
    return out;
  }
  if (e instanceof Error) return { code: "unexpected", message: e.message };
  return { code: "unexpected", message: String(e) };
}
