import type { CellKind } from '../notebook/types.ts';

/** How each cell kind is named to people (toolbars, the add-cell picker). */
export const KIND_LABELS: Record<CellKind, string> = {
  md: 'Markdown',
  js: 'JavaScript',
  ts: 'TypeScript',
  sql: 'SQL',
  code: 'Code',
};

/** Kinds a person can add from the notebook editor. */
export const ADDABLE_KINDS: CellKind[] = ['md', 'js', 'ts', 'sql'];

/** Starter text for a new cell of each kind. */
export const NEW_CELL_SOURCE: Record<CellKind, string> = {
  md: 'Write *Markdown* here.',
  js: '',
  ts: '',
  sql: 'SELECT 42 AS answer',
  code: '',
};
