import { describe, expect, it } from 'vitest';
import { analyzeCode } from '../../src/compile/parse-cell.ts';

/** Free names (in order of first use) and top-level declarations of `code`. */
function analyze(code: string): { free: string[]; assigned: string[]; declared: string[] } {
  const result = analyzeCode(code);
  if ('error' in result) throw new Error(result.error.message);
  return {
    free: [...new Set(result.references.map((r) => r.name))],
    assigned: result.references.filter((r) => r.assigned).map((r) => r.name),
    declared: result.declarations.map((d) => d.name),
  };
}

describe('declarations', () => {
  it('collects const/let/var/function/class and destructuring at the top level only', () => {
    const { declared } = analyze(`
      const a = 1, {b, c: [d, ...e], f = 2, ...g} = o;
      let [h, , i = 3] = arr;
      var j;
      function k() { const inner = 1; }
      class L {}
      { const block = 1; }
      if (x) { let nested = 2; }
    `);
    expect(declared).toEqual(['a', 'b', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'L']);
  });

  it('counts import bindings and exported declarations', () => {
    expect(analyze(`import x, {y as z} from "https://a"; import * as ns from "https://b"; export const w = 1;`).declared).toEqual([
      'x',
      'z',
      'ns',
      'w',
    ]);
  });
});

describe('free references', () => {
  it('excludes locals, parameters, defaults and closures', () => {
    expect(analyze(`const a = 1; function f(p, {q}, r = p + q + s) { return a + p + q + r + t; } f(a)`).free).toEqual(['s', 't']);
    expect(analyze(`const g = (x) => x + y; const h = function self(n) { return n ? self(n - 1) : z; };`).free).toEqual(['y', 'z']);
  });

  it('respects shadowing in nested blocks, and block scope ends at the block', () => {
    expect(analyze(`{ const v = 1; v; } v;`).free).toEqual(['v']);
    expect(analyze(`const u = 1; { const u = 2; u; } u;`).free).toEqual([]);
    expect(analyze(`function f() { if (c) { var hoisted = 1; } return hoisted; }`).free).toEqual(['c']);
  });

  it('handles for-of / for-in / for loop bindings', () => {
    expect(analyze(`for (const x of xs) x; for (let i = 0; i < n; i++) i; for (const k in obj) k;`).free).toEqual(['xs', 'n', 'obj']);
    expect(analyze(`for (const x of xs) {} x;`).free).toEqual(['xs', 'x']);
  });

  it('handles classes: names, methods, fields, extends, computed keys', () => {
    expect(
      analyze(`class A extends Base { static s = A; [key] = 1; m(a) { return a + A + this.p + other; } }`).free,
    ).toEqual(['Base', 'key', 'other']);
    expect(analyze(`const C = class Named { m() { return Named; } }; Named;`).free).toEqual(['Named']);
  });

  it('ignores labels, property keys and member names', () => {
    expect(analyze(`outer: for (;;) { break outer; } const o = {prop: 1, [comp]: 2}; o.member; o[idx];`).free).toEqual([
      'comp',
      'idx',
    ]);
  });

  it('scopes catch parameters to the catch clause', () => {
    expect(analyze(`try { risky(); } catch (err) { err; } catch2;`.replace('catch2', 'err')).free).toEqual(['risky', 'err']);
    expect(analyze(`try {} catch ({message}) { message; }`).free).toEqual([]);
  });

  it('keeps object shorthand values as references', () => {
    expect(analyze(`const o = {a, b: 2};`).free).toEqual(['a']);
  });

  it('marks writes: assignment, update, destructuring assignment, for-in/of targets', () => {
    const { assigned } = analyze(`x = 1; y++; --z; [p, {q: r}] = s; ({t = 1} = u); for (w of list) {} obj.prop = 3; read;`);
    expect(assigned).toEqual(['x', 'y', 'z', 'p', 'r', 't', 'w']);
  });

  it('does not mark local writes', () => {
    expect(analyze(`let n = 0; n++; n = 2;`).assigned).toEqual([]);
  });
});
