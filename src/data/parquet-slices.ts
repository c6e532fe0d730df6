/**
 * Parquet bytes → Arrow IPC streams, one per slice of row groups, with
 * parquet-wasm. The module is passed in so the browser (esm build) and Node
 * tests (node build) run the same code.
 *
 * Why slices and not one `readParquet(bytes)`: V8 swaps a wasm function's
 * baseline (Liftoff) code for optimized code only at the function's next
 * call, so one call decoding a whole file on a fresh page runs its hot loops
 * in baseline code from start to end — the 3M-row bench file took 7–8 s to
 * decode cold against 0.8 s warm. One row group per call, the later calls run
 * optimized code (≈ 1–2 s cold). Slices also let DuckDB insert one while the
 * next decodes, and bound the memory in flight.
 */
import type { ParquetDecoder } from './ingest.ts';
import { parquetRowGroupCount } from './parquet-footer.ts';

/** Rows per record batch inside a slice. */
const BATCH_ROWS = 65_536;
/**
 * At most this many `readParquet` calls per file: each call copies the whole
 * file into wasm memory, so files with hundreds of row groups read several per
 * call instead of copying the file hundreds of times.
 */
export const MAX_SLICES = 16;

/** Something in wasm memory that can be written out as an Arrow IPC stream. */
interface IntoIPC {
  intoIPCStream(): Uint8Array;
}

/** The part of parquet-wasm this needs. */
export interface ParquetSlicesModule {
  readParquet(bytes: Uint8Array, options?: { rowGroups?: number[]; batchSize?: number }): IntoIPC;
  readSchema(bytes: Uint8Array): IntoIPC;
}

/**
 * Row groups per `readParquet` call: the first alone (it runs in baseline
 * code, so keep it short), then the rest in at most `maxSlices - 1` runs.
 */
export function sliceRowGroups(count: number, maxSlices = MAX_SLICES): number[][] {
  if (count === 0) return [];
  const per = Math.max(1, Math.ceil((count - 1) / Math.max(1, maxSlices - 1)));
  const slices: number[][] = [[0]];
  for (let first = 1; first < count; first += per) {
    slices.push(Array.from({ length: Math.min(per, count - first) }, (_, i) => first + i));
  }
  return slices;
}

/**
 * A {@link ParquetDecoder} that decodes a slice of row groups per step. A
 * file without row groups yields its schema alone, so the (empty) table still
 * gets its columns. `ready` initializes the wasm once.
 */
export function parquetSlices(
  module: ParquetSlicesModule,
  ready: () => Promise<unknown> = async () => undefined,
  maxSlices = MAX_SLICES,
): ParquetDecoder {
  return async function* decode(bytes) {
    await ready();
    const count = parquetRowGroupCount(bytes);
    if (count === 0) {
      yield module.readSchema(bytes).intoIPCStream();
      return;
    }
    for (const rowGroups of sliceRowGroups(count, maxSlices)) {
      yield module.readParquet(bytes, { rowGroups, batchSize: BATCH_ROWS }).intoIPCStream();
    }
  };
}
