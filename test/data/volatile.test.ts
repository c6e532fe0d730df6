import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/data/arrow-values.ts';
import type { DuckConnection } from '../../src/data/duck-connection.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { isVolatileSql } from '../../src/data/volatile.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

let conn: DuckConnection;
let engine: DataEngine;

beforeAll(async () => {
  const duck = nodeDuck();
  conn = await duck;
  engine = new DataEngine({ connection: duck, decodeParquet: decodeParquetNode });
}, 60_000);

describe('isVolatileSql', () => {
  it("covers every function DuckDB itself calls not CONSISTENT", async () => {
    const listed = tableFromIPC(await conn.query(
      "SELECT DISTINCT function_name AS name FROM duckdb_functions() WHERE stability <> 'CONSISTENT' ORDER BY 1",
    )).toArray().map((row) => String(row.name));
    expect(listed.length).toBeGreaterThan(10);
    const missed = listed.filter((name) => !isVolatileSql(`SELECT ${name}()`));
    expect(missed).toEqual([]);
  });

  it('finds clock keywords, URL reads and calls; not columns or quoted names', () => {
    for (const sql of [
      'SELECT random() AS r',
      'select NOW()',
      'SELECT current_date',
      'SELECT CURRENT_TIMESTAMP AS t',
      "SELECT * FROM read_csv('https://example.com/x.csv')",
      "SELECT nextval('seq')",
      'SELECT gen_random_uuid()',
    ]) expect(isVolatileSql(sql), sql).toBe(true);
    for (const sql of [
      'SELECT 1',
      'SELECT error, now_playing FROM logs',
      'SELECT "random"() FROM t',
      "SELECT 'random()' AS text",
      "SELECT * FROM read_csv('data/x.csv')",
      'SELECT random_value FROM t',
    ]) expect(isVolatileSql(sql), sql).toBe(false);
  });

  it('counts statements that change the database or the session as volatile, reads of every kind not', () => {
    for (const sql of [
      'CREATE OR REPLACE TABLE t2 AS SELECT * FROM orders WHERE amount >= ?',
      'insert into t2 values (1)',
      'SELECT 1; DROP TABLE t2',
      'SET threads = 1',
      "COPY t2 TO 'out.csv'",
    ]) expect(isVolatileSql(sql), sql).toBe(true);
    for (const sql of [
      'WITH a AS (SELECT 1) SELECT * FROM a',
      'FROM orders SELECT amount',
      '(SELECT 1) UNION ALL (SELECT 2)',
      'DESCRIBE orders',
      'SUMMARIZE orders',
      'PIVOT orders ON region USING sum(amount)',
      'VALUES (1), (2)',
    ]) expect(isVolatileSql(sql), sql).toBe(false);
  });
});

describe('volatile queries in the engine', () => {
  const draw = async (sql: string) => {
    const result = await engine.query({ sql, params: [] });
    if (!result.ok) throw new Error(result.error.message);
    return { cache: result.value.cache, value: rowsOf(tableFromIPC(result.value.ipc))[0].r };
  };

  it('runs random() every time; a stable query is memoized', async () => {
    const first = await draw('SELECT random() AS r');
    const second = await draw('SELECT random() AS r');
    expect(second.cache).toBe('miss');
    expect(second.value).not.toBe(first.value);
    await draw('SELECT 41 + 1 AS r');
    expect((await draw('SELECT 41 + 1 AS r')).cache).toBe('memory');
  });

  it('never replays a query over a table the notebook\'s own SQL made, nor the statement that made it', async () => {
    const make = (minimum: number) => engine.query({ sql: 'CREATE OR REPLACE TABLE made AS SELECT range AS r FROM range(10) WHERE range >= ?', params: [minimum] });
    const count = async () => {
      const result = await engine.query({ sql: 'SELECT count(*)::INTEGER AS r FROM made', params: [] });
      if (!result.ok) throw new Error(result.error.message);
      return rowsOf(tableFromIPC(result.value.ipc))[0].r;
    };
    for (const [minimum, expected] of [[2, 8], [7, 3], [2, 8]] as const) {
      expect((await make(minimum)).ok).toBe(true);
      expect(await count()).toBe(expected);
    }
  });
});
