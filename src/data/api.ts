/**
 * The data worker's interface and the values that cross it: queries,
 * results, ingests, tables, engines. The page calls all of `DataApi`; a
 * runtime worker only `query` and `cancelBefore` (src/runtime/data-channel.ts).
 */
import type { EngineSpec } from '../notebook/types.ts';
import type { CellError, ColumnInfo, SortSpec } from '../runtime/protocol.ts';
import type { FileFormat } from './file-format.ts';

/** A result the data worker can always return: errors are values, never thrown across threads. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CellError };

export interface QueryRequest {
  sql: string;
  params: unknown[];
  /** Runtime generation that asked; queries of older generations may be cancelled. */
  generation?: number;
  /** The front matter engine to run on (`engine=NAME`); absent = DuckDB in this browser. */
  engine?: string;
  /**
   * For an engine query: the SQL cell's result name. Its rows are also
   * registered in DuckDB under this name, so local SQL can read (and join)
   * them. Only names the page declared for that engine are accepted.
   */
  as?: string;
  /**
   * For an engine query: the offsets in `sql` of the `?` that stand for
   * `params`, in order (the runtime knows where each `${}` was; a `?` is also
   * ClickHouse's ternary operator, so the engine must not guess).
   */
  placeholders?: number[];
  /**
   * Parameters (0-based) whose values follow a brush: the data engine may
   * build a range index over their condition while idle, so the brush's first
   * step is answered from it (`RangeIndexes.prepare`). A hint only.
   */
  prepare?: number[];
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
  /** An engine result registered under `QueryRequest.as`; `changed` when it replaced what that table held. */
  registered?: { table: string; changed: boolean };
}

export interface WindowRequest {
  sql: string;
  params: unknown[];
  offset: number;
  limit: number;
  sort?: SortSpec;
}

export type { FileFormat } from './file-format.ts';

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
   * The content fingerprint `brook build` recorded for this file, when it
   * computed results from it. The table is keyed by it at once, so those
   * results ({@link SeededResult}) answer before any byte arrives; the file is
   * fetched whole (a Parquet file too, not by range) once DuckDB is ready, so
   * it does not compete with DuckDB's own download, and its bytes are hashed:
   * a file changed since the build re-keys the table (`TableInfo.fingerprint`
   * then differs from this), and nothing computed from the build's claim stands.
   */
  builtFingerprint?: string;
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

/**
 * The page's first message to the data worker, before `init`: DuckDB's asset
 * URLs (`{ type, duckdb: DataInit['duckdb'] }`), so its download and compile
 * start the moment the worker exists, in parallel with the page's own start.
 */
export const START_DUCKDB_MESSAGE = 'brook:start-duckdb';

/**
 * Where a built page's boot script (`src/cli/app-page.ts`, run from the
 * page's first bytes) leaves the data worker it started, for the app to take.
 */
export const BOOTED_DATA_WORKER = 'brookDataWorker';

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
  /** Range indexes the build computed for queries whose values follow an input. */
  indexes?: ShippedIndex[];
  /** Absolute URL of the build's answers for other control values (`BuildSnapshot.answers`). */
  answers?: string;
  /** The notebook's engines and the SQL cells that run on them. */
  engines?: EngineDeclarations;
}

/**
 * What the page tells the data worker about what SQL may reach beyond the
 * tab: remote engines and the URLs DuckDB may read. It comes from the
 * notebook text the page parsed, never from the runtime: the only URLs the
 * data worker ever sends queries to, or lets DuckDB read, are these.
 */
export interface EngineDeclarations {
  /** The front matter's `engines:` by name. */
  engines: Record<string, EngineSpec>;
  /** SQL cells that run on an engine: result name → engine name (the names `QueryRequest.as` may take). */
  results: Record<string, string>;
  /** The http(s) URLs written in the notebook: the only ones DuckDB's own HTTP reads may fetch (`urlsWritten`; none when absent). */
  readableUrls?: string[];
}

/**
 * A range index `brook build` computed and shipped beside the page (see
 * src/data/range-indexes.ts): its key — the content fingerprints of the
 * tables, the SQL, the changing condition and the other conditions' values —
 * and its rows' Arrow IPC, relative to the page. A page loads it instead of
 * building it from the table, so a control's first change is answered
 * before the table's rows arrive.
 */
export interface ShippedIndex {
  key: string;
  url: string;
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

/** What the next notebook brings when it takes a running engine over (see `DataApi.replaceNotebook`). */
export interface NotebookTakeover {
  seeds?: SeededResult[];
  indexes?: ShippedIndex[];
  answers?: string;
  engines?: EngineDeclarations;
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
  /** The notebook's engines changed (an edit of the front matter or of an engine cell). */
  setEngines(declarations: EngineDeclarations): Promise<void>;
  /** Another notebook takes the engine over (a site's next page, opened in place); see `DataEngine.replaceNotebook`. */
  replaceNotebook(next: NotebookTakeover): Promise<void>;
  /**
   * The reader's password for an engine (`null` forgets it). Kept in the data
   * worker's memory for its queries; never part of a result, key or message.
   */
  setEnginePassword(engine: string, password: string | null): Promise<void>;
}
