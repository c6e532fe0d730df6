/**
 * The `query` built-in: a tagged template whose `${}` values are bound
 * parameters (`templateToSql`), run by the data worker. Results come back as
 * Arrow IPC and become Arrow tables; each remembers its SQL, so the page can
 * fetch windows of it from DuckDB instead of the runtime, and so a later
 * query can build on it (`FROM ${filtered}` composes that SQL). A SQL cell
 * on a front matter engine uses `query.engine(name, as)`: it runs there, and
 * its named result is also the local table `as`, which is what windows and
 * later local queries read.
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import { numericTable } from '../../src/data/arrow-values.ts';
import { engineTable } from '../../src/data/engine-cells.ts';
import { tablesRead } from '../../src/data/sql-identifiers.ts';
import { TemplateError, templateToSql, type Relation } from '../../src/data/sql-template.ts';
import { quoteIdentifier } from '../../src/data/table-name.ts';
import { isVolatileSql } from '../../src/data/volatile.ts';
import type { DataApi, QueryRequest, QueryResponse, Result } from '../../src/data/api.ts';
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
/** The query behind every result, volatile ones too: what a later query composes. */
const relations = new WeakMap<object, Relation>();

/** The SQL behind a table returned by `query`, if it is one (not for volatile queries: their windows come from the runtime). */
export function querySource(table: Table): QuerySource | undefined {
  return sources.get(table);
}

/** The query behind a value returned by `query`, if it is one. */
function relationOf(value: unknown): Relation | undefined {
  return typeof value === 'object' && value !== null ? relations.get(value) : undefined;
}

export interface QueryContext {
  data: Pick<DataApi, 'query'>;
  /** The generation of the run asking (so the data worker may cancel stale work). */
  generation: number;
  /**
   * The generation to ask again with when the data worker cancelled a query
   * of this run that is still current — a change elsewhere began a newer
   * generation, which cancels everything older still queued — or `undefined`
   * once the run is stale (then the cancellation stands).
   */
  askAgainAs?(): number | undefined;
  /** Records tables the cell read, or would have read had they existed. */
  readTables(names: readonly string[]): void;
  /**
   * Records that the query waited for the data engine from `from` to `to`
   * (`performance.now()` times): its time minus DuckDB's own time for it.
   */
  waited?(from: number, to: number): void;
  /** An engine result replaced the local table `name` (other cells reading it re-run). */
  tableReplaced?(name: string): void;
  /** Which of a SQL cell's `${}` (by index, from their text) read a value that follows a brush. */
  brushed?(holes: readonly string[]): ReadonlySet<number>;
}

/** A `query` tag (or `query(sql, params?)`). */
export type QueryTag = (strings: TemplateStringsArray | string, ...values: unknown[]) => Promise<Table>;

export type QueryFunction = QueryTag & {
  /**
   * The tag a SQL cell's compiled code uses: `holes` are its `${}`
   * expressions as written, which name composed subqueries
   * (`FROM ${filtered}` → `FROM (…) AS "filtered"`) and errors.
   */
  holes(holes: readonly string[]): QueryTag;
  /**
   * The tag of a SQL cell on a front matter engine (`engine=NAME`): runs
   * there, and its result (when the cell is named `as`) also becomes that
   * local table. Its `${}` are bound on the engine.
   */
  engine(name: string, as?: string | null): QueryTag;
};

/**
 * Builds one cell run's `query`. Use as a tag (`query\`SELECT ${x}\``) or as
 * `query(sql, params?)` for SQL built elsewhere.
 */
export function createQuery(context: QueryContext): QueryFunction {
  const tag = (holes?: readonly string[]): QueryTag => async (strings, ...values) => {
    if (typeof strings === 'string') return run(context, strings, Array.isArray(values[0]) ? (values[0] as unknown[]) : []);
    const { sql, params, origins } = fromTemplate(strings, values, holes);
    // Values that follow a brush: the data engine may prepare a range index over their condition.
    const brushed = holes && context.brushed ? context.brushed(holes) : undefined;
    const prepare = brushed?.size ? origins.flatMap((hole, param) => (brushed.has(hole) ? [param] : [])) : [];
    return run(context, sql, params, prepare);
  };
  const engine = (name: string, as?: string | null): QueryTag => async (strings, ...values) => {
    if (typeof strings === 'string') throw new QueryError('An engine query must be a template (query.engine(name)`…`).', strings);
    const { sql, params, placeholders } = fromTemplate(strings, values);
    return runOnEngine(context, { sql, params, placeholders }, name, as ?? undefined);
  };
  return Object.assign(tag(), { holes: (holes: readonly string[]) => tag(holes), engine });
}

/** The SQL and parameters of a template; a value that cannot go where it is fails as a `QueryError` showing the SQL as written. */
function fromTemplate(strings: TemplateStringsArray, values: unknown[], holes?: readonly string[]): ReturnType<typeof templateToSql> {
  try {
    return templateToSql(strings, values, { relationOf, holes });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const written = strings.reduce((text, part, i) => `${text}\${${holes?.[i - 1] ?? '…'}}${part}`);
    throw new QueryError(error.message, written, error.hint);
  }
}

/** How often a current run's query is asked again after a cancellation (each needs yet another new generation meanwhile). */
const MAX_ASKS = 8;

/** Sends `request`; a cancellation of a run that is still current is asked again as of the newest generation. */
async function ask(context: QueryContext, request: QueryRequest): Promise<Result<QueryResponse>> {
  let response = await context.data.query(request);
  for (let asks = 1; asks < MAX_ASKS && !response.ok && response.error.name === 'CancelledError'; asks++) {
    const generation = context.askAgainAs?.();
    if (generation === undefined) break;
    response = await context.data.query({ ...request, generation });
  }
  return response;
}

async function run(context: QueryContext, sql: string, params: unknown[], prepare: number[] = []): Promise<Table> {
  const asked = performance.now();
  const response = await ask(context, { sql, params, generation: context.generation, ...(prepare.length > 0 ? { prepare } : {}) });
  if (response.ok) context.waited?.(asked, Math.max(asked, performance.now() - response.value.durationMs));
  if (!response.ok) {
    // The missing tables of a failed query still count: the cell re-runs when they appear.
    context.readTables(tablesRead(sql, []));
    const error = new QueryError(response.error.message, sql, response.error.hint);
    if (response.error.waitingFor) throw Object.assign(error, { name: 'WaitingError', waitingFor: response.error.waitingFor });
    throw error;
  }
  const { ipc, tables, columns, rowCount } = response.value;
  context.readTables(tables);
  const table = numericTable(tableFromIPC(ipc));
  relations.set(table, { sql, params });
  // A volatile query would answer a table window with other rows: the runtime holds its result instead.
  if (!isVolatileSql(sql)) sources.set(table, { sql, params, columns, rowCount });
  return table;
}

/**
 * The names a `${}` expression reads (`delayRange[0]` → `delayRange`;
 * property names after a dot are not names). A scan, not a parse: it only
 * decides what the data engine prepares ahead of time.
 */
export function holeNames(hole: string): string[] {
  const withoutStrings = hole.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
  return [...withoutStrings.matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)].map((m) => m[0]);
}

/** A query on a front matter engine: placed by its placeholders' offsets, registered as the local table `as`. */
async function runOnEngine(context: QueryContext, request: { sql: string; params: unknown[]; placeholders: number[] }, engine: string, as?: string): Promise<Table> {
  const { sql, params, placeholders } = request;
  const asked = performance.now();
  const response = await ask(context, { sql, params, placeholders, generation: context.generation, engine, ...(as ? { as } : {}) });
  // What the cell "reads" is the engine: the page re-runs it once a password is given.
  context.readTables([engineTable(engine)]);
  if (!response.ok) {
    // An engine's failure keeps its own name (EngineAuthError, ResultTooLargeError, …): the page offers a password for some.
    throw Object.assign(new QueryError(response.error.message, sql, response.error.hint), { name: response.error.name });
  }
  context.waited?.(asked, Math.max(asked, performance.now() - response.value.durationMs));
  const { ipc, columns, rowCount, registered } = response.value;
  if (registered?.changed) context.tableReplaced?.(registered.table);
  const table = numericTable(tableFromIPC(ipc));
  if (registered) {
    // Its local copy is what windows page through and what later local SQL builds on.
    const local = { sql: `SELECT * FROM ${quoteIdentifier(registered.table)}`, params: [] };
    relations.set(table, local);
    sources.set(table, { ...local, columns, rowCount });
  }
  return table;
}
