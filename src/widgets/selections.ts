/**
 * Selections as widgets: `brush` (an interval over a figure's scales), `pick`
 * (the data row behind a clicked mark) and `table` (rows chosen in a table).
 * Their saved values are plain data that survive IndexedDB and a share link's
 * JSON: brush ends as numbers or dates, picked and selected rows as *row
 * keys* (the identifying fields of a row), matched again against the data on
 * every run, so a selection follows its row when the data is re-sorted or
 * re-aggregated. Pure.
 */
import type { Options, WidgetEngine } from './spec.ts';
import { intervalOn } from './scales.ts';

type Row = Record<string, unknown>;
/** A row's identifying fields, with JSON-safe values. */
export type RowKey = Record<string, string | number | boolean | null>;

const opts = (o: unknown): Options => (typeof o === 'object' && o !== null ? (o as Options) : {});

/** A value as it can travel in JSON: Dates as ISO text, bigints as numbers when exact. */
export function keyValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}

/** A row as a plain object (Arrow rows have `toJSON`). */
export function plainRow(row: unknown): Row {
  if (row === null || typeof row !== 'object') return { value: row };
  const json = (row as { toJSON?: () => unknown }).toJSON;
  return (typeof json === 'function' ? json.call(row) : row) as Row;
}

/**
 * The fields that identify rows: the `key` option (a field name or a list),
 * else the fields of the first row that hold text or dates (an airport's
 * `origin`, a route's `origin` and `destination`), else all its fields.
 */
export function keyFieldsOf(first: unknown, option: unknown): string[] {
  if (typeof option === 'string') return [option];
  if (Array.isArray(option) && option.every((f) => typeof f === 'string')) return option as string[];
  if (first === undefined) return [];
  const row = plainRow(first);
  const named = Object.keys(row).filter((f) => typeof row[f] === 'string' || row[f] instanceof Date);
  return named.length > 0 ? named : Object.keys(row);
}

/** The key of a row over `fields`. */
export function rowKey(row: unknown, fields: string[]): RowKey {
  const plain = plainRow(row);
  return Object.fromEntries(fields.map((f) => [f, keyValue(plain[f])]));
}

/** A key as text, for comparing keys. */
export function keyText(key: unknown): string {
  return JSON.stringify(key);
}

/** A key as a person reads it: its values joined by " · ". */
export function keyLabel(key: RowKey): string {
  return Object.values(key).map((v) => (v === null ? '–' : typeof v === 'number' ? v.toLocaleString('en') : String(v))).join(' · ');
}

/** `fn` remembering its last argument's answer: accept, revive and shown ask about the same saved value, and each answer may scan every row. */
function once<A, R>(fn: (arg: A) => R): (arg: A) => R {
  let last: { arg: A; result: R } | undefined;
  return (arg) => {
    if (!last || last.arg !== arg) last = { arg, result: fn(arg) };
    return last.result;
  };
}

/** The saved keys, if the value is a list of objects; else undefined. */
function savedKeys(saved: unknown): RowKey[] | undefined {
  if (!Array.isArray(saved) || saved.length === 0) return undefined;
  return saved.every((k) => k !== null && typeof k === 'object' && !Array.isArray(k)) ? (saved as RowKey[]) : undefined;
}

/** The rows whose key is one of `keys`, each once, in the keys' order; keys no longer in the data are left out. */
function rowsForKeys(keys: RowKey[], rows: Iterable<unknown>, fields: string[]): { rows: unknown[]; keys: RowKey[] } {
  const wanted = new Map(keys.map((k) => [keyText(rowKey(k, fields)), k]));
  const found = new Map<string, unknown>();
  for (const row of rows) {
    const text = keyText(rowKey(row, fields));
    if (wanted.has(text) && !found.has(text)) {
      found.set(text, row);
      if (found.size === wanted.size) break;
    }
  }
  const order = [...wanted.keys()].filter((k) => found.has(k));
  return { rows: order.map((k) => found.get(k)), keys: order.map((k) => wanted.get(k)!) };
}

/**
 * `brush(label, figure, {x: true, y: false})`: the interval brushed over the
 * figure, in data units — `[lo, hi]` for one axis, `{x, y}` for both, `null`
 * when nothing is brushed (band/point scales: the categories covered).
 */
export function brushWidget(engine: WidgetEngine, label: unknown, figure: unknown, o?: unknown): unknown {
  const options = opts(o);
  const spec = engine.figure(figure, `brush("${String(label ?? '')}", figure)`);
  const axes = (['x', 'y'] as const).filter((axis) => (options[axis] ?? axis === 'x') === true);
  if (axes.length === 0) throw new TypeError(`brush "${String(label)}": brush at least one axis ({x: true} or {y: true}).`);
  for (const axis of axes) {
    if (!spec.scales[axis]) throw new TypeError(`brush "${String(label)}": the figure has no ${axis} scale to brush.`);
  }
  const revive = (saved: unknown): unknown => {
    if (axes.length === 1) return intervalOn(spec.scales[axes[0]!]!, saved);
    if (saved === null || typeof saved !== 'object') return undefined;
    const x = intervalOn(spec.scales.x!, (saved as Row).x);
    const y = intervalOn(spec.scales.y!, (saved as Row).y);
    return x && y ? { x, y } : undefined;
  };
  return engine.add<unknown>({
    kind: 'brush', label, options, fallback: null,
    accept: (saved) => saved !== null && revive(saved) !== undefined,
    revive,
    data: { figure: { html: spec.html, width: spec.width, height: spec.height, scales: spec.scales }, axes },
  });
}

/**
 * `pick(label, figure, {multiple, key})`: the data row behind the clicked
 * mark (the datum itself, as the mark's data holds it), or an array of them
 * with `multiple`; `null` (or `[]`) when nothing is picked.
 */
export function pickWidget(engine: WidgetEngine, label: unknown, figure: unknown, o?: unknown): unknown {
  const options = opts(o);
  const multiple = options.multiple === true;
  const spec = engine.figure(figure, `pick("${String(label ?? '')}", figure)`);
  const ids = spec.ids ?? [];
  const datum = (id: string) => spec.data?.(id);
  const fields = keyFieldsOf(ids.length > 0 ? datum(ids[0]!) : undefined, options.key);
  const items: Record<string, { key: RowKey; text: string }> = {};
  for (const id of ids) {
    const key = rowKey(datum(id), fields);
    items[id] = { key, text: keyLabel(key) };
  }
  const data = ids.map(datum);
  const match = once((saved: unknown) => {
    const keys = savedKeys(saved);
    return keys ? rowsForKeys(multiple ? keys : keys.slice(0, 1), data, fields) : undefined;
  });
  const value = engine.add<unknown>({
    kind: 'pick', label, options, fallback: multiple ? [] : null,
    accept: (saved) => (match(saved)?.rows.length ?? 0) > 0,
    revive: (saved) => (multiple ? match(saved)!.rows : match(saved)!.rows[0]),
    data: { figure: { html: spec.html, width: spec.width, height: spec.height, scales: spec.scales }, items, multiple },
    // The page gets the keys (it highlights the elements holding them and names them).
    shown: () => match(engine.stored(engine.keyOf(label, options)))?.keys ?? [],
  });
  return value;
}

/**
 * `table(data, {select: "single" | "multiple", label, key})`: the table, with
 * row selection; returns the selected row (`single`, the default) or rows
 * (`multiple`), as `data` iterates; `null` / `[]` when none is selected.
 */
export function tableWidget(engine: WidgetEngine, data: unknown, o?: unknown): unknown {
  const options = opts(o);
  const multiple = options.select === 'multiple';
  const label = options.label === undefined ? 'Table' : String(options.label);
  const shown = engine.table(data, `table(data, {label: "${label}"})`);
  const rows = () => shown.rows();
  let first: unknown;
  for (const row of rows()) {
    first = row;
    break;
  }
  const fields = keyFieldsOf(first, options.key);
  const match = once((saved: unknown) => {
    const keys = savedKeys(saved);
    return keys ? rowsForKeys(multiple ? keys : keys.slice(0, 1), rows(), fields) : undefined;
  });
  const settings: Options = { ...options, label };
  return engine.add<unknown>({
    kind: 'table', label, options: settings, fallback: multiple ? [] : null,
    accept: (saved) => (match(saved)?.rows.length ?? 0) > 0,
    revive: (saved) => (multiple ? match(saved)!.rows : match(saved)!.rows[0]),
    data: { table: shown.table, keyFields: fields, multiple },
    shown: () => match(engine.stored(engine.keyOf(label, settings)))?.keys ?? [],
  });
}
