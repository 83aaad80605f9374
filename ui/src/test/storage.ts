// Nothing of a session may reach the webview's own storage: cases, answers,
// keys, paths and drafts live in the vault only. Every test file checks
// this after each test (setup.ts); a test may also check it midway.
import { expect } from "vitest";

const realSetItem = Storage.prototype.setItem;
let writes = 0;

/** Counts every write to localStorage or sessionStorage, from now on. */
export function watchWebviewStorage(): void {
  writes = 0;
  localStorage.clear();
  sessionStorage.clear();
  Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
    writes += 1;
    realSetItem.call(this, key, value);
  };
}

/** Nothing was written to webview storage or cookies since the test began. */
export function expectNoWebviewStorage(): void {
  expect(writes, "writes to webview storage").toBe(0);
  expect(localStorage.length).toBe(0);
  expect(sessionStorage.length).toBe(0);
  expect(document.cookie).toBe("");
}
