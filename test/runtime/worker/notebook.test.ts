/**
 * The runtime with the real parser and compiler: checks the execution
 * contract end to end (bodies as the compiler writes them, lines as the
 * compiler maps them) on the browser test notebooks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileNotebook } from '../../../src/compile/compile.ts';
import { parseNotebook } from '../../../src/notebook/parse.ts';
import { harness } from './harness.ts';

// Notebook code may use `self` (the worker's global); Node has no `self`.
(globalThis as { self?: unknown }).self ??= globalThis;

function compile(path: string) {
  return compileNotebook(parseNotebook(readFileSync(path, 'utf8'), path)).cells;
}

describe('compiled notebooks', () => {
  it('runs the reactivity notebook and re-runs only downstream of the slider', async () => {
    const cells = compile('test/browser/notebooks/reactivity.md');
    const h = harness();
    h.runtime.load(cells);
    await h.runtime.idle();
    const all = () => cells.flatMap((c) => h.outputs(c.id));
    const texts = () => all().flatMap((o) => (o.type === 'text' ? [o.text] : o.type === 'holes' ? o.values : []));
    expect(texts()).toEqual(expect.arrayContaining([
      'D runs: 1; doubled = 20; constant = 42',
      '10',
      'loop cell finished with n = 10',
      'after the loop cell: constant + 1 = 43',
    ]));
    const slider = all().find((o) => o.type === 'widget');
    expect(slider).toMatchObject({ widget: { kind: 'slider', label: 'N', value: 10 } });
    const before = texts().find((t) => t.startsWith('C runs'));
    h.runtime.setInput(slider!.type === 'widget' ? slider!.widget.key : '', 21);
    await h.runtime.idle();
    expect(texts()).toEqual(expect.arrayContaining(['21', 'D runs: 2; doubled = 42; constant = 42']));
    expect(texts().find((t) => t.startsWith('C runs'))).toBe(before);
  });

  it('runs the errors notebook: errors in place with file lines, others fine', async () => {
    const cells = compile('test/browser/notebooks/errors.md');
    const h = harness({}, (request) => ({ ok: false, error: { name: 'QueryError', message: `Catalog Error: Table with name no_such_table does not exist! (${request.sql})` } }));
    h.runtime.load(cells);
    await h.runtime.idle();
    const byText = (fragment: string) => cells.find((c) => c.source.includes(fragment))!.id;
    expect(h.last(byText('base.nope'))).toMatchObject({ status: 'rejected', error: { name: 'TypeError', line: 11 } });
    expect(h.last(byText('downstream of broken'))).toMatchObject({ status: 'rejected', error: { name: 'DependencyError' } });
    expect(h.texts(byText('independent'))).toEqual(['independent: 30']);
    expect(h.last(byText('no_such_table'))).toMatchObject({
      status: 'rejected',
      error: { name: 'QueryError', sql: expect.stringContaining('no_such_table'), line: 23 },
    });
  });
});
