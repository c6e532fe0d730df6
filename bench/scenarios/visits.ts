/**
 * First and repeat visits. A cold visit is a fresh profile opening the built
 * notebook; a repeat visit reloads it in the same (persistent) profile, where
 * the result can come from the persisted query memo before DuckDB is ready.
 */
import { rmSync } from 'node:fs';
import { launchPersistent } from '../../test/browser/setup/chromium.ts';
import {
  benchNotebook, collectContextErrors, expectedResultLine, INITIAL_MIN_DELAY, resultMarker, visitWatches,
  type BenchContext, type DatasetKind,
} from '../context.ts';
import { installProbe, literalPattern, settle, waitForSeen } from '../page-probe.ts';
import { summarize } from '../stats.ts';

/** `repeats` cold visits of one notebook: painted shell, first result, DuckDB ready, bytes served. */
export async function coldVisit(ctx: BenchContext, kind: DatasetKind): Promise<void> {
  const notebook = benchNotebook(kind);
  const painted: number[] = [];
  const firstResult: number[] = [];
  const duckdbReady: number[] = [];
  let bytes = 0;
  let dataBytes = 0;
  for (let run = 0; run < ctx.repeats; run++) {
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const errors = collectContextErrors(context);
    try {
      await installProbe(context, visitWatches(notebook));
      const page = await context.newPage();
      const firstRequest = ctx.site.requests.length;
      await page.goto(`${ctx.site.url}${notebook.site}/`);
      const seen = await waitForSeen(page, ['shell', 'result', 'duckdb']);
      painted.push(seen.shell.painted ?? seen.shell.dom);
      firstResult.push(seen.result.dom);
      duckdbReady.push(seen.duckdb.dom);
      const served = ctx.site.requests.slice(firstRequest);
      bytes = served.reduce((sum, r) => sum + r.bytes, 0);
      dataBytes = served.filter((r) => r.path.includes('/data/')).reduce((sum, r) => sum + r.bytes, 0);
      ctx.log(`  cold ${kind} #${run + 1}: painted ${Math.round(painted.at(-1)!)} ms, result ${Math.round(firstResult.at(-1)!)} ms`);
    } catch (error) {
      throw new Error(`${String(error)}\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  }
  const base = `cold.${kind}`;
  const samples = { painted: summarize(painted), result: summarize(firstResult), duckdb: summarize(duckdbReady) };
  ctx.add({ name: `${base}.painted`, value: samples.painted.p50, unit: 'ms', samples: samples.painted, description: `cold visit, ${notebook.label}: navigation start → markdown and slider painted (median of ${ctx.repeats})` });
  ctx.add({ name: `${base}.duckdb-ready`, value: samples.duckdb.p50, unit: 'ms', samples: samples.duckdb, description: `cold visit: navigation start → status line says "DuckDB ready"` });
  ctx.add({ name: `${base}.first-result`, value: samples.result.p50, unit: 'ms', samples: samples.result, description: `cold visit: navigation start → first query result in the DOM (includes loading the data file)` });
  ctx.add({ name: `${base}.bytes`, value: bytes, unit: 'bytes', description: `cold visit: body bytes served (uncompressed plain static server), app + notebook + data`, detail: { dataBytes, appBytes: bytes - dataBytes } });
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
