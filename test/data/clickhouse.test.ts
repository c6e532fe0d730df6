/**
 * The ClickHouse connector and the remote-engine memo against a real
 * ClickHouse: two shards on loopback with a Distributed table of the bird
 * strikes (test/setup/clickhouse.ts). Answers are compared with DuckDB's on
 * the same CSV.
 */
import 'fake-indexeddb/auto';
import { tableFromIPC, type Table } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { createStore } from 'idb-keyval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/arrow-values.ts';
import { clickhouseConnector } from '../../src/data/clickhouse.ts';
import type { ConnectorContext, ConnectorQuery } from '../../src/data/connector.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { PersistedMemo } from '../../src/data/persisted-memo.ts';
import { RemoteEngines } from '../../src/data/remote-engines.ts';
import { templateToSql } from '../../src/data/sql-template.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';
import type { EngineSpec } from '../../src/notebook/types.ts';
import { CLICKHOUSE_MISSING, READER, STRIKES_CSV, clickhouseAvailable, startClickHouse, type ClickHouseCluster } from '../setup/clickhouse.ts';
import { HOSTILE } from './clickhouse-params.test.ts';

if (!clickhouseAvailable()) console.warn(CLICKHOUSE_MISSING);

/** A template as the runtime sends it: SQL with `?` at known offsets. */
function sql(strings: TemplateStringsArray, ...values: unknown[]): ConnectorQuery {
  const { sql: text, params, placeholders } = templateToSql(strings, values);
  return { sql: text, params, placeholders };
}

const rows = (ipc: Uint8Array) => rowsOf(tableFromIPC(ipc));

describe.skipIf(!clickhouseAvailable())('ClickHouse connector (real server, two shards)', () => {
  let cluster: ClickHouseCluster;
  let spec: EngineSpec;
  const context = (password: string | undefined = READER.password): ConnectorContext => ({ name: 'warehouse', password: () => password });

  beforeAll(async () => {
    cluster = await startClickHouse();
    spec = { type: 'clickhouse', url: cluster.url, user: READER.user, maxAgeMs: 60_000, rowLimit: 50_000 };
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('answers an aggregate over the Distributed table as DuckDB does over the same CSV', async () => {
    const connector = clickhouseConnector(spec, context());
    const remote = rows((await connector.run(sql`SELECT state, count() AS n, sum(cost_total) AS cost FROM strikes GROUP BY state ORDER BY n DESC, state`)).ipc);
    const duck = await nodeDuck();
    await duck.registerFile('strikes.csv', readFileSync(STRIKES_CSV));
    const local = rowsOf(tableFromIPC(await duck.query(
      `SELECT "Origin State" AS state, count(*)::BIGINT AS n, sum("Cost Total $")::BIGINT AS cost FROM read_csv_auto('strikes.csv') GROUP BY 1 ORDER BY n DESC, state`,
    )));
    expect(remote.length).toBe(29);
    expect(remote).toEqual(local);
    // Both shards answered: each holds half the rows.
    expect(await cluster.admin('SELECT count() FROM strikes_local', 1)).toBe('5000\n');
  });

  it('binds ${} values (escaped literals on this server) so hostile strings stay values', async () => {
    const connector = clickhouseConnector(spec, context());
    for (const value of HOSTILE) {
      const [row] = rows((await connector.run(sql`SELECT ${value} AS v, length(${value}) AS bytes`)).ipc);
      expect(row.v).toBe(value);
      expect(row.bytes).toBe(new TextEncoder().encode(value).length);
    }
    const [attack] = rows((await connector.run(sql`SELECT count() AS n FROM strikes WHERE phase = ${"'; DROP TABLE strikes; --"}`)).ipc);
    expect(attack.n).toBe(0);
    const [climb] = rows((await connector.run(sql`SELECT count() AS n FROM strikes WHERE phase = ${'Climb'} AND speed > ${100}`)).ipc);
    const duck = await nodeDuck();
    await duck.registerFile('strikes.csv', readFileSync(STRIKES_CSV));
    const [expected] = rowsOf(tableFromIPC(await duck.query(
      `SELECT count(*)::BIGINT AS n FROM read_csv_auto('strikes.csv') WHERE "Phase of flight" = 'Climb' AND "Speed IAS in knots" > 100`,
    )));
    expect(climb.n).toBe(expected.n);
    expect(await cluster.admin('SELECT count() FROM strikes')).toBe('10000\n');
  });

  it('lists and numbers bind too, and a ternary ? in the SQL is left alone', async () => {
    const connector = clickhouseConnector(spec, context());
    const phases = ['Climb', 'Approach'];
    const [row] = rows((await connector.run(sql`SELECT count() > 0 ? 'some' : 'none' AS any, countIf(has(${phases}, phase)) AS n FROM strikes`)).ipc);
    expect(row.any).toBe('some');
    expect(row.n).toBeGreaterThan(0);
  });

  it('converts ClickHouse types to Arrow (64-bit integers exact, times in UTC)', async () => {
    const connector = clickhouseConnector(spec, context());
    const { ipc } = await connector.run(sql`SELECT toUInt64(18446744073709551615) AS big, toInt64(-5) AS neg, toDate('2024-03-01') AS day,
      toDateTime('2024-03-01 12:00:00', 'Asia/Tokyo') AS tokyo, toDateTime('2024-03-01 12:00:00', 'UTC') AS utc,
      CAST(NULL AS Nullable(String)) AS missing, ['a', 'b'] AS list, toDecimal64(1.25, 2) AS dec, toFixedString('ab', 3) AS fixed, tuple(1, 'x') AS pair`);
    const table: Table = tableFromIPC(ipc);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Uint64', 'Int64', 'Date32<DAY>', 'Timestamp<MILLISECOND>', 'Timestamp<MILLISECOND>', 'Utf8', 'List<Utf8>', 'Float64', 'Utf8', 'Utf8',
    ]);
    const [row] = rowsOf(table);
    expect(table.get(0)?.big).toBe(18446744073709551615n);
    expect(row.neg).toBe(-5);
    expect((row.day as Date).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect((row.tokyo as Date).toISOString()).toBe('2024-03-01T03:00:00.000Z');
    expect((row.utc as Date).toISOString()).toBe('2024-03-01T12:00:00.000Z');
    expect(row.missing).toBeNull();
    expect(row.list).toEqual(['a', 'b']);
    expect(row.dec).toBe(1.25);
    expect(row.fixed).toBe('ab\0');
    expect(row.pair).toBe('[1,"x"]');
  });

  it('says when the engine is unreachable', async () => {
    const closed = clickhouseConnector({ ...spec, url: 'http://127.0.0.1:9/' }, context());
    await expect(closed.run(sql`SELECT 1`)).rejects.toMatchObject({ name: 'EngineUnreachableError', message: 'Could not reach the engine warehouse (http://127.0.0.1:9/).' });
  });

  it('says when the user or password is refused, without ever showing the password', async () => {
    const wrong = clickhouseConnector(spec, context('not-the-password'));
    const error = await wrong.run(sql`SELECT 1`).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'EngineAuthError' });
    expect((error as Error).message).toMatch(/refused the user reader: Wrong password for user reader/);
    expect(JSON.stringify({ message: (error as Error).message, hint: (error as { hint?: string }).hint })).not.toContain('not-the-password');
    const none = clickhouseConnector(spec, context(''));
    await expect(none.run(sql`SELECT 1`)).rejects.toMatchObject({ name: 'EngineAuthError' });
  });

  it('sends user and password (UTF-8) in a header, never in the URL; with auth: url as URL parameters', async () => {
    const sent: { url: string; authorization: string | null }[] = [];
    const recording = (password: string) => ({
      ...context(password),
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        sent.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
        return fetch(input, init);
      },
    });
    // The reader's password has "ä" and "ö": the real server accepts it only as UTF-8.
    const answer = rows((await clickhouseConnector(spec, recording(READER.password)).run(sql`SELECT 7 AS seven`)).ipc);
    expect(answer).toEqual([{ seven: 7 }]);
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) {
      expect(request.url).not.toMatch(/user=|password=/);
      expect(request.url).not.toContain(encodeURIComponent(READER.password));
      expect(request.authorization).toBe(`Basic ${Buffer.from(`${READER.user}:${READER.password}`, 'utf8').toString('base64')}`);
    }
    sent.length = 0;
    const old = rows((await clickhouseConnector({ ...spec, auth: 'url' }, recording(READER.password)).run(sql`SELECT 8 AS eight`)).ipc);
    expect(old).toEqual([{ eight: 8 }]);
    for (const request of sent) {
      expect(new URL(request.url).searchParams.get('password')).toBe(READER.password);
      expect(request.authorization).toBeNull();
    }
    // A wrong password in the header is refused by the server's own word.
    const refused = await clickhouseConnector(spec, recording('wrong')).run(sql`SELECT 1`).catch((e: Error) => e);
    expect(refused).toMatchObject({ name: 'EngineAuthError' });
  });

  it("gives the server's message for a SQL error, placed in the cell's SQL", async () => {
    const connector = clickhouseConnector(spec, context());
    const syntax = await connector.run(sql`SELECT state\nFROM strikes WHERE phase = ${'Climb'}\nGROUP BY state HAVING`).catch((e: Error) => e);
    expect(syntax).toMatchObject({ name: 'EngineQueryError' });
    expect((syntax as Error).message).toBe("ClickHouse: Syntax error: failed at the end of the cell's SQL");
    const typo = await connector.run(sql`SELECT state,\n  count() AS n\nFROM strikes WHERE phase = ${'Climb'} GROUP BY state ORDER BY n DESK LIMIT 3`).catch((e: Error) => e);
    expect((typo as Error).message).toBe("ClickHouse: Syntax error: failed at line 3, column 56 of the cell's SQL: DESK LIMIT 3");
    const missing = await connector.run(sql`SELECT * FROM no_such_table`).catch((e: Error) => e);
    expect((missing as Error).message).toBe("ClickHouse: Table default.no_such_table doesn't exist.");
    // Only a SELECT gets through the wrap (and the user is read-only anyway).
    await expect(connector.run(sql`DROP TABLE strikes`)).rejects.toMatchObject({ name: 'EngineQueryError' });
    expect(await cluster.admin('EXISTS TABLE strikes')).toBe('1\n');
  });

  it('refuses a result over the row limit, stating the limit', async () => {
    const connector = clickhouseConnector({ ...spec, rowLimit: 1000 }, context());
    await expect(connector.run(sql`SELECT * FROM strikes`)).rejects.toMatchObject({
      name: 'ResultTooLargeError',
      message: `The result has more than 1,000 rows, the row limit of the engine warehouse (${cluster.url}).`,
    });
    expect(rows((await connector.run(sql`SELECT * FROM strikes LIMIT 1000`)).ipc)).toHaveLength(1000);
  });

  describe('through the data engine', () => {
    const declarations = () => ({ engines: { warehouse: spec }, results: { by_state: 'warehouse' } });
    const byState = { sql: 'SELECT state, count() AS n FROM strikes WHERE phase = ? GROUP BY state', params: ['Climb'], placeholders: [54] };

    it('memoizes, persists across visits within maxAge, and registers the result for local SQL', async () => {
      expect(byState.sql[54]).toBe('?');
      const store = createStore('brook-memo-test', 'results');
      const visit = async () => {
        const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, persisted: new PersistedMemo('nb', store), engines: declarations() });
        engine.setEnginePassword('warehouse', READER.password);
        return engine;
      };
      const before = await cluster.readerQueries();
      const first = await visit();
      const a = await first.query({ ...byState, engine: 'warehouse', as: 'by_state' });
      expect(a.ok && a.value.cache).toBe('miss');
      expect(a.ok && a.value.registered).toEqual({ table: 'by_state', changed: true });
      const again = await first.query({ ...byState, engine: 'warehouse', as: 'by_state' });
      expect(again.ok && again.value.cache).toBe('memory');
      expect(again.ok && again.value.registered).toEqual({ table: 'by_state', changed: false });
      // The remote rows are a DuckDB table now: join them with a local one.
      await first.ingest({ fileName: 'regions.csv', bytes: new TextEncoder().encode('state,region\nTexas,South\nCalifornia,West\n').buffer as ArrayBuffer });
      const joined = await first.query({ sql: 'SELECT r.region, b.n FROM by_state b JOIN regions r USING (state) ORDER BY r.region', params: [] });
      expect(joined.ok && rows(joined.value.ipc).map((r) => r.region)).toEqual(['South', 'West']);
      // One probe (version, time zone, parameters: two requests on 18.x) and one query.
      const sent = (await cluster.readerQueries()) - before;
      expect(first.remote.executions).toBe(1);

      // A second visit (a new engine, the same browser) answers from the persisted memo: nothing is sent.
      const second = await visit();
      const b = await second.query({ ...byState, engine: 'warehouse', as: 'by_state' });
      expect(b.ok && b.value.cache).toBe('persisted');
      expect(b.ok && rows(b.value.ipc)).toEqual(a.ok && rows(a.value.ipc));
      expect(second.remote.executions).toBe(0);
      expect((await cluster.readerQueries()) - before).toBe(sent);
    });

    it('asks the engine again once a result is older than maxAge', async () => {
      let now = 1_000_000;
      const registered: string[] = [];
      const remote = new RemoteEngines({ register: async (table) => (registered.push(table), true), now: () => now });
      remote.declare({ engines: { warehouse: { ...spec, maxAgeMs: 5000 } }, results: {} });
      remote.setPassword('warehouse', READER.password);
      const ask = () => remote.query({ ...byState, engine: 'warehouse' });
      expect((await ask()).ok).toBe(true);
      now += 4000;
      expect(await ask()).toMatchObject({ ok: true, value: { cache: 'memory' } });
      now += 2000;
      expect(await ask()).toMatchObject({ ok: true, value: { cache: 'miss' } });
      expect(remote.executions).toBe(2);
    });

    it('contacts only declared engines, registers only declared cells, and nothing without network', async () => {
      // These answers come before DuckDB would be asked anything: a DuckDB that never starts will do.
      const never = new Promise<never>(() => {});
      const engine = new DataEngine({ connection: never, decodeParquet: decodeParquetNode, engines: declarations() });
      expect(await engine.query({ sql: 'SELECT 1', params: [], engine: 'elsewhere', placeholders: [] })).toMatchObject({
        ok: false, error: { name: 'EngineNotDeclaredError' },
      });
      expect(await engine.query({ sql: 'SELECT 1', params: [], engine: 'warehouse', as: 'orders', placeholders: [] })).toMatchObject({
        ok: false, error: { name: 'EngineNotDeclaredError', message: 'orders is not a SQL cell on the engine warehouse, so its rows cannot become a table of that name.' },
      });
      const offline = new DataEngine({ connection: never, decodeParquet: decodeParquetNode, engines: declarations(), blockNetwork: true });
      const before = await cluster.readerQueries();
      expect(await offline.query({ ...byState, engine: 'warehouse' })).toMatchObject({ ok: false, error: { name: 'EngineBlockedError' } });
      expect(await cluster.readerQueries()).toBe(before);
    });

    it('will not let a result take the name of a loaded table', async () => {
      const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, engines: declarations() });
      engine.setEnginePassword('warehouse', READER.password);
      await engine.ingest({ fileName: 'by_state.csv', bytes: new TextEncoder().encode('a\n1\n').buffer as ArrayBuffer });
      const result = await engine.query({ ...byState, engine: 'warehouse', as: 'by_state' });
      expect(result).toMatchObject({
        ok: false,
        error: { name: 'ResultNameTakenError', message: "The cell's result cannot become the table by_state: that name is already the table loaded from by_state.csv." },
      });
    });
  });
});
