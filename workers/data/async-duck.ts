/**
 * The browser adapter of `DuckConnection`: DuckDB-WASM's `AsyncDuckDB`, which
 * runs DuckDB in its own (nested) worker. Results are taken as raw Arrow IPC
 * bytes (`runQuery`/`runPrepared`) so they cross to the runtime without being
 * decoded and re-encoded here.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import { type DuckConnection, NO_EXTERNAL_ACCESS, SAFE_SETTINGS } from '../../src/data/duck-connection.ts';
import type { ParquetDecoder, RemoteParquetReader } from '../../src/data/ingest.ts';
import { parquetSlices } from '../../src/data/parquet-slices.ts';
import { remoteParquetReader } from '../../src/data/remote-parquet.ts';
import { READABLE_URLS_MESSAGE, startDuckWorker } from './duck-worker.ts';

/** DuckDB's worker with the wasm instantiated: what can happen before the notebook is known. */
export interface StartedDuck {
  db: duckdb.AsyncDuckDB;
  worker: Worker;
}

/**
 * Starts DuckDB's worker and instantiates its wasm from the page-resolved
 * asset URLs. Nothing here depends on the notebook, so the data worker runs
 * it the moment it exists (`START_DUCKDB_MESSAGE`), in parallel with the
 * page's own start.
 */
export async function instantiateDuck(urls: { wasm: string; worker: string }): Promise<StartedDuck> {
  // Nested worker, behind a guard: SQL cannot read the site's own URLs with the reader's cookies.
  const worker = startDuckWorker(urls);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(urls.wasm);
  return { db, worker };
}

/**
 * A connection to an instantiated DuckDB with extension autoload off and,
 * for `blockNetwork`, no file or URL access beyond Brook's registered files
 * (locked before any notebook SQL runs).
 */
export async function connectDuck(started: Promise<StartedDuck>, options: { blockNetwork?: boolean } = {}): Promise<DuckConnection> {
  const { db, worker } = await started;
  const id = await db.connectInternal();
  await db.runQuery(id, SAFE_SETTINGS);
  if (options.blockNetwork) await db.runQuery(id, NO_EXTERNAL_ACCESS);
  const statements = new PreparedStatements(db, id);
  return {
    query: (sql) => db.runQuery(id, sql),
    queryPrepared: (sql, params) => statements.run(sql, params),
    registerFile: (name, bytes) => db.registerFileBuffer(name, bytes),
    // DuckDB's worker reads the file's slices itself (FileReaderSync), as the CSV reader asks for them.
    registerBlob: (name, blob) => db.registerFileHandle(name, blob, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true),
    registerUrl: (name, url) => db.registerFileURL(name, url, duckdb.DuckDBDataProtocol.HTTP, false),
    async dropFile(name) { await db.dropFile(name); },
    insertArrowIPC: (ipc, table, options) => db.insertArrowFromIPCStream(id, ipc, { name: table, create: options?.create ?? true }),
    version: () => db.getVersion(),
    // Posted on the worker itself, in order with DuckDB's own messages: queries sent after it see the new list.
    readUrls: (urls) => worker.postMessage({ type: READABLE_URLS_MESSAGE, urls }),
  };
}

/** Prepared statements kept open, the newest used last. */
const KEPT_STATEMENTS = 32;

/**
 * Prepared statements kept by their SQL: a query asked again (a brush's
 * step, a slider's) skips two round trips to DuckDB's worker and the
 * planning. A statement that fails is closed and prepared once more (its
 * tables may have changed since); the least recently used beyond
 * {@link KEPT_STATEMENTS} are closed.
 */
class PreparedStatements {
  private readonly kept = new Map<string, Promise<number>>();

  constructor(private readonly db: duckdb.AsyncDuckDB, private readonly connection: number) {}

  async run(sql: string, params: unknown[]): Promise<Uint8Array> {
    const known = this.kept.get(sql);
    if (known) {
      this.kept.delete(sql);
      this.kept.set(sql, known);
      const statement = await known.catch(() => undefined);
      if (statement !== undefined) {
        try {
          return await this.db.runPrepared(this.connection, statement, params);
        } catch {
          // Prepared again below: a statement planned before its tables changed may no longer run.
          this.forget(sql, known);
        }
      }
    }
    const prepared = this.db.createPrepared(this.connection, sql);
    this.kept.set(sql, prepared);
    prepared.catch(() => this.kept.get(sql) === prepared && this.kept.delete(sql));
    const statement = await prepared;
    try {
      return await this.db.runPrepared(this.connection, statement, params);
    } catch (error) {
      this.forget(sql, prepared);
      throw error;
    } finally {
      while (this.kept.size > KEPT_STATEMENTS) {
        const [oldest, handle] = this.kept.entries().next().value!;
        this.forget(oldest, handle);
      }
    }
  }

  private forget(sql: string, handle: Promise<number>): void {
    if (this.kept.get(sql) === handle) this.kept.delete(sql);
    void handle.then((statement) => this.db.closePrepared(this.connection, statement)).catch(() => {});
  }
}

/**
 * parquet-wasm in the browser, initialized once from its page-resolved wasm
 * URL: a decoder for bytes, a range reader for URLs, and the writer (only
 * the warm-up uses it: it needs a Parquet file to read).
 */
export function parquetReaders(wasmUrl: string | undefined): {
  decode: ParquetDecoder;
  remote: RemoteParquetReader;
  encode: (ipc: Uint8Array) => Promise<Uint8Array>;
} {
  let ready: Promise<unknown> | undefined;
  const init = () => (ready ??= initParquet(wasmUrl ? { module_or_path: wasmUrl } : undefined));
  return {
    decode: parquetSlices(parquetWasm, init),
    remote: remoteParquetReader(parquetWasm, init),
    async encode(ipc) {
      await init();
      return parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(ipc));
    },
  };
}
