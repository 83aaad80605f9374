// The draft of one add form, kept in the vault through draftSave/draftLoad:
// saved ~800 ms after the last change and when focus leaves the form,
// restored when the form opens, discarded once the record is saved or on
// request. Never in webview storage, which outlives a lock.
import type { Backend } from "./backend";
import { createAutosave, type Autosave } from "./autosave";

export const DRAFT_DELAY_MS = 800;

export type FormDraftOptions<T> = {
  backend: Backend;
  key: string;
  snapshot: () => T;
  /** Nothing worth keeping: an empty form discards the draft instead of saving it. */
  isBlank: (data: T) => boolean;
  onError: (err: unknown) => void;
  delayMs?: number;
};

export class FormDraft<T> {
  /** When the draft shown was saved, if one was restored; cleared by discard(). */
  restoredAt = $state<string | null>(null);
  /** The person has changed something since the form opened. */
  touched = $state(false);
  #opts: FormDraftOptions<T>;
  #autosave: Autosave;
  #stored = false;

  constructor(opts: FormDraftOptions<T>) {
    this.#opts = opts;
    this.#autosave = createAutosave({
      delayMs: opts.delayMs ?? DRAFT_DELAY_MS,
      snapshot: opts.snapshot,
      save: (data: T) => this.#write(data),
      onError: opts.onError,
    });
  }

  async #write(data: T): Promise<void> {
    const { backend, key, isBlank } = this.#opts;
    if (isBlank(data)) {
      if (this.#stored) await backend.draftDiscard({ key });
      this.#stored = false;
      return;
    }
    // Plain JSON: $state proxies and undefined fields do not cross IPC as such.
    await backend.draftSave({ key, data: JSON.parse(JSON.stringify(data)) });
    this.#stored = true;
  }

  /**
   * Restores the saved draft, if any, through `apply` (not when there is none,
   * or the person has already started typing). The fields are applied in the
   * same step as the banner appears, so the banner never shows over an empty form.
   */
  async load(apply: (data: T) => void): Promise<boolean> {
    try {
      const draft = await this.#opts.backend.draftLoad({ key: this.#opts.key });
      if (!draft || this.touched) return false;
      apply(draft.data as T);
      this.#stored = true;
      this.restoredAt = draft.saved_at;
      return true;
    } catch (err) {
      this.#opts.onError(err);
      return false;
    }
  }

  changed(): void {
    this.touched = true;
    this.#autosave.schedule();
  }

  /** Focus left the form: save what is waiting now. */
  leave(): void {
    void this.#autosave.flush();
  }

  /** The record was saved, or the person threw the draft away. */
  async discard(): Promise<void> {
    await this.#autosave.settle();
    this.restoredAt = null;
    this.touched = false;
    this.#stored = false;
    try {
      await this.#opts.backend.draftDiscard({ key: this.#opts.key });
    } catch (err) {
      this.#opts.onError(err);
    }
  }

  /** The form is going away (lock, navigation): keep what was typed. */
  dispose(): void {
    this.#autosave.dispose();
  }
}
