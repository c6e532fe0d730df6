import { describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/data/engine.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

describe('a front-matter table whose file is missing', () => {
  it('makes queries that read it wait for it, until a file of that name loads', async () => {
    const notFound = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, fetch: notFound, baseUrl: 'http://site.test/' });
    // The query is asked while the load is under way, as a first run does.
    const [load, early] = await Promise.all([
      engine.ingestUrl({ url: 'data/gone.csv', table: 'gone' }),
      engine.query({ sql: 'SELECT count(*) AS n FROM gone', params: [] }),
    ]);
    expect(load.ok).toBe(false);
    expect(early).toMatchObject({
      ok: false,
      error: { name: 'WaitingError', waitingFor: 'gone', message: 'Waiting for the table gone: its data file gone.csv could not be loaded (HTTP 404 Not Found).' },
    });
    const later = await engine.query({ sql: 'SELECT max(v) FROM gone', params: [] });
    expect(later).toMatchObject({ ok: false, error: { name: 'WaitingError' } });
    // Other tables are not affected, nor is a table nobody declared.
    expect(await engine.query({ sql: 'SELECT * FROM never_declared', params: [] })).toMatchObject({ ok: false, error: { name: 'QueryError' } });
    expect((await engine.query({ sql: 'SELECT 1 AS one', params: [] })).ok).toBe(true);
    const dropped = await engine.ingest({ fileName: 'gone.csv', bytes: new TextEncoder().encode('v\n1\n2\n').buffer as ArrayBuffer });
    expect(dropped.ok).toBe(true);
    const answered = await engine.query({ sql: 'SELECT count(*)::INTEGER AS n FROM gone', params: [] });
    expect(answered.ok).toBe(true);
  }, 60_000);
});
