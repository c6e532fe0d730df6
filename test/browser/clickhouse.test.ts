/**
 * A built notebook whose SQL runs on a real ClickHouse (two shards on
 * loopback, a Distributed table of the bird strikes: test/setup/clickhouse.ts),
 * in Chromium. The data worker talks to ClickHouse's HTTP interface directly
 * (CORS by `add_http_cors_header`); nothing else leaves the page's origin.
 * ClickHouse 18 answers no CORS preflight, so the engines on it directly say
 * `auth: url` (user and password as URL parameters). A third engine is the
 * same ClickHouse behind a loopback proxy that answers the preflight as
 * ClickHouse does from 21.10 on (its default `http_options_response`) and
 * adds CORS headers to every answer, refusals too (how an older ClickHouse
 * is put before browsers, e.g. behind nginx): there the password travels in
 * the default way, an Authorization header, and a wrong one is seen as what
 * it is.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeShare } from '../../src/store/share.ts';
import { CLICKHOUSE_MISSING, READER, clickhouseAvailable, startClickHouse, type ClickHouseCluster } from '../setup/clickhouse.ts';
import { buildAndServe, waitForEngines, type ServedSite } from './setup/app.ts';
import { collectErrors, launchBrowser } from './setup/chromium.ts';
import { dropFiles } from './setup/drop.ts';

if (!clickhouseAvailable()) console.warn(CLICKHOUSE_MISSING);

/** Joined with the remote aggregate by a local SQL cell. */
const REGIONS: Record<string, string> = { Texas: 'South', Louisiana: 'South', Florida: 'South', California: 'West', Washington: 'West', 'New York': 'Northeast' };

/** Joined with the remote aggregate from a file the reader drops on the page. */
const AREAS: Record<string, string> = { Texas: 'Gulf', Louisiana: 'Gulf', Florida: 'Gulf', California: 'Pacific', Washington: 'Pacific' };

/** The by-state query's text as ClickHouse logs it (to count how often it was asked). */
const BY_STATE_MARK = 'GROUP BY state ORDER BY n DESC';

function notebookText(warehouse: string, elsewhere: string, proxied: string): string {
  return `---
title: Bird strikes on the warehouse
engines:
  warehouse:
    type: clickhouse
    url: ${warehouse}
    user: ${READER.user}
    auth: url
    maxAge: 1h
  elsewhere:
    type: clickhouse
    url: ${elsewhere}
  tight:
    type: clickhouse
    url: ${warehouse}
    user: ${READER.user}
    auth: url
    rowLimit: 100
  proxied:
    type: clickhouse
    url: ${proxied}
    user: ${READER.user}
data:
  regions: regions.csv
---

\`\`\`js
const phase = select("Phase", ["Climb", "Approach", "Landing Roll"], {value: "Climb"})
\`\`\`

\`\`\`sql by_state engine=warehouse
SELECT state, count() AS n FROM strikes WHERE phase = \${phase} ${BY_STATE_MARK}, state
\`\`\`

\`\`\`js
const [top] = by_state;
\`top: \${top.state} \${top.n} of \${by_state.numRows} states\`
\`\`\`

\`\`\`sql by_region
SELECT r.region, sum(b.n)::INTEGER AS strikes FROM by_state b JOIN regions r USING (state) GROUP BY r.region ORDER BY r.region
\`\`\`

\`\`\`js
\`regions: \${Array.from(by_region, (r) => r.region + "=" + r.strikes).join(", ")}\`
\`\`\`

\`\`\`sql by_area
SELECT a.area, sum(b.n)::INTEGER AS strikes FROM by_state b JOIN areas a USING (state) GROUP BY a.area ORDER BY a.area
\`\`\`

\`\`\`js
\`areas: \${Array.from(by_area, (r) => r.area + "=" + r.strikes).join(", ")}\`
\`\`\`

\`\`\`sql broken engine=warehouse
SELECT stat FROM strikes
\`\`\`

\`\`\`sql engine=elsewhere
SELECT 1
\`\`\`

\`\`\`sql every_strike engine=tight
SELECT * FROM strikes
\`\`\`

\`\`\`sql total engine=proxied
SELECT count() AS strikes_total FROM strikes
\`\`\`

\`\`\`js
\`strikes in all: \${total.get(0).strikes_total}\`
\`\`\`
`;
}

describe.skipIf(!clickhouseAvailable())('SQL cells on ClickHouse (real server, two shards)', () => {
  let cluster: ClickHouseCluster;
  let noCors: Server;
  let proxy: Server;
  /** Every request the proxy passed on: its URL and whether it carried an Authorization header. */
  const proxied: { url: string; authorization: boolean }[] = [];
  let site: ServedSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const escaped: string[] = [];
  let source: string;
  let dir: string;

  /** The top state and its count for a phase, and region and area sums, as ClickHouse answers them to its admin. */
  async function expected(phase: string): Promise<{ top: string; regions: string; areas: string }> {
    const tsv = await cluster.admin(`SELECT state, count() AS n FROM strikes WHERE phase = '${phase}' GROUP BY state ORDER BY n DESC, state FORMAT TSV`);
    const rows = tsv.trim().split('\n').map((line) => line.split('\t'));
    const sums: Record<string, number> = {};
    for (const [state, n] of rows) if (REGIONS[state]) sums[REGIONS[state]] = (sums[REGIONS[state]] ?? 0) + Number(n);
    const areas: Record<string, number> = {};
    for (const [state, n] of rows) if (AREAS[state]) areas[AREAS[state]] = (areas[AREAS[state]] ?? 0) + Number(n);
    return {
      top: `top: ${rows[0][0]} ${rows[0][1]} of ${rows.length} states`,
      regions: `regions: ${Object.keys(sums).sort().map((region) => `${region}=${sums[region]}`).join(', ')}`,
      areas: `areas: ${Object.keys(areas).sort().map((area) => `${area}=${areas[area]}`).join(', ')}`,
    };
  }

  const cell = (text: string) => page.locator('.cell', { hasText: text });

  /** With BROOK_SCREENSHOTS=dir: the page at desktop and phone widths (for looking at, not asserted). */
  async function shot(name: string, target: Page = page): Promise<void> {
    const dir = process.env.BROOK_SCREENSHOTS;
    if (!dir) return;
    for (const [width, label] of [[1280, 'desktop'], [390, 'phone']] as const) {
      await target.setViewportSize({ width, height: 900 });
      await target.screenshot({ path: join(dir, `clickhouse-${name}-${label}.png`), fullPage: true });
    }
    await target.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    cluster = await startClickHouse();
    // An HTTP server that answers everything but sends no CORS headers: what a browser refuses to read.
    noCors = createServer((_, response) => response.end('Ok.\n'));
    await new Promise<void>((resolve) => noCors.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://127.0.0.1:${(noCors.address() as { port: number }).port}/`;
    // The real cluster behind a proxy that lets the browser read every answer, refusals included.
    proxy = createServer((request, response) => {
      // The headers ClickHouse's default configuration answers a preflight with (http_options_response, 23.11+).
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': 'origin, x-requested-with, x-clickhouse-format, x-clickhouse-user, x-clickhouse-key, Authorization',
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-max-age': '86400',
      };
      if (request.method === 'OPTIONS') {
        response.writeHead(204, cors).end();
        return;
      }
      proxied.push({ url: request.url ?? '', authorization: request.headers.authorization !== undefined });
      const upstream = httpRequest(new URL(request.url ?? '/', cluster.url), { method: request.method, headers: { ...request.headers, host: new URL(cluster.url).host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...cors });
        answer.pipe(response);
      });
      upstream.on('error', () => response.writeHead(502, cors).end());
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxiedUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`;
    dir = mkdtempSync(join(tmpdir(), 'brook-clickhouse-notebook-'));
    writeFileSync(join(dir, 'areas.csv'), `state,area\n${Object.entries(AREAS).map(([s, a]) => `${s},${a}`).join('\n')}\n`);
    source = notebookText(cluster.url, elsewhere, proxiedUrl);
    writeFileSync(join(dir, 'strikes.md'), source);
    writeFileSync(join(dir, 'regions.csv'), `state,region\n${Object.entries(REGIONS).map(([s, r]) => `${s},${r}`).join('\n')}\n`);
    site = await buildAndServe(join(dir, 'strikes.md'));
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The page's own origin, and the two engines the front matter declares: nothing else.
    const allowed = [new URL(site.url).origin, new URL(cluster.url).origin, new URL(elsewhere).origin, new URL(proxiedUrl).origin];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (allowed.some((origin) => url.startsWith(origin)) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      escaped.push(url);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(site.url);
    await waitForEngines(page);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await site?.close();
    await new Promise((resolve) => noCors?.close(resolve));
    await new Promise((resolve) => proxy?.close(resolve));
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('asks for the password, then shows the remote aggregate', async () => {
    // ClickHouse 18 refuses a missing password without CORS headers: the cell says so and asks.
    // App mode shows no source: the error card shows the cell's SQL.
    const refused = cell(BY_STATE_MARK);
    await refused.getByText('EngineCorsError').waitFor({ timeout: 60_000 });
    await shot('password');
    const password = page.getByLabel('Password of reader for warehouse').first();
    await password.fill(READER.password);
    await page.getByRole('button', { name: 'Connect' }).first().click();
    const climb = await expected('Climb');
    await page.getByText(climb.top).waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Password of reader for warehouse').count()).toBe(0);
    await shot('answered');
  });

  it('refuses a result over the engine\'s row limit, stating the limit', async () => {
    const tight = cell('SELECT * FROM strikes');
    await tight.getByText('EngineCorsError').waitFor({ timeout: 60_000 });
    await page.getByLabel('Password of reader for tight').fill(READER.password);
    await tight.getByRole('button', { name: 'Connect' }).click();
    await tight.getByText('ResultTooLargeError').waitFor({ timeout: 60_000 });
    await tight.getByText(/The result has more than 100 rows, the row limit of the engine tight/).waitFor();
  });

  it('joins the remote result with a front-matter CSV in a local SQL cell', async () => {
    const climb = await expected('Climb');
    await page.getByText(climb.regions).waitFor({ timeout: 60_000 });
  });

  it('joins the remote result with a CSV the reader drops on the page', async () => {
    await dropFiles(page, [join(dir, 'areas.csv')]);
    await page.getByText((await expected('Climb')).areas).waitFor({ timeout: 60_000 });
  });

  it('re-queries with the bound parameter when a control changes', async () => {
    const before = await cluster.readerQueries("phase = 'Approach'");
    await page.getByLabel('Phase').selectOption('Approach');
    const approach = await expected('Approach');
    await page.getByText(approach.top).waitFor({ timeout: 60_000 });
    await page.getByText(approach.regions).waitFor({ timeout: 60_000 });
    // Sent as an escaped literal (ClickHouse 18 has no query parameters), once.
    expect((await cluster.readerQueries("phase = 'Approach'")) - before).toBe(1);
  });

  it("shows a SQL error on its cell with the server's message", async () => {
    const broken = cell('SELECT stat FROM strikes');
    await broken.getByText('EngineQueryError').waitFor({ timeout: 60_000 });
    await broken.getByText(/ClickHouse: .*stat/).waitFor();
    expect(await broken.locator('.cell-error-place').textContent()).toMatch(/notebook line \d+/);
  });

  it('says when the browser may not read an engine (no CORS headers)', async () => {
    const refused = cell('SELECT 1');
    await refused.getByText('EngineCorsError').waitFor({ timeout: 60_000 });
    await refused.getByText(/answered, but the browser may not let http:\/\/127\.0\.0\.1:\d+ read its answers \(CORS\)/).waitFor();
    // It names no user: nothing to ask.
    expect(await refused.getByRole('button', { name: 'Connect' }).count()).toBe(0);
  });

  it('says a wrong password was refused, where the server lets the browser read the refusal', async () => {
    const total = cell('strikes_total');
    await total.getByText('EngineAuthError').waitFor({ timeout: 60_000 });
    await total.getByText(/refused the user reader/).waitFor();
    await total.getByLabel('Password of reader for proxied').fill('not-the-password');
    await total.getByRole('button', { name: 'Connect' }).click();
    // Refused again, by ClickHouse's own word (not the CORS guess), and asked again.
    await expect.poll(() => total.locator('.cell-error-message').innerText(), { timeout: 60_000 }).toMatch(/refused the user reader: .*Wrong password/i);
    await total.getByLabel('Password of reader for proxied').fill(READER.password);
    await total.getByRole('button', { name: 'Connect' }).click();
    const [count] = (await cluster.admin('SELECT count() FROM strikes FORMAT TSV')).trim().split('\n');
    await page.getByText(`strikes in all: ${count}`).waitFor({ timeout: 60_000 });
    // By default user and password went in a header: no URL the engine (or the browser's network log) saw holds them.
    expect(proxied.length).toBeGreaterThan(0);
    expect(proxied.filter((r) => /[?&](user|password)=/.test(r.url) || r.url.includes(encodeURIComponent(READER.password)))).toEqual([]);
    expect(proxied.every((r) => r.authorization)).toBe(true);
  });

  it('keeps the password out of share links and the page', async () => {
    const html = await page.content();
    expect(html).not.toContain(READER.password);
    await page.getByRole('button', { name: /share/i }).first().click();
    const link = await page.getByLabel('Share link').inputValue();
    // A built app shares a view link (its inputs in the query), a studio the whole notebook: neither holds the password.
    expect(link.startsWith(site.url)).toBe(true);
    expect(decodeURIComponent(link)).not.toContain(READER.password);
    await page.keyboard.press('Escape');
  });

  it('answers a repeat visit from the memo without asking ClickHouse', async () => {
    const before = await cluster.readerQueries(BY_STATE_MARK);
    await page.reload();
    await waitForEngines(page);
    const approach = await expected('Approach');
    await page.getByText(approach.top).waitFor({ timeout: 60_000 });
    await page.getByText(approach.regions).waitFor({ timeout: 60_000 });
    await cell('SELECT stat FROM strikes').getByText('EngineQueryError').waitFor({ timeout: 60_000 });
    expect(await cluster.readerQueries(BY_STATE_MARK)).toBe(before);
  });

  it('still answers from the memo with ClickHouse stopped, and says the engine is unreachable where it must ask', async () => {
    await cluster.stop();
    await page.reload();
    await waitForEngines(page);
    const approach = await expected('Approach').catch(() => undefined);
    expect(approach).toBeUndefined(); // the servers are really gone
    await page.getByText(/^top: \w+ \d+ of \d+ states$/).waitFor({ timeout: 60_000 });
    await page.getByText(/^regions: /).waitFor({ timeout: 60_000 });
    const broken = cell('SELECT stat FROM strikes');
    await broken.getByText('EngineUnreachableError').waitFor({ timeout: 60_000 });
    await broken.getByText(/Could not reach the engine warehouse \(http:\/\/127\.0\.0\.1:\d+\/\)\./).waitFor();
    // Not last visit's outputs: this visit's run, its remote result answered from the memo.
    const top = page.locator('.cell').filter({ hasText: /^top: \w+ \d+ of \d+ states$/ });
    await expect.poll(() => top.getAttribute('data-restored'), { timeout: 60_000 }).toBeNull();
    expect(await top.locator('.cell-error').count()).toBe(0);
  });

  it('tells a share link whose engines differ from the app', async () => {
    const other = source.replace(/url: http:\/\/127\.0\.0\.1:\d+\/\n    user/, 'url: https://warehouse.example.com:8443/\n    user');
    const shared = await context.newPage();
    await shared.goto(`${site.url}#/s/${encodeShare({ source: other, inputs: {} })}`);
    await shared.getByText('Run this shared notebook?').waitFor();
    await shared.getByText('Queries engines').waitFor();
    await shared.getByText("Not this app's engines").waitFor();
    await shot('trust', shared);
    await shared.getByText(/warehouse is https:\/\/warehouse\.example\.com:8443\/ as reader here, but http:\/\/127\.0\.0\.1:\d+\/ as reader in this app/).waitFor();
    await shared.close();
  });

  it('made no request beyond the page and the declared engines, and no page errors', () => {
    expect(escaped).toEqual([]);
    // Refused engine requests are console errors the browser prints itself (CORS, connection refused); nothing else.
    expect(errors.filter((e) => !/CORS|ERR_CONNECTION_REFUSED|ERR_FAILED|401|Failed to load resource/.test(e))).toEqual([]);
  });
});
