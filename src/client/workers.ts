/**
 * Where the two workers and DuckDB's assets come from. Vite bundles each
 * worker and copies the wasm files next to the app with hashed names; every
 * URL is resolved against the page so a build works under any sub-path.
 *
 * The runtime worker (notebook code) runs in an *opaque origin*: a `data:`
 * URL module worker, whose origin is `null`. From there the browser itself
 * sends no cookies or HTTP auth of the site — fetch, XHR, EventSource,
 * WebSocket and `import()` alike — and denies IndexedDB, caches and OPFS,
 * whatever the code asks. A worker from an `http:` URL must share the page's
 * origin, and an opaque worker cannot import the app's chunks (cross-origin
 * modules need CORS, which a plain static host does not send), so the page
 * fetches the runtime's one-file bundle as text and hands it over; the
 * worker imports it from a `blob:` URL of its own (opaque) origin.
 * Measured in docs/security.md ("Opaque-origin runtime").
 */
import runtimeWorkerUrl from '../../workers/runtime/runtime.worker.ts?worker&url';
// Built as a one-file bundle of its own; the runtime asks for it when a cell reads `Plot`
// (workers/runtime/page-modules.ts).
import plotBundleUrl from '../../workers/runtime/plot-bundle.ts?worker&url';
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { BOOTED_DATA_WORKER, START_DUCKDB_MESSAGE, type DataInit } from '../data/api.ts';
import type { PageModuleName } from '../runtime/messages.ts';

/** Absolute URLs of the data engine's assets, for `DataApi.init`. */
export function dataAssets(notebookId: string): DataInit {
  const absolute = (url: string) => new URL(url, document.baseURI).href;
  return {
    notebookId,
    duckdb: { wasm: absolute(duckdbWasm), worker: absolute(duckdbWorker) },
    parquetWasm: absolute(parquetWasm),
  };
}

/** A data worker started ahead of the app (`preStartDataWorker`), not yet taken. */
let preStarted: Worker | undefined;

/**
 * Starts the data worker (DuckDB-WASM; owns every table) and, with its
 * first message, DuckDB's download and compile: they need nothing of the
 * notebook. Takes the worker `preStartDataWorker` started, if any.
 */
export function startDataWorker(): Worker {
  const early = preStarted ?? takeBootedWorker();
  preStarted = undefined;
  if (early) return early;
  const worker = new Worker(new URL('../../workers/data/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'brook-data',
  });
  const { duckdb } = dataAssets('');
  worker.postMessage({ type: START_DUCKDB_MESSAGE, duckdb });
  return worker;
}

/** The data worker a built page's boot script started (see `injectEngineBoot`), once. */
function takeBootedWorker(): Worker | undefined {
  const holder = globalThis as unknown as Record<string, unknown>;
  const booted = holder[BOOTED_DATA_WORKER];
  delete holder[BOOTED_DATA_WORKER];
  return booted instanceof Worker ? booted : undefined;
}

/**
 * A built app's first step, before its own code has rendered anything:
 * DuckDB is the slowest part of a first visit (the wasm is megabytes to
 * compile), so it starts while the page still loads its saved state and
 * paints. The first `startDataWorker` takes this worker.
 */
export function preStartDataWorker(): void {
  preStarted ??= startDataWorker();
}

/** A runtime worker and when it can take its first message. */
export interface StartedRuntime {
  worker: Worker;
  /** Resolves once the runtime's code runs in the worker; rejects with why it could not start. */
  started: Promise<void>;
}

/**
 * The opaque worker's first script: it waits for the runtime's source,
 * imports it from a `blob:` URL of its own origin, and says so. Comlink's
 * listener exists only after that, so the page sends nothing else before.
 */
const OPAQUE_BOOT = `
self.addEventListener('message', async function boot(event) {
  const source = event.data && event.data.brookRuntimeSource;
  if (typeof source !== 'string') return;
  self.removeEventListener('message', boot);
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    await import(url);
    self.postMessage({ brookRuntime: 'started' });
  } catch (error) {
    self.postMessage({ brookRuntime: 'failed', message: String(error) });
  } finally {
    URL.revokeObjectURL(url);
  }
});`;

/** Bundle texts by URL, fetched once per page (every runtime restart reuses them). */
const bundleTexts = new Map<string, Promise<string>>();

function fetchBundleText(url: string, what: string): Promise<string> {
  const known = bundleTexts.get(url);
  if (known) return known;
  const text = fetch(new URL(url, document.baseURI).href).then((response) => {
    if (!response.ok) throw new Error(`${what} could not be loaded (HTTP ${response.status}).`);
    return response.text();
  });
  bundleTexts.set(url, text);
  // A failed fetch is not kept: the next start tries again.
  text.catch(() => bundleTexts.delete(url));
  return text;
}

/**
 * The text of a bundle the runtime asked for (`PageModuleName`). On Vite's
 * dev server the bundle is unbundled modules, which only their own URL can
 * load: the text is then one line importing it (the dev worker shares the page's origin).
 */
export function pageModuleSource(name: PageModuleName): Promise<string> {
  switch (name) {
    case 'plot':
      if (UNBUNDLED) return Promise.resolve(`import ${JSON.stringify(new URL(plotBundleUrl, document.baseURI).href)};`);
      return fetchBundleText(plotBundleUrl, 'Observable Plot');
  }
}

/**
 * Vite's dev server (working on Brook itself) serves the worker as unbundled
 * modules that import each other by path, which an opaque worker cannot load.
 * Every built app (`brook build`, `brook dev`, the studio) has the one-file bundle.
 */
const UNBUNDLED = /[?&]worker_file&/.test(runtimeWorkerUrl);

/**
 * Starts a runtime worker (runs the notebook's untrusted code) in an opaque
 * origin; on Vite's dev server an ordinary same-origin module worker.
 */
export function startRuntimeWorker(): StartedRuntime {
  if (UNBUNDLED) {
    const worker = new Worker(new URL('../../workers/runtime/runtime.worker.ts', import.meta.url), { type: 'module', name: 'brook-runtime' });
    return { worker, started: Promise.resolve() };
  }
  const worker = new Worker(`data:text/javascript,${encodeURIComponent(OPAQUE_BOOT)}`, { type: 'module', name: 'brook-runtime' });
  const started = new Promise<void>((resolve, reject) => {
    const listen = (event: MessageEvent) => {
      const data = event.data as { brookRuntime?: string; message?: string } | null;
      if (data?.brookRuntime === 'started') resolve();
      else if (data?.brookRuntime === 'failed') reject(new Error(`The runtime could not start: ${data.message ?? 'unknown error'}`));
      else return;
      worker.removeEventListener('message', listen);
    };
    worker.addEventListener('message', listen);
    worker.addEventListener('error', () => reject(new Error('The runtime worker could not start.')), { once: true });
    fetchBundleText(runtimeWorkerUrl, 'The runtime').then((source) => worker.postMessage({ brookRuntimeSource: source }), reject);
  });
  return { worker, started };
}
