/**
 * Debian's Chromium driven by playwright-core. Flags are what headless Chromium
 * needs as root on this kind of machine (no sandbox, no background network);
 * every launch gets a fresh profile unless a test asks for a persistent one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.BROOK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a fresh, throw-away profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A persistent profile in `dir` (created when omitted): survives `close()` and a new launch. */
export async function launchPersistent(dir = mkdtempSync(join(tmpdir(), 'brook-profile-'))): Promise<{ context: BrowserContext; dir: string }> {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return { context, dir };
}

/**
 * Blocks every request that leaves `origin` and records it, so a test can
 * assert that the app makes no request to any other host.
 */
export async function confineToOrigin(context: BrowserContext, origin: string): Promise<string[]> {
  const escaped: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    escaped.push(url);
    return route.abort('blockedbyclient');
  });
  return escaped;
}

/** Collects page errors and console errors, to show them when a test fails. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
