import "@testing-library/jest-dom/vitest";
import { afterEach, beforeEach, vi } from "vitest";
import { expectNoWebviewStorage, watchWebviewStorage } from "./storage";

// The component tests drive whole screens by keyboard and mouse; on a
// two-core machine running every file in parallel, the longest of them
// (the names search, the report wizard) come close to vitest's default 5 s.
vi.setConfig({ testTimeout: 20_000 });

// The no-webview-storage rule, checked once here for every test file.
beforeEach(() => watchWebviewStorage());
afterEach(() => expectNoWebviewStorage());
