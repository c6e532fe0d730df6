/**
 * The in-memory query memo. Keys come from `memoKey` (normalized SQL, params,
 * stamps of the tables read); each entry also remembers the table names it
 * read so replacing a table drops exactly its entries. Identical queries in
 * flight share one execution. A rejected computation is never stored, so the
 * next call runs again. Bounded by bytes, least recently used first out.
 */

export type CacheHit = 'miss' | 'memory' | 'inflight';

interface Entry<V> {
  value: V;
  bytes: number;
  tables: readonly string[];
}

interface Flight<V> {
  promise: Promise<V>;
  tables: readonly string[];
  /** Set when a table it reads was replaced mid-flight: its result must not be stored. */
  stale: boolean;
}

export interface QueryCacheOptions<V> {
  /** Upper bound of the summed `sizeOf` of stored values. */
  maxBytes: number;
  sizeOf: (value: V) => number;
}

export class QueryCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly flights = new Map<string, Flight<V>>();
  private bytes = 0;

  constructor(private readonly options: QueryCacheOptions<V>) {}

  /** Total bytes held. */
  get size(): number {
    return this.bytes;
  }

  /** Number of stored entries. */
  get count(): number {
    return this.entries.size;
  }

  /** The stored value for `key` (and marks it recently used), or `undefined`. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** True when `key` is stored (does not touch recency). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * The value for `key`: from memory, from an identical computation in flight,
   * or by running `compute` once. `tables` are the tables the query reads.
   */
  async run(key: string, tables: readonly string[], compute: () => Promise<V>): Promise<{ value: V; hit: CacheHit }> {
    const stored = this.get(key);
    if (stored !== undefined) return { value: stored, hit: 'memory' };
    const flight = this.flights.get(key);
    if (flight) return { value: await flight.promise, hit: 'inflight' };
    const mine: Flight<V> = { promise: Promise.resolve().then(compute), tables, stale: false };
    this.flights.set(key, mine);
    try {
      const value = await mine.promise;
      if (!mine.stale) this.set(key, tables, value);
      return { value, hit: 'miss' };
    } finally {
      // Success or failure, the flight is over: a rejected promise is never reused.
      if (this.flights.get(key) === mine) this.flights.delete(key);
    }
  }

  /** Stores a value computed elsewhere (e.g. read from the persisted memo). */
  set(key: string, tables: readonly string[], value: V): void {
    const bytes = this.options.sizeOf(value);
    this.delete(key);
    // A value larger than the whole budget would evict everything and still not fit.
    if (bytes > this.options.maxBytes) return;
    this.entries.set(key, { value, bytes, tables });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  /** Drops every entry and in-flight result that reads `table`; returns how many entries were dropped. */
  invalidateTable(table: string): number {
    const name = table.toLowerCase();
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.tables.includes(name)) { this.delete(key); dropped++; }
    }
    for (const [key, flight] of this.flights) {
      if (flight.tables.includes(name)) { flight.stale = true; this.flights.delete(key); }
    }
    return dropped;
  }

  /** Drops the entry for `key` (e.g. one too old to answer), if stored. */
  forget(key: string): void {
    this.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    for (const flight of this.flights.values()) flight.stale = true;
    this.flights.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
