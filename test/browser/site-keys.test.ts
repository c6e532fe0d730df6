/**
 * Issue 16, escape 1: two notebooks built into one site (no `id:` in either)
 * used one storage key, so page B showed page A's inputs, `state` and edits.
 * Every page of a build now has its own key (its directory on the host plus
 * the notebook's identity in the build).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openSite, waitForEngines, type ServedSite, type SiteFixture } from './setup/app.ts';

let fixture: SiteFixture | undefined;
let site: ServedSite;
let context: BrowserContext;

beforeAll(async () => {
  fixture = await openSite('test/browser/notebooks/site-keys');
  ({ site, context } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(new URL(path, site.url).href);
  await waitForEngines(page);
  return page;
}

describe('pages of one built site', () => {
  it("keep their own inputs and state: B never shows A's", async () => {
    const a = await open('a/');
    await a.getByText('word is default; visits 1').waitFor();
    await a.getByLabel('Word').fill('secret-from-a');
    await a.getByLabel('Word').press('Enter');
    await a.getByText('word is secret-from-a; visits 1').waitFor();
    // Let the debounced save land before the other page reads storage.
    await a.waitForTimeout(1500);
    await a.reload();
    await waitForEngines(a);
    await a.getByText('word is secret-from-a; visits 2').waitFor();

    const b = await open('b/');
    await b.getByText(/^word is .*; visits \d+$/).waitFor();
    expect(await b.getByText(/^word is /).textContent()).toBe('word is default; visits 1');
    expect(await b.getByLabel('Word').inputValue()).toBe('default');
    await a.close();
    await b.close();
  });
});
