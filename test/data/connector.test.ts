import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { duckdbConnector, EngineError } from '../../src/data/connector.ts';
import { connectorFor } from '../../src/data/connector-registry.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

describe('duckdbConnector', () => {
  it('runs SQL and bound parameters on DuckDB, answering Arrow IPC', async () => {
    const connector = duckdbConnector(nodeDuck());
    expect(connector.kind).toBe('duckdb-wasm');
    const { ipc } = await connector.run({ sql: 'SELECT ?::INTEGER + 1 AS n, ? AS s', params: [41, "it's"] });
    expect(tableFromIPC(ipc).toArray().map((row) => ({ ...row }))).toEqual([{ n: 42, s: "it's" }]);
  });

  it('is what the data engine runs local queries through', async () => {
    const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
    const loaded = await engine.ingest({ fileName: 'T.csv', bytes: new TextEncoder().encode('a\n3\n1\n2\n').buffer as ArrayBuffer });
    expect(loaded.ok && loaded.value.name).toBe('t');
    const q = await engine.query({ sql: 'SELECT sum(a)::INTEGER AS s FROM t WHERE a > ?', params: [1] });
    expect(q.ok && tableFromIPC(q.value.ipc).get(0)?.s).toBe(5);
    expect(engine.executions).toBe(1);
  });
});

describe('connectorFor', () => {
  it('makes the connector of a front matter engine by its type', () => {
    const connector = connectorFor(
      { type: 'clickhouse', url: 'http://127.0.0.1:9/', user: 'reader', maxAgeMs: 1000, rowLimit: 10 },
      { name: 'warehouse', password: () => 'secret' },
    );
    expect(connector.kind).toBe('clickhouse');
    // The identity keys memo entries: address and user, never the password.
    expect(connector.identity).toContain('http://127.0.0.1:9/');
    expect(connector.identity).toContain('reader');
    expect(connector.identity).not.toContain('secret');
  });

  it('names each failure kind so the page can tell them apart', () => {
    expect(new EngineError('auth', 'no').name).toBe('EngineAuthError');
    expect(new EngineError('too-large', 'no').name).toBe('ResultTooLargeError');
  });
});
