/**
 * The SQL of a bench notebook's named cell, as Brook sends it to DuckDB
 * (`${…}` holes become `?` placeholders), so the bare DuckDB-WASM page and
 * native DuckDB run exactly the statement the notebook runs.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { splitHoles } from '../src/compile/holes.ts';
import { parseNotebook } from '../src/notebook/parse.ts';

/** The statement of ```` ```sql <name> ```` in `notebookPath`, holes replaced by `?`, and its hole expressions. */
export function notebookSql(notebookPath: string, name: string): { sql: string; holes: string[] } {
  const source = readFileSync(notebookPath, 'utf8');
  const notebook = parseNotebook(source, basename(notebookPath));
  const cell = notebook.cells.find((c) => c.kind === 'sql' && c.attributes.name === name);
  if (!cell) throw new Error(`${notebookPath}: no \`\`\`sql ${name} cell`);
  const split = splitHoles(cell.source);
  if (split.diagnostics.length) throw new Error(`${notebookPath}: sql ${name}: ${split.diagnostics[0].message}`);
  return {
    sql: split.parts.map((part) => part.text).join('?').trim(),
    holes: split.holes.map((hole) => cell.source.slice(hole.start, hole.end).trim()),
  };
}
