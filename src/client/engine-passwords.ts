/**
 * Where a reader's engine passwords are kept: this browser's localStorage,
 * per notebook and per engine address and user — never in the notebook,
 * a share link, the saved state, a snapshot or a log. A shared link's
 * notebook never gets a saved password (its front matter could name the
 * engine and the `id` of a notebook the reader uses): its reader types it,
 * and it lasts as long as the page.
 */
import type { EngineSpec } from '../notebook/types.ts';

const PREFIX = 'brook:engine-password\u0001';

function keyOf(notebookId: string, spec: Pick<EngineSpec, 'url' | 'user'>): string {
  return `${PREFIX}${notebookId}\u0001${spec.url}\u0001${spec.user ?? ''}`;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled: passwords last as long as the page
  }
}

/** The password this browser keeps for `spec` in notebook `notebookId`, if any. */
export function savedEnginePassword(notebookId: string, spec: Pick<EngineSpec, 'url' | 'user'>): string | undefined {
  return storage()?.getItem(keyOf(notebookId, spec)) ?? undefined;
}

/** Keeps (or, with `null`, forgets) the password for `spec` in notebook `notebookId`. */
export function saveEnginePassword(notebookId: string, spec: Pick<EngineSpec, 'url' | 'user'>, password: string | null): void {
  try {
    if (password === null || password === '') storage()?.removeItem(keyOf(notebookId, spec));
    else storage()?.setItem(keyOf(notebookId, spec), password);
  } catch {
    // Quota or a disabled storage: the password still works for this page.
  }
}
