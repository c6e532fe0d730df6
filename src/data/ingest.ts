/**
 * Files → tables. Every format lands in a staging table first and is swapped
 * in only when it loaded completely, so a malformed file leaves the previous
 * version of its table (and every other table) untouched.
 *
 * CSV/TSV go through DuckDB's `read_csv_auto` on a registered buffer (it
 * sniffs delimiter, header, quoting; handles BOM and CRLF). JSON is parsed in
 * JS (DuckDB-WASM's json extension is not bundled), Parquet is decoded by
 * parquet-wasm a few row groups at a time (the parquet extension is not bundled
 * either; parquet-slices.ts says why), Arrow IPC is inserted directly.
 */
import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import type { FileFormat, ProgressCallback } from './api.ts';
import type { ColumnInfo } from '../runtime/protocol.ts';
import { INGEST_DIRECTORY, type DuckConnection } from './duck-connection.ts';
import { csvShape, MAX_CSV_COLUMNS, type CsvShape } from './csv-shape.ts';
import { detectFormat, FILE_FORMATS, SNIFF_BYTES } from './file-format.ts';
import { quoteIdentifier } from './table-name.ts';

/**
 * Decodes Parquet bytes to Arrow IPC streams, one per slice of row groups, in
 * file order (parquet-wasm in both bindings: `parquetSlices`). A file without
 * row groups yields one stream holding just the schema.
 */
export type ParquetDecoder = (bytes: Uint8Array) => AsyncIterable<Uint8Array>;

/** Slices handed to DuckDB but not yet inserted, at most: bounds the decoded bytes held at once. */
const SLICES_IN_FLIGHT = 3;

/**
 * Reads a remote Parquet file with HTTP range requests (footer, then only the
 * chosen columns' chunks). Resolves once the footer is read, to the file's
 * columns that were left out and the rows as Arrow IPC streams, fetched and
 * decoded slice by slice as they are consumed.
 */
export type RemoteParquetReader = (
  url: string,
  columns: readonly string[] | undefined,
) => Promise<{ slices: AsyncIterable<Uint8Array>; omitted: string[] }>;

/**
 * What a load reads: a file's bytes (format by name and magic bytes unless
 * given); a CSV/TSV Blob that DuckDB reads in slices (`registerBlob`; `head`
 * is its first `SNIFF_BYTES`, `started` is called once DuckDB has been asked
 * to read it); or rows already decoded to Arrow IPC slices.
 */
export type IngestContent =
  | { bytes: Uint8Array; format?: FileFormat }
  | { blob: Blob; head: Uint8Array; format: 'csv' | 'tsv'; started?: () => void }
  | { slices: AsyncIterable<Uint8Array> };

export type IngestInput = { fileName: string; table: string } & IngestContent;

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
  const end = Math.min(bytes.length, SNIFF_BYTES);
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
  const { fileName, table } = input;
  const bytes = 'bytes' in input ? input.bytes : new Uint8Array();
  const size = 'bytes' in input ? bytes.length : 'blob' in input ? input.blob.size : undefined;
  if (size === 0) throw new IngestFailure(`Could not load ${fileName}: the file is empty.`);
  const format = 'slices' in input ? 'arrow' : input.format ?? detectFormat(fileName, bytes);
  const stage = `__brook_stage_${++staging}`;
  // Under INGEST_DIRECTORY: the only place DuckDB may read once a notebook's network is blocked.
  const file = `${INGEST_DIRECTORY}${staging}.${format}`;
  progress(0, `Reading ${fileName}`);
  let shape: CsvShape | undefined;
  try {
    if ('slices' in input) {
      await insertSlices(conn, stage, input.slices, (error) =>
        new IngestFailure(`Could not load ${fileName}: ${String((error as Error)?.message ?? error)}`));
    } else {
      shape = await READERS[format]({ conn, decodeParquet, input, bytes, fileName, format, stage, file, progress });
    }
    progress(0.9, `Indexing ${fileName}`);
    const described = await describeTable(conn, stage);
    if (shape) raggedCheck(shape, described.columns.length, fileName);
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

/** What a reader gets: the load's input, and where to put the rows (`stage`, a table that must not exist yet). */
interface ReadContext {
  conn: DuckConnection;
  decodeParquet: ParquetDecoder;
  input: IngestInput;
  /** The file's bytes (empty for a Blob: then `input.blob`). */
  bytes: Uint8Array;
  fileName: string;
  format: FileFormat;
  stage: string;
  /** The DuckDB file name to register the bytes under, when the reader needs one. */
  file: string;
  progress: ProgressCallback;
}

/** Creates `stage` from the file; a CSV reader returns the header's shape for the ragged-rows check. */
type Reader = (context: ReadContext) => Promise<CsvShape | undefined>;

/** DuckDB's CSV reader (CSV and TSV): delimiter, header, quoting, BOM and CRLF sniffed. */
const readDelimited: Reader = async ({ conn, input, bytes, fileName, format, stage, file, progress }) => {
  const delimited = format === 'tsv' ? 'tsv' : 'csv';
  const head = 'blob' in input ? input.head : bytes;
  if (looksBinary(head)) throw new IngestFailure(`Could not load ${fileName}: it contains binary data, not ${FILE_FORMATS[format].label} text.`);
  const shape = await headerShape(input, head, delimited);
  if (shape.headerFields > MAX_CSV_COLUMNS) {
    const count = `${shape.headerComplete ? '' : 'more than '}${shape.headerFields.toLocaleString('en')}`;
    throw new IngestFailure(
      `Could not load ${fileName}: its header has ${count} columns; Brook loads at most ${MAX_CSV_COLUMNS.toLocaleString('en')} columns per table. Keep the columns you need (or transpose the file) and drop it again.`,
      1,
    );
  }
  if ('blob' in input) await registerBlob(conn, file, input.blob);
  else await conn.registerFile(file, bytes);
  progress(0.2, `Parsing ${fileName}`);
  const delim = delimited === 'tsv' ? ", delim='\\t'" : '';
  const created = conn.query(`CREATE TABLE ${quoteIdentifier(stage)} AS SELECT * FROM read_csv_auto('${file}'${delim})`);
  if ('blob' in input) input.started?.();
  await created;
  return shape;
};

/**
 * How each format becomes a table. Keyed by every `FileFormat`, so a format
 * added to `FILE_FORMATS` without a reader does not compile.
 */
const READERS: Record<FileFormat, Reader> = {
  csv: readDelimited,
  tsv: readDelimited,
  // DuckDB-WASM's json extension is not bundled: parsed in JS, inserted as Arrow.
  async json({ conn, bytes, fileName, stage, progress }) {
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
    return undefined;
  },
  async parquet({ conn, decodeParquet, bytes, fileName, stage, progress }) {
    progress(0.1, `Decoding ${fileName}`);
    await insertSlices(conn, stage, decodeParquet(bytes), (error) =>
      new IngestFailure(`Could not load ${fileName}: not a readable Parquet file (${String((error as Error)?.message ?? error)}).`));
    return undefined;
  },
  async arrow({ conn, bytes, fileName, stage }) {
    let ipc: Uint8Array;
    try {
      // The file format (ARROW1) is rewritten as a stream, which is what DuckDB-WASM inserts.
      ipc = bytes[0] === 0xff ? bytes : tableToIPC(tableFromIPC(bytes), 'stream');
    } catch (error) {
      throw new IngestFailure(`Could not load ${fileName}: not a readable Arrow IPC file (${(error as Error).message}).`);
    }
    await conn.insertArrowIPC(ipc, stage);
    return undefined;
  },
};

/** Bytes read to find the end of a long header line. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** The shape of a CSV/TSV's first lines; reads further when the header line is longer than `head`. */
async function headerShape(input: IngestInput, head: Uint8Array, format: 'csv' | 'tsv'): Promise<CsvShape> {
  const decode = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);
  const delimiter = format === 'tsv' ? '\t' : undefined;
  const shape = csvShape(decode(head), delimiter);
  const size = 'blob' in input ? input.blob.size : 'bytes' in input ? input.bytes.length : 0;
  if (shape.headerComplete || size <= head.length) return shape;
  const more = 'blob' in input
    ? new Uint8Array(await input.blob.slice(0, MAX_HEADER_BYTES).arrayBuffer())
    : (input as { bytes: Uint8Array }).bytes.subarray(0, MAX_HEADER_BYTES);
  return csvShape(decode(more), delimiter);
}

/**
 * DuckDB's sniffer gives up on a file whose rows have different numbers of
 * fields and loads it under other columns (one named after the whole header
 * line, or `column0…`): a clear failure instead, naming the first bad line.
 */
function raggedCheck(shape: CsvShape, loadedColumns: number, fileName: string): void {
  if (shape.headerFields < 2 || loadedColumns === shape.headerFields || !shape.mismatch) return;
  const { line, fields } = shape.mismatch;
  const names = shape.headerNames.join(', ') + (shape.headerFields > shape.headerNames.length ? ', …' : '');
  throw new IngestFailure(
    `Could not load ${fileName}: its rows do not all have the same number of fields. The header has ${shape.headerFields} (${names}) but line ${line} has ${fields}. Every row needs one value per column: fix the file and drop it again.`,
    line,
  );
}

function registerBlob(conn: DuckConnection, name: string, blob: Blob): Promise<void> {
  if (!conn.registerBlob) throw new Error('this DuckDB binding cannot read a Blob in slices; pass its bytes');
  return conn.registerBlob(name, blob);
}

/**
 * Creates `table` from the first slice and appends the others. DuckDB inserts
 * in its own worker, so a slice is inserted while the next one decodes here;
 * every insert has settled when this returns or throws (the caller may then
 * drop the table). A failure to decode is reported through `decodeFailure`.
 */
async function insertSlices(
  conn: DuckConnection,
  table: string,
  slices: AsyncIterable<Uint8Array>,
  decodeFailure: (error: unknown) => IngestFailure,
): Promise<void> {
  const inserts: Promise<void>[] = [];
  const iterator = slices[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw decodeFailure(error);
      }
      if (next.done) break;
      const insert = conn.insertArrowIPC(next.value, table, { create: inserts.length === 0 });
      // Observed at once so a failure is not "unhandled" while the next slice decodes; awaited below.
      insert.catch(() => {});
      inserts.push(insert);
      if (inserts.length > SLICES_IN_FLIGHT) await inserts[inserts.length - 1 - SLICES_IN_FLIGHT];
    }
  } catch (error) {
    await iterator.return?.().catch(() => {});
    throw error;
  } finally {
    await Promise.allSettled(inserts);
  }
  // Inserts run in order, so the first failure is the cause of any later one.
  for (const insert of inserts) await insert;
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
