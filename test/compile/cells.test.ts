import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../../src/compile/builtins.ts';
import { compileCell } from '../../src/compile/compile.ts';
import type { Diagnostic } from '../../src/notebook/types.ts';
import { cellOf, js, md, sql, ts, type CellSpec } from './fixture.ts';

function compile(spec: CellSpec) {
  const { cell, text } = cellOf(spec);
  const compiled = compileCell(cell);
  const at = (d: Diagnostic) => text.slice(d.span.start.offset, d.span.end.offset);
  return { compiled, text, at };
}

describe('js cells: body rewrite', () => {
  it('wraps the final bare expression and returns the outputs, lines preserved', () => {
    const { compiled } = compile(js('const a = 1;\nfunction f() { return a; }\nf() + a'));
    expect(compiled.body).toBe('const a = 1;\nfunction f() { return a; }\n__brook.value((f() + a));\nreturn {a, f};');
    expect(compiled.outputs).toEqual(['a', 'f']);
    expect(compiled.key).toBe('a');
    expect(compiled.bodyLine).toBe(2);
  });

  it('does not wrap assignments, updates or display() calls', () => {
    expect(compile(js('state.count = 1')).compiled.body).toBe('state.count = 1\nreturn {};');
    expect(compile(js('display(1)')).compiled.body).toBe('display(1)\nreturn {};');
    expect(compile(js('let i = 0;\ni++')).compiled.body).toBe('let i = 0;\ni++\nreturn {i};');
  });

  it('rewrites URL imports to await import() on the same lines', () => {
    const { compiled } = compile(js('import d, {a as b,\n  c} from "https://x.js";\nimport * as ns from "./m.js";\nb'));
    expect(compiled.body).toBe(
      'const {default: d, a: b, c} = await import("https://x.js");\n\nconst ns = await import("./m.js");\n__brook.value((b));\nreturn {d, b, c, ns};',
    );
    expect(compiled.errors).toEqual([]);
  });

  it('rejects bare imports, top-level return and assigning to another cell, with places', () => {
    const { compiled, at } = compile(js('import x from "d3";\nif (a) return;\nb = 2;\nc.d = 3;'));
    expect(compiled.body).toBe('');
    expect(compiled.errors.map((e) => [e.code, at(e), e.span.start.line])).toEqual([
      ['bare-import', '"d3"', 2],
      ['top-level-return', 'return;', 3],
      ['assign-input', 'b', 4],
    ]);
  });

  it('rejects declaring a built-in name and warns on shadowing a global', () => {
    const { compiled, at } = compile(js('const text = 1;\nconst fetch = 2;'));
    expect(compiled.errors.map((e) => [e.code, at(e)])).toEqual([['builtin-name', 'text']]);
  });

  it('reports syntax errors at the file position', () => {
    const { compiled } = compile(js('const a = 1;\nconst = 2;'));
    expect(compiled.errors).toHaveLength(1);
    expect(compiled.errors[0]).toMatchObject({ code: 'syntax-error', span: { start: { line: 3, column: 7 } } });
  });

  it('leaves built-ins and worker globals out of inputs', () => {
    const { compiled } = compile(js('const v = slider("v");\nMath.max(v, fetch, x, query, y)'));
    expect(compiled.inputs).toEqual(['x', 'y']);
  });
});

describe('builtins: the built-ins a cell reads', () => {
  it('lists each built-in read, sorted and once, and no globals or inputs', () => {
    const { compiled } = compile(js('const v = slider("v");\ndisplay(Plot.plot({marks: [Plot.dot(rows, {x: v})]}));\nMath.max(v, fetch)'));
    expect(compiled.builtins).toEqual(['Plot', 'display', 'slider']);
    expect(compiled.inputs).toEqual(['rows']);
  });

  it('leaves out a built-in name that a local binding shadows', () => {
    expect(compile(js('function f(Plot) { return Plot.x; }\n{ const Plot = 1; display(Plot); }')).compiled.builtins).toEqual(['display']);
    expect(compile(js('const chart = (opts) => Plot.plot(opts);')).compiled.builtins).toEqual(['Plot']);
  });

  it('lists what generated code reads (query in SQL) and nothing for plain markdown', () => {
    expect(compile(sql('SELECT ${n}', 'r')).compiled.builtins).toEqual(['query']);
    expect(compile(md('# Total ${now}')).compiled.builtins).toEqual(['now']);
    expect(compile(md('# No holes')).compiled.builtins).toEqual([]);
  });

  it('lists every built-in for a cell that calls eval (a direct eval sees all parameters)', () => {
    expect(compile(js('eval("Plot")')).compiled.builtins).toHaveLength(BUILTIN_NAMES.length);
  });
});

describe('ts cells', () => {
  const source = [
    'interface Point { x: number; y: number }',
    'type Id = string | number;',
    'enum Color { Red, Green = 5 }',
    'function first<T>(items: T[]): T { return items[0]; }',
    'const p = {x: 1, y: 2} satisfies Point;',
    'const n = (p.x as number) + Color.Green;',
    'class Box<T> { constructor(public value: T) {} }',
    'first<number>([n, missing])',
  ].join('\n');

  it('transpiles types, interfaces, enums, generics, as, satisfies with lines kept', () => {
    const { compiled } = compile(ts(source));
    expect(compiled.errors).toEqual([]);
    expect(compiled.outputs).toEqual(['Color', 'first', 'p', 'n', 'Box']);
    expect(compiled.inputs).toEqual(['missing']);
    const lines = compiled.body.split('\n');
    expect(lines).toHaveLength(source.split('\n').length + 1);
    expect(lines[4]).toContain('const p = {x: 1, y: 2}');
    expect(lines[5]).toContain('const n = (p.x ) + Color.Green;');
    expect(lines[7]).toBe('__brook.value((first([n, missing])));');
    expect(lines[8]).toBe('return {Color, first, p, n, Box};');
  });

  it('maps a reference to its original column despite removed types', () => {
    const { cell, text } = cellOf(ts('const a: Array<number> = [1];\nconst b: number = a[0] + zz;\nzz = 1'));
    const compiled = compileCell(cell);
    const error = compiled.errors.find((e) => e.code === 'assign-input')!;
    expect(text.slice(error.span.start.offset, error.span.end.offset)).toBe('zz');
    expect(error.span.start.line).toBe(4);
  });

  it('reports TS syntax errors at their place', () => {
    const { compiled } = compile(ts('const ok = 1;\nconst x: = 1;'));
    expect(compiled.errors[0]).toMatchObject({ code: 'syntax-error', span: { start: { line: 3 } } });
  });
});

describe('sql cells', () => {
  it('binds a named result through query`…` and keeps holes as template expressions', () => {
    const { compiled } = compile(sql('SELECT *\nFROM t\nWHERE a > ${min} AND b = ${ {k: lo}["k"] }', 'rows'));
    expect(compiled.body).toBe(
      'const rows = await query.holes(["min","{k: lo}[\\"k\\"]"])`SELECT *\nFROM t\nWHERE a > ${min} AND b = ${{k: lo}["k"]}`; __brook.value((rows));\nreturn {rows};',
    );
    expect(compiled.outputs).toEqual(['rows']);
    expect(compiled.inputs).toEqual(['min', 'lo']);
  });

  it('escapes backticks, backslashes and literal \\${ so the cooked SQL is exactly the text', () => {
    const text = "SELECT 'a`b', E'\\\\n', '\\${not_a_hole}'; DROP TABLE x; -- ${v}";
    const { compiled } = compile(sql(text));
    expect(compiled.errors).toEqual([]);
    expect(compiled.inputs).toEqual(['v']);
    const calls: Array<{ strings: readonly string[]; values: unknown[]; holes: readonly string[] }> = [];
    const query = { holes: (holes: readonly string[]) => (strings: TemplateStringsArray, ...values: unknown[]) => (calls.push({ strings, values, holes }), 'result') };
    const values: unknown[] = [];
    const fn = new Function('__brook', 'query', 'v', `return (async () => {${compiled.body}})()`);
    return fn({ value: (x: unknown) => values.push(x) }, query, 42).then(() => {
      expect(calls[0].strings.join('?')).toBe("SELECT 'a`b', E'\\\\n', '${not_a_hole}'; DROP TABLE x; -- ?");
      expect(calls[0].values).toEqual([42]);
      expect(calls[0].holes).toEqual(['v']);
      expect(values).toEqual(['result']);
    });
  });

  it('display-only SQL has no outputs', () => {
    const { compiled } = compile(sql('SELECT 1'));
    expect(compiled.body).toBe('__brook.value((await query`SELECT 1`));\nreturn {};');
    expect(compiled.outputs).toEqual([]);
    expect(compiled.key).toBe('sql-1');
  });

  it('places hole errors on the SQL text', () => {
    const { compiled, at } = compile(sql('SELECT 1\nWHERE a = ${x +}', 'r'));
    expect(compiled.errors).toHaveLength(1);
    expect(compiled.errors[0].code).toBe('hole-syntax');
    expect(compiled.errors[0].span.start.line).toBe(3);
    expect(at(compiled.errors[0])).toBe('');
  });
});

describe('markdown cells', () => {
  it('splits text around holes and compiles the holes on their lines', () => {
    const { compiled } = compile(md('# Total ${sum}\n\nA ${ {a: "}"}.a } and `${code}` and \\${lit}\nlast ${f(x, y)}'));
    expect(compiled.markdown!.parts).toEqual(['# Total ', '\n\nA ', ' and `${code}` and ${lit}\nlast ', '']);
    expect(compiled.body).toBe('__brook.holes([(sum), \n\n({a: "}"}.a), \n(f(x, y))]);\nreturn {};');
    expect(compiled.inputs).toEqual(['sum', 'f', 'x', 'y']);
    expect(compiled.key).toBe('md-1');
  });

  it('has an empty body and no inputs without holes', () => {
    const { compiled } = compile(md('# Just text, $5 {braces}'));
    expect(compiled).toMatchObject({ body: '', inputs: [], outputs: [], markdown: { parts: ['# Just text, $5 {braces}'] } });
  });

  it('keeps a malformed hole as text with a diagnostic at its place', () => {
    const { compiled } = compile(md('ok ${a}\nbad ${b +} tail ${}'));
    expect(compiled.markdown!.parts).toEqual(['ok ', '\nbad ${b +} tail ${}']);
    expect(compiled.errors.map((e) => [e.code, e.span.start.line, e.span.start.column])).toEqual([
      ['hole-syntax', 2, 10],
      ['empty-hole', 2, 17],
    ]);
    expect(compiled.body).toBe('');
  });
});

describe('code cells', () => {
  it('are never executed', () => {
    const { compiled } = compile({ kind: 'code', source: 'print("hi")' });
    expect(compiled).toMatchObject({ body: '', inputs: [], outputs: [], errors: [], key: 'code-1' });
  });
});
