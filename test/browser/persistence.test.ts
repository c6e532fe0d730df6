/**
 * Everything a reader does survives a reload and a browser restart (real
 * IndexedDB, persistent profile), data never leaves the origin, and a share
 * link reproduces the inputs in a fresh profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAndServe, waitForEngines, type ServedSite } from './setup/app.ts';
import { confineToOrigin, launchBrowser, launchPersistent } from './setup/chromium.ts';
import { dropFiles } from './setup/drop.ts';

const CSV = 'test/browser/fixtures/dropped_sample.csv';
const PARQUET = 'test/browser/fixtures/tiny_flights.parquet';

let site: ServedSite;
let profile: string;
let context: BrowserContext;
let page: Page;
let escaped: string[];

async function open(): Promise<void> {
  const launched = await launchPersistent(profile);
  profile = launched.dir;
  context = launched.context;
  escaped = await confineToOrigin(context, new URL(site.url).origin);
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(site.url);
  await waitForEngines(page);
}

/**
 * Checks what the page shows. Unless `restoredOnly`, first waits until no
 * output is the last visit's saved one, so the files and values must have
 * come back for this visit's runtime to compute the same outputs.
 */
async function expectEverythingBack(restoredOnly = false): Promise<void> {
  if (!restoredOnly) await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: 60_000 });
  // The edited cell (a draft) is back, computed with the saved slider value.
  await page.getByText('threshold cubed: 4913').waitFor();
  await page.getByText('count is 2').waitFor();
  await page.getByText('dropped rows: 321').waitFor({ timeout: 60_000 });
  await page.getByText('parquet rows: 1234').waitFor({ timeout: 60_000 });
  expect(await page.getByLabel('Threshold', { exact: true }).inputValue()).toBe('17');
}

beforeAll(async () => {
  site = await buildAndServe('test/browser/notebooks/persistence.md');
  profile = '';
  const launched = await launchPersistent();
  profile = launched.dir;
  await launched.context.close();
  await open();
});

afterAll(async () => {
  await context?.close();
  await site?.close();
});

describe('persistence', () => {
  it('takes inputs, state, dropped CSV and Parquet files, and a picked file', async () => {
    await page.getByText('count is 0').waitFor();
    await page.getByLabel('Threshold', { exact: true }).fill('17');
    await page.getByText('threshold squared: 289').waitFor();
    await page.getByRole('button', { name: 'Increment' }).click();
    await page.getByText('count is 1').waitFor();
    await page.getByRole('button', { name: 'Increment' }).click();
    await page.getByText('count is 2').waitFor();
    await dropFiles(page, [CSV, PARQUET]);
    await page.getByText('dropped rows: 321').waitFor({ timeout: 60_000 });
    await page.getByText('parquet rows: 1234').waitFor({ timeout: 60_000 });
    // The file widget replaces the dropped Parquet table with the same file: still there after reload.
    await page.getByLabel('Data file', { exact: true }).setInputFiles(PARQUET);
    await page.getByText('parquet rows: 1234').waitFor({ timeout: 60_000 });
  });

  it('takes an edit to a cell in notebook mode', async () => {
    await page.getByRole('button', { name: 'Notebook', exact: true }).click();
    const editor = page.locator('.cell', { hasText: 'threshold squared' }).locator('.cm-content');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('`threshold cubed: ${threshold ** 3}`');
    await page.getByText('threshold cubed: 4913').waitFor();
    await page.getByRole('button', { name: 'App', exact: true }).click();
    await page.getByText('threshold cubed: 4913').waitFor();
  });

  it('restores everything after a reload, before the first run', async () => {
    await page.waitForTimeout(600); // debounced saves
    await page.reload();
    await expectEverythingBack();
    // The first run already used the saved value: the default never showed up.
    expect(await page.getByText('threshold cubed: 125').count()).toBe(0);
  });

  it('restores everything after a browser restart', async () => {
    await context.close();
    await open();
    await expectEverythingBack();
  });

  it("shows the last run's outputs before the runtime is up, then re-runs them", async () => {
    await page.waitForTimeout(1500); // the last run is saved after a quiet second
    // Hold the runtime worker's script: nothing on screen can come from a run of this visit.
    const held = '**/runtime.worker-*.js';
    await context.route(held, () => undefined);
    try {
      await page.reload();
      await expectEverythingBack(true);
      await page.getByText("Last visit's results").waitFor();
      expect(await page.locator('.cell[data-restored]', { hasText: 'threshold cubed: 4913' }).count()).toBe(1);
      expect(await page.getByText('Runtime starting').count()).toBe(1);
    } finally {
      await context.unroute(held);
    }
    await page.reload();
    await waitForEngines(page);
    await page.locator('.cell:not([data-restored])', { hasText: 'threshold cubed: 4913' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'));
    expect(await page.getByText("Last visit's results").count()).toBe(0);
    await expectEverythingBack();
  });

  it('made no request to any other host', () => {
    expect(escaped).toEqual([]);
    expect(site.requests.every((r) => r.path.startsWith('/team/apps/brook/'))).toBe(true);
  });

  it('a share link reproduces the inputs in a fresh profile', async () => {
    await page.getByRole('button', { name: /share/i }).click();
    const link = await page.getByRole('textbox', { name: /share link/i }).inputValue();
    expect(link).toContain('#/s/');
    const browser = await launchBrowser();
    try {
      const fresh = await browser.newPage();
      await fresh.goto(link);
      // Someone else's notebook: the reader decides to run it.
      await fresh.getByRole('dialog', { name: /Run this shared notebook\?/ }).getByRole('button', { name: 'Run', exact: true }).click();
      // The link carries the edited notebook and the inputs.
      await fresh.getByText('threshold cubed: 4913').waitFor({ timeout: 60_000 });
      expect(await fresh.getByLabel('Threshold', { exact: true }).inputValue()).toBe('17');
    } finally {
      await browser.close();
    }
  });
});
