// Paths the caseworker types or pastes for a file to attach, a bundle to
// open or a copy to save. The backend resolves nothing relative to its own
// working folder (that would be a guess about where a piece of evidence came
// from), so a path must be full. The rule is the backend's (path_check):
// each field asks it as the text changes and says what is wrong before
// anything is sent.
import type { Backend } from "./backend";
import type { TKey } from "./i18n";

/** What the backend said of the text now in a path field. */
export type PathState = {
  /**
   * The field may be sent: not empty, and not refused by the backend's
   * answer for this text. Until the answer comes (a few milliseconds) a
   * typed path counts as fine; the command applies the same rule anyway.
   */
  readonly ok: boolean;
  /** What to say about it; null while it is empty, fine, or not yet answered. */
  readonly problem: TKey | null;
};

/**
 * Follows a path field: call while a component is set up, with functions
 * reading the backend and the field's text.
 */
export function pathCheck(backend: () => Pick<Backend, "pathCheck">, text: () => string): PathState {
  let answer = $state({ path: "", ok: false, tilde: false });
  $effect(() => {
    const asked = text().trim();
    if (asked === "") return;
    void backend().pathCheck({ path: asked }).then(
      (r) => {
        if (text().trim() === asked) answer = { path: asked, ok: r.ok, tilde: r.tilde };
      },
      () => {},
    );
  });
  const current = () => (answer.path !== "" && answer.path === text().trim() ? answer : null);
  return {
    get ok() {
      return text().trim() !== "" && (current()?.ok ?? true);
    },
    get problem() {
      const a = current();
      if (!a || a.ok) return null;
      return a.tilde ? "evidence.pathTilde" : "evidence.pathNotAbsolute";
    },
  };
}
