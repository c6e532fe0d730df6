/**
 * Denial of service and lost data, tried the way a careless user or a
 * stranger's share link would (issue 16 items 8–14, issue 17 items 3–4):
 * output floods, promise storms, a runtime that closes itself, volatile SQL,
 * reloads while DuckDB starts, clashing and malformed files, a missing data
 * file, a share link that asks for an endless timeout, two tabs of one notebook.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { shareUrl } from '../../src/store/share.ts';
import { buildAndServe, openBuiltNotebook, waitForEngines, type OpenedApp, type ServedSite } from './setup/app.ts';
import { collectErrors, confineToOrigin, launchBrowser, launchPersistent } from './setup/chromium.ts';
import { dropFiles } from './setup/drop.ts';

const NOTEBOOKS = 'test/browser/notebooks/robust';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The longest a `page.evaluate` round trip took while `during` ran (the page's responsiveness). */
async function slowestAnswer(page: Page, during: Promise<unknown>): Promise<number> {
  let done = false;
  void during.finally(() => (done = true));
  let slowest = 0;
  while (!done) {
    const started = Date.now();
    await page.evaluate(() => document.querySelectorAll('.cell').length);
    slowest = Math.max(slowest, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return slowest;
}

/** A cell section holding `text`. */
const cellWith = (page: Page, text: string | RegExp) => page.locator('.cell', { hasText: text });

describe('an output flood (16.8)', () => {
  let app: OpenedApp;
  beforeAll(async () => {
    app = await openBuiltNotebook(browser, `${NOTEBOOKS}/flood.md`);
    await app.page.getByText('flood is false').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => app?.close());

  it('shows the first outputs, says how many were dropped, and the page keeps answering', async () => {
    const { page } = app;
    await page.getByLabel('Flood', { exact: true }).check();
    const shown = page.getByText(/199,000 more outputs? (were )?not shown/).waitFor({ timeout: 60_000 });
    const slowest = await slowestAnswer(page, shown);
    await shown;
    expect(slowest).toBeLessThan(3000);
    await page.getByText('line 999', { exact: true }).waitFor();
    expect(await page.getByText('line 1000', { exact: true }).count()).toBe(0);
    await page.getByText('flood is true').waitFor();
    // And it answers a click at once.
    await page.getByLabel('Flood', { exact: true }).uncheck();
    await page.getByText('flood is false').waitFor({ timeout: 10_000 });
    expect(await page.getByText('line 0', { exact: true }).count()).toBe(0);
  });
});

describe('a promise storm and a runtime that closes itself (16.11)', () => {
  let app: OpenedApp;
  beforeAll(async () => {
    app = await openBuiltNotebook(browser, `${NOTEBOOKS}/storm.md`);
    await app.page.getByText('other cell: 2').waitFor({ timeout: 60_000 });
    // Counts every time the status line says the runtime is restarting.
    await app.page.evaluate(() => {
      const w = window as unknown as { restarts: number };
      w.restarts = 0;
      let was = false;
      new MutationObserver(() => {
        const now = document.body.innerText.includes('Runtime restarting');
        if (now && !was) w.restarts++;
        was = now;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  });
  afterAll(async () => app?.close());

  it('names the cell that started a promise storm and does not retry it forever', async () => {
    const { page } = app;
    await page.getByLabel('Storm', { exact: true }).check();
    const storm = cellWith(page, 'Promise.resolve().then(f)');
    await storm.getByText(/Stopped/).waitFor({ timeout: 30_000 });
    // Several watchdog periods later it has not started again, and the runtime works.
    await page.waitForTimeout(12_000);
    expect(await page.evaluate(() => (window as unknown as { restarts: number }).restarts)).toBeLessThanOrEqual(2);
    await page.getByText('Runtime ready').waitFor();
    await page.getByLabel('N', { exact: true }).fill('4');
    await page.getByText('other cell: 8').waitFor({ timeout: 15_000 });
    // Turning it off runs the cell again.
    await page.getByLabel('Storm', { exact: true }).uncheck();
    await page.getByText('storm armed: false').waitFor({ timeout: 15_000 });
  });

  it('says so on the cell when the runtime closed itself, and restarts', async () => {
    const { page } = app;
    const started = Date.now();
    await page.getByLabel('Close runtime', { exact: true }).check();
    const closing = cellWith(page, 'self.close()');
    await closing.getByText(/Stopped|closed/).waitFor({ timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(12_000);
    await page.getByLabel('N', { exact: true }).fill('5');
    await page.getByText('other cell: 10').waitFor({ timeout: 15_000 });
  });
});

describe('volatile SQL (16.13)', () => {
  let app: OpenedApp;
  const drawn = async (page: Page) => (await page.getByText(/^drawn: /).textContent())!;
  beforeAll(async () => {
    app = await openBuiltNotebook(browser, `${NOTEBOOKS}/volatile.md`);
    await waitForEngines(app.page);
    await app.page.getByText(/^drawn: 0\./).waitFor({ timeout: 60_000 });
  });
  afterAll(async () => app?.close());

  it('answers random() anew after a click and after a reload', async () => {
    const { page } = app;
    const first = await drawn(page);
    await page.getByRole('button', { name: 'Again' }).click();
    await expect.poll(() => drawn(page), { timeout: 15_000 }).not.toBe(first);
    const second = await drawn(page);
    await page.waitForTimeout(1500); // saves
    await page.reload();
    await waitForEngines(page);
    await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
    const third = await drawn(page);
    expect(third).not.toBe(first);
    expect(third).not.toBe(second);
    await page.getByText('stable: 42').waitFor();
  });
});

describe('a reload while DuckDB starts (16.12, 17.3)', () => {
  let app: OpenedApp;
  beforeAll(async () => {
    app = await openBuiltNotebook(browser, `${NOTEBOOKS}/reload-table.md`);
    await waitForEngines(app.page);
    await app.page.getByText('rows: 300').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => app?.close());

  it('never says the table does not exist, and the timer does not count the wait', async () => {
    const { page, context } = app;
    await page.waitForTimeout(2000); // the last run is saved after a quiet second
    // The table's data arrives 8 s late: the last visit's table is on screen long before.
    const late = '**/weather.csv';
    await context.route(late, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 8000));
      await route.continue();
    });
    const failures: string[] = [];
    await page.exposeFunction('brookFailure', (text: string) => failures.push(text));
    await page.addInitScript(() => {
      new MutationObserver(() => {
        const failure = document.querySelector('.table-failure');
        if (failure) (window as unknown as { brookFailure(text: string): void }).brookFailure(failure.textContent ?? '');
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    // DuckDB logs every failed statement: none may be a table window asked before its table.
    const missingTable: string[] = [];
    page.on('console', (message) => {
      if (/does not exist/.test(message.text())) missingTable.push(message.text());
    });
    await page.reload();
    await page.getByRole('button', { name: 'Notebook', exact: true }).click();
    await waitForEngines(page);
    await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
    await page.getByText('rows: 300').waitFor();
    // The table scrolls to its last rows: they come from DuckDB.
    await page.locator('.table-scroll').first().evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.getByText('d300', { exact: true }).waitFor();
    expect(failures).toEqual([]);
    expect(missingTable).toEqual([]);
    const timer = await cellWith(page, 'ORDER BY temp').locator('.cell-status').textContent();
    const ms = Number(timer!.replace(/[^0-9]/g, ''));
    expect(timer).toMatch(/ms/);
    expect(ms).toBeLessThan(4000);
    await context.unroute(late);
  });
});

describe('clashing and malformed files (16.14)', () => {
  let app: OpenedApp;
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const notices = (page: Page) => page.locator('.notice, [role="alert"], [role="status"]').allInnerTexts();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brook-files-'));
    app = await openBuiltNotebook(browser, `${NOTEBOOKS}/files.md`);
    await waitForEngines(app.page);
    await app.page.getByText('front-matter sales rows: 3').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a ragged CSV gets a clear message and no table', async () => {
    const { page } = app;
    await dropFiles(page, [file('ragged.csv', 'a,b,c\n1,2\n3,4,5,6\n')]);
    await page.getByText(/ragged\.csv.*(fields|columns)/).first().waitFor({ timeout: 30_000 });
    const text = (await notices(page)).join('\n');
    expect(text).toMatch(/line 2/);
  });

  it('my-data.csv and my_data.csv become two tables, with a notice', async () => {
    const { page } = app;
    await dropFiles(page, [file('my-data.csv', 'x\n1\n2\n')]);
    await page.getByText(/my-data\.csv/).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await dropFiles(page, [file('my_data.csv', 'y\n1\n2\n3\n')]);
    await page.getByText(/my_data_2/).first().waitFor({ timeout: 30_000 });
    // Both tables are there, each with its own rows.
    await page.getByText('my_data 2, my_data_2 3').waitFor({ timeout: 30_000 });
  });

  it('a dropped sales.csv does not replace the front-matter table sales', async () => {
    const { page } = app;
    await dropFiles(page, [file('sales.csv', 'region,amount\nwest,9\n')]);
    await page.getByText(/sales_2/).first().waitFor({ timeout: 30_000 });
    await page.getByText('dropped sales rows: 1').waitFor({ timeout: 30_000 });
    expect(await page.getByText('front-matter sales rows: 3').count()).toBe(1);
  });

  it('a 100,000-column header gets a clear limit message', async () => {
    const { page } = app;
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    await dropFiles(page, [file('wide.csv', `${header}\n${Array.from({ length: 100_000 }, () => '1').join(',')}\n`)]);
    await page.getByText(/wide\.csv.*100,000 columns/).first().waitFor({ timeout: 60_000 });
    expect((await notices(page)).join('\n')).not.toMatch(/out of memory/i);
    // Nothing already loaded is lost.
    expect(await page.getByText('front-matter sales rows: 3').count()).toBe(1);
  });
});

describe('a missing data file (17.4)', () => {
  let app: OpenedApp;
  let site: ServedSite;
  beforeAll(async () => {
    site = await buildAndServe(`${NOTEBOOKS}/missing-data.md`);
    rmSync(join(site.out, 'data', 'gone.csv'));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await confineToOrigin(context, new URL(site.url).origin);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(site.url);
    app = { page, context, site, escaped: [], errors, close: async () => { await context.close(); await site.close(); } };
  });
  afterAll(async () => app?.close());

  it('gives one message at the front matter; the cells that read the table wait on it', async () => {
    const { page } = app;
    await waitForEngines(page);
    await page.getByText('independent: 42').waitFor({ timeout: 60_000 });
    const message = page.getByText(/gone\.csv/).filter({ hasText: /line 4/ });
    await message.first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    // One error in all: no error card per cell.
    expect(await page.locator('.cell.is-error').count()).toBe(0);
    expect(await page.getByText(/Catalog Error|does not exist/).count()).toBe(0);
    expect(await page.getByText(/waiting for (the )?(table )?gone/i).count()).toBeGreaterThanOrEqual(2);
  });
});

describe('a share link that asks for an endless timeout (16.9)', () => {
  it('shows the capped limit in the trust prompt and stops a loop within it', async () => {
    const site = await buildAndServe(`${NOTEBOOKS}/flood.md`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { readFileSync } = await import('node:fs');
      const source = readFileSync(`${NOTEBOOKS}/shared.md`, 'utf8');
      const link = shareUrl(site.url, { source, inputs: {} }).url;
      const page = await context.newPage();
      await page.goto(link);
      const dialog = page.getByRole('dialog', { name: /Run this shared notebook\?/ });
      await dialog.getByText(/30 s/).waitFor();
      await dialog.getByRole('button', { name: 'Run', exact: true }).click();
      await page.getByText('spin armed: false').waitFor({ timeout: 60_000 });
      await page.getByText('Runtime ready').waitFor({ timeout: 60_000 });
      const started = Date.now();
      await page.getByLabel('Spin', { exact: true }).check();
      await cellWith(page, 'while (true)').getByText(/Stopped/).waitFor({ timeout: 60_000 });
      expect(Date.now() - started).toBeLessThan(40_000);
    } finally {
      await context.close();
      await site.close();
    }
  });
});

describe('two tabs of one notebook (16.10)', () => {
  let site: ServedSite;
  let context: BrowserContext;
  beforeAll(async () => {
    site = await buildAndServe(`${NOTEBOOKS}/tabs.md`);
    context = (await launchPersistent()).context;
  });
  afterAll(async () => {
    await context?.close();
    await site?.close();
  });

  it('keeps both files, and the tabs converge on the same inputs and state', async () => {
    const one = await context.newPage();
    const two = await context.newPage();
    await one.goto(site.url);
    await two.goto(site.url);
    await waitForEngines(one);
    await waitForEngines(two);
    await dropFiles(one, ['test/browser/fixtures/dropped_sample.csv']);
    await dropFiles(two, ['test/browser/fixtures/tiny_flights.parquet']);
    await one.getByText('dropped rows: 321').waitFor({ timeout: 60_000 });
    await two.getByText('parquet rows: 1234').waitFor({ timeout: 60_000 });
    // Each tab hears the other's file.
    await one.getByText('parquet rows: 1234').waitFor({ timeout: 60_000 });
    await two.getByText('dropped rows: 321').waitFor({ timeout: 60_000 });
    await one.getByRole('button', { name: 'Count' }).click();
    await one.getByText('count is 1').waitFor();
    await one.waitForTimeout(1000); // state and inputs saves are debounced
    // The other tab counts on from there (state is memory: it shows on the next run).
    await two.getByRole('button', { name: 'Count' }).click();
    await two.getByText('count is 2').waitFor();
    await two.waitForTimeout(1000);
    // A control changed in one tab changes it in the other, which re-runs with the shared state.
    await two.getByLabel('Word', { exact: true }).fill('hello');
    await one.getByText('count is 2; word is hello').waitFor({ timeout: 10_000 });
    await one.waitForTimeout(1500);
    await one.reload();
    await waitForEngines(one);
    await one.getByText('count is 2; word is hello').waitFor({ timeout: 30_000 });
    // Both dropped files came back, none set aside.
    await one.getByText('dropped rows: 321').waitFor({ timeout: 60_000 });
    await one.getByText('parquet rows: 1234').waitFor({ timeout: 60_000 });
    expect(await one.getByText(/set aside/).count()).toBe(0);
  });
});
