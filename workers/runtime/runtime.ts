/**
 * The cell runtime: the scheduler plus everything a cell run needs (built-ins,
 * saved inputs, state, cache, tables). Free of worker globals so it runs in
 * Node tests; `runtime.worker.ts` only wires it to Comlink.
 */
import { BUILTIN_NAMES } from '../../src/compile/builtins.ts';
import { linkEngineResults } from '../../src/data/engine-cells.ts';
import type { CompiledCell } from '../../src/compile/types.ts';
import { findRemoteImport } from '../../src/runtime/module-guard.ts';
import { compileCellFunction, toCellError, type CellFunction } from '../../src/runtime/execute.ts';
import type { OutputWidths, RuntimeHost, RuntimeInit } from '../../src/runtime/messages.ts';
import type { DataApi } from '../../src/data/api.ts';
import type { CellError, OutputItem, SortSpec } from '../../src/runtime/protocol.ts';
import { Scheduler, type Execution, type Rebound, type RunContext } from '../../src/runtime/scheduler.ts';
import { CacheStore } from './cache.ts';
import { html, md } from './markup.ts';
import { OutputStream } from './output-stream.ts';
import { downloadItem, holeText, metricItem, progressItem, toOutputItem, toastText, type ProgressOptions } from './outputs.ts';
import { PlotLoader, type PlotBuiltin } from './plot-loader.ts';
import { createQuery, holeNames } from './query.ts';
import { StateStore } from './state.ts';
import { TableStore, type Rows, type Tabular } from './tables.ts';
import { InputStore, createWidgets, type MadeWidget } from './widgets.ts';
import { widgetBinding } from '../../src/runtime/widget-binding.ts';
import { WIDGETS } from '../../src/widgets/kinds.ts';
import { WidthStore, plotAtWidth } from './widths.ts';

export interface CellRuntimeOptions {
  init: RuntimeInit;
  host: RuntimeHost;
  data: Pick<DataApi, 'query' | 'cancelBefore'>;
  /** Debounce of `state` reports (ms). */
  stateDelayMs?: number;
  /** Loads the `Plot` built-in (`importPlot`, or the page's copy in a built app); called only for cells that read `Plot`. */
  loadPlot: () => Promise<PlotBuiltin>;
  /** What a network-blocked cell's `import()` must stay on (default: this worker's URL). */
  moduleBase?: string;
  /** How long cells that need a width wait for the page's first measurement (ms). */
  widthsWaitMs?: number;
  /** How long a running cell's output changes gather before they are sent (ms; see `OutputStream`). */
  streamFrameMs?: number;
  /**
   * The built-ins whose cells (and everything downstream) move the values
   * the data engine prepares range indexes for (`QueryRequest.prepare`).
   * Default `['brush']`: a page prepares ahead of a drag; the build names
   * every input widget and ships the indexes.
   */
  prepareFollowing?: readonly string[];
}

/** Throws, before the cell becomes a function, when a network-blocked cell imports from elsewhere. */
function refuseRemoteImport(body: string, base: string): void {
  const remote = findRemoteImport(body, base);
  if (!remote) return;
  const error = new Error(
    remote.url === null
      ? 'This notebook runs without network access, so import() must name a module of this site as a plain string.'
      : `This notebook runs without network access, so it cannot import ${remote.url}.`,
  );
  error.name = 'NetworkBlockedError';
  throw error;
}

/**
 * Outputs one run of one cell shows, at most. A loop of `display` calls
 * (200,000 lines) would otherwise post and render every one and freeze the
 * page for minutes; the rest are counted and the cell says how many.
 */
export const MAX_OUTPUTS_PER_RUN = 1000;

/**
 * Toasts one run of one cell may send. The page rate-limits toasts too (it
 * trusts nothing from this worker); this only keeps a loop from posting
 * thousands of messages nobody will see.
 */
export const MAX_TOASTS_PER_RUN = 20;

/** What one run of one cell collected. */
interface RunScope {
  outputs: OutputItem[];
  /** Outputs left out past {@link MAX_OUTPUTS_PER_RUN}. */
  dropped: number;
  /** Spans (`performance.now()`) its queries waited for the data engine; not counted as the cell's time. */
  waits: [number, number][];
  clicksSeen: Set<string>;
  tables: Set<string>;
  handles: Set<string>;
  /** Displayed promises not settled yet; the run waits for them (see `present`). */
  pending: Promise<void>[];
  /** Set once the run's function settled: later `display` calls are dropped. */
  closed: boolean;
  /** Placeholders of displayed promises not settled yet: never streamed. */
  markers: Set<OutputItem>;
  /** Progress bars of this run by key (`''` for the default one), so a later call updates the same bar. */
  bars: Map<string, OutputItem>;
  toasts: number;
  /** Sends the outputs to the page while the run goes on. */
  stream: OutputStream;
  /** The controls this run made. */
  made: MadeWidget[];
}

/** The widget built-ins a widget-only cell may call (`widget-binding.ts`). */
const WIDGET_BUILDERS: ReadonlySet<string> = new Set(Object.keys(WIDGETS));

/** Kinds whose value is not a plain stored value (a click, a form's submit): their cells always re-run. */
const NOT_REBOUND = new Set(['button', 'form']);

/** A delivered widget-only cell: enough to give it a new value of its widget without running it. */
interface Rebindable {
  name: string;
  widget: MadeWidget;
  outputs: OutputItem[];
}

export class CellRuntime {
  private readonly scheduler: Scheduler<CompiledCell>;
  private readonly inputs: InputStore;
  private readonly stateStore: StateStore;
  private readonly caches = new CacheStore();
  private readonly tables = new TableStore();
  /** Tables each cell read in its last delivered run (lowercase). */
  private readonly tablesRead = new Map<string, Set<string>>();
  private readonly functions = new Map<string, { source: string; fn: CellFunction }>();
  private readonly scopes = new WeakMap<RunContext, RunScope>();
  private readonly plot: PlotLoader;
  private readonly widths: WidthStore;
  /** Cells that are one widget and nothing else, by id, as their last run delivered them. */
  private readonly rebindable = new Map<string, Rebindable>();
  /** The cells at or downstream of a cell calling one of `prepareFollowing` (a `brush(…)`), for the graph they were worked out on. */
  private movingReach: { graph: unknown; reach: ReadonlySet<string> } | undefined;

  constructor(private readonly options: CellRuntimeOptions) {
    this.plot = new PlotLoader(options.loadPlot);
    this.widths = new WidthStore(options.init.widths, options.widthsWaitMs);
    this.inputs = new InputStore(options.init.inputs, options.init.linked);
    this.stateStore = new StateStore(options.init.state, {
      post: (snapshot) => options.host.stateChanged(snapshot),
      delayMs: options.stateDelayMs,
    });
    this.scheduler = new Scheduler<CompiledCell>({
      execute: (cell, inputs, run) => this.execute(cell, inputs, run),
      observe: (event) => options.host.event(event),
      onGeneration: (generation) => options.data.cancelBefore(generation),
      onDelivered: (cell, execution, run) => this.delivered(cell, execution, run),
      onIdle: () => {
        options.host.running(null);
        this.preloadPlot();
      },
      firstGeneration: options.init.firstGeneration,
    });
  }

  /** Loads or replaces the notebook (see `RuntimeApi.load`). `code` cells never run. */
  load(cells: CompiledCell[], skip?: Record<string, CellError>): void {
    // Local SQL that reads an engine cell's result by name runs after that cell (engine-cells.ts).
    const runnable = linkEngineResults(cells.filter((cell) => cell.kind !== 'code'));
    const ids = new Set(runnable.map((cell) => cell.id));
    for (const id of this.functions.keys()) {
      if (!ids.has(id)) {
        this.functions.delete(id);
        this.rebindable.delete(id);
        this.tablesRead.delete(id);
        this.tables.release(id);
      }
    }
    this.widths.retain(ids);
    this.scheduler.load(runnable, skip);
  }

  /**
   * A control changed: re-run the cell that made it (and what is downstream),
   * or, for a cell that is only that widget, give it the value without
   * running it (`Scheduler.offer`: latest wins, the downstream work of the
   * last value settles first). Returns the generation from which runs see it.
   */
  setInput(key: string, value: unknown): number {
    const owner = this.inputs.set(key, value);
    if (owner === undefined || !this.scheduler.cells.has(owner)) return this.scheduler.generation;
    if (this.rebindable.get(owner)?.widget.key !== key) {
      this.scheduler.invalidate([owner]);
      return this.scheduler.generation;
    }
    return this.scheduler.offer(owner, () => this.rebound(owner, key));
  }

  /**
   * A widget-only cell (`const x = brush(…)`) with its widget's newest value:
   * the cell's value and outputs, without running it (which would redraw its
   * figure). Undefined when the cell is no longer one.
   */
  private rebound(owner: string, key: string): Rebound | undefined {
    const bound = this.rebindable.get(owner);
    if (!bound || bound.widget.key !== key) return undefined;
    const { value, shown } = bound.widget.revalue(this.inputs.get(key));
    const item = { ...bound.widget.item, widget: { ...bound.widget.item.widget, value: shown } };
    const outputs = bound.outputs.map((output) => (output === bound.widget.item ? item : output));
    // Kept at once: if the scheduler re-runs the cell instead, its delivery replaces this.
    this.rebindable.set(owner, { ...bound, widget: { ...bound.widget, item, value }, outputs });
    return { values: { [bound.name]: value }, outputs };
  }

  /** Tables were created or replaced: re-run the cells that read them or failed for lack of them. */
  tablesChanged(names: string[], except?: string): void {
    const changed = new Set(names.map((name) => name.toLowerCase()));
    const cells = [...this.tablesRead].filter(([id, read]) => id !== except && [...read].some((name) => changed.has(name))).map(([id]) => id);
    if (cells.length > 0) this.scheduler.invalidate(cells);
  }

  /** Keys of `state` another tab of the notebook saved (see `StateStore.merge`). */
  mergeState(set: Record<string, unknown>, removed: string[]): void {
    this.stateStore.merge(set, removed);
  }

  /** New output widths from the page: re-run the cells whose run read a width that changed. */
  setWidths(widths: OutputWidths): void {
    const changed = this.widths.set(widths).filter((id) => this.scheduler.cells.has(id));
    if (changed.length > 0) this.scheduler.invalidate(changed);
  }

  /** A window of a table output held by the runtime. */
  rows(handle: string, offset: number, limit: number, sort?: SortSpec): Rows {
    return this.tables.rows(handle, offset, limit, sort);
  }

  /** Resolves when no cell is running or can start (tests, and callers that need a settled notebook). */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  /** Sends a pending `state` report at once. */
  flushState(): void {
    this.stateStore.flush();
  }

  /**
   * After a run settles, loads `Plot` in the background when a cell reads it
   * but has not run yet (it waits for a table or an upstream fix), so that
   * cell draws without the wait later. Never earlier: evaluating the chunk
   * would delay the first run, which paints the controls.
   */
  private preloadPlot(): void {
    if ([...this.scheduler.cells.values()].some((cell) => cell.builtins.includes('Plot'))) this.plot.preload();
  }

  /**
   * The `${}` of a SQL cell (by index) that read a name defined by a cell
   * calling `brush` (or another of `prepareFollowing`) or a cell downstream
   * of one: their values change as the brush is dragged (see
   * `QueryRequest.prepare`). Known from the cells' text, before the brush's
   * cell has run (a first visit runs what the build's results answer first).
   */
  private holesThatMove(holes: readonly string[]): Set<number> {
    const graph = this.scheduler.dependencies;
    // Asked by every query run: the reach is worked out once per loaded graph.
    if (this.movingReach?.graph !== graph) {
      const moving = this.options.prepareFollowing ?? ['brush'];
      const sources = [...graph.cells.values()].filter((cell) => cell.builtins.some((name) => moving.includes(name))).map((cell) => cell.id);
      this.movingReach = { graph, reach: sources.length > 0 ? graph.closure(sources) : new Set() };
    }
    const { reach } = this.movingReach;
    if (reach.size === 0) return new Set();
    return new Set(holes.flatMap((hole, i) => (holeNames(hole).some((name) => reach.has(graph.definerOf(name) ?? '')) ? [i] : [])));
  }

  private functionFor(cell: CompiledCell): CellFunction {
    const source = `${cell.inputs.join(',')}\u0000${cell.body}`;
    const known = this.functions.get(cell.id);
    if (known && known.source === source) return known.fn;
    if (this.options.init.blockNetwork) refuseRemoteImport(cell.body, this.options.moduleBase ?? self.location.href);
    const fn = compileCellFunction(cell);
    this.functions.set(cell.id, { source, fn });
    return fn;
  }

  private builtins(cell: CompiledCell, scope: RunScope, run: RunContext): Record<string, unknown> {
    const hold = (data: Tabular) => this.hold(cell.id, scope, data);
    const show = (item: OutputItem) => {
      if (scope.closed) return;
      addOutput(scope, item);
      scope.stream.changed();
    };
    const widgets = createWidgets({ cellId: cell.id, cellKey: cell.key, outputs: scope.outputs, store: this.inputs, clicksSeen: scope.clicksSeen, hold, made: scope.made });
    return {
      // A control made after an `await` streams like any other output.
      ...Object.fromEntries(Object.entries(widgets).map(([name, build]) => [name, (...args: unknown[]) => {
        try {
          return build(...args);
        } finally {
          scope.stream.changed();
        }
      }])),
      // `undefined` shows nothing, so `display(metric(…))` (SPEC's spelling) shows the one card metric already added.
      display: (value: unknown) => {
        if (value !== undefined) this.present(scope, value, (v) => toOutputItem(v, hold));
        return value;
      },
      md,
      html,
      // `metric` and `download` show themselves (like Streamlit) and return nothing, so a final
      // `metric(…)` expression is not shown twice.
      metric: (label: unknown, value: unknown, options?: { delta?: unknown }) => void show(metricItem(label, value, options)),
      download: (data: unknown, filename: unknown, label?: unknown) => void show(downloadItem(data, filename, label)),
      progress: (value: unknown, options?: ProgressOptions) => void this.progress(scope, value, options),
      toast: (text: unknown) => {
        if (scope.closed || run.isStale() || ++scope.toasts > MAX_TOASTS_PER_RUN) return;
        this.options.host.toast({ cell: cell.id, run: { generation: run.generation, runs: run.runs }, text: toastText(text) });
      },
      query: createQuery({
        data: this.options.data,
        generation: run.generation,
        askAgainAs: () => (run.isStale() ? undefined : this.scheduler.generation),
        readTables: (names) => names.forEach((name) => scope.tables.add(name.toLowerCase())),
        waited: (from, to) => void scope.waits.push([from, to]),
        // Cells that read the table before (and failed or read the old rows) re-run; this one is running.
        tableReplaced: (name) => this.tablesChanged([name], cell.id),
        brushed: (holes) => this.holesThatMove(holes),
      }),
      cache: this.caches.builtin(cell.key),
      state: this.stateStore.state,
      // Set in `execute` once loaded and once the page measured widths; no other cell can read them.
      Plot: undefined,
      width: undefined,
      now: Date.now(),
    };
  }

  private async execute(cell: CompiledCell, inputs: Record<string, unknown>, run: RunContext): Promise<Execution> {
    const scope: RunScope = {
      outputs: [], dropped: 0, waits: [], clicksSeen: new Set(), tables: new Set(), handles: new Set(), pending: [], closed: false,
      markers: new Set(), bars: new Map(), toasts: 0, made: [],
      stream: new OutputStream({
        live: () => !scope.closed && !run.isStale(),
        send: () => this.options.host.event({
          cell: cell.id,
          status: 'pending',
          run: { generation: run.generation, runs: run.runs },
          partial: finalOutputs(scope).filter((item) => !scope.markers.has(item)),
        }),
        frameMs: this.options.streamFrameMs,
      }),
    };
    this.scopes.set(run, scope);
    const builtins = this.builtins(cell, scope, run);
    const hold = (data: Tabular) => this.hold(cell.id, scope, data);
    const context = {
      value: (value: unknown) => {
        if (value !== undefined) this.present(scope, value, (v) => (v === undefined ? undefined : toOutputItem(v, hold)));
      },
      holes: (values: unknown[]) => {
        const all = values.some(isThenable) ? Promise.all(values) : values;
        this.present(scope, all, (resolved) => ({ type: 'holes', values: (resolved as unknown[]).map(holeText) }));
      },
    };
    let fn: CellFunction;
    try {
      fn = this.functionFor(cell);
    } catch (error) {
      return { ok: false, error: toCellError(error, cell), outputs: [] };
    }
    try {
      this.options.host.running(cell.id);
      this.widths.startRun(cell.id);
      // Only cells that read `Plot` wait for its chunk (a failed load rejects just this run), and only
      // cells that draw at a width wait for the page's first measurement of it, meanwhile.
      const readsPlot = cell.builtins.includes('Plot');
      const readsWidth = cell.builtins.includes('width');
      if (readsPlot || readsWidth) {
        const [plot] = await Promise.all([readsPlot ? this.plot.get() : undefined, this.widths.ready]);
        if (readsWidth) builtins.width = this.widths.readBy(cell.id);
        if (plot) builtins.Plot = plotAtWidth(plot, () => this.widths.readBy(cell.id));
      }
      const args = [context, ...BUILTIN_NAMES.map((name) => builtins[name]), ...cell.inputs.map((name) => inputs[name])];
      const result = await fn(...args);
      while (scope.pending.length > 0) await Promise.all(scope.pending.splice(0));
      const values: Record<string, unknown> = {};
      const returned = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
      for (const name of cell.outputs) values[name] = returned[name];
      return { ok: true, values, outputs: finalOutputs(scope), waitedMs: coveredMs(scope.waits) };
    } catch (error) {
      return { ok: false, error: toCellError(error, cell), outputs: finalOutputs(scope), waitedMs: coveredMs(scope.waits) };
    } finally {
      scope.closed = true;
      scope.stream.close();
    }
  }

  /** `progress(value, options)`: adds the run's bar (per `key`), or updates it in place. */
  private progress(scope: RunScope, value: unknown, options: ProgressOptions): void {
    if (scope.closed) return;
    const item = progressItem(value, options);
    const key = typeof options === 'object' && options !== null && options.key !== undefined ? String(options.key) : '';
    const previous = scope.bars.get(key);
    const at = previous ? scope.outputs.indexOf(previous) : -1;
    if (at >= 0) scope.outputs[at] = item;
    else if (scope.outputs.length < MAX_OUTPUTS_PER_RUN) scope.outputs.push(item);
    else return void scope.dropped++;
    scope.bars.set(key, item);
    scope.stream.changed();
  }

  /**
   * Adds an output. A promise (e.g. a final `query\`…\`` without `await`) keeps
   * its place and is shown once it resolves; the run waits for it, and its
   * rejection rejects the cell.
   */
  private present(scope: RunScope, value: unknown, toItem: (value: unknown) => OutputItem | undefined): void {
    if (scope.closed) return;
    // Past the cap nothing is converted either: counting is all the work a flood costs.
    if (scope.outputs.length >= MAX_OUTPUTS_PER_RUN) {
      scope.dropped++;
      return;
    }
    if (!isThenable(value)) {
      const item = toItem(value);
      if (item) scope.outputs.push(item);
      scope.stream.changed();
      return;
    }
    const marker: OutputItem = { type: 'text', text: '' };
    scope.outputs.push(marker);
    scope.markers.add(marker);
    const settled = Promise.resolve(value).then((resolved) => {
      scope.markers.delete(marker);
      const at = scope.outputs.indexOf(marker);
      if (at < 0) return;
      const item = toItem(resolved);
      if (item) scope.outputs[at] = item;
      else scope.outputs.splice(at, 1);
      scope.stream.changed();
    });
    settled.catch(() => {}); // reported through the run, not as an unhandled rejection
    scope.pending.push(settled);
  }

  /** Keeps a table output of this run for windowing. */
  private hold(cellId: string, scope: RunScope, data: Tabular): string {
    const handle = this.tables.hold(cellId, data);
    scope.handles.add(handle);
    return handle;
  }

  /** A run delivered: spend its button clicks, remember its tables, free older table handles. */
  private delivered(cell: CompiledCell, execution: Execution, run: RunContext): void {
    const scope = this.scopes.get(run);
    if (!scope) return;
    const bound = execution.ok ? rebindableRun(cell, execution.values, execution.outputs, scope.made) : undefined;
    if (bound) this.rebindable.set(cell.id, bound);
    else this.rebindable.delete(cell.id);
    for (const key of scope.clicksSeen) this.inputs.consumeClick(key);
    this.tablesRead.set(cell.id, scope.tables);
    this.tables.release(cell.id, scope.handles);
    this.stateStore.schedule();
  }
}

/** The rebinding of a delivered run, when its cell is one widget whose value is the cell's value and all it shows is that widget. */
function rebindableRun(cell: CompiledCell, values: Record<string, unknown>, outputs: OutputItem[], made: MadeWidget[]): Rebindable | undefined {
  if (cell.kind !== 'js' || made.length !== 1) return undefined;
  const [widget] = made;
  if (NOT_REBOUND.has(widget.kind) || !outputs.includes(widget.item)) return undefined;
  const binding = widgetBinding(cell.source, WIDGET_BUILDERS, cell.inputs);
  if (!binding || !Object.is(values[binding.name], widget.value)) return undefined;
  return { name: binding.name, widget, outputs };
}

/** Adds an output unless the run already shows {@link MAX_OUTPUTS_PER_RUN}. */
function addOutput(scope: RunScope, item: OutputItem): void {
  if (scope.outputs.length >= MAX_OUTPUTS_PER_RUN) scope.dropped++;
  else scope.outputs.push(item);
}

/** The run's outputs, with a last line saying how many were left out. */
function finalOutputs(scope: RunScope): OutputItem[] {
  if (scope.dropped === 0) return scope.outputs;
  const more = scope.dropped.toLocaleString('en');
  const limit = MAX_OUTPUTS_PER_RUN.toLocaleString('en');
  const text = `… ${more} more output${scope.dropped === 1 ? ' was' : 's were'} not shown (a cell shows at most ${limit} per run).`;
  return [...scope.outputs, { type: 'text', text }];
}

/** The time covered by `spans` (queries waiting side by side count once). */
function coveredMs(spans: [number, number][]): number {
  let total = 0;
  let reached = -Infinity;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(from, reached);
    if (to > start) total += to - start;
    reached = Math.max(reached, to);
  }
  return total;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
