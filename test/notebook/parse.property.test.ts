/**
 * Property tests: thousands of notebooks assembled from nasty fragments (and
 * random text) must parse without throwing, with every position valid and
 * consistent, and with cells that re-join to the file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertCell, replaceCellSource } from '../../src/notebook/edit.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import { LineIndex, normalizeSource } from '../../src/notebook/position.ts';
import type { LayoutNode, Notebook, Position, Span } from '../../src/notebook/types.ts';

const LINES = [
  '# Title', 'text with ${x} hole', '', '   ', '- list item', '  indented in list', '> quote', '<div>', '    indented code',
  '```js', '```ts echo', '```sql orders hidden', '```sql 1bad', '```python', '```', '````', '~~~', '~~~js', '  ```js', '   ~~~',
  '::: columns', '::: tabs', '::: tab A', '::: tab', '::: expander More', ':::', '::::', '::: weird', '  :::',
  'const a = 1;', 'SELECT * FROM t WHERE x = ${y}', '---', 'title: x', 'layout: wide', 'data: {1x: a.csv}', 'timeout: -1', '...',
  '\t```js', '\u00e9\u{1F600} unicode', '\0',
];

const line = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...LINES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const newline = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
const notebookText = fc
  .tuple(fc.boolean(), fc.constantFrom('', '---\ntitle: T\n---\n', '---\nbad: [\n---\n', '---\n', '---\nid: x\n'), fc.array(fc.tuple(line, newline), { maxLength: 40 }), fc.boolean())
  .map(([bom, front, lines, trailing]) => {
    const body = lines.map(([l, nl]) => l + nl).join('');
    return (bom ? '\uFEFF' : '') + front + (trailing ? body : body.replace(/[\r\n]+$/, ''));
  });

function checkPosition(index: LineIndex, p: Position): void {
  expect(p.line).toBeGreaterThanOrEqual(1);
  expect(p.line).toBeLessThanOrEqual(index.lineCount);
  expect(p.offset).toBeGreaterThanOrEqual(0);
  expect(p.offset).toBeLessThanOrEqual(index.text.length);
  expect(index.position(p.offset)).toEqual(p);
}

function checkSpan(index: LineIndex, s: Span): void {
  checkPosition(index, s.start);
  checkPosition(index, s.end);
  expect(s.start.offset).toBeLessThanOrEqual(s.end.offset);
}

function layoutCells(nodes: LayoutNode[], index: LineIndex, out: string[] = []): string[] {
  for (const node of nodes) {
    if (node.type === 'cell') out.push(node.cellId);
    else {
      checkSpan(index, node.span);
      layoutCells(node.children, index, out);
    }
  }
  return out;
}

function checkNotebook(input: string, nb: Notebook): void {
  const text = normalizeSource(input);
  const index = new LineIndex(text);
  expect(nb.diagnostics.filter((d) => d.code === 'internal-parser-error')).toEqual([]);
  expect(nb.cells.map((c) => c.id)).toEqual(nb.cells.map((_, i) => `c${i + 1}`));
  for (const d of nb.diagnostics) {
    checkSpan(index, d.span);
    if (d.cellId !== undefined) expect(nb.cells.some((c) => c.id === d.cellId)).toBe(true);
  }
  let previousEnd = 0;
  const covered = new Set<number>();
  for (const cell of nb.cells) {
    checkSpan(index, cell.span);
    checkPosition(index, cell.sourceStart);
    expect(cell.span.start.offset).toBeGreaterThanOrEqual(previousEnd);
    expect(cell.span.start.column).toBe(1);
    expect(cell.sourceStart.offset).toBeGreaterThanOrEqual(cell.span.start.offset);
    previousEnd = cell.span.end.offset;
    for (let l = cell.span.start.line; l <= cell.span.end.line; l++) covered.add(l);
    const raw = text.slice(cell.span.start.offset, cell.span.end.offset);
    if (cell.kind === 'md') {
      expect(cell.source).toBe(raw);
      expect(cell.source.trim()).not.toBe('');
    } else {
      expect(raw).toMatch(/^ {0,3}(`{3,}|~{3,})/);
      if (!/^ /.test(raw)) expect(text.slice(cell.sourceStart.offset, cell.sourceStart.offset + cell.source.length)).toBe(cell.source);
    }
  }
  // Re-joining: every line outside the cells is blank, front matter, or a `:::` line.
  const frontMatter = /^---[ \t]*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text)?.[0];
  const frontMatterLines = frontMatter ? frontMatter.replace(/\n$/, '').split('\n').length : 0;
  for (let l = 1; l <= index.lineCount; l++) {
    if (covered.has(l) || l <= frontMatterLines) continue;
    expect(index.lineText(l - 1)).toMatch(/^(\s*|:{3,}.*|---.*)$/);
  }
  expect(layoutCells(nb.layout, index)).toEqual(nb.cells.map((c) => c.id));
}

describe('parseNotebook (property)', () => {
  it('never throws and keeps every position valid and consistent', () => {
    fc.assert(
      fc.property(notebookText, (input) => {
        checkNotebook(input, parseNotebook(input, 'p.md'));
      }),
      { numRuns: 2500 },
    );
  }, 120_000);

  it('survives arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme-composite' }), (input) => {
        checkNotebook(input, parseNotebook(input, 'p.md'));
      }),
      { numRuns: 1000 },
    );
  });

  it('replaceCellSource on a fenced cell round-trips any source', () => {
    const sourceLine = fc.oneof(fc.constantFrom('```', '````', '~~~', '  ```', '```js', ':::', '', ' ', 'x = 1', '---'), fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '')));
    fc.assert(
      fc.property(notebookText, fc.array(sourceLine, { maxLength: 6 }), fc.nat(), (input, lines, pick) => {
        const nb = parseNotebook(input, 'p.md');
        const fenced = nb.cells.filter((c) => c.kind !== 'md');
        // A `---` line anywhere in the file would close an unterminated front matter: not an edit's concern.
        if (fenced.length === 0 || nb.diagnostics.some((d) => d.code === 'unterminated-front-matter')) return;
        const cell = fenced[pick % fenced.length];
        const position = nb.cells.indexOf(cell);
        const source = lines.join('\n');
        const next = parseNotebook(replaceCellSource(input, nb, cell.id, source), 'p.md');
        expect(next.cells.length).toBe(nb.cells.length);
        expect(next.cells[position].source).toBe(source);
        expect(next.cells[position].kind).toBe(cell.kind);
        expect(next.cells[position].attributes).toEqual(cell.attributes);
        expect(next.cells.map((c) => c.source)).toEqual(nb.cells.map((c, i) => (i === position ? source : c.source)));
      }),
      { numRuns: 1500 },
    );
  });

  it('insertCell of a code cell adds exactly that cell after the chosen one', () => {
    fc.assert(
      fc.property(notebookText, fc.nat(), fc.constantFrom('js', 'ts', 'sql') , fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')), (input, pick, kind, source) => {
        const nb = parseNotebook(input, 'p.md');
        const after = nb.cells.length === 0 ? null : nb.cells[pick % nb.cells.length];
        // CommonMark: an unclosed `<!--`, `<?`, `<![CDATA[`, `<script>`… runs on across blank lines and swallows what follows.
        if (after?.kind === 'md' && /<(!|\?|script|pre|style|textarea)/i.test(after.source)) return;
        const next = parseNotebook(insertCell(input, nb, after?.id ?? null, kind, source), 'p.md');
        const at = after ? nb.cells.indexOf(after) + 1 : 0;
        expect(next.cells.length).toBe(nb.cells.length + 1);
        expect(next.cells[at]).toMatchObject({ kind, source });
      }),
      { numRuns: 1500 },
    );
  });
});
