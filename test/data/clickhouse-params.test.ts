import { describe, expect, it } from 'vitest';
import { bindClickHouse, clickhouseLiteral, serverParam, stringLiteral, writtenOffset } from '../../src/data/clickhouse-params.ts';

/** Strings that try to end a literal, a statement or the request. */
export const HOSTILE = [
  "O'Brien",
  "'; DROP TABLE strikes; --",
  "\\'; DROP TABLE strikes; --",
  'back\\slash\\',
  'trailing backslash \\',
  'NUL \0 byte',
  'line\nbreak\r\ttab',
  '\u0007\u001b\u007f controls',
  'unicode: Zürich, 東京, 🦆, \u202e right-to-left',
  '{p1:String} looks like a parameter',
  '? looks like a placeholder',
  '/* not a comment */ -- nor this',
  '\\x27 escaped quote',
  '',
];

describe('stringLiteral', () => {
  it('keeps every value inside one quoted literal on one line', () => {
    for (const value of HOSTILE) {
      const literal = stringLiteral(value);
      expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
      const inner = literal.slice(1, -1);
      // No unescaped quote: every ' is preceded by an odd run of backslashes.
      for (const match of inner.matchAll(/(\\*)'/g)) expect(match[1].length % 2).toBe(1);
      // The inner text cannot end in an escaping backslash (which would swallow the closing quote).
      expect(/(^|[^\\])(\\\\)*\\$/.test(inner)).toBe(false);
      expect(inner).not.toMatch(/[\n\r\0]/);
    }
  });
});

describe('clickhouseLiteral', () => {
  it('types numbers, booleans, null, dates and arrays', () => {
    expect(clickhouseLiteral(3)).toBe('3');
    expect(clickhouseLiteral(-3)).toBe('(-3)');
    expect(clickhouseLiteral(2.5)).toBe('2.5');
    expect(clickhouseLiteral(NaN)).toBe('nan');
    expect(clickhouseLiteral(-Infinity)).toBe('(-inf)');
    expect(clickhouseLiteral(12345678901234567890n)).toBe('12345678901234567890');
    expect(clickhouseLiteral(true)).toBe('1');
    expect(clickhouseLiteral(null)).toBe('NULL');
    expect(clickhouseLiteral(undefined)).toBe('NULL');
    expect(clickhouseLiteral(new Date(Date.UTC(2024, 0, 2)))).toBe('toDateTime(1704153600)');
    expect(clickhouseLiteral(['a', 1, null])).toBe("['a', 1, NULL]");
  });

  it('refuses values with no ClickHouse form', () => {
    expect(() => clickhouseLiteral({ a: 1 })).toThrow(/Parameter 1 is Object/);
    expect(() => clickhouseLiteral(new Date(NaN))).toThrow(/invalid Date/);
    expect(() => clickhouseLiteral(new Uint8Array(2), 2)).toThrow(/Parameter 3/);
  });

  it('keeps a negative value from becoming a comment after a minus', () => {
    const bound = bindClickHouse('SELECT 1-?', [9], [-1], 'literal');
    expect(bound.sql).toBe('SELECT 1-(-1)');
  });
});

describe('bindClickHouse', () => {
  it('replaces exactly the placeholders given, leaving a ternary ? alone', () => {
    const sql = "SELECT x > 1 ? 'big' : 'small', ? AS v";
    const bound = bindClickHouse(sql, [sql.lastIndexOf('?')], ["it's"], 'literal');
    expect(bound.sql).toBe("SELECT x > 1 ? 'big' : 'small', 'it\\'s' AS v");
    expect(bound.params).toEqual({});
  });

  it('sends values beside the SQL as typed query parameters in server mode', () => {
    const sql = 'SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e';
    const at = [...sql.matchAll(/\?/g)].map((m) => m.index!);
    const bound = bindClickHouse(sql, at, ['x\ty\\z', 7, 1.5, null, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))], 'server');
    expect(bound.sql).toBe("SELECT {p1:String} AS a, {p2:Int64} AS b, {p3:Float64} AS c, {p4:Nullable(String)} AS d, {p5:DateTime64(3, 'UTC')} AS e");
    expect(bound.params).toEqual({
      param_p1: 'x\\ty\\\\z', param_p2: '7', param_p3: '1.5', param_p4: '\\N', param_p5: '2024-01-02 03:04:05.006',
    });
  });

  it('types arrays by their elements', () => {
    expect(serverParam(['a', "b'c"])).toEqual({ type: 'Array(String)', value: "['a','b\\\\'c']" });
    expect(serverParam([1, 2.5])).toEqual({ type: 'Array(Float64)', value: '[1,2.5]' });
    expect(() => serverParam([1, 'a'])).toThrow(/mixed types/);
  });

  it('refuses a count mismatch or a place that is not a ?', () => {
    expect(() => bindClickHouse('SELECT ?', [2], [1], 'literal')).toThrow(/Parameter 1 has no place/);
    expect(() => bindClickHouse('SELECT ?', [7], [], 'literal')).toThrow(/1 parameter place/);
  });

  it('maps an offset in the bound SQL back to the SQL as written', () => {
    const sql = "SELECT ?, x FROM t WHERE y = ? AND z";
    const at = [sql.indexOf('?'), sql.lastIndexOf('?')];
    const bound = bindClickHouse(sql, at, ['long value', 1], 'literal');
    const zBound = bound.sql.lastIndexOf('z');
    expect(writtenOffset(bound, zBound)).toBe(sql.lastIndexOf('z'));
    // Inside a replacement: its placeholder.
    expect(writtenOffset(bound, bound.sql.indexOf('long'))).toBe(at[0]);
  });
});
