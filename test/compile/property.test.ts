/** Fuzzing: no cell source makes the compiler throw, and every diagnostic has a place inside the file. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../../src/compile/builtins.ts';
import { compileCell, compileNotebook } from '../../src/compile/compile.ts';
import type { CellKind, Diagnostic } from '../../src/notebook/types.ts';
import { notebookOf, type CellSpec } from './fixture.ts';

const SEEDS: Record<'js' | 'ts' | 'sql' | 'md', string[]> = {
  js: [
    'const a = 1, {b, c: [d]} = o;\nfunction f(x) { return x + a; }\nf(b)',
    'import x from "https://e.sh/x";\nfor (const i of xs) { label: if (i) break label; }\nx',
    'class K extends B { #p = 1; static { this.q = 2; } m() { return `t${this.#p}`; } }\ny = 3; z++;',
    'const café = "ü";\ncafé',
    'try { await fetch(u) } catch ({message}) { display(message) }\nreturn 1',
  ],
  ts: [
    'interface P { x: number }\nenum E { A, B = 3 }\nconst p = {x: 1} satisfies P;\np.x as number',
    'function g<T extends {id: string}>(v: T): T[] { return [v]; }\nlet q: Array<string> = g<any>(w);',
    'type U = A | B;\nabstract class C { private constructor(public readonly n: number) {} }',
  ],
  sql: ["SELECT * FROM t WHERE a = ${x} AND b = 'q`\\${y}'", "SELECT '}' || ${ {a:'}'}.a }\n-- ${\nFROM t; DROP TABLE u", 'SELECT `x`'],
  md: ['# T ${a}\n\n`${code}` and \\${lit} ${ {b: "}"}.b }', 'bad ${ a + } ${} ${"unterminated', 'plain $ { text }'],
};

/** Source text mutated by deleting, duplicating and inserting characters drawn from JS-ish syntax. */
const mutated = (seeds: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 6 }),
          fc.constantFrom('', '{', '}', '(', ')', '`', '${', '\\', "'", '"', '\n', 'return', 'import', '=', '++', ';', 'await ', '/*', 'x'),
        ),
        { maxLength: 6 },
      ),
    )
    .map(([seed, edits]) =>
      edits.reduce((text, [at, remove, insert]) => {
        const i = text.length === 0 ? 0 : at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + remove);
      }, seed),
    );

const cellSpec: fc.Arbitrary<CellSpec> = fc.oneof(
  ...(['js', 'ts', 'sql', 'md'] as const).map((kind) =>
    fc.oneof(mutated(SEEDS[kind]), // ASCII noise: acorn's Unicode tables are newer than Node 20's V8, so exotic letters parse differently.
      fc.string({ unit: 'binary-ascii', maxLength: 60 })).chain((source) =>
      kind === 'sql'
        ? fc.constantFrom<string | undefined>(undefined, 'rows', 'x', 'class', '9bad').map((name) => ({ kind: kind as CellKind, source, name }))
        : fc.constant({ kind: kind as CellKind, source }),
    ),
  ),
);

function expectPlaced(diagnostic: Diagnostic, text: string): void {
  const { start, end } = diagnostic.span;
  expect(diagnostic.code).not.toBe('internal-error');
  expect(start.offset).toBeGreaterThanOrEqual(0);
  expect(end.offset).toBeGreaterThanOrEqual(start.offset);
  expect(end.offset).toBeLessThanOrEqual(text.length);
  const before = text.slice(0, start.offset);
  expect(start.line).toBe(before.split('\n').length);
  expect(start.column).toBe(start.offset - before.lastIndexOf('\n'));
}

describe('compiler robustness', () => {
  it('compileCell never throws and places every diagnostic inside the file', () => {
    fc.assert(
      fc.property(cellSpec, (spec) => {
        const { notebook, text } = notebookOf([spec]);
        const compiled = compileCell(notebook.cells[0]);
        for (const d of compiled.errors) expectPlaced(d, text);
        if (compiled.errors.length > 0) expect(compiled.body).toBe('');
        if (compiled.markdown) expect(compiled.markdown.parts.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('compileNotebook never throws, is deterministic, and places every diagnostic', () => {
    fc.assert(
      fc.property(fc.array(cellSpec, { maxLength: 6 }), (specs) => {
        const { notebook, text } = notebookOf(specs);
        const out = compileNotebook(notebook);
        expect(out.cells).toHaveLength(specs.length);
        for (const d of out.diagnostics) expectPlaced(d, text);
        for (const cell of out.cells) {
          const errors = out.diagnostics.filter((d) => d.cellId === cell.id && d.severity === 'error');
          expect(cell.errors).toEqual(errors);
        }
        expect(compileNotebook(notebook)).toEqual(out);
      }),
      { numRuns: 150 },
    );
  });

  it('every body of an error-free js/ts/sql/md cell is valid JavaScript for the contract', () => {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => unknown;
    fc.assert(
      fc.property(cellSpec, (spec) => {
        const { notebook } = notebookOf([spec]);
        const cell = compileCell(notebook.cells[0]);
        if (cell.errors.length > 0 || cell.body === '') return;
        expect(() => new AsyncFunction('__brook', ...BUILTIN_NAMES, ...cell.inputs, cell.body)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
