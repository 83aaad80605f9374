// Keyboard shortcuts. Single keys ("/", "n", "?", arrows) only act when the
// focus is not somewhere the person types, so that they never eat a letter
// of a name or a testimony; Ctrl+Enter and Escape work everywhere. Letter
// shortcuts also match the physical key, so they work with a Russian layout.
import type { TKey } from "./i18n";

const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "file", "image", "range", "color"]);

/** Whether keys typed now would go into a field (text, select, editable). */
export function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(el.type);
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLElement && el.isContentEditable;
}

/** A modal dialog is open: page shortcuts stay out of its way. */
export function modalOpen(): boolean {
  return document.querySelector("[aria-modal='true']") !== null;
}

function plain(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.altKey && !e.metaKey;
}

/** A single-key shortcut may act: no modifier, not typing, no dialog, not handled yet. */
export function mayTakeKey(e: KeyboardEvent): boolean {
  return !e.defaultPrevented && plain(e) && !isTextEntry(document.activeElement) && !modalOpen();
}

/** Ctrl+Enter (Cmd+Enter on a Mac): submit the form being filled in. */
export function isSubmitChord(e: KeyboardEvent): boolean {
  return e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.altKey;
}

/** "?" — on a Russian layout Shift+7; on a US one Shift+/. */
export function isHelpKey(e: KeyboardEvent): boolean {
  return e.key === "?" && !e.ctrlKey && !e.altKey && !e.metaKey;
}

export function isFindKey(e: KeyboardEvent): boolean {
  return plain(e) && !e.shiftKey && (e.key === "/" || e.code === "Slash");
}

/** "n", or Ctrl+Alt+N (which works even while typing). */
export function isNewCaseKey(e: KeyboardEvent, typing: boolean): boolean {
  const n = e.code === "KeyN" || e.key.toLowerCase() === "n";
  if (e.ctrlKey && e.altKey && !e.metaKey) return n;
  return !typing && plain(e) && !e.shiftKey && n;
}

/** Alt+1…Alt+9 → 1…9; null otherwise. By physical key: Alt+digit types nothing on any layout. */
export function sectionDigit(e: KeyboardEvent): number | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const m = /^Digit([1-9])$/.exec(e.code) ?? /^([1-9])$/.exec(e.key);
  return m ? Number(m[1]) : null;
}

/** What the help dialog lists, by screen. Keys are shown as written here. */
export const SHORTCUTS: { area: TKey; items: { keys: string; what: TKey }[] }[] = [
  {
    area: "shortcuts.areaEverywhere",
    items: [
      { keys: "?", what: "shortcuts.help" },
      { keys: "Shift+Escape", what: "shortcuts.quickExit" },
      { keys: "Ctrl+Shift+L", what: "shortcuts.lock" },
      { keys: "Ctrl+Enter", what: "shortcuts.submit" },
      { keys: "Escape", what: "shortcuts.escape" },
    ],
  },
  {
    area: "shortcuts.areaList",
    items: [
      { keys: "/", what: "shortcuts.find" },
      { keys: "N, Ctrl+Alt+N", what: "shortcuts.newCase" },
      { keys: "↑ ↓", what: "shortcuts.rows" },
      { keys: "Enter", what: "shortcuts.open" },
    ],
  },
  {
    area: "shortcuts.areaSearch",
    items: [
      { keys: "/", what: "shortcuts.searchFind" },
      { keys: "Enter", what: "shortcuts.searchRun" },
      { keys: "↓ ↑", what: "shortcuts.searchResults" },
    ],
  },
  {
    area: "shortcuts.areaCase",
    items: [
      { keys: "Alt+1 … Alt+7", what: "shortcuts.sections" },
      { keys: "Escape", what: "shortcuts.back" },
    ],
  },
  {
    area: "shortcuts.areaExport",
    items: [
      { keys: "Enter, Ctrl+Enter", what: "shortcuts.exportNext" },
      { keys: "Escape", what: "shortcuts.exportClose" },
    ],
  },
];
