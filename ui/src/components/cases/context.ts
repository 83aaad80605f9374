// What every part of the case view shares: the backend, the loaded case,
// the vocabularies, and which record's panel (edit, trash, history,
// attachments) is open. One panel at a time keeps the page calm and every
// data-testid unique.
import { createContext } from "svelte";
import type { Backend, UiError } from "../../lib/backend";
import type { CaseDetail, RecordMeta, VocabularyDto } from "../../lib/bindings";
import type { RecordKind } from "../../lib/records";

export type PanelMode = "edit" | "trash" | "history" | "attachments";
export type Panel = { mode: PanelMode; kind: RecordKind; id: string };

export type CaseContext = {
  readonly backend: Backend;
  readonly caseId: string;
  /** Loaded before any section is shown. */
  readonly detail: CaseDetail;
  readonly vocab: VocabularyDto[];
  readonly panel: Panel | null;
  openPanel(panel: Panel): void;
  /** Closes the panel and puts focus back on the button that opened it. */
  closePanel(): void;
  isOpen(mode: PanelMode, id: string): boolean;
  reload(): Promise<void>;
  /** An error as the UI shows it; a `locked` error also locks the UI. */
  fail(err: unknown): UiError;
  /** Says something to screen readers (the polite status region). */
  announce(message: string): void;
  metaOf(id: string): RecordMeta | undefined;
  /** A person's primary name when the case knows them, else the id. */
  personLabel(id: string): string;
  /** The case has been trashed: leave the view. */
  leave(): void;
};

export const [getCaseContext, setCaseContext] = createContext<CaseContext>();
