/**
 * Parquet is decoded a slice of rows at a time and each slice inserted as it
 * comes (see src/data/parquet-slices.ts for why). Real parquet-wasm (Node
 * build) and real DuckDB-WASM.
 */
import { readFileSync } from 'node:fs';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import * as parquetNode from 'parquet-wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckConnection } from '../../src/data/duck-connection.ts';
import { DataEngine } from '../../src/data/engine.ts';
import type { ParquetDecoder } from '../../src/data/ingest.ts';
import { parquetRowGroupCount } from '../../src/data/parquet-footer.ts';
import { parquetSlices, sliceRowGroups } from '../../src/data/parquet-slices.ts';
import { nodeDuck } from '../../src/cli/node-duck.ts';

const people = new Uint8Array(readFileSync(new URL('./fixtures/people.parquet', import.meta.url)));
const flights = new Uint8Array(readFileSync(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url)));
const buffer = (bytes: Uint8Array) => bytes.slice().buffer as ArrayBuffer;

/** `table` as Parquet with at most `rows` rows per row group. */
function parquetOf(table: Parameters<typeof tableToIPC>[0], rows = 1): Uint8Array {
  const properties = new parquetNode.WriterPropertiesBuilder().setMaxRowGroupSize(rows).build();
  return parquetNode.writeParquet(parquetNode.Table.fromIPCStream(tableToIPC(table, 'stream')), properties);
}
/** The people fixture again, one row per row group. */
const peopleByRow = parquetOf(tableFromIPC(parquetNode.readParquet(people).intoIPCStream()));

async function collect(slices: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for await (const slice of slices) all.push(slice);
  return all;
}

describe('parquetRowGroupCount', () => {
  it('reads the count from the footer, as parquet-wasm reports it', async () => {
    for (const bytes of [people, peopleByRow, flights]) {
      const file = await parquetNode.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
      expect(parquetRowGroupCount(bytes)).toBe(file.metadata().numRowGroups());
      file.free();
    }
    expect(parquetRowGroupCount(peopleByRow)).toBe(3);
    expect(parquetRowGroupCount(flights)).toBe(11);
  });

  it('throws on bytes that are not a whole Parquet file', () => {
    const truncated = new Uint8Array(readFileSync(new URL('./fixtures/malformed/truncated.parquet', import.meta.url)));
    expect(() => parquetRowGroupCount(truncated)).toThrow(/magic/);
    expect(() => parquetRowGroupCount(new TextEncoder().encode('a,b\n1,2\n'))).toThrow(/magic/);
    // Valid magic bytes around a footer that is cut short.
    const cut = people.slice();
    new DataView(cut.buffer).setUint32(cut.length - 8, 5, true);
    expect(() => parquetRowGroupCount(cut)).toThrow(/footer/);
  });
});

describe('sliceRowGroups', () => {
  it('the first row group alone, then one per slice up to the limit', () => {
    expect(sliceRowGroups(0)).toEqual([]);
    expect(sliceRowGroups(1)).toEqual([[0]]);
    expect(sliceRowGroups(3)).toEqual([[0], [1], [2]]);
    expect(sliceRowGroups(6, 3)).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it('many row groups: never more than the limit of slices, every group once and in order', () => {
    const slices = sliceRowGroups(1000, 16);
    expect(slices.length).toBeLessThanOrEqual(16);
    expect(slices.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('parquetSlices', () => {
  it('yields the rows in file order, a slice per row group', async () => {
    const slices = await collect(parquetSlices(parquetNode)(peopleByRow));
    expect(slices.map((s) => tableFromIPC(s).numRows)).toEqual([1, 1, 1]);
    expect(slices.flatMap((s) => tableFromIPC(s).toArray().map((r) => r.name))).toEqual(['Ada', 'Grace', 'Linus']);
    const two = await collect(parquetSlices(parquetNode, undefined, 2)(peopleByRow));
    expect(two.map((s) => tableFromIPC(s).numRows)).toEqual([1, 2]);
  });

  it('a file without rows yields its schema, so the table still gets its columns', async () => {
    const bytes = parquetOf(tableFromArrays({ id: new Int32Array(0), name: [] as string[] }));
    const slices = await collect(parquetSlices(parquetNode)(bytes));
    expect(slices).toHaveLength(1);
    expect(tableFromIPC(slices[0]).numRows).toBe(0);
    expect(tableFromIPC(slices[0]).schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('rejects bytes that are not Parquet', async () => {
    await expect(collect(parquetSlices(parquetNode)(new TextEncoder().encode('a,b\n1,2\n')))).rejects.toThrow();
  });
});

describe('ingesting Parquet slice by slice', () => {
  let duck: DuckConnection;
  let inserts: { rows: number; create: boolean }[];
  let engine: DataEngine;
  /** Decodes like the app (the file has one row per row group), but fails after `failAfter` slices when set. */
  let failAfter: number | undefined;

  beforeAll(async () => {
    const real = await nodeDuck();
    inserts = [];
    duck = {
      ...real,
      insertArrowIPC(ipc, table, options) {
        inserts.push({ rows: tableFromIPC(ipc).numRows, create: options?.create ?? true });
        return real.insertArrowIPC(ipc, table, options);
      },
    };
    const slices = parquetSlices(parquetNode);
    const decode: ParquetDecoder = async function* (bytes) {
      let n = 0;
      for await (const slice of slices(bytes)) {
        if (failAfter !== undefined && n++ >= failAfter) throw new Error('corrupt page');
        yield slice;
      }
    };
    engine = new DataEngine({ connection: Promise.resolve(duck), decodeParquet: decode });
  }, 60_000);

  it('creates the table from the first slice and appends the rest', async () => {
    inserts.length = 0;
    const result = await engine.ingest({ fileName: 'people.parquet', bytes: buffer(peopleByRow) });
    expect(result.ok && result.value.rowCount).toBe(3);
    expect(inserts).toEqual([{ rows: 1, create: true }, { rows: 1, create: false }, { rows: 1, create: false }]);
    const names = await engine.window({ sql: 'SELECT name FROM people ORDER BY id', params: [], offset: 0, limit: 10 });
    expect(names.ok && names.value.map((r) => r.name)).toEqual(['Ada', 'Grace', 'Linus']);
  });

  it('a file failing halfway is an IngestError; the previous table stays and no staging table is left', async () => {
    failAfter = 1;
    try {
      const result = await engine.ingest({ fileName: 'people.parquet', bytes: buffer(peopleByRow) });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.name).toBe('IngestError');
        expect(result.error.message).toMatch(/people\.parquet: not a readable Parquet file \(.*corrupt page/);
      }
    } finally {
      failAfter = undefined;
    }
    expect(engine.tables().find((t) => t.name === 'people')).toMatchObject({ rowCount: 3, version: 1 });
    const staged = tableFromIPC(await duck.query("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '__brook_stage%'"));
    expect(staged.get(0)?.n).toBe(0);
  });
});
