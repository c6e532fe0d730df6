/**
 * Notebook code is untrusted: it cannot reach the page DOM, storage or
 * cookies, and nothing it renders (HTML, Markdown, SVG, table cells, file
 * names) runs script on the page.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openBuiltNotebook, waitForEngines, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';
import { dropFiles } from './setup/drop.ts';

let browser: Browser;
let app: OpenedApp;
let dialogs = 0;

const pwned = () => app.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0);

beforeAll(async () => {
  browser = await launchBrowser();
  app = await openBuiltNotebook(browser, 'test/browser/notebooks/isolation.md');
  app.page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await app.page.getByText(/^reach:/).waitFor();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('isolation', () => {
  it('notebook code cannot reach the DOM, storage, cookies or new workers', async () => {
    const reach = await app.page.getByText(/^reach:/).textContent();
    for (const name of ['document', 'window', 'indexedDB', 'localStorage', 'caches', 'cookieStore', 'Worker', 'importScripts']) {
      expect(reach).toContain(`${name}=undefined`);
    }
    await app.page.getByText('indexedDB via prototype: none').waitFor();
    await app.page.getByText('storage probe: no indexedDB').waitFor();
  });

  it('sanitizes html, markdown and table output: no script runs, content survives', async () => {
    await app.page.locator('#bold-survives, [id$="bold-survives"]').first().waitFor();
    await app.page.getByText('markdown survives').waitFor();
    await app.page.getByText('<img src=z onerror="window.__pwned = 11">').waitFor();
    // Clicking the neutralized links runs nothing.
    for (const link of await app.page.getByRole('link').all()) {
      const href = (await link.getAttribute('href')) ?? '';
      expect(href.toLowerCase()).not.toContain('javascript:');
    }
    // Brook's own inline scripts (src/client/own-view-mark.ts, and the build's engine boot of src/cli/app-page.ts)
    // are the only ones the page may have.
    expect(await app.page.locator('script:not([src]):not([type="application/json"]):not(#brook-own-view):not([data-brook-engine])').count()).toBe(0);
    expect(await app.page.locator('script#brook-own-view').count()).toBe(1);
    expect(await app.page.locator('script[data-brook-engine]').count()).toBeLessThanOrEqual(1);
    expect(await pwned()).toBe(0);
  });

  it('a dropped file with markup in its name is shown as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-xss-'));
    const path = join(dir, '<img src=q onerror="window.__pwned=21">.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    await waitForEngines(app.page);
    await dropFiles(app.page, [path]);
    await app.page.waitForTimeout(1500);
    expect(await pwned()).toBe(0);
  });

  it('the XSS corpus runs no script through html or markdown output', async () => {
    const corpusFile = 'test/security/xss-corpus.json';
    expect(existsSync(corpusFile)).toBe(true);
    const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as unknown;
    const payloads = (corpus as { cases: { kind: string; input: string }[] }).cases
      .filter((c) => c.kind === 'html' || c.kind === 'figure')
      .map((c) => c.input);
    expect(payloads.length).toBeGreaterThan(10);
    const dir = mkdtempSync(join(tmpdir(), 'brook-corpus-'));
    const notebook = join(dir, 'corpus.md');
    const cells = payloads.map(
      (payload, i) => `\`\`\`js\ndisplay(html(${JSON.stringify(payload)}));\ndisplay(md(${JSON.stringify(payload)}));\n\`payload ${i} rendered\`\n\`\`\``,
    );
    writeFileSync(notebook, `# Corpus\n\n${cells.join('\n\n')}\n`);
    const corpusApp = await openBuiltNotebook(browser, notebook);
    try {
      let corpusDialogs = 0;
      corpusApp.page.on('dialog', (dialog) => {
        corpusDialogs++;
        void dialog.dismiss();
      });
      await corpusApp.page.getByText(`payload ${payloads.length - 1} rendered`).waitFor({ timeout: 60_000 });
      // Give load/error handlers a moment to fire.
      await corpusApp.page.mouse.move(200, 200);
      await corpusApp.page.waitForTimeout(1000);
      const hits = await corpusApp.page.evaluate(() => {
        const w = window as unknown as { __pwned?: unknown; __xss?: unknown };
        return { pwned: w.__pwned ?? null, xss: w.__xss ?? null };
      });
      // Every corpus payload sets window.__xss when it runs.
      expect(hits).toEqual({ pwned: null, xss: null });
      expect(corpusDialogs).toBe(0);
    } finally {
      await corpusApp.close();
    }
  });

  it('showed no dialog and made no request off the origin', () => {
    expect(dialogs).toBe(0);
    expect(app.escaped).toEqual([]);
  });
});

describe('a broken share link', () => {
  it('says what is wrong and leads back to the app', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.site.url}#/s/not-a-real-share-payload`);
    await page.getByRole('alert').getByText('This notebook could not be opened').waitFor();
    await page.getByRole('link', { name: 'Open this app' }).click();
    await page.getByText(/^reach:/).waitFor({ timeout: 60_000 });
    await page.close();
  });
});
