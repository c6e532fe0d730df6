/**
 * `query\`SELECT … ${x}\`` → SQL with `?` placeholders and a params array.
 * Interpolated values are BOUND, never spliced, so a value containing quotes
 * or `; DROP TABLE x` is only ever a value. The exceptions, each spliced as
 * SQL that Brook itself wrote, never as text from the value:
 *
 * - a table reference (`{ __brookTable: 'name' }`, a `file()` widget's
 *   table): a quoted identifier;
 * - an array: a DuckDB list of bound values (`[?, ?, ?]`), because
 *   DuckDB-WASM cannot bind a list to a single `?`;
 * - a query result (a SQL cell's result): its own SQL as a subquery, with its
 *   own parameters bound in their place (`sql-holes.ts` says where a hole
 *   sits). So SQL builds on SQL: `FROM ${filtered}` runs the query behind
 *   `filtered` inside this one, and the memo key is that of the whole.
 */
import { holePlaces, type HolePlace } from './sql-holes.ts';
import { paramProblem } from './query-params.ts';
import { sqlTokens } from './sql-tokens.ts';
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

/** The query behind a query result: SQL with `?` placeholders and the values they bind, in order. */
export interface Relation {
  sql: string;
  params: readonly unknown[];
}

export interface TemplateOptions {
  /** The query behind `value` when it is a query result, else `undefined`. */
  relationOf?(value: unknown): Relation | undefined;
  /** Each hole's expression as written in the cell (`filtered`, `year + 1`): names subqueries, and errors. */
  holes?: readonly string[];
}

/** A value that cannot go where its `${}` is; `hint` says what to write instead. */
export class TemplateError extends Error {
  override name = 'QueryError';
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/**
 * Turns template parts and values into SQL with `?` placeholders and the
 * values to bind, in order; `placeholders` are the offsets of those `?` in
 * `sql` (an engine binds by them: its SQL may hold other `?`), and
 * `origins` the index of the `${}` each value came from.
 */
export function templateToSql(
  strings: readonly string[],
  values: unknown[],
  options: TemplateOptions = {},
): { sql: string; params: unknown[]; placeholders: number[]; origins: number[] } {
  const places = values.length > 0 ? holePlaces(strings) : [];
  let sql = strings[0] ?? '';
  const params: unknown[] = [];
  const placeholders: number[] = [];
  const origins: number[] = [];
  let i = 0;
  const placeholder = (value: unknown): string => {
    placeholders.push(sql.length);
    params.push(value);
    origins.push(i);
    return '?';
  };
  for (; i < values.length; i++) {
    const value = values[i];
    const place = places[i] ?? { kind: 'value', aliased: false };
    const written = writtenHole(options.holes?.[i]);
    const hole = written ? `\`\${${written}}\`` : `\`\${…}\` number ${i + 1}`;
    const expr = written ?? 'x';
    const relation = isTableRef(value) ? undefined : options.relationOf?.(value);
    if (place.kind === 'literal') {
      throw new TemplateError(`${hole} is inside quotes, so SQL reads it as text, not as a value.`, `Take it out of the quotes and join the text in SQL: '%' || \${${expr}} || '%' instead of '%\${${expr}}%'.`);
    }
    if (place.kind === 'comment') {
      throw new TemplateError(`${hole} is inside a SQL comment, where no value can go.`, 'Remove it from the comment, or write \\${ to keep the text ${ as it is.');
    }
    if (isTableRef(value)) {
      sql += quoteIdentifier(value[TABLE_REF]);
    } else if (relation) {
      const composed = subquery(relation, place, options.holes?.[i]?.trim(), hole);
      // The subquery's own placeholders, where they now are.
      for (const token of sqlTokens(composed)) if (token.kind === 'symbol' && token.text === '?') placeholders.push(sql.length + token.start);
      sql += composed;
      params.push(...relation.params);
      origins.push(...relation.params.map(() => i));
    } else if (place.kind !== 'value') {
      throw notARelation(value, hole);
    } else if (Array.isArray(value)) {
      sql += '[';
      value.forEach((item, j) => {
        if (j > 0) sql += ', ';
        sql += placeholder(item);
      });
      sql += ']';
    } else {
      const problem = paramProblem(value);
      if (problem) throw new TemplateError(`${hole} ${problem.split(';')[0]}, which cannot be a value in SQL.`, valueHint(value, expr));
      sql += placeholder(value);
    }
    sql += strings[i + 1] ?? '';
  }
  return { sql, params, placeholders, origins };
}

/** A hole's expression as written, on one line and cut short for messages (`undefined` when not known). */
function writtenHole(text: string | undefined): string | undefined {
  const written = text?.replace(/\s+/g, ' ').trim();
  if (!written) return undefined;
  return written.length > 40 ? `${written.slice(0, 39)}…` : written;
}

/** A query result as SQL: `(its SQL)`, named after the hole in FROM position unless the SQL names it. */
function subquery(relation: Relation, place: HolePlace, name: string | undefined, hole: string): string {
  const tokens = sqlTokens(relation.sql);
  const placeholders = tokens.filter((t) => t.kind === 'symbol' && t.text === '?').length;
  if (placeholders !== relation.params.length) {
    throw new TemplateError(
      `${hole} is a query result whose SQL has ${placeholders} "?" for ${relation.params.length} parameters, so it cannot be built on.`,
      'Build on a SQL cell, or a query`…` template, whose values are all ${} holes.',
    );
  }
  // Up to its last token: a trailing `;` or `-- comment` would swallow the closing parenthesis.
  const body = relation.sql.slice(0, [...tokens].reverse().find((t) => t.text !== ';')?.end ?? 0);
  const alias = place.kind === 'from' && !place.aliased && name && /^[A-Za-z_$][\w$]*$/.test(name) ? ` AS ${quoteIdentifier(name)}` : '';
  return `(${body})${alias}`;
}

function notARelation(value: unknown, hole: string): TemplateError {
  const what =
    value === null || value === undefined ? String(value)
    : typeof value === 'string' ? `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`
    : Array.isArray(value) ? 'a JavaScript array'
    : typeof value === 'object' ? `${/^[AEIOU]/.test(typeName(value)) ? 'an' : 'a'} ${typeName(value)}`
    : `the ${typeof value} ${String(value)}`;
  const hint =
    typeof value === 'string'
      ? 'A table name cannot be a bound value: write the name in the SQL (FROM orders), or use a SQL cell\'s result (FROM ${filtered}).'
      : Array.isArray(value)
        ? 'To query a JavaScript array, work on it in JavaScript (rows.filter(…)), or pass its values as a list: SELECT unnest(${values}) AS value.'
        : 'Where a table goes, use a table name, a SQL cell\'s result (FROM ${filtered}), a query`…` result, or a file() widget\'s table.';
  return new TemplateError(`${hole} is ${what}, not a SQL cell's result, so it cannot be used as a table.`, hint);
}

function valueHint(value: unknown, expr: string): string {
  if (typeof value === 'number') return 'DuckDB-WASM binds only finite numbers: use null for a missing one.';
  if (value instanceof Date) return 'Check the date: it is not a valid Date.';
  return `A value in SQL is a string, number, boolean, bigint, Date, null or an array. Use one of its fields (\${${expr}.field}), or, for a query's result, put it where a table goes: FROM \${${expr}}.`;
}

function typeName(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}
