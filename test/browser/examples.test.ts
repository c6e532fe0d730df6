/**
 * Every example in `examples/index.json`, built with the real `brook build`,
 * served under a sub-path with every other host blocked, and used the way a
 * reader would: its key outputs appear with the numbers the data holds, one
 * input change updates what depends on it, no cell shows an error and no
 * request leaves the app's origin.
 *
 * Expected numbers are computed here from the same data files the examples
 * load, so a wrong filter, parameter or memo in the app shows as a mismatch.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { openBuiltNotebook, waitForEngines, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';

interface ExampleEntry {
  path: string;
  title: string;
  description: string;
}

const EXAMPLES_DIR = 'examples';
const index: ExampleEntry[] = JSON.parse(readFileSync(`${EXAMPLES_DIR}/index.json`, 'utf8'));

/** Engines plus first outputs on a busy 2-core machine; the flights file adds a 3M-row load. */
const OUTPUT_TIMEOUT = 90_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The value shown on the metric card labelled exactly `label`. */
function metricValue(page: Page, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.metric', { has: page.locator('.metric-label', { hasText: exact }) }).locator('.metric-value');
}

/** Numbers shown the way the app formats them (grouped, en-US in headless Chromium). */
function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** Fails with every error heading and message the page shows in a cell. */
async function expectNoCellErrors(app: OpenedApp): Promise<void> {
  const shown = await app.page.locator('.cell-error').allInnerTexts();
  expect(shown, `cell errors; page errors: ${app.errors.join(' | ')}`).toEqual([]);
}

/** Parses a small CSV with a header row and no quoted commas (the example data sets). */
function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

const weather = readCsv(`${EXAMPLES_DIR}/data/seattle-weather.csv`);
const stocks = readCsv(`${EXAMPLES_DIR}/data/stocks.csv`);
const cars: { Name: string; Miles_per_Gallon: number | null; Origin: string; Horsepower: number | null }[] = JSON.parse(
  readFileSync(`${EXAMPLES_DIR}/data/cars.json`, 'utf8'),
);

/** What each example must do; keyed by its path in index.json. */
const checks: Record<string, (app: OpenedApp) => Promise<void>> = {
  'weather.md': async (app) => {
    const { page } = app;
    const daysIn = (year: number) => weather.filter((d) => d.date.startsWith(`${year}-`)).length;
    await page.getByText('Temperature through 2014', { exact: true }).waitFor({ timeout: OUTPUT_TIMEOUT });
    await expect.poll(() => metricValue(page, 'Days shown').innerText(), { timeout: OUTPUT_TIMEOUT }).toBe(String(daysIn(2014)));
    await page.getByText(`${daysIn(2014)} rows · 6 columns`, { exact: true }).waitFor();
    // The temperature chart and the kinds-of-day chart.
    await expect.poll(() => page.locator('.figure-content svg').count()).toBeGreaterThanOrEqual(2);
    const sunny2014 = weather.filter((d) => d.date.startsWith('2014-') && d.weather === 'sun').length;
    // Plot's per-bar titles become the app's tooltips (data-brook-tip): the sun bar says how many sunny days.
    const tips = () =>
      page.locator('.figure-content').nth(1).locator('[data-brook-tip]').evaluateAll((els) => els.map((e) => e.getAttribute('data-brook-tip')));
    await expect.poll(tips).toContainEqual(expect.stringMatching(new RegExp(`\\b${sunny2014}\\b[\\s\\S]*weather: sun`)));

    // A new year re-runs the queries, the metrics, the markdown heading and the table.
    await page.getByLabel('Year', { exact: true }).fill('2012');
    await page.getByText('Temperature through 2012', { exact: true }).waitFor();
    await expect.poll(() => metricValue(page, 'Days shown').innerText()).toBe(String(daysIn(2012)));
    await page.getByText(`${daysIn(2012)} rows · 6 columns`, { exact: true }).waitFor();

    // Narrowing the kind of day narrows the count to exactly those days.
    await page.getByLabel('Kind of day', { exact: true }).selectOption('snow');
    const snowy = weather.filter((d) => d.date.startsWith('2012-') && d.weather === 'snow').length;
    await expect.poll(() => metricValue(page, 'Days shown').innerText()).toBe(String(snowy));
  },

  'stocks.md': async (app) => {
    const { page } = app;
    const rowsFor = (symbols: string[], from: number, to: number) =>
      stocks.filter((r) => symbols.includes(r.symbol) && +r.date.slice(-4) >= from && +r.date.slice(-4) <= to).length;
    const chart = page.locator('.figure-output').first();
    await chart.locator('svg').first().waitFor({ timeout: OUTPUT_TIMEOUT });
    // One line per default symbol, and the legend names them.
    await expect.poll(() => chart.locator('svg [aria-label="line"] path').count()).toBe(3);
    for (const symbol of ['AAPL', 'IBM', 'MSFT']) expect(await chart.getByText(symbol, { exact: true }).count()).toBe(1);

    // The options come from a query column: all five symbols, the defaults selected.
    const symbols = page.getByRole('combobox', { name: 'Symbols' });
    await symbols.click();
    expect(await page.getByRole('listbox', { name: 'Symbols' }).getByRole('option').allInnerTexts()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);

    // The combobox: clear the choice, then pick two without Ctrl.
    await page.getByRole('button', { name: 'Select none of Symbols' }).click();
    await symbols.click();
    await page.getByRole('option', { name: 'AMZN' }).click();
    await page.getByRole('option', { name: 'GOOG' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => chart.locator('svg [aria-label="line"] path').count()).toBe(2);

    await page.getByRole('tab', { name: 'Growth' }).click();
    await page.getByText('2 rows · 4 columns', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByText(`${grouped(rowsFor(['AMZN', 'GOOG'], 2004, 2010))} rows · 3 columns`, { exact: true }).waitFor();
    await page.getByRole('button', { name: /stocks\.csv/ }).waitFor();
  },

  'cars.md': async (app) => {
    const { page } = app;
    const matching = (origin: string) =>
      cars.filter((c) => c.Miles_per_Gallon !== null && c.Miles_per_Gallon >= 10 && (origin === 'All' || c.Origin === origin));
    await page.getByText(`${matching('All').length} cars match.`).waitFor({ timeout: OUTPUT_TIMEOUT });
    const scatter = page.locator('.figure-output').first();
    await expect.poll(() => scatter.locator('svg circle').count()).toBe(matching('All').length);

    // The sidebar radio filters the query, the markdown count and the chart.
    await page.getByLabel('Japan', { exact: true }).check();
    await page.getByText(`${matching('Japan').length} cars match.`).waitFor();
    await expect.poll(() => scatter.locator('svg circle').count()).toBe(matching('Japan').length);

    // The form changes nothing until it is submitted.
    const toyotas = matching('Japan').filter((c) => c.Name.includes('toyota')).length;
    await page.getByLabel('Name contains', { exact: true }).fill('toyota');
    await page.waitForTimeout(300);
    await page.getByText(`${matching('Japan').length} cars match “” with at least 0 hp.`).waitFor();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText(`${toyotas} cars match “toyota” with at least 0 hp.`).waitFor();
    await page.getByText(`${toyotas} rows · 5 columns`, { exact: true }).waitFor();

    // The counter in `state` goes up once per click.
    await expect.poll(() => metricValue(page, 'Clicks so far').innerText()).toBe('0');
    await page.getByRole('button', { name: 'Add one' }).click();
    await expect.poll(() => metricValue(page, 'Clicks so far').innerText()).toBe('1');
  },

  'drop-your-own.md': async (app) => {
    const { page } = app;
    await page.getByText('No file yet.').waitFor({ timeout: OUTPUT_TIMEOUT });
    await page.getByLabel('Data file', { exact: true }).setInputFiles(`${EXAMPLES_DIR}/data/seattle-weather.csv`);
    await page.getByText(`${grouped(weather.length)} rows × 6 columns`).waitFor({ timeout: OUTPUT_TIMEOUT });
    // The column summary (one row per column) and the rows themselves.
    await page.getByText('6 rows · 7 columns', { exact: true }).waitFor();
    await page.getByText(`${grouped(weather.length)} rows · 6 columns`, { exact: true }).waitFor();

    // The numeric columns feed the select; picking one draws its histogram.
    const column = page.getByLabel('Column', { exact: true });
    await expect.poll(() => column.locator('option').allTextContents()).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    await column.selectOption('wind');
    const histogram = page.locator('.figure-output').last();
    await expect.poll(() => histogram.locator('svg text').allTextContents()).toContainEqual(expect.stringContaining('wind'));
    await expect.poll(() => histogram.locator('svg rect').count()).toBeGreaterThan(5);
  },

  'flights.md': async (app) => {
    const { page } = app;
    const flights = metricValue(page, 'Flights');
    const count = async () => Number((await flights.innerText()).replace(/,/g, ''));
    await expect.poll(count, { timeout: OUTPUT_TIMEOUT * 2, interval: 1000 }).toBeGreaterThan(2_900_000);
    const all = await count();
    await expect.poll(() => page.locator('.figure-content svg').count(), { timeout: OUTPUT_TIMEOUT }).toBe(3);
    await page.getByText('100 rows · 5 columns', { exact: true }).waitFor({ timeout: OUTPUT_TIMEOUT });

    // One airport, picked on the bar chart: fewer flights, and every worst route starts there.
    await page.locator('.control-pick [data-brook-datum][aria-label*="ORD"]').first().click();
    await expect.poll(count, { timeout: OUTPUT_TIMEOUT }).toBeLessThan(all);
    const ord = await count();
    expect(ord).toBeGreaterThan(10_000);
    const routes = page.locator('.table-output').last();
    await expect.poll(async () => {
      // The first data cell of each rendered row is the route's origin.
      const origins = await routes.locator('.table-row [role="cell"]:nth-child(2)').allInnerTexts();
      return origins.length > 0 && origins.every((o) => o.trim() === 'ORD');
    }, { timeout: OUTPUT_TIMEOUT }).toBe(true);

    // Cleared: every airport again, answered from the memo, same number as before.
    await page.getByRole('button', { name: 'Clear Departing from' }).click();
    await expect.poll(count, { timeout: OUTPUT_TIMEOUT }).toBe(all);
  },
};

describe('examples', () => {
  it('has a check for every example in index.json', () => {
    expect(index.map((e) => e.path).sort()).toEqual(Object.keys(checks).sort());
  });

  for (const entry of index) {
    it(`${entry.title} (${entry.path}) works in the browser`, { timeout: 240_000 }, async () => {
      const app = await openBuiltNotebook(browser, `${EXAMPLES_DIR}/${entry.path}`);
      try {
        await waitForEngines(app.page, 180_000);
        // The build's snapshot shows every default output before the data has loaded: wait for the
        // data too, as the checks' first control change needs it (timed: test/browser/first-visit.test.ts).
        await app.page.waitForFunction(() => !document.querySelector('.activity'), null, { timeout: 180_000 });
        await app.page.getByRole('heading', { level: 1 }).first().waitFor();
        await checks[entry.path]!(app);
        await expectNoCellErrors(app);
        expect(app.escaped).toEqual([]);
      } finally {
        await app.close();
      }
    });
  }
});
