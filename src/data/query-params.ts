/**
 * Parameters as DuckDB-WASM can bind them. It serializes bound values as
 * JSON, so bigint and Date must become something JSON carries that DuckDB
 * casts back by the placeholder's inferred type; lists cannot be bound at all
 * (`templateToSql` expands arrays to `[?, ?, …]` instead).
 */

/** Thrown for a value that cannot be a bound parameter; the message says which and why. */
export class ParamError extends Error {
  override name = 'ParamError';
}

/**
 * Why `value` cannot be a bound parameter, as the end of a sentence that
 * names it ("… is an invalid Date"), or `null` when it can. Arrays are
 * refused: in a query template they become lists before binding.
 */
export function paramProblem(value: unknown): string | null {
  if (value === undefined || value === null || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'is an invalid Date' : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `is ${value}; DuckDB-WASM can only bind finite numbers`;
  if (Array.isArray(value)) {
    return 'is an array; DuckDB-WASM cannot bind a list to one "?". Interpolate it in a query template (${values} becomes a list of bound values), e.g. list_contains(${values}, col)';
  }
  const type = Object.prototype.toString.call(value).slice(8, -1);
  return `is an object${type === 'Object' ? '' : ` (${type})`}; a query parameter must be a string, number, boolean, bigint, Date, null or (in a template) an array. To build on a query's result, put it where a table goes: FROM \${result}`;
}

/** `params` converted for binding: bigint → number (or decimal string when unsafe), Date → ISO text, undefined → null. */
export function bindableParams(params: readonly unknown[]): unknown[] {
  return params.map((value, i) => {
    const problem = paramProblem(value);
    if (problem) throw new ParamError(`Parameter ${i + 1} ${problem}.`);
    if (value === undefined || value === null) return null;
    if (typeof value === 'bigint') {
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    if (value instanceof Date) return value.toISOString();
    return value;
  });
}

/** Number of `?` placeholders in SQL outside literals, quoted identifiers and comments. */
export function countPlaceholders(tokens: readonly { kind: string; text: string }[]): number {
  return tokens.filter((t) => t.kind === 'symbol' && t.text === '?').length;
}
