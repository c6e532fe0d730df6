/**
 * A JSON-safe, bounded preview of any JavaScript value, for the inspector
 * (`{type: 'value'}` outputs). Values cross a thread and are shown to a
 * person, so the tree is small (depth and entry limits), cycle-safe, and
 * names what it cannot show (functions, symbols, class instances).
 */

/** One node of a preview tree. Plain JSON: no bigint, no NaN, no undefined. */
export type PreviewNode =
  | { kind: 'string'; value: string; truncated?: number }
  | { kind: 'number'; value: number | 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'undefined' }
  | { kind: 'bigint'; value: string }
  | { kind: 'symbol'; value: string }
  | { kind: 'function'; name: string; isClass: boolean }
  | { kind: 'date'; value: string }
  | { kind: 'regexp'; value: string }
  | { kind: 'error'; name: string; message: string }
  /** Arrays, typed arrays, Sets: `name` is the constructor (`Array`, `Float64Array`, `Set`). `more` counts entries left out. */
  | { kind: 'list'; name: string; size: number; items: PreviewNode[]; more: number }
  /** Objects and Maps: `name` is the constructor (`Object`, `Map`, a class name). */
  | { kind: 'record'; name: string; size: number; entries: [PreviewNode | string, PreviewNode][]; more: number }
  /** A value already shown higher up in the tree. */
  | { kind: 'circular' }
  /** Nesting deeper than the limit. */
  | { kind: 'elided'; name: string };

export interface PreviewLimits {
  depth: number;
  entries: number;
  stringLength: number;
}

const DEFAULT_LIMITS: PreviewLimits = { depth: 4, entries: 50, stringLength: 1000 };

/** The constructor name of an object, or `Object` for plain and null-prototype objects. */
export function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  if (typeof value === 'function') return 'Function';
  const proto = Object.getPrototypeOf(value);
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name ? name : 'Object';
}

/** Builds a bounded, JSON-safe preview tree of `value`. */
export function preview(value: unknown, limits: Partial<PreviewLimits> = {}): PreviewNode {
  const l = { ...DEFAULT_LIMITS, ...limits };
  return node(value, l, 0, new Set());
}

function node(value: unknown, l: PreviewLimits, depth: number, ancestors: Set<object>): PreviewNode {
  switch (typeof value) {
    case 'string':
      return value.length > l.stringLength
        ? { kind: 'string', value: value.slice(0, l.stringLength), truncated: value.length - l.stringLength }
        : { kind: 'string', value };
    case 'number':
      if (Number.isNaN(value)) return { kind: 'number', value: 'NaN' };
      if (value === Infinity) return { kind: 'number', value: 'Infinity' };
      if (value === -Infinity) return { kind: 'number', value: '-Infinity' };
      return { kind: 'number', value: Object.is(value, -0) ? '-0' : value };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'undefined':
      return { kind: 'undefined' };
    case 'bigint':
      return { kind: 'bigint', value: value.toString() };
    case 'symbol':
      return { kind: 'symbol', value: value.toString() };
    case 'function':
      return { kind: 'function', name: value.name, isClass: /^class[\s{]/.test(Function.prototype.toString.call(value)) };
  }
  if (value === null) return { kind: 'null' };
  const object = value as object;
  if (object instanceof Date) return { kind: 'date', value: Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString() };
  if (object instanceof RegExp) return { kind: 'regexp', value: String(object) };
  if (object instanceof Error) return { kind: 'error', name: object.name, message: object.message };
  if (ancestors.has(object)) return { kind: 'circular' };
  const name = typeNameOf(object);
  if (depth >= l.depth) return { kind: 'elided', name };
  ancestors.add(object);
  try {
    const child = (v: unknown) => node(v, l, depth + 1, ancestors);
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      const array = object as unknown as ArrayLike<unknown>;
      return list(name, array.length, (i) => child(array[i]), l);
    }
    if (Array.isArray(object)) return list(name, object.length, (i) => child(object[i]), l);
    if (object instanceof Set) {
      const items = [...object];
      return list(name, items.length, (i) => child(items[i]), l);
    }
    if (object instanceof Map) {
      const entries = [...object];
      const shown = entries.slice(0, l.entries).map(([k, v]): [PreviewNode, PreviewNode] => [child(k), child(v)]);
      return { kind: 'record', name, size: entries.length, entries: shown, more: entries.length - shown.length };
    }
    const keys = Object.keys(object);
    const shown = keys.slice(0, l.entries).map((key): [string, PreviewNode] => {
      let v: unknown;
      try {
        v = (object as Record<string, unknown>)[key];
      } catch (error) {
        v = error;
      }
      return [key, child(v)];
    });
    return { kind: 'record', name, size: keys.length, entries: shown, more: keys.length - shown.length };
  } finally {
    ancestors.delete(object);
  }
}

function list(name: string, size: number, at: (i: number) => PreviewNode, l: PreviewLimits): PreviewNode {
  const items: PreviewNode[] = [];
  for (let i = 0; i < Math.min(size, l.entries); i++) items.push(at(i));
  return { kind: 'list', name, size, items, more: size - items.length };
}
