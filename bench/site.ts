/**
 * What the browser loads: the bench notebooks built with the real `brook
 * build`, the bare DuckDB-WASM page built with Vite, and the data files, all
 * served by Brook's plain static server from one origin under a sub-path.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAppBundle, PROJECT_ROOT } from '../src/cli/app-bundle.ts';
import { build } from '../src/cli/build.ts';
import { compressTree } from '../src/cli/compressed-assets.ts';
import { createStaticServer, type RequestLogEntry } from '../src/cli/static-server.ts';
import { BENCH_DIR, DATA_DIR, OUT_DIR } from './datasets.ts';

export const NOTEBOOKS_DIR = join(BENCH_DIR, 'notebooks');
export const SITE_DIR = join(OUT_DIR, 'site');
/** The cold-visit notebooks built without answers (`--no-answers`): their first live query is DuckDB's. */
export const LIVE_SITE_DIR = join(OUT_DIR, 'site-live');
/** Served under `live/`. */
export const LIVE_NOTEBOOKS = ['flights-csv', 'flights-parquet', 'flights-10m'];
export const BARE_DIR = join(OUT_DIR, 'bare');
export const BASE_PATH = '/bench/';

export interface BuiltSite {
  /** The generic app bundle every notebook build copies. */
  appDir: string;
  /** Whether this run had to build the app bundle. */
  appBuilt: boolean;
  /** Built notebooks by name (`flights-csv` → `<site>/flights-csv`). */
  notebooks: string[];
}

/** Builds the app bundle (if stale), every notebook in `bench/notebooks/`, and the bare page. */
export async function buildSite(log: (message: string) => void): Promise<BuiltSite> {
  const bundle = await ensureAppBundle({ log });
  const result = await build({ input: NOTEBOOKS_DIR, out: SITE_DIR, appDir: bundle.dir, log });
  for (const built of result.notebooks) for (const warning of built.warnings) log(`warning: ${warning}`);
  for (const name of LIVE_NOTEBOOKS) {
    await build({ input: join(NOTEBOOKS_DIR, `${name}.md`), out: join(LIVE_SITE_DIR, name), appDir: bundle.dir, answers: false, log });
  }
  await buildBarePage();
  return {
    appDir: bundle.dir,
    appBuilt: bundle.built,
    notebooks: result.notebooks.map((n) => n.out.slice(SITE_DIR.length + 1)),
  };
}

/** Builds `bench/bare/` with Vite (the same DuckDB-WASM assets and worker format as the app). */
export async function buildBarePage(): Promise<void> {
  const { build: viteBuild } = await import('vite');
  if (existsSync(BARE_DIR)) rmSync(BARE_DIR, { recursive: true, force: true });
  mkdirSync(BARE_DIR, { recursive: true });
  await viteBuild({
    root: join(BENCH_DIR, 'bare'),
    configFile: false,
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    resolve: { alias: {} },
    build: { outDir: BARE_DIR, emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, chunkSizeWarningLimit: 8192 },
    // Resolve packages from the project, not from bench/bare.
    cacheDir: join(PROJECT_ROOT, 'node_modules', '.vite-bench'),
  });
  // Served as a built app is (and as a CDN would serve it): DuckDB's wasm brotli-compressed, not 34 MB raw.
  await compressTree(BARE_DIR);
}

export interface ServedBench {
  /** `http://127.0.0.1:<port>/bench/` */
  url: string;
  origin: string;
  requests: RequestLogEntry[];
  close(): Promise<void>;
}

/** Serves the site with the bare page at `bare/` and the data files at `data/`. */
export async function serveSite(): Promise<ServedBench> {
  const requests: RequestLogEntry[] = [];
  const running = await createStaticServer({
    root: SITE_DIR,
    basePath: BASE_PATH,
    mounts: { 'bare/': BARE_DIR, 'data/': DATA_DIR, 'live/': LIVE_SITE_DIR },
    onRequest: (entry) => requests.push(entry),
  }).listen(0, '127.0.0.1');
  return { url: running.url, origin: new URL(running.url).origin, requests, close: () => running.close() };
}
