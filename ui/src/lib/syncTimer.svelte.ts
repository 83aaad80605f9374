// Sync on a timer while the vault is unlocked (issue 18).
//
// Why the timer lives here and not in Rust: the three things it must obey
// are the UI's to know. It stops the moment the person locks (App drops the
// vault's screens and this timer with them, before the backend has even
// answered), it never starts while a sync, unload or reload the person
// asked for is running (those are started from the Team view), and it
// never opens a dialog: what it finds (invitations) waits here until the
// person opens the Team view. A Rust thread would need a second way to
// learn all three and an event channel back for the quiet indicator. The
// backend still serialises every command on the vault, so even a race
// here could not run two syncs at once.
import type { Backend } from "./backend";
import { toUiError, type UiError } from "./backend";
import type { InvitationView, SyncReport } from "./bindings";

/** The timer functions the schedule uses; a test passes its own. */
export type TimerClock = {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

const realClock: TimerClock = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** When the setting is off, how often to look whether it was turned on. */
export const OFF_RECHECK_MS = 60_000;

/** What the Team view and the timer share. */
export class TeamActivity {
  /** Syncs, unloads and reloads the person started and that still run. */
  userTasks = $state(0);
  /** A timed sync is running (the Team view's quiet indicator). */
  timedRunning = $state(false);
  /** Invitations a timed sync found, waiting for the person. */
  offers = $state<InvitationView[]>([]);
  /** The last timed sync's error, shown quietly; cleared by a good one. */
  timedError = $state<UiError | null>(null);
  /** Bumped when the interval setting changes, so the timer re-reads it. */
  settingVersion = $state(0);
  /** Bumped after each timed sync, so an open Team view shows its times. */
  timedSyncs = $state(0);

  /** Runs a task the person started, keeping the timer out meanwhile. */
  async user<T>(task: () => Promise<T>): Promise<T> {
    this.userTasks += 1;
    try {
      return await task();
    } finally {
      this.userTasks -= 1;
    }
  }

  /** Keeps the offers a sync returned, each once, newest list first. */
  keepOffers(found: InvitationView[]) {
    const known = new Set(found.map((o) => o.id));
    this.offers = [...found, ...this.offers.filter((o) => !known.has(o.id))];
  }

  forgetOffer(id: string) {
    this.offers = this.offers.filter((o) => o.id !== id);
  }

  /**
   * On lock: nothing of the vault stays. (`userTasks` is left alone: a task
   * still running ends, failing with `locked`, and counts itself down.)
   */
  reset() {
    this.timedRunning = false;
    this.offers = [];
    this.timedError = null;
  }
}

export const teamActivity = new TeamActivity();

export type SyncTimerOptions = {
  backend: Backend;
  clock?: TimerClock;
  /** Called when the backend answers `locked`: the vault is gone. */
  onLocked?: () => void;
  /** Called after each timed sync that ran (for a test, or a refresh). */
  onSynced?: (report: SyncReport) => void;
  activity?: TeamActivity;
};

/**
 * Syncs with the last folder every `sync_interval_minutes` (the vault's
 * setting) while at least one space and a last folder exist. One timeout
 * at a time, set again only when a sync is over, so timed syncs never
 * overlap. Returns a function that stops it.
 */
export function startSyncTimer(opts: SyncTimerOptions): () => void {
  const clock = opts.clock ?? realClock;
  const activity = opts.activity ?? teamActivity;
  let stopped = false;
  let handle: unknown = null;

  // `due`: a full interval has passed; otherwise the timer only looks at
  // the setting again (it was off), and a sync waits a full interval.
  const schedule = (ms: number, due: boolean) => {
    if (stopped) return;
    handle = clock.setTimeout(() => {
      handle = null;
      void (due ? tick() : next());
    }, ms);
  };

  // The setting, and whether there is anything to sync, asked afresh each
  // time: a space may have been created or the setting changed meanwhile.
  const plan = async (): Promise<{ minutes: number; ready: boolean } | null> => {
    try {
      const p = await opts.backend.syncTimerPlan();
      return { minutes: p.minutes, ready: p.spaces > 0 && p.remote !== null };
    } catch (e) {
      if (toUiError(e).code === "locked") {
        stopped = true;
        opts.onLocked?.();
      }
      return null;
    }
  };

  const next = async () => {
    const p = await plan();
    if (p === null || stopped) return;
    if (p.minutes > 0) schedule(p.minutes * 60_000, true);
    else schedule(OFF_RECHECK_MS, false);
  };

  const tick = async () => {
    if (stopped) return;
    const p = await plan();
    if (p === null || stopped) return;
    if (p.minutes > 0 && p.ready && activity.userTasks === 0 && !activity.timedRunning) {
      activity.timedRunning = true;
      try {
        // The folder last synced with: the backend refuses anything else.
        // Timed: the backend's idle lock does not count it as the person's activity.
        const report = await opts.backend.spaceSync({ remote: null, timed: true });
        // Locked meanwhile: nothing of the vault is kept past the lock.
        if (stopped) return;
        activity.timedError = null;
        if (report.offers.length > 0) activity.keepOffers(report.offers);
        activity.timedSyncs += 1;
        opts.onSynced?.(report);
      } catch (e) {
        const err = toUiError(e);
        if (err.code === "locked") {
          stopped = true;
          opts.onLocked?.();
          return;
        }
        activity.timedError = err;
      } finally {
        activity.timedRunning = false;
      }
    }
    await next();
  };

  void next();
  return () => {
    stopped = true;
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  };
}
