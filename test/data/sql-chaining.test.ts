/**
 * SQL cells built on SQL cells, end to end in Node: the page's compiler, the
 * runtime worker's `CellRuntime` and the data engine over the real DuckDB.
 * Chained results are checked against DuckDB's own answer to the same
 * question written flat, before and after a control changes and a table is
 * replaced; memo keys are checked to follow the composed SQL.
 */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';
import { compileNotebook } from '../../src/compile/compile.ts';
import { rowsOf } from '../../src/data/arrow-values.ts';
import { DataEngine, type MemoStore } from '../../src/data/engine.ts';
import { parseNotebook } from '../../src/notebook/parse.ts';
import type { CellEvent, CellError, OutputItem } from '../../src/runtime/protocol.ts';
import { CellRuntime } from '../../workers/runtime/runtime.ts';
import { importPlot } from '../../workers/runtime/plot-loader.ts';

const NOTEBOOK = `---
title: chained
---

\`\`\`js
const year = slider("Year", {min: 2020, max: 2023, value: 2021});
const threshold = 50;
\`\`\`

\`\`\`sql filtered
SELECT * FROM sales WHERE year = \${year}
\`\`\`

\`\`\`sql by_region
SELECT region, count(*)::INTEGER AS n, sum(amount)::DOUBLE AS total
FROM \${filtered} GROUP BY filtered.region ORDER BY region
\`\`\`

\`\`\`sql big
SELECT count(*)::INTEGER AS n FROM \${filtered} f WHERE f.amount > \${threshold}
\`\`\`

\`\`\`sql top_region
SELECT b.region, b.total FROM \${by_region} AS b JOIN \${filtered} USING (region)
GROUP BY ALL ORDER BY b.total DESC LIMIT 1
\`\`\`
`;

/** A deterministic sales table: 4 years × 3 regions × 10 rows. */
function salesCsv(scale = 1): ArrayBuffer {
  const lines = ['year,region,amount'];
  for (let year = 2020; year <= 2023; year++) {
    for (const [r, region] of ['north', 'south', 'west'].entries()) {
      for (let i = 0; i < 10; i++) lines.push(`${year},${region},${((year - 2019) * 7 + r * 13 + i * 11) % 97 * scale}`);
    }
  }
  return new TextEncoder().encode(lines.join('\n')).buffer as ArrayBuffer;
}

let engine: DataEngine;
let runtime: CellRuntime;
let events: CellEvent[];
let memoKeys: string[];

/** DuckDB's own answer to a flat query (no Brook composition). */
async function direct(sql: string, params: unknown[] = []) {
  const result = await engine.query({ sql, params });
  if (!result.ok) throw new Error(result.error.message);
  return rowsOf(tableFromIPC(result.value.ipc));
}

const last = (cellKey: string) => {
  const id = compiled.cells.find((c) => c.key === cellKey)!.id;
  return events.filter((e) => e.cell === id && e.status !== 'pending').at(-1) as Extract<CellEvent, { outputs: OutputItem[] }> | undefined;
};
/** The rows a SQL cell showed (its table output's first rows, held by the runtime or windowed from DuckDB by its SQL). */
async function shown(cellKey: string): Promise<Record<string, unknown>[]> {
  const event = last(cellKey);
  if (event?.status !== 'fulfilled') throw new Error(`${cellKey} did not run: ${JSON.stringify(event)}`);
  const table = event.outputs.find((o) => o.type === 'table');
  if (!table || table.type !== 'table') throw new Error(`${cellKey} shows no table`);
  const source = table.table.source;
  if (source.kind === 'query') return direct(source.sql, source.params);
  return runtime.rows(source.handle, 0, 1000);
}

const compiled = compileNotebook(parseNotebook(NOTEBOOK, 'chained.md'));

describe('SQL cells built on SQL cells (real DuckDB)', () => {
beforeEach(async () => {
  memoKeys = [];
  const recorder: MemoStore = { get: async () => undefined, put: async (key) => (memoKeys.push(key), true) };
  engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode, persisted: recorder, persistAfterMs: -1 });
  expect((await engine.ingest({ fileName: 'sales.csv', bytes: salesCsv() })).ok).toBe(true);
  events = [];
  runtime = new CellRuntime({
    init: { notebookId: 'chained', inputs: {}, state: {}, widths: { main: 600, cells: {} } },
    host: { event: (e) => void events.push(e), running: () => {}, stateChanged: () => {}, toast: () => {} },
    data: { query: (q) => engine.query(q), cancelBefore: (g) => engine.cancelBefore(g) },
    loadPlot: importPlot,
  });
  expect(compiled.diagnostics).toEqual([]);
  runtime.load(compiled.cells);
  await runtime.idle();
}, 60_000);

const flatByRegion = 'SELECT region, count(*)::INTEGER AS n, sum(amount)::DOUBLE AS total FROM sales WHERE year = ? GROUP BY region ORDER BY region';

  it('a chained cell answers what DuckDB answers for the same question written flat', async () => {
    expect(await shown('by_region')).toEqual(await direct(flatByRegion, [2021]));
    expect(await shown('big')).toEqual(await direct('SELECT count(*)::INTEGER AS n FROM sales WHERE year = ? AND amount > ?', [2021, 50]));
    const top = await direct(`SELECT region, total FROM (${flatByRegion}) ORDER BY total DESC LIMIT 1`, [2021]);
    expect(await shown('top_region')).toEqual(top);
    expect(top).toHaveLength(1);
  }, 60_000);

  it('a control change re-runs the chain with the new value, bound in the right places', async () => {
    runtime.setInput('year:Year', 2023);
    await runtime.idle();
    expect(await shown('by_region')).toEqual(await direct(flatByRegion, [2023]));
    expect(await shown('big')).toEqual(await direct('SELECT count(*)::INTEGER AS n FROM sales WHERE year = ? AND amount > ?', [2023, 50]));
    expect(await shown('by_region')).not.toEqual(await direct(flatByRegion, [2021]));
  }, 60_000);

  it('replacing the table re-runs the chained cells (they read it through the composed SQL)', async () => {
    const runsBefore = events.filter((e) => e.status === 'pending' && e.cell === last('big')!.cell).length;
    expect((await engine.ingest({ fileName: 'sales.csv', bytes: salesCsv(3) })).ok).toBe(true);
    runtime.tablesChanged(['sales']);
    await runtime.idle();
    expect(events.filter((e) => e.status === 'pending' && e.cell === last('big')!.cell).length).toBe(runsBefore + 1);
    expect(await shown('by_region')).toEqual(await direct(flatByRegion, [2021]));
    expect((await shown('by_region'))[0]).toMatchObject({ total: expect.any(Number) });
  }, 60_000);

  it('memo keys hold the composed SQL, every parameter and the fingerprint of the table read', () => {
    const big = memoKeys.filter((k) => k.includes('amount > ?'));
    expect(big).toHaveLength(1);
    const [sql, params, tables] = big[0].split('\u0000');
    expect(sql).toBe('select count ( * ) :: integer as n from ( select * from sales where year = ? ) f where f . amount > ?');
    const byRegion = memoKeys.find((k) => k.includes('group by filtered . region'));
    expect(byRegion).toContain('from ( select * from sales where year = ? ) as "filtered" group by');
    expect(params).toBe('[d2021,d50]');
    expect(tables).toMatch(/^sales=sha256:[0-9a-f]{32,}$/);
  });

  it('the same chain at another year is another memo entry; going back is answered from the memo', async () => {
    runtime.setInput('year:Year', 2022);
    await runtime.idle();
    const keysAt2022 = memoKeys.filter((k) => k.includes('[d2022'));
    expect(keysAt2022.length).toBe(4);
    const before = memoKeys.length;
    runtime.setInput('year:Year', 2021);
    await runtime.idle();
    expect(memoKeys.length).toBe(before); // nothing new computed: every chained query was in the memo
    expect(await shown('big')).toEqual(await direct('SELECT count(*)::INTEGER AS n FROM sales WHERE year = ? AND amount > ?', [2021, 50]));
  }, 60_000);
});

describe('errors that say what to write instead', () => {
  let duck: DataEngine;
  beforeAll(async () => {
    duck = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
    expect((await duck.ingest({ fileName: 'sales.csv', bytes: salesCsv() })).ok).toBe(true);
  }, 60_000);

  async function failure(cells: string): Promise<CellError> {
    const notebook = compileNotebook(parseNotebook(cells, 'errors.md'));
    const local: CellEvent[] = [];
    const r = new CellRuntime({
      init: { notebookId: 'errors', inputs: {}, state: {}, widths: { main: 600, cells: {} } },
      host: { event: (e) => void local.push(e), running: () => {}, stateChanged: () => {}, toast: () => {} },
      data: { query: (q) => duck.query(q), cancelBefore: (g) => duck.cancelBefore(g) },
      loadPlot: importPlot,
    });
    r.load(notebook.cells);
    await r.idle();
    const rejected = local.find((e) => e.status === 'rejected');
    if (!rejected || rejected.status !== 'rejected') throw new Error(`nothing failed: ${JSON.stringify(local)}`);
    return rejected.error;
  }

  it('a JS array in table position', async () => {
    const error = await failure('```js\nconst rows = [{a: 1}];\n```\n\n```sql\nSELECT * FROM ${rows}\n```\n');
    expect(error).toMatchObject({
      name: 'QueryError',
      message: "`${rows}` is a JavaScript array, not a SQL cell's result, so it cannot be used as a table.",
      hint: expect.stringContaining('To query a JavaScript array'),
      sql: 'SELECT * FROM ${rows}',
      line: 6,
    });
  }, 60_000);

  it('a table name as text, and a value inside quotes', async () => {
    expect(await failure('```js\nconst t = "sales";\n```\n\n```sql\nSELECT * FROM ${t}\n```\n')).toMatchObject({
      message: expect.stringContaining('`${t}` is the text "sales", not a SQL cell\'s result'),
      hint: expect.stringContaining('write the name in the SQL'),
    });
    expect(await failure("```js\nconst term = 'nor';\n```\n\n```sql\nSELECT * FROM sales WHERE region LIKE '%${term}%'\n```\n")).toMatchObject({
      message: '`${term}` is inside quotes, so SQL reads it as text, not as a value.',
      hint: "Take it out of the quotes and join the text in SQL: '%' || ${term} || '%' instead of '%${term}%'.",
    });
  }, 60_000);

  it('a row object as a value', async () => {
    expect(await failure('```sql first\nSELECT * FROM sales LIMIT 1\n```\n\n```js\nconst row = [...first][0];\n```\n\n```sql\nSELECT * FROM sales WHERE year = ${row}\n```\n')).toMatchObject({
      message: '`${row}` is an object (Row), which cannot be a value in SQL.',
      hint: expect.stringContaining('${row.field}'),
    });
  }, 60_000);
});
