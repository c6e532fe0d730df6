/**
 * Which columns a notebook's SQL can touch, so a remote Parquet file is read
 * with HTTP range requests for those column chunks only. Conservative by
 * design: a `*` in a select list (or `tbl.*`) means every column.
 */
import { sqlIdentifiers } from './sql-identifiers.ts';
import { sqlTokens } from './sql-tokens.ts';

/** A `*` that selects columns, as opposed to `count(*)` or multiplication inside an expression list. */
function selectsEveryColumn(sql: string): boolean {
  const tokens = sqlTokens(sql);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'symbol' || token.text !== '*') continue;
    const before = tokens[i - 1];
    if (!before) return true;
    if (before.kind === 'word' && /^(select|distinct|all)$/i.test(before.text)) return true;
    if (before.kind === 'symbol' && (before.text === ',' || before.text === '.')) return true;
  }
  return false;
}

/**
 * The identifiers the given SQL texts mention (lowercased) — a superset of the
 * columns they read — or `undefined` when any of them selects every column.
 */
export function columnsNeeded(sqlTexts: readonly string[]): string[] | undefined {
  const names = new Set<string>();
  for (const sql of sqlTexts) {
    if (selectsEveryColumn(sql)) return undefined;
    for (const name of sqlIdentifiers(sql)) names.add(name);
  }
  return [...names];
}

/** The columns of `available` to read: those `needed` names (case-insensitively); all of them when `needed` is undefined or names none. */
export function columnsToRead(available: readonly string[], needed: readonly string[] | undefined): string[] {
  if (!needed) return [...available];
  const wanted = new Set(needed.map((n) => n.toLowerCase()));
  const chosen = available.filter((name) => wanted.has(name.toLowerCase()));
  return chosen.length > 0 ? chosen : [...available];
}

/**
 * Whether a table loaded from `loaded.path` must be loaded again for `path`
 * and the `needed` names: when the path changed, or when the load left out a
 * column the SQL now names (`needed` undefined = every column). New aliases
 * or function names never cause a reload; only omitted columns do.
 */
export function needsReload(
  loaded: { path: string; omittedColumns?: readonly string[] } | undefined,
  path: string,
  needed: readonly string[] | undefined,
): boolean {
  if (!loaded || loaded.path !== path) return true;
  const omitted = (loaded.omittedColumns ?? []).map((name) => name.toLowerCase());
  if (omitted.length === 0) return false;
  if (!needed) return true;
  return needed.some((name) => omitted.includes(name.toLowerCase()));
}

/** The SQL a notebook runs: its `sql` cells and the `query\`…\`` templates in its code cells (holes removed). */
export function sqlOfNotebook(cells: readonly { kind: string; source: string }[]): string[] {
  const texts: string[] = [];
  for (const cell of cells) {
    if (cell.kind === 'sql') texts.push(cell.source);
    else if (cell.kind === 'js' || cell.kind === 'ts') {
      for (const match of cell.source.matchAll(/\bquery\s*`((?:\\[\s\S]|[^`\\])*)`/g)) texts.push(match[1]);
    }
  }
  return texts.map((sql) => sql.replace(/\$\{[^}]*\}/g, '?'));
}
