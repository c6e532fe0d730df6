/**
 * Pre-compressed copies of a build's large files: `x.wasm.br` and `x.wasm.gz`
 * next to `x.wasm`. Hosts that serve such siblings (see docs/deploying.md),
 * `brook preview` and the studio send them with `Content-Encoding` to a
 * browser that accepts it, so DuckDB's 34 MB wasm travels as a few MB. The
 * browser decodes them before any script sees a byte, so nothing else changes.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Files smaller than this are sent as they are: compression would save a packet at most. */
export const COMPRESS_MIN_BYTES = 1024;

/** Formats worth compressing. Parquet (compressed already, and read by range) and images are not. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.md', '.ipynb', '.csv', '.tsv', '.txt', '.svg', '.xml', '.wasm', '.arrow']);

/** The encodings written, in the order a server prefers them. */
export const ENCODINGS = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const;

export interface CompressOptions {
  /** Brotli quality (default 11, the smallest); large files get less, see `qualityFor`. */
  quality?: number;
  /** Only these paths (relative to `dir`); default every file under it. */
  only?: string[];
}

/** Brotli quality by size: the smallest output up to 4 MB, then faster settings (quality 11 on 34 MB takes minutes). */
function qualityFor(bytes: number, quality: number): number {
  if (bytes > 32 * 1024 * 1024) return Math.min(quality, 5);
  if (bytes > 4 * 1024 * 1024) return Math.min(quality, 9);
  return quality;
}

/** Writes `.br` and `.gz` next to every large compressible file under `dir`; returns the paths compressed. */
export async function compressTree(dir: string, options: CompressOptions = {}): Promise<string[]> {
  const files = options.only?.map((path) => join(dir, path)) ?? listFiles(dir);
  const done: string[] = [];
  for (const file of files) {
    if (!existsSync(file) || !COMPRESSIBLE.has(extname(file).toLowerCase())) continue;
    // Siblings copied along with their file (the app bundle's) are not made again.
    if (ENCODINGS.every(({ extension }) => isFreshSibling(`${file}${extension}`, file))) continue;
    const bytes = readFileSync(file);
    if (bytes.byteLength < COMPRESS_MIN_BYTES) continue;
    const quality = qualityFor(bytes.byteLength, options.quality ?? constants.BROTLI_MAX_QUALITY);
    const [br, gz] = await Promise.all([
      brotli(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
          [constants.BROTLI_PARAM_MODE]: /\.(wasm|arrow)$/i.test(file) ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        },
      }),
      gzipAsync(bytes, { level: 9 }),
    ]);
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, gz);
    done.push(file);
  }
  return done;
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (!/\.(br|gz)$/.test(entry.name)) files.push(path);
  }
  return files;
}

/**
 * The pre-compressed sibling of `file` to send for a request's
 * `Accept-Encoding`, or `null` (none accepted, none written, or one older
 * than the file itself, which would serve stale bytes).
 */
export function precompressedFor(file: string, acceptEncoding: string | undefined): { path: string; encoding: string } | null {
  if (!acceptEncoding) return null;
  const accepted = parseAcceptEncoding(acceptEncoding);
  for (const { name, extension } of ENCODINGS) {
    if (!accepted.has(name)) continue;
    const path = `${file}${extension}`;
    if (isFreshSibling(path, file)) return { path, encoding: name };
  }
  return null;
}

/** Whether `sibling` exists and is not older than `file` (a second of slack: copying a build keeps neither times nor their order). */
function isFreshSibling(sibling: string, file: string): boolean {
  try {
    return statSync(sibling).mtimeMs + 1000 >= statSync(file).mtimeMs;
  } catch {
    return false;
  }
}

/** Encodings with a non-zero q-value (`br;q=0` refuses brotli). */
function parseAcceptEncoding(header: string): Set<string> {
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (name && (!q || Number(q[1]) > 0)) accepted.add(name.trim());
  }
  return accepted;
}
