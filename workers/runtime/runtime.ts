/**
 * The cell runtime: the scheduler plus everything a cell run needs (built-ins,
 * saved inputs, state, cache, tables). Free of worker globals so it runs in
 * Node tests; `runtime.worker.ts` only wires it to Comlink.
 */
import { BUILTIN_NAMES } from '../../src/compile/builtins.ts';
import type { CompiledCell } from '../../src/compile/types.ts';
import { findRemoteImport } from '../../src/runtime/module-guard.ts';
import { compileCellFunction, toCellError, type CellFunction } from '../../src/runtime/execute.ts';
import type { DataApi, RuntimeHost, RuntimeInit } from '../../src/runtime/messages.ts';
import type { CellError, OutputItem, SortSpec } from '../../src/runtime/protocol.ts';
import { Scheduler, type Execution, type RunContext } from '../../src/runtime/scheduler.ts';
import { CacheStore } from './cache.ts';
import { html, md } from './markup.ts';
import { downloadItem, holeText, metricItem, toOutputItem } from './outputs.ts';
import { PlotLoader, type PlotBuiltin } from './plot-loader.ts';
import { createQuery } from './query.ts';
import { StateStore } from './state.ts';
import { TableStore, type Rows, type Tabular } from './tables.ts';
import { InputStore, createWidgets } from './widgets.ts';

export interface CellRuntimeOptions {
  init: RuntimeInit;
  host: RuntimeHost;
  data: Pick<DataApi, 'query' | 'cancelBefore'>;
  /** Debounce of `state` reports (ms). */
  stateDelayMs?: number;
  /** Loads the `Plot` built-in (default: the `plot.ts` chunk); called only for cells that read `Plot`. */
  loadPlot?: () => Promise<PlotBuiltin>;
  /** What a network-blocked cell's `import()` must stay on (default: this worker's URL). */
  moduleBase?: string;
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

/** What one run of one cell collected. */
interface RunScope {
  outputs: OutputItem[];
  clicksSeen: Set<string>;
  tables: Set<string>;
  handles: Set<string>;
  /** Displayed promises not settled yet; the run waits for them (see `present`). */
  pending: Promise<void>[];
  /** Set once the run's function settled: later `display` calls are dropped. */
  closed: boolean;
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

  constructor(private readonly options: CellRuntimeOptions) {
    this.plot = new PlotLoader(options.loadPlot);
    this.inputs = new InputStore(options.init.inputs);
    this.stateStore = new StateStore(options.init.state, {
      post: (snapshot) => options.host.stateChanged(snapshot),
      delayMs: options.stateDelayMs,
    });
    this.scheduler = new Scheduler<CompiledCell>({
      execute: (cell, inputs, run) => this.execute(cell, inputs, run),
      observe: (event) => options.host.event(event),
      onGeneration: (generation) => options.data.cancelBefore(generation),
      onDelivered: (cell, _execution, run) => this.delivered(cell, run),
      onIdle: () => {
        options.host.running(null);
        this.preloadPlot();
      },
      firstGeneration: options.init.firstGeneration,
    });
  }

  /** Loads or replaces the notebook (see `RuntimeApi.load`). `code` cells never run. */
  load(cells: CompiledCell[], skip?: Record<string, CellError>): void {
    const runnable = cells.filter((cell) => cell.kind !== 'code');
    const ids = new Set(runnable.map((cell) => cell.id));
    for (const id of this.functions.keys()) {
      if (!ids.has(id)) {
        this.functions.delete(id);
        this.tablesRead.delete(id);
        this.tables.release(id);
      }
    }
    this.scheduler.load(runnable, skip);
  }

  /** A control changed: re-run the cell that made it (and what is downstream). */
  setInput(key: string, value: unknown): void {
    const owner = this.inputs.set(key, value);
    if (owner !== undefined && this.scheduler.cells.has(owner)) this.scheduler.invalidate([owner]);
  }

  /** Tables were created or replaced: re-run the cells that read them or failed for lack of them. */
  tablesChanged(names: string[]): void {
    const changed = new Set(names.map((name) => name.toLowerCase()));
    const cells = [...this.tablesRead].filter(([, read]) => [...read].some((name) => changed.has(name))).map(([id]) => id);
    if (cells.length > 0) this.scheduler.invalidate(cells);
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
      if (!scope.closed) scope.outputs.push(item);
    };
    return {
      ...createWidgets({ cellId: cell.id, cellKey: cell.key, outputs: scope.outputs, store: this.inputs, clicksSeen: scope.clicksSeen }),
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
      query: createQuery({
        data: this.options.data,
        generation: run.generation,
        readTables: (names) => names.forEach((name) => scope.tables.add(name.toLowerCase())),
      }),
      cache: this.caches.builtin(cell.key),
      state: this.stateStore.state,
      // Loaded before any cell that reads it runs (see `execute`); no other cell can read it.
      Plot: this.plot.value,
      now: Date.now(),
    };
  }

  private async execute(cell: CompiledCell, inputs: Record<string, unknown>, run: RunContext): Promise<Execution> {
    const scope: RunScope = { outputs: [], clicksSeen: new Set(), tables: new Set(), handles: new Set(), pending: [], closed: false };
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
      // Only cells that read `Plot` wait for its chunk; a failed load rejects just this run.
      if (cell.builtins.includes('Plot')) builtins.Plot = await this.plot.get();
      const args = [context, ...BUILTIN_NAMES.map((name) => builtins[name]), ...cell.inputs.map((name) => inputs[name])];
      const result = await fn(...args);
      while (scope.pending.length > 0) await Promise.all(scope.pending.splice(0));
      const values: Record<string, unknown> = {};
      const returned = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
      for (const name of cell.outputs) values[name] = returned[name];
      return { ok: true, values, outputs: scope.outputs };
    } catch (error) {
      return { ok: false, error: toCellError(error, cell), outputs: scope.outputs };
    } finally {
      scope.closed = true;
    }
  }

  /**
   * Adds an output. A promise (e.g. a final `query\`…\`` without `await`) keeps
   * its place and is shown once it resolves; the run waits for it, and its
   * rejection rejects the cell.
   */
  private present(scope: RunScope, value: unknown, toItem: (value: unknown) => OutputItem | undefined): void {
    if (scope.closed) return;
    if (!isThenable(value)) {
      const item = toItem(value);
      if (item) scope.outputs.push(item);
      return;
    }
    const marker: OutputItem = { type: 'text', text: '' };
    scope.outputs.push(marker);
    const settled = Promise.resolve(value).then((resolved) => {
      const at = scope.outputs.indexOf(marker);
      if (at < 0) return;
      const item = toItem(resolved);
      if (item) scope.outputs[at] = item;
      else scope.outputs.splice(at, 1);
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
  private delivered(cell: CompiledCell, run: RunContext): void {
    const scope = this.scopes.get(run);
    if (!scope) return;
    for (const key of scope.clicksSeen) this.inputs.consumeClick(key);
    this.tablesRead.set(cell.id, scope.tables);
    this.tables.release(cell.id, scope.handles);
    this.stateStore.schedule();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
