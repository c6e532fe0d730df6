/**
 * Slow query results, kept in IndexedDB across reloads. Keys are per notebook
 * and built from content fingerprints (not in-memory versions), so after a
 * reload the engine can answer from here as soon as it knows the fingerprints
 * of the tables a query reads — before DuckDB has finished instantiating — and
 * revalidate afterwards. An entry that cannot be read back is dropped, never
 * thrown: a broken cache must not break a notebook.
 */
import { tableFromIPC } from 'apache-arrow';
import { clear, createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import type { ColumnInfo } from '../runtime/protocol.ts';

/** What is stored per result. */
export interface PersistedResult {
  ipc: Uint8Array;
  rowCount: number;
  columns: ColumnInfo[];
  tables: string[];
  savedAt: number;
}

/** Results slower than this are worth a disk write. */
export const PERSIST_AFTER_MS = 50;
/** Larger results are not persisted (IndexedDB quota is shared with saved state). */
export const PERSIST_MAX_BYTES = 32 * 1024 * 1024;

function isPersistedResult(value: unknown): value is PersistedResult {
  const v = value as PersistedResult | undefined;
  return typeof v === 'object' && v !== null && v.ipc instanceof Uint8Array && typeof v.rowCount === 'number'
    && Array.isArray(v.columns) && Array.isArray(v.tables);
}

export class PersistedMemo {
  private readonly prefix: string;

  /** `store` defaults to the `brook-memo` database, separate from saved notebook state. */
  constructor(notebookId: string, private readonly store: UseStore = createStore('brook-memo', 'results')) {
    this.prefix = `${notebookId}\u0001`;
  }

  /** The stored result for `key`, or `undefined` (missing, unreadable or corrupt; corrupt entries are deleted). */
  async get(key: string): Promise<PersistedResult | undefined> {
    let value: unknown;
    try {
      value = await get(this.prefix + key, this.store);
    } catch {
      return undefined;
    }
    if (value === undefined) return undefined;
    try {
      if (!isPersistedResult(value)) throw new Error('bad shape');
      // Decoding proves the bytes are a whole Arrow stream with the promised rows.
      if (tableFromIPC(value.ipc).numRows !== value.rowCount) throw new Error('row count mismatch');
      return value;
    } catch {
      await del(this.prefix + key, this.store).catch(() => {});
      return undefined;
    }
  }

  /** Stores a result; failures (quota, private mode) are ignored. Returns whether it was written. */
  async put(key: string, result: Omit<PersistedResult, 'savedAt'>): Promise<boolean> {
    if (result.ipc.byteLength > PERSIST_MAX_BYTES) return false;
    try {
      await set(this.prefix + key, { ...result, savedAt: Date.now() }, this.store);
      return true;
    } catch {
      return false;
    }
  }

  /** Deletes this notebook's entries (the reset action). */
  async clear(): Promise<void> {
    try {
      const mine = (await keys(this.store)).filter((k) => typeof k === 'string' && k.startsWith(this.prefix));
      if (mine.length === (await keys(this.store)).length) await clear(this.store);
      else await Promise.all(mine.map((k) => del(k, this.store)));
    } catch {
      // Nothing to do: an unreadable store holds nothing we can use either.
    }
  }
}
