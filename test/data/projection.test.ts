import { describe, expect, it } from 'vitest';
import { columnsNeeded, columnsToRead, needsReload, sqlOfNotebook } from '../../src/data/projection.ts';

describe('columnsNeeded', () => {
  it('collects the identifiers of every query', () => {
    const needed = columnsNeeded([
      'SELECT origin, count(*) AS n FROM flights WHERE delay > ? GROUP BY origin',
      'SELECT avg(distance) FROM flights',
    ]);
    expect(needed).toEqual(expect.arrayContaining(['origin', 'delay', 'distance', 'flights']));
    expect(needed).not.toContain('date');
  });

  it('count(*) and multiplication do not mean every column', () => {
    expect(columnsNeeded(['SELECT count(*) FROM t', 'SELECT a * 2 AS b FROM t'])).toEqual(expect.arrayContaining(['a', 't']));
  });

  it('a select-list star means every column', () => {
    expect(columnsNeeded(['SELECT a FROM t', 'SELECT * FROM t'])).toBeUndefined();
    expect(columnsNeeded(['SELECT DISTINCT * FROM t'])).toBeUndefined();
    expect(columnsNeeded(['SELECT a, t.* FROM t'])).toBeUndefined();
    expect(columnsNeeded(['SELECT a, * EXCLUDE (b) FROM t'])).toBeUndefined();
  });

  it('ignores words inside strings and comments', () => {
    expect(columnsNeeded(["SELECT a FROM t WHERE b = 'secret_col' -- other_col"])).not.toContain('secret_col');
  });
});

describe('columnsToRead', () => {
  const available = ['Date', 'delay', 'distance', 'origin', 'destination'];
  it('keeps the needed columns, matching case-insensitively, in file order', () => {
    expect(columnsToRead(available, ['origin', 'date', 'flights'])).toEqual(['Date', 'origin']);
  });
  it('reads everything when nothing is known or nothing matches', () => {
    expect(columnsToRead(available, undefined)).toEqual(available);
    expect(columnsToRead(available, ['nope'])).toEqual(available);
  });
});

describe('sqlOfNotebook', () => {
  it('takes sql cells and query templates, with holes as parameters', () => {
    const texts = sqlOfNotebook([
      { kind: 'sql', source: 'SELECT a FROM t WHERE b > ${min}' },
      { kind: 'js', source: 'const r = await query`SELECT c FROM t`;\nconst other = `SELECT * FROM nothing`' },
      { kind: 'md', source: 'SELECT * in prose' },
    ]);
    expect(texts).toEqual(['SELECT a FROM t WHERE b > ?', 'SELECT c FROM t']);
    expect(columnsNeeded(texts)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });
});

describe('needsReload', () => {
  const whole = { path: 'data/sales.csv' };
  const partial = { path: 'data/flights.parquet', omittedColumns: ['Distance', 'destination'] };

  it('loads what was never loaded, or whose path changed', () => {
    expect(needsReload(undefined, 'data/sales.csv', ['a'])).toBe(true);
    expect(needsReload(whole, 'data/other.csv', ['a'])).toBe(true);
  });

  it('never reloads a table loaded whole, whatever the SQL names', () => {
    expect(needsReload(whole, 'data/sales.csv', ['new_alias', 'anything'])).toBe(false);
    expect(needsReload(whole, 'data/sales.csv', undefined)).toBe(false);
  });

  it('reloads a partial table only for a column it left out (or for SELECT *)', () => {
    expect(needsReload(partial, 'data/flights.parquet', ['origin', 'n', 'avg_delay'])).toBe(false);
    expect(needsReload(partial, 'data/flights.parquet', ['origin', 'distance'])).toBe(true);
    expect(needsReload(partial, 'data/flights.parquet', undefined)).toBe(true);
  });
});
