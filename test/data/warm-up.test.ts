import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/data/engine.ts';
import { warmUpBytes, warmUpFormatsOf } from '../../src/data/warm-up.ts';
import type { OutputItem, WidgetSpec } from '../../src/runtime/protocol.ts';
import { decodeParquetNode, encodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

const file = (accept?: string): WidgetSpec => ({ kind: 'file', key: 'k', label: 'File', value: null, options: accept === undefined ? {} : { accept } });
const widget = (spec: WidgetSpec): OutputItem => ({ type: 'widget', widget: spec });

describe('warmUpFormatsOf', () => {
  it("reads the file controls' accept option; a form's fields count; other outputs do not", () => {
    expect(warmUpFormatsOf([widget(file())])).toEqual(['csv']);
    expect(warmUpFormatsOf([widget(file('.csv,.parquet'))])).toEqual(['csv', 'parquet']);
    expect(warmUpFormatsOf([widget(file('.parquet,.arrow'))])).toEqual(['parquet', 'arrow']);
    expect(warmUpFormatsOf([widget(file('.json'))])).toEqual([]);
    const form: WidgetSpec = { kind: 'form', key: 'f', label: 'Upload', value: {}, options: {}, fields: [file('text/csv')] };
    expect(warmUpFormatsOf([widget(form)])).toEqual(['csv']);
    expect(warmUpFormatsOf([{ type: 'text', text: 'file' }, widget({ ...file(), kind: 'slider' })])).toEqual([]);
  });

  it('the made-up rows parse as CSV and as Arrow with the same columns', () => {
    const csv = new TextDecoder().decode(warmUpBytes('csv')).split('\n');
    expect(csv[0]).toBe('id,value,label,when');
    const arrow = tableFromIPC(warmUpBytes('arrow'));
    expect(arrow.schema.fields.map((f) => f.name)).toEqual(['id', 'value', 'label', 'when']);
    expect(arrow.numRows).toBe(csv.length - 2); // header and final newline
  });
});

describe('DataEngine.warmUp', () => {
  it('runs each reader once (Parquet through the real decoder) and leaves no table behind', async () => {
    const conn = await nodeDuck();
    const statements: string[] = [];
    let decoded = 0;
    const engine = new DataEngine({
      connection: Promise.resolve({ ...conn, query: (sql: string) => (statements.push(sql), conn.query(sql)) }),
      decodeParquet: (bytes) => (decoded++, decodeParquetNode(bytes)),
      encodeParquet: encodeParquetNode,
    });
    await engine.warmUp(['csv', 'parquet', 'json']);
    await engine.warmUp(['csv', 'parquet']);
    expect(statements.filter((s) => s.includes('read_csv_auto'))).toHaveLength(1);
    expect(decoded).toBe(1);
    expect(statements.filter((s) => s.startsWith('DROP TABLE IF EXISTS "__brook_warm_up_'))).toHaveLength(2);
    expect(engine.tables()).toEqual([]);
    const left = tableFromIPC(await conn.query("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE '%brook%'"));
    expect(left.get(0)?.n).toBe(0);
  }, 60_000);

  it('does nothing once a file has been loaded: it would only hold that file up', async () => {
    const conn = await nodeDuck();
    const statements: string[] = [];
    const engine = new DataEngine({ connection: Promise.resolve({ ...conn, query: (sql: string) => (statements.push(sql), conn.query(sql)) }), decodeParquet: decodeParquetNode });
    const loaded = await engine.ingest({ fileName: 'mine.csv', bytes: new TextEncoder().encode('a\n1\n').buffer as ArrayBuffer });
    expect(loaded.ok).toBe(true);
    const before = statements.length;
    await engine.warmUp(['csv', 'arrow']);
    expect(statements.length).toBe(before);
  }, 60_000);
});
