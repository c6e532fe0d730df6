/**
 * The widget registry: every widget kind, once. A kind is a builder — the
 * function a cell calls (`slider(label, {…})`) — written against the
 * `WidgetEngine` the runtime worker provides. The compiler's built-in names
 * (`WIDGET_NAMES`), the protocol's `WidgetKind` and the runtime's widget
 * functions are all derived from `WIDGETS`; the page finds each kind's
 * control by the `controls` export of its file in `src/app/widgets/`.
 * Adding a kind: a builder here, a control there, a line in docs/inputs.md
 * (see docs/extending.md). Pure: no DOM, no worker globals, no Arrow.
 */
import { dateRangeWidget, dateWidget } from './dates.ts';
import { brushWidget, pickWidget, tableWidget } from './selections.ts';
import type { Options, WidgetBuilder, WidgetEngine } from './spec.ts';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown) => typeof v === 'string';
const isBoolean = (v: unknown) => typeof v === 'boolean';
const opts = (o: unknown): Options => (typeof o === 'object' && o !== null ? (o as Options) : {});

function sameOption(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b) || (typeof a === 'number' && a === b);
}

function numeric(engine: WidgetEngine, kind: 'slider' | 'number', label: unknown, o: unknown) {
  const options = opts(o);
  const min = isNumber(options.min) ? options.min : kind === 'slider' ? 0 : undefined;
  const max = isNumber(options.max) ? options.max : kind === 'slider' ? 100 : undefined;
  const step = isNumber(options.step) ? options.step : kind === 'slider' ? 1 : undefined;
  const fallback = isNumber(options.value) ? options.value : (min ?? 0);
  const accept = (v: unknown) => isNumber(v) && (min === undefined || v >= min) && (max === undefined || v <= max);
  return engine.add({ kind, label, options, fallback, accept, extra: { min, max, step } });
}

function choice(engine: WidgetEngine, kind: 'select' | 'radio', label: unknown, options: unknown, o: unknown) {
  const list = engine.list(options);
  const settings = opts(o);
  const multiple = kind === 'select' && settings.multiple === true;
  const known = (v: unknown) => list.some((option) => sameOption(option, v));
  const fallback = multiple
    ? (Array.isArray(settings.value) ? settings.value.filter(known) : [])
    : settings.value !== undefined && known(settings.value) ? settings.value : (list[0] ?? null);
  const accept = multiple ? (v: unknown) => Array.isArray(v) && v.every(known) : known;
  return engine.add({ kind, label, options: settings, fallback, accept, extra: { options: list, multiple } });
}

/**
 * Every widget kind, by the name cells call it. Order matters only in that
 * new kinds go at the end (the names are parameters of every cell function).
 */
export const WIDGETS = {
  slider: (engine: WidgetEngine, label: unknown, o?: unknown) => numeric(engine, 'slider', label, o),
  range(engine: WidgetEngine, label: unknown, o?: unknown) {
    const options = opts(o);
    const min = isNumber(options.min) ? options.min : 0;
    const max = isNumber(options.max) ? options.max : 100;
    const step = isNumber(options.step) ? options.step : 1;
    const given = Array.isArray(options.value) && options.value.length === 2 && options.value.every(isNumber) ? (options.value as number[]) : [min, max];
    const accept = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every(isNumber) && v[0] <= v[1];
    return engine.add({ kind: 'range', label, options, fallback: given, accept, extra: { min, max, step } });
  },
  number: (engine: WidgetEngine, label: unknown, o?: unknown) => numeric(engine, 'number', label, o),
  text: (engine: WidgetEngine, label: unknown, o?: unknown) =>
    engine.add({ kind: 'text', label, options: opts(o), fallback: String(opts(o).value ?? ''), accept: isString }),
  textarea: (engine: WidgetEngine, label: unknown, o?: unknown) =>
    engine.add({ kind: 'textarea', label, options: opts(o), fallback: String(opts(o).value ?? ''), accept: isString }),
  select: (engine: WidgetEngine, label: unknown, options: unknown, o?: unknown) => choice(engine, 'select', label, options, o),
  radio: (engine: WidgetEngine, label: unknown, options: unknown, o?: unknown) => choice(engine, 'radio', label, options, o),
  checkbox: (engine: WidgetEngine, label: unknown, o?: unknown) =>
    engine.add({ kind: 'checkbox', label, options: opts(o), fallback: opts(o).value === true, accept: isBoolean }),
  toggle: (engine: WidgetEngine, label: unknown, o?: unknown) =>
    engine.add({ kind: 'toggle', label, options: opts(o), fallback: opts(o).value === true, accept: isBoolean }),
  date: dateWidget,
  button(engine: WidgetEngine, label: unknown, o?: unknown) {
    // Streamlit semantics: `true` only in the run its click triggered, `false` in every other
    // run. A click stays pending until a run that read it delivers, so a click landing during
    // a run that is then superseded is not lost.
    const options = opts(o);
    const clicked = engine.takeClick(engine.keyOf(label, options));
    engine.add({ kind: 'button', label, options, fallback: false, accept: () => false });
    return clicked;
  },
  file(engine: WidgetEngine, label: unknown, o?: unknown) {
    // `null` until the page reports a loaded file, then the table reference it set.
    return engine.add({ kind: 'file', label, options: opts(o), fallback: null, accept: (v) => typeof v === 'object' && v !== null });
  },
  form(engine: WidgetEngine, label: unknown, fields: unknown, o?: unknown) {
    if (typeof fields !== 'object' || fields === null) throw new TypeError('form(label, {field: widget, …}) needs an object of widgets.');
    const names = Object.keys(fields);
    // The field widgets were created while evaluating the argument object, so they are the last ones.
    const specs = engine.claim(names.length);
    if (specs.length < names.length) {
      throw new TypeError(`form "${String(label)}": every field must be a widget created inside the form call.`);
    }
    const fieldKeys: Record<string, string> = {};
    specs.forEach((spec, i) => {
      fieldKeys[names[i]!] = spec.key;
      // The page submits each field under `options.name`.
      spec.options = { ...spec.options, name: names[i]! };
    });
    const options = opts(o);
    const key = engine.keyOf(label, options);
    const value = { ...(fields as Record<string, unknown>) };
    // The last submission (saved under the form's key) wins over the fields' own values.
    const submitted = engine.stored(key);
    if (typeof submitted === 'object' && submitted !== null) {
      for (const [i, name] of names.entries()) {
        if (!(name in submitted)) continue;
        value[name] = (submitted as Record<string, unknown>)[name];
        specs[i]!.value = value[name];
      }
    }
    engine.add({ kind: 'form', label, options, fallback: value, accept: () => false, fields: specs });
    engine.registerForm(key, fieldKeys);
    return value;
  },
  brush: brushWidget,
  pick: pickWidget,
  table: tableWidget,
  dateRange: dateRangeWidget,
} satisfies Record<string, WidgetBuilder>;

/** Every widget kind's name. */
export type WidgetKind = keyof typeof WIDGETS;

/** The widget built-ins, in registry order (the compiler's and the runtime's list). */
export const WIDGET_NAMES = Object.keys(WIDGETS) as WidgetKind[];
