/**
 * The reactive runtime in a real browser: only cells downstream of a changed
 * input re-run, an endless loop is stopped without losing anything else, and
 * rapid input changes end on the newest value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openBuiltNotebook, waitForEngines, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';

let browser: Browser;
let app: OpenedApp;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openBuiltNotebook(browser, 'test/browser/notebooks/reactivity.md');
  page = app.page;
  await page.getByText('D runs: 1;').waitFor();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('runtime', () => {
  it('re-runs only the cells downstream of a changed input', async () => {
    await expect.poll(() => page.getByText('C runs: 1').count()).toBe(1);
    await page.getByLabel('N', { exact: true }).fill('21');
    await page.getByText('doubled = 42').waitFor();
    await expect.poll(() => page.getByText('B runs: 2').count()).toBe(1);
    await expect.poll(() => page.getByText('D runs: 2;').count()).toBe(1);
    // C does not depend on N: still its first run.
    expect(await page.getByText('C runs: 1').count()).toBe(1);
    // The markdown hole updates too.
    await page.getByText('The slider is at 21').waitFor();
  });

  it('ends on the last of 50 rapid input changes', async () => {
    const slider = page.getByLabel('N', { exact: true });
    for (let value = 51; value <= 100; value++) await slider.fill(String(value));
    await page.getByText('doubled = 200').waitFor();
    await page.getByText('The slider is at 100').waitFor();
    // Give stale generations a chance to (wrongly) land, then check again.
    await page.waitForTimeout(500);
    expect(await page.getByText('doubled = 200').count()).toBe(1);
  });

  it('stops an endless loop, keeps every other output and recovers', async () => {
    await page.getByLabel('Loop forever', { exact: true }).check();
    await page.getByText(/Stopped/).first().waitFor({ timeout: 20_000 });
    // Everything else is intact.
    expect(await page.getByText('after the loop cell: constant + 1 = 43').count()).toBe(1);
    expect(await page.getByText('doubled = 200').count()).toBe(1);
    // The runtime recovers: inputs work again.
    await page.getByLabel('Loop forever', { exact: true }).uncheck();
    await page.getByText('loop cell finished with n = 100').waitFor({ timeout: 20_000 });
    await page.getByLabel('N', { exact: true }).fill('5');
    await page.getByText('doubled = 10').waitFor();
  });
});

describe('errors', () => {
  it('shows errors in place with the notebook line; other cells run', async () => {
    const errors = await openBuiltNotebook(browser, 'test/browser/notebooks/errors.md');
    try {
      const p = errors.page;
      await p.getByText('independent: 30').waitFor();
      // A TypeScript cell: the transpiler is a chunk loaded only for notebooks that have one.
      await p.getByText('typed cell: 11').waitFor();
      await waitForEngines(p);
      // The throwing cell names its line (line 11 of errors.md).
      await p.getByText(/line 11/).first().waitFor();
      // The SQL error names the missing table and keeps the SQL.
      await p.getByText(/no_such_table/).first().waitFor();
    } finally {
      await errors.close();
    }
  });
});
