/**
 * Memo keys: a stable text for (normalized SQL, parameters, stamps of the
 * tables read). Stable means equal inputs give equal keys across calls,
 * threads and reloads — object keys are sorted, and bigint/Date/typed arrays
 * are tagged so `1n`, `1` and `"1"` never collide.
 */
import { normalizeSql } from './sql-tokens.ts';

/** A deterministic serialization of any structured-clone value. */
export function stableSerialize(value: unknown): string {
  return serialize(value, new Set());
}

function serialize(value: unknown, seen: Set<object>): string {
  if (value === undefined) return 'u';
  if (value === null) return 'n';
  switch (typeof value) {
    case 'bigint': return `b${value.toString()}`;
    case 'number': return Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? 'd-0' : `d${value}`;
    case 'string': return JSON.stringify(value);
    case 'boolean': return value ? 't' : 'f';
    case 'object': break;
    default: return `?${typeof value}`;
  }
  const object = value as object;
  if (object instanceof Date) return `D${Number.isNaN(object.getTime()) ? 'invalid' : object.toISOString()}`;
  if (ArrayBuffer.isView(object)) return `B${object.constructor.name}[${Array.from(new Uint8Array(object.buffer, object.byteOffset, object.byteLength)).join(',')}]`;
  if (seen.has(object)) throw new TypeError('A query parameter contains a cycle.');
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item) => serialize(item, seen)).join(',')}]`;
    if (object instanceof Map) return `M{${[...object.entries()].map(([k, v]) => `${serialize(k, seen)}:${serialize(v, seen)}`).sort().join(',')}}`;
    if (object instanceof Set) return `S{${[...object].map((v) => serialize(v, seen)).sort().join(',')}}`;
    const record = object as Record<string, unknown>;
    return `{${Object.keys(record).sort().map((k) => `${JSON.stringify(k)}:${serialize(record[k], seen)}`).join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * The memo key of a query: normalized SQL + params + a stamp per table read
 * (sorted by name, so the order tables appear in the SQL does not matter).
 * A stamp is whatever identifies the table's content — a version in memory,
 * a content fingerprint on disk; `null` means "no such table (yet)".
 */
export function memoKey(sql: string, params: readonly unknown[], stamps: Record<string, string | null>): string {
  const tables = Object.keys(stamps).sort().map((name) => `${name}=${stamps[name] ?? '∅'}`).join('&');
  return `${normalizeSql(sql)}\u0000${stableSerialize(params)}\u0000${tables}`;
}
