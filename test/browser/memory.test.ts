/**
 * Issue 16, item 9: a cell that floods memory. Chromium gives a worker no way
 * to measure its heap (docs/security.md, "Memory"), so what stops a flood is
 * the watchdog's time limit: a loop that fills memory keeps the runtime busy,
 * and is stopped long before the heap is exhausted (a flood like this one
 * took ~50 s to crash the tab here when left alone). The cell says so by
 * name, the page keeps answering, and every other cell's output stays.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { openBuiltNotebook, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

let browser: Browser;
let app: OpenedApp | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('a cell that floods memory (16.9)', () => {
  it('is stopped with a message on that cell; the page survives and other outputs remain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-memory-'));
    const notebook = join(dir, 'flood.md');
    writeFileSync(notebook, [
      '# Flood',
      '',
      '```js',
      'const before = "computed before the flood: " + (6 * 7)',
      // A declaration alone displays nothing: show it.
      'display(before)',
      '```',
      '',
      '```js',
      '// 400 kB per array, forever.',
      'const hoard = [];',
      'for (;;) hoard.push(new Array(100000).fill(7));',
      '```',
      '',
      '```js',
      'const beside = "a cell beside the flood: " + before.length',
      'display(beside)',
      '```',
      '',
    ].join('\n'));
    let crashed = false;
    app = await openBuiltNotebook(browser, notebook);
    const { page } = app;
    page.on('crash', () => { crashed = true; });
    await page.getByText(/computed before the flood: 42/).waitFor({ timeout: 60_000 });
    const stopped = page.locator('.cell-error').filter({ hasText: 'Stopped' });
    await stopped.waitFor({ timeout: 60_000 });
    expect(await stopped.innerText()).toMatch(/filling memory/);
    // The message is on the flooding cell: its source is in the same cell box.
    const floodCell = page.locator('.cell', { has: page.getByText('hoard.push', { exact: false }) });
    if (await floodCell.count()) expect(await floodCell.locator('.cell-error').count()).toBe(1);
    // The page answers, and the other cells' outputs are still there.
    expect(crashed).toBe(false);
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    expect(await page.getByText(/computed before the flood: 42/).count()).toBe(1);
    await page.getByText(new RegExp(`a cell beside the flood: ${"computed before the flood: 42".length}`)).waitFor({ timeout: 30_000 });
    // The replacement runtime works: the flooding cell is not run again (it would flood again).
    await page.waitForTimeout(8_000);
    expect(crashed).toBe(false);
    expect(await stopped.count()).toBe(1);
  });
});
