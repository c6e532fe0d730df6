import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { DuckConnection } from '../../src/data/duck-connection.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { PersistedMemo } from '../../src/data/persisted-memo.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

const ipc = tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'stream');
const result = { ipc, rowCount: 3, columns: [{ name: 'x', type: 'INTEGER' }], tables: ['t'] };

describe('PersistedMemo', () => {
  it('round-trips a result, scoped per notebook', async () => {
    const store = createStore('memo-test-1', 'results');
    const a = new PersistedMemo('nb-a', store);
    expect(await a.put('k', result)).toBe(true);
    expect(await a.get('k')).toMatchObject({ rowCount: 3, columns: result.columns, tables: ['t'] });
    expect(Array.from((await a.get('k'))!.ipc)).toEqual(Array.from(ipc));
    expect(await new PersistedMemo('nb-b', store).get('k')).toBeUndefined();
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
  });

  it('drops corrupt entries instead of throwing', async () => {
    const store = createStore('memo-test-2', 'results');
    const memo = new PersistedMemo('nb', store);
    await set('nb\u0001bad-shape', { hello: 1 }, store);
    await set('nb\u0001bad-bytes', { ...result, ipc: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) }, store);
    await set('nb\u0001lying', { ...result, rowCount: 99 }, store);
    for (const key of ['bad-shape', 'bad-bytes', 'lying']) expect(await memo.get(key)).toBeUndefined();
    // …and they are gone: a second read does not even find the bytes.
    await memo.put('bad-bytes', result);
    expect(await memo.get('bad-bytes')).toBeDefined();
  });
});

describe('engine with a persisted memo', () => {
  const csv = new TextEncoder().encode(`n\n${Array.from({ length: 20000 }, (_, i) => i).join('\n')}\n`).buffer as ArrayBuffer;
  // Slow enough to be persisted (> 50 ms) on any machine.
  const slow = 'SELECT count(*) AS c, sum(a.n * b.n) AS s FROM big a, (SELECT n FROM big WHERE n < 100) b';

  it('holds its writes back while queries keep coming (a brush), then writes the newest of each', async () => {
    const puts: string[] = [];
    const recorder = { get: async () => undefined, put: async (key: string) => {
      puts.push(key);
      return true;
    } };
    const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, persisted: recorder, persistAfterMs: -1, persistWhenQuietMs: 150 });
    // DuckDB started (a lone query is written once 150 ms pass without another).
    expect((await engine.query({ sql: 'SELECT 0 AS v', params: [] })).ok).toBe(true);
    await expect.poll(() => puts.length, { timeout: 2000 }).toBe(1);
    puts.length = 0;
    for (let step = 1; step <= 5; step++) {
      expect((await engine.query({ sql: 'SELECT ? * 2 AS v', params: [step] })).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 30));
    }
    // Queries every ~30 ms: nothing written yet.
    expect(puts).toEqual([]);
    await expect.poll(() => puts.length, { timeout: 2000 }).toBe(5);
  });

  it('answers from IndexedDB after a "reload" before DuckDB is ready, then revalidates', async () => {
    const store = createStore('memo-test-3', 'results');
    const duck = await nodeDuck();
    const first = new DataEngine({ connection: Promise.resolve(duck), decodeParquet: decodeParquetNode, persisted: new PersistedMemo('nb', store), persistAfterMs: 0 });
    expect((await first.ingest({ fileName: 'big.csv', bytes: csv.slice(0) })).ok).toBe(true);
    const original = await first.query({ sql: slow, params: [] });
    expect(original.ok && original.value.cache).toBe('miss');
    await new Promise((r) => setTimeout(r, 50)); // the write is fire-and-forget

    // Reload: a new engine whose DuckDB has not started yet.
    let start!: (conn: DuckConnection) => void;
    const later = new Promise<DuckConnection>((resolve) => { start = resolve; });
    const second = new DataEngine({ connection: later, decodeParquet: decodeParquetNode, persisted: new PersistedMemo('nb', store) });
    const loading = second.ingest({ fileName: 'big.csv', bytes: csv.slice(0) });
    await new Promise((r) => setTimeout(r, 20)); // fingerprint computed, DuckDB still down
    const early = await second.query({ sql: slow, params: [] });
    expect(second.ready).toBe(false);
    expect(early.ok && early.value.cache).toBe('persisted');
    expect(early.ok && Array.from(early.value.ipc)).toEqual(original.ok && Array.from(original.value.ipc));
    expect(second.executions).toBe(0);

    start(await nodeDuck());
    expect((await loading).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(second.executions).toBe(1); // the revalidation ran once for real

    // Different bytes → different fingerprint → no stale answer.
    const third = new DataEngine({ connection: Promise.resolve(duck), decodeParquet: decodeParquetNode, persisted: new PersistedMemo('nb', store) });
    await third.ingest({ fileName: 'big.csv', bytes: new TextEncoder().encode('n\n1\n2\n').buffer as ArrayBuffer });
    const changed = await third.query({ sql: slow, params: [] });
    expect(changed.ok && changed.value.cache).toBe('miss');
  }, 60_000);

  it('a ready DuckDB does not wait for a slow IndexedDB read', async () => {
    // IndexedDB reads stall while the page writes a large file; a loaded table should not.
    class Stalled extends PersistedMemo {
      override get(): Promise<undefined> { return new Promise(() => {}); }
    }
    const engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, persisted: new Stalled('nb', createStore('memo-test-4', 'results')) });
    expect((await engine.ingest({ fileName: 'big.csv', bytes: csv.slice(0) })).ok).toBe(true);
    const answer = await engine.query({ sql: 'SELECT count(*)::INTEGER AS n FROM big', params: [] });
    expect(answer.ok && answer.value.cache).toBe('miss');
  }, 60_000);
});
