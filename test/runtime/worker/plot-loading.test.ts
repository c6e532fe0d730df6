/**
 * `Plot` is loaded on demand: only cells that read it wait for the chunk,
 * a notebook without charts never loads it, and a failed load rejects the
 * cell and can be retried. The loader is injected to count and fail calls.
 */
import { describe, expect, it } from 'vitest';
import { importPlot, type PlotBuiltin } from '../../../workers/runtime/plot-loader.ts';
import { compiled, harness } from './harness.ts';

/** A loader that counts its calls and does what `next` says (default: the real import). */
function countingLoader() {
  const loader = {
    calls: 0,
    next: importPlot,
    load: (): Promise<PlotBuiltin> => {
      loader.calls++;
      return loader.next();
    },
  };
  return loader;
}

const plotCell = (id: string, fields = {}) =>
  compiled(id, 'display(Plot.plot({marks: [Plot.dot([{a: 1, b: 2}], {x: "a", y: "b"})]}));\nreturn {};', fields);
const knob = compiled('c0', 'const k = number("K", {value: 1});\nreturn {k};', { key: 'k', outputs: ['k'] });

describe('CellRuntime: Plot loaded on demand', () => {
  it('a Plot cell renders a figure; two Plot cells share one load', async () => {
    const loader = countingLoader();
    const h = harness({}, undefined, { loadPlot: loader.load });
    h.runtime.load([plotCell('c1'), plotCell('c2')]);
    await h.runtime.idle();
    expect(h.outputs('c1')[0]).toMatchObject({ type: 'figure', html: expect.stringMatching(/^<svg/) });
    expect(h.outputs('c2')[0]?.type).toBe('figure');
    expect(loader.calls).toBe(1);
  });

  it('cells that do not read Plot never load it, also after re-runs', async () => {
    const loader = countingLoader();
    const h = harness({}, undefined, { loadPlot: loader.load });
    h.runtime.load([knob, compiled('c1', 'display(k * 2);\nreturn {};', { inputs: ['k'] })]);
    await h.runtime.idle();
    h.runtime.setInput('k:K', 5);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['10']);
    expect(loader.calls).toBe(0);
  });

  it('other cells do not wait for the load', async () => {
    const loader = countingLoader();
    let release!: () => void;
    loader.next = () => new Promise<void>((resolve) => (release = resolve)).then(importPlot);
    const h = harness({}, undefined, { loadPlot: loader.load });
    h.runtime.load([plotCell('c1'), knob, compiled('c2', 'display(k);\nreturn {};', { inputs: ['k'] })]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.texts('c2')).toEqual(['1']);
    expect(h.last('c1')).toBeUndefined();
    release();
    await h.runtime.idle();
    expect(h.outputs('c1')[0]?.type).toBe('figure');
  });

  it('a failed load rejects the cell with a clear error, and the next run retries', async () => {
    const loader = countingLoader();
    loader.next = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const h = harness({}, undefined, { loadPlot: loader.load });
    h.runtime.load([knob, plotCell('c1', { inputs: ['k'] })]);
    await h.runtime.idle();
    expect(h.last('c1')).toMatchObject({
      status: 'rejected',
      error: {
        name: 'PlotLoadError',
        message: 'Observable Plot could not be loaded: Failed to fetch dynamically imported module',
        hint: expect.stringContaining('reload the page'),
      },
    });
    expect(loader.calls).toBe(1); // no background retry after a failure
    loader.next = importPlot;
    h.runtime.setInput('k:K', 2);
    await h.runtime.idle();
    expect(h.last('c1')).toMatchObject({ status: 'fulfilled' });
    expect(h.outputs('c1')[0]?.type).toBe('figure');
    expect(loader.calls).toBe(2);
  });

  it('after the first run settles, loads Plot in the background for a Plot cell that has not run', async () => {
    const loader = countingLoader();
    const h = harness({}, undefined, { loadPlot: loader.load });
    h.runtime.load([
      compiled('c0', 'throw new Error("no table yet");\nreturn {rows: []};', { outputs: ['rows'] }),
      plotCell('c1', { inputs: ['rows'] }),
    ]);
    await h.runtime.idle();
    expect(h.last('c1')).toMatchObject({ status: 'rejected', error: { name: 'DependencyError' } });
    expect(loader.calls).toBe(1);
  });
});
