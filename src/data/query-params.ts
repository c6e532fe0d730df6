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

/** `params` converted for binding: bigint → number (or decimal string when unsafe), Date → ISO text, undefined → null. */
export function bindableParams(params: readonly unknown[]): unknown[] {
  return params.map((value, i) => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'bigint') {
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new ParamError(`Parameter ${i + 1} is an invalid Date.`);
      return value.toISOString();
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ParamError(`Parameter ${i + 1} is ${value}; DuckDB-WASM can only bind finite numbers.`);
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (Array.isArray(value)) {
      throw new ParamError(`Parameter ${i + 1} is an array; DuckDB-WASM cannot bind a list to one "?". Interpolate it in a query template (\${values} becomes a list of bound values), e.g. list_contains(\${values}, col).`);
    }
    throw new ParamError(`Parameter ${i + 1} is ${Object.prototype.toString.call(value).slice(8, -1)}; only strings, numbers, booleans, bigints, Dates, null and arrays (in a template) can be query parameters.`);
  });
}

/** Number of `?` placeholders in SQL outside literals, quoted identifiers and comments. */
export function countPlaceholders(tokens: readonly { kind: string; text: string }[]): number {
  return tokens.filter((t) => t.kind === 'symbol' && t.text === '?').length;
}
