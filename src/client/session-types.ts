/**
 * The contract between the page-side orchestration (`src/client/`) and the
 * UI (`src/app/`). A `Session` is one open notebook: it owns the runtime and
 * data workers, the saved state, and the cell events. The UI renders from it
 * and calls its methods; it never talks to a worker directly.
 *
 * Framework-agnostic on purpose: the UI wraps `subscribe` in Solid signals.
 */
import type { CompiledNotebook } from '../compile/types.ts';
import type { AttributePatch } from '../notebook/edit.ts';
import type { FrontMatterPatch } from '../notebook/front-matter-edit.ts';
import type { CellKind, Notebook } from '../notebook/types.ts';
import type { OutputWidths } from '../runtime/messages.ts';
import type { TableInfo } from '../data/api.ts';
import type { CellEvent, SortSpec, TableSource } from '../runtime/protocol.ts';

export type EngineStatus = 'starting' | 'ready' | 'restarting' | 'failed';

/** A long-running thing the UI shows a progress bar for (file ingest, slow query). */
export interface Activity {
  id: string;
  label: string;
  /** 0..1, or `null` when unknown (indeterminate bar). */
  fraction: number | null;
  /** What the work is doing now, e.g. `12.3 MB of 35.0 MB received` (the data worker's progress message). */
  detail?: string;
}

/** A message for the person (toast / banner), e.g. a malformed dropped file. */
export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  /** A cell's `toast()`: it goes away by itself after a few seconds (other notices stay until dismissed). */
  transient?: boolean;
}

export interface SessionSnapshot {
  /** The notebook as currently edited (source of truth for editors). */
  notebook: Notebook;
  /** Its compilation (cells in document order, diagnostics). */
  compiled: CompiledNotebook;
  /** Newest event per cell id. */
  cells: Record<string, CellEvent>;
  /** Current widget values by widget key. */
  inputs: Record<string, unknown>;
  tables: TableInfo[];
  runtime: EngineStatus;
  data: EngineStatus;
  activities: Activity[];
  notices: Notice[];
  /** True when the notebook source differs from what was opened (an unsaved draft). */
  edited: boolean;
}

/** What opened the session, for the title bar and the trust prompt. */
export type SessionOrigin =
  | { kind: 'example'; path: string }
  | { kind: 'file'; name: string }
  /** A new notebook; `id` keeps its draft apart from other new notebooks. */
  | { kind: 'new'; id: string }
  | { kind: 'shared' }
  /**
   * A built or served app. `site` is the page's directory on its host and
   * `id` the notebook's identity in its build (front matter `id`, else its
   * file's name), so two notebooks of one origin never share saved data.
   */
  | { kind: 'built'; path: string; site?: string; id?: string };

/** A share link, and what it cannot carry. */
export interface ShareLink {
  url: string;
  bytes: number;
  tooLong: boolean;
  leftOut: { file: string; table: string }[];
  /** A link to this view of a built app (its inputs in the query), not a whole notebook. */
  view?: boolean;
}

export interface Session {
  /** The current snapshot; replaced (never mutated) on every change. */
  snapshot(): SessionSnapshot;
  /** Called after every change with the new snapshot. Returns an unsubscribe function. */
  subscribe(listener: (snapshot: SessionSnapshot) => void): () => void;
  readonly origin: SessionOrigin;
  /** Stable id for saved state (front matter `id`, or derived from the file). */
  readonly notebookId: string;

  setInput(key: string, value: unknown): void;
  /** The page measured its output widths (the `width` built-in); cells that drew at a changed width re-run. */
  setOutputWidths(widths: OutputWidths): void;

  /** Replace one cell's source; it and its dependents re-run. */
  editCell(cellId: string, source: string): void;
  /** Insert a new cell after `afterId` (or at the top when `null`); returns its id. */
  insertCell(afterId: string | null, kind: CellKind, source?: string): string;
  deleteCell(cellId: string): void;
  moveCell(cellId: string, direction: -1 | 1): void;
  /** Set a fenced cell's attributes: a SQL cell's result name (`null` removes it), `echo`, `hidden`, `sidebar`. */
  setCellAttributes(cellId: string, patch: AttributePatch): void;
  /** Edit the front matter (title, layout, data tables). Returns why it cannot, when its YAML does not parse. */
  editFrontMatter(patch: FrontMatterPatch): string | undefined;
  /** Replace the whole notebook text (e.g. `brook dev` saw the file change); keeps inputs. */
  replaceSource(source: string): void;
  /** The notebook as Markdown text, for download. */
  source(): string;

  /** Files dropped or picked: data files become tables; returns when ingested (notices on failure). */
  addFiles(files: File[]): Promise<void>;
  /** A window of rows of a table output. */
  rows(source: TableSource, offset: number, limit: number, sort?: SortSpec): Promise<Record<string, unknown>[]>;

  /**
   * A link to share: in a built app as built, the page's own URL, whose query
   * carries the inputs (`view`: no notebook in it, no trust prompt); else a
   * URL carrying the notebook source and current inputs. `tooLong` when over
   * the size chat tools handle; `leftOut` names the files dropped in this
   * browser (and their tables), which the link does not carry.
   */
  shareUrl(base: string): ShareLink;
  /** Clear this notebook's saved inputs, state, files and drafts, then re-run from scratch. */
  reset(): Promise<void>;
  dismissNotice(id: string): void;
  /**
   * The reader's password for a front matter engine: handed to the data
   * worker (never the runtime), kept in this browser for this notebook, and
   * the engine's cells re-run. `null` forgets it. Absent where there are no engines.
   */
  setEnginePassword?(engine: string, password: string | null): void;
  dispose(): void;
}
