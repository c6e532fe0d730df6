/**
 * Native DuckDB (`@duckdb/node-api`) on the same files and SQL as the browser,
 * single-threaded (DuckDB-WASM without COOP/COEP runs on one thread), as the
 * yardstick for ingest and query times.
 */
import { DuckDBInstance, version } from '@duckdb/node-api';
import { sqlPath } from './datasets.ts';
import { median } from './stats.ts';

export interface NativeIngest {
  /** Median of `repeats` loads, ms. */
  ms: number;
  samples: number[];
  rows: number;
}

export interface NativeDuck {
  version: string;
  ingestCsv(path: string, table: string, repeats?: number): Promise<NativeIngest>;
  ingestParquet(path: string, table: string, repeats?: number): Promise<NativeIngest>;
  /** Makes `name` a view of `table`, so the notebooks' SQL (`FROM flights`) reads the data set asked for. */
  alias(name: string, table: string): Promise<void>;
  /** Runs `sql` with bound `params`; returns ms and the first row as JSON (numbers for integers). */
  query(sql: string, params: (number | string | boolean | null)[]): Promise<{ ms: number; rows: number; first: string }>;
  close(): void;
}

/** A fresh in-memory native DuckDB with `SET threads=1`. */
export async function openNativeDuck(): Promise<NativeDuck> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads=1');

  async function timedLoad(from: string, table: string, repeats: number): Promise<NativeIngest> {
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      await conn.run(`DROP TABLE IF EXISTS "${table}"`);
      const started = performance.now();
      await conn.run(`CREATE TABLE "${table}" AS SELECT * FROM ${from}`);
      samples.push(performance.now() - started);
    }
    const rows = Number((await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM "${table}"`)).getRowObjectsJS()[0].n);
    return { ms: median(samples), samples, rows };
  }

  return {
    version: version(),
    ingestCsv: (path, table, repeats = 3) => timedLoad(`read_csv_auto(${sqlPath(path)})`, table, repeats),
    ingestParquet: (path, table, repeats = 3) => timedLoad(`read_parquet(${sqlPath(path)})`, table, repeats),
    async alias(name, table) {
      await conn.run(`CREATE OR REPLACE VIEW "${name}" AS SELECT * FROM "${table}"`);
    },
    async query(sql, params) {
      const started = performance.now();
      const reader = await conn.runAndReadAll(sql, params);
      const ms = performance.now() - started;
      const rows = reader.getRowObjectsJS();
      return { ms, rows: rows.length, first: rows.length ? JSON.stringify(rows[0], (_, v) => (typeof v === 'bigint' ? Number(v) : v)) : '' };
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
