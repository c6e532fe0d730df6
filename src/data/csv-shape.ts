/**
 * The shape of a CSV/TSV file's first bytes, read before and after DuckDB
 * does: how many fields the header has, and the first complete line whose
 * field count differs from it. DuckDB's sniffer gives up on a ragged file
 * (`a,b,c\n1,2\n3,4,5,6`) and loads it as one column named `a,b,c` or as
 * `column0…column3`, silently; a header of 100,000 columns runs it out of
 * memory. Both get a clear message instead (see ingest.ts).
 */

/** Columns a loaded table may have: a 30,000-column CSV takes ~10 s in DuckDB-WASM and far more memory. */
export const MAX_CSV_COLUMNS = 10_000;

export interface CsvShape {
  delimiter: string;
  /** Fields of the header line (a lower bound when `headerComplete` is false). */
  headerFields: number;
  /** The header's field names (the first few). */
  headerNames: string[];
  /** False when the text ends before the header line does. */
  headerComplete: boolean;
  /** The first complete line (1-based) whose field count differs from the header's. */
  mismatch?: { line: number; fields: number };
}

const CANDIDATES = [',', ';', '\t', '|'];

/** Records looked at for a ragged line: enough to find the common case, cheap on a large head. */
const MAX_RECORDS = 2000;

/**
 * Reads `text` (the start of a file) line by line, honouring double-quoted
 * fields (which may hold delimiters and newlines). The delimiter is `delimiter`
 * when given, else the candidate seen most often in the header line.
 */
export function csvShape(text: string, delimiter?: string): CsvShape {
  const body = text.replace(/^\ufeff/, '');
  const delim = delimiter ?? guessDelimiter(body);
  const lines = splitRecords(body, delim, MAX_RECORDS);
  const header = lines[0];
  const shape: CsvShape = {
    delimiter: delim,
    headerFields: header?.fields.length ?? 0,
    headerNames: (header?.fields ?? []).slice(0, 8),
    headerComplete: header?.complete ?? false,
  };
  for (const record of lines.slice(1)) {
    if (!record.complete) break;
    if (record.fields.length === 1 && record.fields[0] === '') continue; // a blank line
    if (record.fields.length !== shape.headerFields) {
      shape.mismatch = { line: record.line, fields: record.fields.length };
      break;
    }
  }
  return shape;
}

function guessDelimiter(text: string): string {
  let end = text.indexOf('\n');
  if (end < 0) end = text.length;
  const first = text.slice(0, end).replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const candidate of CANDIDATES) {
    const count = first.split(candidate).length - 1;
    if (count > most) {
      most = count;
      best = candidate;
    }
  }
  return best;
}

interface CsvRecord {
  fields: string[];
  /** The line it starts on (1-based). */
  line: number;
  /** Ended by a newline (the last record of a slice may be cut short). */
  complete: boolean;
}

function splitRecords(text: string, delimiter: string, maxRecords: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ fields, line: startLine, complete: true });
      if (records.length >= maxRecords) return records;
      fields = [];
      field = '';
      line++;
      startLine = line;
    } else {
      field += c;
    }
  }
  if (field !== '' || fields.length > 0) records.push({ fields: [...fields, field], line: startLine, complete: false });
  return records;
}
