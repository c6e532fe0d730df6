/**
 * The file formats Brook loads as tables, in one table: names, extensions,
 * magic bytes, the `accept` words that ask for them and the reader that
 * loads them (`ingest.ts` keys its readers by these formats, so a format
 * without one does not compile). Everything that lists formats — detection,
 * table names, messages, the drop hint, warm-ups — reads it from here.
 */

/** What Brook knows about one file format. */
export interface FileFormatInfo {
  /** As people call it, in messages and hints. */
  label: string;
  /** Lower-case extensions without the dot; the first is the usual one. */
  extensions: readonly string[];
  /** True when a file's first bytes announce this format (files without, or with a wrong, extension). */
  magic?: (bytes: Uint8Array) => boolean;
  /** Matches a `file()` control's `accept` text that asks for this format (warm-ups run its reader). */
  accept: RegExp;
  /** How it is loaded (for docs and messages): DuckDB's CSV reader, JS parsing, parquet-wasm, or a direct insert. */
  reader: string;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** JSON text starts (after a BOM and whitespace) with `[` or `{`. */
function jsonStart(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x5b || bytes[i] === 0x7b;
}

/** The formats, in the order magic bytes are tried (binary formats first; CSV has none and is the fallback). */
export const FILE_FORMATS = {
  parquet: { label: 'Parquet', extensions: ['parquet', 'pq'], magic: (b) => startsWith(b, 'PAR1'), accept: /parquet/, reader: 'parquet-wasm, a few row groups at a time' },
  arrow: {
    label: 'Arrow',
    extensions: ['arrow', 'arrows', 'feather', 'ipc'],
    // The IPC file format starts with ARROW1; a stream with the continuation marker 0xFFFFFFFF.
    magic: (b) => startsWith(b, 'ARROW1') || (b.length >= 8 && b[0] === 0xff && b[1] === 0xff && b[2] === 0xff && b[3] === 0xff),
    accept: /arrow|feather|ipc/,
    reader: 'inserted as Arrow IPC',
  },
  json: { label: 'JSON', extensions: ['json', 'ndjson', 'jsonl'], magic: jsonStart, accept: /json/, reader: 'parsed in JS (array of objects or NDJSON)' },
  csv: { label: 'CSV', extensions: ['csv', 'txt'], accept: /csv|txt|text\//, reader: "DuckDB's read_csv_auto" },
  tsv: { label: 'TSV', extensions: ['tsv', 'tab'], accept: /tsv|tab/, reader: "DuckDB's read_csv_auto (tab-delimited)" },
} as const satisfies Record<string, FileFormatInfo>;

export type FileFormat = keyof typeof FILE_FORMATS;

const FORMAT_NAMES = Object.keys(FILE_FORMATS) as FileFormat[];

const BY_EXTENSION = new Map<string, FileFormat>(
  FORMAT_NAMES.flatMap((format) => FILE_FORMATS[format].extensions.map((ext) => [ext, format] as const)),
);

/** Every extension Brook reads, lower case, without dots. */
export const DATA_EXTENSIONS: readonly string[] = [...BY_EXTENSION.keys()];

/** "CSV, TSV, JSON, Parquet or Arrow" (for messages and hints). */
export function formatList(conjunction: 'or' | 'and' = 'or'): string {
  const labels = ['csv', 'tsv', 'json', 'parquet', 'arrow'].map((f) => FILE_FORMATS[f as FileFormat].label);
  return `${labels.slice(0, -1).join(', ')} ${conjunction} ${labels[labels.length - 1]}`;
}

/** Leading bytes enough to tell a format, and binary from text. */
export const SNIFF_BYTES = 65536;

/** The format named by a file name's extension (query string ignored), if any. */
export function formatFromName(fileName: string): FileFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName.replace(/[?#].*$/, ''))?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION.get(ext) : undefined;
}

/** The format the first bytes announce, if recognizable. */
export function formatFromBytes(bytes: Uint8Array): FileFormat | undefined {
  return FORMAT_NAMES.find((format) => {
    const info: FileFormatInfo = FILE_FORMATS[format];
    return info.magic?.(bytes) ?? false;
  });
}

/** Extension, then magic bytes, then CSV (DuckDB sniffs the delimiter). */
export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  return formatFromName(fileName) ?? formatFromBytes(bytes) ?? 'csv';
}

/** The formats a `file()` control's `accept` text asks for (no `accept` = CSV). */
export function formatsAccepted(accept: string): FileFormat[] {
  const text = accept.toLowerCase();
  if (text === '') return ['csv'];
  return FORMAT_NAMES.filter((format) => FILE_FORMATS[format].accept.test(text));
}
