/**
 * First and repeat visits. A cold visit is a fresh profile opening the built
 * notebook; a repeat visit reloads it in the same (persistent) profile, where
 * the result can come from the persisted query memo before DuckDB is ready.
 */
import { rmSync } from 'node:fs';
import { launchPersistent } from '../../test/browser/setup/chromium.ts';
import {
  benchNotebook, collectContextErrors, expectedResultLine, INITIAL_MIN_DELAY, resultMarker, visitWatches,
  type BenchContext, type BenchNotebook, type DatasetKind,
} from '../context.ts';
import { installProbe, literalPattern, settle, timeChange, waitForSeen } from '../page-probe.ts';
import { summarize } from '../stats.ts';

/** The control value of a cold visit's first live query (not the default, so not in the build's snapshot). */
const LIVE_MIN_DELAY = 57;

/**
 * A fresh profile opening the bare DuckDB-WASM page: navigation start → DuckDB
 * instantiated and `SELECT 42` answered. What every cold visit is compared with.
 */
async function bareColdAnswer(ctx: BenchContext): Promise<number> {
  const context = await ctx.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${ctx.site.url}bare/`);
    await page.waitForFunction(() => 'bareDuck' in window);
    return await page.evaluate(async () => {
      await window.bareDuck.init();
      await window.bareDuck.query('SELECT 42 AS answer', []);
      return performance.now();
    });
  } finally {
    await context.close();
  }
}

/** Bytes the page received (compressed, as sent) by `time`: the page itself and every resource finished by then. */
function bytesBy(time: number): number {
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  let bytes = navigation?.transferSize ?? 0;
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (entry.responseEnd <= time) bytes += entry.transferSize;
  }
  return bytes;
}

/**
 * `repeats` cold visits of one notebook, each after a cold bare DuckDB-WASM
 * page in the same run: default result painted (the build's snapshot), shell
 * (controls) painted, first live query (the slider moved as soon as it is
 * painted), DuckDB ready, bytes served and bytes before the first paint.
 */
export async function coldVisit(ctx: BenchContext, kind: DatasetKind): Promise<void> {
  const notebook = benchNotebook(kind);
  const painted: number[] = [];
  const resultPainted: number[] = [];
  const firstResult: number[] = [];
  const firstLive: number[] = [];
  const firstLiveDuckdb: number[] = [];
  const duckdbReady: number[] = [];
  const bare: number[] = [];
  let bytes = 0;
  let dataBytes = 0;
  let bytesBeforePaint = 0;
  for (let run = 0; run < ctx.repeats; run++) {
    bare.push(await bareColdAnswer(ctx));
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const errors = collectContextErrors(context);
    try {
      await installProbe(context, visitWatches(notebook));
      const page = await context.newPage();
      const firstRequest = ctx.site.requests.length;
      await page.goto(`${ctx.site.url}${notebook.site}/`);
      const seen = await waitForSeen(page, ['shell', 'result']);
      painted.push(seen.shell.painted ?? seen.shell.dom);
      firstResult.push(seen.result.dom);
      resultPainted.push(seen.result.painted ?? seen.result.dom);
      bytesBeforePaint = await page.evaluate(bytesBy, seen.result.painted ?? seen.result.dom);
      // A reader moves the slider as soon as it can be moved: the app's controls are disabled until the
      // runtime is up (an event dispatched to a disabled control is ignored, as a person's drag would be).
      const slider = await page.waitForSelector('input[type=range]:not([disabled])', { timeout: 120_000 });
      const changedAt = await page.evaluate(() => performance.now());
      firstLive.push(changedAt + (await timeChange(slider, LIVE_MIN_DELAY, resultMarker(kind, LIVE_MIN_DELAY), 120_000)));
      duckdbReady.push((await waitForSeen(page, ['duckdb'])).duckdb.dom);
      const served = ctx.site.requests.slice(firstRequest);
      bytes = served.reduce((sum, r) => sum + r.bytes, 0);
      dataBytes = served.filter((r) => r.path.includes('/data/')).reduce((sum, r) => sum + r.bytes, 0);
    } catch (error) {
      throw new Error(`${String(error)}\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
    firstLiveDuckdb.push(await firstLiveOnDuckdb(ctx, notebook));
    ctx.log(`  cold ${kind} #${run + 1}: bare ${Math.round(bare.at(-1)!)} ms; result painted ${Math.round(resultPainted.at(-1)!)} ms, controls ${Math.round(painted.at(-1)!)} ms, first live query ${Math.round(firstLive.at(-1)!)} ms (built without answers: ${Math.round(firstLiveDuckdb.at(-1)!)} ms), DuckDB ready ${Math.round(duckdbReady.at(-1)!)} ms`);
  }
  const base = `cold.${kind}`;
  const samples = {
    painted: summarize(painted), result: summarize(firstResult), duckdb: summarize(duckdbReady),
    resultPainted: summarize(resultPainted), live: summarize(firstLive), bare: summarize(bare), liveDuckdb: summarize(firstLiveDuckdb),
  };
  ctx.add({ name: `${base}.painted`, value: samples.painted.p50, unit: 'ms', samples: samples.painted, description: `cold visit, ${notebook.label}: navigation start → markdown and slider painted (median of ${ctx.repeats})` });
  ctx.add({ name: `${base}.duckdb-ready`, value: samples.duckdb.p50, unit: 'ms', samples: samples.duckdb, description: `cold visit: navigation start → status line says "DuckDB ready"` });
  ctx.add({ name: `${base}.first-result`, value: samples.result.p50, unit: 'ms', samples: samples.result, description: `cold visit: navigation start → first query result in the DOM (includes loading the data file)` });
  ctx.add({ name: `${base}.bytes`, value: bytes, unit: 'bytes', description: `cold visit: body bytes served (pre-compressed siblings where the browser accepts them), app + notebook + data`, detail: { dataBytes, appBytes: bytes - dataBytes } });
  ctx.add({ name: `${base}.bytes-before-paint`, value: bytesBeforePaint, unit: 'bytes', description: 'cold visit: bytes received (as sent) by the time the default result was painted' });
  ctx.add({ name: `${base}.bare-answer`, value: samples.bare.p50, unit: 'ms', samples: samples.bare, description: 'fresh profile, bare DuckDB-WASM page: navigation start → SELECT 42 answered (the reference for the ratios below)' });
  ctx.add({ name: `${base}.result-painted`, value: samples.resultPainted.p50, unit: 'ms', samples: samples.resultPainted, description: `cold visit: navigation start → the default result painted (the build's snapshot)` });
  ctx.add({ name: `${base}.default-view-vs-bare`, value: samples.resultPainted.p50 / samples.bare.p50, unit: 'ratio', goal: 0.5, description: 'cold visit: default result painted ÷ bare page answering SELECT 42' });
  ctx.add({ name: `${base}.first-live-query`, value: samples.live.p50, unit: 'ms', samples: samples.live, description: `cold visit: navigation start → the result for a slider value moved as soon as the slider was painted (the build ran every value of the slider: answered from its answers, before DuckDB is ready)` });
  ctx.add({ name: `${base}.first-live-vs-bare`, value: samples.live.p50 / samples.bare.p50, unit: 'ratio', goal: 1.3, description: 'cold visit: first live query answered ÷ bare page answering SELECT 42' });
  ctx.add({ name: `${base}.first-live-duckdb`, value: samples.liveDuckdb.p50, unit: 'ms', samples: samples.liveDuckdb, description: 'cold visit of the same notebook built with --no-answers: the first live query is computed by DuckDB (from the shipped range index)' });
  ctx.add({ name: `${base}.first-live-duckdb-vs-bare`, value: samples.liveDuckdb.p50 / samples.bare.p50, unit: 'ratio', description: 'cold visit, built with --no-answers: first live query ÷ bare page answering SELECT 42' });
}

/**
 * The first live query of a cold visit to the notebook built without answers
 * (`live/`): what a value no build run tried costs — DuckDB's start, then the
 * shipped range index.
 */
async function firstLiveOnDuckdb(ctx: BenchContext, notebook: BenchNotebook): Promise<number> {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = collectContextErrors(context);
  try {
    const page = await context.newPage();
    await page.goto(`${ctx.site.url}live/${notebook.site}/`);
    const slider = await page.waitForSelector('input[type=range]:not([disabled])', { timeout: 120_000 });
    const changedAt = await page.evaluate(() => performance.now());
    return changedAt + (await timeChange(slider, LIVE_MIN_DELAY, resultMarker(notebook.kind, LIVE_MIN_DELAY), 120_000));
  } catch (error) {
    throw new Error(`${String(error)}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}


/**
 * One first visit in a persistent profile (fills IndexedDB and the HTTP
 * cache), then `repeats` reloads: time to the full, correct result (shown
 * from the last run's saved outputs), to the same result confirmed by this
 * visit's runtime (answered from the persisted query memo), and to DuckDB
 * ready. Both results are checked against native DuckDB.
 */
export async function repeatVisit(ctx: BenchContext, kind: DatasetKind): Promise<void> {
  const notebook = benchNotebook(kind);
  const file = kind === 'csv' ? ctx.data.csv : ctx.data.parquet;
  // The bare scenario loads the native tables; when it was skipped (BENCH_ONLY), load the one needed here.
  await ctx.native.alias('flights', `flights_${kind}`).catch(async () => {
    await (kind === 'csv' ? ctx.native.ingestCsv(file.path, `flights_${kind}`, 1) : ctx.native.ingestParquet(file.path, `flights_${kind}`, 1));
    await ctx.native.alias('flights', `flights_${kind}`);
  });
  const expected = await ctx.native.query(notebook.sql, [INITIAL_MIN_DELAY]);
  const expectedLine = expectedResultLine(kind, INITIAL_MIN_DELAY, expected.rows, expected.first);
  const { context, dir } = await launchPersistent();
  const errors = collectContextErrors(context);
  const toResult: number[] = [];
  const toConfirmed: number[] = [];
  const painted: number[] = [];
  const toDuckdb: number[] = [];
  const lines: string[] = [];
  const marker = literalPattern(resultMarker(kind, INITIAL_MIN_DELAY));
  try {
    await installProbe(context, [
      ...visitWatches(notebook),
      { name: 'shown', text: marker, within: '[data-cell]' },
      { name: 'confirmed', text: marker, within: '[data-cell]:not([data-restored])' },
    ]);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${ctx.site.url}${notebook.site}/`);
    await waitForSeen(page, ['result', 'duckdb']);
    await settle(page);
    for (let run = 0; run < ctx.repeats; run++) {
      await page.reload();
      const seen = await waitForSeen(page, ['shown', 'confirmed', 'duckdb']);
      toResult.push(seen.shown.dom);
      painted.push(seen.shown.painted ?? Number.NaN);
      toConfirmed.push(seen.confirmed.dom);
      toDuckdb.push(seen.duckdb.dom);
      lines.push(seen.shown.text ?? '', seen.confirmed.text ?? '');
      ctx.log(`  reload ${kind} #${run + 1}: result ${Math.round(seen.shown.dom)} ms, confirmed ${Math.round(seen.confirmed.dom)} ms, DuckDB ready ${Math.round(seen.duckdb.dom)} ms`);
      await settle(page);
    }
  } catch (error) {
    throw new Error(`${String(error)}\n${errors.join('\n')}`);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const correct = lines.every((line) => line === expectedLine);
  const result = summarize(toResult);
  const confirmed = summarize(toConfirmed);
  const duckdb = summarize(toDuckdb);
  ctx.add({
    name: `repeat.${kind}.result`, value: result.p50, unit: 'ms', goal: 500, samples: result,
    description: `repeat visit (reload, same profile), ${notebook.label}: navigation start → the full, correct result in the DOM (the last run's saved outputs)`,
    detail: { correct, expected: expectedLine, shown: lines, painted: painted.map(Math.round) },
  });
  ctx.add({
    name: `repeat.${kind}.confirmed`, value: confirmed.p50, unit: 'ms', samples: confirmed,
    description: `repeat visit: navigation start → the same result re-run by this visit's runtime (from the persisted query memo)`,
  });
  ctx.add({ name: `repeat.${kind}.duckdb-ready`, value: duckdb.p50, unit: 'ms', samples: duckdb, description: `repeat visit: navigation start → "DuckDB ready"` });
  if (!correct) throw new Error(`repeat visit ${kind}: shown ${JSON.stringify(lines)}, expected ${expectedLine}`);
}
