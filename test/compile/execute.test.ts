/**
 * Runs compiled bodies for real, the way the runtime does:
 * `new AsyncFunction('__brook', ...BUILTIN_NAMES, ...inputs, body)`, with
 * simple fake built-ins, in dependency order.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../../src/compile/builtins.ts';
import { compileNotebook } from '../../src/compile/compile.ts';
import type { CompiledCell } from '../../src/compile/types.ts';
import { js, md, notebookOf, sql, ts } from './fixture.ts';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

interface Run {
  scope: Record<string, unknown>;
  values: Record<string, unknown[]>;
  holes: Record<string, unknown[]>;
  queries: Array<{ sql: string; params: unknown[] }>;
}

async function run(cells: CompiledCell[]): Promise<Run> {
  const result: Run = { scope: {}, values: {}, holes: {}, queries: [] };
  const builtins: Record<string, unknown> = Object.fromEntries(BUILTIN_NAMES.map((n) => [n, () => `builtin:${n}`]));
  const query = async (strings: TemplateStringsArray, ...params: unknown[]) => {
    result.queries.push({ sql: strings.join('?'), params });
    return [{ n: params.length }];
  };
  builtins.query = Object.assign(query, { holes: () => query });
  builtins.slider = (_label: string, opts: { value: number }) => opts.value;
  const pending = cells.filter((c) => c.body !== '');
  while (pending.length > 0) {
    const index = pending.findIndex((c) => c.inputs.every((name) => name in result.scope));
    if (index < 0) throw new Error('no runnable cell');
    const [cell] = pending.splice(index, 1);
    const context = {
      value: (v: unknown) => (result.values[cell.id] ??= []).push(v),
      holes: (vs: unknown[]) => (result.holes[cell.id] = vs),
    };
    const fn = new AsyncFunction('__brook', ...BUILTIN_NAMES, ...cell.inputs, cell.body);
    const outputs = (await fn(context, ...BUILTIN_NAMES.map((n) => builtins[n]), ...cell.inputs.map((n) => result.scope[n]))) as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(cell.outputs);
    Object.assign(result.scope, outputs);
  }
  return result;
}

describe('compiled bodies execute under the contract', () => {
  it('runs js, ts, sql and markdown cells in dependency order and returns their outputs', async () => {
    const { notebook } = notebookOf([
      md('Total: ${total}, doubled ${total * 2}'),
      sql('SELECT count(*) AS n FROM t WHERE x > ${limit}', 'rows'),
      ts('enum Mode { Fast = 2 }\nconst limit: number = slider("Limit", {value: 5}) * Mode.Fast;'),
      js('const total = rows.length + limit;\nconst {a, b: [c]} = {a: 1, b: [2]};\ntotal + a + c'),
    ]);
    const compiled = compileNotebook(notebook);
    expect(compiled.diagnostics).toEqual([]);
    const result = await run(compiled.cells);
    expect(result.scope).toMatchObject({ limit: 10, total: 11, a: 1, c: 2 });
    expect(result.queries).toEqual([{ sql: 'SELECT count(*) AS n FROM t WHERE x > ?', params: [10] }]);
    expect(result.values).toEqual({ c2: [[{ n: 1 }]], c4: [14] });
    expect(result.holes).toEqual({ c1: [11, 22] });
  });

  it('a thrown error carries the source line through the body (lines preserved)', async () => {
    const { notebook } = notebookOf([js('const a = 1;\n\nnull.boom;')]);
    const [cell] = compileNotebook(notebook).cells;
    const fn = new AsyncFunction('__brook', ...BUILTIN_NAMES, cell.body);
    const error = await fn({}).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    // The body line of the failing statement maps back to the notebook file line.
    const bodyLine = cell.body.split('\n').findIndex((l) => l.includes('null.boom')) + 1;
    expect(cell.bodyLine + bodyLine - 1).toBe(4);
  });

  it('rewritten imports load modules (in plain Node: the vitest vm has no dynamic import)', () => {
    const { notebook } = notebookOf([
      js('import answer, {k as kk} from "data:text/javascript,export default 42; export const k = 7";\nimport * as mod from "data:text/javascript,export const k = 1";\nanswer + kk + mod.k'),
    ]);
    const [cell] = compileNotebook(notebook).cells;
    expect(cell.errors).toEqual([]);
    const script = `
      const AsyncFunction = (async () => {}).constructor;
      const shown = [];
      const fn = new AsyncFunction('__brook', ${JSON.stringify(cell.body)});
      const out = await fn({ value: (v) => shown.push(v) });
      console.log(JSON.stringify({ shown, answer: out.answer, kk: out.kk, k: out.mod.k }));`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual({ shown: [50], answer: 42, kk: 7, k: 1 });
  });
});
