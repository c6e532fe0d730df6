/**
 * The key-value storage under every notebook's saved data: one IndexedDB
 * database (`brook`, object store `notebooks`) through idb-keyval. Behind an
 * interface so tests can inject a store that fails (quota, corruption).
 * Storage lives on the page only; the runtime worker has no IndexedDB.
 */
import { createStore, getMany, keys, promisifyRequest, update, type UseStore } from 'idb-keyval';
import type { Result } from '../data/api.ts';

export interface KeyValueBackend {
  getMany(keys: IDBValidKey[]): Promise<unknown[]>;
  /**
   * Puts, deletes, then read-modify-writes (`merges`: the stored value → the
   * value to store) in ONE transaction: all of it happens or none (a full disk
   * aborts it whole), and no other tab's write lands between a merge's read
   * and its write.
   */
  batch(puts: [IDBValidKey, unknown][], deletes: IDBValidKey[], merges?: Merge[]): Promise<void>;
  keys(): Promise<IDBValidKey[]>;
  /** Every entry whose key is the array `prefix` or an array starting with it, read in one transaction. */
  entriesUnder(prefix: IDBValidKey[]): Promise<[IDBValidKey, unknown][]>;
  /** Read-modify-write of one key in one transaction. */
  update<T>(key: IDBValidKey, updater: (old: T | undefined) => T): Promise<void>;
}

/** A read-modify-write of one key inside a `batch` transaction. */
export type Merge = [IDBValidKey, (stored: unknown) => unknown];

let defaultStore: UseStore | null = null;

function pageStore(): UseStore {
  return (defaultStore ??= createStore('brook', 'notebooks'));
}

/**
 * Starts opening the page's database now, so that opening it overlaps the
 * app's start (rendering, fetching the notebook) instead of following it.
 * Safe where IndexedDB is missing or blocked: the first read reports that.
 */
export function openStorageEarly(): void {
  if (typeof indexedDB === 'undefined') return;
  try {
    pageStore();
  } catch {
    // Reported by the first read instead.
  }
}

/** The page's IndexedDB store, opened on first use (module load must not need IndexedDB). */
export function idbBackend(): KeyValueBackend {
  const store = pageStore;
  return {
    getMany: (k) => getMany(k, store()),
    // idb-keyval's setMany/delMany are one transaction each; a change that puts and deletes needs both in one.
    batch: (puts, deletes, merges = []) =>
      store()('readwrite', (objects) => {
        for (const [key, value] of puts) objects.put(value, key);
        for (const key of deletes) objects.delete(key);
        for (const [key, merge] of merges) {
          // The put is issued from the read's success callback: the transaction is still active there.
          const read = objects.get(key);
          read.onsuccess = () => objects.put(merge(read.result), key);
        }
        return promisifyRequest(objects.transaction);
      }),
    keys: () => keys(store()),
    entriesUnder: (prefix) =>
      store()('readonly', async (objects) => {
        // Array keys sort element by element, and any array sorts after any string or number:
        // [...prefix, []] is above every key that extends `prefix` with strings or numbers.
        const range = IDBKeyRange.bound(prefix, [...prefix, []]);
        const [found, values] = await Promise.all([promisifyRequest(objects.getAllKeys(range)), promisifyRequest(objects.getAll(range))]);
        return found.map((key, i) => [key, values[i]] as [IDBValidKey, unknown]);
      }),
    update: (key, updater) => update(key, updater, store()),
  };
}

/**
 * Turns a storage exception into a `Result` error with a message a person can
 * act on. A full disk (`QuotaExceededError`) is the common case for big
 * dropped files.
 */
export function storageFailure(what: string, error: unknown): Result<never> {
  const name = error instanceof Error || isDomException(error) ? (error as { name: string }).name : 'Error';
  const detail = error instanceof Error || isDomException(error) ? (error as { message: string }).message : String(error);
  if (name === 'QuotaExceededError') {
    return {
      ok: false,
      error: {
        name: 'QuotaExceededError',
        message: `Browser storage is full: could not save ${what}. Earlier saved values are kept.`,
        hint: 'Reset notebooks you no longer need, or drop smaller files; the browser limits storage per site.',
      },
    };
  }
  return { ok: false, error: { name: 'StorageError', message: `Could not save ${what}: ${detail}` } };
}

function isDomException(error: unknown): boolean {
  return typeof DOMException !== 'undefined' && error instanceof DOMException;
}
