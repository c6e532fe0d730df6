/**
 * The seam between Brook's data engine and the SQL engines that answer
 * queries. Every query the data worker runs goes through a `Connector`:
 * DuckDB-WASM in this browser is one (`duckdbConnector`), and each front
 * matter engine is another, made by `connectorFor` from its `type`
 * (`connector-registry.ts`; ClickHouse over HTTP: `clickhouse.ts`). A connector only runs SQL and
 * answers Arrow IPC; the memo, the persisted memo, registering results as
 * tables and turning failures into placed cell errors are the engine's
 * (`engine.ts`, `remote-engines.ts`), the same for every connector.
 *
 * Adding an engine is one new file plus a line in `CONNECTORS`
 * (`connector-registry.ts`) and its type in `ENGINE_TYPES`: see docs/extending.md.
 */
import type { DuckConnection } from './duck-connection.ts';
import { bindableParams } from './query-params.ts';

/** One query for a connector: SQL as written in the cell, with a `?` at each placeholder offset. */
export interface ConnectorQuery {
  sql: string;
  params: readonly unknown[];
  /**
   * Offsets in `sql` of the `?` that stand for `params` (in order). Given by
   * the runtime, which knows where each `${}` was; absent for DuckDB, whose
   * own parser finds its `?` placeholders.
   */
  placeholders?: readonly number[];
}

/** What a connector answers: the result as an Arrow IPC stream. */
export interface ConnectorAnswer {
  ipc: Uint8Array;
}

/** Where queries run. */
export interface Connector {
  /** The kind of engine (`duckdb-wasm`, `clickhouse`), for messages. */
  readonly kind: string;
  /**
   * What the engine's answers depend on besides the query: its address and
   * user. Part of memo keys, so two engines (or users) never share results.
   * Never holds a secret.
   */
  readonly identity: string;
  /** Runs one query. Rejects with an `EngineError` (or the engine's own error for DuckDB). */
  run(query: ConnectorQuery): Promise<ConnectorAnswer>;
  /** Forgets what the connector learned about its server (after a password change, or a failure). */
  reset?(): void;
}

/** What an engine failure was, for the message and for what the page offers (a password field for `auth`). */
export type EngineErrorKind = 'unreachable' | 'cors' | 'auth' | 'query' | 'too-large' | 'answer' | 'not-declared' | 'blocked' | 'name-taken';

const ERROR_NAMES: Record<EngineErrorKind, string> = {
  unreachable: 'EngineUnreachableError',
  cors: 'EngineCorsError',
  auth: 'EngineAuthError',
  query: 'EngineQueryError',
  'too-large': 'ResultTooLargeError',
  answer: 'EngineAnswerError',
  'not-declared': 'EngineNotDeclaredError',
  blocked: 'EngineBlockedError',
  'name-taken': 'ResultNameTakenError',
};

/** A remote engine's failure: a message for the reader (never a password or a request URL with one). */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = ERROR_NAMES[kind];
  }
}

/** True for the error names `EngineError` uses (they cross threads as plain `CellError`s). */
export function isEngineErrorName(name: string): boolean {
  return Object.values(ERROR_NAMES).includes(name);
}

/** What a remote connector may need from where it runs. */
export interface ConnectorContext {
  /** The front matter's name of the engine (in messages). */
  name: string;
  /** The reader's password for it, when they gave one. */
  password: () => string | undefined;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Whether the server answers at all, for a request the browser refused to
   * show (a CORS refusal looks like a network failure from script). Defaults
   * to an opaque `no-cors` request in a browser, and `false` elsewhere.
   */
  reachable?: (url: string) => Promise<boolean>;
}

/** DuckDB-WASM in this browser (or its Node build in tests and `brook build`): prepared statements for bound values. */
export function duckdbConnector(connection: Promise<DuckConnection>): Connector {
  return {
    kind: 'duckdb-wasm',
    identity: 'duckdb-wasm',
    async run({ sql, params }) {
      const conn = await connection;
      const bound = bindableParams(params);
      return { ipc: bound.length > 0 ? await conn.queryPrepared(sql, bound) : await conn.query(sql) };
    },
  };
}
