import { describe, expect, it } from 'vitest';
import { formatTable, formatValue, meetsGoal, mergeResults, type BenchResults, type Figure } from '../figures.ts';

describe('figures', () => {
  it('judges a goal as an upper bound', () => {
    const figure: Figure = { name: 'x', value: 16, unit: 'ms', goal: 16, description: '' };
    expect(meetsGoal(figure)).toBe(true);
    expect(meetsGoal({ ...figure, value: 16.1 })).toBe(false);
    expect(meetsGoal({ ...figure, goal: undefined })).toBeUndefined();
  });

  it('formats values in their unit', () => {
    expect(formatValue(7.94, 'ms')).toBe('7.9 ms');
    expect(formatValue(1234.4, 'ms')).toBe('1234 ms');
    expect(formatValue(7_612_345, 'bytes')).toBe('7.61 MB');
    expect(formatValue(2048, 'bytes')).toBe('2.0 kB');
    expect(formatValue(1.419, 'ratio')).toBe('1.42×');
    expect(formatValue(3_000_000, 'rows')).toBe('3,000,000');
  });

  it('prints an aligned table with verdicts', () => {
    const table = formatTable([
      { name: 'latency.hit.p50', value: 8, unit: 'ms', goal: 16, description: '' },
      { name: 'ratio', value: 2, unit: 'ratio', goal: 1.5, description: '' },
      { name: 'assets.gzip', value: 10_320_000, unit: 'bytes', description: '' },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^latency\.hit\.p50\s+8\.0 ms\s+≤ 16\.0 ms\s+met$/);
    expect(lines[3]).toMatch(/^ratio\s+2\.00×\s+≤ 1\.50×\s+MISSED$/);
    expect(lines[4]).toMatch(/^assets\.gzip\s+10\.32 MB$/);
    // Values are right-aligned: every value column ends at the same place.
    const ends = lines.slice(2).map((line) => line.search(/(ms|×|MB)(?=\s|$)/));
    expect(new Set(ends.map((e, i) => e + lines[i + 2].slice(e).match(/^(ms|×|MB)/)![0].length)).size).toBe(1);
  });

  it('a partial run replaces its own figures and carries the others over with their machine', () => {
    const machine = (date: string) => ({ date, os: '', cpus: '', cores: 2, memoryBytes: 0, node: '', chromium: '', duckdbWasm: '', duckdbNative: '', commit: '', loadAverage: [] });
    const figure = (name: string, value: number): Figure => ({ name, value, unit: 'ms', description: '' });
    const earlier: BenchResults = { machine: machine('old'), durationMs: 1, figures: [figure('a', 1), figure('b', 2)], failures: [] };
    const fresh: BenchResults = { machine: machine('new'), durationMs: 1, figures: [figure('b', 3), figure('c', 4)], failures: [] };
    const merged = mergeResults(fresh, earlier);
    expect(merged.figures.map((f) => [f.name, f.value])).toEqual([['a', 1], ['b', 3], ['c', 4]]);
    expect(merged.machine.date).toBe('new');
    expect(merged.carriedOver).toEqual({ machine: machine('old'), names: ['a'] });
    // Merged again: what was carried over keeps its first machine; what is measured now leaves the list.
    const again = mergeResults({ ...fresh, machine: machine('newer'), figures: [figure('a', 5)] }, merged);
    expect(again.carriedOver).toEqual({ machine: machine('old'), names: ['b', 'c'] });
    expect(mergeResults(fresh, { ...earlier, figures: [figure('b', 2)] }).carriedOver).toBeUndefined();
  });
});
