/**
 * One notebook's saved data in IndexedDB: widget values, the `state` object,
 * dropped files and the edited draft. Restored before the first run; cleared
 * by `reset()`. Other notebooks' data is never read or touched.
 *
 * Guarantees:
 * - one logical change is one IndexedDB transaction, so nothing is half-written;
 * - a failed write (full disk) is a `Result` error, never an exception;
 * - a stored value that does not decode is set aside under a quarantine key
 *   with a notice, and the notebook starts without it;
 * - frequent saves (slider drags, typing) are debounced; `flush()` writes the
 *   pending ones at once (call it on `pagehide`).
 */
import type { Result } from '../data/api.ts';
import { idbBackend, storageFailure, type KeyValueBackend, type Merge } from './backend.ts';
import { applyChanges, changesBetween, isEmptyChange, type ObjectChanges } from './changes.ts';
import {
  decodeBytes,
  decodeDraft,
  decodeLastRun,
  decodeMeta,
  decodeObject,
  isQuarantineKeyOf,
  migrate,
  partKey,
  partOf,
  quarantineKey,
  SCHEMA_VERSION,
  storedVersion,
  type FileEntry,
  type LastRun,
  type Meta,
  type Parts,
} from './schema.ts';

export interface SavedFile {
  name: string;
  bytes: ArrayBuffer;
  /** MIME type as the browser reported it ('' when unknown). */
  type: string;
  /** The table it became, when saved with one (see `FileEntry.table`). */
  table?: string;
}

export interface LoadedNotebook {
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
  files: SavedFile[];
  draft?: string;
  /** The outputs of the last settled run, when saved (a cache: see `LastRun`). */
  lastRun?: LastRun;
  /** Things the person should know (data set aside, storage unavailable). */
  notices: string[];
}

export interface NotebookStoreOptions {
  /** Defaults to the page's IndexedDB (`brook` / `notebooks`). */
  backend?: KeyValueBackend;
  /** Quiet time before a debounced save is written. */
  debounceMs?: number;
  /**
   * Told of every change this store wrote, once it is written (the page
   * passes it on to other tabs of the notebook: src/client/tab-sync.ts).
   */
  onWritten?: (change: StoredChange) => void;
}

/** A change this store wrote: keys of widget values or `state`, or a saved or removed file. */
export type StoredChange =
  | { kind: 'inputs' | 'state'; changes: ObjectChanges }
  | { kind: 'file'; name: string; table?: string }
  | { kind: 'file-removed'; name: string };

type Debounced = 'inputs' | 'state' | 'draft';

const LABEL: Record<Debounced, string> = {
  inputs: 'widget values',
  state: 'the state object',
  draft: 'the edited notebook',
};

interface Pending {
  value: unknown;
  timer: ReturnType<typeof setTimeout>;
  waiters: ((result: Result<void>) => void)[];
}

const OK: Result<void> = { ok: true, value: undefined };

/** Opens the saved data of one notebook (nothing is read until `load`). */
export function openNotebookStore(notebookId: string, options: NotebookStoreOptions = {}): NotebookStore {
  return new NotebookStore(notebookId, options);
}

export class NotebookStore {
  private readonly backend: KeyValueBackend;
  private readonly debounceMs: number;
  /** The file index as last written; saved together with file bytes. */
  private files: FileEntry[] = [];
  private readonly pending = new Map<Debounced, Pending>();
  /** File changes read-modify-write the index; they run one at a time. */
  private fileQueue: Promise<unknown> = Promise.resolve();
  /**
   * Widget values and `state` as this tab last saw them stored: a save writes
   * only the keys that differ from these, merged into the stored object.
   */
  private readonly base: Record<'inputs' | 'state', Record<string, unknown>> = { inputs: {}, state: {} };
  private readonly onWritten: (change: StoredChange) => void;

  constructor(
    readonly notebookId: string,
    options: NotebookStoreOptions = {},
  ) {
    this.backend = options.backend ?? idbBackend();
    this.debounceMs = options.debounceMs ?? 250;
    this.onWritten = options.onWritten ?? (() => {});
  }

  /** Reads everything saved for this notebook, migrating and quarantining as needed. Never throws. */
  async load(): Promise<LoadedNotebook> {
    const result: LoadedNotebook = { inputs: {}, state: {}, files: [], notices: [] };
    let parts: Parts;
    try {
      parts = await this.readParts();
    } catch (error) {
      result.notices.push(`Saved data is unavailable in this browser (${message(error)}); changes will not be kept.`);
      return result;
    }
    const version = storedVersion(parts);
    if (version === null) return result;
    if (Number.isNaN(version) || version > SCHEMA_VERSION) {
      const why = Number.isNaN(version) ? 'has no readable version' : `was written by a newer Brook (schema ${version})`;
      await this.quarantine(parts, [...parts.keys()], result.notices, `Saved data of this notebook ${why}`);
      return result;
    }
    if (version < SCHEMA_VERSION) {
      const migrated = await this.upgrade(parts, version, result.notices);
      if (!migrated) return result;
      parts = migrated;
    }
    await this.decodeInto(parts, result);
    this.base.inputs = { ...result.inputs };
    this.base.state = { ...result.state };
    return result;
  }

  /**
   * Another tab wrote `changes` (already stored): take them as the new base,
   * and into a save still waiting here, so that save does not write the
   * older values back.
   */
  adopt(kind: 'inputs' | 'state', changes: ObjectChanges): void {
    this.base[kind] = applyChanges(this.base[kind], changes);
    const pending = this.pending.get(kind);
    if (pending) pending.value = applyChanges(pending.value as Record<string, unknown>, changes);
  }

  /**
   * Reads a part back after another tab wrote it: the keys that differ from
   * what this tab last saw are adopted (see `adopt`) and returned; `null` when
   * it cannot be read.
   */
  async reread(kind: 'inputs' | 'state'): Promise<ObjectChanges | null> {
    try {
      const [stored] = await this.backend.getMany([partKey(this.notebookId, kind)]);
      const changes = changesBetween(this.base[kind], decodeObject(stored) ?? {});
      this.adopt(kind, changes);
      return changes;
    } catch {
      return null;
    }
  }

  /** The bytes of a saved file (another tab saved it), or `null`. */
  async readFile(name: string): Promise<SavedFile | null> {
    try {
      const [meta, stored] = await this.backend.getMany([partKey(this.notebookId, 'meta'), partKey(this.notebookId, `file:${name}`)]);
      const entry = decodeMeta(meta)?.files.find((f) => f.name === name);
      const value = decodeBytes(stored);
      const bytes = value instanceof Blob ? await value.arrayBuffer() : value;
      return entry && bytes ? { ...entry, bytes } : null;
    } catch {
      return null;
    }
  }

  /** Saves widget values (debounced). Resolves when written, or superseded by a later value that was. */
  saveInputs(inputs: Record<string, unknown>): Promise<Result<void>> {
    return this.debounce('inputs', inputs);
  }

  /** Saves the `state` object (debounced). */
  saveState(state: Record<string, unknown>): Promise<Result<void>> {
    return this.debounce('state', state);
  }

  /** Saves the edited notebook text (debounced). */
  saveDraft(text: string): Promise<Result<void>> {
    return this.debounce('draft', text);
  }

  /** Forgets the draft (and any pending draft save). */
  async clearDraft(): Promise<Result<void>> {
    this.cancel('draft');
    return this.write('clearing the draft', [], [partKey(this.notebookId, 'draft')]);
  }

  /**
   * Saves a dropped file's bytes and the file index in one transaction;
   * replaces a file of the same name. Pass the `File` itself when there is
   * one: IndexedDB keeps a Blob without the page serializing its bytes.
   */
  saveFile(file: { name: string; bytes: ArrayBuffer | Blob; type?: string; table?: string }): Promise<Result<void>> {
    return this.serial(() => this.writeFile(file));
  }

  /**
   * Saves the outputs of the last settled run (replacing the previous one).
   * A cache: callers may ignore a failure, nothing else depends on it.
   */
  saveLastRun(lastRun: LastRun): Promise<Result<void>> {
    return this.write('the last results', [[partKey(this.notebookId, 'lastRun'), lastRun]]);
  }

  /** Removes a saved file. */
  removeFile(name: string): Promise<Result<void>> {
    return this.serial(() => this.deleteFile(name));
  }

  private async writeFile(file: { name: string; bytes: ArrayBuffer | Blob; type?: string; table?: string }): Promise<Result<void>> {
    const entry: FileEntry = { name: file.name, type: file.type ?? '' };
    if (file.table) entry.table = file.table;
    // The index is read and written in the transaction that stores the bytes: a file another
    // tab saved meanwhile stays listed.
    const result = await this.write(`the file ${file.name}`, [[partKey(this.notebookId, `file:${file.name}`), file.bytes]], [], [
      this.indexMerge((files) => [...files.filter((f) => f.name !== file.name), entry]),
    ]);
    if (result.ok) this.onWritten({ kind: 'file', name: file.name, table: file.table });
    return result;
  }

  private async deleteFile(name: string): Promise<Result<void>> {
    const result = await this.write(`the removal of ${name}`, [], [partKey(this.notebookId, `file:${name}`)], [
      this.indexMerge((files) => files.filter((f) => f.name !== name)),
    ]);
    if (result.ok) this.onWritten({ kind: 'file-removed', name });
    return result;
  }

  /** A read-modify-write of the file index (which keeps the stored schema version). */
  private indexMerge(change: (files: FileEntry[]) => FileEntry[]): Merge {
    return [partKey(this.notebookId, 'meta'), (stored) => {
      const files = change(decodeMeta(stored)?.files ?? []);
      this.files = files;
      return this.meta(files);
    }];
  }

  /** Writes every debounced save now (call on `pagehide`; the page may not get another chance). */
  async flush(): Promise<Result<void>> {
    if (this.pending.size === 0) return OK;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    for (const [, p] of batch) clearTimeout(p.timer);
    const what = batch.map(([kind]) => LABEL[kind]).join(', ');
    const puts: [IDBValidKey, unknown][] = [];
    const merges: Merge[] = [];
    const written: StoredChange[] = [];
    for (const [kind, p] of batch) {
      if (kind === 'draft') {
        puts.push([partKey(this.notebookId, kind), p.value]);
        continue;
      }
      // Only the keys this tab changed, merged into what is stored (another tab may have saved others).
      const changes = changesBetween(this.base[kind], p.value as Record<string, unknown>);
      if (isEmptyChange(changes)) continue;
      merges.push([partKey(this.notebookId, kind), (stored) => applyChanges(decodeObject(stored) ?? {}, changes)]);
      written.push({ kind, changes });
    }
    const result = puts.length + merges.length === 0 ? OK : await this.write(what, puts, [], merges);
    if (result.ok) {
      for (const change of written) {
        if (change.kind !== 'inputs' && change.kind !== 'state') continue;
        this.base[change.kind] = applyChanges(this.base[change.kind], change.changes);
        this.onWritten(change);
      }
    }
    for (const [, p] of batch) for (const resolve of p.waiters) resolve(result);
    return result;
  }

  /** Clears this notebook's inputs, state, files, draft and quarantined data; other notebooks are untouched. */
  async reset(): Promise<Result<void>> {
    for (const kind of [...this.pending.keys()]) this.cancel(kind);
    try {
      const all = await this.backend.keys();
      const mine = all.filter((k) => partOf(this.notebookId, k) !== null || isQuarantineKeyOf(this.notebookId, k));
      if (mine.length) await this.backend.batch([], mine);
      this.files = [];
      this.base.inputs = {};
      this.base.state = {};
      return OK;
    } catch (error) {
      return storageFailure('the reset of this notebook', error);
    }
  }

  // ─── internals ────────────────────────────────────────────────────────────

  private async readParts(): Promise<Parts> {
    // One transaction for keys and values: opening a notebook waits on this read.
    const entries = await this.backend.entriesUnder(['notebook', this.notebookId]);
    const parts: Parts = new Map();
    for (const [key, value] of entries) {
      const part = partOf(this.notebookId, key);
      if (part !== null) parts.set(part, value);
    }
    return parts;
  }

  /** Migrates to the current schema and writes it (new layout in one transaction, then old keys removed). */
  private async upgrade(parts: Parts, version: number, notices: string[]): Promise<Parts | null> {
    let next: Parts;
    try {
      next = migrate(parts, version);
    } catch (error) {
      await this.quarantine(parts, [...parts.keys()], notices, `Saved data of this notebook (schema ${version}) could not be upgraded: ${message(error)}`);
      return null;
    }
    const entries = [...next.entries()].map(([part, value]) => [partKey(this.notebookId, part), value] as [IDBValidKey, unknown]);
    const stale = [...parts.keys()].filter((part) => !next.has(part)).map((part) => partKey(this.notebookId, part));
    try {
      await this.backend.batch(entries, stale);
    } catch (error) {
      // The migrated data is still used for this visit; the old layout stays on disk for next time.
      notices.push(`Saved data was upgraded for this visit but could not be rewritten (${message(error)}).`);
    }
    return next;
  }

  /** Checks each part; unreadable ones are quarantined (a notice each), the rest fill `result`. */
  private async decodeInto(parts: Parts, result: LoadedNotebook): Promise<void> {
    const bad: string[] = [];
    const meta = parts.has('meta') ? decodeMeta(parts.get('meta')) : { schemaVersion: SCHEMA_VERSION, files: [] };
    if (!meta) bad.push('meta');
    const inputs = parts.has('inputs') ? decodeObject(parts.get('inputs')) : {};
    if (inputs) result.inputs = inputs;
    else bad.push('inputs');
    const state = parts.has('state') ? decodeObject(parts.get('state')) : {};
    if (state) result.state = state;
    else bad.push('state');
    if (parts.has('draft')) {
      const draft = decodeDraft(parts.get('draft'));
      if (draft !== null) result.draft = draft;
      else bad.push('draft');
    }
    if (parts.has('lastRun')) {
      const lastRun = decodeLastRun(parts.get('lastRun'));
      // Only a cache of outputs: one that does not decode is dropped without a notice.
      if (lastRun) result.lastRun = lastRun;
      else await this.write('dropping unreadable last results', [], [partKey(this.notebookId, 'lastRun')]);
    }
    const index = meta?.files ?? [];
    for (const entry of index) {
      const part = `file:${entry.name}`;
      const stored = decodeBytes(parts.get(part));
      const bytes = stored instanceof Blob ? await stored.arrayBuffer().catch(() => null) : stored;
      if (bytes) result.files.push({ ...entry, bytes });
      else if (parts.has(part)) bad.push(part);
      else result.notices.push(`The saved file ${entry.name} is missing; drop it again to restore its table.`);
    }
    // File bytes no index entry names (a crash between writes of an older version): set aside too.
    for (const part of parts.keys()) {
      if (part.startsWith('file:') && !index.some((f) => `file:${f.name}` === part)) bad.push(part);
    }
    this.files = result.files.map(({ bytes: _, ...entry }) => entry);
    if (bad.length) {
      // Also rewrite a clean index, so the next load does not trip over the same parts.
      const index = !meta || result.files.length !== meta.files.length ? this.meta(this.files) : null;
      await this.quarantine(parts, bad, result.notices, 'Some saved data of this notebook could not be read', index);
    }
  }

  /**
   * Moves parts to quarantine keys (kept for recovery, never read by Brook)
   * and removes them from the notebook, in one transaction; optionally
   * writes a repaired index in the same transaction.
   */
  private async quarantine(parts: Parts, names: string[], notices: string[], why: string, index: Meta | null = null): Promise<void> {
    const readable = names.map((n) => (n.startsWith('file:') ? `file ${n.slice(5)}` : n === 'legacy' ? 'record' : n));
    notices.push(`${why} (${readable.join(', ')}); it was set aside and the notebook starts without it.`);
    const at = Date.now();
    const puts: [IDBValidKey, unknown][] = names.map((n) => [quarantineKey(this.notebookId, n, at), parts.get(n)]);
    if (index) puts.push([partKey(this.notebookId, 'meta'), index]);
    const deletes = names.filter((n) => !(index && n === 'meta')).map((n) => partKey(this.notebookId, n));
    try {
      await this.backend.batch(puts, deletes);
    } catch {
      // Best effort: the data is already ignored for this visit, and is set aside again next time.
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.fileQueue.then(work);
    this.fileQueue = next.catch(() => undefined);
    return next;
  }

  private meta(files: FileEntry[]): Meta {
    return { schemaVersion: SCHEMA_VERSION, files };
  }

  private debounce(kind: Debounced, value: unknown): Promise<Result<void>> {
    return new Promise((resolve) => {
      const previous = this.pending.get(kind);
      if (previous) clearTimeout(previous.timer);
      const timer = setTimeout(() => void this.flush(), this.debounceMs);
      this.pending.set(kind, { value, timer, waiters: [...(previous?.waiters ?? []), resolve] });
    });
  }

  private cancel(kind: Debounced): void {
    const pending = this.pending.get(kind);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(kind);
    for (const resolve of pending.waiters) resolve(OK);
  }

  /** One transaction of puts, deletes and merges; failures become `Result` errors. */
  private async write(what: string, entries: [IDBValidKey, unknown][], deletes: IDBValidKey[] = [], merges: Merge[] = []): Promise<Result<void>> {
    try {
      await this.backend.batch(entries, deletes, merges);
      return OK;
    } catch (error) {
      return storageFailure(what, error);
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
