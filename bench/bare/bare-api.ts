/**
 * What the bare DuckDB-WASM bench page exposes as `window.bareDuck`, shared by
 * the page and the harness that drives it.
 */

/** Timings of one ingest, in milliseconds. */
export interface BareIngest {
  /** Fetching the file from the static server into memory. */
  fetchMs: number;
  /** Bytes in memory → queryable table (register + CREATE TABLE, or decode + insert). */
  loadMs: number;
  rows: number;
  bytes: number;
}

export interface BareQuery {
  /** From the call to an Arrow table on the page's thread. */
  ms: number;
  rows: number;
  /** The first row as JSON (for cross-checking against Brook and native DuckDB). */
  first: string;
}

export interface BareDuckApi {
  /** Instantiates DuckDB-WASM (the same eh bundle and settings as Brook); resolves to its version. */
  init(): Promise<{ ms: number; version: string }>;
  /** Loads a CSV by URL into `table` with `read_csv_auto`, as Brook's ingest does. */
  ingestCsv(url: string, table: string): Promise<BareIngest>;
  /** Loads a Parquet file by URL into `table` through parquet-wasm → Arrow IPC, as Brook's ingest does. */
  ingestParquet(url: string, table: string): Promise<BareIngest>;
  /** Runs one prepared statement with bound parameters. */
  query(sql: string, params: unknown[]): Promise<BareQuery>;
}

declare global {
  interface Window {
    bareDuck: BareDuckApi;
  }
}
