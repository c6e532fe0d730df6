/**
 * How the UI names a cell to a person: by what it defines and where it is in
 * the notebook file, never by its internal id (`c12`). Pure.
 */
import type { CompiledCell } from '../compile/types.ts';

const KIND_WORDS: Record<string, string> = { js: 'JavaScript', ts: 'TypeScript', sql: 'SQL', md: 'Markdown', code: 'code' };

/**
 * `sample (notebook line 137)` for a cell defining `sample`, `the SQL cell at
 * notebook line 12` for one defining nothing; the id itself only when the
 * cell is gone (edited away since the error).
 */
export function describeCell(cells: readonly CompiledCell[], cellId: string): string {
  const cell = cells.find((c) => c.id === cellId);
  if (!cell) return `a cell that no longer exists (${cellId})`;
  const line = cell.span.start.line;
  const name = cell.attributes.name ?? cell.outputs[0];
  if (name) {
    const more = cell.outputs.length > 1 ? ` (and ${cell.outputs.length - 1} more)` : '';
    return `${name}${more}, notebook line ${line}`;
  }
  return `the ${KIND_WORDS[cell.kind] ?? cell.kind} cell at notebook line ${line}`;
}
