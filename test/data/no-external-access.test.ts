/**
 * "Run without network" for SQL, measured on DuckDB 1.4.3 itself (the same
 * wasm build the browser runs, through its Node binding): once
 * NO_EXTERNAL_ACCESS is applied, SQL cannot read or write URLs or files
 * outside Brook's registered ones, cannot switch the setting back, and the
 * files Brook ingests still load.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_EXTERNAL_ACCESS } from '../../src/data/duck-connection.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

let engine: DataEngine;

async function sqlError(sql: string): Promise<string | null> {
  const result = await engine.query({ sql, params: [], generation: 1 });
  return result.ok ? null : result.error.message;
}

beforeAll(async () => {
  const connection = await nodeDuck();
  expect(await connection.version()).toBe('v1.4.3');
  await connection.query(NO_EXTERNAL_ACCESS);
  engine = new DataEngine({ connection: Promise.resolve(connection), decodeParquet: decodeParquetNode });
}, 60_000);

describe('NO_EXTERNAL_ACCESS', () => {
  it.each([
    ["SELECT * FROM read_csv('http://127.0.0.1:9/x.csv?leak=1')"],
    ["SELECT * FROM 'http://127.0.0.1:9/x.parquet'"],
    ["SELECT * FROM read_text('http://127.0.0.1:9/whoami')"],
    ["COPY (SELECT 42) TO 'http://127.0.0.1:9/y.csv'"],
    ["ATTACH 'http://127.0.0.1:9/x.db' AS x"],
    ["SELECT * FROM read_csv('/etc/passwd')"],
  ])('refuses %s', async (sql) => {
    // A bare URL as a table is no longer a replacement scan at all: "Table … does not exist".
    expect(await sqlError(sql)).toMatch(/Permission Error|disabled by configuration|does not exist/);
  });

  it.each([['SET enable_external_access=true'], ['RESET enable_external_access'], ["SET allowed_directories=['http://']"], ['SET lock_configuration=false']])(
    'cannot be undone by SQL: %s',
    async (sql) => {
      expect(await sqlError(sql)).toMatch(/locked/);
    },
  );

  it('files Brook ingests still load and query', async () => {
    const bytes = readFileSync(new URL('./fixtures/sales.csv', import.meta.url));
    const loaded = await engine.ingest({ fileName: 'sales.csv', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    expect(loaded.ok, loaded.ok ? '' : loaded.error.message).toBe(true);
    const count = await engine.window({ sql: 'SELECT count(*)::INT AS n FROM sales', params: [], offset: 0, limit: 1 });
    expect(count.ok && Number(count.value[0].n)).toBeGreaterThan(0);
  });
});
