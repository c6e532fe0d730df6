/**
 * The sanitizer and the worker lockdown against real Chromium: DOMPurify
 * needs a real DOM (with linkedom it reports itself unsupported), and the
 * lockdown must hold against Chromium's real WebIDL globals. Serves the
 * modules (types stripped by sucrase) from a throw-away HTTP origin, so
 * IndexedDB and workers behave as on a real host.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Browser, Page } from 'playwright-core';
import { transform } from 'sucrase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser } from '../browser/setup/chromium.ts';
import corpus from './xss-corpus.json' with { type: 'json' };
import { scriptVectors } from './xss-check.ts';

const root = new URL('../../', import.meta.url);
const ts = (path: string) => transform(readFileSync(new URL(path, root), 'utf8'), { transforms: ['typescript'] }).code;

const PROBE = `
  const chain = [];
  for (let o = self; o; o = Object.getPrototypeOf(o)) chain.push(o);
  const reachable = (name) => chain.some((o) => Object.prototype.hasOwnProperty.call(o, name));
  const probe = async () => ({
    origin: self.origin,
    indexedDB: reachable('indexedDB'),
    caches: reachable('caches'),
    fetch: reachable('fetch'),
    XMLHttpRequest: reachable('XMLHttpRequest'),
    WebSocket: reachable('WebSocket'),
    Worker: reachable('Worker'),
    BroadcastChannel: reachable('BroadcastChannel'),
    navigatorStorage: navigator.storage !== undefined,
    navigatorLocks: navigator.locks !== undefined,
    postMessage: typeof postMessage,
    openIndexedDB: await (async () => { try { const r = indexedDB.open('probe'); await new Promise((ok, ko) => { r.onsuccess = ok; r.onerror = () => ko(r.error); }); return 'opened'; } catch (e) { return String(e && e.name || e); } })(),
  });
`;

const FILES: Record<string, () => string> = {
  '/': () => '<!doctype html><meta charset="utf-8"><body><div id="host"></div><script type="module">import * as s from "/sanitize.js"; window.sanitize = s; window.ready = true;</script>',
  '/purify.js': () => readFileSync(new URL('node_modules/dompurify/dist/purify.es.mjs', root), 'utf8'),
  '/sanitize.js': () => ts('src/client/sanitize.ts').replace(/from ['"]dompurify['"]/, 'from "/purify.js"'),
  '/isolation.js': () => ts('workers/runtime/isolation.ts').replace(/from ['"][./]*src\/data\/no-credentials\.ts['"]/, 'from "/no-credentials.js"'),
  '/no-credentials.js': () => ts('src/data/no-credentials.ts'),
  '/locked.worker.js': () => `import { lockDown } from '/isolation.js';
    const report = lockDown({ blockNetwork: true });
    ${PROBE}
    probe().then(async (result) => {
      let remoteImport;
      try { await import('http://127.0.0.1:9/x.js'); remoteImport = 'loaded'; } catch (e) { remoteImport = String(e.name); }
      postMessage({ report, result, remoteImport });
    });`,
  '/open.worker.js': () => `${PROBE} probe().then((result) => postMessage({ result }));`,
};

let server: Server;
let base = '';
let browser: Browser;
let page: Page;
const available = existsSync(CHROMIUM);

beforeAll(async () => {
  if (!available) return;
  server = createServer((req, res) => {
    const body = FILES[req.url ?? '']?.();
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/javascript' }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction('window.ready === true');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Inserts sanitized markup (or text) into the page and reports script vectors and whether any payload ran. */
async function render(kind: string, input: string): Promise<{ problems: string[]; ran: boolean; html: string }> {
  return page.evaluate(
    async ({ kind, input, check }) => {
      const w = window as unknown as { sanitize: Record<string, (s: string) => string>; __xss?: number };
      const host = document.getElementById('host')!;
      delete w.__xss;
      if (kind === 'text') host.textContent = input;
      else host.innerHTML = kind === 'figure' ? w.sanitize.sanitizeFigure(input) : w.sanitize.sanitizeHtml(input);
      // Handlers like onerror fire asynchronously.
      await new Promise((r) => setTimeout(r, 30));
      const problems = (0, eval)(`(${check})`)(host) as string[];
      if (kind === 'text' && host.children.length) problems.push('text produced elements');
      return { problems, ran: w.__xss !== undefined, html: host.innerHTML };
    },
    { kind, input, check: scriptVectors.toString() },
  );
}

describe.skipIf(!available)('in Chromium', () => {
  it.each(corpus.cases.map((c) => [c.id, c] as const))('sanitizes %s', async (_id, c) => {
    const { problems, ran, html } = await render(c.kind, c.input);
    expect(ran, html).toBe(false);
    expect(problems, html).toEqual([]);
  });

  it('keeps ordinary content: text, tables, images, links open in a new tab, fragment links stay', async () => {
    const { html } = await render('html', '<h2 id="top">T</h2><table><tr><td>1</td></tr></table><img src="data:image/png;base64,iVBORw0KGgo=" alt="a"><a href="https://example.com/x">x</a><a href="#top">up</a><span style="color: red; position: fixed">c</span>');
    expect(html).toContain('<table>');
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(html).toMatch(/<a href="https:\/\/example.com\/x" target="_blank" rel="noopener noreferrer">/);
    expect(html).toContain('<a href="#top">up</a>');
    expect(html).toContain('style="color: red;"');
  });

  it('blockRemote strips remote images and CSS url(), keeps links', async () => {
    const html = await page.evaluate(() =>
      (window as unknown as { sanitize: { sanitizeHtml(s: string, o: object): string } }).sanitize.sanitizeHtml(
        '<img src="https://evil.example/p.gif?d=secret"><img src="//evil.example/q"><div style="background: url(https://evil.example/r); color: blue">b</div><a href="https://example.com">l</a>',
        { blockRemote: true },
      ),
    );
    expect(html).not.toContain('evil.example');
    expect(html).toContain('color: blue');
    expect(html).toContain('href="https://example.com"');
  });

  it('keeps a real Plot figure, including its scoped style', async () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const figure = Plot.plot({
      document: document as unknown as Document,
      title: 'Sales',
      color: { legend: true },
      marks: [Plot.dot([{ x: 1, y: 2, c: 'a' }, { x: 2, y: 3, c: 'b' }], { x: 'x', y: 'y', fill: 'c' })],
    }) as unknown as Element;
    const { html, problems } = await render('figure', figure.outerHTML);
    expect(problems).toEqual([]);
    expect((html.match(/<style>/g) ?? []).length).toBe(2);
    expect(html).toContain('<circle');
    expect(html).toContain('<h2>Sales</h2>');
  });

  it('lockDown removes storage, escapes and network from a real module worker', async () => {
    const message = await page.evaluate(
      (url) => new Promise((ok, ko) => {
        const worker = new Worker(url, { type: 'module' });
        worker.onmessage = (e) => ok(e.data);
        worker.onerror = (e) => ko(new Error(e.message));
      }),
      `${base}/locked.worker.js`,
    ) as { report: { remaining: string[]; removed: string[] }; result: Record<string, unknown>; remoteImport: string };
    expect(message.report.remaining).toEqual([]);
    expect(message.result).toMatchObject({
      indexedDB: false, caches: false, fetch: false, XMLHttpRequest: false, WebSocket: false,
      Worker: false, BroadcastChannel: false, navigatorStorage: false, navigatorLocks: false, postMessage: 'function',
    });
    expect(message.result.openIndexedDB).toMatch(/ReferenceError/);
    // What lockDown cannot take away: import() still fetches (here it fails only because nothing listens).
    expect(message.remoteImport).toBe('TypeError');
  });

  it('finding: a worker from a data: URL has an opaque origin and no usable IndexedDB', async () => {
    const message = await page.evaluate(async (probe) => {
      const source = `${probe} probe().then((result) => postMessage({ result }));`;
      const worker = new Worker(`data:text/javascript,${encodeURIComponent(source)}`, { type: 'module' });
      return new Promise((ok, ko) => {
        worker.onmessage = (e) => ok(e.data);
        worker.onerror = (e) => ko(new Error(e.message || 'worker error'));
      });
    }, PROBE) as { result: Record<string, unknown> };
    expect(message.result.origin).toBe('null');
    expect(message.result.openIndexedDB).toBe('SecurityError');
  });
});
