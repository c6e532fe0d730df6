/**
 * Issue 17, item 10: `brook build <folder>` makes one site. Every page shows
 * a navigation bar listing the pages in front-matter `order` (then by name),
 * the current one marked; the bar is in the page's HTML for readers without
 * JavaScript; the pages share one query memo, so a query another page
 * already answered is answered again without DuckDB; and a page of the site
 * opened from another one opens in place, on the same DuckDB, with only its
 * own tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openSite, waitForEngines, type ServedSite, type SiteFixture } from './setup/app.ts';

const DUCKDB_WASM = /duckdb-eh[^/]*\.wasm$/;
/** Multiples of 7 in [0, 30 000 000): the query both pages run with divisor 7. */
const SEVENS = Math.floor((30_000_000 - 1) / 7) + 1;

let fixture: SiteFixture | undefined;
let browser: Browser;
let site: ServedSite;
let context: BrowserContext;

beforeAll(async () => {
  fixture = await openSite('test/browser/notebooks/site-pages');
  ({ browser, site, context } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function open(path: string, options: { engines?: boolean } = {}): Promise<Page> {
  const page = await context.newPage();
  await page.goto(new URL(path, site.url).href);
  if (options.engines !== false) await waitForEngines(page);
  return page;
}

const navLinks = (page: Page) => page.getByRole('navigation', { name: /pages$/ }).locator('.site-nav-pages a');

describe('a site built from a folder', () => {
  it('lists its pages in order on every page, marks the current one, and navigates', async () => {
    const page = await open('overview/');
    await expect.poll(() => navLinks(page).allTextContents()).toEqual(['Overview', 'Details', 'About this site', 'Notes']);
    expect(await page.locator('.site-nav [aria-current="page"]').textContent()).toBe('Overview');
    await navLinks(page).filter({ hasText: 'Details' }).click();
    await page.waitForURL(/\/details\/$/);
    await waitForEngines(page);
    expect(await page.locator('.site-nav [aria-current="page"]').textContent()).toBe('Details');
    // The site's title leads to its listing, in the same order.
    await page.locator('.site-nav-title').click();
    await page.waitForURL((url) => url.pathname.endsWith('/') && !/\/(overview|details)\/$/.test(url.pathname));
    expect(await page.locator('li a').allTextContents()).toEqual(['Overview', 'Details', 'About this site', 'Notes']);
    await page.close();
  });

  it('shows the navigation without JavaScript', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await plain.newPage();
      await page.goto(new URL('details/', site.url).href);
      expect(await page.locator('.site-nav-pages a').allTextContents()).toEqual(['Overview', 'Details', 'About this site', 'Notes']);
      expect(await page.locator('.site-nav [aria-current="page"]').textContent()).toBe('Details');
    } finally {
      await plain.close();
    }
  });

  it("answers a page's query from the memo another page of the site saved, without DuckDB", async () => {
    const overview = await open('overview/');
    await overview.getByText('multiples of 2: 15000000').waitFor();
    await overview.getByLabel('Divisor').fill('7');
    await overview.getByLabel('Divisor').press('Enter');
    await overview.getByText(`multiples of 7: ${SEVENS}`).waitFor({ timeout: 60_000 });
    // The result is written to IndexedDB after the query returns.
    await overview.waitForTimeout(1500);
    await overview.close();

    // Details runs the same query over the same (no) tables; its DuckDB never starts.
    const details = await context.newPage();
    await details.route(DUCKDB_WASM, (route) => route.abort());
    await details.goto(new URL('details/', site.url).href);
    await details.getByText('multiples of 2: 15000000').waitFor();
    await details.getByLabel('Divisor').fill('7');
    await details.getByLabel('Divisor').press('Enter');
    await details.getByText(`multiples of 7: ${SEVENS}`).waitFor({ timeout: 30_000 });
    await details.close();
  });

  it("loads one copy of the app for all its pages: the second page's DuckDB comes from the browser's cache", async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const served = site.requests.length;
      const page = await fresh.newPage();
      await page.goto(new URL('overview/', site.url).href);
      await waitForEngines(page);
      await navLinks(page).filter({ hasText: 'Details' }).click();
      await page.waitForURL(/\/details\/$/);
      await waitForEngines(page);
      const wasm = site.requests.slice(served).filter((r) => DUCKDB_WASM.test(r.path));
      // One URL for the whole site, sent whole once; the second page revalidated it (304) or did not ask.
      expect(new Set(wasm.map((r) => r.path)).size, wasm.map((r) => r.path).join(', ')).toBe(1);
      expect(wasm.filter((r) => r.status === 200).length).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('opens another page in place: one DuckDB for the whole visit, and each page sees only its own tables', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Counts the workers the page starts, by name (workers.ts names them).
    await fresh.addInitScript(() => {
      const started: string[] = [];
      (window as unknown as { __workers: string[] }).__workers = started;
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          started.push(options?.name ?? 'unnamed');
        }
      };
    });
    try {
      const page = await fresh.newPage();
      await page.goto(new URL('overview/', site.url).href);
      await waitForEngines(page);
      await page.getByText('towns: 3').waitFor();
      await page.evaluate(() => { (window as unknown as { __samePage: boolean }).__samePage = true; });
      const workers = () => page.evaluate(() => (window as unknown as { __workers: string[] }).__workers.filter((name) => name === 'brook-data').length);
      expect(await workers()).toBe(1);

      await navLinks(page).filter({ hasText: 'Details' }).click();
      await page.waitForURL(/\/details\/$/);
      expect(await page.title()).toMatch(/Details/);
      expect(await page.locator('.site-nav [aria-current="page"]').textContent()).toBe('Details');
      // A query no page has asked before: the live DuckDB answers it.
      await page.getByLabel('Divisor').fill('5');
      await page.getByLabel('Divisor').press('Enter');
      await page.getByText('multiples of 5: 6000000').waitFor({ timeout: 60_000 });
      // Overview's table went with Overview.
      await expect.poll(() => page.locator('.cell-error-message').allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/towns.*does not exist/i));
      expect(await page.getByText('stray towns:').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
      expect(await workers()).toBe(1);

      // Back: Overview again, in place, its table loaded again on the same DuckDB.
      await page.goBack();
      await page.waitForURL(/\/overview\/$/);
      await page.getByText('towns: 3').waitFor({ timeout: 30_000 });
      expect(await page.locator('.site-nav [aria-current="page"]').textContent()).toBe('Overview');
      // Each page keeps its own saved inputs: Details' 5 is not Overview's.
      expect(await page.getByLabel('Divisor').inputValue()).toBe('2');
      await page.getByText('multiples of 2: 15000000').waitFor();
      expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
      expect(await workers()).toBe(1);

      // A reader who goes on at once: Details, then Notes before Details has opened, then Overview again.
      await navLinks(page).filter({ hasText: 'Details' }).click();
      await navLinks(page).filter({ hasText: 'Notes' }).click();
      await page.waitForURL(/\/notes\/$/);
      await page.getByText(/A page whose/).waitFor();
      // The keyboard stays in the bar: the new page's own link has the focus.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Notes');
      await navLinks(page).filter({ hasText: 'Overview' }).click();
      await page.waitForURL(/\/overview\/$/);
      await page.getByText('towns: 3').waitFor({ timeout: 30_000 });
      await page.getByLabel('Divisor').fill('3');
      await page.getByLabel('Divisor').press('Enter');
      await page.getByText('multiples of 3: 10000000').waitFor({ timeout: 60_000 });
      expect(await page.locator('.cell-error').count()).toBe(0);
      // And Details still has its own.
      await navLinks(page).filter({ hasText: 'Details' }).click();
      await page.waitForURL(/\/details\/$/);
      await page.getByText('multiples of 5: 6000000').waitFor({ timeout: 30_000 });
      expect(await page.getByLabel('Divisor').inputValue()).toBe('5');
      expect(await workers()).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
