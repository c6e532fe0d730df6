/**
 * Builds a notebook with the real `brook build` and serves it the way a CDN
 * would: a plain static server, no special headers, under a sub-path, with
 * every request to another origin blocked and recorded.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

/**
 * `brook build <input>` into a temp dir, served under {@link SUB_PATH}. A
 * build is made once per app bundle and input content (test files build the
 * same examples, and a build is seconds of CPU the suite's time cannot spare);
 * each caller serves its own hard-linked copy, so a test may delete what it
 * serves. Notebooks written to a temp dir by a test are built afresh.
 */
export async function buildAndServe(input: string): Promise<ServedSite> {
  const appDir = process.env.BROOK_APP_DIR ?? (await ensureAppBundle()).dir;
  const out = mkdtempSync(join(tmpdir(), 'brook-site-'));
  if (resolve(input).startsWith(realpathSync(tmpdir()))) {
    await build({ input, out, appDir });
    return serve(out, true);
  }
  const built = join(buildCache(appDir), inputKey(input));
  if (!existsSync(built)) {
    const fresh = mkdtempSync(join(tmpdir(), 'brook-site-'));
    await build({ input, out: fresh, appDir });
    renameSync(fresh, built);
  }
  linkTree(built, out);
  return serve(out, true);
}

/** The cache folder of this app bundle; folders of older bundles are removed. */
function buildCache(appDir: string): string {
  const bundle = statSync(join(appDir, 'index.html'));
  const id = createHash('sha256').update(`${resolve(appDir)}:${bundle.mtimeMs}:${bundle.size}`).digest('hex').slice(0, 16);
  const root = join(tmpdir(), 'brook-test-builds');
  mkdirSync(join(root, id), { recursive: true });
  for (const other of readdirSync(root)) if (other !== id) rmSync(join(root, other), { recursive: true, force: true });
  return join(root, id);
}

/** What a build of `input` reads: the notebook, and every file beside it (its data), by path, size and time. */
function inputKey(input: string): string {
  const hash = createHash('sha256').update(resolve(input));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${path}:${size}:${mtimeMs}`);
      }
    }
  };
  walk(statSync(input).isDirectory() ? input : dirname(input));
  return hash.digest('hex').slice(0, 24);
}

/** `from`'s files hard-linked into `to` (no bytes copied; deleting one in `to` leaves the cache whole). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(from, entry.name), join(to, entry.name));
    else linkSync(join(from, entry.name), join(to, entry.name));
  }
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

/** Serves a directory under {@link SUB_PATH}, logging every request; `owned`: remove the directory on close. */
export async function serve(root: string, owned = false): Promise<ServedSite> {
  const requests: RequestLogEntry[] = [];
  const running: RunningServer = await createStaticServer({
    root,
    basePath: SUB_PATH,
    onRequest: (entry) => requests.push(entry),
  }).listen(0, '127.0.0.1');
  return {
    url: running.url, out: root, requests,
    close: async () => {
      await running.close();
      if (owned) rmSync(root, { recursive: true, force: true });
    },
  };
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
