/**
 * Files → tables. Every format lands in a staging table first and is swapped
 * in only when it loaded completely, so a malformed file leaves the previous
 * version of its table (and every other table) untouched.
 *
 * CSV/TSV go through DuckDB's `read_csv_auto` on a registered buffer (it
 * sniffs delimiter, header, quoting; handles BOM and CRLF). JSON is parsed in
 * JS (DuckDB-WASM's json extension is not bundled), Parquet is decoded by
 * parquet-wasm (the parquet extension is not bundled either), Arrow IPC is
 * inserted directly.
 */
import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import type { FileFormat, ProgressCallback } from '../runtime/messages.ts';
import type { ColumnInfo } from '../runtime/protocol.ts';
import type { DuckConnection } from './duck-connection.ts';
import { detectFormat } from './file-format.ts';
import { quoteIdentifier } from './table-name.ts';

/** Decodes Parquet bytes to an Arrow IPC stream (parquet-wasm in both bindings). */
export type ParquetDecoder = (bytes: Uint8Array) => Promise<Uint8Array>;

/**
 * Reads a remote Parquet file with HTTP range requests (footer, then only the
 * chosen columns' chunks): the rows as an Arrow IPC stream, and the file's
 * columns that were left out.
 */
export type RemoteParquetReader = (
  url: string,
  columns: readonly string[] | undefined,
) => Promise<{ ipc: Uint8Array; omitted: string[] }>;

export interface IngestInput {
  fileName: string;
  bytes: Uint8Array;
  table: string;
  format?: FileFormat;
}

export interface IngestedTable {
  table: string;
  format: FileFormat;
  rowCount: number;
  columns: ColumnInfo[];
}

/** A file that could not be loaded; the message names the file, `line` is set when known. */
export class IngestFailure extends Error {
  override name = 'IngestError';
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

let staging = 0;

/** The `table`'s row count and DuckDB column types. */
export async function describeTable(conn: DuckConnection, table: string): Promise<{ rowCount: number; columns: ColumnInfo[] }> {
  const count = tableFromIPC(await conn.query(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdentifier(table)}`));
  const described = tableFromIPC(await conn.query(`DESCRIBE ${quoteIdentifier(table)}`));
  const columns: ColumnInfo[] = described.toArray().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  return { rowCount: Number(count.get(0)?.n ?? 0), columns };
}

function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 65536);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Rows of a JSON array of objects, or of newline-delimited JSON objects. */
export function parseJsonRows(text: string, fileName: string): Record<string, unknown>[] {
  const body = text.replace(/^\ufeff/, '').trim();
  const asObjects = (rows: unknown[], lineOf: (i: number) => number): Record<string, unknown>[] => {
    rows.forEach((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new IngestFailure(`Could not load ${fileName}: row ${i + 1} is not an object (a table needs objects with named fields).`, lineOf(i));
      }
    });
    return rows as Record<string, unknown>[];
  };
  if (body.startsWith('[')) {
    let rows: unknown;
    try {
      rows = JSON.parse(body);
    } catch (error) {
      throw new IngestFailure(`Could not load ${fileName}: invalid JSON (${(error as Error).message}).`);
    }
    return asObjects(rows as unknown[], () => 0);
  }
  const lines = body.split(/\r?\n/);
  const rows: unknown[] = [];
  const lineNumbers: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
      lineNumbers.push(i + 1);
    } catch (error) {
      throw new IngestFailure(`Could not load ${fileName}: invalid JSON on line ${i + 1} (${(error as Error).message}).`, i + 1);
    }
  });
  return asObjects(rows, (i) => lineNumbers[i]);
}

/**
 * Loads `input.bytes` as table `input.table`, replacing an existing table of
 * that name only on success. Throws `IngestFailure` naming the file.
 */
export async function ingestFile(
  conn: DuckConnection,
  decodeParquet: ParquetDecoder,
  input: IngestInput,
  progress: ProgressCallback = () => {},
): Promise<IngestedTable> {
  const { fileName, bytes, table } = input;
  if (bytes.length === 0) throw new IngestFailure(`Could not load ${fileName}: the file is empty.`);
  const format = input.format ?? detectFormat(fileName, bytes);
  const stage = `__brook_stage_${++staging}`;
  const file = `brook_ingest_${staging}.${format}`;
  progress(0, `Reading ${fileName}`);
  try {
    if (format === 'csv' || format === 'tsv') {
      if (looksBinary(bytes)) throw new IngestFailure(`Could not load ${fileName}: it contains binary data, not ${format.toUpperCase()} text.`);
      await conn.registerFile(file, bytes);
      progress(0.2, `Parsing ${fileName}`);
      const delim = format === 'tsv' ? ", delim='\\t'" : '';
      await conn.query(`CREATE TABLE ${quoteIdentifier(stage)} AS SELECT * FROM read_csv_auto('${file}'${delim})`);
    } else if (format === 'json') {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new IngestFailure(`Could not load ${fileName}: it is not valid UTF-8 text.`);
      }
      const rows = parseJsonRows(text, fileName);
      if (rows.length === 0) throw new IngestFailure(`Could not load ${fileName}: it holds no rows.`);
      progress(0.4, `Converting ${fileName}`);
      await conn.insertArrowIPC(tableToIPC(tableFromJSON(rows as Record<string, never>[]), 'stream'), stage);
    } else if (format === 'parquet') {
      let ipc: Uint8Array;
      try {
        ipc = await decodeParquet(bytes);
      } catch (error) {
        throw new IngestFailure(`Could not load ${fileName}: not a readable Parquet file (${String((error as Error)?.message ?? error)}).`);
      }
      progress(0.6, `Inserting ${fileName}`);
      await conn.insertArrowIPC(ipc, stage);
    } else {
      let ipc: Uint8Array;
      try {
        // The file format (ARROW1) is rewritten as a stream, which is what DuckDB-WASM inserts.
        ipc = bytes[0] === 0xff ? bytes : tableToIPC(tableFromIPC(bytes), 'stream');
      } catch (error) {
        throw new IngestFailure(`Could not load ${fileName}: not a readable Arrow IPC file (${(error as Error).message}).`);
      }
      await conn.insertArrowIPC(ipc, stage);
    }
    progress(0.9, `Indexing ${fileName}`);
    const described = await describeTable(conn, stage);
    await conn.query(`BEGIN; DROP TABLE IF EXISTS ${quoteIdentifier(table)}; ALTER TABLE ${quoteIdentifier(stage)} RENAME TO ${quoteIdentifier(table)}; COMMIT;`);
    progress(1, `Loaded ${fileName}`);
    return { table, format, ...described };
  } catch (error) {
    await conn.query(`ROLLBACK`).catch(() => {});
    await conn.query(`DROP TABLE IF EXISTS ${quoteIdentifier(stage)}`).catch(() => {});
    if (error instanceof IngestFailure) throw error;
    throw toIngestFailure(error, fileName);
  } finally {
    await conn.dropFile(file).catch(() => {});
  }
}

function toIngestFailure(error: unknown, fileName: string): IngestFailure {
  const message = error instanceof Error ? error.message : String(error);
  const line = /on Line: (\d+)/i.exec(message)?.[1];
  const detail = message
    .replace(/^Invalid Input Error: /, '')
    .split(/\n\s*\n/)[0]
    .replace(/\nOriginal Line:[^\n]*/, '')
    .trim();
  return new IngestFailure(`Could not load ${fileName}: ${detail}`, line ? Number(line) : undefined);
}
