/**
 * The plan of a range index: Mosaic's pre-aggregation, for SQL as written.
 *
 * A brush dragged over a chart asks the same aggregate query again and again
 * with new values in one WHERE condition over one expression `x` (`delay
 * BETWEEN ? AND ?`). Each answer scans the whole table, but it can come from
 * a much smaller one: the table grouped by the query's own groups and by `x`,
 * with partial aggregates (count, sum, min, max; avg as sum and count). The
 * condition is then applied to `x` in that table, and the partials combined:
 * the answer is the same for any values, since rows with the same `x` meet
 * the condition together. The other conditions, with their current values,
 * are applied when the index is built.
 *
 * This file only reads SQL and writes SQL (pure): `planRangeIndex` takes a
 * query with `?` placeholders and which of them changed, and returns the
 * index's `CREATE` and the query over it, or why it cannot. It accepts one
 * shape, the one linked charts are written in: `SELECT` items that are group
 * expressions or expressions of aggregates, `FROM` one table, `WHERE`
 * conditions joined by AND, then GROUP BY, HAVING, ORDER BY, LIMIT. Anything
 * else (joins, subqueries, DISTINCT, window functions, `?` outside WHERE) is
 * refused, and the query simply runs as written. `RangeIndexes` decides when
 * to build one and checks its first answer against DuckDB's own.
 */
import { sqlTokens, type SqlToken } from './sql-tokens.ts';

/** The index table's creation and the query that answers from it. */
export interface RangeIndexPlan {
  /** The base table the index groups. */
  table: string;
  /** `CREATE TEMP TABLE <name> AS …`; `?` stand for `buildParams` (indexes into the query's parameters). */
  build: (name: string) => string;
  buildParams: number[];
  /** The query over the index table; `?` stand for `queryParams` (the changing condition's, in order). */
  query: (name: string) => string;
  queryParams: number[];
}

/** Why a query gets no index (for tests and for the engine's log of refusals). */
export interface RangeIndexRefusal {
  refused: string;
}

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);

/** Words that are never a column. */
const KEYWORDS = new Set([
  'and', 'or', 'not', 'is', 'null', 'true', 'false', 'between', 'in', 'like', 'ilike', 'glob', 'similar', 'to',
  'escape', 'case', 'when', 'then', 'else', 'end', 'as', 'asc', 'desc', 'nulls', 'first', 'last', 'isnull', 'notnull',
  'collate', 'cast', 'try_cast', 'symmetric',
]);

/** Words that make a query something other than one grouped SELECT (a word before "(" is a function and is not looked up here). */
const REFUSED_WORDS = new Set([
  'select', 'from', 'join', 'union', 'intersect', 'except', 'qualify', 'window', 'lateral', 'distinct', 'using',
  'natural', 'pivot', 'unpivot', 'sample', 'tablesample', 'with', 'into',
]);

/** Words refused even before "(": window functions, filtered aggregates, subqueries. */
const REFUSED_ALWAYS = new Set(['over', 'filter', 'within', 'exists']);

/** Functions that return more (or fewer) rows than they get, or change between calls. */
const REFUSED_FUNCTIONS = new Set(['unnest', 'generate_series', 'range', 'random', 'now', 'current_timestamp', 'gen_random_uuid', 'uuid', 'setseed', 'nextval']);

const CLAUSES = ['select', 'from', 'where', 'group', 'having', 'order', 'limit', 'offset'] as const;
type Clause = (typeof CLAUSES)[number];

/** A run of tokens `[from, to)` of the query. */
interface Span {
  from: number;
  to: number;
}

interface Aggregate extends Span {
  fn: string;
  /** The argument's text as written (`*` for `count(*)` and `count()`). */
  arg: string;
  /** Normalized `fn(arg)`: the same aggregate written twice shares its partials. */
  key: string;
}

/**
 * The index plan for `sql` whose parameters `changed` (0-based, in `?`
 * order) took new values, or why there is none.
 */
export function planRangeIndex(sql: string, changed: ReadonlySet<number>): RangeIndexPlan | RangeIndexRefusal {
  const tokens = sqlTokens(sql);
  const refuse = (refused: string): RangeIndexRefusal => ({ refused });
  if (tokens.at(-1)?.text === ';') tokens.pop();
  if (tokens.length === 0 || word(tokens[0]) !== 'select') return refuse('not a SELECT');
  const depth = depths(tokens);
  if (depth === undefined) return refuse('unbalanced parentheses');
  const placeholders = tokens.flatMap((t, i) => (t.kind === 'symbol' && t.text === '?' ? [i] : []));
  const paramAt = new Map(placeholders.map((tokenIndex, param) => [tokenIndex, param]));
  const paramsIn = (span: Span) => placeholders.filter((i) => i >= span.from && i < span.to).map((i) => paramAt.get(i)!);

  for (let i = 1; i < tokens.length; i++) {
    const w = word(tokens[i]);
    if (tokens[i].kind === 'symbol' && (tokens[i].text === ';' || tokens[i].text === '.')) return refuse(`"${tokens[i].text}" (one statement over one table's columns)`);
    if (w === undefined) continue;
    const call = tokens[i + 1]?.text === '(';
    if (call && REFUSED_FUNCTIONS.has(w)) return refuse(`${w}()`);
    if (REFUSED_ALWAYS.has(w)) return refuse(w.toUpperCase());
    if (!call && REFUSED_WORDS.has(w) && !(w === 'from' && depth[i] === 0)) return refuse(w.toUpperCase());
  }

  const clauses = splitClauses(tokens, depth);
  if (typeof clauses === 'string') return refuse(clauses);
  for (const [clause, span] of clauses) if (span.to <= span.from) return refuse(`an empty ${clause.toUpperCase()}`);
  const from = clauses.get('from');
  if (!from || from.to - from.from !== 1 || !isIdentifier(tokens[from.from])) return refuse('FROM is not one table');
  const table = text(sql, tokens, from);
  const where = clauses.get('where');
  if (!where) return refuse('no WHERE');
  for (const clause of ['select', 'group', 'having', 'order', 'limit', 'offset'] as const) {
    const span = clauses.get(clause);
    if (span && paramsIn(span).length > 0) return refuse(`a parameter in ${clause.toUpperCase()}`);
  }

  const conditions = splitConditions(tokens, depth, where);
  if (conditions.some((c) => c.to <= c.from)) return refuse('an empty condition');
  const moving = conditions.filter((c) => paramsIn(c).some((p) => changed.has(p)));
  if (moving.length !== 1) return refuse(moving.length === 0 ? 'no condition changed' : 'values changed in more than one condition');
  const active = moving[0];
  if ([...changed].some((p) => !paramsIn(active).includes(p))) return refuse('values changed in more than one condition');

  // x: the one expression of columns the changing condition reads.
  const x = changingExpression(tokens, depth, active);
  if (!x) return refuse('the changing condition reads more than one expression of columns');
  const condition = replaceSpans(sql, tokens, active, occurrences(tokens, active, x).map((span) => ({ ...span, text: '__x' })));
  const conditionTokens = sqlTokens(condition);
  if (columnsIn(conditionTokens, { from: 0, to: conditionTokens.length }).some((i) => conditionTokens[i].text !== '__x')) {
    return refuse('the changing condition reads columns besides its expression');
  }

  // SELECT items, with their aliases.
  const items = splitTop(tokens, depth, clauses.get('select')!).map((span) => {
    const n = span.to - span.from;
    const aliased = n >= 3 && word(tokens[span.to - 2]) === 'as' && isIdentifier(tokens[span.to - 1]);
    return { expr: aliased ? { from: span.from, to: span.to - 2 } : span, alias: aliased ? tokens[span.to - 1] : undefined };
  });
  if (items.some((item) => item.expr.to <= item.expr.from)) return refuse('an empty SELECT item');
  const aggregatesOf = (span: Span): Aggregate[] | string => {
    const found: Aggregate[] = [];
    for (let i = span.from; i < span.to; i++) {
      const fn = word(tokens[i]);
      if (fn === undefined || !AGGREGATES.has(fn) || tokens[i + 1]?.text !== '(') continue;
      const close = matching(depth, i + 1, span.to);
      if (close === undefined) return 'an aggregate without its ")"';
      const inner = { from: i + 2, to: close };
      if (paramsIn(inner).length > 0) return 'a parameter in an aggregate';
      for (let j = inner.from; j < inner.to; j++) if (AGGREGATES.has(word(tokens[j]) ?? '') && tokens[j + 1]?.text === '(') return 'an aggregate of an aggregate';
      const star = inner.to === inner.from || (inner.to - inner.from === 1 && tokens[inner.from].text === '*');
      if (star && fn !== 'count') return `${fn}(*)`;
      const arg = star ? '*' : text(sql, tokens, inner);
      found.push({ fn, arg, key: `${fn}(${star ? '*' : normalized(tokens, inner)})`, from: i, to: close + 1 });
      i = close;
    }
    return found;
  };

  // Group expressions: GROUP BY's items, with aliases and ordinals read as the SELECT items they name.
  const groups: Span[] = [];
  const group = clauses.get('group');
  if (group) {
    const groupItems = splitTop(tokens, depth, group);
    if (groupItems.length === 1 && word(tokens[groupItems[0].from]) === 'all' && groupItems[0].to - groupItems[0].from === 1) {
      for (const item of items) {
        const found = aggregatesOf(item.expr);
        if (typeof found === 'string') return refuse(found);
        if (found.length === 0) groups.push(item.expr);
      }
    } else {
      for (const span of groupItems) {
        const single = span.to - span.from === 1 ? tokens[span.from] : undefined;
        const ordinal = single?.kind === 'number' ? Number(single.text) : undefined;
        const aliased = single && isIdentifier(single) ? items.find((item) => item.alias && sameName(item.alias, single)) : undefined;
        const expr = ordinal !== undefined ? items[ordinal - 1]?.expr : aliased ? aliased.expr : span;
        if (!expr) return refuse(`GROUP BY ${ordinal}`);
        const found = aggregatesOf(expr);
        if (typeof found === 'string' || found.length > 0) return refuse('an aggregate in GROUP BY');
        groups.push(expr);
      }
    }
  }
  const groupKeys = groups.map((span) => normalized(tokens, span));
  const groupOf = (span: Span) => groupKeys.indexOf(normalized(tokens, span));

  // Partials, one set per distinct aggregate.
  const partials = new Map<string, { columns: string[]; combined: string }>();
  const partialFor = (aggregate: Aggregate): string => {
    let known = partials.get(aggregate.key);
    if (!known) {
      const n = partials.size;
      const arg = aggregate.arg;
      if (aggregate.fn === 'count') known = { columns: [`count(${arg}) AS __a${n}`], combined: `CAST(coalesce(sum(__a${n}), 0) AS BIGINT)` };
      else if (aggregate.fn === 'avg') known = { columns: [`sum(${arg}) AS __a${n}s`, `count(${arg}) AS __a${n}n`], combined: `(sum(__a${n}s) / sum(__a${n}n))` };
      else known = { columns: [`${aggregate.fn}(${arg}) AS __a${n}`], combined: `${aggregate.fn === 'sum' ? 'sum' : aggregate.fn}(__a${n})` };
      partials.set(aggregate.key, known);
    }
    return known.combined;
  };
  /** An expression over the index: its aggregates combined from partials; no column may remain outside them. */
  const overIndex = (span: Span): string | RangeIndexRefusal => {
    const found = aggregatesOf(span);
    if (typeof found === 'string') return refuse(found);
    const g = found.length === 0 ? groupOf(span) : -1;
    if (g >= 0) return `__g${g}`;
    const rewritten = replaceSpans(sql, tokens, span, found.map((a) => ({ ...a, text: partialFor(a) })));
    const rest = sqlTokens(rewritten);
    if (columnsIn(rest, { from: 0, to: rest.length }).some((i) => !/^__a\d+[sn]?$/.test(rest[i].text))) return refuse('a column outside aggregates and group expressions');
    return rewritten;
  };

  const select: string[] = [];
  for (const item of items) {
    const expr = overIndex(item.expr);
    if (typeof expr !== 'string') return expr;
    // The result's column keeps its name: the alias as written, or the column's own name.
    const single = item.expr.to - item.expr.from === 1 ? tokens[item.expr.from] : undefined;
    const name = item.alias ? item.alias : single && isIdentifier(single) ? single : undefined;
    if (!name && expr !== text(sql, tokens, item.expr)) return refuse('a SELECT item without a name (write AS name)');
    select.push(name ? `${expr} AS ${sql.slice(name.start, name.end)}` : expr);
  }
  const having = clauses.get('having');
  const havingText = having ? overIndex(having) : undefined;
  if (havingText !== undefined && typeof havingText !== 'string') return havingText;
  const outputNames = items.flatMap((item) => {
    const single = item.expr.to - item.expr.from === 1 ? tokens[item.expr.from] : undefined;
    const name = item.alias ?? (single && isIdentifier(single) ? single : undefined);
    return name ? [name] : [];
  });
  const orderBy: string[] = [];
  const orderSpan = clauses.get('order');
  for (const span of orderSpan ? splitTop(tokens, depth, orderSpan) : []) {
    let end = span.to;
    while (end > span.from && ['asc', 'desc', 'nulls', 'first', 'last'].includes(word(tokens[end - 1]) ?? '')) end--;
    const core = { from: span.from, to: end };
    if (core.to <= core.from) return refuse('an empty ORDER BY item');
    const suffix = end < span.to ? ` ${text(sql, tokens, { from: end, to: span.to })}` : '';
    const single = core.to - core.from === 1 ? tokens[core.from] : undefined;
    // A number, or a name the SELECT list gives (an alias, or a column kept under its own name), orders as written.
    if (single && (single.kind === 'number' || (isIdentifier(single) && outputNames.some((name) => sameName(name, single))))) {
      orderBy.push(text(sql, tokens, span));
      continue;
    }
    const expr = overIndex(core);
    if (typeof expr !== 'string') return expr;
    orderBy.push(expr + suffix);
  }
  if (partials.size === 0) return refuse('no aggregate');

  const others = conditions.filter((c) => c !== active);
  const buildParams = others.flatMap(paramsIn);
  const buildColumns = [...groups.map((span, g) => `${text(sql, tokens, span)} AS __g${g}`), `${text(sql, tokens, x)} AS __x`, ...[...partials.values()].flatMap((p) => p.columns)];
  const otherWhere = others.length > 0 ? `\nWHERE ${others.map((c) => `(${text(sql, tokens, c)})`).join('\n  AND ')}` : '';
  const tail = [
    groups.length > 0 ? `GROUP BY ${groups.map((_, g) => `__g${g}`).join(', ')}` : '',
    havingText ? `HAVING ${havingText}` : '',
    orderBy.length > 0 ? `ORDER BY ${orderBy.join(', ')}` : '',
    clauses.has('limit') ? `LIMIT ${text(sql, tokens, clauses.get('limit')!)}` : '',
    clauses.has('offset') ? `OFFSET ${text(sql, tokens, clauses.get('offset')!)}` : '',
  ].filter(Boolean);
  return {
    table,
    // Sorted by x: a narrow interval (a brush's first steps) reads only the row groups that hold it.
    build: (name) => `CREATE TEMP TABLE ${name} AS\nSELECT ${buildColumns.join(', ')}\nFROM ${table}${otherWhere}\nGROUP BY ALL\nORDER BY __x`,
    buildParams,
    query: (name) => [`SELECT ${select.join(', ')}`, `FROM ${name}`, `WHERE ${condition}`, ...tail].join('\n'),
    queryParams: paramsIn(active),
  };
}

/** The clauses, by their depth-0 keywords, in SQL's order, each at most once; or why they are not. */
function splitClauses(tokens: SqlToken[], depth: number[]): Map<Clause, Span> | string {
  const clauses = new Map<Clause, Span>();
  let current: Clause = 'select';
  let start = 1;
  let order = 0;
  for (let i = 1; i <= tokens.length; i++) {
    const w = i < tokens.length && depth[i] === 0 ? word(tokens[i]) : undefined;
    const next = w !== undefined && (CLAUSES as readonly string[]).includes(w) ? (w as Clause) : undefined;
    if (i < tokens.length && !next) continue;
    clauses.set(current, { from: start, to: i });
    if (!next) break;
    if (CLAUSES.indexOf(next) <= order) return `${next.toUpperCase()} out of place`;
    order = CLAUSES.indexOf(next);
    current = next;
    const by = next === 'group' || next === 'order';
    if (by && word(tokens[i + 1]) !== 'by') return `${next.toUpperCase()} without BY`;
    start = by ? i + 2 : i + 1;
    i = start - 1;
  }
  return clauses;
}

/**
 * WHERE's conditions: split at depth-0 AND (not BETWEEN's own); a depth-0
 * OR, or a CASE (whose WHEN may hold an AND), makes it one condition.
 */
function splitConditions(tokens: SqlToken[], depth: number[], where: Span): Span[] {
  const top = range(where).filter((i) => depth[i] === 0);
  if (top.some((i) => word(tokens[i]) === 'or' || word(tokens[i]) === 'case')) return [where];
  const conditions: Span[] = [];
  let begin = where.from;
  let inBetween = false;
  for (const i of top) {
    const w = word(tokens[i]);
    if (w === 'between') inBetween = true;
    else if (w === 'and' && inBetween) inBetween = false;
    else if (w === 'and') {
      conditions.push({ from: begin, to: i });
      begin = i + 1;
    }
  }
  conditions.push({ from: begin, to: where.to });
  return conditions;
}

function word(token: SqlToken | undefined): string | undefined {
  return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
}

function isIdentifier(token: SqlToken): boolean {
  return token.kind === 'quoted' || (token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase()));
}

function sameName(a: SqlToken, b: SqlToken): boolean {
  const name = (t: SqlToken) => (t.kind === 'quoted' ? t.text : t.text.toLowerCase());
  return name(a) === name(b);
}

/** Each token's parenthesis depth; undefined when they do not balance. */
function depths(tokens: SqlToken[]): number[] | undefined {
  const out: number[] = [];
  let d = 0;
  for (const t of tokens) {
    if (t.kind === 'symbol' && (t.text === ')' || t.text === ']' || t.text === '}')) d--;
    if (d < 0) return undefined;
    out.push(d);
    if (t.kind === 'symbol' && (t.text === '(' || t.text === '[' || t.text === '{')) d++;
  }
  return d === 0 ? out : undefined;
}

/** The index of the token closing the one opened at `open`, before `limit`. */
function matching(depth: number[], open: number, limit: number): number | undefined {
  for (let i = open + 1; i < limit; i++) if (depth[i] === depth[open]) return i;
  return undefined;
}

function range(span: Span): number[] {
  return Array.from({ length: span.to - span.from }, (_, i) => span.from + i);
}

/** The items of a comma-separated list, split at the list's own depth. */
function splitTop(tokens: SqlToken[], depth: number[], span: Span): Span[] {
  const base = depth[span.from] ?? 0;
  const out: Span[] = [];
  let begin = span.from;
  for (let i = span.from; i < span.to; i++) {
    if (depth[i] === base && tokens[i].kind === 'symbol' && tokens[i].text === ',') {
      out.push({ from: begin, to: i });
      begin = i + 1;
    }
  }
  out.push({ from: begin, to: span.to });
  return out;
}

function text(sql: string, tokens: SqlToken[], span: Span): string {
  return sql.slice(tokens[span.from].start, tokens[span.to - 1].end);
}

/** A span's tokens as DuckDB reads them: case-folded words, no layout. */
function normalized(tokens: SqlToken[], span: Span): string {
  return tokens.slice(span.from, span.to).map((t) => (t.kind === 'word' ? t.text.toLowerCase() : t.kind === 'quoted' ? JSON.stringify(t.text) : t.text)).join(' ');
}

/** Tokens in `span` that name a column: identifiers that are not a function, a type, an alias or a typed literal's type. */
function columnsIn(tokens: SqlToken[], span: Span): number[] {
  const out: number[] = [];
  for (let i = span.from; i < span.to; i++) {
    const t = tokens[i];
    if (!isIdentifier(t)) continue;
    const next = tokens[i + 1];
    const previous = tokens[i - 1];
    if (t.kind === 'word' && next?.text === '(') continue;
    if (previous?.text === '::' || word(previous) === 'as') continue;
    if (t.kind === 'word' && next?.kind === 'string') continue; // DATE '2001-01-01', INTERVAL '1 day'
    out.push(i);
  }
  return out;
}

/**
 * The expression of columns a condition compares with its parameters: the
 * operand before BETWEEN, IN, LIKE or a comparison when every such operand
 * reads columns and all are the same text; else its one column.
 */
function changingExpression(tokens: SqlToken[], depth: number[], condition: Span): Span | undefined {
  const operands: Span[] = [];
  const operators = new Set(['=', '<', '>', '<=', '>=', '<>', '!=']);
  for (let i = condition.from; i < condition.to; i++) {
    const t = tokens[i];
    const isOperator = (t.kind === 'symbol' && operators.has(t.text)) || ['between', 'in', 'like', 'ilike'].includes(word(t) ?? '');
    if (!isOperator) continue;
    // NOT BETWEEN, NOT IN: the operand ends before NOT.
    let end = i;
    if (word(tokens[end - 1]) === 'not') end--;
    let begin = end;
    while (begin > condition.from && depth[begin - 1] >= depth[i]) {
      const before = tokens[begin - 1];
      const w = word(before);
      if (depth[begin - 1] === depth[i] && (w === 'and' || w === 'or' || w === 'not' || w === 'when' || w === 'then' || w === 'else' || w === 'case' || (before.kind === 'symbol' && before.text === ','))) break;
      if (before.kind === 'symbol' && (before.text === '?' || operators.has(before.text))) break;
      begin--;
    }
    const operand = { from: begin, to: end };
    if (operand.to > operand.from && columnsIn(tokens, operand).length > 0) operands.push(operand);
  }
  if (operands.length > 0 && operands.every((o) => normalized(tokens, o) === normalized(tokens, operands[0]))) return operands[0];
  const columns = columnsIn(tokens, condition);
  const names = new Set(columns.map((i) => normalized(tokens, { from: i, to: i + 1 })));
  return names.size === 1 ? { from: columns[0], to: columns[0] + 1 } : undefined;
}

/** Where `x`'s tokens occur in `span` (not overlapping). */
function occurrences(tokens: SqlToken[], span: Span, x: Span): Span[] {
  const key = normalized(tokens, x);
  const n = x.to - x.from;
  const out: Span[] = [];
  for (let i = span.from; i + n <= span.to; i++) {
    if (normalized(tokens, { from: i, to: i + n }) === key) {
      out.push({ from: i, to: i + n });
      i += n - 1;
    }
  }
  return out;
}

/** `span`'s text with the given token spans (in order, not overlapping) replaced. */
function replaceSpans(sql: string, tokens: SqlToken[], span: Span, replacements: (Span & { text: string })[]): string {
  let out = '';
  let cursor = tokens[span.from].start;
  for (const r of replacements) {
    out += sql.slice(cursor, tokens[r.from].start) + r.text;
    cursor = tokens[r.to - 1].end;
  }
  return out + sql.slice(cursor, tokens[span.to - 1].end);
}
