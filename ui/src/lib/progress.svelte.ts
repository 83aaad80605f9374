// Progress of one long command (attach, save-copy, audit): the backend
// reports it as `progress` events tagged with a task name. The listener is
// set up when the component mounts, before anything can start, so the first
// event of a quick task is not lost to a subscription still in flight.
import type { Backend } from "./backend";
import type { ProgressEvent } from "./bindings";

export class TaskProgress {
  running = $state(false);
  event = $state<ProgressEvent | null>(null);
  readonly #task: string;

  constructor(task: string) {
    this.#task = task;
  }

  /** Subscribe; call from an `$effect` and return what it returns (the unsubscribe). */
  listen(backend: Backend): () => void {
    let unlisten: (() => void) | null = null;
    let disposed = false;
    backend
      .onProgress((e) => {
        // Only while our own command runs: another form may run the same task later.
        if (e.task === this.#task && this.running) this.event = e;
      })
      .then((u) => {
        if (disposed) u();
        else unlisten = u;
      })
      .catch(() => {
        // No events: the bar stays indeterminate.
      });
    return () => {
      disposed = true;
      unlisten?.();
    };
  }

  /** Runs the command with the bar shown; the bar goes when it ends, however it ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.running = true;
    this.event = null;
    try {
      return await work();
    } finally {
      this.running = false;
      this.event = null;
    }
  }
}
