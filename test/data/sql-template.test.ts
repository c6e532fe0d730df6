import { describe, expect, it } from 'vitest';
import { tableRef, templateToSql } from '../../src/data/sql-template.ts';

const sql = (strings: TemplateStringsArray, ...values: unknown[]) => templateToSql(strings, values);

describe('templateToSql', () => {
  it('binds values as ? parameters, never as text', () => {
    const evil = "x'; DROP TABLE orders; --";
    expect(sql`SELECT * FROM t WHERE a = ${evil} AND b > ${3}`).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b > ?', params: [evil, 3],
    });
  });
  it('splices table references as quoted identifiers', () => {
    expect(sql`SELECT * FROM ${tableRef('My "T"')} WHERE x = ${1}`).toEqual({ sql: 'SELECT * FROM "My ""T""" WHERE x = ?', params: [1] });
  });
  it('expands arrays to a list of bound values', () => {
    expect(sql`SELECT list_contains(${['a', 'b']}, x), ${[]}`).toEqual({ sql: 'SELECT list_contains([?, ?], x), []', params: ['a', 'b'] });
  });
});
