/**
 * DuckDB errors → `CellError` values with a place. DuckDB reports positions as
 * a `LINE n:` excerpt with a caret under the offending token; the line and
 * column are relative to the SQL text (the runtime adds the cell's offset in
 * the notebook file).
 */
import type { CellError } from '../runtime/protocol.ts';
import { formatList } from './file-format.ts';

const EXTENSION_MISSING = /exists in the (\w+) extension/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first paragraph of a DuckDB message, without the `LINE` excerpt and install advice. */
function headline(message: string): string {
  return message.split(/\n\s*\n|\nLINE \d+:/)[0].trim();
}

/** 1-based line and column of DuckDB's caret, when it gave one. */
export function duckErrorPosition(message: string): { line: number; column: number } | undefined {
  const match = /LINE (\d+): ([^\n]*)\n( *)\^/.exec(message);
  if (!match) return undefined;
  const prefix = `LINE ${match[1]}: `.length;
  return { line: Number(match[1]), column: Math.max(1, match[3].length - prefix + 1) };
}

/** A failed query as a `QueryError` value, keeping its SQL. */
export function queryError(error: unknown, sql: string): CellError {
  const message = messageOf(error);
  const result: CellError = { name: 'QueryError', message: headline(message), sql };
  if (error instanceof Error && error.name === 'ParamError') result.name = 'ParamError';
  const position = duckErrorPosition(message);
  if (position) Object.assign(result, position);
  const missingTable = /Table with name ([^\s]+) does not exist/.exec(message);
  const extension = EXTENSION_MISSING.exec(message);
  if (missingTable) result.hint = `Load a file named ${missingTable[1]}.csv (or another ${formatList()} file), or list it under data: in the front matter.`;
  else if (extension) result.hint = `The ${extension[1]} extension is not bundled and Brook never downloads extensions. Load the file as a table instead (drop it on the page or list it under data:).`;
  return result;
}
