import { describe, expect, it } from 'vitest';
import { formatCell, formatControlNumber, formatNumber, isNumericType } from '../../src/app/value-format.ts';

describe('formatCell', () => {
  it('groups numbers and keeps a few decimals', () => {
    expect(formatCell(1234567, 'INTEGER', 'en-US')).toEqual({ text: '1,234,567', kind: 'number' });
    // Whole numbers below five digits are not grouped, so a year reads as a year.
    expect(formatCell(1970, 'BIGINT', 'en-US').text).toBe('1970');
    expect(formatCell(2177.4, 'DOUBLE', 'en-US').text).toBe('2,177.4');
    expect(formatCell(3.14159, 'DOUBLE', 'en-US').text).toBe('3.142');
    expect(formatCell(0.000123456, 'DOUBLE', 'en-US').text).toBe('0.000123');
    expect(formatCell(12345678901234567890n, 'HUGEINT', 'en-US').text).toBe('12,345,678,901,234,567,890');
  });

  it('shows dates and timestamps from epoch milliseconds', () => {
    expect(formatCell(Date.UTC(2024, 0, 31), 'DATE').text).toBe('2024-01-31');
    expect(formatCell(Date.UTC(2024, 0, 31, 13, 5, 9), 'TIMESTAMP').text).toBe('2024-01-31 13:05:09');
  });

  it('marks nulls and stringifies structures', () => {
    expect(formatCell(null, 'VARCHAR')).toEqual({ text: 'null', kind: 'null' });
    expect(formatCell({ a: 1n }, 'STRUCT').text).toBe('{"a":"1"}');
    expect(formatCell('<b>x</b>', 'VARCHAR').text).toBe('<b>x</b>');
  });
});

describe('formatNumber / formatControlNumber', () => {
  it('groups from four digits in tables and five in controls', () => {
    expect(formatNumber(2014, 'en-US')).toBe('2,014');
    expect(formatControlNumber(2014, 'en-US')).toBe('2014');
    expect(formatControlNumber(25000, 'en-US')).toBe('25,000');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('isNumericType', () => {
  it('recognises DuckDB numeric types', () => {
    for (const t of ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL(18,3)', 'UBIGINT', 'HUGEINT', 'FLOAT', 'number', 'Int32', 'Float64'])
      expect(isNumericType(t), t).toBe(true);
    for (const t of ['VARCHAR', 'DATE', 'BOOLEAN', 'INTERVAL', 'string']) expect(isNumericType(t), t).toBe(false);
  });
});
