/**
 * The engine behind the widget built-ins (their builders are the registry in
 * `src/widgets/kinds.ts`). A widget call returns the control's current value
 * (the saved value when there is a valid one, else its default) and adds a
 * `widget` output the page renders. Identity is `${cell.key}:${label}` or an
 * explicit `key` option, so values survive edits of other cells.
 */
import { Vector } from 'apache-arrow';
import type { OutputItem, WidgetKind, WidgetSpec } from '../../src/runtime/protocol.ts';
import { WIDGETS } from '../../src/widgets/kinds.ts';
import type { AddControl, FigureSpec, Options, WidgetEngine } from '../../src/widgets/spec.ts';
import { UNLINKED_KINDS, decodeViewValue, viewParamNames } from '../../src/runtime/view-params.ts';
import { figureSpec } from './figures.ts';
import { tableOutput, type HoldTable } from './outputs.ts';
import { cloneSafe, isArrowTable, isRowArray } from './tables.ts';

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

  /** View-link parameters (name → URL texts); each widget key takes them once. */
  private linked: Map<string, string[]>;
  private linkedKeys = new Set<string>();

  constructor(saved: Record<string, unknown> = {}, linked: Record<string, string[]> = {}) {
    this.values = new Map(Object.entries(saved));
    this.linked = new Map(Object.entries(linked));
  }

  /**
   * The view-link texts for widget `key` under the first of `names` the link
   * has, the first time this key asks: later runs keep whatever the reader
   * chose since.
   */
  takeLinked(key: string, names: readonly string[]): string[] | undefined {
    if (this.linkedKeys.has(key)) return undefined;
    const name = names.find((n) => this.linked.has(n));
    if (name === undefined) return undefined;
    this.linkedKeys.add(key);
    return this.linked.get(name);
  }

  /** Stores a value a view link gave (not a control change: nothing re-runs). */
  putLinked(key: string, value: unknown): void {
    this.values.set(key, value);
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
  /** Keeps a table output of this run for windowing. */
  hold: HoldTable;
  /** Every control this run made, in order (the runtime rebinds a widget-only cell from it). */
  made?: MadeWidget[];
}

/** A control one run made: its output, the value the call returned, and how a new saved value becomes one. */
export interface MadeWidget {
  key: string;
  kind: WidgetKind;
  item: OutputItem & { type: 'widget' };
  value: unknown;
  /** The value (and what the page's control shows) the same call would return for `saved`, without running the cell. */
  revalue(saved: unknown): { value: unknown; shown: unknown };
}

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

/**
 * A widget a view link names (`?year=2014`) takes the link's value when its
 * own rules accept it; otherwise it keeps its saved or default value and the
 * page, seeing that, tells the reader the link's value was not taken.
 */
function takeViewLink<T>(scope: WidgetScope, key: string, label: string, control: AddControl<T>): void {
  if (UNLINKED_KINDS.has(control.kind)) return;
  const names = viewParamNames({ key, label }, scope.cellKey);
  const texts = scope.store.takeLinked(key, [names.qualified, names.primary]);
  if (!texts) return;
  const decoded = decodeViewValue(texts, control.fallback, control.extra?.options);
  if (decoded && control.accept(decoded.value)) scope.store.putLinked(key, decoded.value);
}

/** The widget built-ins of one cell run, by name: each registry builder bound to this run's engine. */
export function createWidgets(scope: WidgetScope): Record<string, (...args: any[]) => unknown> {
  const keys = new Set<string>();
  /** Widgets created in this run, in order, so `form` can claim the last ones. */
  const created: (OutputItem & { type: 'widget' })[] = [];
  const keyOf = (label: unknown, options: Options) =>
    options.key === undefined ? `${scope.cellKey}:${String(label ?? '')}` : String(options.key);

  const engine: WidgetEngine = {
    add<T>(control: AddControl<T>): T {
      const text = String(control.label ?? '');
      const key = keyOf(text, control.options);
      if (keys.has(key)) {
        throw new Error(`Two widgets in this cell are labelled "${text}": give one a different label or a \`key\` option.`);
      }
      keys.add(key);
      scope.store.register(key, control.kind as WidgetKind, scope.cellId);
      takeViewLink(scope, key, text, control);
      const valueFor = (saved: unknown, present: boolean): T =>
        present && control.accept(saved) ? (control.revive ? control.revive(saved) : (saved as T)) : control.fallback;
      // Everything in the spec crosses to the page, so it must survive structured cloning.
      const shownOf = (value: T) => cloneSafe(control.shown ? control.shown(value) : value);
      const value = valueFor(scope.store.get(key), scope.store.has(key));
      const widget: WidgetSpec = {
        kind: control.kind as WidgetKind, key, label: text,
        value: shownOf(value),
        options: {
          ...(cloneSafe({ ...dataOptions(control.options, ['key', 'value']), ...control.extra }) as Record<string, unknown>),
          ...control.data,
        },
      };
      // Fields are specs this engine made (`claim`), so their kinds are the registry's.
      if (control.fields) widget.fields = control.fields as WidgetSpec[];
      const item = { type: 'widget' as const, widget };
      scope.outputs.push(item);
      created.push(item);
      scope.made?.push({
        key, kind: widget.kind, item, value,
        revalue(saved) {
          const next = valueFor(saved, true);
          return { value: next, shown: shownOf(next) };
        },
      });
      return value;
    },
    keyOf,
    stored: (key) => scope.store.get(key),
    takeClick(key) {
      const clicked = scope.store.isClicked(key);
      if (clicked) scope.clicksSeen.add(key);
      return clicked;
    },
    claim(count) {
      if (created.length < count) return [];
      return created.splice(created.length - count, count).map((item) => {
        const at = scope.outputs.indexOf(item);
        if (at >= 0) scope.outputs.splice(at, 1);
        return item.widget;
      });
    },
    registerForm: (key, fields) => scope.store.registerForm(key, fields, scope.cellId),
    list: optionList,
    figure: (value, call): FigureSpec => figureSpec(value, call),
    table(data, call) {
      if (!isArrowTable(data) && !isRowArray(data)) {
        throw new TypeError(`${call}: data must be a query result or an array of objects.`);
      }
      return { table: tableOutput(data, scope.hold), rows: () => data as Iterable<unknown> };
    },
  };

  return Object.fromEntries(
    Object.entries(WIDGETS).map(([name, build]) => [name, (...args: unknown[]) => (build as (e: WidgetEngine, ...a: unknown[]) => unknown)(engine, ...args)]),
  );
}
