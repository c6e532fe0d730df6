/**
 * The Node adapter of `DuckConnection` (`brook build`'s snapshot run and the unit tests):
 * (blocking Node build), so tests exercise the same database as the browser.
 * One instance per test file; creating it takes ≈2 s.
 */
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as parquetNode from 'parquet-wasm/node';
import type { DuckConnection } from '../data/duck-connection.ts';
import { SAFE_SETTINGS } from '../data/duck-connection.ts';
import { parquetSlices } from '../data/parquet-slices.ts';

const require = createRequire(import.meta.url);
const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));

/** A fresh DuckDB-WASM instance with extension autoload off, behind the engine's connection interface. */
export async function nodeDuck(): Promise<DuckConnection & { raw: duckdb.DuckDBConnection }> {
  const db = await duckdb.createDuckDB({
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  const id = conn.useUnsafe((_, connection) => connection);
  db.runQuery(id, SAFE_SETTINGS);
  return {
    raw: conn,
    // Copies: the bindings hand out views of WASM memory that later calls reuse.
    async query(sql) { return db.runQuery(id, sql).slice(); },
    async queryPrepared(sql, params) {
      const statement = db.createPrepared(id, sql);
      try { return db.runPrepared(id, statement, params).slice(); } finally { db.closePrepared(id, statement); }
    },
    async registerFile(name, bytes) { db.registerFileBuffer(name, bytes); },
    async dropFile(name) { db.dropFile(name); },
    async insertArrowIPC(ipc, table, options) { conn.insertArrowFromIPCStream(ipc, { name: table, create: options?.create ?? true }); },
    async version() { return db.getVersion(); },
  };
}

/** parquet-wasm's Node build behind the same slicing decoder as the browser's. */
export const decodeParquetNode = parquetSlices(parquetNode);

/** parquet-wasm's Node writer, as the browser's `encodeParquet` (the warm-up's Parquet file). */
export async function encodeParquetNode(ipc: Uint8Array): Promise<Uint8Array> {
  return parquetNode.writeParquet(parquetNode.Table.fromIPCStream(ipc));
}
