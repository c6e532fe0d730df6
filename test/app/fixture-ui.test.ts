/**
 * The real UI in headless Chromium over `FixtureSession` (served by Vite from
 * test/app/fixture): what a person sees and what the UI asks of the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

let server: PreviewServer;
let outDir: string;
let browser: Browser;
let base: string;

beforeAll(async () => {
  // A production build of the fixture page loads much faster than the dev server on a small machine.
  outDir = mkdtempSync(join(tmpdir(), 'brook-fixture-'));
  await build({ configFile: 'test/app/vite.fixture.config.ts', base: './', build: { outDir, emptyOutDir: true }, logLevel: 'silent' });
  server = await preview({ configFile: 'test/app/vite.fixture.config.ts', build: { outDir }, preview: { port: 0 }, logLevel: 'silent' });
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  base = `http://localhost:${address.port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

type Call = { method: string; args: unknown[] };
const calls = (page: Page, method: string) =>
  page.evaluate((m) => (window as unknown as { fixture: { calls: Call[] } }).fixture.calls.filter((c) => c.method === m), method);

async function openFixture(query = '', viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}${query}`);
  // The fixture runtime is ready after 600 ms and settles runs after `runDelay`.
  await page.waitForSelector('.status-ready >> text=Runtime ready', { state: 'attached', timeout: 30_000 });
  await page.waitForSelector('.metric', { timeout: 10_000 });
  expect(errors).toEqual([]);
  return page;
}

describe('app mode', () => {
  it('fills markdown holes as text and sanitizes html output', async () => {
    const page = await openFixture();
    expect(await page.locator('.md-hole').allTextContents()).toEqual(['48,210', '4']);
    expect(await page.locator('.html-output').innerHTML()).not.toContain('<script');
    expect(await page.locator('.html-output b').textContent()).toBe('HTML');
    await page.close();
  }, 60_000);

  it('virtualizes a million-row table, scrolls to its end and sorts through the session', async () => {
    const page = await openFixture();
    const table = page.locator('.table-output').first();
    await expect.poll(() => table.locator('.table-foot').textContent()).toContain('999,750 rows');
    const rendered = await table.locator('.table-row').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);

    await table.locator('.table-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const lastId = table.locator('.table-row:last-child .table-td.is-number').first();
    await expect.poll(() => lastId.textContent(), { timeout: 5000 }).toBe('999,750');
    expect(await table.locator('.table-row').count()).toBeLessThan(60);

    await table.locator('.table-scroll').evaluate((el) => el.scrollTo(0, 0));
    const idHeader = table.locator('[role=columnheader]', { hasText: 'id' }).first();
    await idHeader.click();
    expect(await idHeader.getAttribute('aria-sort')).toBe('ascending');
    await idHeader.focus();
    await page.keyboard.press('Enter');
    expect(await idHeader.getAttribute('aria-sort')).toBe('descending');
    const firstId = table.locator('.table-row').first().locator('.table-td.is-number').first();
    await expect.poll(() => firstId.textContent(), { timeout: 5000 }).toBe('1,000,000');
    const sorted = (await calls(page, 'rows')).filter((c) => (c.args[3] as { direction?: string } | undefined)?.direction === 'desc');
    expect(sorted.length).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    expect(await idHeader.getAttribute('aria-sort')).toBe('none');
    await page.close();
  }, 60_000);

  it('sends widget changes: slider by keyboard, toggle as a switch, form only on submit', async () => {
    const page = await openFixture();
    const slider = page.getByLabel('Minimum amount');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    expect(await calls(page, 'setInput')).toContainEqual({ method: 'setInput', args: ['slider:minAmount', 260] });

    const toggle = page.getByRole('switch', { name: 'Include returns' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    expect(await calls(page, 'setInput')).toContainEqual({ method: 'setInput', args: ['toggle:showReturns', false] });

    const form = page.getByRole('form', { name: 'Filters' });
    await form.getByLabel('Customer').fill('ACME');
    await form.getByLabel('Limit').fill('25');
    const formCalls = async () => (await calls(page, 'setInput')).filter((c) => c.args[0] === 'form:Filters');
    expect(await formCalls()).toEqual([]);
    await form.getByRole('button', { name: 'Submit' }).click();
    expect(await formCalls()).toEqual([
      { method: 'setInput', args: ['form:Filters', { customer: 'ACME', limit: 25, since: '2024-01-01' }] },
    ]);
    await page.close();
  }, 60_000);

  it('dims re-running output only after the delay, and keeps it in place', async () => {
    const page = await openFixture('?runDelay=1500');
    const before = await page.locator('.metric').first().boundingBox();
    await page.getByRole('switch', { name: 'Include returns' }).click();
    await page.waitForTimeout(120);
    expect(await page.locator('.cell-output.is-stale').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.locator('.cell-output.is-stale').count()).toBeGreaterThan(0);
    expect(await page.locator('.metric').first().boundingBox()).toEqual(before);
    await expect.poll(() => page.locator('.cell-output.is-stale').count(), { timeout: 5000 }).toBe(0);
    await page.close();
  }, 60_000);

  it('tabs move with arrow keys; figures show tooltips from their titles', async () => {
    const page = await openFixture();
    const first = page.getByRole('tab', { name: 'Inputs' });
    await first.focus();
    await page.keyboard.press('ArrowRight');
    const second = page.getByRole('tab', { name: 'Inspector' });
    expect(await second.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Inspector');
    expect(await page.locator('.inspector').isVisible()).toBe(true);
    expect(await page.getByRole('tabpanel').filter({ hasText: 'Amount between' }).isVisible()).toBe(false);

    const bar = page.locator('.figure-content [data-brook-tip]').first();
    expect(await page.locator('.figure-content svg title').count()).toBe(0);
    await bar.hover();
    await expect.poll(() => page.locator('.figure-tip').textContent()).toMatch(/North|South|East|West/);
    await page.close();
  }, 60_000);

  it('shows errors with their place, SQL and hint', async () => {
    const page = await openFixture();
    await page.locator('.layout-expander > summary').click();
    const query = page.locator('.cell-error', { hasText: 'QueryError' });
    expect(await query.locator('.cell-error-sql').textContent()).toBe('SELECT * FROM nowhere');
    expect(await query.locator('.cell-error-place').textContent()).toMatch(/^notebook line \d+/);
    expect(await page.locator('.cell-error', { hasText: 'ReferenceError' }).locator('.cell-error-hint').textContent()).toContain('missingName');
    await page.close();
  }, 60_000);

  it('hands dropped data files to the session', async () => {
    const page = await openFixture();
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['a,b\n1,2\n'], 'Sales 2024.csv', { type: 'text/csv' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    expect(await calls(page, 'addFiles')).toEqual([{ method: 'addFiles', args: [['Sales 2024.csv']] }]);
    expect(await page.locator('.drop-overlay').count()).toBe(0);
    await page.close();
  }, 60_000);
});

describe('notebook mode', () => {
  it('keeps a title being typed in the settings form when the notebook changes elsewhere', async () => {
    const page = await openFixture('?mode=notebook');
    await page.locator('details.front-matter-form summary').click();
    const title = page.locator('details.front-matter-form').getByRole('textbox', { name: 'Title' });
    await title.fill('Typed, not committed yet');
    // Another edit of the notebook (a cell's source) makes a new front matter object with the same title.
    await page.evaluate(() => {
      const fixture = (window as unknown as { fixture: { snapshot(): { notebook: { cells: { id: string; source: string }[] } }; editCell(id: string, source: string): void } }).fixture;
      const cell = fixture.snapshot().notebook.cells.find((c) => c.source.trim() !== '')!;
      fixture.editCell(cell.id, `${cell.source} `);
    });
    await page.waitForTimeout(300);
    expect(await title.inputValue()).toBe('Typed, not committed yet');
    await page.close();
  });

  it('numbers editor lines as in the file and debounces edits into editCell', async () => {
    const page = await openFixture('?mode=notebook');
    const sqlCell = page.locator('.cell-sql').first();
    await sqlCell.locator('.cm-content').waitFor();
    expect(await sqlCell.locator('.cm-lineNumbers .cm-gutterElement').allTextContents()).toContain('39');
    await sqlCell.locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' LIMIT 5');
    await page.waitForTimeout(150);
    expect(await calls(page, 'editCell')).toEqual([]);
    await expect.poll(() => calls(page, 'editCell'), { timeout: 3000 }).toHaveLength(1);
    const [edit] = await calls(page, 'editCell');
    expect(edit.args[1]).toBe('SELECT * FROM orders WHERE amount > ${minAmount} LIMIT 5');
    await page.close();
  }, 60_000);

  it('switches modes and adds cells of a chosen kind', async () => {
    const page = await openFixture('?mode=notebook');
    await page.getByRole('button', { name: 'Add SQL cell at the top' }).first().click();
    expect((await calls(page, 'insertCell'))[0].args.slice(0, 2)).toEqual([null, 'sql']);
    await page.getByRole('button', { name: 'App', exact: true }).click();
    expect(await page.locator('.cm-content[contenteditable=true]').count()).toBe(0);
    expect(await page.locator('.sidebar').isVisible()).toBe(true);
    await page.close();
  }, 60_000);

  it('opens the share dialog with the link selected', async () => {
    const page = await openFixture();
    await page.getByRole('button', { name: 'Share' }).click();
    const field = page.getByLabel('Share link');
    expect(await field.inputValue()).toContain('#/s/1');
    await page.keyboard.press('Escape');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await page.close();
  }, 60_000);
});

describe('phone width', () => {
  it('turns the sidebar into a closed drawer that opens on demand', async () => {
    const page = await openFixture('', { width: 390, height: 844 });
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Toggle sidebar' }).click();
    expect(await page.locator('.sidebar').isVisible()).toBe(true);
    const box = await page.locator('.sidebar').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
    await page.close();
  }, 60_000);
});

describe('studio', () => {
  it('lists examples, opens a picked .ipynb with a notice about skipped cells, and remembers it as recent', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}?studio#/`);
    await page.getByRole('link', { name: /Sales explorer/ }).waitFor();
    expect(await page.locator('.example-card').count()).toBe(3);

    const ipynb = JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { language: 'python', name: 'python3' } },
      cells: [
        { cell_type: 'markdown', source: ['# Imported\n'], metadata: {} },
        { cell_type: 'code', source: ['print(1)\n'], metadata: {}, outputs: [], execution_count: null },
      ],
    });
    await page.getByLabel('Open a notebook file').setInputFiles({ name: 'analysis.ipynb', mimeType: 'application/json', buffer: Buffer.from(ipynb) });
    await page.waitForURL(/#\/recent\//);
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringMatching(/Skipped 1 of 2 cells/));

    await page.goto(`${base}?studio#/`);
    const recent = page.locator('.recent-row', { hasText: 'analysis.ipynb' });
    await recent.waitFor();
    expect(await recent.getAttribute('href')).toMatch(/^#\/recent\/file/);
    await page.close();
  }, 60_000);
});

describe('multiple select', () => {
  it('shows every selected value as a chip and sends the chosen list', async () => {
    const page = await openFixture();
    const tags = page.getByRole('combobox', { name: 'Tags' });
    const chips = () => page.locator('.control-multi-select', { has: tags }).locator('.multi-select-chip-text').allInnerTexts();
    expect(await chips()).toEqual(['repeat', 'vip']);
    await page.getByRole('button', { name: 'Remove repeat' }).click();
    await tags.click();
    await page.getByRole('option', { name: 'new', exact: true }).click();
    // The options' order, whatever the order of picking.
    expect(await chips()).toEqual(['new', 'vip']);
    expect(await calls(page, 'setInput')).toContainEqual({ method: 'setInput', args: ['select:Tags', ['new', 'vip']] });
    await page.close();
  }, 60_000);
});
