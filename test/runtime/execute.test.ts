import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../../src/compile/builtins.ts';
import { compileCellFunction, errorPlace, functionHeaderLines, toCellError } from '../../src/runtime/execute.ts';

const noBuiltins = BUILTIN_NAMES.map(() => undefined);

describe('cell functions', () => {
  it('measures the engine header (V8 puts two lines before the body)', () => {
    expect(functionHeaderLines()).toBe(2);
  });

  it('passes the context, every built-in in order, then the inputs', async () => {
    const cell = { id: 'c1', inputs: ['a', 'b'], body: 'return {sum: a + b, ctx: __brook, first: slider, last: now};', bodyLine: 1 };
    const fn = compileCellFunction(cell);
    const builtins = BUILTIN_NAMES.map((name) => `<${name}>`);
    const result = (await fn('CTX', ...builtins, 2, 3)) as Record<string, unknown>;
    expect(result).toEqual({ sum: 5, ctx: 'CTX', first: '<slider>', last: '<now>' });
  });

  it('maps a thrown error to the notebook file line and column', async () => {
    const cell = { id: 'c7', inputs: [], body: 'const a = 1;\nconst b = 2;\n  null.boom;\nreturn {};', bodyLine: 20 };
    const fn = compileCellFunction(cell);
    const error = await fn(undefined, ...noBuiltins).catch((e: unknown) => e);
    // Body line 3 → file line 20 + 3 - 1; `null.boom` starts at column 3, V8 points at `.boom`.
    expect(errorPlace(error, cell)).toEqual({ line: 22, column: expect.any(Number) });
    expect(toCellError(error, cell)).toMatchObject({ name: 'TypeError', line: 22 });
  });

  it('maps an error thrown after an await', async () => {
    const cell = { id: 'c8', inputs: [], body: 'await null;\n\nthrow new RangeError("late");', bodyLine: 5 };
    const error = await compileCellFunction(cell)(undefined, ...noBuiltins).catch((e: unknown) => e);
    expect(toCellError(error, cell)).toEqual({ name: 'RangeError', message: 'late', line: 7, column: 7 });
  });

  it('keeps the SQL and hint an error carries, and handles non-errors', () => {
    const cell = { id: 'c9', inputs: [], body: '', bodyLine: 3 };
    const queryError = Object.assign(new Error('no such table'), { name: 'QueryError', sql: 'SELECT 1', hint: 'load it' });
    expect(toCellError(queryError, cell)).toMatchObject({ name: 'QueryError', sql: 'SELECT 1', hint: 'load it', line: 3 });
    expect(toCellError('oops', cell)).toEqual({ name: 'Error', message: 'Threw a non-error value: "oops"', line: 3 });
  });

  it('throws SyntaxError for a body that does not parse', () => {
    expect(() => compileCellFunction({ id: 'c2', inputs: [], body: 'const = ;', bodyLine: 1 })).toThrow(SyntaxError);
  });
});
