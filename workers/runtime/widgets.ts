/**
 * The 13 widget built-ins. A widget call returns the control's current value
 * (the saved value when there is a valid one, else its default) and adds a
 * `widget` output the page renders. Identity is `${cell.key}:${label}` or an
 * explicit `key` option, so values survive edits of other cells.
 */
import { Vector } from 'apache-arrow';
import type { OutputItem, WidgetKind, WidgetSpec } from '../../src/runtime/protocol.ts';
import { cloneSafe, isArrowTable } from './tables.ts';

/** Widget values and bookkeeping that outlive a cell run (one per runtime). */
export class InputStore {
  private values: Map<string, unknown>;
  /** Widget key → id of the cell that created it (the cell to re-run on change). */
  private owners = new Map<string, string>();
  private kinds = new Map<string, WidgetKind>();
  /** Form key → its fields' widget keys by field name. */
  private forms = new Map<string, Record<string, string>>();
  /** Buttons clicked whose run has not delivered yet. */
  private clicks = new Set<string>();

  constructor(saved: Record<string, unknown> = {}) {
    this.values = new Map(Object.entries(saved));
  }

  /** The stored value of a widget, if any. */
  get(key: string): unknown {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Records that a run of `cellId` created widget `key`. */
  register(key: string, kind: WidgetKind, cellId: string): void {
    this.owners.set(key, cellId);
    this.kinds.set(key, kind);
  }

  registerForm(key: string, fields: Record<string, string>, cellId: string): void {
    this.register(key, 'form', cellId);
    this.forms.set(key, fields);
  }

  isClicked(key: string): boolean {
    return this.clicks.has(key);
  }

  /** A click was seen by a run that delivered: it is spent. */
  consumeClick(key: string): void {
    this.clicks.delete(key);
  }

  /**
   * A control changed. Buttons record a click (never stored); forms update
   * each submitted field. Returns the cell to re-run, if the widget is known.
   */
  set(key: string, value: unknown): string | undefined {
    const kind = this.kinds.get(key);
    if (kind === 'button') {
      this.clicks.add(key);
    } else if (kind === 'form') {
      const fields = this.forms.get(key) ?? {};
      const submitted = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      for (const [field, fieldKey] of Object.entries(fields)) {
        if (field in submitted) this.values.set(fieldKey, submitted[field]);
      }
      // Kept whole too: the page saves only the form's key, and restores it before the first run.
      this.values.set(key, { ...(this.values.get(key) as object | undefined), ...submitted });
    } else {
      this.values.set(key, value);
    }
    return this.owners.get(key);
  }
}

/** What a widget call needs from the cell run creating it. */
export interface WidgetScope {
  cellId: string;
  cellKey: string;
  outputs: OutputItem[];
  store: InputStore;
  /** Buttons this run read as clicked (spent when the run delivers). */
  clicksSeen: Set<string>;
}

type Options = Record<string, unknown>;

/** Keeps options that can cross to the page (drops functions and other non-data). */
function dataOptions(options: Options, omit: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (omit.includes(name)) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[name] = value;
    else if (Array.isArray(value) && value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) out[name] = value;
  }
  return out;
}

/** Options for select/radio: an array, an iterable, an Arrow column, or a query result (its first column). */
export function optionList(options: unknown): unknown[] {
  if (options === null || options === undefined) return [];
  if (isArrowTable(options)) {
    const column = options.getChildAt(0);
    return column ? optionList(column) : [];
  }
  if (options instanceof Vector) {
    return Array.from(options as Iterable<unknown>, (v) => (typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v));
  }
  if (Array.isArray(options)) return options;
  if (typeof options === 'object' && Symbol.iterator in options) return Array.from(options as Iterable<unknown>);
  throw new TypeError('Options must be an array or a query result column.');
}

function sameOption(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b) || (typeof a === 'number' && a === b);
}

/** A date as `YYYY-MM-DD` (what the date control holds and the widget returns). */
function isoDay(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The widget built-ins of one cell run, by name. */
export function createWidgets(scope: WidgetScope): Record<string, (...args: any[]) => unknown> {
  const keys = new Set<string>();
  /** Widgets created in this run, in order, so `form` can claim the last ones. */
  const created: { item: OutputItem & { type: 'widget' }; name?: string }[] = [];

  function add<T>(
    kind: WidgetKind,
    label: unknown,
    options: Options,
    fallback: T,
    valid: (saved: unknown) => boolean,
    extra: Record<string, unknown> = {},
  ): T {
    const text = String(label ?? '');
    const key = options.key === undefined ? `${scope.cellKey}:${text}` : String(options.key);
    if (keys.has(key)) {
      throw new Error(`Two widgets in this cell are labelled "${text}": give one a different label or a \`key\` option.`);
    }
    keys.add(key);
    scope.store.register(key, kind, scope.cellId);
    const saved = scope.store.get(key);
    const value = scope.store.has(key) && valid(saved) ? (saved as T) : fallback;
    // Everything in the spec crosses to the page, so it must survive structured cloning.
    const widget: WidgetSpec = {
      kind, key, label: text, value: cloneSafe(value),
      options: cloneSafe({ ...dataOptions(options, ['key', 'value']), ...extra }) as Record<string, unknown>,
    };
    const item = { type: 'widget' as const, widget };
    scope.outputs.push(item);
    created.push({ item });
    return value;
  }

  const opts = (o: unknown): Options => (typeof o === 'object' && o !== null ? (o as Options) : {});

  function numeric(kind: 'slider' | 'number', label: unknown, o: unknown) {
    const options = opts(o);
    const min = isNumber(options.min) ? options.min : kind === 'slider' ? 0 : undefined;
    const max = isNumber(options.max) ? options.max : kind === 'slider' ? 100 : undefined;
    const step = isNumber(options.step) ? options.step : kind === 'slider' ? 1 : undefined;
    const fallback = isNumber(options.value) ? options.value : (min ?? 0);
    const inRange = (v: unknown) => isNumber(v) && (min === undefined || v >= min) && (max === undefined || v <= max);
    return add(kind, label, options, fallback, inRange, { min, max, step });
  }

  function choice(kind: 'select' | 'radio', label: unknown, options: unknown, o: unknown) {
    const list = optionList(options);
    const settings = opts(o);
    const multiple = kind === 'select' && settings.multiple === true;
    const known = (v: unknown) => list.some((option) => sameOption(option, v));
    const fallback = multiple
      ? (Array.isArray(settings.value) ? settings.value.filter(known) : [])
      : settings.value !== undefined && known(settings.value) ? settings.value : (list[0] ?? null);
    const valid = multiple ? (v: unknown) => Array.isArray(v) && v.every(known) : known;
    return add(kind, label, settings, fallback, valid, { options: list, multiple });
  }

  const isString = (v: unknown) => typeof v === 'string';
  const isBoolean = (v: unknown) => typeof v === 'boolean';

  return {
    slider: (label: unknown, o?: unknown) => numeric('slider', label, o),
    number: (label: unknown, o?: unknown) => numeric('number', label, o),
    range(label: unknown, o?: unknown) {
      const options = opts(o);
      const min = isNumber(options.min) ? options.min : 0;
      const max = isNumber(options.max) ? options.max : 100;
      const step = isNumber(options.step) ? options.step : 1;
      const given = Array.isArray(options.value) && options.value.length === 2 && options.value.every(isNumber) ? (options.value as number[]) : [min, max];
      const valid = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every(isNumber) && v[0] <= v[1];
      return add('range', label, options, given, valid, { min, max, step });
    },
    text: (label: unknown, o?: unknown) => add('text', label, opts(o), String(opts(o).value ?? ''), isString),
    textarea: (label: unknown, o?: unknown) => add('textarea', label, opts(o), String(opts(o).value ?? ''), isString),
    select: (label: unknown, options: unknown, o?: unknown) => choice('select', label, options, o),
    radio: (label: unknown, options: unknown, o?: unknown) => choice('radio', label, options, o),
    checkbox: (label: unknown, o?: unknown) => add('checkbox', label, opts(o), opts(o).value === true, isBoolean),
    toggle: (label: unknown, o?: unknown) => add('toggle', label, opts(o), opts(o).value === true, isBoolean),
    date(label: unknown, o?: unknown) {
      // Dates are `YYYY-MM-DD` strings: they bind as SQL parameters and survive storage unchanged.
      const options = opts(o);
      const fallback = isoDay(options.value) ?? isoDay(new Date());
      return add('date', label, options, fallback, (v) => typeof v === 'string' && isoDay(v) === v, {
        min: isoDay(options.min), max: isoDay(options.max),
      });
    },
    button(label: unknown, o?: unknown) {
      // Streamlit semantics: `true` only in the run its click triggered, `false` in every other
      // run. A click stays pending until a run that read it delivers, so a click landing during
      // a run that is then superseded is not lost.
      const options = opts(o);
      const key = options.key === undefined ? `${scope.cellKey}:${String(label ?? '')}` : String(options.key);
      const clicked = scope.store.isClicked(key);
      if (clicked) scope.clicksSeen.add(key);
      add('button', label, options, false, () => false);
      return clicked;
    },
    file(label: unknown, o?: unknown) {
      // `null` until the page reports a loaded file, then the table reference it set.
      return add('file', label, opts(o), null, (v) => typeof v === 'object' && v !== null);
    },
    form(label: unknown, fields: unknown, o?: unknown) {
      if (typeof fields !== 'object' || fields === null) throw new TypeError('form(label, {field: widget, …}) needs an object of widgets.');
      const names = Object.keys(fields);
      if (created.length < names.length) {
        throw new TypeError(`form "${String(label)}": every field must be a widget created inside the form call.`);
      }
      // The field widgets were created while evaluating the argument object, so they are the last ones.
      const claimed = created.splice(created.length - names.length, names.length);
      const fieldKeys: Record<string, string> = {};
      const specs: WidgetSpec[] = [];
      claimed.forEach(({ item }, i) => {
        fieldKeys[names[i]!] = item.widget.key;
        // The page submits each field under `options.name`.
        item.widget.options = { ...item.widget.options, name: names[i]! };
        specs.push(item.widget);
        const at = scope.outputs.indexOf(item);
        if (at >= 0) scope.outputs.splice(at, 1);
      });
      const options = opts(o);
      const key = options.key === undefined ? `${scope.cellKey}:${String(label ?? '')}` : String(options.key);
      const value = { ...(fields as Record<string, unknown>) };
      // The last submission (saved under the form's key) wins over the fields' own values.
      const submitted = scope.store.get(key);
      if (typeof submitted === 'object' && submitted !== null) {
        for (const [i, name] of names.entries()) {
          if (!(name in submitted)) continue;
          value[name] = (submitted as Record<string, unknown>)[name];
          specs[i]!.value = value[name];
        }
      }
      add('form', label, options, value, () => false);
      scope.store.registerForm(key, fieldKeys, scope.cellId);
      const formItem = created.at(-1)!.item;
      formItem.widget.fields = specs;
      return value;
    },
  };
}
