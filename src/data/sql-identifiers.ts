/**
 * Which tables a SQL text reads. The data engine intersects the identifiers
 * of a query with its catalog to key the memo on the versions of exactly the
 * tables read, and tells the runtime which tables a cell depends on.
 */
import { isReservedWord } from './table-name.ts';
import { sqlTokens } from './sql-tokens.ts';

/** Words after which a table name follows. */
const TABLE_POSITION = new Set(['from', 'join', 'into', 'update', 'table', 'describe', 'summarize']);

/**
 * Every identifier a SQL text mentions, lowercased (DuckDB matches
 * identifiers case-insensitively, quoted or not), in first-seen order, without
 * duplicates. Reserved words are not identifiers unless double-quoted; text
 * inside string literals and comments is never an identifier.
 */
export function sqlIdentifiers(sql: string): string[] {
  const seen = new Set<string>();
  for (const token of sqlTokens(sql)) {
    if (token.kind === 'quoted' || (token.kind === 'word' && !isReservedWord(token.text))) {
      seen.add(token.text.toLowerCase());
    }
  }
  return [...seen];
}

/**
 * The tables a query reads: identifiers that name a catalog table, plus
 * identifiers in table position (after FROM/JOIN/…, or a comma in a FROM
 * list) that name no table yet — so a query that failed for a missing table
 * re-runs when that table appears. A CTE name is never a missing table.
 */
export function tablesRead(sql: string, catalog: Iterable<string>): string[] {
  const known = new Set([...catalog].map((name) => name.toLowerCase()));
  const tokens = sqlTokens(sql);
  const result = new Set<string>();
  const ctes = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    // `name AS (` introduces a CTE.
    if ((t.kind === 'word' || t.kind === 'quoted') && next?.kind === 'word' && next.text.toLowerCase() === 'as'
      && tokens[i + 2]?.text === '(') ctes.add(t.text.toLowerCase());
  }
  let inFrom = false;
  let depthAtFrom = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'symbol') {
      if (t.text === '(') depth++;
      if (t.text === ')') { depth--; if (depth < depthAtFrom) inFrom = false; }
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const word = t.text.toLowerCase();
    if (t.kind === 'word' && isReservedWord(word)) {
      if (word === 'from' || word === 'join') { inFrom = true; depthAtFrom = depth; }
      else if (!['as', 'on', 'using', 'lateral', 'natural', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'only'].includes(word)) inFrom = false;
      continue;
    }
    if (known.has(word)) { result.add(word); continue; }
    const prev = tokens[i - 1];
    const prevWord = prev?.kind === 'word' ? prev.text.toLowerCase() : '';
    const afterComma = prev?.kind === 'symbol' && prev.text === ',' && inFrom && depth === depthAtFrom;
    const isCall = tokens[i + 1]?.text === '(' ;
    const qualified = tokens[i + 1]?.text === '.';
    if ((TABLE_POSITION.has(prevWord) || afterComma) && !isCall && !qualified && !ctes.has(word)) result.add(word);
  }
  return [...result];
}
