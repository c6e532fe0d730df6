/**
 * The run loop of the reactive runtime, without any worker or DOM: running a
 * cell is injected, so this file only decides *what* runs *when*.
 *
 * Model (after observablehq/runtime, simplified to whole cells):
 * - A persistent dirty set. A change marks the changed cells and everything
 *   downstream dirty and bumps the generation.
 * - A dirty cell starts once none of its upstream cells is dirty, so a diamond
 *   runs each cell once per change and independent cells run concurrently.
 * - A run that finishes after its cell was dirtied again is stale: it delivers
 *   nothing and the cell runs again with the newest inputs. A cell waits for
 *   its own stale run to finish before running again, so a burst of changes
 *   to a slow cell costs two runs, not one per change — but never longer than
 *   `staleGraceMs`, so a run that hangs (an endless `await`) cannot block the
 *   cell forever; a redefined cell does not wait at all.
 */
import type { Diagnostic } from '../notebook/types.ts';
import { CellGraph, type GraphCell } from './graph.ts';
import type { CellError, CellEvent, OutputItem } from './protocol.ts';

/** The part of a compiled cell the scheduler needs. */
export interface SchedulerCell extends GraphCell {
  body: string;
  errors: readonly Diagnostic[];
}

/** What running a cell produced. Errors are values, never thrown. */
export type Execution = (
  | { ok: true; values: Record<string, unknown>; outputs: OutputItem[] }
  | { ok: false; error: CellError; outputs: OutputItem[] }
) & {
  /** Time the run spent waiting for the data engine (DuckDB starting, a table loading): not the cell's own time. */
  waitedMs?: number;
};

/** Facts about one run, handed to the executor. */
export interface RunContext {
  generation: number;
  /** How many times the cell has started, this run included. */
  runs: number;
  /** True once this run can no longer deliver (the cell was dirtied again or redefined). */
  isStale(): boolean;
}

export interface SchedulerOptions<C extends SchedulerCell> {
  /** Runs one cell with the current values of its inputs (by name). */
  execute(cell: C, inputs: Record<string, unknown>, run: RunContext): Promise<Execution>;
  /** The observer protocol: receives every delivered event. */
  observe(event: CellEvent): void;
  /** A new generation began; work of older generations may be cancelled. */
  onGeneration?(generation: number): void;
  /** A run delivered (after `observe`); lets the host commit per-run side effects. */
  onDelivered?(cell: C, execution: Execution, run: RunContext): void;
  /** Nothing is running and nothing can start. */
  onIdle?(): void;
  /** Milliseconds clock for `durationMs` (injectable for tests). */
  now?(): number;
  /** How long a dirtied cell waits for its stale run before running anyway (default 1000 ms). */
  staleGraceMs?: number;
  /** The generation numbering continues from here (default 0). */
  firstGeneration?: number;
  /** How long an `offer`ed value may wait for the work downstream of its cell (default 1000 ms). */
  holdLimitMs?: number;
}

/** What an `offer`ed value makes of its cell: the values it defines and the outputs it shows. */
export interface Rebound {
  values: Record<string, unknown>;
  outputs: OutputItem[];
}

type Settled = { ok: true; values: Record<string, unknown> } | { ok: false; error: CellError };

/** One definition of a cell and its run state. A redefined cell gets a new slot. */
interface Slot<C> {
  cell: C;
  signature: string;
  skip?: CellError;
  dirty: boolean;
  /** Generation in which the cell was last marked dirty. */
  dirtiedAt: number;
  /** The run in flight, if any; cleared when it finishes or is abandoned. */
  run?: { token: number; abandonTimer?: ReturnType<typeof setTimeout> };
  result?: Settled;
}

/** Maps a compile diagnostic code to the error name the protocol documents. */
function diagnosticErrorName(code: string): string {
  if (/cycle/i.test(code)) return 'CycleError';
  if (/duplicate/i.test(code)) return 'DuplicateError';
  if (/undefined|unbound|reference/i.test(code)) return 'ReferenceError';
  if (/syntax|parse|unterminated|unexpected/i.test(code)) return 'SyntaxError';
  return 'Error';
}

/** The error a cell with compile errors rejects with: the first one, with its place. */
export function compileError(errors: readonly Diagnostic[]): CellError {
  const first = errors[0]!;
  return {
    name: diagnosticErrorName(first.code),
    message: first.message,
    line: first.span.start.line,
    column: first.span.start.column,
  };
}

function signatureOf(cell: SchedulerCell, skip: CellError | undefined): string {
  return JSON.stringify([cell.body, cell.inputs, cell.outputs, cell.errors.map((e) => [e.code, e.message]), skip ?? null]);
}

export class Scheduler<C extends SchedulerCell> {
  private graph = new CellGraph<C>([]);
  private slots = new Map<string, Slot<C>>();
  private generationValue = 0;
  private runCounts = new Map<string, number>();
  private inFlight = 0;
  private nextToken = 0;
  private pumping = false;
  /** Offered values waiting for the work downstream of their cell, by cell, and since when. */
  private readonly held = new Map<string, { rebound: () => Rebound | undefined; since: number }>();
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly options: SchedulerOptions<C>) {
    this.now = options.now ?? (() => Date.now());
    this.generationValue = options.firstGeneration ?? 0;
  }

  /** The current generation (bumped by every change). */
  get generation(): number {
    return this.generationValue;
  }

  /** The current cells by id. */
  get cells(): ReadonlyMap<string, C> {
    return this.graph.cells;
  }

  /** The current graph (read-only). */
  get dependencies(): CellGraph<C> {
    return this.graph;
  }

  /**
   * Loads or replaces the set of cells. A cell whose body, inputs, outputs,
   * errors and skip state are unchanged — and whose inputs still come from the
   * same cells — keeps its value; every other cell and everything downstream
   * re-runs. Cells in `skip` reject with the given error without running.
   */
  load(cells: readonly C[], skip: Record<string, CellError> = {}): void {
    const oldGraph = this.graph;
    const graph = new CellGraph<C>(cells);
    const slots = new Map<string, Slot<C>>();
    const changed: string[] = [];
    for (const cell of cells) {
      const signature = signatureOf(cell, skip[cell.id]);
      const old = this.slots.get(cell.id);
      if (old && old.signature === signature) {
        old.cell = cell;
        slots.set(cell.id, old);
        const before = oldGraph.upstream(cell.id).sort().join('\n');
        if (graph.upstream(cell.id).sort().join('\n') !== before) changed.push(cell.id);
      } else {
        slots.set(cell.id, { cell, signature, skip: skip[cell.id], dirty: true, dirtiedAt: 0 });
        changed.push(cell.id);
      }
    }
    // Runs of replaced or removed definitions can never deliver: stop waiting for them.
    for (const [id, slot] of this.slots) if (slots.get(id) !== slot) this.abandon(slot);
    this.graph = graph;
    this.slots = slots;
    this.invalidate(changed);
  }

  /** Marks cells and everything downstream dirty in a new generation, and runs them. */
  invalidate(ids: Iterable<string>): void {
    this.newGeneration();
    this.markDirty(this.graph.closure(ids));
  }

  /**
   * Gives a settled cell new values without running it, and re-runs only what
   * is downstream — Observable's `viewof`: a cell that only makes a widget
   * need not redraw it when the widget's own value changes. The cell's event
   * is delivered again, in the new generation, with `outputs`. Returns false
   * (and changes nothing) when the cell has no fulfilled result to amend or
   * is dirty or running: the caller invalidates it instead.
   */
  rebind(id: string, values: Record<string, unknown>, outputs: OutputItem[]): boolean {
    const slot = this.slots.get(id);
    if (!slot || slot.dirty || slot.run || !slot.result?.ok) return false;
    slot.result = { ok: true, values: { ...slot.result.values, ...values } };
    const generation = this.newGeneration();
    this.options.observe({ cell: id, status: 'fulfilled', run: { generation, runs: this.runCounts.get(id) ?? 0 }, outputs, durationMs: 0 });
    const reach = this.graph.closure(this.graph.downstream(id));
    reach.delete(id);
    this.markDirty(reach);
    return true;
  }

  /**
   * A new value of a widget-only cell, latest wins with backpressure (a brush
   * dragged, a slider held down): applied at once (`rebind`, or a re-run when
   * the cell cannot be rebound) when nothing downstream of it is dirty or
   * running; otherwise held until that work has settled, or `holdLimitMs`
   * has passed, so each wave of downstream runs delivers instead of being
   * abandoned for the next step. A newer offer replaces a held one.
   * `rebound` is asked when the value is applied, so it gives the newest;
   * `undefined` means the cell cannot be rebound (it is re-run instead).
   * Returns the generation from which runs see the value (for a held one,
   * the next; work started meanwhile may push it later still).
   */
  offer(id: string, rebound: () => Rebound | undefined): number {
    if (!this.downstreamBusy(id)) {
      // A value held before is older than this one: it must never be applied after it.
      this.held.delete(id);
      this.apply(id, rebound);
      return this.generationValue;
    }
    const held = this.held.get(id);
    if (held) {
      held.rebound = rebound;
    } else {
      this.held.set(id, { rebound, since: this.now() });
      // Downstream work that never ends (an endless await) holds the value back no longer than this.
      setTimeout(() => this.pump(), this.holdLimitMs);
    }
    return this.generationValue + 1;
  }

  private get holdLimitMs(): number {
    return this.options.holdLimitMs ?? 1000;
  }

  private apply(id: string, rebound: () => Rebound | undefined): void {
    const next = rebound();
    if (!next || !this.rebind(id, next.values, next.outputs)) this.invalidate([id]);
  }

  /** Applies held values whose downstream has settled, or that waited past the limit; whether it applied any. */
  private release(): boolean {
    let applied = false;
    for (const [id, { rebound, since }] of this.held) {
      if (this.downstreamBusy(id) && this.now() - since < this.holdLimitMs) continue;
      this.held.delete(id);
      if (!this.slots.has(id)) continue;
      this.apply(id, rebound);
      applied = true;
    }
    return applied;
  }

  /** Whether a cell downstream of `id` is dirty or running: work a new value of `id` would make stale. */
  private downstreamBusy(id: string): boolean {
    for (const down of this.graph.closure(this.graph.downstream(id))) {
      const slot = this.slots.get(down);
      if (down !== id && slot && (slot.dirty || slot.run)) return true;
    }
    return false;
  }

  private newGeneration(): number {
    this.generationValue++;
    this.options.onGeneration?.(this.generationValue);
    return this.generationValue;
  }

  /** Marks `reach` dirty in the current generation (a run in flight there becomes stale), and runs what can start. */
  private markDirty(reach: Iterable<string>): void {
    for (const id of reach) {
      const slot = this.slots.get(id)!;
      slot.dirty = true;
      slot.dirtiedAt = this.generationValue;
      const run = slot.run;
      if (run && run.abandonTimer === undefined) {
        run.abandonTimer = setTimeout(() => {
          if (slot.run !== run) return;
          this.abandon(slot);
          this.pump();
        }, this.options.staleGraceMs ?? 1000);
      }
    }
    this.pump();
  }

  /** Stops waiting for a slot's run in flight; its result will be ignored. */
  private abandon(slot: Slot<C>): void {
    if (!slot.run) return;
    clearTimeout(slot.run.abandonTimer);
    slot.run = undefined;
    this.inFlight--;
  }

  /** The settled value of a name, if its cell has fulfilled and is not dirty. */
  valueOf(name: string): unknown {
    const id = this.graph.definerOf(name);
    const result = id === undefined ? undefined : this.slots.get(id)?.result;
    return result?.ok ? result.values[name] : undefined;
  }

  /** Resolves when nothing is running and nothing can start. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && ![...this.slots.keys()].some((id) => this.canStart(id));
  }

  private canStart(id: string): boolean {
    const slot = this.slots.get(id)!;
    if (!slot.dirty || slot.run) return false;
    return this.graph.upstream(id).every((up) => !this.slots.get(up)!.dirty);
  }

  /** Starts every cell that can start; repeats while synchronous settles unblock more. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const id of this.graph.topologicalOrder()) {
          if (this.canStart(id)) {
            this.start(id);
            progressed = true;
          }
        }
        // Once nothing else can start (cells refused at once included), held values whose downstream
        // has settled start the next wave — before anyone is told the scheduler is idle.
        if (!progressed && this.held.size > 0) progressed = this.release();
      }
    } finally {
      this.pumping = false;
    }
    if (this.isIdle()) {
      this.options.onIdle?.();
      const waiters = this.idleWaiters.splice(0);
      for (const resolve of waiters) resolve();
    }
  }

  private start(id: string): void {
    const slot = this.slots.get(id)!;
    const cell = slot.cell;
    const generation = this.generationValue;
    const runInfo = () => ({ generation, runs: this.runCounts.get(id) ?? 0 });

    const refusal = this.refusal(slot);
    if (refusal) {
      this.settle(slot, { ok: false, error: refusal }, runInfo(), [], 0);
      return;
    }

    const inputs: Record<string, unknown> = {};
    for (const name of cell.inputs) {
      const up = this.graph.definerOf(name);
      const result = up === undefined ? undefined : this.slots.get(up)?.result;
      if (result?.ok) inputs[name] = result.values[name];
    }

    const runs = (this.runCounts.get(id) ?? 0) + 1;
    this.runCounts.set(id, runs);
    const context: RunContext = {
      generation,
      runs,
      isStale: () => this.slots.get(id) !== slot || slot.dirtiedAt > generation,
    };
    const token = ++this.nextToken;
    slot.run = { token };
    this.inFlight++;
    this.options.observe({ cell: id, status: 'pending', run: { generation, runs } });
    const started = this.now();
    let execution: Promise<Execution>;
    try {
      execution = this.options.execute(cell, inputs, context);
    } catch (error) {
      execution = Promise.resolve(executorFailure(error));
    }
    execution
      .catch(executorFailure)
      .then((result) => {
        if (slot.run?.token !== token) return; // abandoned: someone else already moved on
        clearTimeout(slot.run.abandonTimer);
        slot.run = undefined;
        this.inFlight--;
        if (!context.isStale()) {
          const settled: Settled = result.ok ? { ok: true, values: result.values } : { ok: false, error: result.error };
          const durationMs = Math.max(0, this.now() - started - (result.waitedMs ?? 0));
          this.settle(slot, settled, { generation, runs }, result.outputs, durationMs);
          this.options.onDelivered?.(cell, result, context);
        }
        this.pump();
      });
  }

  /** Why a cell must reject without running, if it must. */
  private refusal(slot: Slot<C>): CellError | undefined {
    const cell = slot.cell;
    if (slot.skip) return slot.skip;
    if (cell.errors.length > 0) return compileError(cell.errors);
    for (const name of cell.inputs) {
      const up = this.graph.definerOf(name);
      if (up === undefined) return { name: 'ReferenceError', message: `${name} is not defined` };
      const result = this.slots.get(up)?.result;
      if (result && !result.ok) {
        const root = result.error.name === 'DependencyError' && result.error.waitingOn ? result.error.waitingOn : up;
        const table = result.error.waitingFor;
        // Waiting for a table (its data file is missing) is not a failure of this cell or the one above.
        if (table) return { name: 'DependencyError', message: `${name} is waiting for the table ${table}`, waitingOn: root, waitingFor: table };
        return {
          name: 'DependencyError',
          message: `${name} is unavailable: the cell that defines it failed`,
          waitingOn: root,
        };
      }
    }
    return undefined;
  }

  private settle(
    slot: Slot<C>,
    result: Settled,
    run: { generation: number; runs: number },
    outputs: OutputItem[],
    durationMs: number,
  ): void {
    slot.dirty = false;
    slot.result = result;
    const cell = slot.cell.id;
    this.options.observe(
      result.ok
        ? { cell, status: 'fulfilled', run, outputs, durationMs }
        : { cell, status: 'rejected', run, outputs, error: result.error, durationMs },
    );
  }
}

function executorFailure(error: unknown): Execution {
  const e = error instanceof Error ? error : new Error(String(error));
  return { ok: false, error: { name: e.name, message: e.message }, outputs: [] };
}
