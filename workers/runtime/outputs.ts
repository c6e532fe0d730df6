/**
 * Value → OutputItem: how anything a cell displays is shown. Also the
 * `metric` and `download` item builders and the text of markdown holes.
 */
import { typeNameOf, preview } from '../../src/runtime/preview.ts';
import type { OutputItem, TableOutput } from '../../src/runtime/protocol.ts';
import { Html, Markdown, isElementLike } from './markup.ts';
import { querySource } from './query.ts';
import {
  HEAD_ROWS, cloneSafe, columnsOfTabular, isArrowTable, isRowArray, rowCountOf, rowsWindow, type Tabular,
} from './tables.ts';

/** Where table outputs are kept for windowing (the runtime's `TableStore`, per cell run). */
export type HoldTable = (data: Tabular) => string;

/** A Date as text: the day alone when it is midnight UTC (DuckDB DATEs), else ISO. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** A table output for an Arrow table or array of objects. Query results keep their SQL as the row source. */
export function tableOutput(data: Tabular, hold: HoldTable): TableOutput {
  const head = rowsWindow(data, 0, HEAD_ROWS);
  const source = isArrowTable(data) ? querySource(data) : undefined;
  if (source) {
    return {
      columns: source.columns.length > 0 ? source.columns : columnsOfTabular(data),
      rowCount: rowCountOf(data),
      head,
      source: { kind: 'query', sql: source.sql, params: cloneSafe(source.params) as unknown[] },
    };
  }
  return { columns: columnsOfTabular(data), rowCount: rowCountOf(data), head, source: { kind: 'runtime', handle: hold(data) } };
}

/** The parts of an off-page element (linkedom) `figureWidth` reads. */
interface FigureNode {
  tagName?: string;
  getAttribute?(name: string): string | null;
  children?: ArrayLike<FigureNode>;
}

/**
 * The drawn width of a figure: its own `width` (a bare Plot `<svg>`), else
 * its chart's. Plot wraps a chart that has a title, caption or legend in a
 * `<figure>` and appends the chart's `<svg>` after the legends — colour
 * swatches (a `<div>` of 15 px `<svg>`s) and ramps (an `<svg>` classed
 * `…-ramp`) — so the chart is the figure's last `<svg>` child that is no ramp.
 */
export function figureWidth(element: FigureNode): number | undefined {
  const own = Number(element.getAttribute?.('width'));
  if (Number.isFinite(own) && own > 0) return own;
  const charts = Array.from(element.children ?? []).filter(
    (child) => child.tagName?.toLowerCase() === 'svg' && !/-ramp\b/.test(child.getAttribute?.('class') ?? ''),
  );
  const width = Number(charts.at(-1)?.getAttribute?.('width'));
  return Number.isFinite(width) && width > 0 ? width : undefined;
}

/** The output item for a displayed value. */
export function toOutputItem(value: unknown, hold: HoldTable): OutputItem {
  if (value instanceof Markdown) return { type: 'markdown', markdown: value.markdown };
  if (value instanceof Html) return { type: 'html', html: value.html };
  switch (typeof value) {
    case 'string':
      return { type: 'text', text: value };
    case 'number':
    case 'boolean':
    case 'bigint':
      return { type: 'text', text: String(value) };
  }
  if (value instanceof Date) return { type: 'text', text: dateText(value) };
  if (isElementLike(value)) {
    const width = figureWidth(value as FigureNode);
    return width !== undefined ? { type: 'figure', html: value.outerHTML, width } : { type: 'figure', html: value.outerHTML };
  }
  if (isArrowTable(value) || isRowArray(value)) return { type: 'table', table: tableOutput(value, hold) };
  return { type: 'value', preview: preview(value), typeName: typeNameOf(value) };
}

/** The text of a markdown `${}` hole. */
export function holeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Markdown) return value.markdown;
  if (value instanceof Html) return value.html;
  if (value instanceof Date) return dateText(value);
  if (isElementLike(value)) return value.outerHTML;
  if (isArrowTable(value)) return `[${value.numRows} rows]`;
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function numberText(value: unknown): string {
  if (typeof value === 'number') return value.toLocaleString('en', { maximumFractionDigits: 2 });
  if (typeof value === 'bigint') return value.toLocaleString('en');
  return holeText(value);
}

/** The sign of a delta given as a number, bigint or text like `"-3%"` / `"+1.2k"`. */
function signOf(delta: unknown): -1 | 0 | 1 {
  if (typeof delta === 'bigint') return delta > 0n ? 1 : delta < 0n ? -1 : 0;
  const n = typeof delta === 'number' ? delta : parseFloat(String(delta).replace(/[^0-9.+-]/g, ''));
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}

/** `metric(label, value, {delta})` → a metric item; the delta's sign drives its colour on the page. */
export function metricItem(label: unknown, value: unknown, options: { delta?: unknown } = {}): OutputItem {
  const item: OutputItem = { type: 'metric', label: String(label), value: numberText(value) };
  const delta = options?.delta;
  if (delta !== undefined && delta !== null) {
    const sign = signOf(delta);
    item.delta = (typeof delta === 'number' && delta > 0 ? '+' : '') + numberText(delta);
    item.deltaSign = sign;
  }
  return item;
}

const MIME: Record<string, string> = {
  csv: 'text/csv', tsv: 'text/tab-separated-values', json: 'application/json', txt: 'text/plain',
  md: 'text/markdown', html: 'text/html', svg: 'image/svg+xml', parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.file', png: 'image/png',
};

function csvField(value: unknown, separator: string): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? dateText(value) : typeof value === 'object' ? holeText(value) : String(value);
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV (or TSV) text with a header line. */
export function toDelimited(data: Tabular, separator = ','): string {
  const columns = columnsOfTabular(data).map((c) => c.name);
  const rows = rowsWindow(data, 0, rowCountOf(data));
  const lines = [columns.map((c) => csvField(c, separator)).join(separator)];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c], separator)).join(separator));
  return lines.join('\n') + '\n';
}

function toJsonText(value: unknown): string {
  const plain = isArrowTable(value) ? rowsWindow(value, 0, value.numRows) : value;
  return JSON.stringify(plain, (_, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v), 2);
}

/**
 * `download(data, filename)` → a download item. Tables and arrays of objects
 * become CSV (TSV for `.tsv`, JSON for `.json`); strings and bytes are kept;
 * other values become JSON.
 */
export function downloadItem(data: unknown, filename: unknown, label?: unknown): OutputItem {
  const name = String(filename ?? 'download');
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const mime = MIME[extension] ?? 'application/octet-stream';
  let payload: Uint8Array | string;
  if (typeof data === 'string') payload = data;
  else if (data instanceof Uint8Array) payload = data;
  else if (data instanceof ArrayBuffer) payload = new Uint8Array(data);
  else if (data instanceof Markdown || data instanceof Html) payload = String(data);
  else if (extension !== 'json' && (isArrowTable(data) || isRowArray(data))) payload = toDelimited(data, extension === 'tsv' ? '\t' : ',');
  else payload = toJsonText(data);
  return { type: 'download', filename: name, mime, data: payload, label: label === undefined ? `Download ${name}` : String(label) };
}

/** Options of `progress(value, options)`; a string is the label. */
export type ProgressOptions = string | { label?: unknown; max?: unknown; key?: unknown } | undefined;

/** Float arithmetic may overshoot 1 by a hair (`0.1 * 10`); more than this is a mistake worth saying. */
const FRACTION_SLACK = 1e-9;

function progressError(call: string, why: string): TypeError {
  return new TypeError(`${call}: ${why}`);
}

/**
 * `progress(value, {label})` → a progress item. `value` is a fraction from 0
 * to 1, `{value, max}` (or a number with `{max}`) a count of a total, and
 * `null`/`undefined` an indeterminate bar. A number above 1 without `max` is
 * refused with the spelling that works, since `progress(50)` most likely
 * meant 50 % (Streamlit takes integers 0–100) and would otherwise show a full bar.
 */
export function progressItem(value: unknown, options: ProgressOptions): OutputItem {
  const opts = typeof options === 'string' ? { label: options } : (options ?? {});
  const label = opts.label === undefined || opts.label === null ? '' : String(opts.label);
  const call = `progress(${typeof value === 'number' ? value : typeof value === 'object' && value !== null ? '{…}' : String(value)})`;
  if (value === null || value === undefined) return { type: 'progress', label, value: null, max: 1 };
  let current: unknown = value;
  let max: unknown = opts.max ?? 1;
  if (typeof value === 'object') {
    current = (value as { value?: unknown }).value;
    max = (value as { max?: unknown }).max ?? opts.max ?? 1;
  }
  if (typeof current === 'bigint') current = Number(current);
  if (typeof max === 'bigint') max = Number(max);
  if (typeof max !== 'number' || !Number.isFinite(max) || max <= 0) throw progressError(call, `max must be a number above 0 (got ${String(max)}).`);
  if (typeof current !== 'number' || Number.isNaN(current)) {
    throw progressError(call, 'the value must be a number from 0 to 1, {value, max}, or null for "unknown".');
  }
  if (current < 0 || current > max * (1 + FRACTION_SLACK)) {
    const shown = Number.isFinite(current) ? current : String(current);
    throw progressError(
      call,
      max === 1 && current > 1
        ? `a number is a fraction from 0 to 1; for ${shown} of a total write progress({value: ${shown}, max: 100}).`
        : `the value must be from 0 to ${max} (got ${shown}).`,
    );
  }
  return { type: 'progress', label, value: Math.min(current, max), max };
}

/** The longest toast the runtime sends (the page shortens it further for display). */
export const TOAST_MAX_CHARS = 1000;

/** `toast(value)` → its text: displayed as text only, never markup. */
export function toastText(value: unknown): string {
  const text = holeText(value);
  return text.length > TOAST_MAX_CHARS ? text.slice(0, TOAST_MAX_CHARS) : text;
}
