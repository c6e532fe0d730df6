/**
 * Range-reading Parquet over HTTP with parquet-wasm: `ParquetFile.fromUrl`
 * fetches the footer with a Range request, then `stream({columns})` fetches
 * only the byte ranges of those columns' chunks, a row group at a time. The
 * module is passed in so the browser (esm build) and Node tests (node build)
 * run the same code.
 *
 * Streamed, not `read()` whole: one `read()` decodes every row group in a
 * single wasm call, which on a fresh page runs in baseline code throughout
 * (see parquet-slices.ts). On the bench's cold visit the 3M-row file took
 * 3–4 s to read that way, then ≈ 2 s to insert; streamed, reading and
 * inserting together take ≈ 3 s, as DuckDB inserts each batch while the next
 * is fetched and decoded.
 */
import { tableFromIPC } from 'apache-arrow';
import type { RemoteParquetReader } from './ingest.ts';
import { columnsToRead } from './projection.ts';

/** Rows per streamed batch (one Arrow IPC slice each). */
const BATCH_ROWS = 65_536;

/** Something in wasm memory that can be written out as an Arrow IPC stream. */
interface IntoIPC {
  intoIPCStream(): Uint8Array;
}

/** The part of parquet-wasm this needs. */
export interface ParquetWasmModule {
  ParquetFile: {
    fromUrl(url: string): Promise<{
      schema(): IntoIPC;
      read(options?: { columns?: string[]; concurrency?: number }): Promise<IntoIPC>;
      stream(options?: { columns?: string[]; batchSize?: number; concurrency?: number }): Promise<ReadableStream<IntoIPC>>;
      free(): void;
    }>;
  };
}

type RemoteFile = Awaited<ReturnType<ParquetWasmModule['ParquetFile']['fromUrl']>>;

/** A reader for {@link DataEngine}'s `readRemoteParquet`. `ready` initializes the wasm once. */
export function remoteParquetReader(module: ParquetWasmModule, ready: () => Promise<unknown> = async () => undefined): RemoteParquetReader {
  return async (url, columns) => {
    await ready();
    const file = await module.ParquetFile.fromUrl(url);
    try {
      const available = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
      const chosen = columnsToRead(available, columns);
      return { slices: streamRows(file, chosen), omitted: available.filter((name) => !chosen.includes(name)) };
    } catch (error) {
      file.free();
      throw error;
    }
  };
}

/** The chosen columns' rows, a batch per slice; a file without rows yields its (chosen) schema alone. Frees `file` at the end. */
async function* streamRows(file: RemoteFile, columns: string[]): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamDefaultReader<IntoIPC> | undefined;
  try {
    reader = (await file.stream({ columns, batchSize: BATCH_ROWS, concurrency: 4 })).getReader();
    let empty = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      empty = false;
      yield value.intoIPCStream();
    }
    if (empty) yield (await file.read({ columns })).intoIPCStream();
  } finally {
    // Stopped early (a failed insert): release the stream before the file it reads.
    await reader?.cancel().catch(() => {});
    file.free();
  }
}
