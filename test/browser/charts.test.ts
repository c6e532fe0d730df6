/**
 * Every chart of every example, in the built app served under a sub-path, at
 * desktop and phone width: each figure's chart (Plot's main `<svg>`, not a
 * legend swatch or colour ramp) fills the width of the cell output it sits in,
 * and its text stays at a readable size instead of being scaled down.
 *
 * Figures hidden behind an expander are opened first; an example whose chart
 * needs data (drop-your-own) gets a file, as a reader would give it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe, waitForEngines, type ServedSite } from './setup/app.ts';
import { collectErrors, confineToOrigin, launchBrowser } from './setup/chromium.ts';
import { EXAMPLE_VIEWS, showExample } from './setup/example-views.ts';

interface ExampleEntry {
  path: string;
  title: string;
}

const EXAMPLES_DIR = 'examples';
const index: ExampleEntry[] = JSON.parse(readFileSync(`${EXAMPLES_DIR}/index.json`, 'utf8'));

/** Engines plus first outputs on a busy 2-core machine; the flights file adds a 3M-row load. */
const OUTPUT_TIMEOUT = 150_000;

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** What one figure measures on the page, in CSS px. */
interface FigureMeasure {
  cell: string;
  /** Rendered width of the chart's main svg. */
  chart: number;
  /** The width it was drawn at (its viewBox): equal to `chart` unless the page scales it. */
  drawn: number;
  /** Content width of the cell output the figure is in. */
  container: number;
  /** Rendered size of the chart's axis tick labels (their font size times the svg's scale). */
  tickFontPx: number | null;
  /** Class of the element measured, for messages. */
  className: string;
  /** Where the figure sits. */
  place: 'sidebar' | 'column' | 'main';
}

/** Measures every visible figure. The chart is the figure's last top-level svg (Plot appends legends before it). */
async function measureFigures(page: Page): Promise<FigureMeasure[]> {
  return page.locator('.figure-output').evaluateAll((outputs) =>
    outputs
      .filter((output) => output.checkVisibility())
      .map((output) => {
        const content = output.querySelector('.figure-content')!;
        const svgs = [...content.querySelectorAll<SVGSVGElement>(':scope > svg, :scope > figure > svg')].filter(
          (svg) => !/-ramp\b/.test(svg.getAttribute('class') ?? ''),
        );
        const chart = svgs.at(-1);
        const container = output.closest('.cell-output') as HTMLElement;
        const style = getComputedStyle(container);
        const containerWidth = container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const cell = (output.closest('[data-cell]') as HTMLElement | null)?.dataset.cell ?? '?';
        const place = output.closest('.sidebar') ? 'sidebar' : output.closest('.layout-column') ? 'column' : 'main';
        if (!chart) return { cell, chart: 0, drawn: 0, container: containerWidth, tickFontPx: null, className: '(no svg)', place } as const;
        const width = chart.getBoundingClientRect().width;
        const drawnWidth = chart.viewBox.baseVal?.width || Number(chart.getAttribute('width')) || width;
        const tick = chart.querySelector('[aria-label$="tick label"] text');
        const tickFontPx = tick ? parseFloat(getComputedStyle(tick).fontSize) * (width / drawnWidth) : null;
        return { cell, chart: width, drawn: drawnWidth, container: containerWidth, tickFontPx, className: chart.getAttribute('class') ?? '', place } as const;
      }),
  );
}

/**
 * What is wrong with the charts on screen: narrower than 80% of their output
 * (or 200 px on a desktop), not drawn at its width (a picture scaled to fit),
 * or with tick labels under 9 CSS px.
 */
async function problems(page: Page, example: string, viewportWidth: number): Promise<string[]> {
  return (await measureFigures(page)).flatMap((f) => {
    const where = `${example} cell ${f.cell} (${f.className})`;
    const found: string[] = [];
    if (f.chart < 0.8 * f.container) found.push(`${where}: chart ${f.chart.toFixed(0)} px wide in a ${f.container.toFixed(0)} px output`);
    if (viewportWidth >= 1000 && f.chart <= 200) found.push(`${where}: chart only ${f.chart.toFixed(0)} px wide`);
    if (Math.abs(f.drawn - f.container) > 1 || Math.abs(f.chart - f.container) > 1) {
      found.push(`${where}: drawn at ${f.drawn.toFixed(1)} px and shown at ${f.chart.toFixed(1)} px, not at its output's width ${f.container.toFixed(1)} px`);
    }
    if (f.tickFontPx === null) found.push(`${where}: no axis tick labels found`);
    else if (f.tickFontPx < 9) found.push(`${where}: tick labels ${f.tickFontPx.toFixed(1)} px`);
    return found;
  });
}

let browser: Browser;
const sites = new Map<string, ServedSite>();

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const site of sites.values()) await site.close();
});

async function siteFor(path: string): Promise<ServedSite> {
  let site = sites.get(path);
  if (!site) {
    site = await buildAndServe(`${EXAMPLES_DIR}/${path}`);
    sites.set(path, site);
  }
  return site;
}

describe('charts in the examples', () => {
  it('knows how to show the charts of every example in index.json', () => {
    expect(index.map((e) => e.path).sort()).toEqual(Object.keys(EXAMPLE_VIEWS).sort());
  });

  for (const entry of index) {
    for (const viewport of VIEWPORTS) {
      it(`${entry.path} at ${viewport.name} width: every chart fills its output at readable text size`, { timeout: 300_000 }, async () => {
        const { figures } = EXAMPLE_VIEWS[entry.path]!;
        const site = await siteFor(entry.path);
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        try {
          const escaped = await confineToOrigin(context, new URL(site.url).origin);
          const page = await context.newPage();
          const errors = collectErrors(page);
          await page.goto(site.url);
          await showExample(page, entry.path, EXAMPLES_DIR);
          await expect
            .poll(async () => (await measureFigures(page)).filter((f) => f.chart > 0).length, { timeout: OUTPUT_TIMEOUT, interval: 500 })
            .toBe(figures);

          // Re-renders after the width is known may still be under way: poll until every figure holds.
          await expect.poll(() => problems(page, entry.path, viewport.width), { timeout: 30_000, interval: 500 }).toEqual([]);
          expect(await page.locator('.cell-error').allInnerTexts(), errors.join(' | ')).toEqual([]);
          expect(escaped).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('redraws the charts at their new width when the window is resized', { timeout: 300_000 }, async () => {
    const site = await siteFor('weather.md');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      await expect.poll(async () => (await measureFigures(page)).filter((f) => f.chart > 0).length, { timeout: OUTPUT_TIMEOUT }).toBe(2);
      await expect.poll(() => problems(page, 'weather.md', 1280), { timeout: 30_000 }).toEqual([]);
      const wide = (await measureFigures(page)).map((f) => f.chart);
      for (const width of [700, 390]) {
        await page.setViewportSize({ width, height: 844 });
        await expect.poll(() => problems(page, 'weather.md', width), { timeout: 30_000, interval: 300 }).toEqual([]);
      }
      const narrow = (await measureFigures(page)).map((f) => f.chart);
      for (const [i, w] of narrow.entries()) expect(w).toBeLessThan(wide[i]! * 0.6);
      expect(await page.locator('.cell-error').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('charts in every place, with a keyboard', () => {
  let site: ServedSite;
  let page: Page;

  beforeAll(async () => {
    site = await buildAndServe('test/browser/notebooks/charts.md');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => [...document.querySelectorAll('.figure-content svg')].filter((svg) => svg.getBoundingClientRect().width > 100).length >= 3, null, {
      timeout: OUTPUT_TIMEOUT,
    });
  });

  afterAll(async () => {
    await page?.context().close();
    await site?.close();
  });

  it('fills the main column, a column of `::: columns` and the sidebar; `width` is the column’s', async () => {
    await expect.poll(() => problems(page, 'charts.md', 1280), { timeout: 30_000 }).toEqual([]);
    const figures = await measureFigures(page);
    const [main, column, sidebar] = (['main', 'column', 'sidebar'] as const).map((place) => figures.find((f) => f.place === place));
    expect(column!.container).toBeLessThan(main!.container * 0.6);
    expect(sidebar!.container).toBeLessThan(column!.container);
    await expect.poll(() => page.getByText(/^This column is \d+ px wide\.$/).innerText()).toBe(`This column is ${Math.floor(column!.container)} px wide.`);
  });

  it('draws a continuous colour legend (its ramp is an image the sanitizer keeps)', async () => {
    const ramp = page.locator('.figure-content svg[class$="-ramp"] image');
    expect(await ramp.getAttribute('href') ?? await ramp.getAttribute('xlink:href')).toMatch(/^data:image\/svg\+xml,/);
    expect((await ramp.boundingBox())!.width).toBeGreaterThan(100);
  });

  it('names the chart for what it shows; 400 marks are one tab stop, walked with the arrow keys', async () => {
    const chart = page.locator('.notebook-main .figure-content').first();
    expect(await chart.getAttribute('aria-label')).toBe('Chart: Continuous colour (dot, 400 marks)');
    expect(await chart.getAttribute('tabindex')).toBe('0');
    expect(await chart.locator('[tabindex="0"]').count()).toBe(0);
    expect(await chart.locator('[data-brook-tip][tabindex="-1"]').count()).toBe(400);

    await chart.focus();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.className);
    const tip = page.locator('.figure-tip');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatch(/^x: 0\n/);
    await expect.poll(() => tip.textContent()).toMatch(/^x: 0/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatch(/^x: 1\n/);
    await page.keyboard.press('End');
    await expect.poll(focused).toMatch(/^x: 399\n/);
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('Chart: Continuous colour (dot, 400 marks)');
    // One Tab leaves the chart, not the first of its marks.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.figure-content'))).toBe(false);
  });

  it('keeps the keyboard on its mark when the chart is redrawn at a new width', async () => {
    const chart = page.locator('.notebook-main .figure-content').first();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
    await chart.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatch(/^x: 1\n/);
    const svg = await chart.locator('svg').first().elementHandle();
    await page.setViewportSize({ width: 1000, height: 900 });
    // Redrawn: the old svg is gone, and the focus is on the same mark of the new one.
    await expect.poll(() => svg!.evaluate((node) => node.isConnected), { timeout: 30_000 }).toBe(false);
    await expect.poll(focused).toMatch(/^x: 1\n/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatch(/^x: 2\n/);
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('Chart: Continuous colour (dot, 400 marks)');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(() => problems(page, 'charts.md', 1280), { timeout: 30_000 }).toEqual([]);
  });

  it('in notebook mode, redraws each chart at the width of its cell card', async () => {
    const before = (await measureFigures(page)).find((f) => f.place === 'main')!;
    await page.getByRole('button', { name: 'Notebook', exact: true }).click();
    await page.locator('.cell.is-notebook').first().waitFor();
    await expect.poll(() => problems(page, 'charts.md', 1280), { timeout: 30_000, interval: 300 }).toEqual([]);
    const after = (await measureFigures(page)).find((f) => f.drawn > 0 && f.className.startsWith('plot-'))!;
    expect(after.container).not.toBe(before.container);
  });

  // Plot is a bundle of its own, out of the runtime's file (a first visit's runtime starts without
  // compiling it): the page fetches it when a cell reads `Plot`, once, and hands it over.
  it('fetches Plot once, when a chart needs it; a failed fetch is said on the charts', async () => {
    const plotBundle = /\/plot-bundle-[\w-]+\.js$/;
    for (const fails of [false, true]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const fetched: string[] = [];
      context.on('request', (request) => void (plotBundle.test(new URL(request.url()).pathname) && fetched.push(request.url())));
      if (fails) await context.route(plotBundle, (route) => route.abort());
      try {
        const fresh = await context.newPage();
        await fresh.goto(site.url);
        await waitForEngines(fresh);
        if (fails) {
          await fresh.getByText(/Observable Plot could not be loaded/).first().waitFor({ timeout: OUTPUT_TIMEOUT });
        } else {
          // Every chart drawn by this visit's runtime: the app has taken the static view over, and no cell is left from the build's snapshot.
          await fresh.waitForFunction(
            () => !document.getElementById('brook-static') && document.querySelector('#root .cell') && !document.querySelector('.cell[data-restored]'),
            null, { timeout: OUTPUT_TIMEOUT, polling: 100 },
          );
          expect(await fresh.locator('.figure-content svg').count()).toBeGreaterThanOrEqual(3);
          expect(fetched).toHaveLength(1);
        }
        expect(fetched.length).toBeGreaterThan(0);
      } finally {
        await context.close();
      }
    }
  });

  it('a notebook without charts never fetches Plot', async () => {
    const plain = await buildAndServe('test/browser/notebooks/reactivity.md');
    const context = await browser.newContext();
    const fetched: string[] = [];
    context.on('request', (request) => void (/\/plot-bundle-/.test(request.url()) && fetched.push(request.url())));
    try {
      const fresh = await context.newPage();
      await fresh.goto(plain.url);
      await waitForEngines(fresh);
      await fresh.waitForFunction(() => !document.querySelector('.activity'), null, { timeout: OUTPUT_TIMEOUT, polling: 100 });
      expect(fetched).toEqual([]);
    } finally {
      await context.close();
      await plain.close();
    }
  });
});
