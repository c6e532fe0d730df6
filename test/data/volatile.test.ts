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
});
