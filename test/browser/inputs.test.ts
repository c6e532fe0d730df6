/**
 * The date range and the multi-select combobox in the built app under a
 * sub-path: a range set through its two date fields filters a SQL cell
 * (the count checked against the data file counted here in Node), a wrong
 * `dateRange` option is a message on its own cell, and the combobox is
 * driven as a person would — type to filter, pick without Ctrl (Enter and a
 * click), remove a chip (✕ and Backspace), Select all / None — with the
 * chosen values kept across a reload and carried by a share link.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildAndServe, openShareLink, waitForEngines, type ServedSite } from './setup/app.ts';
import { collectErrors, launchPersistent } from './setup/chromium.ts';

const NOTEBOOK = 'test/browser/notebooks/inputs.md';
const TIMEOUT = 60_000;
const REGIONS = ['North', 'South', 'East', 'West'];

/** The data file, read here in Node: the reference DuckDB's filtered counts are checked against. */
const sales = readFileSync('test/browser/notebooks/data/sales.csv', 'utf8').trim().split('\n').slice(1).map((line) => {
  const [day, region] = line.split(',');
  return { day: day!, region: region! };
});

/** The line the notebook prints for a period and a choice of regions (none chosen counts every region). */
function expected(from: string, to: string, regions: string[]): string {
  const rows = sales.filter((s) => s.day >= from && s.day <= to && (regions.length === 0 || regions.includes(s.region)));
  const days = rows.map((r) => r.day).sort();
  const names = regions.length === 0 ? '(none)' : regions.join('+');
  return `period ${from} to ${to} regions ${names} rows ${rows.length} from ${days[0]} to ${days.at(-1)}`;
}

let site: ServedSite;
let context: BrowserContext;
let page: Page;
let errors: string[];

/** The notebook's summary line, once it reads `text`. */
async function shows(text: string): Promise<void> {
  const output = page.locator('pre.text-output', { hasText: /^period / }).first();
  try {
    await expect.poll(async () => (await output.innerText().catch(() => '')).trim(), { timeout: TIMEOUT }).toBe(text);
  } catch (error) {
    // What the page showed, to tell a control that lost a choice from a runtime that did not re-run.
    const seen = {
      chips: await chips(),
      status: await page.locator('.status-line, .status').allInnerTexts().catch(() => []),
      cellErrors: await page.locator('.cell-error').allInnerTexts(),
      errors,
    };
    throw new Error(`${(error as Error).message}\npage: ${JSON.stringify(seen)}`);
  }
}

const combobox = (): Locator => page.getByRole('combobox', { name: 'Regions' });
const chips = () => page.locator('.multi-select-chip-text').allInnerTexts();

beforeAll(async () => {
  site = await buildAndServe(NOTEBOOK);
  const launched = await launchPersistent();
  context = launched.context;
  page = context.pages()[0] ?? (await context.newPage());
  errors = collectErrors(page);
  await page.goto(site.url);
  await waitForEngines(page);
}, 300_000);

afterAll(async () => {
  await context?.close();
  await site?.close();
});

describe('dateRange', () => {
  it('filters a SQL cell by the range set in its two date fields', { timeout: 120_000 }, async () => {
    await shows(expected('2024-01-01', '2024-01-31', ['North']));
    const from = page.getByLabel('Period from', { exact: true });
    const to = page.getByLabel('Period to', { exact: true });
    expect(await from.inputValue()).toBe('2024-01-01');
    // The bounds came from a query's DATE column: the first and last day in the file.
    const days = sales.map((s) => s.day).sort();
    expect(await to.getAttribute('min')).toBe(days[0]);
    expect(await to.getAttribute('max')).toBe(days.at(-1));
    await to.fill('2024-04-05');
    await shows(expected('2024-01-01', '2024-04-05', ['North']));
    await from.fill('2024-03-10');
    await shows(expected('2024-03-10', '2024-04-05', ['North']));
    // Moving the start past the end moves the end with it: the ends never cross.
    await from.fill('2024-06-01');
    await shows(expected('2024-06-01', '2024-06-01', ['North']));
    expect(await to.inputValue()).toBe('2024-06-01');
    // The keyboard: arrows step the focused part of the date (in Chromium's en-US layout, the month first).
    await to.focus();
    await page.keyboard.press('ArrowUp');
    await shows(expected('2024-06-01', '2024-07-01', ['North']));
  });

  it('a wrong option is a message on the cell that made the widget', async () => {
    const broken = page.locator('.cell-error', { hasText: 'dateRange("Broken")' });
    await broken.waitFor({ timeout: TIMEOUT });
    expect(await broken.locator('.cell-error-message').innerText()).toBe(
      'dateRange("Broken"): value starts "2024-05-01" after it ends "2024-03-01"; give [from, to] with from on or before to.',
    );
    // The place is the widget call in the notebook file.
    const lines = readFileSync(NOTEBOOK, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('dateRange("Broken"'));
    expect(await broken.locator('.cell-error-place').innerText()).toBe(`notebook line ${at + 1}:${lines[at]!.indexOf('dateRange') + 1}`);
    const misspelt = page.locator('.cell-error', { hasText: 'dateRange("Misspelt")' });
    expect(await misspelt.locator('.cell-error-message').innerText()).toBe(
      'dateRange("Misspelt"): value[0] "2024-02-30" is not a date; write it as "YYYY-MM-DD" text or a Date.',
    );
    // The failing widgets draw no control.
    expect(await page.getByLabel('Broken from').count()).toBe(0);
  });
});

describe('multi-select combobox', () => {
  const range: [string, string] = ['2024-06-01', '2024-07-01'];

  it('types to filter and picks two without Ctrl', { timeout: 120_000 }, async () => {
    expect(await chips()).toEqual(['North']);
    const box = combobox();
    await box.click();
    await expect.poll(() => box.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('option').allInnerTexts()).toEqual(REGIONS);
    await box.pressSequentially('so');
    expect(await page.getByRole('option').allInnerTexts()).toEqual(['South']);
    await page.keyboard.press('Enter');
    await shows(expected(...range, ['North', 'South']));
    // The search is cleared for the next pick; a click adds without Ctrl.
    expect(await box.inputValue()).toBe('');
    await box.pressSequentially('WE');
    await page.getByRole('option', { name: 'West' }).click();
    await shows(expected(...range, ['North', 'South', 'West']));
    expect(await chips()).toEqual(['North', 'South', 'West']);
    expect(await page.getByRole('option', { name: 'West' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByText('3 of 4 selected').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => box.getAttribute('aria-expanded')).toBe('false');
  });

  it('removes one chip by its ✕ and one by Backspace', async () => {
    await page.getByRole('button', { name: 'Remove North' }).click();
    await shows(expected(...range, ['South', 'West']));
    await combobox().focus();
    await page.keyboard.press('Backspace');
    await shows(expected(...range, ['South']));
    expect(await chips()).toEqual(['South']);
  });

  it('keyboard only: arrows move through the list, Enter toggles', async () => {
    await combobox().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await combobox().getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).innerText()).toBe('South');
    await page.keyboard.press('Enter');
    await shows(expected(...range, []));
    await page.keyboard.press('Enter');
    await shows(expected(...range, ['South']));
    await page.keyboard.press('Escape');
  });

  it('Select all and None; none selected is a stated state and counts every region', async () => {
    await page.getByRole('button', { name: 'Select all Regions' }).click();
    await shows(expected(...range, REGIONS));
    expect(await page.getByText('All 4 selected').count()).toBe(1);
    await page.getByRole('button', { name: 'Select none of Regions' }).click();
    await shows(expected(...range, []));
    expect(await chips()).toEqual([]);
    expect(await page.locator('.multi-select-status').innerText()).toBe('None selected');
    expect(await combobox().getAttribute('aria-describedby')).toBeTruthy();
  });

  it('a reload keeps the chosen regions and the range', { timeout: 180_000 }, async () => {
    await combobox().click();
    await page.getByRole('option', { name: 'East' }).click();
    await page.getByRole('option', { name: 'North' }).click();
    // Options' order, whatever order they were picked in.
    await shows(expected(...range, ['North', 'East']));
    // Saves are debounced (250 ms); a reload sooner than that can beat the write (as in persistence.test.ts).
    await page.waitForTimeout(600);
    await page.reload();
    await waitForEngines(page);
    await shows(expected(...range, ['North', 'East']));
    expect(await chips()).toEqual(['North', 'East']);
    expect(await page.getByLabel('Period from', { exact: true }).inputValue()).toBe(range[0]);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('the range and the regions travel in a share link', { timeout: 240_000 }, async () => {
    const shared = await openShareLink(page);
    try {
      const fresh = shared.page;
      const line = fresh.locator('pre.text-output', { hasText: /^period / }).first();
      await expect.poll(async () => (await line.innerText().catch(() => '')).trim(), { timeout: TIMEOUT }).toBe(expected(...range, ['North', 'East']));
      expect(await fresh.locator('.multi-select-chip-text').allInnerTexts()).toEqual(['North', 'East']);
      expect(await fresh.getByLabel('Period to', { exact: true }).inputValue()).toBe(range[1]);
    } finally {
      await shared.close();
    }
  });
});
