/** Events that count as the person still being at the keyboard. */
export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

export type IdleOptions = {
  minutes: number;
  onIdle: () => void;
  target?: EventTarget;
  /** How often to look at the clock, in ms (default 5 s). */
  checkEveryMs?: number;
  now?: () => number;
  /**
   * Called at most once a minute while there is input, so the backend's own
   * idle deadline (which only sees commands) is pushed forward too.
   */
  onActivity?: () => void;
};

/**
 * Calls `onIdle` once after `minutes` without activity on `target`. Compares
 * wall-clock time, so a machine that slept past the deadline locks as soon as
 * it wakes. Returns a function that stops watching.
 */
export function startIdleTimer(opts: IdleOptions): () => void {
  const target = opts.target ?? window;
  const now = opts.now ?? Date.now;
  const limitMs = Math.max(1, opts.minutes) * 60_000;
  let last = now();
  let reported = last;
  let fired = false;
  const bump = () => {
    last = now();
  };
  for (const ev of ACTIVITY_EVENTS) target.addEventListener(ev, bump, { capture: true, passive: true });
  const timer = setInterval(() => {
    if (!fired && now() - last >= limitMs) {
      fired = true;
      opts.onIdle();
    } else if (!fired && opts.onActivity && last > reported && now() - reported >= 60_000) {
      reported = last;
      opts.onActivity();
    }
  }, opts.checkEveryMs ?? 5_000);
  return () => {
    clearInterval(timer);
    for (const ev of ACTIVITY_EVENTS) target.removeEventListener(ev, bump, { capture: true });
  };
}

/** Ctrl+Shift+L, by physical key so it also works with a Russian layout (where L is Д). */
export function isPanicShortcut(e: KeyboardEvent): boolean {
  return e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey && (e.code === "KeyL" || e.key.toLowerCase() === "l");
}

/**
 * Shift+Escape: quick exit. Closes the app at once for someone who may be
 * watched; checked before anything else handles Escape.
 */
export function isQuickExitShortcut(e: KeyboardEvent): boolean {
  return e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && (e.key === "Escape" || e.code === "Escape");
}
