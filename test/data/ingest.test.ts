import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CSV_COLUMNS } from '../../src/data/csv-shape.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

const fixture = (name: string) => {
  const bytes = readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

let engine: DataEngine;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const result = await engine.window({ sql, params: [], offset: 0, limit: 1000 });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

beforeAll(async () => {
  engine = new DataEngine({ connection: nodeDuck(), decodeParquet: decodeParquetNode });
  const base = await engine.ingest({ fileName: 'Sales 2024.csv', bytes: fixture('sales.csv') });
  expect(base.ok).toBe(true);
}, 60_000);

describe('ingest formats', () => {
  it('CSV with BOM, CRLF and doubled quotes; named after the file', async () => {
    const info = engine.tables().find((t) => t.name === 'sales_2024')!;
    expect(info).toMatchObject({ rowCount: 2, version: 1, source: 'Sales 2024.csv' });
    expect(info.columns).toEqual([
      { name: 'region', type: 'VARCHAR' }, { name: 'amount', type: 'DOUBLE' }, { name: 'note', type: 'VARCHAR' },
    ]);
    expect(await rows('SELECT * FROM sales_2024 ORDER BY region')).toEqual([
      { region: 'north', amount: 10, note: 'said "hi", left' },
      { region: 'south', amount: 20.5, note: 'plain' },
    ]);
  });

  it('TSV, JSON array, NDJSON, Parquet and Arrow IPC', async () => {
    const progress: (number | null)[] = [];
    const results = await Promise.all([
      engine.ingest({ fileName: 'cities.tsv', bytes: fixture('cities.tsv') }),
      engine.ingest({ fileName: 'items.json', bytes: fixture('items.json') }),
      engine.ingest({ fileName: 'events.ndjson', bytes: fixture('events.ndjson') }),
      engine.ingest({ fileName: 'people.parquet', bytes: fixture('people.parquet') }, (f) => progress.push(f)),
      engine.ingest({ fileName: 'People Arrow.arrow', bytes: fixture('people.arrow') }),
    ]);
    expect(results.map((r) => (r.ok ? `${r.value.name}:${r.value.rowCount}` : r.error.message))).toEqual([
      'cities:2', 'items:2', 'events:2', 'people:3', 'people_arrow:3',
    ]);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(await rows('SELECT sum(pop)::INTEGER AS p FROM cities')).toEqual([{ p: 830 }]);
    expect(await rows('SELECT id, tags FROM items ORDER BY id')).toEqual([{ id: 1, tags: 'x' }, { id: 2, tags: 'y' }]);
    expect(await rows('SELECT sum(v) AS v FROM events')).toEqual([{ v: 2 }]);
    expect(await rows('SELECT name FROM people WHERE score > 8 ORDER BY id')).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
    expect(await rows('SELECT count(*)::INTEGER AS n FROM people_arrow')).toEqual([{ n: 3 }]);
  });

  it('detects the format from magic bytes when the extension says nothing', async () => {
    const result = await engine.ingest({ fileName: 'download', bytes: fixture('people.parquet') });
    expect(result.ok && result.value.rowCount).toBe(3);
  });

  it('replacing a table with the same file name bumps its version', async () => {
    const again = await engine.ingest({ fileName: 'cities.tsv', bytes: fixture('cities.tsv') });
    expect(again.ok && again.value.version).toBe(2);
  });
});

describe('malformed corpus: clear message naming the file, every other table intact', () => {
  const cases: [string, RegExp | null][] = [
    ['empty.csv', /empty/],
    ['binary-garbage.csv', /binary/],
    ['invalid-utf8.csv', /utf-8|unicode/i],
    ['truncated.parquet', /Parquet/],
    ['bad.json', /invalid JSON/],
    ['bad.ndjson', /line 3/],
    ['not-objects.json', /not an object/],
    // These may load (DuckDB's sniffer falls back to no quoting / one column) — but must never break anything.
    ['unterminated-quote.csv', null],
    ['mixed-delimiters.csv', null],
    ['header-only.csv', null],
  ];
  it.each(cases)('%s', async (file, expected) => {
    const result = await engine.ingest({ fileName: file, bytes: fixture(`malformed/${file}`) });
    if (expected) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.name).toBe('IngestError');
        expect(result.error.message).toContain(file);
        expect(result.error.message).toMatch(expected);
      }
    } else if (!result.ok) {
      expect(result.error.message).toContain(file);
    } else {
      expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${result.value.name}`)).toEqual([{ n: result.value.rowCount }]);
    }
    expect(await rows('SELECT count(*)::INTEGER AS n FROM sales_2024')).toEqual([{ n: 2 }]);
  });

  it('header-only CSV gives an empty table with the header columns', async () => {
    const result = await engine.ingest({ fileName: 'header-only.csv', bytes: fixture('malformed/header-only.csv') });
    expect(result.ok && result.value.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
    expect(result.ok && result.value.rowCount).toBe(0);
  });

  it('a failed replace keeps the previous version of the table', async () => {
    const before = engine.tables().find((t) => t.name === 'sales_2024')!;
    const bad = await engine.ingest({ fileName: 'Sales 2024.csv', bytes: fixture('malformed/binary-garbage.csv') });
    expect(bad.ok).toBe(false);
    expect(engine.tables().find((t) => t.name === 'sales_2024')).toEqual(before);
  });

  it('a huge single line', async () => {
    const line = `text\n"${'x'.repeat(2_100_000)}"\n`;
    const result = await engine.ingest({ fileName: 'huge-line.csv', bytes: new TextEncoder().encode(line).buffer as ArrayBuffer });
    if (!result.ok) expect(result.error.message).toContain('huge-line.csv');
    else expect(result.value.rowCount).toBe(1);
    expect(await rows('SELECT count(*)::INTEGER AS n FROM sales_2024')).toEqual([{ n: 2 }]);
  });
});

describe('malformed CSV shapes', () => {
  const text = (t: string) => new TextEncoder().encode(t).buffer as ArrayBuffer;

  it('a ragged CSV fails with the first bad line, and the table it would replace is kept', async () => {
    const before = engine.tables().find((t) => t.name === 'sales_2024')!;
    const result = await engine.ingest({ fileName: 'Sales 2024.csv', bytes: text('a,b,c\n1,2\n3,4,5,6\n') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/Sales 2024\.csv: its rows do not all have the same number of fields/);
    expect(result.error.message).toContain('header has 3 (a, b, c) but line 2 has 2');
    expect(result.error.line).toBe(2);
    expect(engine.tables().find((t) => t.name === 'sales_2024')).toEqual(before);
  });

  it('a quoted field may hold the delimiter and a newline', async () => {
    const result = await engine.ingest({ fileName: 'quoted.csv', bytes: text('a,b\n"x, y",1\n"multi\nline",2\n') });
    expect(result.ok && result.value.rowCount).toBe(2);
  });

  it('a header wider than the column limit gets a limit message, not out of memory', async () => {
    const n = MAX_CSV_COLUMNS + 1;
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const result = await engine.ingest({ fileName: 'wide.csv', bytes: text(`${header}\n${Array(n).fill('1').join(',')}\n`) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe(
      `Could not load wide.csv: its header has ${n.toLocaleString('en')} columns; Brook loads at most ${MAX_CSV_COLUMNS.toLocaleString('en')} columns per table. Keep the columns you need (or transpose the file) and drop it again.`,
    );
  });
});

describe('Parquet without network', () => {
  it('read_parquet fails cleanly (autoload off) and the instance keeps working', async () => {
    const failed = await engine.query({ sql: "SELECT * FROM read_parquet('x.parquet')", params: [] });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.hint).toMatch(/parquet extension/);
    expect(await rows('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('loads the 3M-row flights Parquet and queries it', async () => {
    const bytes = readFileSync(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
    const result = await engine.ingest({ fileName: 'flights-3m.parquet', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    expect(result.ok && result.value.rowCount).toBe(3_000_000);
    expect(result.ok && result.value.columns).toEqual([
      { name: 'date', type: 'TIMESTAMP' }, { name: 'delay', type: 'BIGINT' }, { name: 'distance', type: 'BIGINT' },
      { name: 'origin', type: 'VARCHAR' }, { name: 'destination', type: 'VARCHAR' },
    ]);
    const [top] = await rows('SELECT count(*) AS n, max(distance) AS far, min(date) AS first FROM flights_3m');
    expect(top.n).toBe(3_000_000);
    expect(typeof top.far).toBe('number');
    expect(top.first).toBeInstanceOf(Date);
  }, 60_000);
});
