/**
 * `brook build`'s snapshot: which cells are left to the page, the snapshot's
 * encoding, a real run (DuckDB-WASM's Node build in a worker thread) whose
 * results answer the page's data engine exactly when the data's bytes are
 * the same, a run that never settles, and the static view's sanitizing.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION, type BuildSnapshot } from '../../src/client/build-snapshot.ts';
import { runBasis } from '../../src/client/last-run.ts';
import { compileNotebook } from '../../src/compile/compile.ts';
import { tableFromIPC } from 'apache-arrow';
import { rowsOf } from '../../src/data/arrow-values.ts';
import { DataEngine, type EngineOptions } from '../../src/data/engine.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';
import { cellsLeftToThePage } from '../../src/cli/snapshot-run.ts';
import { takeSnapshot } from '../../src/cli/snapshot.ts';
import { createStaticRenderer, renderMetaTags, renderStaticView } from '../../src/cli/static-html.ts';
import type { SettledEvent } from '../../src/store/schema.ts';

const compiled = (text: string) => compileNotebook(parseNotebook(text, 'n.md')).cells;

describe('cells left to the page', () => {
  it('leaves cells that read the clock, randomness, the network or browser APIs, and everything downstream', () => {
    const cells = compiled([
      '```js\nconst a = 1\n```',
      '```js\nconst t = Date.now()\n```',
      '```js\nconst r = Math.random()\n```',
      '```js\nconst f = await fetch("x.json")\n```',
      '```js\nconst n = now\n```',
      '```js\nconst y = new Date().getFullYear()\n```',
      '```js\nconst d = new Date(2020, 1, 1)\n```',
      '```js\nconst later = u + 1\n```',
      '```js\nconst u = t + a\n```',
      '```js\nconst kept = a + d.getFullYear()\n```',
      '```sql draw\nSELECT random() AS r\n```',
      '```sql fixed\nSELECT 42 AS answer\n```',
    ].join('\n\n'));
    const left = cellsLeftToThePage(cells);
    const by = (name: string) => cells.find((c) => c.outputs.includes(name))!.id;
    expect(left.get(by('t'))).toBe('reads the clock');
    expect(left.get(by('r'))).toBe('draws random numbers');
    expect(left.get(by('f'))).toBe('uses the network');
    expect(left.get(by('n'))).toMatch(/clock/);
    expect(left.get(by('y'))).toBe('reads the clock');
    expect(left.get(by('u'))).toMatch(/reads `t`/);
    expect(left.get(by('later'))).toMatch(/reads `u`/);
    expect(left.get(by('draw'))).toMatch(/volatile SQL/);
    for (const name of ['a', 'd', 'kept', 'fixed']) expect(left.has(by(name)), name).toBe(false);
  });

  it('leaves engine cells, and local SQL that reads their results by name', () => {
    const cells = compiled([
      '---\nengines:\n  warehouse: {type: clickhouse, url: "http://127.0.0.1:8123/", user: reader}\n---',
      '```sql by_state engine=warehouse\nSELECT state, count() AS n FROM strikes GROUP BY state\n```',
      '```sql joined\nSELECT * FROM by_state JOIN regions USING (state)\n```',
      '```sql local\nSELECT 42 AS answer\n```',
    ].join('\n\n'));
    const left = cellsLeftToThePage(cells);
    const by = (name: string) => cells.find((c) => c.outputs.includes(name))!.id;
    expect(left.get(by('by_state'))).toMatch(/queries the engine warehouse/);
    expect(left.get(by('joined'))).toMatch(/reads `by_state`/);
    expect(left.has(by('local'))).toBe(false);
  });
});

describe('snapshot encoding', () => {
  it('keeps dates, bigints, bytes, undefined, non-finite numbers and objects that look like tags', () => {
    const event: SettledEvent = {
      cell: 'c1', status: 'fulfilled', run: { generation: 3, runs: 1 }, durationMs: 1,
      outputs: [
        { type: 'table', table: { columns: [{ name: 'd', type: 'DATE' }], rowCount: 1, head: [{ d: new Date(Date.UTC(2024, 0, 2)), big: 2n ** 70n, nan: NaN, neg: -0, inf: -Infinity, hole: [1, undefined] }], source: { kind: 'runtime', handle: 'h' } } },
        { type: 'download', filename: 'a.bin', mime: 'application/octet-stream', data: new Uint8Array([0, 255, 7]), label: 'a' },
        { type: 'value', typeName: 'Object', preview: { $brook: 'date', v: 1 } },
      ],
    };
    const snapshot: BuildSnapshot = { version: SNAPSHOT_VERSION, basis: 'b', data: { t: 'sha256:x' }, cells: { c1: event }, results: [] };
    const back = decodeSnapshot(encodeSnapshot(snapshot));
    expect(back).toEqual(snapshot);
    const row = (back.cells.c1.outputs[0] as { table: { head: Record<string, unknown>[] } }).table.head[0];
    expect(row.d).toBeInstanceOf(Date);
    expect(Object.is(row.neg, -0)).toBe(true);
    expect((back.cells.c1.outputs[1] as { data: Uint8Array }).data).toBeInstanceOf(Uint8Array);
  });
});

const NOTEBOOK = `---
title: Orders
data:
  orders: data/orders.csv
---

# Orders

\`\`\`js
const minimum = slider("Minimum", {min: 0, max: 10, value: 2})
\`\`\`

\`\`\`sql totals
SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM orders WHERE amount >= \${minimum}
\`\`\`

\`\`\`js
const [t] = totals;
metric("Total", t.total)
\`\`\`

\`\`\`js
\`year \${new Date().getFullYear()}\`
\`\`\`

\`\`\`js
document.title
\`\`\`
`;

function orders(dir: string, amounts: number[]): string {
  const path = join(dir, 'orders.csv');
  writeFileSync(path, `id,amount\n${amounts.map((a, i) => `${i},${a}`).join('\n')}\n`);
  return path;
}

/**
 * The page's data engine for a build served at `http://site.test/`: it gets
 * the build's files, and its data file (`data/orders.csv`) never arrives.
 */
function builtPage(snapshot: BuildSnapshot, files: Map<string, Uint8Array>, options: Pick<EngineOptions, 'connection' | 'shippedIndexes' | 'answers'>): DataEngine {
  const served = new Map([...files].map(([url, bytes]) => [`http://site.test/${url}`, bytes]));
  const page = new DataEngine({
    ...options, decodeParquet: decodeParquetNode, seeds: snapshot.results, baseUrl: 'http://site.test/',
    fetch: (async (input: RequestInfo | URL) => {
      const file = served.get(String(input));
      return file ? new Response(file as Uint8Array<ArrayBuffer>) : new Promise<Response>(() => {});
    }) as typeof fetch,
  });
  void page.ingestUrl({ url: 'data/orders.csv', table: 'orders', builtFingerprint: snapshot.data.orders });
  return page;
}

describe('a snapshot run', () => {
  it('settles at default inputs, leaves what it cannot run to the page, and its results answer the page exactly for the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-snapshot-'));
    const path = orders(dir, [1, 2, 3, 4, 5]);
    const { snapshot, files, warnings } = await takeSnapshot({ text: NOTEBOOK, file: 'notebook.md', data: [{ table: 'orders', path }] }, 'orders.md');

    expect(snapshot.basis).toBe(runBasis(NOTEBOOK, {}, {}, snapshot.data));
    expect(snapshot.data.orders).toMatch(/^sha256:/);
    const cells = compiled(NOTEBOOK);
    const events = Object.values(snapshot.cells);
    expect(events.flatMap((e) => e.outputs)).toContainEqual(expect.objectContaining({ type: 'metric', label: 'Total', value: '14' }));
    expect(events.flatMap((e) => e.outputs)).toContainEqual(expect.objectContaining({ type: 'widget', widget: expect.objectContaining({ value: 2 }) }));
    const yearCell = cells.find((c) => c.source.includes('getFullYear'))!;
    const documentCell = cells.find((c) => c.source.includes('document.title'))!;
    expect(snapshot.cells[yearCell.id]).toBeUndefined();
    expect(snapshot.cells[documentCell.id]).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/orders\.md:\d+: left to the page \(not run at build time\): the cell reads the clock/);
    expect(warnings.join('\n')).toMatch(/failed at build time \(ReferenceError: `document` is not defined/);
    expect(snapshot.results.length).toBeGreaterThan(0);

    // The page's engine: DuckDB never becomes ready; the file is keyed by the build's fingerprint and
    // would come over "HTTP" (to be hashed) only once DuckDB is ready.
    let dataFetches = 0;
    const served = (csv: Uint8Array) => async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.endsWith('/data/orders.csv')) {
        dataFetches++;
        return new Response(csv as Uint8Array<ArrayBuffer>, { headers: { etag: '"v1"' } });
      }
      const file = files.get(new URL(url).pathname.slice(1));
      return file ? new Response(file as Uint8Array<ArrayBuffer>) : new Response('no', { status: 404 });
    };
    const sql = 'SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM orders WHERE amount >= ?';
    const page = new DataEngine({
      connection: new Promise(() => {}), decodeParquet: decodeParquetNode, seeds: snapshot.results,
      fetch: served(readFileSync(path)) as typeof fetch, baseUrl: 'http://site.test/',
    });
    void page.ingestUrl({ url: 'data/orders.csv', table: 'orders', builtFingerprint: snapshot.data.orders });
    const answered = await page.query({ sql, params: [2] });
    expect(answered.ok && answered.value.cache).toBe('seeded');
    expect(answered.ok && answered.value.rowCount).toBe(1);
    expect(page.executions).toBe(0);
    expect(dataFetches).toBe(0);

    // The same notebook over other bytes (changed without a rebuild): once they are loaded and hashed,
    // the table is keyed by them, the build's results do not apply, DuckDB answers.
    const changed = new TextEncoder().encode('id,amount\n0,10\n1,20\n');
    const other = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, seeds: snapshot.results,
      fetch: served(changed) as typeof fetch, baseUrl: 'http://site.test/',
    });
    const loaded = await other.ingestUrl({ url: 'data/orders.csv', table: 'orders', builtFingerprint: snapshot.data.orders });
    expect(loaded.ok && loaded.value.fingerprint).not.toBe(snapshot.data.orders);
    expect(loaded.ok && loaded.value.rowCount).toBe(2);
    const fresh = await other.query({ sql, params: [2] });
    expect(fresh.ok && fresh.value.cache).toBe('miss');
    expect(other.executions).toBe(1);
  }, 120_000);

  it('ships the range index of a query whose value follows an input, and none for one that does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-snapshot-'));
    // 400 orders over 10 amounts: an index of 10 rows (a quarter of the table at most).
    const path = orders(dir, Array.from({ length: 400 }, (_, i) => (i % 10) + 1));
    const text = `${NOTEBOOK}\n\`\`\`sql everything\nSELECT count(*)::INTEGER AS n FROM orders WHERE amount >= 3\n\`\`\`\n`;
    const { snapshot, files } = await takeSnapshot({ text, file: 'notebook.md', data: [{ table: 'orders', path }] }, 'orders.md');
    expect(snapshot.indexes).toHaveLength(1);
    const [index] = snapshot.indexes!;
    expect(index.key).toContain(`orders:${snapshot.data.orders}`);
    expect(index.key).toContain('WHERE amount >= ?');
    expect(files.get(index.url)?.byteLength).toBeGreaterThan(0);

    // The page: DuckDB is up, the data file never arrives; the slider's first change is answered from the index.
    const page = builtPage(snapshot, files, { connection: nodeDuck(), shippedIndexes: snapshot.indexes });
    const sql = 'SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM orders WHERE amount >= ?';
    const first = await page.query({ sql, params: [2] });
    expect(first.ok && first.value.cache).toBe('seeded');
    const moved = await page.query({ sql, params: [7] });
    if (!moved.ok) throw new Error(moved.error.message);
    // Amounts 7–10, 40 orders each.
    expect(rowsOf(tableFromIPC(moved.value.ipc))).toEqual([{ n: 160, total: 40 * (7 + 8 + 9 + 10) }]);
    expect(page.indexes.counts.loaded).toBe(1);
    expect(page.tables()).toEqual([]);
  }, 120_000);

  it('ships answers for every other value of a control, which answer the page before DuckDB or the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-snapshot-'));
    const path = orders(dir, [1, 2, 3, 4, 5]);
    const { snapshot, files } = await takeSnapshot({ text: NOTEBOOK, file: 'notebook.md', data: [{ table: 'orders', path }] }, 'orders.md');
    // The default view is still the default run's (the slider at 2), not the last value tried.
    expect(Object.values(snapshot.cells).flatMap((e) => e.outputs)).toContainEqual(expect.objectContaining({ type: 'metric', label: 'Total', value: '14' }));
    expect(snapshot.answers).toMatch(/^snapshot\/answers-[0-9a-f]+\.json$/);
    const list = JSON.parse(new TextDecoder().decode(files.get(snapshot.answers!)));
    // min 0, max 10: eleven values, the default's result is in `results`.
    expect(list).toHaveLength(10);

    // The page: DuckDB never starts, the data file never arrives.
    const served = new Map([...files].map(([url, bytes]) => [`http://site.test/${url}`, bytes]));
    const page = builtPage(snapshot, files, { connection: new Promise(() => {}), answers: `http://site.test/${snapshot.answers}` });
    const sql = 'SELECT count(*)::INTEGER AS n, sum(amount)::INTEGER AS total FROM orders WHERE amount >= ?';
    for (const [minimum, expected] of [[4, { n: 2, total: 9 }], [0, { n: 5, total: 15 }], [10, { n: 0, total: null }]] as const) {
      const answered = await page.query({ sql, params: [minimum] });
      if (!answered.ok) throw new Error(answered.error.message);
      expect(answered.value.cache).toBe('seeded');
      expect(rowsOf(tableFromIPC(answered.value.ipc))).toEqual([expected]);
    }
    // A value no run tried waits for DuckDB (which never comes here).
    let settled = false;
    void page.query({ sql, params: [11] }).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    expect(page.executions).toBe(0);

    // Once the rows are in DuckDB, DuckDB answers (from its index, no request per step), not the build's files.
    const loaded = new DataEngine({
      connection: nodeDuck(), decodeParquet: decodeParquetNode, seeds: snapshot.results, baseUrl: 'http://site.test/',
      answers: `http://site.test/${snapshot.answers}`,
      fetch: (async (input: RequestInfo | URL) => {
        const file = String(input).endsWith('/data/orders.csv') ? new Uint8Array(readFileSync(path)) : served.get(String(input));
        return file ? new Response(file as Uint8Array<ArrayBuffer>) : new Response('no', { status: 404 });
      }) as typeof fetch,
    });
    expect((await loaded.ingestUrl({ url: 'data/orders.csv', table: 'orders', builtFingerprint: snapshot.data.orders })).ok).toBe(true);
    const computed = await loaded.query({ sql, params: [4] });
    expect(computed.ok && computed.value.cache).toBe('miss');
    expect(computed.ok && rowsOf(tableFromIPC(computed.value.ipc))).toEqual([{ n: 2, total: 9 }]);
  }, 120_000);

  it('a notebook that never settles keeps what settled, and the build goes on', async () => {
    const text = '# Still here\n\n```js\nconst a = 1\n```\n\n```js\nwhile (a) {}\n```\n';
    const started = Date.now();
    const { snapshot, warnings } = await takeSnapshot({ text, file: 'notebook.md', data: [] }, 'loop.md', 15_000);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(warnings.join('\n')).toMatch(/loop\.md: the notebook did not settle within 15 s at build time/);
    const loop = compiled(text).find((c) => c.source.includes('while'))!;
    expect(snapshot.cells[loop.id]).toBeUndefined();
  }, 90_000);

  it('loads JSON data before the lockdown and runs BIGINT results through it', async () => {
    const text = '```sql total\nSELECT count(*) AS n FROM cars\n```\n\n```js\ndisplay("cars:" + total.get(0).n)\n```';
    const { snapshot, warnings } = await takeSnapshot({ text, file: 'notebook.md', data: [{ table: 'cars', path: join(process.cwd(), 'examples/data/cars.json') }] }, 'cars.md', 60_000);
    expect(warnings).toEqual([]);
    expect(JSON.stringify(snapshot.cells)).toContain('cars:406');
  }, 90_000);

  it('a cell that fills memory ends its own thread (well before the time limit), not the build', async () => {
    const text = [
      '```js\nconst before = 6 * 7\ndisplay("before:" + before)\n```',
      '```js\nconst hoard = [];\nfor (;;) hoard.push(new Array(100000).fill(7));\n```',
    ].join('\n\n');
    // The time limit is longer than the test may take: only the heap limit can end this run in time.
    const { warnings } = await takeSnapshot({ text, file: 'notebook.md', data: [] }, 'flood.md', 600_000);
    expect(warnings.join('\n')).toMatch(/flood\.md: the notebook could not be run at build time \(.*memory.*\); the page runs it/i);
  }, 400_000);

  it("a stranger's notebook cannot reach the build machine: no modules, no code from strings, no environment, no disk from SQL", async () => {
    // Written before the fix: every one of these wrote its file or read the build's secrets.
    const dir = mkdtempSync(join(tmpdir(), 'brook-snapshot-attack-'));
    const target = (name: string) => JSON.stringify(join(dir, name));
    process.env.BROOK_TEST_SECRET = 'hunter2';
    const text = [
      '```js\nconst viaImport = await (async () => { try { (await import("node:fs")).writeFileSync(' + target('import') + ', "x"); return "wrote" } catch (e) { return "refused" } })()\n```',
      // No `import(` in its text: only the lockdown can stop this one.
      '```js\nconst viaConstructor = await (async () => { try { const load = (async () => {}).constructor("return imp" + "ort(\'node:fs\')"); (await load()).writeFileSync(' + target('constructor') + ', "x"); return "wrote" } catch (e) { return "refused" } })()\ndisplay("constructor:" + viaConstructor)\n```',
      '```js\nconst viaEval = (() => { try { return globalThis.eval("1 + 1") } catch (e) { return "refused" } })()\ndisplay("eval:" + viaEval)\n```',
      '```js\nconst secret = globalThis.process?.env?.BROOK_TEST_SECRET ?? "none"\ndisplay("secret:" + secret)\n```',
      '```js\nconst binding = (() => { try { return typeof globalThis.process.binding } catch (e) { return "refused" } })()\ndisplay("binding:" + binding)\n```',
      // DuckDB's Node build reads and writes the real disk unless told not to.
      "```sql leaked\nSELECT content FROM read_text('" + join(dir, 'secret.txt') + "')\n```",
      "```sql copied\nCOPY (SELECT 42) TO '" + join(dir, 'copy.csv') + "'\n```",
      '```js\nconst plain = 40 + 2\n```',
    ].join('\n\n');
    writeFileSync(join(dir, 'secret.txt'), 'topsecret');
    try {
      const { snapshot, warnings } = await takeSnapshot({ text, file: 'notebook.md', data: [] }, 'attack.md', 60_000);
      expect(existsSync(join(dir, 'import')), 'import() wrote a file').toBe(false);
      expect(existsSync(join(dir, 'constructor')), 'a constructor wrote a file').toBe(false);
      const shown = JSON.stringify(snapshot.cells);
      expect(existsSync(join(dir, 'copy.csv')), 'COPY wrote a file').toBe(false);
      expect(shown).not.toContain('hunter2');
      expect(shown).not.toContain('topsecret');
      expect(shown).toMatch(/binding:(undefined|refused)/);
      expect(shown).toContain('constructor:refused');
      expect(shown).toContain('eval:refused');
      expect(shown).toContain('secret:none');
      // A cell that loads a module is the page's to run (where its own guards apply), with a warning.
      expect(warnings.join('\n')).toMatch(/attack\.md:\d+: left to the page \(not run at build time\): the cell loads a module/);
      // Harmless cells still make the snapshot.
      const plain = compiled(text).find((c) => c.outputs.includes('plain'))!;
      expect(snapshot.cells[plain.id]?.status).toBe('fulfilled');
    } finally {
      delete process.env.BROOK_TEST_SECRET;
    }
  }, 90_000);
});

describe('the static view', () => {
  it('sanitizes what notebook code made, escapes text, fills markdown holes as text, and leaves hidden cells out', async () => {
    const text = '---\ntitle: T\n---\n\nHello ${name} [x](${url})\n\n```js\nconst name = "<b>Ann</b>"\n```\n\n```js hidden\nconst url = "javascript:alert(1)"\n```\n\n```js\nhtml`<img src=x onerror=alert(1)><p>kept</p>`\n```\n';
    const notebook = parseNotebook(text, 'n.md');
    const result = compileNotebook(notebook);
    const [md, nameCell, urlCell, htmlCell] = result.cells;
    const run = { generation: 1, runs: 1 };
    const cells: Record<string, SettledEvent> = {
      [md.id]: { cell: md.id, status: 'fulfilled', run, durationMs: 0, outputs: [{ type: 'holes', values: ['<b>Ann</b>', 'javascript:alert(1)'] }] },
      [nameCell.id]: { cell: nameCell.id, status: 'fulfilled', run, durationMs: 0, outputs: [{ type: 'text', text: '<b>Ann</b>' }] },
      [urlCell.id]: { cell: urlCell.id, status: 'fulfilled', run, durationMs: 0, outputs: [{ type: 'text', text: 'secret hidden output' }] },
      [htmlCell.id]: { cell: htmlCell.id, status: 'fulfilled', run, durationMs: 0, outputs: [{ type: 'html', html: '<img src=x onerror=alert(1)><p>kept</p><script>alert(2)</script>' }] },
    };
    const view = renderStaticView(await createStaticRenderer(), notebook, result, cells, 'T <1>');
    expect(view).toContain('<h1 class="notebook-title">T &lt;1&gt;</h1>');
    expect(view).toContain('<p>kept</p>');
    expect(view).not.toMatch(/onerror|<script|<b>Ann|href="javascript/i);
    expect(view).toContain('Hello &lt;b&gt;Ann&lt;/b&gt;');
    expect(view).not.toContain('secret hidden output');
    expect(renderMetaTags('A "quoted" title', 'About <this>')).toBe([
      '<meta name="description" content="About &lt;this&gt;">',
      '<meta property="og:title" content="A &quot;quoted&quot; title">',
      '<meta property="og:type" content="website">',
      '<meta property="og:description" content="About &lt;this&gt;">',
    ].join('\n'));
  });
});
