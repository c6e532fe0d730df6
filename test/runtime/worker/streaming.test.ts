/**
 * A running cell's outputs reach the page before it settles (partial pending
 * events), progress bars update in place, toasts go to the host, and a run
 * that a newer one superseded sends nothing more. The cells wait on gates the
 * test opens, so nothing here depends on how fast the machine is.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_OUTPUTS_PER_RUN, MAX_TOASTS_PER_RUN } from '../../../workers/runtime/runtime.ts';
import type { OutputItem } from '../../../src/runtime/protocol.ts';
import { compiled, harness } from './harness.ts';

type Gate = { promise: Promise<void>; open(): void };
const gates = new Map<string, Gate>();
/** A promise a cell awaits as `await globalThis.gate("name")`, opened by the test. */
function gate(name: string): Gate {
  let found = gates.get(name);
  if (!found) {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    found = { promise, open };
    gates.set(name, found);
  }
  return found;
}
(globalThis as { gate?: (name: string) => Promise<void> }).gate = (name) => gate(name).promise;

afterEach(() => gates.clear());

const texts = (items: OutputItem[] | undefined) => (items ?? []).flatMap((o) => (o.type === 'text' ? [o.text] : []));

describe('CellRuntime: streamed outputs', () => {
  it('sends what a cell displayed before an await while it is still running', async () => {
    const h = harness({}, undefined, { streamFrameMs: 1 });
    h.runtime.load([compiled('c1', 'display("first");\nawait globalThis.gate("a");\ndisplay("second");\nreturn {};')]);
    await vi.waitFor(() => expect(h.partials('c1')).toHaveLength(1));
    expect(texts(h.partials('c1')[0])).toEqual(['first']);
    expect(h.last('c1')).toBeUndefined();
    gate('a').open();
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['first', 'second']);
    // The settled event is the run's last: nothing streams after it.
    expect(h.events.filter((e) => e.cell === 'c1').at(-1)?.status).toBe('fulfilled');
    expect(h.runs('c1')).toBe(1);
  });

  it('sends no partial for a run that ends within a frame, however many outputs it has', async () => {
    const h = harness({}, undefined, { streamFrameMs: 1 });
    h.runtime.load([compiled('c1', 'for (let i = 0; i < 500; i++) { display(i); await null; }\nreturn {};')]);
    await h.runtime.idle();
    expect(h.partials('c1')).toEqual([]);
    expect(h.texts('c1')).toHaveLength(500);
  });

  it('leaves displayed promises out of a partial until they resolve', async () => {
    const h = harness({}, undefined, { streamFrameMs: 1 });
    h.runtime.load([compiled('c1', 'display(globalThis.gate("p").then(() => "late"));\ndisplay("now");\nawait globalThis.gate("end");\nreturn {};')]);
    await vi.waitFor(() => expect(h.partials('c1').length).toBeGreaterThan(0));
    expect(texts(h.partials('c1').at(-1))).toEqual(['now']);
    gate('p').open();
    await vi.waitFor(() => expect(texts(h.partials('c1').at(-1))).toEqual(['late', 'now']));
    gate('end').open();
    await h.runtime.idle();
  });

  it('keeps to the per-run output cap while streaming', async () => {
    const h = harness({}, undefined, { streamFrameMs: 1 });
    h.runtime.load([compiled('c1', 'for (let i = 0; i < 1500; i++) display(i);\nawait globalThis.gate("a");\nreturn {};')]);
    await vi.waitFor(() => expect(h.partials('c1')).toHaveLength(1));
    const partial = texts(h.partials('c1')[0]);
    expect(partial).toHaveLength(MAX_OUTPUTS_PER_RUN + 1);
    expect(partial.at(-1)).toMatch(/^… 500 more outputs were not shown/);
    gate('a').open();
    await h.runtime.idle();
  });

  it('sends nothing more from a run a newer one superseded', async () => {
    const h = harness({}, undefined, { streamFrameMs: 1 });
    h.runtime.load([
      compiled('c1', 'const n = slider("N", {min: 0, max: 10, value: 1});\nreturn {n};', { outputs: ['n'] }),
      compiled('c2', 'display("start " + n);\nawait globalThis.gate("run" + n);\ndisplay("end " + n);\ntoast("done " + n);\nreturn {};', { inputs: ['n'] }),
    ]);
    await vi.waitFor(() => expect(texts(h.partials('c2').at(-1))).toEqual(['start 1']));
    h.runtime.setInput('js:c1:N', 2);
    // The first run is stale now; let it finish while the second waits.
    gate('run1').open();
    await vi.waitFor(() => expect(texts(h.partials('c2').at(-1))).toEqual(['start 2']));
    gate('run2').open();
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['start 2', 'end 2']);
    const everything = h.events.filter((e) => e.cell === 'c2').flatMap((e) => texts(e.status === 'pending' ? e.partial : e.outputs));
    expect(everything).not.toContain('end 1');
    expect(h.toasts.map((t) => t.text)).toEqual(['done 2']);
    // Generations only grow in what c2 sent.
    const generations = h.events.filter((e) => e.cell === 'c2').map((e) => e.run.generation);
    expect(generations).toEqual([...generations].sort((a, b) => a - b));
  });
});

describe('CellRuntime: progress', () => {
  const bars = (items: OutputItem[] | undefined) => (items ?? []).filter((o) => o.type === 'progress');

  it('updates the same bar in place, streamed while the cell runs', async () => {
    const h = harness({}, undefined, { streamFrameMs: 1 });
    h.runtime.load([compiled('c1', [
      'progress(0.2, {label: "Loading 1/5"});',
      'display("between");',
      'await globalThis.gate("a");',
      'progress({value: 5, max: 5}, "Loading 5/5");',
      'return {};',
    ].join('\n'))]);
    await vi.waitFor(() => expect(h.partials('c1')).toHaveLength(1));
    expect(h.partials('c1')[0]).toEqual([
      { type: 'progress', label: 'Loading 1/5', value: 0.2, max: 1 },
      { type: 'text', text: 'between' },
    ]);
    gate('a').open();
    await h.runtime.idle();
    expect(h.outputs('c1')).toEqual([
      { type: 'progress', label: 'Loading 5/5', value: 5, max: 5 },
      { type: 'text', text: 'between' },
    ]);
  });

  it('keeps bars with different keys apart, and shows null as unknown progress', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'progress(0.5, {key: "a", label: "A"});\nprogress(null, {key: "b", label: "B"});\nprogress(1, {key: "a", label: "A"});\nreturn {};')]);
    await h.runtime.idle();
    expect(bars(h.outputs('c1'))).toEqual([
      { type: 'progress', label: 'A', value: 1, max: 1 },
      { type: 'progress', label: 'B', value: null, max: 1 },
    ]);
  });

  it.each([
    ['progress(50)', /progress\(50\): a number is a fraction from 0 to 1; for 50 of a total write progress\(\{value: 50, max: 100\}\)/],
    ['progress(-0.1)', /from 0 to 1 \(got -0.1\)/],
    ['progress("half")', /number from 0 to 1, \{value, max\}, or null/],
    ['progress({value: 3, max: 0})', /max must be a number above 0/],
  ])('refuses %s with a message that says what works, at the call', async (call, message) => {
    const h = harness();
    h.runtime.load([compiled('c1', `${call};\nreturn {};`, { bodyLine: 40 })]);
    await h.runtime.idle();
    const last = h.last('c1');
    expect(last?.status).toBe('rejected');
    if (last?.status !== 'rejected') return;
    expect(last.error.name).toBe('TypeError');
    expect(last.error.message).toMatch(message);
    expect(last.error.line).toBe(40);
  });
});

describe('CellRuntime: toast', () => {
  it('sends text with the run that made it, at most a few per run, none after the run settled', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'toast("Saved");\ntoast({rows: 3});\nfor (let i = 0; i < 100; i++) toast("flood " + i);\nsetTimeout(() => toast("too late"), 0);\nreturn {};')]);
    await h.runtime.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.toasts).toHaveLength(MAX_TOASTS_PER_RUN);
    expect(h.toasts[0]).toEqual({ cell: 'c1', run: h.last('c1')!.run, text: 'Saved' });
    expect(h.toasts[1]!.text).toBe('{"rows":3}');
    expect(h.toasts.map((t) => t.text)).not.toContain('too late');
    // A toast is not an output.
    expect(h.outputs('c1')).toEqual([]);
  });
});
