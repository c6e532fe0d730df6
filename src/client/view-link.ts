/**
 * The page's half of view links (names and spellings: src/runtime/view-params.ts).
 * A built app opened with `?year=2014&kind=rain` hands those parameters to
 * the runtime's first run, which gives them to the widgets they name, each
 * checking them by its own rules. Here, the page learns from each widget it
 * is shown whether the link's value was taken (it is then the reader's
 * input, saved like a control change) or not (a notice says so), and keeps
 * the URL's query in step with the inputs the reader set, so the address
 * bar is always a link to the view on screen.
 */
import { stableSerialize } from '../data/memo-key.ts';
import { isRestored, type CellEvent, type WidgetSpec } from '../runtime/protocol.ts';
import {
  MAX_VIEW_VALUE,
  UNLINKED_KINDS,
  decodeViewValue,
  encodeViewValue,
  parseViewQuery,
  viewParamNames,
  type ViewParamNames,
} from '../runtime/view-params.ts';

/** What one cell event told about the link: values widgets took, and what to tell the reader about the rest. */
export interface LinkVerdicts {
  taken: { key: string; value: unknown }[];
  notices: string[];
}

/** A widget on screen, with the key of the cell that made it. */
interface ShownWidget {
  widget: WidgetSpec;
  cellKey: string;
}

export class ViewLink {
  /** Parameters of the opening URL, by name. */
  private readonly params: Map<string, string[]>;
  /** Widgets whose link value was judged (each once). */
  private readonly judged = new Set<string>();
  /** Notices about the opening URL itself (values too long to be one). */
  readonly notices: string[] = [];

  constructor(search: string) {
    this.params = parseViewQuery(search);
    for (const [name, texts] of this.params) {
      if (texts.some((t) => t.length > MAX_VIEW_VALUE)) {
        this.params.delete(name);
        this.notices.push(`The link's value for “${shorten(name)}” is longer than ${MAX_VIEW_VALUE.toLocaleString('en')} characters; it was ignored.`);
      }
    }
  }

  /** The parameters for the runtime's first run (`RuntimeInit.linked`). */
  linked(): Record<string, string[]> {
    return Object.fromEntries(this.params);
  }

  /**
   * Judges the widgets of a live settled event that the link names: a
   * widget now showing the link's value took it; one showing anything else
   * refused it (its rules did not accept it, or its kind is never linked).
   */
  judge(event: CellEvent, cellKey: string): LinkVerdicts {
    const verdicts: LinkVerdicts = { taken: [], notices: [] };
    if (event.status === 'pending' || isRestored(event)) return verdicts;
    for (const widget of event.outputs.flatMap((item) => (item.type === 'widget' ? withFields(item.widget) : []))) {
      if (this.judged.has(widget.key)) continue;
      const verdict = this.verdict(widget, cellKey);
      if (!verdict) continue;
      this.judged.add(widget.key);
      if (verdict.shows) {
        verdicts.taken.push({ key: widget.key, value: widget.value });
      } else {
        const label = widget.label || verdict.name;
        const why = UNLINKED_KINDS.has(widget.kind) ? `a link cannot set a ${widget.kind}` : 'it is not a value this input takes';
        verdicts.notices.push(`The link sets “${shorten(label)}” to “${shorten(verdict.texts.join(', '))}”, but ${why}; it shows its own value instead.`);
      }
    }
    return verdicts;
  }

  /**
   * Whether outputs saved earlier (last visit's, or the build's snapshot)
   * show a widget the link sets to another value: they are then not the
   * linked view, and must not be painted as if they were.
   */
  contradicts(cells: Record<string, CellEvent>, cellKeys: ReadonlyMap<string, string>): boolean {
    return widgetsOnScreen(cells, cellKeys).some(({ widget, cellKey }) =>
      withFields(widget).some((w) => this.verdict(w, cellKey)?.shows === false),
    );
  }

  /** The link's parameter for `widget`, if it names it, and whether the widget shows the value it sets. */
  private verdict(widget: WidgetSpec, cellKey: string): { name: string; texts: string[]; shows: boolean } | undefined {
    const names = viewParamNames(widget, cellKey);
    const name = [names.qualified, names.primary].find((n) => this.params.has(n));
    if (name === undefined) return undefined;
    const texts = this.params.get(name)!;
    const decoded = UNLINKED_KINDS.has(widget.kind) ? undefined : decodeViewValue(texts, widget.value, widget.options.options);
    return { name, texts, shows: decoded !== undefined && stableSerialize(decoded.value) === stableSerialize(widget.value) };
  }

  /**
   * The URL query for `inputs` (the values the reader set, by widget key)
   * given the widgets on screen: each such widget under its name, others'
   * parameters (not Brook's, or for widgets not shown yet) left as they are.
   */
  query(current: string, inputs: Record<string, unknown>, shown: readonly ShownWidget[]): string {
    const set = withSubmittedFields(inputs, shown);
    const widgets = shown.flatMap(({ widget, cellKey }) => withFields(widget).map((w) => ({ widget: w, cellKey })));
    // A widget the opening link names, not judged yet, keeps the link's parameter as it is.
    const named = new Map([...namesOnScreen(widgets)].filter(([key, n]) => this.judged.has(key) || !(this.params.has(n.primary) || this.params.has(n.qualified))));
    const params = new URLSearchParams(current);
    for (const { primary, qualified } of named.values()) {
      params.delete(primary);
      params.delete(qualified);
    }
    for (const [key, name] of named) {
      const widget = widgets.find((s) => s.widget.key === key)!.widget;
      if (UNLINKED_KINDS.has(widget.kind) || !Object.hasOwn(set, key)) continue;
      const texts = encodeViewValue(set[key]);
      const use = name.duplicate ? name.qualified : name.primary;
      for (const text of texts ?? []) params.append(use, text);
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  /** Forgets the opening URL's parameters (a reset): nothing from it applies again. */
  clear(): void {
    this.params.clear();
  }
}

/** A widget and, for a form, its fields: each field is named and carried like a widget of its own. */
function withFields(widget: WidgetSpec): WidgetSpec[] {
  return [widget, ...(widget.fields ?? [])];
}

/** `inputs` plus each shown form's last submission, by field key (the page saves a submission under the form's key). */
function withSubmittedFields(inputs: Record<string, unknown>, shown: readonly ShownWidget[]): Record<string, unknown> {
  const set = { ...inputs };
  for (const { widget } of shown) {
    const submitted = inputs[widget.key];
    if (widget.kind !== 'form' || typeof submitted !== 'object' || submitted === null) continue;
    for (const field of widget.fields ?? []) {
      const name = field.options.name;
      if (typeof name === 'string' && Object.hasOwn(submitted, name)) set[field.key] = (submitted as Record<string, unknown>)[name];
    }
  }
  return set;
}

/** Each widget key on screen → its names, and whether another widget shares its primary name. */
function namesOnScreen(shown: readonly ShownWidget[]): Map<string, ViewParamNames & { duplicate: boolean }> {
  const names = new Map<string, ViewParamNames & { duplicate: boolean }>();
  const counts = new Map<string, number>();
  for (const { widget, cellKey } of shown) {
    if (names.has(widget.key)) continue;
    const n = viewParamNames(widget, cellKey);
    names.set(widget.key, { ...n, duplicate: false });
    counts.set(n.primary, (counts.get(n.primary) ?? 0) + 1);
  }
  for (const name of names.values()) name.duplicate = (counts.get(name.primary) ?? 0) > 1;
  return names;
}

/** The widgets the page shows now, in document order, each with its cell's key. */
export function widgetsOnScreen(cells: Record<string, CellEvent>, cellKeys: ReadonlyMap<string, string>): ShownWidget[] {
  const shown: ShownWidget[] = [];
  for (const [id, cellKey] of cellKeys) {
    const event = cells[id];
    if (!event || event.status === 'pending') continue;
    for (const item of event.outputs) if (item.type === 'widget') shown.push({ widget: item.widget, cellKey });
  }
  return shown;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
