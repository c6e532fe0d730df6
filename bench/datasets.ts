/**
 * The bench's data files: the 3M-row flights Parquet file that ships with
 * vega-datasets, and made from it with native DuckDB into `bench/out/`: a
 * 1M-row CSV (the first million rows in file order) and a 10M-row Parquet
 * file (the flights four times over, cut at ten million: issue 13's large case).
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PROJECT_ROOT } from '../src/cli/app-bundle.ts';

export const BENCH_DIR = join(PROJECT_ROOT, 'bench');
/** Everything a run writes except `results.json` (gitignored). */
export const OUT_DIR = join(BENCH_DIR, 'out');
export const DATA_DIR = join(OUT_DIR, 'data');

export interface Datasets {
  parquet: { path: string; bytes: number; rows: number };
  csv: { path: string; bytes: number; rows: number };
  parquet10m: { path: string; bytes: number; rows: number };
}

export const PARQUET_SOURCE = resolve(PROJECT_ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
export const CSV_ROWS = 1_000_000;
export const LARGE_ROWS = 10_000_000;

/** SQL string literal for a file path. */
export function sqlPath(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/**
 * Makes (or reuses) `bench/out/data/flights-1m.csv` and copies the Parquet
 * file next to it, so pages and native DuckDB read both from one folder.
 */
export async function prepareDatasets(log: (message: string) => void = () => {}): Promise<Datasets> {
  mkdirSync(DATA_DIR, { recursive: true });
  const csv = join(DATA_DIR, 'flights-1m.csv');
  const parquet = join(DATA_DIR, 'flights-3m.parquet');
  const large = join(DATA_DIR, 'flights-10m.parquet');
  if (!existsSync(parquet) || statSync(parquet).size !== statSync(PARQUET_SOURCE).size) copyFileSync(PARQUET_SOURCE, parquet);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    if (!existsSync(csv) || statSync(csv).mtimeMs < statSync(PARQUET_SOURCE).mtimeMs) {
      log(`writing ${CSV_ROWS.toLocaleString('en-US')}-row CSV with native DuckDB…`);
      // DuckDB preserves insertion order by default, so LIMIT takes the file's first rows: the same CSV every time.
      await conn.run('SET threads=1');
      await conn.run(`COPY (SELECT * FROM read_parquet(${sqlPath(PARQUET_SOURCE)}) LIMIT ${CSV_ROWS}) TO ${sqlPath(csv)} (HEADER, DELIMITER ',')`);
    }
    if (!existsSync(large) || statSync(large).mtimeMs < statSync(PARQUET_SOURCE).mtimeMs) {
      log(`writing ${LARGE_ROWS.toLocaleString('en-US')}-row Parquet with native DuckDB…`);
      await conn.run('SET threads=1');
      await conn.run(`COPY (SELECT f.* FROM range(4) copies(k), read_parquet(${sqlPath(PARQUET_SOURCE)}) f LIMIT ${LARGE_ROWS}) TO ${sqlPath(large)} (FORMAT parquet)`);
    }
    const count = async (from: string) => Number((await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${from}`)).getRowObjectsJS()[0].n);
    return {
      parquet: { path: parquet, bytes: statSync(parquet).size, rows: await count(`read_parquet(${sqlPath(parquet)})`) },
      csv: { path: csv, bytes: statSync(csv).size, rows: await count(`read_csv_auto(${sqlPath(csv)})`) },
      parquet10m: { path: large, bytes: statSync(large).size, rows: await count(`read_parquet(${sqlPath(large)})`) },
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
