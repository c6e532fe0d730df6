/**
 * `brook dev`: saving the notebook in any editor updates the open page without
 * a reload, and the reader's input values are kept.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startDevServer, type DevServer } from '../../src/cli/dev-server.ts';
import { launchBrowser } from './setup/chromium.ts';

let browser: Browser | undefined;
let server: DevServer | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('brook dev', () => {
  it('re-runs changed cells on save, without a reload, keeping inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-dev-'));
    const file = join(dir, 'live.md');
    copyFileSync('test/browser/notebooks/reactivity.md', file);
    server = await startDevServer({ notebook: file, appDir: process.env.BROOK_APP_DIR!, port: 0, debounceMs: 50 });
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByText('D runs: 1;').waitFor();
    await page.getByLabel('N', { exact: true }).fill('30');
    await page.getByText('doubled = 60').waitFor();
    // A marker on the page's window: a reload would wipe it.
    await page.evaluate(() => ((window as unknown as { __brookMarker: number }).__brookMarker = 7));

    const text = readFileSync(file, 'utf8').replace('const doubled = n * 2;', 'const doubled = n * 3;');
    writeFileSync(file, text);

    await page.getByText('doubled = 90').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { __brookMarker?: number }).__brookMarker)).toBe(7);
    expect(await page.getByLabel('N', { exact: true }).inputValue()).toBe('30');
  });
});
