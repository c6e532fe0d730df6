/**
 * Brushing (issue 14): a scripted mouse drag over the delay histogram of the
 * 3M-row flights table, with a metric, a bar chart and a table filtered by
 * the brush (`bench/notebooks/brush-parquet.md`). For every pointer move the
 * page records the brush's value at that moment; for every output it records
 * when its marker (printed after its figure or table) changed, and to what.
 * A step's latency runs from its pointer move to the moment all three outputs
 * show its value; steps whose value never showed were dropped (a newer move
 * won). The same drag again is the warm-memo case.
 */
import type { Page } from 'playwright-core';
import { collectContextErrors, type BenchContext } from '../context.ts';
import { settle } from '../page-probe.ts';
import { dragFigures, type DragFigures, type DragRecord } from '../brush-steps.ts';
import { summarize } from '../stats.ts';

const SITE = 'brush-parquet';
const OUTPUTS = ['metric', 'bars', 'table'] as const;
/** Pointer moves of one drag, and the share of the frame each one travels. */
const STEPS = 40;
const STEP_SHARE = 0.015;
/** Pause between moves: a hand dragging at 60 frames a second. */
const MOVE_INTERVAL_MS = 16;

/**
 * The in-page recorder. Serialized into the page: no closures over Node
 * values and no named inner functions, not even `const f = () => …` (tsx's
 * keepNames would wrap them in a `__name` helper the page does not have).
 */
function recorder(): void {
  const record: DragRecord = { moves: [], updates: [] };
  (window as unknown as { __brushRecord: DragRecord }).__brushRecord = record;
  // Bubbling to window runs after the control's own handler has set its value.
  window.addEventListener('pointermove', (event) => {
    if ((event.buttons & 1) === 0) return;
    // "-12.5 – 47.25" (the control's own formatting); the upper end is after the dash.
    const parts = (document.querySelector('.control-brush .control-value')?.textContent ?? '').split(' – ');
    const value = parts.length === 2 ? Number(parts[1].replace(/,/g, '').replace('−', '-')) : NaN;
    record.moves.push({ t: performance.now(), hi: Number.isFinite(value) ? value : null });
  });
  const current: Record<string, string> = {};
  new MutationObserver(() => {
    const text = document.body?.textContent ?? '';
    for (const match of text.matchAll(/\[(metric|bars|table) hi=([^\]]+)\]/g)) {
      const [, name, value] = match;
      if (current[name] === value) continue;
      current[name] = value;
      record.updates.push({ t: performance.now(), name, hi: value === 'none' ? null : Number(value) });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Drags across the histogram from 10% of its frame rightwards and waits until every output shows the final value. */
async function drag(page: Page): Promise<DragFigures> {
  await page.evaluate(() => {
    const record = (window as unknown as { __brushRecord: DragRecord }).__brushRecord;
    record.moves.length = 0;
    record.updates.length = 0;
  });
  const layer = page.locator('.control-brush .brush-layer');
  const box = await layer.boundingBox();
  if (!box) throw new Error('brush: the histogram has no brush layer');
  const y = box.y + box.height / 2;
  const x0 = box.x + box.width * 0.1;
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= STEPS; i++) {
    await page.mouse.move(x0 + box.width * STEP_SHARE * i, y);
    await page.waitForTimeout(MOVE_INTERVAL_MS);
  }
  await page.mouse.up();
  // The last value (sent again on release) shown by every output.
  await page.waitForFunction((names) => {
    const record = (window as unknown as { __brushRecord: DragRecord }).__brushRecord;
    const last = record.moves.at(-1)?.hi;
    if (last === null || last === undefined) return false;
    return names.every((name) => {
      const mine = record.updates.filter((u) => u.name === name);
      const shown = mine.at(-1)?.hi;
      return shown !== null && shown !== undefined && Math.abs(shown - last) <= 1e-3 * Math.max(1, Math.abs(last));
    });
  }, [...OUTPUTS], { timeout: 120_000, polling: 50 });
  return page.evaluate(() => (window as unknown as { __brushRecord: DragRecord }).__brushRecord).then((record) => dragFigures(record, OUTPUTS));
}

/** Clears the brush (Escape on it) and waits until the outputs show no selection. */
async function clear(page: Page): Promise<void> {
  await page.locator('.control-brush .brush-layer').focus();
  await page.keyboard.press('Escape');
  await page.waitForFunction((names) => {
    const text = document.body.textContent ?? '';
    return names.every((name) => text.includes(`[${name} hi=none]`));
  }, [...OUTPUTS], { timeout: 120_000, polling: 50 });
}

/** The drag with a cold memo, then the same drag again (memo warm). */
export async function brushDrag(ctx: BenchContext): Promise<void> {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = collectContextErrors(context);
  await context.addInitScript(recorder);
  try {
    const page = await context.newPage();
    await page.goto(`${ctx.site.url}${SITE}/`);
    await page.waitForFunction((names) => names.every((name) => (document.body.textContent ?? '').includes(`[${name} hi=none]`)), [...OUTPUTS], { timeout: 180_000, polling: 100 });
    await page.waitForFunction(() => (document.body.textContent ?? '').includes('DuckDB ready'), null, { timeout: 180_000, polling: 100 });
    await settle(page);
    const cold = await drag(page);
    await clear(page);
    const warm = await drag(page);
    for (const [label, figures] of [['cold', cold], ['warm', warm]] as const) {
      if (figures.shown === 0) throw new Error(`brush ${label}: no step's value reached all three outputs`);
      const summary = summarize(figures.latencies);
      ctx.log(`  brush ${label}: p50 ${Math.round(summary.p50)} ms, p95 ${Math.round(summary.p95)} ms, ${figures.shown} of ${figures.steps} steps shown, ${figures.overwrites} overwrites`);
      const what = label === 'cold' ? 'memo cold (every step a new interval)' : 'the same drag again, memo warm';
      ctx.add({ name: `brush.${label}.p50`, value: summary.p50, unit: 'ms', samples: summary, description: `3M-row Parquet: brush pointer move → metric, bar chart and table all show its interval, ${what}`, detail: { steps: figures.steps, shown: figures.shown, dropped: figures.dropped, latencies: figures.latencies.map(Math.round) } });
      ctx.add({ name: `brush.${label}.p95`, value: summary.p95, unit: 'ms', goal: 100, description: `the same, p95 (Mosaic's interactive line: 100 ms)` });
      ctx.add({ name: `brush.${label}.steps-shown`, value: figures.shown, unit: 'count', description: `steps of a ${figures.steps}-step drag whose value reached all outputs (the rest were dropped: latest wins)` });
      ctx.add({ name: `brush.${label}.overwrites`, value: figures.overwrites, unit: 'count', goal: 0, description: 'output changes where an older step replaced a newer one' });
    }
    if (cold.overwrites + warm.overwrites > 0) throw new Error(`brush: ${cold.overwrites + warm.overwrites} outputs showed an older step over a newer one`);
  } catch (error) {
    throw new Error(`${String(error)}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}
