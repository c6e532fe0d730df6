/**
 * The arithmetic of the virtualized table, kept pure so it is tested without a
 * DOM: which rows are visible, which row blocks to fetch, how a header click
 * cycles the sort, and how a cell value reads as text.
 */
import type { SortSpec } from '../runtime/protocol.ts';

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
export function nextSort(current: SortSpec | undefined, column: string): SortSpec | undefined {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  if (current.direction === 'asc') return { column, direction: 'desc' };
  return undefined;
}

/** A stable key for a sort, for caching fetched blocks per sort order. */
export function sortKey(sort: SortSpec | undefined): string {
  return sort ? `${sort.direction}:${sort.column}` : 'none';
}

const NUMERIC_TYPE =
  /^(u?(tiny|small|big|huge)?int(eger)?\d*|int\d+|float\d*|double|real|decimal.*|numeric.*|number|bigint)$/i;

/** True for column types whose values are numbers (right-aligned, grouped). */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.trim());
}

export interface FormattedCell {
  text: string;
  kind: 'number' | 'null' | 'text';
}

/**
 * A cell value as text. Numbers get digit grouping; DATE/TIMESTAMP columns
 * arrive as epoch milliseconds from Arrow and are shown as ISO dates.
 */
export function formatCell(value: unknown, type: string, locale?: string): FormattedCell {
  if (value === null || value === undefined) return { text: 'null', kind: 'null' };
  if (typeof value === 'number') {
    if (/^date$/i.test(type)) return { text: isoDate(value).slice(0, 10), kind: 'text' };
    if (/^timestamp/i.test(type)) return { text: isoDate(value).replace('T', ' ').replace(/\.000Z$|Z$/, ''), kind: 'text' };
    return { text: formatNumber(value, locale), kind: 'number' };
  }
  if (typeof value === 'bigint') return { text: value.toLocaleString(locale), kind: 'number' };
  if (value instanceof Date) return { text: isoDate(value.getTime()).replace(/T00:00:00\.000Z$/, ''), kind: 'text' };
  if (typeof value === 'string') return { text: value, kind: 'text' };
  if (typeof value === 'boolean') return { text: String(value), kind: 'text' };
  try {
    return { text: JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), kind: 'text' };
  } catch {
    return { text: String(value), kind: 'text' };
  }
}

/** Grouped digits; fractions keep a few significant places so columns stay readable. */
export function formatNumber(value: number, locale?: string): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const fraction = Number.isInteger(value) ? 0 : abs >= 1000 ? 2 : abs >= 1 ? 3 : 6;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fraction }).format(value);
}

function isoDate(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
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
