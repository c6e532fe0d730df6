/**
 * The slice of `@duckdb/node-api` (native DuckDB) the benchmark uses. The
 * package is installed on demand by `bench/ensure-native.mjs`, not listed in
 * package.json: its per-platform binary packages are not all on the registry
 * this project installs from, and `npm ci` refuses a lock file without them.
 */
declare module '@duckdb/node-api' {
  export interface DuckDBResultReader {
    getRowObjectsJS(): Record<string, unknown>[];
  }
  export interface DuckDBConnection {
    run(sql: string, params?: unknown[]): Promise<unknown>;
    runAndReadAll(sql: string, params?: unknown[]): Promise<DuckDBResultReader>;
    closeSync(): void;
  }
  export class DuckDBInstance {
    static create(path: string): Promise<DuckDBInstance>;
    connect(): Promise<DuckDBConnection>;
    closeSync(): void;
  }
  export function version(): string;
}
