import { describe, expect, it, vi } from 'vitest';
import type { Notebook } from '../../src/notebook/types.ts';

/** A fresh copy of the module, before anything loaded the transpiler. */
async function freshTranspile() {
  vi.resetModules();
  return import('../../src/compile/transpile.ts');
}

const withTs = { cells: [{ kind: 'md' }, { kind: 'ts' }] } as unknown as Notebook;
const withoutTs = { cells: [{ kind: 'js' }, { kind: 'sql' }] } as unknown as Notebook;

describe('loading the TypeScript transpiler on demand', () => {
  it('is needed only by notebooks with ts cells, and only until loaded', async () => {
    const transpile = await freshTranspile();
    expect(transpile.needsTypeScript(withoutTs)).toBe(false);
    expect(transpile.needsTypeScript(withTs)).toBe(true);
    await transpile.loadTypeScript();
    expect(transpile.needsTypeScript(withTs)).toBe(false);
    expect(transpile.transpileTypeScript('const n: number = 1')).toMatchObject({ code: expect.stringContaining('const n = 1') });
  });

  it('a ts cell compiled without it says so in place instead of throwing', async () => {
    const transpile = await freshTranspile();
    const result = transpile.transpileTypeScript('const n: number = 1');
    expect(result).toMatchObject({ error: { severity: 'error', code: 'typescript-unavailable' } });
  });
});
