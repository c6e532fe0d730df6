/**
 * Range-reading Parquet over HTTP with parquet-wasm: `ParquetFile.fromUrl`
 * fetches the footer with a Range request, then `read({columns})` fetches only
 * the byte ranges of those columns' chunks. The module is passed in so the
 * browser (esm build) and Node tests (node build) run the same code.
 */
import { tableFromIPC } from 'apache-arrow';
import type { RemoteParquetReader } from './ingest.ts';
import { columnsToRead } from './projection.ts';

/** The part of parquet-wasm this needs. */
export interface ParquetWasmModule {
  ParquetFile: {
    fromUrl(url: string): Promise<{
      schema(): { intoIPCStream(): Uint8Array };
      read(options?: { columns?: string[]; concurrency?: number }): Promise<{ intoIPCStream(): Uint8Array }>;
      free(): void;
    }>;
  };
}

/** A reader for {@link DataEngine}'s `readRemoteParquet`. `ready` initializes the wasm once. */
export function remoteParquetReader(module: ParquetWasmModule, ready: () => Promise<unknown> = async () => undefined): RemoteParquetReader {
  return async (url, columns) => {
    await ready();
    const file = await module.ParquetFile.fromUrl(url);
    try {
      const available = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
      const chosen = columnsToRead(available, columns);
      const table = await file.read({ columns: chosen, concurrency: 4 });
      return { ipc: table.intoIPCStream(), omitted: available.filter((name) => !chosen.includes(name)) };
    } finally {
      file.free();
    }
  };
}
