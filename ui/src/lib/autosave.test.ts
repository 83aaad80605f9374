import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAutosave } from "./autosave";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createAutosave", () => {
  it("saves once typing has paused, with the latest data", async () => {
    let value = "";
    const save = vi.fn(async (_data: string) => {});
    const a = createAutosave({ delayMs: 800, snapshot: () => value, save });
    for (const ch of "Они") {
      value += ch;
      a.schedule();
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(800);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith("Они");
  });

  it("flushes at once on blur, and settle() drops what is waiting", async () => {
    const save = vi.fn(async (_data: number) => {});
    let n = 1;
    const a = createAutosave({ delayMs: 800, snapshot: () => n, save });
    a.schedule();
    await a.flush();
    expect(save).toHaveBeenCalledWith(1);
    n = 2;
    a.schedule();
    await a.settle();
    await vi.advanceTimersByTimeAsync(2000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("saves what is waiting when disposed, and nothing after", async () => {
    const save = vi.fn(async (_data: string) => {});
    const a = createAutosave({ delayMs: 800, snapshot: () => "x", save });
    a.schedule();
    a.dispose();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(1);
    a.schedule();
    await vi.advanceTimersByTimeAsync(2000);
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("reports a failed save and keeps going", async () => {
    const onError = vi.fn();
    const save = vi.fn().mockRejectedValueOnce({ code: "locked", message: "" }).mockResolvedValue(undefined);
    const a = createAutosave({ delayMs: 10, snapshot: () => 1, save, onError });
    a.schedule();
    await a.flush();
    a.schedule();
    await a.flush();
    expect(onError).toHaveBeenCalledWith({ code: "locked", message: "" });
    expect(save).toHaveBeenCalledTimes(2);
  });
});
