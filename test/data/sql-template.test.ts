import { describe, expect, it } from 'vitest';
import { tableRef, templateToSql } from '../../src/data/sql-template.ts';

const sql = (strings: TemplateStringsArray, ...values: unknown[]) => templateToSql(strings, values);

describe('templateToSql', () => {
  it('binds values as ? parameters, never as text', () => {
    const evil = "x'; DROP TABLE orders; --";
    expect(sql`SELECT * FROM t WHERE a = ${evil} AND b > ${3}`).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b > ?', params: [evil, 3], placeholders: [26, 36],
    });
  });
  it('splices table references as quoted identifiers', () => {
    expect(sql`SELECT * FROM ${tableRef('My "T"')} WHERE x = ${1}`).toEqual({ sql: 'SELECT * FROM "My ""T""" WHERE x = ?', params: [1], placeholders: [35] });
  });
  it('expands arrays to a list of bound values', () => {
    expect(sql`SELECT list_contains(${['a', 'b']}, x), ${[]}`).toEqual({ sql: 'SELECT list_contains([?, ?], x), []', params: ['a', 'b'], placeholders: [22, 25] });
  });
  it('gives the offset of every placeholder, so an engine can tell them from a ? of its own', () => {
    const { sql: text, placeholders } = sql`SELECT x > 1 ? 'a' : 'b', ${'?'}, ${[1, 2]}`;
    expect(placeholders.map((at) => text[at])).toEqual(['?', '?', '?']);
    expect(placeholders).toEqual([text.indexOf(', ?') + 2, text.indexOf('[?') + 1, text.lastIndexOf('?')]);
  });
});
