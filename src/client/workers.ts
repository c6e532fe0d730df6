/**
 * Where the two workers and DuckDB's assets come from. Vite bundles each
 * worker and copies the wasm files next to the app with hashed names; every
 * URL is resolved against the page so a build works under any sub-path.
 */
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import type { DataInit } from '../data/api.ts';

/** Absolute URLs of the data engine's assets, for `DataApi.init`. */
export function dataAssets(notebookId: string): DataInit {
  const absolute = (url: string) => new URL(url, document.baseURI).href;
  return {
    notebookId,
    duckdb: { wasm: absolute(duckdbWasm), worker: absolute(duckdbWorker) },
    parquetWasm: absolute(parquetWasm),
  };
}

/** Starts the data worker (DuckDB-WASM; owns every table). */
export function startDataWorker(): Worker {
  return new Worker(new URL('../../workers/data/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'brook-data',
  });
}

/** Starts a runtime worker (runs the notebook's untrusted code). */
export function startRuntimeWorker(): Worker {
  return new Worker(new URL('../../workers/runtime/runtime.worker.ts', import.meta.url), {
    type: 'module',
    name: 'brook-runtime',
  });
}
