/**
 * Remote Parquet is read with HTTP range requests: only the footer and the
 * chunks of the columns the notebook's SQL names travel. Real parquet-wasm
 * (Node build) against Brook's own static server.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetNode from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { createStaticServer, type RequestLogEntry, type RunningServer } from '../../src/cli/static-server.ts';
import { DataEngine } from '../../src/data/engine.ts';
import { columnsNeeded } from '../../src/data/projection.ts';
import { remoteParquetReader } from '../../src/data/remote-parquet.ts';
import { rowsOf } from '../../src/data/arrow-values.ts';
import { decodeParquetNode, nodeDuck } from '../../src/cli/node-duck.ts';

const DIR = 'node_modules/vega-datasets/data';
const FILE = 'flights-3m.parquet';
let server: RunningServer;
const log: RequestLogEntry[] = [];

beforeAll(async () => {
  server = await createStaticServer({ root: DIR, onRequest: (entry) => log.push(entry) }).listen(0, '127.0.0.1');
});
afterAll(() => server?.close());

describe('remote Parquet by range requests', () => {
  it('loads only the columns the SQL names, moving a fraction of the file', async () => {
    const engine = new DataEngine({
      connection: nodeDuck(),
      decodeParquet: decodeParquetNode,
      readRemoteParquet: remoteParquetReader(parquetNode),
    });
    const sql = 'SELECT origin, avg(delay)::DOUBLE AS d, count(*)::INTEGER AS n FROM flights GROUP BY origin ORDER BY n DESC LIMIT 1';
    const loaded = await engine.ingestUrl({ url: `${server.url}${FILE}`, table: 'flights', columns: columnsNeeded([sql]) });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.rowCount).toBe(3_000_000);
    expect(loaded.value.columns.map((c) => c.name).sort()).toEqual(['delay', 'origin']);
    // The engine says what it left out, so an edit naming one of those reloads it (and nothing else does).
    expect([...(loaded.value.omittedColumns ?? [])].sort()).toEqual(['date', 'destination', 'distance']);
    // Nothing but a HEAD and range reads: the footer, then one range per row group for the two columns.
    const gets = log.filter((e) => e.method === 'GET');
    expect(gets.length).toBeGreaterThan(3);
    expect(gets.every((e) => e.status === 206 && e.range)).toBe(true);
    const moved = log.reduce((sum, e) => sum + e.bytes, 0);
    // delay + origin are ~70% of this file's bytes; the other three columns never travel.
    expect(moved).toBeLessThan(statSync(`${DIR}/${FILE}`).size * 0.8);
    const answer = await engine.query({ sql, params: [] });
    expect(answer.ok).toBe(true);
    if (answer.ok) expect(rowsOf(tableFromIPC(answer.value.ipc))[0]?.n).toBeGreaterThan(100_000);
  }, 120_000);

  it('streams the rows in slices, fetched and decoded as they are consumed', async () => {
    const read = await remoteParquetReader(parquetNode)(`${server.url}${FILE}`, ['delay']);
    expect([...read.omitted].sort()).toEqual(['date', 'destination', 'distance', 'origin']);
    let slices = 0;
    let rows = 0;
    for await (const slice of read.slices) {
      const table = tableFromIPC(slice);
      expect(table.schema.fields.map((f) => f.name)).toEqual(['delay']);
      slices++;
      rows += table.numRows;
    }
    expect(rows).toBe(3_000_000);
    expect(slices).toBeGreaterThan(10);
  }, 120_000);

  it('a range read failing before any rows falls back to the whole file', async () => {
    const engine = new DataEngine({
      connection: nodeDuck(),
      decodeParquet: decodeParquetNode,
      readRemoteParquet: async () => { throw new Error('no footer'); },
    });
    const loaded = await engine.ingestUrl({ url: `${server.url}${FILE}`, table: 'flights', columns: ['delay'] });
    expect(loaded.ok && loaded.value.rowCount).toBe(3_000_000);
    expect(loaded.ok && loaded.value.omittedColumns).toBeUndefined();
  }, 120_000);

  it('without a column list, every column is read', async () => {
    const engine = new DataEngine({
      connection: nodeDuck(),
      decodeParquet: decodeParquetNode,
      readRemoteParquet: remoteParquetReader(parquetNode),
    });
    const loaded = await engine.ingestUrl({ url: `${server.url}${FILE}`, table: 'flights', columns: columnsNeeded(['SELECT * FROM flights']) });
    expect(loaded.ok && loaded.value.columns.length).toBeGreaterThan(3);
    expect(loaded.ok && loaded.value.omittedColumns).toBeUndefined();
  }, 120_000);
});
