import { chromium } from 'playwright-core';
const [url, out, scheme = 'light', w = '1280', h = '800', ...scrolls] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: +w, height: +h }, colorScheme: scheme as 'light' });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
await page.goto(url);
await page.waitForTimeout(Number(process.env.WAIT ?? 2500));
const ys = scrolls.length ? scrolls.map(Number) : [0];
for (const [i, y] of ys.entries()) {
  await page.evaluate((y) => window.scrollTo(0, y), y);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}-${i}.png` });
}
await browser.close();
