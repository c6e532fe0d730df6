/**
 * The data engine core: catalog (tables with versions and fingerprints),
 * memoized queries, sorted windows, ingest orchestration. It implements the
 * `DataApi` operations over a `DuckConnection` that may still be starting:
 * fingerprints are known as soon as a file's bytes (or a URL's validators)
 * arrive, so persisted results can answer before DuckDB is ready.
 * Every public method returns errors as values.
 */
import { tableFromIPC } from 'apache-arrow';
import type {
  CacheOutcome, EngineDeclarations, FileFormat, NotebookTakeover, IngestRequest, IngestUrlRequest, ProgressCallback, QueryRequest, QueryResponse, Result,
  SeededResult, ShippedIndex, TableInfo, WindowRequest,
} from './api.ts';
import type { CellError, ColumnInfo } from '../runtime/protocol.ts';
import { columnsOf, rowsOf } from './arrow-values.ts';
import { duckdbConnector, EngineError, type Connector } from './connector.ts';
import type { DuckConnection } from './duck-connection.ts';
import { fingerprintBytes, fingerprintUrl } from './fingerprint.ts';
import { detectFormat, formatFromName, SNIFF_BYTES } from './file-format.ts';
import { IngestFailure, ingestFile, type IngestContent, type ParquetDecoder, type RemoteParquetReader } from './ingest.ts';
import { memoKey } from './memo-key.ts';
import { PERSIST_AFTER_MS, type PersistedMemo } from './persisted-memo.ts';
import { QuietWork } from './quiet-work.ts';
import { QueryCache } from './query-cache.ts';
import { RangeIndexes, type ExportedIndex } from './range-indexes.ts';
import { RemoteEngines } from './remote-engines.ts';
import { readWithProgress } from './fetch-progress.ts';
import { queryError } from './query-error.ts';
import { bindableParams, countPlaceholders } from './query-params.ts';
import { tablesRead } from './sql-identifiers.ts';
import { isVolatileSql } from './volatile.ts';
import { BuildResults } from './build-results.ts';
import { warmUpBytes } from './warm-up.ts';
import { sqlTokens } from './sql-tokens.ts';
import { quoteIdentifier, tableNameFor } from './table-name.ts';

export interface EngineOptions {
  /** Resolves when DuckDB is ready (rejects when it failed to start). */
  connection: Promise<DuckConnection>;
  decodeParquet: ParquetDecoder;
  /** Writes Arrow IPC as Parquet (parquet-wasm's writer), so `warmUp` can run the Parquet decoder too; without it, only the Arrow insert is warmed. */
  encodeParquet?: (ipc: Uint8Array) => Promise<Uint8Array>;
  persisted?: MemoStore;
  /** Results `brook build` computed (keyed like the persisted memo): they answer without running DuckDB. */
  seeds?: readonly SeededResult[];
  /** Results slower than this are persisted (default {@link PERSIST_AFTER_MS}); tests set 0 to not depend on machine speed. */
  persistAfterMs?: number;
  /**
   * Persisted-memo writes wait until no query has begun for this many ms
   * (the newest 64, by key): a brush's steps are not slowed by IndexedDB
   * writes. Unset: every write at once (the build's run collects its
   * results so).
   */
  persistWhenQuietMs?: number;
  /** Quiet time before range indexes are prepared for brushed queries (default 300 ms); `null`: never (the build's run). */
  prepareAfterMs?: number | null;
  /** The build's run: the range indexes queries ask to prepare are kept for `shipIndexes` to build and export. */
  keepPreparations?: boolean;
  /** Range indexes the build shipped (see `ShippedIndex`): loaded instead of built, before the tables' rows arrive. */
  shippedIndexes?: readonly ShippedIndex[];
  /**
   * Absolute URL of the build's answers for other control values (a JSON
   * `SeededResult[]`, urls relative to the list; see `BuildSnapshot.answers`):
   * fetched at once, then answered like `seeds`.
   */
  answers?: string;
  /** How long a query waits for a shipped index's bytes before its table answers instead (default 10 s). */
  shippedIndexWaitMs?: number;
  /** Range-reading Parquet from a URL (the browser has one; without it remote files are fetched whole). */
  readRemoteParquet?: RemoteParquetReader;
  /** In-memory memo budget (default 256 MB). */
  maxCacheBytes?: number;
  /** For `ingestUrl` (defaults to the global fetch). */
  fetch?: typeof fetch;
  /** Base for relative URLs in `ingestUrl`. */
  baseUrl?: string;
  /** The notebook's remote engines and the cells that run on them (see `setEngines`). */
  engines?: EngineDeclarations;
  /** The notebook runs without network: no engine is queried. */
  blockNetwork?: boolean;
  /** For a remote request the browser refused to show: whether the server answers at all (see `ConnectorContext.reachable`). */
  reachable?: (url: string) => Promise<boolean>;
}

/** Where results are kept across visits: the persisted memo, or `brook build`'s recorder of the snapshot's results. */
export type MemoStore = Pick<PersistedMemo, 'get' | 'put'>;

/** A query result held by the memo (what crosses threads, plus where it came from). */
interface Computed {
  ipc: Uint8Array;
  rowCount: number;
  columns: ColumnInfo[];
  durationMs: number;
  source: 'miss' | 'persisted' | 'seeded';
}

interface CatalogEntry {
  info: TableInfo;
  /** Set while a (re)load is in progress; queries reading the table wait for it. */
  loading?: Promise<void>;
  /** False until the first load finished. */
  ready: boolean;
  /**
   * Set from the moment a first load is *requested* until its fingerprint is
   * known: queries reading the table wait for it, then may answer from the
   * persisted memo long before DuckDB has the rows.
   */
  fingerprinted?: Promise<void>;
  settleFingerprint?: () => void;
}

class CancelledError extends Error {
  override name = 'CancelledError';
}

/** A query's table could not be loaded while the query waited for it. */
class WaitingForTable extends Error {
  constructor(readonly table: string) {
    super(`Waiting for the table ${table}`);
  }
}

/** A load begun for a notebook that gave the engine up before it landed. */
class SupersededLoad extends Error {}

const supersededLoad = (source: string): CellError => ({ name: 'IngestError', message: `Not loaded: ${source} belongs to a page that was left.` });

/** Row count and columns of an IPC result (decoding only reads the batch headers' lengths and the schema). */
function describeResult(ipc: Uint8Array): { ipc: Uint8Array; rowCount: number; columns: ColumnInfo[] } {
  const table = tableFromIPC(ipc);
  return { ipc, rowCount: table.numRows, columns: columnsOf(table) };
}

/** How long the engine must be without queries before it builds range indexes ahead of a brush. */
const PREPARE_AFTER_MS = 300;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: CellError): Result<T> => ({ ok: false, error });

export class DataEngine {
  private readonly catalog = new Map<string, CatalogEntry>();
  /**
   * Tables the notebook declared by URL whose load failed (a missing data
   * file), with why. A query reading one answers "waiting for the table"
   * instead of DuckDB's "does not exist"; a later load of it clears this.
   */
  private readonly unavailable = new Map<string, string>();
  private readonly cache: QueryCache<Computed>;
  /** One statement at a time: DuckDB-WASM runs a connection's statements serially anyway, and the queue lets `cancelBefore` drop waiting work. */
  private queue: Promise<unknown> = Promise.resolve();
  private cancelledBefore = -Infinity;
  /** The newest generation any query came with. */
  private newestGeneration = -Infinity;
  /** Which notebook has the engine: `replaceNotebook` counts on, and a load begun for an earlier one never lands. */
  private notebook = 0;
  /** Generations older than this belong to a notebook that gave the engine up (see `replaceNotebook`). */
  private takenOverAt = -Infinity;
  /** Readers `warmUp` has run. */
  private readonly warmed = new Set<FileFormat>();
  /** Set by the first picked, dropped or restored file: warm-ups are for before it. */
  private filesIngested = false;
  /** Newest generation waiting on each memo key (identical queries of several generations share one run). */
  private readonly keyGeneration = new Map<string, number>();
  private conn: DuckConnection | undefined;
  /** What the build computed: its results and its answers for other control values. */
  private readonly built: BuildResults;
  /** How many times DuckDB actually executed a query (tests count it). */
  executions = 0;
  /** DuckDB in this browser, as the connector every local query runs through. */
  private readonly local: Connector;
  /** The front matter's engines: queries with `engine` go there. */
  readonly remote: RemoteEngines;
  /** Pre-aggregated tables that answer a brushed query again and again (`range-indexes.ts`). */
  readonly indexes: RangeIndexes;
  /** Persisted-memo writes held back while queries keep coming (`persistWhenQuietMs`), newest per key. */
  private readonly writes: QuietWork | undefined;
  /** Range indexes to build once the queries pause, newest values per SQL (`prepareAfterMs`). */
  private readonly preparations: QuietWork | undefined;
  /** The build's preparations, newest per SQL, until `shipIndexes` (`keepPreparations`). */
  private readonly kept = new Map<string, () => Promise<void>>();

  constructor(private readonly options: EngineOptions) {
    this.cache = new QueryCache<Computed>({ maxBytes: options.maxCacheBytes ?? 256 * 1024 * 1024, sizeOf: (c) => c.ipc.byteLength + 256 });
    options.connection.then((conn) => { this.conn = conn; }, () => {});
    this.built = new BuildResults((url) => this.fetchBytes(url));
    this.built.replace(options.seeds, options.answers);
    this.local = duckdbConnector(options.connection);
    // Runs inside the engine's serial queue (from `execute`): never queued again.
    this.indexes = new RangeIndexes((sql, params) => this.local.run({ sql, params }).then((answer) => answer.ipc), {
      load: async (name, ipc) => (await options.connection).insertArrowIPC(ipc, name),
      fetchShipped: (url) => this.fetchBytes(url),
      shippedWaitMs: options.shippedIndexWaitMs,
    });
    this.indexes.ship(options.shippedIndexes ?? []);
    // At most the newest 64 writes wait: older steps of a long drag are not worth one.
    if (options.persistWhenQuietMs !== undefined) this.writes = new QuietWork(options.persistWhenQuietMs, 64);
    if (options.prepareAfterMs !== null) this.preparations = new QuietWork(options.prepareAfterMs ?? PREPARE_AFTER_MS);
    this.remote = new RemoteEngines({
      persisted: options.persisted,
      register: (table, ipc, engine, notebook) => this.registerResult(table, ipc, engine, notebook),
      blockNetwork: options.blockNetwork,
      fetch: options.fetch,
      reachable: options.reachable,
    });
    // Registered before any query's wait on the connection, so DuckDB has the list before the first SQL.
    options.connection.then((conn) => conn.readUrls?.(options.engines?.readableUrls ?? []), () => {});
    if (options.engines) this.remote.declare(options.engines);
  }

  /** The notebook's engines, the cells that run on them, or the URLs written in it changed. */
  setEngines(declarations: EngineDeclarations): void {
    this.remote.declare(declarations);
    void this.options.connection.then((conn) => conn.readUrls?.(declarations.readableUrls ?? []), () => {});
  }

  /**
   * Another notebook takes this engine over (the next page of a site, opened
   * in place): it sees what a fresh engine would — none of the old one's
   * tables, seeds, engines or passwords, and nothing the old runtime asked
   * still runs — but DuckDB is already running, and the persisted memo (keyed
   * by the tables' content fingerprints) answers the same query over the same
   * bytes for any page that shares it.
   */
  async replaceNotebook(next: NotebookTakeover): Promise<void> {
    // Loads of the old notebook still downloading are dropped wherever they are (see `load`).
    this.notebook++;
    // What the old notebook's runtime asked and is not running yet is dropped: the next runtime's generations are all newer.
    this.takenOverAt = this.newestGeneration + 1;
    this.cancelBefore(this.takenOverAt);
    this.built.replace(next.seeds, next.answers);
    this.preparations?.clear();
    const indexes = this.indexes.release();
    this.indexes.ship(next.indexes ?? []);
    this.unavailable.clear();
    this.remote.forgetPasswords();
    this.setEngines(next.engines ?? { engines: {}, results: {} });
    // Not waiting for loads in flight: the next notebook's own loads must not wait for the old one's downloads.
    const names = [...this.catalog.keys()];
    for (const name of names) {
      this.catalog.get(name)?.settleFingerprint?.();
      this.catalog.delete(name);
      this.cache.invalidateTable(name);
    }
    // Nothing to drop: nothing waits for DuckDB (it may never start: the next page's queries may be answered from the memo).
    if (names.length === 0 && indexes.length === 0) return;
    const conn = await this.options.connection;
    await this.serial(async () => {
      for (const name of [...indexes, ...names.map(quoteIdentifier)]) await conn.query(`DROP TABLE IF EXISTS ${name}`).catch(() => {});
    });
  }

  /** The reader's password for an engine (`null` forgets it). */
  setEnginePassword(engine: string, password: string | null): void {
    this.remote.setPassword(engine, password);
  }

  /**
   * Makes an engine cell's result the local table `table`, so local SQL can
   * read it; resolves to whether that changed the table (same bytes: no new
   * version, so nothing reading it re-runs). Queries reading the table wait
   * for the insert (it waits for DuckDB); the answer to the engine query
   * itself does not. A name held by a file or the front matter is refused.
   */
  async registerResult(table: string, ipc: Uint8Array, engine: string, notebook = this.notebook): Promise<boolean> {
    const name = table.toLowerCase();
    const source = `engine:${engine}`;
    // The answer of a notebook that gave the engine up (its query was still running) is not the next one's table.
    if (notebook !== this.notebook) return false;
    const entry = this.catalog.get(name);
    if (entry && entry.info.source !== source) {
      throw new EngineError('name-taken', `The cell's result cannot become the table ${name}: that name is already the table loaded from ${entry.info.source}.`, 'Rename the cell.');
    }
    const fingerprint = await fingerprintBytes(ipc);
    if (entry && entry.info.fingerprint === fingerprint) return false;
    // The new rows' stamp at once: a query arriving while they load must not be answered from the
    // memo of the old ones (it waits for the load instead; a persisted answer for the new rows may answer).
    if (entry) entry.info = { ...entry.info, version: entry.info.version + 1, fingerprint };
    // The memo keeps its bytes; DuckDB may take (detach) this copy.
    if (notebook !== this.notebook) return false;
    void this.load(name, source, fingerprint, undefined, async () => ({ bytes: ipc.slice(), format: 'arrow' }), notebook);
    return true;
  }

  /** Tables that finished loading. */
  tables(): TableInfo[] {
    return [...this.catalog.values()].filter((e) => e.ready).map((e) => ({ ...e.info }));
  }

  /** Runs a query, memoized on (SQL, params, versions of the tables read). */
  async query(request: QueryRequest): Promise<Result<QueryResponse>> {
    if (request.generation !== undefined) this.newestGeneration = Math.max(this.newestGeneration, request.generation);
    const notebook = this.notebook;
    if (request.engine !== undefined) {
      // A query of a runtime gone (a site's page left) must not reach the next page's engines. Newer
      // generations of the same runtime do not cancel remote queries: they run to their end (memoized).
      if ((request.generation ?? Infinity) < this.takenOverAt) return fail({ name: 'CancelledError', message: 'Cancelled: the page that asked was left.', sql: request.sql });
      return this.remote.query(request, notebook);
    }
    const started = performance.now();
    this.writes?.activity();
    this.preparations?.activity();
    const { sql } = request;
    const params = request.params ?? [];
    let key = '';
    try {
      const placeholders = countPlaceholders(sqlTokens(sql));
      if (placeholders !== params.length) {
        return fail({ name: 'QueryError', message: `The query has ${placeholders} "?" placeholder(s) but ${params.length} parameter(s) were given.`, sql });
      }
      const bound = bindableParams(params);
      const announced = tablesRead(sql, this.catalog.keys());
      await Promise.all(announced.map((t) => this.catalog.get(t)?.fingerprinted));
      const waiting = this.waitingFor(tablesRead(sql, this.unavailable.keys()));
      if (waiting) return fail(this.waitingError(waiting, sql));
      const tables = tablesRead(sql, this.catalog.keys());
      const known = tables.filter((t) => this.catalog.has(t));
      key = memoKey(sql, params, Object.fromEntries(tables.map((t) => {
        const info = this.catalog.get(t)?.info;
        return [t, info ? `${info.version}:${info.fingerprint}` : null];
      })));
      const generation = request.generation ?? Infinity;
      this.keyGeneration.set(key, Math.max(this.keyGeneration.get(key) ?? -Infinity, generation));
      // A volatile query (random(), now(), a URL, a statement that changes something) runs every time:
      // no memo, no persisted answer. So does one that reads a relation Brook does not track (a table or
      // view the notebook's own SQL made): no key holds its rows.
      const volatile = isVolatileSql(sql) || known.length < tables.length;
      const { value, hit } = volatile
        ? { value: await this.execute(key, sql, bound, known, false), hit: 'miss' as const }
        : await this.cache.run(key, known, () => this.compute(key, sql, bound, known, this.diskKey(sql, params, known)));
      const cache: CacheOutcome = hit === 'miss' ? value.source : hit;
      if (request.prepare?.length && !volatile) this.prepareSoon(sql, bound, tables, request.prepare);
      return ok({
        ipc: value.ipc, rowCount: value.rowCount, columns: value.columns, tables, cache,
        durationMs: hit === 'miss' ? value.durationMs : performance.now() - started,
      });
    } catch (error) {
      if (error instanceof CancelledError) return fail({ name: 'CancelledError', message: error.message, sql });
      if (error instanceof WaitingForTable) return fail(this.waitingError(error.table, sql));
      return fail(queryError(error, sql));
    } finally {
      this.keyGeneration.delete(key);
    }
  }

  /** The first of `tables` whose data could not be loaded (and no other load has replaced it). */
  private waitingFor(tables: readonly string[]): string | undefined {
    return tables.find((t) => this.unavailable.has(t) && !this.catalog.get(t)?.ready);
  }

  private waitingError(table: string, sql: string): CellError {
    return {
      name: 'WaitingError',
      message: `Waiting for the table ${table}: ${this.unavailable.get(table)}`,
      hint: `Drop a file on the page to load the table ${table}.`,
      waitingFor: table,
      sql,
    };
  }

  /** The front matter's data file for `table` could not be loaded: queries reading it wait for another file. */
  private markUnavailable(table: string, url: string, why: string): void {
    this.unavailable.set(table, `its data file ${url.split(/[\\/]/).pop()} could not be loaded (${why}).`);
  }

  /** A sorted window of a query's rows (memoized like any query), as converted row objects. */
  async window(request: WindowRequest): Promise<Result<Record<string, unknown>[]>> {
    const limit = Math.max(0, Math.floor(request.limit));
    const offset = Math.max(0, Math.floor(request.offset));
    const inner = request.sql.trim().replace(/;\s*$/, '');
    const order = request.sort
      ? ` ORDER BY ${quoteIdentifier(request.sort.column)} ${request.sort.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`
      : '';
    const sql = `SELECT * FROM (${inner}) AS __brook_window${order} LIMIT ${limit} OFFSET ${offset}`;
    const result = await this.query({ sql, params: request.params });
    if (!result.ok) return fail({ ...result.error, sql: request.sql });
    return ok(rowsOf(tableFromIPC(result.value.ipc)));
  }

  /** Loads a file's bytes as a table (named after the file unless `table` is given). */
  async ingest(request: IngestRequest, progress?: ProgressCallback): Promise<Result<TableInfo>> {
    const table = (request.table ?? tableNameFor(request.fileName)).toLowerCase();
    this.announce(table, request.fileName);
    this.filesIngested = true;
    const content = request.bytes;
    if (content instanceof Blob) return this.ingestBlob(table, request.fileName, content, request.format, progress, this.notebook);
    const bytes = new Uint8Array(content);
    // The digest copies the bytes when called, so DuckDB may take them while it runs.
    return this.load(table, request.fileName, fingerprintBytes(bytes), progress, async () => ({ bytes, format: request.format }));
  }

  /**
   * A Blob is read here, off the page's thread. DuckDB reads a CSV's slices
   * itself when the binding can (`registerBlob`) while the whole file is
   * read and hashed alongside, on another thread; other formats are decoded
   * from the bytes read.
   */
  private async ingestBlob(
    table: string, fileName: string, blob: Blob, format: FileFormat | undefined, progress: ProgressCallback | undefined, notebook: number,
  ): Promise<Result<TableInfo>> {
    // The first bytes before the whole file: read after it, they would hold DuckDB's start back.
    const head = await blob.slice(0, SNIFF_BYTES).arrayBuffer().then((buffer) => new Uint8Array(buffer), () => new Uint8Array());
    const known = format ?? detectFormat(fileName, head);
    // Reading the whole file keeps this thread busy; for a CSV, only once DuckDB has its query.
    let read!: () => void;
    const whole = new Promise<void>((resolve) => (read = resolve))
      .then(() => blob.arrayBuffer())
      .then((buffer) => new Uint8Array(buffer));
    // The fingerprint only keys persisted results: a file that cannot be read whole (it
    // changed on disk) gets one that matches nothing, rather than failing a load DuckDB finished.
    const fingerprint = whole.then(fingerprintBytes).catch(() => `unhashed:${crypto.randomUUID()}`);
    return this.load(table, fileName, fingerprint, progress, async () => {
      const conn = await this.options.connection;
      if ((known === 'csv' || known === 'tsv') && conn.registerBlob) return { blob, head, format: known, started: read };
      read();
      return { bytes: await whole, format: known };
    }, notebook);
  }

  /** Loads a URL as a table. The whole file is fetched (see docs/data-engine.md for why not range reads). */
  async ingestUrl(request: IngestUrlRequest, progress?: ProgressCallback): Promise<Result<TableInfo>> {
    const fetcher = this.options.fetch ?? fetchWithoutCredentials;
    const table = request.table.toLowerCase();
    const notebook = this.notebook;
    this.announce(table, request.url);
    let url: string;
    let response: Response;
    try {
      url = new URL(request.url, this.options.baseUrl).href;
      if (request.builtFingerprint) return await this.ingestBuilt(table, url, request, request.builtFingerprint, progress, notebook);
      if ((request.format ?? formatFromName(url)) === 'parquet' && this.options.readRemoteParquet) {
        const ranged = await this.ingestParquetByRange(table, url, request, progress, notebook);
        if (ranged) return ranged;
      }
      progress?.(null, 'requesting the file');
      response = await fetcher(url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    } catch (error) {
      const why = (error as Error).message ?? String(error);
      if (notebook !== this.notebook) return fail(supersededLoad(request.url));
      // Before the withdraw: queries waiting for its fingerprint then see it is unavailable.
      this.markUnavailable(table, request.url, why);
      this.withdraw(table);
      return fail({ name: 'IngestError', message: `Could not load ${request.url}: ${why}` });
    }
    // Validators give a fingerprint before the body arrives; without them the bytes are hashed.
    const validated = fingerprintUrl(url, response.headers);

    const body = progress ? readWithProgress(response, progress) : response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    const fingerprint = validated ?? await fingerprintBytes(await body.catch(() => new Uint8Array()));
    return this.load(table, request.url, fingerprint, progress, async () => ({ bytes: await body, format: request.format }), notebook);
  }

  /**
   * A built page's own data file (see `IngestUrlRequest.builtFingerprint`):
   * keyed by the build's fingerprint at once, fetched once DuckDB is ready,
   * and re-keyed by the hash of its bytes when they differ from the build's.
   */
  private async ingestBuilt(
    table: string, url: string, request: IngestUrlRequest, expected: string, progress: ProgressCallback | undefined, notebook: number,
  ): Promise<Result<TableInfo>> {
    const fetcher = this.options.fetch ?? fetchWithoutCredentials;
    if (!this.conn) progress?.(null, 'waiting for DuckDB to start');
    return this.load(table, request.url, expected, progress, async () => {
      // `load` asks for the bytes once DuckDB is ready: until then they would only slow its download. Queries
      // waiting then (a control moved early, answered from a shipped index) go first: the download would slow them too.
      await this.statementsDone();
      if (notebook !== this.notebook) throw new SupersededLoad();
      progress?.(null, 'requesting the file');
      let bytes: Uint8Array;
      try {
        const response = await fetcher(url);
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
        bytes = progress ? await readWithProgress(response, progress) : new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        // Before the load settles: queries waiting for it then see that the table is unavailable.
        if (notebook === this.notebook) this.markUnavailable(table, request.url, (error as Error).message ?? String(error));
        throw error;
      }
      // Changed since the build: the table is keyed by these bytes before it holds them, so nothing
      // computed over them is taken for (or stored as) an answer over the build's.
      return { bytes, format: request.format, fingerprint: await fingerprintBytes(bytes) };
    }, notebook);
  }

  /**
   * Parquet over HTTP range requests: a HEAD for the validators (the
   * fingerprint, known before any data arrives), then the footer and only the
   * chunks of the columns the notebook's SQL names. `null` when the server
   * cannot serve ranges or gives no validators: the caller fetches the file
   * whole. A range read failing before any rows arrive (footer, schema)
   * also falls back to the whole file; one failing midway fails the load.
   * The rows stream in slices, inserted as they are decoded.
   */
  private async ingestParquetByRange(
    table: string,
    url: string,
    request: IngestUrlRequest,
    progress: ProgressCallback | undefined,
    notebook: number,
  ): Promise<Result<TableInfo> | null> {
    const fetcher = this.options.fetch ?? fetchWithoutCredentials;
    const reader = this.options.readRemoteParquet!;
    let head: Response;
    try {
      head = await fetcher(url, { method: 'HEAD' });
    } catch {
      return null;
    }
    const fingerprint = head.ok && head.headers.get('accept-ranges') === 'bytes' ? fingerprintUrl(url, head.headers) : undefined;
    if (!fingerprint) return null;
    progress?.(null, 'reading only the columns the SQL uses');
    // Opened now (parquet-wasm's start, the footer), not once DuckDB is ready. The rows are not read
    // ahead: decoding them while DuckDB starts delayed "DuckDB ready" more than it saved (2 cores).
    const opened = reader(url, request.columns);
    opened.catch(() => {}); // a failure is handled (by the fallback) when the load asks for the rows
    let omitted: string[] = [];
    const result = await this.load(table, request.url, fingerprint, progress, async () => {
      try {
        const read = await opened;
        omitted = read.omitted;
        return { slices: read.slices };
      } catch {
        const whole = await fetcher(url);
        if (!whole.ok) throw new Error(`HTTP ${whole.status} ${whole.statusText}`.trim());
        return { bytes: new Uint8Array(await whole.arrayBuffer()), format: 'parquet' };
      }
    }, notebook);
    if (!result.ok || omitted.length === 0) return result;
    // Recorded on the catalog entry; the next load of this table replaces the whole info (and this).
    const entry = this.catalog.get(table);
    if (entry) entry.info.omittedColumns = omitted;
    return { ok: true, value: { ...result.value, omittedColumns: omitted } };
  }

  /**
   * Registers a table whose first load was just requested, before any await,
   * so a query arriving meanwhile waits for its fingerprint instead of failing
   * with "table does not exist".
   */
  private announce(table: string, source: string): void {
    if (this.catalog.has(table)) return;
    const entry: CatalogEntry = { info: { name: table, rowCount: 0, columns: [], version: 0, source, fingerprint: '' }, ready: false };
    entry.fingerprinted = new Promise<void>((resolve) => (entry.settleFingerprint = resolve));
    this.catalog.set(table, entry);
  }

  /** Forgets an announced table whose load failed before it was fingerprinted. */
  private withdraw(table: string): void {
    const entry = this.catalog.get(table);
    if (!entry || entry.ready) return;
    entry.settleFingerprint?.();
    this.catalog.delete(table);
  }

  /** Drops a table; its queries are invalidated. */
  async dropTable(name: string): Promise<void> {
    const table = name.toLowerCase();
    const entry = this.catalog.get(table);
    if (!entry) return;
    await entry.loading?.catch(() => {});
    this.catalog.delete(table);
    this.cache.invalidateTable(table);
    const conn = await this.options.connection;
    await this.serial(() => conn.query(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`)).catch(() => {});
  }

  /**
   * A small load of made-up rows per reader ('csv', 'parquet', 'arrow'), so a
   * person's first file does not pay for compiling it (warm-up.ts). Once per
   * reader, and only before any file is loaded; never fails; leaves no table
   * behind.
   */
  async warmUp(formats: readonly FileFormat[]): Promise<void> {
    const conn = await this.options.connection;
    for (const format of formats) {
      if (format !== 'csv' && format !== 'parquet' && format !== 'arrow') continue;
      const table = `__brook_warm_up_${format}`;
      await this.serial(async () => {
        // Checked when its turn comes: once a person's file is here, a warm-up would only hold it up.
        if (this.filesIngested || this.warmed.has(format)) return;
        this.warmed.add(format);
        const bytes = await this.warmUpFile(format);
        await ingestFile(conn, this.options.decodeParquet, { fileName: `warm-up.${bytes.format}`, table, ...bytes });
        await conn.query(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
      }).catch(() => {});
    }
  }

  private async warmUpFile(format: 'csv' | 'parquet' | 'arrow'): Promise<{ bytes: Uint8Array; format: FileFormat }> {
    if (format === 'csv') return { bytes: warmUpBytes('csv'), format };
    const ipc = warmUpBytes('arrow');
    const encode = this.options.encodeParquet;
    return format === 'parquet' && encode ? { bytes: await encode(ipc), format } : { bytes: ipc, format: 'arrow' };
  }

  /** Queries of generations older than `generation` that have not started are dropped. */
  cancelBefore(generation: number): void {
    this.cancelledBefore = Math.max(this.cancelledBefore, generation);
  }

  /** Loads what `read` gives as `table`: bytes (and their format when the caller knows it), or decoded slices. */
  private async load(
    table: string,
    source: string,
    fingerprint: string | Promise<string>,
    progress: ProgressCallback | undefined,
    read: () => Promise<IngestContent & { fingerprint?: string }>,
    notebook = this.notebook,
  ): Promise<Result<TableInfo>> {
    // Begun for a notebook that has since given the engine up (a site's page left): it never lands.
    if (notebook !== this.notebook) return fail(supersededLoad(source));
    const previous = this.catalog.get(table);
    const entry: CatalogEntry = previous ?? {
      info: { name: table, rowCount: 0, columns: [], version: 0, source, fingerprint: '' }, ready: false,
    };
    if (!previous) this.catalog.set(table, entry);
    let fingerprinted = Promise.resolve(fingerprint);
    // A first load's fingerprint, once known, lets persisted results of queries reading it answer before the load ends.
    fingerprinted.then((value) => {
      if (entry.ready) return;
      entry.info.fingerprint = value;
      entry.settleFingerprint?.();
      entry.fingerprinted = entry.settleFingerprint = undefined;
    }, () => {});
    const prior = entry.loading;
    let settle!: () => void;
    entry.loading = new Promise<void>((resolve) => { settle = resolve; });
    try {
      await prior?.catch(() => {});
      const conn = await this.options.connection;
      const { fingerprint: settled, ...data } = await read();
      // The bytes' own fingerprint, when `read` hashed them and it differs from the one announced.
      if (settled !== undefined && settled !== entry.info.fingerprint) {
        fingerprinted = Promise.resolve(settled);
        if (entry.ready) entry.info = { ...entry.info, fingerprint: settled, version: entry.info.version + 1 };
        else entry.info.fingerprint = settled;
      }
      const loaded = await this.serial(() => {
        if (notebook !== this.notebook) throw new SupersededLoad();
        return ingestFile(conn, this.options.decodeParquet, { fileName: source, table, ...data }, progress);
      });
      // Landed just as the notebook gave the engine up: the takeover's DROP, queued after it, removes it.
      if (notebook !== this.notebook) throw new SupersededLoad();
      entry.info = {
        name: table, rowCount: loaded.rowCount, columns: loaded.columns, version: entry.info.version + 1, source, fingerprint: await fingerprinted,
      };
      entry.ready = true;
      this.unavailable.delete(table);
      this.cache.invalidateTable(table);
      return ok({ ...entry.info });
    } catch (error) {
      if (error instanceof SupersededLoad) return fail(supersededLoad(source));
      if (!entry.ready) {
        entry.settleFingerprint?.(); // queries waiting for it go on, and find no such table
        if (this.catalog.get(table) === entry) this.catalog.delete(table);
      }
      const message = error instanceof Error ? error.message : String(error);
      const cellError: CellError = { name: 'IngestError', message: error instanceof IngestFailure ? message : `Could not load ${source}: ${message}` };
      if (error instanceof IngestFailure && error.line !== undefined) cellError.line = error.line;
      return fail(cellError);
    } finally {
      settle();
      if (entry.loading && this.catalog.get(table) === entry) entry.loading = undefined;
    }
  }

  /** The persisted-memo key: fingerprints only (versions restart at every page load). `undefined` when not persistable. */
  private diskKey(sql: string, params: readonly unknown[], known: string[]): string | undefined {
    if (!this.options.persisted && this.built.empty) return undefined;
    return memoKey(sql, params, Object.fromEntries(known.map((t) => [t, this.catalog.get(t)!.info.fingerprint])));
  }

  /**
   * Runs the query, and at the same time looks for a persisted answer: the
   * stored answer wins while DuckDB or a table it reads is still loading (the
   * run then refreshes it), and a ready DuckDB is not held up by IndexedDB —
   * reads there can take half a second while the page writes a large file.
   */
  private async compute(key: string, sql: string, bound: unknown[], tables: string[], diskKey: string | undefined): Promise<Computed> {
    // What the key names: an answer computed over other rows (a built file that changed, re-keyed when it loaded) is not stored under it.
    const keyed = this.dataOf(tables);
    const seeded = diskKey === undefined ? undefined : await this.seeded(diskKey, tables);
    // A brush's first step compares with the answer before it, wherever that came from.
    if (seeded) {
      this.indexes.noteAnswer(sql, bound, this.dataOf(tables), seeded.ipc);
      return seeded;
    }
    const persisted = this.options.persisted;
    const run = this.execute(key, sql, bound, tables);
    if (!persisted || !diskKey) return this.persistIfSlow(await run, tables, diskKey, keyed);
    const lookup = persisted.get(diskKey).catch(() => undefined);
    const first = await Promise.race([
      run.then((computed) => ({ computed }), () => ({ failed: true })),
      lookup.then((stored) => ({ stored })),
    ]);
    if ('computed' in first) return this.persistIfSlow(first.computed, tables, diskKey, keyed);
    const stored = 'stored' in first ? first.stored : await lookup;
    if (!stored) return this.persistIfSlow(await run, tables, diskKey, keyed);
    this.indexes.noteAnswer(sql, bound, this.dataOf(tables), stored.ipc);
    // Answer now; the run under way is the revalidation that refreshes the stored copy.
    void run.then(async (fresh) => {
      if (this.cache.has(key)) this.cache.set(key, tables, fresh);
      if (this.dataOf(tables) === keyed) await persisted.put(diskKey, { ipc: fresh.ipc, rowCount: fresh.rowCount, columns: fresh.columns, tables });
    }).catch(() => {
      // The stored answer stays; the next real run reports the error.
    });
    return { ipc: stored.ipc, rowCount: stored.rowCount, columns: stored.columns, durationMs: 0, source: 'persisted' };
  }

  /** Whether a table `tables` names has its first load under way (a built page's data, before it arrives). */
  private firstLoadUnderWay(tables: readonly string[]): boolean {
    return tables.some((t) => {
      const entry = this.catalog.get(t);
      return entry !== undefined && !entry.ready;
    });
  }

  /**
   * The build's result for `diskKey`, when there is one and its bytes arrive
   * (an answer for another control value only while a table's first load is
   * under way). Its key holds the content fingerprints of the tables read,
   * so it is the answer DuckDB would give: no run follows to revalidate it.
   */
  private async seeded(diskKey: string, tables: readonly string[]): Promise<Computed | undefined> {
    const loading = this.firstLoadUnderWay(tables) ? Promise.all(tables.map((t) => this.catalog.get(t)?.loading)) : undefined;
    const answer = await this.built.get(diskKey, loading);
    return answer && { ...answer, durationMs: 0, source: 'seeded' };
  }

  /** One of the build's files (results, indexes), relative to the page. */
  private async fetchBytes(url: string): Promise<Uint8Array> {
    const response = await (this.options.fetch ?? fetch)(new URL(url, this.options.baseUrl).href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * Runs the query on DuckDB once its tables are loaded (dropped if its
   * generation was superseded before it started), through a range index
   * when one applies and the query is not volatile — without waiting for
   * the tables' rows when the index needs none of them.
   */
  private async execute(key: string, sql: string, bound: unknown[], tables: string[], indexable = true): Promise<Computed> {
    if (indexable) {
      const indexed = await this.fromIndexAlone(key, sql, bound, tables);
      if (indexed) return indexed;
    }
    await Promise.all(tables.map((t) => this.catalog.get(t)?.loading));
    // A load that failed while this query waited for it (a built page's data file is fetched late).
    const waiting = this.waitingFor(tables);
    if (waiting) throw new WaitingForTable(waiting);
    // The clock starts once DuckDB is ready: the time a query reports is DuckDB's own.
    await this.options.connection;
    const started = performance.now();
    const result = await this.serial(() => {
      this.dropIfSuperseded(key);
      this.executions++;
      const raw = () => this.local.run({ sql, params: bound }).then((answer) => answer.ipc);
      return indexable ? this.indexes.answer(sql, bound, this.dataOf(tables), raw) : raw();
    });
    const durationMs = performance.now() - started;
    return { ...describeResult(result), durationMs, source: 'miss' };
  }

  private dropIfSuperseded(key: string): void {
    if ((this.keyGeneration.get(key) ?? Infinity) < this.cancelledBefore) throw new CancelledError('Cancelled: a newer run superseded this query.');
  }

  /**
   * The answer of a range index that needs none of the tables' rows (one
   * the build shipped, or one built before) while a table it reads has its
   * first load under way: a first visit's control answers before its data
   * arrives. Not while a table is being replaced (the index holds the old
   * rows), nor once all are loaded: `execute` then answers from the same
   * indexes at once, and the change is worked out only there.
   */
  private async fromIndexAlone(key: string, sql: string, bound: unknown[], tables: string[]): Promise<Computed | undefined> {
    const replacing = tables.some((t) => this.catalog.get(t)?.ready && this.catalog.get(t)?.loading);
    if (!this.firstLoadUnderWay(tables) || replacing) return undefined;
    const indexed = this.indexes.withoutTable(sql, bound, this.dataOf(tables));
    if (!indexed) return undefined;
    await indexed.arrived();
    await this.options.connection;
    const started = performance.now();
    const ipc = await this.serial(() => {
      this.dropIfSuperseded(key);
      return indexed.answer();
    });
    if (!ipc) return undefined;
    this.executions++;
    return { ...describeResult(ipc), durationMs: performance.now() - started, source: 'miss' };
  }

  /**
   * Builds the range indexes of a query whose parameters `moving` follow a
   * brush once no query has begun for `prepareAfterMs` — one build at a time
   * in the statement queue, so a reader's query waits for one build at most —
   * and never over a table still loading (the index would miss rows).
   */
  private prepareSoon(sql: string, bound: unknown[], tables: string[], moving: number[]): void {
    const prepare = () => Promise.all(tables.map((t) => this.catalog.get(t)?.loading))
      .then(() => this.serial(() => this.indexes.prepare(sql, bound, this.dataOf(tables), moving)))
      .catch(() => {});
    if (this.options.keepPreparations) this.kept.set(sql, prepare);
    this.preparations?.add(sql, () => void prepare());
  }

  /**
   * The build: builds the range indexes its run's queries asked for (those
   * whose values follow an input) and exports each as Arrow IPC, checked
   * by loading it back (see `RangeIndexes.exportAll`).
   */
  async shipIndexes(): Promise<ExportedIndex[]> {
    for (const prepare of this.kept.values()) await prepare();
    this.kept.clear();
    return this.serial(() => this.indexes.exportAll());
  }

  /**
   * What `tables` hold now, for range indexes: their content fingerprints
   * (known before the rows are in DuckDB, so the build's answers count), or
   * their versions. An index of other rows never answers; indexes are only
   * built once the tables are loaded (`execute` and `prepareSoon` wait).
   */
  private dataOf(tables: string[]): string {
    return tables.map((t) => {
      const info = this.catalog.get(t)?.info;
      return `${t}:${info?.fingerprint || `v${info?.version ?? '?'}`}`;
    }).join(',');
  }

  /** Results slower than the threshold are worth a disk write (held back while queries keep coming: `persistWhenQuietMs`). */
  private persistIfSlow(computed: Computed, tables: string[], diskKey: string | undefined, keyed: string): Computed {
    const persisted = this.options.persisted;
    if (!persisted || !diskKey || computed.durationMs <= (this.options.persistAfterMs ?? PERSIST_AFTER_MS)) return computed;
    const write = () => {
      if (this.dataOf(tables) === keyed) void persisted.put(diskKey, { ipc: computed.ipc, rowCount: computed.rowCount, columns: computed.columns, tables });
    };
    if (this.writes) this.writes.add(diskKey, write);
    else write();
    return computed;
  }

  /** Resolves once no statement is queued or running (those queued in this task included). */
  private async statementsDone(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let seen = this.queue; ; seen = this.queue) {
      await seen;
      if (seen === this.queue) return;
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** True once DuckDB is ready. */
  get ready(): boolean {
    return this.conn !== undefined;
  }
}

/**
 * Front-matter URLs are named by the notebook, which may be a stranger's:
 * they are fetched without the reader's cookies or HTTP auth, so a notebook
 * cannot read this site's pages as the reader (see docs/security.md).
 */
function fetchWithoutCredentials(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return fetch(input, { ...init, credentials: 'omit' });
}
