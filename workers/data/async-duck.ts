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

/**
 * Starts DuckDB from the page-resolved asset URLs and returns a connection
 * with extension autoload off and, for `blockNetwork`, no file or URL access
 * beyond Brook's registered files (locked before any notebook SQL runs).
 */
export async function startAsyncDuck(urls: { wasm: string; worker: string }, options: { blockNetwork?: boolean } = {}): Promise<DuckConnection> {
  // Nested worker, behind a guard: SQL cannot read the site's own URLs with the reader's cookies.
  const worker = startDuckWorker(urls);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(urls.wasm);
  const id = await db.connectInternal();
  await db.runQuery(id, SAFE_SETTINGS);
  if (options.blockNetwork) await db.runQuery(id, NO_EXTERNAL_ACCESS);
  return {
    query: (sql) => db.runQuery(id, sql),
    async queryPrepared(sql, params) {
      const statement = await db.createPrepared(id, sql);
      try {
        return await db.runPrepared(id, statement, params);
      } finally {
        await db.closePrepared(id, statement);
      }
    },
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
