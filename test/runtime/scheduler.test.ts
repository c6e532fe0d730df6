import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/notebook/types.ts';
import type { CellEvent } from '../../src/runtime/protocol.ts';
import { Scheduler, type SchedulerCell } from '../../src/runtime/scheduler.ts';

/** A fake cell: `compute` maps input values to output values, after `delay` ms. */
interface FakeCell extends SchedulerCell {
  compute: (inputs: Record<string, any>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  delay?: number;
}

function cell(id: string, inputs: string[], outputs: string[], compute: FakeCell['compute'], delay?: number, errors: Diagnostic[] = []): FakeCell {
  return { id, inputs, outputs, body: `${id}:${compute.toString()}`, errors, compute, delay };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A scheduler over fake cells that counts calls, concurrency and events. */
function harness(staleGraceMs?: number, holdLimitMs?: number) {
  const calls = new Map<string, number>();
  const events: CellEvent[] = [];
  let running = 0;
  let maxRunning = 0;
  const scheduler = new Scheduler<FakeCell>({
    async execute(c, inputs) {
      calls.set(c.id, (calls.get(c.id) ?? 0) + 1);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        if (c.delay) await sleep(c.delay);
        const values = await c.compute(inputs);
        return { ok: true, values, outputs: [{ type: 'text', text: JSON.stringify(values) }] };
      } catch (error) {
        return { ok: false, error: { name: 'Error', message: (error as Error).message }, outputs: [] };
      } finally {
        running--;
      }
    },
    observe: (event) => events.push(event),
    staleGraceMs,
    holdLimitMs,
  });
  const last = (id: string) => events.filter((e) => e.cell === id && e.status !== 'pending').at(-1);
  const shown = (id: string) => {
    const e = last(id);
    return e?.status === 'fulfilled' && e.outputs[0]?.type === 'text' ? JSON.parse(e.outputs[0].text) : undefined;
  };
  return { scheduler, calls, events, last, shown, count: (id: string) => calls.get(id) ?? 0, maxRunning: () => maxRunning };
}

describe('Scheduler', () => {
  it('runs a diamond once per cell per change', async () => {
    const src = { a: 1 };
    const h = harness();
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: src.a })),
      cell('B', ['a'], ['b'], ({ a }) => ({ b: a + 1 }), 5),
      cell('C', ['a'], ['c'], ({ a }) => ({ c: a * 10 }), 1),
      cell('D', ['b', 'c'], ['d'], ({ b, c }) => ({ d: b + c })),
    ]);
    await h.scheduler.idle();
    expect(['A', 'B', 'C', 'D'].map(h.count)).toEqual([1, 1, 1, 1]);
    expect(h.shown('D')).toEqual({ d: 12 });
    src.a = 2;
    h.scheduler.invalidate(['A']);
    await h.scheduler.idle();
    expect(['A', 'B', 'C', 'D'].map(h.count)).toEqual([2, 2, 2, 2]);
    expect(h.shown('D')).toEqual({ d: 23 });
  });

  it('runs a three-level chain in dependency order, whatever the document order', async () => {
    const h = harness();
    h.scheduler.load([
      cell('C', ['b'], ['c'], ({ b }) => ({ c: b * 2 })),
      cell('B', ['a'], ['b'], ({ a }) => ({ b: a + 1 }), 2),
      cell('A', [], ['a'], () => ({ a: 1 })),
    ]);
    await h.scheduler.idle();
    const starts = h.events.filter((e) => e.status === 'pending').map((e) => e.cell);
    expect(starts).toEqual(['A', 'B', 'C']);
    expect(h.shown('C')).toEqual({ c: 4 });
  });

  it('re-runs only what is downstream of a change', async () => {
    const h = harness();
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: 1 })),
      cell('B', ['a'], ['b'], ({ a }) => ({ b: a })),
      cell('X', [], ['x'], () => ({ x: 1 })),
      cell('Y', ['x'], ['y'], ({ x }) => ({ y: x })),
    ]);
    await h.scheduler.idle();
    h.scheduler.invalidate(['A']);
    await h.scheduler.idle();
    expect(['A', 'B', 'X', 'Y'].map(h.count)).toEqual([2, 2, 1, 1]);
  });

  it('runs independent cells concurrently', async () => {
    const h = harness();
    h.scheduler.load([
      cell('P', [], ['p'], () => ({ p: 1 }), 30),
      cell('Q', [], ['q'], () => ({ q: 1 }), 30),
    ]);
    await h.scheduler.idle();
    expect(h.maxRunning()).toBe(2);
  });

  it('never delivers a run from an older generation', async () => {
    const src = { a: 1 };
    const h = harness();
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: src.a })),
      cell('S', ['a'], ['s'], ({ a }) => ({ s: a * 100 }), 40),
    ]);
    await sleep(10); // S (a = 1) is in flight
    src.a = 2;
    h.scheduler.invalidate(['A']);
    await h.scheduler.idle();
    const delivered = h.events.filter((e) => e.cell === 'S' && e.status === 'fulfilled');
    expect(delivered).toHaveLength(1);
    expect(h.shown('S')).toEqual({ s: 200 });
    expect(h.count('S')).toBe(2);
    // Events of a cell are in non-decreasing generation order.
    const gens = h.events.filter((e) => e.cell === 'S').map((e) => e.run.generation);
    expect([...gens].sort((x, y) => x - y)).toEqual(gens);
  });

  it('ends on the last of 50 rapid changes with far fewer runs of a slow cell', async () => {
    const src = { a: 0 };
    const h = harness();
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: src.a })),
      cell('S', ['a'], ['s'], ({ a }) => ({ s: a }), 25),
      cell('T', ['s'], ['t'], ({ s }) => ({ t: s + 1 }), 25),
    ]);
    for (let i = 1; i <= 50; i++) {
      src.a = i;
      h.scheduler.invalidate(['A']);
      // Changes arrive as separate tasks, some while S or T is mid-run.
      await (i % 5 === 0 ? sleep(2) : Promise.resolve());
    }
    await h.scheduler.idle();
    expect(h.shown('T')).toEqual({ t: 51 });
    expect(h.count('S')).toBeLessThan(15);
    expect(h.count('T')).toBeLessThan(10);
    expect(h.count('A')).toBeLessThanOrEqual(51); // even the fast source cell coalesces changes that land mid-run
  });

  it('rejects dependents of a failed cell, and a fix clears them', async () => {
    const src = { a: -1 };
    const h = harness();
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: src.a })),
      cell('B', ['a'], ['b'], ({ a }) => {
        if (a < 0) throw new Error('negative');
        return { b: a };
      }),
      cell('C', ['b'], ['c'], ({ b }) => ({ c: b })),
      cell('D', ['c'], ['d'], ({ c }) => ({ d: c })),
    ]);
    await h.scheduler.idle();
    expect(h.last('B')).toMatchObject({ status: 'rejected', error: { message: 'negative' } });
    expect(h.last('C')).toMatchObject({ status: 'rejected', error: { name: 'DependencyError', waitingOn: 'B' } });
    // The root cause is named, not the nearest failed cell.
    expect(h.last('D')).toMatchObject({ status: 'rejected', error: { name: 'DependencyError', waitingOn: 'B' } });
    expect(h.count('C')).toBe(0);
    src.a = 3;
    h.scheduler.invalidate(['A']);
    await h.scheduler.idle();
    expect(h.shown('D')).toEqual({ d: 3 });
  });

  it('rejects a cell with compile errors at the first error, and its dependents', async () => {
    const h = harness();
    const span = { start: { line: 7, column: 3, offset: 0 }, end: { line: 7, column: 9, offset: 6 } };
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: 1 }), 0, [
        { severity: 'error', message: 'Unexpected token', span, code: 'syntax-error' },
        { severity: 'error', message: 'second', span, code: 'other' },
      ]),
      cell('B', ['a'], ['b'], ({ a }) => ({ b: a })),
      cell('X', [], ['x'], () => ({ x: 1 })),
    ]);
    await h.scheduler.idle();
    expect(h.last('A')).toMatchObject({ status: 'rejected', error: { name: 'SyntaxError', message: 'Unexpected token', line: 7, column: 3 } });
    expect(h.last('B')).toMatchObject({ status: 'rejected', error: { name: 'DependencyError', waitingOn: 'A' } });
    expect(h.shown('X')).toEqual({ x: 1 });
    expect(h.count('A')).toBe(0);
    // No pending event for a cell that never started.
    expect(h.events.some((e) => e.cell === 'A' && e.status === 'pending')).toBe(false);
  });

  it('rejects skipped cells with the given error until they change', async () => {
    const h = harness();
    const cells = [cell('L', [], ['l'], () => ({ l: 1 })), cell('M', ['l'], ['m'], ({ l }) => ({ m: l }))];
    h.scheduler.load(cells, { L: { name: 'TimeoutError', message: 'Stopped' } });
    await h.scheduler.idle();
    expect(h.last('L')).toMatchObject({ status: 'rejected', error: { name: 'TimeoutError' } });
    expect(h.last('M')).toMatchObject({ error: { name: 'DependencyError', waitingOn: 'L' } });
    h.scheduler.load(cells);
    await h.scheduler.idle();
    expect(h.shown('M')).toEqual({ m: 1 });
  });

  it('removing a cell removes its names', async () => {
    const h = harness();
    const a = cell('A', [], ['a'], () => ({ a: 1 }));
    const b = cell('B', ['a'], ['b'], ({ a }) => ({ b: a }));
    h.scheduler.load([a, b]);
    await h.scheduler.idle();
    expect(h.scheduler.valueOf('a')).toBe(1);
    h.scheduler.load([b]);
    await h.scheduler.idle();
    expect(h.scheduler.valueOf('a')).toBeUndefined();
    expect(h.last('B')).toMatchObject({ status: 'rejected', error: { name: 'ReferenceError' } });
  });

  it('redefining one cell re-runs it and its dependents only', async () => {
    const h = harness();
    const base = [
      cell('A', [], ['a'], () => ({ a: 1 })),
      cell('B', ['a'], ['b'], ({ a }) => ({ b: a + 1 })),
      cell('C', ['b'], ['c'], ({ b }) => ({ c: b })),
      cell('X', ['a'], ['x'], ({ a }) => ({ x: a })),
    ];
    h.scheduler.load(base);
    await h.scheduler.idle();
    // Same definitions again (new objects): nothing runs.
    h.scheduler.load(base.map((c) => ({ ...c })));
    await h.scheduler.idle();
    expect(['A', 'B', 'C', 'X'].map(h.count)).toEqual([1, 1, 1, 1]);
    h.scheduler.load([base[0], cell('B', ['a'], ['b'], ({ a }) => ({ b: a + 100 })), base[2], base[3]]);
    await h.scheduler.idle();
    expect(['A', 'B', 'C', 'X'].map(h.count)).toEqual([1, 2, 2, 1]);
    expect(h.shown('C')).toEqual({ c: 101 });
  });

  it('a redefinition does not wait for the old definition still in flight', async () => {
    const h = harness();
    h.scheduler.load([cell('S', [], ['s'], () => ({ s: 'old' }), 200)]);
    await sleep(5);
    h.scheduler.load([cell('S', [], ['s'], () => ({ s: 'new' }), 5)]);
    const t0 = Date.now();
    await h.scheduler.idle();
    expect(Date.now() - t0).toBeLessThan(150);
    expect(h.shown('S')).toEqual({ s: 'new' });
    await sleep(220); // the abandoned old run has finished too: it delivered nothing
    expect(h.events.filter((e) => e.status === 'fulfilled')).toHaveLength(1);
    expect(h.shown('S')).toEqual({ s: 'new' });
  });

  it('a run that hangs does not block its cell forever', async () => {
    const src = { hang: true, a: 1 };
    const h = harness(30);
    h.scheduler.load([
      cell('A', [], ['a'], () => ({ a: src.a })),
      cell('H', ['a'], ['h'], ({ a }) => (src.hang ? new Promise<never>(() => {}) : { h: a })),
    ]);
    await sleep(5); // H's first run hangs
    src.hang = false;
    src.a = 2;
    const t0 = Date.now();
    h.scheduler.invalidate(['A']);
    await h.scheduler.idle();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(h.shown('H')).toEqual({ h: 2 });
    expect(h.count('H')).toBe(2);
  });

  it('counts runs and stamps generations on events', async () => {
    const h = harness();
    h.scheduler.load([cell('A', [], ['a'], () => ({ a: 1 }))]);
    await h.scheduler.idle();
    h.scheduler.invalidate(['A']);
    await h.scheduler.idle();
    const done = h.events.filter((e) => e.status === 'fulfilled');
    expect(done.map((e) => e.run)).toEqual([
      { generation: 1, runs: 1 },
      { generation: 2, runs: 2 },
    ]);
  });
});

describe('Scheduler generations across runtime incarnations', () => {
  it('continues numbering from firstGeneration, for events and for cancellation', async () => {
    const started: number[] = [];
    const events: CellEvent[] = [];
    const base = 3 * 2 ** 32;
    const scheduler = new Scheduler<FakeCell>({
      execute: async (c, inputs) => ({ ok: true, values: await c.compute(inputs), outputs: [] }),
      observe: (event) => events.push(event),
      onGeneration: (generation) => started.push(generation),
      firstGeneration: base,
    });
    scheduler.load([cell('A', [], ['a'], () => ({ a: 1 }))]);
    await scheduler.idle();
    expect(scheduler.generation).toBeGreaterThan(base);
    expect(started.every((g) => g > base)).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.run.generation > base)).toBe(true);
  });
});

describe('Scheduler.rebind (a widget’s own value, viewof-style)', () => {
  it('gives the cell its new value without running it; each downstream cell of the diamond runs once', async () => {
    const h = harness();
    h.scheduler.load([
      cell('W', [], ['w'], () => ({ w: 1 })),
      cell('B', ['w'], ['b'], ({ w }) => ({ b: w + 1 }), 5),
      cell('C', ['w'], ['c'], ({ w }) => ({ c: w * 10 }), 1),
      cell('D', ['b', 'c'], ['d'], ({ b, c }) => ({ d: b + c })),
      cell('E', [], ['e'], () => ({ e: 'apart' })),
    ]);
    await h.scheduler.idle();
    const before = h.scheduler.generation;
    expect(h.scheduler.rebind('W', { w: 2 }, [{ type: 'text', text: '{"w":2}' }])).toBe(true);
    await h.scheduler.idle();
    expect(['W', 'B', 'C', 'D', 'E'].map(h.count)).toEqual([1, 2, 2, 2, 1]);
    expect(h.shown('D')).toEqual({ d: 23 });
    // The cell's event is delivered again in the new generation, with the outputs given.
    expect(h.last('W')).toMatchObject({ status: 'fulfilled', run: { generation: before + 1 } });
    expect(h.shown('W')).toEqual({ w: 2 });
    expect(h.scheduler.valueOf('w')).toBe(2);
  });

  it('refuses a cell that is running or has no fulfilled value, changing nothing', async () => {
    const h = harness();
    h.scheduler.load([cell('W', [], ['w'], () => ({ w: 1 }), 20), cell('F', [], ['f'], () => { throw new Error('no'); })]);
    expect(h.scheduler.rebind('W', { w: 2 }, [])).toBe(false);
    await h.scheduler.idle();
    expect(h.scheduler.rebind('F', { f: 2 }, [])).toBe(false);
    expect(h.scheduler.rebind('missing', {}, [])).toBe(false);
    expect(h.scheduler.valueOf('w')).toBe(1);
  });
});

describe('Scheduler.offer (latest wins, with backpressure)', () => {
  /** An offer of `w`, counting how often its value is asked for. */
  function offerer(h: ReturnType<typeof harness>) {
    const asked: number[] = [];
    return {
      asked,
      offer: (w: number) => h.scheduler.offer('W', () => {
        asked.push(w);
        return { values: { w }, outputs: [{ type: 'text', text: JSON.stringify({ w }) }] };
      }),
    };
  }

  it('applies a value at once when nothing downstream is busy', async () => {
    const h = harness();
    h.scheduler.load([cell('W', [], ['w'], () => ({ w: 1 })), cell('B', ['w'], ['b'], ({ w }) => ({ b: w + 1 }), 5)]);
    await h.scheduler.idle();
    const { offer, asked } = offerer(h);
    const generation = offer(2);
    expect(generation).toBe(h.scheduler.generation);
    expect(asked).toEqual([2]);
    await h.scheduler.idle();
    expect([h.count('W'), h.count('B')]).toEqual([1, 2]);
    expect(h.shown('B')).toEqual({ b: 3 });
  });

  it('holds values while the downstream work of the last one runs; only the newest is applied, and every wave delivers', async () => {
    const h = harness();
    h.scheduler.load([cell('W', [], ['w'], () => ({ w: 1 })), cell('B', ['w'], ['b'], ({ w }) => ({ b: w + 1 }), 20)]);
    await h.scheduler.idle();
    const { offer, asked } = offerer(h);
    offer(2);
    const held = offer(3);
    offer(4);
    expect(asked).toEqual([2]);
    expect(held).toBe(h.scheduler.generation + 1);
    await h.scheduler.idle();
    // B ran for 2 (delivered: nothing abandoned it) and then for 4; 3 was never applied.
    expect(asked).toEqual([2, 4]);
    expect(h.count('B')).toBe(3);
    const delivered = h.events
      .flatMap((e) => (e.cell === 'B' && e.status === 'fulfilled' && e.outputs[0]?.type === 'text' ? [JSON.parse(e.outputs[0].text).b] : []));
    expect(delivered).toEqual([2, 3, 5]);
    expect(h.shown('W')).toEqual({ w: 4 });
  });

  it('applies a held value as soon as a wave ends in cells refused at once (a failure downstream), and idle() waits for it', async () => {
    const h = harness();
    h.scheduler.load([
      cell('W', [], ['w'], () => ({ w: 1 })),
      cell('B', ['w'], ['b'], ({ w }) => { if (w === 2) throw new Error('two'); return { b: w }; }, 20),
      cell('C', ['b'], ['c'], ({ b }) => ({ c: b })),
    ]);
    await h.scheduler.idle();
    const { offer, asked } = offerer(h);
    const started = Date.now();
    offer(2); // B fails: C is refused without running
    offer(3);
    await h.scheduler.idle();
    expect(asked).toEqual([2, 3]);
    expect(Date.now() - started).toBeLessThan(500);
    expect(h.shown('C')).toEqual({ c: 3 });
    // The next value, with nothing held, applies at once; nothing older comes after it.
    offer(4);
    await h.scheduler.idle();
    await sleep(20);
    expect(asked).toEqual([2, 3, 4]);
    expect(h.shown('C')).toEqual({ c: 4 });
  });

  it('applies a held value after the hold limit when the downstream work never ends', async () => {
    const h = harness(10_000, 30);
    h.scheduler.load([cell('W', [], ['w'], () => ({ w: 1 })), cell('B', ['w'], ['b'], ({ w }) => (w === 1 ? { b: 0 } : new Promise(() => {})))]);
    await h.scheduler.idle();
    const { offer, asked } = offerer(h);
    offer(2); // B now waits forever
    offer(3);
    expect(asked).toEqual([2]);
    // Held for the limit (30 ms), then applied; polled, as a loaded machine fires the timer late.
    await expect.poll(() => [...asked], { timeout: 5_000 }).toEqual([2, 3]);
    expect(h.shown('W')).toEqual({ w: 3 });
  });

  it('re-runs a cell that cannot be rebound', async () => {
    const h = harness();
    h.scheduler.load([cell('W', [], ['w'], () => ({ w: 1 })), cell('B', ['w'], ['b'], ({ w }) => ({ b: w + 1 }))]);
    await h.scheduler.idle();
    h.scheduler.offer('W', () => undefined);
    await h.scheduler.idle();
    expect([h.count('W'), h.count('B')]).toEqual([2, 2]);
  });
});
