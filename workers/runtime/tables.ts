/**
 * Tabular values the runtime shows: Arrow tables and arrays of plain objects.
 * Recognizing them, describing their columns, and holding them by handle so
 * the page can fetch sorted windows (`RuntimeApi.rows`) instead of every row.
 */
import { Table } from 'apache-arrow';
import { columnsOf, rowsOf } from '../../src/data/arrow-values.ts';
import type { ColumnInfo, SortSpec } from '../../src/runtime/protocol.ts';

export type Rows = Record<string, unknown>[];
export type Tabular = Table | Rows;

/** Rows shown before the page asks for a window. */
export const HEAD_ROWS = 100;

export function isArrowTable(value: unknown): value is Table {
  return value instanceof Table;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True for a non-empty array whose first rows are plain objects. */
export function isRowArray(value: unknown): value is Rows {
  return Array.isArray(value) && value.length > 0 && value.slice(0, HEAD_ROWS).every(isPlainObject);
}

function typeOfValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) ? 'INTEGER' : 'DOUBLE';
  if (typeof value === 'bigint') return 'BIGINT';
  if (typeof value === 'string') return 'VARCHAR';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (value instanceof Date) return 'TIMESTAMP';
  if (Array.isArray(value)) return 'LIST';
  return 'JSON';
}

/** Columns of an array of objects: the union of keys of the first rows, typed from their values. */
export function columnsOfRows(rows: Rows): ColumnInfo[] {
  const types = new Map<string, Set<string>>();
  for (const row of rows.slice(0, HEAD_ROWS)) {
    for (const [key, value] of Object.entries(row)) {
      let set = types.get(key);
      if (!set) types.set(key, (set = new Set()));
      const type = typeOfValue(value);
      if (type) set.add(type);
    }
  }
  return [...types].map(([name, set]) => {
    // Integers mixed with fractions are numbers; any other mix has no single type.
    if (set.size === 2 && set.has('INTEGER') && set.has('DOUBLE')) return { name, type: 'DOUBLE' };
    return { name, type: set.size === 1 ? [...set][0]! : set.size === 0 ? 'NULL' : 'ANY' };
  });
}

export function columnsOfTabular(data: Tabular): ColumnInfo[] {
  return isArrowTable(data) ? columnsOf(data) : columnsOfRows(data);
}

export function rowCountOf(data: Tabular): number {
  return isArrowTable(data) ? data.numRows : data.length;
}

/** A value as it can cross to the page: primitives, Dates, bytes, plain arrays/objects; anything else as text. */
export function cloneSafe(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (depth < 3 && Array.isArray(value)) return value.map((item) => cloneSafe(item, depth + 1));
  if (depth < 3 && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneSafe(v, depth + 1)]));
  }
  try {
    return type === 'object' ? JSON.stringify(value) ?? String(value) : String(value);
  } catch {
    return String(value);
  }
}

/** Rows `[offset, offset + limit)` as plain, clone-safe objects. */
export function rowsWindow(data: Tabular, offset: number, limit: number): Rows {
  if (isArrowTable(data)) return rowsOf(data, offset, limit);
  return data.slice(offset, offset + limit).map((row) => cloneSafe(row) as Record<string, unknown>);
}

function compareValues(a: unknown, b: unknown): number {
  // Nulls last in both directions is applied by the caller; here only non-null values.
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

function columnValues(data: Tabular, column: string): unknown[] {
  if (isArrowTable(data)) return rowsOf(data.select([column])).map((row) => row[column]);
  return data.map((row) => row[column]);
}

/** Row indices of `data` sorted by one column; nulls always last. */
export function sortedOrder(data: Tabular, sort: SortSpec): number[] {
  const values = columnValues(data, sort.column);
  const sign = sort.direction === 'desc' ? -1 : 1;
  const order = values.map((_, i) => i);
  order.sort((i, j) => {
    const a = values[i];
    const b = values[j];
    const aNull = a === null || a === undefined;
    const bNull = b === null || b === undefined;
    if (aNull || bNull) return aNull === bNull ? i - j : aNull ? 1 : -1;
    return sign * compareValues(a, b) || i - j;
  });
  return order;
}

/**
 * Tables held for the page, by handle. A cell's tables are released when a
 * newer run of it delivers, so memory tracks what is on screen.
 */
export class TableStore {
  private tables = new Map<string, { cellId: string; data: Tabular; sorted: Map<string, number[]> }>();
  private counter = 0;

  /** Keeps `data` for windows and returns its handle. */
  hold(cellId: string, data: Tabular): string {
    const handle = `${cellId}#${++this.counter}`;
    this.tables.set(handle, { cellId, data, sorted: new Map() });
    return handle;
  }

  /** Drops the cell's tables except `keep` (the handles of the run now on screen). */
  release(cellId: string, keep: ReadonlySet<string> = new Set()): void {
    for (const [handle, entry] of this.tables) {
      if (entry.cellId === cellId && !keep.has(handle)) this.tables.delete(handle);
    }
  }

  has(handle: string): boolean {
    return this.tables.has(handle);
  }

  /** A window of rows, optionally sorted; an unknown (released) handle gives no rows. */
  rows(handle: string, offset: number, limit: number, sort?: SortSpec): Rows {
    const entry = this.tables.get(handle);
    if (!entry) return [];
    if (!sort) return rowsWindow(entry.data, offset, limit);
    const key = `${sort.column}\u0000${sort.direction}`;
    let order = entry.sorted.get(key);
    if (!order) entry.sorted.set(key, (order = sortedOrder(entry.data, sort)));
    return order.slice(offset, offset + limit).map((i) => rowsWindow(entry.data, i, 1)[0]!);
  }
}
