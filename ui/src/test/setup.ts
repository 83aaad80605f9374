import "@testing-library/jest-dom/vitest";
import { vi } from "vitest";

// The component tests drive whole screens by keyboard and mouse; on a
// two-core machine running every file in parallel, the longest of them
// (the names search, the report wizard) come close to vitest's default 5 s.
vi.setConfig({ testTimeout: 20_000 });
