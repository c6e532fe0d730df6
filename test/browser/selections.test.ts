/**
 * Linked selections in the built app under a sub-path: a mouse drag on a
 * histogram returns the interval its pixels map to on the chart's own axis,
 * DuckDB's filtered count matches a count of the data file, a pick on a bar
 * returns its row (mouse and keyboard), table row selection returns rows, and
 * all three survive a reload and travel in a share link; on a phone, a touch
 * drag brushes too.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAndServe, openShareLink, waitForEngines, type ServedSite } from './setup/app.ts';
import { launchBrowser, launchPersistent } from './setup/chromium.ts';

const NOTEBOOK = 'test/browser/notebooks/selections.md';
const TIMEOUT = 90_000;
const BRUSHED = /^brushed \[(.+),(.+)\] count: (\d+)$/;

/** The data file, counted here in Node: the reference the page's DuckDB counts are checked against. */
const trips = readFileSync('test/browser/notebooks/data/trips.csv', 'utf8').trim().split('\n').slice(1).map((line) => {
  const [origin, destination, delay] = line.split(',');
  return { origin: origin!, destination: destination!, delay: Number(delay) };
});
const countBetween = (lo: number, hi: number) => trips.filter((t) => t.delay >= lo && t.delay <= hi).length;
const perAirport = (origin: string) => trips.filter((t) => t.origin === origin).length;

let site: ServedSite;
let context: BrowserContext;
let page: Page;
let profile: string;

async function open(): Promise<void> {
  const launched = await launchPersistent(profile || undefined);
  profile = launched.dir;
  context = launched.context;
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(site.url);
  await waitForEngines(page);
}

/** The text output of the cell whose text starts with `prefix`. */
async function shown(target: Page, prefix: string): Promise<string> {
  const output = target.locator('.text-output', { hasText: prefix }).first();
  await output.waitFor({ timeout: TIMEOUT });
  return (await output.innerText()).trim();
}

/** Center x (page pixels) of the brushed chart's x-axis tick label reading `text`. */
async function tickX(text: string): Promise<number> {
  const label = page.locator('.control-brush g[aria-label="x-axis tick label"] text').filter({ hasText: new RegExp(`^${text}$`) }).first();
  const box = (await label.boundingBox())!;
  return box.x + box.width / 2;
}

let interval: [number, number];
let picked: string;
let chosen: string;

beforeAll(async () => {
  site = await buildAndServe(NOTEBOOK);
  profile = '';
  await open();
}, 300_000);

afterAll(async () => {
  await context?.close();
  await site?.close();
});

describe('selections', () => {
  it('a mouse drag on the histogram returns the interval its pixels map to; DuckDB counts it right', { timeout: 240_000 }, async () => {
    await expect.poll(() => shown(page, 'brushed'), { timeout: TIMEOUT }).toBe(`brushed null count: ${trips.length}`);
    // Two ticks of the chart's own axis give its scale.
    const [x0, x100] = [await tickX('0'), await tickX('100')];
    const unitsPerPixel = 100 / (x100 - x0);
    const layer = (await page.getByRole('slider', { name: 'Delay' }).boundingBox())!;
    const y = layer.y + layer.height / 2;
    const [from, to] = [x0 + 10 / unitsPerPixel, x0 + 85 / unitsPerPixel];
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move(to, y, { steps: 12 });
    await page.mouse.up();
    // The last value sent wins: wait until the count shown belongs to the interval shown and that
    // interval ends where the drag ended (an intermediate step may be shown, consistently, before it).
    await expect.poll(async () => {
      const match = BRUSHED.exec(await shown(page, 'brushed'));
      if (!match || Math.abs(Number(match[2]) - 85) > unitsPerPixel * 1.5) return false;
      return Number(match[3]) === countBetween(Number(match[1]), Number(match[2]));
    }, { timeout: TIMEOUT }).toBe(true);
    const match = BRUSHED.exec(await shown(page, 'brushed'))!;
    interval = [Number(match[1]), Number(match[2])];
    // Within a pixel and a half of what the axis says those pixels are.
    expect(Math.abs(interval[0] - 10)).toBeLessThanOrEqual(unitsPerPixel * 1.5);
    expect(Math.abs(interval[1] - 85)).toBeLessThanOrEqual(unitsPerPixel * 1.5);
    expect(Number(match[3])).toBeGreaterThan(0);
    expect(Number(match[3])).toBeLessThan(trips.length);
    // The value is shown as text beside its label, with a clear button.
    await page.getByRole('button', { name: 'Clear Delay' }).waitFor();
  });

  it('the keyboard moves the brush', { timeout: 120_000 }, async () => {
    await page.getByRole('slider', { name: 'Delay' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => {
      const match = BRUSHED.exec(await shown(page, 'brushed'));
      return match ? Number(match[1]) > interval[0] && Number(match[3]) === countBetween(Number(match[1]), Number(match[2])) : false;
    }, { timeout: TIMEOUT }).toBe(true);
    const match = BRUSHED.exec(await shown(page, 'brushed'))!;
    interval = [Number(match[1]), Number(match[2])];
  });

  it('a click on a bar returns its row; Enter on a focused bar picks it; Escape clears', { timeout: 120_000 }, async () => {
    expect(await shown(page, 'picked')).toBe('picked: none');
    await page.getByRole('button', { name: 'ATL', exact: true }).click();
    await expect.poll(() => shown(page, 'picked'), { timeout: TIMEOUT }).toBe(`picked: ATL ${perAirport('ATL')}`);
    await page.getByRole('button', { name: 'DFW', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => shown(page, 'picked'), { timeout: TIMEOUT }).toBe(`picked: DFW ${perAirport('DFW')}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => shown(page, 'picked'), { timeout: TIMEOUT }).toBe('picked: none');
    await page.getByRole('button', { name: 'ATL', exact: true }).click();
    picked = `picked: ATL ${perAirport('ATL')}`;
    await expect.poll(() => shown(page, 'picked'), { timeout: TIMEOUT }).toBe(picked);
  });

  it('selecting table rows returns those rows', { timeout: 120_000 }, async () => {
    const byCount = ['ORD', 'ATL', 'DFW', 'LAX', 'JFK'].sort((a, b) => perAirport(b) - perAirport(a));
    await page.getByRole('checkbox', { name: 'Select row 1 of Airports table' }).check();
    await page.getByRole('checkbox', { name: 'Select row 3 of Airports table' }).check();
    chosen = `chosen: ${[byCount[0]!, byCount[2]!].map((a) => `${a}=${perAirport(a)}`).join(',')}`;
    await expect.poll(() => shown(page, 'chosen'), { timeout: TIMEOUT }).toBe(chosen);
  });

  it('all three survive a reload', { timeout: 240_000 }, async () => {
    await page.waitForTimeout(1500); // saved inputs are written shortly after a change
    await context.close();
    await open();
    await page.waitForFunction(() => !document.querySelector('.cell[data-restored]'), null, { timeout: TIMEOUT });
    await expect.poll(() => shown(page, 'brushed'), { timeout: TIMEOUT })
      .toBe(`brushed [${interval[0]},${interval[1]}] count: ${countBetween(...interval)}`);
    await expect.poll(() => shown(page, 'picked'), { timeout: TIMEOUT }).toBe(picked);
    await expect.poll(() => shown(page, 'chosen'), { timeout: TIMEOUT }).toBe(chosen);
    // The brush is drawn again, and the controls show the values.
    await page.locator('.brush-selection').waitFor();
    await page.getByRole('button', { name: 'Clear Airport', exact: true }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Select row 1 of Airports table' }).isChecked()).toBe(true);
  });

  it('all three travel in a share link', { timeout: 240_000 }, async () => {
    const shared = await openShareLink(page);
    try {
      // Selections do not fit in a URL: Share gives the whole-notebook link.
      expect(shared.kind).toBe('notebook');
      const fresh = shared.page;
      await expect.poll(() => shown(fresh, 'brushed'), { timeout: TIMEOUT })
        .toBe(`brushed [${interval[0]},${interval[1]}] count: ${countBetween(...interval)}`);
      await expect.poll(() => shown(fresh, 'picked'), { timeout: TIMEOUT }).toBe(picked);
      await expect.poll(() => shown(fresh, 'chosen'), { timeout: TIMEOUT }).toBe(chosen);
    } finally {
      await shared.close();
    }
  });
});

describe('selections on a phone', () => {
  it('a touch drag brushes the histogram (the page does not scroll instead), and DuckDB counts it right', { timeout: 240_000 }, async () => {
    const browser = await launchBrowser();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    try {
      const tab = await phone.newPage();
      await tab.goto(site.url);
      await waitForEngines(tab);
      await expect.poll(() => shown(tab, 'brushed'), { timeout: TIMEOUT }).toMatch(/^brushed /);
      const layer = tab.getByRole('slider', { name: 'Delay' });
      await layer.scrollIntoViewIfNeeded();
      const box = (await layer.boundingBox())!;
      const y = box.y + box.height / 2;
      const [from, to] = [box.x + box.width * 0.3, box.x + box.width * 0.7];
      // A finger on the screen: touch events, which Chromium turns into pointer events of type "touch".
      const cdp = await phone.newCDPSession(tab);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x?: number) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: x === undefined ? [] : [{ x, y }] });
      const scrolled = await tab.evaluate(() => window.scrollY);
      await touch('touchStart', from);
      for (let step = 1; step <= 10; step++) await touch('touchMove', from + ((to - from) * step) / 10);
      await touch('touchEnd');
      await expect.poll(async () => {
        const match = BRUSHED.exec(await shown(tab, 'brushed'));
        return match !== null && Number(match[3]) === countBetween(Number(match[1]), Number(match[2])) && Number(match[1]) < Number(match[2]);
      }, { timeout: TIMEOUT }).toBe(true);
      const match = BRUSHED.exec(await shown(tab, 'brushed'))!;
      expect(Number(match[3])).toBeGreaterThan(0);
      expect(Number(match[3])).toBeLessThan(trips.length);
      // A horizontal brush leaves vertical panning to the page, and this drag was horizontal: no scroll.
      expect(await tab.evaluate(() => window.scrollY)).toBe(scrolled);
      await tab.getByRole('button', { name: 'Clear Delay' }).waitFor();
    } finally {
      await phone.close();
      await browser.close();
    }
  });
});
