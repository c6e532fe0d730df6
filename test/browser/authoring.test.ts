/**
 * The page's chrome and authoring in the browser: the ⋯ menu works by mouse
 * and keyboard (menu button pattern), the engines' status line is visible on
 * a phone.
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
  app = await openBuiltNotebook(browser, 'test/browser/notebooks/authoring.md');
  page = app.page;
  await page.getByText('picked ORD').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('the ⋯ menu', () => {
  const button = () => page.getByRole('button', { name: 'More actions' });
  const menu = () => page.getByRole('menu', { name: 'More actions' });

  it('opens on click and closes on a click outside it', async () => {
    await button().click();
    await menu().waitFor();
    expect(await button().getAttribute('aria-expanded')).toBe('true');
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await menu().waitFor({ state: 'hidden' });
    expect(await button().getAttribute('aria-expanded')).toBe('false');
  });

  it('works with the keyboard: arrows move, Home/End jump, Escape closes and returns focus', async () => {
    await button().focus();
    await page.keyboard.press('Enter');
    await menu().waitFor();
    expect(await focusedText()).toBe('Download .md');
    await page.keyboard.press('ArrowDown');
    expect(await focusedText()).toBe('Reset saved state…');
    // Wraps around.
    await page.keyboard.press('ArrowDown');
    expect(await focusedText()).toBe('Download .md');
    await page.keyboard.press('ArrowUp');
    expect(await focusedText()).toBe('Reset saved state…');
    await page.keyboard.press('Home');
    expect(await focusedText()).toBe('Download .md');
    await page.keyboard.press('End');
    expect(await focusedText()).toBe('Reset saved state…');
    await page.keyboard.press('Escape');
    await menu().waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('More actions');
    // ↑ on the button opens it on the last entry.
    await page.keyboard.press('ArrowUp');
    await menu().waitFor();
    expect(await focusedText()).toBe('Reset saved state…');
    // Tab leaves the menu and closes it.
    await page.keyboard.press('Tab');
    await menu().waitFor({ state: 'hidden' });
  });

  it('runs an entry chosen with Enter', async () => {
    await button().focus();
    await page.keyboard.press('ArrowDown');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toBe('Authoring probe.md');
    await menu().waitFor({ state: 'hidden' });
  });
});

describe('on a phone (390 wide)', () => {
  it('shows the engines’ status line inside the screen, beside the title', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await waitForEngines(page);
      const status = page.getByRole('status').filter({ hasText: 'Runtime ready' });
      const box = (await status.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      const title = (await page.locator('.notebook-title').boundingBox())!;
      // Same row as the title, and not over it.
      expect(Math.abs(box.y + box.height / 2 - (title.y + title.height / 2))).toBeLessThan(12);
      expect(box.x).toBeGreaterThanOrEqual(title.x + title.width);
      expect(await page.getByText('DuckDB ready').isVisible()).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
