/**
 * Builds a notebook with the real `brook build` and serves it the way a CDN
 * would: a plain static server, no special headers, under a sub-path, with
 * every request to another origin blocked and recorded.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureAppBundle } from '../../../src/cli/app-bundle.ts';
import { build } from '../../../src/cli/build.ts';
import { createStaticServer, type RequestLogEntry, type RunningServer } from '../../../src/cli/static-server.ts';
import { collectErrors, confineToOrigin, launchBrowser } from './chromium.ts';

/** Where built apps are served, to prove relative URLs work under any sub-path. */
export const SUB_PATH = '/team/apps/brook/';

export interface ServedSite {
  url: string;
  out: string;
  requests: RequestLogEntry[];
  close(): Promise<void>;
}

/** `brook build <input>` into a temp dir, served under {@link SUB_PATH}. */
export async function buildAndServe(input: string): Promise<ServedSite> {
  const appDir = process.env.BROOK_APP_DIR ?? (await ensureAppBundle()).dir;
  const out = mkdtempSync(join(tmpdir(), 'brook-site-'));
  await build({ input, out, appDir });
  return serve(out);
}

/** A built site, a browser, and one desktop context confined to the site's origin (pages of a site share it). */
export interface SiteFixture {
  browser: Browser;
  site: ServedSite;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Builds `input` (a notebook or a folder), serves it and opens a context on it; `close` undoes all three. */
export async function openSite(input: string): Promise<SiteFixture> {
  const browser = await launchBrowser();
  const site = await buildAndServe(input);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await confineToOrigin(context, new URL(site.url).origin);
  return {
    browser, site, context,
    close: async () => {
      await context.close();
      await site.close();
      await browser.close();
    },
  };
}

/** Serves a directory under {@link SUB_PATH}, logging every request. */
export async function serve(root: string): Promise<ServedSite> {
  const requests: RequestLogEntry[] = [];
  const running: RunningServer = await createStaticServer({
    root,
    basePath: SUB_PATH,
    onRequest: (entry) => requests.push(entry),
  }).listen(0, '127.0.0.1');
  return { url: running.url, out: root, requests, close: () => running.close() };
}

export interface OpenedApp {
  page: Page;
  context: BrowserContext;
  site: ServedSite;
  /** Requests that tried to leave the app's origin (blocked). */
  escaped: string[];
  /** Page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Builds `notebook`, serves it, and opens it in a fresh context of `browser`. */
export async function openBuiltNotebook(browser: Browser, notebook: string): Promise<OpenedApp> {
  const site = await buildAndServe(notebook);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const escaped = await confineToOrigin(context, new URL(site.url).origin);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(site.url);
  return {
    page,
    context,
    site,
    escaped,
    errors,
    async close() {
      await context.close();
      await site.close();
    },
  };
}

/**
 * Waits until the status line says both engines are ready. DuckDB compiles
 * 34 MB of wasm at start: ~2 s on an idle machine, far more on a busy one.
 */
export async function waitForEngines(page: Page, timeout = 120_000): Promise<void> {
  await page.getByText('DuckDB ready').waitFor({ timeout });
  await page.getByText('Runtime ready').waitFor({ timeout });
}

/**
 * Opens the Share dialog's link of `page` in a fresh browser (another
 * machine, as far as saved state goes): a whole-notebook link (`#/s/…`) is
 * run past the trust prompt; a view link (`?…`, the site's own notebook)
 * has none. `kind` says which link the dialog gave. `close` closes that browser.
 */
export async function openShareLink(page: Page): Promise<{ page: Page; kind: 'notebook' | 'view'; close(): Promise<void> }> {
  await page.getByRole('button', { name: /share/i }).click();
  const link = await page.getByRole('textbox', { name: /share link/i }).inputValue();
  const kind = new URL(link).hash.startsWith('#/s/') ? 'notebook' : 'view';
  const browser = await launchBrowser();
  try {
    const fresh = await browser.newPage();
    await fresh.goto(link);
    if (kind === 'notebook') await fresh.getByRole('dialog', { name: /Run this shared notebook\?/ }).getByRole('button', { name: 'Run', exact: true }).click();
    return { page: fresh, kind, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
