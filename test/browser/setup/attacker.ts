/**
 * The attacker of the escape tests: a logging HTTP server on loopback that
 * answers anything (CORS open, so a leaked `fetch` would succeed) and records
 * every request it receives, plus a browser context that may reach the app's
 * origin and the attacker's — and nothing else — and records every request
 * the page or its workers attempted towards the attacker.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectErrors, launchBrowser } from './chromium.ts';

export interface Attacker {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `127.0.0.1:<port>` */
  host: string;
  /** Paths (with query) of every request that reached the attacker. */
  received: string[];
  /** Answers `path` with `body` (default: an empty 200). */
  serve(path: string, body: string, type?: string): void;
  close(): Promise<void>;
}

/** Starts the attacker's server on a free loopback port. */
export async function startAttacker(): Promise<Attacker> {
  const received: string[] = [];
  const bodies = new Map<string, { body: string; type: string }>();
  const server: Server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    const path = (request.url ?? '/').split('?')[0];
    const answer = bodies.get(path) ?? { body: 'a,b\n1,2\n', type: 'text/csv' };
    response.writeHead(200, {
      'content-type': answer.type,
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': '*',
    });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    received,
    serve: (path, body, type = 'text/plain') => void bodies.set(path, { body, type }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AttackedPage {
  page: Page;
  context: BrowserContext;
  /** URLs of requests to the attacker that the page or a worker attempted (seen by Playwright). */
  attempted: string[];
  /** Requests to any third origin (blocked). */
  elsewhere: string[];
  errors: string[];
}

/**
 * A fresh context where the app's origin and the attacker's are reachable (so
 * an escape really reaches the attacker's log) and every other origin is blocked.
 */
export async function openAttacked(browser: Browser, appOrigin: string, attacker: Attacker): Promise<AttackedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const attempted: string[] = [];
  const elsewhere: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(attacker.origin)) attempted.push(request.url());
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(attacker.origin) && !attempted.includes(url)) attempted.push(url);
    if (url.startsWith(appOrigin) || url.startsWith(attacker.origin) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    elsewhere.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  return { page, context, attempted, elsewhere, errors: collectErrors(page) };
}

/** A test file's browser and attacker, and every page opened against them. */
export interface Attack {
  browser: Browser;
  attacker: Attacker;
  /** {@link openAttacked} on `appOrigin`; the page's context is closed by `close`. */
  open(appOrigin: string): Promise<AttackedPage>;
  /** Closes every opened page, then `alsoClose` (the served site), the attacker and the browser. */
  close(...alsoClose: ({ close(): Promise<void> } | undefined)[]): Promise<void>;
}

/** Launches a browser and starts an attacker for a test file's attacks. */
export async function startAttack(): Promise<Attack> {
  const browser = await launchBrowser();
  const attacker = await startAttacker();
  const opened: AttackedPage[] = [];
  return {
    browser,
    attacker,
    async open(appOrigin) {
      const attacked = await openAttacked(browser, appOrigin, attacker);
      opened.push(attacked);
      return attacked;
    },
    async close(...alsoClose) {
      for (const attacked of opened) await attacked.context.close();
      for (const other of alsoClose) await other?.close();
      await attacker.close();
      await browser.close();
    },
  };
}
