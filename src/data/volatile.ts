/**
 * Volatile SQL: queries whose answer may differ between two runs over the
 * same tables (`random()`, `now()`, `uuid()`, `nextval(…)`, a read of a URL),
 * and statements that change the database or the session (`CREATE`,
 * `INSERT`, `SET`, …: running one again is the point, and replaying its
 * first answer would leave what it made as it was).
 * They are never answered from the memo, in memory or persisted, and their
 * results are not fetched again for table windows (the runtime holds them):
 * a person clicking "Again" expects a new draw, not the first one replayed.
 */
import { sqlTokens } from './sql-tokens.ts';

/**
 * DuckDB's functions that are not CONSISTENT (`duckdb_functions().stability`,
 * DuckDB 1.4: VOLATILE or CONSISTENT_WITHIN_QUERY), plus the clock keywords
 * written without parentheses and the spellings of `today()`. A unit test
 * checks this list against the real DuckDB, so a new volatile function in a
 * DuckDB upgrade fails it.
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random', 'setseed', 'uuid', 'uuidv4', 'uuidv7', 'gen_random_uuid', 'nextval', 'currval',
  'now', 'today', 'get_current_time', 'get_current_timestamp', 'transaction_timestamp', 'localtime', 'localtimestamp',
  'txid_current', 'in_search_path', 'error', 'stats', 'write_log',
]);

/**
 * Words volatile even without parentheses: `current_date`, `current_timestamp`,
 * `localtime`… (every `current_*` word counts). Other names count only as a call,
 * so a column named `error` or `now` does not.
 */
const CLOCK_KEYWORD = /^(current_\w+|localtime|localtimestamp)$/;

/** A string literal that names a remote file: its content may change between runs. */
const REMOTE = /^'(https?|s3|s3a|s3n|gs|gcs|r2|az|azure|abfss|hf):\/\//i;

/** The first words of statements that only read; any other statement changes something. */
const READ_STATEMENTS: ReadonlySet<string> = new Set([
  'select', 'with', 'from', 'values', 'table', 'describe', 'show', 'summarize', 'pivot', 'unpivot', 'explain',
]);

/** True when `sql` calls a volatile function, reads a URL or changes the database (see the module comment). */
export function isVolatileSql(sql: string): boolean {
  const tokens = sqlTokens(sql);
  let statementStart = true;
  for (const [i, token] of tokens.entries()) {
    if (token.kind === 'symbol') {
      if (token.text === ';') statementStart = true;
      continue;
    }
    if (statementStart) {
      statementStart = false;
      if (token.kind === 'word' && !READ_STATEMENTS.has(token.text.toLowerCase())) return true;
    }
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (CLOCK_KEYWORD.test(word)) return true;
      const next = tokens[i + 1];
      if (VOLATILE_FUNCTIONS.has(word) && next?.kind === 'symbol' && next.text === '(') return true;
    } else if (token.kind === 'string' && REMOTE.test(token.text)) {
      return true;
    }
  }
  return false;
}
