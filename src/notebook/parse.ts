/**
 * The Brook notebook format: Markdown text → {@link Notebook}.
 *
 * Format decisions (the precise rules; user docs summarize them):
 *
 * - **Text.** A UTF-8 BOM is dropped and CRLF / lone CR become `\n` before
 *   anything else; every position (`line`, `column`, `offset`) refers to that
 *   normalized text. Lines and columns are 1-based, columns and offsets count
 *   UTF-16 code units.
 * - **Front matter.** Only when line 1 is exactly `---`; it ends at the next
 *   `---` or `...` line. See `front-matter.ts`.
 * - **Code cells** are fenced code blocks at the top level of the document,
 *   following CommonMark (parsed by markdown-it): ```` ``` ```` or `~~~`, three
 *   or more, indented at most three spaces; the closing fence uses the same
 *   character, is at least as long and has nothing after it. A fence inside a
 *   list item, block quote or HTML block, or indented four spaces, is Markdown
 *   content, not a cell. Up to the opening fence's indentation is removed from
 *   each source line (CommonMark). A fence that is never closed runs to the end
 *   of the file (`unterminated-fence`).
 * - **Info string.** The first word is the language: `js`/`javascript`,
 *   `ts`/`typescript`, `sql` (case-insensitive) are run; anything else (or
 *   nothing) gives a `code` cell that is shown, never run, with
 *   `attributes.lang` as written (`''` for a bare fence). After the language:
 *   the flags `echo`, `hidden`, `sidebar`; for `sql`, one bare identifier is the
 *   result's `name` (`bad-sql-name` when it is not a bindable identifier), and
 *   `engine=NAME` picks an engine of the front matter's `engines:` to run it
 *   (`unknown-engine` when the front matter declares none by that name). Other
 *   words on `js`/`ts`/`sql` fences are reported (`unknown-attribute`) and
 *   ignored; words on `code` fences belong to that language and are ignored.
 * - **Markdown cells** are the text between fences and `:::` lines with leading
 *   and trailing blank lines removed; whitespace-only stretches are no cell.
 *   Two Markdown stretches are separate cells only when a fence or `:::` line
 *   separates them. `${…}` is kept verbatim (the compiler handles holes).
 * - **Spans.** A cell's `span` runs from the start of its first line (the
 *   opening fence, indentation included) to the end of its last line (the
 *   closing fence), excluding the final `\n`. `sourceStart` is the start of the
 *   line after the opening fence (for Markdown, the span start); for a fence on
 *   the last line of the file it is the end of the file.
 * - **Ids** are `c1`, `c2`, … over all cells in document order.
 * - **Containers** are lines starting in column 1 with `:::`; see `layout.ts`.
 *
 * `parseNotebook` never throws: every problem is a diagnostic with a span.
 */
import { scanBlocks, type FenceBlock } from './blocks.ts';
import { defaultFrontMatter, findFrontMatter, parseFrontMatter } from './front-matter.ts';
import { isBindableName } from './identifier.ts';
import { buildLayout, type LayoutItem } from './layout.ts';
import { LineIndex, normalizeSource } from './position.ts';
import type { CellAttributes, CellKind, Diagnostic, EngineSpec, Notebook, SourceCell } from './types.ts';

const LANGUAGES: Record<string, CellKind> = { js: 'js', javascript: 'js', ts: 'ts', typescript: 'ts', sql: 'sql' };
const FLAGS = new Set(['echo', 'hidden', 'sidebar']);

/** Parses notebook text. Never throws; problems are in `notebook.diagnostics`. */
export function parseNotebook(source: string, file: string): Notebook {
  const diagnostics: Diagnostic[] = [];
  try {
    return parseOrThrow(source, file, diagnostics);
  } catch (error) {
    // Defence in depth: a bug here must not take the page down; report it instead.
    const index = new LineIndex(normalizeSource(String(source ?? '')));
    diagnostics.push({
      severity: 'error',
      code: 'internal-parser-error',
      message: `The notebook parser failed: ${error instanceof Error ? error.message : String(error)}`,
      span: index.span(0, 0),
    });
    return { file, frontMatter: defaultFrontMatter(), cells: [], layout: [], diagnostics };
  }
}

function parseOrThrow(raw: string, file: string, diagnostics: Diagnostic[]): Notebook {
  const text = normalizeSource(raw);
  const index = new LineIndex(text);
  const block = findFrontMatter(index, diagnostics);
  const frontMatter = block ? parseFrontMatter(block, index, diagnostics) : defaultFrontMatter();
  const bodyLine = block ? block.bodyLine : 0;

  const cells: SourceCell[] = [];
  const items: LayoutItem[] = [];
  const nextId = () => `c${cells.length + 1}`;

  const addMarkdown = (fromLine: number, toLine: number) => {
    let first = fromLine;
    let last = toLine - 1;
    while (first <= last && index.lineText(first).trim() === '') first++;
    while (last >= first && index.lineText(last).trim() === '') last--;
    if (first > last) return;
    const start = index.lineStart(first);
    const end = index.lineEnd(last);
    const cell: SourceCell = {
      id: nextId(),
      kind: 'md',
      source: text.slice(start, end),
      attributes: { echo: false, hidden: false, sidebar: false },
      span: index.span(start, end),
      sourceStart: index.position(start),
    };
    cells.push(cell);
    items.push({ type: 'cell', cellId: cell.id, line: first });
  };

  let cursor = bodyLine;
  for (const b of bodyLine < index.lineCount ? scanBlocks(text, index.starts, bodyLine) : []) {
    const startLine = b.type === 'fence' ? b.startLine : b.line;
    addMarkdown(cursor, startLine);
    if (b.type === 'marker') {
      items.push({ type: 'marker', line: b.line, argument: b.argument });
      cursor = b.line + 1;
    } else {
      const cell = fenceCell(b, nextId(), index, diagnostics, frontMatter.engines ?? {});
      cells.push(cell);
      items.push({ type: 'cell', cellId: cell.id, line: b.startLine });
      cursor = b.endLine;
    }
  }
  addMarkdown(cursor, index.lineCount);

  const layout = buildLayout(items, index, diagnostics);
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { file, frontMatter, cells, layout, diagnostics };
}

function fenceCell(b: FenceBlock, id: string, index: LineIndex, diagnostics: Diagnostic[], engines: Record<string, EngineSpec>): SourceCell {
  const opening = index.lineText(b.startLine);
  const indent = /^ */.exec(opening)![0].length;
  const contentEnd = b.closed ? b.endLine - 1 : b.endLine;
  const lines: string[] = [];
  for (let line = b.startLine + 1; line < contentEnd; line++) {
    const raw = index.lineText(line);
    const spaces = /^ */.exec(raw)![0].length;
    lines.push(raw.slice(Math.min(spaces, indent)));
  }
  const openingSpan = index.span(index.lineStart(b.startLine), index.lineEnd(b.startLine));
  const { kind, attributes } = parseInfo(b.info, id, openingSpan, diagnostics, engines);
  if (!b.closed) {
    diagnostics.push({
      severity: 'error',
      code: 'unterminated-fence',
      message: `The code fence opened on line ${b.startLine + 1} is never closed; the cell runs to the end of the file.`,
      span: openingSpan,
      cellId: id,
    });
  }
  const sourceStart = b.startLine + 1 < index.lineCount ? index.lineStart(b.startLine + 1) : index.text.length;
  return {
    id,
    kind,
    source: lines.join('\n'),
    attributes,
    span: index.span(index.lineStart(b.startLine), index.lineEnd(b.endLine - 1)),
    sourceStart: index.position(sourceStart),
  };
}

/** Reads the language and attributes of a fence's info string. */
function parseInfo(
  info: string,
  cellId: string,
  span: Diagnostic['span'],
  diagnostics: Diagnostic[],
  engines: Record<string, EngineSpec>,
): { kind: CellKind; attributes: CellAttributes } {
  const words = info.trim().split(/\s+/).filter((w) => w !== '');
  const lang = words[0] ?? '';
  const kind = LANGUAGES[lang.toLowerCase()] ?? 'code';
  const attributes: CellAttributes = { echo: false, hidden: false, sidebar: false };
  if (kind === 'code') {
    attributes.lang = lang;
    return { kind, attributes };
  }
  const errors = new Set(['bad-sql-name', 'unknown-engine']);
  const report = (code: string, message: string) => diagnostics.push({ severity: errors.has(code) ? 'error' : 'warning', code, message, span, cellId });
  for (const word of words.slice(1)) {
    const engine = kind === 'sql' ? /^engine=(.*)$/.exec(word) : null;
    if (FLAGS.has(word)) attributes[word as 'echo' | 'hidden' | 'sidebar'] = true;
    else if (engine) {
      const name = engine[1];
      const declared = Object.keys(engines);
      if (Object.hasOwn(engines, name)) attributes.engine = name;
      else {
        report('unknown-engine', `\`engine=${name}\`: the front matter declares ${declared.length ? `no engine \`${name}\` (it has ${declared.map((e) => `\`${e}\``).join(', ')})` : 'no engines'}; add it under \`engines:\`.`);
      }
    } else if (kind === 'sql' && attributes.name === undefined) {
      if (isBindableName(word)) attributes.name = word;
      else report('bad-sql-name', `\`${word}\` cannot name a SQL result: use letters, digits and _ (not starting with a digit, not a reserved word).`);
    } else {
      report('unknown-attribute', `Unknown fence attribute \`${word}\` (expected ${kind === 'sql' ? 'a result name, engine=NAME, ' : ''}echo, hidden or sidebar); it is ignored.`);
    }
  }
  return { kind, attributes };
}
