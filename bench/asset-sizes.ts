/**
 * What the app costs over the wire: every file of the built app bundle, raw
 * and compressed as a static host would serve it (gzip -9; brotli at quality
 * 9, because quality 11 takes minutes on DuckDB's 34 MB wasm here).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface AssetSize {
  path: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export const BROTLI_QUALITY = 9;

/** Raw, gzip and brotli sizes of one buffer. */
export function compressedSizes(bytes: Uint8Array): { raw: number; gzip: number; brotli: number } {
  return {
    raw: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
    }).byteLength,
  };
}

/** Sizes of every file under `dir` (not its `.br`/`.gz` siblings), largest first. */
export function assetSizes(dir: string): AssetSize[] {
  const files: string[] = [];
  const visit = (at: string): void => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) visit(path);
      // The build's own pre-compressed siblings are another encoding of a file counted here, not more of the app.
      else if (!/\.(br|gz)$/.test(entry)) files.push(path);
    }
  };
  visit(dir);
  return files
    .map((path) => ({ path: relative(dir, path), ...compressedSizes(readFileSync(path)) }))
    .sort((a, b) => b.raw - a.raw);
}

/** Column totals of `sizes`. */
export function totalSizes(sizes: readonly AssetSize[]): { raw: number; gzip: number; brotli: number } {
  return sizes.reduce((sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip, brotli: sum.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });
}
