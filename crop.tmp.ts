import { writeFileSync } from 'node:fs';
import { launchBrowser } from './test/browser/setup/chromium.ts';
const [width, step] = [Number(process.argv[2]), Number(process.argv[3] ?? 900)];
const browser = await launchBrowser();
for (const file of process.argv.slice(4)) {
  const page = await browser.newPage({ viewport: { width, height: step } });
  writeFileSync('/tmp/x/view.html', `<html><body style="margin:0"><img style="display:block" src="file://${file}"></body></html>`);
  await page.goto('file:///tmp/x/view.html');
  await page.waitForFunction(() => document.images[0]!.complete);
  const h = await page.evaluate(() => document.images[0]!.naturalHeight);
  const base = file.split('/').pop()!.replace('.png', '');
  for (let y = 0, i = 0; y < h; y += step, i++) {
    await page.screenshot({ path: `/tmp/x/${base}-${i}.png`, clip: { x: 0, y, width, height: Math.min(step, h - y) }, fullPage: true });
    console.log(`/tmp/x/${base}-${i}.png`);
  }
  await page.close();
}
await browser.close();
