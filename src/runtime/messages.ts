/**
 * Every message between the page and the two workers, as typed interfaces.
 * Comlink carries them; this file is the single place their shapes live.
 *
 *   page ──RuntimeApi──▶ runtime worker (untrusted notebook code)
 *   page ◀─RuntimeHost── runtime worker
 *   page ──DataApi─────▶ data worker (DuckDB-WASM; owns every table)
 *   runtime ─DataApi───▶ data worker, over a MessagePort the page hands it
 *
 * The data worker outlives runtime restarts (watchdog), so tables survive.
 */
import type { CompiledCell } from '../compile/types.ts';
import type { CellError, CellEvent, CellToast, SortSpec } from './protocol.ts';

// ─── Runtime worker ─────────────────────────────────────────────────────────

/**
 * Widths (CSS px, whole numbers) the page lays cell outputs out at: what the
 * `width` built-in reads, and what `Plot.plot` draws at when not given a width.
 */
export interface OutputWidths {
  /** The main column's content width: stands in for a cell not on screen (a hidden cell, a closed tab). */
  main: number;
  /** Each measured cell's output width, by cell id (narrower inside `::: columns`, the sidebar, an expander). */
  cells: Record<string, number>;
}

export interface RuntimeInit {
  notebookId: string;
  /** Saved widget values by widget key, restored before the first run. */
  inputs: Record<string, unknown>;
  /**
   * A built app's view link (`?year=2014`): parameter name → its values as
   * URL text. A widget named so takes them, once, when its rules accept
   * them, over a saved value (src/runtime/view-params.ts).
   */
  linked?: Record<string, string[]>;
  /** The saved `state` object. */
  state: Record<string, unknown>;
  /** Block `fetch`/`XMLHttpRequest`/`WebSocket`/`import()` of other origins for untrusted notebooks. */
  blockNetwork?: boolean;
  /**
   * Run generations continue from here. A replacement worker (watchdog,
   * reset) starts above its predecessor, so its events are newer on the page
   * and its queries are not mistaken for stale ones by the shared data worker.
   */
  firstGeneration?: number;
  /** Output widths as last measured by the page (a replacement worker starts with them). */
  widths?: OutputWidths;
}

export interface RuntimeApi {
  /**
   * Connects to the data worker over `dataPort`, and to the page over
   * `hostPort` (`HostMessage` batches, see there); restores saved values.
   * Call once, before `load`.
   */
  init(init: RuntimeInit, dataPort: MessagePort, hostPort: MessagePort): Promise<void>;
  /**
   * Load or replace the notebook. A cell whose body and inputs are unchanged
   * keeps its value; changed cells and everything downstream re-run.
   * Cells in `skip` are not run (e.g. stopped by the watchdog) and reject.
   */
  load(cells: CompiledCell[], skip?: Record<string, CellError>): Promise<void>;
  /**
   * A control changed: re-run the cell that made it and everything downstream, nothing else.
   * Answers the generation from which runs see the new value.
   */
  setInput(key: string, value: unknown): number;
  /** Tables were created or replaced: re-run the cells that read them (or failed for lack of them). */
  tablesChanged(names: string[]): void;
  /** Keys of `state` another tab of the same notebook saved: taken without re-running anything. */
  mergeState(set: Record<string, unknown>, removed: string[]): void;
  /** The page measured new output widths: cells whose run read a width that changed re-run. */
  setWidths(widths: OutputWidths): void;
  /** A window of rows of a table output held by the runtime. */
  rows(handle: string, offset: number, limit: number, sort?: SortSpec): Promise<Record<string, unknown>[]>;
  /** Watchdog heartbeat: answers only when the worker's event loop is free. */
  ping(): number;
  /**
   * The page's answer to a `module` host message: the bundle's text, or
   * (`source` undefined) why it could not be fetched. See workers/runtime/page-modules.ts.
   */
  provideModule(name: PageModuleName, source: string | undefined, failure?: string): Promise<void>;
}

/** Bundles a built app's runtime asks the page for (the opaque worker cannot import them itself). */
export const PAGE_MODULE_NAMES = ['plot'] as const;
export type PageModuleName = (typeof PAGE_MODULE_NAMES)[number];

export interface RuntimeHost {
  /** The observer protocol (see protocol.ts). */
  event(event: CellEvent): void;
  /** The cell whose synchronous code is about to run (`null` when idle). Lets the watchdog name the culprit. */
  running(cellId: string | null): void;
  /** The `state` object changed; the page persists it. */
  stateChanged(state: Record<string, unknown>): void;
  /** A cell called `toast(text)` (see `CellToast`). */
  toast(toast: CellToast): void;
}

/**
 * One `RuntimeHost` call on the wire. The worker posts them in arrays, in
 * call order, one-way (no reply): a control change then costs the page a
 * message or two instead of a round trip per event.
 */
export type HostMessage =
  | { type: 'event'; event: CellEvent }
  | { type: 'module'; name: PageModuleName }
  | { type: 'running'; cell: string | null }
  | { type: 'state'; state: Record<string, unknown> }
  | { type: 'toast'; toast: CellToast };
