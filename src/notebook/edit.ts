/**
 * Pure text edits for the editor: each takes the notebook text and the
 * `Notebook` parsed from it, and returns the new full text. The file stays the
 * single source of truth; callers re-parse the result.
 *
 * All functions return newline-normalized text (BOM dropped, `\n` line ends),
 * because the notebook's offsets refer to that form. An unknown `cellId` leaves
 * the text unchanged.
 *
 * Markdown cells are maximal stretches between fences and `:::` lines, so a
 * Markdown cell placed next to another one (by insert, move or remove) merges
 * with it on re-parse, and an empty Markdown cell is no cell at all.
 */
import { scanBlocks } from './blocks.ts';
import { findFrontMatter } from './front-matter.ts';
import { isBindableName } from './identifier.ts';
import { LineIndex, normalizeSource } from './position.ts';
import type { CellAttributes, CellKind, Notebook, SourceCell } from './types.ts';

const FENCE_LINE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

function findCell(notebook: Notebook, cellId: string): SourceCell | undefined {
  return notebook.cells.find((c) => c.id === cellId);
}

/** The shortest fence of `char` (at least `min` long) that no line of `source` can close. */
function safeFence(char: '`' | '~', min: number, source: string): string {
  let length = min;
  for (const line of source.split('\n')) {
    const run = /^ {0,3}([`~]+)/.exec(line)?.[1];
    if (run && run[0] === char) length = Math.max(length, run.length + 1);
  }
  return char.repeat(length);
}

/** Writes a fenced cell; `indent` is re-applied to non-empty lines so CommonMark de-indentation gives `source` back. */
function writeFence(indent: string, fence: string, info: string, source: string): string {
  const body = source
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
  return `${indent}${fence}${info}\n${source === '' ? '' : body + '\n'}${indent}${fence}`;
}

/** The text of a new cell of `kind`. */
export function cellText(kind: CellKind, source: string, attributes: Partial<CellAttributes> = {}): string {
  if (kind === 'md') return source;
  const lang = kind === 'code' ? (attributes.lang ?? '') : kind;
  const words = [lang];
  if (kind === 'sql' && attributes.name) words.push(attributes.name);
  for (const flag of ['echo', 'hidden', 'sidebar'] as const) if (attributes[flag]) words.push(flag);
  return writeFence('', safeFence('`', 3, source), words.join(' ').trimEnd(), source);
}

/** Splices `block` in at `offset` (a line end or the body start) with blank lines around it. */
function insertBlock(text: string, offset: number, block: string, atLineEnd: boolean): string {
  const before = text.slice(0, offset);
  const after = text.slice(offset);
  if (atLineEnd) {
    // `after` is '' or starts with the '\n' ending the previous line.
    const nextLineBlank = /^\n[ \t]*(\n|$)/.test(after);
    return `${before}\n\n${block}${after === '' ? '\n' : nextLineBlank ? '' : '\n'}${after}`;
  }
  const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  return `${before}${lead}${block}\n${/^[ \t]*(\n|$)/.test(after) ? '' : '\n'}${after}`;
}

/**
 * Replaces one cell's source. Fenced cells keep their language and attributes
 * (the fence is lengthened if the new source contains a line that would close
 * it, and an unterminated fence gets its closing fence); Markdown cells are
 * replaced as written.
 */
export function replaceCellSource(text: string, notebook: Notebook, cellId: string, newSource: string): string {
  const norm = normalizeSource(text);
  const cell = findCell(notebook, cellId);
  if (!cell) return norm;
  const source = normalizeSource(newSource);
  const { start, end } = cell.span;
  if (cell.kind === 'md') {
    // Keep a blank line below, so e.g. an HTML block cannot swallow the next fence.
    const after = norm.slice(end.offset);
    const gap = /^\n[^\S\n]*\S/.test(after) ? '\n' : '';
    return norm.slice(0, start.offset) + source + gap + after;
  }
  return rewriteFence(norm, cell, source)?.text ?? norm;
}

/**
 * Rewrites a fenced cell with `source`, keeping indentation, fence character
 * and info string. Returns the new text and the new end of the cell, or `null`
 * when the cell's first line is not a fence (the notebook is not from `norm`).
 */
function rewriteFence(norm: string, cell: SourceCell, source: string): { text: string; end: number } | null {
  const { start, end } = cell.span;
  const index = new LineIndex(norm);
  const opening = FENCE_LINE.exec(index.lineText(start.line - 1));
  if (!opening) return null;
  const [, indent, fence, info] = opening;
  const replacement = writeFence(indent, safeFence(fence[0] as '`' | '~', fence.length, source), info, source);
  return { text: norm.slice(0, start.offset) + replacement + norm.slice(end.offset), end: start.offset + replacement.length };
}

/**
 * Inserts a new cell after `afterCellId` (inside the same container), or at
 * the top of the body (below any front matter) when it is `null`.
 */
export function insertCell(
  text: string,
  notebook: Notebook,
  afterCellId: string | null,
  kind: CellKind,
  source: string,
  attributes: Partial<CellAttributes> = {},
): string {
  const norm = normalizeSource(text);
  const block = cellText(kind, normalizeSource(source), attributes);
  if (afterCellId !== null) {
    const cell = findCell(notebook, afterCellId);
    if (!cell) return norm;
    const unterminated = notebook.diagnostics.some((d) => d.code === 'unterminated-fence' && d.cellId === cell.id);
    if (!unterminated) return insertBlock(norm, cell.span.end.offset, block, true);
    // Close the fence first, or it would swallow the new cell.
    const closed = rewriteFence(norm, cell, cell.source);
    return closed ? insertBlock(closed.text, closed.end, block, true) : norm;
  }
  const index = new LineIndex(norm);
  const frontMatter = findFrontMatter(index, []);
  if (!frontMatter) return insertBlock(norm, 0, block, false);
  if (frontMatter.bodyLine >= index.lineCount) return insertBlock(norm, norm.length, block, true);
  return insertBlock(norm, index.lineStart(frontMatter.bodyLine), block, false);
}

/** Removes a cell and the blank lines after it. */
export function removeCell(text: string, notebook: Notebook, cellId: string): string {
  const norm = normalizeSource(text);
  const cell = findCell(notebook, cellId);
  if (!cell) return norm;
  const head = norm.slice(0, cell.span.start.offset);
  // Drop the cell's line end and the blank lines after it; the next content keeps its indentation.
  const rest = norm.slice(cell.span.end.offset).replace(/^\s*\n/, '');
  if (rest.trim() === '') return head.trim() === '' ? '' : head.replace(/\s*$/, '\n');
  return head + rest;
}

/**
 * Moves a cell one step up (`-1`) or down (`1`): it swaps places with the
 * neighbouring cell or `:::` line, so moving across a container boundary moves
 * the cell into or out of that container. At either end the text is unchanged.
 */
export function moveCell(text: string, notebook: Notebook, cellId: string, direction: -1 | 1): string {
  const norm = normalizeSource(text);
  const cell = findCell(notebook, cellId);
  if (!cell) return norm;
  const index = new LineIndex(norm);
  const bodyLine = findFrontMatter(index, [])?.bodyLine ?? 0;
  const items: { start: number; end: number; cellId?: string }[] = notebook.cells.map((c) => ({ start: c.span.start.offset, end: c.span.end.offset, cellId: c.id }));
  if (bodyLine < index.lineCount) {
    for (const block of scanBlocks(norm, index.starts, bodyLine)) {
      if (block.type === 'marker') items.push({ start: index.lineStart(block.line), end: index.lineEnd(block.line) });
    }
  }
  items.sort((a, b) => a.start - b.start);
  const i = items.findIndex((item) => item.cellId === cellId);
  const j = i + direction;
  if (j < 0 || j >= items.length) return norm;
  const [a, b] = i < j ? [items[i], items[j]] : [items[j], items[i]];
  return norm.slice(0, a.start) + norm.slice(b.start, b.end) + norm.slice(a.end, b.start) + norm.slice(a.start, a.end) + norm.slice(b.end);
}

/** What {@link setCellAttributes} changes: a SQL cell's result name (`null` removes it) and the flags. */
export interface AttributePatch {
  name?: string | null;
  echo?: boolean;
  hidden?: boolean;
  sidebar?: boolean;
}

const FLAG_ORDER = ['echo', 'hidden', 'sidebar'] as const;

/**
 * Rewrites a fenced cell's info string with new attributes: the language
 * first, then a SQL cell's name, any other words as written (attributes this
 * version does not know), then the flags in a fixed order. The body is not
 * touched. A Markdown cell (no fence), a name on a non-SQL cell, or a name
 * that cannot be bound leaves the text unchanged.
 */
export function setCellAttributes(text: string, notebook: Notebook, cellId: string, patch: AttributePatch): string {
  const norm = normalizeSource(text);
  const cell = findCell(notebook, cellId);
  if (!cell || cell.kind === 'md') return norm;
  if (patch.name !== undefined && patch.name !== null && (cell.kind !== 'sql' || !isBindableName(patch.name))) return norm;
  const index = new LineIndex(norm);
  const line = cell.span.start.line - 1;
  const opening = FENCE_LINE.exec(index.lineText(line));
  if (!opening) return norm;
  const [, indent, fence, info] = opening;
  const words = info.trim().split(/\s+/).filter((word) => word !== '');
  const lang = words[0] ?? '';
  // A `code` cell's words belong to its language: only the language is kept as is.
  if (cell.kind === 'code') return norm;
  const name = patch.name === undefined ? cell.attributes.name : (patch.name ?? undefined);
  let others = words.slice(1).filter((word) => !(FLAG_ORDER as readonly string[]).includes(word));
  // A SQL cell's name is its first other word (even one that could not be bound): a new name replaces it.
  if (cell.kind === 'sql' && (patch.name !== undefined || cell.attributes.name !== undefined)) {
    const at = others.findIndex((word) => !word.includes('='));
    if (at >= 0 && (patch.name !== undefined || others[at] === cell.attributes.name)) others = others.filter((_, i) => i !== at);
  }
  const flags = FLAG_ORDER.filter((flag) => patch[flag] ?? cell.attributes[flag]);
  const newInfo = [lang, ...(name ? [name] : []), ...others, ...flags].join(' ');
  return norm.slice(0, index.lineStart(line)) + indent + fence + newInfo + norm.slice(index.lineEnd(line));
}
