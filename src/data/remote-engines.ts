/**
 * Queries on the front matter's engines, as the data worker runs them: the
 * same memo in memory and in IndexedDB as local queries, keyed by the
 * engine (address and user), the SQL, the parameters and the row limit, and
 * answered from there while the result is fresher than the engine's
 * `maxAge` — a repeat visit within it sends nothing to the engine. A result
 * of a named cell is also registered as a DuckDB table of that name, so
 * local SQL can read and join it.
 *
 * Only engines the page declared (from the front matter it parsed) are ever
 * contacted, only at their own URL, and never when the notebook runs without
 * network. A reader's password stays in this object's memory; it is not
 * part of any key, result or message.
 */
import { tableFromIPC } from 'apache-arrow';
import type { EngineSpec } from '../notebook/types.ts';
import type { ColumnInfo } from '../runtime/protocol.ts';
import type { EngineDeclarations, QueryRequest, QueryResponse, Result } from './api.ts';
import { columnsOf } from './arrow-values.ts';
import { EngineError, type Connector } from './connector.ts';
import { connectorFor } from './connector-registry.ts';
import { stableSerialize } from './memo-key.ts';
import type { PersistedResult } from './persisted-memo.ts';
import { QueryCache } from './query-cache.ts';

/** Where results are kept across visits (the persisted memo). */
export interface RemoteMemoStore {
  get(key: string): Promise<PersistedResult | undefined>;
  put(key: string, result: Omit<PersistedResult, 'savedAt'>): Promise<boolean>;
}

export interface RemoteEnginesOptions {
  persisted?: RemoteMemoStore;
  /**
   * Registers `ipc` as the local table `table` (the result of a cell on
   * `engine`); resolves to whether that replaced what the table held. Rejects
   * when the name belongs to another table (a file, the front matter).
   */
  register: (table: string, ipc: Uint8Array, engine: string, notebook: number) => Promise<boolean>;
  /** The notebook runs without network: no engine is contacted. */
  blockNetwork?: boolean;
  fetch?: typeof fetch;
  reachable?: (url: string) => Promise<boolean>;
  /** The clock (ms since 1970), for freshness. */
  now?: () => number;
  /** In-memory memo budget (default 64 MB). */
  maxCacheBytes?: number;
}

interface RemoteResult {
  ipc: Uint8Array;
  rowCount: number;
  columns: ColumnInfo[];
  durationMs: number;
  /** When the engine computed it (ms since 1970). */
  fetchedAt: number;
  source: 'miss' | 'persisted';
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export class RemoteEngines {
  private declarations: EngineDeclarations = { engines: {}, results: {} };
  private readonly connectors = new Map<string, { spec: string; connector: Connector }>();
  private readonly passwords = new Map<string, string>();
  private readonly cache: QueryCache<RemoteResult>;
  private readonly now: () => number;
  /** Queries actually sent to an engine (tests count them). */
  executions = 0;

  constructor(private readonly options: RemoteEnginesOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new QueryCache<RemoteResult>({ maxBytes: options.maxCacheBytes ?? 64 * 1024 * 1024, sizeOf: (r) => r.ipc.byteLength + 256 });
  }

  /** The notebook's engines and engine cells (the page's word, from the front matter). */
  declare(declarations: EngineDeclarations): void {
    this.declarations = { engines: { ...declarations.engines }, results: { ...declarations.results } };
    for (const name of this.connectors.keys()) {
      if (!Object.hasOwn(this.declarations.engines, name)) this.connectors.delete(name);
    }
  }

  /** The reader's password for `engine` (`null` forgets it); what the connector learned with the old one is dropped. */
  setPassword(engine: string, password: string | null): void {
    if (password === null || password === '') this.passwords.delete(engine);
    else this.passwords.set(engine, password);
    this.connectors.get(engine)?.connector.reset?.();
  }

  /** Forgets every password (another notebook takes the engines over). */
  forgetPasswords(): void {
    for (const engine of [...this.passwords.keys()]) this.setPassword(engine, null);
  }

  /** Runs `request` (which names an engine) through the memo; `notebook` (the data engine's count of who asked) goes back to `register`. */
  async query(request: QueryRequest, notebook = 0): Promise<Result<QueryResponse>> {
    const started = this.now();
    const name = request.engine ?? '';
    const fail = (error: EngineError | Error): Result<QueryResponse> => ({
      ok: false,
      error: { name: error.name, message: error.message, sql: request.sql, ...(error instanceof EngineError && error.hint ? { hint: error.hint } : {}) },
    });
    const spec = Object.hasOwn(this.declarations.engines, name) ? this.declarations.engines[name] : undefined;
    if (!spec) {
      return fail(new EngineError('not-declared', `The notebook declares no engine ${name}.`, 'Engines are declared under engines: in the front matter.'));
    }
    if (this.options.blockNetwork) {
      return fail(new EngineError('blocked', `This notebook runs without network access, so it does not query the engine ${name} (${spec.url}).`, 'Open it with network access to run this cell.'));
    }
    if (request.as !== undefined && this.declarations.results[request.as] !== name) {
      return fail(new EngineError('not-declared', `${request.as} is not a SQL cell on the engine ${name}, so its rows cannot become a table of that name.`));
    }
    const connector = this.connector(name, spec);
    const key = JSON.stringify([connector.identity, spec.rowLimit, request.sql, request.placeholders ?? [], stableSerialize(request.params ?? [])]);
    try {
      let value: RemoteResult;
      let hit: 'miss' | 'memory' | 'inflight';
      if (spec.maxAgeMs <= 0) {
        ({ value, hit } = { value: await this.compute(key, connector, request, spec), hit: 'miss' });
      } else {
        const stored = this.cache.get(key);
        if (stored && !this.fresh(stored, spec)) this.cache.forget(key);
        ({ value, hit } = await this.cache.run(key, [], () => this.compute(key, connector, request, spec)));
      }
      const registered = request.as === undefined ? undefined : { table: request.as, changed: await this.options.register(request.as, value.ipc, name, notebook) };
      return ok({
        ipc: value.ipc,
        rowCount: value.rowCount,
        columns: value.columns,
        tables: [],
        cache: hit === 'miss' ? value.source : hit,
        durationMs: hit === 'miss' ? value.durationMs : this.now() - started,
        ...(registered ? { registered } : {}),
      });
    } catch (error) {
      return fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fresh(result: RemoteResult, spec: EngineSpec): boolean {
    return this.now() - result.fetchedAt <= spec.maxAgeMs;
  }

  private connector(name: string, spec: EngineSpec): Connector {
    const described = JSON.stringify(spec);
    const known = this.connectors.get(name);
    if (known && known.spec === described) return known.connector;
    const connector = connectorFor(spec, {
      name,
      password: () => this.passwords.get(name),
      fetch: this.options.fetch,
      reachable: this.options.reachable,
    });
    this.connectors.set(name, { spec: described, connector });
    return connector;
  }

  /** A fresh persisted answer, else the engine's. Every engine answer is persisted (a remote query is never cheap). */
  private async compute(key: string, connector: Connector, request: QueryRequest, spec: EngineSpec): Promise<RemoteResult> {
    const persisted = spec.maxAgeMs > 0 ? this.options.persisted : undefined;
    const stored = await persisted?.get(key).catch(() => undefined);
    if (stored && this.now() - stored.savedAt <= spec.maxAgeMs) {
      return { ipc: stored.ipc, rowCount: stored.rowCount, columns: stored.columns, durationMs: 0, fetchedAt: stored.savedAt, source: 'persisted' };
    }
    const started = this.now();
    this.executions++;
    const { ipc } = await connector.run({ sql: request.sql, params: request.params ?? [], placeholders: request.placeholders ?? [] });
    const table = tableFromIPC(ipc);
    const result: RemoteResult = { ipc, rowCount: table.numRows, columns: columnsOf(table), durationMs: this.now() - started, fetchedAt: this.now(), source: 'miss' };
    void persisted?.put(key, { ipc, rowCount: result.rowCount, columns: result.columns, tables: [] }).catch(() => false);
    return result;
  }
}
