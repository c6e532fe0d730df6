/**
 * brush, pick and table in the real runtime with the real Plot (linkedom):
 * the figure's scales reach the page, saved selections come back as data
 * units / the original rows, and a saved value that no longer fits is dropped.
 */
import { describe, expect, it } from 'vitest';
import type { WidgetSpec } from '../../../src/runtime/protocol.ts';
import { compiled, harness } from './harness.ts';

const bins = '[{bin: 0, end: 10, n: 5}, {bin: 10, end: 20, n: 9}, {bin: 20, end: 30, n: 2}]';
const histogram = (options = '') => compiled('c1',
  `const sel = brush("Delay", Plot.plot({width: 400, height: 200, marginLeft: 40, marks: [Plot.rectY(${bins}, {x1: "bin", x2: "end", y: "n"})]})${options});\nreturn {sel};`,
  { key: 'sel', outputs: ['sel'] });
const show = compiled('c2', 'display(JSON.stringify(sel));\nreturn {};', { inputs: ['sel'] });

type FigureOption = { html: string; width: number; height: number; scales: Record<string, { type: string; domain: unknown[]; range: number[]; positions?: number[]; bandwidth?: number }> };
const figureOf = (spec: WidgetSpec) => spec.options.figure as FigureOption;

describe('brush', () => {
  it('sends the figure and its x scale, returns null until brushed, then the saved interval', async () => {
    const h = harness();
    h.runtime.load([histogram(), show]);
    await h.runtime.idle();
    const [spec] = h.widgets('c1');
    expect(spec).toMatchObject({ kind: 'brush', key: 'sel:Delay', value: null, options: { axes: ['x'] } });
    const figure = figureOf(spec!);
    expect(figure.html).toMatch(/^<svg/);
    expect(figure).toMatchObject({ width: 400, height: 200 });
    expect(figure.scales.x).toMatchObject({ type: 'linear', domain: [0, 30], range: [40, 380] });
    expect(h.texts('c2')).toEqual(['null']);
    h.runtime.setInput('sel:Delay', [5, 12.5]);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['[5,12.5]']);
    expect(h.widgets('c1')[0]!.value).toEqual([5, 12.5]);
  });

  it('drops a saved interval outside the new domain, and takes both axes as {x, y}', async () => {
    const h = harness({ inputs: { 'sel:Delay': [25, 40] } });
    h.runtime.load([histogram(), show]);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['null']);
    const both = harness({ inputs: { 'sel:Delay': { x: [0, 10], y: [1, 4] } } });
    both.runtime.load([histogram(', {x: true, y: true}'), show]);
    await both.runtime.idle();
    expect(both.texts('c2')).toEqual(['{"x":[0,10],"y":[1,4]}']);
  });

  it('gives Dates on a time scale (from ISO text, as a share link holds them), categories on a band scale', async () => {
    const days = compiled('c1',
      'const sel = brush("Days", Plot.plot({marks: [Plot.lineY([{d: new Date("2024-01-01"), v: 1}, {d: new Date("2024-01-31"), v: 3}], {x: "d", y: "v"})]}));\nreturn {sel};',
      { key: 'sel', outputs: ['sel'] });
    const check = compiled('c2', 'display(sel.map((d) => d instanceof Date ? d.toISOString().slice(0, 10) : "not a date").join(" "));\nreturn {};', { inputs: ['sel'] });
    const h = harness({ inputs: { 'sel:Days': ['2024-01-05T00:00:00.000Z', '2024-01-10T00:00:00.000Z'] } });
    h.runtime.load([days, check]);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['2024-01-05 2024-01-10']);
    expect(figureOf(h.widgets('c1')[0]!).scales.x!.type).toBe('utc');

    const bars = compiled('c1',
      'const sel = brush("Where", Plot.plot({marks: [Plot.barY([{k: "a", n: 1}, {k: "b", n: 2}, {k: "c", n: 3}], {x: "k", y: "n"})]}));\nreturn {sel};',
      { key: 'sel', outputs: ['sel'] });
    const b = harness({ inputs: { 'sel:Where': ['c', 'b', 'gone'] } });
    b.runtime.load([bars, show]);
    await b.runtime.idle();
    expect(b.texts('c2')).toEqual(['["b","c"]']);
    const x = figureOf(b.widgets('c1')[0]!).scales.x!;
    expect(x.type).toBe('band');
    expect(x.positions).toHaveLength(3);
    expect(x.bandwidth).toBeGreaterThan(0);
  });

  it('says what is wrong when the figure is not a Plot figure', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'brush("B", 42);\nreturn {};')]);
    await h.runtime.idle();
    const event = h.last('c1');
    expect(event?.status === 'rejected' && event.error.message).toMatch(/must be a Plot figure/);
  });
});

describe('pick', () => {
  const airports = '[{origin: "ORD", flights: 10}, {origin: "ATL", flights: 30}, {origin: "DFW", flights: 20}]';
  const chart = compiled('c1',
    `const picked = pick("Airport", Plot.plot({marks: [Plot.barY(${airports}, {x: "origin", y: "flights"})]}));\nreturn {picked};`,
    { key: 'picked', outputs: ['picked'] });
  const show = compiled('c2', 'display(JSON.stringify(picked));\nreturn {};', { inputs: ['picked'] });

  it('tags each bar with its datum and keys it by its text fields; a saved key returns the original row', async () => {
    const h = harness();
    h.runtime.load([chart, show]);
    await h.runtime.idle();
    const spec = h.widgets('c1')[0]!;
    const html = figureOf(spec).html;
    expect(html.match(/data-brook-datum="0:\d"/g)).toHaveLength(3);
    expect(spec.options.items).toMatchObject({ '0:1': { key: { origin: 'ATL' }, text: 'ATL' } });
    expect(h.texts('c2')).toEqual(['null']);
    h.runtime.setInput('picked:Airport', [{ origin: 'ATL' }]);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['{"origin":"ATL","flights":30}']);
    expect(h.widgets('c1')[0]!.value).toEqual([{ origin: 'ATL' }]);
  });

  it('a key no longer in the data gives null; multiple gives an array', async () => {
    const h = harness({ inputs: { 'picked:Airport': [{ origin: 'SFO' }] } });
    h.runtime.load([chart, show]);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['null']);
    const many = compiled('c1',
      `const picked = pick("Airport", Plot.plot({marks: [Plot.barY(${airports}, {x: "origin", y: "flights"})]}), {multiple: true});\nreturn {picked};`,
      { key: 'picked', outputs: ['picked'] });
    const m = harness({ inputs: { 'picked:Airport': [{ origin: 'DFW' }, { origin: 'ORD' }] } });
    m.runtime.load([many, show]);
    await m.runtime.idle();
    expect(m.texts('c2')).toEqual(['[{"origin":"DFW","flights":20},{"origin":"ORD","flights":10}]']);
  });
});

describe('table', () => {
  const rows = '[{origin: "ORD", destination: "LGA", flights: 5}, {origin: "ATL", destination: "ORD", flights: 7}]';
  it('shows the table and returns the selected rows matched by key', async () => {
    const cell = compiled('c1', `const route = table(${rows}, {label: "Routes", select: "multiple"});\nreturn {route};`, { key: 'route', outputs: ['route'] });
    const show = compiled('c2', 'display(JSON.stringify(route));\nreturn {};', { inputs: ['route'] });
    const h = harness({ inputs: { 'route:Routes': [{ origin: 'ATL', destination: 'ORD' }] } });
    h.runtime.load([cell, show]);
    await h.runtime.idle();
    const spec = h.widgets('c1')[0]!;
    expect(spec).toMatchObject({ kind: 'table', label: 'Routes', options: { keyFields: ['origin', 'destination'], multiple: true } });
    expect((spec.options.table as { rowCount: number }).rowCount).toBe(2);
    expect(h.texts('c2')).toEqual(['[{"origin":"ATL","destination":"ORD","flights":7}]']);
  });
});

describe('queries that follow a brush', () => {
  it('mark the parameters whose ${} reads a value downstream of the brush, so the engine can prepare for the drag', async () => {
    const bounds = compiled('c2', 'const lo = sel ? sel[0] : -1e9;\nconst hi = sel ? sel[1] : 1e9;\nreturn {lo, hi};', { inputs: ['sel'], outputs: ['lo', 'hi'] });
    const limit = compiled('c3', 'const limit = 500;\nreturn {limit};', { outputs: ['limit'] });
    const counted = compiled('c4',
      'const t = await query.holes(["limit", "lo", "hi", "[lo, hi].length"])`SELECT count(*) AS n FROM f WHERE d < ${limit} AND x BETWEEN ${lo} AND ${hi} AND ${[lo, hi].length} > 0`;\nreturn {t};',
      { inputs: ['lo', 'hi', 'limit'], outputs: ['t'] });
    const h = harness();
    h.runtime.load([histogram(), bounds, limit, counted]);
    await h.runtime.idle();
    const asked = h.queries.at(-1)!;
    expect(asked.params).toEqual([500, -1e9, 1e9, 2]);
    // `limit` does not follow the brush; lo, hi and the expression reading them do.
    expect(asked.prepare).toEqual([1, 2, 3]);

    // Without a brush on the page, nothing is marked.
    const plain = harness();
    plain.runtime.load([compiled('c1', 'const sel = [0, 1];\nreturn {sel};', { outputs: ['sel'] }), bounds, limit, counted]);
    await plain.runtime.idle();
    expect(plain.queries.at(-1)!.prepare).toBeUndefined();
  });
});
