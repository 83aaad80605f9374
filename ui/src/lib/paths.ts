// Paths the caseworker types or pastes for a file to attach or a copy to
// save. The backend resolves nothing relative to its own working folder
// (that would be a guess about where a piece of evidence came from), so the
// UI asks for a full path before sending anything.
import type { TKey } from "./i18n";

/** Whether the text is a full path on Linux/macOS (/…) or Windows (C:\…, \\server\…). */
export function isAbsolutePath(text: string): boolean {
  const p = text.trim();
  return p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");
}

/** What to say about the text in a path field; null while it is empty or fine. */
export function pathProblem(text: string): TKey | null {
  const p = text.trim();
  if (p === "" || isAbsolutePath(p)) return null;
  return p.startsWith("~") ? "evidence.pathTilde" : "evidence.pathNotAbsolute";
}
