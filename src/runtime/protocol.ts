/**
 * The observer protocol: the only way the UI learns about cells.
 *
 * A cell is always in one of three states. Every event carries the run
 * generation that produced it; a consumer drops any event older than the
 * newest it has seen for that cell, so stale output never overwrites newer
 * output. Everything here is structured-clone safe (crosses postMessage).
 */

/** A column of a table output. `type` is the Arrow/DuckDB type name as shown to people (e.g. `VARCHAR`, `DOUBLE`, `DATE`). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** Where the rows of a table output live, so the UI can fetch windows instead of the whole table. */
export type TableSource =
  /** A query result: windows are fetched from the data worker (`SELECT … ORDER BY … LIMIT … OFFSET …`). */
  | { kind: 'query'; sql: string; params: unknown[] }
  /** A JS array or Arrow table held by the runtime: windows are fetched from the runtime by handle. */
  | { kind: 'runtime'; handle: string };

export interface TableOutput {
  columns: ColumnInfo[];
  rowCount: number;
  /** The first rows, so the table paints without a round trip. */
  head: Record<string, unknown>[];
  source: TableSource;
}

/** A sort request for a table window. */
export interface SortSpec {
  column: string;
  direction: 'asc' | 'desc';
}

/** Every widget kind: the names of the registry in `src/widgets/kinds.ts`. */
export type { WidgetKind } from '../widgets/kinds.ts';
import type { WidgetKind } from '../widgets/kinds.ts';
import type { WidgetSpec as SpecOfKind } from '../widgets/spec.ts';

/** What the page needs to render a control (`src/widgets/spec.ts`), its kind one of the registry's. */
export type WidgetSpec = SpecOfKind<WidgetKind>;

/** One thing a cell shows. Rendered by type on the page; anything with markup is sanitized there. */
export type OutputItem =
  | { type: 'text'; text: string }
  | { type: 'markdown'; markdown: string }
  | { type: 'html'; html: string }
  /** An SVG/HTML figure rendered off-page (Observable Plot). */
  | { type: 'figure'; html: string; width?: number }
  | { type: 'table'; table: TableOutput }
  /** Any other value, as a JSON-safe preview tree for the inspector. */
  | { type: 'value'; preview: unknown; typeName: string }
  | { type: 'widget'; widget: WidgetSpec }
  | { type: 'metric'; label: string; value: string; delta?: string; deltaSign?: -1 | 0 | 1 }
  | { type: 'download'; filename: string; mime: string; data: Uint8Array | string; label: string }
  /**
   * `progress(value, {label})`: a bar that a running cell updates in place.
   * `value` runs from 0 to `max`; `null` is an indeterminate bar (progress unknown).
   */
  | { type: 'progress'; label: string; value: number | null; max: number }
  /** Values of a markdown cell's `${}` holes, in order, as display strings. */
  | { type: 'holes'; values: string[] };

/** Why a cell failed, with its place in the notebook file. */
export interface CellError {
  /** `SyntaxError`, `ReferenceError`, `QueryError`, `TimeoutError`, `DependencyError`, `DuplicateError`, `CycleError`, or the thrown error's name. */
  name: string;
  message: string;
  /** 1-based file line and column, when known. */
  line?: number;
  column?: number;
  /** For `QueryError`: the SQL that failed. */
  sql?: string;
  /** For `DependencyError`: the cell this one waits on. */
  waitingOn?: string;
  /** For `WaitingError` (and the `DependencyError`s behind it): the table not loaded yet, e.g. its data file is missing. */
  waitingFor?: string;
  /** A short suggestion for the person reading it. */
  hint?: string;
}

export interface RunInfo {
  /** The runtime generation that produced this event. */
  generation: number;
  /** How many times this cell has started running since the notebook loaded. */
  runs: number;
}

/**
 * The three states of a cell, as events. A run starts with one `pending`
 * event; while it runs, further `pending` events of the same generation carry
 * `partial`, what it has shown so far (streamed `display()` calls, progress
 * bars) — each replaces the one before. The settled event ends the run.
 */
export type CellEvent =
  | { cell: string; status: 'pending'; run: RunInfo; partial?: OutputItem[] }
  | { cell: string; status: 'fulfilled'; run: RunInfo; outputs: OutputItem[]; durationMs: number }
  | { cell: string; status: 'rejected'; run: RunInfo; outputs: OutputItem[]; error: CellError; durationMs: number };

export type CellStatus = CellEvent['status'];

/** Something that watches cells: the UI implements this, the runtime calls it. */
export interface CellObserver {
  (event: CellEvent): void;
}

/**
 * The generation of events restored from the last visit (shown before the
 * runtime is up): older than any run, so the runtime's first event for the
 * cell replaces it.
 */
export const RESTORED_GENERATION = -1;

/** Whether an event was restored from the last visit rather than produced by this page's runtime. */
export function isRestored(event: CellEvent | undefined): boolean {
  return event?.run.generation === RESTORED_GENERATION;
}

/**
 * Keeps the newest event per cell and drops stale ones (by generation, never
 * by comparing values). Within one generation a run's settled event is its
 * last word: a partial arriving after it is dropped.
 */
export function isNewer(previous: CellEvent | undefined, next: CellEvent): boolean {
  if (!previous) return true;
  if (next.run.generation !== previous.run.generation) return next.run.generation > previous.run.generation;
  return !(next.status === 'pending' && previous.status !== 'pending');
}

/**
 * `toast(text)` from a running cell: a transient notice on the page, not an
 * output. Plain text (the page cleans and limits it); dropped when its run
 * is older than the newest event the page has for the cell.
 */
export interface CellToast {
  cell: string;
  run: RunInfo;
  text: string;
}
