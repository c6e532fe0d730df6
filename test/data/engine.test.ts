import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { numericTable, rowsOf } from '../../src/data/arrow-values.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { templateToSql } from '../../src/data/sql-template.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

const csv = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
let engine: DataEngine;

async function run(sql: string, params: unknown[] = []) {
  const result = await engine.query({ sql, params });
  if (!result.ok) throw new Error(`${result.error.name}: ${result.error.message}`);
  return { ...result.value, rows: rowsOf(tableFromIPC(result.value.ipc)) };
}

beforeAll(async () => {
  engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
  const loaded = await engine.ingest({ fileName: 'orders.csv', bytes: csv('id,customer,amount\n1,ann,10\n2,bob,20\n3,ann,5\n') });
  expect(loaded.ok).toBe(true);
}, 60_000);

describe('parameters', () => {
  it('binds values; quotes and SQL in a value are only a value', async () => {
    const evil = "ann'; DROP TABLE orders; --";
    const q = (name: string) => templateToSql(['SELECT count(*)::INTEGER AS n FROM orders WHERE customer = ', ''], [name]);
    const bad = q(evil);
    expect((await run(bad.sql, bad.params)).rows).toEqual([{ n: 0 }]);
    const good = q('ann');
    expect((await run(good.sql, good.params)).rows).toEqual([{ n: 2 }]);
    expect((await run('SELECT ? AS s', [`it's "quoted"`])).rows).toEqual([{ s: `it's "quoted"` }]);
  });

  it('binds numbers, booleans, null, bigint and Date', async () => {
    const { rows } = await run('SELECT ?::DOUBLE AS d, ?::BOOLEAN AS b, ? IS NULL AS n, ?::BIGINT AS big, ?::TIMESTAMP AS t',
      [1.5, true, null, 9007199254740993n, new Date('2024-03-04T05:06:07Z')]);
    expect(rows).toEqual([{ d: 1.5, b: true, n: true, big: 9007199254740993n, t: new Date('2024-03-04T05:06:07Z') }]);
  });

  it('arrays in a template become a list of bound values', async () => {
    const { sql, params } = templateToSql(['SELECT id FROM orders WHERE list_contains(', ', customer) ORDER BY id'], [['bob', "x'y"]]);
    expect((await run(sql, params)).rows).toEqual([{ id: 2 }]);
  });

  it('a raw array parameter and a placeholder mismatch are clear errors', async () => {
    const array = await engine.query({ sql: 'SELECT ? AS a', params: [[1, 2]] });
    expect(!array.ok && array.error).toMatchObject({ name: 'ParamError', sql: 'SELECT ? AS a', message: expect.stringMatching(/array/) });
    const count = await engine.query({ sql: 'SELECT ? AS a', params: [] });
    expect(!count.ok && count.error.message).toMatch(/1 "\?" placeholder/);
  });
});

describe('result values (real DuckDB types)', () => {
  it('converts each type to a sensible JS value', async () => {
    const { rows, columns } = await run(`SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS huge_big,
      sum(x)::HUGEINT AS hi, 12.34::DECIMAL(10,2) AS dec, -0.5::DECIMAL(4,1) AS neg, DATE '2024-01-02' AS d,
      TIMESTAMP '2024-01-02 03:04:05.250' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz, TIME '01:02:03.5' AS tm,
      [1, 2]::BIGINT[] AS list, {'k': 1.5::DECIMAL(3,1)} AS st, 'é' AS s, 1.5::FLOAT AS f, 7::TINYINT AS ti
      FROM (VALUES (10), (20)) v(x)`);
    expect(rows).toEqual([{
      small: 42, huge_big: 9007199254740993n, hi: 30, dec: 12.34, neg: -0.5, d: new Date('2024-01-02T00:00:00Z'),
      ts: new Date('2024-01-02T03:04:05.250Z'), tz: new Date('2024-01-02T03:04:05Z'), tm: '01:02:03.5',
      list: [1, 2], st: { k: 1.5 }, s: 'é', f: 1.5, ti: 7,
    }]);
    expect(columns.map((c) => c.type)).toEqual([
      'BIGINT', 'BIGINT', 'DECIMAL(38,0)', 'DECIMAL(10,2)', 'DECIMAL(4,1)', 'DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE',
      'TIME', 'BIGINT[]', 'STRUCT(k DECIMAL(3,1))', 'VARCHAR', 'FLOAT', 'TINYINT',
    ]);
  });

  it('negative HUGEINT beyond 64 bits', async () => {
    const { rows } = await run('SELECT (-170141183460469231731687303715884105727)::HUGEINT AS h');
    expect(rows[0].h).toBeCloseTo(-1.7014118346046923e38, -25);
  });
});

describe('memo', () => {
  it('hits memory on a repeat (also with different layout), misses on new params', async () => {
    const before = engine.executions;
    const a = await run('SELECT sum(amount) AS s FROM orders WHERE amount > ?', [1]);
    const b = await run('select sum(amount) as s\n  from orders where amount > ?', [1]);
    const c = await run('SELECT sum(amount) AS s FROM orders WHERE amount > ?', [6]);
    expect([a.cache, b.cache, c.cache]).toEqual(['miss', 'memory', 'miss']);
    expect(engine.executions - before).toBe(2);
    expect(a.tables).toEqual(['orders']);
  });

  it('runs identical queries in flight once', async () => {
    const before = engine.executions;
    const results = await Promise.all([1, 2, 3].map(() => run('SELECT count(*) AS n FROM orders WHERE id > 0')));
    expect(engine.executions - before).toBe(1);
    expect(results.map((r) => r.cache).sort()).toEqual(['inflight', 'inflight', 'miss']);
  });

  it('replacing a table invalidates exactly the queries that read it', async () => {
    await engine.ingest({ fileName: 'other.csv', bytes: csv('v\n1\n') });
    await run('SELECT max(amount) AS m FROM orders');
    await run('SELECT max(v) AS m FROM other');
    const replaced = await engine.ingest({ fileName: 'orders.csv', bytes: csv('id,customer,amount\n1,ann,99\n') });
    expect(replaced.ok && replaced.value.version).toBe(2);
    const orders = await run('SELECT max(amount) AS m FROM orders');
    const other = await run('SELECT max(v) AS m FROM other');
    expect([orders.cache, orders.rows[0].m, other.cache]).toEqual(['miss', 99, 'memory']);
  });

  it('never caches a failed query; a missing table is reported so the query can re-run when it appears', async () => {
    const before = engine.executions;
    const first = await engine.query({ sql: 'SELECT * FROM later', params: [] });
    const second = await engine.query({ sql: 'SELECT * FROM later', params: [] });
    expect(first.ok || second.ok).toBe(false);
    expect(engine.executions - before).toBe(2);
    expect(!first.ok && first.error).toMatchObject({ name: 'QueryError', sql: 'SELECT * FROM later', line: 1, column: 15 });
    expect(!first.ok && first.error.hint).toMatch(/later\.csv/);
    await engine.ingest({ fileName: 'later.csv', bytes: csv('x\n1\n') });
    const third = await run('SELECT * FROM later');
    expect([third.cache, third.rows, third.tables]).toEqual(['miss', [{ x: 1 }], ['later']]);
  });

  it('a bad query leaves the instance working', async () => {
    const bad = await engine.query({ sql: 'SELEC 1', params: [] });
    expect(!bad.ok && bad.error).toMatchObject({ name: 'QueryError', line: 1, column: 1, message: expect.stringMatching(/syntax error/) });
    expect((await run('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });
});

describe('window', () => {
  it('returns a sorted, offset window of a query', async () => {
    await engine.ingest({ fileName: 'nums.csv', bytes: csv(`n\n${Array.from({ length: 50 }, (_, i) => i).join('\n')}\n`) });
    const result = await engine.window({ sql: 'SELECT n FROM nums WHERE n >= ?;', params: [10], offset: 5, limit: 3, sort: { column: 'n', direction: 'desc' } });
    expect(result).toEqual({ ok: true, value: [{ n: 44 }, { n: 43 }, { n: 42 }] });
    const bad = await engine.window({ sql: 'SELECT nope FROM nums', params: [], offset: 0, limit: 3 });
    expect(!bad.ok && bad.error.sql).toBe('SELECT nope FROM nums');
  });
});

describe('cancellation', () => {
  it('drops queued queries of older generations, runs newer ones', async () => {
    const old = engine.query({ sql: 'SELECT 101 AS g', params: [], generation: 1 });
    const fresh = engine.query({ sql: 'SELECT 102 AS g', params: [], generation: 2 });
    engine.cancelBefore(2);
    const [a, b] = await Promise.all([old, fresh]);
    expect(!a.ok && a.error.name).toBe('CancelledError');
    expect(b.ok).toBe(true);
    // Cancelled is not cached either.
    expect((await engine.query({ sql: 'SELECT 101 AS g', params: [], generation: 3 })).ok).toBe(true);
  });
});

describe('another notebook taking the engine over (a page of a site opened in place)', () => {
  it('waits for nothing of DuckDB when there is nothing to drop (DuckDB may never start)', async () => {
    const never = new DataEngine({ connection: new Promise<never>(() => {}), decodeParquet: decodeParquetNode });
    const done = await Promise.race([never.replaceNotebook({}).then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 1000))]);
    expect(done).toBe('done');
  });

  it('sees no table of the old one, and what the old one left queued is dropped', async () => {
    const own = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
    expect((await own.ingest({ fileName: 'towns.csv', bytes: csv('town\nAsh\nBirch\n') })).ok).toBe(true);
    const count = { sql: 'SELECT count(*)::INTEGER AS n FROM towns', params: [] };
    expect((await own.query(count)).ok).toBe(true);
    // The old notebook's runtime was at generation 7 and had just asked something.
    const queued = own.query({ sql: 'SELECT 7 AS g', params: [], generation: 7 });
    await own.replaceNotebook({});
    expect((await queued).ok ? 'ran' : 'dropped').toBe('dropped');
    // A remote engine's query the old runtime left queued does not reach the next notebook's engines either.
    const remote = await own.query({ sql: 'SELECT 1', params: [], generation: 7, engine: 'warehouse' });
    expect(!remote.ok && remote.error.name).toBe('CancelledError');
    expect(own.tables()).toEqual([]);
    const gone = await own.query(count);
    expect(!gone.ok && gone.error.message).toMatch(/towns does not exist/);
    // The next notebook's runtime counts on from a later epoch; its queries run on the same DuckDB.
    expect((await own.query({ sql: 'SELECT 8 AS g', params: [], generation: 8 })).ok).toBe(true);
    // A table of the same name from other bytes: nothing of the old one's memo answers for it.
    expect((await own.ingest({ fileName: 'towns.csv', bytes: csv('town\nCedar\n') })).ok).toBe(true);
    const fresh = await own.query(count);
    expect(fresh.ok && rowsOf(tableFromIPC(fresh.value.ipc))).toEqual([{ n: 1 }]);
  });
});

describe('a load of the notebook that gave the engine up', () => {
  it('never lands, even when it finishes after the next notebook loaded a table of the same name', async () => {
    // The old page's file arrives only when `arrive` is called; the new page's at once.
    let arrive!: () => void;
    const slow = new Promise<void>((resolve) => (arrive = resolve));
    const files: Record<string, string> = { 'http://site/a/towns.csv': 'town\nAsh\nBirch\n', 'http://site/a/only.csv': 'x\n1\n', 'http://site/b/towns.csv': 'town\nCedar\n' };
    const fetcher = (async (input: string | URL | Request) => {
      const url = String(input);
      if (url.includes('/a/')) await slow;
      return new Response(files[url] ?? '', { status: files[url] ? 200 : 404 });
    }) as typeof fetch;
    const own = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, fetch: fetcher });
    const oldTowns = own.ingestUrl({ url: 'http://site/a/towns.csv', table: 'towns' });
    const oldOnly = own.ingestUrl({ url: 'http://site/a/only.csv', table: 'only_old' });
    await own.replaceNotebook({});
    expect((await own.ingestUrl({ url: 'http://site/b/towns.csv', table: 'towns' })).ok).toBe(true);
    arrive();
    expect([(await oldTowns).ok, (await oldOnly).ok]).toEqual([false, false]);
    expect(own.tables().map((t) => [t.name, t.rowCount])).toEqual([['towns', 1]]);
    const rows = await own.query({ sql: 'SELECT town FROM towns', params: [] });
    expect(rows.ok && rowsOf(tableFromIPC(rows.value.ipc))).toEqual([{ town: 'Cedar' }]);
    const gone = await own.query({ sql: 'SELECT * FROM only_old', params: [] });
    expect(gone.ok).toBe(false);
  });
});

describe('remote engine queries and generations', () => {
  const spec = { type: 'clickhouse', url: 'http://ch.example/', maxAgeMs: 0, rowLimit: 1000 } as const;
  /** A ClickHouse stand-in: the version probe answers at once, each query with `who()` once `gate()` lets it. */
  function fakeClickhouse(gate: () => Promise<void>, who: () => string): typeof fetch {
    return (async (_input: string | URL | Request, init?: RequestInit) => {
      const body = String(init?.body ?? '');
      if (body.includes('version()')) return new Response(JSON.stringify({ meta: [{ name: 'version', type: 'String' }, { name: 'zone', type: 'String' }], data: [['18.1', 'UTC']] }));
      const value = who();
      await gate();
      return new Response(JSON.stringify({ meta: [{ name: 'who', type: 'String' }], data: [[value]] }));
    }) as typeof fetch;
  }

  it('a newer generation of the same notebook does not cancel a remote query (it runs to its end)', async () => {
    const own = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, fetch: fakeClickhouse(async () => {}, () => 'x'), engines: { engines: { ch: spec }, results: {} } });
    own.cancelBefore(6); // an unrelated control moved: the runtime began generation 6
    const answer = await own.query({ sql: 'SELECT 1', params: [], generation: 5, engine: 'ch' });
    expect(answer.ok ? 'ran' : answer.error.name).toBe('ran');
  });

  it('the answer of a page that was left, still running at the takeover, does not become the next page\'s table', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const declared = { engines: { ch: spec }, results: { by_state: 'ch' } };
    const own = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, engines: declared,
      fetch: fakeClickhouse(() => (calls === 1 ? slow : Promise.resolve()), () => (++calls === 1 ? 'old page' : 'new page')),
    });
    const old = own.query({ sql: 'SELECT 1', params: [], generation: 5, engine: 'ch', as: 'by_state' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.replaceNotebook({ engines: declared });
    expect((await own.query({ sql: 'SELECT 2', params: [], generation: 2 ** 33, engine: 'ch', as: 'by_state' })).ok).toBe(true);
    release();
    await old;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await own.query({ sql: 'SELECT who FROM by_state', params: [] });
    expect(rows.ok && rowsOf(tableFromIPC(rows.value.ipc))).toEqual([{ who: 'new page' }]);
  });
});

describe('tables announced by a load in progress', () => {
  it('a query sent right after a load was requested waits for it instead of failing', async () => {
    let start!: (conn: Awaited<ReturnType<typeof nodeDuck>>) => void;
    const later = new Promise<Awaited<ReturnType<typeof nodeDuck>>>((resolve) => { start = resolve; });
    const fresh = new DataEngine({ connection: later, decodeParquet: decodeParquetNode });
    const loading = fresh.ingest({ fileName: 'late.csv', bytes: csv('x\n1\n2\n3\n') });
    // Sent before the load has even been fingerprinted, and before DuckDB is up.
    const answer = fresh.query({ sql: 'SELECT sum(x)::INTEGER AS s FROM late', params: [] });
    start(await nodeDuck());
    expect((await loading).ok).toBe(true);
    const result = await answer;
    expect(result.ok).toBe(true);
    if (result.ok) expect(rowsOf(tableFromIPC(result.value.ipc))).toEqual([{ s: 6 }]);
  }, 60_000);

  it('a failed URL load withdraws the table, so queries report it missing', async () => {
    const failing = new DataEngine({
      connection: nodeDuck(),
      decodeParquet: decodeParquetNode,
      fetch: async () => new Response('nope', { status: 404, statusText: 'Not Found' }),
    });
    const load = failing.ingestUrl({ url: 'https://example.invalid/gone.csv', table: 'gone' });
    const query = failing.query({ sql: 'SELECT * FROM gone', params: [] });
    expect((await load).ok).toBe(false);
    const result = await query;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/gone/);
  }, 60_000);
});

describe('a picked file passed as a Blob', () => {
  /** A Blob whose whole-file reads are logged (slices are plain Blobs, not logged). */
  class LoggedBlob extends Blob {
    constructor(parts: BlobPart[], private readonly log: string[]) {
      super(parts);
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      this.log.push('whole file read');
      return super.arrayBuffer();
    }
  }

  /** The Node binding with a `registerBlob` (the browser's reads slices; this one copies, which is all a test needs). */
  async function slicingDuck(log: string[]) {
    const conn = await nodeDuck();
    return {
      ...conn,
      async registerBlob(name: string, blob: Blob) {
        log.push('blob registered');
        await conn.registerFile(name, new Uint8Array(await new Response(blob).arrayBuffer()));
      },
      query(sql: string) {
        if (sql.startsWith('CREATE TABLE')) log.push('DuckDB asked to read it');
        return conn.query(sql);
      },
    };
  }

  it('a CSV goes to DuckDB first; the whole file is read (for its fingerprint) only after', async () => {
    const log: string[] = [];
    const fresh = new DataEngine({ connection: slicingDuck(log), decodeParquet: decodeParquetNode });
    const text = 'id,v\n1,10\n2,20\n';
    const loaded = await fresh.ingest({ fileName: 'picked.csv', bytes: new LoggedBlob([text], log) });
    expect(loaded.ok && loaded.value.rowCount).toBe(2);
    expect(log).toEqual(['blob registered', 'DuckDB asked to read it', 'whole file read']);
    // The same content as bytes has the same fingerprint, so persisted results carry over.
    const again = await fresh.ingest({ fileName: 'again.csv', bytes: csv(text) });
    expect(loaded.ok && again.ok && again.value.fingerprint).toBe(loaded.ok && loaded.value.fingerprint);
  }, 60_000);

  it('without `registerBlob`, and for other formats, the Blob is read here and loaded as bytes', async () => {
    const log: string[] = [];
    const fresh = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
    const loaded = await fresh.ingest({ fileName: 'plain.csv', bytes: new LoggedBlob(['x\n1\n2\n3\n'], log) });
    expect(loaded.ok && loaded.value.rowCount).toBe(3);
    const json = await fresh.ingest({ fileName: 'rows.json', bytes: new Blob(['[{"a": 1}, {"a": 2}]']) });
    expect(json.ok && json.value.rowCount).toBe(2);
    expect(log).toEqual(['whole file read']);
  }, 60_000);

  it('an empty or binary "CSV" fails with its file name, and queries waiting for it are answered', async () => {
    const fresh = new DataEngine({ connection: slicingDuck([]), decodeParquet: decodeParquetNode });
    const empty = fresh.ingest({ fileName: 'empty.csv', bytes: new Blob([]) });
    const waiting = fresh.query({ sql: 'SELECT * FROM empty', params: [] });
    const result = await empty;
    expect(!result.ok && result.error.message).toBe('Could not load empty.csv: the file is empty.');
    expect((await waiting).ok).toBe(false);
    const binary = await fresh.ingest({ fileName: 'image.csv', bytes: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])]) });
    expect(!binary.ok && binary.error.message).toMatch(/image\.csv: it contains binary data/);
  }, 60_000);
});

describe('numericTable (what user code gets from query)', () => {
  it('works where code cannot be built from strings (a network-blocked runtime, the build), nulls kept', async () => {
    // Arrow's vector builders compile a validity check with \`new Function\`; the lockdown removes it.
    const result = await engine.query({ sql: 'SELECT * FROM (VALUES (1::BIGINT), (NULL), (3::BIGINT)) t(n)', params: [] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ipc = result.value.ipc;
    const refuse = function () { throw new TypeError('no code from strings'); };
    vi.stubGlobal('Function', refuse);
    try {
      const table = numericTable(tableFromIPC(ipc));
      expect([...table].map((r) => r.n)).toEqual([1, null, 3]);
      expect(table.getChild('n')!.nullCount).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('gives numbers for BIGINT, HUGEINT and DECIMAL through the Arrow API itself', async () => {
    const result = await engine.query({
      sql: `SELECT count(*) AS n, sum(range) AS total, 12.5::DECIMAL(10,2) AS price, 170141183460469231731687303715884105727::HUGEINT // 10::HUGEINT AS huge, 9007199254740993::BIGINT AS unsafe, 'x' AS label FROM range(3)`,
      params: [],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const table = numericTable(tableFromIPC(result.value.ipc));
    const row = table.get(0)!.toJSON();
    expect(row.n).toBe(3);
    expect(typeof row.total).toBe('number');
    expect(row.price).toBe(12.5);
    expect(typeof row.huge).toBe('number');
    expect(row.huge).toBeCloseTo(1.7014118346046923e37, -25);
    // Too big to be exact: stays a bigint rather than silently losing digits.
    expect(row.unsafe).toBe(9007199254740993n);
    expect(row.label).toBe('x');
    expect([...table].map((r) => r.n)).toEqual([3]);
    expect(Array.from(table.getChild('n')!.toArray() as ArrayLike<number>)).toEqual([3]);
    expect(table.numRows).toBe(1);
  });
});

describe('URLs SQL may read', () => {
  it('hands the connection the declared URLs before any query, and again when they change', async () => {
    const lists: string[][] = [];
    const order: string[] = [];
    const connection = nodeDuck().then((conn) => ({
      ...conn,
      query: (sql: string) => { order.push('query'); return conn.query(sql); },
      readUrls: (urls: string[]) => { order.push('urls'); lists.push(urls); },
    }));
    const fresh = new DataEngine({
      connection,
      decodeParquet: decodeParquetNode,
      engines: { engines: {}, results: {}, readableUrls: ['https://a.example/x.csv'] },
    });
    expect((await fresh.query({ sql: 'SELECT 1 AS one', params: [] })).ok).toBe(true);
    expect(order[0]).toBe('urls');
    fresh.setEngines({ engines: {}, results: {}, readableUrls: ['https://b.example/y.csv'] });
    await connection;
    await Promise.resolve();
    expect(lists).toEqual([['https://a.example/x.csv'], ['https://b.example/y.csv']]);
  });
});
