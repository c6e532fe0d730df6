/**
 * The data worker: one DuckDB-WASM instance that owns every table and the
 * query memo. The page talks to it through Comlink on the worker itself; a
 * runtime worker gets its own port when the page posts
 * `{ type: 'brook:connect', port }` — so the data worker outlives runtime
 * restarts and tables survive the watchdog. A runtime port carries only
 * query/cancelBefore (`runtime-channel.ts`): notebook code runs there.
 * Every query runs through a `Connector` (src/data/connector.ts): DuckDB-WASM
 * here, or an engine of the front matter over HTTP — this worker is the only
 * code of the page that talks to one, and only to the URLs the page declared.
 */
import * as Comlink from 'comlink';
import { DataEngine } from '../../src/data/engine.ts';
import { PersistedMemo } from '../../src/data/persisted-memo.ts';
import type {
  DataApi, DataInit, EngineDeclarations, FileFormat, NotebookTakeover, IngestRequest, IngestUrlRequest, ProgressCallback, QueryRequest, Result, TableInfo, WindowRequest,
} from '../../src/data/api.ts';
import { START_DUCKDB_MESSAGE } from '../../src/data/api.ts';
import { connectDuck, instantiateDuck, parquetReaders, type StartedDuck } from './async-duck.ts';
import { serveRuntimePort } from './runtime-channel.ts';
import { installWithoutCredentials } from '../../src/data/no-credentials.ts';

// Everything this worker fetches is named by the notebook (front-matter URLs, parquet-wasm's range
// reads) or is a static asset: none of it goes with the reader's cookies.
installWithoutCredentials(self);

let engine: DataEngine | undefined;
let setEngine!: (engine: DataEngine) => void;
/** Calls arriving before `init` (e.g. from an early runtime port) wait for the engine instead of failing. */
const engineReady = new Promise<DataEngine>((resolve) => { setEngine = resolve; });

const notStarted = { name: 'DataEngineError', message: 'The data engine failed to start.' };

const api: DataApi = {
  async init(init: DataInit): Promise<Result<{ version: string }>> {
    if (engine) return { ok: true, value: { version: await (await connection).version() } };
    // Started by the page's first message (the boot script's URLs); if that start failed, once more from the app's own.
    const started = duckStarted?.catch(() => instantiateDuck(init.duckdb)) ?? instantiateDuck(init.duckdb);
    duckStarted = started;
    connection = connectDuck(started, { blockNetwork: init.blockNetwork });
    const parquet = parquetReaders(init.parquetWasm);
    engine = new DataEngine({
      connection,
      decodeParquet: parquet.decode,
      encodeParquet: parquet.encode,
      readRemoteParquet: parquet.remote,
      persisted: typeof indexedDB === 'undefined' ? undefined : new PersistedMemo(init.notebookId),
      // A brush's steps are not slowed by IndexedDB writes: they wait until the queries pause.
      persistWhenQuietMs: 300,
      seeds: init.seeds,
      shippedIndexes: init.indexes,
      answers: init.answers,
      baseUrl: self.location.href,
      // Engines are the page's word (the front matter it parsed): the runtime only names them.
      engines: init.engines,
      blockNetwork: init.blockNetwork,
    });
    // The engine exists before DuckDB is ready, so persisted results can answer at once.
    setEngine(engine);
    try {
      return { ok: true, value: { version: await (await connection).version() } };
    } catch (error) {
      return { ok: false, error: { ...notStarted, message: `The data engine failed to start: ${String(error)}` } };
    }
  },
  query: async (request: QueryRequest) => (await engineReady).query(request),
  window: async (request: WindowRequest) => (await engineReady).window(request),
  ingest: async (request: IngestRequest, progress?: ProgressCallback) => (await engineReady).ingest(request, progress),
  ingestUrl: async (request: IngestUrlRequest, progress?: ProgressCallback) => (await engineReady).ingestUrl(request, progress),
  tables: async (): Promise<TableInfo[]> => (await engineReady).tables(),
  dropTable: async (name: string) => (await engineReady).dropTable(name),
  warmUp: async (formats: FileFormat[]) => (await engineReady).warmUp(formats),
  cancelBefore(generation: number) {
    void engineReady.then((e) => e.cancelBefore(generation));
  },
  setEngines: async (declarations: EngineDeclarations) => (await engineReady).setEngines(declarations),
  replaceNotebook: async (next: NotebookTakeover) => (await engineReady).replaceNotebook(next),
  setEnginePassword: async (engine: string, password: string | null) => (await engineReady).setEnginePassword(engine, password),
};

let connection: ReturnType<typeof connectDuck>;
/** DuckDB's wasm, instantiating from the worker's first message on (see `START_DUCKDB_MESSAGE`). */
let duckStarted: Promise<StartedDuck> | undefined;

// Results are transferred, not copied: they can be many megabytes.
const transferResult = <T extends Result<{ ipc: Uint8Array }>>(result: T): T => {
  if (result.ok) Comlink.transfer(result, [result.value.ipc.buffer as ArrayBuffer]);
  return result;
};
const query = api.query;
api.query = async (request) => {
  const result = await query(request);
  // The memo keeps its own copy; hand out a transferable clone.
  return result.ok ? transferResult({ ...result, value: { ...result.value, ipc: result.value.ipc.slice() } }) : result;
};

self.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: string; port?: MessagePort } | undefined;
  if (data?.type === 'brook:connect' && data.port) serveRuntimePort(data.port, api);
  // Only the page can post here (a dedicated worker): asset URLs it resolved itself.
  if (data?.type === START_DUCKDB_MESSAGE && !duckStarted) {
    const urls = (data as { duckdb?: { wasm?: unknown; worker?: unknown } }).duckdb;
    if (typeof urls?.wasm === 'string' && typeof urls.worker === 'string') {
      duckStarted = instantiateDuck({ wasm: urls.wasm, worker: urls.worker });
      duckStarted.catch(() => {}); // reported by `init`, which awaits it
    }
  }
});

Comlink.expose(api);
