import { describe, expect, it } from 'vitest';
import { lastRunOf, restoredCells, runBasis } from '../../src/client/last-run.ts';
import { isNewer, isRestored, type CellEvent } from '../../src/runtime/protocol.ts';

const fulfilled = (cell: string, text: string, generation = 5): CellEvent => ({
  cell,
  status: 'fulfilled',
  run: { generation, runs: 1 },
  outputs: [{ type: 'text', text }],
  durationMs: 3,
});
const pending = (cell: string): CellEvent => ({ cell, status: 'pending', run: { generation: 6, runs: 2 } });

describe('runBasis', () => {
  it('changes with the text, any input or the state, and not with key order', () => {
    const base = runBasis('# a', { x: 1, y: [1, 2] }, { n: 1 });
    expect(runBasis('# a', { y: [1, 2], x: 1 }, { n: 1 })).toBe(base);
    expect(runBasis('# b', { x: 1, y: [1, 2] }, { n: 1 })).not.toBe(base);
    expect(runBasis('# a', { x: 2, y: [1, 2] }, { n: 1 })).not.toBe(base);
    expect(runBasis('# a', { x: 1, y: [1, 2] }, { n: 2 })).not.toBe(base);
  });
});

describe('lastRunOf', () => {
  it('keeps the settled events with their basis', () => {
    const cells = { c1: fulfilled('c1', 'one'), c2: fulfilled('c2', 'two') };
    expect(lastRunOf(cells, 'b1', 42)).toEqual({ basis: 'b1', savedAt: 42, cells });
  });

  it('keeps nothing while a cell is pending, from an earlier visit, or when nothing ran', () => {
    expect(lastRunOf({ c1: fulfilled('c1', 'one'), c2: pending('c2') }, 'b', 0)).toBeNull();
    const restored = restoredCells(lastRunOf({ c1: fulfilled('c1', 'one') }, 'b', 0)!, 'b', ['c1']);
    expect(lastRunOf({ ...restored, c2: fulfilled('c2', 'two') }, 'b', 0)).toBeNull();
    expect(lastRunOf({}, 'b', 0)).toBeNull();
  });

  it('keeps nothing when the outputs are larger than the limit', () => {
    const cells = { c1: fulfilled('c1', 'x'.repeat(1000)) };
    expect(lastRunOf(cells, 'b', 0, 2000)).not.toBeNull();
    expect(lastRunOf(cells, 'b', 0, 500)).toBeNull();
  });
});

describe('restoredCells', () => {
  const saved = lastRunOf({ c1: fulfilled('c1', 'one'), c2: fulfilled('c2', 'two') }, 'same', 1)!;

  it('gives the saved events, marked restored, only when the basis matches', () => {
    expect(restoredCells(saved, 'other', ['c1', 'c2'])).toEqual({});
    expect(restoredCells(undefined, 'same', ['c1'])).toEqual({});
    const restored = restoredCells(saved, 'same', ['c1', 'c2']);
    expect(Object.keys(restored)).toEqual(['c1', 'c2']);
    expect(Object.values(restored).every(isRestored)).toBe(true);
    expect(restored.c1).toMatchObject({ status: 'fulfilled', outputs: [{ type: 'text', text: 'one' }] });
  });

  it('leaves out cells the notebook no longer has', () => {
    expect(Object.keys(restoredCells(saved, 'same', ['c2', 'c9']))).toEqual(['c2']);
  });

  it('any event of this visit, even the first pending one of generation 0, replaces a restored one', () => {
    const restored = restoredCells(saved, 'same', ['c1']).c1!;
    expect(isNewer(restored, { cell: 'c1', status: 'pending', run: { generation: 0, runs: 1 } })).toBe(true);
    expect(isNewer({ cell: 'c1', status: 'pending', run: { generation: 0, runs: 1 } }, restored)).toBe(false);
  });
});
