/**
 * How values read as text on the page: table cells by column type, numbers
 * with grouping, dates from Arrow's epoch milliseconds. Pure.
 */

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
 * A cell value as text. Numbers get digit grouping (whole numbers from five
 * digits on); DATE/TIMESTAMP columns
 * arrive as epoch milliseconds from Arrow and are shown as ISO dates.
 */
export function formatCell(value: unknown, type: string, locale?: string): FormattedCell {
  if (value === null || value === undefined) return { text: 'null', kind: 'null' };
  if (typeof value === 'number') {
    if (/^date$/i.test(type)) return { text: isoDate(value).slice(0, 10), kind: 'text' };
    if (/^timestamp/i.test(type)) return { text: isoDate(value).replace('T', ' ').replace(/\.000Z$|Z$/, ''), kind: 'text' };
    // Whole numbers group from five digits, so years (1970) read as years, as in the controls.
    return { text: Number.isInteger(value) ? formatControlNumber(value, locale) : formatNumber(value, locale), kind: 'number' };
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

/**
 * Grouped digits; fractions keep a few significant places so columns stay
 * readable. `groupFrom` lets controls show years (2014) without a separator.
 */
export function formatNumber(value: number, locale?: string, groupFrom = 1000): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const fraction = Number.isInteger(value) ? 0 : abs >= 1000 ? 2 : abs >= 1 ? 3 : 6;
  return numberFormat(locale, fraction, abs >= groupFrom).format(value);
}

/** Formatters by locale and options: making one costs ~0.2 ms, and a slider shows numbers on every change. */
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, fraction: number, grouping: boolean): Intl.NumberFormat {
  const key = `${locale ?? ''}|${fraction}|${grouping}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: fraction, useGrouping: grouping });
    numberFormats.set(key, format);
  }
  return format;
}

/** Numbers shown by controls (slider values, scales): grouped only from five digits, so years read as years. */
export function formatControlNumber(value: number, locale?: string): string {
  return formatNumber(value, locale, 10_000);
}

function isoDate(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
