/**
 * The page's chrome and authoring in the browser: the ⋯ menu works by mouse
 * and keyboard (menu button pattern), the engines' status line is visible on
 * a phone; in notebook mode a SQL cell is named, cell flags are set from the
 * cell menu, the front matter is edited in a form, Share says which dropped
 * files stay behind; under `brook dev` the page's edits reach the file, and a
 * file changed meanwhile is a choice, never a silent loss.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page, Route } from 'playwright-core';
import { startDevServer, type DevServer } from '../../src/cli/dev-server.ts';
import { openBuiltNotebook, waitForEngines, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';
import { dropFiles } from './setup/drop.ts';

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

/** The notebook text as the page holds it (⋯ → Download .md). */
async function downloadedSource(): Promise<string> {
  await page.getByRole('button', { name: 'More actions' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Download .md' }).click();
  return readFileSync(await (await download).path(), 'utf8');
}

/** Replaces a cell's code in its editor (inserted as text: no auto-closed brackets). */
async function setCode(cell: Locator, code: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

/** Ticks or unticks an entry of a cell's ⋯ menu; returns whether it is on afterwards. */
async function toggleFlag(cell: Locator, entry: RegExp): Promise<boolean> {
  await cell.hover();
  await cell.getByRole('button', { name: 'Cell options' }).click();
  await cell.getByRole('menuitemcheckbox', { name: entry }).click();
  await cell.hover();
  await cell.getByRole('button', { name: 'Cell options' }).click();
  const on = (await cell.getByRole('menuitemcheckbox', { name: entry }).getAttribute('aria-checked')) === 'true';
  await page.keyboard.press('Escape');
  return on;
}

const mode = (name: 'App' | 'Notebook') => page.getByRole('button', { name, exact: true }).click();

describe('authoring in notebook mode', () => {
  const sqlCell = () => page.locator('section.cell.cell-sql');
  const lastCell = () => page.locator('section.cell', { hasText: 'picked' }).last();

  it('names a SQL cell in its toolbar, and other cells can use the name', async () => {
    await mode('Notebook');
    const name = sqlCell().getByRole('textbox', { name: 'Result name' });
    await name.fill('2 bad');
    await name.press('Enter');
    await sqlCell().getByRole('alert').filter({ hasText: 'Use letters, digits and _' }).waitFor();
    expect(await downloadedSource()).toContain('```sql\nSELECT origin');
    await name.fill('by_origin');
    await name.press('Enter');
    await expect.poll(downloadedSource).toContain('```sql by_origin\nSELECT origin');
    expect(await sqlCell().getByRole('alert').count()).toBe(0);
    await setCode(lastCell(), '`picked ${chosen} of ${by_origin.numRows} origins`');
    await page.getByText('picked ORD of 5 origins').first().waitFor();
  });

  it('sets sidebar, hidden and echo from the cell menu, and app mode follows', async () => {
    const selectCell = page.locator('section.cell', { hasText: 'const chosen = select' });
    expect(await toggleFlag(selectCell, /sidebar/)).toBe(true);
    await selectCell.locator('.cell-flags', { hasText: 'sidebar' }).waitFor();
    expect(await toggleFlag(lastCell(), /hidden/)).toBe(true);
    expect(await toggleFlag(sqlCell(), /echo/)).toBe(true);
    const source = await downloadedSource();
    expect(source).toContain('```js sidebar\nconst chosen = select');
    expect(source).toContain('```sql by_origin echo\n');
    expect(source).toMatch(/```js hidden\n`picked/);
    await mode('App');
    await page.getByRole('complementary', { name: 'Sidebar' }).getByText('Origin').waitFor();
    // Hidden: runs, shows nothing; echo: the SQL is on the page above its table.
    await expect.poll(() => page.getByText('picked ORD of 5 origins').count()).toBe(0);
    await page.locator('section.cell-sql .cm-content', { hasText: 'SELECT origin' }).waitFor();
    // Unticked again, the output is back.
    await mode('Notebook');
    expect(await toggleFlag(lastCell(), /hidden/)).toBe(false);
    await mode('App');
    await page.getByText('picked ORD of 5 origins').waitFor();
  });

  it('edits title, layout and data tables in the front-matter form', async () => {
    await mode('Notebook');
    const form = page.locator('details.front-matter-form');
    await form.locator('summary').click();
    await form.getByRole('textbox', { name: 'Title' }).fill('Renamed probe');
    await form.getByRole('textbox', { name: 'Title' }).press('Tab');
    await page.locator('h1.notebook-title', { hasText: 'Renamed probe' }).waitFor();
    await expect.poll(() => page.title()).toBe('Renamed probe · Brook');
    await form.getByRole('radio', { name: 'Wide' }).check();
    // A table: a bad name is refused with a reason; a good one is written and loads.
    await form.getByRole('button', { name: 'Add table' }).click();
    await form.getByRole('textbox', { name: 'Table name' }).last().fill('my table');
    await form.getByRole('textbox', { name: 'Path or URL of my table' }).fill('data/trips.csv');
    await form.getByRole('textbox', { name: 'Path or URL of my table' }).press('Tab');
    await form.getByRole('alert').filter({ hasText: 'must be letters, digits and _' }).waitFor();
    await form.getByRole('textbox', { name: 'Table name' }).last().fill('more');
    await form.getByRole('textbox', { name: 'Table name' }).last().press('Tab');
    await expect.poll(() => form.getByRole('alert').count()).toBe(0);
    const source = await downloadedSource();
    expect(source).toMatch(/^---\ntitle: Renamed probe\ndata:\n {2}trips: data\/trips.csv\n {2}more: data\/trips.csv\nlayout: wide\n---\n/);
    await setCode(lastCell(), '`more has ${(await query`SELECT count(*)::INTEGER AS n FROM more`).get(0).n} rows`');
    await page.getByText('more has 600 rows').first().waitFor();
    await mode('App');
    expect(await page.locator('.notebook-page').evaluate((el) => el.classList.contains('is-wide'))).toBe(true);
  });

  it('Share says which dropped files stay behind and how to include data', async () => {
    await dropFiles(page, ['test/browser/fixtures/dropped_sample.csv']);
    await page.getByText(/Loading dropped_sample\.csv/).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Share this app' });
    const warning = dialog.getByRole('alert').filter({ hasText: 'will not travel with the link' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('dropped_sample.csv (table dropped_sample)');
    expect(await warning.textContent()).toContain('To include data, put the file at an https URL');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(app.errors).toEqual([]);
  });
});

describe('brook dev: edits in the page reach the file', () => {
  let server: DevServer;
  let file: string;
  let devPage: Page;
  const disk = () => readFileSync(file, 'utf8');
  /**
   * Gives the page an edit (a new title) and changes the file on disk while the
   * page's write of it is held in flight; then lets the write go on (the server
   * refuses it: the file is no longer the text it started from). Returns the
   * banner that asks which version to keep.
   */
  const clash = async (pageTitle: string, diskHeading: string) => {
    const held: Route[] = [];
    await devPage.route('**/__brook/save', (route) => void held.push(route));
    const field = devPage.locator('details.front-matter-form').getByRole('textbox', { name: 'Title' });
    await field.fill(pageTitle);
    await field.press('Tab');
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(1);
    writeFileSync(file, disk().replace('# Authoring probe', `# ${diskHeading}`));
    const banner = devPage.getByRole('alert').filter({ hasText: 'live.md changed on disk' });
    await banner.waitFor({ timeout: 10_000 });
    await held[0]!.continue();
    await devPage.unroute('**/__brook/save');
    expect(disk()).toContain(`# ${diskHeading}`);
    expect(disk()).not.toContain(pageTitle);
    return banner;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-authoring-dev-'));
    mkdirSync(join(dir, 'data'));
    copyFileSync('test/browser/notebooks/data/trips.csv', join(dir, 'data', 'trips.csv'));
    file = join(dir, 'live.md');
    copyFileSync('test/browser/notebooks/authoring.md', file);
    server = await startDevServer({ notebook: file, appDir: process.env.BROOK_APP_DIR!, port: 0, debounceMs: 50 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    devPage = await context.newPage();
    await devPage.goto(server.url);
    await devPage.getByText('picked ORD').waitFor({ timeout: 60_000 });
    await devPage.getByRole('button', { name: 'Notebook', exact: true }).click();
    await devPage.locator('details.front-matter-form summary').click();
  });

  afterAll(async () => {
    await devPage?.context().close();
    await server?.close();
  });

  it('writes a change made in the page to the .md file', async () => {
    const name = devPage.locator('section.cell.cell-sql').getByRole('textbox', { name: 'Result name' });
    await name.fill('by_origin');
    await name.press('Enter');
    await expect.poll(disk, { timeout: 10_000 }).toContain('```sql by_origin\n');
    await devPage.getByRole('status').filter({ hasText: 'Saved to live.md' }).waitFor();
    // The rest of the file is as it was.
    expect(disk()).toBe(readFileSync('test/browser/notebooks/authoring.md', 'utf8').replace('```sql\n', '```sql by_origin\n'));
  });

  it('asks when the file changed while the page had edits; "keep mine" writes the page\'s', async () => {
    const banner = await clash('Title from the page', 'Heading from the editor');
    await banner.getByRole('button', { name: /Keep mine/ }).click();
    await expect.poll(disk, { timeout: 10_000 }).toContain('title: Title from the page');
    expect(disk()).toContain('# Authoring probe');
    await banner.waitFor({ state: 'detached' });
  });

  it('"take the file" drops the page\'s edits and shows the file', async () => {
    const banner = await clash('A title nobody keeps', 'Taken from disk');
    await banner.getByRole('button', { name: /Take the file/ }).click();
    await devPage.getByRole('heading', { name: 'Taken from disk' }).waitFor();
    await devPage.locator('h1.notebook-title', { hasText: 'Title from the page' }).waitFor();
    // Nothing is written back afterwards: the page and the file agree.
    await devPage.waitForTimeout(800);
    expect(disk()).toContain('title: Title from the page');
  });
});
