import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { preview, typeNameOf } from '../../../src/runtime/preview.ts';
import { html, md } from '../../../workers/runtime/markup.ts';
import { downloadItem, holeText, metricItem, toOutputItem } from '../../../workers/runtime/outputs.ts';
import { TableStore } from '../../../workers/runtime/tables.ts';

const noHold = () => 'h1';

describe('toOutputItem', () => {
  it('shows scalars and dates as text', () => {
    expect(toOutputItem('hi', noHold)).toEqual({ type: 'text', text: 'hi' });
    expect(toOutputItem(4.5, noHold)).toEqual({ type: 'text', text: '4.5' });
    expect(toOutputItem(false, noHold)).toEqual({ type: 'text', text: 'false' });
    expect(toOutputItem(12n, noHold)).toEqual({ type: 'text', text: '12' });
    expect(toOutputItem(new Date(Date.UTC(2024, 1, 3)), noHold)).toEqual({ type: 'text', text: '2024-02-03' });
    expect(toOutputItem(new Date(Date.UTC(2024, 1, 3, 4, 5)), noHold)).toEqual({ type: 'text', text: '2024-02-03T04:05:00.000Z' });
  });

  it('shows an Arrow table as a table with DuckDB type names, held by the runtime', () => {
    const table = tableFromIPC(tableToIPC(tableFromArrays({
      id: Int32Array.from([1, 2]),
      price: Float64Array.from([1.5, 2.5]),
      name: ['a', 'b'],
    })));
    const held: unknown[] = [];
    const item = toOutputItem(table, (data) => (held.push(data), 'cell#1'));
    expect(item).toEqual({
      type: 'table',
      table: {
        columns: [{ name: 'id', type: 'INTEGER' }, { name: 'price', type: 'DOUBLE' }, { name: 'name', type: 'VARCHAR' }],
        rowCount: 2,
        head: [{ id: 1, price: 1.5, name: 'a' }, { id: 2, price: 2.5, name: 'b' }],
        source: { kind: 'runtime', handle: 'cell#1' },
      },
    });
    expect(held).toEqual([table]);
  });

  it('keeps only the first 100 rows in the head', () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ i, half: i / 2 }));
    const item = toOutputItem(rows, noHold);
    if (item.type !== 'table') throw new Error('expected a table');
    expect(item.table.rowCount).toBe(250);
    expect(item.table.head).toHaveLength(100);
    expect(item.table.columns).toEqual([{ name: 'i', type: 'INTEGER' }, { name: 'half', type: 'DOUBLE' }]);
  });

  it('shows markup, figures and anything else as a value preview', () => {
    expect(toOutputItem(md`*a*`, noHold)).toEqual({ type: 'markdown', markdown: '*a*' });
    expect(toOutputItem(html`<p>${'&'}</p>`, noHold)).toEqual({ type: 'html', html: '<p>&#38;</p>' });
    expect(toOutputItem(new Map([[1, 'a']]), noHold)).toMatchObject({ type: 'value', typeName: 'Map' });
    expect(toOutputItem([], noHold)).toMatchObject({ type: 'value', typeName: 'Array' });
    expect(toOutputItem([1, 2], noHold)).toMatchObject({ type: 'value', typeName: 'Array' });
  });
});

describe('figures', () => {
  it("a Plot with a legend takes the chart's width, not its first swatch's", async () => {
    const { Plot } = await import('../../../workers/runtime/plot.ts');
    const data = [{ x: 1, y: 2, s: 'a' }, { x: 2, y: 3, s: 'b' }];
    const figure = Plot.plot({ width: 640, color: { legend: true }, marks: [Plot.dot(data, { x: 'x', y: 'y', fill: 's' })] });
    const item = toOutputItem(figure, noHold);
    expect(item).toMatchObject({ type: 'figure', width: 640 });
  });
});

describe('preview', () => {
  it('is plain JSON, names what JSON cannot hold, and handles cycles', () => {
    const a: Record<string, unknown> = { n: NaN, big: 2n ** 70n, u: undefined, f: function named() {}, d: new Date(0) };
    a.self = a;
    const tree = preview(a);
    expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
    expect(tree).toEqual({
      n: 'NaN', big: '1180591620717411303424n', u: 'undefined', f: 'ƒ named()', d: '1970-01-01T00:00:00.000Z', self: '[Circular]',
    });
  });

  it('turns Maps, Sets and typed arrays into objects and arrays, and bounds size and depth', () => {
    expect(preview(new Float64Array([1, 2]))).toEqual([1, 2]);
    expect(preview(new Set(['x']))).toEqual(['x']);
    expect(preview(new Map<unknown, unknown>([['k', 1], [2, 'two']]))).toEqual({ k: 1, '2': 'two' });
    const long = preview(Array.from({ length: 80 }, (_, i) => i)) as unknown[];
    expect(long).toHaveLength(51);
    expect(long.at(-1)).toBe('… 30 more');
    expect(preview(new Float64Array(1_000_000), { entries: 3 })).toEqual([0, 0, 0, '… 999997 more']);
    expect(preview({ a: { b: { c: { d: { e: 1 } }, list: [[[1]]] } } })).toEqual({ a: { b: { c: { d: 'Object {…}' }, list: ['Array(1)'] } } });
    expect(preview('x'.repeat(1005), { stringLength: 3 })).toBe('xxx… (1002 more)');
    const many = preview(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]))) as Record<string, unknown>;
    expect(many['…']).toBe('10 more');
  });

  it('names the type of the top value', () => {
    class Point { x = 1; }
    expect(typeNameOf(new Point())).toBe('Point');
    expect(typeNameOf(Object.create(null))).toBe('Object');
    expect(toOutputItem(new Point(), noHold)).toEqual({ type: 'value', preview: { x: 1 }, typeName: 'Point' });
  });
});

describe('metric, download, holes', () => {
  it('formats metric values and delta signs', () => {
    expect(metricItem('Users', 1500, { delta: 12 })).toEqual({ type: 'metric', label: 'Users', value: '1,500', delta: '+12', deltaSign: 1 });
    expect(metricItem('Churn', '4%', { delta: '-0.5%' })).toMatchObject({ delta: '-0.5%', deltaSign: -1 });
    expect(metricItem('Flat', 1, { delta: 0 })).toMatchObject({ deltaSign: 0 });
    expect(metricItem('None', 1)).toEqual({ type: 'metric', label: 'None', value: '1' });
  });

  it('writes tables as CSV or JSON by extension and keeps strings and bytes', () => {
    const rows = [{ a: 1, b: 'say "hi"' }, { a: null, b: 'x' }];
    expect(downloadItem(rows, 'r.csv')).toMatchObject({ mime: 'text/csv', data: 'a,b\n1,"say ""hi"""\n,x\n' });
    expect(downloadItem(rows, 'r.json')).toMatchObject({ mime: 'application/json', data: JSON.stringify(rows, null, 2) });
    const table = tableFromArrays({ v: Float64Array.from([1, 2]) });
    expect(downloadItem(table, 't.tsv')).toMatchObject({ data: 'v\n1\n2\n' });
    expect(downloadItem('plain', 'a.txt')).toMatchObject({ mime: 'text/plain', data: 'plain' });
    const bytes = new Uint8Array([1, 2]);
    expect(downloadItem(bytes, 'blob.bin', 'Get it')).toEqual({ type: 'download', filename: 'blob.bin', mime: 'application/octet-stream', data: bytes, label: 'Get it' });
  });

  it('turns hole values into display strings', () => {
    expect([42, 'x', null, undefined, [1, 2], { a: 1 }].map(holeText)).toEqual(['42', 'x', '', '', '[1,2]', '{"a":1}']);
  });
});

describe('TableStore', () => {
  it('windows and sorts an Arrow table, and forgets released handles', () => {
    const store = new TableStore();
    const table = tableFromArrays({ k: ['b', 'a', 'c'], v: Float64Array.from([2, 1, 3]) });
    const h = store.hold('c1', table);
    expect(store.rows(h, 0, 3, { column: 'k', direction: 'desc' }).map((r) => r.k)).toEqual(['c', 'b', 'a']);
    expect(store.rows(h, 1, 1)).toEqual([{ k: 'a', v: 1 }]);
    const keep = store.hold('c1', [{ x: 1 }]);
    store.release('c1', new Set([keep]));
    expect(store.rows(h, 0, 3)).toEqual([]);
    expect(store.rows(keep, 0, 3)).toEqual([{ x: 1 }]);
  });
});
