/**
 * Changes to a saved object (widget values, `state`) as keys set and keys
 * removed. Saving a change instead of the whole object lets two tabs of one
 * notebook each save what *they* changed, merged into what is stored in one
 * transaction: neither tab's values are overwritten by the other's stale copy.
 */
import { stableSerialize } from '../data/memo-key.ts';

export interface ObjectChanges {
  set: Record<string, unknown>;
  removed: string[];
}

/** What changed from `before` to `after`, key by key (values compared by content). */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): ObjectChanges {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before) || !sameValue(before[key], value)) set[key] = value;
  }
  const removed = Object.keys(before).filter((key) => !(key in after));
  return { set, removed };
}

/** True when there is nothing to save. */
export function isEmptyChange(changes: ObjectChanges): boolean {
  return changes.removed.length === 0 && Object.keys(changes.set).length === 0;
}

/** `base` with `changes` applied (a new object). */
export function applyChanges(base: Record<string, unknown>, changes: ObjectChanges): Record<string, unknown> {
  const next = { ...base, ...changes.set };
  for (const key of changes.removed) delete next[key];
  return next;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return stableSerialize(a) === stableSerialize(b);
  } catch {
    return false; // a cycle: cannot compare, so save it
  }
}
