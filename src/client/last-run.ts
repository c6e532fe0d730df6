/**
 * The last run's outputs, kept so that a repeat visit shows them at once —
 * before the runtime worker, DuckDB and the data are up — and the runtime
 * then replaces them cell by cell as it re-runs (marimo's session cache and
 * a stale-while-revalidate page work the same way). Pure: the session saves
 * and loads them through the notebook store.
 *
 * Outputs are shown again only when they were computed from the same
 * notebook text, widget values and `state` (the run's *basis*). Data behind
 * a URL may have changed since; the runtime's re-run corrects that a moment
 * later, and the page marks restored cells until it has.
 */
import { stableSerialize } from '../data/memo-key.ts';
import { RESTORED_GENERATION, isRestored, type CellEvent } from '../runtime/protocol.ts';
import type { LastRun, SettledEvent } from '../store/schema.ts';
import { fingerprint } from './notebook-id.ts';

/** Outputs larger than this (roughly, in characters) are not kept: a cache must stay cheap to write on every run. */
export const LAST_RUN_LIMIT = 4_000_000;

/**
 * What a run's outputs depend on: the notebook text, widget values and
 * `state`, and, in a built app, the content fingerprints of the data the
 * build read (`data`), so a rebuild with changed data never matches outputs
 * saved before it.
 */
export function runBasis(text: string, inputs: Record<string, unknown>, state: Record<string, unknown>, data?: Record<string, string>): string {
  return fingerprint(stableSerialize(data ? [text, inputs, state, data] : [text, inputs, state]));
}

/**
 * The record to save after a run, or `null` when there is nothing worth
 * keeping: a cell is still pending, some output came from an earlier visit,
 * no cell has run, or the outputs are larger than `limit`.
 */
export function lastRunOf(cells: Record<string, CellEvent>, basis: string, now: number, limit = LAST_RUN_LIMIT): LastRun | null {
  const settled: Record<string, SettledEvent> = {};
  for (const [id, event] of Object.entries(cells)) {
    if (event.status === 'pending' || isRestored(event)) return null;
    settled[id] = event;
  }
  if (Object.keys(settled).length === 0 || approximateSize(settled) > limit) return null;
  return { basis, savedAt: now, cells: settled };
}

/**
 * The events to show before the runtime's first run: the last run's, when
 * its basis matches, re-stamped with `RESTORED_GENERATION` so any event of
 * this visit's runtime replaces them. Only cells the notebook still has.
 */
export function restoredCells(lastRun: LastRun | undefined, basis: string, cellIds: readonly string[]): Record<string, CellEvent> {
  if (!lastRun || lastRun.basis !== basis) return {};
  const restored: Record<string, CellEvent> = {};
  for (const id of cellIds) {
    const event = lastRun.cells[id];
    if (event) restored[id] = { ...event, run: { generation: RESTORED_GENERATION, runs: 0 } };
  }
  return restored;
}

/** Characters of text plus bytes of binary data: close enough to what IndexedDB will store. */
function approximateSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  let size = 0;
  for (const [key, item] of Object.entries(value)) size += key.length + approximateSize(item);
  return size;
}
