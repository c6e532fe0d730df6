import { describe, expect, it } from 'vitest';
import { duckdbWasmConnector } from '../../src/data/connector.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

describe('duckdbWasmConnector', () => {
  it('ingests, lists, queries and windows through the Connector interface', async () => {
    const connector = duckdbWasmConnector({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
    expect(connector.kind).toBe('duckdb-wasm');
    const loaded = await connector.ingest({ fileName: 'T.csv', bytes: new TextEncoder().encode('a\n3\n1\n2\n').buffer as ArrayBuffer });
    expect(loaded.ok && loaded.value.name).toBe('t');
    expect((await connector.tables()).map((t) => t.name)).toEqual(['t']);
    const q = await connector.query({ sql: 'SELECT sum(a)::INTEGER AS s FROM t', params: [] });
    expect(q.ok && q.value.rowCount).toBe(1);
    expect(await connector.window({ sql: 'SELECT a FROM t', params: [], offset: 0, limit: 2, sort: { column: 'a', direction: 'asc' } }))
      .toEqual({ ok: true, value: [{ a: 1 }, { a: 2 }] });
  });
});
