import { describe, expect, it } from 'vitest';
import { importIpynb } from '../../src/notebook/ipynb.ts';

const notebook = (language: Record<string, unknown>, sources: [string, string][]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: language,
  cells: sources.map(([cell_type, source]) => ({ cell_type, source, metadata: {} })),
});

describe('importIpynb', () => {
  it('accepts the parsed object as well as the JSON text', () => {
    const nb = notebook({ language_info: { name: 'javascript' } }, [['code', 'const a = 1']]);
    const fromObject = importIpynb(nb, 'a.ipynb');
    expect(importIpynb(JSON.stringify(nb), 'a.ipynb')).toEqual(fromObject);
    expect(fromObject.source).toBe('```js\nconst a = 1\n```\n');
    expect(fromObject.notebook.cells[0]).toMatchObject({ kind: 'js', source: 'const a = 1' });
  });

  it('gives ONE warning naming every skipped cell, with 0-based indexes in `skipped`', () => {
    const result = importIpynb(
      notebook({ kernelspec: { language: 'python', name: 'python3' } }, [
        ['markdown', '# A'],
        ['code', 'x = 1'],
        ['code', '%%sql\nSELECT 1'],
        ['code', '%%R\nplot(1)'],
      ]),
      'p.ipynb',
    );
    expect(result.skipped).toEqual([
      { index: 1, language: 'python' },
      { index: 3, language: 'r' },
    ]);
    const warnings = result.notebook.diagnostics.filter((d) => d.code === 'ipynb-skipped-cells');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('cells 2 (python), 4 (r)');
    expect(result.notebook.cells.map((c) => c.kind)).toEqual(['md', 'sql']);
  });

  it('treats a notebook without language metadata as Python', () => {
    const result = importIpynb(notebook({}, [['code', 'print(1)']]), 'x.ipynb');
    expect(result.skipped).toEqual([{ index: 0, language: 'python' }]);
    expect(result.source).toBe('');
  });

  it('returns an error diagnostic, never throws, on malformed input', () => {
    for (const bad of ['', '{', 'null', '[]', '{"cells": 3}', JSON.stringify({ cells: [null, 7] })]) {
      const result = importIpynb(bad, 'bad.ipynb');
      expect(result.notebook.file).toBe('bad.ipynb');
      expect(result.notebook.diagnostics.length).toBeGreaterThan(0);
    }
    expect(importIpynb(undefined, 'u.ipynb').notebook.diagnostics[0].code).toBe('ipynb-invalid');
  });
});
