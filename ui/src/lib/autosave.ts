// Debounced saving of a form's draft. Drafts go to the backend, which keeps
// them inside the encrypted vault; never to webview storage.

export type Autosave = {
  /** Save `snapshot()` once typing has paused for the delay. */
  schedule(): void;
  /** Save now if something is waiting (on blur, before the form goes away). */
  flush(): Promise<void>;
  /** Drop anything waiting and wait for a save in flight, so a discard that follows wins. */
  settle(): Promise<void>;
  /** Stop for good (the form is gone); saves what was waiting. */
  dispose(): void;
};

export type AutosaveOptions<T> = {
  delayMs: number;
  snapshot: () => T;
  save: (data: T) => Promise<unknown>;
  onError?: (err: unknown) => void;
};

export function createAutosave<T>(opts: AutosaveOptions<T>): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();
  let disposed = false;

  function run(): Promise<void> {
    timer = null;
    const data = opts.snapshot();
    // Chained so that saves reach the backend in the order they were made.
    inFlight = inFlight.then(() => opts.save(data)).catch((err) => opts.onError?.(err));
    return inFlight.then(() => undefined);
  }

  return {
    schedule() {
      if (disposed) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), opts.delayMs);
    },
    flush() {
      if (!timer) return inFlight.then(() => undefined);
      clearTimeout(timer);
      return run();
    },
    settle() {
      if (timer) clearTimeout(timer);
      timer = null;
      return inFlight.then(() => undefined);
    },
    dispose() {
      if (timer) {
        clearTimeout(timer);
        void run();
      }
      disposed = true;
    },
  };
}
