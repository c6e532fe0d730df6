/**
 * Where queries run. The default connector is the in-browser DuckDB-WASM
 * engine (`DataEngine`); docs/scaling.md sketches others (MotherDuck's WASM
 * client, a DuckDB/ClickHouse HTTP endpoint, Parquet on object storage by
 * range requests). Every connector answers with Arrow IPC bytes and errors as
 * values, so the runtime, the memo and the table view do not care which one
 * ran the query.
 */
import type {
  IngestRequest, ProgressCallback, QueryRequest, QueryResponse, Result, TableInfo, WindowRequest,
} from '../runtime/messages.ts';
import { DataEngine, type EngineOptions } from './engine.ts';

export interface Connector {
  /** A short name for status lines and errors (e.g. `duckdb-wasm`). */
  readonly kind: string;
  query(request: QueryRequest): Promise<Result<QueryResponse>>;
  window(request: WindowRequest): Promise<Result<Record<string, unknown>[]>>;
  ingest(request: IngestRequest, progress?: ProgressCallback): Promise<Result<TableInfo>>;
  tables(): TableInfo[] | Promise<TableInfo[]>;
}

/** The default connector: DuckDB-WASM in this browser (or the Node build in tests and the CLI). */
export function duckdbWasmConnector(options: EngineOptions): Connector & { engine: DataEngine } {
  const engine = new DataEngine(options);
  return {
    kind: 'duckdb-wasm',
    engine,
    query: (request) => engine.query(request),
    window: (request) => engine.window(request),
    ingest: (request, progress) => engine.ingest(request, progress),
    tables: () => engine.tables(),
  };
}
