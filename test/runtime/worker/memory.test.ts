import { afterEach, describe, expect, it, vi } from 'vitest';
import { CacheStore } from '../../../workers/runtime/cache.ts';
import { StateStore } from '../../../workers/runtime/state.ts';

afterEach(() => vi.useRealTimers());

describe('StateStore', () => {
  it('debounces writes into one snapshot and skips unchanged ones', () => {
    vi.useFakeTimers();
    const posted: Record<string, unknown>[] = [];
    const store = new StateStore({ a: 1 }, { post: (s) => posted.push(s), delayMs: 50 });
    store.state.a = 2;
    store.state.b = [1];
    vi.advanceTimersByTime(30);
    delete store.state.a;
    vi.advanceTimersByTime(49);
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(posted).toEqual([{ b: [1] }]);
    // A snapshot, not the live object.
    (store.state.b as number[]).push(2);
    expect(posted[0]).toEqual({ b: [1] });
    store.schedule();
    vi.advanceTimersByTime(50);
    expect(posted.at(-1)).toEqual({ b: [1, 2] });
    store.schedule();
    vi.advanceTimersByTime(50);
    expect(posted).toHaveLength(2);
  });
});

describe('CacheStore', () => {
  it('memoizes by argument value, and by identity for non-plain objects', () => {
    const caches = new CacheStore();
    let calls = 0;
    const f = caches.builtin('cell')((o: unknown) => (calls++, o));
    f({ a: 1, b: [2] });
    f({ b: [2], a: 1 });
    expect(calls).toBe(1);
    class Box {}
    const box = new Box();
    f(box);
    f(box);
    f(new Box());
    expect(calls).toBe(3);
  });

  it('never caches a rejected promise or a throw', async () => {
    const caches = new CacheStore();
    let calls = 0;
    const f = caches.builtin('cell')(async (n: number) => {
      calls++;
      if (calls === 1) throw new Error('flaky');
      return n;
    });
    await expect(f(1)).rejects.toThrow('flaky');
    await expect(f(1)).resolves.toBe(1);
    await expect(f(1)).resolves.toBe(1);
    expect(calls).toBe(2);
    let throws = 0;
    const g = caches.builtin('cell')((n: number) => {
      if (++throws === 1) throw new Error('once');
      return n;
    });
    expect(() => g(1)).toThrow('once');
    expect(g(1)).toBe(1);
  });

  it('shares a memo across runs of the same cell, not across cells', () => {
    const caches = new CacheStore();
    let calls = 0;
    const make = (scope: string) => caches.builtin(scope)((n: number) => (calls++, n));
    make('a')(1);
    make('a')(1);
    make('b')(1);
    expect(calls).toBe(2);
  });
});
