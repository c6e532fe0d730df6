/**
 * A small SQL tokenizer: enough to find identifiers and to normalize SQL text
 * for memo keys, while never mistaking the inside of a string literal, a
 * quoted identifier or a comment for code.
 */

/** One token; `start` and `end` are offsets into the SQL (`end` exclusive). */
export type SqlToken =
  | { kind: 'word'; text: string; start: number; end: number }
  /** A double-quoted identifier, unescaped (`"a""b"` → `a"b`). */
  | { kind: 'quoted'; text: string; start: number; end: number }
  /** A string literal, raw text including its quotes. */
  | { kind: 'string'; text: string; start: number; end: number }
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'symbol'; text: string; start: number; end: number };

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL into tokens; comments and whitespace are dropped. Unterminated literals run to the end. */
export function sqlTokens(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      // Block comments nest in DuckDB (PostgreSQL grammar).
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; }
        else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; }
        else i++;
      }
      continue;
    }
    const start = i;
    if (c === "'" || ((c === 'E' || c === 'e') && sql[i + 1] === "'")) {
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      while (i < n) {
        if (escapes && sql[i] === '\\') { i += 2; continue; }
        if (sql[i] === "'") {
          if (sql[i + 1] === "'") { i += 2; continue; }
          i++;
          break;
        }
        i++;
      }
      tokens.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
        tokens.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
        continue;
      }
    }
    if (c === '"') {
      let text = '';
      i++;
      while (i < n) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') { text += '"'; i += 2; continue; }
          i++;
          break;
        }
        text += sql[i++];
      }
      tokens.push({ kind: 'quoted', text, start, end: i });
      continue;
    }
    if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i])) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9._eE]/.test(sql[i])) i++;
      tokens.push({ kind: 'number', text: sql.slice(start, i), start, end: i });
      continue;
    }
    const two = sql.slice(i, i + 2);
    const symbol = ['::', '<=', '>=', '<>', '!=', '||', '->', '**'].includes(two) ? two : c;
    i += symbol.length;
    tokens.push({ kind: 'symbol', text: symbol, start, end: i });
  }
  return tokens;
}

/**
 * SQL text normalized for a memo key: comments and layout removed, keywords
 * and bare identifiers lowercased (DuckDB folds them), literals kept exactly.
 * Two texts with the same normalization run the same query.
 */
export function normalizeSql(sql: string): string {
  return sqlTokens(sql)
    .map((t) => {
      if (t.kind === 'word') return t.text.toLowerCase();
      if (t.kind === 'quoted') return JSON.stringify(t.text);
      return t.text;
    })
    .join(' ')
    .replace(/ ?; ?$/, '');
}
