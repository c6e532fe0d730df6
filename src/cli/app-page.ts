/**
 * The HTML the CLI writes: the app's `index.html` with its config and title
 * injected, and the listing page of a directory build.
 */
import type { AppConfig, SiteConfig } from '../client/app-config.ts';
import { BOOTED_DATA_WORKER, START_DUCKDB_MESSAGE } from '../data/api.ts';
import { encodeSnapshot, SNAPSHOT_ELEMENT_ID, type BuildSnapshot } from '../client/build-snapshot.ts';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that cannot end its `<script>` element early (`</script>`, `<!--`). */
function scriptSafeJson(value: unknown): string {
  return scriptSafe(JSON.stringify(value));
}

/** JSON text made safe inside `<script>`: `<` and the two JS line separators escaped (still the same JSON). */
function scriptSafe(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const CONFIG_ELEMENT = /<script\b[^>]*\bid=["']brook-config["'][^>]*>[\s\S]*?<\/script>\s*/i;
const NOTEBOOK_PRELOAD = /<link\b[^>]*\bdata-brook-notebook\b[^>]*>\s*/i;

/**
 * Writes `config` as `<script type="application/json" id="brook-config">` into
 * the app's `index.html` (replacing one already there) and sets its `<title>`.
 * A page with a notebook also preloads it, so its download overlaps the app's
 * scripts instead of starting after them (same mode and credentials as the
 * app's `fetch`, or the browser would fetch it twice).
 */
export function injectAppConfig(html: string, config: AppConfig, title?: string): string {
  const preload = config.notebook
    ? `<link rel="preload" href="${escapeHtml(config.notebook)}" as="fetch" crossorigin="anonymous" data-brook-notebook>\n`
    : '';
  const element = `${preload}<script type="application/json" id="brook-config">${scriptSafeJson(config)}</script>\n`;
  let page = html.replace(CONFIG_ELEMENT, '').replace(NOTEBOOK_PRELOAD, '');
  page = /<\/head>/i.test(page) ? page.replace(/<\/head>/i, `${element}</head>`) : element + page;
  if (title !== undefined) {
    const titleElement = `<title>${escapeHtml(title)}</title>`;
    page = /<title>[\s\S]*?<\/title>/i.test(page)
      ? page.replace(/<title>[\s\S]*?<\/title>/i, () => titleElement)
      : page.replace(/<head[^>]*>/i, (head) => `${head}\n${titleElement}`);
  }
  return page;
}

const SNAPSHOT_ELEMENT = new RegExp(`<script\\b[^>]*\\bid=["']${SNAPSHOT_ELEMENT_ID}["'][^>]*>[\\s\\S]*?<\\/script>\\s*`, 'i');

/**
 * Writes the build's snapshot as `<script type="application/json" id="brook-snapshot">`
 * into the page's `<head>` (replacing one already there): the app paints it
 * before anything else loads.
 */
export function injectSnapshot(html: string, snapshot: BuildSnapshot): string {
  const element = `<script type="application/json" id="${SNAPSHOT_ELEMENT_ID}">${scriptSafe(encodeSnapshot(snapshot))}</script>\n`;
  const page = html.replace(SNAPSHOT_ELEMENT, '');
  return /<\/head>/i.test(page) ? page.replace(/<\/head>/i, () => `${element}</head>`) : element + page;
}

const ROOT_ELEMENT = /<div id="root"([^>]*)>(?:(?!<div\b)[\s\S])*?<\/div>/i;

/** Puts the static view (`static-html.ts`) into the page's `#root`, which the app takes over; readers without JavaScript keep it. */
export function injectStaticView(html: string, view: string): string {
  return html.replace(ROOT_ELEMENT, (_match, attributes: string) => `<div id="root"${attributes}>${view}</div>`);
}

const ENGINE_BOOT = /<script\b[^>]*\bdata-brook-engine\b[^>]*>[\s\S]*?<\/script>\s*|<link\b[^>]*\bdata-brook-engine\b[^>]*>\s*/gi;

/** The data engine's files of a built app, relative to the page. */
export interface EngineAssets {
  dataWorker: string;
  duckdbWorker: string;
  duckdbWasm: string;
}

/**
 * Starts the data worker, and with it DuckDB's download and compile, from
 * the page's first bytes (a small inline script at the top of `<head>`):
 * DuckDB is the slowest part of a first visit, and nothing it needs waits
 * for the app's own script. The app takes the worker over
 * (`BOOTED_DATA_WORKER`); the messages are the ones its own start would
 * post. Replaces an earlier boot script (or the preloads older builds wrote).
 */
export function injectEngineBoot(html: string, assets: EngineAssets | undefined): string {
  // Only in <head>: the body holds the static view, made from the notebook's own output.
  const headEnd = html.search(/<\/head>/i);
  const page = headEnd < 0 ? html : html.slice(0, headEnd).replace(ENGINE_BOOT, '') + html.slice(headEnd);
  if (!assets) return page;
  const script = `<script data-brook-engine>try{(function(){var u=function(p){return new URL(p,document.baseURI).href};`
    + `var w=new Worker(u(${scriptSafeJson(assets.dataWorker)}),{type:"module",name:"brook-data"});`
    + `w.postMessage({type:${scriptSafeJson(START_DUCKDB_MESSAGE)},duckdb:{wasm:u(${scriptSafeJson(assets.duckdbWasm)}),worker:u(${scriptSafeJson(assets.duckdbWorker)})}});`
    + `window[${scriptSafeJson(BOOTED_DATA_WORKER)}]=w})()}catch(e){}</script>`;
  return /<meta charset[^>]*>/i.test(page) ? page.replace(/<meta charset[^>]*>/i, (meta) => `${meta}\n${script}`) : page.replace(/<head[^>]*>/i, (head) => `${head}\n${script}`);
}

const DESCRIPTION_META = /<meta\b[^>]*\bname=["']description["'][^>]*>\s*/gi;
const OPEN_GRAPH_META = /<meta\b[^>]*\bproperty=["']og:[^"']*["'][^>]*>\s*/gi;

/** Replaces the page's description and Open Graph `<meta>` with `tags` (see `renderMetaTags`). */
export function injectMetaTags(html: string, tags: string): string {
  const page = html.replace(DESCRIPTION_META, '').replace(OPEN_GRAPH_META, '');
  return /<\/title>/i.test(page) ? page.replace(/<\/title>/i, () => `</title>\n${tags}`) : page.replace(/<\/head>/i, () => `${tags}\n</head>`);
}

/**
 * Absolute `http(s)://` URLs in `src`/`href` attributes or CSS `url()` — a
 * build must load nothing from another host.
 */
export function findAbsoluteAssetUrls(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\b(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi)) found.push(match[1]);
  for (const match of text.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi)) found.push(match[1]);
  for (const match of text.matchAll(/@import\s+["']((?:https?:)?\/\/[^"']+)/gi)) found.push(match[1]);
  return found;
}

/** One notebook in a directory build's listing. */
export interface ListingEntry {
  /** Relative link to the app (`weather/`). */
  href: string;
  title: string;
  description?: string;
}

/** The `index.html` that lists the apps of a directory build, with relative links only. */
export function renderListingPage(title: string, entries: ListingEntry[]): string {
  const items = entries
    .map(
      (entry) =>
        `    <li><a href="${escapeHtml(encodeURI(entry.href))}">${escapeHtml(entry.title)}</a>` +
        (entry.description ? `<p>${escapeHtml(entry.description)}</p>` : '') +
        '</li>',
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="brook">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  li { margin: 0.75rem 0; } p { margin: 0.25rem 0 0; color: #59636e; } a { font-weight: 600; }
</style>
</head>
<body>
  <h1>${escapeHtml(title)}</h1>
  <ul>
${items}
  </ul>
</body>
</html>
`;
}

/**
 * The site navigation as plain HTML, for the page's static view (readers with
 * JavaScript off, link previews); the same markup the app's `SiteNav` draws.
 */
export function renderSiteNav(site: SiteConfig): string {
  const pages = site.pages
    .map((page) => `<li><a href="${escapeHtml(encodeURI(page.href))}"${page.current ? ' aria-current="page" class="is-current"' : ''}>${escapeHtml(page.title)}</a></li>`)
    .join('');
  return `<nav class="site-nav" aria-label="${escapeHtml(site.title)}: pages"><a class="site-nav-title" href="${escapeHtml(encodeURI(site.home))}">${escapeHtml(site.title)}</a><ul class="site-nav-pages">${pages}</ul></nav>`;
}
