import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from '../stats.ts';

describe('percentile (nearest rank)', () => {
  it('returns measured samples, not interpolations', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(percentile(samples, 50)).toBe(3);
    expect(percentile(samples, 95)).toBe(5);
    expect(percentile(samples, 20)).toBe(1);
    expect(percentile(samples, 100)).toBe(5);
    expect(median([10, 20, 30, 40])).toBe(20);
  });

  it('p95 of 30 samples is the 29th smallest', () => {
    const samples = Array.from({ length: 30 }, (_, i) => 30 - i);
    expect(percentile(samples, 95)).toBe(29);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow();
  });
});

describe('summarize', () => {
  it('gives n, p50, p95, mean, min, max', () => {
    expect(summarize([4, 8, 6, 2])).toEqual({ n: 4, p50: 4, p95: 8, mean: 5, min: 2, max: 8 });
  });
});
