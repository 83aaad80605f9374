import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isPanicShortcut, isQuickExitShortcut, startIdleTimer } from "./idle";

describe("idle timer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires once after the idle period, and activity postpones it", () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = startIdleTimer({ minutes: 2, onIdle, target, checkEveryMs: 1000 });
    vi.advanceTimersByTime(90_000);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(90_000);
    expect(onIdle).not.toHaveBeenCalled();
    target.dispatchEvent(new Event("pointermove"));
    vi.advanceTimersByTime(121_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(600_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
  });

  it("reports input at most once a minute, and nothing without input", () => {
    const target = new EventTarget();
    const onActivity = vi.fn();
    const stop = startIdleTimer({ minutes: 10, onIdle: vi.fn(), onActivity, target, checkEveryMs: 1000 });
    vi.advanceTimersByTime(120_000);
    expect(onActivity).not.toHaveBeenCalled();
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(2_000);
    expect(onActivity).toHaveBeenCalledTimes(1);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(30_000);
    expect(onActivity).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(31_000);
    expect(onActivity).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(300_000);
    expect(onActivity).toHaveBeenCalledTimes(2);
    stop();
  });

  it("stops watching when stopped", () => {
    const onIdle = vi.fn();
    const stop = startIdleTimer({ minutes: 1, onIdle, target: new EventTarget(), checkEveryMs: 1000 });
    stop();
    vi.advanceTimersByTime(600_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});

describe("panic shortcut", () => {
  it("is Ctrl+Shift+L, also on a Russian layout", () => {
    expect(isPanicShortcut(new KeyboardEvent("keydown", { key: "L", code: "KeyL", ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isPanicShortcut(new KeyboardEvent("keydown", { key: "Д", code: "KeyL", ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isPanicShortcut(new KeyboardEvent("keydown", { key: "L", code: "KeyL", ctrlKey: true }))).toBe(false);
    expect(isPanicShortcut(new KeyboardEvent("keydown", { key: "l", code: "KeyL", shiftKey: true }))).toBe(false);
  });
});

describe("quick exit shortcut", () => {
  it("is Shift+Escape, and nothing else", () => {
    expect(isQuickExitShortcut(new KeyboardEvent("keydown", { key: "Escape", code: "Escape", shiftKey: true }))).toBe(true);
    expect(isQuickExitShortcut(new KeyboardEvent("keydown", { key: "Escape", code: "Escape" }))).toBe(false);
    expect(isQuickExitShortcut(new KeyboardEvent("keydown", { key: "Escape", code: "Escape", shiftKey: true, ctrlKey: true }))).toBe(false);
    expect(isQuickExitShortcut(new KeyboardEvent("keydown", { key: "E", code: "KeyE", shiftKey: true }))).toBe(false);
  });
});
