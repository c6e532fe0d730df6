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
import type { CellError, CellEvent, CellToast, ColumnInfo, SortSpec } from './protocol.ts';

// ─── Data worker ────────────────────────────────────────────────────────────

/** A result the data worker can always return: errors are values, never thrown across threads. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CellError };

export interface QueryRequest {
  sql: string;
  params: unknown[];
  /** Runtime generation that asked; queries of older generations may be cancelled. */
  generation?: number;
}

/** Where an answer came from: DuckDB, the memo in memory, the persisted memo, an identical query in flight, or the build's snapshot. */
export type CacheOutcome = 'miss' | 'memory' | 'persisted' | 'inflight' | 'seeded';

export interface QueryResponse {
  /** The result as an Arrow IPC stream. */
  ipc: Uint8Array;
  rowCount: number;
  columns: ColumnInfo[];
  /** Names of catalog tables the SQL mentions (drives re-runs when they change), and identifiers that named no table yet. */
  tables: string[];
  cache: CacheOutcome;
  durationMs: number;
}

export interface WindowRequest {
  sql: string;
  params: unknown[];
  offset: number;
  limit: number;
  sort?: SortSpec;
}

export type FileFormat = 'csv' | 'tsv' | 'json' | 'parquet' | 'arrow';

export interface IngestRequest {
  /** The file name as the person sees it; the table name is derived from it unless `table` is given. */
  fileName: string;
  /**
   * The content. A Blob (the picked `File` itself: posting one copies no
   * bytes) is read in the data worker, so a large file never blocks the page.
   */
  bytes: ArrayBuffer | Blob;
  table?: string;
  format?: FileFormat;
}

export interface IngestUrlRequest {
  url: string;
  table: string;
  format?: FileFormat;
  /**
   * Names the notebook's SQL mentions (`columnsNeeded`). For Parquet, only
   * these columns are read, with HTTP range requests; absent = every column.
   */
  columns?: string[];
  /**
   * Set when `brook build` computed results from this file (its content
   * fingerprint then): a file fetched whole is identified by the hash of its
   * bytes rather than by HTTP validators, so those results ({@link SeededResult})
   * answer exactly when the bytes are the ones the build read.
   */
  hashContent?: boolean;
}

export interface TableInfo {
  name: string;
  rowCount: number;
  columns: ColumnInfo[];
  /** Bumped on every replace; part of every memo key. */
  version: number;
  /** File name or URL it came from. */
  source: string;
  /** Stable fingerprint of the content (hash of bytes, or URL + validator), so persisted memo entries survive reloads. */
  fingerprint: string;
  /**
   * Columns the source has that were not loaded (a Parquet file read by range
   * for only the columns the notebook names). A query needing one of them
   * needs the table loaded again with it; absent = every column is here.
   */
  omittedColumns?: string[];
}

/** Progress of an ingest or a long query, 0..1 (or `null` when unknown). */
export type ProgressCallback = (fraction: number | null, message?: string) => void;

export interface DataInit {
  /** Scopes the persisted query memo: one notebook, or the pages of one site (see `OpenRequest.memoScope`). */
  notebookId: string;
  /** Absolute URLs of DuckDB's wasm and worker (resolved by the page). */
  duckdb: { wasm: string; worker: string };
  /** Absolute URL of parquet-wasm's wasm, when Parquet is read by it. */
  parquetWasm?: string;
  /** The notebook runs without network: DuckDB may read only the files Brook registered (locked). */
  blockNetwork?: boolean;
  /** Query results `brook build` computed, answered from memory when a query's key matches. */
  seeds?: SeededResult[];
}

/**
 * A query result computed by `brook build`, keyed like the persisted memo
 * (SQL, parameters, content fingerprints of the tables read): it answers a
 * query exactly when the same SQL reads the same bytes. Its Arrow IPC is
 * fetched from `url` the first time it answers.
 */
export interface SeededResult {
  key: string;
  url: string;
  rowCount: number;
  columns: ColumnInfo[];
  tables: string[];
}

export interface DataApi {
  init(init: DataInit): Promise<Result<{ version: string }>>;
  query(request: QueryRequest): Promise<Result<QueryResponse>>;
  window(request: WindowRequest): Promise<Result<Record<string, unknown>[]>>;
  ingest(request: IngestRequest, progress?: ProgressCallback): Promise<Result<TableInfo>>;
  ingestUrl(request: IngestUrlRequest, progress?: ProgressCallback): Promise<Result<TableInfo>>;
  tables(): Promise<TableInfo[]>;
  dropTable(name: string): Promise<void>;
  /** Compile these readers ('csv', 'arrow') with a small load of made-up rows, ahead of a person's first file. */
  warmUp(formats: FileFormat[]): Promise<void>;
  /** Drop pending work of generations older than `generation`. */
  cancelBefore(generation: number): void;
}

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
  /** A control changed: re-run the cell that made it and everything downstream, nothing else. */
  setInput(key: string, value: unknown): void;
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
}

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
  | { type: 'running'; cell: string | null }
  | { type: 'state'; state: Record<string, unknown> }
  | { type: 'toast'; toast: CellToast };
