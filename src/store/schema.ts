/**
 * How a notebook's saved data is laid out in the key-value store, how each
 * stored value is checked on the way in, and how older layouts migrate.
 * Pure: no IndexedDB here.
 *
 * Current layout (schema 1), every key an array starting `['notebook', id]`:
 *   meta   → { schemaVersion: 1, files: { name, type }[] }  (written with the first file)
 *   inputs → widget values by key
 *   state  → the notebook's `state` object
 *   draft  → edited notebook text
 *   file/<name> → the dropped file's bytes (a Blob — the File itself, stored
 *                 without copying it on the page — or an ArrayBuffer from older saves)
 *   lastRun → the outputs of the last settled run (`LastRun`), optional;
 *             older readers of schema 1 ignore it
 * Parts are separate keys so a slider drag rewrites a few bytes, not the files.
 */

import type { CellEvent } from '../runtime/protocol.ts';

/** A cell event that is not pending. */
export type SettledEvent = Exclude<CellEvent, { status: 'pending' }>;

/** Bump when the layout changes, and add a step to `MIGRATIONS`. */
export const SCHEMA_VERSION = 1;

/** A part of one notebook's saved data: `meta`, `inputs`, `state`, `draft`, `file:<name>`, or `legacy` (schema 0). */
export type PartName = string;

/** The stored values of one notebook by part name, as read (unchecked). */
export type Parts = Map<PartName, unknown>;

export interface FileEntry {
  name: string;
  type: string;
  /** The table it became, when not simply named after the file (a clash gave it `my_data_2`). */
  table?: string;
}

/**
 * The cells' outputs after the last settled run, and what they were computed
 * from (`basis`: a fingerprint of notebook text, inputs and state). Shown on
 * the next visit before the runtime is up, only when the basis still matches.
 */
export interface LastRun {
  basis: string;
  savedAt: number;
  /** Settled events by cell id, as the runtime sent them. */
  cells: Record<string, SettledEvent>;
}

export interface Meta {
  schemaVersion: number;
  files: FileEntry[];
}

/** The IndexedDB key of a part. */
export function partKey(notebookId: string, part: PartName): IDBValidKey {
  if (part === 'legacy') return ['notebook', notebookId];
  if (part.startsWith('file:')) return ['notebook', notebookId, 'file', part.slice(5)];
  return ['notebook', notebookId, part];
}

/** The part a key names, or `null` when it belongs to another notebook (or is not a notebook key). */
export function partOf(notebookId: string, key: IDBValidKey): PartName | null {
  if (!Array.isArray(key) || key[0] !== 'notebook' || key[1] !== notebookId) return null;
  if (key.length === 2) return 'legacy';
  if (key.length === 3 && typeof key[2] === 'string') return key[2];
  if (key.length === 4 && key[2] === 'file' && typeof key[3] === 'string') return `file:${key[3]}`;
  return null;
}

/** Where an unreadable value is set aside (kept for recovery, never read again by Brook). */
export function quarantineKey(notebookId: string, part: PartName, at: number): IDBValidKey {
  return ['quarantine', notebookId, part, at];
}

export function isQuarantineKeyOf(notebookId: string, key: IDBValidKey): boolean {
  return Array.isArray(key) && key[0] === 'quarantine' && key[1] === notebookId;
}

/** The schema version of stored parts: `null` when nothing is stored. */
export function storedVersion(parts: Parts): number | null {
  if (parts.has('meta')) {
    const meta = parts.get('meta');
    const version = isRecord(meta) ? meta.schemaVersion : undefined;
    return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : Number.NaN;
  }
  if (parts.has('legacy')) return 0;
  // Schema 1 writes `meta` only with files, so split parts without it are schema 1.
  return parts.size > 0 ? 1 : null;
}

/**
 * Steps from version `n` to `n + 1`. Each takes and returns the parts of one
 * notebook; a step that finds a value it cannot read throws, and the loader
 * sets the old data aside instead of losing it.
 */
export const MIGRATIONS: Record<number, (parts: Parts) => Parts> = {
  /**
   * Schema 0 (the first prototype) kept one record per notebook under
   * `['notebook', id]`: `{ inputs, state, draft?, files?: {name, type, bytes}[] }`.
   * Schema 1 splits it so frequent saves stay small.
   */
  0: (parts) => {
    const legacy = parts.get('legacy');
    if (!isRecord(legacy)) throw new Error('the saved record is not an object');
    const next: Parts = new Map();
    const files = Array.isArray(legacy.files) ? legacy.files : [];
    const entries: FileEntry[] = [];
    for (const file of files) {
      if (!isRecord(file) || typeof file.name !== 'string' || !(file.bytes instanceof ArrayBuffer)) continue;
      entries.push({ name: file.name, type: typeof file.type === 'string' ? file.type : '' });
      next.set(`file:${file.name}`, file.bytes);
    }
    next.set('meta', { schemaVersion: 1, files: entries } satisfies Meta);
    if (legacy.inputs !== undefined) next.set('inputs', legacy.inputs);
    if (legacy.state !== undefined) next.set('state', legacy.state);
    if (legacy.draft !== undefined) next.set('draft', legacy.draft);
    return next;
  },
};

/** Applies migration steps from `version` up to `SCHEMA_VERSION`. Throws when a step cannot read the data. */
export function migrate(parts: Parts, version: number): Parts {
  let current = parts;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from schema ${v}`);
    current = step(current);
  }
  return current;
}

// ─── decoding: a stored value is trusted only after these checks ────────────

export function decodeMeta(value: unknown): Meta | null {
  if (!isRecord(value) || typeof value.schemaVersion !== 'number' || !Array.isArray(value.files)) return null;
  const files: FileEntry[] = [];
  for (const file of value.files) {
    if (!isRecord(file) || typeof file.name !== 'string' || typeof file.type !== 'string') return null;
    files.push(typeof file.table === 'string' ? { name: file.name, type: file.type, table: file.table } : { name: file.name, type: file.type });
  }
  return { schemaVersion: value.schemaVersion, files };
}

/** Inputs and state are plain objects (structured clone keeps them so). */
export function decodeObject(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null;
}

export function decodeDraft(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A saved file's contents: a Blob (current) or an ArrayBuffer (older saves). */
export function decodeBytes(value: unknown): ArrayBuffer | Blob | null {
  return value instanceof ArrayBuffer || value instanceof Blob ? value : null;
}

/** A last run: its cells must look like settled events (their outputs are sanitized again when rendered). */
export function decodeLastRun(value: unknown): LastRun | null {
  if (!isRecord(value) || typeof value.basis !== 'string' || typeof value.savedAt !== 'number' || !isRecord(value.cells)) return null;
  for (const [id, event] of Object.entries(value.cells)) {
    if (!isRecord(event) || event.cell !== id || !isRecord(event.run) || !Array.isArray(event.outputs)) return null;
    if (event.status !== 'fulfilled' && !(event.status === 'rejected' && isRecord(event.error))) return null;
  }
  return value as unknown as LastRun;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
