/**
 * Studio routes live in the URL hash so a static host needs no rewrites and a
 * built app works under any sub-path. Pure: parsing and formatting only.
 */

export type Route =
  | { kind: 'home' }
  | { kind: 'example'; path: string }
  /** `#/new` has no id yet; the page assigns one and replaces the hash so a reload finds the draft. */
  | { kind: 'new'; id?: string }
  | { kind: 'shared'; data: string }
  | { kind: 'recent'; id: string };

/** Parses `location.hash` (with or without the leading `#`). Unknown hashes go home. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const slash = path.indexOf('/');
  const head = slash === -1 ? path : path.slice(0, slash);
  const rest = slash === -1 ? '' : path.slice(slash + 1);
  switch (head) {
    case 'example':
      return rest ? { kind: 'example', path: safeDecode(rest) } : { kind: 'home' };
    case 'new':
      return rest ? { kind: 'new', id: safeDecode(rest) } : { kind: 'new' };
    // Share payloads are already URL-safe; decoding them could corrupt `%` sequences.
    case 's':
      return rest ? { kind: 'shared', data: rest } : { kind: 'home' };
    case 'recent':
      return rest ? { kind: 'recent', id: safeDecode(rest) } : { kind: 'home' };
    default:
      return { kind: 'home' };
  }
}

/** The hash for a route; `parseRoute(formatRoute(r))` gives `r` back. */
export function formatRoute(route: Route): string {
  switch (route.kind) {
    case 'home':
      return '#/';
    case 'example':
      // Keep `/` readable in example paths (`#/example/sales/explorer.md`).
      return `#/example/${route.path.split('/').map(encodeURIComponent).join('/')}`;
    case 'new':
      return route.id ? `#/new/${encodeURIComponent(route.id)}` : '#/new';
    case 'shared':
      return `#/s/${route.data}`;
    case 'recent':
      return `#/recent/${encodeURIComponent(route.id)}`;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
