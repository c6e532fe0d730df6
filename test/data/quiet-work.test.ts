import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietWork } from '../../src/data/quiet-work.ts';

describe('QuietWork', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs jobs once no query has begun for the quiet time, the newest per key, at most `limit`', () => {
    const ran: string[] = [];
    const work = new QuietWork(300, 2, () => Date.now());
    for (let step = 1; step <= 4; step++) {
      work.activity();
      work.add(step === 4 ? 'b' : 'a', () => ran.push(`step ${step}`));
      work.add('c', () => ran.push(`c at ${step}`));
      vi.advanceTimersByTime(100);
    }
    // A query every 100 ms: nothing yet.
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(150);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(60);
    // 'a' (steps 1–3, newest kept) was dropped by the limit of 2 once 'b' and 'c' came after it.
    expect(ran).toEqual(['step 4', 'c at 4']);
    work.add('d', () => ran.push('d'));
    vi.advanceTimersByTime(0);
    expect(ran.at(-1)).toBe('d');
  });

  it('drops what waits when cleared', () => {
    const ran: string[] = [];
    const work = new QuietWork(50, Infinity, () => Date.now());
    work.add('a', () => ran.push('a'));
    work.clear();
    vi.advanceTimersByTime(100);
    expect(ran).toEqual([]);
  });
});
