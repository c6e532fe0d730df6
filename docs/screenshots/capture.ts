/**
 * Re-makes the screenshots from the real production build:
 * `npx tsx docs/screenshots/capture.ts` (`--readme-only`, `--examples-only`
 * for one half). The README's shots are viewport
 * shots (small PNGs); `examples/` gets every example of examples/index.json
 * as a whole page at desktop (1280) and phone (390) width, with its charts on
 * screen, for looking over every chart at once. Every other host is blocked,
 * as a static deployment would be offline-safe.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { ensureAppBundle } from '../../src/cli/app-bundle.ts';
import { build } from '../../src/cli/build.ts';
import { createStaticServer, type RunningServer } from '../../src/cli/static-server.ts';
import { confineToOrigin, launchBrowser } from '../../test/browser/setup/chromium.ts';
import { exampleSettled, showExample } from '../../test/browser/setup/example-views.ts';

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
  // Attached is enough: the status line may be scrolled away on a long page.
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

/** Every example at desktop and phone width, whole pages, into `examples/<name>-<desktop|phone>.png`. */
async function captureExamples(browser: Browser, appDir: string, shot: (page: Page, file: string, fullPage?: boolean) => Promise<unknown>): Promise<void> {
  const index: { path: string }[] = JSON.parse(readFileSync(join(EXAMPLES, 'index.json'), 'utf8'));
  mkdirSync(join(HERE, 'examples'), { recursive: true });
  for (const { path } of index) {
    const name = path.replace(/\.md$/, '');
    const server = await serveExample(name, appDir);
    try {
      for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        const page = await open(browser, server.url, { viewport, deviceScaleFactor: 1, isMobile: size === 'phone', hasTouch: size === 'phone' });
        await showExample(page, path, EXAMPLES);
        await exampleSettled(page, path, READY_TIMEOUT);
        // Let re-draws at the measured width land, and fonts settle.
        await page.waitForTimeout(1500);
        await shot(page, `examples/${name}-${size}.png`, true);
        await page.context().close();
      }
    } finally {
      await server.close();
    }
  }
}

async function main(): Promise<void> {
  const { dir: appDir } = await ensureAppBundle({ log: (m) => console.log(m) });
  const shot = (page: Page, file: string, fullPage = false) => {
    console.log(`writing ${file}`);
    return page.screenshot({ path: join(HERE, file), fullPage });
  };
  const browser = await launchBrowser();
  const servers: RunningServer[] = [];
  try {
    if (!process.argv.includes('--examples-only')) await captureReadme(browser, appDir, servers, shot);
    if (!process.argv.includes('--readme-only')) await captureExamples(browser, appDir, shot);
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.close()));
  }
}

/** The README's shots: the studio home; the weather example in app mode, notebook mode and on a phone; flights in dark mode. */
async function captureReadme(browser: Browser, appDir: string, servers: RunningServer[], shot: (page: Page, file: string) => Promise<unknown>): Promise<void> {
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
  // The chart, drawn at the phone's width, under the last metric card.
  const heading = phone.getByText('Temperature through 2014').first();
  await heading.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 230));
  await phone.waitForTimeout(500);
  await shot(phone, 'weather-phone.png');

  // Dark mode, on the wide 3-million-row example.
  const flights = await serveExample('flights', appDir);
  servers.push(flights);
  const dark = await open(browser, flights.url, { viewport: DESKTOP, colorScheme: 'dark' });
  await ready(dark, 'Worst routes');
  await dark.locator('.metric-value').first().waitFor({ timeout: READY_TIMEOUT });
  await shot(dark, 'flights-dark.png');
}

await main();
