/**
 * A built page shows the build's snapshot as plain HTML before any module
 * loads (src/cli/static-html.ts). When the reader has edited the notebook or
 * changed a control in this browser, that snapshot no longer matches what the
 * app will open, and must not be shown even for a moment. Drafts and inputs
 * live in IndexedDB, which a page cannot read before its first paint, so the
 * session also keeps this synchronous mark in `localStorage`; a tiny inline
 * script in `index.html` reads it and hides the static view. Keep the key in
 * step with that script. The script also hides it for a URL with a query: a
 * view link (`?year=2014`) may set controls the snapshot shows otherwise.
 */

/** The `localStorage` key for the page at `pathname` (what the inline script in `index.html` reads). */
export function ownViewMarkKey(pathname: string): string {
  return `brook:own-view:${pathname}`;
}

/** Sets or clears the mark for this page; storage that refuses is ignored (the static view then shows, as before). */
export function markOwnView(own: boolean): void {
  try {
    const key = ownViewMarkKey(location.pathname);
    if (own) localStorage.setItem(key, '1');
    else localStorage.removeItem(key);
  } catch {
    // Private mode or storage disabled: nothing to keep.
  }
}
