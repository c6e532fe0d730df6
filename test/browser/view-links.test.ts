/**
 * A link that carries just the view: in the built app, the inputs live in
 * the URL's query (`?year=2014&kind=snow`), updated as the reader changes
 * them; that URL opened in a fresh profile runs the site's own notebook
 * with those inputs and no trust prompt. A hostile query is only ever a
 * widget value, checked by each widget: refused values get a notice, and
 * nothing in a link runs as code.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeShare } from '../../src/store/share.ts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildAndServe, waitForEngines, type ServedSite } from './setup/app.ts';
import { collectErrors, confineToOrigin, launchBrowser } from './setup/chromium.ts';

const TIMEOUT = 90_000;
let browser: Browser;
let site: ServedSite;
const contexts: BrowserContext[] = [];

/** `url` in a fresh profile (a new context shares nothing with the others). */
async function openFresh(url: string): Promise<{ page: Page; errors: string[]; escaped: string[]; dialogs: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const escaped = await confineToOrigin(context, new URL(site.url).origin);
  // Records every `view: …` text the reader could see, from the first paint on (the build's static view included).
  await context.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __views: Set<string> }).__views = seen;
    const look = () => {
      for (const match of document.body?.innerText.matchAll(/view: \d+ \w+/g) ?? []) seen.add(match[0]);
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  return { page, errors, escaped, dialogs };
}

async function shown(page: Page, prefix: string): Promise<string> {
  const output = page.locator('.text-output', { hasText: prefix }).first();
  await output.waitFor({ timeout: TIMEOUT });
  return (await output.innerText()).trim();
}

const query = (page: Page) => new URL(page.url()).search;

beforeAll(async () => {
  site = await buildAndServe('test/browser/notebooks/view-links.md');
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.close();
});

let link = '';

describe('view links', () => {
  it('a control change updates the URL query, readable, without adding history entries', { timeout: 180_000 }, async () => {
    const { page } = await openFresh(site.url);
    await waitForEngines(page);
    await expect.poll(() => shown(page, 'view:'), { timeout: TIMEOUT }).toBe('view: 2020 rain');
    expect(query(page)).toBe('');
    const entries = await page.evaluate(() => history.length);
    await page.getByLabel('Year', { exact: true }).fill('2014');
    await page.getByRole('radio', { name: 'snow' }).check();
    await expect.poll(() => shown(page, 'view:'), { timeout: TIMEOUT }).toBe('view: 2014 snow');
    await expect.poll(() => query(page), { timeout: TIMEOUT }).toBe('?year=2014&kind=snow');
    expect(await page.evaluate(() => history.length)).toBe(entries);
    // Share offers this same URL: no notebook in it.
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const shared = await page.getByLabel('Share link').inputValue();
    expect(shared).toBe(page.url().split('#')[0]);
    expect(await page.getByRole('heading', { name: 'Share this view' }).isVisible()).toBe(true);
    link = page.url();
  });

  it('the link in a fresh profile shows that view, controls and outputs, with no trust prompt', { timeout: 180_000 }, async () => {
    expect(link).toContain('?year=2014&kind=snow');
    const { page, errors, escaped } = await openFresh(link);
    await expect.poll(() => shown(page, 'view:'), { timeout: TIMEOUT }).toBe('view: 2014 snow');
    expect(await page.getByLabel('Year', { exact: true }).inputValue()).toBe('2014');
    expect(await page.getByRole('radio', { name: 'snow' }).isChecked()).toBe(true);
    expect(await page.getByText('Run this shared notebook?').count()).toBe(0);
    expect(await page.locator('.toast').count()).toBe(0);
    // The build's snapshot is the default view: never on screen for a link to another one.
    expect(await page.evaluate(() => [...(window as unknown as { __views: Set<string> }).__views])).toEqual(['view: 2014 snow']);
    // The link's values are this reader's inputs now: a reload without the query keeps them.
    await page.waitForTimeout(600);
    await page.goto(site.url);
    await expect.poll(() => shown(page, 'view:'), { timeout: TIMEOUT }).toBe('view: 2014 snow');
    await expect.poll(() => query(page), { timeout: TIMEOUT }).toBe('?year=2014&kind=snow');
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect(escaped).toEqual([]);
  });

  it('hostile values are refused with a notice, text stays text, and nothing runs', { timeout: 180_000 }, async () => {
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const hostile = new URLSearchParams([
      ['year', '99999'],
      ['kind', '<img src=x onerror="window.__pwned=3">'],
      ['name', payload],
      ['__proto__', 'polluted'],
      ['constructor', 'x'],
      ['utm_source', 'mail'],
    ]);
    const { page, dialogs } = await openFresh(`${site.url}?${hostile}`);
    await waitForEngines(page);
    await expect.poll(() => shown(page, 'view:'), { timeout: TIMEOUT }).toBe('view: 2020 rain');
    await page.getByText('Hello').waitFor({ timeout: TIMEOUT });
    const notices = await page.locator('.toast-message').allInnerTexts();
    expect(notices.some((n) => n.includes('“Year” to “99999”'))).toBe(true);
    expect(notices.some((n) => n.includes('“Kind”'))).toBe(true);
    expect(notices).toHaveLength(2);
    // The text input takes any text: it arrives as a string and renders as sanitized output.
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(payload);
    expect(await page.locator('.cell-output img[onerror], .cell-output script').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => ({} as Record<string, unknown>).polluted)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // Refused parameters leave the URL; the text the widget took stays; others' parameters are kept.
    await expect.poll(() => new URLSearchParams(query(page)).get('year'), { timeout: TIMEOUT }).toBeNull();
    const params = new URLSearchParams(query(page));
    expect(params.get('kind')).toBeNull();
    expect(params.get('name')).toBe(payload);
    expect(params.get('utm_source')).toBe('mail');
  });

  it('a share link (#/s/…) with a view query still asks for trust: the query never skips it', { timeout: 120_000 }, async () => {
    const source = `${readFileSync('test/browser/notebooks/view-links.md', 'utf8')}\n\`other: \${year}\`\n`;
    const { page } = await openFresh(`${site.url}?year=2014#/s/${encodeShare({ source, inputs: {} })}`);
    await page.getByText('Run this shared notebook?').waitFor({ timeout: TIMEOUT });
    expect(await page.locator('.text-output', { hasText: 'view:' }).count()).toBe(0);
  });
});
