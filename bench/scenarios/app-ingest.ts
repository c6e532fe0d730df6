/**
 * Ingest through the app, as a person does it: pick the file in a `file()`
 * control; time until the cell counting the new table's rows shows the count.
 * Includes reading the file in the page, handing it to the data worker,
 * loading it into DuckDB and one trivial query.
 */
import { collectContextErrors, type BenchContext, type DatasetKind } from '../context.ts';
import { installProbe, literalPattern, waitForSeen } from '../page-probe.ts';
import { summarize } from '../stats.ts';

/** Once per file: each run is a whole page load plus a large file; the bare page repeats the load itself. */
const APP_INGEST_RUNS = 1;

export async function appIngest(ctx: BenchContext, kind: DatasetKind): Promise<void> {
  const file = kind === 'csv' ? ctx.data.csv : ctx.data.parquet;
  const marker = `[ingest ${kind}] rows=${file.rows}`;
  const times: number[] = [];
  for (let run = 0; run < APP_INGEST_RUNS; run++) {
    const context = await ctx.browser.newContext();
    const errors = collectContextErrors(context);
    try {
      await installProbe(context, [{ name: 'picker', selector: 'input[type=file]' }, { name: 'loaded', text: literalPattern(marker) }]);
      const page = await context.newPage();
      await page.goto(`${ctx.site.url}ingest/`);
      await waitForSeen(page, ['picker']);
      await page.getByText('DuckDB ready').waitFor({ timeout: 60_000 });
      const started = await page.evaluate(() => performance.now());
      await page.getByLabel('Data file', { exact: true }).setInputFiles(file.path);
      const seen = await waitForSeen(page, ['loaded'], 180_000);
      times.push(seen.loaded.dom - started);
      ctx.log(`  app ingest ${kind} #${run + 1}: ${Math.round(times.at(-1)!)} ms`);
    } catch (error) {
      throw new Error(`${String(error)}\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  }
  const summary = summarize(times);
  ctx.add({ name: `ingest.${kind}.app`, value: summary.p50, unit: 'ms', samples: summary, description: `Brook app: pick the ${kind === 'csv' ? '1M-row CSV' : '3M-row Parquet'} file → its row count shown (read + transfer + load + one query)` });
  const native = ctx.results.find((f) => f.name === `ingest.${kind}.native`);
  if (native) {
    ctx.add({ name: `ingest.${kind}.app-vs-native`, value: summary.p50 / native.value, unit: 'ratio', goal: kind === 'csv' ? 1.5 : 3, description: 'Brook app ingest ÷ native DuckDB ingest, same file, same run' });
  }
}
