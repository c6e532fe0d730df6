/**
 * Tabs of one notebook hear each other's saves, so they converge instead of
 * each overwriting the other's values with its own stale copy. A
 * BroadcastChannel on the page (the runtime worker has none: isolation.ts
 * removes it) carries only *what kind* of part changed, after it is written;
 * the tab that hears it reads the part back from IndexedDB, which notebook
 * code cannot reach. A forged message can thus only make a tab re-read the
 * truth.
 */
import type { StoredChange } from '../store/notebook-store.ts';

/** What travels between tabs: the kind of saved part that changed (and a file's name). */
export type TabMessage = { kind: 'inputs' | 'state' } | { kind: 'file'; name: string };

export interface TabSync {
  /** Tells the other tabs about a change this tab wrote. */
  post(change: StoredChange): void;
  close(): void;
}

/** Joins the notebook's channel; `heard` gets each well-formed message from another tab. */
export function openTabSync(notebookId: string, heard: (message: TabMessage) => void): TabSync {
  if (typeof BroadcastChannel === 'undefined') return { post() {}, close() {} };
  const channel = new BroadcastChannel(`brook:notebook:${notebookId}`);
  channel.onmessage = (event: MessageEvent) => {
    const message = asTabMessage(event.data);
    if (message) heard(message);
  };
  return {
    post(change) {
      const message: TabMessage | null =
        change.kind === 'inputs' || change.kind === 'state' ? { kind: change.kind } : change.kind === 'file' ? { kind: 'file', name: change.name } : null;
      if (message) channel.postMessage(message);
    },
    close: () => channel.close(),
  };
}

function asTabMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { kind, name } = data as { kind?: unknown; name?: unknown };
  if (kind === 'inputs' || kind === 'state') return { kind };
  if (kind === 'file' && typeof name === 'string') return { kind, name };
  return null;
}
