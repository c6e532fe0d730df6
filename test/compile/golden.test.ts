/**
 * Golden files: each `golden/*.md` is parsed and compiled; the result must
 * equal the `.json` beside it. A missing or different golden fails;
 * `UPDATE_GOLDEN=1` rewrites them (review the diff before committing).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileNotebook } from '../../src/compile/compile.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';

const dir = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

function snapshot(file: string, text: string): unknown {
  const compiled = compileNotebook(parseNotebook(text, file));
  return {
    cells: compiled.cells.map((c) => ({
      id: c.id,
      key: c.key,
      kind: c.kind,
      line: c.span.start.line,
      bodyLine: c.bodyLine,
      inputs: c.inputs,
      outputs: c.outputs,
      builtins: c.builtins,
      ...(c.markdown ? { parts: c.markdown.parts } : {}),
      body: c.body.split('\n'),
      errors: c.errors.map((e) => e.code),
    })),
    diagnostics: compiled.diagnostics.map(
      (d) => `${file}:${d.span.start.line}:${d.span.start.column}: ${d.severity}: ${d.message} [${d.code}${d.cellId ? ` ${d.cellId}` : ''}]`,
    ),
  };
}

describe('golden compiled notebooks', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  it('has golden inputs', () => expect(files.length).toBeGreaterThan(0));
  for (const name of files) {
    it(name, () => {
      const actual = snapshot(name, readFileSync(join(dir, name), 'utf8'));
      const goldenPath = join(dir, name.replace(/\.md$/, '.json'));
      if (update) writeFileSync(goldenPath, JSON.stringify(actual, null, 2) + '\n');
      expect(existsSync(goldenPath), `missing golden ${goldenPath}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
    });
  }
});

describe('shipped examples', () => {
  const examples = join(import.meta.dirname, '../../examples');
  const files = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.md')) : [];
  for (const name of files) {
    it(`${name} compiles without errors`, () => {
      const compiled = compileNotebook(parseNotebook(readFileSync(join(examples, name), 'utf8'), name));
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  }
});
