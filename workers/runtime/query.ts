/**
 * The `query` built-in: a tagged template whose `${}` values are bound
 * parameters (`templateToSql`), run by the data worker. Results come back as
 * Arrow IPC and become Arrow tables; each remembers its SQL so the page can
 * fetch windows of it from DuckDB instead of the runtime.
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import { numericTable } from '../../src/data/arrow-values.ts';
import { engineTable } from '../../src/data/engine-cells.ts';
import { tablesRead } from '../../src/data/sql-identifiers.ts';
import { templateToSql } from '../../src/data/sql-template.ts';
import { quoteIdentifier } from '../../src/data/table-name.ts';
import { isVolatileSql } from '../../src/data/volatile.ts';
import type { DataApi } from '../../src/data/api.ts';
import type { ColumnInfo } from '../../src/runtime/protocol.ts';

/** A failed query; keeps the SQL so the cell can show it. */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(message: string, readonly sql: string, readonly hint?: string) {
    super(message);
  }
}

/** Where a query result came from, for `{kind: 'query'}` table outputs. */
export interface QuerySource {
  sql: string;
  params: unknown[];
  columns: ColumnInfo[];
  rowCount: number;
}

const sources = new WeakMap<Table, QuerySource>();

/** The SQL behind a table returned by `query`, if it is one. */
export function querySource(table: Table): QuerySource | undefined {
  return sources.get(table);
}

export interface QueryContext {
  data: Pick<DataApi, 'query'>;
  /** The generation of the run asking (so the data worker may cancel stale work). */
  generation: number;
  /** Records tables the cell read, or would have read had they existed. */
  readTables(names: readonly string[]): void;
  /**
   * Records that the query waited for the data engine from `from` to `to`
   * (`performance.now()` times): its time minus DuckDB's own time for it.
   */
  waited?(from: number, to: number): void;
  /** An engine result replaced the local table `name` (other cells reading it re-run). */
  tableReplaced?(name: string): void;
}

/** A `query` tag (or `query(sql, params?)`). */
export type QueryTag = (strings: TemplateStringsArray | string, ...values: unknown[]) => Promise<Table>;

/**
 * The `query` built-in: runs in DuckDB; `query.engine(name, as)` is the tag
 * of a SQL cell on a front matter engine (what the compiler writes for
 * `engine=NAME`), whose result the data worker also registers as the local
 * table `as`.
 */
export type QueryFunction = QueryTag & { engine(name: string, as?: string | null): QueryTag };

/**
 * Builds one cell run's `query`. Use as a tag (`query\`SELECT ${x}\``) or as
 * `query(sql, params?)` for SQL built elsewhere.
 */
export function createQuery(context: QueryContext): QueryFunction {
  const run = async (request: { sql: string; params: unknown[]; placeholders?: number[] }, engine?: { name: string; as?: string }): Promise<Table> => {
    const { sql, params } = request;
    const asked = performance.now();
    const response = await context.data.query(
      engine ? { sql, params, generation: context.generation, engine: engine.name, placeholders: request.placeholders ?? [], ...(engine.as ? { as: engine.as } : {}) } : { sql, params, generation: context.generation },
    );
    if (response.ok) context.waited?.(asked, Math.max(asked, performance.now() - response.value.durationMs));
    if (!response.ok) {
      // The missing tables of a failed query still count: the cell re-runs when they appear (an engine's: when a password is given).
      context.readTables(engine ? [engineTable(engine.name)] : tablesRead(sql, []));
      const error = new QueryError(response.error.message, sql, response.error.hint);
      if (response.error.waitingFor) throw Object.assign(error, { name: 'WaitingError', waitingFor: response.error.waitingFor });
      // An engine's failure keeps its own name (EngineAuthError, ResultTooLargeError, …): the page offers a password for some.
      if (engine) error.name = response.error.name;
      throw error;
    }
    const { ipc, tables, columns, rowCount, registered } = response.value;
    context.readTables(engine ? [engineTable(engine.name)] : tables);
    if (registered?.changed) context.tableReplaced?.(registered.table);
    const table = numericTable(tableFromIPC(ipc));
    // A volatile query would answer a table window with other rows: the runtime holds its result instead.
    // An engine result is windowed from its local copy, when it has one (a named cell's).
    if (engine) {
      if (registered) sources.set(table, { sql: `SELECT * FROM ${quoteIdentifier(registered.table)}`, params: [], columns, rowCount });
    } else if (!isVolatileSql(sql)) {
      sources.set(table, { sql, params, columns, rowCount });
    }
    return table;
  };
  const local: QueryTag = (strings, ...values) =>
    run(typeof strings === 'string' ? { sql: strings, params: Array.isArray(values[0]) ? (values[0] as unknown[]) : [] } : templateToSql(strings, values));
  return Object.assign(local, {
    engine: (name: string, as?: string | null): QueryTag => (strings, ...values) => {
      if (typeof strings === 'string') return Promise.reject(new QueryError('An engine query must be a template (query.engine(name)`…`).', strings));
      return run(templateToSql(strings, values), { name, as: as ?? undefined });
    },
  });
}
