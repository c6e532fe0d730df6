/**
 * `query\`SELECT … ${x}\`` → SQL with `?` placeholders and a params array.
 * Interpolated values are BOUND, never spliced, so a value containing quotes
 * or `; DROP TABLE x` is only ever a value. The one exception is a table
 * reference (`{ __brookTable: 'name' }`), spliced as a quoted identifier, and
 * an array, which becomes a DuckDB list of bound values (`[?, ?, ?]`) because
 * DuckDB-WASM cannot bind a list to a single `?`.
 */
import { quoteIdentifier } from './table-name.ts';

/** The marker key of a table reference value. Plain data, so it survives structured cloning. */
export const TABLE_REF = '__brookTable';

/** A value that names a table; interpolated as a quoted identifier. */
export interface TableRef {
  readonly [TABLE_REF]: string;
}

/** A table reference for use inside a `query` template: `query\`SELECT * FROM ${table('sales')}\``. */
export function tableRef(name: string): TableRef {
  return { [TABLE_REF]: name };
}

/** True when `value` is a table reference. */
export function isTableRef(value: unknown): value is TableRef {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[TABLE_REF] === 'string';
}

/**
 * Turns template parts and values into SQL with `?` placeholders and the
 * values to bind, in order; `placeholders` are the offsets of those `?` in
 * `sql` (an engine binds by them: its SQL may hold other `?`).
 */
export function templateToSql(strings: readonly string[], values: unknown[]): { sql: string; params: unknown[]; placeholders: number[] } {
  let sql = strings[0] ?? '';
  const params: unknown[] = [];
  const placeholders: number[] = [];
  const placeholder = (value: unknown): string => {
    placeholders.push(sql.length);
    params.push(value);
    return '?';
  };
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (isTableRef(value)) {
      sql += quoteIdentifier(value[TABLE_REF]);
    } else if (Array.isArray(value)) {
      sql += '[';
      value.forEach((item, j) => {
        if (j > 0) sql += ', ';
        sql += placeholder(item);
      });
      sql += ']';
    } else {
      sql += placeholder(value);
    }
    sql += strings[i + 1] ?? '';
  }
  return { sql, params, placeholders };
}
