/**
 * Screenshots of the UI for visual review: `npx tsx test/app/capture-screens.ts <base-url> <out-dir> [path…]`.
 * Each path is captured at desktop (1280×800) and phone (390×844) size, light and dark.
 */
import { chromium } from 'playwright-core';

const [base = 'http://localhost:5179/', out = '/tmp/brook-shots', ...paths] = process.argv.slice(2);
const targets = paths.length ? paths : ['?', '?mode=notebook', '?studio'];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    for (const target of targets) {
      await page.goto(new URL(target, base).href);
      await page.waitForTimeout(2500);
      const file = `${out}/${name}-${scheme}-${target.replace(/[^a-z0-9]+/gi, '_') || 'root'}.png`;
      await page.screenshot({ path: file, fullPage: name === 'desktop' });
      console.log(file);
    }
    await context.close();
  }
}
await browser.close();
