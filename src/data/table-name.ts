/**
 * File name → table name. Dropped files become tables named after the file
 * (`Sales 2024.csv` → `sales_2024`), so the name must be a plain SQL
 * identifier a person can type without quotes.
 *
 * Collision rule (`tableNameForDrop`): dropping a file with the same name
 * again REPLACES its table — a new version, which invalidates exactly the
 * queries that read it (a person who drops `orders.csv` twice means "update
 * orders"). A *different* file whose name maps to a taken table
 * (`my-data.csv` after `my_data.csv`, or `sales.csv` when the front matter
 * already loads a table `sales`) gets the next free name (`my_data_2`) and the
 * page says so: nothing already loaded is replaced by surprise.
 */
import { DATA_EXTENSIONS } from './file-format.ts';

/** DuckDB reserved words that cannot be used as a bare table name. */
const RESERVED = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast',
  'check', 'collate', 'column', 'constraint', 'create', 'default', 'deferrable', 'desc', 'describe',
  'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group',
  'having', 'in', 'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'not', 'null',
  'offset', 'on', 'only', 'or', 'order', 'pivot', 'pivot_longer', 'pivot_wider', 'placing', 'primary',
  'qualify', 'references', 'returning', 'select', 'show', 'some', 'summarize', 'symmetric', 'table',
  'then', 'to', 'trailing', 'true', 'union', 'unique', 'unpivot', 'using', 'variadic', 'when', 'where',
  'window', 'with', 'join', 'inner', 'outer', 'left', 'right', 'full', 'cross', 'natural', 'by', 'is',
  'like', 'ilike', 'between', 'values', 'set', 'update', 'delete', 'insert', 'drop', 'alter',
]);

/** Extensions stripped from a file name (also compound ones like `.csv.gz`). */
const EXTENSION = new RegExp(`(\\.(${DATA_EXTENSIONS.join('|')}))+(\\.gz)?$`, 'i');

/** True when `word` is a DuckDB reserved word (case-insensitive). */
export function isReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

/**
 * The table name for a file name or URL: extension stripped, lowercased,
 * every run of non-identifier characters → one `_`, trimmed of `_`, a leading
 * digit prefixed with `t_`, a reserved word suffixed with `_table`, and
 * `table` when nothing is left.
 */
export function tableNameFor(fileName: string): string {
  // A URL or path: only the last segment names the table (query strings dropped).
  const base = fileName.replace(/[?#].*$/, '').split(/[\\/]/).filter(Boolean).pop() ?? '';
  const stem = base.replace(EXTENSION, '') || base.replace(/\.[^.]*$/, '');
  let name = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e before the non-ASCII rule turns it into `_`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') return 'table';
  if (/^[0-9]/.test(name)) name = `t_${name}`;
  if (RESERVED.has(name)) name = `${name}_table`;
  return name;
}

/**
 * The table a dropped or picked file becomes. `owners` maps each table
 * already taken to who holds it: `file:<file name>` for a dropped file,
 * anything else (e.g. `data:<path>`) for tables the file must not replace.
 * `clash` is the name the file would have had, when it got another one.
 */
export function tableNameForDrop(fileName: string, owners: ReadonlyMap<string, string>): { table: string; clash?: string } {
  for (const [table, owner] of owners) if (owner === `file:${fileName}`) return { table };
  const base = tableNameFor(fileName);
  if (!owners.has(base)) return { table: base };
  let n = 2;
  while (owners.has(`${base}_${n}`)) n++;
  return { table: `${base}_${n}`, clash: base };
}

/** `name` as a double-quoted SQL identifier (embedded quotes doubled), safe to splice into SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
