/**
 * Outputs while a cell runs, in the built app: display() before an await is on
 * screen before the cell ends, a progress() bar shows its value mid-run and
 * updates in place, toast() appears in the notice area and goes, and a re-run
 * drops what the superseded run had streamed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openBuiltNotebook, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';

let browser: Browser;
let app: OpenedApp;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openBuiltNotebook(browser, 'test/browser/notebooks/progress.md');
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

/** The section of the cell whose output contains `text`. */
const cellWith = (text: string) => page.locator('section.cell').filter({ hasText: text });

describe('outputs while a cell runs', () => {
  it('shows display() output, a progress bar and a toast before the cell ends', async () => {
    await page.getByText('Streaming: first output').waitFor({ timeout: 60_000 });
    const cell = cellWith('Streaming: first output');
    // The cell is still running: waiting for Release.
    expect(await cell.getAttribute('aria-busy')).toBe('true');
    expect(await page.getByText(/Streaming: second output/).count()).toBe(0);
    const bar = cell.getByRole('progressbar', { name: 'Working 3/10' });
    await bar.waitFor();
    expect(await bar.evaluate((el) => (el as HTMLProgressElement).value)).toBeCloseTo(0.3);
    await expect.poll(() => cell.locator('.progress-percent').textContent()).toBe('30%');
    // The toast is in the page's notice area, as text.
    const toast = page.locator('.toasts .toast', { hasText: 'Halfway there' });
    await toast.waitFor();
    expect(await toast.getAttribute('role')).toBe('status');
    // Streamed outputs are live, not dimmed like a stale result.
    expect(await cell.locator('.cell-output').evaluate((el) => el.classList.contains('is-stale'))).toBe(false);
    // A cell's toast goes by itself.
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
    // The same bar moves on while the cell still runs.
    await page.getByRole('button', { name: 'Step' }).click();
    const moved = cell.getByRole('progressbar', { name: 'Working 6/10' });
    await moved.waitFor();
    expect(await moved.evaluate((el) => (el as HTMLProgressElement).value)).toBeCloseTo(0.6);
    expect(await cell.getAttribute('aria-busy')).toBe('true');
    expect(await cell.getByRole('progressbar').count()).toBe(1);
  });

  it('ends the run with the rest of its output; the same bar is updated, not a second one', async () => {
    const round1 = page.getByText('round 1 started');
    await round1.waitFor();
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByText('Streaming: second output after the wait').waitFor();
    const cell = cellWith('Streaming: second output');
    await expect.poll(() => cell.getAttribute('aria-busy')).toBe('false');
    expect(await cell.getByRole('progressbar').count()).toBe(1);
    expect(await cell.getByRole('progressbar', { name: 'Working 10/10' }).evaluate((el) => (el as HTMLProgressElement).value)).toBe(1);
  });

  it("drops the output a superseded run streamed, and never shows the rest of it", async () => {
    // Round 1 waits for Release again (its first run ended with the release above: reload its wait by re-running it).
    const slider = page.getByLabel('Round', { exact: true });
    await slider.fill('3');
    await page.getByText('round 3 finished').waitFor();
    await slider.fill('1');
    await page.getByText('round 1 started').waitFor();
    expect(await page.getByText('round 1 finished').count()).toBe(0);
    // A new round supersedes the waiting run: what it streamed goes.
    await slider.fill('2');
    await page.getByText('round 2 finished').waitFor();
    await expect.poll(() => page.getByText('round 1 started').count()).toBe(0);
    // Let the superseded run finish in the worker: its last output must not land.
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByText('Streaming: second output after the wait').waitFor();
    await page.waitForTimeout(800);
    expect(await page.getByText('round 1 finished').count()).toBe(0);
    expect(await page.getByText('round 2 started').count()).toBe(1);
    expect(await page.getByText('round 2 finished').count()).toBe(1);
    expect(app.errors).toEqual([]);
  });
});
