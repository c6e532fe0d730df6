/**
 * A first visit to a built app (fresh profile, plain static server under a
 * sub-path) paints the build's snapshot before DuckDB could start, and the
 * live run confirms it from the snapshot's results while DuckDB's wasm is
 * still held back. A cell that reads the clock is left to the page. A control
 * changed before DuckDB is ready ends on its latest value. Neither a rebuild
 * with changed data nor an edit in the browser ever shows numbers that do not
 * match what is on the server and in the editor.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/cli/build.ts';
import { buildAndServe, serve, waitForEngines, type ServedSite } from './setup/app.ts';
import { collectErrors, confineToOrigin, launchBrowser } from './setup/chromium.ts';

const NOTEBOOK = `---
title: Orders at a glance
description: Orders by region, painted before DuckDB starts.
data:
  orders: data/orders.csv
---

# Orders at a glance

Every order of the year, by region.

\`\`\`js
const minimum = slider("Minimum amount", {min: 0, max: 100, step: 1, value: 0})
\`\`\`

\`\`\`sql totals hidden
SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM orders WHERE amount >= \${minimum}
\`\`\`

\`\`\`js hidden
const [counted] = totals
\`\`\`

\`\`\`js
\`orders counted: \${counted.n}, total \${counted.total}\`
\`\`\`

\`\`\`js
metric("Total amount", counted.total)
\`\`\`

\`\`\`sql regions hidden
SELECT region, sum(amount)::INTEGER AS amount FROM orders GROUP BY region ORDER BY region
\`\`\`

\`\`\`js
Plot.plot({width: 500, height: 200, marks: [Plot.barY(regions, {x: "region", y: "amount"})]})
\`\`\`

\`\`\`js
regions
\`\`\`

\`\`\`js
\`page clock year: \${new Date().getFullYear()}\`
\`\`\`
`;

const DUCKDB_WASM = /duckdb-eh[^/]*\.wasm$/;
const RUNTIME_WORKER = /runtime\.worker-[^/]*\.js$/;

const REGIONS = ['east', 'north', 'south', 'west'];

/** 800 orders (100 distinct amounts: the build's range index of `totals` is small enough to ship); `scale` changes every amount (a new data file). */
function ordersCsv(scale: number): { csv: string; amounts: number[] } {
  const amounts = Array.from({ length: 800 }, (_, i) => ((i * 37) % 100 + 1) * scale);
  const rows = amounts.map((amount, i) => `${i + 1},${REGIONS[i % 4]},${amount}`);
  return { csv: `id,region,amount\n${rows.join('\n')}\n`, amounts };
}

/** What the notebook's text cell says for `minimum`. */
function countedText(amounts: number[], minimum: number): string {
  const kept = amounts.filter((a) => a >= minimum);
  return `orders counted: ${kept.length}, total ${kept.reduce((s, a) => s + a, 0)}`;
}

let browser: Browser;
let source: string;
let out: string;
let site: ServedSite;
/** The same notebook built with `answers: false`: a control's new value is DuckDB's to compute. */
let liveSite: ServedSite;
let warnings: string[];
let amounts: number[];

async function buildWith(scale: number, into = out, answers = true): Promise<number[]> {
  const { csv, amounts } = ordersCsv(scale);
  writeFileSync(join(source, 'data', 'orders.csv'), csv);
  const result = await build({ input: join(source, 'orders.md'), out: into, appDir: process.env.BROOK_APP_DIR, answers });
  warnings = result.notebooks[0].warnings;
  return amounts;
}

/** Holds requests for `url` back until `release()`: what the page does meanwhile cannot have used them. */
async function hold(context: BrowserContext, url: RegExp): Promise<{ requested: () => boolean; release: () => void }> {
  let requested = false;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await context.route(url, async (route) => {
    requested = true;
    await gate;
    await route.continue().catch(() => {});
  });
  return { requested: () => requested, release };
}

/** A fresh desktop-size page whose requests for `url` are held back (`hold`) while `use` runs; released and closed after. */
async function withHeld(url: RegExp, use: (page: Page, held: { requested: () => boolean; release: () => void }) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const held = await hold(context, url);
  try {
    await use(await context.newPage(), held);
  } finally {
    held.release();
    await context.close();
  }
}

/** Records every "orders counted: …" text the page ever shows, from its first byte. */
async function recordCountedTexts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __counted: Set<string> }).__counted = seen;
    const look = () => {
      for (const match of document.body?.innerText?.matchAll(/orders counted: \d+, total \d+(?: \(edited\))?/g) ?? []) seen.add(match[0]);
    };
    new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

/** Counts moments (after the HTML is parsed) when `#root` shows no cell: the app's takeover must not flash. */
async function recordBlankMoments(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const state = { blank: 0 };
    (window as unknown as { __blank: typeof state }).__blank = state;
    document.addEventListener('DOMContentLoaded', () => {
      const look = () => {
        const visible = [...document.querySelectorAll('#root .cell')].filter((cell) => !cell.closest('[hidden]'));
        if (visible.length === 0) state.blank++;
      };
      look();
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
    });
  });
}

const seenTexts = (page: Page) => page.evaluate(() => [...(window as unknown as { __counted: Set<string> }).__counted]);

beforeAll(async () => {
  browser = await launchBrowser();
  source = mkdtempSync(join(tmpdir(), 'brook-first-visit-src-'));
  mkdirSync(join(source, 'data'));
  writeFileSync(join(source, 'orders.md'), NOTEBOOK);
  out = mkdtempSync(join(tmpdir(), 'brook-first-visit-'));
  site = await serve(out);
  const liveOut = mkdtempSync(join(tmpdir(), 'brook-first-visit-live-'));
  liveSite = await serve(liveOut);
  await buildWith(1, liveOut, false);
  amounts = await buildWith(1);
});

afterAll(async () => {
  await site?.close();
  await liveSite?.close();
  await browser?.close();
});

describe('first visit', () => {
  it('leaves a cell that reads the clock to the page, with a build warning', () => {
    expect(warnings.join('\n')).toMatch(/orders\.md:\d+: left to the page \(not run at build time\): the cell reads the clock/);
  });

  it('paints the snapshot before DuckDB starts, and the live run confirms it from the snapshot results', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const escaped = await confineToOrigin(context, new URL(site.url).origin);
    const duck = await hold(context, DUCKDB_WASM);
    const runtime = await hold(context, RUNTIME_WORKER);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await recordBlankMoments(page);
    try {
      const served = site.requests.length;
      await page.goto(site.url);
      const expected = countedText(amounts, 0);
      // Painted from the snapshot, before the runtime worker is even loaded: restored cells carry the mark.
      await page.locator('.cell[data-restored]', { hasText: expected }).waitFor({ timeout: 30_000 });
      await page.locator('.cell[data-restored]', { hasText: 'Total amount' }).getByText('40,400').waitFor();
      await page.locator('.cell[data-restored] svg').first().waitFor();
      await page.locator('.cell[data-restored]', { hasText: '4 rows' }).getByText('10,200').waitFor();
      expect(await page.getByText('page clock year').count()).toBe(0);
      expect(runtime.requested()).toBe(true);
      // The static view was swapped for the app without a moment of no content.
      expect(await page.locator('#brook-static').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __blank: { blank: number } }).__blank.blank)).toBe(0);
      runtime.release();
      // Confirmed by this visit's runtime, every query answered from the build's results: DuckDB never got its wasm.
      await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
      expect(await page.getByText(expected).count()).toBe(1);
      await page.getByText(`page clock year: ${new Date().getFullYear()}`).waitFor();
      expect(duck.requested()).toBe(true);
      expect(await page.getByText('DuckDB ready').count()).toBe(0);
      expect(site.requests.slice(served).some((r) => /\/snapshot\/[0-9a-f]+\.arrow$/.test(r.path) && r.status === 200)).toBe(true);
      duck.release();
      await waitForEngines(page);
      expect(escaped).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      duck.release();
      runtime.release();
      await context.close();
    }
  });

  it('confirms a notebook over a Parquet file from the build\'s results too, before DuckDB has its wasm', async () => {
    // The flights example: 3M rows in Parquet. Its results are keyed by the file's content, so the page fetches it
    // whole and hashes it (a range read is keyed by the server's validators, which the build cannot know).
    const flights = await buildAndServe('examples/flights.md');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const duck = await hold(context, DUCKDB_WASM);
    try {
      const page = await context.newPage();
      await page.goto(flights.url);
      await page.locator('.cell[data-restored]').first().waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
      expect(duck.requested()).toBe(true);
      expect(await page.getByText('DuckDB ready').count()).toBe(0);
      expect(await page.locator('.cell-error').count()).toBe(0);
    } finally {
      duck.release();
      await context.close();
      await flights.close();
    }
  });

  it('a control changed before DuckDB is ready shows it is coming and ends on its latest value', async () => {
    await withHeld(DUCKDB_WASM, async (page, duck) => {
        // Built without answers: the new values are DuckDB's to compute.
        await page.goto(liveSite.url);
        await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
        const slider = page.getByLabel('Minimum amount', { exact: true });
        await slider.fill('10');
        await slider.fill('60');
        // Not answerable from the build: the query's cell says it is running, the data's load shows its progress.
        await page.locator('.cell-running').first().waitFor({ timeout: 10_000 });
        await page.getByText('Loading data/orders.csv').waitFor();
        // The file is fetched once DuckDB is ready (it would only slow DuckDB's own download): the load says so.
        await page.locator('.activity-detail', { hasText: 'waiting for DuckDB to start' }).waitFor({ timeout: 10_000 });
        expect(await page.getByText(countedText(amounts, 0)).count()).toBe(1);
        duck.release();
        await page.getByText(countedText(amounts, 60)).waitFor({ timeout: 120_000 });
        await page.waitForTimeout(500);
        expect(await page.getByText(countedText(amounts, 60)).count()).toBe(1);
        expect(await page.getByText(countedText(amounts, 10)).count()).toBe(0);
    });
  });

  it('answers a control\'s first change from the build\'s range index before the data file arrives', async () => {
    await withHeld(/\/data\/orders\.csv$/, async (page, data) => {
        // Built without answers: DuckDB computes the new values, from the shipped index.
        const served = liveSite.requests.length;
        await page.goto(liveSite.url);
        await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
        const slider = page.getByLabel('Minimum amount', { exact: true });
        await slider.fill('60');
        await page.getByText(countedText(amounts, 60)).waitFor({ timeout: 60_000 });
        await slider.fill('35');
        await page.getByText(countedText(amounts, 35)).waitFor({ timeout: 60_000 });
        // Both answers came without the table's rows: the data file is still held back, the index came from the build.
        expect(data.requested()).toBe(true);
        expect(liveSite.requests.slice(served).some((r) => /\/data\/orders\.csv$/.test(r.path))).toBe(false);
        expect(liveSite.requests.slice(served).some((r) => /\/snapshot\/index-[0-9a-f]+\.arrow$/.test(r.path) && r.status === 200)).toBe(true);
        expect(liveSite.requests.slice(served).some((r) => /\/snapshot\/answers-/.test(r.path))).toBe(false);
        expect(await page.locator('.cell-error').count()).toBe(0);
    });
  });

  it('answers a control\'s first moves from the build\'s answers, before DuckDB has its wasm', async () => {
    await withHeld(DUCKDB_WASM, async (page, duck) => {
        const served = site.requests.length;
        await page.goto(site.url);
        await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
        const slider = page.getByLabel('Minimum amount', { exact: true });
        for (const minimum of [60, 35, 100]) {
          await slider.fill(String(minimum));
          await page.getByText(countedText(amounts, minimum)).waitFor({ timeout: 30_000 });
        }
        // DuckDB never started and the data file was never fetched: each answer was one small file from the build.
        expect(duck.requested()).toBe(true);
        const requests = site.requests.slice(served);
        expect(requests.some((r) => /\/data\/orders\.csv$/.test(r.path))).toBe(false);
        expect(requests.filter((r) => /\/snapshot\/answers-[0-9a-f]+\.json$/.test(r.path) && r.status === 200)).toHaveLength(1);
        expect(await page.locator('.cell-error').count()).toBe(0);
        expect(await page.getByText('DuckDB ready').count()).toBe(0);
    });
  });

  it('a control moved before the runtime is up is taken: the change is not lost, its result follows', async () => {
    await withHeld(RUNTIME_WORKER, async (page, runtime) => {
        await page.goto(site.url);
        // The snapshot's view is on screen and the app has taken it over; the runtime's code has not arrived.
        const slider = page.getByLabel('Minimum amount', { exact: true });
        await slider.waitFor({ timeout: 30_000 });
        await page.locator('.cell[data-restored]', { hasText: countedText(amounts, 0) }).waitFor({ timeout: 30_000 });
        // The page asks for the runtime's code after its first paint.
        await expect.poll(() => runtime.requested(), { timeout: 30_000 }).toBe(true);
        await slider.fill('40', { timeout: 5_000 });
        expect(await page.locator('.control-slider output').first().innerText()).toBe('40');
        runtime.release();
        await page.getByText(countedText(amounts, 40)).waitFor({ timeout: 120_000 });
        expect(await slider.inputValue()).toBe('40');
    });
  });

  it('starts DuckDB from the page\'s first bytes, and gets its wasm brotli-compressed, downloaded once', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const wasm: { encoding?: string; status: number }[] = [];
    page.on('response', (response) => {
      if (DUCKDB_WASM.test(response.url())) wasm.push({ encoding: response.headers()['content-encoding'], status: response.status() });
    });
    try {
      const served = site.requests.length;
      await page.goto(site.url);
      await waitForEngines(page);
      // The boot script is the page's first script: the data worker (and DuckDB) do not wait for the app's code.
      const firstScript = await page.locator('head script:not([type="application/json"])').first().getAttribute('data-brook-engine');
      expect(firstScript).toBe('');
      expect(wasm[0]).toEqual({ encoding: 'br', status: 200 });
      const wasmRequests = site.requests.slice(served).filter((r) => DUCKDB_WASM.test(r.path));
      expect(wasmRequests.filter((r) => r.status === 200)).toHaveLength(1);
      expect(wasmRequests.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThan(10_000_000);
      // The app took the booted data worker over: one data worker, one DuckDB.
      expect(site.requests.slice(served).filter((r) => /\/data\.worker-[\w-]+\.js$/.test(r.path))).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('shows the same content with JavaScript off, with the front matter in the meta tags', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await page.goto(site.url);
      await page.getByRole('heading', { name: 'Orders at a glance', level: 1 }).first().waitFor();
      await page.getByText('Every order of the year, by region.').waitFor();
      await page.getByText(countedText(amounts, 0)).waitFor();
      expect(await page.locator('.metric', { hasText: 'Total amount' }).locator('.metric-value').textContent()).toBe('40,400');
      expect(await page.locator('.figure-content svg rect').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('table.static-table tr', { hasText: 'north' }).textContent()).toBe('north10,000');
      expect(await page.locator('.control', { hasText: 'Minimum amount' }).locator('output').textContent()).toBe('0');
      expect(await page.locator('p.static-note').textContent()).toContain('Its controls need JavaScript.');
      // Left to the page: not in the static view.
      expect(await page.getByText('page clock year').count()).toBe(0);
      expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe('Orders by region, painted before DuckDB starts.');
      expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe('Orders at a glance');
      expect(await page.locator('meta[property="og:description"]').getAttribute('content')).toBe('Orders by region, painted before DuckDB starts.');
      expect(await page.title()).toBe('Orders at a glance');
    } finally {
      await context.close();
    }
  });

  it('never shows old numbers after the data changed and the app was rebuilt, nor a snapshot that does not match an edit', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      // A repeat visitor: the last run and the persisted memo of the old data are in this profile.
      await page.goto(site.url);
      await waitForEngines(page);
      const before = countedText(amounts, 0);
      await page.getByText(before).waitFor();
      await page.waitForTimeout(2500); // the last run is saved after a quiet second

      const changed = await buildWith(3);
      const after = countedText(changed, 0);
      expect(after).not.toBe(before);
      await recordCountedTexts(page);
      await page.reload();
      await page.getByText(after).waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
      expect(await seenTexts(page)).toEqual([after]);

      // Edit the cell in the browser: the draft is kept, and the build's snapshot no longer matches the text.
      await page.getByRole('button', { name: 'Notebook', exact: true }).click();
      const editor = page.locator('.cell', { hasText: 'orders counted' }).locator('.cm-content');
      await editor.click();
      await page.keyboard.press('End');
      await page.keyboard.type(' + " (edited)"');
      await page.getByText(`${after} (edited)`).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(2500);
      await page.reload();
      await page.getByText(`${after} (edited)`).waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
      await page.waitForTimeout(500);
      expect(await seenTexts(page)).toEqual([`${after} (edited)`]);
    } finally {
      await context.close();
    }
  });
});
