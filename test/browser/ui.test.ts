/**
 * The real built app driven the way a person uses it: every widget by its
 * label or role (some by keyboard), tabs, expander, sidebar, app ↔ notebook
 * mode, editing and adding cells in CodeMirror, dropping a CSV, sorting a
 * table, chart tooltips, visible keyboard focus, and the trust prompt of a
 * shared link.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { shareUrl } from '../../src/store/share.ts';
import { openBuiltNotebook, waitForEngines, type OpenedApp } from './setup/app.ts';
import { collectErrors, confineToOrigin, launchBrowser } from './setup/chromium.ts';
import { dropFiles } from './setup/drop.ts';

const NOTEBOOK = 'test/browser/notebooks/widgets.md';
const CSV = 'test/browser/fixtures/dropped_sample.csv';
/** The same rows under another name, so picking it makes a table of its own. */
const PICKED = join(mkdtempSync(join(tmpdir(), 'brook-ui-')), 'picked_sample.csv');
copyFileSync(CSV, PICKED);

let browser: Browser;
let app: OpenedApp;
let page: Page;

/** A text output line, exactly. */
const line = (text: string): Locator => page.locator('pre.text-output', { hasText: new RegExp(`^${escape(text)}$`) });
const shows = (text: string) => line(text).first().waitFor({ timeout: 20_000 });

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openBuiltNotebook(browser, NOTEBOOK);
  page = app.page;
  await waitForEngines(page);
  await shows('bins = 10');
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('widgets in app mode', () => {
  it('slider and range respond to the keyboard', async () => {
    await page.getByLabel('Bins', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await shows('bins = 12');
    await page.getByLabel('Span minimum', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByLabel('Span maximum', { exact: true }).focus();
    await page.keyboard.press('ArrowLeft');
    await shows('span = 21..79');
  });

  it('number, and text and textarea behind a tab', async () => {
    await page.getByLabel('Count', { exact: true }).fill('12');
    await shows('count = 12');
    // Text inputs live in the second tab: hidden until it is chosen.
    expect(await page.getByLabel('Name', { exact: true }).isVisible()).toBe(false);
    await page.getByRole('tab', { name: 'Words' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Grace');
    await shows('name = Grace');
    await page.getByLabel('Notes', { exact: true }).fill('one\ntwo');
    await shows('notes = one / two');
    // Back to the first tab with the keyboard (tabs move with arrow keys).
    await page.getByRole('tab', { name: 'Words' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByLabel('Count', { exact: true }).isVisible()).toBe(true);
  });

  it('select by keyboard, multiple select, radio, checkbox, toggle, date', async () => {
    await page.getByLabel('Color', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await shows('color = green');
    await page.getByRole('combobox', { name: 'Toppings' }).click();
    await page.getByRole('option', { name: 'basil' }).click();
    await page.keyboard.press('Escape');
    await shows('toppings = cheese+basil');
    await page.getByLabel('large', { exact: true }).check();
    await shows('size = large');
    await page.getByLabel('Agree', { exact: true }).check();
    await shows('agree = true');
    const toggle = page.getByRole('switch', { name: 'Dark' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await shows('dark = true');
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await page.getByLabel('Day', { exact: true }).fill('2024-12-25');
    await shows('day = 2024-12-25');
  });

  it('a radio group keeps its options (and the focus) while its value changes: arrow keys walk through it', async () => {
    const small = page.getByRole('radio', { name: 'small', exact: true });
    await small.check();
    await shows('size = small');
    const element = await small.elementHandle();
    // Native radios: an arrow key moves the focus and the choice together.
    await page.keyboard.press('ArrowDown');
    await shows('size = medium');
    await page.keyboard.press('ArrowDown');
    await shows('size = large');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent?.trim())).toBe('large');
    // The same input elements, not new ones per value (a click on a replaced one is lost).
    expect(await element!.evaluate((e) => e.isConnected)).toBe(true);
  });

  it('button counts presses', async () => {
    const bump = page.getByRole('button', { name: 'Bump', exact: true });
    await bump.click();
    await shows('bumps = 1');
    await bump.click();
    await shows('bumps = 2');
  });

  it('form values change only on submit', async () => {
    await page.getByLabel('Item', { exact: true }).fill('coffee');
    await page.getByLabel('Quantity', { exact: true }).fill('3');
    await page.waitForTimeout(600);
    expect(await line('order = 1 x tea').count()).toBe(1);
    await page.getByRole('form', { name: 'Order' }).getByRole('button', { name: 'Submit' }).click();
    await shows('order = 3 x coffee');
  });

  it('an expander opens to show its content', async () => {
    const hidden = page.getByText(/Details stay folded until opened/);
    expect(await hidden.isVisible()).toBe(false);
    await page.getByText('Details', { exact: true }).click();
    await expect.poll(() => hidden.isVisible()).toBe(true);
    await expect.poll(() => hidden.textContent()).toMatch(/bins are 12/);
  });

  it('a failed dependency names the cell and its line, not an id', async () => {
    const waiting = page.locator('.cell-error-waiting-on').first();
    await waiting.waitFor();
    const text = (await waiting.textContent()) ?? '';
    expect(text).toMatch(/\bsample\b/);
    expect(text).toMatch(/line \d+/);
    expect(text).not.toMatch(/\bc\d+\b/);
  });

  it('a dropped CSV becomes a table that sorts by its header', async () => {
    await dropFiles(page, [CSV]);
    await shows('sample rows = 321');
    const table = page.locator('.table-output').first();
    await table.getByText('321 rows · 3 columns').waitFor();
    const firstAmount = () => table.locator('.table-row[aria-rowindex="2"] .table-td[role=cell]').nth(2).textContent();
    const header = table.locator('[role=columnheader]', { hasText: 'amount' });
    expect(await firstAmount()).toBe('0');
    await header.click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(firstAmount).toBe('480');
  });

  it('a file picked in a file widget becomes a table', async () => {
    await page.getByLabel('Data file', { exact: true }).setInputFiles(PICKED);
    await shows('picked = 321 rows');
    // The picked file is a table a query can read.
    await shows('picked total = 77040');
  });

  it('hovering a chart mark shows its tooltip', async () => {
    const mark = page.locator('.figure-content [data-brook-tip]').nth(2);
    await mark.hover();
    const tip = page.locator('.figure-tip');
    await expect.poll(() => tip.textContent()).toMatch(/x\s*[:=]?\s*2/);
    // bins is 12 now, so the third dot is at y = 24.
    await expect.poll(() => tip.textContent()).toMatch(/24/);
  });

  it('Tab moves a visible focus ring through the controls', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    const seen: { tag: string; name: string; visible: boolean }[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluateHandle(() => document.activeElement as HTMLElement);
      const info = await focused.evaluate((el) => ({
        tag: el.tagName.toLowerCase(),
        name: el.getAttribute('aria-label') || el.textContent?.trim().slice(0, 20) || el.getAttribute('type') || '',
      }));
      if (info.tag === 'body') continue;
      // Visible focus = the pixels around the element differ with and without focus.
      const box = await focused.asElement()!.boundingBox();
      if (!box) continue;
      const clip = { x: Math.max(0, box.x - 6), y: Math.max(0, box.y - 6), width: box.width + 12, height: box.height + 12 };
      const withFocus = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
      await focused.evaluate((el) => el.blur());
      const without = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
      await focused.evaluate((el) => el.focus({ focusVisible: true } as FocusOptions));
      seen.push({ ...info, visible: !withFocus.equals(without) });
    }
    const controls = seen.filter((s) => ['input', 'select', 'textarea', 'button', 'summary'].includes(s.tag));
    expect(controls.length).toBeGreaterThan(15);
    expect(seen.filter((s) => !s.visible)).toEqual([]);
  });
});

describe('notebook mode', () => {
  it('switches modes and shows editors', async () => {
    await page.getByRole('button', { name: 'Notebook', exact: true }).click();
    await page.locator('.cm-content').first().waitFor();
    expect(await page.locator('.cm-content').count()).toBeGreaterThan(20);
  });

  it('editing a cell re-runs it and its dependents', async () => {
    const editor = page.locator('.cell', { hasText: 'const base = 5' }).locator('.cm-content');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('const base = 9');
    await shows('triple = 27');
    expect(await line('triple = 15').count()).toBe(0);
  });

  it('adds a cell that runs', async () => {
    const before = await page.locator('.cell').count();
    const cell = page.locator('.cell', { hasText: 'triple = ${base * 3}' });
    await cell.hover();
    await page.getByRole('button', { name: 'Add JavaScript cell below' }).nth(await addBarIndex(cell)).click();
    await expect.poll(() => page.locator('.cell').count()).toBe(before + 1);
    const added = page.locator('.cell').nth((await cellIndex(cell)) + 1);
    await added.locator('.cm-content').click();
    await page.keyboard.type('`added ${base + 1}`');
    await shows('added 10');
  });

  it('switches back to app mode with the edits kept', async () => {
    await page.getByRole('button', { name: 'App', exact: true }).click();
    await expect.poll(() => page.locator('.cm-content').count()).toBe(0);
    await shows('triple = 27');
    await shows('added 10');
  });

  it('a narrowed window closes the sidebar drawer; widening opens it again', async () => {
    const sidebar = page.getByRole('complementary', { name: 'Sidebar' });
    expect(await sidebar.isVisible()).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    // Opened by the header's toggle; closed by a tap beside it, or by Escape (the drawer covers the toggle).
    await page.getByRole('button', { name: 'Toggle sidebar' }).click();
    await expect.poll(() => sidebar.isVisible()).toBe(true);
    // Beside the drawer (≤ 86vw), clear of the scrollbar's gutter at the right edge.
    await page.mouse.click(360, 400);
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Toggle sidebar' }).click();
    await expect.poll(() => sidebar.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(() => sidebar.isVisible()).toBe(true);
  });

  it('raised no page errors', () => {
    expect(app.errors).toEqual([]);
  });
});

/** Index of `cell` among all cells. */
async function cellIndex(cell: Locator): Promise<number> {
  return cell.evaluate((el) => [...document.querySelectorAll('.cell')].indexOf(el));
}

/** Index, among all "Add JavaScript cell below" buttons, of the one right after `cell`. */
async function addBarIndex(cell: Locator): Promise<number> {
  return cell.evaluate((el) => {
    const buttons = [...document.querySelectorAll('button[aria-label="Add JavaScript cell below"]')];
    return buttons.findIndex((b) => el.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
}

/** An `html` output that would make the page load a remote image. */
const REMOTE_IMAGE_CELL = '\n```js\nhtml`<img alt="remote pixel" src="https://example.org/pixel.png">`\n```\n';

describe('shared links', () => {
  it('ask before running, and can run without network access', async () => {
    const source = readFileSync(NOTEBOOK, 'utf8') + REMOTE_IMAGE_CELL;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const origin = new URL(app.site.url).origin;
      const escaped = await confineToOrigin(context, origin);
      const shared = await context.newPage();
      const errors = collectErrors(shared);
      const link = shareUrl(app.site.url, { source, inputs: { 'bins:Bins': 7 } }).url;
      await shared.goto(link);
      const prompt = shared.getByRole('dialog', { name: /Run this shared notebook\?/ });
      await prompt.waitFor();
      expect(await prompt.textContent()).toMatch(/Widget gallery/);
      expect(await prompt.textContent()).toMatch(/\d+ cells/);
      expect(await prompt.textContent()).toMatch(/isolated worker/);
      expect(await prompt.textContent()).toMatch(/1 input set by the link/);
      // Nothing runs before the choice.
      expect(await shared.locator('pre.text-output').count()).toBe(0);
      await prompt.getByRole('button', { name: 'Run without network access' }).click();
      await waitForEngines(shared);
      await shared.locator('pre.text-output', { hasText: /^fetch is undefined$/ }).waitFor();
      // The link's input value seeds the run.
      await shared.locator('pre.text-output', { hasText: /^bins = 7$/ }).waitFor();
      await shared.getByText(/Network blocked/).first().waitFor();
      // Plot is a bundle the page hands the runtime on first use: network blocking leaves that load alone.
      await shared.locator('.figure-content svg').first().waitFor();
      // Output cannot make the page fetch for it either: the image keeps no remote source.
      const image = shared.getByRole('img', { name: 'remote pixel' });
      await image.waitFor({ state: 'attached' });
      expect(await image.getAttribute('src')).toBeNull();
      expect(escaped).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('"Run" keeps network access', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await confineToOrigin(context, new URL(app.site.url).origin);
      const shared = await context.newPage();
      const source = '---\ntitle: Tiny\n---\n\n```js\n`fetch is ${typeof fetch}`\n```\n' + REMOTE_IMAGE_CELL;
      await shared.goto(shareUrl(app.site.url, { source, inputs: {} }).url);
      const prompt = shared.getByRole('dialog', { name: /Run this shared notebook\?/ });
      await prompt.getByRole('button', { name: 'Run', exact: true }).click();
      await shared.locator('pre.text-output', { hasText: /^fetch is function$/ }).waitFor({ timeout: 60_000 });
      const image = shared.getByRole('img', { name: 'remote pixel' });
      expect(await image.getAttribute('src')).toBe('https://example.org/pixel.png');
    } finally {
      await context.close();
    }
  });
});
