/**
 * The bare DuckDB-WASM page: ingest of both files and the dependent query at
 * every control value the Brook latency run uses, in the same browser and
 * run. Also native DuckDB ingest on the same files, for the ratios.
 */
import type { BareIngest, BareQuery } from '../bare/bare-api.ts';
import { benchNotebook, type BenchContext, type DatasetKind } from '../context.ts';
import { measureMemory, rendererResidentBytes } from '../heap.ts';
import { summarize } from '../stats.ts';

/** Control values of the latency runs: 30 distinct values, each a memo miss the first time. */
export const MISS_VALUES = Array.from({ length: 30 }, (_, i) => 5 + 13 * i);
/** The same values revisited in another order (17 is coprime to 30), each a memo hit. */
export const HIT_VALUES = MISS_VALUES.map((_, i) => MISS_VALUES[(i * 17) % MISS_VALUES.length]);

/** Bare query times by data set, for the Brook/bare ratio. */
export type BareQueryTimes = Partial<Record<DatasetKind, BareQuery[]>>;

export async function bareDuckDb(ctx: BenchContext): Promise<BareQueryTimes> {
  const context = await ctx.browser.newContext();
  const times: BareQueryTimes = {};
  try {
    const page = await context.newPage();
    await page.goto(`${ctx.site.url}bare/`);
    await page.waitForFunction(() => 'bareDuck' in window);
    const init = await page.evaluate(() => window.bareDuck.init());
    ctx.log(`  bare DuckDB-WASM ${init.version} ready in ${Math.round(init.ms)} ms`);
    ctx.add({ name: 'bare.init', value: init.ms, unit: 'ms', description: 'bare page: DuckDB-WASM instantiate + connect (eh bundle, same assets as Brook)', detail: { version: init.version } });

    for (const kind of ['csv', 'parquet'] as const) {
      const notebook = benchNotebook(kind);
      const file = kind === 'csv' ? ctx.data.csv : ctx.data.parquet;
      const url = `${ctx.site.url}data/${kind === 'csv' ? 'flights-1m.csv' : 'flights-3m.parquet'}`;
      const loads: BareIngest[] = [];
      for (let run = 0; run < ctx.repeats; run++) {
        loads.push(await page.evaluate(([u, k]) => (k === 'csv' ? window.bareDuck.ingestCsv(u, 'flights') : window.bareDuck.ingestParquet(u, 'flights')), [url, kind] as const));
        ctx.log(`  bare ingest ${kind} #${run + 1}: ${Math.round(loads.at(-1)!.loadMs)} ms (+ fetch ${Math.round(loads.at(-1)!.fetchMs)} ms)`);
      }
      if (loads.some((l) => l.rows !== file.rows)) throw new Error(`bare ingest ${kind}: ${loads.map((l) => l.rows)} rows, expected ${file.rows}`);
      const native = kind === 'csv' ? await ctx.native.ingestCsv(file.path, `flights_${kind}`) : await ctx.native.ingestParquet(file.path, `flights_${kind}`);
      await ctx.native.alias('flights', `flights_${kind}`);
      const load = summarize(loads.map((l) => l.loadMs));
      ctx.add({ name: `ingest.${kind}.native`, value: native.ms, unit: 'ms', description: `native DuckDB (threads=1): CREATE TABLE from the ${notebook.label} file on disk (median of ${native.samples.length})`, detail: { samples: native.samples, rows: native.rows } });
      ctx.add({ name: `ingest.${kind}.wasm`, value: load.p50, unit: 'ms', samples: load, description: `DuckDB-WASM in the page: bytes in memory → table, median of ${ctx.repeats} loads in one page (the later ones warm), as Brook ingests (${kind === 'csv' ? 'read_csv_auto' : 'parquet-wasm → Arrow IPC → insert'})`, detail: { fetchMs: loads.map((l) => l.fetchMs), bytes: file.bytes, rows: file.rows } });
      // The first load in a page compiles DuckDB's wasm code paths lazily; later loads run optimized code.
      ctx.add({ name: `ingest.${kind}.wasm-first`, value: loads[0]!.loadMs, unit: 'ms', description: `DuckDB-WASM in the page: the first load in a fresh page (cold code paths), like the app's first pick` });
      ctx.add({ name: `ingest.${kind}.wasm-first-vs-native`, value: loads[0]!.loadMs / native.ms, unit: 'ratio', description: `first browser ingest in a page ÷ native ingest` });
      ctx.add({ name: `ingest.${kind}.wasm-vs-native`, value: load.p50 / native.ms, unit: 'ratio', goal: kind === 'csv' ? 1.5 : 3, description: `browser ingest ÷ native ingest, same file, same run` });

      const queries: BareQuery[] = [];
      for (const value of MISS_VALUES) queries.push(await page.evaluate(([sql, v]) => window.bareDuck.query(sql, [v]), [notebook.sql, value] as const));
      times[kind] = queries;
      const q = summarize(queries.map((r) => r.ms));
      ctx.add({ name: `latency.${kind}.bare.p50`, value: q.p50, unit: 'ms', samples: q, description: `bare DuckDB-WASM: the dependent query, prepared + run to an Arrow table on the page (${q.n} values)` });
      const nativeQuery = await ctx.native.query(notebook.sql, [MISS_VALUES[0]]);
      ctx.add({ name: `latency.${kind}.native-query`, value: nativeQuery.ms, unit: 'ms', description: 'native DuckDB (threads=1): the same query once, for scale' });
      if (kind === 'parquet') {
        const targets = await measureMemory(ctx.browser, ctx.site.origin);
        const rss = Math.max(0, ...rendererResidentBytes().map((r) => r.rssBytes));
        const heap = targets.reduce((sum, t) => sum + t.jsHeapUsed, 0);
        ctx.add({ name: 'memory.bare.js-heap', value: heap, unit: 'bytes', description: 'bare page with the 3M-row table: JS heap used, page + DuckDB worker', detail: { targets } });
        ctx.add({ name: 'memory.bare.renderer-rss', value: rss, unit: 'bytes', description: 'bare page with the 3M-row table: renderer process resident memory (includes DuckDB wasm memory)' });
      }
    }
  } finally {
    await context.close();
  }
  return times;
}
