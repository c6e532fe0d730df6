import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blockInHead,
  BLOCK_SIZE,
  MAX_SCROLL_HEIGHT,
  blocksFor,
  columnWidths,
  nextSort,
  visibleRange,
} from '../../src/app/table-window.ts';

describe('visibleRange', () => {
  it('renders the rows on screen plus overscan', () => {
    const r = visibleRange(300, 400, 1000, 30, 5);
    // row 10 is at the top of the viewport
    expect(r.first).toBe(5);
    expect(r.top).toBe(5 * 30);
    expect(r.end).toBe(10 + Math.ceil(400 / 30) + 1 + 5);
    expect(r.height).toBe(30_000);
  });

  it('handles empty and tiny tables', () => {
    expect(visibleRange(0, 400, 0, 30)).toEqual({ first: 0, end: 0, top: 0, height: 0 });
    expect(visibleRange(0, 400, 3, 30)).toMatchObject({ first: 0, end: 3, top: 0, height: 90 });
  });

  it('compresses huge tables and still reaches the last row', () => {
    const rows = 5_000_000;
    const r0 = visibleRange(0, 400, rows, 30);
    expect(r0.height).toBe(MAX_SCROLL_HEIGHT);
    const bottom = visibleRange(MAX_SCROLL_HEIGHT - 400, 400, rows, 30);
    expect(bottom.end).toBe(rows);
    // the last row's bottom edge sits at the viewport bottom
    expect(bottom.top + (rows - bottom.first) * 30).toBeCloseTo(MAX_SCROLL_HEIGHT, 3);
  });

  it('always covers the viewport (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.integer({ min: 100, max: 1200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rows, viewport, fraction) => {
          const rowHeight = 30;
          const height = Math.min(rows * rowHeight, MAX_SCROLL_HEIGHT);
          const scrollTop = fraction * Math.max(0, height - viewport);
          const r = visibleRange(scrollTop, viewport, rows, rowHeight);
          expect(r.first).toBeGreaterThanOrEqual(0);
          expect(r.end).toBeLessThanOrEqual(rows);
          expect(r.top).toBeLessThanOrEqual(scrollTop + 1e-6);
          const bottomDrawn = r.top + (r.end - r.first) * rowHeight;
          expect(bottomDrawn).toBeGreaterThanOrEqual(Math.min(scrollTop + viewport, height) - 1e-6);
        },
      ),
    );
  });
});

describe('blockInHead', () => {
  it('needs no window query for rows the output came with', () => {
    // A 50-row result arrives whole (head 50 of 50): block 0 is in it, though a block is 200 rows.
    expect(blockInHead(0, 50, 50)).toBe(true);
    // 1,000 rows, the first 100 in the head: block 0 (rows 0–199) is not.
    expect(blockInHead(0, 1000, 100)).toBe(false);
    expect(blockInHead(1, 300, 300)).toBe(true);
    expect(blockInHead(1, 300, 250)).toBe(false);
  });
});

describe('blocksFor', () => {
  it('lists the blocks covering a row range', () => {
    expect(blocksFor(0, 10)).toEqual([0]);
    expect(blocksFor(BLOCK_SIZE - 1, BLOCK_SIZE + 1)).toEqual([0, 1]);
    expect(blocksFor(450, 451, 200)).toEqual([2]);
    expect(blocksFor(5, 5)).toEqual([]);
  });
});

describe('nextSort', () => {
  it('cycles none → asc → desc → none, and restarts on another column', () => {
    const asc = nextSort(undefined, 'a');
    expect(asc).toEqual({ column: 'a', direction: 'asc' });
    const desc = nextSort(asc, 'a');
    expect(desc).toEqual({ column: 'a', direction: 'desc' });
    expect(nextSort(desc, 'a')).toBeUndefined();
    expect(nextSort(desc, 'b')).toEqual({ column: 'b', direction: 'asc' });
  });
});

describe('columnWidths', () => {
  it('sizes columns by header and content within bounds', () => {
    const widths = columnWidths(
      [{ name: 'id', type: 'INTEGER' }, { name: 'comment', type: 'VARCHAR' }],
      [{ id: 1, comment: 'x'.repeat(500) }],
    );
    expect(widths[0]).toBeGreaterThanOrEqual(6);
    expect(widths[1]).toBe(40);
  });
});
