/**
 * A JSON-safe, bounded preview of any JavaScript value, for the inspector
 * (`{type: 'value', preview, typeName}` outputs). The preview is plain JSON —
 * objects, arrays, strings, finite numbers, booleans, null — so the page can
 * walk it without knowing any runtime types:
 *
 * - Sets and typed arrays become arrays; Maps become objects keyed by `String(key)`.
 * - What JSON cannot hold becomes descriptive text: `"undefined"`, `"NaN"`,
 *   `"12n"` (bigint), `"ƒ name()"`, `"2024-01-02T…Z"` (Date), `"[Circular]"`.
 * - Depth, entries and string length are bounded; what is left out is named
 *   (`"… 30 more"` as a last array item, or a `"…"` key on an object).
 */

export interface PreviewLimits {
  depth: number;
  entries: number;
  stringLength: number;
}

const DEFAULT_LIMITS: PreviewLimits = { depth: 4, entries: 50, stringLength: 1000 };

/** The constructor name of a value (`Object` for plain and null-prototype objects), or its `typeof`. */
export function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'Function';
  if (typeof value !== 'object') return typeof value;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name ? name : 'Object';
}

/** Builds a bounded, plain-JSON preview of `value` (see the module comment for the encoding). */
export function preview(value: unknown, limits: Partial<PreviewLimits> = {}): unknown {
  return node(value, { ...DEFAULT_LIMITS, ...limits }, 0, new Set());
}

function node(value: unknown, l: PreviewLimits, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      return value.length > l.stringLength ? `${value.slice(0, l.stringLength)}… (${value.length - l.stringLength} more)` : value;
    case 'number':
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
    case 'boolean':
      return value;
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? `class ${value.name}` : `ƒ ${value.name}()`;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (object instanceof RegExp) return String(object);
  if (object instanceof Error) return `${object.name}: ${object.message}`;
  if (ancestors.has(object)) return '[Circular]';
  const name = typeNameOf(object);
  const items = listItems(object);
  if (depth >= l.depth) return items ? `${name}(${items.size})` : `${name} {…}`;
  ancestors.add(object);
  try {
    const child = (v: unknown) => node(v, l, depth + 1, ancestors);
    if (items) {
      const shown = items.take(l.entries).map(child);
      if (items.size > shown.length) shown.push(`… ${items.size - shown.length} more`);
      return shown;
    }
    const entries: [string, unknown][] = object instanceof Map
      ? [...object].map(([k, v]): [string, unknown] => [typeof k === 'string' ? k : String(node(k, l, l.depth, ancestors)), v])
      : Object.keys(object).map((key): [string, unknown] => [key, read(object, key)]);
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries.slice(0, l.entries)) out[key] = child(v);
    if (entries.length > l.entries) out['…'] = `${entries.length - l.entries} more`;
    return out;
  } finally {
    ancestors.delete(object);
  }
}

/** List-like values (arrays, typed arrays, Sets): their size and a way to take the first items without copying all. */
function listItems(object: object): { size: number; take(n: number): unknown[] } | undefined {
  if (Array.isArray(object)) return { size: object.length, take: (n) => object.slice(0, n) };
  if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
    const array = object as unknown as ArrayLike<unknown>;
    return { size: array.length, take: (n) => Array.from({ length: Math.min(n, array.length) }, (_, i) => array[i]) };
  }
  if (object instanceof Set) return { size: object.size, take: (n) => [...object].slice(0, n) };
  return undefined;
}

function read(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch (error) {
    return error; // a throwing getter shows as its error
  }
}
