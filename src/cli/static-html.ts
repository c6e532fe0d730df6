/**
 * The build's snapshot as plain HTML inside the built `index.html`, so link
 * previews, search engines and readers with JavaScript off see the notebook's
 * real content: its markdown, metrics, tables (first rows), charts (SVG) and
 * the controls' default values. It uses the app's own class names, so it
 * looks like the app, and the app replaces it once it has painted (no flash).
 *
 * Everything from notebook code is sanitized here, in Node, by the page's own
 * sanitizer (`src/client/sanitize.ts`, DOMPurify) over jsdom; text is escaped.
 */
import type { BuildSnapshot } from '../client/build-snapshot.ts';
import type { Sanitizer } from '../client/sanitize.ts';
import { compileNotebook } from '../compile/compile.ts';
import { loadTypeScript, needsTypeScript } from '../compile/transpile.ts';
import type { CompiledNotebook } from '../compile/types.ts';
import { parseNotebook } from '../notebook/parse.ts';
import type { Notebook } from '../notebook/types.ts';
import type { OutputItem, TableOutput } from '../runtime/protocol.ts';
import type { SettledEvent } from '../store/schema.ts';
import { hasHoleMarker, joinWithHoleMarkers, markdownToHtml, splitHoleMarkers, stripHoleMarkers } from '../app/markdown-render.ts';
import { formatCell, isNumericType } from '../app/value-format.ts';
import { escapeHtml } from './app-page.ts';

/** The id of the static view; the app removes it once it has painted. */
export const STATIC_VIEW_ID = 'brook-static';

/** Rows of a table output written into the page (the app shows all of them). */
const STATIC_TABLE_ROWS = 20;

/** A sanitizer and a DOM to work in, made once per build. */
export interface StaticRenderer {
  sanitizer: Sanitizer;
  document: Document;
}

let shared: Promise<StaticRenderer> | undefined;

/** The static view of a built notebook (`text` as written to `notebook.md`) at its snapshot. */
export async function staticViewOf(text: string, file: string, snapshot: BuildSnapshot, title: string): Promise<string> {
  const notebook = parseNotebook(text, file);
  if (needsTypeScript(notebook)) await loadTypeScript();
  shared ??= createStaticRenderer();
  return renderStaticView(await shared, notebook, compileNotebook(notebook), snapshot.cells, title);
}

/** The page's sanitizer over a jsdom window (loaded only when a build needs it). */
export async function createStaticRenderer(): Promise<StaticRenderer> {
  const [{ JSDOM }, { createSanitizer }] = await Promise.all([import('jsdom'), import('../client/sanitize.ts')]);
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  return { sanitizer: createSanitizer(window as never), document: window.document };
}

/**
 * The notebook's view at its snapshot, as HTML for `#root`: app-mode cells in
 * document order, hidden cells left out, cells without a snapshot event
 * (left to the page) empty.
 */
export function renderStaticView(
  renderer: StaticRenderer,
  notebook: Notebook,
  compiled: CompiledNotebook,
  cells: Record<string, SettledEvent>,
  title: string,
): string {
  const sections: string[] = [];
  for (const cell of notebook.cells) {
    if (cell.kind === 'code' || cell.attributes.hidden) continue;
    const event = cells[cell.id];
    const outputs = event?.outputs ?? [];
    let body: string;
    if (cell.kind === 'md') {
      const parts = compiled.cells.find((c) => c.id === cell.id)?.markdown?.parts ?? [cell.source];
      const holes = outputs.find((o): o is Extract<OutputItem, { type: 'holes' }> => o.type === 'holes')?.values;
      body = renderMarkdown(renderer, parts, holes);
    } else {
      body = outputs.map((item) => renderOutput(renderer, item)).join('');
    }
    if (!body) continue;
    sections.push(`<section class="cell cell-${cell.kind}" data-cell="${escapeHtml(cell.id)}"><div class="cell-output">${body}</div></section>`);
  }
  const layout = notebook.frontMatter.layout === 'wide' ? ' layout-wide' : '';
  return `<div id="${STATIC_VIEW_ID}" class="notebook-page">` +
    `<header class="app-header"><div class="header-left"><h1 class="notebook-title">${escapeHtml(title)}</h1></div></header>` +
    '<noscript><p class="static-note">This is the notebook as it was built. Its controls need JavaScript.</p></noscript>' +
    `<div class="notebook-body"><main class="notebook-main mode-app${layout}">\n${sections.join('\n')}\n</main></div></div>`;
}

function renderOutput(renderer: StaticRenderer, item: OutputItem): string {
  const { sanitizer } = renderer;
  switch (item.type) {
    case 'text':
      return `<pre class="text-output">${escapeHtml(item.text)}</pre>`;
    case 'markdown':
      return `<div class="markdown">${sanitizer.sanitizeHtml(markdownToHtml(item.markdown))}</div>`;
    case 'html':
      return `<div class="html-output">${sanitizer.sanitizeHtml(item.html)}</div>`;
    case 'figure':
      return `<div class="figure-output"${item.width ? ` style="max-width: ${Math.round(item.width)}px;"` : ''}><div class="figure-content">${sanitizer.sanitizeFigure(item.html)}</div></div>`;
    case 'table':
      return renderTable(item.table);
    case 'metric': {
      const tone = item.deltaSign === 1 ? 'up' : item.deltaSign === -1 ? 'down' : 'flat';
      const delta = item.delta ? `<div class="metric-delta metric-${tone}">${escapeHtml(item.delta)}</div>` : '';
      return `<div class="metric"><div class="metric-label">${escapeHtml(item.label)}</div><div class="metric-value">${escapeHtml(item.value)}</div>${delta}</div>`;
    }
    case 'widget': {
      const { widget } = item;
      if (widget.kind === 'button' || widget.kind === 'file' || widget.kind === 'form') return '';
      return `<div class="control control-${widget.kind}"><div class="control-label-row"><span class="control-label">${escapeHtml(widget.label)}</span>` +
        `<output class="control-value">${escapeHtml(formatCell(widget.value, '').text)}</output></div></div>`;
    }
    case 'progress': {
      const value = item.value === null ? '' : ` value="${Number(item.value)}"`;
      const label = escapeHtml(item.label);
      return `<div class="progress-output"><span class="progress-label">${label}</span><progress class="progress-bar" max="${Number(item.max)}"${value} aria-label="${label || 'Progress'}"></progress></div>`;
    }
    case 'value':
    case 'download':
    case 'holes':
      return '';
  }
}

/** A table's first rows as a real `<table>` (readable without the app's virtual grid). */
function renderTable(table: TableOutput): string {
  const head = table.columns.map((c) => `<th${isNumericType(c.type) ? ' class="is-number"' : ''}>${escapeHtml(c.name)}</th>`).join('');
  const rows = table.head.slice(0, STATIC_TABLE_ROWS).map((row) => {
    const cells = table.columns.map((c) => {
      const numeric = isNumericType(c.type);
      return `<td${numeric ? ' class="is-number"' : ''}>${escapeHtml(formatCell(row[c.name], c.type).text)}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const shown = Math.min(table.rowCount, rows.length);
  const more = table.rowCount > shown ? ` (first ${shown} shown)` : '';
  return `<div class="table-output"><div class="table-scroll"><table class="static-table"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>` +
    `<div class="table-foot"><span>${table.rowCount.toLocaleString('en-US')} rows · ${table.columns.length} columns${more}</span></div></div>`;
}

/** A markdown cell: rendered, sanitized, then each `${}` hole filled in as text (never as markup, never in an attribute). */
function renderMarkdown(renderer: StaticRenderer, parts: string[], values: string[] | undefined): string {
  const host = renderer.document.createElement('div');
  host.innerHTML = renderer.sanitizer.sanitizeHtml(markdownToHtml(joinWithHoleMarkers(parts)));
  for (const element of host.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      if (hasHoleMarker(attribute.value)) element.setAttribute(attribute.name, stripHoleMarkers(attribute.value));
    }
  }
  const walker = renderer.document.createTreeWalker(host, 4 /* NodeFilter.SHOW_TEXT */);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (hasHoleMarker(node.nodeValue ?? '')) texts.push(node as Text);
  for (const text of texts) {
    text.replaceWith(...splitHoleMarkers(text.nodeValue ?? '').map((piece) => (typeof piece === 'string' ? piece : values?.[piece.hole] ?? '…')));
  }
  return `<div class="markdown">${host.innerHTML}</div>`;
}

/**
 * `<meta>` for link previews and search engines from the front matter:
 * description and Open Graph title/description.
 */
export function renderMetaTags(title: string, description: string | undefined): string {
  const tags = [`<meta property="og:title" content="${escapeHtml(title)}">`, '<meta property="og:type" content="website">'];
  if (description) {
    tags.unshift(`<meta name="description" content="${escapeHtml(description)}">`);
    tags.push(`<meta property="og:description" content="${escapeHtml(description)}">`);
  }
  return tags.join('\n');
}
