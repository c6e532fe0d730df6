/**
 * Re-makes the README screenshots from the real production build:
 * `npx tsx docs/screenshots/capture.ts`. Viewport shots (not full pages) keep
 * each PNG small. Every other host is blocked, as a static deployment would be
 * offline-safe.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { ensureAppBundle } from '../../src/cli/app-bundle.ts';
import { build } from '../../src/cli/build.ts';
import { createStaticServer, type RunningServer } from '../../src/cli/static-server.ts';
import { confineToOrigin, launchBrowser } from '../../test/browser/setup/chromium.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = resolve(HERE, '..', '..', 'examples');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** DuckDB compiles 34 MB of wasm at start; on a busy machine that takes a while. */
const READY_TIMEOUT = 180_000;

/** Opens `url` in a fresh context confined to its origin. */
async function open(browser: Browser, url: string, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options);
  await confineToOrigin(context, new URL(url).origin);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Waits for both engines and for `text` (an output that proves the first run finished). */
async function ready(page: Page, text: string): Promise<void> {
  // The status line is hidden at phone width: attached is enough.
  await page.getByText('DuckDB ready').waitFor({ state: 'attached', timeout: READY_TIMEOUT });
  await page.getByText('Runtime ready').waitFor({ state: 'attached', timeout: READY_TIMEOUT });
  await page.getByText(text).first().waitFor({ timeout: READY_TIMEOUT });
  await page.locator('.figure-content svg').first().waitFor({ timeout: READY_TIMEOUT });
  // Let the last outputs paint and fonts settle before the shot.
  await page.waitForTimeout(1500);
}

/** Builds one example into a temp dir and serves it. */
async function serveExample(name: string, appDir: string): Promise<RunningServer> {
  const out = mkdtempSync(join(tmpdir(), `brook-shot-${name}-`));
  await build({ input: join(EXAMPLES, `${name}.md`), out, appDir });
  return createStaticServer({ root: out }).listen(0, '127.0.0.1');
}

async function main(): Promise<void> {
  const { dir: appDir } = await ensureAppBundle({ log: (m) => console.log(m) });
  const shot = (page: Page, file: string) => {
    console.log(`writing ${file}`);
    return page.screenshot({ path: join(HERE, file) });
  };
  const browser = await launchBrowser();
  const servers: RunningServer[] = [];
  try {
    // The studio home lists the examples from examples/index.json.
    const studio = await createStaticServer({ root: appDir, mounts: { 'examples/': EXAMPLES } }).listen(0, '127.0.0.1');
    servers.push(studio);
    const home = await open(browser, studio.url, { viewport: DESKTOP });
    await home.getByText('Three million flights').first().waitFor({ timeout: READY_TIMEOUT });
    await home.waitForTimeout(1000);
    await shot(home, 'studio-home.png');

    // One example: app mode, notebook mode, phone.
    const weather = await serveExample('weather', appDir);
    servers.push(weather);
    const app = await open(browser, weather.url, { viewport: DESKTOP });
    await ready(app, 'Temperature through 2014');
    await shot(app, 'weather-app.png');
    await app.getByText('Notebook', { exact: true }).click();
    await app.locator('.cm-editor').first().waitFor({ timeout: READY_TIMEOUT });
    await app.waitForTimeout(1500);
    await shot(app, 'weather-notebook.png');

    const phone = await open(browser, weather.url, { viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await ready(phone, 'Temperature through 2014');
    await phone.getByText('Temperature through 2014').first().scrollIntoViewIfNeeded();
    await phone.evaluate(() => window.scrollBy(0, -260));
    await phone.waitForTimeout(500);
    await shot(phone, 'weather-phone.png');

    // Dark mode, on the wide 3-million-row example.
    const flights = await serveExample('flights', appDir);
    servers.push(flights);
    const dark = await open(browser, flights.url, { viewport: DESKTOP, colorScheme: 'dark' });
    await ready(dark, 'Worst routes');
    await dark.locator('.metric-value').first().waitFor({ timeout: READY_TIMEOUT });
    await shot(dark, 'flights-dark.png');
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.close()));
  }
}

await main();
