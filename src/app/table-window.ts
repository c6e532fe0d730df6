/**
 * The arithmetic of the virtualized table, kept pure so it is tested without a
 * DOM: which rows are visible, which row blocks to fetch, how a header click
 * cycles the sort, and how wide each column starts.
 */
import type { SortSpec } from '../runtime/protocol.ts';
import { formatCell } from './value-format.ts';

/** Rows fetched per request; one block covers several screens so scrolling rarely waits. */
export const BLOCK_SIZE = 200;

/**
 * Browsers stop honouring element heights around 33.5M px (Chromium); past
 * this the scroll height is compressed and scroll position maps linearly onto
 * the real rows instead.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface VisibleRange {
  /** First row index to render (inclusive). */
  first: number;
  /** Last row index to render (exclusive). */
  end: number;
  /** Pixel offset, inside the scroll content, at which row `first` is drawn. */
  top: number;
  /** Height of the scroll content. */
  height: number;
}

/**
 * Rows to draw for a scroll position. `overscan` extra rows on each side keep
 * fast scrolling from showing blank gaps.
 */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowCount: number,
  rowHeight: number,
  overscan = 6,
): VisibleRange {
  const realHeight = rowCount * rowHeight;
  const height = Math.min(realHeight, MAX_SCROLL_HEIGHT);
  if (rowCount === 0) return { first: 0, end: 0, top: 0, height: 0 };
  const maxScroll = Math.max(0, height - viewportHeight);
  const clamped = Math.min(Math.max(0, scrollTop), maxScroll);
  // Map the (possibly compressed) scroll position onto the real content position.
  const realMaxScroll = Math.max(0, realHeight - viewportHeight);
  const virtualTop = maxScroll === 0 ? 0 : (clamped / maxScroll) * realMaxScroll;
  const firstVisible = Math.min(rowCount - 1, Math.floor(virtualTop / rowHeight));
  const visibleCount = Math.ceil(viewportHeight / rowHeight) + 1;
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, firstVisible + visibleCount + overscan);
  // Where `firstVisible` lands on screen, shifted back by the overscan rows.
  const topOfFirstVisible = clamped - (virtualTop - firstVisible * rowHeight);
  const top = topOfFirstVisible - (firstVisible - first) * rowHeight;
  return { first, end, top, height };
}

/** Indices of the `BLOCK_SIZE` blocks that cover rows `[first, end)`. */
export function blocksFor(first: number, end: number, blockSize = BLOCK_SIZE): number[] {
  if (end <= first) return [];
  const blocks: number[] = [];
  for (let b = Math.floor(first / blockSize); b <= Math.floor((end - 1) / blockSize); b++) blocks.push(b);
  return blocks;
}

/** Header click: none → ascending → descending → none; another column starts at ascending. */
/**
 * Whether block `block` of an unsorted table is all in the rows the output
 * came with (`headLength` of `rowCount`): then it needs no window query (a
 * 50-row result has all its rows in the head, though a block is 200 long).
 */
export function blockInHead(block: number, rowCount: number, headLength: number, blockSize = BLOCK_SIZE): boolean {
  return Math.min((block + 1) * blockSize, rowCount) <= headLength;
}

export function nextSort(current: SortSpec | undefined, column: string): SortSpec | undefined {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  if (current.direction === 'asc') return { column, direction: 'desc' };
  return undefined;
}

/** A stable key for a sort, for caching fetched blocks per sort order. */
export function sortKey(sort: SortSpec | undefined): string {
  return sort ? `${sort.direction}:${sort.column}` : 'none';
}

/**
 * Column widths in `ch`, from the header and the first rows, clamped so one
 * long string does not make the table unusable.
 */
export function columnWidths(
  columns: { name: string; type: string }[],
  sample: Record<string, unknown>[],
  locale?: string,
): number[] {
  return columns.map((column) => {
    let widest = Math.max(column.name.length + 3, column.type.length);
    for (const row of sample.slice(0, 50)) {
      widest = Math.max(widest, formatCell(row[column.name], column.type, locale).text.length);
    }
    return Math.min(40, Math.max(6, widest + 2));
  });
}
