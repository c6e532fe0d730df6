/**
 * The slice of DuckDB the engine needs. Two adapters implement it: the browser
 * worker wraps `AsyncDuckDB` (workers/data/async-duck.ts), the unit tests wrap
 * the real Node build of DuckDB-WASM. Keeping it this small keeps the engine
 * testable with the real database and lets other engines slot in.
 */
export interface DuckConnection {
  /**
   * Runs SQL without parameters (may hold several `;`-separated statements);
   * resolves to the result as an Arrow IPC stream. Bytes, not an Arrow
   * `Table`: DuckDB-WASM may load its own copy of apache-arrow (CJS vs ESM),
   * whose tables fail the engine's `instanceof` checks — and the bytes are
   * what crosses threads anyway.
   */
  query(sql: string): Promise<Uint8Array>;
  /** Runs one statement as a prepared statement with bound parameters (already `bindableParams`), as an Arrow IPC stream. */
  queryPrepared(sql: string, params: unknown[]): Promise<Uint8Array>;
  /** Makes `bytes` readable by SQL as file `name` (e.g. `read_csv_auto('name')`). */
  registerFile(name: string, bytes: Uint8Array): Promise<void>;
  /**
   * Makes a Blob (a picked or dropped file) readable as file `name`, read in
   * slices as SQL needs them, when the binding can: the bytes are then never
   * copied whole into the database's memory first.
   */
  registerBlob?(name: string, blob: Blob): Promise<void>;
  /** Makes a remote URL readable as file `name` with HTTP range requests, when the binding can. */
  registerUrl?(name: string, url: string): Promise<void>;
  dropFile(name: string): Promise<void>;
  /**
   * Creates table `table` from an Arrow IPC stream, or appends the stream's
   * rows to it with `create: false`. The bytes may be transferred (detached).
   */
  insertArrowIPC(ipc: Uint8Array, table: string, options?: { create?: boolean }): Promise<void>;
  /** DuckDB's version string. */
  version(): Promise<string>;
  /**
   * The http(s) URLs SQL may read from now on (DuckDB's own HTTP reads), when
   * the binding can restrict them: the browser's, whose worker refuses any
   * other URL (see src/data/readable-urls.ts).
   */
  readUrls?(urls: string[]): void;
}

/**
 * Settings every connection gets first: never fetch extensions at run time.
 * A failed autoload (no network, strict CSP) leaves DuckDB-WASM broken for
 * every later query; with autoload off the query fails cleanly instead.
 */
/** Where Brook registers the files it ingests (a DuckDB virtual file name prefix). */
export const INGEST_DIRECTORY = 'brook_ingest/';

/**
 * "Run without network" for SQL: DuckDB itself refuses every file and URL
 * outside Brook's own registered files (`read_csv('http://…')`, `COPY … TO
 * 'http://…'`, `ATTACH 'http://…'`), and the configuration is locked so SQL
 * cannot turn it back on. Tables Brook loaded stay queryable: front-matter
 * URLs are fetched by Brook (in JS) and registered or inserted, not read by DuckDB.
 */
export const NO_EXTERNAL_ACCESS =
  `SET allowed_directories=['${INGEST_DIRECTORY}']; SET enable_external_access=false; SET lock_configuration=true;`;

export const SAFE_SETTINGS = 'SET autoinstall_known_extensions=false; SET autoload_known_extensions=false;';
