/**
 * `npm run bench`: builds the app and the bench notebooks, serves them with
 * Brook's plain static server, drives headless Chromium through every
 * scenario, prints a table and writes `bench/results.json`.
 *
 * Options (environment): BENCH_REPEATS (cold visits, reloads and bare loads, default 2),
 * BENCH_ONLY (comma-separated scenario names; the results file keeps the figures
 * of scenarios not run, listed under `carriedOver`), BENCH_OUT (results file).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../test/browser/setup/chromium.ts';
import { assetSizes, BROTLI_QUALITY, totalSizes } from './asset-sizes.ts';
import type { BenchContext } from './context.ts';
import { BENCH_DIR, prepareDatasets } from './datasets.ts';
import { formatTable, formatValue, mergeResults, type BenchResults, type Figure } from './figures.ts';
import { machineInfo } from './machine.ts';
import { openNativeDuck } from './native.ts';
import { appIngest } from './scenarios/app-ingest.ts';
import { brushDrag } from './scenarios/brush.ts';
import { clickhouseLatency } from './scenarios/clickhouse.ts';
import { bareDuckDb, type BareQueryTimes } from './scenarios/bare.ts';
import { fullRerun, inputLatency } from './scenarios/latency.ts';
import { coldVisit, repeatVisit } from './scenarios/visits.ts';
import { buildSite, serveSite } from './site.ts';

const started = performance.now();
const loadAtStart = loadavg();
const log = (message: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
const repeats = Number(process.env.BENCH_REPEATS ?? 2);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const outFile = process.env.BENCH_OUT ?? join(BENCH_DIR, 'results.json');

const figures: Figure[] = [];
const failures: BenchResults['failures'] = [];

log('preparing data sets…');
const data = await prepareDatasets(log);
const native = await openNativeDuck();
log('building the app and the bench notebooks…');
const built = await buildSite(log);

log('measuring asset sizes…');
const sizes = assetSizes(built.appDir);
const total = totalSizes(sizes);
const add = (figure: Figure) => figures.push(figure);
add({ name: 'assets.raw', value: total.raw, unit: 'bytes', description: 'the app bundle every build ships (all files)', detail: { largest: sizes.slice(0, 6) } });
add({ name: 'assets.gzip', value: total.gzip, unit: 'bytes', description: 'the same, gzip -9 per file' });
add({ name: 'assets.brotli', value: total.brotli, unit: 'bytes', description: `the same, brotli quality ${BROTLI_QUALITY} per file` });

const site = await serveSite();
const browser = await launchBrowser();
const ctx: BenchContext = { browser, site, data, native, repeats, log, add, results: figures };

let bare: BareQueryTimes = {};
const scenarios: [string, () => Promise<unknown>][] = [
  ['bare', async () => { bare = await bareDuckDb(ctx); }],
  ['cold', () => coldVisit(ctx, 'csv')],
  ['cold', () => coldVisit(ctx, 'parquet')],
  ['cold', () => coldVisit(ctx, 'parquet10m')],
  ['latency', () => inputLatency(ctx, 'csv', bare)],
  ['latency', () => inputLatency(ctx, 'parquet', bare)],
  // After DuckDB-WASM's latency on the same 3M flights, for the side-by-side ratio.
  ['clickhouse', () => clickhouseLatency(ctx)],
  ['rerun', () => fullRerun(ctx, 'csv')],
  ['rerun', () => fullRerun(ctx, 'parquet')],
  ['repeat', () => repeatVisit(ctx, 'csv')],
  ['repeat', () => repeatVisit(ctx, 'parquet')],
  ['ingest', () => appIngest(ctx, 'csv')],
  ['ingest', () => appIngest(ctx, 'parquet')],
  ['brush', () => brushDrag(ctx)],
];

try {
  for (const [name, run] of scenarios) {
    if (only && !only.includes(name)) continue;
    log(`${name}…`);
    try {
      await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  FAILED: ${message.split('\n')[0]}`);
      failures.push({ scenario: name, error: message });
    }
  }
  // The saving of cell-level re-runs + memo over script-style re-runs, per data set.
  for (const kind of ['csv', 'parquet']) {
    const rerun = figures.find((f) => f.name === `rerun.${kind}.p50`);
    const miss = figures.find((f) => f.name === `latency.${kind}.miss.p50`);
    if (rerun && miss) add({ name: `rerun.${kind}.vs-brook-miss`, value: rerun.value / miss.value, unit: 'ratio', description: 'script-style re-run p50 ÷ Brook memo-miss p50: how much slower re-running everything is' });
  }
} finally {
  const machine = machineInfo(browser, native.version, loadAtStart);
  await browser.close();
  await site.close();
  native.close();
  const fresh: BenchResults = { machine, durationMs: performance.now() - started, figures, failures };
  // A subset run updates its own figures and keeps the rest of the file.
  const results = only && existsSync(outFile) ? mergeResults(fresh, JSON.parse(readFileSync(outFile, 'utf8')) as BenchResults) : fresh;
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatTable(figures)}\n`);
  console.log(`${machine.cores} × ${machine.cpus}, Chromium ${machine.chromium}, load average at start ${machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`wrote ${outFile} in ${formatValue((performance.now() - started) / 1000, 's')}${failures.length ? `; ${failures.length} scenario(s) FAILED` : ''}`);
  if (failures.length) process.exitCode = 1;
}
