/**
 * What a shared link would run, told before it runs: the notebook's title,
 * how many cells (and how many of them are code), and the tables it expects
 * (front-matter `data:` plus tables its SQL cells read). Pure: parses the
 * text, runs nothing.
 */
import { cellTimeoutMs } from '../client/cell-timeout.ts';
import { tablesRead } from '../data/sql-identifiers.ts';
import { parseNotebook } from '../notebook/parse.ts';

export interface SharedSummary {
  title?: string;
  cells: number;
  /** JavaScript, TypeScript and SQL cells: the ones that run code. */
  codeCells: number;
  /** Tables the notebook reads, in first-seen order: its `data:` entries, then tables its SQL reads. */
  tables: string[];
  /** Remote `data:` URLs, loaded when the notebook opens with network access. */
  remoteData: string[];
  /** How long a cell may block before it is stopped (the front matter's `timeout:`, capped for shared links). */
  timeoutMs: number;
}

/** Summarizes a shared notebook's text for the trust prompt. */
export function summarizeShared(source: string): SharedSummary {
  const notebook = parseNotebook(source, 'shared.md');
  const data = notebook.frontMatter.data ?? {};
  const tables = new Set(Object.keys(data).map((name) => name.toLowerCase()));
  const sqlCells = notebook.cells.filter((cell) => cell.kind === 'sql');
  // A SQL cell's result name is not a table someone must supply.
  const defined = new Set(sqlCells.flatMap((cell) => (cell.attributes.name ? [cell.attributes.name.toLowerCase()] : [])));
  for (const cell of sqlCells) {
    for (const name of tablesRead(cell.source, [])) {
      // `FROM range(10)` is a table function, not a table.
      if (defined.has(name) || new RegExp(`\\b${escapeRegExp(name)}\\s*\\(`, 'i').test(cell.source)) continue;
      tables.add(name);
    }
  }
  return {
    title: notebook.frontMatter.title,
    cells: notebook.cells.length,
    codeCells: notebook.cells.filter((cell) => cell.kind === 'js' || cell.kind === 'ts' || cell.kind === 'sql').length,
    tables: [...tables],
    remoteData: Object.values(data).filter((path) => /^https?:/i.test(path)),
    timeoutMs: cellTimeoutMs(notebook.frontMatter.timeout, true),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
