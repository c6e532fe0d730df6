/**
 * The data worker as the page sees it: one DuckDB-WASM instance per open
 * notebook, started once and kept across runtime restarts so tables survive;
 * a site's pages opened in place hand it on (`adopt`), so DuckDB starts once.
 * The runtime worker talks to it directly over a `MessagePort` handed out by
 * `connect()`; ports handed out before the first tables have loaded are held
 * back until then, so a first run never sees "table not found" for a table
 * that is merely still loading.
 */
import * as Comlink from 'comlink';
import type { DataApi, EngineDeclarations, Result, SeededResult, ShippedIndex, TableInfo } from '../data/api.ts';
import { dataAssets, startDataWorker } from './workers.ts';

export class DataProcess {
  readonly api: Comlink.Remote<DataApi>;
  private readonly worker: Worker;
  private held: MessagePort[] | null = [];
  /** Epochs handed out to runtime incarnations (see `connect`). */
  private epochs = 0;
  /** Resolves when DuckDB is ready (or failed: the value says which). */
  readonly ready: Promise<Result<{ version: string }>>;

  /**
   * `memoScope`: whose persisted query memo to use (a notebook's id, or a site's).
   * `seeds`: a built app's query results (absolute URLs), answered without DuckDB; `indexes`: its range indexes;
   * `answers`: its list of answers for other control values (absolute URLs).
   * `blockNetwork`: DuckDB reads only the files Brook registers, and no engine is queried (see docs/security.md).
   * `engines`: the front matter's engines and the cells on them (the only URLs queries go to).
   */
  constructor(
    readonly memoScope: string,
    seeds?: SeededResult[],
    readonly options: { blockNetwork?: boolean; engines?: EngineDeclarations; indexes?: ShippedIndex[]; answers?: string } = {},
  ) {
    this.worker = startDataWorker();
    this.api = Comlink.wrap<DataApi>(this.worker);
    const init = { ...dataAssets(memoScope), seeds, indexes: options.indexes, answers: options.answers, blockNetwork: options.blockNetwork ?? false, engines: options.engines };
    this.ready = this.api.init(init).catch((error: unknown) => ({
      ok: false as const,
      error: { name: 'DataEngineError', message: `The data engine failed to start: ${String(error)}` },
    }));
  }

  /**
   * A port connected to the data worker, for a runtime worker, and that
   * worker's epoch: each one counts its generations from its epoch, and every
   * runtime this worker ever served (restarts, a site's pages) got a smaller
   * one, so `cancelBefore` from the newest drops whatever the older ones left queued.
   */
  connect(): { port: MessagePort; epoch: number } {
    const channel = new MessageChannel();
    if (this.held) this.held.push(channel.port1);
    else this.hand(channel.port1);
    return { port: channel.port2, epoch: ++this.epochs };
  }

  /**
   * Another notebook takes this worker over (the next page of a site, opened
   * in place): it sees what a fresh worker would — none of the old notebook's
   * tables, seeds, engines or passwords — but DuckDB is already up. Runtime
   * ports wait again until `open()`.
   */
  async adopt(seeds: SeededResult[] | undefined, engines: EngineDeclarations | undefined, indexes?: ShippedIndex[], answers?: string): Promise<void> {
    this.held ??= [];
    await this.api.replaceNotebook({ seeds, engines, indexes, answers });
  }

  /** Lets held-back runtime ports through (call once the notebook's own tables are loaded). */
  open(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const port of held) this.hand(port);
  }

  async tables(): Promise<TableInfo[]> {
    return this.api.tables();
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }

  private hand(port: MessagePort): void {
    this.worker.postMessage({ type: 'brook:connect', port }, [port]);
  }
}
