/**
 * Screenshots of outputs while a cell runs and of authoring in the page, at
 * desktop (1280) and phone (390) width, from the real production build:
 * `npx tsx docs/screenshots/capture-authoring.ts` → `docs/screenshots/authoring/`
 * (a progress bar mid-run with streamed output, a toast, the ⋯ menu open, the
 * front-matter form).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ensureAppBundle } from '../../src/cli/app-bundle.ts';
import { build } from '../../src/cli/build.ts';
import { createStaticServer } from '../../src/cli/static-server.ts';
import { confineToOrigin, launchBrowser } from '../../test/browser/setup/chromium.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'authoring');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** A notebook that loads months one by one and stops at May until "Continue" is pressed. */
const NOTEBOOK = `---
title: Monthly orders
data:
  trips: data/trips.csv
---
# Monthly orders

Each month is loaded in turn; the bar and the lines below it appear while the cell runs.

\`\`\`js
const go = button("Continue")
if (go) state.continued = (state.continued ?? 0) + 1;
\`\`\`

\`\`\`js
const started = Date.now();
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const seen = state.continued ?? 0;
for (const [i, month] of months.entries()) {
  progress(i / months.length, {label: \`Loading \${month} (\${i + 1} of 12)\`});
  if (i === 4) {
    toast("January to April are loaded");
    while ((state.continued ?? 0) === seen) await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 150));
  display(\`\${month}: \${(1200 + i * 137) % 911 + 300} orders\`);
}
progress(1, {label: "All 12 months loaded"});
\`\`\`

\`\`\`sql by_origin
SELECT origin, count(*) AS flights FROM trips GROUP BY origin ORDER BY flights DESC
\`\`\`
`;

async function main(): Promise<void> {
  const { dir: appDir } = await ensureAppBundle({ log: (m) => console.log(m) });
  const work = mkdtempSync(join(tmpdir(), 'brook-authoring-shots-'));
  mkdirSync(join(work, 'data'));
  copyFileSync(resolve(HERE, '../../test/browser/notebooks/data/trips.csv'), join(work, 'data', 'trips.csv'));
  writeFileSync(join(work, 'orders.md'), NOTEBOOK);
  const out = join(work, 'site');
  await build({ input: join(work, 'orders.md'), out, appDir });
  const server = await createStaticServer({ root: out }).listen(0, '127.0.0.1');
  mkdirSync(OUT, { recursive: true });
  const browser = await launchBrowser();
  const shot = (page: Page, name: string) => {
    console.log(`writing authoring/${name}.png`);
    return page.screenshot({ path: join(OUT, `${name}.png`) });
  };
  try {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const phone = size === 'phone';
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, isMobile: phone, hasTouch: phone });
      await confineToOrigin(context, new URL(server.url).origin);
      const page = await context.newPage();
      await page.goto(server.url);
      // Mid-run: four months shown, the bar at 4/12, and the toast.
      await page.getByText('Apr:').waitFor({ timeout: 180_000 });
      await page.locator('.toasts .toast').first().waitFor();
      await page.waitForTimeout(300);
      await shot(page, `progress-toast-${size}`);
      await page.locator('.toasts .toast').first().waitFor({ state: 'detached', timeout: 15_000 });
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menu', { name: 'More actions' }).waitFor();
      await shot(page, `menu-${size}`);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Notebook', exact: true }).click();
      await page.locator('details.front-matter-form summary').click();
      await page.locator('.cm-editor').first().waitFor();
      await page.waitForTimeout(800);
      await shot(page, `front-matter-${size}`);
      const sql = page.locator('section.cell.cell-sql');
      await sql.scrollIntoViewIfNeeded();
      await sql.hover();
      await sql.getByRole('button', { name: 'Cell options' }).click();
      await page.waitForTimeout(300);
      await shot(page, `cell-menu-${size}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
