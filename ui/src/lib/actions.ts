import { isSubmitChord } from "./keyboard";

/** `use:initialFocus` — focus this element when it is first shown. */
export function initialFocus(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) node.focus();
}

export type FormKeysOptions = {
  /** Escape pressed inside the form (not already handled by a field, such as an open picker list). */
  onEscape?: (e: KeyboardEvent) => void;
};

/**
 * `use:formKeys` — Ctrl+Enter (Cmd+Enter) submits the form when its submit
 * button is enabled, and Escape goes to `onEscape`. The form listens for its
 * fields rather than each field on its own.
 */
export function formKeys(node: HTMLFormElement, options: FormKeysOptions = {}) {
  let opts = options;
  function onKeydown(e: KeyboardEvent) {
    if (e.defaultPrevented) return;
    if (isSubmitChord(e)) {
      e.preventDefault();
      const submit = node.querySelector<HTMLButtonElement>("button[type=submit]");
      if (submit && !submit.disabled) node.requestSubmit(submit);
    } else if (e.key === "Escape") {
      opts.onEscape?.(e);
    }
  }
  node.addEventListener("keydown", onKeydown);
  return {
    update(next: FormKeysOptions = {}) {
      opts = next;
    },
    destroy() {
      node.removeEventListener("keydown", onKeydown);
    },
  };
}

/** `use:escapeKey={close}` — Escape inside the element (a panel) calls `close`. */
export function escapeKey(node: HTMLElement, close: () => void) {
  let handler = close;
  function onKeydown(e: KeyboardEvent) {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    handler();
  }
  node.addEventListener("keydown", onKeydown);
  return {
    update(next: () => void) {
      handler = next;
    },
    destroy() {
      node.removeEventListener("keydown", onKeydown);
    },
  };
}

/**
 * `use:releaseSource` on an <img>, <video> or <audio> showing decrypted
 * evidence: when it is removed, its source is dropped first, so the webview
 * lets go of the bytes it holds now rather than whenever it collects them.
 */
export function releaseSource(node: HTMLImageElement | HTMLMediaElement) {
  return {
    destroy() {
      if (node instanceof HTMLMediaElement) node.pause();
      node.removeAttribute("src");
      // A media element keeps its last resource until it is told to load again.
      if (node instanceof HTMLMediaElement) node.load();
    },
  };
}
