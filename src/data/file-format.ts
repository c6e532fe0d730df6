/**
 * Which reader a file needs: by extension first (what the person meant), then
 * by magic bytes (files without or with a wrong extension).
 */
import type { FileFormat } from '../runtime/messages.ts';

const BY_EXTENSION: Record<string, FileFormat> = {
  csv: 'csv', txt: 'csv', tsv: 'tsv', tab: 'tsv',
  json: 'json', ndjson: 'json', jsonl: 'json',
  parquet: 'parquet', pq: 'parquet',
  arrow: 'arrow', arrows: 'arrow', feather: 'arrow', ipc: 'arrow',
};

/** Leading bytes enough to tell a format, and binary from text. */
export const SNIFF_BYTES = 65536;

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The format named by a file name's extension (query string ignored), if any. */
export function formatFromName(fileName: string): FileFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName.replace(/[?#].*$/, ''))?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION[ext] : undefined;
}

/** The format the first bytes announce, if recognizable. */
export function formatFromBytes(bytes: Uint8Array): FileFormat | undefined {
  if (startsWith(bytes, 'PAR1')) return 'parquet';
  if (startsWith(bytes, 'ARROW1')) return 'arrow';
  // An Arrow IPC stream starts with the continuation marker 0xFFFFFFFF.
  if (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff) return 'arrow';
  let i = startsWith(bytes, '\ufeff') || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x5b || bytes[i] === 0x7b) return 'json';
  return undefined;
}

/** Extension, then magic bytes, then CSV (DuckDB sniffs the delimiter). */
export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  return formatFromName(fileName) ?? formatFromBytes(bytes) ?? 'csv';
}
