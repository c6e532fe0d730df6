/**
 * What a shared link would run, told before it runs: the notebook's title,
 * how many cells (and how many of them are code), the tables it expects
 * (front-matter `data:` plus tables its SQL cells read) and the engines it
 * queries. Pure: parses the text, runs nothing.
 */
import { engineAddress, type EngineAddress } from '../notebook/types.ts';
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
  /** The engines its SQL may run on (`engines:`): name, address and user. */
  engines: SharedEngine[];
}

/** One engine a notebook declares, as the trust prompt shows it. */
export interface SharedEngine extends EngineAddress {
  name: string;
}

/**
 * How a shared notebook's engines differ from the built app's (`built`: the
 * app's config), one line each; empty when they are the same.
 */
export function engineDifferences(shared: readonly SharedEngine[], built: Record<string, EngineAddress>): string[] {
  const as = (engine: EngineAddress) => `${engine.url}${engine.user ? ` as ${engine.user}` : ''}`;
  const lines: string[] = [];
  for (const engine of shared) {
    const own = Object.hasOwn(built, engine.name) ? built[engine.name] : undefined;
    if (!own) lines.push(`${engine.name} (${as(engine)}) is not one of this app's engines`);
    else if (own.url !== engine.url || (own.user ?? '') !== (engine.user ?? '')) lines.push(`${engine.name} is ${as(engine)} here, but ${as(own)} in this app`);
    // A link that moves the password into the URL would put it in the browser's network log and the server's request log.
    else if ((own.auth ?? 'header') !== (engine.auth ?? 'header')) lines.push(`${engine.name} sends the password ${engine.auth === 'url' ? 'in the URL' : 'in a header'} here, but ${own.auth === 'url' ? 'in the URL' : 'in a header'} in this app`);
  }
  return lines;
}

/** Summarizes a shared notebook's text for the trust prompt. */
export function summarizeShared(source: string): SharedSummary {
  const notebook = parseNotebook(source, 'shared.md');
  const data = notebook.frontMatter.data ?? {};
  const tables = new Set(Object.keys(data).map((name) => name.toLowerCase()));
  // SQL on an engine reads the engine's tables, not ones the reader supplies.
  const sqlCells = notebook.cells.filter((cell) => cell.kind === 'sql' && cell.attributes.engine === undefined);
  const engineCells = notebook.cells.filter((cell) => cell.kind === 'sql' && cell.attributes.engine !== undefined);
  // A SQL cell's result name is not a table someone must supply.
  const defined = new Set([...sqlCells, ...engineCells].flatMap((cell) => (cell.attributes.name ? [cell.attributes.name.toLowerCase()] : [])));
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
    engines: Object.entries(notebook.frontMatter.engines ?? {}).map(([name, spec]) => ({ name, ...engineAddress(spec) })),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
