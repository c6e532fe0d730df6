/**
 * How a page learns what to show. `brook build` and `brook dev` write this as
 * JSON into `<script type="application/json" id="brook-config">` of
 * `index.html`; the studio (no config) shows the home page.
 */
import type { EngineAddress } from '../notebook/types.ts';

export interface AppConfig {
  /** `app`: one notebook, app mode, no studio chrome. `studio`: home page + editor. */
  mode: 'app' | 'studio';
  /** URL of the notebook, relative to the page (`notebook.md`). */
  notebook?: string;
  /** The notebook's identity in its build (front matter `id`, else the file's site name); part of its saved-state key. */
  id?: string;
  /**
   * `brook dev`: listen on `events` (Server-Sent Events) for file changes, and
   * write the page's edits back with `PUT save` carrying `token` (see
   * src/cli/dev-server.ts; absent for an `.ipynb`, which is not written back);
   * `file` is the notebook file's name, for messages.
   */
  dev?: { events: string; save?: string; token?: string; file?: string };
  /** URL of the examples manifest (studio only), relative to the page. */
  examples?: string;
  /**
   * The built notebook's engines (address and user by name), so the trust
   * prompt of a share link whose engines differ can say so.
   */
  engines?: Record<string, EngineAddress>;
  /** A page of a multipage site (`brook build <folder>`): the site's pages, for the navigation bar. */
  site?: SiteConfig;
}

/** The pages of a site built from a folder, in the order its navigation lists them. */
export interface SiteConfig {
  /** The site's title (the folder's name, or `--title`). */
  title: string;
  /** The site's listing page, relative to this page (`../`). */
  home: string;
  /** Every page: link relative to this page, its title, whether it is this page. */
  pages: { href: string; title: string; current: boolean }[];
}

/** One entry of the studio's examples manifest (`examples/index.json`). */
export interface ExampleEntry {
  /** Notebook URL relative to the manifest. */
  path: string;
  title: string;
  description: string;
}

/** Reads the page's config; a page without one is the studio. */
export function readAppConfig(doc: Document): AppConfig {
  const element = doc.getElementById('brook-config');
  if (!element?.textContent?.trim()) return { mode: 'studio', examples: 'examples/index.json' };
  try {
    const parsed = JSON.parse(element.textContent) as Partial<AppConfig>;
    return { mode: parsed.mode === 'app' ? 'app' : 'studio', ...parsed } as AppConfig;
  } catch {
    return { mode: 'studio', examples: 'examples/index.json' };
  }
}
