/**
 * Input → output latency: a slider change until the dependent output is in
 * the DOM, timed in the page. Memo misses (each value for the first time),
 * memo hits (the same values again), and the full re-run variant of the same
 * notebook (every cell on every change, no memo).
 */
import type { Page } from 'playwright-core';
import {
  benchNotebook, collectContextErrors, expectedResultLine, outputLine, resultMarker, SLIDER_LABEL, visitWatches,
  type BenchContext, type DatasetKind,
} from '../context.ts';
import { measureMemory, rendererResidentBytes } from '../heap.ts';
import { installProbe, settle, timeChange, waitForSeen } from '../page-probe.ts';
import { summarize } from '../stats.ts';
import { HIT_VALUES, MISS_VALUES, type BareQueryTimes } from './bare.ts';

/** Opens a built notebook in a fresh context and waits for its first result. */
async function openNotebook(ctx: BenchContext, kind: DatasetKind, site: string) {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = collectContextErrors(context);
  await installProbe(context, visitWatches(benchNotebook(kind)));
  const page = await context.newPage();
  await page.goto(`${ctx.site.url}${site}/`);
  await waitForSeen(page, ['result', 'duckdb']);
  // Changes are timed in a page past its start-up (and past the previous scenario's pages closing).
  await settle(page);
  const slider = await page.getByLabel(SLIDER_LABEL, { exact: true }).elementHandle();
  if (!slider) throw new Error(`${site}: no "${SLIDER_LABEL}" control`);
  return { context, page, slider, errors };
}

async function timeValues(page: Page, slider: Awaited<ReturnType<typeof openNotebook>>['slider'], kind: DatasetKind, values: number[]): Promise<{ ms: number[]; lines: string[] }> {
  const ms: number[] = [];
  const lines: string[] = [];
  for (const value of values) {
    ms.push(await timeChange(slider, value, resultMarker(kind, value)));
    lines.push((await outputLine(page, resultMarker(kind, value))) ?? '');
  }
  return { ms, lines };
}

/** Memo-miss and memo-hit latency on one data set, the ratio to bare DuckDB-WASM, and (Parquet) memory. */
export async function inputLatency(ctx: BenchContext, kind: DatasetKind, bare: BareQueryTimes): Promise<void> {
  const notebook = benchNotebook(kind);
  const { context, page, slider, errors } = await openNotebook(ctx, kind, notebook.site);
  try {
    const misses = await timeValues(page, slider, kind, MISS_VALUES);
    const hits = await timeValues(page, slider, kind, HIT_VALUES);
    const miss = summarize(misses.ms);
    const hit = summarize(hits.ms);
    ctx.log(`  latency ${kind}: miss p50 ${Math.round(miss.p50)} ms, hit p50 ${hit.p50.toFixed(1)} ms`);
    const bareRuns = bare[kind];
    const wrong = bareRuns
      ? misses.lines.filter((line, i) => line !== expectedResultLine(kind, MISS_VALUES[i], bareRuns[i].rows, bareRuns[i].first)).length
      : undefined;
    ctx.add({ name: `latency.${kind}.miss.p50`, value: miss.p50, unit: 'ms', samples: miss, description: `${notebook.label}: slider change → dependent output in the DOM, memo miss (${miss.n} new values)`, detail: { p95: miss.p95, wrongResults: wrong } });
    ctx.add({ name: `latency.${kind}.miss.p95`, value: miss.p95, unit: 'ms', description: `${notebook.label}: memo miss, p95` });
    ctx.add({ name: `latency.${kind}.hit.p50`, value: hit.p50, unit: 'ms', goal: 16, samples: hit, description: `${notebook.label}: the same values again, memo hit (${hit.n} changes)` });
    ctx.add({ name: `latency.${kind}.hit.p95`, value: hit.p95, unit: 'ms', goal: 16, description: `${notebook.label}: memo hit, p95` });
    if (bareRuns) {
      const bareP50 = summarize(bareRuns.map((r) => r.ms)).p50;
      ctx.add({ name: `latency.${kind}.miss-vs-bare`, value: miss.p50 / bareP50, unit: 'ratio', goal: 1.5, description: `Brook memo-miss p50 ÷ bare DuckDB-WASM p50 of the same query and values` });
    }
    if (wrong) throw new Error(`latency ${kind}: ${wrong} of ${MISS_VALUES.length} results differ from bare DuckDB-WASM`);
    if (kind === 'parquet') {
      const targets = await measureMemory(ctx.browser, ctx.site.origin);
      const rss = Math.max(0, ...rendererResidentBytes().map((r) => r.rssBytes));
      const heapOf = (type: string) => targets.filter((t) => t.type === type).reduce((sum, t) => sum + t.jsHeapUsed, 0);
      ctx.add({ name: 'memory.brook.js-heap.page', value: heapOf('page'), unit: 'bytes', description: 'Brook with the 3M-row table loaded: JS heap used by the page', detail: { targets } });
      ctx.add({ name: 'memory.brook.js-heap.workers', value: heapOf('worker'), unit: 'bytes', description: 'JS heap used by the runtime, data and DuckDB workers together' });
      ctx.add({ name: 'memory.brook.renderer-rss', value: rss, unit: 'bytes', description: 'renderer process resident memory (includes DuckDB wasm memory, which JS heap figures do not)' });
    }
  } catch (error) {
    throw new Error(`${String(error)}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

/** The full re-run variant: every cell re-runs on every change, with no memo. */
export async function fullRerun(ctx: BenchContext, kind: DatasetKind): Promise<void> {
  const notebook = benchNotebook(kind);
  if (!notebook.rerunSite) throw new Error(`no full re-run notebook for ${notebook.label}`);
  const { context, page, slider, errors } = await openNotebook(ctx, kind, notebook.rerunSite);
  try {
    const values = MISS_VALUES.slice(0, 20);
    const { ms } = await timeValues(page, slider, kind, values);
    const summary = summarize(ms);
    ctx.log(`  full re-run ${kind}: p50 ${Math.round(summary.p50)} ms`);
    ctx.add({ name: `rerun.${kind}.p50`, value: summary.p50, unit: 'ms', samples: summary, description: `${notebook.label}, script-style: every cell re-runs on every change, unique queries (no memo); change → output` });
    ctx.add({ name: `rerun.${kind}.p95`, value: summary.p95, unit: 'ms', description: `${notebook.label}, script-style, p95` });
  } catch (error) {
    throw new Error(`${String(error)}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}
