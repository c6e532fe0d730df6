/**
 * The studio's list of recently opened notebooks, newest first. Kept in the
 * same IndexedDB store under the key `recent`; a damaged list is replaced.
 */
import type { Result } from '../data/api.ts';
import { idbBackend, storageFailure, type KeyValueBackend } from './backend.ts';

/** How the notebook was opened (the client's `SessionOrigin`); stored as given. */
export type RecentOrigin = { kind: string; [field: string]: unknown };

export interface RecentNotebook {
  id: string;
  title: string;
  origin: RecentOrigin;
  /** Epoch milliseconds of the last open. */
  openedAt: number;
}

const RECENT_KEY = 'recent';
/** Enough for a home screen; older entries fall off. */
export const RECENT_LIMIT = 20;

/** The recently opened notebooks, newest first. Never throws: unreadable storage gives an empty list. */
export async function recentNotebooks(backend: KeyValueBackend = idbBackend()): Promise<RecentNotebook[]> {
  try {
    const [value] = await backend.getMany([RECENT_KEY]);
    return decodeRecent(value);
  } catch {
    return [];
  }
}

/** Records that a notebook was opened (moves it to the top; one entry per id). */
export async function touchRecent(
  entry: { id: string; title: string; origin: RecentOrigin },
  backend: KeyValueBackend = idbBackend(),
  now: number = Date.now(),
): Promise<Result<void>> {
  try {
    await backend.update<unknown>(RECENT_KEY, (old) => {
      const others = decodeRecent(old).filter((r) => r.id !== entry.id);
      return [{ id: entry.id, title: entry.title, origin: entry.origin, openedAt: now }, ...others].slice(0, RECENT_LIMIT);
    });
    return { ok: true, value: undefined };
  } catch (error) {
    return storageFailure('the list of recent notebooks', error);
  }
}

/** Keeps only well-formed entries, newest first. */
export function decodeRecent(value: unknown): RecentNotebook[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (r): r is RecentNotebook =>
        r !== null &&
        typeof r === 'object' &&
        typeof r.id === 'string' &&
        typeof r.title === 'string' &&
        typeof r.openedAt === 'number' &&
        r.origin !== null &&
        typeof r.origin === 'object' &&
        typeof r.origin.kind === 'string',
    )
    .sort((a, b) => b.openedAt - a.openedAt);
}
