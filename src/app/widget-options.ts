/**
 * Normalizes widget specs from the runtime into what controls render: choice
 * lists (arrays of values, `{label, value}` objects, or a query column) and
 * the field names a form submits under. Pure.
 */
import type { WidgetSpec } from '../runtime/protocol.ts';

export interface Choice {
  label: string;
  value: unknown;
}

/** The choices of a `select` or `radio` widget, whatever shape the notebook passed. */
export function choicesOf(spec: WidgetSpec): Choice[] {
  const raw = spec.options.options ?? spec.options.choices ?? spec.options.values;
  if (!Array.isArray(raw)) return [];
  return raw.map((item: unknown) => {
    if (item !== null && typeof item === 'object' && 'value' in item) {
      const { label, value } = item as { label?: unknown; value: unknown };
      return { label: String(label ?? value), value };
    }
    return { label: String(item), value: item };
  });
}

/** Index of the choice equal to `value` (by value, or by display text for values that crossed a clone), or -1. */
export function choiceIndex(choices: Choice[], value: unknown): number {
  const exact = choices.findIndex((c) => Object.is(c.value, value));
  if (exact !== -1) return exact;
  return choices.findIndex((c) => String(c.value) === String(value));
}

/**
 * The name a form field submits under: its `name` option, else the last
 * segment of its key (`form:c3/Filters/region` → `region`).
 */
export function fieldName(field: WidgetSpec): string {
  const explicit = field.options.name;
  if (typeof explicit === 'string' && explicit) return explicit;
  const segments = field.key.split(/[/:]/);
  return segments[segments.length - 1] || field.label;
}

/** A finite number option, or the fallback. */
export function numberOption(spec: WidgetSpec, name: string, fallback: number): number {
  const value = spec.options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A `[lo, hi]` pair for a range widget, ordered and inside `[min, max]`. */
export function rangeValue(value: unknown, min: number, max: number): [number, number] {
  const pair = Array.isArray(value) ? value : [min, max];
  const lo = clamp(Number(pair[0] ?? min), min, max);
  const hi = clamp(Number(pair[1] ?? max), min, max);
  return lo <= hi ? [lo, hi] : [hi, lo];
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, value));
}
