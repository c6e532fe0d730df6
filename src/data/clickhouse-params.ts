/**
 * `${}` values of a ClickHouse SQL cell, bound two ways:
 *
 * - **server** — as ClickHouse query parameters: each placeholder becomes
 *   `{p1:Type}` and its value travels as `param_p1=…` beside the SQL, so it is
 *   never part of the SQL text at all. ClickHouse parses the value as its
 *   type (text in the TabSeparated "escaped" form).
 * - **literal** — for servers without query parameters (before 19.x, or
 *   when a read-only user may not send them): each placeholder becomes a typed
 *   literal, with every character that could end a string escaped. A value
 *   is only ever a value: `'; DROP TABLE x --` becomes the string it is.
 *
 * Placeholders are given by offset (the runtime knows where each `${}` was),
 * not found by scanning for `?`: `?` is also ClickHouse's ternary operator.
 * Pure; unit-tested with hostile strings and against a real server.
 */

/** A value that cannot be a ClickHouse parameter; the message says which and why. */
export class ClickHouseParamError extends Error {
  override name = 'ParamError';
}

export type ParamMode = 'server' | 'literal';

/** SQL with its parameters bound, plus the way back from offsets in it to offsets in the SQL as written. */
export interface BoundSql {
  sql: string;
  /** `param_…` values for the request (server mode; empty for literals). */
  params: Record<string, string>;
  /** Replacements made, in order: where (in the written SQL), and how long each became. */
  edits: { at: number; length: number }[];
}

/**
 * Replaces the `?` at each of `placeholders` (offsets into `sql`, ascending)
 * by the matching value of `values`, bound as `mode` says. Throws
 * `ClickHouseParamError` when the counts differ, an offset is not a `?`, or a
 * value has no ClickHouse form.
 */
export function bindClickHouse(sql: string, placeholders: readonly number[], values: readonly unknown[], mode: ParamMode): BoundSql {
  if (placeholders.length !== values.length) {
    throw new ClickHouseParamError(`The query has ${placeholders.length} parameter place(s) but ${values.length} value(s) were given.`);
  }
  let out = '';
  let from = 0;
  const params: Record<string, string> = {};
  const edits: BoundSql['edits'] = [];
  placeholders.forEach((at, i) => {
    if (!Number.isInteger(at) || at < from || sql[at] !== '?') throw new ClickHouseParamError(`Parameter ${i + 1} has no place in the SQL.`);
    let text: string;
    if (mode === 'server') {
      const name = `p${i + 1}`;
      const { type, value } = serverParam(values[i], i);
      params[`param_${name}`] = value;
      text = `{${name}:${type}}`;
    } else {
      text = clickhouseLiteral(values[i], i);
    }
    out += sql.slice(from, at) + text;
    edits.push({ at, length: text.length });
    from = at + 1;
  });
  return { sql: out + sql.slice(from), params, edits };
}

/** The offset in the written SQL of `offset` in the bound SQL (inside a replacement: its `?`). */
export function writtenOffset(bound: Pick<BoundSql, 'edits'>, offset: number): number {
  let shift = 0;
  for (const edit of bound.edits) {
    const start = edit.at + shift;
    if (offset < start) break;
    if (offset < start + edit.length) return edit.at;
    shift += edit.length - 1;
  }
  return offset - shift;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * A string as a ClickHouse string literal: quotes and backslashes escaped,
 * control characters as escapes (so the SQL stays one line per line
 * written), everything else — Unicode included — as itself (sent as UTF-8).
 */
export function stringLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `'${value.replace(/[\\'\u0000-\u001f\u007f]/g, (ch) => ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : Object.prototype.toString.call(value).slice(8, -1);
}

function unsupported(value: unknown, index: number): ClickHouseParamError {
  return new ClickHouseParamError(
    `Parameter ${index + 1} is ${describe(value)}; only strings, numbers, booleans, bigints, Dates, null and arrays of them can be ClickHouse parameters.`,
  );
}

/** A number as ClickHouse reads it; negative ones in parentheses (`x-${v}` must not become `x--1`, a comment). */
function numberLiteral(value: number | bigint): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '(-inf)';
  }
  const text = String(value);
  return text.startsWith('-') ? `(${text})` : text;
}

/** A JS value as a typed ClickHouse literal. */
export function clickhouseLiteral(value: unknown, index = 0): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'number':
    case 'bigint':
      return numberLiteral(value);
    case 'boolean':
      // Bool and `true` arrived in 21.x; 1/0 (UInt8) compare with both.
      return value ? '1' : '0';
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ClickHouseParamError(`Parameter ${index + 1} is an invalid Date.`);
    // Whole seconds as a Unix time (time-zone free; toDateTime64 needs ClickHouse 20+).
    return ms % 1000 === 0 ? `toDateTime(${numberLiteral(ms / 1000)})` : `toDateTime64(${numberLiteral(ms / 1000)}, 3, 'UTC')`;
  }
  if (Array.isArray(value)) return `[${value.map((item) => clickhouseLiteral(item, index)).join(', ')}]`;
  throw unsupported(value, index);
}

/** The text of a string in ClickHouse's "escaped" (TabSeparated) form, in which query parameter values are parsed. */
function escapedText(value: string): string {
  return value.replace(/[\\\t\n\r\0]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' })[ch]!);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function utcText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A scalar's ClickHouse type and its text as a query parameter. */
function scalarParam(value: unknown, index: number): { type: string; value: string } {
  if (value === null || value === undefined) return { type: 'Nullable(String)', value: '\\N' };
  switch (typeof value) {
    case 'string':
      return { type: 'String', value: escapedText(value) };
    case 'boolean':
      return { type: 'UInt8', value: value ? '1' : '0' };
    case 'number':
      if (Number.isSafeInteger(value)) return { type: 'Int64', value: String(value) };
      return { type: 'Float64', value: Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value) };
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) return { type: 'Int64', value: String(value) };
      if (value > INT64_MAX && value <= UINT64_MAX) return { type: 'UInt64', value: String(value) };
      return { type: 'Int256', value: String(value) };
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ClickHouseParamError(`Parameter ${index + 1} is an invalid Date.`);
    return { type: "DateTime64(3, 'UTC')", value: utcText(value) };
  }
  throw unsupported(value, index);
}

/** A value's ClickHouse type and text as a query parameter (`param_pN`). Arrays need one element type. */
export function serverParam(value: unknown, index = 0): { type: string; value: string } {
  if (!Array.isArray(value)) return scalarParam(value, index);
  const items = value.map((item) => scalarParam(item, index));
  const types = new Set(items.map((item) => item.type));
  // Whole and fractional numbers together are all Float64.
  if (types.size === 2 && types.has('Int64') && types.has('Float64')) types.delete('Int64');
  if (types.size > 1) throw new ClickHouseParamError(`Parameter ${index + 1} is an array of mixed types (${[...types].join(', ')}); ClickHouse arrays hold one type.`);
  const type = [...types][0] ?? 'String';
  // Inside an array, values are written as literals (strings quoted), in the escaped form.
  const text = value.map((item, i) => {
    if (item === null || item === undefined) return 'NULL';
    if (typeof item === 'string') return stringLiteral(item);
    return item instanceof Date ? stringLiteral(items[i].value) : items[i].value;
  });
  return { type: `Array(${type})`, value: escapedText(`[${text.join(',')}]`) };
}
