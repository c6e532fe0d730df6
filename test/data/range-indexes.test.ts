/**
 * Range indexes in the data engine, on real DuckDB: a brushed query's steps
 * are answered from one pre-aggregated table, and every answer is the one
 * DuckDB gives from the table itself (checked against a second DuckDB that
 * has no indexes).
 */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/arrow-values.ts';
import type { DuckConnection } from '../../src/data/duck-connection.ts';
import { DataEngine } from '../../src/data/engine.ts';
import type { PersistedResult } from '../../src/data/persisted-memo.ts';
import type { ExportedIndex } from '../../src/data/range-indexes.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

/** 40,000 flights-like rows, the same every run. */
function flightsCsv(rows: number, seed = 7): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const airports = ['ORD', 'ATL', 'DFW', 'LAX', 'SFO', 'DEN', 'JFK', 'SEA', 'BOS', 'PHX'];
  const lines = ['id,origin,destination,delay,distance,month'];
  for (let id = 0; id < rows; id++) {
    const origin = airports[Math.floor(next() * airports.length)];
    const destination = airports[Math.floor(next() * airports.length)];
    const delay = Math.round(next() * next() * 300) - 40;
    lines.push(`${id},${origin},${destination},${delay},${100 + Math.floor(next() * 2900)},${1 + Math.floor(next() * 6)}`);
  }
  return `${lines.join('\n')}\n`;
}

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

let engine: DataEngine;
let plain: DuckConnection;

async function ask(sql: string, params: unknown[]): Promise<unknown[]> {
  const result = await engine.query({ sql, params });
  if (!result.ok) throw new Error(`${result.error.name}: ${result.error.message}`);
  return rowsOf(tableFromIPC(result.value.ipc));
}

/** The same query on a DuckDB without indexes. */
async function truth(sql: string, params: unknown[]): Promise<unknown[]> {
  return rowsOf(tableFromIPC(await plain.queryPrepared(sql, params)));
}

async function loadFlights(csv: string): Promise<void> {
  const loaded = await engine.ingest({ fileName: 'flights.csv', bytes: bytes(csv) });
  if (!loaded.ok) throw new Error(loaded.error.message);
  await plain.query('DROP TABLE IF EXISTS flights');
  await plain.registerFile('flights.csv', new TextEncoder().encode(csv));
  await plain.query("CREATE TABLE flights AS SELECT * FROM read_csv('flights.csv')");
}

const ROUTES = `SELECT origin, destination, count(*)::INTEGER AS flights, round(avg(delay), 1)::DOUBLE AS mean_delay, max(distance) AS longest
FROM flights
WHERE delay BETWEEN ? AND ?
  AND distance <= ?
GROUP BY origin, destination
HAVING count(*) >= 20
ORDER BY flights DESC, origin, destination
LIMIT 30`;

beforeAll(async () => {
  engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
  plain = await nodeDuck();
  await loadFlights(flightsCsv(40_000));
}, 60_000);

describe('range indexes', () => {
  it("answers a brush's steps from one index, each as the table does", async () => {
    const before = { ...engine.indexes.counts };
    const steps: [number, number][] = [[-1e9, 1e9], [-10, 5], [-10, 25], [-10, 60], [0, 60], [30, 61], [-40, 260]];
    for (const [lo, hi] of steps) expect(await ask(ROUTES, [lo, hi, 2500])).toEqual(await truth(ROUTES, [lo, hi, 2500]));
    expect(engine.indexes.counts.built - before.built).toBe(1);
    // The first step ran on the table; every later one on the index.
    expect(engine.indexes.counts.answered - before.answered).toBe(steps.length - 1);
  });

  it('builds another index for another value of the other conditions, and keeps the first', async () => {
    const before = { ...engine.indexes.counts };
    // Both conditions change at once (no index), the brush moves (an index over delay for 1200 miles), then
    // the slider alone (an index over distance is tried for this brush: as many rows as the table, dropped)…
    for (const [lo, hi, longest] of [[-10, 70, 1200], [0, 70, 1200], [0, 80, 1200], [0, 80, 2500]]) {
      expect(await ask(ROUTES, [lo, hi, longest])).toEqual(await truth(ROUTES, [lo, hi, longest]));
    }
    expect(engine.indexes.counts.built - before.built).toBe(2);
    // …and back at 2500 miles the brush is answered by the first index, built in the test before.
    const again = { ...engine.indexes.counts };
    expect(await ask(ROUTES, [0, 95, 2500])).toEqual(await truth(ROUTES, [0, 95, 2500]));
    expect(engine.indexes.counts.built).toBe(again.built);
    expect(engine.indexes.counts.answered).toBe(again.answered + 1);
  });

  it('takes the flights example\'s "no selection" null check and a month expression', async () => {
    const sql = `SELECT count(*)::INTEGER AS flights, round(avg(delay), 1)::DOUBLE AS avg_delay, sum(distance) AS miles
FROM flights
WHERE (?::DOUBLE IS NULL OR delay BETWEEN ? AND ?)
  AND month BETWEEN ? AND ?`;
    const steps: unknown[][] = [[null, null, null, 1, 6], [-20, -20, 10, 1, 6], [-20, -20, 40, 1, 6], [null, null, null, 1, 6], [1, 1, 2, 1, 6]];
    const before = { ...engine.indexes.counts };
    for (const params of steps) expect(await ask(sql, params)).toEqual(await truth(sql, params));
    expect(engine.indexes.counts.built - before.built).toBe(1);
    const monthly: unknown[][] = [[null, null, null, 1, 2], [null, null, null, 2, 4], [null, null, null, 3, 3]];
    for (const params of monthly) expect(await ask(sql, params)).toEqual(await truth(sql, params));
    expect(engine.indexes.counts.built - before.built).toBe(2);
  });

  it('drops an index as big as its table, and answers from the table', async () => {
    const sql = 'SELECT count(*)::INTEGER AS n, sum(delay) AS total FROM flights WHERE id BETWEEN ? AND ?';
    const before = { ...engine.indexes.counts };
    for (const [lo, hi] of [[0, 100], [0, 2000], [10, 3000], [50, 39_000]]) expect(await ask(sql, [lo, hi])).toEqual(await truth(sql, [lo, hi]));
    expect(engine.indexes.counts.built - before.built).toBe(1);
    expect(engine.indexes.counts.answered - before.answered).toBe(0);
  });

  it('prepares the index of a query that follows a brush once the engine is quiet, so the first step needs no build', async () => {
    const sql = ROUTES.replace('HAVING count(*) >= 20', 'HAVING count(*) >= 25');
    const first = await engine.query({ sql, params: [-1e9, 1e9, 2500], prepare: [0, 1] });
    expect(first.ok).toBe(true);
    const before = { ...engine.indexes.counts };
    await expect.poll(() => engine.indexes.counts.prepared, { timeout: 10_000 }).toBe(before.prepared + 1);
    expect(engine.indexes.counts.built).toBe(before.built + 1);
    // The brush's first step: answered from the prepared index, nothing built meanwhile.
    expect(await ask(sql, [-5, 35, 2500])).toEqual(await truth(sql, [-5, 35, 2500]));
    expect(engine.indexes.counts.built).toBe(before.built + 1);
    expect(engine.indexes.counts.answered).toBe(before.answered + 1);
  });

  it('never answers new rows from an index of the old ones', async () => {
    for (const [lo, hi] of [[0, 20], [0, 30]]) expect(await ask(ROUTES, [lo, hi, 2500])).toEqual(await truth(ROUTES, [lo, hi, 2500]));
    await loadFlights(flightsCsv(40_000, 99));
    for (const [lo, hi] of [[0, 30], [0, 40], [5, 40]]) expect(await ask(ROUTES, [lo, hi, 2500])).toEqual(await truth(ROUTES, [lo, hi, 2500]));
  });
});

describe('range indexes the build ships', () => {
  const SLIDER = `SELECT origin, count(*)::INTEGER AS flights, round(avg(distance), 1)::DOUBLE AS mean_distance
FROM flights
WHERE delay >= ?
GROUP BY origin
ORDER BY flights DESC, origin
LIMIT 5`;

  it("answer a control's first change on a first visit before the table's rows arrive, as the table does", async () => {
    const csv = flightsCsv(20_000, 3);
    // The build: its run answers the default value, records the answer, and keeps the index of the moving condition.
    const { indexes: shipped, fingerprint, recorded } = await whatTheBuildShips(csv, SLIDER);
    expect(shipped).toHaveLength(1);

    // The page: the data file is held back; the build's answer and index are served.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let dataFetched = false;
    const files = new Map<string, Uint8Array>([['http://site/index.arrow', shipped[0].ipc]]);
    const seeds = [...recorded].map(([key, result], i) => {
      files.set(`http://site/result-${i}.arrow`, result.ipc);
      return { key, url: `result-${i}.arrow`, rowCount: result.rowCount, columns: result.columns, tables: result.tables };
    });
    const fetcher = (async (input: string | URL | Request) => {
      const url = String(input);
      if (url.endsWith('/flights.csv')) {
        dataFetched = true;
        await held;
        return new Response(csv);
      }
      const file = files.get(url);
      return file ? new Response(file as Uint8Array<ArrayBuffer>) : new Response('no', { status: 404 });
    }) as typeof fetch;
    const page = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, fetch: fetcher, baseUrl: 'http://site/', seeds,
      shippedIndexes: [{ key: shipped[0].key, url: 'index.arrow' }],
    });
    const pageTable = page.ingestUrl({ url: 'flights.csv', table: 'flights', builtFingerprint: fingerprint });
    const first = await page.query({ sql: SLIDER, params: [0] });
    expect(first.ok && first.value.cache).toBe('seeded');
    // The control moves: the shipped index answers; the table's rows have not arrived.
    for (const value of [40, 120, -20]) {
      const moved = await page.query({ sql: SLIDER, params: [value] });
      if (!moved.ok) throw new Error(moved.error.message);
      expect(rowsOf(tableFromIPC(moved.value.ipc))).toEqual(await truthOf(csv, SLIDER, [value]));
    }
    expect(page.indexes.counts.loaded).toBe(1);
    expect(page.indexes.counts.built).toBe(0);
    expect(page.tables()).toEqual([]);
    // The rows arrive; the index goes on answering.
    expect(dataFetched).toBe(true);
    release();
    expect((await pageTable).ok).toBe(true);
    const later = await page.query({ sql: SLIDER, params: [75] });
    expect(later.ok && rowsOf(tableFromIPC(later.value.ipc))).toEqual(await truthOf(csv, SLIDER, [75]));
    expect(page.indexes.counts.built).toBe(0);
  });

  it('are not used for other data: an index of other rows is never loaded', async () => {
    const csv = flightsCsv(20_000, 5);
    const { indexes: [index] } = await whatTheBuildShips(csv, SLIDER);
    expect(index).toBeDefined();
    let fetched = 0;
    const page = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, shippedIndexes: [{ key: index.key, url: 'http://site/index.arrow' }],
      fetch: (async () => {
        fetched++;
        return new Response(index.ipc as Uint8Array<ArrayBuffer>);
      }) as unknown as typeof fetch,
    });
    const other = flightsCsv(20_000, 6);
    await page.ingest({ fileName: 'flights.csv', table: 'flights', bytes: bytes(other) });
    for (const value of [0, 40, 80]) {
      const answer = await page.query({ sql: SLIDER, params: [value] });
      expect(answer.ok && rowsOf(tableFromIPC(answer.value.ipc))).toEqual(await truthOf(other, SLIDER, [value]));
    }
    // Keyed by the rows' fingerprint: never even tried (its check against the table's answer would refuse it too).
    expect(fetched).toBe(1);
    expect(page.indexes.counts.tried).toBe(0);
    expect(page.indexes.counts.loaded).toBe(0);
  });
});

describe('a shipped index whose download hangs', () => {
  it('holds up nothing: the data file is fetched, and the query is answered from the table after the wait', async () => {
    const SLIDER = 'SELECT origin, count(*)::INTEGER AS n FROM flights WHERE delay >= ? GROUP BY origin ORDER BY origin';
    const csv = flightsCsv(20_000, 8);
    const { indexes: [index], fingerprint } = await whatTheBuildShips(csv, SLIDER);
    expect(index).toBeDefined();
    let dataFetched = false;
    const page = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, baseUrl: 'http://site/', shippedIndexWaitMs: 200,
      shippedIndexes: [{ key: index.key, url: 'index.arrow' }],
      fetch: (async (input: string | URL | Request) => {
        if (String(input).endsWith('/flights.csv')) {
          dataFetched = true;
          return new Response(csv);
        }
        return new Promise<Response>(() => {}); // the index never arrives
      }) as typeof fetch,
    });
    const table = page.ingestUrl({ url: 'flights.csv', table: 'flights', builtFingerprint: fingerprint });
    expect((await page.query({ sql: SLIDER, params: [0] })).ok).toBe(true);
    const moved = await page.query({ sql: SLIDER, params: [60] });
    expect(moved.ok && rowsOf(tableFromIPC(moved.value.ipc))).toEqual(await truthOf(csv, SLIDER, [60]));
    expect(dataFetched).toBe(true);
    expect((await table).ok).toBe(true);
    expect(page.indexes.counts.tried).toBe(0);
  });
});

describe('a shipped index loading while another notebook takes the engine over', () => {
  it('does not land: its table is dropped, and the next notebook starts with no index', async () => {
    const SLIDER = 'SELECT origin, count(*)::INTEGER AS n FROM flights WHERE delay >= ? GROUP BY origin ORDER BY origin';
    const csv = flightsCsv(20_000, 9);
    const { indexes: [index] } = await whatTheBuildShips(csv, SLIDER);
    expect(index).toBeDefined();
    // The page's DuckDB holds a shipped index's insert until `arrive` is called.
    const duck = await nodeDuck();
    let arrive!: () => void;
    const gate = new Promise<void>((resolve) => (arrive = resolve));
    let loading!: () => void;
    const started = new Promise<void>((resolve) => (loading = resolve));
    const held: DuckConnection = {
      ...duck,
      async insertArrowIPC(ipc, table, options) {
        if (table.startsWith('__brook_range_')) {
          loading();
          await gate;
        }
        return duck.insertArrowIPC(ipc, table, options);
      },
    };
    const page = new DataEngine({
      connection: Promise.resolve(held), decodeParquet: decodeParquetNode, baseUrl: 'http://site/',
      shippedIndexes: [{ key: index.key, url: 'index.arrow' }],
      fetch: (async () => new Response(index.ipc as Uint8Array<ArrayBuffer>)) as unknown as typeof fetch,
    });
    await page.ingest({ fileName: 'flights.csv', table: 'flights', bytes: bytes(csv) });
    expect((await page.query({ sql: SLIDER, params: [0] })).ok).toBe(true);
    const moved = page.query({ sql: SLIDER, params: [60] });
    await started;
    const takeover = page.replaceNotebook({});
    arrive();
    await Promise.all([moved, takeover]);
    const left = rowsOf(tableFromIPC(await duck.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__brook_range_%'")));
    expect(left).toEqual([]);
    expect(page.indexes.release()).toEqual([]);
  });
});

/**
 * What `brook build` ships for `sql` over `csv`: its run answers the value 0
 * (marked as following an input), records that answer as a seed, and builds
 * and exports the index of the moving condition; and the CSV's fingerprint.
 */
async function whatTheBuildShips(csv: string, sql: string): Promise<{
  indexes: ExportedIndex[]; fingerprint: string; recorded: Map<string, Omit<PersistedResult, 'savedAt'>>;
}> {
  const recorded = new Map<string, Omit<PersistedResult, 'savedAt'>>();
  const build = new DataEngine({
    connection: nodeDuck(), decodeParquet: decodeParquetNode, prepareAfterMs: null, keepPreparations: true, persistAfterMs: -1,
    persisted: { get: async () => undefined, put: async (key, result) => { recorded.set(key, result); return true; } },
  });
  const loaded = await build.ingest({ fileName: 'flights.csv', table: 'flights', bytes: bytes(csv) });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const answered = await build.query({ sql, params: [0], prepare: [0] });
  if (!answered.ok) throw new Error(answered.error.message);
  return { indexes: await build.shipIndexes(), fingerprint: loaded.value.fingerprint, recorded };
}

/** DuckDBs without indexes, by the CSV they hold as flights. */
const truths = new Map<string, Promise<DuckConnection>>();

/** `sql` on a DuckDB that holds only `csv` as flights. */
async function truthOf(csv: string, sql: string, params: unknown[]): Promise<unknown[]> {
  let duck = truths.get(csv);
  if (!duck) {
    duck = nodeDuck().then(async (fresh) => {
      await fresh.registerFile('flights.csv', new TextEncoder().encode(csv));
      await fresh.query("CREATE TABLE flights AS SELECT * FROM read_csv('flights.csv')");
      return fresh;
    });
    truths.set(csv, duck);
  }
  return rowsOf(tableFromIPC(await (await duck).queryPrepared(sql, params)));
}
