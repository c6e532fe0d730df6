/**
 * The range indexes a data engine keeps (see `range-index.ts` for what one
 * is): when to build one, checking it, answering from it, and dropping it.
 *
 * An index is built when a query comes again with new values in one WHERE
 * condition only (the second step of a brush, a range slider moved) and the
 * query has the shape `planRangeIndex` accepts. Before it answers anything
 * it must give the previous answer again, row for row and type for type, as
 * DuckDB gave it from the table; and it must be small (a quarter of its
 * table's rows at most). An index that fails either is dropped and that
 * query is not indexed again. Indexes are keyed by the table versions, the
 * SQL, the changing condition and the other conditions' values: another
 * value elsewhere builds another index; the least recently used beyond
 * `maxIndexes` are dropped.
 */
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import type { ShippedIndex } from './api.ts';
import { rowsOf } from './arrow-values.ts';
import { stableSerialize } from './memo-key.ts';
import { planRangeIndex, type RangeIndexPlan, type RangeIndexRefusal } from './range-index.ts';

/** Runs SQL with `?` parameters on the database the indexes live in; resolves to Arrow IPC. */
export type SqlRunner = (sql: string, params: readonly unknown[]) => Promise<Uint8Array>;

/** A shipped index's bytes: on the way (`pending`), then arrived (`bytes`) or not (`failed`). */
interface Shipped {
  pending: Promise<void>;
  bytes?: Uint8Array;
  failed?: boolean;
}

/** A query's change from the previous answer of its shape: that answer, and the plan and keys of the index that would answer it. */
interface Change {
  before: Previous;
  plan: RangeIndexPlan;
  conditionKey: string;
  key: string;
}

/** An answer an index can give without its table's rows (`RangeIndexes.withoutTable`). */
export interface TablelessAnswer {
  /** Resolves once a shipped index's bytes are here (at most `shippedWaitMs`): awaited outside the engine's statement queue, which never waits on a download. */
  arrived(): Promise<void>;
  /** The answer (in the statement queue, where only bytes already here are loaded); `undefined` when the index could not give it. */
  answer(): Promise<Uint8Array | undefined>;
}

/** How long a query waits for a shipped index's bytes before its table answers instead (default). */
const SHIPPED_WAIT_MS = 10_000;

export interface RangeIndexOptions {
  /** Indexes kept at once (default 8). */
  maxIndexes?: number;
  /** The largest index, as a share of its table's rows (default 0.25). */
  maxShare?: number;
  /** Makes Arrow IPC the table `name` (for indexes the build shipped, and the build's check of them). */
  load?: (name: string, ipc: Uint8Array) => Promise<void>;
  /** Fetches a shipped index's Arrow IPC. */
  fetchShipped?: (url: string) => Promise<Uint8Array>;
  /** How long a query waits for a shipped index's bytes before its table answers instead (default 10 s). */
  shippedWaitMs?: number;
}

/** An index as the build exports it: its key and its rows. */
export interface ExportedIndex {
  key: string;
  ipc: Uint8Array;
}

/** Previous answers kept to check a new index against: the newest queries' only, and only small ones. */
const MAX_REMEMBERED = 64;
const MAX_CHECKED_BYTES = 1024 * 1024;

interface Previous {
  params: readonly unknown[];
  ipc?: Uint8Array;
}

export class RangeIndexes {
  private readonly previous = new Map<string, Previous>();
  private readonly plans = new Map<string, RangeIndexPlan | RangeIndexRefusal>();
  /** Built indexes by key, least recently used first. */
  private readonly built = new Map<string, string>();
  /** Plans whose index was too big or did not answer as the table did. */
  private readonly failed = new Set<string>();
  /** Each built index's plan and the answer it was checked against (an export is checked against it again). */
  private readonly checkedWith = new Map<string, { plan: RangeIndexPlan; checked: Previous }>();
  /** Indexes the build shipped, by key, not loaded yet: their bytes on the way, then arrived. Each is tried once. */
  private shipped = new Map<string, Shipped>();
  /** Bumped by `release`: work begun before it (a build, a load in the engine's queue) does not land after it. */
  private generation = 0;
  private names = 0;
  /** What happened (tests and the bench read it). */
  readonly counts = { built: 0, prepared: 0, answered: 0, dropped: 0, tried: 0, loaded: 0 };

  constructor(private readonly run: SqlRunner, private readonly options: RangeIndexOptions = {}) {}

  /**
   * Answers `sql` with `params` (over tables at `versions`): from an index
   * when one applies, else by `raw()`. Either way the answer is remembered
   * as the one the next call is compared with.
   */
  async answer(sql: string, params: readonly unknown[], versions: string, raw: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const shape = `${versions}\n${sql}`;
    const generation = this.generation;
    const found = this.changeOf(shape, sql, params);
    const indexed = found ? await this.fromIndex(found, params) : undefined;
    const ipc = indexed ?? (await raw());
    if (generation === this.generation) this.remember(shape, params, ipc);
    return ipc;
  }

  /**
   * An index that answers `sql` with `params` without its table's rows —
   * one built or shipped for exactly this change — or `undefined`. The
   * engine then need not wait for the table to load (a first visit's
   * slider, before its data). The change is worked out once, here.
   */
  withoutTable(sql: string, params: readonly unknown[], versions: string): TablelessAnswer | undefined {
    const shape = `${versions}\n${sql}`;
    const found = this.changeOf(shape, sql, params);
    if (!found) return undefined;
    const shipped = this.shipped.get(found.key);
    if (!this.built.has(found.key) && (!shipped || shipped.failed)) return undefined;
    return {
      arrived: async () => {
        if (!shipped || shipped.bytes || shipped.failed) return;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([shipped.pending, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.shippedWaitMs ?? SHIPPED_WAIT_MS)))]);
        clearTimeout(timer);
      },
      answer: async () => {
        const generation = this.generation;
        const ipc = await this.fromIndex(found, params, false);
        if (ipc && generation === this.generation) this.remember(shape, params, ipc);
        return ipc;
      },
    };
  }

  /**
   * The indexes the build shipped (replacing any not loaded yet). Their
   * bytes are fetched now: they are small, and a control's first change
   * should not wait for a download once DuckDB is ready.
   */
  ship(indexes: readonly ShippedIndex[]): void {
    const fetchShipped = this.options.fetchShipped;
    if (!fetchShipped) return;
    this.shipped = new Map(indexes.map((index) => {
      const entry: Shipped = { pending: Promise.resolve() };
      // A failed fetch only means the index is built from the table when needed.
      entry.pending = fetchShipped(index.url).then((bytes) => { entry.bytes = bytes; }, () => { entry.failed = true; });
      return [index.key, entry];
    }));
  }

  /**
   * Every index built so far as Arrow IPC, for the build to ship: each is
   * loaded back from its IPC (as the page will load it) and must give the
   * answer it was checked against again, or it is left out.
   */
  async exportAll(): Promise<ExportedIndex[]> {
    const exported: ExportedIndex[] = [];
    for (const [key, name] of this.built) {
      const { plan, checked } = this.checkedWith.get(key) ?? {};
      if (!plan || !checked?.ipc || !this.options.load) continue;
      // Written again by Arrow: a whole stream, ended as DuckDB's insert needs (its query results are not).
      const ipc = tableToIPC(tableFromIPC(await this.run(`SELECT * FROM ${name}`, [])), 'stream');
      const copy = `__brook_range_${++this.names}`;
      try {
        await this.options.load(copy, ipc);
        const again = await this.run(plan.query(copy), plan.queryParams.map((i) => checked.params[i]));
        if (sameAnswer(tableFromIPC(again), tableFromIPC(checked.ipc))) exported.push({ key, ipc });
      } catch {
        // Not shipped: the page builds it from the table if it needs it.
      } finally {
        await this.drop(copy);
      }
    }
    return exported;
  }

  /** An answer that came from elsewhere (the build's results, the persisted memo): the next query's comparison. */
  noteAnswer(sql: string, params: readonly unknown[], versions: string, ipc: Uint8Array): void {
    this.remember(`${versions}\n${sql}`, params, ipc);
  }

  /**
   * Forgets every index and answer (another notebook takes the database
   * over) and returns the index tables for the caller to drop — at once, so
   * nothing waits for DuckDB when there are none.
   */
  release(): string[] {
    this.generation++;
    const names = [...this.built.values()];
    this.built.clear();
    this.previous.clear();
    this.plans.clear();
    this.failed.clear();
    this.checkedWith.clear();
    this.shipped.clear();
    return names;
  }

  private remember(shape: string, params: readonly unknown[], ipc: Uint8Array): void {
    this.previous.delete(shape);
    this.previous.set(shape, { params: [...params], ipc: ipc.byteLength <= MAX_CHECKED_BYTES ? ipc : undefined });
    if (this.previous.size > MAX_REMEMBERED) this.previous.delete(this.previous.keys().next().value!);
  }

  /**
   * Builds, ahead of the first change, the index for each condition holding
   * one of the parameters `moving` (those that follow a brush), for the
   * values `params` just answered; each is checked against that answer.
   */
  async prepare(sql: string, params: readonly unknown[], versions: string, moving: readonly number[]): Promise<void> {
    const shape = `${versions}\n${sql}`;
    const before = this.previous.get(shape);
    // The index must give the answer to exactly these values again; a newer query replaced them: nothing to check against.
    if (!before?.ipc || stableSerialize(before.params) !== stableSerialize(params)) return;
    const done = new Set<string>();
    for (const param of moving) {
      const found = this.indexFor(shape, sql, params, [param]);
      if (!found || done.has(found.key) || this.built.has(found.key)) continue;
      done.add(found.key);
      const generation = this.generation;
      const name = await this.build(found.plan, params, before, found.conditionKey);
      if (name === undefined) continue;
      if (generation !== this.generation) {
        await this.drop(name);
        return;
      }
      this.built.set(found.key, name);
      this.checkedWith.set(found.key, { plan: found.plan, checked: before });
      this.counts.prepared++;
      await this.evict();
    }
  }

  /** The plan for `changed` parameters of a query and the keys of its index, unless refused or failed before. */
  private indexFor(shape: string, sql: string, params: readonly unknown[], changed: number[]): { plan: RangeIndexPlan; conditionKey: string; key: string } | undefined {
    const planKey = `${shape}\n${changed.join(',')}`;
    let plan = this.plans.get(planKey);
    if (!plan) {
      plan = planRangeIndex(sql, new Set(changed));
      this.plans.set(planKey, plan);
    }
    if ('refused' in plan) return undefined;
    const conditionKey = `${shape}\n${plan.queryParams.join(',')}`;
    if (this.failed.has(conditionKey)) return undefined;
    return { plan, conditionKey, key: `${conditionKey}\n${stableSerialize(plan.buildParams.map((i) => params[i]))}` };
  }

  /** The index that would answer `params` after the previous answer of `shape`: which parameters changed, and its plan and keys. */
  private changeOf(shape: string, sql: string, params: readonly unknown[]): Change | undefined {
    const before = this.previous.get(shape);
    if (!before || before.params.length !== params.length || params.length === 0) return undefined;
    const changed = params.flatMap((value, i) => (stableSerialize(value) === stableSerialize(before.params[i]) ? [] : [i]));
    if (changed.length === 0) return undefined;
    const found = this.indexFor(shape, sql, params, changed);
    return found && { before, ...found };
  }

  private async fromIndex(found: Change, params: readonly unknown[], mayBuild = true): Promise<Uint8Array | undefined> {
    const { before, plan, conditionKey, key } = found;
    let name = this.built.get(key);
    if (name === undefined) {
      const generation = this.generation;
      name = await this.loadShipped(key);
      if (name === undefined && mayBuild && before.ipc) name = await this.build(plan, params, before, conditionKey);
      if (name === undefined) return undefined;
      // Another notebook took the engine over meanwhile: its tables were listed for dropping without this one.
      if (generation !== this.generation) {
        await this.drop(name);
        return undefined;
      }
      this.built.set(key, name);
      this.checkedWith.set(key, { plan, checked: before });
      await this.evict();
    } else {
      this.built.delete(key);
      this.built.set(key, name);
    }
    try {
      const ipc = await this.run(plan.query(name), plan.queryParams.map((i) => params[i]));
      this.counts.answered++;
      return ipc;
    } catch {
      // The table answers instead; this index is not tried again.
      this.failed.add(conditionKey);
      this.built.delete(key);
      this.checkedWith.delete(key);
      await this.drop(name);
      return undefined;
    }
  }

  /**
   * Loads the index the build shipped for `key`, if any; its name, or
   * undefined. Not checked again here: the build loaded these very bytes
   * back into the same DuckDB version and checked them against its answer
   * (`exportAll`), and its key holds the content fingerprints of the rows —
   * the trust the build's results get. Tried once: a failure leaves building
   * it from the table to the caller.
   */
  private async loadShipped(key: string): Promise<string | undefined> {
    // Only bytes already here: this runs in the engine's statement queue, which must not wait on a download.
    const bytes = this.shipped.get(key)?.bytes;
    const { load } = this.options;
    if (bytes === undefined || !load) return undefined;
    this.shipped.delete(key);
    this.counts.tried++;
    const name = `__brook_range_${++this.names}`;
    try {
      await load(name, bytes);
      this.counts.loaded++;
      return name;
    } catch {
      await this.drop(name);
      return undefined;
    }
  }

  /** Builds the index, checks its size and that it gives the previous answer again; its name, or undefined. */
  private async build(plan: RangeIndexPlan, params: readonly unknown[], before: Previous, conditionKey: string): Promise<string | undefined> {
    const name = `__brook_range_${++this.names}`;
    try {
      await this.run(plan.build(name), plan.buildParams.map((i) => params[i]));
      this.counts.built++;
      const sizes = tableFromIPC(await this.run(`SELECT (SELECT count(*) FROM ${name})::DOUBLE AS index_rows, (SELECT count(*) FROM ${plan.table})::DOUBLE AS table_rows`, []));
      const [{ index_rows, table_rows }] = rowsOf(sizes) as { index_rows: number; table_rows: number }[];
      if (index_rows > (this.options.maxShare ?? 0.25) * table_rows) throw new Error('too big');
      const again = await this.run(plan.query(name), plan.queryParams.map((i) => before.params[i]));
      if (!sameAnswer(tableFromIPC(again), tableFromIPC(before.ipc!))) throw new Error('a different answer');
      return name;
    } catch {
      this.failed.add(conditionKey);
      await this.drop(name);
      return undefined;
    }
  }

  private async evict(): Promise<void> {
    while (this.built.size > (this.options.maxIndexes ?? 8)) {
      const [key, name] = this.built.entries().next().value!;
      this.built.delete(key);
      this.checkedWith.delete(key);
      await this.drop(name);
    }
  }

  private async drop(name: string): Promise<void> {
    this.counts.dropped++;
    await this.run(`DROP TABLE IF EXISTS ${name}`, []).catch(() => undefined);
  }
}

/** Same columns (names and types) and the same rows in the same order. */
function sameAnswer(a: Table, b: Table): boolean {
  const fields = (t: Table) => t.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join('|');
  if (fields(a) !== fields(b) || a.numRows !== b.numRows) return false;
  return stableSerialize(rowsOf(a)) === stableSerialize(rowsOf(b));
}
