import { describe, expect, it } from 'vitest';
import { dragFigures } from '../brush-steps.ts';

describe('brush drag figures', () => {
  const names = ['a', 'b'];

  it('times each step to the moment every output shows its value, and counts dropped steps', () => {
    const figures = dragFigures({
      moves: [{ t: 0, hi: 10 }, { t: 16, hi: 10 }, { t: 32, hi: 20 }, { t: 48, hi: 30 }],
      updates: [
        { t: 40, name: 'a', hi: 10 }, { t: 60, name: 'b', hi: 10 },
        // Step 20 never reaches b: dropped. Step 30 reaches both.
        { t: 70, name: 'a', hi: 20 }, { t: 90, name: 'a', hi: 30 }, { t: 120, name: 'b', hi: 30 },
      ],
    }, names);
    // The repeated 10 is one step; 10 → 60 ms, 30 → 120 − 48 = 72 ms.
    expect(figures).toEqual({ latencies: [60, 72], steps: 3, shown: 2, dropped: 1, overwrites: 0 });
  });

  it('an output that went back to an older value is an overwrite; a value shown before its move does not count', () => {
    const figures = dragFigures({
      moves: [{ t: 10, hi: 10 }, { t: 20, hi: 20 }],
      updates: [{ t: 5, name: 'a', hi: 10 }, { t: 5, name: 'b', hi: 10 }, { t: 30, name: 'a', hi: 20 }, { t: 40, name: 'a', hi: 10 }, { t: 50, name: 'b', hi: 20 }],
    }, names);
    expect(figures.overwrites).toBe(1);
    expect(figures.latencies).toEqual([30]);
  });
});
