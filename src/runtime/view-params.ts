/**
 * View links: a built app keeps its inputs in the URL's query as readable
 * parameters (`?year=2014&kind=rain`), like Streamlit's `st.query_params`.
 * This file is the one place that says how a widget is named there and how
 * its value is spelled, for both ends: the page writes the URL
 * (`src/client/view-link.ts`), the runtime worker reads it when a widget is
 * created (`workers/runtime/widgets.ts`) and lets the widget's own `accept`
 * decide. Pure: no DOM, no worker globals.
 *
 * A parameter only ever becomes a widget's value: text, a number, a boolean,
 * or a list of them, which the widget then validates like a saved value.
 */

/**
 * Widget kinds whose value is not carried: an action, a file, selections of
 * rows or marks, and a form as a whole (its fields are carried one by one,
 * as submitted: a link fills them in).
 */
export const UNLINKED_KINDS: ReadonlySet<string> = new Set(['button', 'file', 'form', 'brush', 'pick', 'table']);

/** Parameters read from one URL, at most: the rest are ignored (a URL is not a place for bulk data). */
export const MAX_VIEW_PARAMS = 100;
/** Characters of one value, at most (a long text input's worth). */
export const MAX_VIEW_VALUE = 10_000;

/** The parameter names of a widget: `primary` is used unless two widgets on the page share it, then `qualified`. */
export interface ViewParamNames {
  primary: string;
  qualified: string;
}

/**
 * `Min. price ($)` → `min-price`: lowercase letters and digits (accents
 * dropped, other scripts kept), every other run of characters one `-`.
 */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The names of the widget `key` with `label`, created by the cell `cellKey`.
 * A widget keyed by its label (`cellKey:label`) is named by the label's slug;
 * one with an explicit `key` option by that key's slug; `qualified` puts the
 * cell's key in front (`sales.year`), which stays put when other cells change.
 */
export function viewParamNames(widget: { key: string; label: string }, cellKey: string): ViewParamNames {
  const byLabel = widget.key === `${cellKey}:${widget.label}`;
  const primary = (byLabel ? slug(widget.label) : slug(widget.key)) || slug(cellKey) || 'input';
  return { primary, qualified: `${slug(cellKey) || 'cell'}.${primary}` };
}

/** One scalar as URL text, or `null` when it is not one a link carries. */
function encodeScalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return null;
}

/**
 * A widget value as the parameter's values (repeated for a list: `?k=a&k=b`;
 * an empty list is one empty value), or `null` when a link cannot carry it.
 */
export function encodeViewValue(value: unknown): string[] | null {
  if (!Array.isArray(value)) {
    const text = encodeScalar(value);
    return text === null ? null : [text];
  }
  if (value.length === 0) return [''];
  const texts = value.map(encodeScalar);
  return texts.every((t): t is string => t !== null) ? texts : null;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One URL text as a value shaped like `like` (or matched to one of `options`), or `undefined` when it cannot be. */
function decodeScalar(text: string, like: unknown, options: readonly unknown[] | undefined): { value: unknown } | undefined {
  if (options) {
    const index = options.findIndex((option) => encodeScalar(option) === text);
    return index < 0 ? undefined : { value: options[index] };
  }
  if (typeof like === 'number') return NUMBER.test(text) && Number.isFinite(Number(text)) ? { value: Number(text) } : undefined;
  if (typeof like === 'boolean') return text === 'true' ? { value: true } : text === 'false' ? { value: false } : undefined;
  return { value: text };
}

/**
 * The value URL `texts` stand for, for a widget whose current (or default)
 * value is `like` and whose choices, if it has a list, are `options`. Only
 * the shape is decided here; the widget's own rules (`accept`) decide
 * whether it takes it. `undefined` when the texts cannot be such a value.
 */
export function decodeViewValue(texts: readonly string[], like: unknown, options?: unknown): { value: unknown } | undefined {
  const choices = Array.isArray(options) ? (options as unknown[]) : undefined;
  if (texts.length === 0 || texts.some((t) => t.length > MAX_VIEW_VALUE)) return undefined;
  if (Array.isArray(like)) {
    if (texts.length === 1 && texts[0] === '' && !choices?.some((o) => encodeScalar(o) === '')) return { value: [] };
    const element = like.length > 0 ? like[0] : choices?.[0];
    const values: unknown[] = [];
    for (const text of texts) {
      const decoded = decodeScalar(text, element, choices);
      if (!decoded) return undefined;
      values.push(decoded.value);
    }
    return { value: values };
  }
  if (texts.length !== 1) return undefined;
  return decodeScalar(texts[0], like, choices);
}

/** The view parameters of a URL query (`?a=1&b=x&b=y`), by name; at most {@link MAX_VIEW_PARAMS} names. */
export function parseViewQuery(search: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(search)) {
    if (!params.has(name) && params.size >= MAX_VIEW_PARAMS) continue;
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return params;
}
