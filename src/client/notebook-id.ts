/**
 * The key a notebook's saved state lives under. Shared links never choose
 * their own key: a link could otherwise claim another notebook's `id` and
 * read its saved inputs and state, so they are keyed by a hash of their text.
 */
import type { FrontMatter } from '../notebook/types.ts';
import type { SessionOrigin } from './session-types.ts';

/** FNV-1a (64-bit) of a string, as 16 hex digits: a stable, dependency-free fingerprint. */
export function fingerprint(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function slug(text: string): string {
  return text
    .replace(/\.(md|ipynb)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'notebook';
}

/** The saved-state key for a notebook opened from `origin`. */
export function notebookIdFor(origin: SessionOrigin, frontMatter: FrontMatter, source: string): string {
  if (origin.kind === 'shared') return `shared:${fingerprint(source)}`;
  // Every page of every site on one origin has its own key: its directory
  // plus the notebook's identity. A front-matter `id` names the notebook, not
  // the page, so it cannot make two built pages share saved data.
  if (origin.kind === 'built') return `app:${fingerprint(origin.site ?? '')}:${slug(origin.id ?? frontMatter.id ?? origin.path)}`;
  if (frontMatter.id) return `nb:${slug(frontMatter.id)}`;
  switch (origin.kind) {
    case 'example':
      return `example:${slug(origin.path)}`;
    case 'file':
      return `file:${slug(origin.name)}`;
    case 'new':
      return `new:${origin.id}`;
  }
}
