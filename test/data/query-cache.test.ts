import { describe, expect, it } from 'vitest';
import { memoKey, stableSerialize } from '../../src/data/memo-key.ts';
import { QueryCache } from '../../src/data/query-cache.ts';

const cache = (maxBytes = 1000) => new QueryCache<string>({ maxBytes, sizeOf: (v) => v.length });

describe('QueryCache', () => {
  it('runs once, then answers from memory', async () => {
    const c = cache();
    let calls = 0;
    const compute = async () => `r${++calls}`;
    expect(await c.run('k', ['t'], compute)).toEqual({ value: 'r1', hit: 'miss' });
    expect(await c.run('k', ['t'], compute)).toEqual({ value: 'r1', hit: 'memory' });
    expect(calls).toBe(1);
  });

  it('runs identical queries in flight once', async () => {
    const c = cache();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const compute = async () => { calls++; await gate; return 'v'; };
    const all = Promise.all([c.run('k', [], compute), c.run('k', [], compute), c.run('k', [], compute)]);
    release();
    const results = await all;
    expect(calls).toBe(1);
    expect(results.map((r) => r.hit).sort()).toEqual(['inflight', 'inflight', 'miss']);
  });

  it('never caches a rejection: the next call runs again', async () => {
    const c = cache();
    let calls = 0;
    const compute = async () => { calls++; if (calls === 1) throw new Error('boom'); return 'ok'; };
    await expect(c.run('k', [], compute)).rejects.toThrow('boom');
    expect(c.has('k')).toBe(false);
    expect(await c.run('k', [], compute)).toEqual({ value: 'ok', hit: 'miss' });
    expect(calls).toBe(2);
  });

  it('invalidating a table drops exactly the entries that read it', async () => {
    const c = cache();
    await c.run('a', ['orders'], async () => 'A');
    await c.run('b', ['orders', 'customers'], async () => 'B');
    await c.run('c', ['customers'], async () => 'C');
    expect(c.invalidateTable('orders')).toBe(2);
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([false, false, true]);
  });

  it('does not store a result whose table was replaced while it ran', async () => {
    const c = cache();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const running = c.run('k', ['t'], async () => { await gate; return 'old'; });
    c.invalidateTable('t');
    release();
    await running;
    expect(c.has('k')).toBe(false);
  });

  it('evicts least recently used entries to stay within the byte budget', async () => {
    const c = cache(10);
    await c.run('a', [], async () => 'aaaa');
    await c.run('b', [], async () => 'bbbb');
    c.get('a'); // a is now more recent than b
    await c.run('c', [], async () => 'cccc');
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
    expect(c.size).toBe(8);
    c.set('huge', [], 'x'.repeat(11));
    expect(c.has('huge')).toBe(false);
    expect(c.size).toBe(8);
  });
});

describe('memo keys', () => {
  it('serializes stably and tells types apart', () => {
    expect(stableSerialize({ b: 1, a: [1n, new Date(0)] })).toBe(stableSerialize({ a: [1n, new Date(0)], b: 1 }));
    const distinct = [1, 1n, '1', true, null, undefined, new Date(1), [1], { 1: 1 }, new Uint8Array([1])].map(stableSerialize);
    expect(new Set(distinct).size).toBe(distinct.length);
  });

  it('depends on normalized SQL, params and table stamps only', () => {
    const base = memoKey('SELECT * FROM t WHERE a = ?', [1], { t: '1:x' });
    expect(memoKey('select *  from t\nwhere a = ?', [1], { t: '1:x' })).toBe(base);
    expect(memoKey('SELECT * FROM t WHERE a = ?', [2], { t: '1:x' })).not.toBe(base);
    expect(memoKey('SELECT * FROM t WHERE a = ?', [1], { t: '2:x' })).not.toBe(base);
    expect(memoKey('SELECT 1', [], { a: '1', b: '2' })).toBe(memoKey('SELECT 1', [], { b: '2', a: '1' }));
  });
});
