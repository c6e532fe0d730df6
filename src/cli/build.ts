/**
 * `brook build`: a notebook (or a folder of them) becomes a static site — the
 * generic app, the notebook as `notebook.md`, its data files under `data/`,
 * and the app config in `index.html`. Every URL is relative, so the output
 * works under any sub-path of any static host with no special headers.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { AppConfig, SiteConfig } from '../client/app-config.ts';
import { normalizeSource } from '../notebook/position.ts';
import { parseNotebook } from '../notebook/parse.ts';
import { engineAddress } from '../notebook/types.ts';
import { ensureAppBundle } from './app-bundle.ts';
import { findAbsoluteAssetUrls, injectAppConfig, injectEngineBoot, injectMetaTags, injectSnapshot, injectStaticView, renderListingPage, renderSiteNav, type EngineAssets, type ListingEntry } from './app-page.ts';
import { CliError } from './cli-error.ts';
import { isUrl, readDataEntries, rewriteDataPaths } from './front-matter-data.ts';
import { compressTree } from './compressed-assets.ts';
import { writeSnapshot } from './snapshot.ts';
import { renderMetaTags, staticViewOf } from './static-html.ts';

export interface BuildOptions {
  /** A `.md` or `.ipynb` notebook, or a directory of them. */
  input: string;
  /** Output directory; default `dist/<name>` under the working directory. */
  out?: string;
  /** Page title; default the notebook's front matter `title`, then its file name. */
  title?: string;
  /** A ready app bundle to copy (tests pass a tiny one); default: {@link ensureAppBundle}. */
  appDir?: string;
  /** Rebuild the app bundle even when it is fresh. */
  rebuild?: boolean;
  log?: (message: string) => void;
  /** Run the notebook at build time for an instant first paint (default true); see src/cli/snapshot.ts. */
  snapshot?: boolean;
  /** With the snapshot, also run it for the other values of its controls (default true); see src/cli/control-values.ts. */
  answers?: boolean;
}

export interface BuiltNotebook {
  /** The notebook file built from. */
  source: string;
  /** The directory written. */
  out: string;
  title: string;
  /** Table name → path written into the built notebook (`data/…`), for copied files. */
  data: Record<string, string>;
  /** Warnings: cells skipped by `.ipynb` import, notebook diagnostics. */
  warnings: string[];
}

export interface BuildResult {
  out: string;
  notebooks: BuiltNotebook[];
}

const NOTEBOOK_EXTENSIONS = new Set(['.md', '.ipynb']);

/** A folder name safe in any URL and on any file system. */
export function siteName(file: string): string {
  const name = basename(file, extname(file))
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name || 'notebook';
}

/** Reads a notebook as Brook Markdown; `.ipynb` is converted and its skipped cells reported. */
async function readNotebookSource(file: string): Promise<{ source: string; warnings: string[] }> {
  const raw = readFileSync(file, 'utf8');
  if (extname(file).toLowerCase() !== '.ipynb') return { source: normalizeSource(raw), warnings: [] };
  const { importIpynb } = await import('../notebook/ipynb.ts');
  const imported = importIpynb(raw, file);
  const invalid = imported.notebook.diagnostics.find((d) => d.code === 'ipynb-invalid');
  if (invalid) throw new CliError(invalid.message);
  const warnings = imported.skipped.length
    ? [
        `${file}: skipped ${imported.skipped.length} cell(s) in languages Brook does not run: ` +
          imported.skipped.map((cell) => `cell ${cell.index + 1} (${cell.language})`).join(', '),
      ]
    : [];
  return { source: normalizeSource(imported.source), warnings };
}

/** Refuses to overwrite a directory that is not a previous Brook build (or empty). */
function prepareOutDir(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new CliError(`--out ${out} is a file, not a directory`);
    const entries = readdirSync(out);
    const index = join(out, 'index.html');
    const isBrookBuild = existsSync(index) && /id="brook-config"|<meta name="generator" content="brook">/.test(readFileSync(index, 'utf8'));
    if (entries.length > 0 && !isBrookBuild) {
      throw new CliError(`output directory ${out} is not empty and is not a Brook build; choose another --out`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

/** Checks once per bundle that nothing in its pages or styles points at another host. */
function assertRelativeBundle(appDir: string): void {
  const index = join(appDir, 'index.html');
  if (!existsSync(index)) throw new CliError(`the app bundle ${appDir} has no index.html; run with --rebuild`);
  const offenders: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(html|css)$/i.test(entry.name)) {
        for (const url of findAbsoluteAssetUrls(readFileSync(path, 'utf8'))) offenders.push(`${relative(appDir, path)}: ${url}`);
      }
    }
  };
  visit(appDir);
  if (offenders.length) throw new CliError(`the app bundle loads assets from another host, which a static build must not:\n  ${offenders.join('\n  ')}`);
}

/**
 * Builds one notebook into `out` from a ready app bundle. A missing data file
 * is an error placed on its front matter line: `notes.md:4:10: data file not found: …`.
 */
export async function buildNotebook(
  file: string, out: string, appDir: string,
  options: { title?: string; snapshot?: boolean; answers?: boolean; site?: SiteConfig; sharedAssets?: string } = {},
): Promise<BuiltNotebook> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`notebook not found: ${file}`);
  const { source, warnings } = await readNotebookSource(file);
  const notebookDir = dirname(resolve(file));

  // Check every data file before writing anything, so a typo leaves no half build.
  const entries = readDataEntries(source);
  const copies = new Map<string, { from: string; to: string }>();
  const usedNames = new Map<string, string>();
  const missing: string[] = [];
  for (const entry of entries) {
    if (isUrl(entry.path)) continue;
    const from = resolve(notebookDir, entry.path);
    if (!existsSync(from) || !statSync(from).isFile()) {
      missing.push(`${file}:${entry.position.line}:${entry.position.column}: data file not found: ${entry.path}`);
      continue;
    }
    let name = basename(from);
    if (usedNames.has(name) && usedNames.get(name) !== from) name = `${entry.table}-${name}`;
    usedNames.set(name, from);
    copies.set(entry.table, { from, to: `data/${name}` });
  }
  if (missing.length) throw new CliError(missing.join('\n'));

  const notebook = parseNotebook(source, basename(file));
  const errors = notebook.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) warnings.push(`${file}: ${errors.length} problem(s) the page will show; run \`brook check ${file}\` for details`);
  const title = options.title ?? notebook.frontMatter.title ?? basename(file, extname(file));

  prepareOutDir(out);
  // A site's pages load one copy of the bundle's assets (written by `build`), so a reader's browser
  // fetches DuckDB's wasm once for the whole site and caches it across pages.
  const shared = options.sharedAssets;
  cpSync(appDir, out, { recursive: true, filter: (from) => shared === undefined || resolve(from) !== resolve(appDir, 'assets') });
  for (const { from, to } of copies.values()) {
    mkdirSync(dirname(join(out, to)), { recursive: true });
    cpSync(from, join(out, to));
  }
  const newPaths = new Map([...copies].map(([table, { to }]) => [table, to]));
  const text = rewriteDataPaths(source, entries, newPaths);
  writeFileSync(join(out, 'notebook.md'), text);
  const config: AppConfig = { mode: 'app', notebook: 'notebook.md', id: notebook.frontMatter.id ?? siteName(file), site: options.site };
  // Addresses and users only (the front matter holds no password): a share link naming other engines is told apart.
  const engines = Object.entries(notebook.frontMatter.engines ?? {});
  if (engines.length > 0) config.engines = Object.fromEntries(engines.map(([name, spec]) => [name, engineAddress(spec)]));
  const indexPath = join(out, 'index.html');
  let page = injectAppConfig(readFileSync(indexPath, 'utf8'), config, title);
  if (shared !== undefined) page = page.replace(/(\b(?:src|href)=["'])\.\/assets\//g, `$1${shared}assets/`);
  const nav = options.site ? renderSiteNav(options.site) : '';
  if (options.snapshot !== false) {
    const data = [...copies].map(([table, { from }]) => ({ table, path: from }));
    const taken = await writeSnapshot(out, { text, file: 'notebook.md', data, explore: options.answers !== false }, file);
    warnings.push(...taken.warnings);
    page = injectStaticView(injectSnapshot(page, taken.snapshot), nav + await staticViewOf(text, 'notebook.md', taken.snapshot, title));
  } else if (nav) {
    page = injectStaticView(page, nav);
  }
  const description = notebook.frontMatter.extra.description;
  page = injectMetaTags(page, renderMetaTags(title, typeof description === 'string' ? description : undefined));
  page = injectEngineBoot(page, engineAssets(shared === undefined ? out : resolve(out, shared), shared ?? ''));
  writeFileSync(indexPath, page);
  await compressTree(out);
  return { source: file, out, title, data: Object.fromEntries(newPaths), warnings };
}

/**
 * The data engine's files in a built app (the data worker, DuckDB's worker
 * and wasm), for the page's boot script: paths from the page, which is
 * `prefix` below the folder `root` holding `assets/`.
 */
function engineAssets(root: string, prefix = ''): EngineAssets | undefined {
  const assets = join(root, 'assets');
  if (!existsSync(assets)) return undefined;
  const names = readdirSync(assets);
  const find = (pattern: RegExp) => names.find((name) => pattern.test(name));
  const dataWorker = find(/^data\.worker-[\w-]+\.js$/);
  const duckdbWorker = find(/^duckdb-browser-eh\.worker-[\w-]+\.js$/);
  const duckdbWasm = find(/^duckdb-eh-[\w-]+\.wasm$/);
  if (!dataWorker || !duckdbWorker || !duckdbWasm) return undefined;
  return { dataWorker: `${prefix}assets/${dataWorker}`, duckdbWorker: `${prefix}assets/${duckdbWorker}`, duckdbWasm: `${prefix}assets/${duckdbWasm}` };
}

/** Notebooks directly inside a directory, sorted by name. */
export function listNotebooks(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && NOTEBOOK_EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/**
 * `brook build`: one notebook into `out`, or every notebook of a directory into
 * `out/<name>/` plus an `index.html` that links to each.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const input = options.input;
  if (!existsSync(input)) throw new CliError(`no such notebook or directory: ${input}`);
  const isDir = statSync(input).isDirectory();
  if (!isDir && !NOTEBOOK_EXTENSIONS.has(extname(input).toLowerCase())) {
    throw new CliError(`${input}: expected a .md or .ipynb notebook, or a directory of them`);
  }
  const notebooks = isDir ? listNotebooks(input) : [input];
  if (notebooks.length === 0) throw new CliError(`${input}: no .md or .ipynb notebooks in this directory`);

  const appDir = options.appDir ?? (await ensureAppBundle({ rebuild: options.rebuild, log: options.log })).dir;
  assertRelativeBundle(appDir);
  const out = resolve(options.out ?? join('dist', siteName(resolve(input))));

  if (!isDir) {
    const built = await buildNotebook(input, out, appDir, { title: options.title, snapshot: options.snapshot, answers: options.answers });
    return { out, notebooks: [built] };
  }

  // Names are checked up front so two notebooks never overwrite one folder.
  const names = new Map<string, string>();
  for (const file of notebooks) {
    const name = siteName(file);
    if (names.has(name)) throw new CliError(`${file} and ${names.get(name)} would both be built into ${name}/; rename one`);
    names.set(name, file);
  }
  const pages = await sitePages(names);
  const siteTitle = options.title ?? basename(resolve(input));
  prepareOutDir(out);
  cpSync(join(appDir, 'assets'), join(out, 'assets'), { recursive: true });
  const built: BuiltNotebook[] = [];
  for (const page of pages) {
    const site: SiteConfig = {
      title: siteTitle,
      home: '../',
      pages: pages.map((other) => ({ href: `../${other.name}/`, title: other.title, current: other === page })),
    };
    const result = await buildNotebook(page.file, join(out, page.name), appDir, { snapshot: options.snapshot, answers: options.answers, site, sharedAssets: '../' });
    result.warnings.unshift(...page.warnings);
    built.push(result);
  }
  const listing: ListingEntry[] = pages.map((page) => ({ href: `${page.name}/`, title: page.title }));
  writeFileSync(join(out, 'index.html'), renderListingPage(siteTitle, listing));
  return { out, notebooks: built };
}

/** One page of a site, before it is built. */
interface SitePage {
  name: string;
  file: string;
  title: string;
  order: number;
  warnings: string[];
}

/**
 * The pages of a folder in navigation order: front-matter `order` (a number;
 * pages without one come after, as do the listing's), then file name. Titles
 * are the front matter's `title`, else the file's name.
 */
async function sitePages(names: Map<string, string>): Promise<SitePage[]> {
  const pages: SitePage[] = [];
  for (const [name, file] of names) {
    const { source } = await readNotebookSource(file);
    const { frontMatter } = parseNotebook(source, basename(file));
    const warnings: string[] = [];
    const order = frontMatter.extra.order;
    if (order !== undefined && typeof order !== 'number') warnings.push(`${file}: front matter \`order\` must be a number (it sets the page's place in the navigation); got ${JSON.stringify(order)}`);
    pages.push({ name, file, title: frontMatter.title ?? basename(file, extname(file)), order: typeof order === 'number' ? order : Infinity, warnings });
  }
  return pages.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}
