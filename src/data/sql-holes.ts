/**
 * Where each `${}` of a query template sits in its SQL. A value goes in as a
 * bound parameter, except a query result (a SQL cell's result), which is
 * composed as a subquery; where the hole is decides how: after FROM/JOIN (or a
 * comma of a FROM list) a relation is expected and the subquery is named
 * after the hole (`FROM ${filtered}` → `FROM (…) AS "filtered"`) unless the
 * SQL names it itself (`FROM ${filtered} f`). Everything here looks only at
 * the template's literal text, so a value can never change how it is read.
 */
import { isReservedWord } from './table-name.ts';
import { sqlTokens, type SqlToken } from './sql-tokens.ts';

/**
 * - `from`: a relation is expected and the subquery may take an alias
 *   (after FROM, JOIN, a comma of a FROM list);
 * - `statement`: a relation is expected, no alias (`DESCRIBE ${x}`, `SUMMARIZE ${x}`, `PIVOT ${x} …`);
 * - `value`: anywhere else (a bound value, a list, or a scalar/IN subquery);
 * - `literal` / `comment`: inside quotes or a comment, where a value cannot go.
 */
export type HoleKind = 'from' | 'statement' | 'value' | 'literal' | 'comment';

export interface HolePlace {
  kind: HoleKind;
  /** For `from`: the SQL gives the relation a name of its own right after the hole (`${x} f`, `${x} AS f`). */
  aliased: boolean;
}

/** Stands for a hole while the template's text is tokenized: a symbol no SQL uses. */
const MARK = '\u0001';

/** Words that end the search back for FROM: the hole is in an expression or another clause. */
const CLAUSE_WORDS = new Set([
  'select', 'where', 'group', 'by', 'order', 'having', 'limit', 'offset', 'on', 'using', 'qualify', 'window',
  'values', 'set', 'returning', 'union', 'except', 'intersect', 'in', 'and', 'or', 'not', 'when', 'then',
  'else', 'case', 'between', 'like', 'ilike', 'is', 'with', 'into', 'update', 'distinct',
]);

/** Statements that take a relation where no alias may follow. */
const RELATION_STATEMENTS = new Set(['describe', 'summarize', 'pivot', 'unpivot', 'pivot_longer', 'pivot_wider']);

/** Words that may follow a table reference without being its alias (DuckDB's join kinds and clauses that are not reserved). */
const NOT_ALIAS = new Set(['asof', 'positional', 'anti', 'semi', 'tablesample', 'sample']);

/** The place of each hole of a template whose literal parts are `strings` (`strings.length - 1` holes). */
export function holePlaces(strings: readonly string[]): HolePlace[] {
  const text = strings.join(MARK);
  const tokens = sqlTokens(text);
  const places: HolePlace[] = [];
  let offset = 0;
  for (let i = 0; i < strings.length - 1; i++) {
    offset += strings[i].length;
    places.push(placeAt(tokens, offset));
    offset += MARK.length;
  }
  return places;
}

function placeAt(tokens: readonly SqlToken[], offset: number): HolePlace {
  const index = tokens.findIndex((t) => t.end > offset);
  const token = index < 0 ? undefined : tokens[index];
  if (!token || token.start > offset) return { kind: 'comment', aliased: false };
  if (token.kind === 'string' || token.kind === 'quoted') return { kind: 'literal', aliased: false };
  const kind = relationBefore(tokens, index);
  return { kind, aliased: kind === 'from' && namesItself(tokens[index + 1]) };
}

/**
 * Walks back from the hole at `index`, at its own parenthesis depth, to the
 * word that decides what is expected there. Past a comma, a join condition
 * (`ON a = b`, `USING (k)`) is part of a FROM list being walked over.
 */
function relationBefore(tokens: readonly SqlToken[], index: number): HoleKind {
  let depth = 0;
  let listed = false;
  for (let j = index - 1; j >= 0; j--) {
    const t = tokens[j];
    if (t.text === MARK) continue; // another hole: a relation or a value, part of what is being walked over
    if (t.kind === 'symbol') {
      if (t.text === ')') depth++;
      else if (t.text === '(') {
        if (depth === 0) return 'value';
        depth--;
      } else if (t.text === ',') listed = true;
      else if (depth === 0 && !listed) return 'value';
      continue;
    }
    if (depth > 0 || t.kind !== 'word') continue;
    const word = t.text.toLowerCase();
    if (word === 'from' || word === 'join') return 'from';
    if (RELATION_STATEMENTS.has(word)) return j === index - 1 ? 'statement' : 'value';
    if (listed && (word === 'on' || word === 'using')) continue;
    if (CLAUSE_WORDS.has(word)) return 'value';
  }
  return 'value';
}

/** Whether the token after a hole in FROM position names it (`f`, `AS f`, `"f"`). */
function namesItself(next: SqlToken | undefined): boolean {
  if (!next) return false;
  if (next.kind === 'quoted') return true;
  if (next.kind !== 'word') return false;
  const word = next.text.toLowerCase();
  return word === 'as' || (!isReservedWord(word) && !NOT_ALIAS.has(word));
}
