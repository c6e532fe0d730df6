import { describe, expect, it } from 'vitest';
import { insertCell, moveCell, removeCell, replaceCellSource } from '../../src/notebook/edit.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import type { Notebook } from '../../src/notebook/types.ts';

const DOC = `---
title: T
---

# Intro

\`\`\`js
const a = 1
\`\`\`

::: columns
\`\`\`sql totals echo
SELECT 1
\`\`\`

Middle text.
:::

\`\`\`ts
let b = 2
\`\`\`
`;

const parse = (text: string): Notebook => parseNotebook(text, 't.md');
const summary = (text: string) => parse(text).cells.map((c) => `${c.kind}:${c.source}`);

describe('replaceCellSource', () => {
  it('replaces a code cell and keeps language and attributes', () => {
    const out = replaceCellSource(DOC, parse(DOC), 'c3', 'SELECT 2\nFROM t');
    const nb = parse(out);
    expect(nb.cells[2]).toMatchObject({ kind: 'sql', source: 'SELECT 2\nFROM t', attributes: { name: 'totals', echo: true } });
    expect(summary(out)).toEqual(['md:# Intro', 'js:const a = 1', 'sql:SELECT 2\nFROM t', 'md:Middle text.', 'ts:let b = 2']);
    expect(nb.diagnostics).toEqual([]);
  });

  it('lengthens the fence when the new source contains a closing fence', () => {
    const out = replaceCellSource(DOC, parse(DOC), 'c2', 'const s = `\n```\n`');
    expect(out).toContain('````js\nconst s = `\n```\n`\n````');
    expect(parse(out).cells[1].source).toBe('const s = `\n```\n`');
    expect(parse(out).cells).toHaveLength(5);
  });

  it('replaces a markdown cell verbatim', () => {
    const out = replaceCellSource(DOC, parse(DOC), 'c1', '# New title\n\nwith ${x}');
    expect(summary(out)[0]).toBe('md:# New title\n\nwith ${x}');
    expect(out.startsWith('---\ntitle: T\n---\n\n# New title')).toBe(true);
  });

  it('keeps a blank line below a markdown cell so an HTML block cannot swallow the next fence', () => {
    const text = 'text\n```js\n1\n```\n';
    const out = replaceCellSource(text, parse(text), 'c1', '<div>');
    expect(summary(out)).toEqual(['md:<div>', 'js:1']);
  });

  it('closes an unterminated fence and keeps indentation of an indented fence', () => {
    const text = '  ```js\n  x\nmore';
    const out = replaceCellSource(text, parse(text), 'c1', 'y\n  z');
    expect(out).toBe('  ```js\n  y\n    z\n  ```');
    expect(parse(out).cells[0].source).toBe('y\n  z');
    expect(parse(out).diagnostics).toEqual([]);
  });

  it('normalizes CRLF input and leaves unknown ids alone', () => {
    const text = '\uFEFF# A\r\n\r\n```js\r\n1\r\n```\r\n';
    expect(replaceCellSource(text, parse(text), 'c2', '2')).toBe('# A\n\n```js\n2\n```\n');
    expect(replaceCellSource(text, parse(text), 'c9', '2')).toBe('# A\n\n```js\n1\n```\n');
  });
});

describe('insertCell', () => {
  it('inserts after a cell, inside its container', () => {
    const nb = parse(DOC);
    const out = insertCell(DOC, nb, 'c3', 'js', 'const c = 3');
    const next = parse(out);
    expect(summary(out)).toEqual(['md:# Intro', 'js:const a = 1', 'sql:SELECT 1', 'js:const c = 3', 'md:Middle text.', 'ts:let b = 2']);
    const columns = next.layout.find((n) => n.type === 'columns');
    expect(columns && 'children' in columns ? columns.children : []).toEqual([
      { type: 'cell', cellId: 'c3' },
      { type: 'cell', cellId: 'c4' },
      { type: 'cell', cellId: 'c5' },
    ]);
  });

  it('inserts at the top below the front matter, and after the last cell', () => {
    const top = insertCell(DOC, parse(DOC), null, 'sql', 'SELECT 0', { name: 'zero', hidden: true });
    expect(parse(top).cells[0]).toMatchObject({ kind: 'sql', source: 'SELECT 0', attributes: { name: 'zero', hidden: true } });
    expect(parse(top).frontMatter.title).toBe('T');
    const end = insertCell(DOC, parse(DOC), 'c5', 'md', 'The end.');
    expect(summary(end).at(-1)).toBe('md:The end.');
    expect(end.endsWith('```\n\nThe end.\n')).toBe(true);
  });

  it('works on an empty file and a file that is only front matter', () => {
    expect(summary(insertCell('', parse(''), null, 'js', '1'))).toEqual(['js:1']);
    const fm = '---\ntitle: x\n---';
    expect(summary(insertCell(fm, parse(fm), null, 'ts', 'let y = 1'))).toEqual(['ts:let y = 1']);
  });

  it('merges markdown inserted next to markdown (markdown cells are maximal runs)', () => {
    const text = '# A\n\n```js\n1\n```\n';
    expect(summary(insertCell(text, parse(text), null, 'md', 'Lead'))).toEqual(['md:Lead\n\n# A', 'js:1']);
  });

  it('closes an unterminated fence before inserting after it', () => {
    const text = '```js\nx';
    const out = insertCell(text, parse(text), 'c1', 'sql', 'SELECT 1');
    expect(summary(out)).toEqual(['js:x', 'sql:SELECT 1']);
  });
});

describe('removeCell', () => {
  it('removes a cell and its trailing blank lines', () => {
    const out = removeCell(DOC, parse(DOC), 'c2');
    expect(summary(out)).toEqual(['md:# Intro', 'sql:SELECT 1', 'md:Middle text.', 'ts:let b = 2']);
    expect(out).toContain('# Intro\n\n::: columns');
  });

  it('removes the last cell leaving one final newline, and the only cell leaving nothing', () => {
    const out = removeCell(DOC, parse(DOC), 'c5');
    expect(out.endsWith(':::\n')).toBe(true);
    const one = '```js\n1\n```\n';
    expect(removeCell(one, parse(one), 'c1')).toBe('');
  });
});

describe('moveCell', () => {
  it('swaps with the neighbouring cell', () => {
    const out = moveCell(DOC, parse(DOC), 'c2', -1);
    expect(summary(out)).toEqual(['js:const a = 1', 'md:# Intro', 'sql:SELECT 1', 'md:Middle text.', 'ts:let b = 2']);
  });

  it('steps over a ::: line, leaving or entering the container', () => {
    const out = moveCell(DOC, parse(DOC), 'c3', -1);
    const nb = parse(out);
    expect(summary(out)).toEqual(['md:# Intro', 'js:const a = 1', 'sql:SELECT 1', 'md:Middle text.', 'ts:let b = 2']);
    expect(nb.layout.slice(0, 3)).toEqual([{ type: 'cell', cellId: 'c1' }, { type: 'cell', cellId: 'c2' }, { type: 'cell', cellId: 'c3' }]);
    const back = moveCell(out, nb, 'c3', 1);
    expect(back).toBe(DOC);
  });

  it('leaves the text unchanged at either end', () => {
    expect(moveCell(DOC, parse(DOC), 'c1', -1)).toBe(DOC);
    expect(moveCell(DOC, parse(DOC), 'c5', 1)).toBe(DOC);
  });
});
