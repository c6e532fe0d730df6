import { describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/data/engine.ts';
import { memoKey } from '../../src/data/memo-key.ts';
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

describe("a built page's data file (keyed by the build's fingerprint, fetched once DuckDB is ready)", () => {
  it('missing: queries that waited for its load, and later ones, wait for the table', async () => {
    const notFound = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, fetch: notFound, baseUrl: 'http://site.test/' });
    const [load, early] = await Promise.all([
      engine.ingestUrl({ url: 'data/gone.csv', table: 'gone', builtFingerprint: 'sha256:what-the-build-read' }),
      engine.query({ sql: 'SELECT count(*) AS n FROM gone', params: [] }),
    ]);
    expect(load.ok).toBe(false);
    expect(early).toMatchObject({ ok: false, error: { name: 'WaitingError', waitingFor: 'gone', message: expect.stringContaining('gone.csv could not be loaded (HTTP 404 Not Found)') } });
    expect(await engine.query({ sql: 'SELECT max(v) FROM gone', params: [] })).toMatchObject({ ok: false, error: { name: 'WaitingError' } });
  }, 60_000);

  it('changed since the build: keyed by its own bytes, and no answer over them is stored under the build\'s fingerprint', async () => {
    const stored = new Map<string, unknown>();
    const csv = 'v\n1\n2\n3\n';
    const engine = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, baseUrl: 'http://site.test/', persistAfterMs: -1,
      fetch: (async () => new Response(csv)) as typeof fetch,
      persisted: { get: async () => undefined, put: async (key, result) => { stored.set(key, result); return true; } },
    });
    const claimed = 'sha256:what-the-build-read';
    const sql = 'SELECT count(*)::INTEGER AS n FROM data WHERE v >= ?';
    // Asked while the file loads (a first run does): keyed by the build's claim, answered over the new rows.
    const [load, early] = await Promise.all([
      engine.ingestUrl({ url: 'data/data.csv', table: 'data', builtFingerprint: claimed }),
      engine.query({ sql, params: [2] }),
    ]);
    expect(load.ok && load.value.fingerprint).not.toBe(claimed);
    expect(early.ok).toBe(true);
    const later = await engine.query({ sql, params: [2] });
    expect(later.ok && later.value.rowCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stored.has(memoKey(sql, [2], { data: claimed }))).toBe(false);
    expect(load.ok && stored.has(memoKey(sql, [2], { data: load.value.fingerprint }))).toBe(true);
  }, 60_000);
});
