/**
 * One runtime worker and its watchdog. When a cell blocks the worker past the
 * limit, the worker is terminated and a fresh one is started with the same
 * notebook, inputs and state, and the culprit cell is skipped until it changes.
 * Tables live in the data worker and survive; the page keeps showing every
 * other output until the new worker delivers newer ones.
 */
import * as Comlink from 'comlink';
import type { CompiledCell } from '../compile/types.ts';
import { PAGE_MODULE_NAMES, type HostMessage, type OutputWidths, type PageModuleName, type RuntimeApi, type RuntimeHost, type RuntimeInit } from '../runtime/messages.ts';
import { CellGraph } from '../runtime/graph.ts';
import type { CellError, SortSpec } from '../runtime/protocol.ts';
import type { EngineStatus } from './session-types.ts';
import { timeoutText } from './cell-timeout.ts';
import { InputEchoes } from './input-echoes.ts';
import { Watchdog } from './watchdog.ts';
import { pageModuleSource, startRuntimeWorker } from './workers.ts';

/**
 * Each worker incarnation numbers its generations from its own epoch, so a new
 * worker's runs are newer than the old worker's last ones — for the page's
 * events and for query cancellation in the data worker they share.
 */
const EPOCH = 2 ** 32;

/** Restarts in a row that could name no cell before the runtime is left stopped. */
const MAX_BLIND_RESTARTS = 2;

export interface RuntimeProcessOptions {
  /**
   * A fresh port connected to the data worker, for each incarnation, and the
   * epoch it numbers its generations from. The data worker hands epochs out
   * in order, so generations only grow across watchdog restarts and across
   * the pages of a site that share it (see `DataProcess.connect`).
   */
  connectData(): { port: MessagePort; epoch: number };
  /** Where events and `state` go (which cell is running stays here, for the watchdog). */
  host: Omit<RuntimeHost, 'running'>;
  /** How long a cell may block the worker. */
  timeoutMs: number;
  blockNetwork: boolean;
  onStatus(status: EngineStatus): void;
}

export class RuntimeProcess {
  private worker: Worker | null = null;
  private api: Comlink.Remote<RuntimeApi> | null = null;
  private hostPort: MessagePort | null = null;
  private watchdog: Watchdog | null = null;
  private epoch = 0;
  private runningCell: string | null = null;
  /**
   * The last cell that started in this incarnation. When the worker blocks with
   * no cell running, work that cell left behind is the likely cause (a promise
   * or timer loop it started, `self.close()`): it is named and not run again.
   */
  private lastStarted: string | null = null;
  /** Restarts in a row that named no cell: past a few, the worker is not started again. */
  private blindRestarts = 0;
  private init: RuntimeInit | null = null;
  private cells: CompiledCell[] = [];
  /** Cells stopped by the watchdog: not run again until their source changes. */
  private stopped = new Map<string, { body: string; error: CellError }>();
  private ready: Promise<void> = Promise.resolve();
  /** The page's newest output widths, kept apart from `init` because a reset replaces `init`. */
  private widths: OutputWidths | undefined;
  /** Changes the worker may not have seen yet: a run older than one shows the control at its new value. */
  private readonly echoes = new InputEchoes();

  constructor(private readonly options: RuntimeProcessOptions) {}

  /** Starts the first worker and runs the notebook. */
  start(init: RuntimeInit, cells: CompiledCell[]): Promise<void> {
    this.init = init;
    this.cells = cells;
    return this.spawn();
  }

  /** Replaces the notebook; a changed stopped cell gets another chance. */
  async load(cells: CompiledCell[]): Promise<void> {
    this.cells = cells;
    for (const cell of cells) {
      const stopped = this.stopped.get(cell.id);
      if (stopped && stopped.body !== cell.body) this.stopped.delete(cell.id);
    }
    await this.ready;
    await this.api?.load(cells, this.skipped());
  }

  /**
   * A control changed. `owner` is the cell that rendered it: a stopped cell
   * downstream of it gets another chance, since the new value may end its loop.
   */
  async setInput(key: string, value: unknown, owner?: string): Promise<void> {
    // A view link's values applied once; after the reader's own change a replacement worker must not apply them again.
    if (this.init) this.init = { ...this.init, inputs: { ...this.init.inputs, [key]: value }, linked: undefined };
    const ticket = this.echoes.send(key, value);
    await this.ready;
    // The new value goes first, so a retried cell runs with it. Not awaited: the worker may be
    // about to block on the value, and the retry below must still be posted.
    void this.api?.setInput(key, value).then((generation) => this.echoes.applied(key, ticket, generation), () => undefined);
    if (owner === undefined || this.stopped.size === 0) return;
    const reached = new CellGraph(this.cells).closure([owner]);
    const retry = [...this.stopped.keys()].filter((id) => reached.has(id));
    if (retry.length === 0) return;
    for (const id of retry) this.stopped.delete(id);
    await this.api?.load(this.cells, this.skipped());
  }

  /** A value the worker already holds (a view link's, which it applied): kept for a replacement worker only. */
  keepInput(key: string, value: unknown): void {
    if (this.init) this.init = { ...this.init, inputs: { ...this.init.inputs, [key]: value } };
  }

  /** New output widths; a replacement worker (watchdog, reset) starts with the newest. */
  async setWidths(widths: OutputWidths): Promise<void> {
    this.widths = widths;
    await this.ready;
    void this.api?.setWidths(widths);
  }

  /** Keeps the restart snapshot of `state` current (the worker reports it). */
  rememberState(state: Record<string, unknown>): void {
    if (this.init) this.init = { ...this.init, state };
  }

  /** Forget saved inputs and state (reset) and start over. */
  async restart(init: RuntimeInit): Promise<void> {
    this.init = init;
    this.stopped.clear();
    this.echoes.clear();
    this.kill();
    await this.spawn();
  }

  /** Keys of `state` another tab saved; kept for a restart too. */
  async mergeState(set: Record<string, unknown>, removed: string[]): Promise<void> {
    if (this.init) {
      const state = { ...this.init.state, ...set };
      for (const key of removed) delete state[key];
      this.init = { ...this.init, state };
    }
    await this.ready;
    void this.api?.mergeState(set, removed);
  }

  async tablesChanged(names: string[]): Promise<void> {
    await this.ready;
    void this.api?.tablesChanged(names);
  }

  async rows(handle: string, offset: number, limit: number, sort?: SortSpec): Promise<Record<string, unknown>[]> {
    await this.ready;
    if (!this.api) return [];
    return this.api.rows(handle, offset, limit, sort);
  }

  dispose(): void {
    this.kill();
    // No epoch the data worker hands out is negative: a start still in flight then does nothing more.
    this.epoch = -1;
  }

  private skipped(): Record<string, CellError> {
    return Object.fromEntries([...this.stopped].map(([id, { error }]) => [id, error]));
  }

  private spawn(): Promise<void> {
    const init = this.init;
    if (!init) throw new Error('RuntimeProcess.start must be called first');
    const { port, epoch } = this.options.connectData();
    this.epoch = epoch;
    this.echoes.restarted(epoch * EPOCH);
    const { worker, started } = startRuntimeWorker();
    const api = Comlink.wrap<RuntimeApi>(worker);
    this.worker = worker;
    this.api = api;
    this.runningCell = null;
    this.lastStarted = null;
    // One-way: the worker posts `HostMessage` batches (workers/runtime/host-port.ts); nothing answers.
    const channel = new MessageChannel();
    this.hostPort = channel.port1;
    channel.port1.onmessage = (message: MessageEvent<HostMessage[]>) => {
      if (epoch !== this.epoch) return;
      for (const item of message.data) {
        // The worker is untrusted: only a bundle the page knows is answered.
        if (item.type === 'module') {
          if ((PAGE_MODULE_NAMES as readonly unknown[]).includes(item.name)) this.sendModule(api, item.name);
        } else {
          this.receive(item);
        }
      }
    };
    const watchdog = new Watchdog({
      timeoutMs: this.options.timeoutMs,
      ping: () => api.ping(),
      onBlocked: () => this.onBlocked(epoch),
    });
    this.watchdog = watchdog;
    this.ready = (async () => {
      await started;
      await api.init(
        { ...init, blockNetwork: this.options.blockNetwork, firstGeneration: epoch * EPOCH, widths: this.widths },
        Comlink.transfer(port, [port]),
        Comlink.transfer(channel.port2, [channel.port2]),
      );
      if (epoch !== this.epoch) return;
      watchdog.start();
      this.options.onStatus('ready');
    })();
    const loaded = this.ready.then(() => (epoch === this.epoch ? api.load(this.cells, this.skipped()) : undefined));
    loaded.catch((error: unknown) => {
      console.error('brook: runtime failed to start', error);
      if (epoch === this.epoch) this.options.onStatus('failed');
    });
    return loaded;
  }

  /** Answers a runtime's `module` request with the bundle's text, or why it could not be fetched. */
  private sendModule(api: Comlink.Remote<RuntimeApi>, name: PageModuleName): void {
    pageModuleSource(name).then(
      (source) => api.provideModule(name, source),
      (error: unknown) => api.provideModule(name, undefined, error instanceof Error ? error.message : String(error)),
    ).catch(() => {
      // Nothing to do: the worker asks again the next time a cell needs the bundle.
    });
  }

  private receive(message: Exclude<HostMessage, { type: 'module' }>): void {
    if (message.type === 'running') {
      this.runningCell = message.cell;
      if (message.cell !== null) this.lastStarted = message.cell;
    } else if (message.type === 'event') {
      // A worker that delivers runs is working: earlier blind restarts are forgiven.
      if (message.event.status !== 'pending') this.blindRestarts = 0;
      this.options.host.event(this.echoes.correct(message.event));
    } else if (message.type === 'toast') {
      this.options.host.toast(message.toast);
    } else {
      this.rememberState(message.state);
      this.options.host.stateChanged(message.state);
    }
  }

  private onBlocked(epoch: number): void {
    if (epoch !== this.epoch) return;
    const during = this.runningCell;
    const culprit = during ?? this.lastStarted;
    const seconds = timeoutText(this.options.timeoutMs);
    const cell = culprit ? this.cells.find((c) => c.id === culprit) : undefined;
    const error: CellError = {
      name: 'TimeoutError',
      message: during
        ? `Stopped: this cell kept the runtime busy for more than ${seconds} (an endless loop, or a loop filling memory?).`
        : `Stopped: after this cell ran, the runtime stopped answering for more than ${seconds} (a promise or timer loop it started, or self.close()?).`,
      line: cell?.bodyLine,
      hint: 'Edit the cell to fix it; other cells, inputs, tables and saved state were kept. Raise the limit with `timeout:` in the front matter.',
    };
    this.options.onStatus('restarting');
    this.kill();
    if (cell) {
      this.blindRestarts = 0;
      this.stopped.set(cell.id, { body: cell.body, error });
      // Tell the page at once, newer than anything the dead worker sent.
      this.options.host.event({
        cell: cell.id,
        status: 'rejected',
        run: { generation: (this.epoch + 1) * EPOCH, runs: 0 },
        outputs: [],
        error,
        durationMs: this.options.timeoutMs,
      });
    } else if (++this.blindRestarts > MAX_BLIND_RESTARTS) {
      // Nothing to skip: a new worker would block the same way, forever.
      this.options.onStatus('failed');
      return;
    }
    void this.spawn();
  }

  private kill(): void {
    this.watchdog?.stop();
    this.watchdog = null;
    this.api?.[Comlink.releaseProxy]();
    this.hostPort?.close();
    this.hostPort = null;
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }
}
