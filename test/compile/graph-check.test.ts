import { describe, expect, it } from 'vitest';
import { analyzeCell, compileNotebook } from '../../src/compile/compile.ts';
import { checkGraph, dependencies } from '../../src/compile/graph-check.ts';
import { js, md, notebookOf } from './fixture.ts';

describe('graph checks', () => {
  it('a diamond compiles clean with the right edges', () => {
    const { notebook } = notebookOf([js('const a = 1'), js('const b = a + 1'), js('const c = a * 2'), js('const d = b + c')]);
    const out = compileNotebook(notebook);
    expect(out.diagnostics).toEqual([]);
    expect(out.cells.every((c) => c.body !== '')).toBe(true);
    expect(dependencies(out.cells)).toEqual([
      { from: 'c1', to: 'c2', name: 'a' },
      { from: 'c1', to: 'c3', name: 'a' },
      { from: 'c2', to: 'c4', name: 'b' },
      { from: 'c3', to: 'c4', name: 'c' },
    ]);
  });

  it('a 3-cycle is an error on every cell in it, naming the path, at the reference', () => {
    const { notebook, text } = notebookOf([js('const x = z + 1'), js('const y = x + 1'), js('const z = y + 1'), js('const free = 1')]);
    const out = compileNotebook(notebook);
    const cycle = out.diagnostics.filter((d) => d.code === 'cycle');
    expect(cycle.map((d) => d.cellId)).toEqual(['c1', 'c2', 'c3']);
    expect(cycle[0].message).toBe('circular definition: `x` needs `z`, `z` needs `y`, `y` needs `x`');
    expect(cycle[1].message).toBe('circular definition: `y` needs `x`, `x` needs `z`, `z` needs `y`');
    expect(cycle.map((d) => text.slice(d.span.start.offset, d.span.end.offset))).toEqual(['z', 'x', 'y']);
    expect(out.cells.slice(0, 3).every((c) => c.body === '' && c.errors.length === 1)).toBe(true);
    expect(out.cells[3]).toMatchObject({ errors: [], body: 'const free = 1\nreturn {free};' });
  });

  it('a name defined twice is an error on both definitions; users still compile', () => {
    const { notebook, text } = notebookOf([js('const a = 1'), js('let b = 0, a = 2'), js('a + 1')]);
    const out = compileNotebook(notebook);
    const dup = out.diagnostics.filter((d) => d.code === 'duplicate-name');
    expect(dup.map((d) => [d.cellId, text.slice(d.span.start.offset, d.span.end.offset), d.span.start.line])).toEqual([
      ['c1', 'a', 2],
      ['c2', 'a', 6],
    ]);
    expect(dup[0].message).toContain('line 6');
    expect(out.cells[2].errors).toEqual([]);
  });

  it('an undefined name is an error at the reference; DOM names get the worker hint', () => {
    const { notebook, text } = notebookOf([md('Hi ${nope}'), js('const el = document.body;\nwindow')]);
    const out = compileNotebook(notebook);
    expect(out.diagnostics.map((d) => [d.cellId, d.code, text.slice(d.span.start.offset, d.span.end.offset)])).toEqual([
      ['c1', 'undefined-name', 'nope'],
      ['c2', 'undefined-name', 'document'],
      ['c2', 'undefined-name', 'window'],
    ]);
    expect(out.diagnostics[1].message).toBe('`document` is not defined (code runs in a worker; no page DOM)');
  });

  it('rechecking after an edit fixes the errors of other cells (inputs are not mutated)', () => {
    const { notebook } = notebookOf([js('const a = 1'), js('const a = 2')]);
    const analyses = notebook.cells.map((c) => analyzeCell(c));
    expect(checkGraph(analyses).diagnostics).toHaveLength(2);
    analyses[1] = analyzeCell({ ...notebook.cells[1], source: 'const b = a' });
    const again = checkGraph(analyses);
    expect(again.diagnostics).toEqual([]);
    expect(again.cells[0].body).toBe('const a = 1\nreturn {a};');
  });

  it('keys: first output, else kind and ordinal; deterministic', () => {
    const { notebook } = notebookOf([md('a'), js('1'), js('const q = 1'), md('b'), js('2')]);
    const first = compileNotebook(notebook);
    expect(first.cells.map((c) => c.key)).toEqual(['md-1', 'js-1', 'q', 'md-2', 'js-3']);
    expect(compileNotebook(notebook)).toEqual(first);
  });

  it('keeps the parser diagnostics', () => {
    const { notebook } = notebookOf([js('1')]);
    const parserDiagnostic = { severity: 'warning' as const, code: 'unknown-attribute', message: 'x', span: notebook.cells[0].span, cellId: 'c1' };
    expect(compileNotebook({ ...notebook, diagnostics: [parserDiagnostic] }).diagnostics).toEqual([parserDiagnostic]);
  });
});
