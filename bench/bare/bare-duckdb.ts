/**
 * The "bare" baseline: DuckDB-WASM used directly from a page, the way a
 * hand-written app would, with no notebook, runtime worker or memo in between.
 * Served from the same origin as the Brook builds so both load the same way.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import initParquet, { readParquet } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { SAFE_SETTINGS } from '../../src/data/duck-connection.ts';
import type { BareDuckApi, BareIngest } from './bare-api.ts';

let db: duckdb.AsyncDuckDB | undefined;
let conn: duckdb.AsyncDuckDBConnection | undefined;
/** parquet-wasm is initialized once, on the first Parquet load (as Brook's data worker does). */
let parquetReady: Promise<unknown> | undefined;

function connection(): duckdb.AsyncDuckDBConnection {
  if (!conn) throw new Error('call init() first');
  return conn;
}

async function fetchBytes(url: string): Promise<{ bytes: Uint8Array; fetchMs: number }> {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, fetchMs: performance.now() - started };
}

async function rowCount(table: string): Promise<number> {
  const result = await connection().query(`SELECT count(*)::DOUBLE AS n FROM "${table}"`);
  return Number(result.get(0)?.n ?? 0);
}

const api: BareDuckApi = {
  async init() {
    const started = performance.now();
    const absolute = (url: string) => new URL(url, document.baseURI).href;
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(absolute(duckdbWorker)));
    await db.instantiate(absolute(duckdbWasm));
    conn = await db.connect();
    await conn.query(SAFE_SETTINGS);
    const version = await db.getVersion();
    return { ms: performance.now() - started, version };
  },

  async ingestCsv(url, table): Promise<BareIngest> {
    const { bytes, fetchMs } = await fetchBytes(url);
    // Registering transfers (detaches) the buffer, so take its size first.
    const size = bytes.byteLength;
    const started = performance.now();
    const name = `${table}.csv`;
    await db!.registerFileBuffer(name, bytes);
    await connection().query(`CREATE OR REPLACE TABLE "${table}" AS SELECT * FROM read_csv_auto('${name}')`);
    const loadMs = performance.now() - started;
    await db!.dropFile(name);
    return { fetchMs, loadMs, rows: await rowCount(table), bytes: size };
  },

  async ingestParquet(url, table): Promise<BareIngest> {
    const { bytes, fetchMs } = await fetchBytes(url);
    const started = performance.now();
    parquetReady ??= initParquet({ module_or_path: new URL(parquetWasm, document.baseURI).href });
    await parquetReady;
    const ipc = readParquet(bytes).intoIPCStream();
    await connection().query(`DROP TABLE IF EXISTS "${table}"`);
    await connection().insertArrowFromIPCStream(ipc, { name: table, create: true });
    const loadMs = performance.now() - started;
    return { fetchMs, loadMs, rows: await rowCount(table), bytes: bytes.byteLength };
  },

  async query(sql, params) {
    const started = performance.now();
    const statement = await connection().prepare(sql);
    try {
      const table = await statement.query(...params);
      const ms = performance.now() - started;
      const first = table.numRows > 0 ? JSON.stringify(table.get(0)?.toJSON(), (_, v) => (typeof v === 'bigint' ? Number(v) : v)) : '';
      return { ms, rows: table.numRows, first };
    } finally {
      await statement.close();
    }
  },
};

window.bareDuck = api;
document.getElementById('status')!.textContent = 'loaded';
