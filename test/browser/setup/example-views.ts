/**
 * How to bring every chart of each example on screen, as a reader would:
 * shared by the chart test and the screenshot script, so both look at the
 * same views.
 */
import type { Page } from 'playwright-core';

export interface ExampleView {
  /** Charts (Plot figures) on screen once the example is prepared and has run. */
  figures: number;
  /** What a reader does first to see them (pick a file, …). */
  prepare?: (page: Page, examplesDir: string) => Promise<void>;
}

/** Keyed by the example's path in examples/index.json. */
export const EXAMPLE_VIEWS: Record<string, ExampleView> = {
  'weather.md': { figures: 2 },
  'stocks.md': { figures: 1 },
  'cars.md': { figures: 2 },
  'flights.md': { figures: 3 },
  'birdstrikes.md': { figures: 2 },
  'drop-your-own.md': {
    figures: 1,
    prepare: async (page, examplesDir) => {
      await page.getByLabel('Data file', { exact: true }).setInputFiles(`${examplesDir}/data/seattle-weather.csv`);
    },
  },
};

/** Waits until both engines say they are ready (attached is enough: the status line may be scrolled away or folded on a narrow screen). */
export async function enginesReady(page: Page, timeout = 180_000): Promise<void> {
  for (const status of ['DuckDB ready', 'Runtime ready']) await page.getByText(status).waitFor({ state: 'attached', timeout });
}

/** Opens every closed expander, so the charts inside are laid out. */
export async function openExpanders(page: Page): Promise<void> {
  for (const summary of await page.locator('details.layout-expander:not([open]) > summary').all()) await summary.click();
}

/** Prepares `path`'s view: engines ready, the reader's first steps done, expanders open. */
export async function showExample(page: Page, path: string, examplesDir: string): Promise<void> {
  await enginesReady(page);
  await EXAMPLE_VIEWS[path]?.prepare?.(page, examplesDir);
  await openExpanders(page);
}

/** Charts drawn and on screen (a figure with a laid-out `<svg>`). */
export async function visibleFigures(page: Page): Promise<number> {
  return page.locator('.figure-output').evaluateAll(
    (outputs) => outputs.filter((output) => output.checkVisibility() && [...output.querySelectorAll('svg')].some((svg) => svg.getBoundingClientRect().width > 0)).length,
  );
}

/** Resolves once `path`'s charts are all drawn and no cell is running (or throws after `timeout`). */
export async function exampleSettled(page: Page, path: string, timeout = 180_000): Promise<void> {
  const expected = EXAMPLE_VIEWS[path]?.figures ?? 0;
  const deadline = Date.now() + timeout;
  for (;;) {
    const drawn = await visibleFigures(page);
    const busy = await page.locator('.cell[aria-busy="true"]').count();
    if (drawn >= expected && busy === 0) return;
    if (Date.now() > deadline) throw new Error(`${path}: ${drawn} of ${expected} charts drawn, ${busy} cells running after ${timeout} ms`);
    await page.waitForTimeout(250);
  }
}
