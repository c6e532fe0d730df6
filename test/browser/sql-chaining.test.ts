/**
 * SQL cells built on SQL cells, in the built app: a filtered cell, two cells
 * chained off it (`FROM ${filtered}`), and controls. Each chained result is
 * checked against DuckDB's own answer (the Node build, over the same CSV) to
 * the question written flat, at first and after each control change. A row
 * put where a value goes fails on its cell with what to write instead.
 */
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';
import { rowsOf } from '../../src/data/arrow-values.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { openBuiltNotebook, waitForEngines, type OpenedApp } from './setup/app.ts';
import { launchBrowser } from './setup/chromium.ts';
import type { Browser } from 'playwright-core';

const TIMEOUT = 90_000;
let browser: Browser;
let app: OpenedApp;
let duck: DataEngine;

/** DuckDB's own answer, over the notebook's CSV, to a flat query. */
async function flat(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const result = await duck.query({ sql, params });
  if (!result.ok) throw new Error(result.error.message);
  return rowsOf(tableFromIPC(result.value.ipc));
}

async function expected(origin: string, minutes: number): Promise<{ late: string; destinations: string }> {
  const [late] = await flat('SELECT count(*)::INTEGER AS n FROM trips WHERE origin = ? AND delay > ?', [origin, minutes]);
  const rows = await flat(
    'SELECT destination, count(*)::INTEGER AS n, round(avg(delay), 2)::DOUBLE AS mean FROM trips WHERE origin = ? GROUP BY destination ORDER BY destination',
    [origin],
  );
  return { late: `late: ${late!.n}`, destinations: `destinations: ${rows.map((r) => `${r.destination}=${r.n}/${r.mean}`).join(' ')}` };
}

/** The text output that starts with `prefix`. */
async function shown(prefix: string): Promise<string> {
  const output = app.page.locator('.text-output', { hasText: prefix }).first();
  await output.waitFor({ timeout: TIMEOUT });
  return (await output.innerText()).trim();
}

beforeAll(async () => {
  duck = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
  const bytes = readFileSync('test/browser/notebooks/data/trips.csv');
  expect((await duck.ingest({ fileName: 'trips.csv', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })).ok).toBe(true);
  browser = await launchBrowser();
  app = await openBuiltNotebook(browser, 'test/browser/notebooks/chaining.md');
  await waitForEngines(app.page);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('chained SQL cells in the built app', () => {
  it('two cells chained off a filtered cell answer what DuckDB answers flat', { timeout: 180_000 }, async () => {
    const want = await expected('ORD', 15);
    expect(want.late).not.toBe('late: 0');
    await expect.poll(() => shown('late:'), { timeout: TIMEOUT }).toBe(want.late);
    await expect.poll(() => shown('destinations:'), { timeout: TIMEOUT }).toBe(want.destinations);
  });

  it('a control of the filtered cell re-runs both chained cells with the new value', { timeout: 180_000 }, async () => {
    await app.page.getByRole('radio', { name: 'DFW' }).check();
    const want = await expected('DFW', 15);
    expect(want).not.toEqual(await expected('ORD', 15));
    await expect.poll(() => shown('late:'), { timeout: TIMEOUT }).toBe(want.late);
    await expect.poll(() => shown('destinations:'), { timeout: TIMEOUT }).toBe(want.destinations);
  });

  it('a control of a chained cell only (its own parameter after the composed ones)', { timeout: 180_000 }, async () => {
    await app.page.getByLabel('Late after (minutes)', { exact: true }).fill('40');
    const want = await expected('DFW', 40);
    await expect.poll(() => shown('late:'), { timeout: TIMEOUT }).toBe(want.late);
    expect(await shown('destinations:')).toBe((await expected('DFW', 15)).destinations);
    expect(app.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    expect(app.escaped).toEqual([]);
  });

  it('a query parameter that is a row says, on its cell, what to write instead', { timeout: 180_000 }, async () => {
    const error = app.page.locator('.cell-error', { hasText: 'firstTrip' });
    await error.waitFor({ timeout: TIMEOUT });
    expect(await error.locator('.cell-error-message').innerText()).toBe('`${firstTrip}` is an object (Row), which cannot be a value in SQL.');
    expect(await error.innerText()).toContain('${firstTrip.field}');
    // Its place: the SQL cell's line in the notebook.
    expect(await error.locator('.cell-error-place').innerText()).toMatch(/line 4\d/);
  });
});
