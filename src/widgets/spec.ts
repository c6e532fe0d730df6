/**
 * The shapes widget builders, the runtime worker and the page share: the
 * spec of a control as the page receives it, what a builder may ask of the
 * runtime (`WidgetEngine`), and the figure geometry brushes and picks draw
 * over. Types only, importing nothing, so every file of `src/widgets` and
 * the protocol can depend on it without a cycle.
 */

export type Options = Record<string, unknown>;

/**
 * What the page needs to render a control. `value` is the current value
 * (already restored from storage). `Kind` is the registry's `WidgetKind` in
 * the protocol (`src/runtime/protocol.ts`); builders see it as text.
 */
export interface WidgetSpec<Kind extends string = string> {
  kind: Kind;
  /** Cell key + label (or explicit `key` option): stable across re-runs. */
  key: string;
  label: string;
  value: unknown;
  /** Kind-specific options: min/max/step, options list, placeholder, accept, multiple, … */
  options: Record<string, unknown>;
  /** For `form`: its fields, each a widget spec (their values are submitted together). */
  fields?: WidgetSpec<Kind>[];
}

/**
 * What a builder may ask of the runtime (`workers/runtime/widgets.ts`
 * implements it for one cell run).
 */
export interface WidgetEngine {
  /**
   * Adds a control and returns its value: the saved one when `accept` takes
   * it (after `revive`), else `fallback`. `extra` joins the data options the
   * page receives (made clone-safe, three levels deep); `data` joins them as
   * it is (nested plain data: figures, tables); `shown` is the value the
   * page's control gets (default: the value itself).
   */
  add<T>(control: AddControl<T>): T;
  /** The widget key a call with this label and options gets (`cell key:label`, or the `key` option). */
  keyOf(label: unknown, options: Options): string;
  /** The saved value under `key`, if any. */
  stored(key: string): unknown;
  /** Whether a click of button `key` is waiting for this run (it is then spent when the run delivers). */
  takeClick(key: string): boolean;
  /** Removes the last `count` widgets this run created from its outputs and returns their specs (forms claim their fields). */
  claim(count: number): WidgetSpec[];
  /** Records a form's field keys by field name (a submit updates each). */
  registerForm(key: string, fields: Record<string, string>): void;
  /** The choices of a select/radio: an array, an iterable, an Arrow column, or a query result (its first column). */
  list(options: unknown): unknown[];
  /** A Plot figure as the page draws it, with its scales; throws a TypeError naming `call` for anything else. */
  figure(value: unknown, call: string): FigureSpec;
  /** A table output of `data` (query result or array of objects), for a control that shows rows. */
  table(data: unknown, call: string): { table: unknown; rows: () => Iterable<unknown> };
}

export interface AddControl<T> {
  /** The registry name of the kind (as in `WIDGETS`). */
  kind: string;
  label: unknown;
  options: Options;
  fallback: T;
  accept: (saved: unknown) => boolean;
  revive?: (saved: unknown) => T;
  extra?: Record<string, unknown>;
  data?: Record<string, unknown>;
  shown?: (value: T) => unknown;
  fields?: WidgetSpec[];
}

/** A builder: the engine first, then the arguments the cell passed. */
export type WidgetBuilder = (engine: WidgetEngine, ...args: any[]) => unknown;

/** A position scale of a figure, as Plot's `figure.scale(name)` describes it (data the page can clone). */
export interface ScaleInfo {
  type: string;
  domain: unknown[];
  range: [number, number];
  base?: number;
  exponent?: number;
  constant?: number;
  /** Band and point scales: each domain value's start in pixels, and the band's width. */
  positions?: number[];
  bandwidth?: number;
}

/** A figure a brush or pick draws over: its markup (sanitized on the page) and geometry. */
export interface FigureSpec {
  html: string;
  width: number;
  height: number;
  scales: { x?: ScaleInfo; y?: ScaleInfo };
  /** The pickable elements (`data-brook-datum="mark:index"`) → their data, for `pick`. */
  data?: (id: string) => unknown;
  /** Every pickable element's id, in document order. */
  ids?: string[];
}
