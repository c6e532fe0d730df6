import { describe, expect, it } from 'vitest';
import type { QueryRequest } from '../../../src/data/api.ts';
import type { CellEvent } from '../../../src/runtime/protocol.ts';
import { CellRuntime } from '../../../workers/runtime/runtime.ts';
import { importPlot } from '../../../workers/runtime/plot-loader.ts';
import { compiled, harness, answer } from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CellRuntime: running cells', () => {
  it('returns outputs to dependents and shows display() calls and the final value', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', 'const a = 2;\ndisplay("hello");\ndisplay(3);\n__brook.value(a * 10);\nreturn {a};', { outputs: ['a'] }),
      compiled('c2', '__brook.value(undefined);\n__brook.value(a + 1);\nreturn {};', { inputs: ['a'] }),
    ]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['hello', '3', '20']);
    expect(h.texts('c2')).toEqual(['3']);
    expect(h.last('c2')).toMatchObject({ status: 'fulfilled', run: { runs: 1 } });
  });

  it('reports a thrown error with the notebook line; other cells still run', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', 'const x = 1;\nthrow new Error("bad " + x);\nreturn {x};', { outputs: ['x'], bodyLine: 12 }),
      compiled('c2', 'return {y: x};', { inputs: ['x'], outputs: ['y'] }),
      compiled('c3', '__brook.value(30);\nreturn {};'),
    ]);
    await h.runtime.idle();
    expect(h.last('c1')).toMatchObject({ status: 'rejected', error: { name: 'Error', message: 'bad 1', line: 13, column: 7 } });
    expect(h.last('c2')).toMatchObject({ status: 'rejected', error: { name: 'DependencyError', waitingOn: 'c1' } });
    expect(h.texts('c3')).toEqual(['30']);
  });

  it('a body that does not parse rejects as SyntaxError at its first line', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'const = 1;', { bodyLine: 4 })]);
    await h.runtime.idle();
    expect(h.last('c1')).toMatchObject({ status: 'rejected', error: { name: 'SyntaxError', line: 4 } });
  });

  it('reloading unchanged cells keeps their values; code cells never run', async () => {
    const h = harness();
    const cells = [
      compiled('c1', 'return {a: 1};', { outputs: ['a'] }),
      compiled('c2', '', { kind: 'code' }),
    ];
    h.runtime.load(cells);
    await h.runtime.idle();
    h.runtime.load(cells.map((c) => ({ ...c })));
    await h.runtime.idle();
    expect(h.runs('c1')).toBe(1);
    expect(h.events.some((e) => e.cell === 'c2')).toBe(false);
  });

  it('tells the host which cell runs, then null when idle, and cancels older generations', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'await null;\nreturn {};'), compiled('c2', 'return {};')]);
    await h.runtime.idle();
    expect(h.running).toContain('c1');
    expect(h.running).toContain('c2');
    expect(h.running.at(-1)).toBeNull();
    expect(h.cancelled).toEqual([1]);
  });

  it('a query cancelled for a newer generation is asked again while its run is still current (a control elsewhere moved)', async () => {
    // The data worker's rule: queued work of generations older than the last cancelBefore is dropped.
    let cancelledBefore = -Infinity;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const asked: number[] = [];
    const data = {
      async query(request: QueryRequest) {
        asked.push(request.generation ?? -1);
        await opened;
        if ((request.generation ?? Infinity) < cancelledBefore) return { ok: false as const, error: { name: 'CancelledError', message: 'Cancelled: a newer run superseded this query.' } };
        return answer({ x: [1] });
      },
      cancelBefore: (generation: number) => void (cancelledBefore = Math.max(cancelledBefore, generation)),
    };
    const events: CellEvent[] = [];
    const runtime = new CellRuntime({
      init: { notebookId: 'test', inputs: {}, state: {} },
      host: { event: (e) => void events.push(e), running: () => {}, stateChanged: () => {}, toast: () => {} },
      data, stateDelayMs: 20, widthsWaitMs: 0, loadPlot: importPlot,
    });
    runtime.load([
      compiled('s', 'const n = slider("N", {min: 0, max: 50, value: 10});\nreturn {n};', { key: 'slider:n', outputs: ['n'] }),
      compiled('q', 'const t = await query`SELECT 1 AS x`;\nreturn {t};', { outputs: ['t'] }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    runtime.setInput('slider:n:N', 20); // unrelated to q: a new generation, which cancels q's queued query
    open();
    await runtime.idle();
    const last = events.filter((e) => e.cell === 'q' && e.status !== 'pending').at(-1);
    expect(last?.status).toBe('fulfilled');
    expect(asked.length).toBe(2);
    expect(asked[1]).toBeGreaterThan(asked[0]!);
  });

  it('shows markdown holes as display strings', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', '__brook.holes([21, "x", null, md`**b**`]);\nreturn {};', { kind: 'md' })]);
    await h.runtime.idle();
    expect(h.outputs('c1')).toEqual([{ type: 'holes', values: ['21', 'x', '', '**b**'] }]);
  });

  it('shows a displayed promise in its place once it resolves; a rejection rejects the cell', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', 'display("first");\n__brook.value(new Promise((r) => setTimeout(() => r("later"), 5)));\ndisplay("last");\nreturn {};'),
      compiled('c2', '__brook.holes([Promise.resolve(7), "x"]);\nreturn {};', { kind: 'md' }),
      compiled('c3', '__brook.value(Promise.reject(new Error("nope")));\nreturn {};', { bodyLine: 50 }),
    ]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['first', 'later', 'last']);
    expect(h.outputs('c2')).toEqual([{ type: 'holes', values: ['7', 'x'] }]);
    expect(h.last('c3')).toMatchObject({ status: 'rejected', error: { message: 'nope', line: 50 } });
  });

  it('renders md, html, metric and download outputs', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', [
        'display(md`# Hi ${1 + 1}`);',
        'display(html`<b>${"<i>"}</b>`);',
        'display(metric("Revenue", 1234.5, {delta: -3}));',
        'download([{a: 1, b: "x,y"}], "out.csv");',
        'return {};',
      ].join('\n')),
    ]);
    await h.runtime.idle();
    expect(h.outputs('c1')).toEqual([
      { type: 'markdown', markdown: '# Hi 2' },
      { type: 'html', html: '<b>&#60;i&#62;</b>' },
      { type: 'metric', label: 'Revenue', value: '1,234.5', delta: '-3', deltaSign: -1 },
      { type: 'download', filename: 'out.csv', mime: 'text/csv', data: 'a,b\n1,"x,y"\n', label: 'Download out.csv' },
    ]);
  });
});

describe('CellRuntime: widgets', () => {
  const sliderCell = (fields = {}) =>
    compiled('c1', 'const n = slider("N", {min: 0, max: 50, value: 10});\nreturn {n};', { key: 'slider:n', outputs: ['n'], ...fields });
  const doubled = compiled('c2', '__brook.value(`doubled = ${n * 2}`);\nreturn {};', { inputs: ['n'] });
  const other = compiled('c3', '__brook.value("other");\nreturn {};');

  it('uses the default, or the saved value restored from RuntimeInit.inputs', async () => {
    const fresh = harness();
    fresh.runtime.load([sliderCell(), doubled]);
    await fresh.runtime.idle();
    expect(fresh.texts('c2')).toEqual(['doubled = 20']);
    expect(fresh.widgets('c1')).toEqual([
      { kind: 'slider', key: 'slider:n:N', label: 'N', value: 10, options: { min: 0, max: 50, step: 1 } },
    ]);

    const restored = harness({ inputs: { 'slider:n:N': 7 } });
    restored.runtime.load([sliderCell(), doubled]);
    await restored.runtime.idle();
    expect(restored.texts('c2')).toEqual(['doubled = 14']);

    // A saved value the control can no longer hold falls back to the default.
    const invalid = harness({ inputs: { 'slider:n:N': 99 } });
    invalid.runtime.load([sliderCell(), doubled]);
    await invalid.runtime.idle();
    expect(invalid.texts('c2')).toEqual(['doubled = 20']);
  });

  it('setInput re-runs the widget cell and its dependents, nothing else', async () => {
    const h = harness();
    h.runtime.load([sliderCell(), doubled, other]);
    await h.runtime.idle();
    h.runtime.setInput('slider:n:N', 21);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['doubled = 42']);
    expect([h.runs('c1'), h.runs('c2'), h.runs('c3')]).toEqual([2, 2, 1]);
    h.runtime.setInput('unknown:key', 1);
    await h.runtime.idle();
    expect(h.runs('c1')).toBe(2);
  });

  it('a cell that is only a widget is not run again for its own value: it is rebound, its dependents re-run', async () => {
    const h = harness();
    const widgetOnly = sliderCell({ source: 'const n = slider("N", {min: 0, max: 50, value: 10})' });
    h.runtime.load([widgetOnly, doubled, other]);
    await h.runtime.idle();
    const generation = h.runtime.setInput('slider:n:N', 21);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['doubled = 42']);
    expect([h.runs('c1'), h.runs('c2'), h.runs('c3')]).toEqual([1, 2, 1]);
    // The widget's cell is reported again, in the generation setInput answered, showing the new value.
    expect(h.last('c1')).toMatchObject({ status: 'fulfilled', run: { generation } });
    expect(h.widgets('c1')[0]).toMatchObject({ value: 21 });
    // A value the control cannot hold gives what a run would: the default.
    h.runtime.setInput('slider:n:N', 99);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['doubled = 20']);
    expect(h.runs('c1')).toBe(1);
  });

  it('rapid changes of a widget-only cell wait for the downstream to settle: latest wins, no run per step', async () => {
    const h = harness();
    const widgetOnly = sliderCell({ source: 'const n = slider("N", {min: 0, max: 50, value: 10})' });
    const slow = compiled('c2', 'await new Promise((r) => setTimeout(r, 30));\n__brook.value(`doubled = ${n * 2}`);\nreturn {};', { inputs: ['n'] });
    h.runtime.load([widgetOnly, slow]);
    await h.runtime.idle();
    const answered: number[] = [];
    for (let value = 11; value <= 30; value++) {
      answered.push(h.runtime.setInput('slider:n:N', value));
      await sleep(3);
    }
    await h.runtime.idle();
    await sleep(50);
    await h.runtime.idle();
    expect(h.texts('c2')).toEqual(['doubled = 60']);
    // One run per settled wave, not one per step (20 steps, ~30 ms of downstream work each), and every
    // run delivers: none is made stale by a newer step, so the outputs follow the hand.
    const delivered = h.events.filter((e) => e.cell === 'c2' && e.status === 'fulfilled').length;
    expect(h.runs('c2')).toBeLessThanOrEqual(6);
    expect(delivered).toBe(h.runs('c2'));
    expect(delivered).toBeGreaterThanOrEqual(3);
    expect(h.runs('c1')).toBe(1);
    // The widget's last event is no older than the generation the last change was answered with.
    expect(h.last('c1')!.run.generation).toBeGreaterThanOrEqual(answered.at(-1)!);
    expect(h.widgets('c1')[0]).toMatchObject({ value: 30 });
  });

  it('a widget cell that does more than make the widget still re-runs', async () => {
    const h = harness();
    h.runtime.load([sliderCell({ source: 'const n = slider("N", {min: 0, max: 50, value: 10}) * 1' }), doubled]);
    await h.runtime.idle();
    h.runtime.setInput('slider:n:N', 21);
    await h.runtime.idle();
    expect(h.runs('c1')).toBe(2);
  });

  it('uses an explicit key and rejects two widgets with one label', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', 'const a = text("Name", {key: "who"});\nreturn {a};', { outputs: ['a'] }),
      compiled('c2', 'checkbox("Same");\ncheckbox("Same");\nreturn {};', { bodyLine: 30 }),
    ]);
    await h.runtime.idle();
    expect(h.widgets('c1')[0]).toMatchObject({ kind: 'text', key: 'who', value: '' });
    expect(h.last('c2')).toMatchObject({ status: 'rejected', error: { line: 31 } });
    const failed = h.last('c2');
    expect(failed?.status === 'rejected' ? failed.error.message : '').toMatch(/key/);
  });

  it('select and radio take an array or a query result column', async () => {
    const h = harness({}, () => answer({ region: ['north', 'south'] }));
    h.runtime.load([
      compiled('c1', [
        'const regions = await query`SELECT DISTINCT region FROM sales`;',
        'const r = select("Region", regions.getChild("region"));',
        'const t = radio("Size", ["S", "M"], {value: "M"});',
        'const m = select("Many", regions, {multiple: true});',
        '__brook.value(`${r} ${t} ${m.length}`);',
        'return {};',
      ].join('\n')),
    ]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['north M 0']);
    expect(h.widgets('c1').map((w) => w.options.options)).toEqual([['north', 'south'], ['S', 'M'], ['north', 'south']]);
  });

  it('a form shows its fields as one control and changes only on submit, re-running once', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', [
        'const f = form("Filters", {min: number("Min", {value: 1}), name: text("Name")});',
        '__brook.value(JSON.stringify(f));',
        'return {f};',
      ].join('\n'), { key: 'f', outputs: ['f'] }),
    ]);
    await h.runtime.idle();
    const widgets = h.widgets('c1');
    expect(widgets).toHaveLength(1);
    expect(widgets[0]).toMatchObject({ kind: 'form', key: 'f:Filters', value: { min: 1, name: '' } });
    expect(widgets[0]!.fields!.map((w) => [w.kind, w.key, w.options.name])).toEqual([['number', 'f:Min', 'min'], ['text', 'f:Name', 'name']]);
    h.runtime.setInput('f:Filters', { min: 5, name: 'x' });
    await h.runtime.idle();
    expect(h.runs('c1')).toBe(2);
    expect(h.texts('c1')).toEqual(['{"min":5,"name":"x"}']);

    // After a reload the page restores only the form's own key.
    const reloaded = harness({ inputs: { 'f:Filters': { min: 7 } } });
    reloaded.runtime.load([compiled('c1', 'const f = form("Filters", {min: number("Min", {value: 1}), name: text("Name")});\n__brook.value(JSON.stringify(f));\nreturn {f};', { key: 'f', outputs: ['f'] })]);
    await reloaded.runtime.idle();
    expect(reloaded.texts('c1')).toEqual(['{"min":7,"name":""}']);
    expect(reloaded.widgets('c1')[0]!.fields!.map((w) => w.value)).toEqual([7, '']);
  });

  it('button is true only in the run its click triggered', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c0', 'const k = number("K");\nreturn {k};', { outputs: ['k'], key: 'k' }),
      compiled('c1', 'k;\nconst go = button("Go");\n__brook.value(go ? "clicked" : "idle");\nreturn {};', { inputs: ['k'], key: 'b' }),
    ]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['idle']);
    h.runtime.setInput('b:Go', true);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['clicked']);
    h.runtime.setInput('k:K', 3); // another reason to re-run: the button is not clicked again
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['idle']);
  });

  it('file returns null until the page sets a table reference', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', 'const f = file("Upload", {accept: ".csv"});\n__brook.value(f === null ? "none" : f.table);\nreturn {};', { key: 'u' })]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['none']);
    expect(h.widgets('c1')[0]!.options).toEqual({ accept: '.csv' });
    h.runtime.setInput('u:Upload', { name: 'Sales.csv', table: 'sales', rowCount: 3 });
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['sales']);
  });
});

describe('CellRuntime: data, state, cache', () => {
  it('query binds parameters, returns an Arrow table shown as a query-backed table', async () => {
    const h = harness({}, (request) => answer({ id: [1, 2, 3], name: ['a', 'b', 'c'] }, ['orders']));
    h.runtime.load([
      compiled('c1', 'const rows = await query`SELECT * FROM orders WHERE id > ${k} AND name = ${"x\'y"}`;\n__brook.value(rows);\nreturn {rows};', { outputs: ['rows'] }),
      compiled('c0', 'return {k: 1};', { outputs: ['k'] }),
      compiled('c2', '__brook.value(Array.from(rows, (r) => r.name).join(""));\nreturn {};', { inputs: ['rows'] }),
    ].map((c) => (c.id === 'c1' ? { ...c, inputs: ['k'] } : c)));
    await h.runtime.idle();
    expect(h.queries[0]).toMatchObject({ sql: 'SELECT * FROM orders WHERE id > ? AND name = ?', params: [1, "x'y"] });
    const table = h.outputs('c1')[0];
    expect(table).toMatchObject({
      type: 'table',
      table: { rowCount: 3, source: { kind: 'query', sql: 'SELECT * FROM orders WHERE id > ? AND name = ?', params: [1, "x'y"] } },
    });
    expect(table?.type === 'table' && table.table.head).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }]);
    expect(h.texts('c2')).toEqual(['abc']);
  });

  it('a failed query rejects with QueryError and its SQL; the cell re-runs when the table appears', async () => {
    let exists = false;
    const h = harness({}, () =>
      exists ? answer({ n: [5] }, ['no_such_table']) : { ok: false, error: { name: 'QueryError', message: 'Catalog Error: Table with name no_such_table does not exist!' } });
    h.runtime.load([
      compiled('c1', 'const r = await query`SELECT count(*) AS n FROM no_such_table`;\n__brook.value(r.get(0).n);\nreturn {};', { bodyLine: 40 }),
      compiled('c2', 'return {};'),
    ]);
    await h.runtime.idle();
    expect(h.last('c1')).toMatchObject({
      status: 'rejected',
      error: { name: 'QueryError', sql: 'SELECT count(*) AS n FROM no_such_table', line: 40 },
    });
    h.runtime.tablesChanged(['other']);
    await h.runtime.idle();
    expect(h.runs('c1')).toBe(1);
    exists = true;
    h.runtime.tablesChanged(['NO_SUCH_TABLE']);
    await h.runtime.idle();
    expect(h.runs('c1')).toBe(2);
    expect(h.runs('c2')).toBe(1);
    expect(h.texts('c1')).toEqual(['5']);
  });

  it('arrays of objects become runtime tables the page can window and sort', async () => {
    const h = harness();
    h.runtime.load([compiled('c1', '__brook.value([{n: 3, s: "c"}, {n: 1, s: "a"}, {n: null, s: "z"}, {n: 2, s: "b"}]);\nreturn {};')]);
    await h.runtime.idle();
    const item = h.outputs('c1')[0];
    if (item?.type !== 'table' || item.table.source.kind !== 'runtime') throw new Error('expected a runtime table');
    expect(item.table.columns).toEqual([{ name: 'n', type: 'INTEGER' }, { name: 's', type: 'VARCHAR' }]);
    const handle = item.table.source.handle;
    expect(h.runtime.rows(handle, 0, 2, { column: 'n', direction: 'asc' }).map((r) => r.n)).toEqual([1, 2]);
    expect(h.runtime.rows(handle, 0, 4, { column: 'n', direction: 'desc' }).map((r) => r.n)).toEqual([3, 2, 1, null]);
    expect(h.runtime.rows(handle, 1, 2).map((r) => r.s)).toEqual(['a', 'z']);
  });

  it('state persists across runs and is reported once per burst of writes', async () => {
    const h = harness({ state: { count: 10 } });
    h.runtime.load([
      compiled('c1', 'state.count = (state.count ?? 0) + 1;\nstate.count += 1;\n__brook.value(state.count);\nreturn {};', { key: 's' }),
      compiled('c2', 'const t = toggle("T");\nreturn {t};', { key: 't', outputs: ['t'] }),
      compiled('c3', 't;\nstate.log = [...(state.log ?? []), "x"];\nreturn {};', { inputs: ['t'] }),
    ]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['12']);
    await sleep(60);
    expect(h.states).toEqual([{ count: 12, log: ['x'] }]);
    h.runtime.setInput('t:T', true);
    await h.runtime.idle();
    await sleep(60);
    expect(h.states.at(-1)).toEqual({ count: 12, log: ['x', 'x'] });
    expect(h.states).toHaveLength(2);
  });

  it('cache memoizes on arguments across re-runs of the cell', async () => {
    const h = harness();
    const calls = { n: 0 };
    (globalThis as Record<string, unknown>).__cacheCalls = calls;
    h.runtime.load([
      compiled('c0', 'const k = number("K", {value: 2});\nreturn {k};', { key: 'k', outputs: ['k'] }),
      compiled('c1', 'const twice = cache((n) => { globalThis.__cacheCalls.n++; return n * 2; });\n__brook.value(twice(k) + twice(k));\nreturn {};', { inputs: ['k'], key: 'c' }),
    ]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['8']);
    expect(calls.n).toBe(1);
    h.runtime.setInput('k:K', 2);
    await h.runtime.idle();
    expect(calls.n).toBe(1);
    h.runtime.setInput('k:K', 3);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['12']);
    expect(calls.n).toBe(2);
  });

  it('Plot renders an SVG figure off-page, with <title> tooltips for tip marks', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', [
        'const data = [{a: 1, b: 10, c: "x"}, {a: 2, b: 20, c: "y"}];',
        'display(Plot.plot({marks: [Plot.dot(data, {x: "a", y: "b", fill: "c", tip: true})]}));',
        'display(Plot.barY(data, {x: "c", y: "b"}).plot());',
        'return {};',
      ].join('\n')),
    ]);
    await h.runtime.idle();
    const [dots, bars] = h.outputs('c1');
    expect(dots?.type).toBe('figure');
    if (dots?.type !== 'figure' || bars?.type !== 'figure') throw new Error('expected figures');
    expect(dots.html).toMatch(/^<svg/);
    expect(dots.width).toBe(640);
    const titles = [...dots.html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['a: 1\nb: 10\nc: x', 'a: 2\nb: 20\nc: y']);
    expect(bars.html).toContain('<rect');
    expect(bars.html).not.toContain('<title>');
  });

  it('a stacked bar tooltip shows its interval once and no channel twice', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', [
        'const data = [{kind: "sun", days: 187}, {kind: "rain", days: 40}];',
        'display(Plot.plot({marks: [Plot.barX(data, {x: "days", fill: "kind", tip: true})]}));',
        'return {};',
      ].join('\n')),
    ]);
    await h.runtime.idle();
    const [figure] = h.outputs('c1');
    if (figure?.type !== 'figure') throw new Error('expected a figure');
    const titles = [...figure.html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['days: 0 – 187\nkind: sun', 'days: 187 – 227\nkind: rain']);
  });
});

describe('CellRuntime: titled Plot figures', () => {
  it('a Plot with a title is a <figure> whose width is its chart’s', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', 'display(Plot.plot({title: "Delays", width: 480, marks: [Plot.dot([{a: 1, b: 2}], {x: "a", y: "b"})]}));\nreturn {};'),
    ]);
    await h.runtime.idle();
    const [figure] = h.outputs('c1');
    if (figure?.type !== 'figure') throw new Error('expected a figure');
    expect(figure.html).toMatch(/^<figure/);
    expect(figure.html).toContain('Delays');
    expect(figure.width).toBe(480);
  });
});

describe('CellRuntime: figures with legends', () => {
  it('a Plot with a colour legend is a <figure> whose width is its chart’s, not a swatch’s', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', [
        'const data = [{a: 1, b: 2, c: "x"}, {a: 2, b: 3, c: "y"}];',
        'display(Plot.plot({width: 700, color: {legend: true}, marks: [Plot.dot(data, {x: "a", y: "b", stroke: "c"})]}));',
        'return {};',
      ].join('\n')),
    ]);
    await h.runtime.idle();
    const [figure] = h.outputs('c1');
    if (figure?.type !== 'figure') throw new Error('expected a figure');
    expect(figure.html).toMatch(/^<figure/);
    expect(figure.html).toMatch(/<svg[^>]*height="15"[^>]*width="15"/); // the swatches come first
    expect(figure.width).toBe(700);
  });
});

describe('CellRuntime: continuous colour legends', () => {
  it('a ramp legend is drawn without a canvas, as an SVG image, and the figure is as wide as its chart', async () => {
    const h = harness();
    h.runtime.load([
      compiled('c1', [
        'const data = [{a: 1, b: 2}, {a: 2, b: 3}, {a: 3, b: 1}];',
        'display(Plot.plot({width: 600, color: {legend: true, scheme: "viridis"}, marks: [Plot.dot(data, {x: "a", y: "b", fill: "a"})]}));',
        'return {};',
      ].join('\n')),
    ]);
    await h.runtime.idle();
    const [figure] = h.last('c1')?.status === 'fulfilled' ? h.outputs('c1') : [];
    if (figure?.type !== 'figure') throw new Error(`expected a figure, got ${JSON.stringify(h.last('c1'))}`);
    expect(figure.html).toMatch(/<svg[^>]*class="[^"]*-ramp"/);
    const href = /<image[^>]*href="(data:image\/svg\+xml,[^"]+)"/.exec(figure.html)?.[1];
    expect(href).toBeDefined();
    const image = decodeURIComponent(href!.slice('data:image/svg+xml,'.length).replace(/&amp;/g, '&'));
    const fills = [...image.matchAll(/fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(256);
    expect(new Set(fills).size).toBeGreaterThan(100); // a gradient, not one colour
    expect(figure.width).toBe(600);
  });
});

describe('CellRuntime: the width built-in', () => {
  const widths = { main: 700, cells: { c1: 300 } };

  it('is the cell’s measured output width, else the main column’s', async () => {
    const h = harness({ widths });
    h.runtime.load([compiled('c1', '__brook.value(width);\nreturn {};'), compiled('c2', '__brook.value(width);\nreturn {};')]);
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['300']);
    expect(h.texts('c2')).toEqual(['700']);
  });

  it('Plot.plot without a width draws at the cell’s width; an explicit width is kept', async () => {
    const h = harness({ widths });
    const dot = 'Plot.dot([{a: 1, b: 2}], {x: "a", y: "b"})';
    h.runtime.load([
      compiled('c1', `display(Plot.plot({marks: [${dot}]}));\ndisplay(Plot.plot({width: 500, marks: [${dot}]}));\ndisplay(Plot.plot());\nreturn {};`),
    ]);
    await h.runtime.idle();
    expect(h.outputs('c1').map((o) => (o.type === 'figure' ? o.width : o.type))).toEqual([300, 500, 300]);
  });

  it('new widths re-run exactly the cells whose run read a width that changed', async () => {
    const h = harness({ widths });
    const dot = 'Plot.dot([{a: 1, b: 2}], {x: "a", y: "b"})';
    h.runtime.load([
      compiled('c1', '__brook.value(width);\nreturn {};'),
      compiled('c2', `display(Plot.plot({marks: [${dot}]}));\nreturn {};`),
      // `width:` is a property name here, not the built-in (as the compiler would list it).
      compiled('c3', `display(Plot.plot({width: 500, marks: [${dot}]}));\nreturn {};`, { builtins: ['Plot'] }),
      compiled('c4', '__brook.value(1);\nreturn {};'),
      compiled('c5', '__brook.value(width);\nreturn {};'),
    ]);
    await h.runtime.idle();
    // c1 narrower, c2 and c5 (unmeasured: the main column) unchanged.
    h.runtime.setWidths({ main: 700, cells: { c1: 250, c2: 700 } });
    await h.runtime.idle();
    expect(['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => h.runs(id))).toEqual([2, 1, 1, 1, 1]);
    expect(h.texts('c1')).toEqual(['250']);
    // The main column narrows: c2 and c5 follow it; the same widths again change nothing.
    h.runtime.setWidths({ main: 600, cells: { c1: 250 } });
    await h.runtime.idle();
    h.runtime.setWidths({ main: 600, cells: { c1: 250 } });
    await h.runtime.idle();
    expect(['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => h.runs(id))).toEqual([2, 2, 1, 1, 2]);
    const [chart] = h.outputs('c2');
    expect(chart?.type === 'figure' && chart.width).toBe(600);
    expect(h.texts('c5')).toEqual(['600']);
  });

  it('waits for the page’s first measurement, and draws at Plot’s default when none comes in time', async () => {
    const h = harness({}, undefined, { widthsWaitMs: 200 });
    h.runtime.load([compiled('c1', '__brook.value(width);\nreturn {};'), compiled('c2', '__brook.value(2);\nreturn {};')]);
    await sleep(50);
    expect(h.texts('c2')).toEqual(['2']); // cells that need no width do not wait
    expect(h.last('c1')).toBeUndefined();
    h.runtime.setWidths({ main: 480, cells: {} });
    await h.runtime.idle();
    expect(h.texts('c1')).toEqual(['480']);
    expect(h.runs('c1')).toBe(1);

    const late = harness({}, undefined, { widthsWaitMs: 50 });
    late.runtime.load([compiled('c1', '__brook.value(width);\nreturn {};')]);
    await late.runtime.idle();
    expect(late.texts('c1')).toEqual(['640']);
    late.runtime.setWidths({ main: 480, cells: {} });
    await late.runtime.idle();
    expect(late.texts('c1')).toEqual(['480']);
  });
});
