/**
 * What each studio route (and the built app) opens: the notebook text, its
 * origin and the base URL its data paths resolve against. Errors are thrown
 * as `Error`s with a message for the person; the page shows them.
 */
import type { AppConfig, ExampleEntry } from '../client/app-config.ts';
import { readBuildSnapshot } from '../client/build-snapshot.ts';
import { fingerprint, notebookIdFor } from '../client/notebook-id.ts';
import type { OpenRequest } from '../client/session.ts';
import { parseNotebook } from '../notebook/parse.ts';
import { decodeShare } from '../store/share.ts';
import { openNotebookStore } from '../store/notebook-store.ts';
import { recentNotebooks, touchRecent } from '../store/recent.ts';
import type { OpenedFile } from './notebook-files.ts';

/** What a notebook page needs to open: the session request plus things to show once it is open. */
export interface PageRequest {
  request: OpenRequest;
  /** Messages from opening (skipped `.ipynb` cells). */
  messages?: string[];
  title: string;
}

/** The text a new notebook starts with. */
export const NEW_NOTEBOOK = `---
title: Untitled notebook
---

# Untitled notebook

Everything here runs in your browser. Edit a cell and everything that depends on it re-runs.

\`\`\`js
const points = slider("Points", {min: 10, max: 400, step: 10, value: 120})
\`\`\`

\`\`\`sql wave
SELECT range AS x, sin(range / 12.0) * exp(-range / 300.0) AS y FROM range(CAST(\${points} AS BIGINT))
\`\`\`

\`\`\`js
Plot.plot({height: 260, marks: [Plot.ruleY([0]), Plot.line(wave, {x: "x", y: "y", stroke: "steelblue"})]})
\`\`\`
`;

async function fetchText(url: URL): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not load ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new Error(`Could not load ${url.pathname} (HTTP ${response.status}).`);
  return response.text();
}

/** The studio's examples manifest: the entries with a path and a title. */
export async function loadExamples(url: URL): Promise<ExampleEntry[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data: unknown = await response.json();
  if (!Array.isArray(data)) throw new Error('the examples manifest is not a list');
  return data.filter(
    (e): e is ExampleEntry => e !== null && typeof e === 'object' && typeof e.path === 'string' && typeof e.title === 'string',
  );
}

function pageUrl(): URL {
  return new URL(location.href.split('#')[0]);
}

/**
 * A built page's notebook (`config.notebook`): this document's, or another
 * page of the same site opened in place (`page`: its document and URL).
 */
export async function builtRequest(config: AppConfig, page: { doc: Document; url: URL } = { doc: document, url: pageUrl() }): Promise<PageRequest> {
  const path = config.notebook ?? 'notebook.md';
  const url = new URL(path, page.url);
  const source = await fetchText(url);
  const snapshot = readBuildSnapshot(page.doc);
  // The page's directory (not its file or query): `/site/a/` and `/site/b/` keep apart.
  const site = page.url.pathname.replace(/[^/]*$/, '');
  // The pages of one site share a query memo, keyed by the site's own directory.
  const memoScope = config.site ? `site:${fingerprint(new URL(config.site.home, page.url).pathname)}` : undefined;
  // The query is the view link's inputs (`?year=2014`): only ever widget values, checked by each widget.
  return {
    request: { origin: { kind: 'built', path, site, id: config.id }, source, file: fileName(path), baseUrl: url.href, snapshot, memoScope, view: page.url.search },
    title: fileName(path),
  };
}

/**
 * An example from the studio's manifest; `path` is relative to the manifest.
 * Only a path the manifest lists opens: a route is a link anyone can craft
 * (`#/example/https://elsewhere/evil.md`), and examples run without the trust
 * prompt, so any other notebook must come in as a share link or a file.
 */
export async function exampleRequest(config: AppConfig, path: string): Promise<PageRequest> {
  const manifest = new URL(config.examples ?? 'examples/index.json', pageUrl());
  const examples = await loadExamples(manifest);
  if (!examples.some((example) => example.path === path)) {
    throw new Error(`“${path}” is not one of the studio’s examples. Open a notebook from elsewhere as a file or a share link.`);
  }
  const url = new URL(path, manifest);
  if (url.origin !== manifest.origin) throw new Error(`“${path}” is not one of the studio’s examples.`);
  const source = await fetchText(url);
  return { request: { origin: { kind: 'example', path }, source, file: fileName(path), baseUrl: url.href }, title: fileName(path) };
}

/** A new notebook; its draft lives under `id`, so a reload of `#/new/<id>` finds the edits. */
export function newRequest(id: string): PageRequest {
  return {
    request: { origin: { kind: 'new', id }, source: NEW_NOTEBOOK, file: 'untitled.md', baseUrl: pageUrl().href },
    title: 'Untitled notebook',
  };
}

/** A shared link: the notebook text and input values travel in the hash. */
export function sharedRequest(data: string): PageRequest {
  const decoded = decodeShare(data);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return {
    // The link's inputs seed the first run (no default-valued run first).
    request: {
      origin: { kind: 'shared' },
      source: decoded.value.source,
      file: 'shared.md',
      baseUrl: pageUrl().href,
      inputs: decoded.value.inputs,
    },
    title: 'Shared notebook',
  };
}

/** Messages from opening a local file, waiting for its page (they do not fit in a URL). */
const openingMessages = new Map<string, string[]>();

/**
 * Remembers a picked or dropped notebook file so `#/recent/<id>` can open it,
 * now and after a reload: its text is saved as the notebook's draft.
 */
export async function rememberOpenedFile(opened: OpenedFile): Promise<string> {
  const origin = { kind: 'file' as const, name: opened.name };
  const notebook = parseNotebook(opened.source, opened.name);
  const id = notebookIdFor(origin, notebook.frontMatter, opened.source);
  const store = openNotebookStore(id, { debounceMs: 0 });
  const saved = await store.saveDraft(opened.source);
  if (!saved.ok) throw new Error(saved.error.message);
  await touchRecent({ id, title: notebook.frontMatter.title ?? opened.name, origin });
  if (opened.messages.length) openingMessages.set(id, opened.messages);
  return id;
}

/** A notebook from the recent list, reopened the way it was first opened. */
export async function recentRequest(config: AppConfig, id: string): Promise<PageRequest> {
  const entry = (await recentNotebooks()).find((r) => r.id === id);
  if (!entry) throw new Error('This notebook is no longer in the recent list.');
  const origin = entry.origin;
  if (origin.kind === 'example' && typeof origin.path === 'string') return exampleRequest(config, origin.path);
  if (origin.kind === 'new' && typeof origin.id === 'string') return newRequest(origin.id);
  if (origin.kind === 'file' && typeof origin.name === 'string') {
    const saved = await openNotebookStore(id).load();
    if (saved.draft === undefined) throw new Error(`${origin.name} is not saved in this browser any more. Open the file again.`);
    const messages = openingMessages.get(id);
    openingMessages.delete(id);
    return {
      request: { origin: { kind: 'file', name: origin.name }, source: saved.draft, file: origin.name, baseUrl: pageUrl().href },
      messages,
      title: origin.name,
    };
  }
  throw new Error('This recent notebook cannot be reopened here.');
}

function fileName(path: string): string {
  return path.split('/').pop() || path;
}
